#!/usr/bin/env bash
# Benchmarks; each prints a ratio against a baseline measured in the same run, since the
# machines are noisy. Usage: bench/run_bench.sh [COMMITS]   (default 3000)
#
# 1. facade walk vs git: the facade's libgit2 walk of a generated history against
#    `git log --numstat --no-renames` on the same bare repository (time and peak memory).
# 2. staging processing vs a plain load: processing N staged issue pages into the relational
#    tables against inserting the same items into one jsonb table (see process_bench.sql).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-3000}
W=$(mktemp -d /var/tmp/avx-bench.XXXX)
trap 'rm -rf "$W"' EXIT

echo "== building bench/facade_walk (-O2)"
g++ -std=c++17 -O2 -I"$TOP/src" -o "$W/facade_walk" "$TOP/bench/facade_walk.cpp" \
    "$TOP"/src/facade/*.cpp -lgit2

echo "== generating a history of $N commits (3 files changed per commit, a merge every 50)"
python3 "$TOP/bench/make_history.py" "$N" | (mkdir -p "$W/src" && cd "$W/src" && git init -q -b main . &&
    git fast-import --quiet && git reset -q --hard main)
git clone -q --bare "$W/src" "$W/repo.git"

peak() { python3 -c 'import resource,subprocess,sys,time
t=time.perf_counter(); subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL)
print("%.3f %d" % (time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))' "$@"; }
read -r git_s git_kb < <(peak git -C "$W/repo.git" log --numstat --no-renames main)
read -r avx_s avx_kb < <(peak "$W/facade_walk" "$W/repo.git")
"$W/facade_walk" "$W/repo.git"
printf 'facade walk: %.3f s vs git log --numstat %.3f s -> time ratio %.2f; peak RSS %d KiB vs %d KiB -> %.2f\n' \
    "$avx_s" "$git_s" "$(echo "$avx_s / $git_s" | bc -l)" "$avx_kb" "$git_kb" "$(echo "$avx_kb / $git_kb" | bc -l)"
