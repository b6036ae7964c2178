// Tests of `acuity qa` on real photos: a good enhancement (and the true
// high-resolution photo itself) passes; deliberately bad outputs fail on the
// check made for them.
#include "analysis/advice/qa.h"

#include <cstdio>
#include <utility>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/qa_test_util.h"
#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "analysis/json/qa_json.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/measurements/quality_metrics.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using testing::UnsharpMask;

// Builders of outputs from a clean input --------------------------------------

cv::Mat Downscale2(const cv::Mat& image) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(image.cols / 2, image.rows / 2), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat Lanczos(const cv::Mat& image, double factor) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(), factor, factor, cv::INTER_LANCZOS4);
  return out;
}

// A gentle sharpen whose result is clamped to the 3×3 range of its input, as
// a careful enhancer does (no new overshoot).
cv::Mat GuardedSharpen(const cv::Mat& image, double amount, double sigma_px) {
  cv::Mat sharp = UnsharpMask(image, amount, sigma_px), lo, hi;
  cv::erode(image, lo, cv::Mat());
  cv::dilate(image, hi, cv::Mat());
  return cv::min(cv::max(sharp, lo), hi);
}

cv::Mat GoodUpscale(const cv::Mat& input) { return GuardedSharpen(Lanczos(input, 2), 0.5, 1.0); }

// Adds dr to red and db to blue (saturating), as a colour-shifting enhancer.
cv::Mat ColourShift(const cv::Mat& bgr, int dr, int db) {
  cv::Mat out;
  cv::add(bgr, cv::Scalar(db, 0, dr), out);
  return out;
}

// A fine synthetic texture (a noise pattern, σ ≈ 6 levels, 2-px grain)
// pasted on `region`.
cv::Mat PasteTexture(const cv::Mat& bgr, cv::Rect region) {
  cv::RNG rng(1234);
  cv::Mat noise(region.height / 2 + 1, region.width / 2 + 1, CV_32F);
  rng.fill(noise, cv::RNG::NORMAL, 0, 8);
  cv::resize(noise, noise, cv::Size(), 2, 2, cv::INTER_NEAREST);
  cv::GaussianBlur(noise, noise, cv::Size(), 0.7);
  cv::Mat out = bgr.clone(), patch;
  out(region).convertTo(patch, CV_32FC3);
  std::vector<cv::Mat> ch;
  cv::split(patch, ch);
  for (cv::Mat& c : ch) c += noise(cv::Rect(0, 0, region.width, region.height));
  cv::merge(ch, patch);
  patch.convertTo(out(region), CV_8UC3);
  return out;
}

cv::Mat Blurred(const cv::Mat& bgr, double sigma_px) {
  cv::Mat out;
  cv::GaussianBlur(bgr, out, cv::Size(), sigma_px);
  return out;
}

using qa_test::Check;
using qa_test::Qa;

std::string Summary(const QaReport& report) {
  std::string s = std::string("verdict ") + QaStatusName(report.verdict) + ":";
  for (const QaCheck& c : report.checks)
    s += " " + c.name + "=" + std::to_string(c.value) + "(" + QaStatusName(c.status) + ")";
  return s;
}

// A high-resolution photo (scikit-image's), the input made from it by 2×
// area averaging, and a plain Lanczos enlargement of that input.
struct Case {
  std::string name;
  cv::Mat truth, input, plain;
};
Case MakeCase(const std::string& name) {
  Case c;
  c.name = name;
  c.truth = testing::LoadPhoto(name);
  if (c.truth.empty()) return c;
  c.truth = c.truth(cv::Rect(0, 0, c.truth.cols / 2 * 2, c.truth.rows / 2 * 2)).clone();
  c.input = Downscale2(c.truth);
  c.plain = Lanczos(c.input, 2);
  return c;
}

const char* const kPhotos[] = {"astronaut", "coffee", "chelsea"};

void ExpectAllPass(const QaReport& report) {
  EXPECT_EQ(report.verdict, QaStatus::kPass) << Summary(report);
  for (const QaCheck& c : report.checks) EXPECT_EQ(c.status, QaStatus::kPass) << c.name << ": " << c.message;
}

