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
