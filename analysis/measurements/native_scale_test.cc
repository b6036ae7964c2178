#include "analysis/measurements/native_scale.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/sr_upscale_evidence.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

constexpr double kScaleTolerance = 0.08;  // |native_scale − 1/f|, the MAE target per image

// A clean native image: the photo area-downscaled 2× (removes its own noise
// and compression), then a centre crop of at most `side` px.
cv::Mat Clean(const std::string& photo, int side) {
  const cv::Mat p = testing::LoadPhoto(photo, /*keep_gray=*/true);
  cv::Mat half;
  cv::resize(p, half, cv::Size(p.cols / 2, p.rows / 2), 0, 0, cv::INTER_AREA);
  const int w = std::min(side, half.cols), h = std::min(side, half.rows);
  return half(cv::Rect((half.cols - w) / 2, (half.rows - h) / 2, w, h)).clone();
}

cv::Mat Upscale(const cv::Mat& image, double f, int interpolation) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(int(std::lround(image.cols * f)), int(std::lround(image.rows * f))), 0, 0,
             interpolation);
  return out;
}

cv::Mat JpegRoundTrip(const cv::Mat& image, int quality) {
  JpegEncodeOptions options;
  options.quality = quality;
  absl::StatusOr<std::string> bytes = EncodeJpeg(image, options);
  EXPECT_TRUE(bytes.ok());
  absl::StatusOr<JpegDecoded> decoded = DecodeJpeg(*bytes);
  EXPECT_TRUE(decoded.ok());
  return decoded->pixels;
}

double NativeScale(const cv::Mat& image) {
  const ResolutionResult r = MeasureNativeScale(image);
  EXPECT_TRUE(r.native_scale.has_value());
  return r.native_scale.value_or(-1.0);
}

TEST(UpscaleDetectTest, NativePhotosReadOne) {
  for (const char* photo : {"astronaut", "coffee", "chelsea", "camera", "grass", "moon"}) {
    EXPECT_NEAR(NativeScale(Clean(photo, 256)), 1.0, kScaleTolerance) << photo;
  }
}

TEST(UpscaleDetectTest, SoftNoisyOrCompressedNativesStayNative) {
  const cv::Mat clean = Clean("coffee", 256);
  cv::Mat blurred, noisy;
  cv::GaussianBlur(clean, blurred, cv::Size(17, 17), 2.0);  // soft is not upscaled
  EXPECT_NEAR(NativeScale(blurred), 1.0, kScaleTolerance);
  cv::Mat noise(clean.size(), CV_32FC3);
  cv::randn(noise, 0.0, 10.0);
  clean.convertTo(noisy, CV_32F);
  noisy += noise;
  noisy.convertTo(noisy, CV_8U);
  EXPECT_NEAR(NativeScale(noisy), 1.0, kScaleTolerance);
  EXPECT_NEAR(NativeScale(JpegRoundTrip(clean, 40)), 1.0, kScaleTolerance);  // an 8-px grid is not 8× or 4×
}

TEST(UpscaleDetectTest, FindsTheFactorForEveryKernel) {
  struct Case { const char* photo; double f; int interpolation; };
  const std::vector<Case> cases = {
      {"astronaut", 2.0, cv::INTER_CUBIC},   {"coffee", 2.0, cv::INTER_LANCZOS4}, {"chelsea", 2.0, cv::INTER_LINEAR},
      {"camera", 2.0, cv::INTER_NEAREST},    {"grass", 3.0, cv::INTER_CUBIC},      {"moon", 3.0, cv::INTER_LANCZOS4},
      {"astronaut", 3.0, cv::INTER_LINEAR},  {"coffee", 1.5, cv::INTER_CUBIC},     {"gravel", 4.0, cv::INTER_CUBIC},
      {"astronaut", 1.5, cv::INTER_LINEAR},  {"brick", 1.5, cv::INTER_NEAREST},
  };
  for (const Case& c : cases) {
    const cv::Mat up = Upscale(Clean(c.photo, int(512 / c.f)), c.f, c.interpolation);
    EXPECT_NEAR(NativeScale(up), 1.0 / c.f, kScaleTolerance) << c.photo << " " << c.f << "× interpolation " << c.interpolation;
    // Read on the axes, not as a grid turned (tilted_grid.h).
    EXPECT_FALSE(MeasureNativeScale(up).grid_tilt_deg.has_value()) << c.photo << " " << c.f;
  }
}

