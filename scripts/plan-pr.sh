#!/usr/bin/env bash
# Plans every stage of a base checkout and of a head checkout offline, and writes the pull-request comment
# (Markdown) and the stage diagrams into OUT/out. What .github/workflows/plan.yml runs; runs locally too:
#   bash scripts/plan-pr.sh BASE_DIR HEAD_DIR OUT [DIAGRAM_LINK]
# A base that cannot be planned (a new stage, a broken main) is said so in the comment; the head is still planned.
set -euo pipefail

if (($# < 3)); then
  echo "usage: $0 BASE_DIR HEAD_DIR OUT [DIAGRAM_LINK]" >&2
  exit 2
fi
base=$(cd "$1" && pwd) head=$(cd "$2" && pwd) work=$3 link=${4:-}
mkdir -p "$work/out"
work=$(cd "$work" && pwd)
comment=$work/out/comment.md
: >"$comment"

for file in "$head"/config/*.yaml; do
  stage=$(basename "$file" .yaml)
  baseline=()
  if [[ -f $base/config/$stage.yaml ]] &&
    (cd "$base" && dotnet run --project stacks -- plan --stage "$stage" --out "$work/base-$stage" >/dev/null 2>"$work/base-$stage.err"); then
    baseline=(--baseline "$work/base-$stage")
  else
    printf '> The base branch could not be planned for stage %s; this plan has no baseline.\n\n' "\`$stage\`" >>"$comment"
  fi
  diagram_link=()
  if [[ -n $link ]]; then diagram_link=(--diagram-link "$link"); fi
  (cd "$head" && dotnet run --project stacks -- plan --stage "$stage" --out "$work/head-$stage" "${baseline[@]}" \
    --format markdown --diagram "$work/out/$stage.svg" "${diagram_link[@]}") >>"$comment"
  printf '\n' >>"$comment"
done
