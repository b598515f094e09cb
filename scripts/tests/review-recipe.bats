#!/usr/bin/env bats
# Runs the README's "Reviewing a change" recipe, as written, twice in a row in a scratch clone: the git
# worktree steps are real; dotnet is a stub that stands in for 'plan' (it writes or reads the plan
# snapshot the real one would), because two real plans of a fresh worktree take minutes.

setup() {
  readme="${BATS_TEST_DIRNAME}/../../README.md"
  repo="${BATS_TEST_TMPDIR}/repo"
  export TMPDIR="${BATS_TEST_TMPDIR}/tmp"
  mkdir -p "${TMPDIR}" "${BATS_TEST_TMPDIR}/bin"
  git init -q -b main "${repo}"
  git -C "${repo}" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m base
  git -C "${repo}" checkout -q -b change
  cat >"${BATS_TEST_TMPDIR}/bin/dotnet" <<'STUB'
#!/usr/bin/env bash
# Stand-in for 'dotnet run --project stacks -- plan ...': --out DIR writes a snapshot, --baseline DIR needs one.
printf '%s ' "$PWD" "$@" >>"${TMPDIR}/dotnet.log"; printf '\n' >>"${TMPDIR}/dotnet.log"
while (($#)); do
  case $1 in
    --out) mkdir -p "$2" && echo '{}' >"$2/aztec-infra-plan.json"; shift ;;
    --baseline) [[ -f $2/aztec-infra-plan.json ]] || { echo "no baseline in $2" >&2; exit 2; }; shift ;;
  esac
  shift
done
STUB
  chmod +x "${BATS_TEST_TMPDIR}/bin/dotnet"
  # The recipe: the first bash block after the heading, exactly as the README shows it.
  awk '/^### Reviewing a change/{f=1} f&&/^```bash/{b=1;next} b&&/^```/{exit} b' "${readme}" >"${BATS_TEST_TMPDIR}/recipe.sh"
}

@test "the README's review recipe runs twice in a row" {
  [ -s "${BATS_TEST_TMPDIR}/recipe.sh" ]
  grep -q 'git worktree add' "${BATS_TEST_TMPDIR}/recipe.sh"
  cd "${repo}"
  for _ in 1 2; do
    PATH="${BATS_TEST_TMPDIR}/bin:${PATH}" bash -euo pipefail "${BATS_TEST_TMPDIR}/recipe.sh"
  done
  # Both runs planned the base and then the change against it, and left no worktree behind
  [ "$(grep -c -- '--out' "${TMPDIR}/dotnet.log")" -eq 2 ]
  [ "$(grep -c -- '--baseline' "${TMPDIR}/dotnet.log")" -eq 2 ]
  [ "$(git -C "${repo}" worktree list | wc -l)" -eq 1 ]
}

@test "the recipe's base plan runs in a checkout of main, not of the change" {
  cd "${repo}"
  PATH="${BATS_TEST_TMPDIR}/bin:${PATH}" bash -euo pipefail "${BATS_TEST_TMPDIR}/recipe.sh"
  first=$(head -n 1 "${TMPDIR}/dotnet.log" | cut -d' ' -f1)
  [ "${first}" != "${repo}" ]
  [[ "${first}" == "${TMPDIR}"/* ]]
}
