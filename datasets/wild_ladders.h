// The "wild" evaluation sets of issue #17, built in memory from scikit-image's
// photos (nothing written to disk): every real photo, crops of different
// content (foliage, fur, architecture, faces, text, other texture) and
// generated fences, each with the ground truth wild_evaluate scores against.
//
//   std::vector<acuity::datasets::WildItem> photos = acuity::datasets::WildPhotos(dir);
//   std::vector<acuity::datasets::WildItem> crops = acuity::datasets::ContentCrops(dir);
//   double truth = acuity::datasets::TrueNoiseSigma(clean, {0.5, 4}, 42.5, 85);
#ifndef ACUITY_DATASETS_WILD_LADDERS_H_
#define ACUITY_DATASETS_WILD_LADDERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity::datasets {

struct WildItem {
  std::string name;     // "coffee", "chelsea@120,30" (a crop), "fence_p14_a75"
  std::string content;  // "photo", "foliage", "fur", "architecture", "faces", "text", "texture", "fence"
  cv::Mat image;        // 8-bit BGR or gray
};

// Every real photo scikit-image ships (not the synthetic charts, not
// clock_motion, which is motion-blurred itself): alpha dropped, halved with
// area averaging when both sides stay ≥ 256 px, centre crop ≤ 512 px.
std::vector<WildItem> WildPhotos(const std::string& photo_dir);

// Full-resolution crops of ≤ 256 px by content class (see wild_ladders.cc).
std::vector<WildItem> ContentCrops(const std::string& photo_dir);

// Sharp generated fences / stripes / bars (testing::Fence) at several
// periods, angles and bar shares, 384 px, AWGN σ 2.
std::vector<WildItem> Fences();

// Flat graphics, not photos: UI screenshots, bar charts, logos and products
// drawn in flat colours on white (testing/synthetic_images.h and drawn
// here), as PNG and as JPEG q90 — negatives of the motion-blur test.
std::vector<WildItem> FlatGraphics();

// One photo read as 8-bit BGR or gray (alpha dropped); empty when missing.
cv::Mat ReadPhoto(const std::string& photo_dir, const std::string& name);

// FNV-1a of a name: reproducible seeds.
uint64_t NameSeed(const std::string& s);

// Camera-like noise: variance a·I + b (8-bit units), then an optional
// demosaic-like correlation (mix, testing::DemosaicLikeCorrelation) and JPEG.
struct CameraNoise {
  double a = 0, b = 0;
  double demosaic_mix = 0;  // 0 = none
  int jpeg_quality = 0;     // 0 = none
};
cv::Mat AddCameraNoise(const cv::Mat& clean, const CameraNoise& noise, uint64_t seed);

// The true σ of the noise per pixel (8-bit units) over the pixels of `clean`
// whose channel level lies in [from, to): √(a·Ī + b) with Ī their mean level,
// scaled by the correlation's gain on white noise (the square root of the sum
// of the squared kernel weights). JPEG is not modelled (it removes some).
// Empty when no pixel lies in the range.
std::optional<double> TrueNoiseSigma(const cv::Mat& clean, const CameraNoise& noise, double from, double to);

// The block of RESULTS.md that wild_evaluate writes is delimited by these.
inline constexpr char kWildBlockName[] = "wild_evaluate";  // datasets/markdown_blocks.h
inline constexpr char kWildBlockBegin[] = "<!-- wild_evaluate: begin -->";
inline constexpr char kWildBlockEnd[] = "<!-- wild_evaluate: end -->";
// The wild block of `markdown` (markers and final newline included), or "".
std::string WildBlockOf(const std::string& markdown);
// `markdown` with its wild block replaced by `block` (markers included), or
// with `block` appended after a blank line when it has none.
std::string WithWildBlock(const std::string& markdown, const std::string& block);

// A JPEG round trip at `quality` (IJG, 4:2:0 for colour).
cv::Mat JpegRoundTrip(const cv::Mat& image, int quality);

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_WILD_LADDERS_H_
