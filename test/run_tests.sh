#!/usr/bin/env bash
# The whole test suite (what .ci/run runs). As root on a Debian 12 machine:
#   test/run_tests.sh
# installs the packages, builds, runs static checks, unit tests, the API fake's self-test,
# the pg_regress SQL API tests, and the pgTAP and shell tests against background workers in a
# throwaway cluster. Prints "N passed, N failed" last; exits non-zero on any failure.
set -uo pipefail
AVX_TOP=$(cd "$(dirname "$0")/.." && pwd)
export AVX_TOP
cd "$AVX_TOP"
source test/lib/cluster.sh
source test/lib/tap.sh
source test/lib/env.sh
WORK=${AVX_TEST_WORK:-/var/tmp/aveloxis-tests}

section() { printf '\n== %s\n' "$*"; }

section "packages"
if [ "$(id -u)" = 0 ]; then
    check "packages installed" bash test/install_deps.sh
fi

section "build"
make -s clean >/dev/null 2>&1
if make -s 2>"$WORK.build.log" && ! grep -q "warning:" "$WORK.build.log"; then
    pass "extension builds with no warnings"
else
    cat "$WORK.build.log"
    fail "extension builds with no warnings"
fi
check "extension installs" make -s install
bash test/check_static.sh >"$WORK.static.tap" 2>&1
cat "$WORK.static.tap"
count_tap_file "$WORK.static.tap"

section "unit tests (GoogleTest)"
if make -s test/unit/run_unit; then
    ./test/unit/run_unit --gtest_brief=1 >"$WORK.unit.log" 2>&1
    tail -3 "$WORK.unit.log"
    n_ok=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$WORK.unit.log")
    n_bad=$(grep -c '^\[  FAILED  \] [A-Za-z]' "$WORK.unit.log")
    AVX_PASSED=$((AVX_PASSED + ${n_ok:-0}))
    if [ "${n_bad:-0}" -gt 0 ] || [ -z "$n_ok" ]; then
        grep '^\[  FAILED  \]' "$WORK.unit.log"
        fail "unit tests: ${n_bad:-?} failed"
    fi
else
    fail "unit tests build"
fi

section "API fake self-test"
if python3 -m unittest test.fake_api.test_fake_github >"$WORK.fake.log" 2>&1; then
    pass "fake API self-test ($(grep -Eo 'Ran [0-9]+ tests' "$WORK.fake.log"))"
else
    tail -30 "$WORK.fake.log"
    fail "fake API self-test"
fi

section "integration environment"
trap avx_env_down EXIT
if ! avx_env_up "$WORK"; then
    fail "test cluster and API fake start"
    tap_summary
    exit 1
fi
pass "test cluster (PostgreSQL $(avx_value postgres 'SHOW server_version')) and API fake start"

section "pg_regress: SQL API"
bash test/run_regress.sh >"$WORK.regress.log" 2>&1
rc=$?
cat "$WORK.regress.log"
if [ $rc -eq 0 ]; then pass "pg_regress SQL API tests"; else fail "pg_regress SQL API tests"; fi

section "pgTAP and shell tests through the background workers"
for t in test/scenarios/*.sh; do
    section "$(basename "$t")"
    bash "$t" >"$WORK.$(basename "$t").log" 2>&1
    rc=$?
    cat "$WORK.$(basename "$t").log"
    count_tap_file "$WORK.$(basename "$t").log"
    [ $rc -eq 0 ] || fail "$(basename "$t") exited with status $rc"
done

tap_summary
[ "$AVX_FAILED" -eq 0 ]
