#!/usr/bin/env bats
# Tests for scripts/setup-validator.sh. Run: bats scripts/tests/setup-validator.bats
# Nothing here touches the real host: file-writing steps run under --root in a
# temp dir with --no-system; the data "disk" is a small image file.

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../setup-validator.sh"
  FIX="$BATS_TEST_DIRNAME/fixtures"
  R="$BATS_TEST_TMPDIR/root"
  mkdir -p "$R"
  # A bad value inside a temp copy of the EC2 fixture.
  ec2_with() {
    local f="$BATS_TEST_TMPDIR/ec2.env"
    cp "$FIX/validator.env" "$f"
    local kv
    for kv in "$@"; do
      sed -i "/^${kv%%=*}=/d" "$f"
      echo "$kv" >>"$f"
    done
    echo "$f"
  }
  sv() { bash "$SCRIPT" "$@"; }
  # `check` reads the OS from this file, so its verdicts do not depend on the machine running the tests.
  export CHECK_OS_RELEASE="$BATS_TEST_TMPDIR/os-release"
  printf 'ID=ubuntu\nVERSION_ID="24.04"\n' >"$CHECK_OS_RELEASE"
  # `! grep` would not fail a bats test (errexit ignores negated commands).
  no_match() { if grep -q "$@"; then echo "unexpected match: $*" >&2; return 1; fi; }
}

# A bare-metal host under $R: settings file, root-only secrets dir, data-disk image.
bare_metal_root() {
  mkdir -p "$R/etc/aztec-infra" "$R/dev"
  cp "$FIX/baremetal.env" "$R/etc/aztec-infra/validator.env"
  cp -r "$FIX/secrets" "$R/etc/aztec-infra/secrets"
  chmod 700 "$R/etc/aztec-infra/secrets"
  truncate -s 16M "$R/dev/aztec-data"
}

checksums() { (cd "$R" && find etc opt -type f -print0 | sort -z | xargs -0 sha256sum); }

# --- arguments -----------------------------------------------------------

@test "unknown flag exits 2 and names the flag" {
  run sv render-compose --settings "$FIX/validator.env" --bogus
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown option '--bogus'"* ]]
}

@test "unknown command exits 2 and names it" {
  run sv frobnicate
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown command 'frobnicate'"* ]]
}

@test "--signal is refused outside install" {
  run sv check --signal
  [ "$status" -eq 2 ]
  [[ "$output" == *"--signal is only valid with install"* ]]
}

@test "--help works for the script and for a command" {
  run sv --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"fetch-secrets"* ]]
  run sv install --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"install [--signal]"* ]]
  [[ "$output" != *"fetch-secrets"* ]]
}

@test "a missing explicit settings file exits 2" {
  run sv render-compose --settings "$BATS_TEST_TMPDIR/nope.env"
  [ "$status" -eq 2 ]
  [[ "$output" == *"nope.env' not found"* ]]
}

@test "flags override settings file values" {
  run sv render-compose --settings "$FIX/validator.env" --network mainnet --image aztecprotocol/aztec:5.2.1 --rpc-bind 10.0.0.5
  [ "$status" -eq 0 ]
  [[ "$output" == *'"--network", "mainnet"'* ]]
  [[ "$output" == *"image: aztecprotocol/aztec:5.2.1"* ]]
  [[ "$output" == *'"10.0.0.5:8080:8080"'* ]]
  run sv render-node-env --settings "$FIX/validator.env" --p2p-ip 198.51.100.7 --node-id validator-9
  [[ "$output" == *"P2P_IP=198.51.100.7"* ]]
  [[ "$output" == *"OTEL_SERVICE_NAME=aztec-validator-9"* ]]
}

@test "--data-device on the command line replaces the file's EBS volume" {
  run sv device-path --settings "$FIX/validator.env" --data-device /dev/nvme1n1
  [ "$status" -eq 0 ]
  [ "$output" = "/dev/nvme1n1" ]
}

# --- settings validation -------------------------------------------------

@test "bad AZTEC_NETWORK is rejected naming key, value and choices" {
  run sv render-compose --settings "$(ec2_with AZTEC_NETWORK=devnet)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"AZTEC_NETWORK: 'devnet' is not allowed; use testnet or mainnet"* ]]
}

@test "an AZTEC_IMAGE tagged latest is rejected" {
  run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=aztecprotocol/aztec:latest)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"AZTEC_IMAGE: 'aztecprotocol/aztec:latest' is not allowed"* ]]
}

