// A UI screenshot through the whole chain: analysed as graphics (no noise,
// full resolution), advised a PNG, its verdicts clean, and QA of a plain
// Lanczos enlargement passing the seam and painted-flat checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>
#include <variant>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/advisor.h"
#include "analysis/advice/qa.h"
#include "analysis/advice/verdicts.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/measurements/oversharpening.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/rendered_text.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/wild_degradations.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using testing::UiStyle;

// `pixels` saved as a JPEG at `quality` and read back as its file is (info.jpeg set).
Image JpegFile(const cv::Mat& pixels, int quality) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(".jpg", pixels, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}));
  absl::StatusOr<Image> image =
      DecodeImage(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "picture.jpg");
  EXPECT_TRUE(image.ok()) << image.status();
  EXPECT_TRUE(image.ok() && image->info.jpeg.has_value());
  return image.ok() ? *std::move(image) : Image{};
}

AnalysisReport AnalyzeWithTarget(const cv::Mat& pixels, const char* target) {
  AnalyzeOptions options;
  options.target = *ParseTargetSpec(target);
  return Analyze(testing::WrapPixels(pixels), options);
}

const EncodeStep* Encode(const Plan& plan) {
  for (const PlanStep& s : plan.steps)
    if (const auto* e = std::get_if<EncodeStep>(&s.params)) return e;
  return nullptr;
}

const PlainVerdict& Row(const std::vector<PlainVerdict>& rows, const std::string& key) {
  for (const PlainVerdict& v : rows)
    if (v.key == key) return v;
  static const PlainVerdict kNone;
  ADD_FAILURE() << "no row " << key;
  return kNone;
}

TEST(SyntheticAdviceTest, ScreenshotIsCleanFullResolutionAndEncodedAsPng) {
  const AnalysisReport r = AnalyzeWithTarget(testing::UiScreenshot(UiStyle::kLight, 1), "1600x1200");
  ASSERT_TRUE(r.content.kind);
  EXPECT_EQ(*r.content.kind, ContentKind::kSynthetic);
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r, AdvisorThresholds{});
  EXPECT_EQ(Row(rows, "noise").level, VerdictLevel::kGood) << Row(rows, "noise").words;
  EXPECT_EQ(Row(rows, "native_scale").level, VerdictLevel::kGood) << Row(rows, "native_scale").words;
  const Plan plan = Advise(r);
  const EncodeStep* encode = Encode(plan);
  ASSERT_NE(encode, nullptr);
  EXPECT_EQ(encode->format, ImageFormat::kPng);
  for (const PlanStep& s : plan.steps) EXPECT_FALSE(std::holds_alternative<DenoiseStep>(s.params));
}

// A chart shared as a JPEG (q85): read as graphics from its file (content
// kind with the JPEG's coding block) and planned as a PNG; a UI screenshot
// as a JPEG read "photo" and got "encode jpeg quality 80" (a second round
// of ringing around every glyph). (Dense text too, since its flat shares
// are judged where the coding could leave them flat: see
// ContentKindTest.JpegScreenshotsAreSyntheticAndJpegPhotosArePhotos.)
TEST(SyntheticAdviceTest, ChartSavedAsJpegIsStillEncodedAsPng) {
  std::vector<uchar> bytes;
  ASSERT_TRUE(cv::imencode(".jpg", testing::BarChart(5), bytes, {cv::IMWRITE_JPEG_QUALITY, 85}));
  absl::StatusOr<Image> image = DecodeImage(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                                            "chart.jpg");
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_TRUE(image->info.jpeg.has_value());
  AnalyzeOptions options;
  options.target = *ParseTargetSpec("1600x1200");
  const AnalysisReport r = Analyze(*image, options);
  ASSERT_TRUE(r.content.kind);
  EXPECT_EQ(*r.content.kind, ContentKind::kSynthetic) << "flat " << r.content.flat_pct.value_or(-1) << " % hard "
                                                      << r.content.hard_edge_pct.value_or(-1) << " % photo "
                                                      << r.content.photo_pct.value_or(-1);
  const Plan plan = Advise(r);
  const EncodeStep* encode = Encode(plan);
  ASSERT_NE(encode, nullptr);
  EXPECT_EQ(encode->format, ImageFormat::kPng);
}

