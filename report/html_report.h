// A self-contained HTML report (images embedded as data: URIs, no external
// URL): per image a thumbnail with heatmap overlays that can be toggled, the
// measurements in plain words with their values and verdicts (the words of
// DescribeMeasurements, analysis/advice/verdicts.h), the advice,
// and a luma/RGB histogram drawn as inline SVG.
//
//   acuity::report::HtmlReport report("acuity report");
//   report.AddImage(image, analysis, plan);
//   absl::Status s = acuity::WriteFileAtomically("report.html", report.Finish());
#ifndef ACUITY_REPORT_HTML_REPORT_H_
#define ACUITY_REPORT_HTML_REPORT_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/analyze.h"
#include "analysis/io/image.h"
#include "analysis/advice/plan.h"

namespace acuity::report {

// Base64 (RFC 4648) of bytes, for data: URIs.
std::string Base64(const std::string& bytes);

// `bgr8` as a PNG data: URI (its pixels exactly).
std::string PngDataUri(const cv::Mat& bgr8);

// `image` as a JPEG data: URI, scaled so that its long edge ≤ max_edge_px.
std::string ImageDataUri(const cv::Mat& bgr8, int max_edge_px, int jpeg_quality = 85);

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string HtmlEscape(const std::string& text);

class HtmlReport {
 public:
  explicit HtmlReport(std::string title) : title_(std::move(title)) {}
  // `analysis` should be computed with maps (AnalyzeOptions::compute_maps).
  void AddImage(const Image& image, const AnalysisReport& analysis, const Plan& plan);
  // Raw HTML section added as is (e.g. a QA comparison).
  void AddSection(std::string html) { sections_.push_back(std::move(html)); }
  std::string Finish() const;

 private:
  std::string title_;
  std::vector<std::string> sections_;
};

// A before/after comparison at 100 % (a crop of at most crop_px around the
// centre of the output's detail), with a slider; both images are scaled to
// the output's size so the crop compares like with like.
std::string BeforeAfterSliderHtml(const cv::Mat& before_bgr8, const cv::Mat& after_bgr8, int crop_px = 480);

// The picture (scaled to ≤ 720 px) with each map as an overlay toggled by a
// button, and an opacity slider. `id` must be unique in the page.
std::string ViewerHtml(const std::string& id, const cv::Mat& bgr8, const std::vector<MeasurementMap>& maps,
                       const std::string& alt);

// An SVG histogram of the B, G, R channels and luma of an 8-bit image.
std::string HistogramSvg(const cv::Mat& bgr8, int width_px = 420, int height_px = 150);

}  // namespace acuity::report

#endif  // ACUITY_REPORT_HTML_REPORT_H_