@test "an AZTEC_IMAGE older than the 5.2.0 release is rejected naming the release; newer and non-version tags pass" {
  run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=aztecprotocol/aztec:4.1.2)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"AZTEC_IMAGE: 'aztecprotocol/aztec:4.1.2' is release 4.1.2, older than 5.2.0"* ]]
  run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=registry.example/mirror/aztec:v5.1.10-rc.1)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"is release 5.1.10, older than 5.2.0"* ]]
  for ok in aztecprotocol/aztec:5.2.0 aztecprotocol/aztec:5.10.0 aztecprotocol/aztec:6.0.0 aztecprotocol/aztec:nightly-20261201; do
    run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=$ok)"
    [ "$status" -eq 0 ]
  done
}

@test "an untagged or empty AZTEC_IMAGE is rejected" {
  run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=aztecprotocol/aztec)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"AZTEC_IMAGE: 'aztecprotocol/aztec' is not allowed"* ]]
  run sv render-compose --settings "$(ec2_with AZTEC_IMAGE=)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"AZTEC_IMAGE is required"* ]]
}

@test "EBS_VOLUME_ID and DATA_DEVICE together are rejected" {
  run sv render-compose --settings "$(ec2_with DATA_DEVICE=/dev/nvme1n1)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"EBS_VOLUME_ID and DATA_DEVICE are both set"* ]]
}

@test "neither EBS_VOLUME_ID nor DATA_DEVICE is rejected" {
  run sv render-compose --settings "$(ec2_with EBS_VOLUME_ID=)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"EBS_VOLUME_ID or DATA_DEVICE is required"* ]]
}

@test "bad COINBASE is rejected" {
  run sv render-compose --settings "$(ec2_with COINBASE=0x1234)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"COINBASE: '0x1234' is not allowed; use 0x followed by 40 hex digits"* ]]
}

@test "an unknown settings key is rejected by name" {
  run sv render-compose --settings "$(ec2_with VALIDATOR_PRIVATE_KEYS=0xabc)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown key 'VALIDATOR_PRIVATE_KEYS'"* ]]
}

@test "a bad P2P_IP is rejected" {
  run sv render-compose --settings "$(ec2_with P2P_IP=203.0.113.300)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"P2P_IP: '203.0.113.300' is not allowed; use an IPv4 address"* ]]
}

@test "a bad --p2p-ip flag is rejected like a file value" {
  run sv render-compose --settings "$FIX/validator.env" --p2p-ip not-an-ip
  [ "$status" -eq 2 ]
  [[ "$output" == *"P2P_IP: 'not-an-ip' is not allowed"* ]]
}

