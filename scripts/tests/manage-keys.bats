#!/usr/bin/env bats
# Tests of scripts/manage-keys.sh against a stub aztec-infra (AZTEC_INFRA_BIN) that records its argv.

setup() {
  script="${BATS_TEST_DIRNAME}/../manage-keys.sh"
  stub="${BATS_TEST_TMPDIR}/aztec-infra"
  args_file="${BATS_TEST_TMPDIR}/args"
  cat >"${stub}" <<STUB
#!/usr/bin/env bash
printf '%s\n' "\$@" >"${args_file}"
exit "\${STUB_EXIT:-0}"
STUB
  chmod +x "${stub}"
  export AZTEC_INFRA_BIN="${stub}"
}

@test "prints usage and exits 2 without a verb" {
  run "${script}"
  [ "${status}" -eq 2 ]
  [[ "${output}" == *"Usage: manage-keys.sh VERB"* ]]
  [ ! -e "${args_file}" ]
}

@test "prints usage and exits 0 for --help" {
  run "${script}" --help
  [ "${status}" -eq 0 ]
  [[ "${output}" == *"rotate-publisher"* ]]
}

@test "passes arguments through unchanged, spaces and globs included" {
  run "${script}" import --stage dev --node validator-1 --file "my key *.json" ""
  [ "${status}" -eq 0 ]
  mapfile -t got <"${args_file}"
  expected=(keys import --stage dev --node validator-1 --file "my key *.json" "")
  [ "${#got[@]}" -eq "${#expected[@]}" ]
  for i in "${!expected[@]}"; do
    [ "${got[$i]}" == "${expected[$i]}" ]
  done
}

@test "keeps the exit code 1 of a failed validation" {
  STUB_EXIT=1 run "${script}" validate --file key1.json
  [ "${status}" -eq 1 ]
}

@test "keeps the exit code 2 of a usage error" {
  STUB_EXIT=2 run "${script}" remove --stage dev --node validator-1
  [ "${status}" -eq 2 ]
}

@test "passes --help of a verb to aztec-infra rather than answering itself" {
  run "${script}" new --help
  [ "${status}" -eq 0 ]
  mapfile -t got <"${args_file}"
  [ "${got[*]}" == "keys new --help" ]
}
