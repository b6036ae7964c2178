#include "analysis/measurements/compression.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/compression_tables.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// Largest |estimated − true| IJG quality accepted from pixels (the target's MAE).
constexpr double kQualityTolerance = 4.0;
constexpr double kReSavedTolerance = 15.0;  // quality points, a JPEG saved twice (the earlier save's)

// A clean 256×256 photo crop: area-downscaled 2× (removes the photo's own
// noise and JPEG traces), centre-cropped.
cv::Mat CleanCrop(const std::string& name, bool keep_gray = false) {
  cv::Mat photo = testing::LoadPhoto(name, keep_gray);
  cv::Mat half;
  cv::resize(photo, half, cv::Size(photo.cols / 2, photo.rows / 2), 0, 0, cv::INTER_AREA);
  const int side = std::min({256, half.cols, half.rows});
  return half(cv::Rect((half.cols - side) / 2, (half.rows - side) / 2, side, side)).clone();
}

JpegDecoded JpegRoundTrip(const cv::Mat& pixels, int quality, bool subsample = true) {
  JpegEncodeOptions options;
  options.quality = quality;
  options.chroma_subsampling = subsample;
  absl::StatusOr<std::string> bytes = EncodeJpeg(pixels, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<JpegDecoded> decoded = DecodeJpeg(*bytes);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return *decoded;
}

CompressionOptions WithTables(const JpegInfo& jpeg) {
  CompressionOptions options;
  options.jpeg = jpeg;
  return options;
}

// The figures, and the per-block map into *map.
CompressionResult MeasureWithMap(const cv::Mat& pixels, cv::Mat* map) {
  CompressionOptions options;
  options.compute_map = true;
  CompressionMeasurement m = MeasureCompression(pixels, options);
  *map = m.map;
  return m.result;
}

// ImageMagick 6.9.11 (`identify -format %Q`) reports exactly Q for every IJG
// quality 1–100 on JPEGs written by libjpeg (Pillow) and by ImageMagick
// (`convert -quality Q`, 4:2:0, 4:4:4 and gray): checked with the script
// below; so acuity must read back exactly Q from the tables of each mode.
TEST(CompressionTest, QualityFromIjgTablesAgreesWithImageMagick) {
  const cv::Mat color = CleanCrop("coffee")(cv::Rect(0, 0, 32, 32)).clone();
  cv::Mat gray;
  cv::cvtColor(color, gray, cv::COLOR_BGR2GRAY);
  for (int q = 1; q <= 100; ++q) {
    for (int mode = 0; mode < 3; ++mode) {
      const JpegDecoded d = JpegRoundTrip(mode == 2 ? gray : color, q, /*subsample=*/mode == 0);
      const QuantTableQuality estimate = QualityFromQuantTables(d.info.quant_tables);
      ASSERT_EQ(estimate.quality, q) << "mode " << mode;
      EXPECT_EQ(estimate.match, QuantTableQuality::Match::kExact);
      const CompressionResult r = MeasureCompression(d.pixels, WithTables(d.info)).result;
      ASSERT_TRUE(r.jpeg_quality_estimate.has_value());
      EXPECT_EQ(*r.jpeg_quality_estimate, q);
      EXPECT_EQ(r.quality_source, "quant_tables");
    }
  }
}

// Non-IJG tables (cameras, Photoshop, custom encoders): ImageMagick still
// gives a number (92, its default, when its test finds none). Goldens made
// with Pillow writing these tables and ImageMagick 6.9.11 reading them back:
//
//   t[k] = clamp(round(base[k]·s) + ((7k + seed) mod 5) − 2, 1, 255)
//   base: IJG luma (slot 0), IJG chroma (slot 1; slot 2 with seed + 1)
//   for n, s, seed: im.save(f, qtables=tables[:n], subsampling=0)
//                   (n = 1: a gray image); identify -format %Q f
struct CustomTableGolden {
  int tables;
  double scale;
  int seed;
  int imagemagick_quality;
};
constexpr CustomTableGolden kCustomGoldens[] = {
    {1, 0.05, 0, 97}, {1, 0.05, 3, 97}, {1, 0.12, 0, 94}, {1, 0.12, 3, 93}, {1, 0.3, 0, 85},
    {1, 0.3, 3, 85},  {1, 0.45, 0, 78}, {1, 0.45, 3, 77}, {1, 0.7, 0, 65},  {1, 0.7, 3, 64},
    {1, 1.0, 0, 92},  {1, 1.0, 3, 49},  {1, 1.6, 0, 31},  {1, 1.6, 3, 92},  {1, 2.5, 0, 92},
    {1, 2.5, 3, 20},  {1, 4.0, 0, 12},  {1, 4.0, 3, 92},  {2, 0.05, 0, 98}, {2, 0.05, 3, 97},
    {2, 0.12, 0, 94}, {2, 0.12, 3, 93}, {2, 0.3, 0, 86},  {2, 0.3, 3, 84},  {2, 0.45, 0, 78},
    {2, 0.45, 3, 77}, {2, 0.7, 0, 66},  {2, 0.7, 3, 64},  {2, 1.0, 0, 51},  {2, 1.0, 3, 92},
    {2, 1.6, 0, 92},  {2, 1.6, 3, 92},  {2, 2.5, 0, 92},  {2, 2.5, 3, 92},  {2, 4.0, 0, 92},
    {2, 4.0, 3, 92},  {3, 0.05, 0, 96}, {3, 0.05, 3, 96}, {3, 0.12, 0, 91}, {3, 0.12, 3, 91},
    {3, 0.3, 0, 77},  {3, 0.3, 3, 76},  {3, 0.45, 0, 64}, {3, 0.45, 3, 64}, {3, 0.7, 0, 92},
    {3, 0.7, 3, 92},  {3, 1.0, 0, 92},  {3, 1.0, 3, 92},  {3, 1.6, 0, 92},  {3, 1.6, 3, 92},
    {3, 2.5, 0, 92},  {3, 2.5, 3, 92},  {3, 4.0, 0, 92},  {3, 4.0, 3, 92},
};

std::array<uint16_t, 64> CustomTable(const std::array<uint16_t, 64>& base, double s, int seed) {
  std::array<uint16_t, 64> t{};
  for (int k = 0; k < 64; ++k) {
    const int v = int(std::floor(base[k] * s + 0.5)) + ((k * 7 + seed) % 5) - 2;
    t[k] = uint16_t(std::clamp(v, 1, 255));
  }
  return t;
}

TEST(CompressionTest, QualityFromNonIjgTablesAgreesWithImageMagick) {
  const auto luma = IjgQuantTable(50, false), chroma = IjgQuantTable(50, true);  // the unscaled bases
  int undetermined = 0;
  for (const CustomTableGolden& g : kCustomGoldens) {
    std::vector<std::array<uint16_t, 64>> tables = {CustomTable(luma, g.scale, g.seed)};
    if (g.tables >= 2) tables.push_back(CustomTable(chroma, g.scale, g.seed));
    if (g.tables >= 3) tables.push_back(CustomTable(chroma, g.scale, g.seed + 1));
    const QuantTableQuality q = QualityFromQuantTables(tables);
    EXPECT_EQ(q.quality, g.imagemagick_quality) << g.tables << " tables, s " << g.scale << " seed " << g.seed;
    EXPECT_NE(q.match, QuantTableQuality::Match::kExact);
    undetermined += q.match == QuantTableQuality::Match::kUndetermined;
  }
  EXPECT_GT(undetermined, 0);  // the goldens exercise ImageMagick's fallback too
}

// PNG re-saves of JPEGs: the quality is read from the DCT lattice.
TEST(CompressionTest, QualityFromPixelsFollowsTheLadder) {
  struct Case {
    const char* photo;
    bool gray;
    bool subsample;
  };
  for (const Case& c : {Case{"coffee", false, true}, Case{"astronaut", false, false},
                        Case{"camera", true, false}, Case{"motorcycle_left", false, true}}) {
    const cv::Mat clean = CleanCrop(c.photo, c.gray);
    for (int q : {10, 30, 50, 70, 90}) {
      const JpegDecoded d = JpegRoundTrip(clean, q, c.subsample);
      const CompressionResult r = MeasureCompression(d.pixels).result;
      ASSERT_TRUE(r.jpeg_quality_estimate.has_value()) << c.photo << " q" << q;
      EXPECT_NEAR(*r.jpeg_quality_estimate, q, kQualityTolerance) << c.photo << " q" << q;
      EXPECT_EQ(r.quality_source, "pixels");
      EXPECT_EQ(r.grid_offset_x, 0);
      EXPECT_EQ(r.grid_offset_y, 0);
    }
  }
}

// A damaged photo re-saved at a high quality (a re-upload): its tables say
// the last save's quality, its pixels keep the blocks of the earlier one;
// "JPEG quality 95, good" over blockiness 4.6 planned no repair (issue #25).
// A photo saved once, however low, reads its own tables.
TEST(CompressionTest, AJpegReSavedAtAHigherQualityReadsTheEarlierSave) {
  for (const char* photo : {"astronaut", "chelsea", "motorcycle_left"}) {
    const cv::Mat clean = CleanCrop(photo);
    for (int last : {85, 95}) {
      const JpegDecoded d = JpegRoundTrip(JpegRoundTrip(clean, 20).pixels, last);
      const CompressionResult r = MeasureCompression(d.pixels, WithTables(d.info)).result;
      ASSERT_TRUE(r.jpeg_quality_estimate && r.last_saved_quality) << photo << " q20 then q" << last;
      // The second save's steps blur the first one's lattice: read within
      // kReSavedTolerance, always below the advisor's deblocking quality 50.
      EXPECT_NEAR(*r.jpeg_quality_estimate, 20, kReSavedTolerance) << photo << " q20 then q" << last;
      EXPECT_EQ(*r.last_saved_quality, last);
      EXPECT_EQ(r.quality_source, "pixels");
      EXPECT_FALSE(r.tables.has_value());
    }
    for (int once : {20, 40, 95}) {
      const JpegDecoded d = JpegRoundTrip(clean, once);
      const CompressionResult r = MeasureCompression(d.pixels, WithTables(d.info)).result;
      EXPECT_EQ(r.quality_source, "quant_tables") << photo << " q" << once;
      EXPECT_EQ(r.jpeg_quality_estimate, once) << photo;
      EXPECT_FALSE(r.last_saved_quality.has_value()) << photo << " q" << once;
    }
  }
}

TEST(CompressionTest, CroppedJpegGridIsFound) {
  const cv::Mat clean = CleanCrop("chelsea");
  const JpegDecoded d = JpegRoundTrip(clean, 60);
  const cv::Mat cropped = d.pixels(cv::Rect(3, 5, d.pixels.cols - 3, d.pixels.rows - 5)).clone();
  const CompressionResult r = MeasureCompression(cropped).result;
  ASSERT_TRUE(r.jpeg_quality_estimate.has_value());
  EXPECT_NEAR(*r.jpeg_quality_estimate, 60, kQualityTolerance);
  EXPECT_EQ(r.grid_offset_x, 5);  // old block columns now start at x = 8 − 3
  EXPECT_EQ(r.grid_offset_y, 3);
}

TEST(CompressionTest, NeverCompressedIsNull) {
  for (const char* name : {"coffee", "astronaut", "camera", "grass"}) {
    const cv::Mat clean = CleanCrop(name);
    cv::Mat noisy, blurred;
    cv::Mat noise(clean.size(), CV_32FC3);
    cv::randn(noise, 0, 5);
    clean.convertTo(noisy, CV_32FC3);
    noisy += noise;
    noisy.convertTo(noisy, CV_8UC3);
    cv::GaussianBlur(clean, blurred, cv::Size(), 1.5);
    for (const cv::Mat& image : {clean, noisy, blurred}) {
      const CompressionResult r = MeasureCompression(image).result;
      EXPECT_FALSE(r.jpeg_quality_estimate.has_value()) << name << " read as q" << *r.jpeg_quality_estimate;
      EXPECT_EQ(r.quality_source, "none");
    }
  }
}

// A photo framed by a white border of 16 px — its edges on the 8-px grid —
// and a UI-like panel grid on it: a PNG that was never a JPEG read
// "8×8 blocks visible" (blockiness 1.7–4.5 on scikit-image's photos) from a
// few straight lines. The same framed photo saved as JPEG q30 still reads
// its blocks.
TEST(CompressionTest, StraightEdgesOnTheGridAreNotBlocks) {
  for (const char* name : {"coffee", "astronaut", "camera"}) {
    const cv::Mat clean = CleanCrop(name);
    cv::Mat framed;
    cv::copyMakeBorder(clean, framed, 16, 16, 16, 16, cv::BORDER_CONSTANT, cv::Scalar::all(255));
    cv::rectangle(framed, cv::Rect(64, 64, 64, 40), cv::Scalar(40, 40, 40), cv::FILLED);  // a dark panel, on the grid
    const CompressionResult png = MeasureCompression(framed).result;
    ASSERT_TRUE(png.blockiness.has_value());
    EXPECT_LT(*png.blockiness, kVisibleBlockiness) << name;
    EXPECT_EQ(png.quality_source, "none") << name;
    const CompressionResult jpeg = MeasureCompression(JpegRoundTrip(framed, 30).pixels).result;
    EXPECT_GT(*jpeg.blockiness, kVisibleBlockiness) << name;
  }
}

// A 1-bit picture made with a threshold matrix tiled every `period` px:
// Bayer's ordered dither (`clustered` false) or a clustered-dot halftone
// screen whose dots grow from each cell's centre.
cv::Mat Screened(const cv::Mat& photo, int period, bool clustered) {
  cv::Mat gray;
  cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
  std::vector<double> rank(size_t(period * period));
  if (clustered) {
    std::vector<int> order(rank.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    const auto radius = [&](int i) { return std::hypot(i % period + 0.5 - period / 2.0, i / period + 0.5 - period / 2.0); };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return radius(a) < radius(b); });
    for (size_t r = 0; r < order.size(); ++r) rank[size_t(order[r])] = double(r);
  } else {  // Bayer's matrix by its recursion M(2n) = [[4M, 4M+2], [4M+3, 4M+1]]
    std::vector<int> m = {0};
    for (int n = 1; n < period; n *= 2) {
      std::vector<int> next(size_t(4 * n * n));
      constexpr int kQuadrant[4] = {0, 2, 3, 1};
      for (int y = 0; y < 2 * n; ++y)
        for (int x = 0; x < 2 * n; ++x)
          next[size_t(y * 2 * n + x)] = 4 * m[size_t((y % n) * n + x % n)] + kQuadrant[(y / n) * 2 + x / n];
      m = next;
    }
    for (size_t i = 0; i < m.size(); ++i) rank[i] = m[i];
  }
  cv::Mat out(gray.size(), CV_8UC1);
  for (int y = 0; y < gray.rows; ++y)
    for (int x = 0; x < gray.cols; ++x) {
      const double threshold = (rank[size_t((y % period) * period + x % period)] + 0.5) / double(rank.size());
      out.at<uint8_t>(y, x) = gray.at<uint8_t>(y, x) / 255.0 > threshold ? 255 : 0;
    }
  return out;
}

