#include "enhance/tiled_pass.h"

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <thread>
#include <chrono>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/guard.h"
#include "analysis/measurements/image_ops.h"
#include "enhance/sr_backend.h"
#include "enhance/sr_model.h"
#include "enhance/tiling.h"
#include "analysis/advice/sr_model_facts.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

constexpr int kScale = 2;
constexpr int kRadiusPx = 1;   // the fake's receptive radius (a 3×3 filter)
constexpr int kOverlapPx = 4;  // more than the radius: tiled = untiled exactly

// A ×2 "network" on the CPU: a fixed 3×3 filter (direct sums, so every
// output pixel is computed the same way whatever tile it is in), then
// nearest-neighbour ×2. Like a device with little memory, it refuses a
// tile of more than `max_px` input px with the device's out-of-memory status.
class FakeNetwork : public SrNetwork {
 public:
  FakeNetwork(int64_t max_px, std::atomic<int>& calls, std::atomic<int64_t>* px = nullptr)
      : max_px_(max_px), calls_(calls), px_(px) {}
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    ++calls_;
    if (px_ != nullptr) *px_ += static_cast<int64_t>(rgb.total());
    if (static_cast<int64_t>(rgb.total()) > max_px_) return DeviceOutOfMemoryError(SrDevice::Cuda(0), "upscaling");
    const cv::Mat kernel = (cv::Mat_<float>(3, 3) << 0.05f, 0.1f, 0.05f, 0.1f, 0.4f, 0.1f, 0.05f, 0.1f, 0.05f);
    cv::Mat filtered, out;
    cv::filter2D(rgb, filtered, CV_32F, kernel, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
    cv::resize(filtered, out, cv::Size(), kScale, kScale, cv::INTER_NEAREST);
    return out;
  }

 private:
  const int64_t max_px_;
  std::atomic<int>& calls_;
  std::atomic<int64_t>* px_;  // input px run, when given
};

// A network that always fails for lack of the host's memory.
class HostOomNetwork : public SrNetwork {
 public:
  explicit HostOomNetwork(std::atomic<int>& calls) : calls_(calls) {}
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    // The load-time probe (8×8) succeeds; every tile after it fails.
    if (rgb.total() <= 64) return cv::Mat(rgb.rows * kScale, rgb.cols * kScale, CV_32FC3, cv::Scalar::all(0.5));
    ++calls_;
    return OutOfMemoryError("upscaling");
  }

 private:
  std::atomic<int>& calls_;
};

// The spec of a test network of kScale: its name, input and output ranges
// and receptive radius (px).
ModelSpec TestSpec(const char* name, double input_range, double output_range, int receptive_radius_px) {
  ModelSpec spec;
  spec.name = name;
  spec.scale = kScale;
  spec.input_range = input_range;
  spec.output_range = output_range;
  spec.receptive_radius_px = receptive_radius_px;
  return spec;
}

std::unique_ptr<SrModel> FakeModel(std::unique_ptr<SrNetwork> network) {
  absl::StatusOr<std::unique_ptr<SrModel>> model =
      SrModel::FromNetwork(TestSpec("fake", 1, 1, kRadiusPx), SrPrecision::kFp16, SrDevice::Cuda(0),
                           std::move(network));
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? std::move(*model) : nullptr;
}

// The photo crop every test upscales: 200×150 px, 8-bit BGR.
cv::Mat Input() { return testing::LoadPhoto("astronaut")(cv::Rect(100, 60, 200, 150)).clone(); }

TiledPassOptions Options(int tile_px, int threads) {
  TiledPassOptions o;
  o.tile_px = tile_px;
  o.overlap_px = kOverlapPx;
  o.threads = threads;
  o.max_split_overhead = 0;
  return o;
}

// The whole image as one tile through a fake with no memory limit, every
// pixel through the network.
cv::Mat Untiled(const cv::Mat& input) {
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(INT64_MAX, calls));
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  PassProgress progress(nullptr, 1);
  TiledPassOptions o = Options(1000, 1);
  o.skip_flat_surround = false;
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, o, progress, dst);
  EXPECT_TRUE(r.ok()) << r.status();
  return dst;
}

double MaxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a.reshape(1), b.reshape(1), d);
  double hi = 0;
  cv::minMaxLoc(d, nullptr, &hi);
  return hi;
}

TEST(DeviceTilePxTest, OneTileWhenTheImageFits) {
  // 100×80 px × 10 B = 80 kB ≤ 70 % of 1 MB.
  EXPECT_EQ(DeviceTilePx(cv::Size(100, 80), 4, 2, 1'000'000, 10), 100);
  EXPECT_EQ(DeviceTilePx(cv::Size(60, 90), 4, 2, 1'000'000, 10), 90);
}

TEST(DeviceTilePxTest, LargestPaddedTilesThatFitForEveryWorker) {
  const cv::Size image(4000, 3000);
  const int overlap = 4, workers = 2;
  const int64_t free_bytes = 100'000'000;
  const double bytes_per_px = 100;
  const int tile = DeviceTilePx(image, overlap, workers, free_bytes, bytes_per_px);
  const auto fits = [&](int t) {
    return workers * bytes_per_px * std::pow(t + 2.0 * overlap, 2) <= kDeviceMemoryFraction * free_bytes;
  };
  EXPECT_EQ(tile % 8, 0);
  EXPECT_TRUE(fits(tile));
  EXPECT_FALSE(fits(tile + 8));
}

TEST(DeviceTilePxTest, ALargeDeviceSpendsAtMostTheTileBudget) {
  // realesrgan-x4plus (80-px margin, 8900 B per padded px in fp16) on a
  // 4000×3000 photo with 139 GiB free: the tiles in flight keep within
  // kDeviceTileBudgetBytes (on an H200 they took 122 GB before it).
  const int64_t free_bytes = int64_t{139} << 30;
  const int overlap = 80, workers = 2;
  const double bytes_per_px = 8900;
  const int tile = DeviceTilePx(cv::Size(4000, 3000), overlap, workers, free_bytes, bytes_per_px);
  const auto in_flight = [&](int t) { return workers * bytes_per_px * std::pow(t + 2.0 * overlap, 2); };
  EXPECT_LT(tile, 3000);
  EXPECT_LE(in_flight(tile), static_cast<double>(kDeviceTileBudgetBytes));
  EXPECT_GT(in_flight(tile + 8), static_cast<double>(kDeviceTileBudgetBytes));
  // An image whose one padded tile fits the budget stays one tile.
  EXPECT_EQ(DeviceTilePx(cv::Size(1024, 768), overlap, workers, free_bytes, bytes_per_px), 1024);
}

// The upscaler sizes a CUDA tile for one working set of the network (its
// tiles in flight take turns in it: TilesInFlightTakeTurnsInTheNetworkOnCudaOnly): on a
// large device, x4plus's 4000×3000 photo goes in twelve 1000-px tiles whose
// margins add under 1.25× the area; sized for two working sets, 30 tiles
// of about 600 px added over 1.4× (1.54× in the H200 run's layout).
TEST(DeviceTilePxTest, OneWorkingSetGivesX4plusTwelveTilesOnALargeDevice) {
  const cv::Size image(4000, 3000);
  const int overlap = 80;
  const auto padded_over_core = [&](int tile) {
    double padded = 0;
    for (const Tile& t : LayoutTiles(image, tile, overlap)) padded += t.padded.area();
    return padded / image.area();
  };
  const SrModelFacts& x4plus = *FindSrModelFacts("realesrgan-x4plus");
  ASSERT_EQ(x4plus.tile_overlap_px, overlap);
  const double bytes = x4plus.cuda.bytes_per_padded_px;
  const int one = DeviceTilePx(image, overlap, kCudaTileWorkingSets, int64_t{139} << 30, bytes);
  EXPECT_EQ(LayoutTiles(image, one, overlap).size(), 12u);
  EXPECT_LT(padded_over_core(one), 1.25);
  const int two = DeviceTilePx(image, overlap, 2, int64_t{139} << 30, bytes);
  EXPECT_GT(padded_over_core(two), 1.4);
}

