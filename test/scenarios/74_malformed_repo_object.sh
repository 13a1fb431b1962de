#!/usr/bin/env bash
# 74_malformed_repo_object.sh: the repository object itself (GET /repos/{o}/{r}, prelim)
# answers 200 with a truncated, non-JSON body. The job must end as an error that says what
# could not be stored, the per-phase status must not claim the repo is still 'Collecting', the
# worker must survive, and with the fault cleared a recollection must bring everything.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "74: fresh extension and collectors"; exit 1; }

T=74
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git

cleanup() { fake_config '{"malformed_path_re": null}'; }
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
PIDS_BEFORE=$(collector_pids)
check "$T: fake accepts a malformed repo object" fake_config '{"malformed_path_re": "^/repos/aveloxis-test/full$"}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job within 60 s" wait_for 60 runs_done 1
check_eq "$T: fake log: the repo GET was answered malformed" 1 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"] == "malformed" and r["path"] == "/repos/aveloxis-test/full"))')"
check_eq "$T: job outcome with a malformed repo object" error "$(last_run outcome)"
ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")
echo "# last_error: $ERR"
check "$T: last_error says it was the repo object that could not be stored" grep -qiE "repo(sitory)? object.*not stored" <<<"$ERR"
check_eq "$T: collection_status.core_status after the failed run (not 'Collecting')" Error \
    "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_eq "$T: queue row idle (queued, no lock)" "queued|" \
    "$(q "SELECT status || '|' || coalesce(locked_pid::text, '') FROM aveloxis_ops.collection_queue WHERE repo_id = $RID")"
check_eq "$T: the same collector PIDs before and after" "$PIDS_BEFORE" "$(collector_pids)"

check "$T: fake accepts the fault cleared" fake_config '{"malformed_path_re": null}'
check "$T: aveloxis.recollect() accepted" q_ok "SELECT aveloxis.recollect('$URL')"
check "$T: the recollection finishes within 60 s" wait_for 60 runs_done 2
check_eq "$T: recollection outcome" success "$(last_run outcome)"
check_eq "$T: collection_status core/facade after the recollection" "Success|Success" \
    "$(q "SELECT core_status || '|' || facade_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
for key in issues pull_requests messages releases; do
    check_eq "$T: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows $key)"
done
check_eq "$T: commits = git rev-list --count HEAD of the mirror" \
    "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
    "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
