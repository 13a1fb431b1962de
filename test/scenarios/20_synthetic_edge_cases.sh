#!/usr/bin/env bash
# Every path of the pipeline the real recording lacks, on the synthetic dataset
# (test/fixtures/synthetic): the pulls list, multi-page comments and issues (pages of 5),
# releases, duplicate ids in one batch, \u0000 escapes, invalid UTF-8, a ghost user, a rename,
# a 404, and a repository with nothing but its repo object.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db
fake_config '{"page_size_cap": 5}'
avx_load_expected full aveloxis-test/full
avx_load_expected badutf8 aveloxis-test/badutf8
syn=$AVX_SYNTHETIC/github/repos/aveloxis-test
# Values the extension must store, taken from the files with Python's JSON parser (which
# turns \u0000 into a NUL that PostgreSQL text cannot hold: the extension drops it).
python3 - "$syn" <<'PY' | avx_psql "$AVX_DB" >/dev/null
import json, sys
d = sys.argv[1]
issues = {i["number"]: i for i in json.load(open(d + "/full/issues.json"))}
def q(s): return "'" + s.replace("'", "''") + "'"
print("CREATE TABLE avx_test.expected_text (key text PRIMARY KEY, value text);")
print("INSERT INTO avx_test.expected_text VALUES (%s, %s);" % (q("issue4_body"), q(issues[4]["body"].replace("\0", ""))))
print("INSERT INTO avx_test.expected_text VALUES (%s, %s);" % (q("issue5_title"), q(issues[5]["title"])))
print("CREATE TABLE avx_test.listed_contributors (user_id bigint);")
for c in json.load(open(d + "/full/contributors.json")):
    print("INSERT INTO avx_test.listed_contributors VALUES (%d);" % c["id"])
bad = json.load(open(d + "/badtype/issues.json"))
print("INSERT INTO avx_test.expected VALUES ('badtype.storable_issues', %d);"
      % sum(1 for i in bad if isinstance(i["number"], int)))
pages = (len(json.load(open(d + "/full/issues_comments.json"))) + 4) // 5
print("INSERT INTO avx_test.expected VALUES ('full.comment_pages', %d);" % pages)
PY
for r in aveloxis-test/full aveloxis-test/badutf8 aveloxis-test/empty aveloxis-test/badtype \
    octokit-fixture-org/rename-repository aveloxis-test/does-not-exist; do
    avx_value "$AVX_DB" "SELECT aveloxis.add_repo('https://github.com/$r')" >/dev/null
done
avx_run_pgtap "$AVX_TOP/test/pgtap/synthetic_edge_cases.sql"

# The item set aside does not block the repository: the next run completes and stores the
# good items again, without duplicates.
badtype=https://github.com/aveloxis-test/badtype
avx_value "$AVX_DB" "SELECT aveloxis.prioritize('$badtype')" >/dev/null
second_run_done() { [ "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_git = '$badtype' AND finished_at IS NOT NULL")" -ge 2 ]; }
wait_for 60 second_run_done
check "badtype: a second run finished" second_run_done
check_eq "badtype: after the second run still only the storable issues, once each" \
    "$(avx_value "$AVX_DB" "SELECT avx_test.expect('badtype.storable_issues')")" \
    "$(avx_value "$AVX_DB" "SELECT count(DISTINCT issue_number) || '' FROM aveloxis_data.issues i JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_git = '$badtype' HAVING count(*) = count(DISTINCT issue_number)")"
check_eq "badtype: no staged page left waiting" 0 \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_ops.staging s JOIN aveloxis_data.repos r USING (repo_id) WHERE r.repo_git = '$badtype' AND NOT processed AND error IS NULL")"