// A dithered or halftoned 1-bit picture (a scanned print, a 1-bit export)
// is periodic at 4 or 8 px, and its lines stepped at the 8-px grid's
// boundaries: it read "8×8 blocks visible" (blockiness 1.5–3.2 for Bayer's
// 4- and 8-px dithers of camera and coffee, up to 32 for a dark, sparse
// one). No JPEG decode makes a two-level picture: not measured, no quality,
// a blank map. A JPEG file of one is read from its tables as any JPEG.
TEST(CompressionTest, ATwoLevelPictureShowsNoBlocks) {
  for (const char* name : {"coffee", "camera", "hubble_deep_field"}) {
    const cv::Mat clean = CleanCrop(name);
    for (const auto& [period, clustered] : std::vector<std::pair<int, bool>>{{4, false}, {8, false}, {8, true}}) {
      const std::string what = std::string(name) + (clustered ? " screen " : " dither ") + std::to_string(period);
      const cv::Mat screened = Screened(clean, period, clustered);
      cv::Mat map;
      const CompressionResult r = MeasureWithMap(screened, &map);
      EXPECT_EQ(r.two_level, true) << what;
      EXPECT_FALSE(r.blockiness.has_value()) << what;
      EXPECT_FALSE(r.jpeg_quality_estimate.has_value()) << what;
      EXPECT_EQ(r.quality_source, "none") << what;
      ASSERT_EQ(map.size(), cv::Size((screened.cols + 7) / 8, (screened.rows + 7) / 8)) << what;
      EXPECT_EQ(cv::countNonZero(map), 0) << what << ": the map shows blocks the reading does not";
      const JpegDecoded jpeg = JpegRoundTrip(screened, 75);
      const CompressionResult from_file = MeasureCompression(jpeg.pixels, WithTables(jpeg.info)).result;
      EXPECT_FALSE(from_file.two_level.has_value()) << what << " as a JPEG file";
      EXPECT_TRUE(from_file.blockiness.has_value()) << what << " as a JPEG file";
      EXPECT_EQ(from_file.jpeg_quality_estimate, 75) << what << " as a JPEG file";
    }
  }
  // A photo is never two-level, nor its JPEG decode.
  const cv::Mat photo = CleanCrop("camera");
  EXPECT_FALSE(MeasureCompression(photo).result.two_level.has_value());
  EXPECT_FALSE(MeasureCompression(JpegRoundTrip(photo, 20).pixels).result.two_level.has_value());
}

