#include "batch/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace acuity::batch {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool HasImageExtension(const fs::path& path) {
  const std::string ext = Lower(path.extension().string());
  const std::vector<std::string>& known = BatchImageExtensions();
  return std::find(known.begin(), known.end(), ext) != known.end();
}

// `given` without a root and without leading "..", '/'-separated.
std::string CleanRelative(const std::string& given) {
  fs::path normal = fs::path(given).lexically_normal().relative_path();
  fs::path out;
  bool leading = true;
  for (const fs::path& part : normal) {
    if (leading && (part == ".." || part == ".")) continue;
    leading = false;
    out /= part;
  }
  return out.generic_string();
}

// Size and modification time; false when `path` is not a regular file.
bool StatFile(const std::string& path, BatchInput& input) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  input.size_bytes = st.st_size;
  input.mtime_ns = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

void AddFile(const std::string& path, std::string relative, std::vector<BatchInput>& out) {
  BatchInput input;
  input.path = path;
  input.relative = std::move(relative);
  StatFile(path, input);  // a file that vanishes is reported when it is loaded
  out.push_back(std::move(input));
}

// Adds the image files under `root` (recursively, by extension) to `out`;
// not OK when the folder cannot be listed or holds no image file.
// `skip`: a folder not to enter (batch's --out, when it is inside an INPUT:
// its results and enhanced files are no inputs of a rerun).
absl::Status ListFolder(const fs::path& root, std::vector<BatchInput>& out, const std::string& skip = "") {
  std::error_code ec;
  const size_t before = out.size();
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code same_ec;
    if (!skip.empty() && it->is_directory(ec) && fs::equivalent(it->path(), skip, same_ec)) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !HasImageExtension(it->path())) continue;
    AddFile(it->path().string(), it->path().lexically_relative(root).generic_string(), out);
  }
  if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot list this folder: ", ec.message()));
  if (out.size() == before)
    return absl::NotFoundError(absl::StrCat("no image files in this folder (searched recursively for ",
                                            absl::StrJoin(BatchImageExtensions(), " "), ")"));
  return absl::OkStatus();
}

bool ByRelativePath(const BatchInput& a, const BatchInput& b) {
  return a.relative != b.relative ? a.relative < b.relative : a.path < b.path;
}

// One INPUT; `from_list`: a line of an @LIST (its relative path is the line).
void ListOne(const std::string& input, bool from_list, const std::string& skip, std::vector<BatchInput>& out,
             std::vector<std::string>& problems) {
  std::error_code ec;
  const fs::file_status status = fs::status(input, ec);
  if (fs::is_directory(status)) {
    if (absl::Status s = ListFolder(fs::path(input), out, skip); !s.ok())
      problems.push_back(absl::StrCat(input, ": ", s.message()));
    return;
  }
  if (fs::is_regular_file(status)) {
    return AddFile(input, from_list ? CleanRelative(input) : fs::path(input).filename().string(), out);
  }
  // The OS's reason when it is not plain absence (a name too long, a folder
  // on the way that may not be searched, a loop of links), as LoadImage says it.
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
    return problems.push_back(absl::StrCat(input, ": cannot look it up: ", ec.message()));
  problems.push_back(absl::StrCat(input, ": ", fs::exists(status) ? "not a file or folder" : "no such file or folder"));
}

void ListFromFile(const std::string& list_path, const std::string& skip, std::vector<BatchInput>& out,
                  std::vector<std::string>& problems) {
  std::ifstream list(list_path);
  if (!list) {
    problems.push_back(absl::StrCat("@", list_path, ": cannot read the list"));
    return;
  }
  std::string line;
  while (std::getline(list, line)) {
    const std::string entry(absl::StripAsciiWhitespace(line));
    if (entry.empty() || entry[0] == '#') continue;
    ListOne(entry, /*from_list=*/true, skip, out, problems);
  }
}

}  // namespace

const std::vector<std::string>& BatchImageExtensions() {
  // What LoadImage decodes (analysis/io/image_io.h).
  static const auto* const kExtensions =
      new std::vector<std::string>{".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"};
  return *kExtensions;
}

absl::StatusOr<BatchInputs> ListBatchInputs(const std::vector<std::string>& inputs, const std::string& skip_folder) {
  BatchInputs result;
  std::vector<BatchInput> all;
  for (const std::string& input : inputs) {
    if (input.size() > 1 && input[0] == '@') {
      ListFromFile(input.substr(1), skip_folder, all, result.problems);
    } else {
      ListOne(input, /*from_list=*/false, skip_folder, all, result.problems);
    }
  }
  std::sort(all.begin(), all.end(), ByRelativePath);
  for (BatchInput& input : all) {
    if (!result.files.empty() && result.files.back().relative == input.relative) {
      const BatchInput& kept = result.files.back();
      std::error_code ec;
      const bool same = kept.path == input.path || fs::equivalent(kept.path, input.path, ec);
      if (same) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "two inputs have the same relative path ", input.relative, " (", kept.path, " and ", input.path,
          "): give their common folder instead"));
    }
    result.files.push_back(std::move(input));
  }
  return result;
}

std::vector<ExpandedInput> ExpandFolders(const std::vector<std::string>& given) {
  std::vector<ExpandedInput> out;
  for (const std::string& path : given) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      out.push_back({path, absl::OkStatus()});
      continue;
    }
    std::vector<BatchInput> files;
    const absl::Status listed = ListFolder(fs::path(path), files);
    std::sort(files.begin(), files.end(), ByRelativePath);
    for (const BatchInput& f : files) out.push_back({f.path, absl::OkStatus()});
    if (!listed.ok()) out.push_back({path, listed});
  }
  return out;
}

absl::StatusOr<Shard> ParseShard(std::string_view text) {
  const size_t slash = text.find('/');
  Shard shard;
  auto number = [](std::string_view s, int& value) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count) || shard.count < 1 || shard.index < 0 ||
      shard.index >= shard.count) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard ", std::string(text), ": give I/N with 0 ≤ I < N, e.g. --shard 0/4"));
  }
  return shard;
}

uint64_t StablePathHash(std::string_view relative) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (unsigned char c : relative) {
    hash ^= c;
    hash *= 1099511628211ull;  // FNV-1a 64 prime
  }
  return hash;
}

bool InShard(std::string_view relative, const Shard& shard) {
  return StablePathHash(relative) % uint64_t(shard.count) == uint64_t(shard.index);
}

}  // namespace acuity::batch