// A walk (issue #25) drew a settings window (a dark title bar, a side bar,
// boxes with grey outlines, a bar chart, 11-px text: an x-height of 6 px)
// and saved it as a JPEG at q75–90: its noise read σ 0.00
// overall and 13.1 at levels 170–212 — the grey of the ringing beside its
// text — so the verdict said "poor — heavy noise: denoise first" and the
// plan denoised by σ 13 (and chose a model "to repair the noise"). The
// ringing lies in the 8×8 blocks a strong step crosses: on drawn content
// the noise level function is read outside them, as the content kind reads
// its flat shares.
TEST(SyntheticAdviceTest, AJpegScreenshotsRingingIsNoNoise) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat ui(500, 800, CV_8UC3, cv::Scalar(240, 240, 240));
  cv::rectangle(ui, cv::Rect(0, 0, 800, 29), cv::Scalar(90, 60, 45), cv::FILLED);      // title bar
  cv::rectangle(ui, cv::Rect(0, 29, 181, 471), cv::Scalar(235, 228, 225), cv::FILLED);  // side bar
  for (const cv::Rect& box : {cv::Rect(200, 50, 581, 181), cv::Rect(200, 250, 281, 231), cv::Rect(500, 250, 281, 231)}) {
    cv::rectangle(ui, box, cv::Scalar(255, 255, 255), cv::FILLED);
    cv::rectangle(ui, box, cv::Scalar(180, 180, 180), 1);
  }
  for (int i = 0; i < 6; ++i)  // a bar chart in the second box
    cv::rectangle(ui, cv::Rect(220 + 40 * i, 430 - (i * 29) % 180, 26, 30 + (i * 29) % 180), cv::Scalar(200, 130, 70),
                  cv::FILLED);
  ui = testing::DrawText(ui, "Inventory Manager - Settings", {10, 7}, 7.0, cv::Scalar::all(255)).image;
  for (int i = 0; i < 14; ++i)
    ui = testing::DrawText(ui, "Sidebar item number " + std::to_string(i + 1), {14, 44 + 22 * i}, 5.8,
                           cv::Scalar::all(30))
             .image;
  for (int i = 0; i < 9; ++i)
    ui = testing::DrawText(ui, "Row " + std::to_string(i + 1) + ": SKU-" + std::to_string(1000 + 37 * i) + "  qty " +
                                   std::to_string(7 * i + 3),
                           {212, 60 + 18 * i}, 5.8, cv::Scalar::all(20))
             .image;
  for (int i = 0; i < 10; ++i)
    ui = testing::DrawText(ui, "Log " + std::to_string(i) + ": sync completed in " + std::to_string(13 * i + 4) + " ms",
                           {512, 262 + 20 * i}, 5.8, cv::Scalar::all(60))
             .image;
  for (int quality : {75, 85, 90}) {
    const Image image = JpegFile(ui, quality);
    ASSERT_FALSE(image.pixels.empty());
    const AnalysisReport r = Analyze(image);
    SCOPED_TRACE("JPEG q" + std::to_string(quality));
    ASSERT_EQ(r.content.kind, ContentKind::kSynthetic);
    ASSERT_TRUE(r.noise.sigma);
    EXPECT_LT(*r.noise.sigma, 1.0);
    int levels_read = 0;
    for (const NoiseLevelBin& bin : r.noise.level_function) levels_read += bin.sigma.has_value();
    EXPECT_GE(levels_read, 2);  // its panels' levels, read
    for (const NoiseLevelBin& bin : r.noise.level_function)
      EXPECT_LT(bin.sigma.value_or(0), 2.0) << "levels " << bin.level_from_8bit << "–" << bin.level_to_8bit;
    const std::vector<PlainVerdict> rows = DescribeMeasurements(r, AdvisorThresholds{});
    EXPECT_EQ(Row(rows, "noise").level, VerdictLevel::kGood) << Row(rows, "noise").words;
    for (const PlanStep& s : Advise(r).steps) EXPECT_FALSE(std::holds_alternative<DenoiseStep>(s.params));
  }
}

