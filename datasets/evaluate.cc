// evaluate: runs acuity::Analyze() on every file of a ladder directory, runs
// the peers (scikit-image through /usr/bin/python3, ImageMagick `identify`)
// on the same files, and writes the accuracy report (datasets/RESULTS.md).
//
//   build/datasets/build_ladders --out /tmp/acuity-ladders
//   build/datasets/evaluate --ladders /tmp/acuity-ladders --out datasets/RESULTS.md
//   build/datasets/evaluate --ladders DIR --out R.md --readings R.jsonl   # per-file readings too
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/image_io.h"
#include "datasets/evaluation.h"
#include "datasets/ladder.h"
#include "datasets/markdown_blocks.h"
#include "datasets/measurements.h"
#include "datasets/wild_ladders.h"

ABSL_FLAG(std::string, ladders, "", "ladder directory written by build_ladders");
ABSL_FLAG(std::string, out, "", "Markdown report to write (stdout gets a copy)");
ABSL_FLAG(std::string, readings, "", "optional: JSON Lines file with every file's readings");
ABSL_FLAG(bool, peers, true, "run scikit-image and ImageMagick on the same files");
ABSL_FLAG(std::string, python, "/usr/bin/python3", "Python with scikit-image (Debian's)");
ABSL_FLAG(std::string, peers_script, ACUITY_SOURCE_DIR "/datasets/peers.py", "datasets/peers.py");
ABSL_FLAG(std::string, only, "",
          "run only these measurements instead of the whole Analyze() (comma-separated: noise, blur, "
          "compression, oversharpening, upscale), to tune one estimator quickly");
ABSL_FLAG(std::string, from_readings, "",
          "rewrite the report from a --readings file of an earlier run, without analysing again");
ABSL_FLAG(std::string, speed_table, "", "optional: output of analyze_bench, included in the report");
ABSL_FLAG(std::string, command, "",
          "command line shown in the report (default: the build_ladders + evaluate commands used)");

namespace {

// The sections of RESULTS.md measured by scripts rather than from the ladders
// (whole-process timings, batch throughput): kept as they are.
constexpr char kByHandBlock[] = "measured_by_scripts";
// Likewise the content readings' (datasets/content_kind_jpeg.sh,
// overlay_jpeg.sh, overlay_crisp_photos.py, clipped_plateaus.py) and the
// learned SR test's (sr_classifier_train.py).
constexpr char kContentScriptsBlock[] = "content_scripts";

using acuity::datasets::Observation;

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs a shell command and returns its stdout.
std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// scikit-image's readings, by absolute path.
std::map<std::string, nlohmann::json> RunSkimage(const std::vector<std::string>& paths, const std::string& list_file) {
  std::map<std::string, nlohmann::json> by_path;
  {
    std::ofstream list(list_file);
    for (const std::string& p : paths) list << p << "\n";
  }
  const std::string out = RunCommand(Quote(absl::GetFlag(FLAGS_python)) + " " + Quote(absl::GetFlag(FLAGS_peers_script)) +
                                     " " + Quote(list_file) + " 2>/dev/null");
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    nlohmann::json j = nlohmann::json::parse(out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded() && j.contains("file")) by_path[j["file"].get<std::string>()] = j;
    start = end + 1;
  }
  if (by_path.empty() && !paths.empty()) {
    std::cerr << "evaluate: scikit-image peers gave no output (is python3-skimage installed?)\n";
  }
  return by_path;
}

// ImageMagick's %Q of each JPEG file, by absolute path.
std::map<std::string, int> RunIdentify(const std::vector<std::string>& jpegs) {
  std::map<std::string, int> by_path;
  for (size_t i = 0; i < jpegs.size(); i += 100) {
    std::string cmd = "identify -format '%i %Q\\n'";
    for (size_t k = i; k < std::min(jpegs.size(), i + 100); ++k) cmd += " " + Quote(jpegs[k]);
    const std::string out = RunCommand(cmd + " 2>/dev/null");
    size_t start = 0;
    while (start < out.size()) {
      size_t end = out.find('\n', start);
      if (end == std::string::npos) end = out.size();
      const std::string line = out.substr(start, end - start);
      const size_t tab = line.rfind(' ');
      if (tab != std::string::npos) by_path[line.substr(0, tab)] = std::atoi(line.c_str() + tab + 1);
      start = end + 1;
    }
  }
  return by_path;
}

acuity::AnalysisReport RunOnly(const acuity::Image& image, const std::vector<std::string>& only) {
  acuity::AnalysisReport report;
  report.input = image.info;
  for (const auto& step : acuity::datasets::MeasurementSteps()) {
    if (std::find(only.begin(), only.end(), step.name) != only.end()) acuity::RunMeasurement(step.measurement, image, /*compute_map=*/false, &report);
  }
  return report;
}