@test "values with shell metacharacters are rejected, never evaluated" {
  local f="$BATS_TEST_TMPDIR/evil.env"
  cp "$FIX/validator.env" "$f"
  echo 'COINBASE=$(touch '"$BATS_TEST_TMPDIR"'/pwned)' >>"$f"
  run sv render-compose --settings "$f"
  [ "$status" -eq 2 ]
  [[ "$output" == *"COINBASE: value has characters outside"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/pwned" ]
}

@test "invalid settings make install exit 2 before writing anything" {
  run sv --root "$R" --no-system install --settings "$(ec2_with AZTEC_NETWORK=devnet)"
  [ "$status" -eq 2 ]
  [ -z "$(find "$R" -mindepth 1)" ]
}

# --- disk ----------------------------------------------------------------

@test "fstab line mounts by UUID with noatime and nofail" {
  run sv fstab-line 0b7f4c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ "$output" = "UUID=0b7f4c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b /var/lib/aztec ext4 defaults,noatime,nofail 0 2" ]
}

@test "EBS volume id maps to the NVMe by-id link without the dash" {
  run sv device-path --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ "$output" = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0" ]
}

@test "install fails clearly when the EBS volume never appears" {
  SETUP_DISK_WAIT_SECONDS=0 run sv --root "$R" --no-system install --settings "$FIX/validator.env"
  [ "$status" -eq 1 ]
  [[ "$output" == *"EBS volume vol-0123456789abcdef0 did not appear"* ]]
}

# --- renderers -----------------------------------------------------------

@test "node env uses P2P_IP when set" {
  run sv render-node-env --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" == *"P2P_IP=203.0.113.10"* ]]
  [[ "$output" != *"P2P_QUERY_FOR_IP"* ]]
  [[ "$output" == *"DATA_DIRECTORY=/var/lib/aztec/data"* ]]
  [[ "$output" == *"KEY_STORE_DIRECTORY=/var/lib/aztec-keystore"* ]]
  [[ "$output" == *"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://otel-collector:4318/v1/metrics"* ]]
}

@test "node env asks the node to discover its IP when P2P_IP is empty" {
  run sv render-node-env --settings "$(ec2_with P2P_IP=)"
  [ "$status" -eq 0 ]
  [[ "$output" == *"P2P_QUERY_FOR_IP=true"* ]]
  [[ "$output" != *"P2P_IP="* ]]
}

@test "node env carries HA identity but no secret variables" {
  run sv render-node-env --settings "$(ec2_with HA_SIGNING_ENABLED=true HA_DATABASE_HOST=db.internal HA_DATABASE_NAME=aztec_ha HA_DATABASE_SECRET_ID=aztec/dev/ha-db)"
  [ "$status" -eq 0 ]
  [[ "$output" == *"VALIDATOR_HA_SIGNING_ENABLED=true"* ]]
  [[ "$output" == *"VALIDATOR_HA_NODE_ID=validator-1"* ]]
  no_match -E '^(ETHEREUM_HOSTS|L1_CONSENSUS_HOST_URLS|VALIDATOR_HA_DATABASE_URL|VALIDATOR_PRIVATE_KEYS|SEQ_PUBLISHER_PRIVATE_KEYS)=' <<<"$output"
}

@test "HA enabled without its database settings is rejected" {
  run sv render-node-env --settings "$(ec2_with HA_SIGNING_ENABLED=true)"
  [ "$status" -eq 2 ]
  [[ "$output" == *"HA_DATABASE_SECRET_ID is required"* ]]
}

@test "compose publishes P2P tcp+udp and RPC on RPC_BIND, never admin 8880" {
  run sv render-compose --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" == *'"40400:40400/tcp"'* ]]
  [[ "$output" == *'"40400:40400/udp"'* ]]
  [[ "$output" == *'"0.0.0.0:8080:8080"'* ]]
  no_match '8880' <<<"$(grep -v '^#' <<<"$output")"
  run sv render-compose --settings "$(ec2_with RPC_BIND=)"
  [[ "$output" == *'"127.0.0.1:8080:8080"'* ]]
}

@test "compose pins the images, starts a sequencer without --archiver" {
  run sv render-compose --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" == *"image: aztecprotocol/aztec:5.2.0"* ]]
  [[ "$output" == *"image: otel/opentelemetry-collector-contrib:0.128.0"* ]]
  [[ "$output" == *"image: prom/node-exporter:v1.9.1"* ]]
  [[ "$output" == *'command: ["start", "--node", "--sequencer", "--network", "testnet"]'* ]]
  [[ "$output" != *"--archiver"* ]]
  [[ "$output" == *"/var/lib/aztec/data:/var/lib/aztec/data"* ]]
  [[ "$output" == *"/run/aztec-infra/keys:/var/lib/aztec-keystore:ro"* ]]
  [[ "$output" == *'"127.0.0.1:8889:8889"'* ]]
  [[ "$output" == *"--web.listen-address=127.0.0.1:9100"* ]]
}

@test "unit requires the data mount and fetches secrets before start" {
  run sv render-unit --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" == *$'\nRequiresMountsFor=/var/lib/aztec\n'* ]]
  [[ "$output" == *$'\nRequires=docker.service\n'* ]]
  [[ "$output" == *$'\nExecStartPre=/bin/bash /opt/aztec-infra/setup-validator.sh fetch-secrets '* ]]
  [[ "$output" == *$'\nRestart=always\n'* ]]
  [[ "$output" == *$'\nExecStopPost=/bin/rm -rf /run/aztec-infra\n'* ]]
  # Foreground compose, so systemd supervises it.
  grep -E '^ExecStart=.* up ' <<<"$output"
  no_match -E '^ExecStart=.* (-d|--detach)( |$)' <<<"$output"
}

@test "collector config receives OTLP and exports Prometheus on 8889" {
  run sv render-otel-config --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" == *"endpoint: 0.0.0.0:4318"* ]]
  [[ "$output" == *"endpoint: 0.0.0.0:8889"* ]]
}

# --- check ---------------------------------------------------------------

@test "check passes a host that meets the spec" {
  CHECK_NPROC=16 CHECK_MEM_KIB=32000000 CHECK_DISK_BYTES=1100000000000 CHECK_DOCKER_VERSION=27.5.1 \
    run sv check --profile mainnet --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "PASS vcpu 16 16" ]
  [[ "${lines[1]}" == "PASS ram "* ]]
  [ "${lines[2]}" = "PASS data-disk 1100GB 1000GB" ]
  [ "${lines[3]}" = "PASS docker 27.5.1 24" ]
}

@test "check warns on 8 vCPU for testnet and exits 0" {
  CHECK_NPROC=8 CHECK_MEM_KIB=16000000 CHECK_DISK_BYTES=1073741824000 CHECK_DOCKER_VERSION=27.5.1 \
    run sv check --profile testnet --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "WARN vcpu 8 16"* ]]
  [[ "$output" != *FAIL* ]]
}

