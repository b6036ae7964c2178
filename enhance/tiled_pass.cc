#include "enhance/tiled_pass.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/io/thread_pool.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Converts a tile of the pass input (1 or 3 channels, BGR, 8/16-bit) into
// the model's input: RGB float in [0, input_range].
cv::Mat ModelInput(const cv::Mat& src, double input_range) {
  cv::Mat f;
  src.convertTo(f, CV_32F, input_range / WhiteLevel(src));
  cv::cvtColor(f, f, src.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
  return f;
}

// Rows of the model's RGB float output scaled by `k` into BGR `dst` of
// type T (8 or 16 bits), rounded to nearest and clamped as convertTo does
// them (the product in float, ties to even); false when a value is NaN or
// infinite.
template <typename T>
bool WriteBgrRows(const cv::Mat& rgb, float k, cv::Mat& dst, const cv::Range& rows) {
  bool finite = true;
  for (int y = rows.start; y < rows.end; ++y) {
    const float* in = rgb.ptr<float>(y);
    T* out = dst.ptr<T>(y);
    for (int x = 0; x < rgb.cols; ++x, in += 3, out += 3) {
      finite = finite && std::isfinite(in[0]) && std::isfinite(in[1]) && std::isfinite(in[2]);
      out[0] = cv::saturate_cast<T>(in[2] * k);
      out[1] = cv::saturate_cast<T>(in[1] * k);
      out[2] = cv::saturate_cast<T>(in[0] * k);
    }
  }
  return finite;
}

// A network's computed values that are not numbers: its weights are broken.
absl::Status NotNumbersError() {
  return absl::DataLossError("the model computed values that are not numbers (NaN or infinite): its weights are "
                             "broken");
}

// Writes the model's RGB float output (range [0, output_range]) into `dst`
// (1, 3 or 4 channels BGR[A], 8/16-bit; the alpha channel is left alone):
// gray takes BT.601 luma, values are rounded and clamped to the depth. A
// value that is not a number in the part written is an error
// (NotNumbersError): converted to 8/16 bits it would have been written as
// black (a tile's margin, which is not kept, is not checked). A 3-channel result (the
// common case) is checked, reordered and converted in one pass over rows
// on the pool: a 1000-px tile of ×4 is 64 M floats, which OpenCV's
// checkRange, cvtColor and convertTo went over three times on one thread
// (on a GPU that host work outlasted the network's).
absl::Status WriteOutput(const cv::Mat& rgb, double output_range, cv::Mat dst) {
  CV_DbgAssert(rgb.type() == CV_32FC3 && rgb.size() == dst.size() &&
               (dst.depth() == CV_8U || dst.depth() == CV_16U));
  const double k = WhiteLevel(dst) / output_range;
  if (dst.channels() == 3) {
    std::atomic<bool> finite{true};
    cv::parallel_for_(cv::Range(0, rgb.rows), [&](const cv::Range& rows) {
      const bool ok = dst.depth() == CV_8U ? WriteBgrRows<uint8_t>(rgb, float(k), dst, rows)
                                           : WriteBgrRows<uint16_t>(rgb, float(k), dst, rows);
      if (!ok) finite = false;
    });
    return finite ? absl::OkStatus() : NotNumbersError();
  }
  if (!cv::checkRange(rgb)) return NotNumbersError();
  cv::Mat converted;
  if (dst.channels() == 1) {
    cv::cvtColor(rgb, converted, cv::COLOR_RGB2GRAY);
    converted.convertTo(dst, dst.depth(), k);
    return absl::OkStatus();
  }
  cv::cvtColor(rgb, converted, cv::COLOR_RGB2BGR);
  cv::Mat typed;
  converted.convertTo(typed, dst.depth(), k);
  const int from_to[] = {0, 0, 1, 1, 2, 2};
  cv::mixChannels(&typed, 1, &dst, 1, from_to, 3);
  return absl::OkStatus();
}

// How a pass spreads `threads` over its tiles: `workers` tiles at a time,
// each with `intra_op` LibTorch threads (worker w < extra_intra_op gets one
// more). Fewer tiles than threads (a small image) → the spare threads go
// into the tiles, so every core works (models/RESULTS.md, "Threads").
struct ThreadSplit {
  int workers = 1;
  int intra_op = 1;
  int extra_intra_op = 0;
};

int MaxWorkers(const TiledPassOptions& options) {
  const int threads = std::max(1, options.threads);
  if (options.thread_mode == ThreadMode::kIntraOp) return 1;
  return options.max_workers > 0 ? std::min(options.max_workers, threads) : threads;
}

ThreadSplit SplitThreads(const TiledPassOptions& options, size_t tiles) {
  const int threads = std::max(1, options.threads);
  if (options.thread_mode == ThreadMode::kIntraOp) return {1, threads, 0};
  const int workers = std::max(1, std::min<int>(MaxWorkers(options), static_cast<int>(tiles)));
  return {workers, threads / workers, threads % workers};
}

double PaddedArea(const std::vector<Tile>& tiles) {
  double area = 0;
  for (const Tile& t : tiles) area += t.padded.area();
  return area;
}

// The pass input framed by `frame_px` mirrored pixels on every side
// (BORDER_REFLECT_101; at most the image's side less one). A convolutional
// network pads its feature maps with zeros, so a tile that ends at the
// image's edge sees black beyond it and its output darkens there (an
// all-white 148-px image through esrgan-slim ×3 came out with corners of
// 173–226 and a first row of 247 on 255); in the frame every tile has
// context on every side, and the frame's own output is never kept.
int FramePx(const cv::Mat& src, int overlap_px) {
  return std::max(0, std::min({overlap_px, src.cols - 1, src.rows - 1}));
}

// `tile` of the image as read in the image framed by `frame_px` px
// (`framed`: the framed image's size): its core moved by the frame, its
// context margin of `overlap_px` kept where the frame has it.
Tile Framed(const Tile& tile, int frame_px, int overlap_px, cv::Size framed) {
  Tile t;
  t.core = tile.core + cv::Point(frame_px, frame_px);
  t.padded = cv::Rect(t.core.x - overlap_px, t.core.y - overlap_px, t.core.width + 2 * overlap_px,
                      t.core.height + 2 * overlap_px) &
             cv::Rect(cv::Point(0, 0), framed);
  return t;
}

// One run over `tiles` (laid out on the image, read in `framed`: the image
// framed by `frame_px`); each tile's progress counts `work_per_px` per padded px.
absl::Status RunTiles(const SrModel& model, const cv::Mat& framed, int frame_px, int overlap_px,
                      const std::vector<Tile>& tiles, const ThreadSplit& split, double work_per_px,
                      PassProgress& progress, cv::Mat& dst) {
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
    const Tile read = Framed(t, frame_px, overlap_px, framed.size());
    absl::StatusOr<cv::Mat> out = model.Run(ModelInput(framed(read.padded), spec.input_range), intra_op);
    if (!out.ok()) return out.status();
    return WriteOutput((*out)(CoreInTileOutput(read, s)), spec.output_range, dst(CoreInOutput(t, s)));
  };
  auto work = [&](int intra_op) {  // on tile worker threads too: nothing may escape
    for (size_t i = next++; i < tiles.size() && !stop; i = next++) {
      const Tile& t = tiles[i];
      absl::Status tile_status = CatchToStatus("upscaling", [&] { return run_tile(t, intra_op); });
      if (!tile_status.ok()) return fail(tile_status);
      if (!progress.Add(work_per_px * t.padded.area())) return fail(absl::CancelledError("upscaling cancelled"));
    }
  };
  // On the process's pool (thread_pool.h): a worker that finds no free
  // thread runs on this one once its own share is done, and finds no tiles
  // left; with no thread at all, the tiles are upscaled here.
  TaskGroup workers;
  for (int w = 1; w < split.workers; ++w) {
    const int intra_op = split.intra_op + (w < split.extra_intra_op ? 1 : 0);
    workers.Run([&work, intra_op] { work(intra_op); });
  }
  work(split.intra_op + (split.extra_intra_op > 0 ? 1 : 0));
  workers.Wait();  // `work` lets nothing escape
  return status;
}

