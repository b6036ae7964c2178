#include "analysis/advice/sr_choice.h"

#include <algorithm>
#include <cmath>

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
double MicrosPerInputPx(const std::string& name) {
  if (name == "esrgan-thick") return 140.0;
  if (name == "esrgan-medium") return 12.5;
  return 4.3;
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

bool EightUsesX8Model(const std::string& name) { return name == "esrgan-thick"; }

std::vector<int> ModelPasses(const std::vector<int>& passes, const std::string& name) {
  if (passes == std::vector<int>{4, 2} && EightUsesX8Model(name)) return {8};
  return passes;
}

double EstimatedSrSeconds(const std::string& name, cv::Size size, const std::vector<int>& passes) {
  double px = static_cast<double>(size.area()), work_px = 0;
  for (int s : ModelPasses(passes, name)) {
    work_px += px;
    px *= s * s;
  }
  return work_px * MicrosPerInputPx(name) * 1e-6;
}

std::string AutoSrModel(cv::Size size, const std::vector<int>& passes) {
  for (const char* name : {"esrgan-thick", "esrgan-medium"}) {
    if (EstimatedSrSeconds(name, size, passes) <= kAutoBudgetSeconds) return name;
  }
  return "esrgan-slim";
}

}  // namespace acuity
