// Benchmark (not a test) of acuity-viewer's drawing, under Xvfb:
//
//   xvfb-run -a -s "-screen 0 1600x1200x24" build/viewer_bench [PHOTO]
//
// A 1280×800 window shows a 12 MP photo (4000×3000, from scikit-image's
// astronaut by default) and its ×4 enlargement (16000×12000 = 192 MP, made
// with cv::resize, not a model) in split mode with an overlay, while the view
// pans. Prints the time from `open` to the first full frame (decoded,
// displayed, every texture tile up), the median and 95th-percentile frame
// times while panning at 100 % and at fit zoom, and the CPU the process uses
// at rest (goal ≈ 0).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include <GLFW/glfw3.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "viewer/app.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * (v.size() - 1) + 0.5))];
}

// The bench's script, one phase after another, driven from the frame hook.
struct Bench {
  enum Phase { kLoading, kSettling, kPan100, kPanFit, kIdle };
  std::atomic<Phase> phase{kLoading};  // read by the idle meter's thread
  Clock::time_point open_time = Clock::now(), phase_start, last_frame;
  double first_full_frame_s = -1;
  std::vector<double> frames_100, frames_fit;
  double cpu_100_s = 0, cpu_fit_s = 0;  // process CPU time spent in each panning phase
  double phase_cpu_start = 0;
  int pan_frame = 0;
  static constexpr int kPanFrames = 240;

  void OnFrame(acuity::viewer::App& app) {
    acuity::viewer::Session& s = app.session();
    const double frame_s = Seconds(last_frame);
    last_frame = Clock::now();
    switch (phase) {
      case kLoading:
        if (s.a().display && s.b().display && app.textures_complete()) {
          first_full_frame_s = Seconds(open_time);
          std::printf("open → first full frame: %.2f s (decode, display copies, tiles up)\n", first_full_frame_s);
          phase = kSettling;
          phase_start = Clock::now();
        }
        break;
      case kSettling:  // analyses and QA finish in the background; the panning starts without them
        if (!s.Busy() || Seconds(phase_start) > 600) {
          std::printf("background work (analysis of A; B is too large for the viewer's analysis and QA) done after "
                      "%.1f s more%s\n", Seconds(phase_start), s.Busy() ? " (still busy)" : "");
          (void)s.SetMode(acuity::viewer::CompareMode::kSplit);
          (void)s.SetOverlay(s.OverlayNames().empty() ? "off" : "blur", 0.5);
          (void)s.ZoomTo(1.0);
          phase = kPan100;
          pan_frame = -10;  // a few frames to upload what 100 % needs
        }
        break;
      case kPan100:
      case kPanFit: {
        if (pan_frame >= 0) (phase.load() == kPan100 ? frames_100 : frames_fit).push_back(frame_s * 1000);
        const double dx = 40 * std::sin(pan_frame / 20.0), dy = 25 * std::cos(pan_frame / 31.0);
        s.view() = acuity::viewer::PanBy(s.view(), {dx, dy});
        if (pan_frame == 0) phase_cpu_start = CpuSeconds();
        if (++pan_frame >= kPanFrames) {
          (phase.load() == kPan100 ? cpu_100_s : cpu_fit_s) = CpuSeconds() - phase_cpu_start;
          if (phase == kPan100) {
            (void)s.ZoomFit();
            s.view() = acuity::viewer::ZoomAt(s.view(), s.canvas(), s.canvas().Center(), s.view().zoom * 1.5);
            phase = kPanFit;
            pan_frame = -10;
          } else {
            phase = kIdle;
            return;  // no more wake-ups: the UI goes to rest
          }
        }
        break;
      }
      case kIdle:
        return;
    }
    glfwPostEmptyEvent();  // keep frames coming
  }
};

cv::Mat MakeTwelveMegapixels(const std::string& photo_path) {
  cv::Mat photo = cv::imread(photo_path, cv::IMREAD_COLOR);
  if (photo.empty()) return photo;
  cv::Mat big;
  cv::resize(photo, big, cv::Size(4000, 3000), 0, 0, cv::INTER_CUBIC);
  return big;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
  const std::string photo =
      argc > 1 ? argv[1] : "/usr/lib/python3/dist-packages/skimage/data/astronaut.png";
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "acuity-viewer-bench";
  std::filesystem::create_directories(dir);
  const std::string a_path = (dir / "a-12mp.jpg").string(), b_path = (dir / "b-192mp.jpg").string();
  if (!std::filesystem::exists(b_path)) {
    const cv::Mat a = MakeTwelveMegapixels(photo);
    if (a.empty()) {
      std::fprintf(stderr, "viewer_bench: cannot read %s\n", photo.c_str());
      return 2;
    }
    cv::Mat b;
    cv::resize(a, b, cv::Size(), 4, 4, cv::INTER_LINEAR);
    cv::imwrite(a_path, a, {cv::IMWRITE_JPEG_QUALITY, 95});
    cv::imwrite(b_path, b, {cv::IMWRITE_JPEG_QUALITY, 90});
  }
  Bench bench;
  acuity::viewer::AppOptions options;
  options.width_px = 1280;
  options.height_px = 800;
  options.open = {a_path, b_path};
  options.after_frame = [&bench](acuity::viewer::App& app, int, double) { bench.OnFrame(app); };
  bench.open_time = bench.last_frame = Clock::now();
  absl::StatusOr<std::unique_ptr<acuity::viewer::App>> app = acuity::viewer::App::Create(options);
  if (!app.ok()) {
    std::fprintf(stderr, "viewer_bench: %s\n", std::string(app.status().message()).c_str());
    return 2;
  }
  acuity::viewer::App* raw = app->get();
  std::thread idle_meter([&bench, raw] {
    while (bench.phase != Bench::kIdle) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double cpu0 = CpuSeconds();
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(10));
    const double idle_cpu = (CpuSeconds() - cpu0) / Seconds(t0) * 100;
    std::printf("idle: %.2f %% of one core over 10 s\n", idle_cpu);
    raw->Quit();
    glfwPostEmptyEvent();
  });
  (*app)->Run();
  idle_meter.join();
  // CPU per frame (all threads, llvmpipe's included) says what a frame
  // costs whatever else the machine runs; wall-clock frame times depend on it.
  std::printf("panning at 100 %%: median %.1f ms, p95 %.1f ms per frame; %.1f ms CPU per frame (%zu frames)\n",
              Percentile(bench.frames_100, 0.5), Percentile(bench.frames_100, 0.95),
              bench.cpu_100_s * 1000 / std::max<size_t>(1, bench.frames_100.size()), bench.frames_100.size());
  std::printf("panning at 1.5× fit: median %.1f ms, p95 %.1f ms per frame; %.1f ms CPU per frame (%zu frames)\n",
              Percentile(bench.frames_fit, 0.5), Percentile(bench.frames_fit, 0.95),
              bench.cpu_fit_s * 1000 / std::max<size_t>(1, bench.frames_fit.size()), bench.frames_fit.size());
  return 0;
}
