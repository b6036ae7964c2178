#include "analysis/measurements/clipped_plateaus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// Pixels of `flat` with every channel in [`lo`, `hi`] (BGR), and how many of
// them `mask` holds.
struct Coverage {
  int flat_at_level = 0, clipped = 0;
};
Coverage CoverRange(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& mask, const cv::Scalar& lo,
                    const cv::Scalar& hi, const cv::Mat& where = {}) {
  Coverage c;
  for (int y = 0; y < px8.rows; ++y)
    for (int x = 0; x < px8.cols; ++x) {
      if (!flat.at<uchar>(y, x) || (!where.empty() && !where.at<uchar>(y, x))) continue;
      bool at = true;
      for (int k = 0; k < px8.channels(); ++k) {
        const uchar v = px8.ptr<uchar>(y, x)[k];
        at &= v >= lo[k] && v <= hi[k];
      }
      if (!at) continue;
      ++c.flat_at_level;
      c.clipped += !mask.empty() && mask.at<uchar>(y, x);
    }
  return c;
}
// ... at `level` in every channel.
Coverage Cover(const cv::Mat& px8, const cv::Mat& flat, const cv::Mat& mask, uchar level, const cv::Mat& where = {}) {
  return CoverRange(px8, flat, mask, cv::Scalar::all(level), cv::Scalar::all(level), where);
}

// Overexposed and underexposed photos, colour and gray: their blown-out
// and crushed areas ramp on towards the level they clipped at.
TEST(ClippedPlateausTest, AnOverexposedPhotosBlownAreasAreClipped) {
  struct Case {
    const char* name;
    double gain;
    bool darken, gray;
  };
  for (const Case& k : {Case{"chelsea", 2.5, false, false}, Case{"rocket", 2.0, false, false},
                        Case{"astronaut", 2.0, false, false}, Case{"coffee", 2.0, true, false},
                        Case{"grass", 2.5, false, true}, Case{"moon", 2.0, false, true}}) {
    const cv::Mat px8 = testing::Exposed(testing::LoadPhoto(k.name, k.gray), k.gain, k.darken);
    const cv::Mat flat = ExactlyFlatMask(px8);
    const Coverage c = Cover(px8, flat, ClippedPlateauMask(px8, flat), k.darken ? 0 : 255);
    ASSERT_GT(c.flat_at_level, 500) << k.name;  // something clipped to judge
    EXPECT_GT(c.clipped, 0.8 * c.flat_at_level) << k.name << " ×" << k.gain << ": " << c.clipped << " of "
                                                << c.flat_at_level;
  }
}

// A photo's clipping point is not always 255 or 0, nor always white or
// black: the plain astronaut's helmet highlights are flat at 254 (read at
// 255 alone they seeded "drawn on it 10 %"), and a red bike darkened ×1.5
// clips to (255,0,0) — every channel at an end, its rim ramping on through
// saturated reds.
TEST(ClippedPlateausTest, HighlightsJustBelowWhiteAndClippedColoursAreClipped) {
  struct Case {
    const char* name;
    double gain;
    bool darken;
    cv::Scalar lo, hi;  // BGR
  };
  for (const Case& k : {Case{"astronaut", 1.0, false, cv::Scalar::all(254), cv::Scalar::all(254)},
                        Case{"motorcycle_left", 1.5, true, cv::Scalar(0, 0, 253), cv::Scalar(2, 2, 255)}}) {
    const cv::Mat px8 = testing::Exposed(testing::LoadPhoto(k.name), k.gain, k.darken);
    const cv::Mat flat = ExactlyFlatMask(px8);
    const Coverage c = CoverRange(px8, flat, ClippedPlateauMask(px8, flat), k.lo, k.hi);
    ASSERT_GT(c.flat_at_level, 400) << k.name;  // something clipped to judge
    EXPECT_GT(c.clipped, 0.8 * c.flat_at_level) << k.name << ": " << c.clipped << " of " << c.flat_at_level;
  }
}

