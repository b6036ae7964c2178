#include "enhance/model_registry.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/lazy_module.h"
#include "absl/strings/str_join.h"
#include "analysis/advice/sr_model_facts.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;

bool IsFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string FileName(const std::string& name, int scale, const char* ext) {
  return absl::StrCat(name, "-x", scale, ext);
}

// The directory to use for `name`: model_dir when given, else the first
// default directory holding any scale of `name`.
std::vector<std::string> CandidateDirs(const std::string& model_dir) {
  if (!model_dir.empty()) return {model_dir};
  return DefaultModelDirs();
}

}  // namespace

const std::vector<std::string>& BuiltinModelNames() {
  static const auto* const kNames = [] {
    auto* names = new std::vector<std::string>;
    for (const SrModelFacts& f : AllSrModelFacts()) names->push_back(f.name);
    return names;
  }();
  return *kNames;
}

std::vector<int> BuiltinModelScales(const std::string& name) {
  const SrModelFacts* facts = FindSrModelFacts(name);
  return facts == nullptr ? std::vector<int>{} : facts->Scales();
}

bool IsBuiltinModelName(const std::string& name) {
  const auto& names = BuiltinModelNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::vector<std::string> DefaultModelDirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("ACUITY_MODEL_DIR"); env != nullptr && *env != '\0') {
    dirs.push_back(env);
  }
  const std::string exe_dir = ProgramDir().string();
  if (!exe_dir.empty()) {
    dirs.push_back((fs::path(exe_dir) / "models").string());
    dirs.push_back((fs::path(exe_dir).parent_path() / "models").string());
  }
  // Installed: <prefix>/share/acuity/models (cmake/install.cmake), from the
  // program in <prefix>/bin or the Python module in <prefix>/lib/python3/….
  for (const fs::path& prefix : InstallPrefixes())
    dirs.push_back((prefix / "share" / "acuity" / "models").lexically_normal().string());
  // Run from its build tree: the models setup.sh converted there.
  if (const fs::path build = BuildTreeDir(); !build.empty()) dirs.push_back((build / "models").string());
  return dirs;
}

absl::StatusOr<ModelSpec> ReadSidecar(const std::string& json_path, const std::string& pt_path) {
  std::ifstream in(json_path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read model sidecar ", json_path));
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("model sidecar ", json_path, " is not valid JSON: ", e.what()));
  }
  if (!j.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("model sidecar ", json_path, " is not a JSON object"));
  }
  ModelSpec spec;
  spec.pt_path = pt_path;
  try {
    spec.name = j.value("name", fs::path(pt_path).stem().string());
    spec.scale = j.value("scale", 0);
    spec.input_range = j.value("input_range", 0.0);
    spec.output_range = j.value("output_range", spec.input_range);
    spec.receptive_radius_px = j.value("receptive_radius", -1);
    spec.tile_overlap_px = j.value("tile_overlap_px", -1);
    spec.arch = j.value("arch", std::string());
    spec.bf16_ok = j.value("bf16_ok", false);
    // A CUDA form the sidecar names but that is missing: the main file serves.
    if (const std::string cuda = j.value("cuda_file", std::string()); !cuda.empty()) {
      const std::string path = (fs::path(json_path).parent_path() / fs::path(cuda).filename()).string();
      if (IsFile(path)) spec.cuda_pt_path = path;
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("model sidecar ", json_path, " has a field of the wrong type: ", e.what()));
  }
  if (spec.scale < 0 || spec.scale > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("model sidecar ", json_path, ": scale ", spec.scale, " is not in 1..16"));
  }
  if (spec.input_range < 0 || spec.output_range < 0) {
    return absl::InvalidArgumentError(absl::StrCat("model sidecar ", json_path, ": negative range"));
  }
  return spec;
}

ModelSpec ModelOnDevice(ModelSpec spec, bool cuda) {
  if (cuda && !spec.cuda_pt_path.empty()) spec.pt_path = spec.cuda_pt_path;
  return spec;
}