@test "check fails 8 vCPU on mainnet and exits 1" {
  CHECK_NPROC=8 CHECK_MEM_KIB=16000000 CHECK_DISK_BYTES=1073741824000 CHECK_DOCKER_VERSION=27.5.1 \
    run sv check --profile mainnet --settings "$FIX/validator.env"
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "FAIL vcpu 8 16"* ]]
}

@test "check fails a small disk and old docker, warns on missing docker" {
  CHECK_NPROC=16 CHECK_MEM_KIB=32000000 CHECK_DISK_BYTES=500000000000 CHECK_DOCKER_VERSION=20.10.7 \
    run sv check --settings "$FIX/validator.env"
  [ "$status" -eq 1 ]
  [ "${lines[2]}" = "FAIL data-disk 500GB 1000GB" ]
  [ "${lines[3]}" = "FAIL docker 20.10.7 24" ]
  CHECK_NPROC=16 CHECK_MEM_KIB=32000000 CHECK_DISK_BYTES=1100000000000 CHECK_DOCKER_VERSION="" \
    run sv check --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "${lines[3]}" == "WARN docker missing 24"* ]]
}

@test "check rejects an unknown profile" {
  run sv check --profile devnet --settings "$FIX/validator.env"
  [ "$status" -eq 2 ]
  [[ "$output" == *"'devnet' is not allowed"* ]]
}

# --- fetch-secrets (dir mode) --------------------------------------------

@test "fetch-secrets writes 0600 files in a 0700 tmpfs dir and prints no secret" {
  bare_metal_root
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 0 ]
  [[ "$output" != *FAKESECRET* ]]
  [ "$(stat -c %a "$R/run/aztec-infra")" = 700 ]
  [ "$(stat -c %a "$R/run/aztec-infra/keys")" = 700 ]
  [ "$(stat -c %a "$R/run/aztec-infra/keys/keystore.json")" = 600 ]
  [ "$(stat -c %a "$R/run/aztec-infra/env")" = 700 ]
  [ "$(stat -c %a "$R/run/aztec-infra/env/ETHEREUM_HOSTS")" = 600 ]
  [ "$(stat -c %a "$R/run/aztec-infra/env/L1_CONSENSUS_HOST_URLS")" = 600 ]
  cmp "$FIX/secrets/keystore.json" "$R/run/aztec-infra/keys/keystore.json"
  [ "$(cat "$R/run/aztec-infra/env/ETHEREUM_HOSTS")" = 'https://eth-sepolia.example.com/v2/FAKESECRET-exec-key,https://backup.example.com/FAKESECRET-exec-2' ]
  [ "$(cat "$R/run/aztec-infra/env/L1_CONSENSUS_HOST_URLS")" = 'https://beacon.example.com/FAKESECRET-cons-key' ]
}

@test "fetch-secrets refuses a staker output file" {
  bare_metal_root
  echo '[{"attester":"0x01"}]' >"$R/etc/aztec-infra/secrets/key1_staker_output.json"
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing to copy key1_staker_output.json"* ]]
  [ ! -e "$R/run/aztec-infra/keys/key1_staker_output.json" ]
  [ ! -e "$R/run/aztec-infra/env" ]
}

@test "fetch-secrets refuses an invalid keystore without showing it" {
  bare_metal_root
  echo '{"validators": [ FAKESECRET-broken' >"$R/etc/aztec-infra/secrets/keystore.json"
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"keystore keystore.json is not valid JSON"* ]]
  [[ "$output" != *FAKESECRET* ]]
  [ ! -e "$R/run/aztec-infra/env" ]
}

@test "fetch-secrets refuses a secrets dir others can read" {
  bare_metal_root
  chmod 755 "$R/etc/aztec-infra/secrets"
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"must be owned by root with mode 0700"* ]]
}

# Stubs for aws, psql and docker that log their arguments to $STUB_LOG.
use_stubs() {
  export PATH="$FIX/stubs:$PATH" STUB_LOG="$BATS_TEST_TMPDIR/stub.log" STUB_SECRETS="$FIX/secrets"
  : >"$STUB_LOG"
}

with_ha() {
  bare_metal_root
  printf '%s\n' AWS_REGION=eu-west-1 HA_SIGNING_ENABLED=true HA_DATABASE_HOST=db.internal \
    HA_DATABASE_NAME=aztec_ha HA_DATABASE_SECRET_ID=aztec/dev/ha-db >>"$R/etc/aztec-infra/validator.env"
  with_publisher
}

