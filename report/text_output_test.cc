#include "report/text_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "analysis/advice/verdicts.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"

namespace acuity::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Every figure measured but the chroma noise and the overshoot.
AnalysisReport Measured() {
  AnalysisReport r;
  r.input.path = "photo.jpg";
  r.input.width = 600;
  r.input.height = 400;
  r.sharpness.blur_sigma_px = 1.6;
  r.noise.sigma = 2.0;
  r.noise.luma_sigma = 1.8;  // chroma σ not measured
  r.compression.jpeg_quality_estimate = 45;
  r.compression.quality_source = "quant_tables";
  r.compression.tables = "other";
  r.compression.blockiness = 0.8;
  r.oversharpening.halo_score = 12.0;
  r.oversharpening.detected = true;
  r.resolution.native_scale = 1.0;
  r.motion_blur = {true, 14.2, 30.0, 25.0, 3.0, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  return r;
}

// Each measurement is followed by its verdict from DescribeMeasurements.
TEST(TextOutputTest, VerdictUnderEachMeasurement) {
  const AnalysisReport r = Measured();
  const std::string text = FormatReportText(r);
  for (const PlainVerdict& v : DescribeMeasurements(r))
    EXPECT_THAT(text, HasSubstr(std::string("verdict              ") + VerdictLevelWord(v.level) +
                                " — " + v.words))
        << v.key;
  // The report has motion blur of 14.2 px (σ 4.1 px): the sharpness verdict follows the smear (issue #25).
  EXPECT_THAT(text, HasSubstr("blur σ (px)            1.60\n    verdict              poor — smeared by motion"));
  EXPECT_THAT(text, HasSubstr("JPEG quality           45 (from quant_tables, other tables)"));
  EXPECT_THAT(text, HasSubstr("45 (from quant_tables, other tables): equivalent quality"));
}

// A file of several images says which one was read: the first frame of
// an animation, the first page of a TIFF, a HEIF collection's primary image.
TEST(TextOutputTest, TheFileLineSaysWhichOfSeveralImagesWasRead) {
  AnalysisReport r = Measured();
  EXPECT_THAT(FormatReportText(r), ::testing::Not(HasSubstr(" read)")));
  r.input.format = ImageFormat::kGif;
  r.input.frames = 12;
  EXPECT_THAT(FormatReportText(r), HasSubstr(" · an animation of 12 frames (its first frame read)"));
  r.input.format = ImageFormat::kTiff;
  r.input.frames = 3;
  EXPECT_THAT(FormatReportText(r), HasSubstr(" · a TIFF of 3 pages (its first page read)"));
  r.input.format = ImageFormat::kHeif;
  r.input.heif_collection = true;
  EXPECT_THAT(FormatReportText(r), HasSubstr(" · a HEIF file of 3 images (its primary image read)"));
  r.input.frames = 1;
  EXPECT_THAT(FormatReportText(r), ::testing::Not(HasSubstr(" read)")));
}

// Issue 17: a PNG re-save of a JPEG with non-IJG tables says "equivalent
// quality"; a blocky image whose quality could not be read is not "no sign
// of JPEG compression".
TEST(TextOutputTest, EquivalentQualityAndVisibleBlocks) {
  AnalysisReport r = Measured();
  r.compression.quality_source = "pixels";
  r.compression.tables.reset();
  r.compression.estimated_tables = "other";
  EXPECT_THAT(FormatReportText(r), HasSubstr("JPEG quality           45 (from pixels): equivalent quality"));
  r.compression.jpeg_quality_estimate.reset();
  r.compression.estimated_tables.reset();
  r.compression.quality_source = "none";
  r.compression.blockiness = 4.0;
  EXPECT_THAT(FormatReportText(r), HasSubstr("JPEG quality           not read (8×8 blocks visible)"));
  r.compression.blockiness = 0.2;
  EXPECT_THAT(FormatReportText(r), HasSubstr("JPEG quality           no sign of JPEG compression"));
  r.input.lossy_codec = "webp";  // a lossy WebP's damage is not read
  EXPECT_THAT(FormatReportText(r),
              HasSubstr("JPEG quality           —  (not measured: a lossy WebP file, and only JPEG coding's damage "
                        "is read)"));
}

// A figure that was not measured is said so, never printed as 0.
TEST(TextOutputTest, MissingFiguresAreNotMeasured) {
  const std::string text = FormatReportText(Measured());
  EXPECT_THAT(text, HasSubstr("luma / chroma σ      1.80 / —  (not measured)"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("/ 0.00")));
  EXPECT_THAT(text, HasSubstr("overshoot (%)          —  (not measured)"));

  // Drawn content: no halos read, and the row says why.
  AnalysisReport drawn = Measured();
  drawn.oversharpening = {};
  drawn.oversharpening.drawn_content = true;
  EXPECT_THAT(FormatReportText(drawn),
              HasSubstr("halo score             —  (not measured: drawn content, whose strokes read as halos)\n"));

  const std::string empty = FormatReportText(AnalysisReport{});
  EXPECT_THAT(
      empty,
      HasSubstr(
          "blur σ (px)            —  (not measured)\n    verdict              not measured\n"));
}

// The noise level function in one row, "—" for the bins not measured; the
// motion blur with its length and angle.
TEST(TextOutputTest, NoiseByLevelAndMotionBlur) {
  AnalysisReport r = Measured();
  r.noise.level_function = {{0, 127.5, 3.25}, {127.5, 255, std::nullopt}};
  const std::string text = FormatReportText(r);
  EXPECT_THAT(text, HasSubstr("σ by level (8-bit)"));
  EXPECT_THAT(text, HasSubstr(" 0–128: 3.25 · 128–255: —\n"));
  EXPECT_THAT(text, HasSubstr("motion blur            14.2 px at 30° (score 25.0)"));
  r.motion_blur = {false, std::nullopt, std::nullopt, 4.0, 0.2, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  EXPECT_THAT(FormatReportText(r), HasSubstr("motion blur            none found (score 4.0)"));
  EXPECT_THAT(FormatReportText(r), HasSubstr("(score 4.0): below the detection score 12\n"));
  // A dip deep enough whose echo at twice the length is missing (samples/coffee.jpg reads 12.2):
  // the row says why it is not motion blur.
  r.motion_blur = {false, std::nullopt, std::nullopt, 12.2, 0.3, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  EXPECT_THAT(FormatReportText(r), HasSubstr("none found (score 12.2): deep enough, but no echo at twice its length "
                                             "(echo 0.3, needs 0.5): a repeating pattern, not a smear\n"));
  // A deep dip with an echo whose direction kept its detail (falloff ratio 2.09): the content's lines.
  r.motion_blur = {false, std::nullopt, std::nullopt, 20.0, 1.8, std::nullopt, std::nullopt, false, false, std::nullopt, false, false, std::nullopt};
  r.motion_blur.falloff_ratio = 2.09;
  EXPECT_THAT(FormatReportText(r), HasSubstr("none found (score 20.0): the detail along it is as sharp as across it "
                                             "(falloff ratio 2.09"));
  r.motion_blur.falloff_ratio.reset();
  // The echo of a smear under 6 px (a 5 px smear's echo near 10 px): said so, no length made up.
  r.motion_blur = {false, std::nullopt, std::nullopt, 44.9, 43.2, std::nullopt, std::nullopt, true, false, std::nullopt, false, false, std::nullopt};
  EXPECT_THAT(FormatReportText(r), HasSubstr("none found (score 44.9): an echo of one at half "
                                             "its length: a smear shorter than the 6 px whose length this can read\n"));
  // An enlarged picture's interpolation read as a short smear (a bicubic ×3: 6 px, score 29.6).
  r.motion_blur = {false, std::nullopt, std::nullopt, 29.6, 3.0, std::nullopt, std::nullopt, false, true, std::nullopt, false, false, std::nullopt};
  EXPECT_THAT(FormatReportText(r), HasSubstr("none found (score 29.6): the picture was enlarged, and the dip is "
                                             "shorter than 6 of its native pixels: the enlargement's own "
                                             "interpolation, not movement\n"));
  EXPECT_THAT(FormatReportText(AnalysisReport{}), HasSubstr("motion blur            —  (not measured)"));
  r.motion_blur = {};
  r.motion_blur.drawn_content = true;
  EXPECT_THAT(FormatReportText(r), HasSubstr("motion blur            —  (not measured: drawn content, nothing was photographed)"));
  r.motion_blur = {};
  r.motion_blur.too_small = true;  // a 180×120 web image (walk 59)
  EXPECT_THAT(FormatReportText(r),
              HasSubstr("motion blur            —  (not measured: under 128 px on a side, too small to read a smear's length)"));
}

// A watermark left out of the readings is said under the blur, and only then.
TEST(TextOutputTest, AnOverlayLeftOutIsSaid) {
  AnalysisReport r = Measured();
  r.content.overlay_pct = 0.0;
  EXPECT_THAT(FormatReportText(r), ::testing::Not(HasSubstr("drawn on it")));
  r.content.overlay_pct = 3.84;
  EXPECT_THAT(FormatReportText(r), HasSubstr("blur σ (px)            1.60\n    drawn on it          3.8 % of the picture"));
}

// The before/after table tells one story: a 600×400 photo enlarged 1.5× to
// a 900-px target whose JPEG hides the enlargement (its reading: 1.00) is
// shown beside what the enlargement leaves (0.67); a reading that sees it
// is shown alone.
TEST(TextOutputTest, AnEnlargementTheReadingMissesIsSaidBesideIt) {
  const TargetSpec spec = *ParseTargetSpec("900px");
  AnalysisReport before, after;
  before.input.width = 600, before.input.height = 400;
  after.input.width = 900, after.input.height = 600;
  before.target = FitTarget(spec, 600, 400);
  after.target = FitTarget(spec, 900, 600);
  ASSERT_NEAR(before.target->required_scale, 1.5, 1e-9);
  ASSERT_TRUE(after.target->fits);
  before.resolution.native_scale = 1.0;
  after.resolution.native_scale = 1.0;
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("1.00 (enlarged 1.50× here: 0.67)"));
  after.resolution.native_scale = 0.668;
  EXPECT_THAT(FormatBeforeAfterText(before, after), Not(HasSubstr("enlarged")));
  // Not reached (the output still needs enlarging): no claim made.
  after.resolution.native_scale = 1.0;
  after.target = FitTarget(spec, 700, 467);
  EXPECT_THAT(FormatBeforeAfterText(before, after), Not(HasSubstr("enlarged")));
}

// A walk (issue #25) read "blur σ 0.80 → 2.30 px" after a ×4 upscale as
// "blurrier": each blur is in its own image's px. After's is also said in
// before's px; for a crop to a target, by the kept part's scale.
TEST(TextOutputTest, AnEnlargementsBlurIsAlsoSaidInTheInputsPixels) {
  AnalysisReport before, after;
  before.input.width = 600, before.input.height = 400;
  after.input.width = 2400, after.input.height = 1600;
  before.sharpness.blur_sigma_px = 0.8;
  after.sharpness.blur_sigma_px = 2.3;
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("2.30 (0.57 at the input's size)"));
  // 3:2 cropped to a 1000×1000 square: the kept 400×400 grew 2.5×, not 1000/600.
  TargetSpec square = *ParseTargetSpec("1000x1000");
  square.fit = FitChoice{FitMode::kCrop, {}};
  before.target = FitTarget(square, 600, 400);
  ASSERT_TRUE(before.target->cropped());
  after.input.width = 1000, after.input.height = 1000;
  after.sharpness.blur_sigma_px = 2.0;
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("2.00 (0.80 at the input's size)"));
  // A smear the input had is shown beside the blur (a walk: a 13-px smear
  // enlarged read "blur 2.06 → 0.62", as if sharpened), in each image's px.
  EXPECT_THAT(FormatBeforeAfterText(before, after), Not(HasSubstr("motion blur")));
  before.motion_blur.detected = true, before.motion_blur.length_px = 13.1, before.motion_blur.angle_deg = 180;
  after.motion_blur.detected = true, after.motion_blur.length_px = 26.4, after.motion_blur.angle_deg = 179;
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("13 px at 180°"));
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("26 px at 179°"));
  after.motion_blur.detected = false, after.motion_blur.length_px.reset();
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("13 px at 180°   none"));
  before.motion_blur = {};
  after.motion_blur = {};
  // The same size: one scale, nothing added.
  before.target.reset();
  after.input = before.input;
  EXPECT_THAT(FormatBeforeAfterText(before, after), Not(HasSubstr("at the input's size")));
}

