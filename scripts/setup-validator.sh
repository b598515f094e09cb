#!/usr/bin/env bash
# setup-validator.sh: the single source of how an Ubuntu 22.04/24.04 host becomes
# an Aztec validator (EC2 via cloud-init, or bare metal by hand). See --help.
# Secrets (keystore, L1 URLs, DB password) never go to stdout/stderr, the data
# disk or a command line: they live only in /run/aztec-infra (tmpfs).
set -euo pipefail
# `render_x | put FILE` must run put in this shell so it can record what changed.
shopt -s lastpipe

readonly KEYS=(STAGE NODE_ID AZTEC_NETWORK AZTEC_IMAGE OTEL_COLLECTOR_IMAGE NODE_EXPORTER_IMAGE
  EBS_VOLUME_ID DATA_DEVICE DATA_MOUNT P2P_IP P2P_PORT RPC_BIND METRICS_BIND COINBASE LOG_LEVEL
  SECRETS_SOURCE AWS_REGION SSM_KEYSTORE_PARAMETER SSM_L1_EXECUTION_PARAMETER
  SSM_L1_CONSENSUS_PARAMETER SECRETS_DIR HA_SIGNING_ENABLED HA_DATABASE_HOST HA_DATABASE_PORT
  HA_DATABASE_NAME HA_DATABASE_SECRET_ID CFN_STACK_NAME CFN_LOGICAL_ID HEALTH_TIMEOUT_SECONDS
  SSM_SETTINGS_PARAMETER ROLE PROVER_BROKER_HOST PROVER_ID SSM_PUBLISHER_KEY_PARAMETER
  WS_NUM_HISTORIC_CHECKPOINTS P2P_ARCHIVED_TX_LIMIT)
readonly VALUE_RE='^[A-Za-z0-9_.:/,@+=-]*$'
# Any constant works as long as every node of a deployment uses the same one.
readonly HA_LOCK_ID=7235120001
readonly UNIT_NAME=aztec-validator.service
declare -A S=() OVR=() SEEN=()
ROOT="" NO_SYSTEM="${SETUP_NO_SYSTEM:-0}" SETTINGS="" SIGNAL=0 PROFILE="" CMD="" HELP=0 SIGNALLED=0
ARGS=() CHANGED=() ERRS=()

