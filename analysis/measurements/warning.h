// A warning a person should read: a stable machine code plus a plain message.
//
//   warnings.push_back({"scale_above_4x", "the target needs 6.0× ..."});
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_

#include <string>

namespace acuity {

struct Warning {
  std::string code;     // snake_case, stable: relied upon by scripts
  std::string message;  // one sentence for a person
};

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_WARNING_H_