// The check made for a defect fails, and the verdict with it; `unrelated`
// checks stay below fail (a defect is reported where it belongs).
void ExpectFailsOn(const QaReport& report, const std::string& check,
                   const std::vector<std::string>& unrelated) {
  EXPECT_EQ(report.verdict, QaStatus::kFail) << Summary(report);
  EXPECT_EQ(Check(report, check).status, QaStatus::kFail) << Summary(report);
  for (const std::string& name : unrelated)
    EXPECT_NE(Check(report, name).status, QaStatus::kFail) << name << " in " << Summary(report);
}

TEST(Qa, TheTrueHighResolutionPhotoPasses) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, c.truth);
    ExpectAllPass(report);
    EXPECT_GT(report.metrics.fidelity_psnr_db, 50.0);  // the truth brought back is the input
    EXPECT_DOUBLE_EQ(report.metrics.scale_x, 2.0);
    EXPECT_EQ(report.metrics.compared_at, "input");
  }
}

TEST(Qa, AGoodEnhancementPasses) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    ExpectAllPass(Qa(c.input, GoodUpscale(c.input)));
  }
}

TEST(Qa, OverSharpeningFailsOnHalos) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, UnsharpMask(c.plain, 3.0, 1.5));
    ExpectFailsOn(report, "halo_overshoot_pct",
                  {"color_delta_e00_mean", "color_bias_8bit", "tile_seam_strength", "detail_retained"});
  }
}

TEST(Qa, AColourShiftFailsOnColour) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, ColourShift(c.plain, 12, -8));
    ExpectFailsOn(report, "color_bias_8bit",
                  {"fidelity_psnr_db", "halo_overshoot_pct", "fake_texture_pct", "noise_amplification",
                   "detail_retained", "tile_seam_strength"});
    EXPECT_EQ(Check(report, "color_delta_e00_mean").status, QaStatus::kFail) << Summary(report);
    // The bias is the shift (less what saturates at 0 and 255).
    EXPECT_NEAR(report.metrics.bias_r_8bit, 12.0, 1.5);
    EXPECT_NEAR(report.metrics.bias_g_8bit, 0.0, 0.3);
    EXPECT_NEAR(report.metrics.bias_b_8bit, -8.0, 1.5);
  }
}

TEST(Qa, FakeTextureInTheSkyFailsOnFakeTexture) {
  const Case c = MakeCase("rocket");
  ASSERT_FALSE(c.truth.empty());
  // The clear sky above the launch towers.
  const cv::Rect sky(100, 10, 440, 100);
  const QaReport report = Qa(c.input, PasteTexture(GoodUpscale(c.input), sky));
  ExpectFailsOn(report, "fake_texture_pct",
                {"color_delta_e00_mean", "color_bias_8bit", "halo_overshoot_pct", "detail_retained",
                 "tile_seam_strength"});
  // And the map shows where.
  const MeasurementMap* map = nullptr;
  for (const MeasurementMap& m : report.maps)
    if (m.name == "fake_texture") map = &m;
  ASSERT_NE(map, nullptr);
  cv::Mat outside = cv::Mat::ones(map->values.size(), CV_8U);
  outside(sky).setTo(0);
  EXPECT_GT(cv::mean(map->values(sky))[0], 10 * cv::mean(map->values, outside)[0]);
  // The same photo without the texture passes.
  ExpectAllPass(Qa(c.input, GoodUpscale(c.input)));
}

TEST(Qa, ATileSeamGridFailsOnTileSeams) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, testing::TileSeams(GoodUpscale(c.input), 64));
    ExpectFailsOn(report, "tile_seam_strength",
                  {"fidelity_psnr_db", "halo_overshoot_pct", "fake_texture_pct", "detail_retained",
                   "color_bias_8bit"});
    EXPECT_EQ(report.metrics.tile_seam_period_px, 64);
    EXPECT_EQ(report.metrics.tile_seam_offset_px, 64);
  }
}

TEST(Qa, ABlurredUpscaleFailsOnDetail) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, Blurred(c.plain, 3.0));
    ExpectFailsOn(report, "detail_retained",
                  {"halo_overshoot_pct", "fake_texture_pct", "color_bias_8bit", "tile_seam_strength",
                   "noise_amplification"});
  }
}