// A walk (issue #25): 8-colour pixel art enlarged ×8 by nearest neighbour, a
// PNG, read blockiness 84–91, "8×8 blocks visible": its cells are the 8-px
// grid. No JPEG decode makes a picture of a few exact colours: not measured,
// a blank map; as a JPEG file it is read from its tables. A JPEG decode of
// it, re-saved losslessly, has far more colours and is read from its pixels.
TEST(CompressionTest, APalettePictureShowsNoBlocks) {
  const uchar palette[][3] = {{0, 0, 0}, {255, 255, 255}, {50, 50, 230}, {80, 200, 50}, {220, 80, 40}, {40, 220, 250}};
  cv::RNG rng(3);
  cv::Mat sprite(40, 40, CV_8UC3);
  for (int y = 0; y < sprite.rows; ++y)
    for (int x = 0; x < sprite.cols; ++x) {
      const uchar* c = palette[rng.uniform(0, 6)];
      sprite.at<cv::Vec3b>(y, x) = {c[0], c[1], c[2]};
    }
  cv::Mat art;
  cv::resize(sprite, art, cv::Size(), 8, 8, cv::INTER_NEAREST);
  cv::Mat map;
  const CompressionResult r = MeasureWithMap(art, &map);
  EXPECT_EQ(r.palette_colors, 6);
  EXPECT_FALSE(r.two_level.has_value());
  EXPECT_FALSE(r.blockiness.has_value());
  EXPECT_FALSE(r.jpeg_quality_estimate.has_value());
  EXPECT_EQ(cv::countNonZero(map), 0);
  const JpegDecoded jpeg = JpegRoundTrip(art, 75);
  const CompressionResult from_file = MeasureCompression(jpeg.pixels, WithTables(jpeg.info)).result;
  EXPECT_FALSE(from_file.palette_colors.has_value());
  EXPECT_EQ(from_file.jpeg_quality_estimate, 75);
  const CompressionResult from_pixels = MeasureCompression(jpeg.pixels).result;
  EXPECT_FALSE(from_pixels.palette_colors.has_value());
  EXPECT_TRUE(from_pixels.blockiness.has_value());
  EXPECT_FALSE(MeasureCompression(CleanCrop("coffee")).result.palette_colors.has_value());
  // A sprite on a transparent background: what is hidden (here random
  // colours, in Analyze a smooth fill) is no colour of the picture.
  cv::Mat sprite_bgra;
  cv::cvtColor(art, sprite_bgra, cv::COLOR_BGR2BGRA);
  for (int y = 0; y < sprite_bgra.rows; ++y)
    for (int x = 0; x < sprite_bgra.cols / 2; ++x)
      sprite_bgra.at<cv::Vec4b>(y, x) = {uchar(rng.uniform(0, 256)), uchar(rng.uniform(0, 256)), uchar(x), 0};
  const CompressionResult cut_out = MeasureCompression(sprite_bgra).result;
  EXPECT_EQ(cut_out.palette_colors, 6);
  EXPECT_FALSE(cut_out.blockiness.has_value());
}

