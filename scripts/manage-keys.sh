#!/usr/bin/env bash
# manage-keys.sh: a thin wrapper over `aztec-infra keys ...` for operators who expect a script.
# Same verbs, same options, same exit codes (0 ok, 1 validation/verification failure, 2 usage error);
# every argument is passed through unchanged.
#
# Secrets never travel as arguments, here or in aztec-infra: `keys new` reads the L1 RPC URL from
# $AZTEC_INFRA_L1_RPC_URLS, from standard input (--l1-rpc-stdin) or from the stage's SSM parameter.
#
# AZTEC_INFRA_BIN: a built aztec-infra binary to run. Default: `dotnet run --project <repo>/stacks --`.
# Run it from inside the repository: --stage NAME reads config/NAME.yaml found from the working directory.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: manage-keys.sh VERB [OPTIONS]   (same as: aztec-infra keys VERB [OPTIONS])

Verbs:
  new               --stage S --node N [--count K] --gse-address 0x... [--generator docker|aztec-cli]
                    [--l1-rpc-stdin] [--staker-output FILE] [--force] [--local DIR]
  publisher         --stage S --node N [--force] [--local DIR]
  import            --stage S --node N --file keystore.json [--force] [--local DIR]
  validate          --file keystore.json            (offline, no AWS)
  list              --stage S [--local DIR]
  verify            --stage S [--local DIR]
  rotate-publisher  --stage S --node N --yes [--local DIR]
  remove            --stage S --node N --yes [--local DIR]

Each verb takes --help. Exit codes: 0 ok, 1 validation/verification failure, 2 usage error.
Never put a key or an RPC URL on this command line: use $AZTEC_INFRA_L1_RPC_URLS or --l1-rpc-stdin.
USAGE
}

if [[ $# -eq 0 ]]; then
  usage >&2
  exit 2
fi

case "$1" in
  -h | --help | help)
    usage
    exit 0
    ;;
esac

if [[ -n "${AZTEC_INFRA_BIN:-}" ]]; then
  exec "${AZTEC_INFRA_BIN}" keys "$@"
fi

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
exec dotnet run --project "${script_dir}/../stacks" -- keys "$@"
