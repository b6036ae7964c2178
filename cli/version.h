// acuity's version: `acuity --version`, and the version batch records with
// its results (cli/batch_manifest.h).
#ifndef ACUITY_CLI_VERSION_H_
#define ACUITY_CLI_VERSION_H_

namespace acuity::cli {

inline constexpr char kAcuityVersion[] = "0.1.0";

}  // namespace acuity::cli

#endif  // ACUITY_CLI_VERSION_H_
