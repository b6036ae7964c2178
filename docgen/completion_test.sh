#!/usr/bin/env bash
# The generated bash completion parses (bash -n) and completes: commands,
# options, option values, per program.
#   docgen/completion_test.sh build/docs/completions/acuity
set -uo pipefail
script=$1
bash -n "$script" || { echo "$script: bash -n fails"; exit 1; }
# shellcheck disable=SC1090
source "$script"
status=0

# complete WORDS...: COMPREPLY for the command line WORDS, the last word being completed.
complete_line() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(( $# - 1 ))
  COMPREPLY=()
  local fn
  fn=$(complete -p "$1" | sed -E 's/.* -F ([^ ]+) .*/\1/')
  "$fn"
}

# expect WORD WORDS...: WORD must be among the completions of WORDS.
expect() {
  local want=$1; shift
  complete_line "$@"
  if [[ " ${COMPREPLY[*]} " != *" $want "* ]]; then
    echo "'$*' completes to '${COMPREPLY[*]}', not '$want'"; status=1
  fi
}
# expect_not WORD WORDS...
expect_not() {
  local unwanted=$1; shift
  complete_line "$@"
  if [[ " ${COMPREPLY[*]} " == *" $unwanted "* ]]; then
    echo "'$*' completes to '${COMPREPLY[*]}', with '$unwanted'"; status=1
  fi
}

expect enhance acuity enh
expect analyze acuity an
expect_not enhance acuity an
expect --model acuity enhance --mo
expect --model-scale acuity enhance --mo
expect --summary acuity batch --su
expect --fail-on acuity batch -j 2 --fa
expect --version acuity --ver
expect_not --model acuity analyze --mo
expect bf16 acuity enhance --precision b
expect crop acuity advise --fit c
expect enhance acuity batch --do e
expect --script acuity-viewer --sc
expect --size acuity-viewer --si
# A folder for a DIR value.
tmp=$(mktemp -d); mkdir "$tmp/maps-dir"; touch "$tmp/maps-file"
cd "$tmp"
expect maps-dir acuity analyze --maps maps-
expect_not maps-file acuity analyze --maps maps-
expect maps-file acuity analyze maps-
cd - >/dev/null; rm -rf "$tmp"
[[ $status -eq 0 ]] && echo "completion round trips: ok"
exit $status
