# The integration test environment: the API fake serving the recorded and synthetic datasets,
# git mirrors for the facade, and a cluster with aveloxis preloaded whose workers collect into
# database aveloxis_test. Source after cluster.sh and tap.sh.

AVX_DB=aveloxis_test

# avx_env_up WORKDIR: everything up; exports AVX_WORK, AVX_PGDIR, AVX_PGPORT, AVX_FAKE_URL.
avx_env_up() {
    AVX_WORK=$1
    export AVX_WORK
    rm -rf "$AVX_WORK"
    mkdir -p "$AVX_WORK/mirrors" "$AVX_WORK/clones"
    chown -R postgres: "$AVX_WORK"
    chmod 755 "$AVX_WORK"

    local datasets=("$AVX_SYNTHETIC")
    [ -d "$AVX_FIXTURES" ] && datasets=("$AVX_FIXTURES" "$AVX_SYNTHETIC")
    fake_start "$AVX_WORK/fake.log" "${datasets[@]}" || return 1

    avx_make_mirrors

    cluster_init "$AVX_WORK/pg" "$(free_port)" || return 1
    cluster_conf "aveloxis.database = '$AVX_DB'" \
        "aveloxis.workers = 2" \
        "aveloxis.github_api_url = '$AVX_FAKE_URL'" \
        "aveloxis.allowed_hosts = 'github.com,gitlab.com,127.0.0.1:$AVX_FAKE_PORT'" \
        "aveloxis.git_url_rewrite = 'https://github.com/=$AVX_WORK/mirrors/'" \
        "aveloxis.clone_dir = '$AVX_WORK/clones'" \
        "aveloxis.poll_interval = 200" \
        "aveloxis.retry_base_delay = 50" \
        "aveloxis.retry_max_delay = 500" \
        "aveloxis.secondary_limit_wait = 1000" \
        "aveloxis.key_reserve = 0"
    cluster_start || { tail -20 "$AVX_WORK/pg/server.log"; return 1; }
    avx_psql postgres -c "CREATE DATABASE $AVX_DB" || return 1
    avx_reset_db
}

avx_env_down() {
    cluster_stop
    fake_stop
}

# Mirrors the facade clones through aveloxis.git_url_rewrite:
#   openframeworks/openFrameworks -> a bare copy of this project's own repository;
#   aveloxis-test/full            -> a small repository made here with every numstat case.
# Other repositories have no mirror, so their clone fails (a test of that path).
avx_make_mirrors() {
    mkdir -p "$AVX_WORK/mirrors/openframeworks" "$AVX_WORK/mirrors/aveloxis-test"
    bare_copy "$AVX_TOP" "$AVX_WORK/mirrors/openframeworks/openFrameworks.git"
    bash "$AVX_TOP/test/lib/make_git_repo.sh" "$AVX_WORK/src-full" >/dev/null
    bare_copy "$AVX_WORK/src-full" "$AVX_WORK/mirrors/aveloxis-test/full.git"
}

# A fresh extension in aveloxis_test (the launcher restarts the collectors when it sees it),
# the fake's faults off and its log emptied, and the test helpers loaded.
avx_reset_db() {
    avx_psql "$AVX_DB" -c "DROP EXTENSION IF EXISTS aveloxis CASCADE" -c "DROP SCHEMA IF EXISTS aveloxis CASCADE" \
        -c "CREATE EXTENSION aveloxis" \
        -c "DROP SCHEMA IF EXISTS avx_test CASCADE" >/dev/null || return 1
    avx_psql "$AVX_DB" -f "$AVX_TOP/test/sql_helpers/test_helpers.sql" >/dev/null || return 1
    rm -rf "$AVX_WORK/clones"/*
    fake_config '{"fail_5xx": 0, "secondary_limit": 0, "slow_ms": 0, "malformed_path_re": null, "page_size_cap": 100, "rate_limit": 5000, "rate_reset_seconds": 3600}'
    fake_reset_log
    wait_for 30 avx_collectors_running 2
}

# avx_collectors_running N: N collectors are connected to aveloxis_test.
avx_collectors_running() {
    [ "$(avx_value "$AVX_DB" "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND datname = '$AVX_DB'")" -ge "$1" ]
}

# avx_load_expected PREFIX OWNER/REPO: expected counts from the dataset files.
avx_load_expected() {
    local datasets=("$AVX_SYNTHETIC")
    [ -d "$AVX_FIXTURES" ] && datasets=("$AVX_FIXTURES" "$AVX_SYNTHETIC")
    python3 "$AVX_TOP/test/lib/expected_counts.py" "$1" "$2" "${datasets[@]}" | avx_psql "$AVX_DB" >/dev/null
}

# avx_wait_collected URL TIMEOUT: the repo's last run finished (any outcome) after now.
avx_wait_done() {
    local url=$1 timeout=${2:-60}
    wait_for "$timeout" avx_job_finished "$url"
}
avx_job_finished() {
    [ "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_ops.worker_history h JOIN aveloxis_data.repos r USING (repo_id) WHERE lower(r.repo_git) = lower('$1') AND h.finished_at IS NOT NULL")" -ge 1 ]
}

# Runs one pgTAP file against aveloxis_test and counts its results.
avx_run_pgtap() {
    local file=$1 out
    out="$AVX_WORK/$(basename "$file" .sql).tap"
    avx_psql "$AVX_DB" -At -v ON_ERROR_STOP=0 -f "$file" >"$out" 2>&1
    cat "$out"
    count_tap_file "$out"
}