TEST(DeviceTilePxTest, NeverBelowTheSmallestTile) {
  EXPECT_EQ(DeviceTilePx(cv::Size(4000, 3000), 80, 2, 1'000'000, 9000), kMinTilePx);
  EXPECT_EQ(DeviceTilePx(cv::Size(4000, 3000), 80, 2, -1, 9000), kMinTilePx);  // free memory not known
}

TEST(TiledPassTest, DeviceOutOfMemoryHalvesTheTileUntilItFitsAndEqualsUntiled) {
  const cv::Mat input = Input();
  const cv::Mat reference = Untiled(input);
  // One 200×150 tile (30000 px) is refused; halved, 100×75 cores padded to
  // at most 108×83 (8964 px) are too; halved again, 50×50 cores padded to
  // at most 58×58 (3364 px) fit under 4000: two retries.
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(4000, calls));
  ASSERT_NE(model, nullptr);
  double last_fraction = 0;
  const ProgressCallback callback = [&](double f) {
    last_fraction = f;
    return true;
  };
  std::vector<Tile> first = PassTiles(Options(200, 1), input.size());
  double work = 0;
  for (const Tile& t : first) work += t.padded.area();
  PassProgress progress(callback, work);
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, Options(200, 1), progress, dst);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->retries, 2);
  EXPECT_EQ(r->tile_px, 50);
  EXPECT_EQ(MaxAbsDiff(dst, reference), 0.0);
  EXPECT_NEAR(last_fraction, 1.0, 1e-9);  // the pass counts its work once, whatever layout finished it
}

TEST(TiledPassTest, TwoWorkersAfterAHalvingStillEqualUntiled) {
  const cv::Mat input = Input();
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(12000, calls));
  ASSERT_NE(model, nullptr);
  PassProgress progress(nullptr, 1);
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, Options(200, 2), progress, dst);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->retries, 1);  // 30000 px refused; 108×83 padded tiles fit under 12000
  EXPECT_EQ(MaxAbsDiff(dst, Untiled(input)), 0.0);
}

TEST(TiledPassTest, OutOfMemoryEvenAtTheSmallestTileIsTheDevicesFault) {
  const cv::Mat input = Input();
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(100, calls));
  ASSERT_NE(model, nullptr);
  PassProgress progress(nullptr, 1);
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, Options(200, 1), progress, dst);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsResourceExhausted(r.status()));
  EXPECT_TRUE(IsDeviceOutOfMemory(r.status()));
  EXPECT_TRUE(IsMachineResourceError(r.status()));  // exit 4
}

TEST(TiledPassTest, HostOutOfMemoryIsNotRetried) {
  const cv::Mat input = Input();
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<HostOomNetwork>(calls));
  ASSERT_NE(model, nullptr);
  PassProgress progress(nullptr, 1);
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, Options(200, 1), progress, dst);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsMachineResourceError(r.status()));
  EXPECT_FALSE(IsDeviceOutOfMemory(r.status()));
  EXPECT_EQ(calls.load(), 1);
}

TEST(TiledPassTest, CancellingStopsThePass) {
  const cv::Mat input = Input();
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(INT64_MAX, calls));
  ASSERT_NE(model, nullptr);
  const ProgressCallback cancel = [](double) { return false; };
  PassProgress progress(cancel, 1);
  cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
  absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, input, Options(50, 1), progress, dst);
  EXPECT_TRUE(absl::IsCancelled(r.status())) << r.status();
  EXPECT_EQ(calls.load(), 1 + 1);  // the probe at load, then one tile
}