absl::StatusOr<ModelSpec> FindModel(const std::string& name, int scale,
                                    const std::string& model_dir) {
  if (!IsBuiltinModelName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown model '", name, "' (use ", absl::StrJoin(BuiltinModelNames(), ", "),
                     " or a path to a TorchScript .pt file)"));
  }
  const std::vector<std::string> dirs = CandidateDirs(model_dir);
  for (const std::string& dir : dirs) {
    const std::string pt = (fs::path(dir) / FileName(name, scale, ".pt")).string();
    if (!IsFile(pt)) continue;
    const std::string json = (fs::path(dir) / FileName(name, scale, ".json")).string();
    absl::StatusOr<ModelSpec> spec = ReadSidecar(json, pt);
    if (!spec.ok()) return spec.status();
    if (spec->scale != scale || spec->input_range <= 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "model sidecar ", json, " says scale ", spec->scale, ", input range ",
          spec->input_range, "; expected scale ", scale, " and a positive range"));
    }
    spec->name = name;
    spec->builtin = true;
    // The table's facts (sr_model_facts.h) over the sidecar's.
    const SrModelFacts& facts = *FindSrModelFacts(name);
    spec->bf16_ok = spec->bf16_ok || facts.bf16_ok;
    spec->tile_overlap_px = facts.tile_overlap_px;
    spec->arch = facts.arch;
    return spec;
  }
  return absl::NotFoundError(absl::StrCat(
      "model file ", FileName(name, scale, ".pt"), " not found in ",
      dirs.empty() ? std::string("(no directory)") : absl::StrJoin(dirs, ", "),
      "; run ./setup.sh to convert the models, or set ACUITY_MODEL_DIR"));
}

std::vector<int> AvailableScales(const std::string& name, const std::string& model_dir) {
  for (const std::string& dir : CandidateDirs(model_dir)) {
    std::vector<int> scales;
    for (int s = 1; s <= 16; ++s) {
      if (IsFile((fs::path(dir) / FileName(name, s, ".pt")).string())) scales.push_back(s);
    }
    if (!scales.empty()) return scales;
  }
  return {};
}

absl::StatusOr<ModelSpec> UserModelSpec(const std::string& pt_path, std::optional<int> scale,
                                        std::optional<double> input_range) {
  if (!IsFile(pt_path)) return absl::NotFoundError(absl::StrCat("model file ", pt_path, " not found"));
  ModelSpec spec;
  spec.name = fs::path(pt_path).stem().string();
  spec.pt_path = pt_path;
  const std::string json = fs::path(pt_path).replace_extension(".json").string();
  if (IsFile(json)) {
    absl::StatusOr<ModelSpec> from_json = ReadSidecar(json, pt_path);
    if (!from_json.ok()) return from_json.status();
    spec = *from_json;
    spec.builtin = false;
  }
  if (scale.has_value()) spec.scale = *scale;
  if (input_range.has_value()) {
    spec.input_range = *input_range;
    if (!IsFile(json) || spec.output_range <= 0) spec.output_range = *input_range;
  }
  if (spec.output_range <= 0) spec.output_range = spec.input_range;
  if (spec.scale < 0 || spec.scale > 16) {
    return absl::InvalidArgumentError(absl::StrCat("model scale ", spec.scale, " is not in 1..16"));
  }
  if (spec.input_range <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the input range of ", pt_path, " is unknown: give it in ", json,
        " (\"input_range\": 1 or 255) or as the model input range option"));
  }
  return spec;
}

bool LooksLikeModelPath(const std::string& model) {
  auto ends_with = [&](const char* suffix) {
    const std::string s(suffix);
    return model.size() >= s.size() && model.compare(model.size() - s.size(), s.size(), s) == 0;
  };
  return model.find('/') != std::string::npos || ends_with(".pt") || ends_with(".pth") ||
         ends_with(".torchscript");
}

}  // namespace acuity