nlohmann::json Opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json ReadingsJson(const Observation& o) {
  nlohmann::json j = acuity::datasets::LabelToJson(o.label);
  j["loaded"] = o.loaded;
  if (!o.loaded) j["error"] = o.error;
  j["acuity"] = {{"noise_sigma", Opt(o.ours.noise_sigma_8bit)},
                 {"blur_sigma_px", Opt(o.ours.blur_sigma_px)},
                 {"jpeg_quality_estimate", Opt(o.ours.jpeg_quality)},
                 {"quality_source", o.ours.quality_source},
                 {"jpeg_tables", o.ours.jpeg_tables},
                 {"halo_score", Opt(o.ours.halo_score)},
                 {"oversharpening_detected",
                  o.ours.oversharpening_detected ? nlohmann::json(*o.ours.oversharpening_detected) : nlohmann::json()},
                 {"native_scale", Opt(o.ours.native_scale)},
                 {"analyze_ms", o.analyze_ms},
                 {"width", o.width},
                 {"height", o.height}};
  j["peer"] = {{"estimate_sigma", Opt(o.peer.estimate_sigma)},
               {"blur_effect", Opt(o.peer.blur_effect)},
               {"imagemagick_quality",
                o.peer.imagemagick_quality ? nlohmann::json(*o.peer.imagemagick_quality) : nlohmann::json()},
               {"seconds", o.peer.peer_seconds}};
  return j;
}

std::optional<double> OptNumber(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

// The inverse of ReadingsJson: a report can be rewritten without analysing again.
absl::StatusOr<std::vector<Observation>> ReadReadings(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::vector<Observation> obs;
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("acuity") || !j.contains("peer")) {
      return absl::InvalidArgumentError("bad readings line in " + path);
    }
    absl::StatusOr<acuity::datasets::Label> label = acuity::datasets::LabelFromJson(j);
    if (!label.ok()) return label.status();
    Observation o;
    o.label = *label;
    o.loaded = j.value("loaded", false);
    o.error = j.value("error", "");
    const nlohmann::json& a = j["acuity"];
    const nlohmann::json& p = j["peer"];
    o.ours.noise_sigma_8bit = OptNumber(a, "noise_sigma");
    o.ours.blur_sigma_px = OptNumber(a, "blur_sigma_px");
    o.ours.jpeg_quality = OptNumber(a, "jpeg_quality_estimate");
    o.ours.quality_source = a.value("quality_source", "none");
    o.ours.jpeg_tables = a.value("jpeg_tables", "");
    o.ours.halo_score = OptNumber(a, "halo_score");
    if (a.contains("oversharpening_detected") && a["oversharpening_detected"].is_boolean()) {
      o.ours.oversharpening_detected = a["oversharpening_detected"].get<bool>();
    }
    o.ours.native_scale = OptNumber(a, "native_scale");
    o.analyze_ms = a.value("analyze_ms", 0.0);
    o.width = a.value("width", 0);
    o.height = a.value("height", 0);
    o.peer.estimate_sigma = OptNumber(p, "estimate_sigma");
    o.peer.blur_effect = OptNumber(p, "blur_effect");
    if (std::optional<double> q = OptNumber(p, "imagemagick_quality")) o.peer.imagemagick_quality = int(*q);
    o.peer.peer_seconds = p.value("seconds", 0.0);
    obs.push_back(std::move(o));
  }
  return obs;
}

