#include "enhance/upscaler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "analysis/io/guard.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/advice/sr_choice.h"
#include "enhance/model_registry.h"
#include "enhance/resize.h"
#include "enhance/model_cache.h"
#include "enhance/sr_model.h"
#include "enhance/tiled_pass.h"
#include "enhance/tiling.h"
#include "enhance/device.h"
#include "analysis/advice/sr_model_facts.h"

namespace acuity {
namespace {

// The payload that marks a status as the user's model file's fault.
constexpr char kModelFilePayload[] = "type.acuity/model-file-error";

absl::Status ModelFileError(absl::Status status) {
  if (!status.ok() && !absl::IsCancelled(status) && !absl::IsResourceExhausted(status))
    status.SetPayload(kModelFilePayload, absl::Cord("bad model file"));
  return status;
}

// Largest output accepted, px (a 12 MP photo ×8 is 0.77 Gpx).
constexpr double kMaxOutputPx = 1.2e9;

// Scales of the AI passes of built-in model `name` for an overall integer
// factor n ≥ 2: the advisor's split (analysis/sr_choice.h), except that
// ×5–×8 run the ×8 model in one pass where that measured better (ModelPasses). A step the
// model has no scale for runs its next larger one (Real-ESRGAN: ×4 for a ×2
// or ×3 step); Upscale's area downscale at the end brings the result to the
// exact size.
std::vector<int> BuiltinPassScales(int n, const std::string& name) {
  std::vector<int> passes = ModelPasses(SplitIntoPasses(n, kMaxSinglePassScale), name);
  const std::vector<int> scales = BuiltinModelScales(name);
  for (int& p : passes) {
    auto it = std::lower_bound(scales.begin(), scales.end(), p);
    if (it != scales.end()) p = *it;
  }
  return passes;
}

// The built-in model for options.model == "" (analysis/sr_choice.h), with
// the time budget of the device it runs on, for the network's area
// (`detail`: the input's FlatSurroundBox, when the flat surround is skipped).
std::string AutoModel(cv::Size size, int n, SrDevice device, const std::optional<cv::Rect>& detail) {
  return AutoSrModel(size, SplitIntoPasses(n, kMaxSinglePassScale),
                     device.is_cuda() ? SrDeviceKind::kCuda : SrDeviceKind::kCpu, detail);
}

int OverlapPx(const UpscaleOptions& options, const ModelSpec& spec) {
  if (options.overlap_px >= 0) return options.overlap_px;
  if (spec.tile_overlap_px >= 0) return spec.tile_overlap_px;  // the model's facts or sidecar
  return OverlapForReceptiveRadius(spec.receptive_radius_px);
}

// Input tile edge (core, px) on the CPU when options.tile_px is 0: the
// measured one of a built-in model (sr_model_facts.h, models/RESULTS.md,
// "Tile size"); for a user's model by its architecture's family (wide
// margins → larger tiles waste less).
int CpuTilePx(const ModelSpec& spec) {
  if (const SrModelFacts* facts = FindSrModelFacts(spec.name); facts != nullptr && spec.builtin)
    return facts->cpu.tile_px;
  if (spec.arch == "rrdn" || spec.arch == "srvgg" || spec.arch == "rrdbnet") return 192;
  return 128;
}

// Tile edge when a device's free memory is not known, input px.
constexpr int kUnknownMemoryTilePx = 512;

// How a pass of `model` over an image of `size` is tiled and threaded.
TiledPassOptions PassOptions(const UpscaleOptions& options, const SrModel& model, cv::Size size,
                             int threads, int64_t device_free_bytes) {
  TiledPassOptions o;
  o.overlap_px = OverlapPx(options, model.spec());
  o.threads = threads;
  o.thread_mode = options.thread_mode;
  o.skip_flat_surround = options.skip_flat_surround;
  if (options.tile_px > 0) {
    o.tile_px = options.tile_px;
    o.max_split_overhead = 0;
  } else if (!model.device().is_cuda()) {
    o.tile_px = CpuTilePx(model.spec());
  } else {
    const SrModelFacts* facts = FindSrModelFacts(model.spec().name);
    const SrModelFacts& f = facts != nullptr && model.spec().builtin ? *facts : HeaviestSrModelFacts();
    // The table's CUDA figure is for 16-bit arithmetic; float32 takes twice it.
    const double bytes = f.cuda.bytes_per_padded_px * (model.precision() == SrPrecision::kFp32 ? 2 : 1);
    o.tile_px = device_free_bytes > 0 ? DeviceTilePx(size, o.overlap_px, kCudaTileWorkingSets, device_free_bytes, bytes)
                                      : kUnknownMemoryTilePx;
    o.max_split_overhead = 0;
  }
  if (model.device().is_cuda()) o.max_workers = kCudaTilesInFlight;
  return o;
}

// Everything one Upscale call needs to know about its passes.
struct PassPlan {
  SrDevice device;                             // where the passes run
  int64_t device_free_bytes = -1;              // a CUDA device's free memory; -1 = not known
  std::string model_name;                      // for model_used
  std::vector<std::shared_ptr<SrModel>> models;  // one per pass
};

// The precision to load `spec` in for `mode` on `device`.
SrPrecision PrecisionFor(const ModelSpec& spec, PrecisionMode mode, SrDevice device) {
  switch (mode) {
    case PrecisionMode::kFp32: return SrPrecision::kFp32;
    case PrecisionMode::kBf16: return SrPrecision::kBf16;
    case PrecisionMode::kFp16: return SrPrecision::kFp16;
    case PrecisionMode::kAuto: break;
  }
  return ChoosePrecision(spec, /*allow_bf16=*/true, device);
}

// Loaded once per process (model_cache.h): the archive checked, the weights
// loaded and the network probed on the first call only.
absl::StatusOr<std::shared_ptr<SrModel>> LoadCached(const ModelSpec& spec, PrecisionMode mode, SrDevice device) {
  return ModelCache::Shared().Get(spec, PrecisionFor(spec, mode, device), device);
}

// The device of `options` and, for a CUDA device, its free memory now.
absl::Status ChooseDevice(const UpscaleOptions& options, PassPlan& plan) {
  absl::StatusOr<SrDevice> device = ResolveDevice(options.device);
  if (!device.ok()) return device.status();
  plan.device = *device;
  if (!device->is_cuda()) return absl::OkStatus();
  absl::StatusOr<const SrBackend*> backend = GetSrBackend();
  if (!backend.ok()) return backend.status();
  for (const SrDeviceInfo& info : (*backend)->CudaDevices())
    if (info.device == *device) plan.device_free_bytes = info.free_bytes;
  return absl::OkStatus();
}

absl::StatusOr<PassPlan> PlanPasses(const UpscaleOptions& options, const cv::Mat& pixels, int n) {
  const cv::Size size = pixels.size();
  PassPlan plan;
  if (absl::Status s = ChooseDevice(options, plan); !s.ok()) return s;
  if (!options.model.empty() && !IsBuiltinModelName(options.model)) {
    if (!LooksLikeModelPath(options.model)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown model '", options.model, "' (use ",
                       absl::StrJoin(BuiltinModelNames(), ", "), " or a path to a TorchScript .pt file)"));
    }
    absl::StatusOr<ModelSpec> spec =
        UserModelSpec(options.model, options.model_scale, options.model_input_range);
    if (!spec.ok()) return ModelFileError(spec.status());
    absl::StatusOr<std::shared_ptr<SrModel>> model = LoadCached(*spec, options.precision, plan.device);
    if (!model.ok()) return ModelFileError(model.status());
    const int s = (*model)->scale();
    if (s < 2) {
      return ModelFileError(absl::FailedPreconditionError(
          absl::StrCat("model ", options.model, " does not enlarge (scale ", s, ")")));
    }
    plan.model_name = (*model)->spec().name;
    for (long product = 1; product < n; product *= s) plan.models.push_back(*model);
    return plan;
  }
  if (options.model.empty()) {
    const std::optional<cv::Rect> detail =
        options.skip_flat_surround ? std::optional<cv::Rect>(FlatSurroundBox(pixels)) : std::nullopt;
    plan.model_name = AutoModel(size, n, plan.device, detail);
  } else {
    plan.model_name = options.model;
  }
  for (int s : BuiltinPassScales(n, plan.model_name)) {
    absl::StatusOr<ModelSpec> spec = FindModel(plan.model_name, s, options.model_dir);
    if (!spec.ok()) return spec.status();
    absl::StatusOr<std::shared_ptr<SrModel>> model = LoadCached(*spec, options.precision, plan.device);
    if (!model.ok()) return model.status();
    plan.models.push_back(*model);
  }
  return plan;
}

// `m` (8/16-bit) converted to `depth` with full white kept full white.
cv::Mat ToDepth(const cv::Mat& m, int depth) {
  if (m.depth() == depth) return m;
  cv::Mat out;
  m.convertTo(out, depth, (depth == CV_16U ? 65535.0 : 255.0) / WhiteLevel(m));
  return out;
}

// `bgr` (3 channels, or already 4 when the last pass wrote them) with
// `alpha` as its fourth channel.
cv::Mat WithAlpha(cv::Mat bgr, const cv::Mat& alpha) {
  if (bgr.channels() == 3) {
    cv::Mat bgra;
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    bgr = std::move(bgra);
  }
  const int from_to[] = {0, 3};
  cv::mixChannels(&alpha, 1, &bgr, 1, from_to, 1);
  return bgr;
}

// The output size of a `factor`× upscale of `pixels`; InvalidArgument unless
// they can be upscaled: 8/16-bit, 1, 3 or 4 channels, factor ≥ 1, output
// within kMaxOutputPx.
absl::StatusOr<cv::Size> OutputSize(const cv::Mat& pixels, double factor) {
  if (pixels.empty()) return absl::InvalidArgumentError("cannot upscale an empty image");
  if (pixels.depth() != CV_8U && pixels.depth() != CV_16U) {
    return absl::InvalidArgumentError("upscaling needs 8- or 16-bit pixels");
  }
  const int channels = pixels.channels();
  if (channels != 1 && channels != 3 && channels != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("upscaling needs 1, 3 or 4 channels, not ", channels));
  }
  if (!(factor >= 1.0) || !std::isfinite(factor)) {
    return absl::InvalidArgumentError(absl::StrFormat("upscale factor %g must be at least 1", factor));
  }
  const int out_w = static_cast<int>(std::lround(pixels.cols * factor));
  const int out_h = static_cast<int>(std::lround(pixels.rows * factor));
  if (static_cast<double>(out_w) * out_h > kMaxOutputPx) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "a %gx upscale of %dx%d would be %.2f gigapixels; the limit is %.1f", factor,
        pixels.cols, pixels.rows, 1e-9 * out_w * out_h, kMaxOutputPx * 1e-9));
  }
  return cv::Size(out_w, out_h);
}

