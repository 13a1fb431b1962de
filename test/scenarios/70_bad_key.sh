#!/usr/bin/env bash
# 70_bad_key.sh: an API key the platform rejects (401 Bad credentials). With that key alone the
# job fails with a message about the key (no anonymous fallback behind the admin's back), and
# the key is marked invalid in aveloxis_ops.worker_oauth (invalid_at: "set when the platform
# answered 401 for it"), so later jobs do not send it again. With a good key added, the next
# run succeeds without a single request carrying the rejected key.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "70: fresh extension and collectors"; exit 1; }

T=70
URL=https://github.com/aveloxis-test/full
BAD=ghp_$(printf 'aveloxisrejected70%s' 000000000000000000)
GOOD=ghp_$(printf 'aveloxisaccepted70%s' 000000000000000000)

hash_of() { python3 -c 'import hashlib,sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest()[:10])' "$1"; }
# requests in the fake's log made with a token: log_count TOKEN [STATUS]
log_count() {
    fake_log | python3 -c '
import json, sys
h, st = sys.argv[1], (int(sys.argv[2]) if len(sys.argv) > 2 else None)
print(sum(1 for r in json.load(sys.stdin) if r["token"] == h and (st is None or r["status"] == st)))' "$(hash_of "$1")" "${@:2}"
}
cleanup() { fake_config '{"bad_tokens": []}'; }
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
check "$T: fake rejects the bad token" fake_config "{\"bad_tokens\": [\"$BAD\"]}"
q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token, label) VALUES (1, '$BAD', 'rejected')"
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: run 1 (only the rejected key) finishes within 60 s" wait_for 60 runs_done 1
check_eq "$T: run 1 outcome with only a rejected key" error "$(last_run outcome)"
ERR=$(last_run "coalesce(error, '')")
echo "# run 1 error: $ERR"
check "$T: run 1 error says the key was rejected" grep -qiE "key|credential|401" <<<"$ERR"
check_eq "$T: run 1 sent the rejected key once (one 401)" 1 "$(log_count "$BAD" 401)"
check_eq "$T: run 1 sent no anonymous request" 0 \
    "$(fake_log | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["token"] is None))')"
check_eq "$T: the rejected key is marked invalid (worker_oauth.invalid_at set)" 1 \
    "$(q "SELECT count(*) FROM aveloxis_ops.worker_oauth WHERE label = 'rejected' AND invalid_at IS NOT NULL")"
check_eq "$T: the token is not in the job's error text" 0 "$(grep -c -- "$BAD" <<<"$ERR")"

q_ok "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token, label) VALUES (1, '$GOOD', 'accepted')"
fake_reset_log
check "$T: aveloxis.recollect() accepted" q_ok "SELECT aveloxis.recollect('$URL')"
check "$T: run 2 (rejected + good key) finishes within 60 s" wait_for 60 runs_done 2
check_eq "$T: run 2 outcome" success "$(last_run outcome)"
check_eq "$T: run 2 sent no request with the key rejected in run 1" 0 "$(log_count "$BAD")"
check_ge "$T: run 2 used the good key" 1 "$(log_count "$GOOD" 200)"
for key in issues pull_requests messages releases; do
    check_eq "$T: run 2: $key rows = fixture count" "$(q "SELECT avx_test.expect('full.$key')")" "$(count_rows $key)"
done
check_eq "$T: no token appears in the server log" 0 \
    "$(grep -c -e "$BAD" -e "$GOOD" "$AVX_PGDIR/server.log")"
