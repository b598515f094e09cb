#!/usr/bin/env bash
# facts.sh DIR: the real-Aztec "facts" tier. Static checks of what this project renders against the real Aztec
# packages that tests/real-aztec/install.sh put in DIR (4.1.2 node + CLI, 5.2.0 libraries). Nothing runs a node,
# nothing goes to the network, no secret is printed (the secrets involved are the test fixtures' fakes, and
# only their file names are read). One TAP line per check (`ok - ...` / `not ok - ...`, reasons on `#` lines);
# exit 1 if any check failed.
#   env:     every env name the project sets for the node (setup-validator.sh per role, its secret files and HA
#            migration, the Kubernetes render and the committed k8s/) is one the real node reads (EnvVar of
#            @aztec/foundation 4.1.2 and 5.2.0); facts/env-names.mjs
#   start:   every `aztec start` line (and `migrate-ha-db up`) the project renders is accepted by the real 4.1.2
#            CLI parser, a made-up flag is refused, no line uses --archiver; facts/start-parse.mjs (DIR/bin/node)
#   metrics: every aztec_* metric in monitoring/ (and a fresh C# render of it) is one @aztec/telemetry-client
#            defines, after the collector's OTel -> Prometheus conversion; facts/metrics.mjs
# Needs: bash, node (the host's; reads files only), jq, dotnet with `dotnet build AztecInfra.sln` done
# (`dotnet run --no-build`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DIR=${1:?usage: facts.sh DIR (the directory tests/real-aztec/install.sh prints)}
DIR=$(cd "$DIR" && pwd)
[[ -f $DIR/.complete ]] || { echo "facts.sh: $DIR is not a finished install (run tests/real-aztec/install.sh)" >&2; exit 2; }
FIX=$repo/scripts/tests/fixtures
# Under /tmp: the chrooted node sees the host's /tmp as its own.
work=$(mktemp -d /tmp/aztec-facts.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "facts.sh: $*" >&2; exit 2; }
sv() { bash "$repo/scripts/setup-validator.sh" "$@"; }

# --- stubs: docker records the HA migration's command line and the names of its mounted secret files ------
mkdir -p "$work/stubs"
cat >"$work/stubs/docker" <<'EOF'
#!/usr/bin/env bash
# facts.sh stub for `docker run ... IMAGE /opt/aztec-infra/node-entrypoint.sh ARGS`: records, in
# $FACTS_DOCKER_LOG, "mount NAME" for each file of the /run/aztec-secrets mount (names only, never contents)
# and "argv ARG" for each ARG the entrypoint wrapper hands to the aztec CLI.
set -euo pipefail
cli=0
while (($#)); do
  if ((cli)); then echo "argv $1" >>"$FACTS_DOCKER_LOG"
  elif [[ $1 == -v && ${2:-} == *:/run/aztec-secrets:ro ]]; then
    for f in "${2%%:*}"/*; do [[ ! -f $f ]] || echo "mount ${f##*/}" >>"$FACTS_DOCKER_LOG"; done
    shift
  elif [[ $1 == -v || $1 == --entrypoint ]]; then shift
  elif [[ $1 == /opt/aztec-infra/node-entrypoint.sh ]]; then cli=1
  fi
  shift
done
EOF
cat >"$work/stubs/aztec-record" <<'EOF'
#!/usr/bin/env bash
# facts.sh stand-in for the aztec CLI dev-network.sh starts: records its arguments, one a line, and exits.
printf '%s\n' "$@" >"$FACTS_ARGV_OUT"
EOF
chmod 755 "$work/stubs/docker" "$work/stubs/aztec-record"

# --- setup-validator.sh: each role (the roles.bats fixtures), the sequencer with and without HA ------------
# settings NAME KEY=VALUE...: the EC2 fixture with keys replaced or added (KEY= alone removes the key).
settings() {
  local f=$work/settings/$1.env kv
  shift
  mkdir -p "$work/settings"
  cp "$FIX/validator.env" "$f"
  for kv in "$@"; do
    sed -i "/^${kv%%=*}=/d" "$f"
    [[ $kv == *= ]] || echo "$kv" >>"$f"
  done
  echo "$f"
}
declare -A CASE=(
  [sequencer]="COINBASE=0x00000000000000000000000000000000000000c0"
  [sequencer-ha]="COINBASE=0x00000000000000000000000000000000000000c0 HA_SIGNING_ENABLED=true HA_DATABASE_HOST=db.internal HA_DATABASE_NAME=aztec_ha HA_DATABASE_SECRET_ID=aztec/dev/ha-db"
  [full]="ROLE=full SSM_KEYSTORE_PARAMETER= WS_NUM_HISTORIC_CHECKPOINTS=0 P2P_ARCHIVED_TX_LIMIT=10000000 P2P_IP="
  [prover-node]="ROLE=prover-node PROVER_BROKER_HOST=10.60.0.20 SSM_KEYSTORE_PARAMETER= SSM_PUBLISHER_KEY_PARAMETER=/aztec/dev/prover/publisher-key PROVER_ID=0x00000000000000000000000000000000000000aa"
  [prover-broker]="ROLE=prover-broker SSM_KEYSTORE_PARAMETER= P2P_IP="
  [prover-agent]="ROLE=prover-agent PROVER_BROKER_HOST=10.60.0.20 EBS_VOLUME_ID= P2P_IP= SSM_KEYSTORE_PARAMETER= SSM_L1_EXECUTION_PARAMETER= SSM_L1_CONSENSUS_PARAMETER="
)
for name in sequencer sequencer-ha full prover-node prover-broker prover-agent; do
  d=$work/sv/$name
  mkdir -p "$d/render-root"
  # shellcheck disable=SC2086 # the case is a list of KEY=VALUE words
  s=$(settings "$name" ${CASE[$name]})
  sv --root "$d/render-root" --no-system render-node-env --settings "$s" >"$d/node.env" 2>"$d/render.err" ||
    fail "setup-validator.sh render-node-env ($name) failed: $(cat "$d/render.err")"
  sv --root "$d/render-root" --no-system render-compose --settings "$s" >"$d/compose.yml" 2>"$d/render.err" ||
    fail "setup-validator.sh render-compose ($name) failed: $(cat "$d/render.err")"
  [[ $name != sequencer ]] || sv --root "$d/render-root" --no-system render-otel-config --settings "$s" >"$work/sv/otel-collector.yaml"

  # fetch-secrets in dir mode under a --root of its own: the files it writes into $RUN/env/ are the secret env.
  r=$d/root
  mkdir -p "$r/etc/aztec-infra"
  cp -r "$FIX/secrets" "$r/etc/aztec-infra/secrets"
  case $name in
    sequencer-ha) # HA nodes share attesters: each validator entry carries the node's own publisher
      jq '.validators |= map(.publisher = ["0x'"$(printf '%064d' 3)"'"])' "$FIX/secrets/keystore.json" >"$r/etc/aztec-infra/secrets/keystore.json" ;;
    prover-node) printf '0x%064d\n' 7 >"$r/etc/aztec-infra/secrets/prover-publisher-key" ;;
  esac
  chmod 700 "$r/etc/aztec-infra/secrets"
  extra=(SECRETS_SOURCE=dir SECRETS_DIR=/etc/aztec-infra/secrets EBS_VOLUME_ID=)
  [[ $name == prover-agent ]] || extra+=(DATA_DEVICE=/dev/aztec-data)
  # shellcheck disable=SC2086
  s=$(settings "$name-dir" ${CASE[$name]} "${extra[@]}")
  PATH="$work/stubs:$FIX/stubs:$PATH" STUB_LOG="$d/stub.log" STUB_SECRETS="$FIX/secrets" FACTS_DOCKER_LOG="$d/docker.log" \
    sv --root "$r" --no-system fetch-secrets --settings "$s" >"$d/fetch.log" 2>&1 ||
    fail "setup-validator.sh fetch-secrets ($name) failed (log in a temp dir, not shown: it may quote fixture secrets)"
  find "$r/run/aztec-infra/env" -maxdepth 1 -type f -printf '%f\n' | sort >"$d/secrets.names"
  touch "$d/docker.log"
