// The text of a JSON value as acuity prints it: one compact line, and never
// an exception for text that is not UTF-8. A file name on Linux is any bytes,
// and an ICC profile's description is whatever the profile says; nlohmann's
// dump() throws on such bytes (an abort at the command line), this replaces
// each invalid byte with U+FFFD (�) instead.
//
//   std::cout << acuity::JsonText(acuity::ReportToJson(report)) << "\n";
#ifndef ACUITY_ANALYSIS_JSON_JSON_TEXT_H_
#define ACUITY_ANALYSIS_JSON_JSON_TEXT_H_

#include <string>

#include <nlohmann/json.hpp>

namespace acuity {

inline std::string JsonText(const nlohmann::json& value) {
  return value.dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_JSON_JSON_TEXT_H_
