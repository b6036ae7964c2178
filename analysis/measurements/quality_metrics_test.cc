// Golden-value tests of the full-reference metrics against scikit-image and
// the numpy references of tests/data/qa_golden/make_goldens.py, on real
// photos with degradations that are exact in integer arithmetic (rebuilt here
// pixel for pixel, checked by the checksum the script recorded).
#include "analysis/measurements/quality_metrics.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

constexpr double kPsnrToleranceDb = 0.01;
constexpr double kSsimTolerance = 0.001;
constexpr double kGmsdTolerance = 0.0005;
constexpr double kDeltaETolerance = 0.01;

// --- The degradations of make_goldens.py, mirrored (RGB sample order) -------

uint32_t Hash32(uint32_t v) {
  v ^= v >> 16;
  v *= 0x7FEB352Du;
  v ^= v >> 15;
  v *= 0x846CA68Bu;
  v ^= v >> 16;
  return v;
}

// Sample (y, x, rgb channel c) of an 8-bit BGR image.
uint8_t& At(cv::Mat& bgr, int y, int x, int c) { return bgr.at<cv::Vec3b>(y, x)[2 - c]; }
uint8_t At(const cv::Mat& bgr, int y, int x, int c) { return bgr.at<cv::Vec3b>(y, x)[2 - c]; }

cv::Mat AddNoise(const cv::Mat& in, int amplitude) {
  cv::Mat out = in.clone();
  for (int y = 0; y < in.rows; ++y)
    for (int x = 0; x < in.cols; ++x)
      for (int c = 0; c < 3; ++c) {
        const uint32_t idx = static_cast<uint32_t>((y * in.cols + x) * 3 + c);
        const int n = static_cast<int>(Hash32(idx) % static_cast<uint32_t>(2 * amplitude + 1)) - amplitude;
        At(out, y, x, c) = cv::saturate_cast<uint8_t>(At(in, y, x, c) + n);
      }
  return out;
}

cv::Mat BinomialBlur(const cv::Mat& in) {
  cv::Mat out = in.clone();
  const int w[3] = {1, 2, 1};
  for (int y = 0; y < in.rows; ++y)
    for (int x = 0; x < in.cols; ++x)
      for (int c = 0; c < 3; ++c) {
        int acc = 0;
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx)
            acc += w[dy + 1] * w[dx + 1] *
                   At(in, std::clamp(y + dy, 0, in.rows - 1), std::clamp(x + dx, 0, in.cols - 1), c);
        At(out, y, x, c) = static_cast<uint8_t>((acc + 8) >> 4);
      }
  return out;
}

cv::Mat AreaDown2(const cv::Mat& in) {
  cv::Mat out(in.rows / 2, in.cols / 2, CV_8UC3);
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x)
      for (int c = 0; c < 3; ++c)
        At(out, y, x, c) = static_cast<uint8_t>((At(in, 2 * y, 2 * x, c) + At(in, 2 * y + 1, 2 * x, c) +
                                                 At(in, 2 * y, 2 * x + 1, c) +
                                                 At(in, 2 * y + 1, 2 * x + 1, c) + 2) >> 2);
  return out;
}

cv::Mat BilinearUp2(const cv::Mat& in) {
  cv::Mat out(in.rows * 2, in.cols * 2, CV_8UC3);
  for (int y = 0; y < in.rows; ++y)
    for (int x = 0; x < in.cols; ++x)
      for (int oy = 0; oy < 2; ++oy)
        for (int ox = 0; ox < 2; ++ox) {
          const int ny = std::clamp(y + (oy ? 1 : -1), 0, in.rows - 1);
          const int nx = std::clamp(x + (ox ? 1 : -1), 0, in.cols - 1);
          for (int c = 0; c < 3; ++c)
            At(out, 2 * y + oy, 2 * x + ox, c) = static_cast<uint8_t>(
                (9 * At(in, y, x, c) + 3 * At(in, ny, x, c) + 3 * At(in, y, nx, c) + At(in, ny, nx, c) + 8) >> 4);
        }
  return out;
}

