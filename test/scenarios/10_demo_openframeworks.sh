#!/usr/bin/env bash
# The demo repository through the background workers: every count comes from the fixture
# files (test/lib/expected_counts.py) or from git itself.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
if [ ! -d "$AVX_FIXTURES/github/repos/openframeworks" ]; then
    echo "ok - # SKIP the recorded dataset ($AVX_FIXTURES) is not here"
    exit 0
fi
avx_reset_db
avx_load_expected of openframeworks/openFrameworks
mirror=$AVX_WORK/mirrors/openframeworks/openFrameworks.git
branch=$(avx_git -C "$mirror" symbolic-ref --short HEAD)
avx_psql "$AVX_DB" -c "INSERT INTO avx_test.expected VALUES
    ('of.git_commits', $(avx_git -C "$mirror" rev-list --count "$branch")),
    ('of.git_merges', $(avx_git -C "$mirror" rev-list --count --merges "$branch"))"
avx_psql "$AVX_DB" -At -c "SELECT aveloxis.add_repo('https://github.com/openframeworks/openFrameworks')" >/dev/null
avx_run_pgtap "$AVX_TOP/test/pgtap/demo_openframeworks.sql"

# pg_dump keeps what was collected: a dump restored into a new database has the same rows.
dump=$AVX_WORK/demo.dump.sql
as_postgres pg_dump -h "$AVX_PGDIR" -p "$AVX_PGPORT" -d "$AVX_DB" -N avx_test -f "$dump" 2>"$AVX_WORK/pg_dump.err"
avx_psql postgres -c "DROP DATABASE IF EXISTS avx_restore" -c "CREATE DATABASE avx_restore" >/dev/null
avx_psql avx_restore -v ON_ERROR_STOP=1 -f "$dump" >/dev/null 2>"$AVX_WORK/restore.err"
check "the dump restores without errors" test ! -s "$AVX_WORK/restore.err"
for t in aveloxis_data.issues aveloxis_data.pull_requests aveloxis_data.issue_labels aveloxis_data.contributors \
    aveloxis_data.commits aveloxis_data.commit_parents aveloxis_ops.collection_queue aveloxis_ops.worker_history; do
    check_eq "pg_dump and restore keep $t" "$(avx_value "$AVX_DB" "SELECT count(*) FROM $t")" \
        "$(avx_value avx_restore "SELECT count(*) FROM $t")"
done
check_eq "after a restore new rows continue the sequences" t \
    "$(avx_value avx_restore "SELECT nextval('aveloxis_data.issues_issue_id_seq') > (SELECT max(issue_id) FROM aveloxis_data.issues)")"
avx_psql postgres -c "DROP DATABASE avx_restore" >/dev/null