// A walk (#25): a photo blurred by 2 px, enlarged 4× and sharpened with a
// 3-px radius read "2.04 → 0.00 (0.00 at the input's size)": the result's
// own reading divided by how much it grew, which a sharpen or a model makes
// no measure. Given the result read again at the input's scale, the table
// says that reading, for the blur and for a smear the enlargement outgrew.
TEST(TextOutputTest, TheInputsSizeFiguresAreTheResultReadAgainThere) {
  AnalysisReport before, after, at_input;
  before.input.width = 256, before.input.height = 171;
  after.input.width = 1024, after.input.height = 684;
  before.sharpness.blur_sigma_px = 2.04;
  after.sharpness.blur_sigma_px = 0.0;
  at_input.sharpness.blur_sigma_px = 1.88;
  EXPECT_THAT(FormatBeforeAfterText(before, after), HasSubstr("0.00 (0.00 at the input's size)"));
  EXPECT_THAT(FormatBeforeAfterText(before, after, &at_input), HasSubstr("0.00 (1.88 at the input's size)"));
  before.motion_blur.detected = true, before.motion_blur.length_px = 12.2, before.motion_blur.angle_deg = 0;
  after.motion_blur.detected = false;
  at_input.motion_blur.detected = true, at_input.motion_blur.length_px = 12.2, at_input.motion_blur.angle_deg = 0;
  EXPECT_THAT(FormatBeforeAfterText(before, after, &at_input),
              HasSubstr("12 px at 0°   none (12 px at 0° at the input's size)"));
}