done

# --- dev-network.sh start: its command line, through a recording stand-in (and the dev stubs for the rest) --
mkdir -p "$work/dev"
PATH="$FIX/dev-stubs:$PATH" AZTEC_BIN="$work/stubs/aztec-record" FACTS_ARGV_OUT="$work/dev/argv" \
  DEV_NETWORK_STATE_DIR="$work/dev/state" STUB_LOG="$work/dev/stub.log" DEV_POLL_SECONDS=0.1 \
  CHECK_MEM_KIB=$((16 * 1024 * 1024)) CHECK_NPROC=8 CHECK_DISK_FREE_KIB=$((60 * 1000 * 1000)) CHECK_OS=Linux \
  bash "$repo/scripts/dev-network.sh" start >"$work/dev/out" 2>&1 || true
[[ -s $work/dev/argv ]] || fail "dev-network.sh start did not run the aztec CLI: $(cat "$work/dev/out")"

# --- the Kubernetes render (dev, prod) and a fresh render of the monitoring bundle (infra/Monitoring) --------
for stage in dev prod; do
  (cd "$repo" && dotnet run --project stacks --no-build -- k8s render --stage "$stage" --out "$work/k8s/$stage") >"$work/k8s-$stage.log" 2>&1 ||
    fail "k8s render --stage $stage failed (did 'dotnet build AztecInfra.sln' run?): $(tail -n 5 "$work/k8s-$stage.log")"
done
(cd "$repo" && dotnet run --project stacks --no-build -- monitoring render --out "$work/monitoring") >"$work/monitoring.log" 2>&1 ||
  fail "monitoring render failed: $(tail -n 5 "$work/monitoring.log")"

# --- the checks ----------------------------------------------------------------------------------------------
node "$here/facts/collect.mjs" "$work" "$repo" || fail "facts/collect.mjs failed"
status=0
run() { # run OUT COMMAND...: a helper's TAP lines; a helper that dies is a failed check
  local out=$1
  shift
  if ! "$@" >"$out" 2>"$out.err"; then
    { echo "not ok - ${out##*/} helper failed ($*)"; sed 's/^/# /' "$out.err"; } >>"$out"
  fi
}
run "$work/env.tap" node "$here/facts/env-names.mjs" "$DIR" "$work/contexts.json"
cp "$here/facts/start-parse.mjs" "$work/start-parse.mjs"
echo '{}' >"$work/network-config.json"
run "$work/start.tap" env -u NETWORK ENABLE_VERSION_CHECK=false NETWORK_CONFIG_LOCATION="$work/network-config.json" \
  "$DIR/bin/node" "$work/start-parse.mjs" "$work/cases.json"
run "$work/metrics.tap" node "$here/facts/metrics.mjs" "$DIR" "$repo" "$work"
cat "$work/env.tap" "$work/start.tap" "$work/metrics.tap"
passed=$(cat "$work/env.tap" "$work/start.tap" "$work/metrics.tap" | grep -c '^ok - ' || true)
failed=$(cat "$work/env.tap" "$work/start.tap" "$work/metrics.tap" | grep -c '^not ok - ' || true)
echo "# facts: $passed passed, $failed failed"
((failed == 0)) || status=1
exit "$status"