// Upscale without its guard.
absl::StatusOr<UpscaleResult> UpscaleUnguarded(const cv::Mat& pixels, const UpscaleOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const absl::StatusOr<cv::Size> out_size = OutputSize(pixels, options.factor);
  if (!out_size.ok()) return out_size.status();
  const int out_w = out_size->width, out_h = out_size->height;
  const int channels = pixels.channels();

  UpscaleResult result;
  if (out_w == pixels.cols && out_h == pixels.rows) {
    result.pixels = pixels.clone();
    result.model_used = "none";
    result.passes = {"copy (factor 1)"};
    return result;
  }
  const int n = std::max(2, static_cast<int>(std::ceil(options.factor - 1e-9)));
  absl::StatusOr<PassPlan> plan = PlanPasses(options, pixels, n);
  if (!plan.ok()) return plan.status();
  result.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.model_used = plan->model_name;
  // Threads (models/RESULTS.md, "Threads"): tiles in parallel, one LibTorch
  // thread each, beat LibTorch's own (OpenMP) parallelism on this 2-core
  // machine, and do not collapse when other processes compete for the
  // cores; with fewer tiles than threads the spare ones go into the tiles.
  const int threads = options.threads > 0 ? options.threads : DefaultInferenceThreads();

  // Colour (or gray) part and alpha, processed separately.
  cv::Mat color = pixels, alpha;
  if (channels == 4) {
    cv::cvtColor(pixels, color, cv::COLOR_BGRA2BGR);
    cv::extractChannel(pixels, alpha, 3);
  }
  const int color_channels = color.channels();

  // How every pass is tiled, and its work (padded area) for progress.
  std::vector<TiledPassOptions> pass_options;
  double total_work = 0;
  {
    cv::Size size = color.size();
    for (const auto& m : plan->models) {
      pass_options.push_back(PassOptions(options, *m, size, threads, plan->device_free_bytes));
      for (const Tile& t : PassTiles(pass_options.back(), size)) total_work += t.padded.area();
      size = cv::Size(size.width * m->scale(), size.height * m->scale());
    }
  }
  PassProgress progress(options.progress, total_work);
  if (options.progress && !options.progress(0.0)) return absl::CancelledError("upscaling cancelled");

  cv::Mat current = color;
  for (size_t i = 0; i < plan->models.size(); ++i) {
    const SrModel& model = *plan->models[i];
    const int s = model.scale();
    const cv::Size next(current.cols * s, current.rows * s);
    const bool last = i + 1 == plan->models.size();
    const bool exact = last && next.width == out_w && next.height == out_h;
    // Intermediates are 16-bit (never flattened to 8 bits on the way); the
    // last pass writes straight into the output, alpha channel included.
    const int dst_channels = exact && channels == 4 ? 4 : color_channels;
    cv::Mat dst(next, CV_MAKETYPE(exact ? pixels.depth() : CV_16U, dst_channels));
    absl::StatusOr<TiledPassResult> pass = RunTiledPass(model, current, pass_options[i], progress, dst);
    if (!pass.ok()) return model.spec().builtin ? pass.status() : ModelFileError(pass.status());
    // "esrgan-thick x4", "esrgan-thick x4 bf16" (CPU); on a GPU the
    // precision, the device and the tile: "realesrgan-x4plus x4 fp16 cuda:0 tile 1024".
    result.tile_retries += pass->retries;
    std::string name = absl::StrCat(model.spec().name, " x", s);
    if (model.device().is_cuda()) {
      absl::StrAppend(&name, " ", PrecisionName(model.precision()), " ", model.device().Name(), " tile ",
                      pass->tile_px, pass->retries > 0 ? absl::StrCat(" (halved ", pass->retries, "x)") : "");
    } else if (model.precision() != SrPrecision::kFp32) {
      absl::StrAppend(&name, " ", PrecisionName(model.precision()));
    }
    result.passes.push_back(std::move(name));
    current = std::move(dst);
  }

  if (current.cols != out_w || current.rows != out_h) {
    result.passes.push_back(
        absl::StrFormat("area down %.3f", static_cast<double>(out_w) / current.cols));
    cv::Mat down;
    cv::resize(current, down, cv::Size(out_w, out_h), 0, 0, cv::INTER_AREA);
    current = ToDepth(down, pixels.depth());
  }
  if (channels == 4) {
    current = WithAlpha(std::move(current), Resize(alpha, out_w, out_h));  // Lanczos-4 (up), clamped by the depth
    result.passes.push_back("alpha lanczos");
  }
  result.pixels = std::move(current);
  if (options.progress) options.progress(1.0);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace

absl::StatusOr<UpscaleResult> Upscale(const cv::Mat& pixels, const UpscaleOptions& options) {
  return CatchToStatus("upscaling", [&] { return UpscaleUnguarded(pixels, options); });
}

bool IsModelFileError(const absl::Status& status) {
  return status.GetPayload(kModelFilePayload).has_value();
}

}  // namespace acuity
