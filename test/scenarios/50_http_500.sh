#!/usr/bin/env bash
# 50_http_500.sh: the API answers its first two requests with 500 Server Error. The collector
# retries with backoff and the job ends as a success with every row of the dataset; the fake's
# own log shows exactly the two 500 answers, each followed by a 200 for the same path.
# Then a 500 that outlasts aveloxis.http_max_retries (2 here) on the releases listing: exactly
# 1 + 2 requests to it, the job ends as an error naming the listing and the retries, the worker
# survives and the rows of the first run stay.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "50: fresh extension and collectors"; exit 1; }

T=50
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git

sighups() { grep -c 'received SIGHUP, reloading configuration files' "$AVX_PGDIR/server.log"; }
reload_and_wait() {
    local before
    before=$(sighups)
    q "SELECT pg_reload_conf()" >/dev/null
    wait_for 10 test "$(sighups)" -gt "$before"
}
cleanup() {
    fake_config '{"fail_5xx": 0, "fail_5xx_path_re": null}' || true
    avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.http_max_retries" >/dev/null 2>&1
    reload_and_wait >/dev/null
}
trap cleanup EXIT

# Rows of the collected repo against the counts computed from the fixture files (and git).
avx_load_expected full aveloxis-test/full
check "$T: fake accepts fail_5xx=2" fake_config '{"fail_5xx": 2}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 runs_done 1

check_eq "$T: job outcome after two 500 answers" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"
check_eq "$T: queue row has no last_error" "" "$(q "SELECT coalesce(last_error, '') FROM aveloxis.queue WHERE repo_id = $RID")"
check_eq "$T: worker_history http_stats.retries counts the two retried 500 answers" 2 \
    "$(q "SELECT http_stats ->> 'retries' FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"
check_full_counts "after two 500 answers"

LOG=$(fake_log)
check_eq "$T: fake log: exactly 2 answers with fault 5xx" 2 \
    "$(python3 -c 'import json,sys; print(sum(1 for r in json.loads(sys.argv[1]) if r["fault"] == "5xx"))' "$LOG")"
check_eq "$T: fake log: every 500 answer is status 500" "" \
    "$(python3 -c 'import json,sys; print(" ".join(r["path"] for r in json.loads(sys.argv[1]) if r["fault"] == "5xx" and r["status"] != 500))' "$LOG")"
# For each 5xx answer, a later request of the same path answered 200 (the retry succeeded).
unretried=$(python3 - "$LOG" <<'PY'
import json, sys
log = sorted(json.loads(sys.argv[1]), key=lambda r: r["ts"])
bad = []
for i, r in enumerate(log):
    if r["fault"] == "5xx" and not any(x["path"] == r["path"] and x["status"] == 200 and x["ts"] > r["ts"]
                                       for x in log[i + 1:]):
        bad.append(r["path"])
print(" ".join(bad))
PY
)
check_eq "$T: fake log: each 500 is followed by a 200 for the same path (paths left without one)" "" "$unretried"

# A 500 that outlasts the retries.
RETRIES=2
check "$T: aveloxis.http_max_retries = $RETRIES set" avx_psql "$AVX_DB" -c "ALTER SYSTEM SET aveloxis.http_max_retries = $RETRIES"
check "$T: configuration reloaded" reload_and_wait
check "$T: fake accepts a persistent 500 on the releases listing" \
    fake_config '{"fail_5xx": 1000, "fail_5xx_path_re": "/releases"}'
fake_reset_log
PIDS_BEFORE=$(q "SELECT string_agg(pid::text, ' ' ORDER BY pid) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND datname = '$AVX_DB'")
check "$T: aveloxis.recollect() accepted" q_ok "SELECT aveloxis.recollect('$URL')"
check "$T: the second run finishes within 60 s" wait_for 60 runs_done 2
check_eq "$T: outcome when a 500 outlasts the retries" error "$(last_run outcome)"
ERR=$(last_run "coalesce(error, '')")
echo "# error: $ERR"
check "$T: the error names the releases listing, the 500 and the $RETRIES retries" \
    grep -qE "releases.*500.*after $RETRIES retries" <<<"$ERR"
check_eq "$T: fake log: requests to the releases listing = 1 + http_max_retries" $((RETRIES + 1)) \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if "/releases" in r["path"]))')"
check_eq "$T: worker_history http_stats.retries of the second run" "$RETRIES" "$(last_run "http_stats ->> 'retries'")"
check_eq "$T: the same collector PIDs after the failed run" "$PIDS_BEFORE" \
    "$(q "SELECT string_agg(pid::text, ' ' ORDER BY pid) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND datname = '$AVX_DB'")"
check_eq "$T: collection_status.core_status after the failed run" Error \
    "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_full_counts "rows of the first run kept after the failed run"