// An enlargement by 2 or 4 — pixels copied or interpolated — steps every
// 2nd or 4th line (or ripples with that period): interior lines of the 8-px
// period step as much as its boundaries. 83 of 160 such enlargements of
// scikit-image photos (PIL's nearest, bilinear, bicubic, Lanczos) read
// "8×8 blocks visible", blockiness 1.1–8.6 (tuned there); checked here
// with OpenCV's resamplers. The same enlargements of a JPEG q20 still show
// its blocks, enlarged.
TEST(CompressionTest, AnEnlargementBy2Or4IsNotBlocks) {
  for (const char* name : {"coffee", "camera", "chelsea", "rocket"}) {
    const cv::Mat clean = CleanCrop(name);
    for (const auto& [factor, kernel] : std::vector<std::pair<int, int>>{
             {2, cv::INTER_NEAREST}, {2, cv::INTER_LINEAR}, {2, cv::INTER_CUBIC}, {2, cv::INTER_LANCZOS4},
             {4, cv::INTER_NEAREST}, {4, cv::INTER_CUBIC}}) {
      cv::Mat big;
      cv::resize(clean, big, cv::Size(), factor, factor, kernel);
      cv::Mat map;
      const CompressionResult r = MeasureWithMap(big, &map);
      const std::string what = std::string(name) + " ×" + std::to_string(factor) + " kernel " + std::to_string(kernel);
      ASSERT_TRUE(r.blockiness.has_value()) << what;
      EXPECT_LT(*r.blockiness, kVisibleBlockiness) << what;
      EXPECT_EQ(r.quality_source, "none") << what;
      EXPECT_LT(cv::mean(map)[0], kVisibleBlockiness) << what << ": the map shows blocks the reading does not";
    }
    cv::Mat blocky;
    cv::resize(JpegRoundTrip(clean, 20).pixels, blocky, cv::Size(), 2, 2, cv::INTER_NEAREST);
    const CompressionResult r = MeasureCompression(blocky).result;
    EXPECT_GE(r.blockiness.value_or(0), kVisibleBlockiness) << name << ": a JPEG q20 enlarged 2× (16-px blocks)";
  }
}

