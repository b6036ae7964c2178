// acuity-viewer [--script FILE] [--size WxH] [A [B]]: the desktop viewer
// (DESIGN.md). Exit 0 at `quit` or when the window closes; 1 when a script
// line fails (the message names the line); 2 for bad usage or no display.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/io/image_io.h"
#include "cli/version.h"
#include "enhance/compute_threads.h"
#include "enhance/memory_tuning.h"
#include "viewer/app.h"

namespace {

constexpr char kUsage[] =
    "usage: acuity-viewer [--script FILE] [--size WxH] [A [B]]\n"
    "       acuity-viewer --version\n"
    "Look at an image's measurements and maps, compare A with B, run the advised plan.\n"
    "F1 in the window lists every command and key; a script holds one command per line.\n";

int Usage(const std::string& message) {
  std::cerr << "acuity-viewer: " << message << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  acuity::viewer::AppOptions options;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--version") {
      std::cout << "acuity-viewer " << acuity::cli::kAcuityVersion << "\n";
      return 0;
    }
    if (a == "--script" || a == "--size") {
      if (i + 1 >= args.size()) return Usage(a + " needs a value");
      const std::string& value = args[++i];
      if (a == "--script") {
        options.script_path = value;
      } else if (std::sscanf(value.c_str(), "%dx%d", &options.width_px, &options.height_px) != 2 ||
                 options.width_px < 320 || options.height_px < 240 || options.width_px > 16384 ||
                 options.height_px > 16384) {
        return Usage("--size takes WxH, e.g. 1280x800 (at least 320x240)");
      }
    } else if (!a.empty() && a[0] == '-') {
      return Usage("unknown option " + a);
    } else {
      options.open.push_back(a);
    }
  }
  if (options.open.size() > 2) return Usage("give at most two images (A and B)");
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
