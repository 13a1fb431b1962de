# Helpers shared by the fault scenarios (test/scenarios/5x-7x). A scenario sets T (its number,
# used in messages and for the psql error file), RID (the repo_id under test) and MIRROR (that
# repo's git mirror) before calling them. Queries send their errors to a side file, so a
# scenario can poll through a crash restart.

q() { avx_value "$AVX_DB" "$1" 2>>"$AVX_WORK/$T.psql.err"; }
q_ok() { q "$1" >/dev/null; }
count_rows() { q "SELECT count(*) FROM aveloxis_data.$1 WHERE repo_id = $RID"; }
collector_pids() { q "SELECT string_agg(pid::text, ' ' ORDER BY pid) FROM pg_stat_activity WHERE backend_type = 'aveloxis collector' AND datname = '$AVX_DB'"; }
last_run() { q "SELECT $1 FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1"; }
runs_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NOT NULL")" -ge "$1" ]; }

# Every entity of aveloxis-test/full against the fixture counts, and the commits against git.
check_full_counts() {
    local what=$1 key
    for key in issues pull_requests messages releases; do
        check_eq "$T: $what: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows "$key")"
    done
    check_eq "$T: $what: commits = git rev-list --count HEAD of the mirror" \
        "$(avx_git --git-dir="$MIRROR" rev-list --count HEAD)" \
        "$(q "SELECT count(DISTINCT cmt_commit_hash) FROM aveloxis_data.commits WHERE repo_id = $RID")"
}