# HA nodes share attesters, so each validator entry carries the node's own publisher.
with_publisher() {
  local k="$R/etc/aztec-infra/secrets/keystore.json"
  jq '.validators |= map(.publisher = ["0xFAKESECRETFAKESECRETFAKESECRETFAKESECRETFAKESECRETFAKESECRET0003"])' "$k" >"$k.new"
  mv "$k.new" "$k"
}

@test "HA: a keystore without a publisher is refused before the node starts" {
  use_stubs
  with_ha
  cp "$FIX/secrets/keystore.json" "$R/etc/aztec-infra/secrets/keystore.json"
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"HA signing needs a publisher on every validator entry"* ]]
  [[ "$output" != *FAKESECRET* ]]
  [ ! -e "$R/run/aztec-infra/env" ]
}

@test "fetch-secrets in ssm mode decrypts the parameters and prints no secret" {
  use_stubs
  run sv --root "$R" --no-system fetch-secrets --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [[ "$output" != *FAKESECRET* ]]
  cmp "$FIX/secrets/keystore.json" "$R/run/aztec-infra/keys/keystore.json"
  grep -q -- '--name /aztec/dev/validator-1/keystore' "$STUB_LOG"
  [ "$(grep -c -- '--with-decryption' "$STUB_LOG")" -eq 3 ]
  [ "$(cat "$R/run/aztec-infra/env/L1_CONSENSUS_HOST_URLS")" = 'https://beacon.example.com/FAKESECRET-cons-key' ]
}

@test "HA: migration runs under the advisory lock, URL only via a mounted tmpfs file" {
  use_stubs
  with_ha
  run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 0 ]
  [[ "$output" != *FAKESECRET* ]]
  # The lock is taken before the migration and released after it, in one psql session.
  [ "$(grep -E '^(sql SELECT pg_advisory|docker )' "$STUB_LOG" | sed -E 's#-v [^ ]+#-v X#g' | cut -c1-30 | tr '\n' '|')" = \
    "sql SELECT pg_advisory_lock(72|docker run --rm -v X -v X --en|sql SELECT pg_advisory_unlock(|" ]
  grep -q 'migrate-ha-db up' "$STUB_LOG"
  # The password never is a process argument nor container environment; it is a mounted file.
  no_match 'FAKESECRET' <<<"$(grep -E '^(docker|psql|aws) ' "$STUB_LOG" | sed 's/ pgpass=.*//')"
  no_match -e '--env-file' -e ' -e ' "$STUB_LOG"
  grep -qx 'secret-file: DATABASE_URL=postgresql://aztec:FAKESECRET%3Ap%40ss@db.internal:5432/aztec_ha?sslmode=no-verify' "$STUB_LOG"
  grep -q 'pgpass=\*:\*:\*:\*:FAKESECRET\\:p@ss$' "$STUB_LOG"
  [ "$(cat "$R/run/aztec-infra/env/VALIDATOR_HA_DATABASE_URL")" = 'postgresql://aztec:FAKESECRET%3Ap%40ss@db.internal:5432/aztec_ha?sslmode=no-verify' ]
  [ ! -e "$R/run/aztec-infra/pgpass" ]
  [ ! -e "$R/run/aztec-infra/migrate" ]
}

@test "HA: a failed migration stops the start and leaves no secret files" {
  use_stubs
  with_ha
  STUB_DOCKER_RC=1 run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"HA database migration failed"* ]]
  [ ! -e "$R/run/aztec-infra/env" ]
  [ ! -e "$R/run/aztec-infra/pgpass" ]
}

# --- install (file-writing part) -----------------------------------------

@test "install writes everything once; a second run changes nothing" {
  bare_metal_root
  run sv --root "$R" --no-system install
  [ "$status" -eq 0 ]
  [[ "$output" == *"install: 8 file(s) changed"* ]]
  for f in etc/aztec-infra/docker-compose.yml etc/aztec-infra/node.env etc/aztec-infra/otel-collector.yaml \
    etc/aztec-infra/validator.effective.env etc/systemd/system/aztec-validator.service opt/aztec-infra/setup-validator.sh \
    opt/aztec-infra/node-entrypoint.sh; do
    [ -s "$R/$f" ]
  done
  [ -d "$R/var/lib/aztec/data" ]
  local uuid
  uuid=$(blkid -p -o value -s UUID "$R/dev/aztec-data")
  [ -n "$uuid" ]
  [ "$(grep -c "^UUID=$uuid /var/lib/aztec ext4 defaults,noatime,nofail 0 2$" "$R/etc/fstab")" -eq 1 ]
  local before
  before=$(checksums)

  run sv --root "$R" --no-system install
  [ "$status" -eq 0 ]
  [[ "$output" == *"install: no changes"* ]]
  [ "$(checksums)" = "$before" ]
  # The filesystem was not recreated.
  [ "$(blkid -p -o value -s UUID "$R/dev/aztec-data")" = "$uuid" ]
}

