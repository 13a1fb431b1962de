#!/usr/bin/env bash
# Answers that must not be taken for a gone repository, and the bounds on one listing:
#  - a 403 that is not a terms-of-service block (SAML enforcement) fails the job, the repo
#    stays queued; GitHub's TOS block dequeues it;
#  - a wrong aveloxis.github_api_url (404 for everything) fails the job, nothing is dequeued;
#  - a listing stops after aveloxis.max_pages_per_listing pages, with an error saying so;
#  - CALL collect_now fails (non-zero psql exit) when the run had errors, keeps the data, and
#    brings a dequeued repository back when asked for it by name.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db
status_of() { avx_value "$AVX_DB" "SELECT status || ' ' || repo_archived FROM aveloxis.queue WHERE repo_git = '$1'"; }
run_outcome() { avx_value "$AVX_DB" "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_git = '$1' ORDER BY history_id DESC LIMIT 1"; }
restore() {
    avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.github_api_url" -c "ALTER SYSTEM RESET aveloxis.max_pages_per_listing" \
        -c "ALTER SYSTEM RESET aveloxis.workers" -c "SELECT pg_reload_conf()" >/dev/null
    fake_config '{"page_size_cap": 100}'
}
trap restore EXIT
# collect_now alone, so every run below is this session's
avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.workers = 0" -c "SELECT pg_reload_conf()" >/dev/null
no_collectors() { ! avx_collectors_running 1; }
wait_for 30 no_collectors

saml=https://github.com/aveloxis-test/saml
avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$saml')" >/dev/null 2>&1
check_eq "a SAML 403 fails the job" error "$(run_outcome $saml)"
check_eq "... and the repo stays queued, not archived" "queued false" "$(status_of $saml | sed 's/ f$/ false/')"
tos=https://github.com/aveloxis-test/tos-blocked
avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$tos')" >/dev/null 2>&1
check_eq "a terms-of-service block dequeues and archives the repo" "dequeued true" "$(status_of $tos | sed 's/ t$/ true/')"

full=https://github.com/aveloxis-test/full
avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.github_api_url = '$AVX_FAKE_URL/api/v3'" -c "SELECT pg_reload_conf()" >/dev/null
err=$(avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$full')" 2>&1)
rc=$?
check "with a wrong API base URL collect_now fails (psql exit $rc)" test $rc -ne 0
check "... naming the setting" grep -q "aveloxis.github_api_url" <<<"$err"
check_eq "... and the repo is not dequeued" "queued false" "$(status_of $full | sed 's/ f$/ false/')"
avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.github_api_url" -c "SELECT pg_reload_conf()" >/dev/null

fake_config '{"page_size_cap": 3}'
avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.max_pages_per_listing = 2" -c "SELECT pg_reload_conf()" >/dev/null
err=$(avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$full')" 2>&1)
rc=$?
check "a run with errors fails the CALL (psql exit $rc)" test $rc -ne 0
check "the error says the listing stopped at the page bound" grep -q "stopped after 2 pages (aveloxis.max_pages_per_listing)" <<<"$err"
check_eq "at most 2 pages of 3 items of issues were read" 6 \
    "$(avx_value "$AVX_DB" "SELECT sum(jsonb_array_length(payload)) FROM aveloxis_ops.staging WHERE entity_type = 'issues'")"
check "what was collected is kept" test "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.issues")" -gt 0

# asking for a dequeued repository by name collects it again
runs_before=$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_git = '$tos'")
out=$(avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$tos')" 2>&1)
check "collect_now runs a dequeued repo again (no 'being collected' error)" bash -c "! grep -q 'being collected' <<<'$out'"
check_eq "... one more run recorded" $((runs_before + 1)) \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_git = '$tos'")"
