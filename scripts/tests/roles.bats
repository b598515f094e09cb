#!/usr/bin/env bats
# Roles of scripts/setup-validator.sh: the command line and environment each role renders, its
# secrets and its disk. Run: bats scripts/tests/roles.bats. Nothing touches the host (--root, --no-system).

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../setup-validator.sh"
  FIX="$BATS_TEST_DIRNAME/fixtures"
  R="$BATS_TEST_TMPDIR/root"
  mkdir -p "$R"
  sv() { bash "$SCRIPT" "$@"; }
  no_match() { if grep -q "$@"; then echo "unexpected match: $*" >&2; return 1; fi; }
  # The EC2 fixture with KEY=VALUE lines replaced or added (KEY= alone removes the key).
  with() {
    local f="$BATS_TEST_TMPDIR/role.env" kv
    cp "$FIX/validator.env" "$f"
    for kv in "$@"; do
      sed -i "/^${kv%%=*}=/d" "$f"
      [[ $kv == *= ]] || echo "$kv" >>"$f"
    done
    echo "$f"
  }
  PROVER_ENV=(ROLE=prover-node PROVER_BROKER_HOST=10.60.0.20 SSM_KEYSTORE_PARAMETER= SSM_PUBLISHER_KEY_PARAMETER=/aztec/dev/prover/publisher-key PROVER_ID=0x00000000000000000000000000000000000000aa)
  AGENT_ENV=(ROLE=prover-agent PROVER_BROKER_HOST=10.60.0.20 EBS_VOLUME_ID= P2P_IP= SSM_KEYSTORE_PARAMETER= SSM_L1_EXECUTION_PARAMETER= SSM_L1_CONSENSUS_PARAMETER=)
}

command_of() { grep -m1 '    command:' <<<"$1"; }

@test "sequencer (the default role) renders start --node --sequencer" {
  run sv render-compose --settings "$FIX/validator.env"
  [ "$status" -eq 0 ]
  [ "$(command_of "$output")" = '    command: ["start", "--node", "--sequencer", "--network", "testnet"]' ]
  [[ "$output" == *"/var/lib/aztec-keystore:ro"* ]]
}

@test "--role sequencer renders exactly what no role renders" {
  diff <(sv render-compose --settings "$FIX/validator.env") <(sv render-compose --settings "$FIX/validator.env" --role sequencer)
  diff <(sv render-node-env --settings "$FIX/validator.env") <(sv render-node-env --settings "$FIX/validator.env" --role sequencer)
}

@test "full renders start --node with history settings, P2P and private RPC, no keystore" {
  f=$(with ROLE=full SSM_KEYSTORE_PARAMETER= WS_NUM_HISTORIC_CHECKPOINTS=0 P2P_ARCHIVED_TX_LIMIT=10000000)
  run sv render-compose --settings "$f"
  [ "$status" -eq 0 ]
  [ "$(command_of "$output")" = '    command: ["start", "--node", "--network", "testnet"]' ]
  [[ "$output" == *'"40400:40400/udp"'* && "$output" == *'"0.0.0.0:8080:8080"'* ]]
  [[ "$output" != *"aztec-keystore"* && "$output" != *"--sequencer"* ]]
  run sv render-node-env --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" == *$'\nWS_NUM_HISTORIC_CHECKPOINTS=0\n'* ]]
  [[ "$output" == *$'\nP2P_ARCHIVED_TX_LIMIT=10000000'* ]]
  [[ "$output" != *KEY_STORE_DIRECTORY* ]]
}

@test "prover-node renders start --prover-node with the broker and prover id" {
  f=$(with "${PROVER_ENV[@]}")
  run sv render-compose --settings "$f"
  [ "$status" -eq 0 ]
  [ "$(command_of "$output")" = '    command: ["start", "--prover-node", "--network", "testnet"]' ]
  [[ "$output" == *'"40400:40400/tcp"'* ]]
  run sv render-node-env --settings "$f"
  [[ "$output" == *$'\nPROVER_BROKER_HOST=http://10.60.0.20:8080\n'* ]]
  [[ "$output" == *$'\nPROVER_ID=0x00000000000000000000000000000000000000aa'* ]]
  [[ "$output" == *"DATA_DIRECTORY=/var/lib/aztec/data"* ]]
  # The publisher key is a secret: never in node.env.
  [[ "$output" != *PROVER_PUBLISHER_PRIVATE_KEY* ]]
}

