// Benchmark (not a test) of the viewer's triage table (issue #24), under Xvfb:
//
//   /usr/bin/python3 datasets/fake_catalogue.py /tmp/cat --records 10000
//   xvfb-run -a -s "-screen 0 1600x1200x24" build/triage_bench /tmp/cat/out
//
// A 1280×800 window opens DIR (a batch's --out) as its triage table. Prints
// the time from the start of the program to the first frame that shows the
// table (reading every results*.jsonl included), then the median and
// 95th-percentile frame times while the selection walks down the list 7
// rows a frame (the table scrolls; thumbnails of the rows in view decode off
// the UI thread), and the same with the list filtered to failures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>

#include "viewer/app.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * (v.size() - 1) + 0.5))];
}

struct Bench {
  static constexpr int kScrollFrames = 400;
  enum Phase { kOpening, kScrollAll, kScrollFailures, kDone };
  Phase phase = kOpening;
  Clock::time_point start = Clock::now(), last_frame;
  std::vector<double> all_ms, failures_ms;
  int frame = 0;

  void OnFrame(acuity::viewer::App& app) {
    const double frame_ms = Seconds(last_frame) * 1000;
    last_frame = Clock::now();
    const acuity::viewer::CommandRegistry& registry = app.registry();
    switch (phase) {
      case kOpening:
        if (app.session().triage_shown()) {
          std::printf("start → first frame of the table: %.2f s (%zu records)\n", Seconds(start),
                      app.session().triage()->items().size());
          phase = kScrollAll;
          frame = -5;
        }
        break;
      case kScrollAll:
      case kScrollFailures: {
        if (frame >= 0) (phase == kScrollAll ? all_ms : failures_ms).push_back(frame_ms);
        (void)registry.Run("next 7");
        if (++frame >= kScrollFrames) {
          if (phase == kScrollAll) {
            (void)registry.Run("filter fail");
            (void)registry.Run("select 1");
            phase = kScrollFailures;
            frame = -5;
          } else {
            phase = kDone;
            app.Quit();
          }
        }
        break;
      }
      case kDone:
        return;
    }
    glfwPostEmptyEvent();  // keep frames coming
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc != 2) {
    std::fprintf(stderr, "usage: triage_bench DIR (a batch's --out; datasets/fake_catalogue.py makes one)\n");
    return 2;
  }
  Bench bench;
  acuity::viewer::AppOptions options;
  options.width_px = 1280;
  options.height_px = 800;
  options.open = {argv[1]};
  options.after_frame = [&bench](acuity::viewer::App& app, int, double) { bench.OnFrame(app); };
  bench.last_frame = Clock::now();
  absl::StatusOr<std::unique_ptr<acuity::viewer::App>> app = acuity::viewer::App::Create(options);
  if (!app.ok()) {
    std::fprintf(stderr, "triage_bench: %s\n", std::string(app.status().message()).c_str());
    return 2;
  }
  (*app)->Run();
  std::printf("scrolling all rows: median %.1f ms, p95 %.1f ms per frame (%zu frames)\n",
              Percentile(bench.all_ms, 0.5), Percentile(bench.all_ms, 0.95), bench.all_ms.size());
  std::printf("scrolling the failures: median %.1f ms, p95 %.1f ms per frame (%zu frames)\n",
              Percentile(bench.failures_ms, 0.5), Percentile(bench.failures_ms, 0.95), bench.failures_ms.size());
  return 0;
}
