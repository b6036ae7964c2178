#include "analysis/advice/sr_choice.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>

#include <fmt/format.h>

#include "analysis/advice/sr_model_facts.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Greedy from the largest pass down; n's prime factors must all be ≤ max_pass.
bool CanSplit(int n, int max_pass, std::vector<int>* passes) {
  std::vector<int> out;
  while (n > 1) {
    int p = std::min(n, max_pass);
    while (p > 1 && n % p != 0) --p;
    if (p <= 1) return false;
    out.push_back(p);
    n /= p;
  }
  *passes = out;
  return true;
}

// Time budget of the automatic choice (models/RESULTS.md, "Automatic model
// choice"): thick up to ≈ 0.43 MP of model input, medium up to ≈ 4.8 MP.
constexpr double kAutoBudgetSeconds = 60.0;

}  // namespace

std::vector<int> SplitIntoPasses(double factor, double max_pass) {
  std::vector<int> passes;
  if (!(factor > 1.0)) return passes;
  const int max_p = std::max(2, static_cast<int>(max_pass));
  for (int n = static_cast<int>(std::ceil(factor - 1e-9)); n < 1000; ++n) {
    if (CanSplit(n, max_p, &passes)) return passes;
  }
  return passes;
}

bool EightUsesX8Model(const std::string& name) {
  const SrModelFacts* facts = FindSrModelFacts(name);
  return facts != nullptr && facts->eight_uses_x8;
}

std::vector<int> ModelPasses(const std::vector<int>& passes, const std::string& name) {
  // Passes reaching more than one pass's ×4 and at most ×8 (×6 = ×3 then
  // ×2, ×8 = ×4 then ×2, or ×2 three times under a lower max_pass_scale):
  // the model's own ×8 in one pass, then the usual area downscale. Never
  // for what one ×4 pass could do.
  const int product = std::accumulate(passes.begin(), passes.end(), 1, std::multiplies<int>());
  if (passes.size() > 1 && product > kMaxSinglePassScale && product <= 8 && EightUsesX8Model(name)) return {8};
  return passes;
}

double EstimatedSrSeconds(const std::string& name, cv::Size size, const std::vector<int>& passes,
                          SrDeviceKind device, const std::optional<cv::Rect>& detail) {
  const SrModelFacts* facts = FindSrModelFacts(name);
  if (facts == nullptr) return 0;
  const std::vector<int> scales = facts->Scales();
  double px = static_cast<double>(size.area()), work_px = 0;
  for (int s : ModelPasses(passes, name)) {
    work_px += px;
    // A step the model has no scale for runs its next larger one, then area down.
    auto it = std::lower_bound(scales.begin(), scales.end(), s);
    if (it != scales.end()) s = *it;
    px *= s * s;
  }
  const SrDeviceCost& cost = facts->On(device);
  const double speedup = device == SrDeviceKind::kCpu && facts->bf16_ok && CpuHasFastBf16() ? cost.bf16_speedup : 1.0;
  const double share = detail ? NetworkAreaShare(*detail, size, facts->tile_overlap_px) : 1.0;
  return share * work_px * cost.micros_per_input_px / speedup * 1e-6;
}

bool IsEstimatedSrModel(const std::string& name) { return FindSrModelFacts(name) != nullptr; }

std::string AutoSrModel(cv::Size size, const std::vector<int>& passes, SrDeviceKind device,
                        const std::optional<cv::Rect>& detail) {
  for (const char* name : {"esrgan-thick", "esrgan-medium"}) {
    if (EstimatedSrSeconds(name, size, passes, device, detail) <= kAutoBudgetSeconds) return name;
  }
  return "esrgan-slim";
}

bool SharpensItself(const std::string& name) {
  const SrModelFacts* facts = FindSrModelFacts(name);
  return facts != nullptr && facts->repairs_itself;
}

bool RepairsItself(const std::string& name) { return SharpensItself(name); }

SrChoice ChooseSrModel(cv::Size size, const std::vector<int>& passes, bool damaged_input, SrDeviceKind device,
                       const std::optional<cv::Rect>& detail) {
  constexpr char kGeneral[] = "realesr-general-x4v3";
  SrChoice choice;
  if (damaged_input && EstimatedSrSeconds(kGeneral, size, passes, device, detail) <= kAutoBudgetSeconds) {
    choice.model = kGeneral;
    choice.reason =
        "a noisy or JPEG-damaged input: Real-ESRGAN's general model removes the damage itself (more "
        "structure on noise and mixed damage, SSIM +0.005 to +0.02 over thick's, and a more natural look, "
        "BRISQUE 1–18 lower than thick's and 11–22 lower than Lanczos's, at the cost of 0.7–1.6 dB PSNR-Y); "
        "no sharpening after it, which lost 1.1 dB on average: models/RESULTS.md, \"Damaged photos\")";
    return choice;
  }
  choice.model = AutoSrModel(size, passes, device, detail);
  choice.reason =
      choice.model == "esrgan-thick"
          ? "the most faithful model (esrgan-thick: best PSNR-Y on clean inputs, 1.7–3.0 dB above Real-ESRGAN's; "
            "models/RESULTS.md, \"Damaged photos\")"
          : fmt::format("the most faithful model expected to finish in about a minute ({}; thick would take "
                        "≈ {:.0f} s)",
                        choice.model, EstimatedSrSeconds("esrgan-thick", size, passes, device, detail));
  if (damaged_input)
    choice.reason += fmt::format("; Real-ESRGAN's general model would take ≈ {:.0f} s",
                                 EstimatedSrSeconds(kGeneral, size, passes, device, detail));
  return choice;
}

}  // namespace acuity
