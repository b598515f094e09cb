#!/usr/bin/env bats
# Tests for scripts/setup-monitoring.sh. Run: bats scripts/tests/setup-monitoring.bats
# Nothing here touches the real host: installs run under --root in a temp dir with --no-system. The
# configs are checked by the real promtool and amtool (scripts/test.sh installs them); docker is a stub.

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../setup-monitoring.sh"
  BUNDLE="$BATS_TEST_DIRNAME/../../monitoring"
  FIX="$BATS_TEST_DIRNAME/fixtures"
  R="$BATS_TEST_TMPDIR/root"
  mkdir -p "$R"
  sm() { bash "$SCRIPT" "$@"; }
  # A copy of the rendered deployment fixture that a test may break.
  deployment() {
    local d="$BATS_TEST_TMPDIR/deployment"
    rm -rf "$d"
    cp -r "$FIX/monitoring-deployment" "$d"
    echo "$d"
  }
  install_r() { sm --root "$R" --no-system install --bundle "$BUNDLE" --deployment "$1" "${@:2}"; }
  no_match() { if grep -q "$@"; then echo "unexpected match: $*" >&2; return 1; fi; }
}

checksums() { (cd "$R" && find etc opt -type f -print0 | sort -z | xargs -0 sha256sum); }

@test "--help lists the commands" {
  run sm --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"fetch-secrets"* ]]
  [[ "$output" == *"--deployment DIR"* ]]
}

@test "unknown command and flag exit 2 and name them" {
  run sm frobnicate
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown command 'frobnicate'"* ]]
  run sm check --bogus
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown option '--bogus'"* ]]
}

@test "install without --deployment exits 2" {
  run sm --root "$R" --no-system install
  [ "$status" -eq 2 ]
  [[ "$output" == *"install needs --deployment DIR"* ]]
}

@test "a retention outside 1-3650 days exits 2 naming the flag and value" {
  run sm render-compose --retention-days 0
  [ "$status" -eq 2 ]
  [[ "$output" == *"--retention-days: '0' is not allowed; use 1-3650"* ]]
}

@test "install puts bundle and deployment where prometheus.yml's relative paths expect them" {
  run install_r "$(deployment)" --retention-days 45
  [ "$status" -eq 0 ]
  E="$R/etc/aztec-monitoring"
  [ -f "$E/prometheus/prometheus.yml" ]
  [ -f "$E/prometheus/rules/aztec-alerts.yml" ]
  [ -f "$E/prometheus/rules/publisher-thresholds.yml" ]
  [ -f "$E/prometheus/targets/aztec-node.json" ]
  [ -f "$E/alertmanager/alertmanager.yml" ]
  [ -f "$E/grafana/dashboards/aztec-validators.json" ]
  [ ! -e "$E/prometheus/tests" ]
  grep -q -- '--storage.tsdb.retention.time=45d' "$E/docker-compose.yml"
  grep -q "ExecStartPre=/bin/bash $R/opt/aztec-infra/setup-monitoring.sh --root $R fetch-secrets" "$R/etc/systemd/system/aztec-monitoring.service"
  # The real promtool read the staged layout (rule globs and file_sd paths resolve), and amtool the receivers.
  [[ "$output" == *"SUCCESS: 3 rule files found"* ]]
  [[ "$output" == *"SUCCESS: prometheus/prometheus.yml is valid prometheus config file syntax"* ]]
  # Grafana's admin password is generated once, root-only, and never printed.
  [ "$(stat -c %a "$R/etc/aztec-monitoring/secrets/grafana-admin-password")" = 600 ]
  no_match -F "$(cat "$R/etc/aztec-monitoring/secrets/grafana-admin-password")" <<<"$output"
  cmp "$E/prometheus/prometheus.yml" "$BUNDLE/prometheus/prometheus.yml"
}

@test "a second install changes nothing" {
  d=$(deployment)
  install_r "$d"
  before=$(checksums)
  run install_r "$d"
  [ "$status" -eq 0 ]
  [ "$before" = "$(checksums)" ]
  [[ "$output" != *"updated"* ]]
}

@test "a rule file the bundle no longer has is removed" {
  d=$(deployment)
  install_r "$d"
  echo 'groups: []' >"$R/etc/aztec-monitoring/prometheus/rules/old.yml"
  run install_r "$d"
  [ "$status" -eq 0 ]
  [ ! -e "$R/etc/aztec-monitoring/prometheus/rules/old.yml" ]
  [[ "$output" == *"removed $R/etc/aztec-monitoring/prometheus/rules/old.yml"* ]]
}