// An enlargement by copying pixels: brought back to the input's size it is
// the input exactly (fidelity 100 dB), and it passed every check though it
// looks blocky. ×2 and ×3 fail on the copied columns and rows; a screenshot
// enlarged smoothly, whose flat bands repeat columns already, does not.
TEST(Qa, AnEnlargementByCopyingPixelsFails) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    for (int k : {2, 3}) {
      cv::Mat copied;
      cv::resize(c.input, copied, cv::Size(), k, k, cv::INTER_NEAREST);
      const QaReport report = Qa(c.input, copied);
      ExpectFailsOn(report, "repeated_pixels_added_pct", {"color_delta_e00_mean", "tile_seam_strength"});
      EXPECT_NEAR(report.metrics.repeated_pixels_added_pct, 100.0 * (k - 1) / k, 3.0);
    }
    EXPECT_LT(Qa(c.input, c.plain).metrics.repeated_pixels_added_pct, 1.0);
    // Copied ×2 and saved as a JPEG: no column repeats exactly (it passed),
    // but nearly, as many.
    cv::Mat copied;
    cv::resize(c.input, copied, cv::Size(), 2, 2, cv::INTER_NEAREST);
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(".jpg", copied, bytes, {cv::IMWRITE_JPEG_QUALITY, 90}));
    const absl::StatusOr<Image> jpeg =
        DecodeImage(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "copied.jpg");
    ASSERT_TRUE(jpeg.ok()) << jpeg.status();
    const absl::StatusOr<QaReport> as_jpeg =
        RunQa(testing::WrapPixels(c.input), *jpeg, nullptr, QaThresholds::Defaults());
    ASSERT_TRUE(as_jpeg.ok()) << as_jpeg.status();
    EXPECT_GT(as_jpeg->metrics.repeated_pixels_added_pct, 30.0);
    EXPECT_NE(Check(*as_jpeg, "repeated_pixels_added_pct").status, QaStatus::kPass);
    // One column and row in four repeated, as a network whose output phases
    // round alike makes them (esrgan-slim ×4 of a small face): passes.
    cv::Mat phases = Lanczos(c.input, 4);
    for (int x = 1; x < phases.cols; x += 4) phases.col(x - 1).copyTo(phases.col(x));
    for (int y = 1; y < phases.rows; y += 4) phases.row(y - 1).copyTo(phases.row(y));
    const QaReport network = Qa(c.input, phases);
    EXPECT_NEAR(network.metrics.repeated_pixels_added_pct, 25.0, 1.0);
    EXPECT_EQ(Check(network, "repeated_pixels_added_pct").status, QaStatus::kPass);
  }
  cv::Mat ui(200, 300, CV_8UC3, cv::Scalar::all(240));
  ui(cv::Rect(0, 0, 300, 24)).setTo(cv::Scalar(80, 60, 45));
  cv::rectangle(ui, cv::Rect(40, 60, 120, 30), cv::Scalar(200, 120, 60), cv::FILLED);
  cv::putText(ui, "Apply", {60, 82}, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(255), 1, cv::LINE_AA);
  const QaReport smooth = Qa(ui, Lanczos(ui, 2));
  EXPECT_EQ(Check(smooth, "repeated_pixels_added_pct").status, QaStatus::kPass)
      << smooth.metrics.repeated_pixels_added_pct;
  // The same drawing copied ×2 repeats half of what it did not repeat itself.
  cv::Mat ui_copied;
  cv::resize(ui, ui_copied, cv::Size(), 2, 2, cv::INTER_NEAREST);
  const QaReport copied = Qa(ui, ui_copied);
  EXPECT_NEAR(copied.metrics.repeated_pixels_added_pct, 50.0, 3.0);
  EXPECT_EQ(Check(copied, "repeated_pixels_added_pct").status, QaStatus::kFail);
}

