#!/usr/bin/env bash
# API keys: sent as a Bearer token, never logged; a key GitHub rejects (401) is dropped for
# another one and marked invalid so no worker uses it again.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
avx_reset_db
avx_load_expected full aveloxis-test/full
bad=ghp_rejectedrejectedrejectedrejected0001
good=ghp_acceptedacceptedacceptedaccepted0002
fake_config "{\"bad_tokens\": [\"$bad\"]}"
# The tokens go in as COPY data, as the README tells users to.
printf '%s\n%s\n' "$bad" "$good" >"$AVX_WORK/keys.txt"
chmod 644 "$AVX_WORK/keys.txt"
avx_psql "$AVX_DB" -c "CREATE TEMP TABLE k (token text)" -c "\\copy k FROM '$AVX_WORK/keys.txt'" \
    -c "SELECT aveloxis.add_key(token) FROM k ORDER BY token DESC" >/dev/null
rm -f "$AVX_WORK/keys.txt"
url=https://github.com/aveloxis-test/full
avx_value "$AVX_DB" "SELECT aveloxis.add_repo('$url')" >/dev/null
avx_wait_done "$url" 60
check_eq "the job succeeds with the remaining good key" success \
    "$(avx_value "$AVX_DB" "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_git = '$url'")"
check_eq "issues collected" "$(avx_value "$AVX_DB" "SELECT avx_test.expect('full.issues')")" \
    "$(avx_value "$AVX_DB" "SELECT count(*) FROM aveloxis_data.issues")"
check_eq "the rejected key is marked invalid, the good one is not" "t f" \
    "$(avx_value "$AVX_DB" "SELECT string_agg((invalid_at IS NOT NULL)::text, ' ' ORDER BY token = '$good') FROM aveloxis_ops.worker_oauth" | sed 's/true/t/g; s/false/f/g')"
log=$(fake_log)
check "requests carried a token (none anonymous)" bash -c "! grep -q '\"token\": *null' <<<'$log'"
check "no token appears in the server log" bash -c "! grep -q -e '$bad' -e '$good' '$AVX_PGDIR/server.log'"