// A thumbnail has few lines of each phase, and its detail alone steps some
// phase more than the others: PNG thumbnails of clean photos read "8×8
// blocks visible" (coffee 48×32 px: blockiness 2.1; coins 64 px: 4.1). With no
// JPEG behind the pixels, a block excess must stand out of the lines' spread;
// a small JPEG file's blocks (known from its tables) are still read.
TEST(CompressionTest, AThumbnailsDetailIsNotBlocks) {
  for (const char* name : {"coffee", "coins", "motorcycle_left", "astronaut", "chelsea", "camera"}) {
    const cv::Mat photo = testing::LoadPhoto(name);
    ASSERT_FALSE(photo.empty()) << name;
    for (const cv::Size size : {cv::Size(16, 16), cv::Size(23, 23), cv::Size(48, 32), cv::Size(64, 43),
                                cv::Size(64, 64), cv::Size(96, 64)}) {
      for (const int kernel : {cv::INTER_AREA, cv::INTER_LANCZOS4}) {
        cv::Mat thumb;
        cv::resize(photo, thumb, size, 0, 0, kernel);
        const CompressionResult r = MeasureCompression(thumb).result;
        EXPECT_LT(r.blockiness.value_or(99), kVisibleBlockiness) << name << " " << size << " kernel " << kernel;
        EXPECT_EQ(r.quality_source, "none") << name << " " << size;
      }
    }
    cv::Mat thumb;
    cv::resize(photo, thumb, cv::Size(96, 64), 0, 0, cv::INTER_AREA);
    const JpegDecoded small = JpegRoundTrip(thumb, 20);
    EXPECT_GE(MeasureCompression(small.pixels, WithTables(small.info)).result.blockiness.value_or(0), kVisibleBlockiness)
        << name << ": a 96×64 JPEG q20";
  }
}