// A JPEG output is judged by its own tables: saved at 15 it fails (brought
// back to the input's size it read 47 dB and passed); at 92 it passes; a PNG
// is not measured.
TEST(Qa, ALowQualityJpegOutputFails) {
  const Case c = MakeCase("coffee");
  ASSERT_FALSE(c.truth.empty());
  Image input{c.input, {}};
  for (const auto& [quality, status] : {std::pair{15, QaStatus::kFail}, std::pair{60, QaStatus::kWarn},
                                        std::pair{92, QaStatus::kPass}}) {
    SCOPED_TRACE(quality);
    WriteOptions options;
    options.quality = quality;
    absl::StatusOr<std::string> bytes = EncodeImage(c.plain, ImageFormat::kJpeg, options);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    absl::StatusOr<Image> output = DecodeImage(*bytes, "out.jpg");
    ASSERT_TRUE(output.ok()) << output.status();
    absl::StatusOr<QaReport> report = RunQa(input, *output, nullptr, QaThresholds::Defaults());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->metrics.output_jpeg_quality, quality);
    EXPECT_EQ(Check(*report, "output_jpeg_quality").status, status) << Check(*report, "output_jpeg_quality").message;
  }
  const QaReport png = Qa(c.input, c.plain);
  EXPECT_FALSE(Check(png, "output_jpeg_quality").measured);
  EXPECT_EQ(Check(png, "output_jpeg_quality").status, QaStatus::kPass);
}

// Each measurement follows its defect's strength (a constant would not).
TEST(Qa, MeasurementsFollowTheStrengthOfTheDefect) {
  Case c = MakeCase("coffee");
  ASSERT_FALSE(c.truth.empty());
  c.input = c.input(cv::Rect(40, 30, 200, 160)).clone();  // the cup, 400×320 px out
  c.plain = Lanczos(c.input, 2);
  // No seams reads 0 (every line of the output is in the plain enlargement too).
  double last_halo = -1, last_detail = 1e9, last_bias = -1, last_seams = -1;
  for (double amount : {0.0, 1.0, 2.0, 3.0}) {
    const double halo = Qa(c.input, UnsharpMask(c.plain, amount, 1.5)).metrics.halo_overshoot_pct;
    EXPECT_GT(halo, last_halo) << amount;
    last_halo = halo;
  }
  for (double sigma : {0.5, 1.0, 2.0, 3.0}) {
    const double detail = Qa(c.input, Blurred(c.plain, sigma)).metrics.detail_retained;
    EXPECT_LT(detail, last_detail) << sigma;
    last_detail = detail;
  }
  for (int shift : {2, 5, 10}) {
    const double bias = Qa(c.input, ColourShift(c.plain, shift, 0)).metrics.bias_r_8bit;
    EXPECT_GT(bias, last_bias) << shift;
    EXPECT_NEAR(bias, shift, 0.5);
    last_bias = bias;
  }
  for (int tile : {0, 64}) {
    const cv::Mat out = tile ? testing::TileSeams(c.plain, tile) : c.plain;
    const double seams = Qa(c.input, out).metrics.tile_seam_strength;
    EXPECT_GT(seams, last_seams) << tile;
    last_seams = seams;
  }
}

// Issue #25, the walk's 128-px tiles on a 450×300 output passed: 3
// vertical and 2 horizontal seams, fewer than a periodic grid of one axis
// needs. A tiler's grid starts at the corner and runs both ways: read
// together, those lines are flagged (chelsea 3 + 2, astronaut 3 + 3, coffee
// 4 + 3; offsets of 1–3 levels, which astronaut's texture half masks: warn).
TEST(Qa, ATilersGridOfFewLinesPerAxisFails) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, testing::TileSeams(GoodUpscale(c.input), 128));
    EXPECT_NE(Check(report, "tile_seam_strength").status, QaStatus::kPass) << Summary(report);
    EXPECT_EQ(report.metrics.tile_seam_period_px, 128);
    EXPECT_EQ(report.metrics.tile_seam_offset_px, 128);
    ExpectAllPass(Qa(c.input, GoodUpscale(c.input)));
  }
}

TEST(Qa, AJpegBlockGridIsNotATileSeam) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const cv::Mat jpeg = testing::JpegRoundTrip(c.input, 30);
    const QaReport report = Qa(jpeg, Lanczos(jpeg, 2));
    EXPECT_EQ(Check(report, "tile_seam_strength").status, QaStatus::kPass) << Summary(report);
  }
}

