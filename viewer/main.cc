// acuity-viewer [--script FILE] [--size WxH] [A [B]]: the desktop viewer
// (DESIGN.md; options and help: viewer_cli.h). Exit 0 at `quit` or when the window closes; 1 when a script
// line fails (the message names the line); 2 for bad usage or no display.
#include <iostream>
#include <string>
#include <vector>

#include "analysis/io/image_io.h"
#include "acuity/version.h"
#include "enhance/compute_threads.h"
#include "enhance/memory_tuning.h"
#include "viewer/app.h"
#include "viewer/viewer_cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<acuity::viewer::ViewerArgs> parsed = acuity::viewer::ParseViewerArgs(args);
  if (!parsed.ok()) {
    std::cerr << "acuity-viewer: " << parsed.status().message() << "\n";
    return 2;
  }
  if (parsed->help) {
    std::cout << acuity::cli::ProgramHelp(acuity::viewer::ViewerProgram());
    return 0;
  }
  if (parsed->version) {
    std::cout << "acuity-viewer " << acuity::kAcuityVersion << "\n";
    return 0;
  }
  acuity::viewer::AppOptions options = std::move(parsed->options);
  // Process-wide settings, once, before any worker starts (as the acuity program does).
  acuity::QuietLibraryLogging();
  acuity::SetComputeThreads(0);
  acuity::KeepFreedMemoryForReuse();  // enhance/memory_tuning.h
  absl::StatusOr<std::unique_ptr<acuity::viewer::App>> app = acuity::viewer::App::Create(options);
  if (!app.ok()) {
    std::cerr << "acuity-viewer: " << app.status().message() << "\n";
    return 2;
  }
  return (*app)->Run();
}
