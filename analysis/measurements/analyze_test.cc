#include "analysis/measurements/analyze.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/target_spec.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

// A 2 MP photo at its own resolution (coffee mirrored out to 1600×1200 px),
// sharpened hard (unsharp mask amount 2, σ 1.5 px) and with AWGN σ 4, so
// that every measurement has something to read and every one of them
// samples the image.
Image BigSharpenedPhoto() {
  cv::Mat big, blurred, noise(cv::Size(1600, 1200), CV_16SC3);
  const cv::Mat photo = testing::LoadPhoto("coffee");
  cv::copyMakeBorder(photo, big, 400, 1200 - 400 - photo.rows, 500, 1600 - 500 - photo.cols, cv::BORDER_REFLECT);
  cv::GaussianBlur(big, blurred, cv::Size(), 1.5);
  cv::addWeighted(big, 3.0, blurred, -2.0, 0, big);
  cv::randn(noise, 0, 4);
  cv::add(big, noise, big, cv::noArray(), CV_8UC3);
  Image image;
  image.pixels = big;
  image.info.width = big.cols;
  image.info.height = big.rows;
  return image;
}

// Every figure of `a` equals the same figure of `b`, exactly.
void ExpectSameFigures(const AnalysisReport& a, const AnalysisReport& b) {
  EXPECT_EQ(a.noise.sigma, b.noise.sigma);
  EXPECT_EQ(a.noise.luma_sigma, b.noise.luma_sigma);
  EXPECT_EQ(a.sharpness.blur_sigma_px, b.sharpness.blur_sigma_px);
  EXPECT_EQ(a.compression.blockiness, b.compression.blockiness);
  EXPECT_EQ(a.compression.jpeg_quality_estimate, b.compression.jpeg_quality_estimate);
  EXPECT_EQ(a.oversharpening.halo_score, b.oversharpening.halo_score);
  EXPECT_EQ(a.oversharpening.overshoot_pct, b.oversharpening.overshoot_pct);
  EXPECT_EQ(a.resolution.native_scale, b.resolution.native_scale);
  EXPECT_EQ(a.motion_blur.score, b.motion_blur.score);
  EXPECT_EQ(a.motion_blur.length_px, b.motion_blur.length_px);
  EXPECT_EQ(a.content.flat_pct, b.content.flat_pct);
  EXPECT_EQ(a.content.kind, b.content.kind);
  EXPECT_EQ(a.dither.detected, b.dither.detected);
  EXPECT_EQ(a.dither.pattern_correlation, b.dither.pattern_correlation);
  ASSERT_EQ(a.noise.level_function.size(), b.noise.level_function.size());
  for (size_t i = 0; i < a.noise.level_function.size(); ++i)
    EXPECT_EQ(a.noise.level_function[i].sigma, b.noise.level_function[i].sigma) << "bin " << i;
}

// A dithered GIF of a photo: its dots are the palette's, so no noise is
// read (the noise estimator trusted the palette's exact flats and read 0,
// and a dither of more colours than the palette rule's read its dots as
// grain); the dither is, with its map, and each measurement run alone says
// the same.
TEST(AnalyzeTest, ADitheredPictureReadsItsDotsAsDitherNotNoise) {
  const cv::Mat photo = testing::LoadPhoto("ihc");
  for (const cv::Mat& dithered :
       {testing::ErrorDiffuse(photo, testing::MedianCutPalette(photo, 32), testing::Diffusion::kFloydSteinberg),
        // 6 levels a channel: more colours than the palette rule's 64, and
        // its dots read noise σ 16 without the dither
        testing::OrderedDither(photo, 6, 8)}) {
    Image image;
    image.pixels = dithered;
    image.info.width = dithered.cols;
    image.info.height = dithered.rows;
    image.info.format = ImageFormat::kGif;
    AnalyzeOptions with_maps;
    with_maps.compute_maps = true;
    const AnalysisReport r = Analyze(image, with_maps);
    ASSERT_TRUE(r.dither.detected.value_or(false)) << r.dither.colors.value_or(0) << " colours";
    EXPECT_EQ(r.noise.sigma, 0.0) << *r.dither.colors << " colours";
    EXPECT_EQ(r.noise.luma_sigma, 0.0);
    EXPECT_TRUE(std::any_of(r.maps.begin(), r.maps.end(), [](const MeasurementMap& m) { return m.name == "dither"; }));
    AnalysisReport alone;
    for (Measurement m : kAllMeasurements) RunMeasurement(m, image, false, &alone);
    EXPECT_EQ(alone.dither.pattern_correlation, r.dither.pattern_correlation);
  }
}

