#!/usr/bin/env bash
# Processing benchmark: staged issue-list pages into the relational tables
# (aveloxis_ops.process_staged: contributors, issues, PRs, labels, assignees) against a
# baseline that only expands the same pages into rows (jsonb_array_elements into a table).
# The pages are the 1,283 real openFrameworks items, renumbered into COPIES copies.
# Usage: bench/process_bench.sh [COPIES]  (default 20: 25,660 items, 260 pages)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
AVX_TOP=$TOP
source "$TOP/test/lib/cluster.sh"
COPIES=${1:-20}
W=/var/tmp/avx-process-bench
trap cluster_stop EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
rm -rf "$W"
mkdir -p "$W"
chown postgres: "$W"
cluster_init "$W/pg" "$(free_port)"
sed -i "s/^shared_preload_libraries.*//" "$W/pg/data/postgresql.conf"
cluster_start
avx_psql postgres -c "CREATE DATABASE bench" -d postgres >/dev/null
avx_psql bench -c "CREATE EXTENSION aveloxis" -c "SELECT aveloxis.add_repo('https://github.com/openframeworks/openFrameworks')" >/dev/null
python3 - "$AVX_FIXTURES/github/repos/openframeworks/openFrameworks/issues.json" "$COPIES" >"$W/pages.copy" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))
copies = int(sys.argv[2])
out = []
for c in range(copies):
    for it in items:
        it = dict(it, number=it["number"] + 100000 * c, id=it["id"] + 10**9 * c)
        out.append(it)
for i in range(0, len(out), 100):
    page = json.dumps(out[i:i + 100]).replace("\\", "\\\\")
    print("1\t1\tissues\t%s" % page)
PY
chmod 644 "$W/pages.copy"
avx_psql bench -c "\\copy aveloxis_ops.staging (repo_id, platform_id, entity_type, payload) FROM '$W/pages.copy'"
pages=$(avx_value bench "SELECT count(*) FROM aveloxis_ops.staging")
items=$(avx_value bench "SELECT sum(jsonb_array_length(payload)) FROM aveloxis_ops.staging")
ms() { avx_psql bench -At -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1; }
base=$(ms "CREATE TABLE expanded AS SELECT s.staging_id, e.item FROM aveloxis_ops.staging s, jsonb_array_elements(s.payload) e(item)")
proc=$(ms "DO \$\$ BEGIN WHILE aveloxis_ops.process_staged(1, 'issues', 20) > 0 LOOP END LOOP; END \$\$")
issues=$(avx_value bench "SELECT (SELECT count(*) FROM aveloxis_data.issues) + (SELECT count(*) FROM aveloxis_data.pull_requests)")
printf 'processing %d pages, %d items (%d issue+PR rows): %.0f ms vs expanding only %.0f ms -> ratio %.1f; %.0f items/s\n' \
    "$pages" "$items" "$issues" "$proc" "$base" "$(echo "$proc / $base" | bc -l)" "$(echo "$items * 1000 / $proc" | bc -l)"
