#include "enhance/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "analysis/advice/plan_ops.h"
#include "analysis/advice/sr_choice.h"
#include "analysis/advice/sr_model_facts.h"
#include "analysis/io/thread_pool.h"
#include "enhance/memory_budget.h"
#include "enhance/model_registry.h"

namespace acuity {
namespace {

// Calibration (the table in memory_estimate.h). The analysis holds the
// pixels and full-resolution planes (per px), and the sampled measurements
// work on at most kAnalyzeSampledPx of them (blur.cc's kMaxSampledPixels).
// Looking for faces and text loads their data once and works per px.
constexpr double kAnalyzeBytesPerPx = 16.0;
constexpr double kAnalyzeSampledBytesPerPx = 110.0;
constexpr double kAnalyzeSampledPx = 1.0e6;
constexpr double kContentBytes = 140.0e6;
constexpr double kContentBytesPerPx = 3.0;
// Checking a result (RunQa with its content check, no maps): measured peaks
// (memory_estimate.h's table) grow with the output's pixels and, more, with
// those of the size both are compared at (the smaller: a same-size check of
// 12 MP held 1.1 GB, an enlargement of 0.75 MP to 12 MP 0.5 GB).
constexpr double kQaBytes = 140.0e6;
constexpr double kQaBytesPerOutputPx = 28.0;
constexpr double kQaBytesPerComparedPx = 60.0;
// Per px of float work planes held by the classical operations (denoise,
// deblock, sharpen) beside their input and output.
constexpr double kClassicalBytesPerPx = 48.0;

// One model's cost in an upscale (sr_model_facts.h): loaded once per pass
// (weights, the optimised graph, LibTorch's caches), and per tile worker
// the feature maps of one padded tile (its padded area times the model's
// bytes per padded px on the CPU). A user's FILE.pt: unknown, so the worst
// case.
const SrModelFacts& CostOf(const std::string& model) {
  const SrModelFacts* facts = FindSrModelFacts(model);
  return facts != nullptr ? *facts : HeaviestSrModelFacts();
}

double ImageBytes(double width, double height, const ImageGeometry& g) {
  return width * height * g.channels * g.bytes_per_channel;
}

int Workers(int threads) {
  if (threads > 0) return threads;
  return UsableCpus();
}

// Work of one step on an image of w×h px, beside its input and output.
double StepWork(const UpscaleStep& s, double w, double h, const ImageGeometry& g, const UpscaleOptions& d) {
  const double factor = s.factor.value_or(1);
  if (factor <= 1) return 0;
  const std::vector<int> split = SplitIntoPasses(factor);
  std::string model = !s.model.empty() ? s.model : d.model;
  if (model.empty()) model = AutoSrModel(cv::Size(int(w), int(h)), split);
  const std::vector<int> passes = ModelPasses(split, model);  // as the upscaler runs them (thick's ×8)
  const SrModelFacts& cost = CostOf(model);
  const double overlap = 2.0 * (d.overlap_px >= 0 ? d.overlap_px : cost.tile_overlap_px);
  const double padded = (d.tile_px > 0 ? d.tile_px : cost.cpu.tile_px) + overlap;
  // Each pass loads its model; a tile is padded, clipped to the pass's input.
  // The per-px cost was measured on passes of up to ×4; a larger pass (thick's
  // ×8) holds its tile's high-resolution activations at (s/4)² the size —
  // assumed, not measured: the estimate errs high there.
  double pw = w, ph = h, fixed = 0, tile_area = 0, intermediate = 0;
  for (size_t i = 0; i < passes.size(); ++i) {
    fixed += cost.fixed_bytes;
    const double larger = std::max(1.0, passes[i] / kMaxSinglePassScale);
    tile_area = std::max(tile_area, std::min(pw, padded) * std::min(ph, padded) * larger * larger);
    if (i > 0) intermediate += ImageBytes(pw, ph, g);  // a pass's result feeding the next
    pw *= passes[i], ph *= passes[i];
  }
  // A fractional factor: the whole-number result before its area downscale.
  if (std::abs(pw - std::round(w * factor)) > 0.5) intermediate += ImageBytes(pw, ph, g);
  return fixed + Workers(d.threads) * cost.cpu.bytes_per_padded_px * tile_area + intermediate;
}
double StepWork(const DenoiseStep&, double w, double h, const ImageGeometry&, const UpscaleOptions&) {
  return kClassicalBytesPerPx * w * h;
}
double StepWork(const UnditherStep&, double w, double h, const ImageGeometry&, const UpscaleOptions&) {
  return kClassicalBytesPerPx * w * h;
}
double StepWork(const DeblockStep&, double w, double h, const ImageGeometry&, const UpscaleOptions&) {
  return kClassicalBytesPerPx * w * h;
}
double StepWork(const SharpenStep&, double w, double h, const ImageGeometry&, const UpscaleOptions&) {
  return kClassicalBytesPerPx * w * h;
}
double StepWork(const DownscaleStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const EncodeStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const ResizeStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const NearestStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const CropStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const PadStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }

// Size after a step, px.
void Advance(const PlanStep& step, double& w, double& h) {
  const cv::Size after = acuity::SizeAfter(step, cv::Size(int(w), int(h)));
  w = after.width, h = after.height;
}

}  // namespace

int64_t EstimatePeakMemoryBytes(const ImageGeometry& image, bool find_content) {
  const double px = double(image.width_px) * image.height_px;
  const double content = find_content ? kContentBytes + kContentBytesPerPx * px : 0;
  return int64_t(kAnalyzeBytesPerPx * px + kAnalyzeSampledBytesPerPx * std::min(px, kAnalyzeSampledPx) + content);
}

int64_t EstimatePeakMemoryBytes(const ImageGeometry& image, const Plan& plan, const UpscaleOptions& defaults) {
  // The pipeline holds the image as loaded, and each step its input, its
  // output and its own work.
  const double original = ImageBytes(image.width_px, image.height_px, image);
  double w = image.width_px, h = image.height_px, peak = 0;
  for (const PlanStep& step : plan.steps) {
    const double in = ImageBytes(w, h, image);
    const double work =
        std::visit([&](const auto& s) { return StepWork(s, w, h, image, defaults); }, step.params);
    Advance(step, w, h);
    peak = std::max(peak, original + in + ImageBytes(w, h, image) + work);
  }
  // Writing: the result, its conversion for the encoder, the encoded bytes.
  peak = std::max(peak, original + 2 * ImageBytes(w, h, image));
  return int64_t(peak);
}

int64_t EstimateQaPeakMemoryBytes(const ImageGeometry& input, const ImageGeometry& output) {
  const double output_px = double(output.width_px) * output.height_px;
  const double compared_px = std::min(output_px, double(input.width_px) * input.height_px);
  return int64_t(kQaBytes + kQaBytesPerOutputPx * output_px + kQaBytesPerComparedPx * compared_px +
                 ImageBytes(input.width_px, input.height_px, input) +
                 ImageBytes(output.width_px, output.height_px, output));
}

ImageGeometry GeometryAfter(const ImageGeometry& image, const Plan& plan) {
  double w = image.width_px, h = image.height_px;
  for (const PlanStep& step : plan.steps) Advance(step, w, h);
  ImageGeometry out = image;
  out.width_px = int(w), out.height_px = int(h);
  return out;
}

int64_t AvailableMemoryBytes() { return ReadMemoryBudget().bytes; }

}  // namespace acuity
