// How an AI upscale is split into passes and which built-in model runs it:
// one place for the rules that the advisor (which writes the plan) and the
// upscaler (which runs it) must agree on. Pure functions of sizes and names;
// the costs and the quality ranking are measured in models/RESULTS.md.
//
//   std::vector<int> passes = acuity::SplitIntoPasses(6.0);   // {3, 2}: at most 4× a pass
//   std::string model = acuity::AutoSrModel(cv::Size(600, 400), passes);  // "esrgan-thick"
//   acuity::SrChoice c = acuity::ChooseSrModel(cv::Size(600, 400), passes, /*damaged_input=*/true);
//   // c.model == "realesr-general-x4v3"; c.reason says which evidence chose it
#ifndef ACUITY_ANALYSIS_ADVICE_SR_CHOICE_H_
#define ACUITY_ANALYSIS_ADVICE_SR_CHOICE_H_

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/advice/sr_model_facts.h"
#include "analysis/measurements/target_fit.h"  // kMaxSinglePassScale

namespace acuity {

// Integer pass scales (each 2…max_pass, largest first) whose product is the
// smallest integer ≥ `factor` that such passes can reach (6 → {3, 2};
// 2.5 → {3}; 8 → {4, 2}; 7 → {4, 2}). Largest first: ×4 then ×2 beats ×2
// then ×4 for every model (models/RESULTS.md, "×8"). Empty for factor ≤ 1.
std::vector<int> SplitIntoPasses(double factor, double max_pass = kMaxSinglePassScale);

// Whether a ×8 step (and a ×6 one: ModelPasses) of built-in model `name`
// runs its own ×8 model in one pass (better for esrgan-thick) rather than
// two passes (better for the RDNs). Measured in models/RESULTS.md, "×8".
bool EightUsesX8Model(const std::string& name);

// The passes built-in model `name` actually runs for `passes` (from
// SplitIntoPasses): {8} instead of two passes reaching ×6 or ×8 ({3, 2},
// {4, 2}) when EightUsesX8Model(name) — the area downscale that follows
// brings ×8 to the size wanted. For esrgan-thick at ×6 (8 scikit-image
// crops): +0.17 dB PSNR-Y on average (−0.36 to +0.45), 2.7× faster
// (models/RESULTS.md, "×8").
std::vector<int> ModelPasses(const std::vector<int>& passes, const std::string& name);

// Wall-clock seconds the AI passes of built-in model `name` are expected to
// take on an input of `size` px on the 2-core reference machine, idle, or
// on one CUDA device (`passes` as SplitIntoPasses gives them; ModelPasses
// is applied). The costs: sr_model_facts.h. 0 for an unknown name.
// `detail` (when known): where the input differs from a flat surround of
// one colour (image_ops.h FlatSurroundBox, in the input's px): the network
// runs only there, grown by the model's margin (enhance/tiled_pass.h), so
// only that share of the work is priced. A product shot filling 40 % of a
// white canvas costs about half.
double EstimatedSrSeconds(const std::string& name, cv::Size size, const std::vector<int>& passes,
                          SrDeviceKind device = SrDeviceKind::kCpu,
                          const std::optional<cv::Rect>& detail = std::nullopt);

// Whether EstimatedSrSeconds knows `name`'s cost (the five built-in models).
bool IsEstimatedSrModel(const std::string& name);

// The built-in model acuity picks when the user names none: the most
// faithful (thick, then medium) expected to finish within about a minute,
// else the fastest (slim).
std::string AutoSrModel(cv::Size size, const std::vector<int>& passes,
                        SrDeviceKind device = SrDeviceKind::kCpu,
                        const std::optional<cv::Rect>& detail = std::nullopt);

// Whether built-in model `name` returns an output already as crisp as a
// sharpen would make it (Real-ESRGAN's): the advisor adds no sharpen step
// after it (models/RESULTS.md, "Damaged photos": −0.7 to −1.2 dB, halos).
bool SharpensItself(const std::string& name);

// Whether built-in model `name` removes noise and JPEG blocking itself
// (Real-ESRGAN's, trained on such damage): the advisor puts no deblock or
// denoise before it — done first, they lowered PSNR-Y by 0.31 dB on average
// for general-x4v3 and 0.15 dB for x4plus (models/RESULTS.md, "Damaged
// photos", "Repair first").
bool RepairsItself(const std::string& name);

// The advisor's choice among the five built-in models, with its reason.
struct SrChoice {
  std::string model;         // a BuiltinModelNames() name
  std::string reason;  // plain words naming the evidence (models/RESULTS.md)
};

// The evidence of models/RESULTS.md ("Damaged photos"): on a damaged input
// (`damaged_input`: noise or JPEG damage the advisor would repair)
// realesr-general-x4v3 when it fits about a minute (with no denoise or
// deblock before it: RepairsItself);
// otherwise, and on clean inputs, AutoSrModel (esrgan-thick is the most
// faithful). realesrgan-x4plus is never chosen automatically: the most
// natural-looking, but below general-x4v3 in PSNR-Y and SSIM on every kind of
// damage, with a colour shift QA flags, at ≈ 25× its cost — a user's choice
// (--model).
// On a CUDA device the time budget admits larger images (the device column
// of sr_model_facts.h); the quality evidence, not the cost, keeps x4plus out.
// `detail`: as for EstimatedSrSeconds.
SrChoice ChooseSrModel(cv::Size size, const std::vector<int>& passes, bool damaged_input,
                       SrDeviceKind device = SrDeviceKind::kCpu,
                       const std::optional<cv::Rect>& detail = std::nullopt);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_SR_CHOICE_H_
