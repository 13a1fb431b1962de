#!/usr/bin/env bash
# 54_rate_limit_wait.sh: one API key with a budget of 4 requests per 5 s window (the fake's
# rate_limit / rate_reset_seconds) and key_reserve 0. Collecting aveloxis-test/full needs more
# requests than one window holds, so the job must stop sending when the budget is used up, wait
# for the reset announced in x-ratelimit-reset, and go on. Checked from the fake's own log:
# no request was answered "rate limited", and none was sent between the moment the budget ran
# out and the reset; the job still ends with every row.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "54: fresh extension and collectors"; exit 1; }

T=54
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git
LIMIT=4
RESET_S=5
TOKEN=ghp_$(printf 'aveloxisfaulttest54%s' 00000000000000000)   # ghp_ + 36 characters

job_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NOT NULL")" -ge 1 ]; }

# ALTER SYSTEM + reload, then wait until the postmaster has processed the SIGHUP (it relays it
# to the workers right after; an idle collector reloads before its next claim).
sighups() { grep -c 'received SIGHUP, reloading configuration files' "$AVX_PGDIR/server.log"; }
set_gucs() {
    local before setting
    before=$(sighups)
    for setting in "$@"; do avx_psql "$AVX_DB" -c "ALTER SYSTEM SET $setting" || return 1; done
    q "SELECT pg_reload_conf()" >/dev/null
    wait_for 10 test "$(sighups)" -gt "$before"
}
reset_gucs() {
    local before
    before=$(sighups)
    avx_psql "$AVX_DB" -c "ALTER SYSTEM RESET aveloxis.key_reserve" -c "SELECT pg_reload_conf()" >/dev/null 2>&1
    wait_for 10 test "$(sighups)" -gt "$before" >/dev/null
}
cleanup() {
    fake_config '{"rate_limit": 5000, "rate_reset_seconds": 3600}' || true
    reset_gucs
}
trap cleanup EXIT

rm -f "$AVX_WORK/$T.psql.err"
avx_load_expected full aveloxis-test/full
check_eq "$T: the test token has the shape ghp_ + 36 characters" 40 "${#TOKEN}"
if err=$(avx_value "$AVX_DB" "SELECT aveloxis.add_key('$TOKEN')" 2>&1 >/dev/null) && [ -z "$err" ]; then
    pass "$T: aveloxis.add_key stores the token"
else
    fail "$T: aveloxis.add_key stores the token (${err%%$'\n'*})"
    # Go on with the key stored directly, so the rate-limit handling is still tested.
    q "INSERT INTO aveloxis_ops.worker_oauth (platform_id, token) VALUES (1, '$TOKEN')" >/dev/null
fi
check_eq "$T: one valid GitHub key stored" 1 \
    "$(q "SELECT count(*) FROM aveloxis_ops.worker_oauth WHERE platform_id = 1 AND invalid_at IS NULL")"
check "$T: key_reserve 0 set and reloaded" set_gucs "aveloxis.key_reserve = 0"
check "$T: fake accepts rate_limit=$LIMIT per ${RESET_S} s" \
    fake_config "{\"rate_limit\": $LIMIT, \"rate_reset_seconds\": $RESET_S}"
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 job_done

check_eq "$T: job outcome with a budget smaller than the job" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"
check_full_counts "after waiting for the rate-limit reset"
check_ge "$T: worker_history http_stats.rate_limit_waits" 1 \
    "$(q "SELECT http_stats ->> 'rate_limit_waits' FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"

# The fake's log, replayed with the fake's window rule: a window opens at the first request of
# the token (reset = ceil(start + rate_reset_seconds)); a request at or after the reset opens
# the next one. Results: one "key=value" per line.
LOG=$(fake_log)
n_requests='' n_anonymous='' n_rate_limited='' n_windows='' n_exhausted_windows='' max_per_window='' n_inside_wait='' first_wait_ms=0
eval "$(python3 - "$LOG" "$TOKEN" "$LIMIT" "$RESET_S" <<'PY'
import hashlib, json, math, sys
log = sorted(json.loads(sys.argv[1]), key=lambda r: r["ts"])
tok = hashlib.sha1(sys.argv[2].encode()).hexdigest()[:10]
limit, reset_s = int(sys.argv[3]), float(sys.argv[4])
api = [r for r in log if not r["path"].startswith("/rate_limit")]
windows = []          # [start, reset_at, [requests]]
for r in api:
    if not windows or r["ts"] >= windows[-1][1]:
        windows.append([r["ts"], math.ceil(r["ts"] + reset_s), []])
    windows[-1][2].append(r)
inside = 0            # requests sent after the budget ran out and before the reset
first_wait = 0.0
for start, reset_at, reqs in windows:
    exhausted = [r for r in reqs if r["ratelimit_remaining"] == 0 and r["fault"] is None]
    if exhausted:
        t0 = exhausted[0]["ts"]
        inside += sum(1 for r in api if t0 < r["ts"] < reset_at)
        if not first_wait:
            first_wait = reset_at - t0
print("n_requests=%d" % len(api))
print("n_anonymous=%d" % sum(1 for r in api if r["token"] != tok))
print("n_rate_limited=%d" % sum(1 for r in api if r["fault"] == "rate_limited" or r["status"] in (403, 429)))
print("n_windows=%d" % len(windows))
print("max_per_window=%d" % max((len(w[2]) for w in windows), default=0))
print("n_exhausted_windows=%d" % sum(1 for w in windows if any(r["ratelimit_remaining"] == 0 for r in w[2])))
print("n_inside_wait=%d" % inside)
print("first_wait_ms=%d" % int(first_wait * 1000))
PY
)"
check_ge "$T: fake log: the job needed more requests than one window's budget of $LIMIT" $((LIMIT + 1)) "$n_requests"
check_eq "$T: fake log: requests not made with the added key" 0 "$n_anonymous"
check_eq "$T: fake log: requests answered rate_limited (sent into an exhausted budget)" 0 "$n_rate_limited"
check_ge "$T: fake log: rate windows used" 2 "$n_windows"
check_ge "$T: fake log: windows whose budget was used up to remaining 0" 1 "$n_exhausted_windows"
check_eq "$T: fake log: most requests in one window = the budget" "$LIMIT" "$max_per_window"
check_eq "$T: fake log: requests between the budget running out and the reset" 0 "$n_inside_wait"
dur_ms=$(q "SELECT (extract(epoch FROM finished_at - started_at) * 1000)::bigint FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")
check_ge "$T: job duration (ms) covers the wait from exhaustion to the reset (${first_wait_ms} ms)" "$first_wait_ms" "$dur_ms"
