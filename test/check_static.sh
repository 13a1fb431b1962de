#!/usr/bin/env bash
# Static checks of the build and the sources; one TAP line each.
set -uo pipefail
cd "$(dirname "$0")/.."
source test/lib/tap.sh

# C++ name mangling would hide these from PostgreSQL (PLATFORM_NOTES: _PG_init silently
# never called).
syms=$(nm -D --defined-only aveloxis.so | awk '{print $3}')
missing=""
for s in _PG_init Pg_magic_func aveloxis_launcher_main aveloxis_collector_main; do
    grep -qx "$s" <<<"$syms" || missing+=" $s"
done
for f in $(grep -ho "'MODULE_PATHNAME', '[a-z_]*'" sql/install/*.sql | sed "s/.*, '\(.*\)'/\1/"); do
    grep -qx "$f" <<<"$syms" || missing+=" $f"
    grep -qx "pg_finfo_$f" <<<"$syms" || missing+=" pg_finfo_$f"
done
check_eq "entry points exported unmangled (_PG_init, magic block, pg_finfo_*, workers)" "" "$missing"

undefined=$(ldd -r aveloxis.so 2>&1 | grep 'undefined symbol' | grep -E '_Z|cxa|gxx' | head -3)
check_eq "no undefined C++ runtime symbols in aveloxis.so" "" "$undefined"

pure_with_pg=$(grep -lE '#include +"(postgres|pg/|fmgr|executor/|utils/)' src/util/* src/http/* src/platform/*.* src/platform/*/* src/facade/* 2>/dev/null)
check_eq "pure C++ (util, http, platform, facade) includes no PostgreSQL header" "" "$pure_with_pg"

unformatted=""
for f in src/*/*.[ch]pp src/*/*/*.[ch]pp test/unit/*.cpp; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || unformatted+=" $f"
done
check_eq "clang-format clean (.clang-format)" "" "$unformatted"

if cppcheck --quiet --enable=warning,performance,portability --std=c++17 --language=c++ \
    --error-exitcode=1 --inline-suppr -Isrc --suppress=missingIncludeSystem \
    src/util src/http src/platform src/facade >/tmp/avx-cppcheck.log 2>&1; then
    pass "cppcheck clean on the pure C++"
else
    cat /tmp/avx-cppcheck.log
    fail "cppcheck clean on the pure C++"
fi
