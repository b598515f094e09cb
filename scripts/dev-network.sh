#!/usr/bin/env bash
# dev-network.sh: the developers' local Aztec network (guide section 1).
#   check  compare this machine with the guide's development table: PASS/WARN/FAIL per line
#   start  run `aztec start --local-network` at the pinned version, wait for it, print the endpoints
#   stop   stop the network this script started: its whole process group (the node, anvil and bb), by the
#          recorded process id only
set -euo pipefail

# The pinned Aztec version: the release config/dev.yaml runs (aztecprotocol/aztec:<this>).
readonly AZTEC_VERSION=${AZTEC_VERSION:-5.2.0}
# The pinned CLI runs on Node.js 24 (aztec-node.md, "Versions").
readonly NODE_MAJOR=24
readonly DOCKER_MAJOR=24
STATE_DIR=${DEV_NETWORK_STATE_DIR:-${XDG_RUNTIME_DIR:-/tmp}/aztec-local-network-$(id -u)}
PID_FILE=$STATE_DIR/pid
LOG_FILE=$STATE_DIR/local-network.log

die() { echo "error: $*" >&2; exit 1; }
usage() {
  cat <<'USAGE'
Usage: dev-network.sh check|start|stop

  check   the guide's development table, one line each: STATUS what have minimum recommended
          (FAIL below the minimum, WARN below the recommendation; exit 1 on any FAIL)
  start   check, then `aztec start --local-network` at the pinned version in the background, in a
          process group of its own; waits for GET /status and prints the endpoints (node 8080, anvil 8545)
  stop    stop the network started by `start`: TERM to its process group (the node, anvil and the
          bb processes it spawned), KILL after DEV_STOP_TIMEOUT seconds (default 30)

Environment: AZTEC_VERSION (pinned, default 5.2.0), AZTEC_BIN (default ~/.aztec/versions/<v>/bin/aztec),
DEV_START_TIMEOUT seconds (default 600), DEV_ALLOW_BELOW_MINIMUM=1 (start on a machine that FAILs the
check, e.g. a 2-core CI runner: slower, never for a demo). For tests: CHECK_MEM_KIB, CHECK_NPROC,
CHECK_DISK_FREE_KIB, CHECK_OS.
USAGE
}

# row STATUS WHAT HAVE MIN REC
row() { printf '%-6s %-14s %-22s %-13s %s\n' "$@"; }
# grade HAVE MIN REC: FAIL below the minimum, WARN below the recommendation
grade() { if (($1 < $2)); then echo FAIL; elif (($1 < $3)); then echo WARN; else echo PASS; fi; }

cmd_check() {
  local mem nproc disk os dv dmajor nv nmajor status
  mem=${CHECK_MEM_KIB:-$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)}
  nproc=${CHECK_NPROC:-$(nproc 2>/dev/null || echo 0)}
  disk=${CHECK_DISK_FREE_KIB:-$(df -Pk "$HOME" | awk 'NR == 2 {print $4}')}
  os=${CHECK_OS:-$(uname -s)}
  row STATUS WHAT HAVE MINIMUM RECOMMENDED
  # MemTotal leaves out the kernel's reservation: a 16 GB machine reports about 15.3 GiB.
  row "$(grade "$mem" $((7 * 1024 * 1024 + 512 * 1024)) $((15 * 1024 * 1024)))" ram "$((mem / 1024 / 1024)) GiB" "8 GB" "16 GB"
  row "$(grade "$nproc" 4 8)" cpu "$nproc cores" 4 8
  row "$(grade "$((disk / 1000 / 1000))" 20 50)" disk-free "$((disk / 1000 / 1000)) GB" "20 GB" "50 GB"
  case $os in
    Linux | Darwin) status=PASS ;;
    *) status=WARN ;;
  esac
  row "$status" os "$os" "Linux, macOS" "(Windows: WSL2)"
  # The native CLI (aztec-up) runs the local network without Docker; Docker is for the node's image
  # (aztecprotocol/aztec), so a missing, stopped or old one is a warning, never a failure.
  if ! command -v docker >/dev/null; then
    row WARN docker-daemon missing "(native CLI)" running
    row WARN docker missing "(native CLI)" "$DOCKER_MAJOR"
  else
    if docker info >/dev/null 2>&1; then row PASS docker-daemon running running running; else row WARN docker-daemon "not running" running running; fi
    dv=$(docker version -f '{{.Client.Version}}' 2>/dev/null || true)
    dmajor=${dv%%.*}
    [[ $dmajor =~ ^[0-9]+$ ]] || dmajor=0
    row "$(grade "$dmajor" "$DOCKER_MAJOR" "$DOCKER_MAJOR" | sed s/FAIL/WARN/)" docker "${dv:-unknown}" "$DOCKER_MAJOR" "$DOCKER_MAJOR"
  fi
  nv=$(node --version 2>/dev/null || true)
  nmajor=${nv#v}
  nmajor=${nmajor%%.*}
  [[ $nmajor =~ ^[0-9]+$ ]] || nmajor=0
  row "$(grade "$nmajor" "$NODE_MAJOR" "$NODE_MAJOR")" "nodejs" "${nv:-missing}" "$NODE_MAJOR" "$NODE_MAJOR (aztec $AZTEC_VERSION)"
}

