#!/usr/bin/env bash
# The Debian package, end to end (docs/install.md, "The test"):
#   1. CPack builds it from the build tree: acuity_<version>_amd64.deb;
#   2. its dependencies are runtime libraries only (no -dev package, no
#      compiler), and apt resolves all of them from Debian 12's archive for a
#      root with nothing installed (`apt-get -s` against an empty dpkg status:
#      no download, no network);
#   3. dpkg installs it into an empty root (its own dpkg database; the
#      dependencies are the host's, checked in 2);
#   4. the installed acuity runs analyze, advise and enhance from there, with
#      no environment override, finding its modules in <root>/usr/lib/acuity
#      and its models in <root>/usr/share/acuity/models (checked: the loader's
#      own record of what it opened, LD_DEBUG=files);
#   4b. with python3-acuity (when built) installed beside it, python3 imports
#      the module from the root and it runs analyze and enhance, loading
#      acuity's modules from <root>/usr/lib/acuity (LD_DEBUG=files again);
#   5. dpkg removes it and leaves no file behind.
# The full route (a fresh Debian 12 root from mmdebstrap, apt installing the
# package and its dependencies from the network) is tests/install/clean_root.sh.
#
#   tests/install/deb_install_test.sh BUILD_DIR VERSION
set -euo pipefail
BUILD=$(cd "$1" && pwd)
VERSION=$2
SAMPLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/samples/coffee.jpg
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acuity-deb-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "deb_install_test: FAIL: $*" >&2; exit 1; }
step() { echo "deb_install_test: $* ($((SECONDS))s)"; }

# --- 1. the package ---------------------------------------------------------------
step "building the package with CPack"
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/package" >"$WORK/cpack.log" 2>&1 \
  || { cat "$WORK/cpack.log" >&2; fail "cpack failed"; }
DEB="$WORK/package/acuity_${VERSION}_amd64.deb"
[[ -f "$DEB" ]] || fail "no $(basename "$DEB") (made: $(cd "$WORK/package" && ls ./*.deb 2>/dev/null | tr '\n' ' '))"
step "$(basename "$DEB"): $(du -h "$DEB" | cut -f1)"

# --- 2. its fields and dependencies ---------------------------------------------
field() { dpkg-deb -f "$DEB" "$1"; }
[[ "$(field Package)" == acuity ]] || fail "Package is '$(field Package)', not acuity"
[[ "$(field Version)" == "$VERSION" ]] || fail "Version is '$(field Version)', not $VERSION"
[[ "$(field Architecture)" == amd64 ]] || fail "Architecture is '$(field Architecture)'"
DEPENDS=$(field Depends)
[[ -n "$DEPENDS" ]] || fail "no Depends (dpkg-shlibdeps found nothing?)"
# Package names alone, one per line.
DEP_NAMES=$(echo "$DEPENDS" | tr ',|' '\n\n' | sed -E 's/\(.*\)//; s/^ +//; s/ +$//' | sort -u)
# The C and C++ runtimes, and the libraries of the programs and of both modules.
for must in 'libc6' 'libstdc\+\+6' 'libtorch[0-9.]+' 'libopencv-imgcodecs[0-9]+' 'libabsl[0-9]+' 'libexiv2-[0-9]+' \
            'libglfw3'; do
  grep -qEx "$must" <<<"$DEP_NAMES" || fail "Depends lacks $must: $DEPENDS"
done
if grep -E -- '-dev$|^(gcc|g\+\+|cmake|clang|python3)' <<<"$DEP_NAMES"; then
  fail "Depends names build-time packages (above): $DEPENDS"
fi
step "Depends: $(wc -l <<<"$DEP_NAMES") runtime libraries"
# The content search's data are recommended (faces and text "not measured" without them).
for must in opencv-data tesseract-ocr-eng; do
  grep -qw "$must" <<<"$(field Recommends)" || fail "Recommends lacks $must: $(field Recommends)"
done
# The Python module's package, when built, needs acuity's models and modules
# of the same version.
PY_DEB="$WORK/package/python3-acuity_${VERSION}_amd64.deb"
if [[ -f "$PY_DEB" ]]; then
  PY_DEPENDS=$(dpkg-deb -f "$PY_DEB" Depends)
  grep -qF "acuity (= $VERSION)" <<<"$PY_DEPENDS" || fail "python3-acuity does not depend on acuity (= $VERSION): $PY_DEPENDS"
  step "python3-acuity depends on acuity (= $VERSION)"
