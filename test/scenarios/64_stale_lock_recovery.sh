#!/usr/bin/env bash
# 64_stale_lock_recovery.sh: queue rows left 'collecting' by a holder that is gone must return
# to the queue at once (not after aveloxis.stale_lock_timeout, set to 3600 s here), while a row
# held by a live backend must never be taken.
#   A: aveloxis-test/full, locked by PID 999999 (no such backend)      -> recovered and collected
#   B: aveloxis-test/empty, locked by this test's live psql session    -> left alone for 5 s,
#      then recovered promptly once that session ends
#   C: openframeworks/openFrameworks, locked by that same live PID but with an older
#      backend_start (the PID was reused by a newer backend)         -> recovered
# The rows are put into that state in the transaction that adds them, so no collector ever
# sees them queued.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "64: fresh extension and collectors"; exit 1; }

T=64
URL_A=https://github.com/aveloxis-test/full
URL_B=https://github.com/aveloxis-test/empty
URL_C=https://github.com/openframeworks/openFrameworks
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
DEAD_PID=999999
HOLDER_APP=avx64_live_holder

repo_id() { q "SELECT repo_id FROM aveloxis_data.repos WHERE lower(repo_git) = lower('$1')"; }
runs_started() { q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $1"; }
run_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $1 AND finished_at IS NOT NULL")" -ge 1 ]; }
run_started() { [ "$(runs_started "$1")" -ge 1 ]; }
holder_pid() { q "SELECT pid FROM pg_stat_activity WHERE application_name = '$HOLDER_APP' AND state = 'active'"; }
holder_up() { [ -n "$(holder_pid)" ]; }
sighups() { grep -c 'received SIGHUP, reloading configuration files' "$AVX_PGDIR/server.log"; }
reload_and_wait() {
    local before
    before=$(sighups)
    q_ok "SELECT pg_reload_conf()"
    wait_for 10 test "$(sighups)" -gt "$before"
}
HOLDER_JOB=
cleanup() {
    [ -n "$HOLDER_JOB" ] && kill "$HOLDER_JOB" 2>/dev/null
    q_ok "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$HOLDER_APP'"
    avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.stale_lock_timeout" >/dev/null 2>&1
    reload_and_wait >/dev/null
}
trap cleanup EXIT

# Adds a repo and, in the same transaction, makes its queue row 'collecting' for a holder.
add_locked() {  # URL PID BACKEND_START_SQL
    avx_psql "$AVX_DB" -q -1 -c "SELECT aveloxis.add_repo('$1')" -c "
        UPDATE aveloxis_ops.collection_queue
        SET status = 'collecting', locked_by = 'collector 9', locked_pid = $2,
            locked_backend_start = $3, locked_at = now(), due_at = now()
        WHERE repo_id = (SELECT repo_id FROM aveloxis_data.repos WHERE lower(repo_git) = lower('$1'))" \
        >/dev/null 2>>"$AVX_WORK/$T.psql.err"
}

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
# A key, so the three repos (openFrameworks has 13 issue pages) stay clear of the anonymous budget.
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, 'ghp_$(printf 'aveloxisfaulttest64%s' 00000000000000000)')"
check "$T: aveloxis.stale_lock_timeout = 3600 set" avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.stale_lock_timeout = 3600"
check "$T: configuration reloaded" reload_and_wait
check_eq "$T: stale_lock_timeout in effect" 1h "$(q "SHOW aveloxis.stale_lock_timeout")"
check "$T: precondition: PID $DEAD_PID is no process" test ! -e /proc/$DEAD_PID

# A: a dead holder.
T0=$(q "SELECT extract(epoch FROM clock_timestamp())")
check "$T: row A added as collecting by dead PID $DEAD_PID" add_locked "$URL_A" $DEAD_PID "now()"
RID_A=$(repo_id "$URL_A")
check "$T: A is recovered and collected within 15 s (not after the 3600 s timeout)" wait_for 15 run_done "$RID_A"
DELAY=$(q "SELECT round(extract(epoch FROM min(started_at)) - $T0, 2) FROM aveloxis_ops.worker_history WHERE repo_id = $RID_A")
check "$T: A was claimed again less than 5 s after it was orphaned (${DELAY} s)" \
    test "$(q "SELECT $DELAY < 5")" = t
check_eq "$T: A's run: driver, outcome" "background worker|success" \
    "$(q "SELECT driver || '|' || outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID_A ORDER BY history_id DESC LIMIT 1")"
check "$T: A's run was made by a live collector" test "$(q "SELECT count(*) FROM pg_stat_activity a JOIN aveloxis_ops.worker_history h ON h.worker_pid = a.pid WHERE h.repo_id = $RID_A AND a.backend_type = 'aveloxis collector'")" -ge 1
for key in issues pull_requests messages releases; do
    check_eq "$T: A: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" \
        "$(q "SELECT count(*) FROM aveloxis_data.$key WHERE repo_id = $RID_A")"
done
check_eq "$T: A: commits = git rev-list --count HEAD of the mirror" \
    "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
    "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID_A")"

# B: a live holder - this test's own session, busy for 60 s.
PGAPPNAME=$HOLDER_APP avx_value "$AVX_DB" "SELECT pg_sleep(60)" >/dev/null 2>&1 &
HOLDER_JOB=$!
check "$T: the live holder session is up" wait_for 10 holder_up
LIVE_PID=$(holder_pid)
check "$T: row B added as collecting by live PID $LIVE_PID" \
    add_locked "$URL_B" "$LIVE_PID" "(SELECT backend_start FROM pg_stat_activity WHERE pid = $LIVE_PID)"
RID_B=$(repo_id "$URL_B")
# C: the same PID, but an older backend start: the PID now belongs to another backend.
check "$T: row C added as collecting by PID $LIVE_PID with an older backend_start" \
    add_locked "$URL_C" "$LIVE_PID" "(SELECT backend_start - interval '1 day' FROM pg_stat_activity WHERE pid = $LIVE_PID)"
RID_C=$(repo_id "$URL_C")
check "$T: C (PID reused by a newer backend) is recovered and claimed within 15 s" wait_for 15 run_started "$RID_C"

# B must stay untouched for 5 s of polling (several collector loops and a launcher recovery).
deadline=$((SECONDS + 5))
taken=
while [ $SECONDS -lt $deadline ]; do
    state=$(q "SELECT status || '|' || locked_pid FROM aveloxis_ops.collection_queue WHERE repo_id = $RID_B")
    [ "$state" = "collecting|$LIVE_PID" ] || { taken=$state; break; }
    sleep 0.2
done
check_eq "$T: B held by the live backend was not taken during 5 s (state if taken)" "" "$taken"
check_eq "$T: B has no worker_history run" 0 "$(runs_started "$RID_B")"
check "$T: the live holder is still running" holder_up

# When the holder goes away, B is recovered promptly too.
q_ok "SELECT pg_terminate_backend($LIVE_PID)"
wait "$HOLDER_JOB" 2>/dev/null
HOLDER_JOB=
check "$T: after the holder ended, B is recovered and claimed within 15 s" wait_for 15 run_started "$RID_B"
check "$T: B's run finishes within 60 s" wait_for 60 run_done "$RID_B"
check "$T: C's run finishes within 120 s" wait_for 120 run_done "$RID_C"
check_eq "$T: no queue row is left collecting" 0 \
    "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue WHERE status = 'collecting'")"