// `drawn` (CV_8U) less the fills that touch the photo's own pixels at
// `level` (in `before`, within kClipLevelSpread): those join its plateau and are judged with it
// (clipped_plateaus.h).
cv::Mat ApartFromThePhotos(const cv::Mat& drawn, const cv::Mat& px8, const cv::Mat& before, uchar level) {
  const int from = level == 0 ? 0 : 255 - kClipLevelSpread, to = level == 0 ? kClipLevelSpread : 255;
  const cv::Scalar lo = cv::Scalar::all(from), hi = cv::Scalar::all(to);
  cv::Mat now_at, was_at, labels;
  cv::inRange(px8, lo, hi, now_at);
  cv::inRange(before, lo, hi, was_at);
  const int count = cv::connectedComponents(now_at, labels, 8, CV_32S);
  std::vector<uchar> touches(size_t(count), 0);
  for (int y = 0; y < labels.rows; ++y)
    for (int x = 0; x < labels.cols; ++x)
      if (was_at.at<uchar>(y, x)) touches[size_t(labels.at<int>(y, x))] = 1;
  cv::Mat apart = drawn.clone();
  for (int y = 0; y < labels.rows; ++y)
    for (int x = 0; x < labels.cols; ++x)
      if (touches[size_t(labels.at<int>(y, x))]) apart.at<uchar>(y, x) = 0;
  return apart;
}

// The top left of the `size` window of `photo` whose luma keeps farthest
// from `level` (its nearest pixel), on a grid of `size` / 4: where a
// caption or a logo of that colour is drawn to show all round.
cv::Point WhereItShows(const cv::Mat& photo, cv::Size size, uchar level) {
  cv::Mat luma;
  cv::cvtColor(photo, luma, cv::COLOR_BGR2GRAY);
  cv::Point best(0, 0);
  double farthest = -1;
  for (int y = 0; y + size.height <= luma.rows; y += std::max(1, size.height / 4))
    for (int x = 0; x + size.width <= luma.cols; x += std::max(1, size.width / 4)) {
      double lo = 0, hi = 0;
      cv::minMaxLoc(luma(cv::Rect(cv::Point(x, y), size)), &lo, &hi);
      const double d = level == 0 ? lo : 255.0 - hi;
      if (d > farthest) farthest = d, best = cv::Point(x, y);
    }
  return best;
}

// White and black captions and a logo drawn on photos where they show,
// sharp and soft: their fills step down to the photo all round, and a
// logo's plateau is never clipped. The pixels touching an anti-aliased
// stroke are blends of the fill and the photo, a good part of them close to
// the fill: a few of a caption's small glyph pieces ramp as clipping does,
// up to 7 % of its flat pixels here (1.7 % of the glyphs of
// datasets/clipped_plateaus.py); the caption is still found, by its other
// pieces (content_kind_test). (Drawn over areas close to their own level
// they ramp as clipping does, and on a picture clipped at their colour they
// are read as clipping: clipped_plateaus.h.)
TEST(ClippedPlateausTest, CaptionsAndLogosDrawnOnAPhotoAreNotClipped) {
  for (const char* name : {"motorcycle_left", "coffee", "camera", "chelsea"}) {
    for (double blur : {0.0, 2.0}) {
      for (const cv::Scalar& colour : {cv::Scalar(255, 255, 255), cv::Scalar(0, 0, 0)}) {
        cv::Mat px8 = testing::LoadPhoto(name);
        if (blur > 0) cv::GaussianBlur(px8, px8, cv::Size(), blur);
        const cv::Mat before = px8.clone();
        const uchar level = uchar(colour[0]);
        auto drawn_since = [&](const cv::Mat& was) {
          cv::Mat drawn;
          cv::absdiff(px8, was, drawn);
          cv::cvtColor(drawn, drawn, cv::COLOR_BGR2GRAY);
          return ApartFromThePhotos(drawn > 0, px8, before, level);
        };
        const cv::Point text = WhereItShows(before, cv::Size(300, 40), level);
        cv::putText(px8, "(c) studio", text + cv::Point(5, 33), cv::FONT_HERSHEY_SIMPLEX, 1.2, colour, 4, cv::LINE_AA);
        const cv::Mat with_text = px8.clone();
        const cv::Point logo = WhereItShows(before, cv::Size(90, 90), level);
        cv::circle(px8, logo + cv::Point(45, 45), 40, colour, cv::FILLED, cv::LINE_AA);
        const cv::Mat logo_drawn = drawn_since(with_text), text_drawn = drawn_since(before) & ~logo_drawn;
        const cv::Mat flat = ExactlyFlatMask(px8), clipped = ClippedPlateauMask(px8, flat);
        const std::string what = std::string(name) + " blur " + std::to_string(blur) + " colour " +
                                 std::to_string(int(level));
        const Coverage on_logo = Cover(px8, flat, clipped, level, logo_drawn);
        ASSERT_GT(on_logo.flat_at_level, 1000) << what;
        EXPECT_EQ(on_logo.clipped, 0) << what << ": of " << on_logo.flat_at_level;
        const Coverage on_text = Cover(px8, flat, clipped, level, text_drawn);
        ASSERT_GT(on_text.flat_at_level, 300) << what;
        EXPECT_LT(on_text.clipped, 0.1 * on_text.flat_at_level) << what << ": of " << on_text.flat_at_level;
      }
    }
  }
}