// A product shot: `object` px of photo centred on a flat `background`.
cv::Mat Shot(cv::Size canvas, cv::Size object, cv::Scalar background, int type = CV_8UC3) {
  cv::Mat shot(canvas, CV_8UC3, background);
  Input()(cv::Rect(cv::Point(0, 0), object)).copyTo(
      shot(cv::Rect((canvas.width - object.width) / 2, (canvas.height - object.height) / 2, object.width,
                    object.height)));
  if (CV_MAT_DEPTH(type) == CV_16U) shot.convertTo(shot, CV_16UC3, 257);
  if (CV_MAT_CN(type) == 1) cv::cvtColor(shot, shot, cv::COLOR_BGR2GRAY);
  return shot;
}

// A pointwise ×2 "network": each input value v (RGB, [0, 255]) becomes
// 3v − 100, nearest-neighbour enlarged: outputs below 0 and above the
// output range, and (at output range 510, a factor of exactly 0.5 to 8
// bits) ties halfway between two levels for every odd v.
class AffineNetwork : public SrNetwork {
 public:
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    cv::Mat out;
    cv::resize(rgb * 3.0 - 100.0, out, cv::Size(), kScale, kScale, cv::INTER_NEAREST);
    return out;
  }
};

// The tiles' outputs are written as OpenCV's own conversion writes them:
// the whole result equals cvtColor + convertTo of the network's output
// (clamped at both ends, ties to even, 8 and 16 bits), whatever the tiling
// and the threads.
TEST(TiledPassTest, OutputsAreConvertedAsOpenCvConvertsThem) {
  absl::StatusOr<std::unique_ptr<SrModel>> model =
      SrModel::FromNetwork(TestSpec("affine", 255, 510, 0), SrPrecision::kFp32, SrDevice::Cpu(),
                           std::make_unique<AffineNetwork>());
  ASSERT_TRUE(model.ok()) << model.status();
  for (int depth : {CV_8U, CV_16U}) {
    cv::Mat input = Input();
    if (depth == CV_16U) input.convertTo(input, CV_16U, 257.0);
    // The reference: the model's input as ModelInput makes it, the
    // network's arithmetic, then OpenCV's conversion to the depth.
    cv::Mat f;
    input.convertTo(f, CV_32F, 255.0 / (depth == CV_8U ? 255.0 : 65535.0));
    cv::Mat enlarged, expected;
    cv::resize(f * 3.0 - 100.0, enlarged, cv::Size(), kScale, kScale, cv::INTER_NEAREST);
    enlarged.convertTo(expected, depth, (depth == CV_8U ? 255.0 : 65535.0) / 510.0);
    for (const auto& [tile, threads] : {std::pair{1000, 1}, std::pair{48, 2}}) {
      SCOPED_TRACE(::testing::Message() << "depth " << depth << ", tile " << tile << ", threads " << threads);
      cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
      PassProgress progress(nullptr, 1);
      TiledPassOptions o = Options(tile, threads);
      o.overlap_px = 0;
      o.skip_flat_surround = false;
      absl::StatusOr<TiledPassResult> r = RunTiledPass(**model, input, o, progress, dst);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(cv::norm(dst, expected, cv::NORM_INF), 0.0);
    }
  }
}

// A ×2 network whose output is NaN in one pixel of every tile's kept part
// (its centre) or only in the margin it leaves (its corner).
class NanNetwork : public SrNetwork {
 public:
  explicit NanNetwork(bool in_margin) : in_margin_(in_margin) {}
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    cv::Mat out;
    cv::resize(rgb, out, cv::Size(), kScale, kScale, cv::INTER_NEAREST);
    if (rgb.total() > 64) {  // not the load's 8×8 probe
      const cv::Point at = in_margin_ ? cv::Point(0, 0) : cv::Point(out.cols / 2, out.rows / 2);
      out.at<cv::Vec3f>(at)[1] = std::numeric_limits<float>::quiet_NaN();
    }
    return out;
  }

 private:
  const bool in_margin_;
};

