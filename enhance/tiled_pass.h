// One AI pass of an upscale, run tile by tile: the tile edge (measured on
// the CPU, from the free memory on a CUDA device), the tiles spread over
// worker threads, and — when the device runs out of memory on a tile — the
// tile halved and the pass run again, so that an upscale fails with "out of
// memory" (exit 4) only when even small tiles do not fit. The image is read
// framed by `overlap_px` mirrored pixels (at most its side less one), so a
// tile at its edge has context there too: a network pads its feature maps
// with zeros, which darkened the border of a white product shot. Lives on acuity's
// side of the model interface (sr_backend.h), so that a test can drive it
// with a fake network that refuses large tiles (tiled_pass_test.cc).
//
//   acuity::PassProgress progress(callback, total_padded_px);
//   acuity::TiledPassOptions o{.tile_px = 192, .overlap_px = 16, .threads = 2};
//   absl::StatusOr<acuity::TiledPassResult> r = acuity::RunTiledPass(model, src, o, progress, dst);
//   // r->tile_px: the edge that fitted; r->retries: how often it was halved
#ifndef ACUITY_ENHANCE_TILED_PASS_H_
#define ACUITY_ENHANCE_TILED_PASS_H_

#include <cstdint>
#include <mutex>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "enhance/sr_model.h"
#include "enhance/tiling.h"
#include "enhance/upscaler.h"

namespace acuity {

// Progress over all tiles of all passes, weighted by padded tile area.
// Thread-safe; the callback is called under a lock, one call at a time.
class PassProgress {
 public:
  PassProgress(ProgressCallback callback, double total_work);
  // Adds `work` done; false when the caller asked to cancel.
  bool Add(double work);
  // The work done so far, and going back to it (a pass run again).
  double Done() const;
  void ResetTo(double done);

 private:
  mutable std::mutex mu_;
  const ProgressCallback callback_;  // a copy: callers may pass a temporary
  double total_;
  double done_ = 0;
};

// The smallest tile edge (input px, core) tried after halving on a device
// out-of-memory; below it the pass fails.
inline constexpr int kMinTilePx = 32;

// Fraction of a device's free memory the network's working sets may take (the rest
// for the model's own buffers and cuDNN's workspaces as it picks kernels).
inline constexpr double kDeviceMemoryFraction = 0.7;

// At most this much device memory (bytes) for the working sets, however
// much is free: past ~1 MP a tile keeps a GPU busy, and a 4000×3000 photo
// in one 2000-px tile pair took 122 GB of an H200 (models/RESULTS.md, "GPU").
inline constexpr int64_t kDeviceTileBudgetBytes = int64_t{12} << 30;

// Tiles in flight on one CUDA device: two, so that one tile's host work
// (its input's and its output's conversions, the stitching) overlaps the
// other's turn in the network.
inline constexpr int kCudaTilesInFlight = 2;

// The network's working sets those tiles hold on the device at once: one.
// Their forwards, copies to and from the device included, take turns
// (SrModel::Run). Sized for two working sets, x4plus's tiles on a
// 4000×3000 photo were 666 px and carried 1.54× their area in margins;
// sized for one while both ran at once, two 1160-px tiles peaked at
// 16.9-22.3 GB of an H100 (models/RESULTS.md, "GPU").
inline constexpr int kCudaTileWorkingSets = 1;

// The tile edge (input px, core) for an image of `image` px on a device
// with `free_bytes` free, `working_sets` working sets of the network held
// at once (kCudaTileWorkingSets) at `bytes_per_padded_px`:
// the whole image as one tile when it fits, else the largest edge (a
// multiple of 8, at least kMinTilePx) whose padded tiles fit.
int DeviceTilePx(cv::Size image, int overlap_px, int working_sets, int64_t free_bytes, double bytes_per_padded_px);

struct TiledPassOptions {
  int tile_px = 128;       // first tile edge tried (input px, core)
  int overlap_px = 16;     // context margin, input px
  int threads = 1;         // CPU threads (tiles at a time × LibTorch intra-op)
  ThreadMode thread_mode = ThreadMode::kAuto;
  int max_workers = 0;     // tiles in flight at most; 0 = `threads` (a CUDA device: fewer)
  // Halving the tile while more tiles than workers would cost at most this
  // much extra work (padded over image area), so that every worker has a
  // tile; 0 = never split for that (a fixed --tile).
  double max_split_overhead = 1.4;
  // Run the network only over NetworkRegion (image_ops.h): the rest of the output is one
  // colour, the network's own response to the flat surround. false = every
  // tile of the image (tests compare the two).
  bool skip_flat_surround = true;
};

struct TiledPassResult {
  int tile_px = 0;   // the edge the pass finished with
  int retries = 0;   // times the tile was halved after the device ran out of memory
};

// The tiles RunTiledPass lays out first over `region` of an image of
// `size` (the whole image when region is omitted).
std::vector<Tile> PassTiles(const TiledPassOptions& options, cv::Size size);
std::vector<Tile> PassTiles(const TiledPassOptions& options, cv::Size size, cv::Rect region);


// Runs `model` over `src` (1 or 3 channels, BGR, 8/16-bit) into `dst`
// (scale× larger, allocated by the caller with its depth and 1/3/4
// channels; an alpha channel is left alone). Tiles write disjoint
// rectangles of dst; the calling thread is one of the workers. On a device
// out-of-memory status (IsDeviceOutOfMemory) the tile is halved and the
// pass run again, down to kMinTilePx; then that status. DataLoss when the
// model computes NaN or infinities in what is kept of a tile (its margin
// is not checked); Cancelled when `progress` says so.
// With options.skip_flat_surround the tiles cover NetworkRegion
// (image_ops.h) only — a product shot on white, a screenshot's margins:
// beyond it the network sees the flat surround alone —, and the rest of dst
// is the network's output at the centre of a flat patch of the surround's
// colour (2 margins + 8 px a side: its centre sees as much zero padding as a
// tile at the image's edge does), repeated on the grid of the input px.
absl::StatusOr<TiledPassResult> RunTiledPass(const SrModel& model, const cv::Mat& src,
                                             const TiledPassOptions& options, PassProgress& progress,
                                             cv::Mat& dst);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_TILED_PASS_H_
