#!/usr/bin/env bash
# 68_launcher_sigterm.sh: pg_terminate_backend (SIGTERM) of the aveloxis launcher while a
# collector runs a slow job. The launcher stops its collectors, which release their jobs
# ('interrupted', not left for recovery); then a launcher must come back by itself (it is
# registered with a restart time of 5 s) and start the collectors again, so collection goes on
# without anyone calling aveloxis.start_workers() or restarting the server.
# If no launcher comes back, the cluster is restarted at the end so later scenarios have workers.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "68: fresh extension and collectors"; exit 1; }

T=68
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
TOKEN=ghp_$(printf 'aveloxisfaulttest68%s' 00000000000000000)

launcher_pid() { q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'aveloxis launcher' AND datname = '$AVX_DB'"; }
collector_count() { q "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND datname = '$AVX_DB'"; }
new_launcher() { local p; p=$(launcher_pid); [ -n "$p" ] && [ "$p" != "$1" ]; }
collecting_with_staged_rows() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue q WHERE q.repo_id = $RID AND q.status = 'collecting'
             AND (SELECT count(*) FROM aveloxis_ops.staging s WHERE s.repo_id = q.repo_id) >= 2")" = 1 ]
}
released() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue WHERE repo_id = $RID AND status = 'queued' AND locked_pid IS NULL")" = 1 ]
}
collectors_gone() { [ "$(collector_count)" = 0 ]; }
rerun_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST AND finished_at IS NOT NULL")" -ge 1 ]; }
RESTART=
cleanup() {
    fake_config '{"slow_ms": 0, "page_size_cap": 100}'
    if [ -n "$RESTART" ] || [ -z "$(launcher_pid)" ]; then
        echo "# 68: restarting the test cluster to get the launcher back"
        cluster_stop
        cluster_start
        wait_for 30 avx_collectors_running 2 || echo "# 68: no collectors after the restart"
    fi
}
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')"
LPID=$(launcher_pid)
check "$T: a launcher runs (PID $LPID)" test -n "$LPID"
check "$T: fake accepts slow_ms=300 with pages of 2" fake_config '{"slow_ms": 300, "page_size_cap": 2}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: the job is collecting and has staged pages within 30 s" wait_for 30 collecting_with_staged_rows
read -r PID HIST <<<"$(q "SELECT locked_pid || ' ' || history_id FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
# Keep the released row visible as queued (an interrupted job keeps its due time).
q_ok "UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 hour' WHERE repo_id = $RID"
echo "# terminating launcher PID $LPID while collector PID $PID runs history_id $HIST"
q_ok "SELECT pg_terminate_backend($LPID)"

check "$T: the job is released (queued, no locked_pid) within 10 s" wait_for 10 released
check_eq "$T: the released run: outcome" interrupted "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
LAST_ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")
check "$T: released by its collector, not by stale-lock recovery (last_error: $LAST_ERR)" test "${LAST_ERR#recovered}" = "$LAST_ERR"
check "$T: collection_status.core_status no longer 'Collecting' after the release ($(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID"))" \
    test "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")" != Collecting
check "$T: the old collectors are stopped with the launcher" wait_for 10 collectors_gone
if wait_for 20 new_launcher "$LPID"; then
    pass "$T: a new launcher runs within 20 s of SIGTERM (restart time 5 s): PID $(launcher_pid)"
else
    fail "$T: a new launcher runs within 20 s of SIGTERM (restart time 5 s): none; collection has stopped"
    tail -n 5 "$AVX_PGDIR/server.log" | sed 's/^/# server.log: /'
    RESTART=1
    cleanup
    RESTART=
fi
check "$T: two collectors run again" wait_for 30 avx_collectors_running 2

check "$T: fake accepts slow_ms=0" fake_config '{"slow_ms": 0}'
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