TEST(UpscaleDetectTest, UpscaleThenJpeg) {
  const cv::Mat up = Upscale(Clean("astronaut", 256), 2.0, cv::INTER_CUBIC);
  EXPECT_NEAR(NativeScale(JpegRoundTrip(up, 85)), 0.5, kScaleTolerance);
}

TEST(UpscaleDetectTest, SixteenBitAndTinyImages) {
  cv::Mat up = Upscale(Clean("chelsea", 200), 2.0, cv::INTER_CUBIC), up16;
  up.convertTo(up16, CV_16U, 257.0);
  EXPECT_NEAR(NativeScale(up16), 0.5, kScaleTolerance);
  EXPECT_FALSE(MeasureNativeScale(cv::Mat(20, 20, CV_8UC3, cv::Scalar::all(128))).native_scale.has_value());
}

// A network's upsampling without a model: nearest neighbour ×f, then one 3×3
// convolution, so that each output phase sees the source through its own
// filter (RDN's upsampling layer, a pixel shuffle), then invented detail: a
// white texture of σ `texture` that fills the band above the source's, so
// no interpolation stopband is left.
cv::Mat NetworkLikeUpscale(const cv::Mat& source, int f, double texture) {
  cv::Mat up = Upscale(source, f, cv::INTER_NEAREST), filtered, noise(0, 0, CV_32FC3);
  up.convertTo(up, CV_32F);
  const cv::Matx33f kernel(0.05f, 0.10f, 0.05f, 0.10f, 0.55f, 0.30f, 0.00f, 0.10f, -0.25f);  // sums to 1
  cv::filter2D(up, filtered, -1, kernel);
  noise.create(filtered.size(), filtered.type());
  cv::randn(noise, 0.0, texture);
  filtered += noise;
  filtered.convertTo(up, CV_8U);
  return up;
}

// The factor is right (within 20 %) whichever test sees it first: a
// periodicity this strong is also caught by the interpolation test, whose
// choice between f and f/(f−1) the source grid's imaging then settles.
TEST(UpscaleDetectTest, NetworkUpscalesReadTheirFactor) {
  const struct { const char* photo; int f; } cases[] = {{"astronaut", 2}, {"coffee", 3}, {"chelsea", 4}, {"grass", 3}};
  for (const auto& c : cases) {
    const cv::Mat up = NetworkLikeUpscale(Clean(c.photo, 384 / c.f), c.f, 10.0);
    const ResolutionResult r = MeasureNativeScale(up);
    ASSERT_TRUE(r.native_scale && r.upscale_kind) << c.photo;
    EXPECT_NE(*r.upscale_kind, UpscaleKind::kNone) << c.photo << " " << c.f << "×";
    EXPECT_NEAR(*r.native_scale * c.f, 1.0, 0.2) << c.photo << " " << c.f << "×";
    // The imaging test on its own finds the source grid.
    const std::optional<SrUpscaleEvidence> e = FindSrUpscale(LumaF32(up));
    ASSERT_TRUE(e && e->factor) << c.photo << " " << c.f << "×";
    EXPECT_NEAR(*e->factor, c.f, 0.05) << c.photo;
    EXPECT_TRUE(e->from_imaging) << c.photo;
    EXPECT_GE(e->coherence, 0.1) << c.photo;
  }
}

TEST(UpscaleDetectTest, NativePhotosAndTheirJpegsAreNotAi) {
  for (const char* photo : {"astronaut", "coffee", "chelsea", "camera", "grass", "brick", "gravel"}) {
    const cv::Mat clean = Clean(photo, 384);
    for (const cv::Mat& image : {clean, JpegRoundTrip(clean, 85), JpegRoundTrip(clean, 75)}) {
      const ResolutionResult r = MeasureNativeScale(image);
      ASSERT_TRUE(r.upscale_kind.has_value()) << photo;
      EXPECT_EQ(*r.upscale_kind, UpscaleKind::kNone) << photo;
      EXPECT_LT(r.source_grid_coherence.value_or(1), 0.1) << photo;
      const std::optional<SrUpscaleEvidence> e = FindSrUpscale(LumaF32(image));
      ASSERT_TRUE(e.has_value());
      EXPECT_FALSE(e->factor.has_value()) << photo << " read " << e->factor.value_or(0) << "×";
    }
  }
}

