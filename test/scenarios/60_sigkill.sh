#!/usr/bin/env bash
# 60_sigkill.sh: kill -9 of a collector in the middle of a slow job. The postmaster resets every
# backend (crash recovery), so this script's queries fail for a while and are retried. After the
# recovery the job left 'collecting' by the dead PID must be recovered at once (its holder is
# gone; no stale-lock timeout), its worker_history row closed as 'interrupted' naming the dead
# PID, and the repo collected again with every row; nothing committed before the kill is lost
# and nothing is duplicated.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "60: fresh extension and collectors"; exit 1; }

T=60
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
TOKEN=ghp_$(printf 'aveloxisfaulttest60%s' 00000000000000000)

cleanup() { fake_config '{"slow_ms": 0, "page_size_cap": 100}' || true; }
trap cleanup EXIT

collecting_with_staged_rows() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue q WHERE q.repo_id = $RID AND q.status = 'collecting'
             AND (SELECT count(*) FROM aveloxis_ops.staging s WHERE s.repo_id = q.repo_id) >= 3")" = 1 ]
}
server_up() { [ "$(q "SELECT 1")" = 1 ]; }
killed_run_closed() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE history_id = $HIST AND finished_at IS NOT NULL")" = 1 ]; }
rerun_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST AND finished_at IS NOT NULL")" -ge 1 ]; }

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')"
PM_PID=$(head -n 1 "$AVX_PGDIR/data/postmaster.pid")
PM_START=$(q "SELECT pg_postmaster_start_time()")
check "$T: fake accepts slow_ms=300 with pages of 2" fake_config '{"slow_ms": 300, "page_size_cap": 2}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: the job is collecting and has staged pages within 30 s" wait_for 30 collecting_with_staged_rows

read -r PID HIST <<<"$(q "SELECT locked_pid || ' ' || history_id FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
read -r N_STAGED MAX_ID <<<"$(q "SELECT count(*) || ' ' || coalesce(max(staging_id), 0) FROM aveloxis_ops.staging WHERE repo_id = $RID")"
# Only a collector of this test cluster is killed: a child of its postmaster, with that title.
if [ -n "$PID" ] && [ "$(ps -o ppid= -p "$PID" | tr -d ' ')" = "$PM_PID" ] &&
    tr '\0' ' ' <"/proc/$PID/cmdline" | grep -q 'aveloxis collector'; then
    pass "$T: the job holder PID $PID is an aveloxis collector of this cluster"
else
    fail "$T: the job holder PID '$PID' is an aveloxis collector of this cluster"
    exit 1
fi
echo "# kill -KILL $PID (history_id $HIST) with $N_STAGED staged pages (staging_id <= $MAX_ID)"
T_KILL=$(date +%s.%N)
kill -KILL "$PID"
fake_config '{"slow_ms": 0}'

check "$T: the server accepts queries again within 60 s of the kill" wait_for 60 server_up
check "$T: server log: the postmaster saw PID $PID killed by signal 9 and reset the backends" \
    wait_for 10 grep -qE "\\(PID $PID\\) was terminated by signal 9" "$AVX_PGDIR/server.log"
check "$T: the killed run's worker_history row is closed within 60 s" wait_for 60 killed_run_closed
RECOVER_S=$(q "SELECT round(extract(epoch FROM finished_at) - $T_KILL, 1) FROM aveloxis_ops.worker_history WHERE history_id = $HIST")
echo "# killed run closed ${RECOVER_S} s after the kill"
check_eq "$T: the killed run's outcome" interrupted "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
H_ERR=$(q "SELECT coalesce(error, '') FROM aveloxis_ops.worker_history WHERE history_id = $HIST")
check "$T: the killed run's error names the dead PID $PID: $H_ERR" grep -qw "$PID" <<<"$H_ERR"
check "$T: the repo is collected again within 60 s of the kill" wait_for 60 rerun_done
check_eq "$T: outcome of the run after the crash" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST ORDER BY history_id DESC LIMIT 1")"
check_eq "$T: collection_status core/facade after the new run" "Success|Success" \
    "$(q "SELECT core_status || '|' || facade_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_full_counts "after kill -9 and recovery"
check_eq "$T: the $N_STAGED staging rows committed before the kill are all still there" "$N_STAGED" \
    "$(q "SELECT count(*) FROM aveloxis_ops.staging WHERE repo_id = $RID AND staging_id <= $MAX_ID")"
check_eq "$T: no staging row left unprocessed" 0 "$(q "SELECT count(*) FROM aveloxis_ops.staging WHERE repo_id = $RID AND NOT processed")"
check_eq "$T: no duplicate issues (count - count(DISTINCT issue_number))" 0 \
    "$(q "SELECT count(*) - count(DISTINCT issue_number) FROM aveloxis_data.issues WHERE repo_id = $RID")"
check_eq "$T: no duplicate pull requests (count - count(DISTINCT pr_number))" 0 \
    "$(q "SELECT count(*) - count(DISTINCT pr_number) FROM aveloxis_data.pull_requests WHERE repo_id = $RID")"
check_eq "$T: no duplicate messages" 0 \
    "$(q "SELECT count(*) - count(DISTINCT platform_msg_id) FROM aveloxis_data.messages WHERE repo_id = $RID")"
check "$T: two collectors run again after the crash" wait_for 30 avx_collectors_running 2
check "$T: the dead PID $PID is not among the collectors" bash -c '! grep -qw "$1" <<<"$2"' _ "$PID" "$(collector_pids)"
check_eq "$T: the queue row is idle again (queued, no lock)" "queued|" \
    "$(q "SELECT status || '|' || coalesce(locked_pid::text, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
echo "# pg_postmaster_start_time() before the kill: $PM_START, after: $(q "SELECT pg_postmaster_start_time()")"
