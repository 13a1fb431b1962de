#!/usr/bin/env bash
# 62_facade_failure.sh: a repository whose API data is served but whose clone fails (no mirror
# behind aveloxis.git_url_rewrite for aveloxis-test/badutf8). The API data must be kept, the
# job must end as an error whose message says it was the facade, collection_status must say
# 'Failed Clone' for the facade (and 'Success' for the API part), and the worker must survive.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "62: fresh extension and collectors"; exit 1; }

T=62
SLUG=aveloxis-test/badutf8
URL=https://github.com/$SLUG

job_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NOT NULL")" -ge 1 ]; }

rm -f "$AVX_WORK/$T.psql.err"
check "$T: precondition: no mirror for $SLUG, so its clone must fail" test ! -e "$AVX_WORK/mirrors/$SLUG.git" -a ! -e "$AVX_WORK/mirrors/$SLUG"
check_eq "$T: precondition: aveloxis.facade_enabled" on "$(q "SHOW aveloxis.facade_enabled")"
avx_load_expected bad "$SLUG"
PIDS_BEFORE=$(collector_pids)
PM_START=$(q "SELECT pg_postmaster_start_time()")
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 job_done

check_eq "$T: job outcome when the clone fails" error "$(last_run outcome)"
ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis.queue WHERE repo_id = $RID")
echo "# last_error: $ERR"
check "$T: last_error says the facade failed ('facade:')" grep -q "facade:" <<<"$ERR"
check_eq "$T: worker_history error = queue last_error" "$ERR" "$(last_run "coalesce(error, '')")"
check_eq "$T: collection_status.facade_status" "Failed Clone" \
    "$(q "SELECT facade_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_eq "$T: collection_status.core_status (the API part worked)" Success \
    "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_eq "$T: API data kept: issues = fixture count" "$(q "SELECT avx_test.expect('bad.issues')")" \
    "$(q "SELECT count(*) FROM aveloxis_data.issues WHERE repo_id = $RID")"
check_eq "$T: API data kept: repo_info row from repo.json" 1 \
    "$(q "SELECT count(*) FROM aveloxis_data.repo_info WHERE repo_id = $RID")"
check_eq "$T: no commits for a repo that could not be cloned" 0 \
    "$(q "SELECT count(*) FROM aveloxis_data.commits WHERE repo_id = $RID")"
check_eq "$T: the repo stays queued for a retry (not dequeued, not left collecting)" "queued|" \
    "$(q "SELECT status || '|' || coalesce(locked_pid::text, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
worker=$(last_run worker_pid)
check "$T: the collector that ran the job (PID $worker) is still alive" \
    test "$(q "SELECT count(*) FROM pg_stat_activity WHERE pid = ${worker:-0} AND backend_type = 'aveloxis collector'")" = 1
check_eq "$T: the same collector PIDs before and after" "$PIDS_BEFORE" "$(collector_pids)"
check_eq "$T: pg_postmaster_start_time() unchanged" "$PM_START" "$(q "SELECT pg_postmaster_start_time()")"