// A photo downscaled by 1.5 (area) repeats its filter phases every 2 px, a
// period a 2× upscale also has; it has no stopband and no imaging, so it is
// native (issue #25: 7 of 15 scikit-image photos read 0.5 before).
cv::Mat DownscaledCentre(const std::string& photo, double d, int side) {
  const cv::Mat p = testing::LoadPhoto(photo);
  cv::Mat small;
  cv::resize(p, small, cv::Size(), 1 / d, 1 / d, cv::INTER_AREA);
  const int w = std::min(side, small.cols), h = std::min(side, small.rows);
  return small(cv::Rect((small.cols - w) / 2, (small.rows - h) / 2, w, h)).clone();
}

TEST(UpscaleDetectTest, PhotosDownscaledByOneAndAHalfAreNative) {
  for (const char* photo : {"astronaut", "camera", "gravel", "ihc", "hubble_deep_field", "cell"}) {
    EXPECT_NEAR(NativeScale(DownscaledCentre(photo, 1.5, 512)), 1.0, kScaleTolerance) << photo;
  }
}

// A JPEG's 8×8 grid images at 1/2 and 1/4 cycle/px like a 2× or 4× upscale;
// on a smooth photo its quantiser also empties the band above 1/8, like a
// stopband. Neither makes a native photo an upscale.
TEST(UpscaleDetectTest, JpegsOfASmoothDownscaledPhotoAreNative) {
  for (double d : {1.5, 2.0}) {
    for (int quality : {75, 85}) {
      const cv::Mat image = JpegRoundTrip(DownscaledCentre("cell", d, 512), quality);
      EXPECT_NEAR(NativeScale(image), 1.0, kScaleTolerance) << "cell ÷" << d << " q" << quality;
    }
  }
}

// The imaging coherence at the source grid 1/f: high for interpolations
// (also f < 2, whose grid lies above 1/2 cycle/px), background for the
// filter phases of a downscale.
TEST(UpscaleDetectTest, SourceGridCoherenceTellsImagingFromFilterPhases) {
  for (const char* photo : {"astronaut", "coffee", "camera"}) {
    const cv::Mat bilinear = Upscale(Clean(photo, 256), 1.5, cv::INTER_LINEAR);
    const cv::Mat cubic = Upscale(Clean(photo, 192), 2.0, cv::INTER_CUBIC);
    const cv::Mat area = DownscaledCentre(photo, 1.5, 384);
    const auto c15 = SourceGridCoherence(LumaF32(bilinear), {1 / 1.5});
    const auto c2 = SourceGridCoherence(LumaF32(cubic), {0.5});
    const auto native = SourceGridCoherence(LumaF32(area), {0.5, 1 / 1.5});
    ASSERT_TRUE(c15 && c2 && native);
    EXPECT_GE((*c15)[0], 0.2) << photo;
    EXPECT_GE((*c2)[0], 0.2) << photo;
    EXPECT_LT((*native)[0], 0.08) << photo;
    EXPECT_LT((*native)[1], 0.08) << photo;
  }
  EXPECT_FALSE(SourceGridCoherence(cv::Mat(31, 31, CV_32F, cv::Scalar(0)), {0.5}).has_value());
  EXPECT_TRUE(SourceGridCoherence(cv::Mat(48, 48, CV_32F, cv::Scalar(0)), {0.5}).has_value()) << "native_scale reads from 48 px";
}

// Copied ×2 or ×3 and saved as a JPEG: no exact repeats are left, and the
// network test finds the source grid a copy images as well; it read "ai"
// ("already enlarged by an AI upscaler: its finer detail is invented").
// The near-copies' phase pattern (repeated_pixels.h) says interpolated.
// (The gray camera's copy at q90 is not found at all: a JPEG can hide an
// upscale, native_scale.h.)
TEST(UpscaleDetectTest, ACopiedEnlargementSavedAsJpegReadsInterpolated) {
  for (const char* photo : {"astronaut", "coffee", "chelsea", "motorcycle_left"}) {
    for (int f : {2, 3}) {
      const ResolutionResult r = MeasureNativeScale(JpegRoundTrip(Upscale(Clean(photo, 384 / f), f, cv::INTER_NEAREST), 90));
      ASSERT_TRUE(r.native_scale && r.upscale_kind) << photo;
      EXPECT_NEAR(*r.native_scale * f, 1.0, 0.2) << photo << " " << f << "x";
      EXPECT_EQ(*r.upscale_kind, UpscaleKind::kInterpolated) << photo << " " << f << "x";
    }
  }
}

