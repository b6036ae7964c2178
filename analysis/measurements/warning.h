// A warning a person should read: a stable machine code plus a plain message,
// and the list of every code acuity gives (scripts and `batch --fail-on`
// rely on them; warning_test.cc checks that the sources give no other).
//
//   warnings.push_back({"scale_above_4x", "the target needs 6.0× ..."});
//   if (!acuity::IsWarningCode(word)) Refuse(word);  // a typo in --fail-on
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace acuity {

struct Warning {
  std::string code;     // snake_case, stable: relied upon by scripts
  std::string message;  // one sentence for a person
};

// Every warning code analyze and advise give (docs/json.md, docs/advice.md).
inline constexpr std::array<std::string_view, 24> kWarningCodes = {
    "already_upscaled",  "animated_input", "background_not_white", "borderline_blur", "crop_cuts_content", "crop_cuts_much", "faces_not_searched", "heavy_jpeg",
    "invented_detail",   "large_output",         "low_print_dpi",   "marketplace_size", "motion_blur", "multi_image_input",
    "multi_page_input",  "oversharpened_input", "painted_flats", "product_fill_low",   "raw_input",       "scale_above_4x",
    "scale_above_8x",    "severe_blur",          "small_face",      "small_text"};

inline bool IsWarningCode(std::string_view code) {
  return std::find(kWarningCodes.begin(), kWarningCodes.end(), code) != kWarningCodes.end();
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_