log() { echo "setup-validator: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }
usage_err() { echo "error: $*" >&2; echo "Run 'setup-validator.sh --help' for usage." >&2; exit 2; }

usage() {
  local text
  text=$(cat <<'EOF'
Usage: setup-validator.sh [--root DIR] [--no-system] COMMAND [--settings FILE] [options]

  install [--signal]   bootstrap this host as a validator (idempotent: a second run
                       changes nothing), then wait until healthy (see health; fails after
                       HEALTH_TIMEOUT_SECONDS); --signal sends the CloudFormation
                       signal (FAILURE on any error)

  health               check the running node once: GET /status and, for sequencer and
                       full nodes, node_getNodeInfo on its JSON-RPC (a node in standby
                       answers /status only); exit 1 naming what failed

  refresh              run by systemd before each start: re-read the settings (with
                       SSM_SETTINGS_PARAMETER, from SSM) and rewrite the node's env,
                       compose and collector files; never restarts anything

  grow-fs              grow the data filesystem online to the size of its device
                       (after EBS finished modifying the volume); install does it too

  fetch-secrets        run by systemd before each start: refuses unless the data disk
                       is mounted; keystore + one file per secret into
                       /run/aztec-infra (tmpfs, 0700/0600); with HA it migrates the
                       database under a PostgreSQL advisory lock

  check [--profile testnet|mainnet]
                       compare the host with the spec: PASS|WARN|FAIL <what> <have>
                       <need>; exit 1 on FAIL (inputs: CHECK_NPROC, CHECK_MEM_KIB,
                       CHECK_DISK_BYTES, CHECK_DOCKER_VERSION (empty = no docker),
                       CHECK_OS_RELEASE (a file like /etc/os-release))

  render-node-env, render-compose, render-unit, render-otel-config,
  fstab-line UUID, device-path
                       print generated files (no host changes)

  --settings FILE      default /etc/aztec-infra/validator.env
  --root DIR           prefix for every host path read or written (tests)
  --no-system          skip packages, mounts and systemctl (or SETUP_NO_SYSTEM=1)
  Overrides (win over the file): --network --image --node-id --data-device
  --p2p-ip --secrets-dir (implies SECRETS_SOURCE=dir) --rpc-bind
  --role sequencer|full|prover-node|prover-broker|prover-agent (ROLE, default
  sequencer): full = start --node (RPC), prover-node needs PROVER_BROKER_HOST and
  its publisher key (SSM_PUBLISHER_KEY_PARAMETER, or prover-publisher-key in the
  secrets dir), prover-agent needs PROVER_BROKER_HOST and no data disk
EOF
  )
  if [[ -z ${1:-} ]]; then
    echo "$text"
  else # the usage line and the command's paragraph
    awk -v RS= -v ORS='\n\n' -v c="$1" 'NR == 1 || $0 ~ "(^|[ ,])" c "([ ,]|$)"' <<<"$text"
  fi
}
parse_args() {
  local opt val
  declare -A flag_key=([--network]=AZTEC_NETWORK [--image]=AZTEC_IMAGE [--node-id]=NODE_ID
    [--data-device]=DATA_DEVICE [--p2p-ip]=P2P_IP [--secrets-dir]=SECRETS_DIR [--rpc-bind]=RPC_BIND [--role]=ROLE)
  while (($#)); do
    opt=$1 val=""
    if [[ $opt == --*=* ]]; then val=${opt#*=} opt=${opt%%=*}; set -- "$opt" "$val" "${@:2}"; fi
    case $opt in
      -h | --help) HELP=1 ;;
      --no-system) NO_SYSTEM=1 ;;
      --signal) SIGNAL=1 ;;
      --root | --settings | --profile | --network | --image | --node-id | --data-device | --p2p-ip | --secrets-dir | --rpc-bind | --role)
        (($# >= 2)) || usage_err "$opt needs a value"
        val=$2
        shift
        case $opt in
          --root) ROOT=${val%/} ;;
          --settings) SETTINGS=$val ;;
          --profile) PROFILE=$val ;;
          *)
            [[ $val =~ $VALUE_RE ]] || usage_err "$opt: value has characters outside [A-Za-z0-9_.:/,@+=-]"
            OVR[${flag_key[$opt]}]=$val
            ;;
        esac
        ;;
      -*) usage_err "unknown option '$opt'" ;;
      *) if [[ -z $CMD ]]; then CMD=$opt; else ARGS+=("$opt"); fi ;;
    esac
    shift
  done
  [[ -z $ROOT || $ROOT =~ ^(/[A-Za-z0-9._-]+)+$ ]] || usage_err "--root: '$ROOT' must be an absolute path of [A-Za-z0-9._-] segments"
  case $CMD in
    "" | install | refresh | grow-fs | fetch-secrets | check | health | render-node-env | render-compose | render-unit | render-otel-config | device-path) ;;
    fstab-line) ((HELP || ${#ARGS[@]} == 1)) || usage_err "fstab-line needs exactly one UUID" ;;
    *) usage_err "unknown command '$CMD'" ;;
  esac
  [[ $CMD == fstab-line || ${#ARGS[@]} == 0 ]] || usage_err "unexpected argument '${ARGS[0]}'"
  [[ $SIGNAL == 0 || $CMD == install ]] || usage_err "--signal is only valid with install"
  [[ -z $PROFILE || $CMD == check ]] || usage_err "--profile is only valid with check"
  return 0
}

set_paths() {
  ETC=$ROOT/etc/aztec-infra RUN=$ROOT/run/aztec-infra OPT=$ROOT/opt/aztec-infra
  UNIT=$ROOT/etc/systemd/system/$UNIT_NAME FSTAB=$ROOT/etc/fstab
  COMPOSE=$ETC/docker-compose.yml NODE_ENV=$ETC/node.env OTEL_CFG=$ETC/otel-collector.yaml
  EFFECTIVE=$ETC/validator.effective.env SELF=$OPT/setup-validator.sh ENTRY=$OPT/node-entrypoint.sh
  SETTINGS_FILE=$(realpath -m "${SETTINGS:-$ETC/validator.env}")
}

# Settings are data, never code: no source/eval, whitelisted keys, restricted characters.
load_settings() {
  local f=${SETTINGS:-$ETC/validator.env}
  if [[ ! -f $f ]]; then
    [[ -z $SETTINGS ]] || usage_err "settings file '$f' not found"
    return 0
  fi
  # shellcheck disable=SC2094 # parse_settings only reads; the first argument is the label in its messages
  parse_settings "$f" <"$f"
}

# parse_settings LABEL < KEY=VALUE lines (a file, or the SSM settings parameter).
parse_settings() {
  local f=$1 line key val n=0
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    line=${line%$'\r'}
    line=${line#"${line%%[![:space:]]*}"}
    line=${line%"${line##*[![:space:]]}"}
    [[ -z $line || $line == \#* ]] && continue
    [[ $line =~ ^([A-Za-z0-9_]+)=(.*)$ ]] || usage_err "$f:$n: expected KEY=VALUE"
    key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
    [[ " ${KEYS[*]} " == *" $key "* ]] || usage_err "$f:$n: unknown key '$key'"
    [[ -z ${SEEN[$key]:-} ]] || usage_err "$f:$n: key '$key' is set twice"
    [[ $val =~ $VALUE_RE ]] || usage_err "$f:$n: $key: value has characters outside [A-Za-z0-9_.:/,@+=-] (no quotes needed)"
    SEEN[$key]=1 S[$key]=$val
  done
}

apply_overrides_and_defaults() {
  local k
  for k in "${!OVR[@]}"; do S[$k]=${OVR[$k]}; done
  # A disk or secrets flag replaces the file's choice instead of conflicting with it.
  [[ -z ${OVR[DATA_DEVICE]:-} ]] || S[EBS_VOLUME_ID]=""
  [[ -z ${OVR[SECRETS_DIR]:-} ]] || S[SECRETS_SOURCE]=dir
  : "${S[DATA_MOUNT]:=/var/lib/aztec}" "${S[P2P_PORT]:=40400}" "${S[RPC_BIND]:=127.0.0.1}"
  : "${S[METRICS_BIND]:=127.0.0.1}" "${S[LOG_LEVEL]:=info}" "${S[HA_SIGNING_ENABLED]:=false}"
  : "${S[HA_DATABASE_PORT]:=5432}" "${S[HEALTH_TIMEOUT_SECONDS]:=2700}" "${S[ROLE]:=sequencer}"
  [[ ${S[SECRETS_SOURCE]:-} != dir ]] || : "${S[SECRETS_DIR]:=/etc/aztec-infra/secrets}"
  for k in "${KEYS[@]}"; do : "${S[$k]:=}"; done
}

need() { [[ -n ${S[$1]} ]] || ERRS+=("$1 is required; $2"); }
allow() { [[ -z ${S[$1]} || ${S[$1]} =~ $2 ]] || ERRS+=("$1: '${S[$1]}' is not allowed; $3"); }
is_ipv4() {
  local IFS=. o
  [[ $1 =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
  for o in $1; do ((10#$o <= 255)) || return 1; done
}
ipv4() { [[ -z ${S[$1]} ]] || is_ipv4 "${S[$1]}" || ERRS+=("$1: '${S[$1]}' is not allowed; use an IPv4 address like $2"); }
port() { [[ ${S[$1]} =~ ^[0-9]{1,5}$ ]] && ((10#${S[$1]} >= $2 && 10#${S[$1]} <= 65535)) || ERRS+=("$1: '${S[$1]}' is not allowed; use a port number $2-65535"); }
image() {
  local v=${S[$1]} tag=${S[$1]##*/}
  if [[ -z $v ]]; then ERRS+=("$1 is required; use a pinned image like repo/name:1.2.3")
  elif ! [[ $v =~ ^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[0-9a-f]{64})?$ ]] ||
    [[ $v != *@sha256:* && ($tag != *:* || $tag == *:latest) ]]; then
    ERRS+=("$1: '$v' is not allowed; pin a version tag or digest (not :latest), e.g. repo/name:1.2.3")
  fi
}

# The node release the settings and alerts are written for (infra/Stages/AztecRelease.cs holds the same floor):
# an older node exports none of the metrics the slashing, HA-signer and healthy-peer alerts read.
readonly AZTEC_MIN_RELEASE=5.2.0
release_floor() {
  local v=${S[$1]%@sha256:*} tag
  tag=${v##*/}
  [[ $tag == *:* ]] || return 0
  tag=${tag#*:}
  [[ $tag =~ ^v?([0-9]+)\.([0-9]+)\.([0-9]+)([-+_].*)?$ ]] || return 0
  local have=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}") want i
  IFS=. read -ra want <<<"$AZTEC_MIN_RELEASE"
  for i in 0 1 2; do
    ((10#${have[i]} == want[i])) || {
      ((10#${have[i]} > want[i])) ||
        ERRS+=("$1: '${S[$1]}' is release ${have[0]}.${have[1]}.${have[2]}, older than $AZTEC_MIN_RELEASE: its node exports none of the metrics the slashing, HA-signer and healthy-peer alerts read; use $AZTEC_MIN_RELEASE or newer")
      return 0
    }
  done
}

validate() {
  ERRS=()
  need NODE_ID "e.g. validator-1"
  allow NODE_ID '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' "use letters, digits, '_', '.', '-' (max 63)"
  allow STAGE '^[A-Za-z0-9][A-Za-z0-9_-]*$' "use letters, digits, '_', '-'"
  need AZTEC_NETWORK "use testnet or mainnet"
  allow AZTEC_NETWORK '^(testnet|mainnet)$' "use testnet or mainnet"
  image AZTEC_IMAGE
  release_floor AZTEC_IMAGE
  image OTEL_COLLECTOR_IMAGE
  image NODE_EXPORTER_IMAGE
  if [[ -n ${S[EBS_VOLUME_ID]} && -n ${S[DATA_DEVICE]} ]]; then
    ERRS+=("EBS_VOLUME_ID and DATA_DEVICE are both set ('${S[EBS_VOLUME_ID]}', '${S[DATA_DEVICE]}'); set exactly one")
  elif [[ -z ${S[EBS_VOLUME_ID]} && -z ${S[DATA_DEVICE]} ]] && role_has_disk; then
    ERRS+=("EBS_VOLUME_ID or DATA_DEVICE is required; set exactly one")
  fi
  allow EBS_VOLUME_ID '^vol-[0-9a-f]{8,17}$' "use an EBS volume id like vol-0123456789abcdef0"
  allow DATA_DEVICE '^/dev/[A-Za-z0-9_./:-]+$' "use a block device path under /dev"
  allow DATA_MOUNT '^(/[A-Za-z0-9_.-]+)+$' "use an absolute path other than /"
  [[ ${S[DATA_MOUNT]} != *..* ]] || ERRS+=("DATA_MOUNT: '${S[DATA_MOUNT]}' is not allowed; no '..'")
  ipv4 P2P_IP "203.0.113.10, or leave empty to let the node query its IP"
  port P2P_PORT 1024
  ipv4 RPC_BIND "127.0.0.1 or 0.0.0.0"
  ipv4 METRICS_BIND "127.0.0.1"
  [[ -n ${S[RPC_BIND]} ]] || ERRS+=("RPC_BIND: '' is not allowed; use an IPv4 address")
  [[ -n ${S[METRICS_BIND]} ]] || ERRS+=("METRICS_BIND: '' is not allowed; use an IPv4 address")
  allow COINBASE '^0x[0-9a-fA-F]{40}$' "use 0x followed by 40 hex digits, or leave empty"
  allow LOG_LEVEL '^(silent|fatal|error|warn|info|verbose|debug|trace)$' "use silent, fatal, error, warn, info, verbose, debug or trace"
  allow AWS_REGION '^[a-z]{2}(-[a-z]+)+-[0-9]+$' "use a region like eu-west-1"
  need SECRETS_SOURCE "use ssm or dir"
  allow SECRETS_SOURCE '^(ssm|dir)$' "use ssm or dir"
  if [[ ${S[SECRETS_SOURCE]} == ssm ]]; then
    need AWS_REGION "SECRETS_SOURCE=ssm reads SSM in that region"
    local k
    for k in $(role_ssm_parameters); do
      need "$k" "SECRETS_SOURCE=ssm needs the parameter name for role ${S[ROLE]}"
      allow "$k" '^[A-Za-z0-9_./-]+$' "use an SSM parameter name like /aztec/dev/keystore"
    done
  fi
  validate_role
  allow SECRETS_DIR '^(/[A-Za-z0-9_.-]+)+$' "use an absolute path"
  allow HA_SIGNING_ENABLED '^(true|false)$' "use true or false"
  if [[ ${S[HA_SIGNING_ENABLED]} == true ]]; then
    need HA_DATABASE_SECRET_ID "HA signing needs the Secrets Manager secret with username/password"
    need AWS_REGION "HA signing reads Secrets Manager in that region"
    port HA_DATABASE_PORT 1
  fi
  allow HA_DATABASE_HOST '^[A-Za-z0-9.-]+$' "use a host name or IPv4 address"
  allow HA_DATABASE_NAME '^[A-Za-z_][A-Za-z0-9_]*$' "use letters, digits and '_'"
  allow HEALTH_TIMEOUT_SECONDS '^[0-9]{2,5}$' "use a number of seconds (10-99999)"
  if ((SIGNAL)); then
    need CFN_STACK_NAME "--signal needs the stack to signal"
    need CFN_LOGICAL_ID "--signal needs the resource to signal"
    need AWS_REGION "--signal calls CloudFormation in that region"
  fi
  if ((${#ERRS[@]})); then
    printf 'error: %s\n' "${ERRS[@]}" >&2
    exit 2
  fi
}

settings() { load_settings; load_ssm_settings; apply_overrides_and_defaults; from_instance_tags; validate; }
ha() { [[ ${S[HA_SIGNING_ENABLED]} == true ]]; }

device_path() {
  if [[ -n ${S[EBS_VOLUME_ID]} ]]; then
    # Nitro exposes EBS as NVMe; udev names the link after the serial, the volume id without its dash.
    echo "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${S[EBS_VOLUME_ID]/-/}"
  else
    echo "${S[DATA_DEVICE]}"
  fi
}

render_fstab_line() {
  [[ $1 =~ ^[0-9A-Fa-f-]{8,36}$ ]] || usage_err "fstab-line: '$1' is not a filesystem UUID"
  # nofail: boot never hangs on a missing volume; the unit's RequiresMountsFor keeps the node down instead.
  echo "UUID=$1 ${S[DATA_MOUNT]} ext4 defaults,noatime,nofail 0 2"
}

render_node_env() {
  echo "# Written by setup-validator.sh. No secrets here: they are files in /run/aztec-infra/env."
  ! role_has_disk || echo "DATA_DIRECTORY=/var/lib/aztec/data"
  [[ ${S[ROLE]} != sequencer ]] || echo "KEY_STORE_DIRECTORY=/var/lib/aztec-keystore"
  if role_runs_node; then
    if [[ -n ${S[P2P_IP]} ]]; then echo "P2P_IP=${S[P2P_IP]}"; else echo "P2P_QUERY_FOR_IP=true"; fi
    echo "P2P_PORT=${S[P2P_PORT]}"
  fi
  [[ -z ${S[COINBASE]} || ${S[ROLE]} != sequencer ]] || echo "COINBASE=${S[COINBASE]}"
  echo "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT=http://otel-collector:4318/v1/metrics"
  echo "OTEL_SERVICE_NAME=aztec-${S[NODE_ID]}"
  echo "LOG_LEVEL=${S[LOG_LEVEL]}"
  if ha; then
    echo "VALIDATOR_HA_SIGNING_ENABLED=true"
    echo "VALIDATOR_HA_NODE_ID=${S[NODE_ID]}"
  fi
  role_env
}

render_compose() {
  local m=${S[METRICS_BIND]}
  cat <<EOF
# Written by setup-validator.sh; started by $UNIT_NAME only (restart "no": Docker never starts
# these by itself, e.g. after a crash, before the data disk and the secrets are in place).
# Admin port 8880 is never published. Secrets are mounted files, never container environment.
name: aztec
x-logging: &logging
  driver: json-file
  options: {max-size: "50m", max-file: "5"}
services:
  aztec-node:
    image: ${S[AZTEC_IMAGE]}
    entrypoint: ["/bin/sh", "/opt/aztec-infra/node-entrypoint.sh"]
    command: $(role_command)
    env_file:
      - $NODE_ENV
$(role_compose_ports)
$(role_compose_volumes)
    depends_on: [otel-collector]
    restart: "no"
    stop_grace_period: 2m
    logging: *logging
  otel-collector:
    image: ${S[OTEL_COLLECTOR_IMAGE]}
    command: ["--config=/etc/aztec-otel/config.yaml"]
    volumes:
      - $OTEL_CFG:/etc/aztec-otel/config.yaml:ro
    ports:
      - "$m:8889:8889"
    restart: "no"
    logging: *logging
  node-exporter:
    image: ${S[NODE_EXPORTER_IMAGE]}
    # Host network and pid so network and process metrics are the host's, not a container's.
    network_mode: host
    pid: host
    command: ["--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--path.rootfs=/host/root", "--web.listen-address=$m:9100"]
    volumes:
      - /proc:/host/proc:ro
      - /sys:/host/sys:ro$(! role_has_disk || printf '\n      - %s:/host/root%s:ro' "$ROOT${S[DATA_MOUNT]}" "${S[DATA_MOUNT]}")
    restart: "no"
    logging: *logging
EOF
}

render_otel_config() {
  cat <<EOF
# Written by setup-validator.sh: OTLP from the node in, Prometheus format out.
receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
processors:
  batch: {}
exporters:
  prometheus:
    endpoint: 0.0.0.0:8889
    const_labels:
      aztec_node_id: ${S[NODE_ID]}
      aztec_network: ${S[AZTEC_NETWORK]}
service:
  pipelines:
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [prometheus]
EOF
}

# The node's own entrypoint, preceded by exporting one variable per file in the secrets mount.
render_entrypoint() {
  cat <<'EOF'
#!/bin/sh
# Written by setup-validator.sh: secrets arrive as files (tmpfs, read-only mount), so Docker never
# stores them in the container's config; exported here, then the image's own entrypoint runs.
set -eu
for f in /run/aztec-secrets/*; do
  [ -f "$f" ] || continue
  export "${f##*/}=$(cat "$f")"
done
exec node --no-warnings /usr/src/yarn-project/aztec/dest/bin/index.js "$@"
EOF
}

render_unit() {
  local dc="/usr/bin/docker compose --project-name aztec --file $COMPOSE"
  cat <<EOF
# Written by setup-validator.sh.
[Unit]
Description=Aztec validator ${S[NODE_ID]} (${S[AZTEC_NETWORK]})
Requires=docker.service
After=docker.service network-online.target
Wants=network-online.target
# The data volume holds the slashing-protection DB: never start without it.
RequiresMountsFor=$ROOT${S[DATA_MOUNT]}
StartLimitIntervalSec=0

[Service]
Type=simple
TimeoutStartSec=20min
TimeoutStopSec=3min
ExecStartPre=/bin/bash $SELF${ROOT:+ --root $ROOT} refresh --settings $SETTINGS_FILE$(override_flags)
ExecStartPre=/bin/bash $SELF${ROOT:+ --root $ROOT} fetch-secrets --settings $EFFECTIVE
# Any container exiting stops them all, so systemd (Restart=) is the only one restarting them; compose
# sees an exit only of containers it is attached to. Their output goes to docker's rotated json-file
# logs, never the journal (L1 client errors can quote RPC URLs): compose's copy on stdout is dropped.
ExecStart=$dc up --remove-orphans --abort-on-container-exit
StandardOutput=null
ExecStop=$dc stop --timeout 120
ExecStopPost=-$dc down --timeout 120
ExecStopPost=/bin/rm -rf $RUN
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
EOF
}

render_effective() {
  local k
  echo "# Effective settings written by 'setup-validator.sh install' (file + flags + defaults)."
  echo "# Do not edit: change the settings file or flags and re-run install."
  # Resolved already: the parameter's settings are in here, so readers of this file never fetch it again
  # (and would otherwise find every key set twice).
  for k in "${KEYS[@]}"; do [[ -z ${S[$k]} || $k == SSM_SETTINGS_PARAMETER ]] || echo "$k=${S[$k]}"; done
}

# The flags install was given (e.g. --data-device, --secrets-dir on bare metal), for the unit's refresh,
# which must resolve the settings exactly as install did.
override_flags() {
  local pair key
  for pair in --network:AZTEC_NETWORK --image:AZTEC_IMAGE --node-id:NODE_ID --data-device:DATA_DEVICE \
    --p2p-ip:P2P_IP --secrets-dir:SECRETS_DIR --rpc-bind:RPC_BIND --role:ROLE; do
    key=${pair#*:}
    [[ -z ${OVR[$key]:-} ]] || printf ' %s %s' "${pair%%:*}" "${OVR[$key]}"
  done
}

# put PATH MODE < content: replace the file only when content or mode differ.
put() {
  local p=$1 m=$2 t
  mkdir -p "$(dirname "$p")"
  t=$(mktemp "$p.XXXXXX")
  cat >"$t"
  chmod "$m" "$t"
  if [[ -f $p ]] && cmp -s "$t" "$p" && [[ $(stat -c %a "$p") == "$m" ]]; then
    rm -f "$t"
    return 0
  fi
  mv -f "$t" "$p"
  CHANGED+=("$p")
  log "updated $p"
}

need_aws() { [[ ${S[SECRETS_SOURCE]} == ssm ]] || ha || ((SIGNAL)); }

# Supported: Debian 12/13, Ubuntu 22.04/24.04. Prints e.g. "debian 12"; anything else is refused.
readonly OS_SUPPORTED="debian 12|debian 13|ubuntu 22.04|ubuntu 24.04"
os_release() {
  local f=${CHECK_OS_RELEASE:-$ROOT/etc/os-release} id ver
  id=$(sed -n 's/^ID="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$f" 2>/dev/null || true)
  ver=$(sed -n 's/^VERSION_ID="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$f" 2>/dev/null || true)
  echo "${id:-unknown} ${ver:-unknown}"
}
check_os() {
  local os
  os=$(os_release)
  [[ "|$OS_SUPPORTED|" == *"|$os|"* ]] ||
    die "unsupported operating system '$os' (from /etc/os-release); supported: ${OS_SUPPORTED//|/, }"
}

apt_install() {
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
apt_updated=0
apt_update() { ((apt_updated)) || DEBIAN_FRONTEND=noninteractive apt-get update -q; apt_updated=1; }
# The major version apt would install (0: none), e.g. 26 for 26.1.5+dfsg1-9.
apt_major() {
  local v
  v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
  v=${v#*:}
  v=${v%%.*}
  [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
docker_major() {
  local v
  v=$(docker version -f '{{.Server.Version}}' 2>/dev/null || docker version -f '{{.Client.Version}}' 2>/dev/null || true)
  v=${v%%.*}
  [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# Docker's own repository, for distributions whose Docker is older than 24 (Debian 12).
docker_repo() {
  local id codename
  id=$(sed -n 's/^ID=//p' /etc/os-release) codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release)
  log "the distribution's Docker is older than 24: using Docker's repository for $id $codename"
  install -d -m 755 /etc/apt/keyrings
  curl -fsSL -m 60 "https://download.docker.com/linux/$id/gpg" -o /etc/apt/keyrings/docker.asc
  echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/$id $codename stable" \
    >/etc/apt/sources.list.d/docker.list
  DEBIAN_FRONTEND=noninteractive apt-get update -q
}

# The aws CLI: the distribution's package where it has one (Debian, Ubuntu 22.04), else the snap.
install_aws_cli() {
  command -v aws >/dev/null && return 0
  apt_update
  if (($(apt_major awscli) > 0)); then apt_install awscli; else snap install aws-cli --classic; fi
}

install_packages() {
  local p pkgs=(curl jq nvme-cli) missing=() compose=""
  # Docker applies an AppArmor profile whenever the kernel has AppArmor enabled, and no container
  # starts without apparmor_parser (a Recommends of docker.io, skipped by --no-install-recommends).
  [[ $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) != Y ]] || pkgs+=(apparmor)
  ! ha || pkgs+=(postgresql-client)
  for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
  ((${#missing[@]} == 0)) || { apt_update; apt_install "${missing[@]}"; }
  if ! command -v docker >/dev/null || ! docker compose version >/dev/null 2>&1; then
    apt_update
    # Compose v2: docker-compose-v2 (Ubuntu), docker-compose (Debian 13; 1.x on Debian 12 is the old one).
    if (($(apt_major docker-compose-v2) >= 2)); then compose=docker-compose-v2
    elif (($(apt_major docker-compose) >= 2)); then compose=docker-compose
    fi
    if command -v docker >/dev/null; then
      [[ -n $compose ]] || { docker_repo; compose=docker-compose-plugin; }
      apt_install "$compose"
    elif (($(apt_major docker.io) >= 24)) && [[ -n $compose ]]; then
      # Debian 13 ships the client apart (docker-cli, only recommended by docker.io).
      if (($(apt_major docker-cli) > 0)); then apt_install docker.io docker-cli "$compose"; else apt_install docker.io "$compose"; fi
    else
      docker_repo
      apt_install docker-ce docker-ce-cli containerd.io docker-compose-plugin
    fi
  fi
  if need_aws; then install_aws_cli; fi
  systemctl enable --now docker.service
  local major
  major=$(docker_major)
  ((major >= 24)) || die "Docker $major is older than 24, the floor for the node; remove it (apt-get remove docker.io) and re-run install to get Docker's own packages"
  docker compose version >/dev/null 2>&1 || die "docker compose (v2) is not available after installing packages"
}

setup_disk() {
  local dev waited=0 limit=${SETUP_DISK_WAIT_SECONDS:-600} info fstype pttype uuid
  dev=$ROOT$(device_path)
  # The stack attaches the EBS volume after boot, so its link appears late.
  while [[ ! -e $dev ]]; do
    [[ -n ${S[EBS_VOLUME_ID]} ]] || die "DATA_DEVICE '$dev' does not exist"
    ((waited < limit)) || die "EBS volume ${S[EBS_VOLUME_ID]} did not appear at $dev within ${limit}s; is it attached to this instance?"
    ((waited % 60)) || log "waiting for EBS volume ${S[EBS_VOLUME_ID]} at $dev"
    sleep 5
    waited=$((waited + 5))
  done
  dev=$(readlink -f "$dev")
  ((NO_SYSTEM)) || [[ -b $dev ]] || die "$dev is not a block device"
  info=$(blkid -p -o export "$dev" || true)
  fstype=$(sed -n 's/^TYPE=//p' <<<"$info")
  pttype=$(sed -n 's/^PTTYPE=//p' <<<"$info")
  if [[ -z $fstype ]]; then
    [[ -z $pttype ]] || die "$dev has a $pttype partition table but no filesystem; set DATA_DEVICE to a partition"
    log "no filesystem on $dev: creating ext4"
    mkfs.ext4 -q -m 1 -E nodiscard -L aztec-data "$dev"
  elif [[ $fstype != ext4 ]]; then
    die "$dev already holds a $fstype filesystem; refusing to reformat it (use an empty disk or ext4)"
  fi
  uuid=$(blkid -p -o value -s UUID "$dev")
  [[ -n $uuid ]] || die "blkid found no UUID on $dev"
  local before=${#CHANGED[@]}
  { [[ ! -f $FSTAB ]] || awk -v u="UUID=$uuid" -v m="${S[DATA_MOUNT]}" '$1 != u && $2 != m' "$FSTAB"
    render_fstab_line "$uuid"; } | put "$FSTAB" 644
  if ((!NO_SYSTEM)); then
    # systemd turns fstab into mount units; reload so RequiresMountsFor sees the new one.
    ((${#CHANGED[@]} == before)) || systemctl daemon-reload
    mkdir -p "${S[DATA_MOUNT]}"
    mountpoint -q "${S[DATA_MOUNT]}" || mount "${S[DATA_MOUNT]}"
    [[ $(findmnt -no UUID --mountpoint "${S[DATA_MOUNT]}") == "$uuid" ]] ||
      die "${S[DATA_MOUNT]} is mounted from another filesystem than $dev (UUID $uuid)"
  fi
  grow_data_fs "$dev"
  mkdir -p "$ROOT${S[DATA_MOUNT]}/data"
}

imds_token() { curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token; }
# The IMDS token goes in on stdin (-H @-), not on the command line.
imds_get() { printf 'X-aws-ec2-metadata-token: %s\n' "$1" | curl -fsS -m 5 -H @- "http://169.254.169.254/latest/meta-data/$2"; }

# On EC2 the volume id and the Elastic IP are known only at deploy time. They arrive as instance tags,
# read through IMDSv2, so the user data stays static and can be gzip-compressed under EC2's 16 KB limit.
declare -A TAG_OF=([EBS_VOLUME_ID]=AztecInfraEbsVolumeId [P2P_IP]=AztecInfraP2pIp [PROVER_BROKER_HOST]=AztecInfraProverBrokerHost)
from_instance_tags() {
  local k tok=""
  for k in EBS_VOLUME_ID P2P_IP PROVER_BROKER_HOST; do
    [[ ${S[$k]} == from-instance-tag ]] || continue
    [[ -n $tok ]] || tok=$(imds_token) || die "$k: cannot reach the instance metadata service (IMDSv2)"
    S[$k]=$(imds_get "$tok" "tags/instance/${TAG_OF[$k]}") ||
      die "$k: instance tag ${TAG_OF[$k]} is not readable; metadata tags must be enabled on the instance"
  done
  # Metrics scraped by the monitoring host listen on the private address only, never on 0.0.0.0.
  if [[ ${S[METRICS_BIND]} == from-instance-metadata ]]; then
    [[ -n $tok ]] || tok=$(imds_token) || die "METRICS_BIND: cannot reach the instance metadata service (IMDSv2)"
    S[METRICS_BIND]=$(imds_get "$tok" local-ipv4) || die "METRICS_BIND: local-ipv4 is not readable from instance metadata"
  fi
}

cfn_signal() {
  local tok id
  if [[ -z ${S[CFN_STACK_NAME]:-} || -z ${S[CFN_LOGICAL_ID]:-} || -z ${S[AWS_REGION]:-} ]] || ! command -v aws >/dev/null; then
    log "cannot send CloudFormation signal $1 (CFN settings or aws CLI missing)"
    return 1
  fi
  tok=$(imds_token)
  id=$(imds_get "$tok" instance-id)
  aws cloudformation signal-resource --region "${S[AWS_REGION]}" --stack-name "${S[CFN_STACK_NAME]}" \
    --logical-resource-id "${S[CFN_LOGICAL_ID]}" --unique-id "$id" --status "$1" >/dev/null
  log "sent CloudFormation signal $1 for $id"
}

on_install_exit() {
  local rc=$? k v
  if ((rc != 0 && !SIGNALLED)); then
    SIGNALLED=1
    # Settings that failed to load or validate still name the stack to signal.
    for k in CFN_STACK_NAME CFN_LOGICAL_ID AWS_REGION; do
      [[ -z ${S[$k]:-} ]] || continue
      v=$(sed -n "s/^$k=//p" "${SETTINGS:-$ETC/validator.env}" 2>/dev/null | head -n 1)
      [[ ! $v =~ $VALUE_RE ]] || S[$k]=$v
    done
    cfn_signal FAILURE || true
  fi
}

# Healthy = /status and, for a node (sequencer, full), its JSON-RPC: a node waiting for a rollup compatible with
# its genesis (wrong network, or an image older than the network's rollup) runs a standby server that answers
# /status and nothing else. Prints why not; SETUP_HEALTH_PORT (tests) replaces 8080.
node_health() {
  local url=http://$1:${SETUP_HEALTH_PORT:-8080}
  curl -fs -m 10 -o /dev/null "$url/status" || { echo "did not answer /status"; return 1; }
  [[ ${S[ROLE]} =~ ^(sequencer|full)$ ]] || return 0
  local m
  for m in node_getNodeInfo aztec_getNodeInfo; do # the real node's name, then the one Aztec's docs give
    curl -fs -m 10 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"'$m'","params":[]}' "$url" |
      grep -q '"result"' && return 0
  done
  echo "answered /status but not node_getNodeInfo (standby: waiting for a rollup compatible with its genesis; check AZTEC_NETWORK and the image)"
  return 1
}

health_host() { [[ ${S[RPC_BIND]} != 0.0.0.0 ]] && echo "${S[RPC_BIND]}" || echo 127.0.0.1; }

wait_healthy() {
  local host why deadline=$((SECONDS + 10#${S[HEALTH_TIMEOUT_SECONDS]}))
  host=$(health_host)
  log "waiting up to ${S[HEALTH_TIMEOUT_SECONDS]}s for http://$host:8080/status and the node's JSON-RPC"
  until why=$(node_health "$host"); do
    ((SECONDS < deadline)) || die "node $why within ${S[HEALTH_TIMEOUT_SECONDS]}s; see 'systemctl status $UNIT_NAME', 'journalctl -u $UNIT_NAME' and 'docker compose --project-name aztec logs aztec-node'"
    sleep 5
  done
  log "node is healthy"
}

# One check, now (operators, monitoring scripts): exit 1 naming what is wrong.
health() {
  local why
  why=$(node_health "$(health_host)") || die "node $why"
  echo "healthy"
}

cmd_install() {
  ((!SIGNAL)) || trap on_install_exit EXIT
  ((EUID == 0 || NO_SYSTEM)) || die "install must run as root"
  if ((!NO_SYSTEM)); then
    check_os
    # With --signal, the aws CLI comes first: every later failure (settings, IMDS, tags, packages,
    # disk, health) can then send FAILURE instead of leaving CloudFormation waiting.
    ((!SIGNAL)) || install_aws_cli
  fi
  settings
  ((NO_SYSTEM)) || install_packages
  if role_has_disk; then setup_disk; fi
  put "$SELF" 755 <"${BASH_SOURCE[0]}"
  write_node_files
  render_unit | put "$UNIT" 644
  if ((!NO_SYSTEM)); then
    ((${#CHANGED[@]} == 0)) || systemctl daemon-reload
    systemctl enable --quiet "$UNIT_NAME"
    local state
    state=$(systemctl is-active "$UNIT_NAME" || true)
    # Only "active" is running: "activating" is also a unit waiting to restart after a failure.
    if ((${#CHANGED[@]})) || [[ $state != active ]]; then
      log "(re)starting $UNIT_NAME"
      systemctl restart "$UNIT_NAME" ||
        die "$UNIT_NAME failed to start; see 'systemctl status $UNIT_NAME' and 'journalctl -u $UNIT_NAME'"
    fi
  fi
  if ((${#CHANGED[@]})); then log "install: ${#CHANGED[@]} file(s) changed"; else log "install: no changes"; fi
  # A host whose node never answers is not installed, whatever the files say.
  ((NO_SYSTEM && !SIGNAL)) || wait_healthy
  if ((SIGNAL)); then
    cfn_signal SUCCESS
    SIGNALLED=1
  fi
}

# Reads comma/space/newline separated URLs on stdin; prints them comma-joined.
join_urls() { tr -s ' \t\r\n,' ',' | sed 's/^,//; s/,$//'; }
check_urls() {
  [[ $2 =~ ^(https?|wss?)://[A-Za-z0-9._~:/?#@!\&()*+\;=%-]+(,(https?|wss?)://[A-Za-z0-9._~:/?#@!\&()*+\;=%-]+)*$ ]] ||
    die "$1 is empty or not a comma-separated list of http(s)/ws(s) URLs (value not shown)"
}

check_keystore() {
  jq -e 'type == "object" and (.validators | type == "array" and length > 0)' <"$1" >/dev/null 2>&1 ||
    die "keystore $(basename "$1") is not valid JSON with a non-empty 'validators' list (content not shown)"
  # With HA signing the attesters are shared: without its own publisher every node would send L1
  # transactions from the same attester account (colliding nonces). 'aztec-infra keys publisher' fixes it.
  ! ha || jq -e '[.validators[] | (.publisher // null) | (type == "string" or (type == "array" and length > 0))] | all' <"$1" >/dev/null 2>&1 ||
    die "keystore $(basename "$1"): HA signing needs a publisher on every validator entry, distinct per node (run 'aztec-infra keys publisher')"
}

ha_prepare() {
  local js user
  js=$(aws secretsmanager get-secret-value --region "${S[AWS_REGION]}" --secret-id "${S[HA_DATABASE_SECRET_ID]}" --query SecretString --output text)
  user=$(printf '%s' "$js" | jq -er '.username | strings') || die "secret ${S[HA_DATABASE_SECRET_ID]} has no username"
  printf '%s' "$js" | jq -er '.password | strings' >/dev/null || die "secret ${S[HA_DATABASE_SECRET_ID]} has no password"
  # RDS-generated secrets carry the endpoint too: on EC2 the settings leave host and name to the secret.
  [[ -n ${S[HA_DATABASE_HOST]} ]] || S[HA_DATABASE_HOST]=$(printf '%s' "$js" | jq -er '.host | strings') ||
    die "HA_DATABASE_HOST is empty and secret ${S[HA_DATABASE_SECRET_ID]} has no host"
  [[ -n ${S[HA_DATABASE_NAME]} ]] || S[HA_DATABASE_NAME]=$(printf '%s' "$js" | jq -er '.dbname | strings') ||
    die "HA_DATABASE_NAME is empty and secret ${S[HA_DATABASE_SECRET_ID]} has no dbname"
  [[ ${S[HA_DATABASE_HOST]} =~ ^[A-Za-z0-9.-]+$ && ${S[HA_DATABASE_NAME]} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
    die "the HA database host or name from secret ${S[HA_DATABASE_SECRET_ID]} has unexpected characters"
  # pgpass escapes ':' and '\'; the URL percent-encodes user and password (@uri).
  printf '%s' "$js" | jq -r '"*:*:*:*:" + (.password | gsub("\\\\"; "\\\\") | gsub(":"; "\\:"))' >"$RUN/pgpass"
  # no-verify: TLS to RDS without shipping its CA bundle into the container (TLS, no pinning).
  DB_URL=$(printf '%s' "$js" | jq -r --arg h "${S[HA_DATABASE_HOST]}" --arg p "${S[HA_DATABASE_PORT]}" --arg d "${S[HA_DATABASE_NAME]}" \
    '"postgresql://\(.username | @uri):\(.password | @uri)@\($h):\($p)/\($d)?sslmode=no-verify"')
  mkdir -p "$RUN/migrate"
  printf '%s' "$DB_URL" >"$RUN/migrate/DATABASE_URL"
  DB_USER=$user
}

# Exactly-once-safe migration when all nodes boot together: one psql session holds a
# PostgreSQL advisory lock while the pinned image migrates, so the others wait and then no-op.
# aztec-packages yarn-project/aztec/src/cli/cmds/migrate_ha_db.ts declares
# `--database-url` with default process.env.DATABASE_URL, so the URL goes in as a mounted file that
# the entrypoint wrapper exports: it never appears in `ps` or in the container's stored config.
ha_migrate() {
  local ok=$RUN/migrate.ok
  rm -f "$ok"
  PGPASSFILE=$RUN/pgpass PGHOST=${S[HA_DATABASE_HOST]} PGPORT=${S[HA_DATABASE_PORT]} PGDATABASE=${S[HA_DATABASE_NAME]} \
    PGUSER=$DB_USER PGSSLMODE=require PGCONNECT_TIMEOUT=15 PGAPPNAME=aztec-ha-migrate \
    psql -X -q -v ON_ERROR_STOP=1 -o /dev/null <<EOF || die "HA database migration failed (psql)"
SELECT pg_advisory_lock($HA_LOCK_ID);
\! docker run --rm -v $RUN/migrate:/run/aztec-secrets:ro -v $ENTRY:/opt/aztec-infra/node-entrypoint.sh:ro --entrypoint /bin/sh ${S[AZTEC_IMAGE]} /opt/aztec-infra/node-entrypoint.sh migrate-ha-db up && touch $ok
SELECT pg_advisory_unlock($HA_LOCK_ID);
EOF
  [[ -f $ok ]] || die "HA database migration failed (aztec migrate-ha-db up)"
  rm -f "$ok"
}

# The node's data (with its slashing-protection database) must land on the data disk, never on the
# root disk under an empty mount point: refuse to start unless the data disk is what is mounted there.
check_data_mount() {
  local mnt=$ROOT${S[DATA_MOUNT]} dev want have
  dev=$(readlink -f "$ROOT$(device_path)")
  want=$(blkid -p -o value -s UUID "$dev" 2>/dev/null || true)
  have=$(findmnt -no UUID --mountpoint "$mnt" 2>/dev/null || true)
  [[ -n $want && $have == "$want" ]] ||
    die "refusing to start: $mnt is not the data disk $dev (UUID ${want:-none}; mounted: ${have:-nothing}); the node's slashing-protection data must not land on the root disk"
}

cmd_fetch_secrets() {
  settings
  ((NO_SYSTEM)) || ! role_has_disk || check_data_mount
  umask 077
  local keys=$RUN/keys env=$RUN/env exec_urls cons_urls f sd
  mkdir -p "$RUN"
  chmod 700 "$RUN"
  trap 'rm -rf "$RUN/pgpass" "$RUN/migrate" "$RUN/env.tmp"' EXIT
  rm -rf "$keys" "$env"
  mkdir -m 700 "$keys"
  exec_urls="" cons_urls="" PUBLISHER_KEY=""
  if [[ ${S[SECRETS_SOURCE]} == ssm ]]; then
    local ssm=(aws ssm get-parameter --region "${S[AWS_REGION]}" --with-decryption --query Parameter.Value --output text --name)
    [[ ${S[ROLE]} != sequencer ]] || "${ssm[@]}" "${S[SSM_KEYSTORE_PARAMETER]}" >"$keys/keystore.json"
    if role_needs_l1; then
      exec_urls=$("${ssm[@]}" "${S[SSM_L1_EXECUTION_PARAMETER]}" | join_urls)
      cons_urls=$("${ssm[@]}" "${S[SSM_L1_CONSENSUS_PARAMETER]}" | join_urls)
    fi
    [[ ${S[ROLE]} != prover-node ]] || PUBLISHER_KEY=$("${ssm[@]}" "${S[SSM_PUBLISHER_KEY_PARAMETER]}")
  else
    sd=$ROOT${S[SECRETS_DIR]}
    [[ -d $sd ]] || die "SECRETS_DIR $sd does not exist"
    [[ $(stat -c '%u %a' "$sd") == "0 700" ]] || die "SECRETS_DIR $sd must be owned by root with mode 0700 (has $(stat -c '%U %a' "$sd"))"
    if [[ ${S[ROLE]} == sequencer ]]; then
      [[ -f $sd/keystore.json ]] || die "$sd/keystore.json is missing"
      for f in "$sd"/*.json; do
        # The node refuses to start with one in its keystore dir; it is public staking data anyway.
        [[ $f != *_staker_output.json ]] || die "refusing to copy $(basename "$f") into the keystore dir: staker output stops the node; move it out of $sd"
        install -m 600 -- "$f" "$keys/"
      done
    fi
    if role_needs_l1; then
      for f in l1-execution-urls l1-consensus-urls; do [[ -f $sd/$f ]] || die "$sd/$f is missing"; done
      exec_urls=$(join_urls <"$sd/l1-execution-urls")
      cons_urls=$(join_urls <"$sd/l1-consensus-urls")
    fi
    if [[ ${S[ROLE]} == prover-node ]]; then
      [[ -f $sd/prover-publisher-key ]] || die "$sd/prover-publisher-key is missing (the prover node's own publisher key)"
      PUBLISHER_KEY=$(tr -d ' \t\r\n' <"$sd/prover-publisher-key")
    fi
  fi
  if [[ ${S[ROLE]} == sequencer ]]; then
    for f in "$keys"/*.json; do check_keystore "$f"; done
  fi
  if role_needs_l1; then
    check_urls "L1 execution URLs (ETHEREUM_HOSTS)" "$exec_urls"
    check_urls "L1 consensus URLs (L1_CONSENSUS_HOST_URLS)" "$cons_urls"
  fi
  [[ ${S[ROLE]} != prover-node || $PUBLISHER_KEY =~ ^0x[0-9a-fA-F]{64}$ ]] ||
    die "the prover publisher key is not 0x followed by 64 hex digits (value not shown)"
  DB_URL=""
  if ha; then
    ha_prepare
    ha_migrate
  fi
  # One file per variable: the compose file mounts the directory, the entrypoint wrapper exports them.
  rm -rf "$RUN/env.tmp"
  mkdir -m 700 "$RUN/env.tmp"
  [[ -z $exec_urls ]] || printf '%s' "$exec_urls" >"$RUN/env.tmp/ETHEREUM_HOSTS"
  [[ -z $cons_urls ]] || printf '%s' "$cons_urls" >"$RUN/env.tmp/L1_CONSENSUS_HOST_URLS"
  [[ -z $DB_URL ]] || printf '%s' "$DB_URL" >"$RUN/env.tmp/VALIDATOR_HA_DATABASE_URL"
  [[ -z $PUBLISHER_KEY ]] || printf '%s' "$PUBLISHER_KEY" >"$RUN/env.tmp/PROVER_PUBLISHER_PRIVATE_KEY"
  mv -f "$RUN/env.tmp" "$env"
  log "secrets written to $RUN ($(find "$keys" -name '*.json' | wc -l) keystore file(s))"
}

# verdict STATUS-if-below-floor HAVE FLOOR
verdict() { if (($2 >= $3)); then echo PASS; else echo "$1"; fi; }

cmd_check() {
  load_settings
  apply_overrides_and_defaults
  local profile=${PROFILE:-${S[AZTEC_NETWORK]:-testnet}} line dev bytes what dir dv major
  [[ $profile == testnet || $profile == mainnet ]] || usage_err "--profile: '$profile' is not allowed; use testnet or mainnet"
  local soft=FAIL nproc mem note=""
  [[ $profile == mainnet ]] || soft=WARN
  nproc=${CHECK_NPROC:-$(nproc)}
  mem=${CHECK_MEM_KIB:-$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)}
  # vCPU: 16 is the sequencer floor; 8 is tolerated for a testnet bootstrap only.
  if ((nproc < 8)); then line=FAIL; else line=$(verdict "$soft" "$nproc" 16); fi
  [[ $line != WARN ]] || note=" (below the sequencer floor; acceptable for a testnet bootstrap)"
  echo "$line vcpu $nproc 16$note"
  # RAM: MemTotal excludes kernel reservations, so a 16 GiB machine shows ~15.3 GiB.
  if ((mem < 8 * 1024 * 1024)); then line=FAIL; else line=$(verdict "$soft" "$mem" $((15 * 1024 * 1024))); fi
  echo "$line ram $((mem / 1024 / 1024))GiB 16GiB"
  if [[ -n ${CHECK_DISK_BYTES:-} ]]; then
    bytes=$CHECK_DISK_BYTES what=data-disk
  else
    dev=$ROOT$(device_path 2>/dev/null || true)
    if [[ $dev != "$ROOT" && -b $dev ]]; then
      bytes=$(blockdev --getsize64 "$dev") what=data-disk
    else
      dir=$ROOT${S[DATA_MOUNT]}
      while [[ ! -d $dir ]]; do dir=$(dirname "$dir"); done
      bytes=$(($(df -Pk "$dir" | awk 'NR == 2 {print $4}') * 1024)) what=free-space:$dir
    fi
  fi
  echo "$(verdict FAIL "$bytes" 1000000000000) $what $((bytes / 1000000000))GB 1000GB"
  if [[ -v CHECK_DOCKER_VERSION ]]; then dv=$CHECK_DOCKER_VERSION; else dv=$(docker version -f '{{.Client.Version}}' 2>/dev/null || true); fi
  if [[ -z $dv ]]; then
    echo "WARN docker missing 24 (install adds Docker 24+)"
  else
    major=${dv%%.*}
    [[ $major =~ ^[0-9]+$ ]] || major=0
    echo "$(verdict FAIL "$major" 24) docker $dv 24"
  fi
  local os
  os=$(os_release)
  if [[ "|$OS_SUPPORTED|" == *"|$os|"* ]]; then line=PASS; else line=FAIL; fi
  echo "$line os ${os// /-} ${OS_SUPPORTED// /-}"
  return 0
}

# --- roles: what differs between sequencer, full, prover-node, prover-broker and prover-agent ---
readonly ROLES='^(sequencer|full|prover-node|prover-broker|prover-agent)$'
role_runs_node() { [[ ${S[ROLE]} =~ ^(sequencer|full|prover-node)$ ]]; }
role_has_disk() { [[ ${S[ROLE]} != prover-agent ]]; }
role_needs_l1() { [[ ${S[ROLE]} != prover-agent ]]; }

# The SSM parameters a role reads at service start, and no others.
role_ssm_parameters() {
  [[ ${S[ROLE]} != sequencer ]] || echo SSM_KEYSTORE_PARAMETER
  ! role_needs_l1 || echo SSM_L1_EXECUTION_PARAMETER SSM_L1_CONSENSUS_PARAMETER
  [[ ${S[ROLE]} != prover-node ]] || echo SSM_PUBLISHER_KEY_PARAMETER
}

validate_role() {
  allow ROLE "$ROLES" "use sequencer, full, prover-node, prover-broker or prover-agent"
  allow PROVER_ID '^0x[0-9a-fA-F]{40}$' "use 0x followed by 40 hex digits, or leave empty"
  allow WS_NUM_HISTORIC_CHECKPOINTS '^[0-9]{1,9}$' "use a whole number (0 keeps every checkpoint)"
  allow P2P_ARCHIVED_TX_LIMIT '^[0-9]{1,12}$' "use a whole number"
  case ${S[ROLE]} in
    prover-node | prover-agent)
      need PROVER_BROKER_HOST "role ${S[ROLE]} pulls its jobs from the broker: give its IPv4 address"
      ipv4 PROVER_BROKER_HOST "10.0.1.20 (the broker's private address)"
      ;;
  esac
  [[ ${S[ROLE]} == sequencer || ${S[HA_SIGNING_ENABLED]} != true ]] ||
    ERRS+=("HA_SIGNING_ENABLED: 'true' is not allowed with ROLE=${S[ROLE]}; only sequencers sign")
}

# The node's command line, as a compose JSON array.
role_command() {
  local n=${S[AZTEC_NETWORK]}
  case ${S[ROLE]} in
    sequencer) echo "[\"start\", \"--node\", \"--sequencer\", \"--network\", \"$n\"]" ;;
    full) echo "[\"start\", \"--node\", \"--network\", \"$n\"]" ;;
    prover-node) echo "[\"start\", \"--prover-node\", \"--network\", \"$n\"]" ;;
    prover-broker) echo "[\"start\", \"--prover-broker\", \"--network\", \"$n\"]" ;;
    prover-agent) echo "[\"start\", \"--prover-agent\", \"--network\", \"$n\"]" ;;
  esac
}

# Environment a role adds to node.env (never a secret: the prover publisher key is a file in the secrets mount).
role_env() {
  case ${S[ROLE]} in
    full)
      [[ -z ${S[WS_NUM_HISTORIC_CHECKPOINTS]} ]] || echo "WS_NUM_HISTORIC_CHECKPOINTS=${S[WS_NUM_HISTORIC_CHECKPOINTS]}"
      [[ -z ${S[P2P_ARCHIVED_TX_LIMIT]} ]] || echo "P2P_ARCHIVED_TX_LIMIT=${S[P2P_ARCHIVED_TX_LIMIT]}"
      ;;
    prover-node | prover-agent)
      echo "PROVER_BROKER_HOST=http://${S[PROVER_BROKER_HOST]}:8080"
      [[ -z ${S[PROVER_ID]} ]] || echo "PROVER_ID=${S[PROVER_ID]}"
      # One agent process per instance: the instance is sized for one (64 vCPU, 128 GB).
      [[ ${S[ROLE]} != prover-agent ]] || echo "PROVER_AGENT_COUNT=1"
      ;;
  esac
  return 0
}

# Published ports: P2P for roles that run a node; 8080 (RPC, or the broker's queue) on RPC_BIND; agents none.
role_compose_ports() {
  local p=${S[P2P_PORT]}
  [[ ${S[ROLE]} != prover-agent ]] || return 0
  echo "    ports:"
  if role_runs_node; then
    echo "      - \"$p:$p/tcp\""
    echo "      - \"$p:$p/udp\""
  fi
  echo "      - \"${S[RPC_BIND]}:8080:8080\""
}

role_compose_volumes() {
  echo "    volumes:"
  ! role_has_disk || echo "      - $ROOT${S[DATA_MOUNT]}/data:/var/lib/aztec/data"
  [[ ${S[ROLE]} != sequencer ]] || echo "      - $RUN/keys:/var/lib/aztec-keystore:ro"
  echo "      - $RUN/env:/run/aztec-secrets:ro"
  echo "      - $ENTRY:/opt/aztec-infra/node-entrypoint.sh:ro"
}

main() {
  parse_args "$@"
  if ((HELP)); then usage "$CMD"; exit 0; fi
  [[ -n $CMD ]] || usage_err "missing command"
  set_paths
  case $CMD in
    install) cmd_install ;;
    refresh) cmd_refresh ;;
    grow-fs) cmd_grow_fs ;;
    fetch-secrets) cmd_fetch_secrets ;;
    check)
      local out
      out=$(cmd_check)
      echo "$out"
      [[ $out != *FAIL* ]] || exit 1
      ;;
    fstab-line) load_settings; apply_overrides_and_defaults; validate_mount_only; render_fstab_line "${ARGS[0]}" ;;
    *) settings; "${CMD//-/_}" ;;
  esac
}

# --- day two: settings read from SSM at every start; online growth of the data filesystem ---------

write_node_files() {
  render_entrypoint | put "$ENTRY" 755
  render_effective | put "$EFFECTIVE" 644
  render_node_env | put "$NODE_ENV" 644
  render_otel_config | put "$OTEL_CFG" 644
  render_compose | put "$COMPOSE" 644
}

ensure_aws_cli() {
  command -v aws >/dev/null && return 0
  ((!NO_SYSTEM && EUID == 0)) || die "the aws CLI is needed to read SSM_SETTINGS_PARAMETER and is not installed"
  install_aws_cli
}

# On EC2 the settings file holds where the settings are (SSM_SETTINGS_PARAMETER, AWS_REGION) and the
# first-boot signal; the node's settings live in that parameter, so a change reaches the host at its
# next service start (or install) without touching the instance. A key set in both places is an error.
load_ssm_settings() {
  local p=${S[SSM_SETTINGS_PARAMETER]:-} text
  [[ -n $p ]] || return 0
  [[ $p =~ ^/[A-Za-z0-9_./-]+$ ]] || usage_err "SSM_SETTINGS_PARAMETER: '$p' is not an SSM parameter name"
  [[ -n ${S[AWS_REGION]:-} ]] || usage_err "SSM_SETTINGS_PARAMETER needs AWS_REGION in the settings file"
  ensure_aws_cli
  text=$(aws ssm get-parameter --region "${S[AWS_REGION]}" --name "$p" --query Parameter.Value --output text) ||
    die "cannot read the settings parameter $p in ${S[AWS_REGION]}"
  parse_settings "ssm:$p" <<<"$text"
}

# Before each start (ExecStartPre): the node starts with the settings as they are now. The unit file
# itself only changes through install (systemd has already read it).
cmd_refresh() {
  settings
  write_node_files
  if [[ ! -f $UNIT ]] || [[ $(render_unit) != "$(cat "$UNIT")" ]]; then
    log "the unit file differs from these settings; run 'setup-validator.sh install' to apply it"
  fi
  log "refresh: ${#CHANGED[@]} file(s) changed"
}

cmd_grow_fs() {
  settings
  local dev
  dev=$ROOT$(device_path)
  [[ -e $dev ]] || die "data device $dev does not exist"
  grow_data_fs "$(readlink -f "$dev")"
}

# While EBS is still modifying a volume the device keeps its old size; the new size shows in the
# 'optimizing' state. Needs ec2:DescribeVolumesModifications; without it the sizes alone decide.
wait_ebs_modification() {
  local vol=${S[EBS_VOLUME_ID]} state waited=0 limit=${SETUP_EBS_WAIT_SECONDS:-1800}
  [[ -n $vol && ${S[AWS_REGION]:-} != "" ]] && ((!NO_SYSTEM)) && command -v aws >/dev/null || return 0
  while state=$(aws ec2 describe-volumes-modifications --region "${S[AWS_REGION]}" --volume-ids "$vol" \
    --query 'VolumesModifications[0].ModificationState' --output text 2>/dev/null) && [[ $state == modifying ]]; do
    ((waited < limit)) || { log "EBS is still modifying $vol after ${limit}s; the filesystem grows at the next install"; return 0; }
    ((waited % 300)) || log "waiting for EBS to finish modifying $vol"
    sleep 15
    waited=$((waited + 15))
  done
}

# grow_data_fs DEVICE: resize2fs when the device is larger than its ext4 filesystem (online when mounted).
grow_data_fs() {
  local dev=$1 dev_bytes fs_bytes
  [[ $(blkid -p -o value -s TYPE "$dev" 2>/dev/null) == ext4 ]] || return 0
  wait_ebs_modification
  if [[ -f $dev ]]; then dev_bytes=$(stat -c %s "$dev"); else dev_bytes=$(blockdev --getsize64 "$dev"); fi
  fs_bytes=$(dumpe2fs -h "$dev" 2>/dev/null | awk -F: '/^Block count:/ {c = $2} /^Block size:/ {s = $2} END {printf "%d", c * s}')
  [[ $fs_bytes =~ ^[0-9]+$ && $fs_bytes -gt 0 ]] || die "cannot read the size of the ext4 filesystem on $dev"
  if ((dev_bytes - fs_bytes < 1024 * 1024)); then
    log "data filesystem fills its device ($((fs_bytes / 1024 / 1024)) MiB)"
    return 0
  fi
  log "growing the data filesystem on $dev from $((fs_bytes / 1024 / 1024)) MiB to $((dev_bytes / 1024 / 1024)) MiB"
  # Not a CHANGED file: growing is online and never restarts the node.
  resize2fs "$dev" >&2 || die "resize2fs $dev failed"
}

validate_mount_only() {
  ERRS=()
  allow DATA_MOUNT '^(/[A-Za-z0-9_.-]+)+$' "use an absolute path other than /"
  if ((${#ERRS[@]})); then printf 'error: %s\n' "${ERRS[@]}" >&2; exit 2; fi
}

main "$@"