// A dithered photo's blur is the photo's, not its dots': a photo blurred by
// 1.5 px and dithered to 16 colours (Floyd–Steinberg) read blur 0.45 px on
// its crisp dots (astronaut; 0.70 chelsea) — "sharp", planned a light
// sharpen. Read on the dots smoothed (PhotoPixels), it reads within
// kTolerancePx of the photo before its dither, sharp or soft, on photos the
// dither reading was not calibrated on.
TEST(AnalyzeTest, ADitheredPhotosBlurIsThePhotosNotItsDots) {
  constexpr double kTolerancePx = 0.5;
  double worst = 0;
  int read_cases = 0;
  for (const char* name : {"astronaut", "motorcycle_right", "ihc"}) {
    const cv::Mat photo = testing::CentreCrop(testing::LoadPhoto(name), 256);
    for (double sigma : {0.0, 1.5}) {
      cv::Mat soft = photo.clone();
      if (sigma > 0) cv::GaussianBlur(photo, soft, cv::Size(), sigma);
      const cv::Mat gif =
          testing::ErrorDiffuse(soft, testing::MedianCutPalette(soft, 16), testing::Diffusion::kFloydSteinberg);
      const AnalysisReport dotted = Analyze(testing::WrapPixels(gif));
      if (!dotted.dither.detected.value_or(false)) continue;
      ++read_cases;
      const double truth = Analyze(testing::WrapPixels(soft)).sharpness.blur_sigma_px.value_or(-1);
      const double read = dotted.sharpness.blur_sigma_px.value_or(-1);
      EXPECT_NEAR(read, truth, kTolerancePx) << name << " blurred " << sigma << " px";
      worst = std::max(worst, std::abs(read - truth));
    }
  }
  EXPECT_GE(read_cases, 5);  // dithers found
  RecordProperty("worst_error_px", std::to_string(worst));
}

// An animation's reading is its first frame's, and the report says so.
TEST(AnalyzeTest, AnAnimationIsSaidToBeReadByItsFirstFrame) {
  Image image;
  cv::resize(testing::LoadPhoto("coffee"), image.pixels, cv::Size(240, 160), 0, 0, cv::INTER_AREA);  // small: 3 analyses
  image.info.width = image.pixels.cols;
  image.info.height = image.pixels.rows;
  image.info.frames = 1;
  const auto has_warning = [](const AnalysisReport& r) {
    return std::any_of(r.warnings.begin(), r.warnings.end(),
                       [](const Warning& w) { return w.code == "animated_input"; });
  };
  EXPECT_FALSE(has_warning(Analyze(image)));
  image.info.frames = 7;
  const AnalysisReport r = Analyze(image);
  ASSERT_TRUE(has_warning(r));
  EXPECT_NE(r.warnings[0].message.find("7 frames"), std::string::npos) << r.warnings[0].message;
  // A TIFF of several pages: its first page is measured, and said so.
  image.info.format = ImageFormat::kTiff;
  image.info.frames = 3;
  const AnalysisReport tiff = Analyze(image);
  ASSERT_FALSE(has_warning(tiff));
  ASSERT_FALSE(tiff.warnings.empty());
  EXPECT_EQ(tiff.warnings[0].code, "multi_page_input");
  EXPECT_EQ(tiff.warnings[0].message, "a TIFF of 3 pages: these measurements describe its first page only");
}

// Maps read every pixel, but the figures come from the same samples with or
// without them: `acuity analyze` and `acuity report` must agree.
TEST(AnalyzeTest, MapsChangeNoFigure) {
  const Image image = BigSharpenedPhoto();
  const AnalysisReport plain = Analyze(image);
  AnalyzeOptions with_maps;
  with_maps.compute_maps = true;
  const AnalysisReport mapped = Analyze(image, with_maps);
  EXPECT_TRUE(plain.maps.empty());
  EXPECT_EQ(mapped.maps.size(), 5u);  // noise, blur, blockiness, halo, motion_blur
  ASSERT_TRUE(plain.noise.sigma && plain.sharpness.blur_sigma_px && plain.compression.blockiness &&
              plain.oversharpening.halo_score);
  ExpectSameFigures(plain, mapped);
  // And the sampled figures see what is there: at least the added noise (the
  // photo's own grain, sharpened ×3, adds ≈ 2.5 in quadrature), strong halos.
  EXPECT_GT(*plain.noise.sigma, 3.8);
  EXPECT_LT(*plain.noise.sigma, 6.0);
  EXPECT_TRUE(plain.oversharpening.detected.value_or(false)) << *plain.oversharpening.halo_score;
}

