#!/usr/bin/env bash
# 56_malformed_page.sh: pages of 3 items, and page 2 of the issue listing of aveloxis-test/full
# answers 200 with a truncated, non-JSON body (correct Link headers). The job must not stop
# there nor take the worker down: the other issue pages, the other listings and the facade
# complete, the job ends as an error naming the page that was not stored, and the same worker
# goes on. With the fault cleared, aveloxis.recollect() brings the repo to the full counts.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "56: fresh extension and collectors"; exit 1; }

T=56
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
CAP=3
BAD_PAGE=2
TOKEN=ghp_$(printf 'aveloxisfaulttest56%s' 00000000000000000)

cleanup() { fake_config '{"malformed_path_re": null, "page_size_cap": 100}' || true; }
trap cleanup EXIT

# Plain issues the fake serves on the pages other than BAD_PAGE: the issue list of the dataset
# files (later dataset wins), in the fake's documented order for state=all with no sort given
# (created desc, stable), cut into pages of CAP.
issues_outside_bad_page() {
    python3 - "$CAP" "$BAD_PAGE" "$AVX_FIXTURES" "$AVX_SYNTHETIC" <<'PY'
import json, os, sys
from datetime import datetime, timezone
cap, bad = int(sys.argv[1]), int(sys.argv[2])
items = []
for d in reversed(sys.argv[3:]):
    p = os.path.join(d, "github/repos/aveloxis-test/full/issues.json")
    if os.path.exists(p):
        items = json.loads(open(p, "rb").read().decode("utf-8", "replace"))
        break
def created(it):
    s = it.get("created_at")
    if not s:
        return datetime.min.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(s.replace("Z", "+00:00"))
def is_pr(it):
    pr = it.get("pull_request")
    return isinstance(pr, dict) and (pr.get("url") is not None or pr.get("html_url") is not None)
items = sorted(items, key=created, reverse=True)
pages = [items[i:i + cap] for i in range(0, len(items), cap)]
print(len({it["number"] for n, page in enumerate(pages, 1) if n != bad for it in page if not is_pr(it)}))
PY
}

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
# A key, so the two runs of about 15 requests each stay clear of the anonymous budget.
q "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')" >/dev/null
PIDS_BEFORE=$(collector_pids)
PM_START=$(q "SELECT pg_postmaster_start_time()")
check "$T: fake accepts page_size_cap=$CAP and a malformed issues page $BAD_PAGE" \
    fake_config "{\"page_size_cap\": $CAP, \"malformed_path_re\": \"/issues\\\\?(.*&)?page=$BAD_PAGE(&|\$)\"}"
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 runs_done 1

check_eq "$T: fake log: exactly one malformed answer" 1 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"] == "malformed"))')"
check_eq "$T: fake log: the malformed answer was issues page $BAD_PAGE" 1 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["fault"] == "malformed" and "/issues?" in r["path"] and "&page='$BAD_PAGE'" in r["path"]))')"
check_eq "$T: job outcome with a malformed page" error "$(last_run outcome)"
ERR=$(q "SELECT coalesce(last_error, '') FROM aveloxis.queue WHERE repo_id = $RID")
echo "# last_error: $ERR"
check "$T: last_error names the issues page $BAD_PAGE" grep -qE "issues page $BAD_PAGE\\b.*page=$BAD_PAGE" <<<"$ERR"
check "$T: last_error says the page was not stored" grep -q "not stored" <<<"$ERR"
check_eq "$T: worker_history error = queue last_error" "$ERR" "$(last_run "coalesce(error, '')")"
check_eq "$T: collection_status.core_status after the bad page" Error \
    "$(q "SELECT core_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"

want_issues=$(issues_outside_bad_page)
got_issues=$(count_rows issues)
check_ge "$T: issues from the other pages landed" 1 "$got_issues"
check "$T: fewer issues than the dataset holds (page $BAD_PAGE missing: $got_issues < $(q "SELECT avx_test.expect('full.issues')"))" \
    test "$got_issues" -lt "$(q "SELECT avx_test.expect('full.issues')")"
check_eq "$T: issues = plain issues the fixture has on the pages other than $BAD_PAGE" "$want_issues" "$got_issues"
for key in pull_requests messages releases; do
    check_eq "$T: $key complete despite the bad issues page" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows $key)"
done
check_eq "$T: facade completed (commits = git rev-list --count HEAD)" \
    "$(git -c safe.directory='*' --git-dir="$MIRROR" rev-list --count HEAD)" \
    "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
check_eq "$T: the bad page left no staging row behind" 0 \
    "$(q "SELECT count(*) FROM aveloxis_ops.staging WHERE repo_id = $RID AND NOT processed")"

worker=$(last_run worker_pid)
check "$T: the collector that ran the job (PID $worker) was one of those before" grep -qw "$worker" <<<"$PIDS_BEFORE"
check_eq "$T: the same collector PIDs before and after" "$PIDS_BEFORE" "$(collector_pids)"
check_eq "$T: pg_postmaster_start_time() unchanged (no crash restart)" "$PM_START" "$(q "SELECT pg_postmaster_start_time()")"

# The fault cleared, a forced recollection brings everything.
check "$T: fake accepts the fault cleared" fake_config '{"malformed_path_re": null}'
check "$T: aveloxis.recollect() accepted" q_ok "SELECT aveloxis.recollect('$URL')"
check "$T: the recollection finishes within 60 s" wait_for 60 runs_done 2
check_eq "$T: recollection outcome" success "$(last_run outcome)"
check_eq "$T: recollection clears last_error" "" "$(q "SELECT coalesce(last_error, '') FROM aveloxis.queue WHERE repo_id = $RID")"
check_eq "$T: collection_status core/facade after the recollection" "Success|Success" \
    "$(q "SELECT core_status || '|' || facade_status FROM aveloxis_ops.collection_status WHERE repo_id = $RID")"
check_full_counts "after recollect"
check_eq "$T: after recollect: comments linked to their issues = fixture issue_messages" \
    "$(q "SELECT avx_test.expect('full.issue_messages')")" \
    "$(q "SELECT count(*) FROM aveloxis_data.issue_message_ref WHERE repo_id = $RID")"
check_eq "$T: after recollect: no duplicate issue numbers" 0 \
    "$(q "SELECT count(*) - count(DISTINCT issue_number) FROM aveloxis_data.issues WHERE repo_id = $RID")"