cv::Mat Tint(const cv::Mat& in, int dr, int db) {
  cv::Mat out = in.clone();
  for (int y = 0; y < in.rows; ++y)
    for (int x = 0; x < in.cols; ++x) {
      At(out, y, x, 0) = cv::saturate_cast<uint8_t>(At(in, y, x, 0) + dr);
      At(out, y, x, 2) = cv::saturate_cast<uint8_t>(At(in, y, x, 2) + db);
    }
  return out;
}

cv::Mat Degrade(const cv::Mat& ref, const std::string& kind) {
  if (kind == "noise8") return AddNoise(ref, 8);
  if (kind == "noise3") return AddNoise(ref, 3);
  if (kind == "blur") return BinomialBlur(ref);
  if (kind == "sr2") return BilinearUp2(AreaDown2(ref));
  if (kind == "tint") return Tint(ref, 6, -4);
  ADD_FAILURE() << "unknown degradation " << kind;
  return ref;
}

int64_t Checksum(const cv::Mat& bgr) {
  int64_t sum = 0, idx = 0;
  for (int y = 0; y < bgr.rows; ++y)
    for (int x = 0; x < bgr.cols; ++x)
      for (int c = 0; c < 3; ++c, ++idx) sum += (idx % 251 + 1) * At(bgr, y, x, c);
  return sum;
}

nlohmann::json LoadGoldens() {
  std::ifstream in(testing::SourceDir() + "/tests/data/qa_golden/goldens.json");
  EXPECT_TRUE(in.good()) << "missing tests/data/qa_golden/goldens.json";
  return in.good() ? nlohmann::json::parse(in) : nlohmann::json();
}

