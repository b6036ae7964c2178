#!/usr/bin/env bash
# Compiles the LibTorch module's source (enhance/torch/torch_backend.cc) and
# the tests that include LibTorch against other LibTorch releases' headers
# than the one this machine builds with — a newer CPU LibTorch and a CUDA
# LibTorch with the CUDA toolkit's headers — so that the code paths a GPU
# machine compiles (ACUITY_TORCH_CUDA=1) are checked where there is no GPU.
# Syntax only (-fsyntax-only): nothing is linked or run. The headers come
# from Debian's unstable archive (downloaded with apt-get into a private
# state folder, nothing installed); needs the network and about 1 GB of
# disk, and the build tree's compile commands (run after ./setup.sh).
#
#   enhance/torch/check_libtorch_headers.sh [BUILD_DIR] [WORK_DIR]
#
# Prints one line per (LibTorch, file) with "ok" or the first errors, and
# exits 1 if any failed.
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath "${1:-$SRC/build}")
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/acuity-libtorch.XXXXXX")}
MIRROR=${ACUITY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial"
echo "deb $MIRROR sid main contrib non-free" >"$WORK/sources.list"
APT=(-o "Dir::Etc::SourceList=$WORK/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o "Dir::State::Lists=$WORK/lists" -o "Dir::Cache=$WORK/cache" -o APT::Architecture=amd64
     -o APT::Sandbox::User=root)
apt-get "${APT[@]}" update -qq
cd "$WORK"
apt-get "${APT[@]}" download -qq libtorch-dev libtorch-cuda-dev nvidia-cuda-dev >/dev/null
for p in libtorch-dev libtorch-cuda-dev; do mkdir -p "$p" && dpkg -x "$p"_*.deb "$p"; done
mkdir -p cuda && dpkg-deb --fsys-tarfile nvidia-cuda-dev_*.deb | tar -x -C cuda --wildcards './usr/include/*'
version() { dpkg-deb -f "$1"_*.deb Version; }

# The C++ standard a LibTorch asks for: its TorchConfig.cmake's CXX_STANDARD
# (torch_cxx_standard.cmake reads the same property), at least 17.
standard() {
  local s
  s=$(grep -ho 'CXX_STANDARD [0-9]*' "$1"/usr/lib/*/cmake/Torch/TorchConfig.cmake | awk '{print $2}' | sort -n | tail -1)
  echo $(( ${s:-17} > 17 ? ${s:-17} : 17 ))
}

failed=0
# check NAME TORCH_DIR CUDA(0|1) FILE: the build tree's own compile command
# for FILE with LibTorch's include folders and the standard swapped.
check() {
  local name=$1 torch=$2 cuda=$3 file=$4 cmd
  cmd=$(ninja -C "$BUILD" -t compdb 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin):
    if e["file"].endswith(sys.argv[1]) and "-c " in e["command"]:
        print(e["command"]); break' "$file")
  if [[ -z $cmd ]]; then echo "$name $file: no compile command in $BUILD (build it first)"; failed=1; return; fi
  cmd=$(sed -e 's|^ccache ||' -e "s|-isystem [^ ]*torch/csrc/api/include|-isystem $torch/usr/include -isystem $torch/usr/include/torch/csrc/api/include -isystem $WORK/cuda/usr/include|" \
            -e "s|-std=[a-z+0-9]*|-std=c++$(standard "$torch")|" -e "s|-DACUITY_TORCH_CUDA=0|-DACUITY_TORCH_CUDA=$cuda|" \
            -e 's| -o [^ ]*| -fsyntax-only|' -e 's| -MD -MT [^ ]* -MF [^ ]*||' <<<"$cmd")
  [[ $cuda == 1 && $cmd != *ACUITY_TORCH_CUDA=1* ]] && cmd="$cmd -DACUITY_TORCH_CUDA=1"
  local out
  if out=$(cd "$BUILD" && eval "$cmd" 2>&1); then
    echo "$name (C++$(standard "$torch"), CUDA $cuda) $file: ok"
  else
    echo "$name (C++$(standard "$torch"), CUDA $cuda) $file: FAILED"; grep -m5 error <<<"$out" || true; failed=1
  fi
}
for file in enhance/torch/torch_backend.cc enhance/sr_model_test.cc enhance/model_archive_test.cc; do
  check "LibTorch $(version libtorch-dev)" "$WORK/libtorch-dev" 0 "$file"
  check "LibTorch $(version libtorch-cuda-dev) CUDA $(version nvidia-cuda-dev)" "$WORK/libtorch-cuda-dev" 1 "$file"
done
exit $failed