// The crop of `p` of side `side` px whose top-left corner is at the share
// (fx, fy) of the room left.
cv::Mat CropAt(const cv::Mat& p, int side, double fx, double fy) {
  return p(cv::Rect(int((p.cols - side) * fx), int((p.rows - side) * fy), side, side)).clone();
}

NativeScaleOptions JpegFile() {
  NativeScaleOptions options;
  options.coding_block_px = 8;  // what analyze passes for a JPEG file
  return options;
}

// Issue #25, the walk's bicubic ×2.5 and Lanczos ×4 saved as JPEG files
// read "already enlarged by an AI upscaler": in a JPEG file only the source
// grid's imaging shows, which a kernel leaves as a network does. Read as a
// JPEG file, a kernel's enlargement is never called "ai" ("unknown" when the
// stopband is hidden); its scale is still read.
TEST(UpscaleDetectTest, AKernelEnlargementInAJpegFileIsNeverCalledAi) {
  int read = 0;
  for (const char* photo : {"astronaut", "coffee", "chelsea", "motorcycle_left"})
    for (const auto& [f, kernel] : {std::pair{4.0, cv::INTER_LANCZOS4}, std::pair{2.5, cv::INTER_CUBIC},
                                    std::pair{3.0, cv::INTER_CUBIC}})
      for (int quality : {95, 90, 80}) {
        const int side = int(std::lround(600 / f));
        const cv::Mat up = Upscale(Clean(photo, side), f, kernel);
        const ResolutionResult r = MeasureNativeScale(JpegRoundTrip(up, quality), JpegFile());
        ASSERT_TRUE(r.native_scale && r.upscale_kind) << photo;
        EXPECT_NE(*r.upscale_kind, UpscaleKind::kAi) << photo << " " << f << "× q" << quality;
        if (*r.native_scale < 0.75) {
          ++read;
          EXPECT_NEAR(*r.native_scale * f, 1.0, 0.25) << photo << " " << f << "× q" << quality;
        }
      }
  EXPECT_GT(read, 12) << "of 36 enlargements read as enlarged";
}

// A soft photo saved as a JPEG: its spectrum falls as deep as a kernel's
// stopband and its 8×8 blocks repeat every 8 px, which read as an 8/3×
// enlargement; on a smooth one the blocks' 8×8 lattice also holds a 4×4
// pattern like a network's pixel shuffle (issue #25: blurred by σ 1.5 px and
// saved at q95, 10 of 15 scikit-image photos read 0.375 "already enlarged").
// In a JPEG file the 8-px period is the coding's own.
TEST(UpscaleDetectTest, SoftPhotosSavedAsJpegAreNative) {
  const struct { const char* photo; double sigma_px; int quality; } cases[] = {
      {"astronaut", 1.5, 95}, {"astronaut", 1.5, 85}, {"camera", 1.5, 95}, {"camera", 1.5, 75},
      {"coffee", 1.5, 95},    {"coins", 1.5, 85},     {"grass", 2.0, 95},  {"motorcycle_left", 1.5, 85},
      {"retina", 2.0, 75},    {"rocket", 3.0, 75},
  };
  for (const auto& c : cases) {
    const cv::Mat photo = testing::LoadPhoto(c.photo);
    cv::Mat soft;
    cv::GaussianBlur(CropAt(photo, std::min({512, photo.cols, photo.rows}), 0.5, 0.5), soft, cv::Size(), c.sigma_px,
                     c.sigma_px, cv::BORDER_REFLECT);
    const ResolutionResult r = MeasureNativeScale(JpegRoundTrip(soft, c.quality), JpegFile());
    ASSERT_TRUE(r.native_scale.has_value());
    EXPECT_NEAR(*r.native_scale, 1.0, kScaleTolerance) << c.photo << " σ " << c.sigma_px << " q" << c.quality;
  }
}

