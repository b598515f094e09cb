#!/usr/bin/env bash
# Benchmark: wall time of `aztec-infra plan` for synthetic stages of 1, 3, 6 and 9 validator nodes
# (nodes spread over up to three regions, so the mesh stays the prod shape), plus a 6-region stage to
# show how the peering mesh scales with regions. Each size runs RUNS times (default 3); the median counts.
# Usage: scripts/bench-plan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]  (RUNS: a positive whole number)" >&2; exit 2; }
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=18,20 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build stacks -c Release --nologo -v quiet >/dev/null
cli=(dotnet stacks/bin/Release/net10.0/aztec-infra.dll)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

regions=(us-east-1 eu-west-1 ap-southeast-1 us-west-2 eu-central-1 ap-northeast-1)

# stage_yaml NODES REGIONS: NODES validators spread round-robin over the first REGIONS regions.
stage_yaml() {
  local nodes=$1 nregions=$2 i r
  printf 'stage: bench\nnetwork: testnet\nregions:\n'
  for ((i = 0; i < nregions; i++)); do
    r=${regions[i]}
    printf '  - name: %s\n    availabilityZones: [%sa]\n    vpcCidr: 10.%d.0.0/16\n' "$r" "$r" $((100 + i))
  done
  printf 'nodes:\n'
  for ((i = 0; i < nodes; i++)); do
    printf '  - id: node-%d\n    region: %s\n    instanceType: c6i.4xlarge\n' "$i" "${regions[i % nregions]}"
  done
  printf 'l1:\n  executionUrlsParameter: /aztec-infra/bench/l1-execution-urls\n'
  printf '  consensusUrlsParameter: /aztec-infra/bench/l1-consensus-urls\n'
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-7s %-8s %-7s %-12s %s\n' nodes regions stacks median_s "runs (s)"
for size in "1 1" "3 3" "6 3" "9 3" "6 6"; do
  read -r nodes nregions <<<"$size"
  stage_yaml "$nodes" "$nregions" >"$work/stage.yaml"
  times=()
  for ((k = 0; k < runs; k++)); do
    rm -rf "$work/out"
    start=$(date +%s.%N)
    "${cli[@]}" plan --config "$work/stage.yaml" --out "$work/out" >/dev/null
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')")
  done
  stacks=$(find "$work/out" -name '*.template.json' | wc -l)
  printf '%-7s %-8s %-7s %-12s %s\n' "$nodes" "$nregions" "$stacks" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
done