// The side of the flat patch whose centre stands for the surround, input
// px: as much context as a tile gets at the image's edge (its margin of
// mirrored pixels), then zero padding, like the networks' own.
int FlatPatchPx(int overlap_px) { return 2 * std::max(0, overlap_px) + 8; }

// The network's output for the flat colour of src's top-left pixel: the
// s×s output px of the centre input px of a flat patch, in dst's depth and
// colour channels (1 or 3).
absl::StatusOr<cv::Mat> FlatResponse(const SrModel& model, const cv::Mat& src, int overlap_px, int threads,
                                     int dst_depth, int dst_channels) {
  const int side = FlatPatchPx(overlap_px), s = model.scale();
  cv::Mat patch(side, side, src.type());
  patch.setTo(cv::mean(src(cv::Rect(0, 0, 1, 1))));
  absl::StatusOr<cv::Mat> out = model.Run(ModelInput(patch, model.spec().input_range), std::max(1, threads));
  if (!out.ok()) return out.status();
  cv::Mat block(s, s, CV_MAKETYPE(dst_depth, std::min(dst_channels, 3)));
  absl::Status written = WriteOutput((*out)(cv::Rect(side / 2 * s, side / 2 * s, s, s)), model.spec().output_range, block);
  if (!written.ok()) return written;
  return block;
}