// An upscale by 8/3 leaves a period of 8 px too: in a PNG it is still read.
TEST(UpscaleDetectTest, AnEightThirdsUpscaleInAPngIsRead) {
  const cv::Mat up = Upscale(Clean("astronaut", 192), 8.0 / 3, cv::INTER_CUBIC);
  EXPECT_NEAR(NativeScale(up), 0.375, kScaleTolerance);
}

// Crops of a brick wall: its courses and joints run along the axes, so its
// rows are alike and its 2-D spectrum peaks on the axes. They read as a
// network's source grid (a 96–128 px crop 3× by the 3×3 pattern, whose
// on-axis points carry its median; a 256 px one 6.7× by a hump of the
// imaging coherence at 1/8–1/5 cycle/px without its harmonic) before.
TEST(UpscaleDetectTest, SmallCropsOfABrickWallAreNative) {
  const cv::Mat brick = testing::LoadPhoto("brick", /*keep_gray=*/true);
  const cv::Mat hubble = testing::LoadPhoto("hubble_deep_field");
  for (const cv::Mat& crop : {CropAt(brick, 128, 0.25, 0.25), CropAt(brick, 96, 0.25, 0.25),
                              CropAt(brick, 256, 0.5, 0.5), CropAt(hubble, 96, 0.6, 0.75)}) {
    EXPECT_NEAR(NativeScale(crop), 1.0, kScaleTolerance) << crop.cols << " px";
  }
}

// `picture` in the middle of a white canvas twice its size (a shop's canvas).
cv::Mat OnWhiteCanvas(const cv::Mat& picture) {
  cv::Mat canvas(picture.rows * 2, picture.cols * 2, picture.type(), cv::Scalar::all(255));
  picture.copyTo(canvas(cv::Rect(picture.cols / 2, picture.rows / 2, picture.cols, picture.rows)));
  return canvas;
}

// A native photo pasted on a white canvas: the canvas's straight borders with
// the photo imaged like a source grid (chelsea, 451×300 px on 900×600 px,
// read 4× "ai" before). The picture inside a uniform frame is read; an
// enlargement inside one still reads.
TEST(UpscaleDetectTest, APhotoOnAPlainCanvasReadsAsThePhoto) {
  for (const char* photo : {"chelsea", "coffee", "motorcycle_left"}) {
    const cv::Mat p = testing::LoadPhoto(photo);
    const cv::Mat canvas = OnWhiteCanvas(p.cols > 600 ? CropAt(p, 400, 0.5, 0.5) : p);
    EXPECT_NEAR(NativeScale(canvas), 1.0, kScaleTolerance) << photo;
    const ResolutionResult jpeg = MeasureNativeScale(JpegRoundTrip(canvas, 90), JpegFile());
    EXPECT_NEAR(jpeg.native_scale.value_or(-1), 1.0, kScaleTolerance) << photo << " as JPEG q90";
  }
  const cv::Mat up = OnWhiteCanvas(Upscale(Clean("coffee", 160), 2.0, cv::INTER_CUBIC));
  EXPECT_NEAR(NativeScale(up), 0.5, kScaleTolerance);
  // A lossless canvas whose values wander within ±2 levels of its colour
  // (steps of up to 4 between neighbours, more than a smooth gradient's) is
  // a canvas still (a review: it read 0.25 "ai" once the smooth-gradient
  // trim replaced the uniform one).
  const cv::Mat chelsea = testing::LoadPhoto("chelsea");
  cv::Mat canvas(chelsea.rows * 2, chelsea.cols * 2, CV_8UC3);
  cv::RNG(4).fill(canvas, cv::RNG::UNIFORM, cv::Scalar::all(198), cv::Scalar::all(203));  // 198–202
  canvas.at<cv::Vec3b>(0, 0) = cv::Vec3b(200, 200, 200);
  chelsea.copyTo(canvas(cv::Rect(chelsea.cols / 2, chelsea.rows / 2, chelsea.cols, chelsea.rows)));
  EXPECT_NEAR(NativeScale(canvas), 1.0, kScaleTolerance) << "on a canvas of 200 ± 2";
}

