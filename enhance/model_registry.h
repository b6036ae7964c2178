// Finding super-resolution models on disk: the pinned models (UpscalerJS's
// ESRGANs, Real-ESRGAN's x4plus and general-x4v3) that setup.sh converts to `<dir>/<name>-x<scale>.pt` with a JSON sidecar
// `<name>-x<scale>.json`, and a user's own TorchScript file. No LibTorch here:
// this only reads names, paths and sidecars.
//
// Default search order for the model directory (first one holding the file):
//   1. $ACUITY_MODEL_DIR
//   2. <directory of the running executable>/models
//   3. <directory of the running executable>/../models
//   4. <directory of the running executable>/../share/acuity/models (installed)
//   5. the models of the build tree the code runs from (BuildTreeDir,
//      analysis/io/lazy_module.h: a test program, the Python module
//      imported from build/python); none for an installed acuity
//
//   absl::StatusOr<acuity::ModelSpec> spec = acuity::FindModel("esrgan-medium", 4, "");
//   if (spec.ok()) Load(spec->pt_path, spec->input_range);
//
//   // A user's own model, with the scale and range from FILE.json or given here.
//   auto mine = acuity::UserModelSpec("/models/mine.pt", /*scale=*/4, /*input_range=*/1.0);
#ifndef ACUITY_ENHANCE_MODEL_REGISTRY_H_
#define ACUITY_ENHANCE_MODEL_REGISTRY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace acuity {

// Everything needed to run one TorchScript SR model of one scale.
struct ModelSpec {
  std::string name;        // "esrgan-medium", or the file stem of a user's model
  int scale = 0;           // output px per input px (0 = unknown yet, probed at load)
  double input_range = 0;  // input values in [0, input_range]: 1 or 255
  double output_range = 0; // output values in [0, output_range] (not clamped by the model)
  // How far (input px) an output pixel can see; -1 = unknown (a user's model).
  int receptive_radius_px = -1;
  // Tile context margin (input px) measured for this model to keep tiled =
  // untiled within 1/255 (sidecar "tile_overlap_px"); -1 = derive it from
  // receptive_radius_px (enhance/tiling.h).
  int tile_overlap_px = -1;
  std::string arch;        // "rdn", "rrdn", "rrdbnet", "srvgg", or "" when unknown
  std::string pt_path;     // the TorchScript file
  // The same network converted for CUDA devices (sidecar "cuda_file", beside
  // pt_path; each concatenation kept literally, which cuDNN runs faster);
  // "" = pt_path serves every device. ModelOnDevice picks.
  std::string cuda_pt_path;
  bool builtin = false;    // one of the pinned models (BuiltinModelNames)
  // Measured to run ≥ 1.5× faster in bfloat16 on an AMD CPU with AVX-512 BF16
  // while staying ≥ 45 dB PSNR from its float32 output (models/RESULTS.md,
  // "bfloat16"); sidecar "bf16_ok" for a user's model. ChoosePrecision
  // (sr_model.h) reads it.
  bool bf16_ok = false;
};

// `spec` as loaded on a CUDA device (`cuda`) or the CPU: pt_path is its
// CUDA form where it has one, else unchanged.
ModelSpec ModelOnDevice(ModelSpec spec, bool cuda);

// The pinned model names: UpscalerJS's ESRGANs fastest first (esrgan-slim,
// esrgan-medium, esrgan-thick), then Real-ESRGAN's, fastest first
// (realesr-general-x4v3, realesrgan-x4plus; models/README.md).
const std::vector<std::string>& BuiltinModelNames();
bool IsBuiltinModelName(const std::string& name);

// The scales, ascending, that setup.sh converts for built-in model `name`:
// {2, 3, 4, 8} for the ESRGANs, {4} for Real-ESRGAN's (a ×2 or ×3 runs the
// ×4 model, then an area downscale). Empty for an unknown name.
std::vector<int> BuiltinModelScales(const std::string& name);

// The directories searched when no model_dir is given, in order (existing or not).
std::vector<std::string> DefaultModelDirs();

// Reads a sidecar JSON (name, scale, input_range, output_range,
// receptive_radius, tile_overlap_px, arch) into a spec whose pt_path is `pt_path`.
// InvalidArgument when the file is not JSON or lacks scale/input_range.
absl::StatusOr<ModelSpec> ReadSidecar(const std::string& json_path, const std::string& pt_path);

// `<model_dir>/<name>-x<scale>.pt` with its sidecar; model_dir "" = the
// default search. NotFound (saying where it looked and how to get the
// models) when no directory holds it; InvalidArgument for an unknown name.
absl::StatusOr<ModelSpec> FindModel(const std::string& name, int scale,
                                    const std::string& model_dir);

// The scales (ascending) available for `name` in the directory FindModel
// would use; empty when none.
std::vector<int> AvailableScales(const std::string& name, const std::string& model_dir);

// A user's TorchScript file: scale and ranges from FILE.json next to it when
// present, overridden by `scale` / `input_range` when given. The output range
// defaults to the input range. NotFound if the file is missing;
// InvalidArgument if the input range is not known from either source or a
// value is out of range. An unknown scale stays 0 (SrModel probes it).
absl::StatusOr<ModelSpec> UserModelSpec(const std::string& pt_path, std::optional<int> scale,
                                        std::optional<double> input_range);

// True when `model` names a file rather than a built-in model (ends in .pt/.pth
// or contains a path separator).
bool LooksLikeModelPath(const std::string& model);

}  // namespace acuity

#endif  // ACUITY_ENHANCE_MODEL_REGISTRY_H_