@test "install rewrites only what a changed setting affects" {
  bare_metal_root
  sv --root "$R" --no-system install
  run sv --root "$R" --no-system install --p2p-ip 198.51.100.7
  [ "$status" -eq 0 ]
  [[ "$output" == *"updated $R/etc/aztec-infra/node.env"* ]]
  [[ "$output" == *"updated $R/etc/aztec-infra/validator.effective.env"* ]]
  # The unit's refresh re-applies install's flags at every start, so a new flag changes the unit too.
  [[ "$output" == *"updated $R/etc/systemd/system/aztec-validator.service"* ]]
  [[ "$output" == *"install: 3 file(s) changed"* ]]
  grep -qx 'P2P_IP=198.51.100.7' "$R/etc/aztec-infra/node.env"
  grep -q 'refresh --settings .* --p2p-ip 198.51.100.7$' "$R/etc/systemd/system/aztec-validator.service"
}

@test "the unit's refresh resolves the settings as install did, flags included" {
  bare_metal_root
  sv --root "$R" --no-system install --data-device /dev/aztec-data
  line=$(sed -n 's|^ExecStartPre=/bin/bash \(.*\) refresh \(.*\)$|\2|p' "$R/etc/systemd/system/aztec-validator.service")
  [[ "$line" == *"--data-device /dev/aztec-data"* ]]
  # And the effective settings the pre-start reads never send it back to the settings parameter.
  no_match '^SSM_SETTINGS_PARAMETER=' "$R/etc/aztec-infra/validator.effective.env"
}

@test "install keeps an existing filesystem and other fstab lines" {
  bare_metal_root
  mkfs.ext4 -q -U 11111111-2222-3333-4444-555555555555 "$R/dev/aztec-data"
  printf 'UUID=aaaa / ext4 defaults 0 1\nUUID=old /var/lib/aztec ext4 defaults 0 2\n' >"$R/etc/fstab"
  run sv --root "$R" --no-system install
  [ "$status" -eq 0 ]
  [ "$(blkid -p -o value -s UUID "$R/dev/aztec-data")" = 11111111-2222-3333-4444-555555555555 ]
  grep -qx 'UUID=aaaa / ext4 defaults 0 1' "$R/etc/fstab"
  no_match '^UUID=old ' "$R/etc/fstab"
  grep -qx 'UUID=11111111-2222-3333-4444-555555555555 /var/lib/aztec ext4 defaults,noatime,nofail 0 2' "$R/etc/fstab"
}

@test "install finds an EBS volume through its by-id link" {
  mkdir -p "$R/dev/disk/by-id" "$R/etc/aztec-infra"
  truncate -s 16M "$R/dev/nvme1n1"
  ln -s ../../nvme1n1 "$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
  run sv --root "$R" --no-system install --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ -n "$(blkid -p -o value -s UUID "$R/dev/nvme1n1")" ]
}

# --- deploy-time values from instance tags ------------------------------------

