// Pieces every acuity subcommand shares: usage errors, per-file input errors
// and the image-loading options.
#ifndef ACUITY_CLI_COMMON_H_
#define ACUITY_CLI_COMMON_H_

#include <functional>
#include <optional>
#include <vector>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/exit_codes.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "cli/args.h"
#include "cli/stall_guard.h"
#include "enhance/upscaler.h"

namespace acuity::cli {

// Prints "acuity: <message>" to `err` and returns kExitUsage.
int UsageError(std::ostream& err, const absl::Status& status);
int UsageError(std::ostream& err, const std::string& message);

// Prints "acuity: FILE: reason" for a library call on FILE that failed and
// returns its exit code: kExitNoResource when the machine ran out of memory
// or disk (analysis/io/guard.h IsMachineResourceError), else `otherwise`.
int ReportFailure(std::ostream& err, const std::string& path, const absl::Status& status, int otherwise);

// --max-megapixels N
void AddLoadOptions(ArgParser& parser);
absl::StatusOr<LoadOptions> GetLoadOptions(const ParsedArgs& args);

// --device auto|cpu|cuda[:N] and --precision auto|fp16|bf16|fp32 (enhance,
// batch). GetDeviceOptions sets them in `upscale`; InvalidArgument naming
// the accepted words otherwise.
void AddDeviceOptions(ArgParser& parser);
// --device alone (advise: the device the plan's upscale is priced for).
void AddDeviceOption(ArgParser& parser, const std::string& help);
absl::Status GetDeviceOptions(const ParsedArgs& args, UpscaleOptions& upscale);

// Before the work: a CUDA device asked for (--device cuda[:N]) must be
// there, and float16 needs one. FailedPrecondition with one line (the
// caller's exit 2) otherwise. Loads the LibTorch module only when a CUDA
// device or fp16 is asked for.
absl::Status CheckDevice(const UpscaleOptions& upscale);

// --target SPEC and --fit contain|crop|pad[:COLOR]; GetTarget gives nullopt
// when absent and the parser's message (InvalidArgument) for a SPEC or a fit
// it cannot read, or a --fit without --target.
void AddTargetOption(ArgParser& parser);
// --content: `analyze`'s way to look for faces and text too (GetMeasureArgs).
void AddContentOption(ArgParser& parser);
absl::StatusOr<std::optional<TargetSpec>> GetTarget(const ParsedArgs& args);

// --target, the load options and whether faces and text are looked for,
// as the measuring commands (analyze, advise, report; the Python module's
// analyze and advise) read them; InvalidArgument for a bad value.
struct MeasureArgs {
  AnalyzeOptions analyze;
  LoadOptions load;
};
absl::StatusOr<MeasureArgs> GetMeasureArgs(const ParsedArgs& args);

// One line and kExitFailed (4) when `estimate_bytes` of work on `path`
// (memory_estimate.h, its peak), less `resident_bytes` of it already in use
// (the images loaded: the cgroup's usage counts them), is more than the
// process's cgroup leaves
// (memory.max, memory.limit_in_bytes: what Slurm's --mem, Kubernetes'
// limits and systemd's MemoryMax= set): over that limit the kernel kills
// the process without a word (exit 137). `what` names the work ("the
// analysis"). kExitOk when it fits or no cgroup limit is set. Address-space
// and data limits (ulimit -v, -d) are not checked here: under them an
// allocation fails and comes back as "out of memory", exit 4, by itself.
int RefuseOverCgroupLimit(std::ostream& err, const std::string& path, int64_t estimate_bytes,
                          int64_t resident_bytes, const std::string& what);

// Bytes of `image`'s pixels in memory.
int64_t PixelBytes(const Image& image);

// RefuseOverCgroupLimit for an analysis of `image` (analyze, advise): its
// estimated peak, with the content search when `find_content`.
int RefuseAnalysisOverCgroupLimit(std::ostream& err, const std::string& path, const Image& image, bool find_content);

// Loads each of `paths` in order — a folder stands for the image files under
// it (batch_inputs.h ExpandFolders) — and calls `each` with the ones that
// load; a file that cannot be read, or a folder without image files, gets
// its one-line diagnostic and the others are still processed. Returns kExitBadInput when any file could not be read,
// else the worst (largest) code `each` returned. On SIGINT/SIGTERM
// (interrupt.h) it stops before the next file and returns 128 + the signal.
// Each file it starts is progress for `guard` (stall_guard.h).
int ForEachImage(const std::vector<std::string>& paths, const LoadOptions& load, StallGuard& guard, std::ostream& err,
                 const std::function<int(const std::string& path, const Image& image)>& each);

// An output acuity writes (OUT, a report page, heatmaps, --maps DIR, batch's
// --out DIR and its results) could not be written: prints one line and
// returns the exit code. When the path itself is the mistake
// (InvalidArgument, FailedPrecondition: an unknown extension, the input
// file, a directory — image_writer.h CheckOutputPath) it is a usage error,
// "acuity: <message>", kExitUsage; anything else — the OS refused (the
// message carries its reason, strerror), the disk is full, memory ran out —
// is "acuity: PATH: <message>", kExitFailed (4), never kExitBadInput.
int ReportOutputError(std::ostream& err, const std::string& path, const absl::Status& status);
// The exit code alone: analysis/io/exit_codes.h OutputErrorExitCode.

// Reports the first heatmap of FILE (`path`) that could not be written (one
// line: "acuity: FILE: out of memory while …" when the machine ran out of
// memory or disk, else the map's path, the OS's reason and how many other
// maps failed too) and returns the exit code: kExitFailed (4) when any map
// was not written (ReportOutputError), kExitOk when all were.
int ReportHeatmapErrors(const std::vector<WrittenHeatmap>& written, const std::string& path, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_COMMON_H_
