#!/usr/bin/env bash
# The full clean-root route (docs/install.md): a fresh Debian 12 root made by
# mmdebstrap from Debian's archive, the package installed there by apt with
# its dependencies from the network, then analyze, advise and enhance run
# inside it (chroot). Needs root, mmdebstrap and the network; slower than the
# ctest `deb_install_test` (which checks the dependencies with `apt-get -s`
# and needs neither), so CI runs that one and this is run by hand:
#
#   cpack --config build/CPackConfig.cmake -B build/package
#   sudo tests/install/clean_root.sh build/package/acuity_0.1.0_amd64.deb [MIRROR]
set -euo pipefail
DEB=$(realpath "$1")
MIRROR=${2:-http://deb.debian.org/debian}
SAMPLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/samples/coffee.jpg
command -v mmdebstrap >/dev/null || { echo "clean_root: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acuity-clean-root.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$DEB" "$WORK/acuity.deb"
cp "$SAMPLE" "$WORK/coffee.jpg"
cat >"$WORK/check.sh" <<'CHECK'
set -eux
cd /tmp
acuity --version
acuity enhance --steps downscale:width_px=96 -o small.png coffee.jpg
acuity analyze small.png
acuity advise --target 4x6in@300dpi small.png
acuity enhance --steps upscale:2:esrgan-slim -o up.png small.png
acuity analyze --json up.png | grep -q '"width":192'
CHECK
start=$SECONDS
mmdebstrap --variant=apt --quiet \
  --customize-hook="copy-in $WORK/acuity.deb $WORK/coffee.jpg $WORK/check.sh /tmp" \
  --customize-hook='chroot "$1" apt-get install -y -q --no-install-recommends /tmp/acuity.deb' \
  --customize-hook='chroot "$1" sh /tmp/check.sh' \
  --customize-hook='chroot "$1" du -sh /usr' \
  bookworm "$WORK/root" "$MIRROR"
echo "clean_root: PASS in $((SECONDS - start)) s"