// A network that computes NaN where its output is kept is a broken model
// (DataLoss naming it), for 8 and 16 bits; NaN in a margin that is cut
// away writes nothing and is not an error.
TEST(TiledPassTest, NanInTheKeptOutputIsDataLossNotBlack) {
  for (const bool in_margin : {false, true}) {
    for (int depth : {CV_8U, CV_16U}) {
      absl::StatusOr<std::unique_ptr<SrModel>> model =
          SrModel::FromNetwork(TestSpec("nan", 1, 1, kRadiusPx), SrPrecision::kFp32, SrDevice::Cpu(),
                               std::make_unique<NanNetwork>(in_margin));
      ASSERT_TRUE(model.ok()) << model.status();
      cv::Mat input = Input();
      if (depth == CV_16U) input.convertTo(input, CV_16U, 257.0);
      cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
      PassProgress progress(nullptr, 1);
      TiledPassOptions o = Options(64, 1);
      o.skip_flat_surround = false;
      absl::StatusOr<TiledPassResult> r = RunTiledPass(**model, input, o, progress, dst);
      SCOPED_TRACE(::testing::Message() << (in_margin ? "margin" : "kept part") << ", depth " << depth);
      if (in_margin) {
        EXPECT_TRUE(r.ok()) << r.status();
      } else {
        EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
        EXPECT_NE(std::string(r.status().message()).find("not numbers"), std::string::npos);
      }
    }
  }
}

// A ×2 network that notes how many of its calls run at once, each call
// lasting long enough (20 ms) for two workers' calls to meet.
class ConcurrencyNetwork : public SrNetwork {
 public:
  explicit ConcurrencyNetwork(std::atomic<int>& most) : most_(most) {}
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    const int now = ++running_;
    for (int seen = most_; now > seen && !most_.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --running_;
    cv::Mat out;
    cv::resize(rgb, out, cv::Size(), kScale, kScale, cv::INTER_NEAREST);
    return out;
  }

 private:
  std::atomic<int>& most_;
  mutable std::atomic<int> running_{0};
};

// Two tiles in flight on a CUDA device take turns in the network (one
// working set on the device at a time: DeviceTilePx sizes the tile for
// one); on the CPU they run together.
TEST(TiledPassTest, TilesInFlightTakeTurnsInTheNetworkOnCudaOnly) {
  for (const SrDevice device : {SrDevice::Cuda(0), SrDevice::Cpu()}) {
    std::atomic<int> most{0};
    absl::StatusOr<std::unique_ptr<SrModel>> model =
        SrModel::FromNetwork(TestSpec("concurrency", 1, 1, 0), SrPrecision::kFp32, device,
                             std::make_unique<ConcurrencyNetwork>(most));
    ASSERT_TRUE(model.ok()) << model.status();
    most = 0;  // the load's probe ran alone
    const cv::Mat input = Input();
    cv::Mat dst(input.rows * kScale, input.cols * kScale, input.type());
    PassProgress progress(nullptr, 1);
    TiledPassOptions o = Options(40, 2);
    o.max_workers = 2;
    o.skip_flat_surround = false;
    ASSERT_TRUE(RunTiledPass(**model, input, o, progress, dst).ok());
    EXPECT_EQ(most.load(), device.is_cuda() ? 1 : 2) << device.Name();
  }
}

TEST(NetworkRegionTest, TheBoxOfWhatIsNotTheSurroundGrownByTheMargin) {
  const cv::Mat shot = Shot({300, 200}, {60, 40}, cv::Scalar(250, 240, 230));
  EXPECT_EQ(NetworkRegion(shot, 4), cv::Rect(120 - 4, 80 - 4, 60 + 8, 40 + 8));
  EXPECT_EQ(NetworkRegion(shot, 200), cv::Rect(0, 0, 300, 200));  // clipped to the image
  // One channel off by one level is not the surround.
  cv::Mat marked = shot.clone();
  marked.at<cv::Vec3b>(10, 290)[1] += 1;
  EXPECT_EQ(NetworkRegion(marked, 4), cv::Rect(120 - 4, 6, 290 + 5 - 116, 124 - 6));
  EXPECT_EQ(NetworkRegion(cv::Mat(50, 40, CV_16UC1, cv::Scalar(1000)), 4), cv::Rect());  // one colour
  EXPECT_EQ(NetworkRegion(Input(), 4), cv::Rect(0, 0, 200, 150));  // a photo: all of it
}

