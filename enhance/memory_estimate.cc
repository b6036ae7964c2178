#include "enhance/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <variant>

#include "analysis/advice/sr_choice.h"
#include "enhance/model_registry.h"

namespace acuity {
namespace {

// Calibration (the table in memory_estimate.h). The analysis holds the
// pixels and full-resolution planes (per px), and the sampled measurements
// work on at most kAnalyzeSampledPx of them (blur.cc's kMaxSampledPixels).
constexpr double kAnalyzeBytesPerPx = 3.5;
constexpr double kAnalyzeSampledBytesPerPx = 50.0;
constexpr double kAnalyzeSampledPx = 1.0e6;
// Bytes per image byte held by a step beside its input and output (copies,
// conversions, the encoder's buffer), and per px of float work planes for
// the classical operations (denoise, deblock, sharpen).
constexpr double kImageCopies = 3.0;
constexpr double kClassicalBytesPerPx = 48.0;
// An upscale's bookkeeping per input px (the tiles' inputs and outputs
// converted, LibTorch's cached blocks of each tile shape).
constexpr double kUpscaleBytesPerInputPx = 240.0;

// One model's cost: loaded once per upscale (weights, the optimised graph),
// and per tile worker the feature maps of one padded tile, per input px of
// the tile; the automatic tile and its overlap as enhance/upscaler.cc and
// tiling.cc choose them.
struct ModelCost {
  const char* name;
  double fixed_bytes;
  double bytes_per_tile_px;
  int tile_px;
  int overlap_px;
};
constexpr ModelCost kModelCosts[] = {
    {"esrgan-slim", 15e6, 1200, 128, 10},        {"esrgan-medium", 30e6, 2000, 128, 16},
    {"esrgan-thick", 50e6, 6000, 192, 16},       {"realesr-general-x4v3", 15e6, 1500, 192, 32},
    {"realesrgan-x4plus", 260e6, 12000, 192, 80},
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

// Work of one step on an image of w×h px (beside input and output images).
double StepWork(const UpscaleStep& s, double w, double h, const ImageGeometry& g, const UpscaleOptions& d) {
  const double factor = s.factor.value_or(1);
  if (factor <= 1) return 0;
  const std::vector<int> passes = SplitIntoPasses(factor);
  std::string model = !s.model.empty() ? s.model : d.model;
  if (model.empty()) model = AutoSrModel(cv::Size(int(w), int(h)), passes);
  const ModelCost& cost = CostOf(model);
  const double tile = d.tile_px > 0 ? d.tile_px : cost.tile_px;
  const double padded = tile + 2.0 * (d.overlap_px >= 0 ? d.overlap_px : cost.overlap_px);
  // Each pass loads its model; a tile is padded, clipped to the pass's input.
  double pw = w, ph = h, fixed = 0, tile_px = 0;
  for (int p : passes) {
    fixed += cost.fixed_bytes;
    tile_px = std::max(tile_px, std::min(pw, padded) * std::min(ph, padded));
    pw *= p, ph *= p;
  }
  return fixed + Workers(d.threads) * cost.bytes_per_tile_px * tile_px + kUpscaleBytesPerInputPx * w * h +
         ImageBytes(pw, ph, g);  // the whole-number factor's result, before an area downscale
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

// Size after a step, px.
void SizeAfter(const StepParams& params, double& w, double& h) {
  if (const auto* up = std::get_if<UpscaleStep>(&params)) {
    const double f = std::max(1.0, up->factor.value_or(1));
    w = std::round(w * f), h = std::round(h * f);
  } else if (const auto* down = std::get_if<DownscaleStep>(&params)) {
    if (down->width_px) {
      const double nw = *down->width_px;
      h = down->height_px ? double(*down->height_px) : std::round(h * nw / std::max(1.0, w));
      w = nw;
    } else if (down->factor && *down->factor > 0 && *down->factor <= 1) {
      w = std::max(1.0, std::round(w * *down->factor)), h = std::max(1.0, std::round(h * *down->factor));
    }
  }
}

}  // namespace

int64_t EstimatePeakMemoryBytes(const ImageGeometry& image) {
  const double px = double(image.width_px) * image.height_px;
  return int64_t(kAnalyzeBytesPerPx * px + kAnalyzeSampledBytesPerPx * std::min(px, kAnalyzeSampledPx));
}

int64_t EstimatePeakMemoryBytes(const ImageGeometry& image, const Plan& plan, const UpscaleOptions& defaults) {
  const double original = ImageBytes(image.width_px, image.height_px, image);
  double w = image.width_px, h = image.height_px, peak = 0;
  for (const PlanStep& step : plan.steps) {
    const double in = ImageBytes(w, h, image);
    const double work =
        std::visit([&](const auto& s) { return StepWork(s, w, h, image, defaults); }, step.params);
    SizeAfter(step.params, w, h);
    const double out = ImageBytes(w, h, image);
    peak = std::max(peak, original + kImageCopies * (in + out) + work);
  }
  // Writing: the result, its 8-bit conversion and the encoded bytes.
  peak = std::max(peak, original + kImageCopies * ImageBytes(w, h, image));
  return int64_t(peak);
}

int64_t EstimateQaPeakMemoryBytes(const ImageGeometry& input, const ImageGeometry& output) {
  // The input enlarged to the output's size is compared with the output.
  return EstimatePeakMemoryBytes(output) + int64_t(ImageBytes(input.width_px, input.height_px, input));
}

ImageGeometry GeometryAfter(const ImageGeometry& image, const Plan& plan) {
  double w = image.width_px, h = image.height_px;
  for (const PlanStep& step : plan.steps) SizeAfter(step.params, w, h);
  ImageGeometry out = image;
  out.width_px = int(w), out.height_px = int(h);
  return out;
}

int64_t AvailableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    int64_t kib = 0;
    if (fields >> kib) return kib * 1024;
  }
  return 0;
}

}  // namespace acuity
