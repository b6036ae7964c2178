// The inputs of `acuity batch`: files, folders (searched recursively for the
// image extensions acuity reads) and @LIST files (one path per line), each
// with its path relative to its INPUT root, sorted; and the stable shard a
// relative path falls in.
//
//   absl::StatusOr<acuity::batch::BatchInputs> in = acuity::batch::ListBatchInputs({"photos/", "@more.txt"});
//   for (const acuity::batch::BatchInput& f : in->files)
//     if (acuity::batch::InShard(f.relative, {.index = 0, .count = 4})) Process(f.path);
#ifndef ACUITY_BATCH_INPUTS_H_
#define ACUITY_BATCH_INPUTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace acuity::batch {

struct BatchInput {
  std::string path;      // to open: the INPUT root joined with `relative`
  // Relative to its INPUT root, '/'-separated: for a folder INPUT the path
  // under it; for a file INPUT its name; for an @LIST line the line itself
  // (without a leading '/' or '../'). Recorded in results, mirrored under
  // --out DIR by enhance, hashed for --shard.
  std::string relative;
  int64_t size_bytes = 0;
  int64_t mtime_ns = 0;  // modification time, ns since the epoch
};

struct BatchInputs {
  std::vector<BatchInput> files;       // sorted by `relative`, no path twice
  std::vector<std::string> problems;   // "PATH: reason" for an INPUT that cannot be listed
};

// Extensions (lower case, with the dot) a folder is searched for.
const std::vector<std::string>& BatchImageExtensions();

// Lists `inputs` (as given on the command line). An INPUT that does not exist
// or cannot be read, or a folder without image files, is a problem, the
// others are still listed.
// InvalidArgument when two different files have the same relative path
// (the message names both: give their common folder instead).
// `skip_folder` (batch's --out) is not entered when a folder INPUT holds it:
// a rerun must not take the results and enhanced files for inputs.
absl::StatusOr<BatchInputs> ListBatchInputs(const std::vector<std::string>& inputs,
                                            const std::string& skip_folder = "");

// The FILE arguments of the single-file commands (analyze, report): a
// folder is replaced by the image files under it, listed as batch lists a
// folder INPUT (recursively, by BatchImageExtensions, sorted by relative
// path); anything else stays as given, in order (loading it says what is
// wrong with it). A folder that cannot be listed, or holds no image file,
// is an entry with its path and that `listing` status (PermissionDenied,
// NotFound).
struct ExpandedInput {
  std::string path;
  absl::Status listing;  // OK: load `path`
};
std::vector<ExpandedInput> ExpandFolders(const std::vector<std::string>& given);

// `--shard I/N`: index I of N (0 ≤ I < N).
struct Shard {
  int index = 0;
  int count = 1;
};
// Parses "I/N"; InvalidArgument otherwise.
absl::StatusOr<Shard> ParseShard(std::string_view text);

// FNV-1a 64 of the bytes of `relative`: the same on every machine and run.
uint64_t StablePathHash(std::string_view relative);
bool InShard(std::string_view relative, const Shard& shard);

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_INPUTS_H_
