#include "batch/manifest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/guard.h"
#include "analysis/measurements/target_spec.h"

namespace acuity::batch {
namespace {

namespace fs = std::filesystem;

std::string ManifestPath(const std::string& dir) { return (fs::path(dir) / kManifestFileName).string(); }

// One spelling per choice where an option has several: --fit "pad",
// "pad:white" and "PAD:#ffffff" are one (FitText).
std::string Canonical(const std::string& name, const std::string& value) {
  if (name == "fit")
    if (absl::StatusOr<FitChoice> fit = ParseFit(value); fit.ok()) return FitText(*fit);
  return value;
}

// An option's value with the defaults filled in, in its one spelling;
// nullopt: not given, no default.
std::optional<std::string> Effective(const BatchOptionValues& values, const BatchOptionValues& defaults,
                                     const std::string& name) {
  if (auto it = values.find(name); it != values.end()) return Canonical(name, it->second);
  if (auto it = defaults.find(name); it != defaults.end()) return Canonical(name, it->second);
  return std::nullopt;
}

std::string Given(const std::string& name, const std::optional<std::string>& value) {
  if (!value) return absl::StrCat("--", name, " (not given)");
  return value->empty() ? absl::StrCat("--", name) : absl::StrCat("--", name, " ", *value);
}

// The status of a failed `what` on `path` with errno `err`.
absl::Status WriteError(const std::string& path, const char* what, int err) {
  if (err == ENOSPC || err == EDQUOT) return DiskFullError(path);
  return absl::PermissionDeniedError(absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(err)));
}

// Writes `bytes` to `path` unless it exists (AlreadyExists then): a
// complete temporary file, linked to its name (link never replaces).
absl::Status CreateExclusively(const std::string& path, const std::string& bytes) {
  std::string tmp = (fs::path(path).parent_path() / ("." + fs::path(path).filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return WriteError(path, "write", errno);
  size_t written = 0;
  int err = 0;
  while (written < bytes.size() && err == 0) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n >= 0) written += size_t(n);
    else if (errno != EINTR) err = errno;
  }
  ::fchmod(fd, 0644);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::link(tmp.c_str(), path.c_str()) != 0) err = errno;
  ::unlink(tmp.c_str());
  if (err == EEXIST) return absl::AlreadyExistsError(path);
  return err == 0 ? absl::OkStatus() : WriteError(path, "write", err);
}

absl::Status Mismatch(const std::string& dir, const std::string& difference) {
  return absl::FailedPreconditionError(absl::StrCat(
      "--out ", dir, " holds results made with ", difference, ": give another --out, or the same options to resume"));
}

// The check of a manifest found in DIR against this run's.
absl::StatusOr<std::vector<std::string>> CheckAgainst(const std::string& dir, const BatchManifest& found,
                                                      const BatchManifest& run, const BatchOptionValues& defaults) {
  const std::string difference = OptionDifference(found.options, run.options, defaults);
  if (!difference.empty()) return Mismatch(dir, difference);
  std::vector<std::string> notes;
  if (found.acuity_version != run.acuity_version)
    notes.push_back(absl::StrCat("batch: ", dir, "'s results so far were made by acuity ", found.acuity_version,
                                 ", this is acuity ", run.acuity_version, " (figures may differ between versions)"));
  return notes;
}

}  // namespace

nlohmann::json ManifestToJson(const BatchManifest& manifest) {
  return {{"acuity_version", manifest.acuity_version}, {"options", manifest.options}};
}

absl::StatusOr<std::optional<BatchManifest>> ReadManifest(const std::string& dir) {
  const std::string path = ManifestPath(dir);
  std::ifstream in(path);
  if (!in) return std::optional<BatchManifest>();
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  BatchManifest manifest;
  bool valid = j.is_object() && j.contains("options") && j["options"].is_object();
  if (valid && j.contains("acuity_version") && j["acuity_version"].is_string())
    manifest.acuity_version = j["acuity_version"].get<std::string>();
  for (auto it = valid ? j["options"].begin() : j.end(); valid && it != j["options"].end(); ++it) {
    valid = it->is_string();
    if (valid) manifest.options[it.key()] = it->get<std::string>();
  }
  if (!valid)
    return absl::FailedPreconditionError(absl::StrCat(
        path, " is not a batch manifest (the options its results were made with): remove it to resume anyway"));
  return std::optional<BatchManifest>(std::move(manifest));
}

std::string OptionDifference(const BatchOptionValues& recorded, const BatchOptionValues& now,
                             const BatchOptionValues& defaults) {
  std::set<std::string> names;
  for (const auto* values : {&recorded, &now})
    for (const auto& [name, value] : *values) names.insert(name);
  for (const std::string& name : names) {
    const std::optional<std::string> was = Effective(recorded, defaults, name), is = Effective(now, defaults, name);
    if (was != is) return absl::StrCat(Given(name, was), "; this run has ", Given(name, is));
  }
  return "";
}

absl::StatusOr<std::vector<std::string>> ClaimResultsDir(const std::string& dir, const BatchManifest& run,
                                                         const BatchOptionValues& defaults,
                                                         const std::vector<nlohmann::json>& records) {
  absl::StatusOr<std::optional<BatchManifest>> found = ReadManifest(dir);
  if (!found.ok()) return found.status();
  if (*found) return CheckAgainst(dir, **found, run, defaults);
  std::vector<std::string> notes;
  if (!records.empty()) {  // from an acuity that kept no manifest: only "do" can be checked
    const std::optional<std::string> action = Effective(run.options, defaults, "do");
    for (const nlohmann::json& r : records) {
      const std::string done = r.value("do", "");
      if (!done.empty() && done != action)
        return Mismatch(dir, absl::StrCat("--do ", done, "; this run has ", Given("do", action)));
    }
    notes.push_back(absl::StrCat("batch: ", dir, " holds results of an acuity that did not record its options: ",
                                 "their --do matches, the other options are taken to be this run's (now recorded in ",
                                 ManifestPath(dir), ")"));
  }
  const absl::Status created = CreateExclusively(ManifestPath(dir), ManifestToJson(run).dump(2) + "\n");
  if (absl::IsAlreadyExists(created)) return ClaimResultsDir(dir, run, defaults, {});  // a shard beside us wrote it
  if (!created.ok()) return created;
  return notes;
}

std::string FormatOptions(const BatchOptionValues& options) {
  std::string text;
  for (const auto& [name, value] : options) absl::StrAppend(&text, text.empty() ? "" : " ", Given(name, value));
  return text;
}

}  // namespace acuity::batch
