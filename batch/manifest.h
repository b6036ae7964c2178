// What the results of a batch in --out DIR were made with: the options that
// change results, as given, and acuity's version, kept once in
// DIR/batch.json, so that a run on the same DIR resumes only what the same
// options made and refuses otherwise (naming the option that differs).
//
//   {"acuity_version": "0.1.0", "options": {"do": "qa", "target": "4k", "thresholds": "halo_crispness=5"}}
//
//   acuity::batch::BatchManifest run{.acuity_version = "0.1.0", .options = {{"do", "qa"}}};
//   absl::StatusOr<std::vector<std::string>> notes =
//       acuity::batch::ClaimResultsDir("out", run, {{"do", "analyze"}}, records_already_there);
//   if (!notes.ok()) ...  // FailedPrecondition: "--out out holds results made with --do analyze; ..."
#ifndef ACUITY_BATCH_MANIFEST_H_
#define ACUITY_BATCH_MANIFEST_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace acuity::batch {

inline constexpr char kManifestFileName[] = "batch.json";

// Option name (without "--") -> its value as given ("" for a flag); an
// option not given is absent.
using BatchOptionValues = std::map<std::string, std::string>;

struct BatchManifest {
  std::string acuity_version;
  BatchOptionValues options;
};

nlohmann::json ManifestToJson(const BatchManifest& manifest);

// DIR/batch.json: nullopt when there is none; FailedPrecondition when it is
// not a manifest (the message says what to do).
absl::StatusOr<std::optional<BatchManifest>> ReadManifest(const std::string& dir);

// The first option (in name order) whose value differs between `recorded`
// and `now` once `defaults` fill in the options not given (so that
// `--do analyze` matches no --do), as a clause: "--target 4k; this run has
// --target 300px" ("(not given)" for an option without a value); "" when
// they all match.
std::string OptionDifference(const BatchOptionValues& recorded, const BatchOptionValues& now,
                             const BatchOptionValues& defaults);

// Makes DIR (an existing directory) the home of `run`'s results. DIR/batch.json:
//  - present: its options must match `run`'s (OptionDifference), else
//    FailedPrecondition naming the option; a different acuity_version only
//    gives a note;
//  - absent, with `records` already in DIR (results of an acuity that did not
//    keep a manifest): their "do" must be `run`'s --do (FailedPrecondition
//    otherwise), the other options are taken to be `run`'s and a note says
//    so; the manifest is written;
//  - absent, no records: the manifest is written.
// It is created exclusively (temporary file, fsync, link), so shards that
// start at once on the same DIR either write it or check against it.
// PermissionDenied / ResourceExhausted with the OS's reason when it cannot be
// written. Returns the notes for stderr (one line each, without "acuity: ").
absl::StatusOr<std::vector<std::string>> ClaimResultsDir(const std::string& dir, const BatchManifest& run,
                                                         const BatchOptionValues& defaults,
                                                         const std::vector<nlohmann::json>& records);

// "--do qa --target 4k": the options as a command line would give them.
std::string FormatOptions(const BatchOptionValues& options);

}  // namespace acuity::batch

#endif  // ACUITY_BATCH_MANIFEST_H_
