# shellcheck shell=bash disable=SC2034  # FAILED is the caller's
# Helpers shared by scripts/bench and scripts/bench-posters; sourced, not run. The caller sets, before sourcing:
#   PROG  the prefix of its messages ("bench", "bench-posters")
# and, before calling build or wait_ready, WORK: its temp folder (logs go there, the caller's EXIT trap removes it).
# Exit statuses follow scripts/bench: die = 2, "the benchmark itself could not run".

die() { echo "$PROG: $*" >&2; exit 2; }
log() { echo "$PROG: $*" >&2; }

# stop PID: TERM, up to 10 s for a clean shutdown, then KILL. Only ever the PIDs the script started itself.
stop() {
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
}

# wrk is the load generator; it is packaged on Debian/Ubuntu, which the dev machines and CI run.
ensure_wrk() {
    command -v wrk >/dev/null && return 0
    log "installing wrk"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq wrk >/dev/null || die "could not install wrk"
}

# build PROJECT-PATH SOURCE-ROOT ARTIFACTS: Release into a separate artifacts folder, so src/*/bin and obj, which
# others use, stay untouched.
build() {
    log "building $1 (Release)"
    dotnet build "$2/$1" -c Release --artifacts-path "$3" -nologo -v quiet -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; die "build of $1 failed"; }
}

# A port below the kernel's ephemeral range (so wrk's own client sockets cannot hold it) that no socket uses.
free_port() {
    local port low
    low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    while :; do
        port=$((10000 + RANDOM % (low - 10000)))
        if command -v ss >/dev/null && ss -Htan "sport = :$port" | grep -q .; then continue; fi
        echo "$port"; return
    done
}

# wait_ready NAME PID URL: until URL answers 2xx; the server's output is in $WORK/NAME.log.
wait_ready() {
    for _ in $(seq 120); do
        kill -0 "$2" 2>/dev/null || { head -40 "$WORK/$1.log" >&2; die "$1 exited during startup"; }
        curl -fsS -o /dev/null "$3" 2>/dev/null && return 0
        sleep 0.5
    done
    head -40 "$WORK/$1.log" >&2
    die "$1 did not answer $3 within 60 s"
}

# peak_mb PID NAME: VmHWM is the high-water mark of the resident set over the whole life of the process, in MiB.
peak_mb() {
    kill -0 "$1" 2>/dev/null || die "$2 is no longer running; see its log"
    awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# check DESCRIPTION AWK-CONDITION: prints PASS or FAIL; a failure sets FAILED=1 (the caller's exit status).
check() {
    if awk "BEGIN { exit !($2) }"; then echo "PASS  $1"; else echo "FAIL  $1"; FAILED=1; fi
}
