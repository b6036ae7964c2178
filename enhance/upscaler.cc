#include "enhance/upscaler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
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
#include "enhance/model_archive.h"
#include "enhance/sr_model.h"
#include "enhance/tiling.h"

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

// Input tile edge (core, px) when options.tile_px is 0. Measured on this
// machine (models/RESULTS.md, "Tile size"): with two tile workers, 128-px
// tiles are the fastest for both RDNs (the working set stays in cache; the
// extra overlap costs less than that gains) and keep the peak memory low.
// Real-ESRGAN (models/RESULTS.md, "Real-ESRGAN"): both need wide margins
// (80 px for x4plus, 32 for general-x4v3), so larger tiles waste less;
// x4plus keeps 64 channels up to the ×4 resolution (a 192-px tile with its
// margins has 0.5 GB feature maps there), so not larger than 192.
int AutoTilePx(const ModelSpec& spec) {
  if (spec.arch == "rrdn" || spec.arch == "srvgg" || spec.arch == "rrdbnet") return 192;
  return 128;
}

// Scales of the AI passes of built-in model `name` for an overall integer
// factor n ≥ 2: the advisor's split (analysis/sr_choice.h), except that a
// ×8 runs the ×8 model in one pass where that measured better. A step the
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

// The built-in model for options.model == "" (analysis/sr_choice.h).
std::string AutoModel(cv::Size size, int n) { return AutoSrModel(size, SplitIntoPasses(n, kMaxSinglePassScale)); }