fi
# Resolvable on a clean root: apt plans the install against an empty dpkg
# status, from the archive lists this machine has (no download).
ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1 || fail "no apt lists: run apt-get update first"
mkdir -p "$WORK/apt-state"
: >"$WORK/apt-state/status"
if ! apt-get -s -q -o Dir::State::status="$WORK/apt-state/status" -o Debug::NoLocking=1 \
    install "$DEB" >"$WORK/apt-plan.log" 2>&1; then
  cat "$WORK/apt-plan.log" >&2
  fail "apt cannot resolve the package's dependencies on a clean root"
fi
grep -q '^Inst acuity ' "$WORK/apt-plan.log" || { cat "$WORK/apt-plan.log" >&2; fail "apt's plan does not install acuity"; }
step "a clean root would get $(grep -c '^Inst ' "$WORK/apt-plan.log") packages from apt"

# --- 3. install into an empty root ----------------------------------------------
ROOT="$WORK/root"
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
: >"$ROOT/var/lib/dpkg/status"
# --force-depends: the root has no libc6 of its own; the programs run with
# the host's libraries, which step 2 checked the package asks for.
dpkg --root="$ROOT" --force-depends --force-script-chrootless -i "$DEB" >"$WORK/dpkg.log" 2>&1 \
  || { cat "$WORK/dpkg.log" >&2; fail "dpkg -i into the empty root failed"; }
dpkg --root="$ROOT" -s acuity 2>/dev/null | grep -q '^Status: install ok installed' || fail "dpkg does not record acuity as installed"
for f in usr/bin/acuity usr/bin/acuity-viewer usr/lib/acuity/libacuity_torch.so usr/lib/acuity/libacuity_opencv.so \
         usr/share/acuity/models/esrgan-slim-x2.pt usr/share/acuity/models/esrgan-slim-x2.json; do
  [[ -f "$ROOT/$f" ]] || fail "the package did not install /$f"
done
step "installed into an empty root"

# --- 4. run it from there -------------------------------------------------------
ACUITY="$ROOT/usr/bin/acuity"
RUN="$WORK/run"
mkdir -p "$RUN"
cd "$RUN"  # no build tree or checkout around
run() {  # run NAME ARGS...: the installed acuity, no override; the loader's record in NAME.ld
  local name=$1
  shift
  env -u ACUITY_MODEL_DIR -u ACUITY_TORCH_MODULE -u ACUITY_OPENCV_MODULE LD_DEBUG=files \
    LD_DEBUG_OUTPUT="$RUN/$name.ld" "$ACUITY" "$@" >"$RUN/$name.out" 2>"$RUN/$name.err" \
    || { cat "$RUN/$name.err" >&2; fail "acuity $* (exit $?)"; }
}
loaded_from_root() {  # loaded_from_root NAME MODULE: MODULE was opened, only from the root's lib/acuity
  local name=$1 module=$2
  # The paths the loader opened MODULE at (its `file=PATH` records).
  cat "$RUN/$name.ld".* | grep -oE "file=[^ ]*$module " | sort -u >"$RUN/$name.modules" || true
  [[ -s "$RUN/$name.modules" ]] || fail "acuity $name did not load $module"
  if grep -vqx "file=$ROOT/usr/bin/../lib/acuity/$module " "$RUN/$name.modules"; then
    fail "acuity $name loaded $module from elsewhere than $ROOT/usr/lib/acuity: $(cat "$RUN/$name.modules")"
  fi
}

widths() {  # widths FILE: input.width of each JSON line of FILE, space-separated
  /usr/bin/python3 -c 'import json, sys; print(*(json.loads(l)["input"]["width"] for l in open(sys.argv[1])))' "$RUN/$1"
}

run version --version
grep -qx "acuity $VERSION" <(head -1 "$RUN/version.out") || fail "--version says '$(head -1 "$RUN/version.out")'"

# Inputs: a small photo made by the installed acuity itself, and a BMP (read
# through the OpenCV module), written here byte by byte.
run small enhance --steps downscale:width_px=96 -o small.png "$SAMPLE"
/usr/bin/python3 - <<'EOF'
import struct
w, h = 40, 30
def row(y):
    r = b"".join(bytes(((x * 6) % 256, (y * 8) % 256, ((x + y) * 3) % 256)) for x in range(w))
    return r + b"\0" * ((4 - len(r) % 4) % 4)
