#!/usr/bin/env bash
# The VM test's driver inside the guest, run by vmtest.service at every boot (after cloud-init).
# Scenario and inputs come from the read-only share /mnt/in; results go to /mnt/out/results as
# "PASS|FAIL <scenario>: <check>". A phase file on the root disk carries it across reboots.
set -uo pipefail
IN=/mnt/in OUT=/mnt/out
SCENARIO=$(cat "$IN/scenario")
MARK=FAKESECRET-VMTEST
STATE=/var/lib/vmtest/phase
UNIT=aztec-validator.service
MNT=/var/lib/aztec
mkdir -p /var/lib/vmtest
PHASE=$(cat "$STATE" 2>/dev/null || echo 1)
exec >>"$OUT/guest.log" 2>&1

note() { echo "[$(date +%T) $SCENARIO phase $PHASE] $*"; }
check() {
  local name=$1
  shift
  if "$@"; then echo "PASS $SCENARIO: $name" >>"$OUT/results"; note "PASS $name"
  else echo "FAIL $SCENARIO: $name" >>"$OUT/results"; note "FAIL $name"; fi
}
timed() { echo "$SCENARIO $1 $2s" >>"$OUT/times"; }
next_phase() { echo "$1" >"$STATE"; sync; }
status_ok() { curl -fs -m 5 -o /dev/null http://127.0.0.1:8080/status; }
wait_status() {
  local limit=$1 t=$SECONDS
  until status_ok; do ((SECONDS - t < limit)) || return 1; sleep 3; done
}
node_container() { docker ps -aq --filter label=com.docker.compose.service=aztec-node | head -n 1; }

# --- checks shared by both scenarios -------------------------------------------------------

containers_running() {
  local s
  for s in aztec-node otel-collector node-exporter; do
    [[ $(docker ps -q --filter "label=com.docker.compose.service=$s" --filter status=running) ]] || { note "$s not running"; return 1; }
  done
}
secrets_on_tmpfs() {
  [[ $(findmnt -no FSTYPE -T /run/aztec-infra) == tmpfs ]] &&
    [[ $(stat -c %a /run/aztec-infra /run/aztec-infra/keys /run/aztec-infra/env | sort -u) == 700 ]] &&
    [[ $(find /run/aztec-infra -type f -exec stat -c %a {} + | sort -u) == 600 ]] &&
    [[ -s /run/aztec-infra/env/ETHEREUM_HOSTS && -s /run/aztec-infra/keys/keystore.json ]]
}
# Finding 1: Docker persisted env_file secrets in config.v2.json and shows them in docker inspect.
no_secret_in_docker() {
  local ids
  mapfile -t ids < <(docker ps -aq)
  ! docker inspect "${ids[@]}" | grep -q "$MARK" && ! grep -rqa "$MARK" /var/lib/docker
}
no_secret_at_rest() {
  local hit=0
  journalctl --no-pager -o cat | grep -q "$MARK" && { note "secret in the journal"; hit=1; }
  grep -rqa "$MARK" "$MNT" && { note "secret on the data disk"; hit=1; }
  # The operator's own secrets directory is where the secrets come from on bare metal.
  find /etc -path /etc/aztec-infra/secrets -prune -o -type f -print0 | xargs -0 grep -lqa "$MARK" && { note "secret under /etc"; hit=1; }
  grep -rqa "$MARK" /var/log && { note "secret under /var/log"; hit=1; }
  ((hit == 0))
}
# Nothing may have been written under the mount point on the root disk (the disk mounted late).
root_disk_clean() {
  mkdir -p /mnt/rootfs
  mount --bind / /mnt/rootfs || return 1
  local left
  left=$(ls -A "/mnt/rootfs$MNT" 2>/dev/null)
  umount /mnt/rootfs
  [[ -z $left ]] || { note "on the root disk under $MNT: $left"; return 1; }
}
# Finding 2: Docker restarted the old containers at boot, before the unit mounted and fetched secrets.
node_started_after_keys() {
  local boot
  boot=$(cat /proc/sys/kernel/random/boot_id)
  grep "^$boot " "$MNT/data/standin-starts.log" | sed 's/^/  start log: /'
  ! grep -q "^$boot .*refused" "$MNT/data/standin-starts.log" && grep -q "^$boot .*started" "$MNT/data/standin-starts.log"
}
node_started_by_unit() {
  local unit_at node_at c
  c=$(node_container)
  unit_at=$(date -d "$(systemctl show -p ActiveEnterTimestamp --value $UNIT)" +%s)
  node_at=$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$c")" +%s)
  note "unit active since $unit_at, node container started at $node_at, restarts $(docker inspect -f '{{.RestartCount}}' "$c")"
  ((node_at >= unit_at - 1))
}
after_boot_checks() {
  local label=$1 t=$SECONDS
  check "$label: node answers /status" wait_status 420
  timed "$label-to-status" $((SECONDS - t))
  check "$label: unit active" [ "$(systemctl is-active $UNIT)" = active ]
  check "$label: data disk mounted" mountpoint -q $MNT
  check "$label: node never started without its keys (finding 2)" node_started_after_keys
  check "$label: node container started by the unit, not by Docker (finding 2)" node_started_by_unit
  check "$label: nothing written on the root disk under $MNT" root_disk_clean
  check "$label: secrets on tmpfs, 0700/0600" secrets_on_tmpfs
  check "$label: no secret in docker config or /var/lib/docker (finding 1)" no_secret_in_docker
  check "$label: no secret in the journal, on the data disk, under /etc or /var/log" no_secret_at_rest
}
checksums() { sha256sum /etc/fstab /etc/aztec-infra/*.* /etc/systemd/system/$UNIT /opt/aztec-infra/*; }

# The unit's behaviour once installed: the mount guard, a node that never comes up.
# Arguments: the install command without --settings.
unit_checks() {
  local install=("$@") out rc t
  # Finding 2, the guard: with the data disk unmounted the unit refuses to start.
  systemctl stop $UNIT
  umount $MNT
  out=$(bash /opt/aztec-infra/setup-validator.sh fetch-secrets --settings /etc/aztec-infra/validator.effective.env 2>&1)
  rc=$?
  note "guard: $out"
  check "the unit's pre-start refuses an unmounted data disk (finding 2)" \
    bash -c "[[ $rc == 1 && \"\$1\" == *'refusing to start'* && ! -e /run/aztec-infra/env ]]" _ "$out"
  check "nothing written on the root disk under $MNT" root_disk_clean
  mount $MNT
  systemctl start $UNIT
  check "node back after the guard test" wait_status 240

  # Finding 3, loudly: a node that never comes up (its image cannot be pulled, so the unit keeps
  # restarting: "activating") makes install fail after HEALTH_TIMEOUT_SECONDS, on a second run too.
  # A tag above the release floor (older releases are refused before anything starts) that no registry has.
  sed '/^HEALTH_TIMEOUT_SECONDS=/d' /etc/aztec-infra/validator.env >/root/broken.env
  echo HEALTH_TIMEOUT_SECONDS=20 >>/root/broken.env
  t=$SECONDS
  out=$("${install[@]}" --settings /root/broken.env --image aztecprotocol/aztec:99.0.0-missing 2>&1)
  rc=$?
  timed install-broken $((SECONDS - t))
  echo "$out" >"$OUT/$SCENARIO-install-broken.log"
  check "install fails loudly when the node never answers /status (finding 3)" \
    bash -c "[[ $rc == 1 && \"\$1\" == *'node did not answer /status within 20s'* ]]" _ "$out"
  out=$("${install[@]}" --settings /root/broken.env --image aztecprotocol/aztec:99.0.0-missing 2>&1)
  rc=$?
  echo "$out" >"$OUT/$SCENARIO-install-broken2.log"
  note "unit after the broken installs: $(systemctl is-active $UNIT)"
  check "a second install does not take a restarting unit for a running one (finding 3)" \
    bash -c "[[ $rc == 1 && \"\$1\" == *'node did not answer /status'* ]]" _ "$out"
  "${install[@]}" --settings /etc/aztec-infra/validator.env >"$OUT/$SCENARIO-install-repaired.log" 2>&1
  check "install after the repair exits 0 with the node up" bash -c "[[ $? == 0 ]] && curl -fs -o /dev/null http://127.0.0.1:8080/status"
}

# --- bare metal: the README's commands ------------------------------------------------------

baremetal_phase1() {
  local sv=/root/setup-validator.sh out rc t uuid before started
  cp "$IN/setup-validator.sh" "$sv"
  install -d -m 755 /etc/aztec-infra
  install -d -m 700 /etc/aztec-infra/secrets
  install -m 600 "$IN"/secrets/* /etc/aztec-infra/secrets/
  install -m 644 "$IN/baremetal.env" /etc/aztec-infra/validator.env
  bash $sv check --profile testnet >"$OUT/baremetal-check.txt" 2>&1
  check "check: Debian 12 is a supported OS (finding 5)" grep -qx 'PASS os debian-12 .*' "$OUT/baremetal-check.txt"
  check "no Docker, no apparmor package before install" bash -c '! command -v docker && ! dpkg -s apparmor >/dev/null 2>&1'
  t=$SECONDS
  bash $sv install --settings /etc/aztec-infra/validator.env --data-device /dev/nvme0n1 \
    --secrets-dir /etc/aztec-infra/secrets >"$OUT/baremetal-install1.log" 2>&1
  rc=$?
  timed install1 $((SECONDS - t))
  check "install exits 0" [ $rc -eq 0 ]
  # Finding 3: install exited 0 while no container could start (AppArmor without its package).
  check "install exiting 0 means the node answers /status (finding 3)" status_ok
  check "Docker 24+ and compose v2 installed from the local Debian repository (finding 5)" \
    bash -c "(( \$(docker version -f '{{.Server.Version}}' | cut -d. -f1) >= 24 )) && docker compose version"
  uuid=$(blkid -p -o value -s UUID /dev/nvme0n1)
  check "ext4 created on the data disk" [ "$(blkid -p -o value -s TYPE /dev/nvme0n1)" = ext4 ]
  check "fstab: one line, by UUID, noatime" [ "$(grep -c "^UUID=$uuid $MNT ext4 defaults,noatime,nofail 0 2$" /etc/fstab)" = 1 ]
  check "data disk mounted by UUID with noatime" \
    bash -c "[[ \$(findmnt -no UUID --mountpoint $MNT) == $uuid && \$(findmnt -no OPTIONS --mountpoint $MNT) == *noatime* ]]"
  check "unit enabled" systemctl is-enabled --quiet $UNIT
  check "unit active" [ "$(systemctl is-active $UNIT)" = active ]
  check "node, collector and node_exporter running" containers_running
  check "node answers /status" status_ok
  check "secrets on tmpfs, 0700/0600" secrets_on_tmpfs
  check "no secret in docker config or /var/lib/docker (finding 1)" no_secret_in_docker
  check "no secret in the journal, on the data disk, under /etc or /var/log" no_secret_at_rest
  check "node started with its keys, from the data disk" node_started_after_keys

  before=$(checksums)
  started=$(docker inspect -f '{{.State.StartedAt}}' "$(node_container)")
  t=$SECONDS
  out=$(bash $sv install --settings /etc/aztec-infra/validator.env --data-device /dev/nvme0n1 \
    --secrets-dir /etc/aztec-infra/secrets 2>&1)
  rc=$?
  timed install2 $((SECONDS - t))
  echo "$out" >"$OUT/baremetal-install2.log"
  check "second install exits 0 and says no changes" bash -c "[[ $rc == 0 && \"\$1\" == *'install: no changes'* ]]" _ "$out"
  check "second install changes no file and keeps the filesystem" \
    [ "$(checksums)/$(blkid -p -o value -s UUID /dev/nvme0n1)" = "$before/$uuid" ]
  check "second install leaves the running node alone" [ "$(docker inspect -f '{{.State.StartedAt}}' "$(node_container)")" = "$started" ]

  # A crashed node is restarted by the unit (Restart=), not by Docker.
  t=$SECONDS
  docker kill "$(node_container)" >/dev/null
  sleep 5
  check "a killed node is brought back by the unit" wait_status 300
  timed crash-restart $((SECONDS - t))
  next_phase 2
  note "clean reboot"
  systemctl reboot
}

baremetal_phase2() {
  after_boot_checks "after a clean reboot"
  next_phase 3
  note "asking the host for a hard reset (system_reset)"
  echo reset >"$OUT/request"
  sync
  sleep 600
}

baremetal_phase3() {
  after_boot_checks "after a hard reset"
  next_phase finished
  echo "finished" >"$OUT/done"
  systemctl poweroff
}

# --- EC2: the real rendered user data through cloud-init (NoCloud) ------------------------

signals() { cat "$OUT/ec2-signals.log" 2>/dev/null; }
ec2_phase1() {
  local t rc id
  cloud-init status --wait >/dev/null 2>&1
  id=$(jq -r '."instance-id"' "$IN/ec2/instance.json")
  note "signals after the first boot: $(signals | tr '\n' ';')"
  check "cloud-init ran the user data: script and settings written" test -s /opt/aztec-infra/setup-validator.sh -a -s /etc/aztec-infra/validator.env
  check "the bootstrap installed the aws CLI itself (finding 4)" bash -c 'dpkg -s awscli >/dev/null 2>&1'
  # Finding 4: an early failure (the volume tag unreadable) sent no signal: the aws CLI came later.
  check "an injected early failure (no volume tag) signals FAILURE (finding 4)" \
    bash -c "signals() { cat $OUT/ec2-signals.log 2>/dev/null; }; [[ \$(signals | wc -l) == 1 && \$(signals) == *' $id FAILURE' ]]"
  mkdir -p /run/standin-aws
  touch /run/standin-aws/fixed
  t=$SECONDS
  bash /var/lib/cloud/instance/scripts/runcmd >"$OUT/ec2-install.log" 2>&1
  rc=$?
  timed ec2-install $((SECONDS - t))
  check "the rendered runcmd runs to the end" [ $rc -eq 0 ]
  check "it signals SUCCESS for this instance" bash -c "[[ \$(tail -n 1 $OUT/ec2-signals.log) == *' $id SUCCESS' ]]"
  check "the EBS volume (by its by-id name) is formatted and mounted" \
    bash -c "[[ \$(findmnt -no UUID --mountpoint $MNT) == \$(blkid -p -o value -s UUID /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_\$(jq -r .tags.AztecInfraEbsVolumeId $IN/ec2/instance.json | tr -d -)) ]]"
  check "P2P address from the instance tag" grep -qx "P2P_IP=$(jq -r .tags.AztecInfraP2pIp "$IN/ec2/instance.json")" /etc/aztec-infra/node.env
  check "unit enabled and active" bash -c "systemctl is-enabled --quiet $UNIT && [[ \$(systemctl is-active $UNIT) == active ]]"
  check "node, collector and node_exporter running" containers_running
  check "node answers /status" status_ok
  check "secrets from SSM on tmpfs, 0700/0600" secrets_on_tmpfs
  check "no secret in docker config or /var/lib/docker (finding 1)" no_secret_in_docker
  check "no secret in the journal, on the data disk, under /etc or /var/log" no_secret_at_rest
  check "node started with its keys, from the data disk" node_started_after_keys
  # The bare-metal VM has the crash and the reboots; these run here, where the VM has time left.
  unit_checks bash /opt/aztec-infra/setup-validator.sh install
  echo "finished" >"$OUT/done"
  systemctl poweroff
}

note "start"
case "$SCENARIO-$PHASE" in
  baremetal-1) baremetal_phase1 ;;
  baremetal-2) baremetal_phase2 ;;
  baremetal-3) baremetal_phase3 ;;
  ec2-1) ec2_phase1 ;;
  *) note "nothing to do" ;;
esac