cmd_start() {
  local out bin pid deadline timeout=${DEV_START_TIMEOUT:-600}
  out=$(cmd_check)
  echo "$out"
  if [[ $out == *FAIL* ]]; then
    [[ ${DEV_ALLOW_BELOW_MINIMUM:-0} == 1 ]] || die "the machine is below the guide's minimum (FAIL above); fix those lines first (or DEV_ALLOW_BELOW_MINIMUM=1)"
    echo "warning: starting below the guide's minimum (DEV_ALLOW_BELOW_MINIMUM=1): expect it to be slow" >&2
  fi
  bin=${AZTEC_BIN:-$HOME/.aztec/versions/$AZTEC_VERSION/bin/aztec}
  [[ -x $bin ]] || die "aztec $AZTEC_VERSION is not installed at $bin; install the pinned CLI with aztec-up ($AZTEC_VERSION), or set AZTEC_BIN"
  if [[ -f $PID_FILE ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    die "a local network is already running (pid $(cat "$PID_FILE")); run 'dev-network.sh stop' first"
  fi
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  # A session (and so a process group) of its own: the node spawns anvil and bb, and stop must reach them
  # all. $! is not a group leader here (no job control), so setsid execs instead of forking: $! is the
  # group's id.
  setsid "$bin" start --local-network </dev/null >"$LOG_FILE" 2>&1 &
  pid=$!
  echo "$pid" >"$PID_FILE"
  deadline=$((SECONDS + timeout))
  until curl -fs -m 5 -o /dev/null http://127.0.0.1:8080/status; do
    kill -0 "$pid" 2>/dev/null || { cmd_stop >/dev/null; die "aztec exited before it answered /status; see $LOG_FILE"; }
    ((SECONDS < deadline)) || die "no answer on http://127.0.0.1:8080/status within ${timeout}s; see $LOG_FILE (still running as pid $pid)"
    sleep "${DEV_POLL_SECONDS:-5}"
  done
  echo "local network up (aztec $AZTEC_VERSION, pid $pid, log $LOG_FILE):"
  echo "  node RPC  http://localhost:8080"
  echo "  anvil L1  http://localhost:8545"
}

cmd_stop() {
  [[ -f $PID_FILE ]] || { echo "no local network started by this script"; return 0; }
  local pid
  pid=$(cat "$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || die "$PID_FILE does not hold a process id"
  # Only a group this script started: its leader's process id is the group's id.
  if kill -0 -- "-$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ${DEV_STOP_TIMEOUT:-30}))
    while kill -0 -- "-$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    if kill -0 -- "-$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || true
      echo "stopped the local network (pid $pid; killed after ${DEV_STOP_TIMEOUT:-30}s)"
    else
      echo "stopped the local network (pid $pid)"
    fi
  else
    echo "the local network (pid $pid) was not running"
  fi
  rm -f "$PID_FILE"
}

case ${1:-} in
  check)
    out=$(cmd_check)
    echo "$out"
    [[ $out != *FAIL* ]] || exit 1
    ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
