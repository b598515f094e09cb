#!/usr/bin/env bash
# The VM test: boots scripts/setup-validator.sh on a real Debian 12 guest (kernel, systemd, udev,
# cloud-init, Docker from Debian packages) under QEMU with no network, and prints one line per check
# and "vm: N passed, N failed". Scenarios (default: both, in parallel):
#   baremetal  the README's bare-metal commands, a second install, the mount guard, a loud failure,
#              a crash, a clean reboot and a hard reset (QEMU system_reset)
#   ec2        the real rendered user data (dotnet synth of the dev stage) through cloud-init NoCloud,
#              first with an injected early failure (FAILURE signal), then to the end (SUCCESS)
# Stand-ins (the only fakes): the node, collector and node_exporter images, an image registry mirror,
# IMDSv2 and the AWS API (ssm get-parameter, cloudformation signal-resource) with an aws CLI shim.
# Env: VM_CACHE (image cache, default /var/cache/aztec-infra/vm), VM_ACCEL (kvm|tcg, default: probe),
# VM_TIMEOUT (seconds per scenario, default 900). Logs of the last run: $VM_CACHE/last-run/.
# To show what the checks catch in another version (e.g. before a fix): VM_SCRIPT (the bootstrap for
# the bare-metal scenario) and VM_TEMPLATE (a synthesized dev validators template for the ec2 scenario).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/vm
CACHE=${VM_CACHE:-/var/cache/aztec-infra/vm}
TIMEOUT=${VM_TIMEOUT:-900}
scenarios=("$@")
((${#scenarios[@]})) || scenarios=(baremetal ec2)
for s in "${scenarios[@]}"; do [[ $s == baremetal || $s == ec2 ]] || { echo "error: unknown scenario '$s' (baremetal, ec2)" >&2; exit 2; }; done
MARK=FAKESECRET-VMTEST

work=$(mktemp -d /tmp/aztec-vm.XXXXXX)
cleanup() {
  local f
  for f in "$work"/*/qemu.pid; do
    if [[ -f $f ]]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "vm: $*" >&2; }

t=$SECONDS
image=$(bash "$here/build-image.sh")
if [[ ! -f $image/ok || ! -f $image/root.qcow2 ]]; then
  log "build-image.sh printed '$image', which is not a built image directory (no ok or root.qcow2)"
  exit 1
fi
log "image ready in $((SECONDS - t))s: $image"

# /dev/kvm may exist yet run only specially built guest kernels: a stock Debian kernel hangs under it
# and -cpu host aborts. Probe once per host kernel and image: KVM only if the stock kernel reaches its
# (expected, no root disk) panic quickly; otherwise software emulation (TCG).
accel() {
  if [[ -n ${VM_ACCEL:-} ]]; then echo "$VM_ACCEL"; return; fi
  local cached verdict=tcg
  cached=$CACHE/accel-$(uname -r)-$(basename "$image")
  if [[ -f $cached ]]; then cat "$cached"; return; fi
  if [[ -r /dev/kvm && -w /dev/kvm ]]; then
    timeout 30 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults -display none -no-reboot \
      -serial "file:$work/kvm-probe.log" -kernel "$image/vmlinuz" -append "console=ttyS0 panic=-1" \
      >/dev/null 2>&1 || true
    ! grep -q "Kernel panic" "$work/kvm-probe.log" 2>/dev/null || verdict=kvm
  fi
  echo "$verdict" >"$cached"
  echo "$verdict"
}
ACCEL=$(accel)
if [[ $ACCEL == kvm ]]; then accel_args=(-accel kvm -cpu host); else accel_args=(-accel tcg -cpu max); fi
log "accelerator: $ACCEL"

images=()
# The node's settings live in its SSM settings parameter (the user data only names it): read them from the
# template's AWS::SSM::Parameter, the value the stand-in AWS serves to the guest.
settings_value() { sed -n "s/^$1=//p" "$work/settings"; }
# The real user data: the C# renders it into the dev stage's template (base64 of gzip). Its settings
# also name the images that the stand-in registry serves (the bare-metal scenario uses the same).
t=$SECONDS
template=${VM_TEMPLATE:-cdk.out/aztec-infra-dev-validators-us-east-1.template.json}
if [[ -z ${VM_TEMPLATE:-} ]]; then
  dotnet run --project stacks -- synth --stage dev >"$work/synth.log" 2>&1 || { cat "$work/synth.log" >&2; exit 1; }
fi
jq -er '.Resources[] | select(.Type == "AWS::EC2::Instance") | .Properties.UserData' "$template" | base64 -d >"$work/user-data.gz"
gunzip -c "$work/user-data.gz" >"$work/cloud-config"
settings_name=$(sed -n 's/^    SSM_SETTINGS_PARAMETER=//p' "$work/cloud-config")
jq -er --arg n "$settings_name" '.Resources[] | select(.Type == "AWS::SSM::Parameter" and .Properties.Name == $n) | .Properties.Value' \
  "$template" >"$work/settings"
log "user data rendered in $((SECONDS - t))s ($(stat -c %s "$work/user-data.gz") bytes gzip)"
images=("$(settings_value AZTEC_IMAGE)" "$(settings_value OTEL_COLLECTOR_IMAGE)" "$(settings_value NODE_EXPORTER_IMAGE)")
python3 $here/standin-images.py "$work/registry" "${images[@]}"

keystore() {
  printf '{"schemaVersion": 1, "validators": [{"attester": {"eth": "0x%s-eth", "bls": "0x%s-bls"}}]}\n' "$MARK" "$MARK"
}

prepare() {
  local s=$1 d=$work/$1
  mkdir -p "$d/in" "$d/out"
  cp "${VM_SCRIPT:-scripts/setup-validator.sh}" "$d/in/setup-validator.sh"
  cp $here/guest/guest-test.sh $here/guest/standin-registry.py $here/guest/standin-aws.py "$d/in/"
  cp -r "$work/registry" "$d/in/registry"
  echo "$s" >"$d/in/scenario"
  qemu-img create -q -f qcow2 -b "$image/root.qcow2" -F qcow2 "$d/root.qcow2"
  qemu-img create -q -f qcow2 "$d/data.qcow2" 8G
  if [[ $s == baremetal ]]; then
    mkdir -p "$d/in/secrets"
    keystore >"$d/in/secrets/keystore.json"
    echo "https://l1.example.com/$MARK-exec" >"$d/in/secrets/l1-execution-urls"
    echo "https://beacon.example.com/$MARK-cons" >"$d/in/secrets/l1-consensus-urls"
    printf '%s\n' "# The VM test's bare-metal settings" NODE_ID=bm-1 AZTEC_NETWORK=testnet \
      "AZTEC_IMAGE=${images[0]}" "OTEL_COLLECTOR_IMAGE=${images[1]}" "NODE_EXPORTER_IMAGE=${images[2]}" \
      SECRETS_SOURCE=dir HEALTH_TIMEOUT_SECONDS=600 >"$d/in/baremetal.env"
    serial=bmdisk0001
    append=" cloud-init=disabled"
  else
    mkdir -p "$d/in/ec2"
    jq -n --arg ks "$(keystore)" --arg mark "$MARK" \
      --arg kp "$(settings_value SSM_KEYSTORE_PARAMETER)" --arg ep "$(settings_value SSM_L1_EXECUTION_PARAMETER)" \
      --arg cp "$(settings_value SSM_L1_CONSENSUS_PARAMETER)" --arg sp "$settings_name" --rawfile sv "$work/settings" '{
        "instance-id": "i-0a1b2c3d4e5f67890",
        "tags": {"AztecInfraEbsVolumeId": "vol-0a1b2c3d4e5f60718", "AztecInfraP2pIp": "198.51.100.20"},
        "parameters": {($kp): $ks, ($ep): ("https://l1.example.com/" + $mark + "-exec"), ($cp): ("https://beacon.example.com/" + $mark + "-cons"), ($sp): $sv},
        "secure": [$kp, $ep, $cp]
      }' >"$d/in/ec2/instance.json"
    touch "$d/in/ec2/inject-no-volume-tag"
    cp "$work/user-data.gz" "$d/user-data"
    printf 'instance-id: i-0a1b2c3d4e5f67890\nlocal-hostname: aztec-vm\n' >"$d/meta-data"
    mkfs.vfat -n CIDATA -C "$d/seed.img" 1024 >/dev/null
    mcopy -i "$d/seed.img" "$d/user-data" "$d/meta-data" ::
    serial=vol0a1b2c3d4e5f60718
    append=""
  fi
  qemu_args=(-machine q35 "${accel_args[@]}" -smp 1 -m 2048 -nodefaults -display none -nic none
    -serial "file:$d/console.log" -monitor "unix:$d/monitor.sock,server,nowait"
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img"
    -append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=1$append"
    -drive "file=$d/root.qcow2,if=virtio,format=qcow2"
    -drive "file=$d/data.qcow2,if=none,id=data,format=qcow2" -device "nvme,drive=data,serial=$serial"
    -virtfs "local,path=$d/in,mount_tag=in,security_model=none,readonly=on"
    -virtfs "local,path=$d/out,mount_tag=out,security_model=none")
  [[ $s != ec2 ]] || qemu_args+=(-drive "file=$d/seed.img,if=virtio,format=raw,readonly=on")
  printf '%s\n' "${qemu_args[@]}" >"$d/qemu.args"
}

monitor() { python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.5); s.recv(4096)
s.sendall((sys.argv[2]+"\n").encode()); time.sleep(0.5); s.close()' "$1" "$2"; }

# Runs one scenario to its end (the guest powers off) or to the timeout; hard-resets on request.
run_scenario() {
  local s=$1 d=$work/$1 start=$SECONDS pid
  mapfile -t qemu_args <"$d/qemu.args"
  qemu-system-x86_64 "${qemu_args[@]}" >"$d/qemu.log" 2>&1 &
  pid=$!
  echo "$pid" >"$d/qemu.pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -f $d/out/request ]]; then
      rm -f "$d/out/request"
      sleep 2
      log "$s: hard reset (system_reset) after $((SECONDS - start))s"
      monitor "$d/monitor.sock" system_reset
    fi
    if ((SECONDS - start > TIMEOUT)); then
      log "$s: timed out after ${TIMEOUT}s"
      kill "$pid"
      break
    fi
    sleep 2
  done
  wait "$pid" 2>/dev/null || true
  rm -f "$d/qemu.pid"
  echo "$s total $((SECONDS - start))s" >>"$d/out/times"
}

for s in "${scenarios[@]}"; do prepare "$s"; done
t=$SECONDS
for s in "${scenarios[@]}"; do run_scenario "$s" & done
wait
log "scenarios finished in $((SECONDS - t))s"

passed=0 failed=0
rm -rf "$CACHE/last-run"
mkdir -p "$CACHE/last-run"
for s in "${scenarios[@]}"; do
  d=$work/$s
  mkdir -p "$CACHE/last-run/$s"
  cp "$d"/out/* "$d/console.log" "$d/qemu.log" "$CACHE/last-run/$s/" 2>/dev/null || true
  grep -E '^(PASS|FAIL) ' "$d/out/results" 2>/dev/null || true
  p=$(grep -c '^PASS ' "$d/out/results" 2>/dev/null || true)
  f=$(grep -c '^FAIL ' "$d/out/results" 2>/dev/null || true)
  if [[ ! -f $d/out/done ]]; then
    echo "FAIL $s: the scenario did not run to its end (logs: $CACHE/last-run/$s)"
    f=$((f + 1))
  fi
  # A secret on the console would be in the serial log: it must not be.
  if grep -qa "$MARK" "$d/console.log"; then echo "FAIL $s: a secret reached the console"; f=$((f + 1)); else echo "PASS $s: no secret on the console"; p=$((p + 1)); fi
  passed=$((passed + p)) failed=$((failed + f))
  sed 's/^/vm time: /' "$d/out/times" 2>/dev/null || true
  if ((f)); then
    echo "--- $s: guest log (tail)"
    tail -n 40 "$d/out/guest.log" 2>/dev/null || true
    echo "--- $s: console (tail)"
    tail -n 30 "$d/console.log" || true
  fi
done
echo "vm: $passed passed, $failed failed"
((failed == 0))