// A landscape under a clear, noiseless sky in a lossless file: the sky's
// 8-bit rounding steps come every few rows, a period like a resampling's,
// and a native photo under it read enlarged (0.78–0.85), one enlarged ×1.25
// read 0.15–0.18 ("the detail of about 130×90 px"), ×1.5 read native (a
// walk). The smooth gradient at the picture's edge is left out like a
// canvas: the land reads as it does alone.
TEST(UpscaleDetectTest, ALandscapeUnderANoiselessSkyReadsAsItsLand) {
  for (const char* photo : {"motorcycle_left", "coffee"}) {
    const cv::Mat land_native = testing::LoadPhoto(photo);
    for (const double f : {1.0, 1.5}) {
      const cv::Mat big = Upscale(land_native, f, cv::INTER_LANCZOS4);
      const cv::Mat land = big.rowRange(big.rows - big.rows * 2 / 5, big.rows);
      cv::Mat sky(land.rows * 3 / 2, land.cols, CV_8UC3);
      for (int y = 0; y < sky.rows; ++y) {
        const double t = double(y) / sky.rows;  // blue above, paler towards the horizon
        sky.row(y).setTo(cv::Scalar(std::round(210 + 35 * t), std::round(120 + 90 * t), std::round(70 + 110 * t)));
      }
      cv::Mat scene;
      cv::vconcat(sky, land, scene);
      EXPECT_NEAR(NativeScale(scene), 1.0 / f, kScaleTolerance) << photo << " ×" << f;
    }
  }
}

// A blank image is all frame: read whole (1.0), not trimmed to nothing;
// rows alternating between two colours are trimmed once, not row by row.
TEST(UpscaleDetectTest, ABlankImageOrUniformRowsReadOne) {
  for (int type : {CV_8UC1, CV_8UC3, CV_8UC4, CV_16UC3}) {
    const ResolutionResult r = MeasureNativeScale(cv::Mat(100, 120, type, cv::Scalar::all(200)));
    ASSERT_TRUE(r.native_scale.has_value()) << type;
    EXPECT_EQ(*r.native_scale, 1.0) << type;
  }
  cv::Mat stripes(4000, 64, CV_8UC1);
  for (int y = 0; y < stripes.rows; ++y) stripes.row(y).setTo(y % 2 ? 250 : 10);
  EXPECT_TRUE(MeasureNativeScale(stripes).native_scale.has_value());
}

// A walk (issue #25): nearest neighbour beyond 8× read 2× (pixel art of 25
// and 30 px ×12 read 0.50). The lattice of changing boundaries was searched
// for periods of at most 8 px only, and every gap of 10, 12 or 16 px is a
// multiple of 2. Pixel art (few exact colours, features of 1–3 source
// pixels) and a photo, each at 5× to 16×: within 10 % of 1/f.
TEST(UpscaleDetectTest, LargeNearestNeighbourFactorsAreRead) {
  cv::RNG rng(5);
  cv::Mat art(30, 30, CV_8UC3);
  const cv::Vec3b palette[] = {{0, 0, 0}, {250, 250, 250}, {40, 60, 220}, {90, 210, 60}, {230, 90, 30}, {30, 200, 240}};
  for (int y = 0; y < art.rows; ++y) {
    for (int x = 0; x < art.cols;) {
      const cv::Vec3b colour = palette[rng.uniform(0, 6)];
      for (int run = rng.uniform(1, 4); run > 0 && x < art.cols; --run) art.at<cv::Vec3b>(y, x++) = colour;
    }
  }
  const cv::Mat photo = Clean("astronaut", 40);
  const cv::Mat* sources[] = {&art, &photo};
  for (double f : {5.0, 10.0, 12.0, 16.0}) {
    for (const cv::Mat* source : sources) {
      const double read = NativeScale(Upscale(*source, f, cv::INTER_NEAREST));
      EXPECT_NEAR(read * f, 1.0, 0.1) << (source == &art ? "pixel art " : "photo ") << f << "×: read " << read;
    }
  }
}

