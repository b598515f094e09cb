#!/usr/bin/env bats
# Day-two behaviour of scripts/setup-validator.sh: settings read from an SSM parameter at every start
# (stubbed aws CLI), and growing the data filesystem after its disk grew (a real ext4 image file,
# grown with resize2fs; nothing is mounted, so no root is needed).

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../setup-validator.sh"
  FIX="$BATS_TEST_DIRNAME/fixtures"
  R="$BATS_TEST_TMPDIR/root"
  mkdir -p "$R/etc/aztec-infra" "$R/dev" "$BATS_TEST_TMPDIR/bin"
  sv() { bash "$SCRIPT" "$@"; }
  no_match() { if grep -q "$@"; then echo "unexpected match: $*" >&2; return 1; fi; }
  # The stubbed AWS CLI answers the settings parameter from a file the test writes.
  export STUB_LOG="$BATS_TEST_TMPDIR/aws.log" STUB_SETTINGS="$BATS_TEST_TMPDIR/parameter.env"
  cat >"$BATS_TEST_TMPDIR/bin/aws" <<'STUB'
#!/usr/bin/env bash
echo "aws $*" >>"$STUB_LOG"
case "$*" in
  *"ssm get-parameter --region eu-west-1 --name /aztec-infra/dev/nodes/validator-1/settings --query Parameter.Value --output text") cat "$STUB_SETTINGS" ;;
  *) echo "aws stub: unexpected call" >&2; exit 1 ;;
esac
STUB
  chmod +x "$BATS_TEST_TMPDIR/bin/aws"
  export PATH="$BATS_TEST_TMPDIR/bin:$PATH"
}

# A host whose settings file only says where the settings are; the parameter holds the node's settings.
ssm_host() {
  printf 'SSM_SETTINGS_PARAMETER=/aztec-infra/dev/nodes/validator-1/settings\nAWS_REGION=eu-west-1\n' >"$R/etc/aztec-infra/validator.env"
  grep -v '^AWS_REGION=\|^EBS_VOLUME_ID=\|^#' "$FIX/validator.env" >"$STUB_SETTINGS"
  echo "DATA_DEVICE=/dev/aztec-data" >>"$STUB_SETTINGS"
  truncate -s 16M "$R/dev/aztec-data"
}

image_bytes() { dumpe2fs -h "$1" 2>/dev/null | awk -F: '/^Block count:/ {c = $2} /^Block size:/ {s = $2} END {printf "%d", c * s}'; }

# --- settings from SSM ----------------------------------------------------

@test "settings come from the SSM parameter named in the settings file" {
  ssm_host
  run sv --root "$R" --no-system render-compose
  [ "$status" -eq 0 ]
  [[ "$output" == *"image: aztecprotocol/aztec:5.2.0"* ]]
  grep -q 'ssm get-parameter --region eu-west-1 --name /aztec-infra/dev/nodes/validator-1/settings' "$STUB_LOG"
}

@test "a key set in both the file and the parameter exits 2 and names it" {
  ssm_host
  echo "NODE_ID=validator-9" >>"$R/etc/aztec-infra/validator.env"
  run sv --root "$R" --no-system render-compose
  [ "$status" -eq 2 ]
  [[ "$output" == *"key 'NODE_ID' is set twice"* ]]
  [[ "$output" == *"ssm:/aztec-infra/dev/nodes/validator-1/settings"* ]]
}

@test "an unreadable parameter fails and names it" {
  ssm_host
  sed -i 's|nodes/validator-1/settings|nodes/validator-2/settings|' "$R/etc/aztec-infra/validator.env"
  run sv --root "$R" --no-system render-compose
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot read the settings parameter /aztec-infra/dev/nodes/validator-2/settings in eu-west-1"* ]]
}

@test "refresh applies a changed image at the next start, rewriting only what it affects" {
  ssm_host
  sv --root "$R" --no-system install
  local unit
  unit=$(cat "$R/etc/systemd/system/aztec-validator.service")
  sed -i 's|^AZTEC_IMAGE=.*|AZTEC_IMAGE=aztecprotocol/aztec:5.3.0|' "$STUB_SETTINGS"
  run sv --root "$R" --no-system refresh
  [ "$status" -eq 0 ]
  [[ "$output" == *"updated $R/etc/aztec-infra/docker-compose.yml"* ]]
  [[ "$output" == *"refresh: 2 file(s) changed"* ]]
  no_match 'unit file differs' <<<"$output"
  grep -q 'image: aztecprotocol/aztec:5.3.0' "$R/etc/aztec-infra/docker-compose.yml"
  [ "$(cat "$R/etc/systemd/system/aztec-validator.service")" = "$unit" ]
}

@test "the unit refreshes the settings before it fetches the secrets, at every start" {
  ssm_host
  run sv --root "$R" --no-system render-unit
  [ "$status" -eq 0 ]
  local pre
  pre=$(grep '^ExecStartPre=' <<<"$output")
  [[ "$(sed -n 1p <<<"$pre")" == *"setup-validator.sh --root $R refresh --settings $R/etc/aztec-infra/validator.env" ]]
  [[ "$(sed -n 2p <<<"$pre")" == *"fetch-secrets --settings $R/etc/aztec-infra/validator.effective.env" ]]
}

# --- growing the data filesystem ------------------------------------------

@test "install grows the ext4 filesystem to a grown disk without restarting the node" {
  ssm_host
  sv --root "$R" --no-system install
  [ "$(image_bytes "$R/dev/aztec-data")" -eq $((16 * 1024 * 1024)) ]
  local uuid
  uuid=$(blkid -p -o value -s UUID "$R/dev/aztec-data")
  # EBS grew the volume: the device is larger than its filesystem.
  truncate -s 48M "$R/dev/aztec-data"
  run sv --root "$R" --no-system install
  [ "$status" -eq 0 ]
  [[ "$output" == *"growing the data filesystem on $R/dev/aztec-data from 16 MiB to 48 MiB"* ]]
  [[ "$output" == *"install: no changes"* ]]
  [ "$(image_bytes "$R/dev/aztec-data")" -eq $((48 * 1024 * 1024)) ]
  [ "$(blkid -p -o value -s UUID "$R/dev/aztec-data")" = "$uuid" ]
  e2fsck -fn "$R/dev/aztec-data" >/dev/null
}

@test "grow-fs changes nothing when the filesystem fills its disk" {
  ssm_host
  mkfs.ext4 -q "$R/dev/aztec-data"
  local before
  before=$(sha256sum <"$R/dev/aztec-data")
  run sv --root "$R" --no-system grow-fs
  [ "$status" -eq 0 ]
  [[ "$output" == *"data filesystem fills its device (16 MiB)"* ]]
  [ "$(sha256sum <"$R/dev/aztec-data")" = "$before" ]
}

@test "the pre-start reads the resolved settings without fetching the parameter again" {
  ssm_host
  sv --root "$R" --no-system install
  # The effective file holds every setting from the parameter, and not the parameter's name...
  grep -qx 'AZTEC_IMAGE=aztecprotocol/aztec:5.2.0' "$R/etc/aztec-infra/validator.effective.env"
  no_match '^SSM_SETTINGS_PARAMETER=' "$R/etc/aztec-infra/validator.effective.env"
  # ...so reading it (as fetch-secrets does) finds no key twice and makes no second SSM call.
  : >"$STUB_LOG"
  run sv --root "$R" --no-system render-node-env --settings "$R/etc/aztec-infra/validator.effective.env"
  [ "$status" -eq 0 ]
  no_match 'settings' "$STUB_LOG"
}
