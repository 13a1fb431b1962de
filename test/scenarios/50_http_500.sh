#!/usr/bin/env bash
# 50_http_500.sh: the API answers its first two requests with 500 Server Error. The collector
# retries with backoff and the job ends as a success with every row of the dataset; the fake's
# own log shows exactly the two 500 answers, each followed by a 200 for the same path.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db || { fail "50: fresh extension and collectors"; exit 1; }

T=50
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git

q() { avx_value "$AVX_DB" "$1" 2>>"$AVX_WORK/$T.psql.err"; }
job_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NOT NULL")" -ge 1 ]; }
cleanup() { fake_config '{"fail_5xx": 0}' || true; }
trap cleanup EXIT

# Rows of the collected repo against the counts computed from the fixture files (and git).
check_full_counts() {
    local what=$1 key table
    for key in issues pull_requests messages releases; do
        table=$key
        check_eq "$T: $what: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" \
            "$(q "SELECT count(*) FROM aveloxis_data.$table WHERE repo_id = $RID")"
    done
    check_eq "$T: $what: commits = git rev-list --count HEAD of the mirror" \
        "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
        "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
}

avx_load_expected full aveloxis-test/full
check "$T: fake accepts fail_5xx=2" fake_config '{"fail_5xx": 2}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 job_done

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
