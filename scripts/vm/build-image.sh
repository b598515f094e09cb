#!/usr/bin/env bash
# Builds the VM test's guest image: Debian 12 (bookworm) from Debian packages with mmdebstrap, a stock
# kernel, systemd, udev and cloud-init, no Docker. A local apt repository inside the image holds what
# setup-validator.sh installs (Docker 26 and compose v2 from Debian 13, apparmor, nvme-cli, and the
# stand-in 'awscli'), downloaded now, because the guest has no network. Cached under VM_CACHE keyed
# by a hash of this script and the guest files; prints the cache directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${VM_CACHE:-/var/cache/aztec-infra/vm}
MIRROR=${VM_MIRROR:-http://deb.debian.org/debian}
key=$(cat "$here/build-image.sh" "$here/guest/aws-shim.py" | sha256sum | cut -c1-16)
out=$CACHE/image-$key
if [[ -f $out/ok ]]; then echo "$out"; exit 0; fi
log() { echo "build-image: $*" >&2; }
# stdout carries only the image path (run.sh captures it); every tool's chatter goes to stderr
# (mkfs.ext4 prints "Creating regular file" on stdout even with -q).
exec 3>&1 1>&2
mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

# The stand-in aws CLI as a Debian package named like the real one.
mkdir -p "$tmp/shim/DEBIAN" "$tmp/shim/usr/bin"
install -m 755 "$here/guest/aws-shim.py" "$tmp/shim/usr/bin/aws"
cat >"$tmp/shim/DEBIAN/control" <<CTRL
Package: awscli
Version: 2.99.0-standin
Architecture: all
Maintainer: AztecInfra VM test <nobody@invalid>
Depends: python3
Description: stand-in aws CLI for the AztecInfra VM test (no network in the guest)
CTRL
dpkg-deb --root-owner-group -Zxz --build "$tmp/shim" "$tmp/awscli_2.99.0-standin_all.deb" >/dev/null

log "mmdebstrap (bookworm)"
# In the chroot, with network: download what the bootstrap will install, make it a local repository,
# then leave only that repository in the sources (the guest is offline).
cat >"$tmp/repo.sh" <<'HOOK'
set -eu
echo "deb http://deb.debian.org/debian trixie main" >/etc/apt/sources.list.d/trixie.list
printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >/etc/apt/preferences.d/trixie
apt-get update -q
rm -f /var/cache/apt/archives/*.deb
# Debian 12's docker.io is 20.10 (below the 24 floor) and its docker-compose is 1.x: take Debian 13's.
apt-get install -y -q --download-only --no-install-recommends docker.io/trixie docker-cli/trixie docker-compose/trixie apparmor nvme-cli
mkdir -p /var/local/aztec-repo
mv /var/cache/apt/archives/*.deb /var/local/aztec-repo/
rm /etc/apt/sources.list.d/trixie.list /etc/apt/preferences.d/trixie
HOOK
sed -i "s#http://deb.debian.org/debian#$MIRROR#" "$tmp/repo.sh"
# shellcheck disable=SC2016 # the hooks expand $1 (the chroot) in mmdebstrap, not here
mmdebstrap --variant=apt --mode=root --quiet \
  --include=systemd-sysv,udev,linux-image-amd64,initramfs-tools,cloud-init,curl,jq,python3,ca-certificates,iproute2,kmod,procps,e2fsprogs,util-linux,dbus,apt-utils,gzip,less \
  --customize-hook="cp $tmp/repo.sh \"\$1/tmp/repo.sh\" && chroot \"\$1\" sh /tmp/repo.sh && rm \"\$1/tmp/repo.sh\"" \
  --customize-hook="cp $tmp/awscli_2.99.0-standin_all.deb \"\$1/var/local/aztec-repo/\"" \
  --customize-hook='chroot "$1" sh -c "cd /var/local/aztec-repo && apt-ftparchive packages . >Packages"' \
  --customize-hook='echo "deb [trusted=yes] file:/var/local/aztec-repo ./" >"$1/etc/apt/sources.list"' \
  --customize-hook='chroot "$1" apt-get update -q' \
  bookworm "$tmp/root" "deb $MIRROR bookworm main"
log "mmdebstrap done after $((SECONDS - start))s"

r=$tmp/root
echo aztec-vm >"$r/etc/hostname"
cat >"$r/etc/fstab" <<'FSTAB'
/dev/vda / ext4 rw,errors=remount-ro 0 1
in /mnt/in 9p trans=virtio,version=9p2000.L,ro,nofail 0 0
out /mnt/out 9p trans=virtio,version=9p2000.L,rw,nofail 0 0
FSTAB
mkdir -p "$r/mnt/in" "$r/mnt/out" "$r/etc/docker" "$r/etc/udev/rules.d" "$r/etc/cloud/cloud.cfg.d"
# QEMU 7.2 cannot set an NVMe model string: name the disk the way udev names an EBS volume on Nitro.
cat >"$r/etc/udev/rules.d/61-ebs-standin.rules" <<'RULE'
KERNEL=="nvme*n*", ENV{DEVTYPE}=="disk", ENV{ID_SERIAL_SHORT}=="vol*", SYMLINK+="disk/by-id/nvme-Amazon_Elastic_Block_Store_$env{ID_SERIAL_SHORT}"
RULE
# Images come from the stand-in registry on loopback (docker.io is unreachable).
echo '{"registry-mirrors": ["http://127.0.0.1:5000"]}' >"$r/etc/docker/daemon.json"
cat >"$r/etc/cloud/cloud.cfg.d/99-vmtest.cfg" <<'CFG'
datasource_list: [NoCloud, None]
network: {config: disabled}
CFG
cat >"$r/etc/systemd/system/standin-registry.service" <<'UNIT'
[Unit]
Description=VM test stand-in image registry (loopback)
RequiresMountsFor=/mnt/in
ConditionPathExists=/mnt/in/registry
[Service]
ExecStart=/usr/bin/python3 /mnt/in/standin-registry.py /mnt/in/registry
[Install]
WantedBy=multi-user.target
UNIT
cat >"$r/etc/systemd/system/standin-aws.service" <<'UNIT'
[Unit]
Description=VM test stand-in IMDSv2 and AWS endpoint (loopback)
RequiresMountsFor=/mnt/in /mnt/out
ConditionPathExists=/mnt/in/ec2
Before=cloud-final.service
[Service]
ExecStartPre=-/sbin/ip addr add 169.254.169.254/32 dev lo
ExecStart=/usr/bin/python3 /mnt/in/standin-aws.py /mnt/in/ec2 /mnt/out
[Install]
WantedBy=multi-user.target
UNIT
cat >"$r/etc/systemd/system/vmtest.service" <<'UNIT'
[Unit]
Description=VM test driver
RequiresMountsFor=/mnt/in /mnt/out
ConditionPathExists=/mnt/in/guest-test.sh
After=multi-user.target cloud-final.service
[Service]
Type=oneshot
ExecStart=/bin/bash /mnt/in/guest-test.sh
StandardOutput=journal+console
StandardError=journal+console
[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
for u in standin-registry standin-aws vmtest; do
  ln -sf "/etc/systemd/system/$u.service" "$r/etc/systemd/system/multi-user.target.wants/$u.service"
done
# Console login is never needed; keep the boot short.
rm -f "$r/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
cp "$r/boot/"vmlinuz-* "$tmp/vmlinuz"
cp "$r/boot/"initrd.img-* "$tmp/initrd.img"
log "filesystem image"
mkfs.ext4 -q -L root -d "$r" "$tmp/root.raw" 4G
qemu-img convert -O qcow2 "$tmp/root.raw" "$tmp/root.qcow2"
rm -rf "$r" "$tmp/root.raw"
mkdir -p "$out"
mv "$tmp/root.qcow2" "$tmp/vmlinuz" "$tmp/initrd.img" "$out/"
touch "$out/ok"
log "image built in $((SECONDS - start))s: $out"
echo "$out" >&3
