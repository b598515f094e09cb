#!/usr/bin/env bash
# The real-Aztec tier, as scripts/test.sh runs it: install (cached) the real Aztec software from npm and a
# Debian 13 root, then the static facts (facts.sh: env names, `aztec start` lines, metric names against the
# real packages) and the live scenario (live.sh: the real local network, keys, HA database, a second
# validator). Prints each part's TAP lines, then `real-aztec: N passed, M failed`; exit 1 on any failure.
# Versions it runs: @aztec/aztec 4.1.2 (the newest node on npm) and the 5.2.0 libraries (the network release
# the image pin names); each check says which one it ran.
# Needs: `dotnet build AztecInfra.sln` done and the root `npm ci` (yaml), as scripts/test.sh does first.
# Env: REAL_AZTEC_TIMES=FILE collects phase seconds (scripts/bench-real-aztec.sh reads it).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TIMES=${REAL_AZTEC_TIMES:-/dev/null}
passed=0 failed=0
tally() { # tally FILE: count a part's TAP lines
  passed=$((passed + $(grep -c '^ok - ' "$1" || true)))
  failed=$((failed + $(grep -c '^not ok - ' "$1" || true)))
}
out=$(mktemp -d /tmp/real-aztec-run.XXXXXX)
trap 'rm -rf "$out"' EXIT

t=$SECONDS
if ! DIR=$(bash "$here/install.sh"); then
  echo "not ok - install the real Aztec software (tests/real-aztec/install.sh failed; its log is above)"
  echo "real-aztec: 0 passed, 1 failed"
  exit 1
fi
echo "install $((SECONDS - t))" >>"$TIMES"
echo "# real Aztec software in $DIR ($(tr "\n" " " <"$DIR/install-seconds"))"

t=$SECONDS
bash "$here/facts.sh" "$DIR" >"$out/facts" 2>&1
rc=$?
cat "$out/facts"
tally "$out/facts"
# A facts.sh that could not render its inputs prints no TAP line for it: that is a failure too.
if ((rc != 0)) && ! grep -q '^not ok - ' "$out/facts"; then echo "not ok - facts.sh stopped (rc $rc) before its checks"; failed=$((failed + 1)); fi
echo "facts $((SECONDS - t))" >>"$TIMES"

REAL_AZTEC_TIMES=$TIMES bash "$here/live.sh" "$DIR" >"$out/live" 2>&1
rc=$?
cat "$out/live"
tally "$out/live"
if ((rc != 0)) && ! grep -q '^not ok - ' "$out/live"; then echo "not ok - live.sh stopped (rc $rc) before its checks"; failed=$((failed + 1)); fi

echo "real-aztec: $passed passed, $failed failed"
((failed == 0))