// The other way round: a gray photo of a brick wall saved at JPEG q40 read
// as drawn content (a third of its pixels flat, in blocks the coding kept
// by their means), so that `advise --target 1080p` planned "encode png
// because text and graphics" and read no halo and no motion blur ("drawn
// content"). Its flat areas run on into the texture around them: a photo,
// measured and encoded as one.
TEST(SyntheticAdviceTest, ALowQualityJpegOfAWallIsMeasuredAndEncodedAsAPhoto) {
  const Image image = JpegFile(testing::LoadPhoto("brick", /*keep_gray=*/true), 40);
  ASSERT_FALSE(image.pixels.empty());
  AnalyzeOptions options;
  options.target = *ParseTargetSpec("1080p");
  const AnalysisReport r = Analyze(image, options);
  ASSERT_TRUE(r.content.kind);
  EXPECT_NE(*r.content.kind, ContentKind::kSynthetic) << "flat " << r.content.flat_pct.value_or(-1) << " % photo "
                                                      << r.content.photo_pct.value_or(-1);
  EXPECT_TRUE(r.oversharpening.halo_score.has_value());
  EXPECT_NE(r.motion_blur.drawn_content, std::optional<bool>(true));
  const Plan plan = Advise(r);
  const EncodeStep* encode = Encode(plan);
  ASSERT_NE(encode, nullptr);
  EXPECT_EQ(encode->format, ImageFormat::kJpeg);
}

// A settings window drawn as a newcomer's walk drew it (DejaVu text in rows
// 26 px apart, a blue title bar, a grey side panel, a green button; 1200×800)
// and saved as a JPEG: the PNG read right, but its JPEGs read "smeared by
// motion along 90°, 34 px" and "already enlarged 3×" (the rows of text
// imaged like a source grid and a smear's cepstrum; the subsampled colour
// edges softened enough for the edge witness). Drawn content has neither
// to read: one story with its content kind.
TEST(SyntheticAdviceTest, AJpegOfAScreenshotIsNeitherSmearedNorEnlarged) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat ui(800, 1200, CV_8UC3, cv::Scalar(247, 245, 245));
  cv::rectangle(ui, cv::Rect(0, 0, 1200, 50), cv::Scalar(200, 90, 40), cv::FILLED);
  cv::rectangle(ui, cv::Rect(0, 50, 220, 750), cv::Scalar(236, 232, 230), cv::FILLED);
  cv::rectangle(ui, cv::Rect(900, 700, 250, 60), cv::Scalar(80, 160, 30), cv::FILLED);
  ui = testing::DrawText(ui, "Settings - Account", {20, 14}, 11.0, cv::Scalar::all(255)).image;
  ui = testing::DrawText(ui, "Save changes", {960, 718}, 11.0, cv::Scalar::all(255)).image;
  for (int i = 0; i < 15; ++i)
    ui = testing::DrawText(ui, "Menu item number " + std::to_string(i), {20, 70 + i * 30}, 7.5, cv::Scalar::all(30)).image;
  for (int i = 0; i < 25; ++i)
    ui = testing::DrawText(ui, "The quick brown fox jumps over the lazy dog. 0123456789 Lorem ipsum dolor sit amet.",
                           {250, 70 + i * 26}, 7.5, cv::Scalar::all(20))
             .image;
  for (int quality : {90, 60}) {
    const Image image = JpegFile(ui, quality);
    ASSERT_FALSE(image.pixels.empty());
    const AnalysisReport r = Analyze(image);
    SCOPED_TRACE("JPEG q" + std::to_string(quality));
    ASSERT_EQ(r.content.kind, ContentKind::kSynthetic);
    EXPECT_FALSE(r.motion_blur.detected.value_or(false)) << r.motion_blur.length_px.value_or(0) << " px";
    EXPECT_EQ(r.motion_blur.drawn_content, true);
    EXPECT_GE(r.resolution.native_scale.value_or(0), 0.99);
    const std::vector<PlainVerdict> rows = DescribeMeasurements(r, AdvisorThresholds{});
    EXPECT_NE(Row(rows, "sharpness").level, VerdictLevel::kPoor) << Row(rows, "sharpness").words;
    EXPECT_EQ(Row(rows, "native_scale").level, VerdictLevel::kGood) << Row(rows, "native_scale").words;
    EXPECT_EQ(Row(rows, "motion_blur").level, VerdictLevel::kNotMeasured);
    for (const Warning& w : Advise(r).warnings) {
      EXPECT_NE(w.code, "motion_blur");
      EXPECT_NE(w.code, "already_upscaled");
    }
    // QA reads its input as analyze does: no smear for the output to inherit.
    absl::StatusOr<QaReport> qa =
        RunQa(image, testing::WrapPixels(PlainResize(image.pixels, image.pixels.size() * 2)), nullptr,
              QaThresholds::Defaults());
    ASSERT_TRUE(qa.ok()) << qa.status();
    EXPECT_FALSE(qa->metrics.input_motion_blur_detected.value_or(false));
    for (const QaCheck& c : qa->checks) {
      if (c.name == "inherited_motion_blur_px") {
        EXPECT_EQ(c.status, QaStatus::kPass) << c.message;
      }
    }
  }
}

