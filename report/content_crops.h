// The faces and text lines found in a picture (analysis/measurements/faces.h,
// text_layout.h), shown in the HTML reports: each region cropped with a
// margin, enlarged by whole pixels so that a reader sees what the file
// really holds, labelled with its size, and marked when it is under the
// model's limit (analysis/advice/content_advice.h: an upscale invents such
// a face or such letters). With `after` (QA: the enhanced output), the same
// region of the result beside it, so that what the model did there shows.
//
//   std::string html = acuity::report::ContentCropsHtml(
//       bgr8, analysis.faces, analysis.text, acuity::ContentLimitsFor("esrgan-thick"));
//   // "" when neither faces nor text were measured or found
#ifndef ACUITY_REPORT_CONTENT_CROPS_H_
#define ACUITY_REPORT_CONTENT_CROPS_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/advice/content_advice.h"
#include "analysis/measurements/faces.h"
#include "analysis/measurements/text_layout.h"

namespace acuity::report {

struct ContentCropOptions {
  int max_faces = 6;        // the narrowest first
  int max_text_lines = 6;   // the smallest x-height first
  int display_px = 128;     // a crop is enlarged by whole pixels to about this long side
  double margin = 0.2;      // of the region's size, each side
  // What the plan's crop keeps, px of the picture (empty: all of it): a
  // region it cuts away is not upscaled, so not marked (InKeptWindow).
  cv::Rect kept_px;
};

// One region as shown: where it was cut from `before` (margin included,
// inside the picture), how much it is enlarged, and its caption.
struct ContentCrop {
  cv::Rect before_px;
  int zoom = 1;
  bool small = false;  // under the limit, and kept by the plan's crop
  std::string caption;
};

// The regions shown, in order (faces, then text lines).
std::vector<ContentCrop> ContentCropsOf(cv::Size picture, const FacesResult& faces, const TextResult& text,
                                        const ContentLimits& limits, const ContentCropOptions& options = {});

// The HTML block: a figure per region, the crop of `before_bgr8` (and of
// `after_bgr8` when given: the same region at its own scale, shown at the
// same size). "" when there is nothing to show.
std::string ContentCropsHtml(const cv::Mat& before_bgr8, const FacesResult& faces, const TextResult& text,
                             const ContentLimits& limits, const cv::Mat* after_bgr8 = nullptr,
                             const ContentCropOptions& options = {});

}  // namespace acuity::report

#endif  // ACUITY_REPORT_CONTENT_CROPS_H_