TEST(Qa, SameSizeAndSmallerOutputs) {
  const Case c = MakeCase("chelsea");
  ASSERT_FALSE(c.truth.empty());
  // A gentle sharpen in place passes; a blur in place is flagged as lost detail.
  QaReport report = Qa(c.truth, GuardedSharpen(c.truth, 0.5, 1.0));
  ExpectAllPass(report);
  EXPECT_DOUBLE_EQ(report.metrics.scale_x, 1.0);
  report = Qa(c.truth, Blurred(c.truth, 2.0));
  EXPECT_EQ(Check(report, "detail_retained").status, QaStatus::kFail) << Summary(report);
  // A downscale is compared at the output's size and passes.
  report = Qa(c.truth, c.input);
  ExpectAllPass(report);
  EXPECT_EQ(report.metrics.compared_at, "output");
  EXPECT_DOUBLE_EQ(report.metrics.scale_x, 0.5);
}

TEST(Qa, SixteenBitAndGrayImages) {
  const Case c = MakeCase("astronaut");
  ASSERT_FALSE(c.truth.empty());
  const cv::Mat out = UnsharpMask(c.plain, 3.0, 1.5);
  cv::Mat in16, out16, in_gray, out_gray;
  c.input.convertTo(in16, CV_16U, 257);
  out.convertTo(out16, CV_16U, 257);
  const QaReport r8 = Qa(c.input, out), r16 = Qa(in16, out16);
  EXPECT_NEAR(r16.metrics.halo_overshoot_pct, r8.metrics.halo_overshoot_pct, 0.01);
  EXPECT_NEAR(r16.metrics.fidelity_psnr_db, r8.metrics.fidelity_psnr_db, 0.01);
  cv::cvtColor(c.input, in_gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(out, out_gray, cv::COLOR_BGR2GRAY);
  const QaReport gray = Qa(in_gray, out_gray);
  EXPECT_EQ(Check(gray, "halo_overshoot_pct").status, QaStatus::kFail);
  EXPECT_NEAR(gray.metrics.bias_r_8bit, gray.metrics.bias_b_8bit, 1e-9);
}

// A figure that cannot be measured is marked so (front ends then say "not
// measured"), with a neutral value that passes.
TEST(Qa, UnmeasurableFiguresAreMarked) {
  const cv::Mat flat(64, 64, CV_8UC3, cv::Scalar(90, 120, 150));
  cv::Mat enlarged;
  cv::resize(flat, enlarged, cv::Size(128, 128), 0, 0, cv::INTER_CUBIC);
  const QaReport report = Qa(flat, enlarged);
  EXPECT_FALSE(report.metrics.oversharpening_measured);
  EXPECT_FALSE(Check(report, "oversharpening_added").measured);
  EXPECT_EQ(Check(report, "oversharpening_added").status, QaStatus::kPass);
  EXPECT_EQ(Check(report, "noise_amplification").measured, report.metrics.noise_measured);
  EXPECT_TRUE(Check(report, "fidelity_psnr_db").measured);
  // In JSON a figure not measured is null, never its stand-in 0.
  EXPECT_TRUE(QaCheckToJson(Check(report, "oversharpening_added"))["value"].is_null());
  EXPECT_TRUE(QaCheckToJson(Check(report, "fidelity_psnr_db"))["value"].is_number());

  const Case c = MakeCase("astronaut");
  ASSERT_FALSE(c.truth.empty());
  const QaReport photo = Qa(c.input, c.plain);
  EXPECT_TRUE(Check(photo, "oversharpening_added").measured) << Summary(photo);
  EXPECT_TRUE(Check(photo, "noise_amplification").measured) << Summary(photo);
}

TEST(Qa, WithAReference) {
  const Case c = MakeCase("coffee");
  ASSERT_FALSE(c.truth.empty());
  const Image in = testing::WrapPixels(c.input), out = testing::WrapPixels(c.plain),
              ref = testing::WrapPixels(c.truth);
  absl::StatusOr<QaReport> report = RunQa(in, out, &ref, QaThresholds::Defaults());
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->reference.has_value());
  const FullReferenceMetrics expected = CompareWithReference(c.truth, c.plain, 2);
  EXPECT_EQ(report->reference->border_px, 2);
  EXPECT_DOUBLE_EQ(report->reference->psnr_y_db, expected.psnr_y_db);
  EXPECT_DOUBLE_EQ(report->reference->ssim, expected.ssim);
  bool has_ssim_map = false;
  for (const MeasurementMap& m : report->maps) has_ssim_map |= m.name == "ssim_loss";
  EXPECT_TRUE(has_ssim_map);

  const nlohmann::json j = QaReportToJson(*report, in.info, out.info, &ref.info);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_TRUE(j.contains("reference"));
  EXPECT_NEAR(j["metrics"]["reference"]["psnr_y_db"].get<double>(), expected.psnr_y_db, 1e-3);
  ASSERT_EQ(j["checks"].size(), report->checks.size());
  for (const auto& check : j["checks"]) {
    EXPECT_TRUE(check.contains("name") && check.contains("value") && check.contains("threshold") &&
                check.contains("status"));
  }
  EXPECT_FALSE(QaReportToJson(*report, in.info, out.info, nullptr).contains("reference"));

  const Image wrong = testing::WrapPixels(c.input);
  EXPECT_EQ(RunQa(in, out, &wrong, QaThresholds::Defaults()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Issue #14: a plain ×2 enlargement followed by an unsharp mask of amount 3,
// radius 1 px must fail. It only warned on halos (4.4–7.8 %, fail above 8);
// halo_crispness was set on astronaut, coffee, chelsea, rocket and camera
// (usm3 r1 7.1–22.6, the true photos ≤ 3.8) and is checked here on photos
// not used for that.
TEST(Qa, AStrongUnsharpMaskAfterAPlainEnlargementFails) {
  for (const char* name : {"motorcycle_left", "brick", "grass", "gravel"}) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const QaReport report = Qa(c.input, UnsharpMask(c.plain, 3.0, 1.0));
    EXPECT_EQ(report.verdict, QaStatus::kFail) << Summary(report);
    EXPECT_EQ(Check(report, "halo_crispness").status, QaStatus::kFail) << Summary(report);
    // The true photo of the same size passes it.
    EXPECT_EQ(Check(Qa(c.input, c.truth), "halo_crispness").status, QaStatus::kPass);
  }
}

// A perfect restoration of a JPEG-damaged input (the true photo) differs
// from the input by the blocking it removed: fidelity must not count that as
// changed structure (unsmoothed, astronaut's scored 28 dB: a warning).
TEST(Qa, RemovingTheInputsBlockingIsNotLostFidelity) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const Case c = MakeCase(name);
    ASSERT_FALSE(c.truth.empty());
    const cv::Mat blocky = testing::JpegRoundTrip(c.input, 35);
    const QaReport restored = Qa(blocky, c.truth);
    EXPECT_EQ(Check(restored, "fidelity_psnr_db").status, QaStatus::kPass) << Summary(restored);
    // A blurred output still loses fidelity against the same input.
    EXPECT_LT(Check(Qa(blocky, Blurred(Lanczos(blocky, 2), 3.0)), "fidelity_psnr_db").value,
              restored.metrics.fidelity_psnr_db);
  }
}