// Converts a tile of the pass input (1 or 3 channels, BGR, 8/16-bit) into
// the model's input: RGB float in [0, input_range].
cv::Mat ModelInput(const cv::Mat& src, double input_range) {
  cv::Mat f;
  src.convertTo(f, CV_32F, input_range / WhiteLevel(src));
  cv::cvtColor(f, f, src.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
  return f;
}

// Writes the model's RGB float output (range [0, output_range]) into `dst`
// (1, 3 or 4 channels BGR[A], 8/16-bit; the alpha channel is left alone):
// gray takes BT.601 luma, values are rounded and clamped to the depth.
void WriteOutput(const cv::Mat& rgb, double output_range, cv::Mat dst) {
  const double k = WhiteLevel(dst) / output_range;
  cv::Mat converted;
  if (dst.channels() == 1) {
    cv::cvtColor(rgb, converted, cv::COLOR_RGB2GRAY);
    converted.convertTo(dst, dst.depth(), k);
    return;
  }
  cv::cvtColor(rgb, converted, cv::COLOR_RGB2BGR);
  if (dst.channels() == 3) {
    converted.convertTo(dst, dst.depth(), k);
    return;
  }
  cv::Mat typed;
  converted.convertTo(typed, dst.depth(), k);
  const int from_to[] = {0, 0, 1, 1, 2, 2};
  cv::mixChannels(&typed, 1, &dst, 1, from_to, 3);
}

// Progress over all tiles of all passes, weighted by padded tile area.
// Thread-safe; the callback is called under a lock, one call at a time.
class Progress {
 public:
  Progress(const ProgressCallback& callback, double total_work)
      : callback_(callback), total_(std::max(1.0, total_work)) {}
  // Adds `work` done; false when the caller asked to cancel.
  bool Add(double work) {
    std::lock_guard<std::mutex> lock(mu_);
    done_ += work;
    return !callback_ || callback_(std::min(1.0, done_ / total_));
  }

 private:
  std::mutex mu_;
  const ProgressCallback& callback_;
  double total_;
  double done_ = 0;
};

// How a pass spreads `threads` over its tiles: `workers` tiles at a time,
// each with `intra_op` LibTorch threads (worker w < extra_intra_op gets one
// more). Fewer tiles than threads (a small image) → the spare threads go
// into the tiles, so every core works (models/RESULTS.md, "Threads").
struct ThreadSplit {
  int workers = 1;
  int intra_op = 1;
  int extra_intra_op = 0;
};

ThreadSplit SplitThreads(int threads, ThreadMode mode, size_t tiles) {
  threads = std::max(1, threads);
  if (mode == ThreadMode::kIntraOp) return {1, threads, 0};
  const int workers = std::max(1, std::min<int>(threads, static_cast<int>(tiles)));
  return {workers, threads / workers, threads % workers};
}

// One AI pass: src (1 or 3 channels, 8/16-bit) → dst (scale× larger,
// allocated by the caller with its depth and 1/3/4 channels), tiles spread
// over `threads` as SplitThreads says (the calling thread is one of the
// workers). Tiles write disjoint rectangles of dst.
absl::Status RunPass(const SrModel& model, const cv::Mat& src, const std::vector<Tile>& tiles,
                     const ThreadSplit& split, Progress& progress, cv::Mat& dst) {
  const int s = model.scale();
  const ModelSpec& spec = model.spec();
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  absl::Status status;
  auto fail = [&](absl::Status error) {
    std::lock_guard<std::mutex> lock(mu);
    if (status.ok()) status = std::move(error);
    stop = true;
  };
  auto run_tile = [&](const Tile& t, int intra_op) -> absl::Status {
    absl::StatusOr<cv::Mat> out = model.Run(ModelInput(src(t.padded), spec.input_range), intra_op);
    if (!out.ok()) return out.status();
    // A model with broken weights computes NaN or infinities, which the
    // conversion to 8/16 bits would have written as black.
    if (!cv::checkRange(*out))
      return absl::DataLossError("the model computed values that are not numbers (NaN or infinite): its weights are "
                                 "broken");
    WriteOutput((*out)(CoreInTileOutput(t, s)), spec.output_range, dst(CoreInOutput(t, s)));
    return absl::OkStatus();
  };
  auto work = [&](int intra_op) {  // on tile worker threads too: nothing may escape
    for (size_t i = next++; i < tiles.size() && !stop; i = next++) {
      const Tile& t = tiles[i];
      absl::Status tile_status = CatchToStatus("upscaling", [&] { return run_tile(t, intra_op); });
      if (!tile_status.ok()) return fail(tile_status);
      if (!progress.Add(t.padded.area())) return fail(absl::CancelledError("upscaling cancelled"));
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < split.workers; ++w) {
    // A worker that cannot start (no memory for its stack) leaves its tiles to the others.
    const int intra_op = split.intra_op + (w < split.extra_intra_op ? 1 : 0);
    if (!CatchToStatus("starting a tile worker", [&] { pool.emplace_back(work, intra_op); }).ok()) break;
  }
  work(split.intra_op + (split.extra_intra_op > 0 ? 1 : 0));
  for (std::thread& t : pool) t.join();
  return status;
}

int OverlapPx(const UpscaleOptions& options, const ModelSpec& spec) {
  if (options.overlap_px >= 0) return options.overlap_px;
  if (spec.tile_overlap_px >= 0) return spec.tile_overlap_px;  // measured for the model
  return OverlapForReceptiveRadius(spec.receptive_radius_px);
}

// Largest extra work (padded tile area over image area) accepted to cut a
// small image into more tiles so that every tile worker has one.
constexpr double kMaxSplitOverhead = 1.4;

// The tiles of one pass over an image of `size`. With automatic tiles and
// more workers than tiles, the tiles are halved while the overlap costs at
// most kMaxSplitOverhead.
std::vector<Tile> PassTiles(const UpscaleOptions& options, const ModelSpec& spec, cv::Size size,
                            int workers) {
  const int overlap = OverlapPx(options, spec);
  int tile = options.tile_px > 0 ? options.tile_px : AutoTilePx(spec);
  std::vector<Tile> tiles = LayoutTiles(size, tile, overlap);
  while (options.tile_px <= 0 && static_cast<int>(tiles.size()) < workers && tile >= 64) {
    std::vector<Tile> smaller = LayoutTiles(size, tile / 2, overlap);
    double padded = 0;
    for (const Tile& t : smaller) padded += t.padded.area();
    if (padded > kMaxSplitOverhead * size.area()) break;
    tile /= 2;
    tiles = std::move(smaller);
  }
  return tiles;
}

// Everything one Upscale call needs to know about its passes.
struct PassPlan {
  std::string model_name;                      // for model_used
  std::vector<std::shared_ptr<SrModel>> models;  // one per pass
};

// The precision to load `spec` in for `mode`.
SrPrecision PrecisionFor(const ModelSpec& spec, PrecisionMode mode) {
  switch (mode) {
    case PrecisionMode::kFp32: return SrPrecision::kFp32;
    case PrecisionMode::kBf16: return SrPrecision::kBf16;
    case PrecisionMode::kAuto: break;
  }
  return ChoosePrecision(spec, /*allow_bf16=*/true);
}

absl::StatusOr<std::shared_ptr<SrModel>> LoadCached(
    const ModelSpec& spec, PrecisionMode mode, std::map<std::string, std::shared_ptr<SrModel>>& cache) {
  auto it = cache.find(spec.pt_path);
  if (it != cache.end()) return it->second;
  if (absl::Status whole = VerifyModelArchive(spec.pt_path); !whole.ok()) return whole;
  absl::StatusOr<std::unique_ptr<SrModel>> model = SrModel::Load(spec, PrecisionFor(spec, mode));
  if (!model.ok()) return model.status();
  std::shared_ptr<SrModel> shared = std::move(*model);
  cache[spec.pt_path] = shared;
  return shared;
}

absl::StatusOr<PassPlan> PlanPasses(const UpscaleOptions& options, cv::Size size, int n) {
  PassPlan plan;
  std::map<std::string, std::shared_ptr<SrModel>> cache;
  if (!options.model.empty() && !IsBuiltinModelName(options.model)) {
    if (!LooksLikeModelPath(options.model)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown model '", options.model, "' (use ",
                       absl::StrJoin(BuiltinModelNames(), ", "), " or a path to a TorchScript .pt file)"));
    }
    absl::StatusOr<ModelSpec> spec =
        UserModelSpec(options.model, options.model_scale, options.model_input_range);
    if (!spec.ok()) return ModelFileError(spec.status());
    absl::StatusOr<std::shared_ptr<SrModel>> model = LoadCached(*spec, options.precision, cache);
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
  plan.model_name = options.model.empty() ? AutoModel(size, n) : options.model;
  for (int s : BuiltinPassScales(n, plan.model_name)) {
    absl::StatusOr<ModelSpec> spec = FindModel(plan.model_name, s, options.model_dir);
    if (!spec.ok()) return spec.status();
    absl::StatusOr<std::shared_ptr<SrModel>> model = LoadCached(*spec, options.precision, cache);
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
  absl::StatusOr<PassPlan> plan = PlanPasses(options, pixels.size(), n);
  if (!plan.ok()) return plan.status();
  result.model_used = plan->model_name;
  // Threads (models/RESULTS.md, "Threads"): tiles in parallel, one LibTorch
  // thread each, beat LibTorch's own (OpenMP) parallelism on this 2-core
  // machine, and do not collapse when other processes compete for the
  // cores; with fewer tiles than threads the spare ones go into the tiles.
  const int threads = options.threads > 0 ? options.threads : DefaultInferenceThreads();
  const int workers = options.thread_mode == ThreadMode::kIntraOp ? 1 : threads;

  // Colour (or gray) part and alpha, processed separately.
  cv::Mat color = pixels, alpha;
  if (channels == 4) {
    cv::cvtColor(pixels, color, cv::COLOR_BGRA2BGR);
    cv::extractChannel(pixels, alpha, 3);
  }
  const int color_channels = color.channels();

  // Tiles of every pass, and their work (padded area) for progress.
  std::vector<std::vector<Tile>> pass_tiles;
  double total_work = 0;
  {
    cv::Size size = color.size();
    for (const auto& m : plan->models) {
      pass_tiles.push_back(PassTiles(options, m->spec(), size, workers));
      for (const Tile& t : pass_tiles.back()) total_work += t.padded.area();
      size = cv::Size(size.width * m->scale(), size.height * m->scale());
    }
  }
  Progress progress(options.progress, total_work);
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
    absl::Status status =
        RunPass(model, current, pass_tiles[i],
                SplitThreads(threads, options.thread_mode, pass_tiles[i].size()), progress, dst);
    if (!status.ok()) return model.spec().builtin ? status : ModelFileError(status);
    result.passes.push_back(absl::StrCat(model.spec().name, " x", s,
                                         model.precision() == SrPrecision::kBf16 ? " bf16" : ""));
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
