#include "report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <opencv2/core.hpp>

#include "analysis/advice/verdicts.h"
#include "analysis/io/color_space.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/cmyk_jpeg.h"
#include "tests/testing/test_images.h"

namespace acuity::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Halos scored, but overshoot and blur not measured (too few straight,
// isolated edges); noise above the advisor's denoise threshold.
AnalysisReport PartlyMeasured() {
  AnalysisReport r;
  r.noise.sigma = 7.5;
  r.oversharpening.halo_score = 3.0;
  r.oversharpening.detected = false;
  return r;
}

std::string ReportHtml(const AnalysisReport& analysis) {
  HtmlReport report("test");
  report.AddImage({cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(128)), analysis.input}, analysis,
                  Plan{});
  return report.Finish();
}

// The page shows "not measured", never a 0, where the JSON says null.
TEST(HtmlReportTest, MissingFiguresAreNotMeasured) {
  const std::string html = ReportHtml(PartlyMeasured());
  EXPECT_THAT(html, HasSubstr("overshoot not measured"));
  EXPECT_THAT(html, Not(HasSubstr("overshoot 0 %")));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge unknown\">not measured</span>"));
}

// Every row's words come from DescribeMeasurements, with its level as badge.
TEST(HtmlReportTest, VerdictsComeFromTheLibrary) {
  const AnalysisReport analysis = PartlyMeasured();
  const std::string html = ReportHtml(analysis);
  for (const PlainVerdict& v : DescribeMeasurements(analysis)) {
    EXPECT_THAT(html, HasSubstr(HtmlEscape(v.words))) << v.key;
    EXPECT_THAT(html, HasSubstr(HtmlEscape(v.value))) << v.key;
  }
  EXPECT_THAT(html,
              HasSubstr("<span class=\"badge poor\">poor</span> " +
                        HtmlEscape(DescribeMeasurements(analysis)[1].words)));  // noise σ 7.5 > 5
}

// Issue 17: a JPEG whose tables are not IJG's shows its equivalent quality,
// named so; a blocky image with no quality read is not "no sign of JPEG".
TEST(HtmlReportTest, EquivalentQualityAndVisibleBlocks) {
  AnalysisReport r = PartlyMeasured();
  r.compression.jpeg_quality_estimate = 24.9;
  r.compression.quality_source = "quant_tables";
  r.compression.tables = "other";
  EXPECT_THAT(ReportHtml(r), HasSubstr(HtmlEscape("JPEG quality 25 (quant_tables, not IJG's tables: equivalent quality)")));
  r.compression = {};
  r.compression.blockiness = 3.3;
  const std::string html = ReportHtml(r);
  EXPECT_THAT(html, HasSubstr("8×8 blocks are visible, but no JPEG quality could be read"));
  EXPECT_THAT(html, Not(HasSubstr("no sign of JPEG")));
}

// A wide-gamut photo is shown in the page as its file shows: its picture is
// in sRGB (an untagged JPEG is read as sRGB by every browser), not its raw
// numbers, which look dull and shifted (an Adobe RGB orange off by ΔE00 ≈ 5).
TEST(HtmlReportTest, AWideGamutPictureIsShownInSrgb) {
  const cv::Vec3b orange(44, 98, 199);  // BGR, Adobe RGB numbers
  ImageInfo info;
  info.has_icc = true;
  info.icc_description = "Adobe RGB (1998)";
  info.icc_profile = testing::AdobeRgbLikeProfile();
  const cv::Mat pixels(48, 64, CV_8UC3, cv::Scalar(orange[0], orange[1], orange[2]));
  absl::StatusOr<cv::Mat> truth = ConvertToSrgb(pixels, info.icc_profile);
  ASSERT_TRUE(truth.ok()) << truth.status();
  const cv::Vec3b want = truth->at<cv::Vec3b>(0, 0);
  ASSERT_GT(cv::norm(want, orange, cv::NORM_INF), 15);  // the conversion matters here

  AnalysisReport analysis = PartlyMeasured();
  analysis.input = info;
  HtmlReport report("test");
  report.AddImage({pixels, info}, analysis, Plan{});
  const std::vector<std::string> pictures = testing::DataUriBytes(report.Finish(), "image/jpeg");
  ASSERT_FALSE(pictures.empty());
  absl::StatusOr<JpegDecoded> shown = DecodeJpeg(pictures.front());
  ASSERT_TRUE(shown.ok()) << shown.status();
  const cv::Vec3b seen = shown->pixels.at<cv::Vec3b>(shown->pixels.rows / 2, shown->pixels.cols / 2);
  EXPECT_LE(cv::norm(seen, want, cv::NORM_INF), 4) << seen << " for " << want;
}

}  // namespace
}  // namespace acuity::report
