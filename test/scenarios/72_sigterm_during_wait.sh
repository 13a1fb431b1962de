#!/usr/bin/env bash
# 72_sigterm_during_wait.sh: SIGTERM to a collector that is waiting for a rate-limit reset a
# minute away. The wait must be cut short: the job is released ('interrupted') within a few
# seconds, long before the reset, and collected completely once the budget is back.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "72: fresh extension and collectors"; exit 1; }

T=72
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
TOKEN=ghp_$(printf 'aveloxisfaulttest72%s' 00000000000000000)
LIMIT=2
RESET_S=60

waiting_for_reset() {
    fake_log | python3 -c 'import json,sys; sys.exit(0 if any(r["ratelimit_remaining"] == 0 for r in json.load(sys.stdin)) else 1)'
}
released() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue WHERE repo_id = $RID AND status = 'queued' AND locked_pid IS NULL")" = 1 ]
}
rerun_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST AND finished_at IS NOT NULL")" -ge 1 ]; }
cleanup() { fake_config '{"rate_limit": 5000, "rate_reset_seconds": 3600}'; }
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')"
check "$T: fake accepts rate_limit=$LIMIT per ${RESET_S} s" \
    fake_config "{\"rate_limit\": $LIMIT, \"rate_reset_seconds\": $RESET_S}"
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: the job used up the budget (within 15 s)" wait_for 15 waiting_for_reset
# The budget's reset, from the fake's log: the window opened with the first request.
RESET_AT=$(fake_log | python3 -c 'import json,math,sys; print(math.ceil(min(r["ts"] for r in json.load(sys.stdin)) + float(sys.argv[1])))' "$RESET_S")
read -r PID HIST <<<"$(q "SELECT locked_pid || ' ' || history_id FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
check_eq "$T: the job is still held by a collector" "aveloxis collector" "$(q "SELECT backend_type FROM pg_stat_activity WHERE pid = ${PID:-0}")"
q_ok "UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 hour' WHERE repo_id = $RID"
T_TERM=$(date +%s.%N)
echo "# SIGTERM to PID $PID, $(python3 -c "print(round($RESET_AT - $T_TERM))") s before the reset"
q_ok "SELECT pg_terminate_backend($PID)"
check "$T: the waiting job is released within 5 s of SIGTERM" wait_for 5 released
check "$T: released before the rate-limit reset (the wait was cut short)" \
    test "$(python3 -c "import time; print(int(time.time() < $RESET_AT))")" = 1
check_eq "$T: the run's outcome" interrupted "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
LAST_ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")
check "$T: released by its collector, not by stale-lock recovery (last_error: $LAST_ERR)" test "${LAST_ERR#recovered}" = "$LAST_ERR"
check "$T: collection_status.core_status no longer 'Collecting' after the release ($(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID"))" \
    test "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")" != Collecting
check_eq "$T: fake log: nothing was sent into the exhausted budget" 0 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"] == "rate_limited"))')"
check "$T: a replacement collector runs (2 collectors) within 15 s" wait_for 15 avx_collectors_running 2

check "$T: fake accepts a fresh budget" fake_config '{"rate_limit": 5000, "rate_reset_seconds": 3600}'
check "$T: aveloxis.prioritize() accepted" q_ok "SELECT aveloxis.prioritize('$URL')"
check "$T: the job is collected again within 60 s" wait_for 60 rerun_done
check_eq "$T: outcome of the new run" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST ORDER BY history_id DESC LIMIT 1")"
for key in issues pull_requests messages releases; do
    check_eq "$T: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows $key)"
done
check_eq "$T: commits = git rev-list --count HEAD of the mirror" \
    "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
    "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
