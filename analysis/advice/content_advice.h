// What upscaling cannot recover in faces and text (faces.h, text_layout.h):
// a face narrower than the model's calibrated width, or a line of text whose
// x-height is under the model's calibrated size, comes out of an upscale as
// a face or letters the model invented, not the real ones. The limits per
// model are measured (datasets/RESULTS.md, "Faces and text"; the command that
// re-measures them is there); the advisor (advisor.h) warns with
// `small_face` / `small_text` exactly when its plan upscales such content,
// and the plain words (verdicts.h) follow the same decision.
//
//   acuity::ContentLimits limits = acuity::ContentLimitsFor("esrgan-thick");
//   std::optional<acuity::SmallContent> faces = acuity::SmallFaces(report.faces, limits.face_width_px);
//   if (faces) plan.warnings.push_back(acuity::SmallFaceWarning(*faces));
#ifndef ACUITY_ANALYSIS_ADVICE_CONTENT_ADVICE_H_
#define ACUITY_ANALYSIS_ADVICE_CONTENT_ADVICE_H_

#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "analysis/measurements/faces.h"
#include "analysis/measurements/text_layout.h"
#include "analysis/measurements/warning.h"

namespace acuity {

// Below these sizes a model's reconstruction is no longer the real face /
// no longer reads right (datasets/RESULTS.md, "Faces and text").
struct ContentLimits {
  double face_width_px = 0;  // input px: faces narrower than this are invented
  double x_height_px = 0;    // input px: text with a smaller x-height is guessed
  const char* source = "";   // where the figures come from, for the words
};

// The limits measured for `model` (a built-in name); the strictest of the
// measured models for any other (a TorchScript file).
ContentLimits ContentLimitsFor(const std::string& model);

// The faces or text lines under a limit.
struct SmallContent {
  int count = 0;              // how many are under the limit
  double smallest_px = 0;     // their smallest width (faces) or x-height (text), px
  double largest_px = 0;      // their largest
  double limit_px = 0;        // the limit, px
  std::string model;          // the model the limit is for
};

// nullopt when none is under `limit_px` (or the reading was not measured).
// With `kept_px` (input px; empty: the whole picture), only faces and lines
// with more than half of their box inside it count: what a plan's crop cuts
// away is not upscaled.
std::optional<SmallContent> SmallFaces(const FacesResult& faces, double limit_px, const std::string& model,
                                       const cv::Rect& kept_px = cv::Rect());
std::optional<SmallContent> SmallText(const TextResult& text, double limit_px, const std::string& model,
                                      const cv::Rect& kept_px = cv::Rect());

// When the face search covered faces only from `limit_px` or wider (none
// under the limit could have been found)
// (faces.searched_from_width_px: a very large photo is searched on a
// reduced copy), the widths not looked for: smallest_px the search's
// narrowest, limit_px the model's limit, count 0. nullopt when the search
// reached below the limit (or did not run).
std::optional<SmallContent> FacesNotSearched(const FacesResult& faces, double limit_px, const std::string& model);

// Whether more than half of `box_px` lies in `kept_px` (input px; empty:
// the whole picture is kept): a face or line the plan's crop keeps.
bool InKeptWindow(const cv::Rect& box_px, const cv::Rect& kept_px);

// The advisor's warnings: codes "small_face", "small_text" and
// "faces_not_searched".
Warning SmallFaceWarning(const SmallContent& faces);
Warning SmallTextWarning(const SmallContent& text);
Warning FacesNotSearchedWarning(const SmallContent& unsearched);

// "3 faces 8–14 px wide", "1 face 9 px wide"; "2 lines of text with a
// 4–5 px x-height".
std::string SmallFacesWords(const SmallContent& faces);
std::string SmallTextWords(const SmallContent& text);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_CONTENT_ADVICE_H_
