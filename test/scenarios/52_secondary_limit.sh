#!/usr/bin/env bash
# 52_secondary_limit.sh: the first API request answers 403 "secondary rate limit" with
# retry-after: 1. The collector waits as told, retries, and collects everything; the wait is
# counted in worker_history.http_stats.secondary_waits and visible in the fake's log.
source "$AVX_TOP/test/lib/cluster.sh"
source "$AVX_TOP/test/lib/tap.sh"
source "$AVX_TOP/test/lib/env.sh"
source "$AVX_TOP/test/lib/scenario.sh"
avx_reset_db || { fail "52: fresh extension and collectors"; exit 1; }

T=52
URL=https://github.com/aveloxis-test/full
MIRROR=$AVX_WORK/mirrors/aveloxis-test/full.git

job_done() { [ "$(q "SELECT count(*) FROM aveloxis_ops.worker_history WHERE repo_id = $RID AND finished_at IS NOT NULL")" -ge 1 ]; }
cleanup() { fake_config '{"secondary_limit": 0}' || true; }
trap cleanup EXIT

avx_load_expected full aveloxis-test/full
check "$T: fake accepts secondary_limit=1" fake_config '{"secondary_limit": 1}'
RID=$(q "SELECT aveloxis.add_repo('$URL')")
check "$T: a collector finishes the job of $URL within 60 s" wait_for 60 job_done

check_eq "$T: job outcome after a secondary rate limit answer" success \
    "$(q "SELECT outcome FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"
check_full_counts "after a secondary limit"
check_ge "$T: worker_history http_stats.secondary_waits" 1 \
    "$(q "SELECT http_stats ->> 'secondary_waits' FROM aveloxis_ops.worker_history WHERE repo_id = $RID ORDER BY history_id DESC LIMIT 1")"

LOG=$(fake_log)
check_eq "$T: fake log: exactly 1 answer with fault secondary" 1 \
    "$(python3 -c 'import json,sys; print(sum(1 for r in json.loads(sys.argv[1]) if r["fault"] == "secondary"))' "$LOG")"
# The retry of the limited path came after the retry-after (1 s) and was answered 200.
gap=$(python3 - "$LOG" <<'PY'
import json, sys
log = sorted(json.loads(sys.argv[1]), key=lambda r: r["ts"])
lim = [r for r in log if r["fault"] == "secondary"]
if not lim:
    print("no-secondary-answer"); sys.exit()
after = [r for r in log if r["path"] == lim[0]["path"] and r["ts"] > lim[0]["ts"] and r["status"] == 200]
print("%.0f" % ((after[0]["ts"] - lim[0]["ts"]) * 1000) if after else "no-200-retry")
PY
)
check_ge "$T: fake log: ms from the secondary-limit answer to the 200 retry of the same path (retry-after: 1)" 1000 "$gap"
others=$(python3 - "$LOG" <<'PY'
import json, sys
log = sorted(json.loads(sys.argv[1]), key=lambda r: r["ts"])
lim = [r for r in log if r["fault"] == "secondary"]
# nothing else was sent while the collector was told to wait
print(sum(1 for r in log if lim and lim[0]["ts"] < r["ts"] < lim[0]["ts"] + 1.0))
PY
)
check_eq "$T: fake log: requests sent during the 1 s retry-after wait" 0 "$others"
