#!/usr/bin/env bash
# No committed file names a path of the machine it was built on: no absolute
# path into a home folder, root's home or the work tree of the machine that
# made it, no relative path out of the repository into the shared folder
# beside it, and no symbolic link to an absolute path. Every text file git tracks is
# read; nothing is excluded (this script spells its patterns so that they do
# not match themselves). Skipped outside a git checkout (a source tarball).
#   tests/no_machine_paths_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "not a git checkout: skipped"; exit 77; }
pattern='(^|[^A-Za-z0-9_.~-])(/wor''k|/roo''t|/hom''e/[A-Za-z0-9_.-]+)(/|[^A-Za-z0-9_-]|$)|\.\./shar''ed([^A-Za-z0-9_-]|$)'
status=0
# Regular files only (links are checked below); a match is any output line.
matches=$(git ls-files -s | awk '$1 != "120000"' | cut -f2- | tr '\n' '\0' | xargs -0 grep -I -n -E -- "$pattern" || true)
if [[ -n $matches ]]; then
  echo "committed files name paths of a machine (write them relative to the repository):"
  echo "$matches"
  status=1
fi
while read -r mode object _ path; do
  target=$(git cat-file -p "$object")
  if [[ $target == /* ]]; then
    echo "$path: a symbolic link to the absolute path $target"
    status=1
  fi
done < <(git ls-files -s | awk '$1 == "120000"')
[[ $status -eq 0 ]] && echo "no machine paths in $(git ls-files | wc -l) committed files"
exit $status
