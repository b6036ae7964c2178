// oversharpening_calibration: the evidence the halo model of
// analysis/measurements/oversharpening.cc is fitted on, one CSV row per
// image: the wild set of wild_evaluate (every photo and content crop, clean
// and unsharp-masked; every other item of a class is held out) and, with
// --ladders, the ladder files evaluate scores (clean, blur, noise, sharpen).
// datasets/fit_oversharpening.py fits the model on the rows that are not
// held out and prints the constants to paste into oversharpening.cc.
//
//   build/datasets/build_ladders --out /tmp/acuity-ladders
//   build/datasets/oversharpening_calibration --ladders /tmp/acuity-ladders > /tmp/halo.csv
//   /usr/bin/python3 datasets/fit_oversharpening.py /tmp/halo.csv
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/oversharpening_evidence.h"
#include "datasets/ladder.h"
#include "datasets/wild_ladders.h"

ABSL_FLAG(std::string, ladders, "", "optional: ladder directory written by build_ladders");
ABSL_FLAG(std::string, photo_dir, "/usr/lib/python3/dist-packages/skimage/data", "scikit-image's photos");

namespace acuity::datasets {
namespace {

// A name as one CSV field (crop names hold a comma: "grass@0,256").
std::string Csv(std::string name) {
  std::replace(name.begin(), name.end(), ',', ';');
  return name;
}

// One CSV row: where the image comes from, its label, its evidence (NaN when
// not measured).
void PrintRow(const std::string& set, const std::string& item, const std::string& content, bool held_out,
              int positive, double amount, double radius, const cv::Mat& pixels) {
  const GradientOpposition g = MeasureHaloEvidence(pixels, MeasureNoise(pixels).result.luma_sigma.value_or(0.0));
  std::cout << fmt::format("{},{},{},{},{},{},{},{:.6g},{:.6g},{:.6g}\n", set, item, content, held_out ? 1 : 0,
                           positive, amount, radius, g.narrow_ratio.value_or(NAN), g.wide_ratio.value_or(NAN),
                           g.probe_narrow_ratio.value_or(NAN));
}

// The wild set exactly as wild_evaluate's over-sharpening section builds it.
void WildRows(const std::string& dir) {
  std::vector<WildItem> items = WildPhotos(dir);
  for (WildItem& c : ContentCrops(dir)) items.push_back(std::move(c));
  const double usm[][2] = {{0, 0}, {0.3, 1}, {0.5, 1}, {0.3, 2}, {0.5, 2}, {2, 1}, {3, 1}, {2, 2}, {3, 2}};
  std::map<std::string, int> seen;
  for (const WildItem& item : items) {
    const bool held_out = seen[item.content]++ % 2 == 1;
    for (const auto& u : usm) {
      const cv::Mat image = u[0] > 0 ? UnsharpMask(item.image, u[0], u[1]) : item.image;
      PrintRow("wild", Csv(item.name), item.content, held_out, u[0] >= 2 ? 1 : 0, u[0], u[1], image);
    }
  }
}

// The ladder files of the over-sharpening rows of evaluate: positives
// amount ≥ 2, negatives clean, amount ≤ 0.5, noise and blur (1 amount 1: -1).
void LadderRows(const std::string& dir) {
  absl::StatusOr<std::vector<Label>> labels = ReadLabels(dir);
  if (!labels.ok()) {
    std::cerr << "oversharpening_calibration: " << labels.status().message() << "\n";
    return;
  }
  for (const Label& l : *labels) {
    const Recipe& r = l.recipe;
    if (r.ladder != "clean" && r.ladder != "blur" && r.ladder != "noise" && r.ladder != "sharpen") continue;
    const int positive = r.sharpen_amount >= 2 ? 1 : (r.ladder == "sharpen" && r.sharpen_amount > 0.5 ? -1 : 0);
    absl::StatusOr<Image> image = LoadImage(dir + "/" + l.file);
    if (!image.ok()) continue;
    PrintRow("ladder:" + r.ladder, Csv(l.file), "photo", false, positive, r.sharpen_amount, r.sharpen_radius_px,
             image->pixels);
  }
}

}  // namespace
}  // namespace acuity::datasets

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Writes the halo model's calibration evidence as CSV. Usage: oversharpening_calibration [--ladders DIR]");
  absl::ParseCommandLine(argc, argv);
  std::cout << "set,item,content,held_out,positive,amount,radius,narrow,wide,probe\n";
  acuity::datasets::WildRows(absl::GetFlag(FLAGS_photo_dir));
  if (const std::string ladders = absl::GetFlag(FLAGS_ladders); !ladders.empty())
    acuity::datasets::LadderRows(ladders);
  return 0;
}