@test "a target without an instance label is refused, naming file and index, and nothing is written" {
  d=$(deployment)
  jq '.[1].labels |= del(.instance)' "$d/prometheus/targets/node-exporter.json" >"$d/t" && mv "$d/t" "$d/prometheus/targets/node-exporter.json"
  run install_r "$d"
  [ "$status" -eq 1 ]
  [[ "$output" == *"node-exporter.json: [1].labels.instance: missing"* ]]
  [ ! -e "$R/etc" ]
}

@test "a node listed twice and a missing targets file are both reported" {
  d=$(deployment)
  jq '. + [.[0]]' "$d/prometheus/targets/aztec-node.json" >"$d/t" && mv "$d/t" "$d/prometheus/targets/aztec-node.json"
  rm "$d/prometheus/targets/ha-database.json"
  run sm check --bundle "$BUNDLE" --deployment "$d"
  [ "$status" -eq 1 ]
  [[ "$output" == *"aztec-node.json: instance validator-us appears 2 times"* ]]
  [[ "$output" == *"ha-database.json: missing"* ]]
}

@test "an alertmanager.yml amtool rejects is refused and nothing is written" {
  d=$(deployment)
  sed -i 's/api_url_file:/api_url_fil:/' "$d/alertmanager/alertmanager.yml"
  run install_r "$d"
  [ "$status" -eq 1 ]
  [[ "$output" == *"api_url_fil"* ]]
  [[ "$output" == *"amtool check-config failed; nothing was installed"* ]]
  [ ! -e "$R/etc" ]
}

@test "without host tools the checks run in the pinned images with no network" {
  export PATH="$FIX/stubs:$PATH" STUB_LOG="$BATS_TEST_TMPDIR/stub.log" SETUP_MONITORING_USE_IMAGES=1
  : >"$STUB_LOG"
  run sm check --bundle "$BUNDLE" --deployment "$(deployment)"
  [ "$status" -eq 0 ]
  grep -q -- '--network none .* --entrypoint promtool prom/prometheus:v2.53.2 check config prometheus/prometheus.yml' "$STUB_LOG"
  grep -q -- '--network none .* --entrypoint amtool prom/alertmanager:v0.27.0 check-config alertmanager/alertmanager.yml' "$STUB_LOG"
}

@test "fetch-secrets copies receiver secrets into tmpfs, readable by the owner only" {
  S="$R/etc/aztec-monitoring/secrets"
  mkdir -p "$S" && chmod 700 "$S"
  (umask 077 && echo "https://hooks.slack.example/T0/B0/secret" >"$S/ops-slack" && echo "rk" >"$S/oncall")
  run sm --root "$R" --no-system fetch-secrets
  [ "$status" -eq 0 ]
  [ "$(stat -c %a "$R/run/aztec-monitoring/secrets/ops-slack")" = 400 ]
  cmp "$S/ops-slack" "$R/run/aztec-monitoring/secrets/ops-slack"
  [[ "$output" == *"(2 files)"* ]]
  no_match -F "hooks.slack.example" <<<"$output"
}

@test "fetch-secrets refuses a secret readable by others" {
  S="$R/etc/aztec-monitoring/secrets"
  mkdir -p "$S" && chmod 700 "$S"
  echo "rk" >"$S/oncall" && chmod 644 "$S/oncall"
  run sm --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"oncall: readable by group or others (644); chmod 600 it"* ]]
}

@test "fetch-secrets refuses a secrets directory that is not 0700" {
  mkdir -p "$R/etc/aztec-monitoring/secrets" && chmod 755 "$R/etc/aztec-monitoring/secrets"
  run sm --root "$R" --no-system fetch-secrets
  [ "$status" -eq 1 ]
  [[ "$output" == *"has mode 755; it must be 0700"* ]]
}

@test "every listener in the compose file is on loopback and images are pinned" {
  run sm render-compose
  [ "$status" -eq 0 ]
  [[ "$output" == *"--web.listen-address=127.0.0.1:9090"* ]]
  [[ "$output" == *"--web.listen-address=127.0.0.1:9093"* ]]
  [[ "$output" == *"--web.listen-address=127.0.0.1:9115"* ]]
  [[ "$output" == *"GF_SERVER_HTTP_ADDR: 127.0.0.1"* ]]
  no_match -E 'image: .*(:latest|[^0-9])$' <<<"$output"
  no_match -E '0\.0\.0\.0' <<<"$output"
}

@test "install with --heartbeat-stage/--heartbeat-region adds the one-minute heartbeat timer" {
  run install_r "$(deployment)" --heartbeat-stage prod --heartbeat-region us-east-1
  [ "$status" -eq 0 ]
  grep -q "heartbeat --heartbeat-stage prod --heartbeat-region us-east-1" "$R/etc/systemd/system/aztec-monitoring-heartbeat.service"
  grep -q "OnUnitActiveSec=1min" "$R/etc/systemd/system/aztec-monitoring-heartbeat.timer"
}

