#include "analysis/advice/sr_choice.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

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

// Wall-clock cost per input px of one AI pass, µs: ×4 of a 256×256 photo
// crop, two tile workers, idle machine (models/RESULTS.md, "Speed"; the cost
// hardly depends on the scale). On a busy machine everything takes 2–3×
// longer.
// Real-ESRGAN's: their cost relative to thick's measured side by side, idle,
// ×4 of a 128×128 crop (`upscale_bench bf16`, models/RESULTS.md, "Damaged
// photos"): general-x4v3 0.061× thick in fp32, 0.12× where both run in
// bfloat16 (AVX-512 BF16); x4plus 3.1× in fp32, 8.0× against thick in
// bfloat16 (x4plus stays fp32) — times their wider tile margins on a large
// image (32 and 80 px around a 192-px tile against thick's 16: 1.3× and
// 2.5× thick's overlap cost): general 140 × 0.12 × 1.3 ≈ 22, x4plus between
// 1085 and 2800 (1600 kept).
double MicrosPerInputPx(const std::string& name) {
  if (name == "esrgan-thick") return 140.0;
  if (name == "esrgan-medium") return 12.5;
  if (name == "realesr-general-x4v3") return 22.0;
  if (name == "realesrgan-x4plus") return 1600.0;
  return 4.3;
}

bool RunsOnlyX4(const std::string& name) { return name.rfind("realesr", 0) == 0; }

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

bool EightUsesX8Model(const std::string& name) { return name == "esrgan-thick"; }

std::vector<int> ModelPasses(const std::vector<int>& passes, const std::string& name) {
  if (passes == std::vector<int>{4, 2} && EightUsesX8Model(name)) return {8};
  return passes;
}

double EstimatedSrSeconds(const std::string& name, cv::Size size, const std::vector<int>& passes) {
  double px = static_cast<double>(size.area()), work_px = 0;
  for (int s : ModelPasses(passes, name)) {
    work_px += px;
    if (RunsOnlyX4(name)) s = 4;  // ×2 and ×3 run the ×4 model, then area down
    px *= s * s;
  }
  return work_px * MicrosPerInputPx(name) * 1e-6;
}

bool IsEstimatedSrModel(const std::string& name) {
  for (const char* known : {"esrgan-slim", "esrgan-medium", "esrgan-thick", "realesr-general-x4v3", "realesrgan-x4plus"})
    if (name == known) return true;
  return false;
}

std::string AutoSrModel(cv::Size size, const std::vector<int>& passes) {
  for (const char* name : {"esrgan-thick", "esrgan-medium"}) {
    if (EstimatedSrSeconds(name, size, passes) <= kAutoBudgetSeconds) return name;
  }
  return "esrgan-slim";
}

bool SharpensItself(const std::string& name) { return RunsOnlyX4(name); }

bool RepairsItself(const std::string& name) { return RunsOnlyX4(name); }

SrChoice ChooseSrModel(cv::Size size, const std::vector<int>& passes, bool damaged_input) {
  constexpr char kGeneral[] = "realesr-general-x4v3";
  SrChoice choice;
  if (damaged_input && EstimatedSrSeconds(kGeneral, size, passes) <= kAutoBudgetSeconds) {
    choice.model = kGeneral;
    choice.reason =
        "a noisy or JPEG-damaged input: Real-ESRGAN's general model removes the damage itself (more "
        "structure on noise and mixed damage, SSIM +0.005 to +0.02 over thick's, and a more natural look, "
        "BRISQUE 1–18 lower than thick's and 11–22 lower than Lanczos's, at the cost of 0.7–1.6 dB PSNR-Y); "
        "no sharpening after it, which lost 1.1 dB on average: models/RESULTS.md, \"Damaged photos\")";
    return choice;
  }
  choice.model = AutoSrModel(size, passes);
  choice.reason =
      choice.model == "esrgan-thick"
          ? "the most faithful model (esrgan-thick: best PSNR-Y on clean inputs, 1.7–3.0 dB above Real-ESRGAN's; "
            "models/RESULTS.md, \"Damaged photos\")"
          : fmt::format("the most faithful model expected to finish in about a minute ({}; thick would take "
                        "≈ {:.0f} s)",
                        choice.model, EstimatedSrSeconds("esrgan-thick", size, passes));
  if (damaged_input)
    choice.reason += fmt::format("; Real-ESRGAN's general model would take ≈ {:.0f} s",
                                 EstimatedSrSeconds(kGeneral, size, passes));
  return choice;
}

}  // namespace acuity