@test "from-instance-tag reads the volume id and P2P address through IMDSv2" {
  use_stubs
  f=$(ec2_with EBS_VOLUME_ID=from-instance-tag P2P_IP=from-instance-tag)
  run sv render-node-env --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" == *"P2P_IP=198.51.100.7"* ]]
  run sv device-path --settings "$f"
  [ "$status" -eq 0 ]
  [ "$output" = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0fedcba9876543210" ]
  # The IMDS token travels on stdin, never as an argument.
  no_match "stub-imds-token" "$STUB_LOG"
}

@test "from-instance-metadata binds the metrics ports to the private address, never 0.0.0.0" {
  use_stubs
  f=$(ec2_with METRICS_BIND=from-instance-metadata)
  run sv render-compose --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" == *'"10.40.3.17:8889:8889"'* ]]
  [[ "$output" == *"--web.listen-address=10.40.3.17:9100"* ]]
  no_match -E '0\.0\.0\.0:(8889|9100)' <<<"$output"
}

@test "from-instance-tag fails clearly when the tag cannot be read" {
  use_stubs
  f=$(ec2_with EBS_VOLUME_ID=from-instance-tag)
  export PATH="$BATS_TEST_TMPDIR/nocurl:$PATH"
  mkdir -p "$BATS_TEST_TMPDIR/nocurl"
  printf '#!/bin/sh\nexit 22\n' >"$BATS_TEST_TMPDIR/nocurl/curl"
  chmod +x "$BATS_TEST_TMPDIR/nocurl/curl"
  run sv render-node-env --settings "$f"
  [ "$status" -ne 0 ]
  [[ "$output" == *"EBS_VOLUME_ID"*"metadata"* ]]
}

@test "HA: host and database name come from the RDS secret when settings leave them out" {
  use_stubs
  bare_metal_root
  printf '%s\n' AWS_REGION=eu-west-1 HA_SIGNING_ENABLED=true HA_DATABASE_SECRET_ID=aztec-infra/prod/ha-database \
    >>"$R/etc/aztec-infra/validator.env"
  with_publisher
  STUB_SECRET_JSON='{"username":"aztec","password":"FAKESECRET","host":"ha.abc.us-east-1.rds.amazonaws.com","port":5432,"dbname":"aztec_ha"}' \
    run sv --root "$R" --no-system fetch-secrets
  [ "$status" -eq 0 ]
  [[ "$output" != *FAKESECRET* ]]
  [ "$(cat "$R/run/aztec-infra/env/VALIDATOR_HA_DATABASE_URL")" = 'postgresql://aztec:FAKESECRET@ha.abc.us-east-1.rds.amazonaws.com:5432/aztec_ha?sslmode=no-verify' ]
}

# --- issue 12: what the VM test found -------------------------------------------

@test "secrets never reach the container config: no secret env_file, a secrets mount and a wrapper" {
  run sv render-compose --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  no_match 'secrets.env' <<<"$output"
  [[ "$output" == *"/run/aztec-infra/env:/run/aztec-secrets:ro"* ]]
  [[ "$output" == *"/opt/aztec-infra/node-entrypoint.sh:/opt/aztec-infra/node-entrypoint.sh:ro"* ]]
  [[ "$output" == *'entrypoint: ["/bin/sh", "/opt/aztec-infra/node-entrypoint.sh"]'* ]]
  # The only env_file is the non-secret node.env.
  [ "$(grep -A2 'env_file:' <<<"$output" | grep -c '^      - ')" -eq 1 ]
}

@test "the entrypoint wrapper exports each secret file, then runs the node with its arguments" {
  bare_metal_root
  sv --root "$R" --no-system install
  local d="$BATS_TEST_TMPDIR/w"
  mkdir -p "$d/secrets" "$d/bin"
  printf 'https://l1.example/FAKESECRET' >"$d/secrets/ETHEREUM_HOSTS"
  printf '#!/bin/sh\necho "args=$*"\necho "hosts=$ETHEREUM_HOSTS"\n' >"$d/bin/node"
  chmod +x "$d/bin/node"
  sed "s#/run/aztec-secrets#$d/secrets#" "$R/opt/aztec-infra/node-entrypoint.sh" >"$d/entry.sh"
  PATH="$d/bin:$PATH" run sh "$d/entry.sh" start --node
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "args=--no-warnings /usr/src/yarn-project/aztec/dest/bin/index.js start --node" ]
  [ "${lines[1]}" = "hosts=https://l1.example/FAKESECRET" ]
}

@test "only the systemd unit starts containers: restart no, and one exit stops them all" {
  run sv render-compose --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ "$(grep -c '^    restart: "no"$' <<<"$output")" -eq 3 ]
  no_match 'unless-stopped\|restart: always' <<<"$output"
  run sv render-unit --settings "$FIX/validator.env"
  grep -E '^ExecStart=.* up .*--abort-on-container-exit' <<<"$output"
  # Compose only notices exits of containers it is attached to: all of them, output dropped.
  no_match -e '--no-attach' <<<"$output"
  grep -qx 'StandardOutput=null' <<<"$output"
}

@test "fetch-secrets refuses to start when the data disk is not mounted, before writing secrets" {
  bare_metal_root
  run sv --root "$R" fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing to start: $R/var/lib/aztec is not the data disk"*"must not land on the root disk"* ]]
  [ ! -e "$R/run/aztec-infra/keys" ]
  [ ! -e "$R/run/aztec-infra/env" ]
}

@test "install --signal sends FAILURE when the settings are invalid" {
  use_stubs
  f=$(ec2_with AZTEC_NETWORK=devnet CFN_STACK_NAME=aztec-infra-dev-validators-us-east-1 CFN_LOGICAL_ID=Node1)
  run sv --root "$R" --no-system install --signal --settings "$f"
  [ "$status" -eq 2 ]
  grep -q -- 'aws cloudformation signal-resource --region eu-west-1 --stack-name aztec-infra-dev-validators-us-east-1 --logical-resource-id Node1 --unique-id i-0123456789abcdef0 --status FAILURE' "$STUB_LOG"
}

