#include "cli/common.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "batch/inputs.h"
#include "analysis/io/exit_codes.h"
#include "cli/interrupt.h"
#include "enhance/enhance_core.h"
#include "enhance/memory_budget.h"
#include "enhance/memory_estimate.h"

namespace acuity::cli {

int UsageError(std::ostream& err, const absl::Status& status) {
  return UsageError(err, std::string(status.message()));
}

int UsageError(std::ostream& err, const std::string& message) {
  err << "acuity: " << message << "\n";
  return kExitUsage;
}

namespace {

// The --precision words (parsing and help read this table).
struct PrecisionWord {
  const char* word;
  PrecisionMode mode;
};
constexpr PrecisionWord kPrecisionWords[] = {
    {"auto", PrecisionMode::kAuto},
    {"fp16", PrecisionMode::kFp16},
    {"bf16", PrecisionMode::kBf16},
    {"fp32", PrecisionMode::kFp32},
};

std::string PrecisionWords() {
  std::string words;
  for (const PrecisionWord& w : kPrecisionWords) absl::StrAppend(&words, words.empty() ? "" : "|", w.word);
  return words;
}

}  // namespace

void AddDeviceOption(ArgParser& parser, const std::string& help) {
  parser.AddOption("device", "auto|cpu|cuda[:N]", help);
}

void AddDeviceOptions(ArgParser& parser) {
  AddDeviceOption(parser, "where the model runs (default auto: the first CUDA device the LibTorch module sees, "
                          "in batch the files spread over all of them; else the CPU; acuity --version lists them)");
  parser.AddOption("precision", PrecisionWords(),
                   "network arithmetic (default auto: fp16 on CUDA; on the CPU bf16 where it is measured faster - "
                   "AMD with AVX-512 BF16 - and the model gains from it, else fp32)");
}

absl::Status GetDeviceOptions(const ParsedArgs& args, UpscaleOptions& upscale) {
  if (const std::optional<std::string> device = args.Get("device")) {
    absl::StatusOr<DeviceRequest> request = ParseDeviceRequest(*device);
    if (!request.ok()) return request.status();
    upscale.device = *request;
  }
  if (const std::optional<std::string> precision = args.Get("precision")) {
    for (const PrecisionWord& w : kPrecisionWords) {
      if (*precision == w.word) {
        upscale.precision = w.mode;
        return absl::OkStatus();
      }
    }
    return absl::InvalidArgumentError(absl::StrCat("--precision takes ", PrecisionWords()));
  }
  return absl::OkStatus();
}

absl::Status CheckDevice(const UpscaleOptions& upscale) {
  const bool wants_cuda = upscale.device.kind == DeviceRequest::Kind::kCuda;
  const bool wants_fp16 = upscale.precision == PrecisionMode::kFp16;
  if (!wants_cuda && !wants_fp16) return absl::OkStatus();
  absl::StatusOr<SrDevice> device = ResolveDevice(upscale.device);
  if (!device.ok()) return absl::FailedPreconditionError(device.status().message());
  if (wants_fp16 && !device->is_cuda())
    return absl::FailedPreconditionError("--precision fp16 needs a CUDA device (use fp32 or bf16 on the CPU)");
  return absl::OkStatus();
}

void AddLoadOptions(ArgParser& parser) {
  parser.AddOption("max-megapixels", "N",
                   "refuse images larger than N megapixels before decoding (default 200)");
}

absl::StatusOr<LoadOptions> GetLoadOptions(const ParsedArgs& args) {
  LoadOptions options;
  absl::StatusOr<double> mp = args.GetNumber("max-megapixels", options.max_megapixels);
  if (!mp.ok()) return mp.status();
  if (!(*mp > 0)) return absl::InvalidArgumentError("--max-megapixels must be positive");
  options.max_megapixels = *mp;
  return options;
}

void AddContentOption(ArgParser& parser) {
  parser.AddFlag("content", "also find faces and text and size them (seconds on a large photo; docs/content.md)");
}

void AddTargetOption(ArgParser& parser) {
  parser.AddOption("target", "SPEC",
                   "size to reach: 8x10in@300dpi, 8x10in@60cm (seen from 60 cm), A4, 3840x2160, 2000px, 4k, ...", 't');
  parser.AddOption("eye-acuity", "ARCMIN",
                   "the eye's resolving power assumed for a viewing-distance target, arcminutes per pixel "
                   "(default 1: normal vision; 0.3-10)");
  parser.AddOption("fit", "contain|crop|pad[:COLOR]",
                   "how a target of another aspect is met (default: crop for prints and screens, pad:white "
                   "for square canvases)");
}

absl::StatusOr<std::optional<TargetSpec>> GetTarget(const ParsedArgs& args) {
  const std::optional<std::string> text = args.Get("target");
  const std::optional<std::string> fit = args.Get("fit");
  if (!text) {
    if (fit) return absl::InvalidArgumentError("--fit needs --target");
    if (args.Get("eye-acuity")) return absl::InvalidArgumentError("--eye-acuity needs --target");
    return std::optional<TargetSpec>();
  }
  absl::StatusOr<double> acuity = args.GetNumber("eye-acuity", kDefaultEyeAcuityArcmin);
  if (!acuity.ok()) return acuity.status();
  absl::StatusOr<TargetSpec> spec = ParseTargetSpec(*text, *acuity);
  if (!spec.ok()) return spec.status();
  if (fit) {
    absl::StatusOr<FitChoice> choice = ParseFit(*fit);
    if (!choice.ok()) return choice.status();
    spec->fit = *choice;
  }
  return std::optional<TargetSpec>(*std::move(spec));
}

absl::StatusOr<MeasureArgs> GetMeasureArgs(const ParsedArgs& args) {
  MeasureArgs out;
  absl::StatusOr<std::optional<TargetSpec>> target = GetTarget(args);
  if (!target.ok()) return target.status();
  out.analyze.target = *target;
  absl::StatusOr<LoadOptions> load = GetLoadOptions(args);
  if (!load.ok()) return load.status();
  out.load = *load;
  // Faces and text: every measuring command looks for them (advise warns
  // about small ones, report and the viewer show them) except `analyze`,
  // where they cost about 4× a plain analysis and wait for --content
  // (docs/content.md).
  out.analyze.find_content = args.command() != "analyze" || args.Has("content");
  return out;
}

int ReportFailure(std::ostream& err, const std::string& path, const absl::Status& status, int otherwise) {
  err << "acuity: " << path << ": " << status.message() << "\n";
  return IsMachineResourceError(status) ? kExitNoResource : otherwise;
}

int RefuseOverCgroupLimit(std::ostream& err, const std::string& path, int64_t estimate_bytes,
                          int64_t resident_bytes, const std::string& what) {
  const std::optional<int64_t> left = ReadMemoryBudget().bounds.cgroup_bytes;
  const int64_t needed = StillNeededBytes(estimate_bytes, resident_bytes);
  if (!left || needed <= *left) return kExitOk;
  const double mb = 1024.0 * 1024.0;
  return ReportFailure(err, path,
                       Reworded(OutOfMemoryError("planning"),
                                fmt::format("{} needs about {:.0f} MB of memory beyond what it has loaded, more than "
                                            "the {:.0f} MB the cgroup's memory limit leaves; nothing done",
                                            what, std::ceil(needed / mb), std::floor(std::max<int64_t>(0, *left) / mb))),
                       kExitFailed);
}

int64_t PixelBytes(const Image& image) { return int64_t(image.pixels.total() * image.pixels.elemSize()); }

int RefuseAnalysisOverCgroupLimit(std::ostream& err, const std::string& path, const Image& image, bool find_content) {
  return RefuseOverCgroupLimit(err, path, EstimatePeakMemoryBytes(GeometryOf(image), find_content), PixelBytes(image),
                               "the analysis");
}

int ForEachImage(const std::vector<std::string>& paths, const LoadOptions& load, StallGuard& guard, std::ostream& err,
                 const std::function<int(const std::string& path, const Image& image)>& each) {
  int exit_code = kExitOk;
  for (const auto& [path, listing] : batch::ExpandFolders(paths)) {
    if (Interrupted()) return ReportInterrupted(err, "");
    guard.Beat(path);
    absl::StatusOr<Image> image = listing.ok() ? LoadImage(path, load) : absl::StatusOr<Image>(listing);
    if (!image.ok()) {
      exit_code = std::max(exit_code, ReportFailure(err, path, image.status(), kExitBadInput));
      continue;
    }
    guard.Beat();
    exit_code = std::max(exit_code, each(path, *image));
  }
  if (Interrupted()) return ReportInterrupted(err, "");
  return exit_code;
}

int ReportOutputError(std::ostream& err, const std::string& path, const absl::Status& status) {
  if (OutputErrorExitCode(status) == kExitUsage) return UsageError(err, status);
  err << "acuity: " << path << ": " << status.message() << "\n";
  return kExitFailed;
}

int ReportHeatmapErrors(const std::vector<WrittenHeatmap>& written, const std::string& path, std::ostream& err) {
  const auto first = std::find_if(written.begin(), written.end(), [](const WrittenHeatmap& w) { return !w.status.ok(); });
  if (first == written.end()) return kExitOk;
  if (IsMachineResourceError(first->status)) return ReportFailure(err, path, first->status, kExitNoResource);
  const auto others = std::count_if(first + 1, written.end(), [](const WrittenHeatmap& w) { return !w.status.ok(); });
  const std::string more = others == 0 ? "" : absl::StrCat(" (and ", others, " more maps of ", path, " not written)");
  return ReportOutputError(err, first->path, absl::Status(first->status.code(), absl::StrCat(first->status.message(), more)));
}

}  // namespace acuity::cli
