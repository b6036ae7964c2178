// analyze_bench: the speed benchmark. Builds a 12 MP photo from scikit-image
// photos (each Lanczos-upscaled, tiled 2×2, mild noise σ 2 added), times
// acuity::Analyze() end to end and each measurement on its own, runs
// scikit-image's estimate_sigma + blur_effect on the same image in the same
// run (timed inside Python, start-up and loading excluded) and prints the
// ratio. Not a test: run it on a quiet machine.
//
//   build/datasets/analyze_bench                       # 12 MP, 3 repeats, with peers
//   build/datasets/analyze_bench --megapixels 24 --repeats 5 --peers=false
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/noise.h"
#include "analysis/io/image_io.h"
#include "datasets/ladder.h"
#include "datasets/measurements.h"
#include "tests/testing/add_noise.h"

ABSL_FLAG(double, megapixels, 12.0, "size of the test image (4:3), MP");
ABSL_FLAG(int, repeats, 3, "runs per timing; the fastest is reported (the median too)");
ABSL_FLAG(bool, peers, true, "time scikit-image estimate_sigma + blur_effect on the same image");
ABSL_FLAG(std::string, photo_dir, "/usr/lib/python3/dist-packages/skimage/data", "scikit-image photos");
ABSL_FLAG(std::string, python, "/usr/bin/python3", "Python with scikit-image (Debian's)");
ABSL_FLAG(std::string, peers_script, ACUITY_SOURCE_DIR "/datasets/peers.py", "datasets/peers.py");
ABSL_FLAG(std::string, keep, "", "also keep the test image at this path (PNG)");

namespace {

using Clock = std::chrono::steady_clock;

struct Timing {
  double best_ms = 0, median_ms = 0;
  double best_cpu_ms = 0;  // CPU time of the whole process (all threads) in the fastest run
};

double ProcessCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

template <typename F>
Timing Time(int repeats, F&& run) {
  std::vector<std::pair<double, double>> ms;  // wall, CPU
  for (int i = 0; i < std::max(1, repeats); ++i) {
    const auto t0 = Clock::now();
    const double c0 = ProcessCpuMs();
    run();
    ms.emplace_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), ProcessCpuMs() - c0);
  }
  std::sort(ms.begin(), ms.end());
  return {ms.front().first, ms[ms.size() / 2].first, ms.front().second};
}