TEST(QaThresholds, OverridesAndJudges) {
  QaThresholds t = QaThresholds::Defaults();
  EXPECT_EQ(t.Judge("fidelity_psnr_db", 35), QaStatus::kPass);
  EXPECT_EQ(t.Judge("fidelity_psnr_db", 28), QaStatus::kWarn);
  EXPECT_EQ(t.Judge("fidelity_psnr_db", 20), QaStatus::kFail);
  EXPECT_EQ(t.Judge("halo_overshoot_pct", 1), QaStatus::kPass);
  EXPECT_EQ(t.Judge("halo_overshoot_pct", 20), QaStatus::kFail);
  ASSERT_TRUE(t.Override("fidelity_psnr_db=40, halo_overshoot_pct.fail=30,halo_overshoot_pct.warn=25").ok());
  EXPECT_EQ(t.Judge("fidelity_psnr_db", 35), QaStatus::kWarn);
  EXPECT_EQ(t.Judge("halo_overshoot_pct", 20), QaStatus::kPass);
  EXPECT_EQ(t.Judge("halo_overshoot_pct", 27), QaStatus::kWarn);
  EXPECT_FALSE(t.Override("no_such_check=1").ok());
  EXPECT_FALSE(t.Override("fidelity_psnr_db=abc").ok());
  EXPECT_FALSE(t.Override("fidelity_psnr_db").ok());
}

