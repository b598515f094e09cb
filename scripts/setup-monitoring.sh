#!/usr/bin/env bash
# setup-monitoring.sh: installs the monitoring bundle (Prometheus, Alertmanager, the blackbox exporter
# and Grafana as pinned containers under systemd) on an Ubuntu host: the AWS monitoring host or bare
# metal. The bundle is the repository's monitoring/ folder; the deployment's own files (targets, publisher
# thresholds, alertmanager.yml) are rendered by infra/Monitoring. See --help.
# Receiver secrets never go to stdout/stderr or the disk's config: they are copied at each start from a
# root-only directory into /run/aztec-monitoring/secrets (tmpfs), which Alertmanager reads by *_file.
set -euo pipefail
shopt -s lastpipe nullglob

readonly PROMETHEUS_IMAGE=prom/prometheus:v2.53.2
readonly ALERTMANAGER_IMAGE=prom/alertmanager:v0.27.0
readonly BLACKBOX_IMAGE=prom/blackbox-exporter:v0.25.0
readonly GRAFANA_IMAGE=grafana/grafana-oss:11.2.2
readonly UNIT_NAME=aztec-monitoring.service
readonly TARGET_FILES=(aztec-node node-exporter aztec-status ha-database)
# Users the images run as: prom/* as nobody, Grafana as 472 (group root).
readonly NOBODY=65534 GRAFANA_UID=472

ROOT="" NO_SYSTEM="${SETUP_NO_SYSTEM:-0}" CMD="" HELP=0 BUNDLE="" DEPLOYMENT="" RETENTION_DAYS=30
SECRETS_DIR=/etc/aztec-monitoring/secrets HB_STAGE="" HB_REGION="" HOST_SETTINGS="" SECRET_PARAMETERS="" SSM_REGION=""
CHANGED=()