// A walk (issue #25): a small window dense with 11-px text (400×300,
// message rows 17–20 px apart, each over a separator line) saved as a JPEG
// of quality 70–85 read "mixed" (22–29 % of its pixels flat: the ringing
// blocks around the glyphs left the background flat only between the
// lines), and then "already enlarged 4×" and "over-sharpened: halos along
// edges", the guards for drawn content being off. It is drawn content at
// every quality.
TEST(SyntheticAdviceTest, AJpegDenseWithSmallTextIsDrawnContent) {
  if (testing::DejaVuSansPath().empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  cv::Mat ui(300, 400, CV_8UC3, cv::Scalar(250, 250, 250));
  cv::rectangle(ui, cv::Rect(0, 0, 400, 24), cv::Scalar(90, 60, 40), cv::FILLED);
  cv::rectangle(ui, cv::Rect(0, 24, 90, 276), cv::Scalar(235, 232, 228), cv::FILLED);
  ui = testing::DrawText(ui, "Inbox - Mail", {8, 6}, 6.0, cv::Scalar::all(255)).image;
  for (int i = 0; i < 12; ++i)
    ui = testing::DrawText(ui, "Folder " + std::to_string(i), {8, 34 + i * 22}, 6.0, cv::Scalar::all(40)).image;
  for (int i = 0; i < 16; ++i) {
    ui = testing::DrawText(ui, "Message " + std::to_string(i) + ": meeting notes and the quarterly report v2",
                           {96, 30 + i * 17}, 6.0, cv::Scalar::all(25))
             .image;
    cv::line(ui, {96, 44 + i * 17}, {396, 44 + i * 17}, cv::Scalar::all(200));  // a separator under each row
  }
  for (int quality : {70, 75, 85}) {
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(".jpg", ui, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}));
    absl::StatusOr<Image> image =
        DecodeImage(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "inbox.jpg");
    ASSERT_TRUE(image.ok()) << image.status();
    AnalyzeOptions options;
    options.target = *ParseTargetSpec("2000px");
    const AnalysisReport r = Analyze(*image, options);
    SCOPED_TRACE("JPEG q" + std::to_string(quality));
    ASSERT_EQ(r.content.kind, ContentKind::kSynthetic)
        << "flat " << r.content.flat_pct.value_or(-1) << " % hard " << r.content.hard_edge_pct.value_or(-1)
        << " % photo " << r.content.photo_pct.value_or(-1);
    EXPECT_GE(r.resolution.native_scale.value_or(0), 0.99);
    EXPECT_FALSE(r.oversharpening.detected.value_or(false));
    for (const Warning& w : Advise(r).warnings) {
      EXPECT_NE(w.code, "already_upscaled") << w.message;
      EXPECT_NE(w.code, "oversharpened_input") << w.message;
    }
  }
}