@test "prover-broker renders start --prover-broker, 8080 only, no P2P and no keystore" {
  f=$(with ROLE=prover-broker SSM_KEYSTORE_PARAMETER= P2P_IP=)
  run sv render-compose --settings "$f"
  [ "$status" -eq 0 ]
  [ "$(command_of "$output")" = '    command: ["start", "--prover-broker", "--network", "testnet"]' ]
  [[ "$output" == *'"0.0.0.0:8080:8080"'* ]]
  [[ "$output" != *40400* && "$output" != *aztec-keystore* ]]
  run sv render-node-env --settings "$f"
  [[ "$output" == *"DATA_DIRECTORY=/var/lib/aztec/data"* ]]
  [[ "$output" != *P2P_* && "$output" != *PROVER_BROKER_HOST* ]]
}

@test "prover-agent renders start --prover-agent with the broker, no ports, no disk, no L1" {
  f=$(with "${AGENT_ENV[@]}")
  run sv render-compose --settings "$f"
  [ "$status" -eq 0 ]
  [ "$(command_of "$output")" = '    command: ["start", "--prover-agent", "--network", "testnet"]' ]
  aztec=$(sed -n '/^  aztec-node:/,/^  otel-collector:/p' <<<"$output")
  # No published port and no data disk: only the secrets mount and the entrypoint wrapper.
  [[ "$aztec" != *"ports:"* && "$aztec" != *"/var/lib/aztec/data"* && "$aztec" != *"aztec-keystore"* ]]
  [[ "$aztec" == *"/run/aztec-infra/env:/run/aztec-secrets:ro"* ]]
  [[ "$output" != *"/host/root/var/lib/aztec"* ]]
  run sv render-node-env --settings "$f"
  [[ "$output" == *$'\nPROVER_BROKER_HOST=http://10.60.0.20:8080\n'* ]]
  [[ "$output" == *$'\nPROVER_AGENT_COUNT=1'* ]]
  [[ "$output" != *DATA_DIRECTORY* && "$output" != *P2P_* ]]
}

@test "an unknown role is refused naming ROLE, the value and the choices" {
  run sv render-compose --settings "$FIX/validator.env" --role miner
  [ "$status" -eq 2 ]
  [[ "$output" == *"ROLE: 'miner' is not allowed; use sequencer, full, prover-node, prover-broker or prover-agent"* ]]
}

@test "prover-node and prover-agent without the broker's address are refused" {
  for role in prover-node prover-agent; do
    f=$(with ROLE=$role SSM_KEYSTORE_PARAMETER= SSM_PUBLISHER_KEY_PARAMETER=/p EBS_VOLUME_ID=)
    [[ $role == prover-agent ]] || f=$(with ROLE=$role SSM_KEYSTORE_PARAMETER= SSM_PUBLISHER_KEY_PARAMETER=/p)
    run sv render-node-env --settings "$f"
    [ "$status" -eq 2 ]
    [[ "$output" == *"PROVER_BROKER_HOST is required; role $role pulls its jobs from the broker"* ]]
  done
}

@test "prover-node in ssm mode needs its publisher key parameter, not a keystore" {
  f=$(with ROLE=prover-node PROVER_BROKER_HOST=10.60.0.20 SSM_KEYSTORE_PARAMETER=)
  run sv render-node-env --settings "$f"
  [ "$status" -eq 2 ]
  [[ "$output" == *"SSM_PUBLISHER_KEY_PARAMETER is required; SECRETS_SOURCE=ssm needs the parameter name for role prover-node"* ]]
  [[ "$output" != *SSM_KEYSTORE_PARAMETER* ]]
}

