#!/usr/bin/env bats
# Tests for scripts/dev-network.sh with stubs for docker, node, curl and the aztec CLI (no Docker daemon
# here). Run: bats scripts/tests/dev-network.bats

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../dev-network.sh"
  STUBS="$BATS_TEST_DIRNAME/fixtures/dev-stubs"
  export STUB_LOG="$BATS_TEST_TMPDIR/stub.log" DEV_NETWORK_STATE_DIR="$BATS_TEST_TMPDIR/state"
  export STUB_STATUS_READY="$BATS_TEST_TMPDIR/ready" AZTEC_BIN="$STUBS/aztec" DEV_POLL_SECONDS=0.2
  # A machine at the guide's recommendation: 16 GB, 8 cores, 60 GB free, Linux.
  export CHECK_MEM_KIB=$((16 * 1024 * 1024)) CHECK_NPROC=8 CHECK_DISK_FREE_KIB=$((60 * 1000 * 1000)) CHECK_OS=Linux
  : >"$STUB_LOG"
  dn() { PATH="$STUBS:$PATH" bash "$SCRIPT" "$@"; }
}

teardown() {
  # Never leave the stub network running.
  PATH="$STUBS:$PATH" bash "$SCRIPT" stop >/dev/null 2>&1 || true
}

line() { grep -E "^[A-Z]+ +$1 " <<<"$output"; }

@test "check prints the guide's table: ram, cpu, disk, os, docker daemon and version, Node.js" {
  run dn check
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == STATUS* ]]
  for what in ram cpu disk-free os docker-daemon docker nodejs; do line "$what" | grep -q '^PASS '; done
  [[ "$(line ram)" == *"8 GB"*"16 GB"* ]]
  [[ "$(line cpu)" == *" 4 "*" 8"* ]]
  [[ "$(line disk-free)" == *"20 GB"*"50 GB"* ]]
  [[ "$(line nodejs)" == *"v24.11.0"*"aztec 5.2.0"* ]]
}

@test "check warns between the minimum and the recommendation and still exits 0" {
  CHECK_MEM_KIB=$((8 * 1024 * 1024)) CHECK_NPROC=4 CHECK_DISK_FREE_KIB=$((30 * 1000 * 1000)) run dn check
  [ "$status" -eq 0 ]
  line ram | grep -q '^WARN '
  line cpu | grep -q '^WARN '
  line disk-free | grep -q '^WARN '
}

@test "check fails below the minimum and exits 1" {
  CHECK_MEM_KIB=$((4 * 1024 * 1024)) CHECK_NPROC=2 CHECK_DISK_FREE_KIB=$((10 * 1000 * 1000)) run dn check
  [ "$status" -eq 1 ]
  line ram | grep -q '^FAIL '
  line cpu | grep -q '^FAIL '
  line disk-free | grep -q '^FAIL '
}

@test "check fails an old Node.js and only warns on an old Docker or a stopped daemon (the native CLI needs neither)" {
  STUB_DOCKER_VERSION=20.10.7 STUB_DOCKER_DOWN=1 STUB_NODE_VERSION=v20.18.0 run dn check
  [ "$status" -eq 1 ]
  line docker-daemon | grep -q '^WARN .*not running'
  line docker | grep -q '^WARN .*20.10.7'
  line nodejs | grep -q '^FAIL .*v20.18.0'
  STUB_DOCKER_VERSION=20.10.7 STUB_DOCKER_DOWN=1 run dn check
  [ "$status" -eq 0 ]
}

@test "check warns on an OS the guide does not list" {
  CHECK_OS=FreeBSD run dn check
  [ "$status" -eq 0 ]
  line os | grep -q '^WARN .*FreeBSD'
}

@test "start runs aztec start --local-network, waits for /status and prints the endpoints" {
  touch "$STUB_STATUS_READY"
  run dn start
  [ "$status" -eq 0 ]
  [[ "$output" == *"node RPC  http://localhost:8080"* ]]
  [[ "$output" == *"anvil L1  http://localhost:8545"* ]]
  sleep 0.3
  grep -qx 'aztec start --local-network' "$STUB_LOG"
  grep -q 'http://127.0.0.1:8080/status' "$STUB_LOG"
  run dn stop
  [ "$status" -eq 0 ]
  [[ "$output" == *"stopped the local network"* ]]
  [ ! -e "$DEV_NETWORK_STATE_DIR/pid" ]
}

@test "start refuses a machine that fails the check, before starting anything" {
  CHECK_NPROC=2 run dn start
  [ "$status" -eq 1 ]
  [[ "$output" == *"below the guide's minimum"*"DEV_ALLOW_BELOW_MINIMUM=1"* ]]
  [ ! -s "$STUB_LOG" ]
}

@test "start below the minimum only when asked to, and says so" {
  touch "$STUB_STATUS_READY"
  CHECK_NPROC=2 DEV_ALLOW_BELOW_MINIMUM=1 run dn start
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: starting below the guide's minimum"* ]]
  [[ "$output" == *"node RPC  http://localhost:8080"* ]]
}

@test "check only warns without Docker: the native CLI runs the local network without it" {
  local bin="$BATS_TEST_TMPDIR/bin"
  mkdir -p "$bin"
  for s in aztec curl node; do ln -s "$STUBS/$s" "$bin/$s"; done
  PATH="$bin:/usr/bin:/bin" run bash "$SCRIPT" check
  [ "$status" -eq 0 ]
  line docker-daemon | grep -q '^WARN .*missing'
  line docker | grep -q '^WARN .*missing'
}

@test "stop stops the whole process group: the node and what it spawned (anvil, bb)" {
  touch "$STUB_STATUS_READY"
  export STUB_CHILD_PID="$BATS_TEST_TMPDIR/child"
  run dn start
  [ "$status" -eq 0 ]
  for _ in $(seq 50); do [ -s "$STUB_CHILD_PID" ] && break; sleep 0.1; done
  child=$(cat "$STUB_CHILD_PID")
  kill -0 "$child"
  run dn stop
  [ "$status" -eq 0 ]
  [[ "$output" == *"stopped the local network"* ]]
  for _ in $(seq 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$child" 2>/dev/null
}

@test "start refuses when the pinned CLI is not installed and says how to get it" {
  AZTEC_BIN="$BATS_TEST_TMPDIR/none/aztec" run dn start
  [ "$status" -eq 1 ]
  [[ "$output" == *"aztec 5.2.0 is not installed"*"aztec-up"* ]]
}

@test "start gives up after the timeout when /status never answers" {
  DEV_START_TIMEOUT=1 run dn start
  [ "$status" -eq 1 ]
  [[ "$output" == *"no answer on http://127.0.0.1:8080/status within 1s"* ]]
}

@test "the pinned version is the release config/dev.yaml runs" {
  grep -q "^aztecImage: aztecprotocol/aztec:$(sed -n 's/^readonly AZTEC_VERSION=\${AZTEC_VERSION:-\(.*\)}$/\1/p' "$SCRIPT")\$" "$BATS_TEST_DIRNAME/../../config/dev.yaml"
}

@test "stop without a started network says so and exits 0" {
  run dn stop
  [ "$status" -eq 0 ]
  [[ "$output" == *"no local network started by this script"* ]]
}
