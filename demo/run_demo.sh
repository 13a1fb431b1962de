#!/usr/bin/env bash
# The aveloxis demo, as root on a new Debian 12 machine:
#
#   demo/run_demo.sh                    collect the bundled recording of openFrameworks
#   demo/run_demo.sh --token-file F URL collect a live repository from github.com
#                                       (F holds a GitHub token; untested here: these
#                                       machines have no internet)
#
# Installs the packages, builds and installs the extension, starts a throwaway PostgreSQL
# cluster as the postgres user on a free port with aveloxis preloaded, and (offline mode)
# the API fake on ../shared/fixtures/recorded. The git history collected is a bare copy of
# this project's own repository, reached through aveloxis.git_url_rewrite. It adds the
# repository, waits for the background workers, and prints the rows collected per table.
# --keep leaves the cluster running and prints how to connect.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
AVX_TOP=$TOP
source "$TOP/test/lib/cluster.sh"

token_file="" url="" keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --token-file) token_file=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) url=$1; shift ;;
    esac
done
live=0
[ -n "$url" ] && live=1
[ $live = 1 ] && [ -z "$token_file" ] && { echo "a live collection needs --token-file"; exit 2; }
[ $live = 0 ] && url=https://github.com/openframeworks/openFrameworks

echo "== installing packages and building"
[ "$(id -u)" = 0 ] && bash "$TOP/test/install_deps.sh"
make -C "$TOP" -s
make -C "$TOP" -s install

WORK=${AVELOXIS_DEMO_DIR:-/var/tmp/aveloxis-demo}
cleanup() { [ $keep = 1 ] || { cluster_stop; fake_stop; }; }
trap cleanup EXIT
cluster_stop 2>/dev/null || true
rm -rf "$WORK"
mkdir -p "$WORK/clones"
chown -R postgres: "$WORK"
chmod 755 "$WORK"

cluster_init "$WORK/pg" "$(free_port)"
cluster_conf "aveloxis.database = 'aveloxis_demo'" "aveloxis.workers = 2" \
    "aveloxis.clone_dir = '$WORK/clones'"
if [ $live = 0 ]; then
    [ -d "$AVX_FIXTURES" ] || { echo "the recorded dataset is not at $AVX_FIXTURES"; exit 1; }
    echo "== starting the GitHub API fake on $AVX_FIXTURES"
    fake_start "$WORK/fake.log" "$AVX_FIXTURES"
    mkdir -p "$WORK/mirrors/openframeworks"
    bare_copy "$TOP" "$WORK/mirrors/openframeworks/openFrameworks.git"
    cluster_conf "aveloxis.github_api_url = '$AVX_FAKE_URL'" \
        "aveloxis.allowed_hosts = 'github.com,127.0.0.1:$AVX_FAKE_PORT'" \
        "aveloxis.git_url_rewrite = 'https://github.com/openframeworks/openFrameworks.git=$WORK/mirrors/openframeworks/openFrameworks.git'"
fi
echo "== starting PostgreSQL on port $AVX_PGPORT (socket $WORK/pg)"
cluster_start
avx_psql postgres -c "CREATE DATABASE aveloxis_demo"
avx_psql aveloxis_demo -c "CREATE EXTENSION aveloxis"
if [ -n "$token_file" ]; then
    # The token travels as COPY data: it is never part of a statement's text, so it cannot
    # show up in the server log or pg_stat_activity.
    avx_psql aveloxis_demo -c "CREATE TEMP TABLE new_key (token text)" \
        -c "\\copy new_key FROM '$token_file'" -c "SELECT aveloxis.add_key(btrim(token)) FROM new_key" >/dev/null
fi

echo "== adding $url; waiting for the background workers"
avx_psql aveloxis_demo -At -c "SELECT 'repo_id ' || aveloxis.add_repo('$url')"
start=$SECONDS
until [ "$(avx_value aveloxis_demo "SELECT count(*) FROM aveloxis_ops.worker_history WHERE finished_at IS NOT NULL")" -ge 1 ]; do
    [ $((SECONDS - start)) -lt 1800 ] || { echo "no job finished in 30 minutes"; exit 1; }
    sleep 1
done
echo "== collected in $((SECONDS - start)) s"
avx_psql aveloxis_demo -c "SELECT history_id, driver, worker_name, worker_pid, backend_type, outcome,
        finished_at - started_at AS took, http_requests, coalesce(error, '') AS error
    FROM aveloxis_ops.worker_history"
avx_psql aveloxis_demo -c "SELECT n.nspname || '.' || c.relname AS table_name,
        (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS rows
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('aveloxis_data', 'aveloxis_ops') AND c.relkind = 'r'
      AND c.relname <> 'worker_oauth'
    ORDER BY 1"
avx_psql aveloxis_demo -c "SELECT repo_git, status, core_status, facade_status, issues, pull_requests, messages, releases, commits, last_error FROM aveloxis.queue"
if [ $keep = 1 ]; then
    echo "cluster left running: psql -h $WORK/pg -p $AVX_PGPORT -U postgres aveloxis_demo"
    echo "stop it with: runuser -u postgres -- $PG_BIN/pg_ctl -D $WORK/pg/data stop"
fi