TEST(UpscaleDetectTest, InterpolationReadsInterpolated) {
  const ResolutionResult r = MeasureNativeScale(Upscale(Clean("coffee", 128), 4.0, cv::INTER_LANCZOS4));
  ASSERT_TRUE(r.native_scale && r.upscale_kind);
  EXPECT_NEAR(*r.native_scale, 0.25, kScaleTolerance);
  EXPECT_EQ(*r.upscale_kind, UpscaleKind::kInterpolated);
  EXPECT_STREQ(UpscaleKindName(*r.upscale_kind), "interpolated");
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

// A walk (issue #25): a photo enlarged 8× or 14× by bicubic and saved as a
// JPEG read "native scale 1.00 — full" and "prints at 400 dpi": the
// resampling's cycle frequencies were searched down to 0.16 cycle/px only
// (factors up to 6), and a period of 8 px was taken for a JPEG grid even in
// a lossless file. Enlargements of 5× to 14× by OpenCV's cubic kernel (the
// fix was measured on PIL's and scikit-image's) read within 15 % of 1/f.
// (A smooth source — coffee's 53–64 px middle, its cup — enlarged 10× or
// more leaves its resampling's fundamental without harmonics and reads 1.0:
// a limit, native_scale.h.)
TEST(UpscaleDetectTest, LargeInterpolatedFactorsAreRead) {
  for (const char* photo : {"astronaut", "chelsea", "motorcycle_left"}) {
    for (double f : {5.0, 7.0, 8.0, 10.0, 12.0, 14.0}) {
      const cv::Mat source = Clean(photo, int(std::lround(640 / f)));
      const double read = NativeScale(Upscale(source, f, cv::INTER_CUBIC));
      EXPECT_NEAR(read * f, 1.0, 0.15) << photo << " " << f << "×: read " << read;
    }
  }
}

// The other side of that search: soft photos, and a brick wall blurred by
// σ 3 px (its courses repeat every 17 px, with one "harmonic" by chance),
// still read native, in PNG and JPEG files.
TEST(UpscaleDetectTest, SoftPhotosStayNativeWithTheLargeFactorSearch) {
  for (const char* photo : {"brick", "coffee", "grass", "rocket"}) {
    const cv::Mat clean = Clean(photo, 384);
    for (double sigma : {2.0, 3.0, 5.0}) {
      cv::Mat soft;
      cv::GaussianBlur(clean, soft, cv::Size(), sigma, sigma, cv::BORDER_REFLECT);
      EXPECT_NEAR(NativeScale(soft), 1.0, kScaleTolerance) << photo << " σ " << sigma;
      const ResolutionResult jpeg = MeasureNativeScale(JpegRoundTrip(soft, 90), JpegFile());
      EXPECT_NEAR(jpeg.native_scale.value_or(-1), 1.0, kScaleTolerance) << photo << " σ " << sigma << " q90";
    }
  }
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

// A walk (issue #25): a phone screenshot of a photo shown 2× (600×1200, the
// photo at y = 400–800, black UI with a status bar and a toolbar of text
// around it) read native 0.50 as a PNG but 0.25 as a JPEG q80. A third of
// the analysed window's rows were the black band: flat rows repeat their
// neighbours and lie on a line with them, which read as a nearest-neighbour
// step and as bilinear rows (and bilinear evidence picks a factor of 2.5 or
// more). Rows or columns with no content are no evidence either way.
TEST(UpscaleDetectTest, APhotoInAScreenshotsBlackBandReadsItsOwnEnlargement) {
  for (const char* photo : {"coffee", "chelsea", "astronaut"}) {
    cv::Mat source;
    cv::resize(testing::LoadPhoto(photo), source, cv::Size(300, 200), 0, 0, cv::INTER_AREA);
    cv::Mat screen(1200, 600, CV_8UC3, cv::Scalar::all(0));
    Upscale(source, 2.0, cv::INTER_CUBIC).copyTo(screen(cv::Rect(0, 400, 600, 400)));
    cv::putText(screen, "9:41", {20, 40}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar::all(255), 2, cv::LINE_AA);
    cv::putText(screen, "Share   Edit   Delete", {40, 1150}, cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(255, 140, 40), 2,
                cv::LINE_AA);
    EXPECT_NEAR(NativeScale(screen), 0.5, kScaleTolerance) << photo << " PNG";
    const ResolutionResult jpeg = MeasureNativeScale(JpegRoundTrip(screen, 80), JpegFile());
    EXPECT_NEAR(jpeg.native_scale.value_or(-1), 0.5, kScaleTolerance) << photo << " JPEG q80";
  }
}

}  // namespace
}  // namespace acuity
