// acuity's version: `acuity --version`, `acuity-viewer --version`, the HTML
// report's footer, and the version batch records with its results
// (cli/batch_manifest.h). It comes from `project(acuity VERSION ...)` in
// CMakeLists.txt through the generated acuity/project_version.h (link the
// `acuity_version` target); it is written nowhere else.
//
//   std::cout << "acuity " << acuity::cli::kAcuityVersion << "\n";
#ifndef ACUITY_CLI_VERSION_H_
#define ACUITY_CLI_VERSION_H_

#include "acuity/project_version.h"

namespace acuity::cli {

inline constexpr char kAcuityVersion[] = ACUITY_VERSION;

}  // namespace acuity::cli

#endif  // ACUITY_CLI_VERSION_H_