TEST(QualityMetricsGolden, AgreesWithScikitImageAndNumpyReferences) {
  const nlohmann::json goldens = LoadGoldens();
  ASSERT_GE(goldens["cases"].size(), 5u);
  for (const nlohmann::json& g : goldens["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const cv::Mat photo = testing::LoadPhoto(g["photo"]);
    ASSERT_FALSE(photo.empty());
    const cv::Mat ref = photo(cv::Rect(g["x"], g["y"], g["width"], g["height"])).clone();
    const cv::Mat test = Degrade(ref, g["degradation"]);
    ASSERT_EQ(Checksum(ref), g["reference_checksum"].get<int64_t>());
    ASSERT_EQ(Checksum(test), g["test_checksum"].get<int64_t>());
    const int border = g["border_px"];

    const FullReferenceMetrics m = CompareWithReference(ref, test, border);
    EXPECT_NEAR(m.psnr_y_db, g["psnr_y_db"].get<double>(), kPsnrToleranceDb);
    EXPECT_NEAR(PsnrY(ref, test, border), g["psnr_y_db"].get<double>(), kPsnrToleranceDb);
    EXPECT_NEAR(SsimY(ref, test, border), g["ssim"].get<double>(), kSsimTolerance);
    EXPECT_NEAR(m.ssim, g["ssim"].get<double>(), kSsimTolerance);
    EXPECT_NEAR(m.ms_ssim, g["ms_ssim"].get<double>(), kSsimTolerance);
    EXPECT_EQ(m.ms_ssim_scales, 5);
    EXPECT_NEAR(m.gmsd, g["gmsd"].get<double>(), kGmsdTolerance);

    const cv::Mat delta_e = DeltaE2000Map(ref, test);
    EXPECT_NEAR(cv::mean(delta_e)[0], g["delta_e00_mean"].get<double>(), kDeltaETolerance);
    EXPECT_NEAR(Percentile(delta_e, 95), g["delta_e00_p95"].get<double>(), kDeltaETolerance);
  }
}

// The metrics must order a ladder of degradations the right way (a constant
// or a sign error would not).
TEST(QualityMetrics, FollowTheDegradationLadder) {
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  ASSERT_FALSE(photo.empty());
  cv::Mat ref;
  cv::resize(photo, ref, cv::Size(256, 256), 0, 0, cv::INTER_AREA);
  double last_psnr = std::numeric_limits<double>::infinity(), last_ssim = 1.0 + 1e-9,
         last_ms_ssim = 1.0 + 1e-9, last_gmsd = -1.0;
  for (double sigma : {0.6, 1.2, 2.0, 3.0}) {
    cv::Mat blurred;
    cv::GaussianBlur(ref, blurred, cv::Size(), sigma);
    const FullReferenceMetrics m = CompareWithReference(ref, blurred, 0);
    SCOPED_TRACE(sigma);
    EXPECT_LT(m.psnr_y_db, last_psnr);
    EXPECT_LT(m.ssim, last_ssim);
    EXPECT_LT(m.ms_ssim, last_ms_ssim);
    EXPECT_GT(m.gmsd, last_gmsd);
    last_psnr = m.psnr_y_db;
    last_ssim = m.ssim;
    last_ms_ssim = m.ms_ssim;
    last_gmsd = m.gmsd;
  }
}

TEST(QualityMetrics, IdenticalImages) {
  const cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_FALSE(photo.empty());
  const FullReferenceMetrics m = CompareWithReference(photo, photo, 2);
  EXPECT_TRUE(std::isinf(m.psnr_y_db));
  EXPECT_NEAR(m.ssim, 1.0, 1e-9);
  EXPECT_NEAR(m.ms_ssim, 1.0, 1e-9);
  EXPECT_NEAR(m.gmsd, 0.0, 1e-9);
  EXPECT_NEAR(cv::mean(DeltaE2000Map(photo, photo))[0], 0.0, 1e-6);
  const cv::Mat map = SsimMapY(photo, photo);
  EXPECT_EQ(map.size(), photo.size());
  EXPECT_EQ(map.type(), CV_32FC1);
}

TEST(QualityMetrics, SmallImagesUseTheScalesThatFit) {
  const cv::Mat photo = testing::LoadPhoto("chelsea");
  ASSERT_FALSE(photo.empty());
  const cv::Mat ref = photo(cv::Rect(100, 40, 96, 96)).clone();
  int scales = 0;
  const double value = MsSsimY(ref, AddNoise(ref, 8), 0, &scales);
  EXPECT_EQ(scales, 4);  // 96, 48, 24, 12 px
  EXPECT_GT(value, 0.5);
  EXPECT_LT(value, 1.0);
  EXPECT_TRUE(std::isnan(MsSsimY(ref(cv::Rect(0, 0, 10, 10)), ref(cv::Rect(0, 0, 10, 10)), 0)));
}

TEST(QualityMetrics, SixteenBitAndGrayMatchEightBit) {
  const cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_FALSE(photo.empty());
  const cv::Mat ref = photo(cv::Rect(0, 0, 200, 160)).clone();
  const cv::Mat test = AddNoise(ref, 5);
  cv::Mat ref16, test16;
  ref.convertTo(ref16, CV_16U, 257);
  test.convertTo(test16, CV_16U, 257);
  EXPECT_NEAR(PsnrY(ref16, test16, 0), PsnrY(ref, test, 0), 1e-6);
  EXPECT_NEAR(SsimY(ref16, test16, 0), SsimY(ref, test, 0), 1e-6);
  cv::Mat gray_ref, gray_test;
  cv::cvtColor(ref, gray_ref, cv::COLOR_BGR2GRAY);
  cv::cvtColor(test, gray_test, cv::COLOR_BGR2GRAY);
  cv::Mat gray_ref3, gray_test3;
  cv::cvtColor(gray_ref, gray_ref3, cv::COLOR_GRAY2BGR);
  cv::cvtColor(gray_test, gray_test3, cv::COLOR_GRAY2BGR);
  EXPECT_NEAR(Gmsd(gray_ref, gray_test, 0), Gmsd(gray_ref3, gray_test3, 0), 1e-9);
}

TEST(QualityMetrics, PercentileInterpolatesLikeNumpy) {
  cv::Mat v = (cv::Mat_<float>(1, 5) << 5, 1, 4, 2, 3);
  EXPECT_DOUBLE_EQ(Percentile(v, 50), 3.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 95), 4.8);
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 100), 5.0);
}

}  // namespace
}  // namespace acuity
