# Shell helpers for tests and the demo: a throwaway PostgreSQL cluster run as the postgres
# user, and the GitHub API fake. Source this file; it sets no options of the caller.

AVX_TOP=${AVX_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AVX_SHARED=${AVX_SHARED:-$(cd "$AVX_TOP/.." && pwd)/shared}
AVX_FIXTURES=${AVX_FIXTURES:-$AVX_SHARED/fixtures/recorded}
AVX_SYNTHETIC=$AVX_TOP/test/fixtures/synthetic
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Runs a command as the postgres user (the server refuses to run as root).
as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

# A port nobody listens on.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# cluster_init DIR PORT: initdb into DIR/data (owned by postgres), socket in DIR.
cluster_init() {
    local dir=$1 port=$2
    mkdir -p "$dir"
    chown postgres: "$dir" 2>/dev/null || true
    chmod 755 "$dir"
    as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log"; return 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$dir'
shared_preload_libraries = 'aveloxis'
max_worker_processes = 16
log_line_prefix = '%m [%p] %b '
fsync = off
CONF
    AVX_PGDIR=$dir AVX_PGPORT=$port
    export AVX_PGDIR AVX_PGPORT
}

# cluster_conf 'name = value' ...: appends settings (before start, or then cluster_reload).
cluster_conf() {
    local line
    for line in "$@"; do echo "$line" >>"$AVX_PGDIR/data/postgresql.conf"; done
}

cluster_start() {
    as_postgres "$PG_BIN/pg_ctl" -D "$AVX_PGDIR/data" -l "$AVX_PGDIR/server.log" -w -t 60 start >/dev/null
}

cluster_stop() {
    [ -n "${AVX_PGDIR:-}" ] && [ -f "$AVX_PGDIR/data/postmaster.pid" ] &&
        as_postgres "$PG_BIN/pg_ctl" -D "$AVX_PGDIR/data" -m fast -w -t 60 stop >/dev/null 2>&1
    return 0
}

cluster_reload() { as_postgres "$PG_BIN/pg_ctl" -D "$AVX_PGDIR/data" reload >/dev/null; }

# psql against the cluster, as postgres: avx_psql DB [psql args...]
avx_psql() {
    local db=$1
    shift
    PGOPTIONS="-c client_min_messages=warning" as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$AVX_PGDIR" -p "$AVX_PGPORT" -d "$db" "$@"
}

# One value: avx_value DB 'SELECT ...'
avx_value() { avx_psql "$1" -At -c "$2"; }

# fake_start LOGFILE DATASET... [-- extra fake options]: starts the GitHub fake on a free port.
fake_start() {
    local log=$1
    shift
    local args=() opts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=(--dataset "$1"); shift; done
    [ "${1:-}" = -- ] && shift && opts=("$@")
    local portfile
    portfile=$(mktemp)
    rm -f "$portfile"
    python3 "$AVX_TOP/test/fake_api/fake_github.py" "${args[@]}" --host 127.0.0.1 --port 0 \
        --port-file "$portfile" --log "$log" "${opts[@]}" >"$log.stderr" 2>&1 &
    AVX_FAKE_PID=$!
    local i
    for i in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.1; done
    [ -s "$portfile" ] || { echo "fake API did not start:"; cat "$log.stderr"; return 1; }
    AVX_FAKE_PORT=$(cat "$portfile")
    AVX_FAKE_URL=http://127.0.0.1:$AVX_FAKE_PORT
    rm -f "$portfile"
    export AVX_FAKE_PID AVX_FAKE_PORT AVX_FAKE_URL
}

fake_stop() { [ -n "${AVX_FAKE_PID:-}" ] && kill "$AVX_FAKE_PID" 2>/dev/null; wait "$AVX_FAKE_PID" 2>/dev/null; return 0; }

# fake_config '{"fail_5xx": 2}': changes the fake's fault switches at run time.
fake_config() {
    curl -sf -X POST -H 'Content-Type: application/json' -d "$1" "$AVX_FAKE_URL/_fake/config" >/dev/null
}
fake_reset_log() { curl -sf -X POST "$AVX_FAKE_URL/_fake/reset-log" >/dev/null; }
fake_log() { curl -sf "$AVX_FAKE_URL/_fake/log"; }

# A bare copy of a git repository in a directory postgres owns (CI's clone may be root-owned,
# shallow, or under a path postgres cannot traverse).
bare_copy() {
    local src=$1 dest=$2
    rm -rf "$dest"
    git clone -q --bare --no-local "$src" "$dest"
    chown -R postgres: "$dest"
}

# git CLI on postgres-owned repositories, as root (git refuses other owners' repositories).
avx_git() { git -c safe.directory='*' "$@"; }