// Analyze gives the same figures on every run, however its threads and
// OpenCV's parallel loops happen to be scheduled.
TEST(AnalyzeTest, RepeatableAcrossRuns) {
  const Image image = BigSharpenedPhoto();
  const AnalysisReport first = Analyze(image);
  for (int run = 0; run < 3; ++run) ExpectSameFigures(first, Analyze(image));
}

// Each measurement run alone, in kAllMeasurements' order, gives Analyze's
// figures and maps: the benchmarks time (and `evaluate --only` tunes) what
// Analyze runs.
TEST(AnalyzeTest, MeasurementsRunAloneGiveAnalyzesFigures) {
  const Image image = BigSharpenedPhoto();
  AnalyzeOptions with_maps;
  with_maps.compute_maps = true;
  const AnalysisReport whole = Analyze(image, with_maps);
  AnalysisReport alone;
  std::vector<std::string> map_names;
  for (Measurement m : kAllMeasurements) {
    const std::optional<MeasurementMap> map = RunMeasurement(m, image, /*compute_map=*/true, &alone);
    // The dither reading draws its map only for a few-colour picture (this photo is not).
    EXPECT_EQ(map.has_value(),
              m != Measurement::kNativeScale && m != Measurement::kContent && m != Measurement::kDither);
    if (map) map_names.push_back(map->name);
  }
  ExpectSameFigures(whole, alone);
  std::vector<std::string> whole_names;
  for (const MeasurementMap& map : whole.maps) whole_names.push_back(map.name);
  std::sort(map_names.begin(), map_names.end());
  std::sort(whole_names.begin(), whole_names.end());
  EXPECT_EQ(map_names, whole_names);
  AnalysisReport unmapped;
  EXPECT_FALSE(RunMeasurement(Measurement::kNoise, image, /*compute_map=*/false, &unmapped).has_value());
}

// A soft photo's JPEG re-saved as PNG keeps the JPEG's 8-px blocks, which
// the native scale read as an 8/3× enlargement (0.375) where the JPEG file
// itself read native: the blocks the compression reading finds in the
// pixels are the coding's, as a JPEG file's are.
TEST(AnalyzeTest, AJpegReSavedLosslesslyReadsAsTheJpegDoes) {
  const cv::Mat photo = testing::LoadPhoto("camera", /*keep_gray=*/true);
  cv::Mat soft;
  cv::GaussianBlur(photo, soft, cv::Size(), 1.5);
  for (int quality : {75, 95}) {
    Image resaved;
    resaved.pixels = testing::JpegRoundTrip(soft, quality);  // the pixels, no JPEG tables: a PNG's
    const AnalysisReport r = Analyze(resaved);
    EXPECT_EQ(r.compression.quality_source, "pixels") << "q" << quality;
    ASSERT_TRUE(r.resolution.native_scale.has_value());
    EXPECT_NEAR(*r.resolution.native_scale, 1.0, 0.08) << "q" << quality;
  }
}

// Walk 41: a night shot's blotchy colour noise (Cb/Cr σ 2–2.2) saved as a
// 4:2:0 JPEG read "chroma σ 0.00": the colour stored at half resolution has
// had its noise averaged and interpolated away. Not measured, never 0; a
// 4:4:4 save of the same pixels reads it, a gray JPEG's chroma is 0.
TEST(AnalyzeTest, TheChromaNoiseOfASubsampledJpegIsNotMeasured) {
  cv::Mat noisy, colour_noise(cv::Size(600, 400), CV_32FC3);
  testing::LoadPhoto("coffee").convertTo(noisy, CV_32F);
  cv::randn(colour_noise, 0, 6);
  cv::GaussianBlur(colour_noise, colour_noise, cv::Size(), 1.0);
  noisy += colour_noise;
  noisy.convertTo(noisy, CV_8U);
  for (const bool subsampled : {true, false}) {
    JpegEncodeOptions jpeg;
    jpeg.quality = 90;
    jpeg.chroma_subsampling = subsampled;
    const absl::StatusOr<std::string> bytes = EncodeJpeg(noisy, jpeg);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    const absl::StatusOr<Image> file = DecodeImage(*bytes, "night.jpg");
    ASSERT_TRUE(file.ok()) << file.status();
    const AnalysisReport r = Analyze(*file);
    ASSERT_TRUE(r.noise.luma_sigma.has_value());
    EXPECT_EQ(r.noise.chroma_sigma.has_value(), !subsampled) << (subsampled ? "4:2:0" : "4:4:4");
    if (r.noise.chroma_sigma) {
      EXPECT_GT(*r.noise.chroma_sigma, 0.2);
    }
  }
  JpegEncodeOptions jpeg;
  jpeg.quality = 90;
  cv::Mat gray;
  cv::cvtColor(noisy, gray, cv::COLOR_BGR2GRAY);
  const absl::StatusOr<Image> gray_file = DecodeImage(*EncodeJpeg(gray, jpeg), "gray.jpg");
  ASSERT_TRUE(gray_file.ok()) << gray_file.status();
  EXPECT_EQ(Analyze(*gray_file).noise.chroma_sigma, 0.0);
  // A lossy WebP stores its colour at 4:2:0 whatever its quality (walk 42:
  // its chroma σ read about 0); a lossless one at full resolution.
  for (const int quality : {90, 101}) {  // 101: lossless
    std::vector<uchar> webp;
    ASSERT_TRUE(cv::imencode(".webp", noisy, webp, {cv::IMWRITE_WEBP_QUALITY, quality}));
    const absl::StatusOr<Image> webp_file = DecodeImage(std::string(webp.begin(), webp.end()), "night.webp");
    ASSERT_TRUE(webp_file.ok()) << webp_file.status();
    EXPECT_EQ(Analyze(*webp_file).noise.chroma_sigma.has_value(), quality > 100) << "WebP quality " << quality;
  }
}