// 2×2 tiles of Lanczos-upscaled photos, plus AWGN σ 2 (a realistic mix of
// textures, edges and flat areas), `megapixels` in total, 4:3.
cv::Mat MakePhoto(double megapixels, const std::string& dir) {
  const int width = static_cast<int>(std::lround(std::sqrt(megapixels * 1e6 * 4 / 3) / 2) * 2);
  const int height = width * 3 / 4 / 2 * 2;
  cv::Mat canvas(height, width, CV_8UC3);
  const char* names[] = {"astronaut", "coffee", "chelsea", "motorcycle_left"};
  for (int i = 0; i < 4; ++i) {
    cv::Mat photo = cv::imread(dir + "/" + names[i] + ".png", cv::IMREAD_COLOR);
    if (photo.empty()) return {};
    const cv::Rect tile((i % 2) * width / 2, (i / 2) * height / 2, width / 2, height / 2);
    cv::resize(photo, canvas(tile), tile.size(), 0, 0, cv::INTER_LANCZOS4);
  }
  return acuity::testing::AddNoise(canvas, 2.0, 12345);
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Times acuity::Analyze() on a 12 MP photo against scikit-image. Usage: analyze_bench");
  absl::ParseCommandLine(argc, argv);
  acuity::QuietLibraryLogging();
  const int repeats = absl::GetFlag(FLAGS_repeats);

  const cv::Mat pixels = MakePhoto(absl::GetFlag(FLAGS_megapixels), absl::GetFlag(FLAGS_photo_dir));
  if (pixels.empty()) {
    std::cerr << "analyze_bench: scikit-image photos not found in " << absl::GetFlag(FLAGS_photo_dir) << "\n";
    return 3;
  }
  std::string path = absl::GetFlag(FLAGS_keep);
  if (path.empty()) path = (std::filesystem::temp_directory_path() / "acuity_bench_12mp.png").string();
  cv::imwrite(path, pixels);

  std::string load_average = "unknown";
  if (std::ifstream in("/proc/loadavg"); in) std::getline(in, load_average);
  std::cout << fmt::format("analyze_bench: {}×{} px ({:.1f} MP), BGR 8-bit, {} OpenCV threads, {} CPUs, best of {}; "
                           "load average at start: {}\n\n",
                           pixels.cols, pixels.rows, pixels.total() / 1e6, cv::getNumThreads(),
                           std::thread::hardware_concurrency(), repeats, load_average);

  acuity::Image image;
  const Timing load = Time(1, [&] {
    absl::StatusOr<acuity::Image> loaded = acuity::LoadImage(path);
    if (loaded.ok()) image = *std::move(loaded);
  });
  if (image.pixels.empty()) {
    std::cerr << "analyze_bench: cannot reload " << path << "\n";
    return 1;
  }

  std::cout << fmt::format("| step | best ms | median ms | CPU ms (best run) |\n|---|---|---|---|\n");
  std::cout << fmt::format("| LoadImage (PNG decode; not counted) | {:.0f} | {:.0f} | {:.0f} |\n", load.best_ms,
                           load.median_ms, load.best_cpu_ms);
  acuity::AnalysisReport report;
  double sum_steps = 0;
  for (const auto& step : acuity::datasets::MeasurementSteps()) {
    const Timing t = Time(repeats, [&] { acuity::RunMeasurement(step.measurement, image, /*compute_map=*/false, &report); });
    sum_steps += t.best_ms;
    std::cout << fmt::format("| {} | {:.1f} | {:.1f} | {:.0f} |\n", step.name, t.best_ms, t.median_ms, t.best_cpu_ms);
  }
  // The readings of issue #17 timed alone: motion blur, and the noise
  // measurement without its level function, so that Analyze() as it was
  // before them can be told from one run (CPU ratios hold on a busy machine).
  acuity::AnalysisReport wild;
  const Timing motion = Time(repeats, [&] { acuity::RunMeasurement(acuity::Measurement::kMotionBlur, image, false, &wild); });
  acuity::NoiseOptions no_levels;
  no_levels.level_bins = 0;
  const Timing plain_noise = Time(repeats, [&] { acuity::MeasureNoise(image.pixels, no_levels); });
  const Timing levels_noise = Time(repeats, [&] { acuity::MeasureNoise(image.pixels); });
  // The content kind (content_kind.h), which Analyze() also runs.
  const Timing content = Time(repeats, [&] { acuity::RunMeasurement(acuity::Measurement::kContent, image, false, &wild); });
  std::cout << fmt::format("| motion_blur (not in the sum) | {:.1f} | {:.1f} | {:.0f} |\n", motion.best_ms,
                           motion.median_ms, motion.best_cpu_ms);
  std::cout << fmt::format("| content kind (not in the sum) | {:.1f} | {:.1f} | {:.0f} |\n", content.best_ms,
                           content.median_ms, content.best_cpu_ms);
  std::cout << fmt::format("| noise without level function (level_bins 0; not in the sum) | {:.1f} | {:.1f} | {:.0f} |\n",
                           plain_noise.best_ms, plain_noise.median_ms, plain_noise.best_cpu_ms);
  const Timing total = Time(repeats, [&] { report = acuity::Analyze(image); });
  std::cout << fmt::format("| sum of the steps | {:.1f} | | |\n", sum_steps);
  std::cout << fmt::format("| **Analyze() end to end** | **{:.1f}** | {:.1f} | {:.0f} |\n", total.best_ms,
                           total.median_ms, total.best_cpu_ms);
  const double wild_cpu = motion.best_cpu_ms + std::max(0.0, levels_noise.best_cpu_ms - plain_noise.best_cpu_ms);
  std::cout << fmt::format("| issue #17 share: motion blur + level function CPU {:.0f} ms of {:.0f} ms ({:.1f} % over "
                           "the {:.0f} ms without them) | | | |\n",
                           wild_cpu, total.best_cpu_ms, 100 * wild_cpu / std::max(1.0, total.best_cpu_ms - wild_cpu),
                           total.best_cpu_ms - wild_cpu);
  // Each step again with its map (analyze --maps, reports, the viewer).
  std::cout << "\n| step with its map | best ms | CPU ms |\n|---|---|---|\n";
  for (const auto& step : acuity::datasets::MeasurementSteps()) {
    acuity::AnalysisReport mapped_step;
    const Timing t = Time(1, [&] { acuity::RunMeasurement(step.measurement, image, /*compute_map=*/true, &mapped_step); });
    std::cout << fmt::format("| {} | {:.1f} | {:.0f} |\n", step.name, t.best_ms, t.best_cpu_ms);
  }
  acuity::AnalysisReport motion_mapped;
  const Timing motion_map = Time(1, [&] { acuity::RunMeasurement(acuity::Measurement::kMotionBlur, image, true, &motion_mapped); });
  std::cout << fmt::format("| motion_blur | {:.1f} | {:.0f} |\n\n", motion_map.best_ms, motion_map.best_cpu_ms);
  // With maps (reports, the viewer) the maps read every pixel while the
  // figures still come from the same samples: its time, and a check that
  // asking for maps changes no figure.
  acuity::AnalysisReport full;
  acuity::AnalyzeOptions with_maps;
  with_maps.compute_maps = true;
  const Timing mapped = Time(1, [&] { full = acuity::Analyze(image, with_maps); });
  std::cout << fmt::format("| Analyze() with maps (maps of every pixel; not counted) | {:.1f} | | {:.0f} |\n", mapped.best_ms,
                           mapped.best_cpu_ms);
  auto pair = [](const std::optional<double>& a, const std::optional<double>& b) {
    auto f = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("null"); };
    return f(a) + " / " + f(b);
  };
  const std::string agreement = fmt::format(
      "without / with maps (the same figures expected): noise σ {}; blur σ {} px; blockiness {}; jpeg quality {}; halo_score {}; "
      "overshoot {} %\n",
      pair(report.noise.sigma, full.noise.sigma), pair(report.sharpness.blur_sigma_px, full.sharpness.blur_sigma_px),
      pair(report.compression.blockiness, full.compression.blockiness),
      pair(report.compression.jpeg_quality_estimate, full.compression.jpeg_quality_estimate),
      pair(report.oversharpening.halo_score, full.oversharpening.halo_score),
      pair(report.oversharpening.overshoot_pct, full.oversharpening.overshoot_pct));

  if (absl::GetFlag(FLAGS_peers)) {
    std::string out;
    const std::string cmd = Quote(absl::GetFlag(FLAGS_python)) + " " + Quote(absl::GetFlag(FLAGS_peers_script)) +
                            " --repeat " + std::to_string(std::max(1, repeats)) + " " + Quote(path) + " 2>/dev/null";
    if (FILE* pipe = popen(cmd.c_str(), "r")) {
      char buffer[4096];
      size_t n;
      while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
      pclose(pipe);
    }
    const nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || !j.contains("estimate_sigma_s")) {
      std::cout << "\nscikit-image peers did not run (" << cmd << ")\n";
    } else {
      const double sigma_ms = j["estimate_sigma_s"].get<double>() * 1000;
      const double blur_ms = j["blur_effect_s"].get<double>() * 1000;
      std::cout << fmt::format("| scikit-image estimate_sigma | {:.1f} | | |\n", sigma_ms);
      std::cout << fmt::format("| scikit-image blur_effect | {:.1f} | | |\n", blur_ms);
      const double ratio = (sigma_ms + blur_ms) / total.best_ms;
      std::cout << fmt::format("\nacuity Analyze() (all five measurements) is {:.1f}× faster than scikit-image "
                               "estimate_sigma + blur_effect (goal ≥ 20×: {}).\n",
                               ratio, ratio >= 20 ? "met" : "missed");
      std::cout << fmt::format("readings: acuity noise σ {} vs estimate_sigma {:.2f}; blur σ {} px; native_scale {}\n",
                               report.noise.sigma ? fmt::format("{:.2f}", *report.noise.sigma) : "null",
                               j["estimate_sigma"].get<double>(),
                               report.sharpness.blur_sigma_px ? fmt::format("{:.2f}", *report.sharpness.blur_sigma_px) : "null",
                               report.resolution.native_scale ? fmt::format("{:.3f}", *report.resolution.native_scale) : "null");
    }
  }
  std::cout << agreement;
  if (absl::GetFlag(FLAGS_keep).empty()) std::filesystem::remove(path);
  return 0;
}
