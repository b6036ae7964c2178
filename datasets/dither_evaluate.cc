// dither_evaluate: are dithered few-colour pictures found (issue #25), and
// does the undither step bring them back towards the photo they were made
// from? acuity's own error diffusion (five kernels), ordered (Bayer)
// dithers and two-level gray, against the same photos posterized (no
// dither), drawn pictures (screenshots, charts, pixel art) and the photos
// themselves. The rule's thresholds (dither.h) were chosen on the
// calibration photos; the held-out photos were not looked at. Writes the
// "dither" block of datasets/RESULTS.md (the rest of the file is kept).
//
//   build/datasets/dither_evaluate --out datasets/RESULTS.md
//
// Other encoders (PIL, ImageMagick) are datasets/dither_peers.py's block.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "analysis/measurements/dither.h"
#include "datasets/markdown_blocks.h"
#include "enhance/undither.h"
#include "tests/testing/dithered_images.h"
#include "tests/testing/synthetic_images.h"

ABSL_FLAG(std::string, out, "", "RESULTS.md whose dither block to write (created when missing); empty: stdout");
ABSL_FLAG(std::string, photo_dir, "/usr/lib/python3/dist-packages/skimage/data", "scikit-image's photos");

namespace acuity::datasets {
namespace {

using testing::Diffusion;

constexpr int kMaxSidePx = 512;
const std::vector<std::string> kCalibration = {"chelsea", "coffee", "astronaut", "rocket"};
const std::vector<std::string> kHeldOut = {"ihc",   "retina", "motorcycle_left", "motorcycle_right", "hubble_deep_field",
                                           "camera", "coins", "moon",           "page",             "grass",
                                           "gravel", "brick", "clock_motion",   "cell"};

cv::Mat LoadPhoto(const std::string& dir, const std::string& name) {
  for (const char* ext : {".png", ".jpg"}) {
    const std::string path = dir + "/" + name + ext;
    if (!std::filesystem::exists(path)) continue;
    cv::Mat photo = cv::imread(path, cv::IMREAD_COLOR);
    const double shrink = double(kMaxSidePx) / std::max(photo.cols, photo.rows);
    if (shrink < 1) cv::resize(photo, photo, cv::Size(), shrink, shrink, cv::INTER_AREA);
    return photo;
  }
  return cv::Mat();
}

// One class of the table: how many, found, not measured, and the undither's
// PSNR change against the photo (dB) where it was found.
// For the missed ones, what the undither would have gained had it run.
struct Tally {
  int n = 0, found = 0, not_measured = 0;
  std::vector<double> gains_db, missed_gains_db;
};

// `photo`: what a dithered `pixels` was made from; null for the others.
void Count(Tally& t, const cv::Mat& pixels, const cv::Mat* photo) {
  const DitherResult d = MeasureDither(pixels).result;
  ++t.n;
  if (!d.detected) ++t.not_measured;
  const bool found = d.detected.value_or(false);
  t.found += found;
  if (!photo) return;
  UnditherOptions options;
  options.sigma_px = found ? *d.undither_sigma_px : UnditherSigmaPx(d.pattern_sigma_8bit.value_or(0));
  absl::StatusOr<cv::Mat> smoothed = Undither(pixels, options);
  if (smoothed.ok())
    (found ? t.gains_db : t.missed_gains_db).push_back(cv::PSNR(*smoothed, *photo) - cv::PSNR(pixels, *photo));
}

std::string Gains(const std::vector<double>& gains) {
  if (gains.empty()) return "—";
  std::vector<double> g = gains;
  std::sort(g.begin(), g.end());
  return fmt::format("{:+.1f} / {:+.1f} / {:+.1f}", g.front(), g[g.size() / 2], g.back());
}

// Every class on the photos of one set.
std::map<std::string, Tally> Measure(const std::string& dir, const std::vector<std::string>& photos) {
  std::map<std::string, Tally> t;
  for (const std::string& name : photos) {
    const cv::Mat photo = LoadPhoto(dir, name);
    if (photo.empty()) {
      std::cerr << "dither_evaluate: no photo " << name << " in " << dir << "\n";
      continue;
    }
    for (int colours : {4, 8, 16, 32, 64}) {
      const std::vector<cv::Vec3b> palette = testing::MedianCutPalette(photo, colours);
      for (Diffusion kernel : testing::kAllDiffusions)
        Count(t[fmt::format("+ error diffusion: {}", testing::DiffusionName(kernel))],
              testing::ErrorDiffuse(photo, palette, kernel), &photo);
      Count(t["− posterized to 4–64 colours"], testing::Posterize(photo, palette), nullptr);
    }
    for (int levels : {2, 3, 4, 6})
      for (int matrix : {4, 8})
        Count(t["+ ordered (Bayer 4/8 px, 2–6 levels)"], testing::OrderedDither(photo, levels, matrix), &photo);
    cv::Mat gray;
    cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
    cv::cvtColor(gray, gray, cv::COLOR_GRAY2BGR);
    Count(t["+ two levels (gray, Floyd–Steinberg)"],
          testing::ErrorDiffuse(gray, {cv::Vec3b(0, 0, 0), cv::Vec3b(255, 255, 255)}, Diffusion::kFloydSteinberg),
          &gray);
    Count(t["− the photo itself"], photo, nullptr);
  }
  return t;
}

std::map<std::string, Tally> MeasureDrawn() {
  std::map<std::string, Tally> t;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Count(t["− UI screenshots, charts"], testing::UiScreenshot(testing::UiStyle::kLight, seed), nullptr);
    Count(t["− UI screenshots, charts"], testing::UiScreenshot(testing::UiStyle::kDark, seed), nullptr);
    Count(t["− UI screenshots, charts"], testing::BarChart(seed), nullptr);
    for (int enlarge : {1, 2, 4})
      Count(t["− pixel art (2–4-px blocks, ×1–×4)"], testing::PixelArt(48, 32, 4 + int(seed) * 2, 2 + int(seed % 3), enlarge, seed),
            nullptr);
  }
  return t;
}

std::string Table(const std::string& title, const std::map<std::string, Tally>& t) {
  std::string s = fmt::format(
      "\n**{}**\n\n| class | pictures | found | not measured | undither where found, dB PSNR vs the photo (worst / "
      "median / best) | the same where missed, had it run |\n|---|---|---|---|---|---|\n",
      title);
  for (const auto& [name, tally] : t)
    s += fmt::format("| {} | {} | {} ({:.0f} %) | {} | {} | {} |\n", name, tally.n, tally.found,
                     tally.n ? 100.0 * tally.found / tally.n : 0.0, tally.not_measured, Gains(tally.gains_db),
                     Gains(tally.missed_gains_db));
  return s;
}

std::string Report(const std::string& dir) {
  std::string block = BlockBegin(kDitherBlockName) + "\n";
  block += "## Dither: few-colour pictures (`dither.*`, issue #25)\n\n### acuity's own encoders\n\n";
  block += fmt::format(
      "`build/datasets/dither_evaluate --out datasets/RESULTS.md`. Photos area-shrunk to at most {} px; palettes by "
      "median cut (4–64 colours); `+` classes are dithered (found is right), `−` are not (found is wrong). A picture "
      "of over 256 colours (gray: 64 levels) is not measured. The undither runs at the σ the reading gives; its gain "
      "is against the photo the picture was made from.\n",
      kMaxSidePx);
  block += Table(fmt::format("Calibration photos ({}): the thresholds were chosen here", fmt::join(kCalibration, ", ")),
                 Measure(dir, kCalibration));
  block += Table(fmt::format("Held-out photos ({})", fmt::join(kHeldOut, ", ")), Measure(dir, kHeldOut));
  block += Table("Drawn pictures", MeasureDrawn());
  return block + BlockEnd(kDitherBlockName) + "\n";
}

}  // namespace
}  // namespace acuity::datasets

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Dithered pictures found and undithered; writes the dither block of RESULTS.md");
  absl::ParseCommandLine(argc, argv);
  const std::string block = acuity::datasets::Report(absl::GetFlag(FLAGS_photo_dir));
  acuity::datasets::WriteBlockInto(absl::GetFlag(FLAGS_out), block, acuity::datasets::kDitherBlockName);
  return 0;
}
