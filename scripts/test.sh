#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs the real tools the tests use when they are
# missing (Debian packages, the pinned aws-cdk CLI from npm), then runs shellcheck, the bats suites, the
# .NET tests, a synthesis of the dev stage through the real CDK CLI and cdk.json, and the VM test
# (scripts/vm/run.sh: the bootstrap on a booted Debian 12 guest). QUICK=1 skips the VM test for
# local iteration; CI (CI=true) always runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# jsii prints a large banner for end-of-life Node majors (this machine's Node 20); it is noise here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=18,20

passed=0
failed=0
step() { printf '\n== %s\n' "$*"; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

install_tools() {
  local missing=() tool package
  for pair in shellcheck:shellcheck bats:bats cloud-init:cloud-init jq:jq mmdebstrap:mmdebstrap \
    qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mkfs.vfat:dosfstools mcopy:mtools mkfs.ext4:e2fsprogs; do
    tool=${pair%%:*} package=${pair#*:}
    command -v "$tool" >/dev/null || missing+=("$package")
  done
  # The VM test's stand-in images are built from Debian's static busybox.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
  if ((${#missing[@]})); then
    step "installing ${missing[*]} (Debian packages)"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if [[ ! -x node_modules/.bin/cdk ]] || ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
    step "installing the pinned aws-cdk CLI (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

run_shellcheck() {
  step "shellcheck"
  local files=(scripts/*.sh .ci/run scripts/tests/fixtures/stubs/* scripts/vm/*.sh scripts/vm/guest/*.sh)
  # Bats files at warning level: shellcheck cannot see that helpers defined in setup() are called by
  # the @test blocks, so its info-level "unreachable" notes there are false positives.
  if shellcheck "${files[@]}" && shellcheck -S warning scripts/tests/*.bats; then
    count 1 0
  else
    count 0 1
  fi
}

run_bats() {
  step "bats"
  local out ok notok
  out=$(bats --tap scripts/tests/ 2>&1) || true
  printf '%s\n' "$out"
  ok=$(grep -c '^ok ' <<<"$out" || true)
  notok=$(grep -c '^not ok ' <<<"$out" || true)
  # A run that could not start prints no test lines at all: count it as a failure.
  if ((ok + notok == 0)); then notok=1; fi
  count "$ok" "$notok"
}

run_dotnet() {
  step "dotnet test"
  local out rc=0 line p f
  out=$(dotnet test AztecInfra.sln --nologo 2>&1) || rc=$?
  printf '%s\n' "$out" | grep -Ev '^\s*$' | tail -n 60
  line=$(grep -E '(Passed|Failed)!' <<<"$out" | tail -n 1 || true)
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")
  f=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$line")
  if [[ -z $p ]]; then p=0 f=1; fi
  ((rc == 0)) || ((f > 0)) || f=1
  count "$p" "$f"
}

run_cdk_cli() {
  local stage out
  for stage in dev prod; do
    step "npx aws-cdk synth ($stage stage, through cdk.json, offline)"
    out=$(mktemp -d)
    if npx --no-install cdk synth --quiet --output "$out" -c stage="$stage" >/dev/null &&
      [[ -s $out/aztec-infra-$stage-validators-us-east-1.template.json ]]; then
      count 1 0
    else
      count 0 1
    fi
    rm -rf "$out"
  done
}

run_vm() {
  step "VM test (scripts/vm/run.sh: bare metal and EC2 on a booted Debian 12 guest)"
  if [[ ${QUICK:-0} == 1 && ${CI:-} != true ]]; then
    echo "skipped: QUICK=1 (local iteration only; CI always runs it)"
    return 0
  fi
  local out p f
  out=$(bash scripts/vm/run.sh 2>&1) || true
  printf '%s\n' "$out"
  p=$(sed -nE 's/^vm: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$out")
  f=$(sed -nE 's/^vm: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$out")
  # No summary line means the harness itself broke: a failure, never a silent pass.
  if [[ -z $p ]]; then p=0 f=1; fi
  count "$p" "$f"
}

install_tools
run_shellcheck
run_bats
run_dotnet
run_cdk_cli
run_vm

printf '\n%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
