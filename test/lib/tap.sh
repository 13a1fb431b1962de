# Result counting for the shell-driven tests. Every check prints one TAP-style line; the
# runner prints the totals as "N passed, N failed" at the end.

AVX_PASSED=${AVX_PASSED:-0}
AVX_FAILED=${AVX_FAILED:-0}
AVX_FAILURES=()

pass() { AVX_PASSED=$((AVX_PASSED + 1)); echo "ok - $*"; }
fail() { AVX_FAILED=$((AVX_FAILED + 1)); AVX_FAILURES+=("$*"); echo "not ok - $*"; }

# check DESCRIPTION COMMAND...: passes when the command exits 0.
check() {
    local desc=$1
    shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then pass "$1 ($3)"; else fail "$1: expected '$2', got '$3'"; fi
}

# check_ge DESCRIPTION MINIMUM ACTUAL (integers)
check_ge() {
    if [ -n "$3" ] && [ "$3" -ge "$2" ] 2>/dev/null; then pass "$1 ($3 >= $2)"; else fail "$1: expected >= $2, got '$3'"; fi
}

# wait_for TIMEOUT_S COMMAND...: polls every 0.2 s until the command succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while [ $SECONDS -lt $deadline ]; do
        "$@" && return 0
        sleep 0.2
    done
    "$@"
}

# Adds the results of a TAP stream (pgTAP, unit tests) read from a file to the totals.
count_tap_file() {
    local file=$1 ok notok
    ok=$(grep -cE '^\s*ok( [0-9]+| -)' "$file")
    notok=$(grep -cE '^\s*not ok( [0-9]+| -)' "$file")
    AVX_PASSED=$((AVX_PASSED + ok))
    AVX_FAILED=$((AVX_FAILED + notok))
    if grep -qE '^\s*# Looks like|^psql:.*ERROR' "$file"; then
        AVX_FAILED=$((AVX_FAILED + 1))
        AVX_FAILURES+=("$file: $(grep -m1 -E '# Looks like|ERROR' "$file")")
        echo "not ok - $(basename "$file"): $(grep -m1 -E '# Looks like|ERROR' "$file")"
    fi
    [ "$notok" -eq 0 ] || AVX_FAILURES+=("$(basename "$file"): $notok failed")
}

tap_summary() {
    echo
    if [ ${#AVX_FAILURES[@]} -gt 0 ]; then
        echo "Failures:"
        printf '  %s\n' "${AVX_FAILURES[@]}"
    fi
    echo "$AVX_PASSED passed, $AVX_FAILED failed"
}
