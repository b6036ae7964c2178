// build_ladders: writes the evaluation ladders (degraded variants of real
// photos with known parameters) and their labels (DIR/labels.jsonl).
//
//   build/datasets/build_ladders --out /tmp/acuity-ladders
//   build/datasets/build_ladders --out /tmp/smoke --photos coffee --quick
//
// See datasets/README.md for what the ladders contain.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "datasets/ladder.h"

ABSL_FLAG(std::string, out, "", "output directory (created; existing files are overwritten)");
ABSL_FLAG(std::string, photos, "", "comma-separated scikit-image photo names (default: the standard 12)");
ABSL_FLAG(std::string, photo_dir, "/usr/lib/python3/dist-packages/skimage/data",
          "directory holding the photos (NAME.png or NAME.jpg)");
ABSL_FLAG(bool, quick, false, "only a handful of variants per photo (smoke test)");
ABSL_FLAG(std::string, held_out_photos, "",
          "comma-separated photos that get only a clean image and the jpeg_tables ladder (default: "
          "datasets::HeldOutJpegPhotos() unless --photos or --quick is given; 'none' for none)");

namespace {

namespace fs = std::filesystem;
using acuity::datasets::Label;

// FNV-1a: a seed that depends only on the file name (reproducible everywhere).
uint64_t Seed(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string PhotoFile(const std::string& dir, const std::string& name) {
  for (const char* ext : {".png", ".jpg"}) {
    if (fs::exists(dir + "/" + name + ext)) return dir + "/" + name + ext;
  }
  return "";
}

bool WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Writes evaluation ladders with ground-truth labels. Usage: build_ladders --out DIR");
  absl::ParseCommandLine(argc, argv);
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (out_dir.empty()) {
    std::cerr << "build_ladders: --out DIR is required\n";
    return 2;
  }
  std::vector<std::string> photos = acuity::datasets::DefaultPhotos();
  if (!absl::GetFlag(FLAGS_photos).empty()) {
    photos = absl::StrSplit(absl::GetFlag(FLAGS_photos), ',', absl::SkipEmpty());
  }
  const std::vector<acuity::datasets::Variant> variants = acuity::datasets::StandardLadders(absl::GetFlag(FLAGS_quick));
  std::vector<std::string> held_out;
  if (absl::GetFlag(FLAGS_held_out_photos).empty()) {
    if (absl::GetFlag(FLAGS_photos).empty() && !absl::GetFlag(FLAGS_quick)) held_out = acuity::datasets::HeldOutJpegPhotos();
  } else if (absl::GetFlag(FLAGS_held_out_photos) != "none") {
    held_out = absl::StrSplit(absl::GetFlag(FLAGS_held_out_photos), ',', absl::SkipEmpty());
  }
  std::vector<acuity::datasets::Variant> held_out_variants = {{"clean", {.ladder = "clean"}}};
  for (auto& v : acuity::datasets::JpegTablesLadders(absl::GetFlag(FLAGS_quick))) held_out_variants.push_back(v);
  const size_t standard_photos = photos.size();
  photos.insert(photos.end(), held_out.begin(), held_out.end());

  fs::create_directories(out_dir);
  std::ofstream labels(fs::path(out_dir) / "labels.jsonl");
  int files = 0;
  for (size_t i = 0; i < photos.size(); ++i) {
    const std::string& photo = photos[i];
    const std::vector<acuity::datasets::Variant>& photo_variants = i < standard_photos ? variants : held_out_variants;
    const std::string path = PhotoFile(absl::GetFlag(FLAGS_photo_dir), photo);
    cv::Mat original = path.empty() ? cv::Mat() : cv::imread(path, cv::IMREAD_UNCHANGED);
    if (original.empty()) {
      std::cerr << "build_ladders: cannot read photo '" << photo << "' in " << absl::GetFlag(FLAGS_photo_dir) << "\n";
      return 3;
    }
    const cv::Mat clean = acuity::datasets::MakeClean(original);
    fs::create_directories(fs::path(out_dir) / photo);
    for (const auto& v : photo_variants) {
      Label label;
      label.photo = photo;
      label.recipe = v.recipe;
      label.file = photo + "/" + v.name + acuity::datasets::Extension(v.recipe);
      label.clean_file = photo + "/clean.png";
      absl::StatusOr<std::string> bytes = acuity::datasets::RenderVariant(clean, v.recipe, Seed(label.file));
      if (!bytes.ok() || !WriteFile(fs::path(out_dir) / label.file, *bytes)) {
        std::cerr << "build_ladders: " << label.file << ": "
                  << (bytes.ok() ? std::string("cannot write") : std::string(bytes.status().message())) << "\n";
        return 1;
      }
      labels << acuity::datasets::LabelToJson(label).dump() << "\n";
      ++files;
    }
    std::cerr << fmt::format("build_ladders: {} ({}x{} clean, {} ch): {} variants\n", photo, clean.cols, clean.rows,
                             clean.channels(), photo_variants.size());
  }
  std::cerr << fmt::format("build_ladders: wrote {} files and {}/labels.jsonl\n", files, out_dir);
  return labels ? 0 : 1;
}
