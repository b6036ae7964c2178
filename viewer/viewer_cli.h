// acuity-viewer's command line: its options table (the same ArgParser as the
// acuity program's commands), its help and the program's entry for the
// generated reference, man page and completion (docgen/): options, the
// script commands and keys of the command registry (viewer_commands.h),
// exit codes.
//
//   absl::StatusOr<acuity::viewer::AppOptions> options = acuity::viewer::ParseViewerArgs(args);
//   if (!options.ok()) std::cerr << "acuity-viewer: " << options.status().message() << "\n";
//   std::cout << acuity::cli::ProgramHelp(acuity::viewer::ViewerProgram());
#ifndef ACUITY_VIEWER_VIEWER_CLI_H_
#define ACUITY_VIEWER_VIEWER_CLI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/commands.h"
#include "viewer/app.h"

namespace acuity::viewer {

// The program: usage, options, script commands and keys, exit codes.
cli::ProgramSpec ViewerProgram();

// The options and the images to open (A [B]); `help` set when --help was
// asked. InvalidArgument with the message for bad usage: an unknown option,
// a --size that is not WxH within 320x240–16384x16384, more than two images.
struct ViewerArgs {
  AppOptions options;
  bool help = false;
  bool version = false;  // --version
};
absl::StatusOr<ViewerArgs> ParseViewerArgs(const std::vector<std::string>& args);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_VIEWER_CLI_H_