log() { echo "setup-monitoring: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }
usage_err() { echo "error: $*" >&2; echo "Run 'setup-monitoring.sh --help' for usage." >&2; exit 2; }

usage() {
  cat <<'EOF'
Usage: setup-monitoring.sh [--root DIR] [--no-system] COMMAND [options]

  install --deployment DIR [--bundle DIR] [--retention-days N] [--secrets-dir DIR]
                       check, then install into /etc/aztec-monitoring and (re)start the
                       systemd unit aztec-monitoring; a second run changes nothing
  check --deployment DIR [--bundle DIR]
                       validate only: targets with jq, prometheus.yml with promtool check
                       config, alertmanager.yml with amtool check-config
  fetch-secrets        run by systemd before each start: copy the receiver secrets from
                       --secrets-dir (root-only, 0700) into /run/aztec-monitoring/secrets, and
                       read each --secret-parameters FILE=PARAM SecureString from SSM there
  ec2-boot --host-settings FILE
                       the AWS monitoring host at every boot: mount the data volume (EBS_VOLUME_ID,
                       or from-instance-tag), read the deployment files from the String parameter
                       SSM_DEPLOYMENT_PARAMETER (a JSON object of path to content), then install
                       with RETENTION_DAYS, BUNDLE, SECRET_PARAMETERS and the heartbeat for STAGE
  heartbeat --heartbeat-stage S --heartbeat-region R
                       run every minute by a timer when install got both flags: if Alertmanager
                       holds the always-firing Watchdog, put the CloudWatch metric
                       AztecInfra/Monitoring WatchdogHeartbeat (Stage=S) = 1; else exit 1. An
                       alarm treating missing data as breaching pages when it stops
  render-compose, render-unit
                       print generated files (no host changes)

  --bundle DIR         the shared bundle (the repository's monitoring/); default: next to
                       this script, ../monitoring
  --deployment DIR     prometheus/targets/{aztec-node,node-exporter,aztec-status,ha-database}.json
                       (file_sd), prometheus/rules/publisher-thresholds.yml (optional) and
                       alertmanager/alertmanager.yml
  --retention-days N   days of metrics Prometheus keeps (1-3650, default 30)
  --secrets-dir DIR    receiver secrets, one file each, named as in alertmanager.yml's *_file
                       paths; grafana-admin-password is created there when missing
  --heartbeat-stage S, --heartbeat-region R
                       with install: also install the heartbeat timer (AWS hosts)
  --secret-parameters FILE=PARAM[,FILE=PARAM...], --region R
                       with install/fetch-secrets: receiver secrets kept in SSM SecureStrings
  --root DIR           prefix for every host path read or written (tests)
  --no-system          skip packages, image pulls, ownership and systemctl (or SETUP_NO_SYSTEM=1)
  SETUP_MONITORING_USE_IMAGES=1 runs promtool and amtool from the pinned images even when
  they are installed on the host.
EOF
}

parse_args() {
  local opt val
  while (($#)); do
    opt=$1
    if [[ $opt == --*=* ]]; then val=${opt#*=} opt=${opt%%=*}; set -- "$opt" "$val" "${@:2}"; fi
    case $opt in
      -h | --help) HELP=1 ;;
      --no-system) NO_SYSTEM=1 ;;
      --root | --bundle | --deployment | --retention-days | --secrets-dir | --heartbeat-stage | --heartbeat-region | --host-settings | --secret-parameters | --region)
        (($# >= 2)) || usage_err "$opt needs a value"
        case $opt in
          --root) ROOT=${2%/} ;;
          --bundle) BUNDLE=$2 ;;
          --deployment) DEPLOYMENT=$2 ;;
          --retention-days) RETENTION_DAYS=$2 ;;
          --secrets-dir) SECRETS_DIR=$2 ;;
          --heartbeat-stage) HB_STAGE=$2 ;;
          --heartbeat-region) HB_REGION=$2 ;;
          --host-settings) HOST_SETTINGS=$2 ;;
          --secret-parameters) SECRET_PARAMETERS=$2 ;;
          --region) SSM_REGION=$2 ;;
        esac
        shift
        ;;
      -*) usage_err "unknown option '$opt'" ;;
      *) [[ -z $CMD ]] || usage_err "unexpected argument '$opt'"; CMD=$opt ;;
    esac
    shift
  done
  [[ -z $ROOT || $ROOT =~ ^(/[A-Za-z0-9._-]+)+$ ]] || usage_err "--root: '$ROOT' must be an absolute path of [A-Za-z0-9._-] segments"
  case $CMD in
    "" | install | check | fetch-secrets | heartbeat | ec2-boot | render-compose | render-unit) ;;
    *) usage_err "unknown command '$CMD'" ;;
  esac
  if ! [[ $RETENTION_DAYS =~ ^[0-9]{1,4}$ ]] || ((10#$RETENTION_DAYS < 1 || 10#$RETENTION_DAYS > 3650)); then
    usage_err "--retention-days: '$RETENTION_DAYS' is not allowed; use 1-3650"
  fi
  RETENTION_DAYS=$((10#$RETENTION_DAYS))
  [[ $SECRETS_DIR =~ ^(/[A-Za-z0-9._-]+)+$ ]] || usage_err "--secrets-dir: '$SECRETS_DIR' must be an absolute path"
  [[ -z $HB_STAGE || $HB_STAGE =~ ^[a-z0-9][a-z0-9-]{1,31}$ ]] || usage_err "--heartbeat-stage: '$HB_STAGE' is not allowed; use a stage name such as prod"
  [[ -z $HB_REGION || $HB_REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_err "--heartbeat-region: '$HB_REGION' is not allowed; use a region like us-east-1"
  [[ -z $HB_STAGE$HB_REGION || (-n $HB_STAGE && -n $HB_REGION) ]] || usage_err "--heartbeat-stage and --heartbeat-region go together"
  [[ $CMD != heartbeat || -n $HB_STAGE || $HELP == 1 ]] || usage_err "heartbeat needs --heartbeat-stage and --heartbeat-region"
  check_secret_parameters
  [[ $CMD != ec2-boot || -n $HOST_SETTINGS || $HELP == 1 ]] || usage_err "ec2-boot needs --host-settings FILE"
  if [[ $CMD == install || $CMD == check ]] && ((!HELP)); then
    [[ -n $DEPLOYMENT ]] || usage_err "$CMD needs --deployment DIR"
    [[ -d $DEPLOYMENT ]] || usage_err "--deployment: '$DEPLOYMENT' is not a directory"
    : "${BUNDLE:=$(dirname "$(readlink -f "$0")")/../monitoring}"
    [[ -d $BUNDLE ]] || usage_err "--bundle: '$BUNDLE' is not a directory"
  fi
  return 0
}

# FILE=PARAM pairs: file names Alertmanager's *_file paths use, SSM parameter names. Names only, never values.
check_secret_parameters() {
  local pair
  [[ -z $SSM_REGION || $SSM_REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || usage_err "--region: '$SSM_REGION' is not allowed; use a region like us-east-1"
  [[ -n $SECRET_PARAMETERS ]] || return 0
  [[ -n $SSM_REGION ]] || usage_err "--secret-parameters needs --region"
  local IFS=,
  for pair in $SECRET_PARAMETERS; do
    [[ $pair =~ ^[A-Za-z0-9._-]+=/[A-Za-z0-9_./-]+$ && $pair != *..* ]] ||
      usage_err "--secret-parameters: '$pair' is not allowed; use FILE=/ssm/parameter/name (file: letters, digits, '.', '_', '-')"
  done
}

set_paths() {
  ETC=$ROOT/etc/aztec-monitoring RUN=$ROOT/run/aztec-monitoring DATA=$ROOT/var/lib/aztec-monitoring
  UNIT=$ROOT/etc/systemd/system/$UNIT_NAME HB_UNIT=$ROOT/etc/systemd/system/aztec-monitoring-heartbeat
  COMPOSE=$ETC/docker-compose.yml SELF=$ROOT/opt/aztec-infra/setup-monitoring.sh
  SECRETS=$ROOT$SECRETS_DIR
}

# A file_sd file: a JSON array of {targets: [non-empty strings], labels: {instance: non-empty}}, each
# instance once. Prometheus would accept more; these are what the rules rely on.
check_targets() {
  local f=$1 err
  [[ -f $f ]] || { echo "$f: missing"; return 0; }
  err=$(jq -r '
    if type != "array" then "not a JSON array of target groups"
    else (to_entries[] | .key as $i | .value |
      if type != "object" then "[\($i)]: not an object"
      elif (.targets | type) != "array" or (.targets | length) == 0 or any(.targets[]; type != "string" or . == "") then "[\($i)].targets: give a non-empty list of host:port strings"
      elif (.labels.instance | type) != "string" or .labels.instance == "" then "[\($i)].labels.instance: missing; every target needs its node id as instance"
      else empty end),
      ([.[].labels.instance] | group_by(.) | map(select(length > 1))[] | "instance \(.[0]) appears \(length) times")
    end' "$f" 2>&1) || err="not valid JSON: $err"
  local line
  [[ -z $err ]] || while IFS= read -r line; do echo "$f: $line"; done <<<"$err"
}

# Runs promtool or amtool: the host's when installed, else the pinned image with no network.
tool() {
  local name=$1 image=$2 dir=$3
  shift 3
  if [[ ${SETUP_MONITORING_USE_IMAGES:-0} != 1 ]] && command -v "$name" >/dev/null; then
    (cd "$dir" && "$name" "$@")
  else
    docker run --rm --network none --user "$NOBODY" -v "$dir:/cfg:ro" -w /cfg --entrypoint "$name" "$image" "$@"
  fi
}

# Builds the tree to install in $1 (bundle without its tests, plus the deployment) and checks it.
stage_and_check() {
  local st=$1 f rel problems=()
  for rel in prometheus/prometheus.yml prometheus/rules/aztec-alerts.yml prometheus/rules/aztec-recording.yml blackbox/blackbox.yml \
    grafana/provisioning/datasources/prometheus.yml grafana/provisioning/dashboards/aztec.yml; do
    [[ -f $BUNDLE/$rel ]] || problems+=("--bundle: $BUNDLE/$rel is missing; give the repository's monitoring/ folder")
  done
  [[ -f $DEPLOYMENT/alertmanager/alertmanager.yml ]] || problems+=("--deployment: $DEPLOYMENT/alertmanager/alertmanager.yml is missing")
  for f in "${TARGET_FILES[@]}"; do
    check_targets "$DEPLOYMENT/prometheus/targets/$f.json" | while IFS= read -r rel; do problems+=("--deployment: $rel"); done
  done
  if ((${#problems[@]})); then printf 'error: %s\n' "${problems[@]}" >&2; exit 1; fi

  (cd "$BUNDLE" && find prometheus blackbox grafana -type f ! -path 'prometheus/tests/*' -print0) |
    while IFS= read -r -d '' rel; do mkdir -p "$st/$(dirname "$rel")"; cp "$BUNDLE/$rel" "$st/$rel"; done
  mkdir -p "$st/prometheus/targets" "$st/alertmanager"
  for f in "${TARGET_FILES[@]}"; do cp "$DEPLOYMENT/prometheus/targets/$f.json" "$st/prometheus/targets/"; done
  [[ ! -f $DEPLOYMENT/prometheus/rules/publisher-thresholds.yml ]] ||
    cp "$DEPLOYMENT/prometheus/rules/publisher-thresholds.yml" "$st/prometheus/rules/"
  cp "$DEPLOYMENT/alertmanager/alertmanager.yml" "$st/alertmanager/"

  tool promtool "$PROMETHEUS_IMAGE" "$st" check config prometheus/prometheus.yml >&2 || die "promtool check config failed; nothing was installed"
  tool amtool "$ALERTMANAGER_IMAGE" "$st" check-config alertmanager/alertmanager.yml >&2 || die "amtool check-config failed; nothing was installed"
}

render_compose() {
  cat <<EOF
# Written by setup-monitoring.sh; started by $UNIT_NAME. Host network, loopback listeners only:
# Prometheus scrapes the nodes' private addresses; people arrive through SSM port forwarding.
name: aztec-monitoring
x-logging: &logging
  driver: json-file
  options: {max-size: "50m", max-file: "5"}
services:
  prometheus:
    image: $PROMETHEUS_IMAGE
    network_mode: host
    command: ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=${RETENTION_DAYS}d", "--web.listen-address=127.0.0.1:9090"]
    volumes:
      - $ETC/prometheus:/etc/prometheus:ro
      - $DATA/prometheus:/prometheus
    restart: unless-stopped
    logging: *logging
  alertmanager:
    image: $ALERTMANAGER_IMAGE
    network_mode: host
    command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
      "--web.listen-address=127.0.0.1:9093", "--cluster.listen-address="]
    volumes:
      - $ETC/alertmanager:/etc/alertmanager:ro
      - $DATA/alertmanager:/alertmanager
      - $RUN/secrets:/run/aztec-monitoring/secrets:ro
    restart: unless-stopped
    logging: *logging
  blackbox:
    image: $BLACKBOX_IMAGE
    network_mode: host
    command: ["--config.file=/etc/blackbox/blackbox.yml", "--web.listen-address=127.0.0.1:9115"]
    volumes:
      - $ETC/blackbox:/etc/blackbox:ro
    restart: unless-stopped
    logging: *logging
  grafana:
    image: $GRAFANA_IMAGE
    network_mode: host
    environment:
      GF_SERVER_HTTP_ADDR: 127.0.0.1
      GF_SERVER_HTTP_PORT: "3000"
      GF_SECURITY_ADMIN_PASSWORD__FILE: /run/aztec-monitoring/secrets/grafana-admin-password
      GF_ANALYTICS_REPORTING_ENABLED: "false"
      GF_METRICS_ENABLED: "true"
    volumes:
      - $ETC/grafana/provisioning:/etc/grafana/provisioning:ro
      - $ETC/grafana/dashboards:/etc/grafana/dashboards:ro
      - $DATA/grafana:/var/lib/grafana
      - $RUN/secrets:/run/aztec-monitoring/secrets:ro
    restart: unless-stopped
    logging: *logging
EOF
}

render_unit() {
  local dc="/usr/bin/docker compose --project-name aztec-monitoring --file $COMPOSE"
  cat <<EOF
# Written by setup-monitoring.sh.
[Unit]
Description=Aztec validator monitoring (Prometheus, Alertmanager, blackbox exporter, Grafana)
Requires=docker.service
After=docker.service network-online.target
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
Type=simple
ExecStartPre=/bin/bash $SELF${ROOT:+ --root $ROOT} fetch-secrets --secrets-dir $SECRETS_DIR${SECRET_PARAMETERS:+ --secret-parameters $SECRET_PARAMETERS --region $SSM_REGION}
ExecStart=$dc up --remove-orphans
ExecStop=$dc stop --timeout 60
ExecStopPost=-$dc down --timeout 60
ExecStopPost=/bin/rm -rf $RUN
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
EOF
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

fetch_secrets() {
  local f name owner
  [[ -d $SECRETS ]] || die "--secrets-dir: '$SECRETS' does not exist; create it (root, 0700) with one file per receiver secret"
  [[ $(stat -c %a "$SECRETS") == 700 ]] || die "--secrets-dir: '$SECRETS' has mode $(stat -c %a "$SECRETS"); it must be 0700"
  rm -rf "$RUN/secrets"
  install -d -m 700 "$RUN" "$RUN/secrets"
  for f in "$SECRETS"/*; do
    [[ -f $f ]] || continue
    name=$(basename "$f")
    [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "$f: secret file names use letters, digits, '.', '_' and '-' only"
    [[ $(stat -c %a "$f") =~ ^[0-7]00$ ]] || die "$f: readable by group or others ($(stat -c %a "$f")); chmod 600 it"
    install -m 400 "$f" "$RUN/secrets/$name"
    owner=$NOBODY
    [[ $name != grafana-admin-password ]] || owner=$GRAFANA_UID
    ((NO_SYSTEM)) || chown "$owner:0" "$RUN/secrets/$name"
  done
  if [[ -n $SECRET_PARAMETERS ]]; then
    local pair file param IFS=,
    for pair in $SECRET_PARAMETERS; do
      file=${pair%%=*} param=${pair#*=}
      # The value goes from the AWS CLI straight into a 0400 file on tmpfs; it is never printed.
      (umask 277 && aws ssm get-parameter --region "$SSM_REGION" --name "$param" --with-decryption \
        --query Parameter.Value --output text >"$RUN/secrets/$file") ||
        die "cannot read SecureString $param for $file (does it exist, and may this host read it?)"
      ((NO_SYSTEM)) || chown "$NOBODY:0" "$RUN/secrets/$file"
    done
  fi
  # The containers' users must reach their files through the directory.
  chmod 711 "$RUN/secrets"
  log "secrets ready in $RUN/secrets ($(find "$RUN/secrets" -type f | wc -l) files)"
}

# Proof that the chain works: Prometheus evaluates the rules and Alertmanager holds their result.
heartbeat() {
  local alerts
  alerts=$(curl -fsS --max-time 10 'http://127.0.0.1:9093/api/v2/alerts?active=true&silenced=false&inhibited=false&filter=alertname%3D%22Watchdog%22') ||
    die "Alertmanager did not answer on 127.0.0.1:9093; no heartbeat sent"
  [[ $(jq 'map(select(.labels.alertname == "Watchdog")) | length' <<<"$alerts") -gt 0 ]] ||
    die "Watchdog is not active in Alertmanager (Prometheus down or not sending); no heartbeat sent"
  aws cloudwatch put-metric-data --region "$HB_REGION" --namespace AztecInfra/Monitoring --metric-name WatchdogHeartbeat \
    --dimensions "Stage=$HB_STAGE" --value 1 --unit Count
  log "heartbeat sent for stage $HB_STAGE"
}

render_heartbeat_service() {
  cat <<EOF
# Written by setup-monitoring.sh.
[Unit]
Description=Aztec monitoring heartbeat to CloudWatch (stage $HB_STAGE)
After=$UNIT_NAME

[Service]
Type=oneshot
ExecStart=/bin/bash $SELF${ROOT:+ --root $ROOT} heartbeat --heartbeat-stage $HB_STAGE --heartbeat-region $HB_REGION
EOF
}

render_heartbeat_timer() {
  cat <<EOF
# Written by setup-monitoring.sh.
[Unit]
Description=Aztec monitoring heartbeat every minute

[Timer]
OnBootSec=2min
OnUnitActiveSec=1min
AccuracySec=5s

[Install]
WantedBy=timers.target
EOF
}

install_packages() {
  local p pkgs=(jq) missing=()
  command -v docker >/dev/null || pkgs+=(docker.io)
  docker compose version >/dev/null 2>&1 || pkgs+=(docker-compose-v2)
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

do_install() {
  local st rel
  command -v jq >/dev/null || ((NO_SYSTEM)) || install_packages
  st=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the trap must remove this run's staging directory
  trap "rm -rf '$st'" EXIT
  stage_and_check "$st"
  ((NO_SYSTEM)) || install_packages

  # Remove managed files the new bundle no longer has (a rule file left behind would still load).
  if [[ -d $ETC ]]; then
    (cd "$ETC" && find prometheus alertmanager blackbox grafana -type f 2>/dev/null) | while IFS= read -r rel; do
      [[ -f $st/$rel ]] || { rm -f "${ETC:?}/$rel"; CHANGED+=("$ETC/$rel"); log "removed $ETC/$rel"; }
    done
  fi
  (cd "$st" && find . -type f | sed 's|^\./||' | sort) | while IFS= read -r rel; do put "$ETC/$rel" 644 <"$st/$rel"; done
  render_compose | put "$COMPOSE" 644
  render_unit | put "$UNIT" 644
  if [[ -n $HB_STAGE ]]; then
    render_heartbeat_service | put "$HB_UNIT.service" 644
    render_heartbeat_timer | put "$HB_UNIT.timer" 644
  fi
  put "$SELF" 755 <"$0"
  mkdir -p "$DATA/prometheus" "$DATA/alertmanager" "$DATA/grafana"
  if [[ ! -f $SECRETS/grafana-admin-password ]]; then
    install -d -m 700 "$SECRETS"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$SECRETS/grafana-admin-password")
    log "created $SECRETS/grafana-admin-password (Grafana's admin password; root can read it)"
  fi
  if ((NO_SYSTEM)); then
    log "installed under ${ROOT:-/} (--no-system: no ownership, pulls or systemctl)"
    return 0
  fi
  chown -R "$NOBODY:$NOBODY" "$DATA/prometheus" "$DATA/alertmanager"
  chown -R "$GRAFANA_UID:0" "$DATA/grafana"
  docker compose --project-name aztec-monitoring --file "$COMPOSE" pull -q
  systemctl daemon-reload
  systemctl enable "$UNIT_NAME" >/dev/null
  if ((${#CHANGED[@]})); then
    systemctl restart "$UNIT_NAME"
  else
    systemctl start "$UNIT_NAME"
  fi
  [[ -z $HB_STAGE ]] || systemctl enable --now aztec-monitoring-heartbeat.timer
  log "aztec-monitoring running; Grafana on 127.0.0.1:3000 (SSM port forwarding, see README)"
}

# KEY=VALUE settings of the AWS host (written by cloud-init): parsed, never sourced.
declare -A H=()
read_host_settings() {
  local line key val n=0
  [[ -f $HOST_SETTINGS ]] || die "--host-settings: '$HOST_SETTINGS' does not exist"
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    [[ -z $line || $line == \#* ]] && continue
    [[ $line =~ ^([A-Z_]+)=([A-Za-z0-9_.:/,@+=-]*)$ ]] || die "$HOST_SETTINGS:$n: expected KEY=VALUE with a plain value"
    key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
    case $key in
      STAGE | AWS_REGION | EBS_VOLUME_ID | SSM_DEPLOYMENT_PARAMETER | RETENTION_DAYS | BUNDLE | SECRET_PARAMETERS) H[$key]=$val ;;
      *) die "$HOST_SETTINGS:$n: unknown key '$key'" ;;
    esac
  done <"$HOST_SETTINGS"
  for key in STAGE AWS_REGION EBS_VOLUME_ID SSM_DEPLOYMENT_PARAMETER; do
    [[ -n ${H[$key]:-} ]] || die "$HOST_SETTINGS: $key is required"
  done
}

imds_token() { curl -fsS -m 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token; }
# The IMDS token goes in on stdin (-H @-), not on the command line.
imds_get() { printf 'X-aws-ec2-metadata-token: %s\n' "$1" | curl -fsS -m 5 -H @- "http://169.254.169.254/latest/meta-data/$2"; }

# The data volume (TSDB, Alertmanager and Grafana state) at $DATA: found by its EBS volume id, formatted
# only when blank, mounted through fstab with nofail.
mount_data_volume() {
  local vol=${H[EBS_VOLUME_ID]} dev waited=0 fstype uuid tok
  if [[ $vol == from-instance-tag ]]; then
    tok=$(imds_token) || die "EBS_VOLUME_ID: cannot reach the instance metadata service (IMDSv2)"
    vol=$(imds_get "$tok" tags/instance/AztecInfraEbsVolumeId) || die "EBS_VOLUME_ID: instance tag AztecInfraEbsVolumeId is not readable"
  fi
  [[ $vol =~ ^vol-[0-9a-f]{8,17}$ ]] || die "EBS_VOLUME_ID: '$vol' is not an EBS volume id"
  dev=$ROOT/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${vol/-/}
  until [[ -e $dev ]]; do
    ((waited < 600)) || die "EBS volume $vol did not appear at $dev within 600s"
    sleep 5
    waited=$((waited + 5))
  done
  dev=$(readlink -f "$dev")
  fstype=$(blkid -p -o value -s TYPE "$dev" || true)
  if [[ -z $fstype ]]; then
    log "no filesystem on $dev: creating ext4"
    mkfs.ext4 -q -m 1 -L aztec-monitoring "$dev"
  elif [[ $fstype != ext4 ]]; then
    die "$dev holds a $fstype filesystem; refusing to reformat it"
  fi
  uuid=$(blkid -p -o value -s UUID "$dev")
  mkdir -p "$DATA"
  { awk -v m="$DATA" '$2 != m' "$ROOT/etc/fstab"; echo "UUID=$uuid $DATA ext4 defaults,noatime,nofail 0 2"; } | put "$ROOT/etc/fstab" 644
  mountpoint -q "$DATA" || mount "$DATA"
}

# The deployment files from the String parameter: a JSON object of relative path to content.
fetch_deployment() {
  local dir=$1 json rel
  json=$(aws ssm get-parameter --region "${H[AWS_REGION]}" --name "${H[SSM_DEPLOYMENT_PARAMETER]}" --query Parameter.Value --output text) ||
    die "cannot read the deployment parameter ${H[SSM_DEPLOYMENT_PARAMETER]}"
  jq -e 'type == "object"' >/dev/null <<<"$json" || die "${H[SSM_DEPLOYMENT_PARAMETER]}: not a JSON object of path to content"
  jq -r 'keys[]' <<<"$json" | while IFS= read -r rel; do
    [[ $rel =~ ^(prometheus|alertmanager)/[A-Za-z0-9_./-]+$ && $rel != *..* ]] || die "${H[SSM_DEPLOYMENT_PARAMETER]}: '$rel' is not a deployment file path"
    mkdir -p "$dir/$(dirname "$rel")"
    jq -j --arg k "$rel" '.[$k]' <<<"$json" >"$dir/$rel"
  done
}

ec2_boot() {
  read_host_settings
  ((NO_SYSTEM)) || install_packages
  command -v aws >/dev/null || ((NO_SYSTEM)) || snap install aws-cli --classic
  mount_data_volume
  DEPLOYMENT=$ETC/deployment
  rm -rf "$DEPLOYMENT"
  mkdir -p "$DEPLOYMENT"
  fetch_deployment "$DEPLOYMENT"
  BUNDLE=${H[BUNDLE]:-$(dirname "$(readlink -f "$0")")/../monitoring}
  RETENTION_DAYS=${H[RETENTION_DAYS]:-30} HB_STAGE=${H[STAGE]} HB_REGION=${H[AWS_REGION]}
  if ! [[ $RETENTION_DAYS =~ ^[0-9]{1,4}$ ]] || ((10#$RETENTION_DAYS < 1 || 10#$RETENTION_DAYS > 3650)); then
    die "$HOST_SETTINGS: RETENTION_DAYS '$RETENTION_DAYS' is not allowed; use 1-3650"
  fi
  RETENTION_DAYS=$((10#$RETENTION_DAYS))
  [[ $HB_STAGE =~ ^[a-z0-9][a-z0-9-]{1,31}$ ]] || die "$HOST_SETTINGS: STAGE '$HB_STAGE' is not a stage name"
  [[ $HB_REGION =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "$HOST_SETTINGS: AWS_REGION '$HB_REGION' is not a region"
  SECRET_PARAMETERS=${H[SECRET_PARAMETERS]:-} SSM_REGION=${H[AWS_REGION]}
  check_secret_parameters
  do_install
}

main() {
  parse_args "$@"
  if ((HELP)) || [[ -z $CMD ]]; then usage; return 0; fi
  set_paths
  case $CMD in
    install) do_install ;;
    check)
      local st
      st=$(mktemp -d)
      # shellcheck disable=SC2064 # expand now: the trap must remove this run's staging directory
      trap "rm -rf '$st'" EXIT
      stage_and_check "$st"
      log "bundle and deployment are valid"
      ;;
    fetch-secrets) fetch_secrets ;;
    heartbeat) heartbeat ;;
    ec2-boot) ec2_boot ;;
    render-compose) render_compose ;;
    render-unit) render_unit ;;
  esac
}

main "$@"