pixels = b"".join(row(y) for y in range(h))
header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
open("gradient.bmp", "wb").write(header + info + pixels)
EOF

run analyze analyze --json small.png gradient.bmp
[[ $(wc -l <"$RUN/analyze.out") -eq 2 ]] || fail "analyze --json printed $(wc -l <"$RUN/analyze.out") lines, not 2"
[[ $(widths analyze.out) == "96 40" ]] || fail "analyze: widths $(widths analyze.out), not 96 (small.png) and 40 (gradient.bmp)"
loaded_from_root analyze libacuity_opencv.so

run advise advise --json --target 4x6in@300dpi small.png
FIRST_STEP=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["plan"]["steps"][0]["op"])' \
  "$RUN/advise.out")
[[ "$FIRST_STEP" == upscale ]] || fail "advise's plan for a 96 px photo at 4x6in@300dpi starts with '$FIRST_STEP', not upscale"

run enhance enhance --steps upscale:2:esrgan-slim -o "$RUN/up.png" small.png
run analyze_up analyze --json up.png
[[ $(widths analyze_up.out) == 192 ]] || fail "enhance: up.png is $(widths analyze_up.out) px wide, not 192"
loaded_from_root enhance libacuity_torch.so
step "analyze, advise and enhance ran from the root"

# --- 4b. the Python module, installed beside it -----------------------------------
# python3 is the program then, in /usr/bin: the module must find acuity's
# modules (and models) from its own place, <root>/usr/lib/python3/dist-packages,
# not from python3's nor from the build tree it was built in.
if [[ -f "$PY_DEB" ]]; then
  dpkg --root="$ROOT" --force-depends --force-script-chrootless -i "$PY_DEB" >"$WORK/dpkg-py.log" 2>&1 \
    || { cat "$WORK/dpkg-py.log" >&2; fail "dpkg -i python3-acuity into the empty root failed"; }
  PY_DIR=$(cd "$ROOT/usr/lib/python3/dist-packages" && pwd -P)
  cat >"$RUN/use_module.py" <<'EOF'
import sys
import acuity
run = sys.argv[1]
report = acuity.analyze(run + "/small.png")
assert report["input"]["width"] == 96, report["input"]
pixels, _ = acuity.enhance(run + "/small.png", steps="upscale:2:esrgan-slim", output=run + "/py-up.png")
assert pixels.shape[1] == 192, pixels.shape
print(acuity.__file__)
EOF
  env -u ACUITY_MODEL_DIR -u ACUITY_TORCH_MODULE -u ACUITY_OPENCV_MODULE PYTHONPATH="$PY_DIR" LD_DEBUG=files \
    LD_DEBUG_OUTPUT="$RUN/python.ld" /usr/bin/python3 "$RUN/use_module.py" "$RUN" >"$RUN/python.out" \
    2>"$RUN/python.err" || { cat "$RUN/python.err" >&2; fail "the installed Python module did not run"; }
  grep -q "^$PY_DIR/acuity" "$RUN/python.out" || fail "python imported $(cat "$RUN/python.out"), not the root's module"
  cat "$RUN/python.ld".* | grep -oE "file=[^ ]*libacuity_torch.so " | sort -u >"$RUN/python.modules" || true
  [[ -s "$RUN/python.modules" ]] || fail "the Python module did not load libacuity_torch.so"
  if grep -vqx "file=$PY_DIR/../../../lib/acuity/libacuity_torch.so " "$RUN/python.modules"; then
    fail "the Python module loaded libacuity_torch.so from elsewhere than the root: $(cat "$RUN/python.modules")"
  fi
  dpkg --root="$ROOT" --force-depends --force-script-chrootless -P python3-acuity >"$WORK/dpkg-py-remove.log" 2>&1 \
    || { cat "$WORK/dpkg-py-remove.log" >&2; fail "dpkg -P python3-acuity failed"; }
  step "the installed Python module ran analyze and enhance, with acuity's modules from the root"
fi

# --- 5. removal -----------------------------------------------------------------
dpkg --root="$ROOT" --force-depends --force-script-chrootless -P acuity >"$WORK/dpkg-remove.log" 2>&1 \
  || { cat "$WORK/dpkg-remove.log" >&2; fail "dpkg -P failed"; }
LEFT=$(find "$ROOT" -path "$ROOT/var/lib/dpkg" -prune -o -type f -print | head -5)
[[ -z "$LEFT" ]] || fail "files left after removal: $LEFT"
step "removed cleanly; PASS"
