#!/usr/bin/env bash
# The generated man pages format without a single warning: groff with every
# warning enabled (-ww) and, where man-db is installed, `man -l` too.
#   docgen/man_pages_test.sh build/docs/man1
set -euo pipefail
dir=$1
command -v groff >/dev/null || { echo "groff is not installed: skipped"; exit 77; }
pages=("$dir"/*.1)
[[ -e ${pages[0]} ]] || { echo "no man pages in $dir"; exit 1; }
status=0
for page in "${pages[@]}"; do
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1 >/dev/null)
  if [[ -n $warnings ]]; then
    echo "$page: groff warns:"; echo "$warnings"; status=1
  fi
  text=$(groff -man -Tutf8 -P -cbou "$page" 2>/dev/null)  # plain text: no overstrike, no SGR
  name=$(basename "$page" .1)
  grep -q "^NAME" <<<"$text" || { echo "$page: no NAME section in the formatted page"; status=1; }
  grep -q -- "--help" <<<"$text" || { echo "$page: --help is not in the formatted page"; status=1; }
  if command -v man >/dev/null; then
    man_warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || { echo "$page: man -l failed"; status=1; }
    [[ -z $man_warnings ]] || { echo "$page: man -l warns:"; echo "$man_warnings"; status=1; }
  fi
  echo "$name: $(wc -l <<<"$text") lines formatted"
done
exit $status