TEST(CompressionTest, BlockinessGrowsAsQualityDrops) {
  const cv::Mat clean = CleanCrop("astronaut");
  cv::Mat map;
  const CompressionResult none = MeasureWithMap(clean, &map);
  EXPECT_EQ(map.rows, (clean.rows + 7) / 8);
  EXPECT_EQ(map.cols, (clean.cols + 7) / 8);
  ASSERT_TRUE(none.blockiness.has_value());
  EXPECT_LT(*none.blockiness, 0.2);
  double previous = *none.blockiness;
  for (int q : {90, 50, 20, 10}) {
    const CompressionResult r = MeasureWithMap(JpegRoundTrip(clean, q).pixels, &map);
    EXPECT_GT(*r.blockiness, previous) << "q" << q;
    previous = *r.blockiness;
    if (q == 10) {
      EXPECT_GT(cv::mean(map)[0], 1.0);
    }
  }
}

// Above a megapixel MeasureCompression reads a sample of tiles: it must find
// the grid and quality that full reads of the image's four quadrants (each
// under a megapixel) find, nearly their mean blockiness, and still see no
// JPEG in a never-compressed image. Asking for a map changes no figure.
TEST(CompressionTest, BigImagesReadOnASampleAgreeWithFullReadsOfTheQuadrants) {
  cv::Mat big;
  cv::resize(testing::LoadPhoto("astronaut"), big, cv::Size(1536, 1536), 0, 0, cv::INTER_LANCZOS4);
  cv::Mat noise(big.size(), CV_16SC3);
  cv::randn(noise, 0, 2);
  cv::add(big, noise, big, cv::noArray(), CV_8UC3);
  const JpegDecoded d = JpegRoundTrip(big, 70);
  const cv::Mat cropped = d.pixels(cv::Rect(3, 5, d.pixels.cols - 3, d.pixels.rows - 5)).clone();
  for (const cv::Mat& image : {big, cropped}) {
    const bool jpeg = image.data == cropped.data;
    const CompressionResult sampled = MeasureCompression(image).result;
    double quadrant_blockiness = 0;
    for (int q = 0; q < 4; ++q) {
      // Quadrant corners on multiples of 8 px keep the grid offset.
      const cv::Rect quadrant((q % 2) * 760, (q / 2) * 760, 760, 760);
      const CompressionResult full = MeasureCompression(image(quadrant)).result;
      EXPECT_EQ(full.jpeg_quality_estimate, sampled.jpeg_quality_estimate) << "quadrant " << q;
      EXPECT_EQ(full.grid_offset_x, sampled.grid_offset_x);
      EXPECT_EQ(full.grid_offset_y, sampled.grid_offset_y);
      quadrant_blockiness += *full.blockiness / 4;
    }
    EXPECT_NEAR(*sampled.blockiness, quadrant_blockiness, 0.1 * quadrant_blockiness + 0.02) << "jpeg " << jpeg;
    cv::Mat map;
    const CompressionResult with_map = MeasureWithMap(image, &map);
    EXPECT_EQ(with_map.blockiness, sampled.blockiness);
    EXPECT_EQ(with_map.jpeg_quality_estimate, sampled.jpeg_quality_estimate);
    EXPECT_EQ(map.rows, (image.rows + 7) / 8);
    EXPECT_EQ(map.cols, (image.cols + 7) / 8);
    if (!jpeg) {
      EXPECT_FALSE(sampled.jpeg_quality_estimate.has_value()) << "read as q" << *sampled.jpeg_quality_estimate;
    } else {
      ASSERT_TRUE(sampled.jpeg_quality_estimate.has_value());
      EXPECT_NEAR(*sampled.jpeg_quality_estimate, 70, kQualityTolerance);
      EXPECT_EQ(sampled.grid_offset_x, 5);
      EXPECT_EQ(sampled.grid_offset_y, 3);
    }
  }
}

}  // namespace
}  // namespace acuity
