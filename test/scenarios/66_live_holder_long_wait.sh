#!/usr/bin/env bash
# 66_live_holder_long_wait.sh: a job that waits for a rate-limit reset longer than
# aveloxis.stale_lock_timeout. Its collector is alive and doing what it should (waiting for the
# reset announced by the API), so the job must not be "recovered" from it and collected a second
# time by another worker: one run, no request sent into the exhausted budget by a second run,
# no worker_history row claiming that the live holder "disappeared", every row collected.
# (recover_stale_jobs promises: "A live holder's job is never taken.")
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "66: fresh extension and collectors"; exit 1; }

T=66
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
TOKEN=ghp_$(printf 'aveloxisfaulttest66%s' 00000000000000000)
STALE_S=10      # the smallest value the setting accepts
LIMIT=4
RESET_S=20      # the wait for the reset is about twice the stale-lock timeout

sighups() { grep -c 'received SIGHUP, reloading configuration files' "$AVX_PGDIR/server.log"; }
reload_and_wait() {
    local before
    before=$(sighups)
    q_ok "SELECT pg_reload_conf()"
    wait_for 10 test "$(sighups)" -gt "$before"
}
waiting_for_reset() {
    fake_log | python3 -c 'import json,sys; sys.exit(0 if any(r["ratelimit_remaining"] == 0 for r in json.load(sys.stdin)) else 1)'
}
# Nothing left to do for the repo: no run open, no collector busy with it, not due again.
settled() {
    [ "$(q "SELECT (SELECT count(*) FROM aveloxis_ops.collection_queue WHERE repo_id = $RID AND status = 'queued' AND due_at > now()) = 1
               AND (SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NULL) = 0
               AND (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND state = 'active'
                    AND query = 'collecting ' || (SELECT repo_git FROM aveloxis_data.repos WHERE repo_id = $RID)) = 0")" = t ]
}
cleanup() {
    fake_config '{"rate_limit": 5000, "rate_reset_seconds": 3600}'
    avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.stale_lock_timeout" >/dev/null 2>&1
    reload_and_wait >/dev/null
    # whatever ran twice must have ended before the next scenario starts
    [ -z "${RID:-}" ] || wait_for 60 settled || echo "# 66: runs still going at the end"
}
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')"
check "$T: aveloxis.stale_lock_timeout = $STALE_S set" avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.stale_lock_timeout = $STALE_S"
check "$T: configuration reloaded" reload_and_wait
check_eq "$T: stale_lock_timeout in effect" "${STALE_S}s" "$(q "SHOW aveloxis.stale_lock_timeout")"
check "$T: fake accepts rate_limit=$LIMIT per ${RESET_S} s" \
    fake_config "{\"rate_limit\": $LIMIT, \"rate_reset_seconds\": $RESET_S}"
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: the job used up the budget and waits for the reset (within 15 s)" wait_for 15 waiting_for_reset
read -r PID HIST <<<"$(q "SELECT locked_pid || ' ' || history_id FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
echo "# collector PID $PID (history_id $HIST) waits about $RESET_S s; stale_lock_timeout is $STALE_S s"
# Watch until every run has ended: the job is "taken from a live holder" when its first
# collector is still busy with it (pg_stat_activity: active, "collecting <repo>") while the
# queue row is no longer locked by that collector.
taken='' budget_back=''
deadline=$((SECONDS + 90))
while [ $SECONDS -lt $deadline ]; do
    state=$(q "SELECT (SELECT count(*) FROM pg_stat_activity WHERE pid = $PID AND state = 'active'
                         AND query = 'collecting ' || (SELECT repo_git FROM aveloxis_data.repos WHERE repo_id = $RID))
                      || '|' || coalesce((SELECT locked_pid::text FROM aveloxis_ops.collection_queue WHERE repo_id = $RID), '')")
    if [ "${state%%|*}" = 1 ] && [ "${state#*|}" != "$PID" ] && [ -z "$taken" ]; then
        taken="queue row locked by '${state#*|}' at +$((SECONDS - deadline + 90)) s while PID $PID still collects"
    fi
    if [ -n "$taken" ] && [ -z "$budget_back" ]; then
        fake_config '{"rate_limit": 5000}'   # let the duplicate runs end quickly
        budget_back=1
    fi
    settled && break
    sleep 0.2
done
check "$T: every run of the repo ended within 90 s" settled
check_eq "$T: job taken from its live, waiting holder" "" "$taken"
check_eq "$T: runs of the repo (one job, one run)" 1 "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID")"
check_eq "$T: worker_history rows closed by a recovery" "" \
    "$(q "SELECT string_agg(history_id || ': ' || error, '; ') FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND (error LIKE '%recovered%' OR error LIKE '%disappeared%')")"
check_eq "$T: fake log: requests answered rate_limited (a second run sending into the exhausted budget)" 0 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"] == "rate_limited"))')"
check_eq "$T: the waiting run's outcome" success "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
check_ge "$T: the waiting run counted its rate-limit wait" 1 \
    "$(q "SELECT http_stats ->> 'rate_limit_waits' FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
for key in issues pull_requests messages releases; do
    check_eq "$T: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows $key)"
done
check_eq "$T: commits = git rev-list --count HEAD of the mirror" \
    "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
    "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