@test "HA signing is refused on any role but sequencer" {
  f=$(with ROLE=full SSM_KEYSTORE_PARAMETER= HA_SIGNING_ENABLED=true HA_DATABASE_SECRET_ID=aztec-infra/dev/ha-database)
  run sv render-node-env --settings "$f"
  [ "$status" -eq 2 ]
  [[ "$output" == *"HA_SIGNING_ENABLED: 'true' is not allowed with ROLE=full; only sequencers sign"* ]]
}

@test "prover-node fetch-secrets puts its publisher key only in a 0600 file on tmpfs" {
  mkdir -p "$R/etc/aztec-infra"
  cp -r "$FIX/secrets" "$R/etc/aztec-infra/secrets"
  rm "$R/etc/aztec-infra/secrets/keystore.json"
  printf '0x%064d\n' 7 | sed 's/^0x0/0xF/' >"$R/etc/aztec-infra/secrets/prover-publisher-key"
  chmod 700 "$R/etc/aztec-infra/secrets"
  f=$(with "${PROVER_ENV[@]}" EBS_VOLUME_ID= DATA_DEVICE=/dev/aztec-data SECRETS_SOURCE=dir SECRETS_DIR=/etc/aztec-infra/secrets SSM_PUBLISHER_KEY_PARAMETER=)
  run sv --root "$R" --no-system fetch-secrets --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" != *0xF000* ]]
  [ "$(stat -c %a "$R/run/aztec-infra/env/PROVER_PUBLISHER_PRIVATE_KEY")" = 600 ]
  [ "$(cat "$R/run/aztec-infra/env/PROVER_PUBLISHER_PRIVATE_KEY")" = "$(cat "$R/etc/aztec-infra/secrets/prover-publisher-key")" ]
  [ -s "$R/run/aztec-infra/env/ETHEREUM_HOSTS" ]
  [ -z "$(ls -A "$R/run/aztec-infra/keys")" ]
}

@test "prover-node fetch-secrets refuses a malformed publisher key without showing it" {
  mkdir -p "$R/etc/aztec-infra"
  cp -r "$FIX/secrets" "$R/etc/aztec-infra/secrets"
  echo "FAKESECRET-not-a-key" >"$R/etc/aztec-infra/secrets/prover-publisher-key"
  chmod 700 "$R/etc/aztec-infra/secrets"
  f=$(with "${PROVER_ENV[@]}" EBS_VOLUME_ID= DATA_DEVICE=/dev/aztec-data SECRETS_SOURCE=dir SECRETS_DIR=/etc/aztec-infra/secrets SSM_PUBLISHER_KEY_PARAMETER=)
  run sv --root "$R" --no-system fetch-secrets --settings "$f"
  [ "$status" -eq 1 ]
  [[ "$output" == *"prover publisher key is not 0x followed by 64 hex digits (value not shown)"* ]]
  [[ "$output" != *FAKESECRET* ]]
  [ ! -e "$R/run/aztec-infra/env" ]
}

@test "prover-agent fetch-secrets reads nothing and leaves the secrets mount empty" {
  f=$(with "${AGENT_ENV[@]}")
  export STUB_LOG="$BATS_TEST_TMPDIR/stub.log"
  : >"$STUB_LOG"
  PATH="$FIX/stubs:$PATH" run sv --root "$R" fetch-secrets --settings "$f"
  [ "$status" -eq 0 ]
  [ ! -s "$STUB_LOG" ]
  [ -d "$R/run/aztec-infra/env" ]
  [ -z "$(ls -A "$R/run/aztec-infra/env")" ]
}

@test "prover-agent install needs no data disk and a second run changes nothing" {
  f=$(with "${AGENT_ENV[@]}")
  run sv --root "$R" --no-system install --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" == *"file(s) changed"* ]]
  grep -q 'ROLE=prover-agent' "$R/etc/aztec-infra/validator.effective.env"
  [ ! -e "$R/etc/fstab" ]
  run sv --root "$R" --no-system install --settings "$f"
  [ "$status" -eq 0 ]
  [[ "$output" == *"install: no changes"* ]]
}