@test "install --signal sends FAILURE when a settings line cannot even be parsed" {
  use_stubs
  f="$BATS_TEST_TMPDIR/broken.env"
  # The broken line comes first: nothing after it is loaded, the exit handler reads the stack itself.
  { echo "this is not a setting"; cat "$FIX/validator.env"; echo CFN_STACK_NAME=s; echo CFN_LOGICAL_ID=Node1; } >"$f"
  run sv --root "$R" --no-system install --signal --settings "$f"
  [ "$status" -eq 2 ]
  grep -q -- '--status FAILURE' "$STUB_LOG"
}

@test "install --signal fails loudly and sends FAILURE when the node never answers /status" {
  use_stubs
  mkdir -p "$R/dev/disk/by-id"
  truncate -s 16M "$R/dev/nvme1n1"
  ln -s ../../nvme1n1 "$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
  f=$(ec2_with CFN_STACK_NAME=s CFN_LOGICAL_ID=Node1 HEALTH_TIMEOUT_SECONDS=10)
  run sv --root "$R" --no-system install --signal --settings "$f"
  [ "$status" -eq 1 ]
  [[ "$output" == *"node did not answer /status within 10s"* ]]
  grep -q -- '--status FAILURE' "$STUB_LOG"
  no_match -- '--status SUCCESS' "$STUB_LOG"
  STUB_STATUS_RC=0 run sv --root "$R" --no-system install --signal --settings "$f"
  [ "$status" -eq 0 ]
  grep -q -- '--status SUCCESS' "$STUB_LOG"
}

@test "install fails and sends FAILURE when the node answers /status but not its JSON-RPC (standby); health says which" {
  use_stubs
  mkdir -p "$R/dev/disk/by-id"
  truncate -s 16M "$R/dev/nvme1n1"
  ln -s ../../nvme1n1 "$R/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
  f=$(ec2_with CFN_STACK_NAME=s CFN_LOGICAL_ID=Node1 HEALTH_TIMEOUT_SECONDS=10)
  STUB_STATUS_RC=0 STUB_RPC_RC=22 run sv --root "$R" --no-system install --signal --settings "$f"
  [ "$status" -eq 1 ]
  [[ "$output" == *"node answered /status but not node_getNodeInfo (standby"*"within 10s"* ]]
  grep -q -- '--status FAILURE' "$STUB_LOG"
  no_match -- '--status SUCCESS' "$STUB_LOG"
  STUB_STATUS_RC=0 STUB_RPC_RC=22 run sv --root "$R" --no-system health --settings "$f"
  [ "$status" -eq 1 ]
  [[ "$output" == *"error: node answered /status but not node_getNodeInfo"* ]]
  run sv --root "$R" --no-system health --settings "$f"
  [ "$status" -eq 1 ]
  [[ "$output" == *"error: node did not answer /status"* ]]
  STUB_STATUS_RC=0 run sv --root "$R" --no-system health --settings "$f"
  [ "$status" -eq 0 ]
  [ "$output" = healthy ]
}

@test "health asks a prover broker for /status only: it serves no node JSON-RPC" {
  use_stubs
  f=$(ec2_with ROLE=prover-broker SSM_KEYSTORE_PARAMETER= P2P_IP=)
  STUB_STATUS_RC=0 STUB_RPC_RC=22 run sv --root "$R" --no-system health --settings "$f"
  [ "$status" -eq 0 ]
  no_match node_getNodeInfo "$STUB_LOG"
}

@test "check names the operating system and fails an unsupported one" {
  local v
  for v in 'debian 12' 'debian 13' 'ubuntu 22.04' 'ubuntu 24.04'; do
    printf 'ID=%s\nVERSION_ID="%s"\n' "${v% *}" "${v#* }" >"$CHECK_OS_RELEASE"
    CHECK_NPROC=16 CHECK_MEM_KIB=32000000 CHECK_DISK_BYTES=1100000000000 CHECK_DOCKER_VERSION=27.5.1 \
      run sv check --settings "$FIX/validator.env"
    [ "$status" -eq 0 ]
    [ "${lines[4]}" = "PASS os ${v/ /-} debian-12|debian-13|ubuntu-22.04|ubuntu-24.04" ]
  done
  printf 'ID=debian\nVERSION_ID="11"\n' >"$CHECK_OS_RELEASE"
  CHECK_NPROC=16 CHECK_MEM_KIB=32000000 CHECK_DISK_BYTES=1100000000000 CHECK_DOCKER_VERSION=27.5.1 \
    run sv check --settings "$FIX/validator.env"
  [ "$status" -eq 1 ]
  [ "${lines[4]}" = "FAIL os debian-11 debian-12|debian-13|ubuntu-22.04|ubuntu-24.04" ]
}
