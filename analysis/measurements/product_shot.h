// Readings of a product photo that a marketplace's main-image rules ask
// about (marketplace.h): whether the background is white, sampled in a band
// along the image's borders (outside the product's box: a product may touch
// an edge), and how much of the frame the product fills.
//
//   acuity::ProductShotReading p = acuity::MeasureProductShot(image.pixels);
//   if (!p.background_white()) Warn("background_not_white", p.border_median_8bit);
//   if (p.product_fill_pct < 85) Warn("product_fill_low", p.product_fill_pct);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_PRODUCT_SHOT_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_PRODUCT_SHOT_H_

#include <array>

#include <opencv2/core.hpp>

namespace acuity {

// A pixel is white when every channel is at least this (8-bit levels): pure
// white after JPEG rounding passes, off-white (245) does not.
inline constexpr int kWhiteLevel8bit = 250;
// The border band (outside the product's box) is white when at least this
// share of it is, %.
inline constexpr double kWhiteBorderPct = 95.0;
// The band's width: this share of the short side, at least 2 px.
inline constexpr double kBorderBandFraction = 0.02;
// A pixel belongs to the product when a channel differs from the border's
// median colour by more than this, 8-bit levels (after a 3×3 median).
inline constexpr int kProductDifference8bit = 24;

struct ProductShotReading {
  // Share of the border band outside the product's box that is white, %
  // (0 when the product covers the band: no background shows).
  double border_white_pct = 0;
  cv::Vec3b border_median_8bit;    // the whole band's median colour, BGR 8-bit
  // The product's box (what differs from the border's colour), px of the
  // image, and its extent along its longer side relative to the frame's:
  // max(box width / width, box height / height), %. Empty and 0 when nothing
  // differs: the frame is all backdrop, or all product (a close-up whose
  // border is the product's own colour), as product_found says; on a white
  // border that is an empty frame (no product).
  cv::Rect product_box_px;
  double product_fill_pct = 0;
  bool background_white() const { return border_white_pct >= kWhiteBorderPct; }
  bool product_found() const { return product_box_px.area() > 0; }
};

// Any depth (8/16-bit), 1, 3 or 4 channels (a transparent picture is read on
// white, as a page shows it: FlattenOntoWhite).
ProductShotReading MeasureProductShot(const cv::Mat& pixels);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_PRODUCT_SHOT_H_
