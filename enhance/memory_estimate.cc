#include "enhance/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>
#include <variant>

#include "analysis/advice/plan_ops.h"
#include "analysis/advice/sr_choice.h"
#include "enhance/memory_budget.h"
#include "enhance/model_registry.h"

namespace acuity {
namespace {

// Calibration (the table in memory_estimate.h). The analysis holds the
// pixels and full-resolution planes (per px), and the sampled measurements
// work on at most kAnalyzeSampledPx of them (blur.cc's kMaxSampledPixels).
constexpr double kAnalyzeBytesPerPx = 3.5;
constexpr double kAnalyzeSampledBytesPerPx = 50.0;
constexpr double kAnalyzeSampledPx = 1.0e6;
// Per px of float work planes held by the classical operations (denoise,
// deblock, sharpen) beside their input and output.
constexpr double kClassicalBytesPerPx = 48.0;

// One model's cost in an upscale: loaded once per pass (weights, the
// optimised graph, LibTorch's caches), and per tile worker the feature maps
// of one padded tile at the automatic tile size (enhance/upscaler.cc's
// AutoTilePx, tiling.cc's overlap), scaled by the padded tile's area when
// the image (or --tile) makes it smaller or larger.
struct ModelCost {
  const char* name;
  double fixed_bytes;
  double worker_bytes;  // one worker, a full automatic tile
  int tile_px;
  int overlap_px;
};
constexpr ModelCost kModelCosts[] = {
    {"esrgan-slim", 60e6, 45e6, 128, 10},
    {"esrgan-medium", 50e6, 215e6, 128, 16},
    {"esrgan-thick", 70e6, 170e6, 192, 16},
    {"realesr-general-x4v3", 30e6, 50e6, 192, 32},
    {"realesrgan-x4plus", 280e6, 1100e6, 192, 80},
};
constexpr ModelCost kHeaviestModel = kModelCosts[4];

const ModelCost& CostOf(const std::string& model) {
  for (const ModelCost& c : kModelCosts)
    if (model == c.name) return c;
  return kHeaviestModel;  // a user's FILE.pt: unknown, so the worst case
}

double ImageBytes(double width, double height, const ImageGeometry& g) {
  return width * height * g.channels * g.bytes_per_channel;
}

int Workers(int threads) {
  if (threads > 0) return threads;
  return std::max(1, int(std::thread::hardware_concurrency()));
}

// Work of one step on an image of w×h px, beside its input and output.
double StepWork(const UpscaleStep& s, double w, double h, const ImageGeometry& g, const UpscaleOptions& d) {
  const double factor = s.factor.value_or(1);
  if (factor <= 1) return 0;
  const std::vector<int> passes = SplitIntoPasses(factor);
  std::string model = !s.model.empty() ? s.model : d.model;
  if (model.empty()) model = AutoSrModel(cv::Size(int(w), int(h)), passes);
  const ModelCost& cost = CostOf(model);
  const double overlap = 2.0 * (d.overlap_px >= 0 ? d.overlap_px : cost.overlap_px);
  const double full_tile = std::pow(cost.tile_px + overlap, 2.0);
  const double padded = (d.tile_px > 0 ? d.tile_px : cost.tile_px) + overlap;
  // Each pass loads its model; a tile is padded, clipped to the pass's input.
  double pw = w, ph = h, fixed = 0, tile_area = 0, intermediate = 0;
  for (size_t i = 0; i < passes.size(); ++i) {
    fixed += cost.fixed_bytes;
    tile_area = std::max(tile_area, std::min(pw, padded) * std::min(ph, padded));
    if (i > 0) intermediate += ImageBytes(pw, ph, g);  // a pass's result feeding the next
    pw *= passes[i], ph *= passes[i];
  }
  // A fractional factor: the whole-number result before its area downscale.
  if (std::abs(pw - std::round(w * factor)) > 0.5) intermediate += ImageBytes(pw, ph, g);
  return fixed + Workers(d.threads) * cost.worker_bytes * tile_area / full_tile + intermediate;
}
double StepWork(const DenoiseStep&, double w, double h, const ImageGeometry&, const UpscaleOptions&) {
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
double StepWork(const CropStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }
double StepWork(const PadStep&, double, double, const ImageGeometry&, const UpscaleOptions&) { return 0; }

// Size after a step, px.
void Advance(const PlanStep& step, double& w, double& h) {
  const cv::Size after = acuity::SizeAfter(step, cv::Size(int(w), int(h)));
  w = after.width, h = after.height;
}

}  // namespace

int64_t EstimatePeakMemoryBytes(const ImageGeometry& image) {
  const double px = double(image.width_px) * image.height_px;
  return int64_t(kAnalyzeBytesPerPx * px + kAnalyzeSampledBytesPerPx * std::min(px, kAnalyzeSampledPx));
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
  // The input enlarged to the output's size is compared with the output.
  return EstimatePeakMemoryBytes(output) + int64_t(ImageBytes(input.width_px, input.height_px, input));
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
