#!/usr/bin/env bash
# pg_regress tests of the SQL API (sql/api*.sql against expected/api*.out) on the running test
# cluster given by AVX_PGDIR (socket directory) and AVX_PGPORT, as the postgres user. Called by
# test/run_tests.sh after avx_env_up; by hand:
#   source test/lib/cluster.sh test/lib/tap.sh test/lib/env.sh; avx_env_up /var/tmp/avx-regress
#   bash test/run_regress.sh [test ...]
# pg_regress creates (and drops first) its own database contrib_regression, which no background
# worker ever touches. Exits with pg_regress's status; prints regression.diffs on failure.
set -uo pipefail
AVX_TOP=${AVX_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export AVX_TOP
# shellcheck source=test/lib/cluster.sh
source "$AVX_TOP/test/lib/cluster.sh"

: "${AVX_PGDIR:?AVX_PGDIR (socket directory of the test cluster) is not set; run avx_env_up first}"
: "${AVX_PGPORT:?AVX_PGPORT (port of the test cluster) is not set; run avx_env_up first}"

PG_REGRESS=${PG_REGRESS:-/usr/lib/postgresql/15/lib/pgxs/src/test/regress/pg_regress}
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || TESTS=(api api_security)

# pg_regress writes results/ and regression.diffs as postgres; the sources only need reading.
OUTDIR=$(mktemp -d "${TMPDIR:-/tmp}/avx-regress.XXXXXX")
chown postgres: "$OUTDIR" 2>/dev/null || true
chmod 755 "$OUTDIR"

cd "$OUTDIR" && as_postgres "$PG_REGRESS" \
    --bindir="$PG_BIN" \
    --inputdir="$AVX_TOP" \
    --outputdir="$OUTDIR" \
    --dbname=contrib_regression \
    --user=postgres \
    --host="$AVX_PGDIR" \
    --port="$AVX_PGPORT" \
    "${TESTS[@]}"
rc=$?

if [ $rc -ne 0 ]; then
    if [ -f "$OUTDIR/regression.diffs" ]; then
        echo "---- $OUTDIR/regression.diffs"
        cat "$OUTDIR/regression.diffs"
    fi
    echo "pg_regress failed (status $rc); its output is kept in $OUTDIR"
else
    rm -rf "$OUTDIR"
fi
exit $rc