// A marketplace target adds the product-shot readings (product_shot.h) and
// changes no other: its median filter once ran in place on the photo's own
// pixels (8-bit BGR of at most 1024 px share them), so `--target amazon`
// read coffee's noise σ 0.0 instead of 0.8 and its blur and halos off the
// filtered photo (issue #25, one story per image).
TEST(AnalyzeTest, AMarketplaceTargetChangesNoReading) {
  Image image;
  image.pixels = testing::LoadPhoto("coffee");
  image.info.width = image.pixels.cols;
  image.info.height = image.pixels.rows;
  const cv::Mat before = image.pixels.clone();
  AnalyzeOptions canvas, amazon;
  canvas.target = *ParseTargetSpec("2000x2000");
  amazon.target = *ParseTargetSpec("amazon");
  const AnalysisReport plain = Analyze(image, canvas);
  const AnalysisReport shop = Analyze(image, amazon);
  EXPECT_EQ(cv::norm(image.pixels, before, cv::NORM_INF), 0.0) << "the photo's pixels changed";
  EXPECT_TRUE(shop.product.has_value());
  ExpectSameFigures(plain, shop);
}


// A watermark on a soft photo (the newcomer walk's case: a 2-px-soft photo
// with white "(c)" text in a corner read blur 1.3 px, "smeared by motion"
// and over-sharpened): the readings are the photo's, as without the text.
// Made from photos and a font the overlay rule was not tuned on (it was
// tuned on DejaVu text over other scikit-image photos).
TEST(AnalyzeTest, AWatermarkDoesNotChangeThePhotosReadings) {
  for (const char* name : {"microaneurysms", "motorcycle_left"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    cv::Mat web;  // a web-sized copy, 480 px wide
    cv::resize(photo, web, cv::Size(480, photo.rows * 480 / photo.cols), 0, 0, cv::INTER_AREA);
    Image clean;
    cv::GaussianBlur(web, clean.pixels, cv::Size(), 2.0);
    clean.info.width = clean.pixels.cols;
    clean.info.height = clean.pixels.rows;
    Image marked{clean.pixels.clone(), clean.info};
    cv::putText(marked.pixels, "(c) studio 2026", cv::Point(marked.pixels.cols - 230, marked.pixels.rows - 16),
                cv::FONT_HERSHEY_DUPLEX, 0.7, cv::Scalar(255, 255, 255), 2, cv::LINE_AA);
    const AnalysisReport before = Analyze(clean), after = Analyze(marked);
    ASSERT_TRUE(before.sharpness.blur_sigma_px && after.sharpness.blur_sigma_px && after.content.overlay_pct) << name;
    EXPECT_GT(*after.content.overlay_pct, 0.0) << name;
    EXPECT_NEAR(*after.sharpness.blur_sigma_px, *before.sharpness.blur_sigma_px, 0.15) << name;
    // So is the native scale, which the blur is read by (blur.h): the text's
    // crisp edges made microaneurysms (102 px wide, enlarged 4.7×) read native.
    ASSERT_TRUE(before.resolution.native_scale && after.resolution.native_scale) << name;
    EXPECT_NEAR(*after.resolution.native_scale, *before.resolution.native_scale, 0.05) << name;
    // The fill adds no smear or halo of its own (a straight step at its
    // outline, or a flat patch, would read as one).
    EXPECT_FALSE(after.motion_blur.detected.value_or(false)) << name;
    EXPECT_FALSE(after.oversharpening.detected.value_or(false)) << name;
    // The same picture from a file that may be lossy is searched by the
    // text's strokes (overlay_strokes.h), and read as the photo too: as a
    // JPEG of quality 85 (its blocks ring over the text), and as pixels a
    // lossy WebP or AVIF might have given.
    const cv::Mat jpeg = testing::JpegRoundTrip(marked.pixels, 85);
    Image clean_coded{testing::JpegRoundTrip(clean.pixels, 85), clean.info};
    clean_coded.info.format = ImageFormat::kJpeg;
    const AnalysisReport clean_read = Analyze(clean_coded);
    ASSERT_TRUE(clean_read.sharpness.blur_sigma_px) << name;
    for (const ImageFormat lossy : {ImageFormat::kJpeg, ImageFormat::kWebp, ImageFormat::kAvif}) {
      Image coded{lossy == ImageFormat::kJpeg ? jpeg.clone() : marked.pixels.clone(), marked.info};
      coded.info.format = lossy;
      const AnalysisReport read = Analyze(coded);
      ASSERT_TRUE(read.content.overlay_pct && read.sharpness.blur_sigma_px) << name;
      EXPECT_GT(*read.content.overlay_pct, 0.0) << name << " " << ImageFormatName(lossy);
      EXPECT_NEAR(*read.sharpness.blur_sigma_px,
                  lossy == ImageFormat::kJpeg ? *clean_read.sharpness.blur_sigma_px : *before.sharpness.blur_sigma_px,
                  0.15)
          << name << " " << ImageFormatName(lossy);
    }
    if (std::string(name) == "microaneurysms") {  // the case is real there: read as it is, the text sharpens it
      BlurOptions same_noise;
      same_noise.noise_luma_sigma = after.noise.luma_sigma;
      const std::optional<double> unfilled = MeasureBlur(marked.pixels, same_noise).result.blur_sigma_px;
      ASSERT_TRUE(unfilled);
      EXPECT_LT(*unfilled, *before.sharpness.blur_sigma_px - 0.4);
    }
  }
}

// A walk (#25): a photo blurred by 2 px with noise in its shadows only (σ 20
// below luma 60, none above 90: a lifted exposure's) read blur 0.16–1.1 px,
// "sharp": the blur discounted the global noise σ (0.0, read on the clean
// majority of flat patches), and the shadows' grain read as detail. The
// noise is now discounted where it is (noise_levels.h). Photos the walk did
// not use; each within 20 % of the same blurred photo without the noise.
TEST(AnalyzeTest, NoiseInTheShadowsIsNotReadAsDetail) {
  for (const char* name : {"motorcycle_right", "camera", "coins"}) {
    cv::Mat photo = testing::LoadPhoto(name), blurred;
    if (photo.cols > 640) cv::resize(photo, photo, cv::Size(640, photo.rows * 640 / photo.cols), 0, 0, cv::INTER_AREA);
    cv::GaussianBlur(photo, blurred, cv::Size(), 2.0);
    cv::Mat luma, f, noise(blurred.size(), CV_32FC3);
    cv::cvtColor(blurred, luma, cv::COLOR_BGR2GRAY);
    luma.convertTo(luma, CV_32F);
    cv::Mat weight = cv::min(cv::max((90.0 - luma) / 30.0, 0.0), 1.0);  // 1 below 60, 0 above 90
    cv::RNG(5).fill(noise, cv::RNG::NORMAL, 0, 20);
    std::vector<cv::Mat> planes;
    cv::split(noise, planes);
    for (cv::Mat& p : planes) p = p.mul(weight);
    cv::merge(planes, noise);
    blurred.convertTo(f, CV_32F);
    Image clean{blurred, {}}, noisy{cv::Mat(), {}};
    cv::Mat(f + noise).convertTo(noisy.pixels, CV_8U);
    clean.info.width = noisy.info.width = blurred.cols;
    clean.info.height = noisy.info.height = blurred.rows;
    const AnalysisReport without = Analyze(clean), with = Analyze(noisy);
    ASSERT_TRUE(without.sharpness.blur_sigma_px && with.sharpness.blur_sigma_px) << name;
    EXPECT_NEAR(*with.sharpness.blur_sigma_px, *without.sharpness.blur_sigma_px,
                0.2 * *without.sharpness.blur_sigma_px)
        << name;
  }
}

}  // namespace
}  // namespace acuity
