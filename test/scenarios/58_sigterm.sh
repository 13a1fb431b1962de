#!/usr/bin/env bash
# 58_sigterm.sh: pg_terminate_backend (SIGTERM) of a collector in the middle of a slow job.
# The collector must stop the transfer, release its job itself (queued again, no lock, due time
# unchanged, worker_history 'interrupted' - not left for the stale-lock recovery), keep the
# pages it had staged, and exit; the launcher starts a replacement; once the API is fast again
# the job is collected completely.
#
# To see the released row as 'queued' before another collector takes it again, the test moves
# the row's due time an hour ahead while the job runs (an interrupted job keeps its due time),
# then makes it due with aveloxis.prioritize() once the checks are done.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "58: fresh extension and collectors"; exit 1; }

T=58
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
TOKEN=ghp_$(printf 'aveloxisfaulttest58%s' 00000000000000000)

cleanup() { fake_config '{"slow_ms": 0, "page_size_cap": 100}' || true; }
trap cleanup EXIT

collecting_with_staged_rows() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue q WHERE q.repo_id = $RID AND q.status = 'collecting'
             AND (SELECT count(*) FROM aveloxis_ops.staging s WHERE s.repo_id = q.repo_id) >= 2")" = 1 ]
}
released() {
    [ "$(q "SELECT count(*) FROM aveloxis_ops.collection_queue WHERE repo_id = $RID AND status = 'queued' AND locked_pid IS NULL")" = 1 ]
}
pid_gone() { [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = $1")" = 0 ]; }
replaced() { avx_collectors_running 2 && ! grep -qw "$1" <<<"$(collector_pids)"; }
rerun_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $1 AND finished_at IS NOT NULL")" -ge 1 ]; }

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')"
PM_START=$(q "SELECT pg_postmaster_start_time()")
check "$T: fake accepts slow_ms=300 with pages of 2" fake_config '{"slow_ms": 300, "page_size_cap": 2}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: the job is collecting and has staged pages within 30 s" wait_for 30 collecting_with_staged_rows

read -r PID HIST <<<"$(q "SELECT locked_pid || ' ' || history_id FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
check_eq "$T: the job holder PID $PID is an aveloxis collector" "aveloxis collector" \
    "$(q "SELECT backend_type FROM pg_stat_activity WHERE pid = ${PID:-0}")"
DUE=$(q "UPDATE aveloxis_ops.collection_queue SET due_at = now() + interval '1 hour' WHERE repo_id = $RID RETURNING due_at")
read -r N_STAGED MAX_ID <<<"$(q "SELECT count(*) || ' ' || coalesce(max(staging_id), 0) FROM aveloxis_ops.staging WHERE repo_id = $RID")"
echo "# terminating collector PID $PID (history_id $HIST) with $N_STAGED staged pages"
T_TERM=$(q "SELECT extract(epoch FROM clock_timestamp())")
q_ok "SELECT pg_terminate_backend($PID)"

check "$T: the job is released (queued, no locked_pid) within 10 s of SIGTERM" wait_for 10 released
check "$T: the terminated collector PID $PID exits" wait_for 10 pid_gone "$PID"
check_eq "$T: queue row after SIGTERM: status, locker, locker start" "queued|||" \
    "$(q "SELECT status || '|' || coalesce(locked_by, '') || '|' || coalesce(locked_pid::text, '') || '|' || coalesce(locked_backend_start::text, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
check_eq "$T: due time of the interrupted job unchanged" "$DUE" \
    "$(q "SELECT due_at FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
LAST_ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")
check "$T: released by the collector itself, not by stale-lock recovery (last_error: $LAST_ERR)" \
    test "${LAST_ERR#recovered}" = "$LAST_ERR"
check_eq "$T: worker_history of the terminated run: outcome, worker PID" "interrupted|$PID" \
    "$(q "SELECT outcome || '|' || worker_pid FROM aveloxis_ops.worker_history WHERE history_id = $HIST")"
H_ERR=$(q "SELECT coalesce(error, '') FROM aveloxis_ops.worker_history WHERE history_id = $HIST")
check "$T: worker_history error tells the run was stopped (not a vanished holder): $H_ERR" \
    bash -c '[[ "$1" == *stop* && "$1" != *disappeared* ]]' _ "$H_ERR"
TERM_MS=$(q "SELECT (1000 * (extract(epoch FROM finished_at) - $T_TERM))::bigint FROM aveloxis_ops.worker_history WHERE history_id = $HIST")
check "$T: the run was closed by its collector within 5000 ms of SIGTERM (${TERM_MS} ms)" \
    test "${TERM_MS:-99999}" -ge 0 -a "${TERM_MS:-99999}" -lt 5000
check_eq "$T: the $N_STAGED pages staged before SIGTERM are still there, unprocessed" "$N_STAGED" \
    "$(q "SELECT count(*) FROM aveloxis_ops.staging WHERE repo_id = $RID AND staging_id <= $MAX_ID AND NOT processed")"
check "$T: collection_status.core_status no longer 'Collecting' after the release ($(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID"))" \
    test "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")" != Collecting
check "$T: the launcher starts a replacement collector (2 collectors, $PID not among them) within 15 s" \
    wait_for 15 replaced "$PID"
check_eq "$T: pg_postmaster_start_time() unchanged (SIGTERM is no crash)" "$PM_START" "$(q "SELECT pg_postmaster_start_time()")"

# The API fast again, the job made due: it completes, starting with the kept pages.
check "$T: fake accepts slow_ms=0" fake_config '{"slow_ms": 0}'
check "$T: aveloxis.prioritize() accepted" q_ok "SELECT aveloxis.prioritize('$URL')"
check "$T: the job is collected again within 60 s" wait_for 60 rerun_done "$HIST"
check_eq "$T: outcome of the run after the interruption" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND history_id > $HIST ORDER BY history_id DESC LIMIT 1")"
check_full_counts "after SIGTERM and a new run"
check_eq "$T: no staging row left unprocessed" 0 "$(q "SELECT count(*) FROM aveloxis_ops.staging WHERE repo_id = $RID AND NOT processed")"
check_eq "$T: no duplicate issue numbers" 0 \
    "$(q "SELECT count(*) - count(DISTINCT issue_number) FROM aveloxis_data.issues WHERE repo_id = $RID")"
