// Tests of the CUDA path (ctest label `gpu`). Each needs a CUDA device that
// the LibTorch module sees; without one each says "skipped: no CUDA device"
// and counts as skipped, never as passed.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <string>

#include "analysis/io/image_io.h"
#include "analysis/measurements/quality_metrics.h"
#include "enhance/sr_backend.h"
#include "enhance/upscaler.h"
#include "tests/testing/test_images.h"  // PhotoPath only (inline): this program links no testing library

namespace acuity {
namespace {

// float16 and bfloat16 against float32: at least this PSNR (issue #22).
constexpr double kMinHalfPrecisionPsnrDb = 40.0;
// Tiled output must equal untiled output within 1/255: 1 level at 8 bits.
constexpr double kTiledTolerance8Bit = 1.0;

#define SKIP_WITHOUT_CUDA()                                                        \
  do {                                                                             \
    absl::StatusOr<const SrBackend*> backend = GetSrBackend();                     \
    if (!backend.ok() || (*backend)->CudaDevices().empty())                        \
      GTEST_SKIP() << "skipped: no CUDA device";                                   \
  } while (0)

UpscaleOptions OnCuda(const std::string& model, PrecisionMode precision) {
  UpscaleOptions o;
  o.model = model;
  o.factor = 4;
  // No model_dir: the registry's own search ($ACUITY_MODEL_DIR on a GPU
  // machine, models/gpu_run.sh; else the build tree's converted models).
  o.precision = precision;
  o.device.kind = DeviceRequest::Kind::kCuda;
  o.device.cuda_index = 0;
  return o;
}

// scikit-image's astronaut (512×512), read with acuity's own loader, not
// the testing library's OpenCV one: this program then needs no more
// libraries than `acuity` does, and travels to a GPU machine with them
// (models/gpu_pack.sh).
cv::Mat Astronaut() {
  const std::string path = testing::PhotoPath("astronaut");
  absl::StatusOr<Image> image = LoadImage(path);
  EXPECT_TRUE(image.ok()) << path << ": " << image.status();
  return image.ok() ? image->pixels : cv::Mat();
}

cv::Mat Crop(int size_px) { return Astronaut()(cv::Rect(64, 32, size_px, size_px)).clone(); }

double MaxAbsDiff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat d;
  cv::absdiff(a.reshape(1), b.reshape(1), d);
  double hi = 0;
  cv::minMaxLoc(d, nullptr, &hi);
  return hi;
}

class HalfPrecisionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HalfPrecisionTest, Fp16AndBf16StayWithin40DbOfFp32) {
  SKIP_WITHOUT_CUDA();
  const cv::Mat input = Crop(192);
  absl::StatusOr<UpscaleResult> fp32 = Upscale(input, OnCuda(GetParam(), PrecisionMode::kFp32));
  ASSERT_TRUE(fp32.ok()) << fp32.status();
  for (PrecisionMode mode : {PrecisionMode::kFp16, PrecisionMode::kBf16}) {
    absl::StatusOr<UpscaleResult> half = Upscale(input, OnCuda(GetParam(), mode));
    ASSERT_TRUE(half.ok()) << half.status();
    EXPECT_GE(PsnrY(fp32->pixels, half->pixels, 0), kMinHalfPrecisionPsnrDb) << half->passes[0];
  }
}

INSTANTIATE_TEST_SUITE_P(Models, HalfPrecisionTest,
                         ::testing::Values("esrgan-slim", "esrgan-thick", "realesr-general-x4v3",
                                           "realesrgan-x4plus"));

TEST(GpuTiledTest, TiledEqualsUntiled) {
  SKIP_WITHOUT_CUDA();
  const cv::Mat input = Crop(256);
  for (const char* model : {"esrgan-medium", "realesr-general-x4v3"}) {
    UpscaleOptions whole = OnCuda(model, PrecisionMode::kFp32);  // one tile: the image fits
    absl::StatusOr<UpscaleResult> untiled = Upscale(input, whole);
    ASSERT_TRUE(untiled.ok()) << untiled.status();
    UpscaleOptions tiled = whole;
    tiled.tile_px = 64;
    absl::StatusOr<UpscaleResult> r = Upscale(input, tiled);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_LE(MaxAbsDiff(untiled->pixels, r->pixels), kTiledTolerance8Bit) << model;
  }
}

TEST(GpuOutOfMemoryTest, ACappedAllocatorHalvesTheTileAndStillEqualsUntiled) {
  SKIP_WITHOUT_CUDA();
  const cv::Mat input = Astronaut();  // 512×512
  UpscaleOptions options = OnCuda("realesr-general-x4v3", PrecisionMode::kFp32);
  options.tile_px = 512;  // one tile, uncapped
  absl::StatusOr<UpscaleResult> reference = Upscale(input, options);
  ASSERT_TRUE(reference.ok()) << reference.status();
  EXPECT_EQ(reference->tile_retries, 0);
  // A cap on LibTorch's CUDA allocator through the module: 64 MB (the
  // one 512-px tile in float32 needs several hundred).
  const SrBackend& backend = **GetSrBackend();
  ASSERT_TRUE(backend.LimitDeviceMemory(SrDevice::Cuda(0), int64_t{64} << 20).ok());
  absl::StatusOr<UpscaleResult> capped = Upscale(input, options);
  ASSERT_TRUE(backend.LimitDeviceMemory(SrDevice::Cuda(0), 0).ok());
  ASSERT_TRUE(capped.ok()) << capped.status();
  EXPECT_GE(capped->tile_retries, 1);
  EXPECT_LE(MaxAbsDiff(reference->pixels, capped->pixels), kTiledTolerance8Bit);
}

TEST(GpuCancelTest, CancellingMidRunStops) {
  SKIP_WITHOUT_CUDA();
  UpscaleOptions options = OnCuda("realesrgan-x4plus", PrecisionMode::kAuto);
  options.tile_px = 64;
  int calls = 0;
  options.progress = [&](double fraction) { return fraction == 0.0 || ++calls < 2; };
  absl::StatusOr<UpscaleResult> r = Upscale(Crop(256), options);
  EXPECT_TRUE(absl::IsCancelled(r.status())) << r.status();
}

}  // namespace
}  // namespace acuity