// A walk (issue #25): pixel art of 8 exact colours, random 100×100 px
// enlarged ×4 (×8) by nearest neighbour, read noise σ 8 (6.4) and was planned
// realesr-general-x4v3 "for a noisy input" (a 25-px sprite ×4: "denoise
// σ 4.9"). Drawn content of a few exact colours holds no noise.
TEST(SyntheticAdviceTest, PixelArtOfAFewColoursHasNoNoise) {
  const cv::Vec3b palette[] = {{0, 0, 0},     {255, 255, 255}, {50, 50, 230}, {80, 200, 50},
                               {220, 80, 40}, {40, 220, 250},  {20, 60, 120}, {200, 200, 200}};
  cv::RNG rng(11);
  cv::Mat art(100, 100, CV_8UC3);
  for (int y = 0; y < art.rows; ++y)
    for (int x = 0; x < art.cols; ++x) art.at<cv::Vec3b>(y, x) = palette[rng.uniform(0, 8)];
  for (int f : {4, 8}) {
    cv::Mat big;
    cv::resize(art, big, cv::Size(), f, f, cv::INTER_NEAREST);
    const AnalysisReport r = AnalyzeWithTarget(big, "1600px");
    SCOPED_TRACE("×" + std::to_string(f));
    ASSERT_EQ(r.content.kind, ContentKind::kSynthetic);
    EXPECT_EQ(r.noise.sigma.value_or(-1), 0.0);
    EXPECT_EQ(r.noise.luma_sigma.value_or(-1), 0.0);
    const Advice advice = Decide(r, AdvisorThresholds(), "");
    EXPECT_EQ(advice.decisions.denoise, AdviceDecisions::Repair::kNotNeeded);
    for (const PlanStep& s : advice.plan.steps) EXPECT_FALSE(std::holds_alternative<DenoiseStep>(s.params));
  }
  // Noise on it spreads the colours: read, not set to 0.
  cv::Mat big;
  cv::resize(art, big, cv::Size(), 4, 4, cv::INTER_NEAREST);
  EXPECT_GT(AnalyzeWithTarget(testing::AddNoise(big, 6, 2), "1600px").noise.sigma.value_or(0), 3.0);
}