// Writes the Markdown report (and the readings file) from the observations.
int WriteReport(const std::vector<Observation>& obs, const std::string& dir) {
  std::string command = absl::GetFlag(FLAGS_command);
  if (command.empty()) {
    command = fmt::format("build/datasets/build_ladders --out {0}\n", dir);
    if (!absl::GetFlag(FLAGS_speed_table).empty()) {
      command += fmt::format("build/datasets/analyze_bench > {}\n", absl::GetFlag(FLAGS_speed_table));
    }
    command += fmt::format("build/datasets/evaluate --ladders {} --out {}", dir,
                           absl::GetFlag(FLAGS_out).empty() ? "datasets/RESULTS.md" : absl::GetFlag(FLAGS_out));
    if (!absl::GetFlag(FLAGS_speed_table).empty()) command += " --speed_table " + absl::GetFlag(FLAGS_speed_table);
  }
  std::string speed;
  if (!absl::GetFlag(FLAGS_speed_table).empty()) {
    std::ifstream in(absl::GetFlag(FLAGS_speed_table));
    speed.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (speed.empty()) std::cerr << "evaluate: --speed_table file is empty or missing\n";
  }
  std::string report = acuity::datasets::ResultsMarkdown(obs, command, speed);
  // Keep the blocks other tools and people write: the figures measured by
  // scripts (kByHandBlock, kContentScriptsBlock), then the ones of wild_evaluate (datasets/wild_ladders.h),
  // ai_upscale_evaluate, datasets/content_ladder.py, dither_evaluate,
  // datasets/dither_peers.py and the straightened enlargements' (by hand).
  if (!absl::GetFlag(FLAGS_out).empty()) {
    std::ifstream previous(absl::GetFlag(FLAGS_out));
    const std::string old(std::istreambuf_iterator<char>(previous), {});
    for (const char* name : {kByHandBlock, kContentScriptsBlock, acuity::datasets::kWildBlockName,
                             acuity::datasets::kAiUpscaleBlockName,
                             acuity::datasets::kContentLadderBlockName, acuity::datasets::kDitherBlockName,
                             acuity::datasets::kDitherPeersBlockName, acuity::datasets::kTiltedGridBlockName}) {
      report = acuity::datasets::WithBlock(report, acuity::datasets::BlockOf(old, name), name);
    }
  }
  std::cout << report;
  if (!absl::GetFlag(FLAGS_out).empty()) {
    std::ofstream out(absl::GetFlag(FLAGS_out));
    out << report;
    if (!out) {
      std::cerr << "evaluate: cannot write " << absl::GetFlag(FLAGS_out) << "\n";
      return 1;
    }
  }
  if (!absl::GetFlag(FLAGS_readings).empty()) {
    std::ofstream out(absl::GetFlag(FLAGS_readings));
    for (const Observation& o : obs) out << ReadingsJson(o).dump() << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Scores acuity against ladder labels. Usage: evaluate --ladders DIR --out RESULTS.md");
  absl::ParseCommandLine(argc, argv);
  acuity::QuietLibraryLogging();
  const std::string dir = absl::GetFlag(FLAGS_ladders);
  if (!absl::GetFlag(FLAGS_from_readings).empty()) {
    absl::StatusOr<std::vector<Observation>> obs = ReadReadings(absl::GetFlag(FLAGS_from_readings));
    if (!obs.ok()) {
      std::cerr << "evaluate: " << obs.status().message() << "\n";
      return 3;
    }
    return WriteReport(*obs, dir.empty() ? "DIR" : dir);
  }
  if (dir.empty()) {
    std::cerr << "evaluate: --ladders DIR is required\n";
    return 2;
  }
  absl::StatusOr<std::vector<acuity::datasets::Label>> labels = acuity::datasets::ReadLabels(dir);
  if (!labels.ok()) {
    std::cerr << "evaluate: " << labels.status().message() << "\n";
    return 3;
  }

  std::vector<Observation> obs(labels->size());
  std::vector<std::string> paths, jpegs;
  for (size_t i = 0; i < obs.size(); ++i) {
    obs[i].label = (*labels)[i];
    paths.push_back(dir + "/" + obs[i].label.file);
    if (acuity::datasets::Extension(obs[i].label.recipe) == ".jpg") jpegs.push_back(paths.back());
  }

  // The peers run in the background while acuity analyses.
  std::map<std::string, nlohmann::json> skimage;
  std::map<std::string, int> identify;
  std::thread peers;
  if (absl::GetFlag(FLAGS_peers)) {
    peers = std::thread([&] {
      identify = RunIdentify(jpegs);
      skimage = RunSkimage(paths, dir + "/peer_files.txt");
    });
  }

  std::vector<std::string> only = absl::StrSplit(absl::GetFlag(FLAGS_only), ',', absl::SkipEmpty());
  for (const std::string& name : only) {
    bool known = false;
    for (const auto& step : acuity::datasets::MeasurementSteps()) known |= step.name == name;
    if (!known) {
      std::cerr << "evaluate: unknown measurement '" << name << "' in --only\n";
      return 2;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < obs.size(); ++i) {
    absl::StatusOr<acuity::Image> image = acuity::LoadImage(paths[i]);
    if (!image.ok()) {
      obs[i].error = std::string(image.status().message());
      continue;
    }
    obs[i].width = image->info.width;
    obs[i].height = image->info.height;
    try {
      const auto a0 = std::chrono::steady_clock::now();
      const acuity::AnalysisReport report = only.empty() ? acuity::Analyze(*image) : RunOnly(*image, only);
      obs[i].analyze_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a0).count();
      obs[i].ours = acuity::datasets::MeasuredFromReport(report);
      obs[i].loaded = true;
    } catch (const std::exception& e) {
      obs[i].error = std::string("Analyze() threw: ") + e.what();
    }
  }
  const double analyze_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (peers.joinable()) peers.join();

  for (size_t i = 0; i < obs.size(); ++i) {
    auto it = skimage.find(paths[i]);
    if (it != skimage.end()) {
      const nlohmann::json& j = it->second;
      if (j.contains("estimate_sigma") && j["estimate_sigma"].is_number()) obs[i].peer.estimate_sigma = j["estimate_sigma"].get<double>();
      if (j.contains("blur_effect") && j["blur_effect"].is_number()) obs[i].peer.blur_effect = j["blur_effect"].get<double>();
      obs[i].peer.peer_seconds = j.value("estimate_sigma_s", 0.0) + j.value("blur_effect_s", 0.0);
    }
    auto q = identify.find(paths[i]);
    if (q != identify.end()) obs[i].peer.imagemagick_quality = q->second;
  }

  const int rc = WriteReport(obs, dir);
  std::cerr << fmt::format("evaluate: {} files analysed in {:.1f} s\n", obs.size(), analyze_s);
  return rc;
}
