#include "report/content_crops.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/png_codec.h"
#include "tests/testing/test_images.h"

namespace acuity::report {
namespace {

bool Has(const std::string& html, const std::string& part) { return html.find(part) != std::string::npos; }

// The images of a block, decoded back from their data: URIs, in order.
std::vector<cv::Mat> Images(const std::string& html) {
  std::vector<cv::Mat> out;
  for (const std::string& bytes : testing::DataUriBytes(html, "image/png")) {
    absl::StatusOr<cv::Mat> png = DecodePng(bytes);
    out.push_back(png.ok() ? *png : cv::Mat());
  }
  return out;
}

// A picture of random pixels: every crop is its own.
cv::Mat Noise(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  cv::randu(m, 0, 256);
  return m;
}

ContentLimits Limits() { return {24, 8, "the limits table"}; }

// A small face is shown as the file holds it: its pixels (with the margin)
// enlarged by whole pixels, nothing interpolated; it is marked as under the
// limit, the larger one is not.
TEST(ContentCropsTest, AFaceIsItsOwnPixelsEnlargedAndMarkedWhenSmall) {
  const cv::Mat picture = Noise(200, 150);
  FacesResult faces;
  faces.faces = std::vector<Face>{{100, 40, 40, 40, 5, false}, {20, 30, 10, 10, 3, false}};
  const std::string html = ContentCropsHtml(picture, faces, TextResult{}, Limits());
  const std::vector<ContentCrop> crops = ContentCropsOf(picture.size(), faces, TextResult{}, Limits());
  ASSERT_EQ(crops.size(), 2u);
  EXPECT_EQ(crops[0].before_px, cv::Rect(18, 28, 14, 14));  // the narrowest first; 20 % margin each side
  EXPECT_EQ(crops[0].zoom, 9);                              // 128 / 14
  EXPECT_TRUE(crops[0].small);
  EXPECT_FALSE(crops[1].small);
  // (Substrings checked as booleans: the page holds kilobytes of base64.)
  EXPECT_TRUE(Has(html, "<figure class=\"crop small\"><img")) ;
  EXPECT_TRUE(Has(html, "<figcaption>face, 10 px wide — under 24 px: an upscale invents it <span"));
  EXPECT_TRUE(Has(html, "<figcaption>face, 40 px wide <span class=\"sub\">(shown ×2)</span>"));
  const std::vector<cv::Mat> images = Images(html);
  ASSERT_EQ(images.size(), 2u);
  cv::Mat expected;
  cv::resize(picture(crops[0].before_px), expected, {14 * 9, 14 * 9}, 0, 0, cv::INTER_NEAREST);
  ASSERT_EQ(images[0].size(), expected.size());
  EXPECT_EQ(cv::norm(images[0], expected, cv::NORM_INF), 0);
}

// A review of the walk's fix (#23/#24): a small face that the plan's crop
// cuts away is not upscaled: the advisor no longer warns, and its crop here
// is not marked "an upscale invents it" but said to be cut.
TEST(ContentCropsTest, ARegionThePlansCropCutsIsNotMarked) {
  FacesResult faces;
  faces.faces = std::vector<Face>{{20, 30, 10, 10, 3, false}, {150, 30, 12, 12, 3, false}};
  ContentCropOptions options;
  options.kept_px = cv::Rect(100, 0, 100, 150);  // the right half
  const std::vector<ContentCrop> crops = ContentCropsOf({200, 150}, faces, TextResult{}, Limits(), options);
  ASSERT_EQ(crops.size(), 2u);
  EXPECT_FALSE(crops[0].small);
  EXPECT_EQ(crops[0].caption, "face, 10 px wide — cut by the plan's crop");
  EXPECT_TRUE(crops[1].small);
}

// With the output (QA), each region of the input sits beside the same
// region of the result, shown at the same size.
TEST(ContentCropsTest, BeforeAndAfterShowTheSameRegion) {
  const cv::Mat before = Noise(100, 80);
  cv::Mat after;
  cv::resize(before, after, {400, 320}, 0, 0, cv::INTER_NEAREST);  // a ×4 that invents nothing
  TextResult text;
  text.lines = std::vector<TextLine>{{10, 20, 50, 10, 4.0, 80, "Sale ends Sunday"}};
  const std::string html = ContentCropsHtml(before, FacesResult{}, text, Limits(), &after);
  EXPECT_TRUE(Has(html, "text, x-height 4.0 px: “Sale ends Sunday” — under 8.0 px"));
  const std::vector<cv::Mat> images = Images(html);
  ASSERT_EQ(images.size(), 2u);
  ASSERT_EQ(images[0].size(), images[1].size());
  // At the output's own scale (×4), not shrunk to the input's zoom.
  const ContentCrop crop = ContentCropsOf(before.size(), FacesResult{}, text, Limits())[0];
  EXPECT_EQ(images[1].cols, crop.before_px.width * 4);
  EXPECT_TRUE(Has(html, "(before | after, shown ×4)"));
  // The ×4 nearest-neighbour output shows the very pixels of the input there.
  EXPECT_LE(cv::norm(images[0], images[1], cv::NORM_L1) / images[0].total(), 3.0);
}

TEST(ContentCropsTest, NothingMeasuredOrFoundShowsNothing) {
  const cv::Mat picture = Noise(64, 64);
  EXPECT_EQ(ContentCropsHtml(picture, FacesResult{}, TextResult{}, Limits()), "");
  FacesResult none;
  none.faces = std::vector<Face>{};
  EXPECT_EQ(ContentCropsHtml(picture, none, TextResult{}, Limits()), "");
}

}  // namespace
}  // namespace acuity::report