// The result brought back to the input's scale: without a pad's border, at
// the kept part's size, its record of the enlargement brought back too.
TEST(TextOutputTest, TheResultIsBroughtBackWithoutItsPad) {
  AnalysisReport before;
  before.input.width = 300, before.input.height = 200;
  TargetSpec square = *ParseTargetSpec("1200x1200");
  square.fit = FitChoice{FitMode::kPad, {}};
  before.target = FitTarget(square, 300, 200);
  ASSERT_TRUE(before.target->padded());
  Image result;
  result.pixels = cv::Mat(1200, 1200, CV_8UC3, cv::Scalar(255, 255, 255));
  const int top = (1200 - before.target->scaled_height_px) / 2;
  result.pixels(cv::Rect(0, top, 1200, before.target->scaled_height_px)).setTo(cv::Scalar(10, 20, 30));
  result.info.width = result.info.height = 1200;
  result.info.acuity_record = AcuityRecord{4.0, true, "upscale 4×"};
  result.info.format = ImageFormat::kJpeg;  // resampled, no coding grid is left
  result.info.jpeg = JpegInfo{};
  const std::optional<Image> back = ContentAtInputScale(result, before);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pixels.size(), cv::Size(300, 200));
  EXPECT_EQ(cv::norm(back->pixels, cv::Mat(200, 300, CV_8UC3, cv::Scalar(10, 20, 30)), cv::NORM_INF), 0);
  EXPECT_EQ(back->info.width, 300);
  EXPECT_EQ(back->info.format, ImageFormat::kUnknown);
  EXPECT_FALSE(back->info.jpeg);
  ASSERT_TRUE(back->info.acuity_record);
  EXPECT_DOUBLE_EQ(back->info.acuity_record->enlargement, 1.0);
  // Not resized: nothing to bring back.
  Image same;
  same.pixels = cv::Mat(200, 300, CV_8UC3, cv::Scalar::all(0));
  before.target.reset();
  EXPECT_FALSE(ContentAtInputScale(same, before));
}

}  // namespace
}  // namespace acuity::report