// Prints every check on every scenario and photo: the numbers the default
// thresholds were set from. Run with --gtest_also_run_disabled_tests.
TEST(QaCalibration, DISABLED_PrintAllScenarios) {
  for (const char* name : {"astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "camera",
                           "brick", "grass", "gravel"}) {
    const cv::Mat hr = testing::LoadPhoto(name);
    const cv::Mat in = Downscale2(hr);
    const cv::Mat plain = Lanczos(in, 2);
    cv::Mat noisy_in;
    {
      cv::Mat noise(in.size(), CV_32FC3);
      cv::RNG(7).fill(noise, cv::RNG::NORMAL, 0, 6);
      cv::Mat f;
      in.convertTo(f, CV_32FC3);
      cv::Mat(f + noise).convertTo(noisy_in, CV_8UC3);
    }
    const cv::Mat jpeg_in = testing::JpegRoundTrip(in, 40);
    struct Scenario {
      const char* label;
      cv::Mat input, output;
    } scenarios[] = {
        {"truth", in, hr},
        {"lanczos", in, plain},
        {"good", in, GoodUpscale(in)},
        {"usm3", in, UnsharpMask(plain, 3, 1.5)},
        {"usm1", in, UnsharpMask(plain, 1, 1.0)},
        {"usm3r1", in, UnsharpMask(plain, 3, 1.0)},
        {"usm2r1", in, UnsharpMask(plain, 2, 1.0)},
        {"good_noisy", noisy_in, GoodUpscale(noisy_in)},
        {"colour", in, ColourShift(plain, 12, -8)},
        {"seams64", in, testing::TileSeams(plain, 64)},
        {"blur3", in, Blurred(plain, 3)},
        {"blur1", in, Blurred(plain, 1)},
        {"texture_all", in, PasteTexture(plain, cv::Rect(0, 0, plain.cols, plain.rows))},
        {"same_size_blur", in, Blurred(in, 0.7)},
        {"downscale", in, Downscale2(in)},
        {"noisy_keep", noisy_in, Lanczos(noisy_in, 2)},
        {"noisy_usm", noisy_in, UnsharpMask(Lanczos(noisy_in, 2), 1.0, 1.0)},
        {"noisy_denoise", noisy_in, Blurred(Lanczos(noisy_in, 2), 1.5)},
        {"jpeg_lanczos", jpeg_in, Lanczos(jpeg_in, 2)},
        {"jpeg_lanczos3", jpeg_in, Lanczos(jpeg_in, 3)},
    };
    for (const Scenario& s : scenarios) {
      const QaReport r = Qa(s.input, s.output);
      std::printf("%-16s %-18s", name, s.label);
      for (const QaCheck& c : r.checks) std::printf(" %s=%.2f%s", c.name.c_str(), c.value,
                                                     c.status == QaStatus::kPass ? "" : (c.status == QaStatus::kWarn ? "(W)" : "(F)"));
      std::printf(" seam_period=%d flat=%.1f%%", r.metrics.tile_seam_period_px, r.metrics.flat_area_pct);
      cv::Mat luma;
      cv::cvtColor(s.output, luma, cv::COLOR_BGR2GRAY);
      luma.convertTo(luma, CV_32F);
      TileSeamMeasure cols = DetectColumnSeams(luma), rows = DetectColumnSeams(cv::Mat(luma.t()));
      std::printf(" | X z=%.1f P=%d step=%.2f K=%d | Y z=%.1f P=%d step=%.2f K=%d\n", cols.strength, cols.period_px, cols.step_8bit, cols.seams, rows.strength, rows.period_px, rows.step_8bit, rows.seams);
    }
  }
}

}  // namespace
}  // namespace acuity
