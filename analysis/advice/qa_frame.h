// QA's frame (analysis/advice/qa.h): what part of the input an output shows
// and whether it keeps the input's shape and transparency. The alignment
// itself is a measurement (analysis/measurements/qa_alignment.h); this is
// what QA does with it: the compared parts, maps put back in the output's
// frame, and the checks `aspect_change_pct` and `alpha_changed_pct`.
//
//   QaAlignment a = AlignForQa(input.pixels, output.pixels);
//   Image kept = Part(input, a.input_rect), shown = Part(output, a.output_rect);
//   MeasureAlphaChange(kept, shown, metrics);
//   AddAlphaCheck(metrics, thresholds, "amazon's white background", report.checks);
#ifndef ACUITY_ANALYSIS_ADVICE_QA_FRAME_H_
#define ACUITY_ANALYSIS_ADVICE_QA_FRAME_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/advice/qa.h"
#include "analysis/io/image.h"

namespace acuity {

// The part of `image` inside `rect`, as an image of its own.
Image Part(const Image& image, const cv::Rect& rect);

// A map measured over `region` of a `frame`-sized output, put back in the
// output's frame (0 outside the region) at the map's own resolution.
cv::Mat IntoFrame(const cv::Mat& values, const cv::Rect& region, cv::Size frame);

// Transparency of the compared parts (m.input_has_alpha …
// m.alpha_changed_pct): an image without an alpha channel is opaque.
void MeasureAlphaChange(const Image& input, const Image& output, QaMetrics& m);

// aspect_change_pct: a crop or a border is a choice (`--fit`), a stretch
// distorts every shape in the picture.
void AddGeometryCheck(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);
// alpha_changed_pct: transparency dropped, or a part made transparent.
// `flattened_onto_white_for`: from QaOptions::marketplace (why an opaque output on white is
// what was asked), or empty.
void AddAlphaCheck(const QaMetrics& m, const QaThresholds& thresholds, const std::string& flattened_onto_white_for,
                   std::vector<QaCheck>& checks);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_FRAME_H_