@test "a heartbeat flag without the other exits 2" {
  run install_r "$(deployment)" --heartbeat-stage prod
  [ "$status" -eq 2 ]
  [[ "$output" == *"--heartbeat-stage and --heartbeat-region go together"* ]]
}

@test "heartbeat puts the CloudWatch metric only while Alertmanager holds the Watchdog" {
  export PATH="$FIX/stubs:$PATH" STUB_LOG="$BATS_TEST_TMPDIR/stub.log"
  : >"$STUB_LOG"
  STUB_AM_ALERTS='[{"labels":{"alertname":"Watchdog","severity":"none"}}]' run sm heartbeat --heartbeat-stage prod --heartbeat-region us-east-1
  [ "$status" -eq 0 ]
  grep -q -- 'aws cloudwatch put-metric-data --region us-east-1 --namespace AztecInfra/Monitoring --metric-name WatchdogHeartbeat --dimensions Stage=prod --value 1' "$STUB_LOG"
  : >"$STUB_LOG"
  STUB_AM_ALERTS='[]' run sm heartbeat --heartbeat-stage prod --heartbeat-region us-east-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"Watchdog is not active in Alertmanager"* ]]
  no_match -F 'put-metric-data' "$STUB_LOG"
}

@test "fetch-secrets reads receiver SecureStrings from SSM into tmpfs and never prints them" {
  export PATH="$FIX/stubs:$PATH" STUB_LOG="$BATS_TEST_TMPDIR/stub.log" STUB_SECRETS="$BATS_TEST_TMPDIR/ssm"
  mkdir -p "$STUB_SECRETS" "$R/etc/aztec-monitoring/secrets" && chmod 700 "$R/etc/aztec-monitoring/secrets"
  echo "https://hooks.slack.example/T0/B0/ssmsecret" >"$STUB_SECRETS/slack-url"
  run sm --root "$R" --no-system fetch-secrets --secret-parameters ops-slack=/aztec-infra/test/monitoring/slack-url --region us-east-1
  [ "$status" -eq 0 ]
  grep -q -- 'aws ssm get-parameter --region us-east-1 --name /aztec-infra/test/monitoring/slack-url --with-decryption' "$STUB_LOG"
  [ "$(stat -c %a "$R/run/aztec-monitoring/secrets/ops-slack")" = 400 ]
  cmp "$STUB_SECRETS/slack-url" "$R/run/aztec-monitoring/secrets/ops-slack"
  no_match -F "ssmsecret" <<<"$output"
}

@test "the unit passes the secret parameters to fetch-secrets at every start" {
  run install_r "$(deployment)" --secret-parameters ops-slack=/aztec-infra/test/monitoring/slack-url --region us-east-1
  [ "$status" -eq 0 ]
  grep -q "fetch-secrets --secrets-dir /etc/aztec-monitoring/secrets --secret-parameters ops-slack=/aztec-infra/test/monitoring/slack-url --region us-east-1" "$R/etc/systemd/system/aztec-monitoring.service"
}

@test "--secret-parameters refuses a malformed pair, a path with '..' and a missing region" {
  run sm fetch-secrets --secret-parameters 'ops=/a/../b' --region us-east-1
  [ "$status" -eq 2 ]
  [[ "$output" == *"--secret-parameters: 'ops=/a/../b' is not allowed"* ]]
  run sm fetch-secrets --secret-parameters 'ops slack=/a/b' --region us-east-1
  [ "$status" -eq 2 ]
  run sm fetch-secrets --secret-parameters 'ops=/a/b'
  [ "$status" -eq 2 ]
  [[ "$output" == *"--secret-parameters needs --region"* ]]
}

@test "ec2-boot refuses a host settings file with an unknown key or a quoted value" {
  printf 'STAGE=prod\nBOGUS=1\n' >"$BATS_TEST_TMPDIR/host.env"
  run sm --root "$R" --no-system ec2-boot --host-settings "$BATS_TEST_TMPDIR/host.env"
  [ "$status" -eq 1 ]
  [[ "$output" == *"host.env:2: unknown key 'BOGUS'"* ]]
  printf 'STAGE="prod"\n' >"$BATS_TEST_TMPDIR/host.env"
  run sm --root "$R" --no-system ec2-boot --host-settings "$BATS_TEST_TMPDIR/host.env"
  [ "$status" -eq 1 ]
  [[ "$output" == *"host.env:1: expected KEY=VALUE with a plain value"* ]]
}
