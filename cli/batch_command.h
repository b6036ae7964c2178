// `acuity batch --out DIR [--do analyze|advise|qa|enhance] [--target SPEC]
//               [--plan auto | --steps STEPS] [--model M] [--thresholds LIST]
//               [--shard I/N] [--jobs N] [--max-memory MB] [--fail-on GATE] [--json] INPUT...`
// `acuity batch --summary DIR [--fail-on GATE] [--json]`
// — a catalogue in one process: files, folders (recursive) and @LIST inputs
// (batch/inputs.h), one JSON Lines record per input appended to
// DIR/results.jsonl or DIR/results.shard-I-of-N.jsonl (batch/results.h,
// batch/job.h for the record), resumable (inputs recorded with the same
// size and mtime are skipped) with the same options only (DIR/batch.json,
// batch/manifest.h), files run in parallel within a memory budget
// (batch/scheduler.h, enhance/memory_estimate.h), an overall progress
// bar, Ctrl-C stops after the files in flight, and a summary at the end
// with the --fail-on gate (batch/summary.h).
//
//   int code = acuity::cli::RunBatch({"--out", "results", "--jobs", "2", "photos/"}, std::cout, std::cerr);
//
// Exit codes: the largest of the records' (0 all ok, 1 a QA verdict of fail,
// 3 an input unreadable, 4 an input's work failed), 1 when an input fails
// --fail-on, and 3 when an INPUT could not be listed; 2 bad usage (options
// other than those DIR's results were made with); 4 an output (DIR, its
// manifest, the results file) cannot be written; 130/143 interrupted by
// SIGINT/SIGTERM (what was recorded stays; run again to resume).
#ifndef ACUITY_CLI_BATCH_COMMAND_H_
#define ACUITY_CLI_BATCH_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h).
CommandSpec BatchCommand();

int RunBatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_BATCH_COMMAND_H_
