// QA of what an enhancement did to faces and text (content_advice.h): the
// input's text lines are read again on the input enlarged to the output's
// size (bicubic) and on the output, region by region, and the share of
// characters that read differently in the most changed line (of those of 4
// characters or more; over all lines when none is) is the check
// `text_changed_pct`; the
// input's faces narrower than the model's limit are compared with the
// bicubic enlargement of the input (SSIM-Y of the face's box), and what the
// model changed is `small_face_changed` (1 − SSIM). Both warn and never fail
// (docs/content.md: the evidence does not support failing a result for it).
//
//   acuity::ContentQa qa = acuity::ContentChecks(input, output, thresholds);
//   for (const acuity::QaCheck& c : qa.checks) ...
#ifndef ACUITY_ANALYSIS_ADVICE_QA_CONTENT_H_
#define ACUITY_ANALYSIS_ADVICE_QA_CONTENT_H_

#include <vector>

#include "analysis/advice/qa.h"

namespace acuity {

struct ContentQa {
  std::vector<QaCheck> checks;
  // What was found in the input (input px), as MeasureFaces / MeasureText read it.
  FacesResult input_faces;
  TextResult input_text;
};

// The content checks for `output` made from `input` (any sizes). No check
// when the input holds no text line / no face under the limit, or when
// faces or text could not be measured. `origin`: where `input` lies in the
// file it came from (QA compares the part an output shows), px — the
// positions the checks' words name are the file's.
ContentQa ContentChecks(const Image& input, const Image& output, const QaThresholds& thresholds,
                        cv::Point origin = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_CONTENT_H_