TEST(SyntheticAdviceTest, PhotoIsStillEncodedAsJpeg) {
  cv::Mat photo;
  cv::resize(testing::LoadPhoto("coffee"), photo, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
  const AnalysisReport r = AnalyzeWithTarget(photo, "900x600");
  ASSERT_TRUE(r.content.kind);
  EXPECT_EQ(*r.content.kind, ContentKind::kPhoto);
  const Plan plan = Advise(r);
  const EncodeStep* encode = Encode(plan);
  ASSERT_NE(encode, nullptr);
  EXPECT_EQ(encode->format, ImageFormat::kJpeg);
}

TEST(SyntheticAdviceTest, QaOfAPlainEnlargementPasses) {
  const cv::Mat ui = testing::UiScreenshot(UiStyle::kLight, 1);
  const cv::Mat output = PlainResize(ui, ui.size() * 2);
  absl::StatusOr<QaReport> qa =
      RunQa(testing::WrapPixels(ui), testing::WrapPixels(output), nullptr, QaThresholds::Defaults());
  ASSERT_TRUE(qa.ok()) << qa.status();
  for (const QaCheck& c : qa->checks) {
    if (c.name == "tile_seam_strength" || c.name == "painted_flat_pct") {
      EXPECT_EQ(c.status, QaStatus::kPass) << c.name << " " << c.value << ": " << c.message;
    }
  }
}

// An enlargement by a kernel other than acuity's Lanczos-4, as PIL and most
// editors make it (centre-aligned, `support` source px each side): the
// separable weights of `kernel`, normalised per output pixel.
template <typename Kernel>
cv::Mat KernelResize(const cv::Mat& bgr, int factor, double support, Kernel kernel) {
  auto along = [&](const cv::Mat& in) {  // rows → rows × factor
    cv::Mat src, out(in.rows * factor, in.cols, CV_32FC3, cv::Scalar::all(0));
    in.convertTo(src, CV_32FC3);
    for (int y = 0; y < out.rows; ++y) {
      const double centre = (y + 0.5) / factor - 0.5;
      double total = 0;
      for (int k = int(std::floor(centre - support)) + 1; k <= int(std::floor(centre + support)); ++k) {
        const double w = kernel(k - centre);
        total += w;
        out.row(y) += src.row(std::clamp(k, 0, in.rows - 1)) * w;
      }
      out.row(y) /= total;
    }
    return out;
  };
  cv::Mat result;
  cv::Mat(along(cv::Mat(along(bgr).t())).t()).convertTo(result, CV_8UC3);  // rounds and saturates
  return result;
}

// A mirrored 25×25 sprite of 6 exact colours, enlarged ×`cell_px` by copying.
cv::Mat PixelArt(int cell_px) {
  const cv::Vec3b palette[] = {{0, 0, 0},     {255, 255, 255}, {50, 50, 230},
                               {80, 200, 50}, {220, 80, 40},   {40, 220, 250}};
  cv::RNG rng(3);
  cv::Mat cells(25, 25, CV_8UC3), art;
  for (int y = 0; y < cells.rows; ++y)
    for (int x = 0; x <= cells.cols / 2; ++x)
      cells.at<cv::Vec3b>(y, x) = cells.at<cv::Vec3b>(y, cells.cols - 1 - x) = palette[rng.uniform(0, 6)];
  cv::resize(cells, art, cv::Size(), cell_px, cell_px, cv::INTER_NEAREST);
  return art;
}

// `image` enlarged ×2 by PIL's Lanczos (a = 3), bicubic (Keys, a = −0.5)
// and bilinear kernels.
std::vector<std::pair<const char*, cv::Mat>> OtherKernelsTwice(const cv::Mat& image) {
  const auto sinc = [](double x) { return x == 0 ? 1.0 : std::sin(CV_PI * x) / (CV_PI * x); };
  const auto lanczos3 = [&](double x) { return std::abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0.0; };
  const auto bicubic = [](double x) {
    x = std::abs(x);
    return x < 1 ? 1.5 * x * x * x - 2.5 * x * x + 1 : x < 2 ? -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2 : 0.0;
  };
  const auto linear = [](double x) { return std::max(0.0, 1 - std::abs(x)); };
  return {{"Lanczos-3", KernelResize(image, 2, 3, lanczos3)},
          {"bicubic", KernelResize(image, 2, 2, bicubic)},
          {"bilinear", KernelResize(image, 2, 1, linear)}};
}

// A walk (issue #25): pixel art enlarged ×2 by PIL's Lanczos (a = 3) or
// bicubic (a = −0.5) failed QA on `tile_seam_strength` 2.26–2.29 "every 120
// px" (bilinear warned at 1.62), where acuity's own Lanczos-4 passed: the
// cells' edges are content, but each kernel's ringing leaves another share
// of the boundaries exactly flat, so the typical step the profiles are
// normalised by differed 5-fold. Compared step by step, the content explains
// them; a tiler's seams on a photo still fail.
TEST(SyntheticAdviceTest, PixelArtEnlargedByAnotherKernelHasNoSeams) {
  const cv::Mat art = PixelArt(12);
  const std::vector<std::pair<const char*, cv::Mat>> outputs = OtherKernelsTwice(art);
  for (const auto& [kernel, output] : outputs) {
    absl::StatusOr<QaReport> qa =
        RunQa(testing::WrapPixels(art), testing::WrapPixels(output), nullptr, QaThresholds::Defaults());
    ASSERT_TRUE(qa.ok()) << qa.status();
    EXPECT_LT(qa->metrics.tile_seam_strength, 1.6) << kernel << ": every " << qa->metrics.tile_seam_period_px << " px";
  }
  cv::Mat photo;
  cv::resize(testing::LoadPhoto("coffee"), photo, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
  const cv::Mat big = OtherKernelsTwice(photo)[0].second;
  absl::StatusOr<QaReport> tiled =
      RunQa(testing::WrapPixels(photo), testing::WrapPixels(testing::TileSeams(big, 128)), nullptr,
            QaThresholds::Defaults());
  ASSERT_TRUE(tiled.ok()) << tiled.status();
  EXPECT_GE(tiled->metrics.tile_seam_strength, 2.0);
  EXPECT_EQ(tiled->metrics.tile_seam_period_px, 128);
}

// A walk (issue #25): the same kind of art with 4-px cells, enlarged ×2 by
// PIL's Lanczos or bicubic, warned `noise_amplification` 1.51–1.59: the
// kernels' ringing fills the small cells and reads as σ where the input,
// exact colours, reads none. An enlargement is held to what a plain one of
// its input reads (1.51 here); noise added on top still warns.
TEST(SyntheticAdviceTest, AnEnlargementsRingingIsNotAddedNoise) {
  const cv::Mat art = PixelArt(4);
  for (const auto& [kernel, output] : OtherKernelsTwice(art)) {
    absl::StatusOr<QaReport> qa =
        RunQa(testing::WrapPixels(art), testing::WrapPixels(output), nullptr, QaThresholds::Defaults());
    ASSERT_TRUE(qa.ok()) << qa.status();
    EXPECT_LT(qa->metrics.noise_amplification, 1.3) << kernel;
    EXPECT_GT(qa->metrics.noise_sigma_plain_8bit.value_or(0), 1.0) << kernel;
  }
  absl::StatusOr<QaReport> noisy = RunQa(testing::WrapPixels(art),
                                         testing::WrapPixels(testing::AddNoise(OtherKernelsTwice(art)[0].second, 6, 4)),
                                         nullptr, QaThresholds::Defaults());
  ASSERT_TRUE(noisy.ok()) << noisy.status();
  EXPECT_GT(noisy->metrics.noise_amplification, 1.5);
}

// A page of rendered text on white (DejaVu Sans through OpenCV's FreeType,
// x-heights 6 and 9 px): its one- and two-pixel strokes, light on both
// sides, oppose their own gradient as a halo does, and it read
// "over-sharpened: do not sharpen further" (the walk's page, drawn by
// another renderer in a serif face: halo score 11–12, overshoot 183 %).
// Drawn content has no halos to read: not measured, in analyze, in the
// verdict and in QA alike.
cv::Mat TextPage() {
  cv::Mat page(480, 720, CV_8UC3, cv::Scalar::all(255));
  int y = 16;
  for (int line = 0; y < page.rows - 40; ++line) {
    const double x_height = line % 2 ? 9.0 : 6.0;
    const testing::DrawnText t = testing::DrawText(
        page, "Pack my box with five dozen liquor jugs, then weigh 1234 of them.", {16, y}, x_height);
    if (t.image.empty()) return {};
    page = t.image;
    y += int(4 * x_height);
  }
  return page;
}

TEST(SyntheticAdviceTest, APageOfTextHasNoHalosToRead) {
  const cv::Mat page = TextPage();
  if (page.empty()) GTEST_SKIP() << "fonts-dejavu-core is not installed";
  EXPECT_TRUE(MeasureOversharpening(page).result.detected.value_or(false)) << "the case no longer shows the bug";
  const AnalysisReport r = AnalyzeWithTarget(page, "1440x960");
  ASSERT_TRUE(r.content.kind);
  ASSERT_EQ(*r.content.kind, ContentKind::kSynthetic);
  EXPECT_TRUE(r.oversharpening.drawn_content.value_or(false));
  EXPECT_FALSE(r.oversharpening.halo_score.has_value());
  EXPECT_FALSE(r.oversharpening.detected.has_value());
  const std::vector<PlainVerdict> rows = DescribeMeasurements(r, AdvisorThresholds{});
  const PlainVerdict& halos = Row(rows, "halos");
  EXPECT_EQ(halos.level, VerdictLevel::kNotMeasured) << halos.words;
  EXPECT_NE(halos.words.find("drawn content"), std::string::npos) << halos.words;
  for (const Warning& w : Advise(r).warnings) EXPECT_NE(w.code, "oversharpened_input") << w.message;
  // QA of an enlargement sharpened hard: the halo check is not measured
  // either (the input is drawn), where a photo's would fail.
  const cv::Mat output = testing::UnsharpMask(PlainResize(page, page.size() * 2), 2.0, 1.0);
  absl::StatusOr<QaReport> qa =
      RunQa(testing::WrapPixels(page), testing::WrapPixels(output), nullptr, QaThresholds::Defaults());
  ASSERT_TRUE(qa.ok()) << qa.status();
  EXPECT_FALSE(qa->metrics.oversharpening_measured);
}

}  // namespace
}  // namespace acuity
