// `acuity enhance [--target SPEC] [--steps STEPS | --plan auto] [--model NAME|FILE.pt]
//                 [--model-scale N] [--model-range 1|255] [--quality Q] [--threads N]
//                 [--max-memory MB] -o OUT FILE`
// — runs explicit steps (analysis/advice/parse_steps.h for the grammar,
// plan_ops.h for the ops) or the advisor's plan on FILE, prepared as every
// front end prepares it (enhance/plan_preparation.h), and writes OUT
// atomically, with EXIF, ICC, DPI, alpha and 16-bit depth kept
// (analysis/io/image_writer.h).
//
//   int code = acuity::cli::RunEnhance({"--steps", "upscale:2,sharpen:0.4", "-o", "big.png",
//                                       "photo.jpg"}, std::cout, std::cerr);
//
// Exit codes, chosen from status codes and payloads, never from message
// text: 0 done; 2 bad usage (flags, steps, an unknown model, OUT is the
// input); 3 the input (or the --model file) could not be read or is not a
// usable model (IsModelFileError); 4 the enhancement or the writing failed,
// or the machine ran out of memory or disk (OUT is then left as it was and
// no temporary file remains), or the plan's estimated peak memory
// (enhance/memory_estimate.h) is over --max-memory MB (default:
// MemAvailable) and nothing was tried; 130/143 interrupted by SIGINT/SIGTERM
// (cli/interrupt.h; OUT left as it was).
#ifndef ACUITY_CLI_ENHANCE_COMMAND_H_
#define ACUITY_CLI_ENHANCE_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace acuity::cli {

// The command's entry in the table of commands (cli/commands.h).
CommandSpec EnhanceCommand();

int RunEnhance(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace acuity::cli

#endif  // ACUITY_CLI_ENHANCE_COMMAND_H_
