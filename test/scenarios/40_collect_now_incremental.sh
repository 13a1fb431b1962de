#!/usr/bin/env bash
# CALL aveloxis.collect_now(): the same pipeline in the calling session, committing between
# steps; then a second run that asks only for what changed (since=) and duplicates nothing.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db
# No collectors, so the session alone collects.
avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.workers = 0" -c "SELECT pg_reload_conf()" >/dev/null
no_collectors() { ! avx_collectors_running 1; }
wait_for 30 no_collectors
avx_load_expected full aveloxis-test/full
url=https://github.com/aveloxis-test/full

out=$(avx_psql "$AVX_DB" -At -c "SET client_min_messages = notice" -c "SELECT pg_backend_pid()" -c "CALL aveloxis.collect_now('$url')" 2>&1)
session_pid=$(head -1 <<<"$out")
check "collect_now prints a summary NOTICE" grep -q "NOTICE:  $url: success" <<<"$out"
check_eq "collect_now ran in the calling session (worker_history PID)" "$session_pid" \
    "$(avx_value "$AVX_DB" "SELECT worker_pid FROM aveloxis_ops.worker_history ORDER BY history_id LIMIT 1")"
check_eq "worker_history says driver collect_now" "collect_now" \
    "$(avx_value "$AVX_DB" "SELECT driver FROM aveloxis_ops.worker_history ORDER BY history_id LIMIT 1")"
check_eq "collect_now: issues as in the file" "$(avx_value "$AVX_DB" "SELECT avx_test.expect('full.issues')")" \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.issues")"
check_eq "collect_now: messages as in the file" "$(avx_value "$AVX_DB" "SELECT avx_test.expect('full.messages')")" \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.messages")"
check "first run lists issues without since=" bash -c "curl -sf '$AVX_FAKE_URL/_fake/log' | grep -q '/issues?state=all&per_page=100\"'"

fake_reset_log
fake_config '{"page_size_cap": 2}'  # the 6 pulls would take 3 pages if read to the end
rows_before=$(avx_value "$AVX_DB" "SELECT (SELECT count(*) FROM aveloxis_data.issues) + (SELECT count(*) FROM aveloxis_data.pull_requests) + (SELECT count(*) FROM aveloxis_data.messages) + (SELECT count(*) FROM aveloxis_data.issue_labels) + (SELECT count(*) FROM aveloxis_data.commits)")
avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$url')" >/dev/null 2>&1
log=$(fake_log)
check "the second run asks for issues with since=" grep -q '/issues?state=all&per_page=100&since=' <<<"$log"
check "the second run asks for issue comments with since=" grep -q '/issues/comments?per_page=100&since=' <<<"$log"
check "the second run reads pulls newest-updated first" grep -q '/pulls?state=all&sort=updated&direction=desc' <<<"$log"
check_eq "the pulls listing stops at the first page older than the cutoff" 1 \
    "$(grep -o '"path": *"[^"]*/pulls?[^"]*"' <<<"$log" | wc -l)"
check_eq "the second run duplicates no row" "$rows_before" \
    "$(avx_value "$AVX_DB" "SELECT (SELECT count(*) FROM aveloxis_data.issues) + (SELECT count(*) FROM aveloxis_data.pull_requests) + (SELECT count(*) FROM aveloxis_data.messages) + (SELECT count(*) FROM aveloxis_data.issue_labels) + (SELECT count(*) FROM aveloxis_data.commits)")"
check_eq "repo_info keeps one current row, the previous one in history" "1 1" \
    "$(avx_value "$AVX_DB" "SELECT (SELECT count(*) FROM aveloxis_data.repo_info) || ' ' || (SELECT count(*) FROM aveloxis_data.repo_info_history)")"

# recollect() forces a full run: no since= again.
fake_reset_log
avx_psql "$AVX_DB" -c "SELECT aveloxis.recollect('$url')" -c "CALL aveloxis.collect_now('$url')" >/dev/null 2>&1
check "after recollect() the run is full again (no since=)" bash -c "curl -sf '$AVX_FAKE_URL/_fake/log' | grep -q '/issues?state=all&per_page=100\"'"
check_eq "force_full_collect is cleared by the successful full run" "f" \
    "$(avx_value "$AVX_DB" "SELECT force_full_collect FROM aveloxis_ops.collection_queue")"

# A repo whose clone fails (no mirror) still gets incremental API runs: the window starts
# at the last run whose API phase succeeded.
bad=https://github.com/aveloxis-test/badutf8
avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$bad')" >/dev/null 2>&1
fake_reset_log
avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('$bad')" >/dev/null 2>&1
check_eq "a run with a failed facade is recorded as an error" "error" \
    "$(avx_value "$AVX_DB" "SELECT outcome FROM aveloxis_ops.worker_history h WHERE repo_git = '$bad' ORDER BY history_id DESC LIMIT 1")"
check "after a failed facade the next API run is still incremental (since=)" \
    grep -q 'badutf8/issues?state=all&per_page=100&since=' <<<"$(fake_log)"

err=$(avx_psql "$AVX_DB" -c "CALL aveloxis.collect_now('https://example.org/a/b')" 2>&1)
check "collect_now refuses a foreign URL with a clear error" grep -q "not a GitHub host" <<<"$err"

avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.workers" -c "SELECT pg_reload_conf()" >/dev/null
wait_for 30 avx_collectors_running 2
check "collectors come back when aveloxis.workers is restored" avx_collectors_running 2
