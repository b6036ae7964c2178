#!/usr/bin/env bash
# README.md is read in five minutes: at most MAX lines (issue #26); reference
# material belongs in docs/, which the README links.
#   docgen/readme_length_test.sh README.md 250
set -euo pipefail
readme=$1 max=$2
lines=$(wc -l <"$readme")
if (( lines > max )); then
  echo "$readme has $lines lines, more than $max: move reference material to a page under docs/ and link it"
  exit 1
fi
echo "$readme: $lines lines (at most $max)"