// A picture clipped at a colour over kClippedPictureShare reads every
// plateau there as clipping, a caption in that colour too: the astronaut's
// backdrop is crushed to black over 9 % of it, and a black caption and
// logo drawn on its suit (where they show all round) are clipped; white
// ones are not, nor are black ones on a photo clipped at no corner.
TEST(ClippedPlateausTest, APictureClippedAtAColourReadsThatColourAsClipping) {
  for (const char* name : {"astronaut", "chelsea"}) {
    for (const cv::Scalar& colour : {cv::Scalar(255, 255, 255), cv::Scalar(0, 0, 0)}) {
      cv::Mat px8 = testing::LoadPhoto(name);
      const cv::Mat before = px8.clone();
      const uchar level = uchar(colour[0]);
      const cv::Point logo = WhereItShows(before, cv::Size(90, 90), level);
      cv::circle(px8, logo + cv::Point(45, 45), 40, colour, cv::FILLED, cv::LINE_AA);
      cv::Mat drawn;
      cv::absdiff(px8, before, drawn);
      cv::cvtColor(drawn, drawn, cv::COLOR_BGR2GRAY);
      drawn = ApartFromThePhotos(drawn > 0, px8, before, level);
      const cv::Mat flat = ExactlyFlatMask(px8);
      const Coverage c = Cover(px8, flat, ClippedPlateauMask(px8, flat), level, drawn);
      ASSERT_GT(c.flat_at_level, 1000) << name;
      if (std::string(name) == "astronaut" && level == 0)
        EXPECT_EQ(c.clipped, c.flat_at_level) << name;
      else
        EXPECT_EQ(c.clipped, 0) << name << " " << int(level);
    }
  }
}

// A screenshot's white page and dark theme are drawn: beside them lie other
// flat panels and the steps of text, no ramp.
TEST(ClippedPlateausTest, AScreenshotsPageIsNotClipped) {
  for (const cv::Mat& px8 : {testing::UiScreenshot(testing::UiStyle::kLight, 1),
                             testing::UiScreenshot(testing::UiStyle::kDark, 2), testing::BarChart(3)}) {
    const cv::Mat flat = ExactlyFlatMask(px8);
    ASSERT_GT(cv::countNonZero(flat), 0.3 * double(flat.total()));  // pages and panels to judge
    const cv::Mat mask = ClippedPlateauMask(px8, flat);
    EXPECT_LT(mask.empty() ? 0 : cv::countNonZero(mask), 0.01 * cv::countNonZero(flat));
  }
}

// What transparency hides is in no plateau and no rim, whatever colour is
// stored there (visible_part.h). A cut-out lit from behind (a dark card
// with a pale, grainy outline) carries a white label at its top edge: with
// white stored under the transparency, the label joined the whole margin,
// whose rim is that pale outline, and read as clipped (a review found it);
// with gray stored, as it should, it is a label drawn on the card.
TEST(ClippedPlateausTest, WhatTransparencyHidesIsInNoPlateauAndNoRim) {
  auto clipped_px = [](const cv::Scalar& stored) {
    cv::Mat px8(120, 160, CV_8UC4, stored);  // hidden: alpha 0
    const cv::Rect card(20, 20, 120, 80);
    cv::Mat outline(card.size(), CV_8UC4);
    cv::randu(outline, cv::Scalar(225, 225, 225, 255), cv::Scalar(251, 251, 251, 256));
    outline.copyTo(px8(card));
    cv::rectangle(px8, cv::Rect(26, 26, 108, 68), cv::Scalar(40, 60, 80, 255), cv::FILLED);
    cv::rectangle(px8, cv::Rect(60, 20, 40, 24), cv::Scalar(255, 255, 255, 255), cv::FILLED);  // the label
    cv::Mat hidden;
    cv::extractChannel(px8, hidden, 3);
    hidden = hidden < 128;
    cv::Mat flat = ExactlyFlatMask(px8);
    flat.setTo(0, hidden);  // as MeasureContent reads it
    const cv::Mat mask = ClippedPlateauMask(px8, flat, hidden);
    return mask.empty() ? 0 : cv::countNonZero(mask);
  };
  EXPECT_EQ(clipped_px(cv::Scalar(128, 128, 128, 0)), 0);
  EXPECT_EQ(clipped_px(cv::Scalar(255, 255, 255, 0)), 0);
}

}  // namespace
}  // namespace acuity
