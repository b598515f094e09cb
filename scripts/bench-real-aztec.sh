#!/usr/bin/env bash
# bench-real-aztec.sh [--cold] [RUNS]: times the real-Aztec tier (tests/real-aztec/run.sh) and prints, per phase,
# the median seconds over RUNS runs (default 1): the install (npm install of @aztec/aztec 4.1.2 + the Debian 13
# root; 0 when cached), the facts checks, the real local network coming up, keys new, the HA database
# (PostgreSQL + the real migrate-ha-db), and the second validator (start to synced and attesting).
# --cold installs into a fresh cache directory first, so the install's npm and root times are measured too
# (it needs the npm registry and a Debian mirror, like the first run of the suite).
# A benchmark to rerun, not a test: nothing here fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
cold=0
if [[ ${1:-} == --cold ]]; then cold=1; shift; fi
runs=${1:-1}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench-real-aztec.sh: RUNS '$runs' is not a positive whole number" >&2; exit 2; }
work=$(mktemp -d /tmp/bench-real-aztec.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build AztecInfra.sln -nologo -v q >/dev/null

# Cold: the first run installs into an empty cache (its install phase is the cold install); the rest reuse it.
((cold == 0)) || export REAL_AZTEC_CACHE=$work/cache
for ((i = 1; i <= runs; i++)); do
  REAL_AZTEC_TIMES=$work/times.$i bash tests/real-aztec/run.sh >"$work/run.$i" 2>&1 ||
    { tail -n 20 "$work/run.$i"; echo "bench-real-aztec.sh: run $i failed (above)" >&2; exit 1; }
  echo "run $i: $(grep '^real-aztec:' "$work/run.$i")"
done
if ((cold)); then
  echo "cold install breakdown (seconds): $(tr '\n' ' ' <"$(bash tests/real-aztec/install.sh)/install-seconds")"
fi
printf '\n| phase | median seconds (%d run(s)) |\n|---|---|\n' "$runs"
for phase in install facts local-network keys-new ha-database second-validator; do
  median=$(cat "$work"/times.* | awk -v p="$phase" '$1 == p { print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '| %s | %s |\n' "$phase" "$median"
done