// Fills `rect` of dst (output px, its x and y multiples of the block's
// side) with `block` repeated, on the grid of the input px; an alpha
// channel is left alone.
void FillWithBlock(const cv::Mat& block, cv::Rect rect, cv::Mat& dst) {
  rect &= cv::Rect(cv::Point(0, 0), dst.size());
  if (rect.empty()) return;
  const int s = block.rows;
  for (int phase = 0; phase < s; ++phase) {
    cv::Mat row;
    cv::repeat(block.row(phase), 1, rect.width / s + 2, row);
    const cv::Mat line = row.colRange(rect.x % s, rect.x % s + rect.width);
    for (int y = rect.y + (phase - rect.y % s + s) % s; y < rect.br().y; y += s) {
      cv::Mat target = dst(cv::Rect(rect.x, y, rect.width, 1));
      if (target.channels() == line.channels()) {
        line.copyTo(target);
      } else {
        const int from_to[] = {0, 0, 1, 1, 2, 2};
        cv::mixChannels(&line, 1, &target, 1, from_to, 3);
      }
    }
  }
}

// Writes the network's flat response everywhere in dst outside `region`
// (input px).
absl::Status FillFlatSurround(const SrModel& model, const cv::Mat& src, cv::Rect region, int overlap_px,
                              int threads, cv::Mat& dst) {
  absl::StatusOr<cv::Mat> block = FlatResponse(model, src, overlap_px, threads, dst.depth(), dst.channels());
  if (!block.ok()) return block.status();
  const int s = model.scale();
  const cv::Rect inner(region.x * s, region.y * s, region.width * s, region.height * s);
  if (inner.empty()) {
    FillWithBlock(*block, cv::Rect(cv::Point(0, 0), dst.size()), dst);
    return absl::OkStatus();
  }
  FillWithBlock(*block, cv::Rect(0, 0, dst.cols, inner.y), dst);                               // above
  FillWithBlock(*block, cv::Rect(0, inner.br().y, dst.cols, dst.rows - inner.br().y), dst);      // below
  FillWithBlock(*block, cv::Rect(0, inner.y, inner.x, inner.height), dst);                      // left
  FillWithBlock(*block, cv::Rect(inner.br().x, inner.y, dst.cols - inner.br().x, inner.height), dst);  // right
  return absl::OkStatus();
}

}  // namespace

PassProgress::PassProgress(ProgressCallback callback, double total_work)
    : callback_(std::move(callback)), total_(std::max(1.0, total_work)) {}

bool PassProgress::Add(double work) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ += work;
  return !callback_ || callback_(std::min(1.0, done_ / total_));
}

double PassProgress::Done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}

void PassProgress::ResetTo(double done) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ = done;
}

