// Benchmark helpers for upscale_bench (bench_flops.h).
#include "enhance/bench_flops.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include <ATen/record_function.h>
#include <torch/script.h>

namespace acuity {
namespace {

std::atomic<double> conv_flops{0};  // the observer is a plain function pointer

// The JIT passes int lists boxed either as IntList or as a generic list.
std::vector<int64_t> IntList(const c10::IValue& v) {
  if (v.isIntList()) return v.toIntVector();
  std::vector<int64_t> out;
  if (v.isList()) {
    for (const c10::IValue& e : v.toListRef()) out.push_back(e.toInt());
  }
  return out;
}

std::unique_ptr<at::ObserverContext> CountConv(const at::RecordFunction& fn) {
  if (std::string(fn.name()) != "aten::_convolution") return nullptr;
  const auto in = fn.inputs();
  if (in.size() < 9 || !in[0].isTensor() || !in[1].isTensor()) return nullptr;
  const auto x = in[0].toTensor().sizes(), w = in[1].toTensor().sizes();
  const auto stride = IntList(in[3]), pad = IntList(in[4]), dil = IntList(in[5]);
  if (stride.size() != 2 || pad.size() != 2 || dil.size() != 2) return nullptr;
  const double groups = static_cast<double>(in[8].toInt());
  double out_px = 1;
  for (int d = 0; d < 2; ++d) {
    out_px *= (x[2 + d] + 2 * pad[d] - dil[d] * (w[2 + d] - 1) - 1) / stride[d] + 1;
  }
  const double macs = x[0] * w[0] * out_px * (x[1] / groups) * w[2] * w[3];
  conv_flops = conv_flops + 2 * macs;
  return nullptr;
}

// 12 independent chains of 256-bit FMAs per thread (enough to hide the FMA
// latency on both pipes; distinct start values so the compiler cannot merge
// them). An FMA = 2 FLOPs × 8 lanes.
__attribute__((target("avx2,fma"))) double FmaChains(long iterations) {
  __m256 c0 = _mm256_set1_ps(1.0f), c1 = _mm256_set1_ps(1.1f), c2 = _mm256_set1_ps(1.2f),
         c3 = _mm256_set1_ps(1.3f), c4 = _mm256_set1_ps(1.4f), c5 = _mm256_set1_ps(1.5f),
         c6 = _mm256_set1_ps(1.6f), c7 = _mm256_set1_ps(1.7f), c8 = _mm256_set1_ps(1.8f),
         c9 = _mm256_set1_ps(1.9f), c10 = _mm256_set1_ps(2.0f), c11 = _mm256_set1_ps(2.1f);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long n = 0; n < iterations; ++n) {
    c0 = _mm256_fmadd_ps(c0, a, b), c1 = _mm256_fmadd_ps(c1, a, b), c2 = _mm256_fmadd_ps(c2, a, b);
    c3 = _mm256_fmadd_ps(c3, a, b), c4 = _mm256_fmadd_ps(c4, a, b), c5 = _mm256_fmadd_ps(c5, a, b);
    c6 = _mm256_fmadd_ps(c6, a, b), c7 = _mm256_fmadd_ps(c7, a, b), c8 = _mm256_fmadd_ps(c8, a, b);
    c9 = _mm256_fmadd_ps(c9, a, b), c10 = _mm256_fmadd_ps(c10, a, b), c11 = _mm256_fmadd_ps(c11, a, b);
  }
  const __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                                 _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
  const __m256 t = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
  float out[8];
  _mm256_storeu_ps(out, t);
  return out[0];
}

}  // namespace

double ConvFlops(const std::string& pt_path, int h, int w) {
  torch::jit::script::Module m = torch::jit::load(pt_path);
  c10::InferenceMode inference;
  conv_flops = 0;
  const at::CallbackHandle handle = at::addThreadLocalCallback(
      at::RecordFunctionCallback(&CountConv).needsInputs(true));
  m.forward({torch::rand({1, 3, h, w})});
  at::removeCallback(handle);
  return conv_flops;
}

double FmaPeakGflops(int threads) {
  constexpr long kIterations = 40'000'000;
  FmaChains(1000);  // a warm-up
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    std::vector<std::thread> pool;
    std::atomic<double> sink{0};
    const auto t0 = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) pool.emplace_back([&] { sink = sink + FmaChains(kIterations); });
    for (std::thread& t : pool) t.join();
    best = std::max(best, threads * kIterations * 12.0 * 16.0 / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() * 1e-9);
  }
  return best;
}

}  // namespace acuity