// The network runs only over the object and its margin, and the output is
// the untiled one exactly (the fake's radius is within the margin), for
// 8/16-bit, colour and gray, white and coloured surrounds.
TEST(TiledPassTest, AFlatSurroundIsNotRunAndComesOutAsTheNetworksOwn) {
  for (const int type : {CV_8UC3, CV_16UC3, CV_8UC1}) {
    for (const cv::Scalar& background : {cv::Scalar::all(255), cv::Scalar(30, 120, 200)}) {
      const cv::Mat shot = Shot({400, 300}, {80, 60}, background, type);
      std::atomic<int> calls{0};
      std::atomic<int64_t> px{0};
      std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(INT64_MAX, calls, &px));
      ASSERT_NE(model, nullptr);
      px = 0;  // not the probe at load
      double last_fraction = 0;
      std::vector<Tile> every = PassTiles(Options(64, 2), shot.size());
      double work = 0;
      for (const Tile& t : every) work += t.padded.area();
      PassProgress counted([&](double f) { return last_fraction = f, true; }, work);
      cv::Mat dst(shot.rows * kScale, shot.cols * kScale, shot.type());
      absl::StatusOr<TiledPassResult> r = RunTiledPass(*model, shot, Options(64, 2), counted, dst);
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(MaxAbsDiff(dst, Untiled(shot)), 0.0) << type << " " << background;
      // The object's box grown by the margin, in two tiles a side with their
      // own margins, and the flat patch (2 × 4 + 8 px a side).
      const double region_px = (80 + 6 * kOverlapPx) * (60 + 6 * kOverlapPx);
      EXPECT_EQ(px.load(), region_px + 16 * 16) << type;
      EXPECT_NEAR(last_fraction, 1.0, 1e-9);
    }
  }
}

TEST(TiledPassTest, AnImageOfOneColourRunsOnlyTheFlatPatch) {
  const cv::Mat flat(300, 200, CV_8UC3, cv::Scalar(10, 20, 30));
  std::atomic<int> calls{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(INT64_MAX, calls));
  ASSERT_NE(model, nullptr);
  const int probe_calls = calls.load();
  PassProgress progress(nullptr, 1);
  cv::Mat dst(flat.rows * kScale, flat.cols * kScale, flat.type());
  ASSERT_TRUE(RunTiledPass(*model, flat, Options(64, 1), progress, dst).ok());
  EXPECT_EQ(calls.load(), probe_calls + 1);
  EXPECT_EQ(MaxAbsDiff(dst, Untiled(flat)), 0.0);
}

// A flat border that saves less network work than the flat patch costs (a
// 40-px image, a 5-px border: the region's tile with its margin is the whole
// image's, the patch would cost 256 px): the whole image runs as one tile,
// read with its mirrored frame, and no patch.
TEST(TiledPassTest, ANarrowFlatBorderIsRunLikeTheRest) {
  const cv::Mat shot = Shot({40, 40}, {30, 30}, cv::Scalar::all(255));
  ASSERT_EQ(NetworkRegion(shot, kOverlapPx), cv::Rect(1, 1, 38, 38));  // smaller than the image
  std::atomic<int> calls{0};
  std::atomic<int64_t> px{0};
  std::unique_ptr<SrModel> model = FakeModel(std::make_unique<FakeNetwork>(INT64_MAX, calls, &px));
  ASSERT_NE(model, nullptr);
  const int probe_calls = calls.load();
  px = 0;
  PassProgress progress(nullptr, 1);
  cv::Mat dst(shot.rows * kScale, shot.cols * kScale, shot.type());
  ASSERT_TRUE(RunTiledPass(*model, shot, Options(1000, 1), progress, dst).ok());
  EXPECT_EQ(calls.load(), probe_calls + 1);  // one tile, no flat patch
  EXPECT_EQ(px.load(), (40 + 2 * kOverlapPx) * (40 + 2 * kOverlapPx));
}

}  // namespace
}  // namespace acuity