int DeviceTilePx(cv::Size image, int overlap_px, int working_sets, int64_t free_bytes, double bytes_per_padded_px) {
  const double usable = std::min(kDeviceMemoryFraction * static_cast<double>(std::max<int64_t>(0, free_bytes)),
                                 static_cast<double>(kDeviceTileBudgetBytes));
  // One tile: the image and its mirrored frame (RunTiledPass).
  const double whole = double(image.width + 2 * overlap_px) * double(image.height + 2 * overlap_px);
  if (whole * bytes_per_padded_px <= usable) return std::max(image.width, image.height);
  const double per_set_px = usable / std::max(1, working_sets) / std::max(1.0, bytes_per_padded_px);
  const int edge = static_cast<int>(std::floor(std::sqrt(per_set_px))) - 2 * overlap_px;
  return std::max(kMinTilePx, edge / 8 * 8);
}

std::vector<Tile> PassTiles(const TiledPassOptions& options, cv::Size size) {
  return PassTiles(options, size, cv::Rect(cv::Point(0, 0), size));
}

std::vector<Tile> PassTiles(const TiledPassOptions& options, cv::Size size, cv::Rect region) {
  int tile = std::max(1, options.tile_px);
  std::vector<Tile> tiles = LayoutTilesIn(region, size, tile, options.overlap_px);
  const int workers = MaxWorkers(options);
  while (options.max_split_overhead > 0 && static_cast<int>(tiles.size()) < workers && tile >= 64) {
    std::vector<Tile> smaller = LayoutTilesIn(region, size, tile / 2, options.overlap_px);
    if (PaddedArea(smaller) > options.max_split_overhead * region.area()) break;
    tile /= 2;
    tiles = std::move(smaller);
  }
  return tiles;
}

absl::StatusOr<TiledPassResult> RunTiledPass(const SrModel& model, const cv::Mat& src,
                                             const TiledPassOptions& options, PassProgress& progress,
                                             cv::Mat& dst) {
  TiledPassResult result;
  TiledPassOptions attempt = options;
  const cv::Rect whole(cv::Point(0, 0), src.size());
  std::vector<Tile> tiles = PassTiles(attempt, src.size());
  // The pass's share of the progress, whatever layout finishes it.
  const double pass_work = PaddedArea(tiles);
  cv::Rect region = whole;
  if (attempt.skip_flat_surround) {
    // Only where it saves more network work than the flat patch costs.
    const cv::Rect network = NetworkRegion(src, attempt.overlap_px);
    std::vector<Tile> inside = PassTiles(attempt, src.size(), network);
    if (pass_work - PaddedArea(inside) > std::pow(FlatPatchPx(attempt.overlap_px), 2)) {
      const absl::Status filled = CatchToStatus("upscaling", [&] {
        return FillFlatSurround(model, src, network, attempt.overlap_px, attempt.threads, dst);
      });
      if (!filled.ok()) return filled;
      region = network;
      tiles = std::move(inside);
    }
  }
  if (tiles.empty()) {  // one flat colour
    if (!progress.Add(pass_work)) return absl::CancelledError("upscaling cancelled");
    result.tile_px = attempt.tile_px;
    return result;
  }
  const double done_before = progress.Done();
  const int frame_px = FramePx(src, attempt.overlap_px);
  cv::Mat framed;
  cv::copyMakeBorder(src, framed, frame_px, frame_px, frame_px, frame_px, cv::BORDER_REFLECT_101);
  for (;;) {
    result.tile_px = tiles.empty() ? attempt.tile_px : std::max(tiles[0].core.width, tiles[0].core.height);
    absl::Status status = RunTiles(model, framed, frame_px, attempt.overlap_px, tiles, SplitThreads(attempt, tiles.size()),
                                   pass_work / PaddedArea(tiles), progress, dst);
    if (status.ok()) return result;
    if (!IsDeviceOutOfMemory(status)) return status;
    if (result.tile_px / 2 < kMinTilePx) {
      return Reworded(status, absl::StrCat(status.message(), " (even ", result.tile_px, "-px tiles do not fit)"));
    }
    // Halve the tile that failed (not the requested one: a small image's
    // tile is the image) and run the whole pass again.
    attempt.tile_px = result.tile_px / 2;
    attempt.max_split_overhead = 0;
    ++result.retries;
    progress.ResetTo(done_before);
    tiles = LayoutTilesIn(region, src.size(), attempt.tile_px, attempt.overlap_px);
  }
}

}  // namespace acuity
