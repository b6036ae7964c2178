// Exit codes of the `acuity` program (DESIGN.md), also a batch record's
// "exit_code" and the Python module's error categories.
#ifndef ACUITY_ANALYSIS_IO_EXIT_CODES_H_
#define ACUITY_ANALYSIS_IO_EXIT_CODES_H_

#include "absl/status/status.h"

namespace acuity {

inline constexpr int kExitOk = 0;
inline constexpr int kExitQaFail = 1;    // a QA verdict of fail
inline constexpr int kExitUsage = 2;     // bad usage
inline constexpr int kExitBadInput = 3;  // an input could not be read (others still processed)
inline constexpr int kExitFailed = 4;    // the processing failed or an output could not be written
// The machine ran out of a resource: memory or disk (analysis/io/guard.h
// IsMachineResourceError); nothing was written for that file. The same code
// as kExitFailed: DESIGN.md's "4 the output could not be produced".
inline constexpr int kExitNoResource = 4;
// Interrupted by a signal (SIGINT 130, SIGTERM 143): 128 + the signal number
// (cli/interrupt.h); nothing partial is left.
inline constexpr int kExitSignalBase = 128;

// An output acuity writes could not be written: kExitUsage when the path
// itself is the mistake (InvalidArgument, FailedPrecondition: an unknown
// extension, the input file, a directory — image_writer.h CheckOutputPath),
// else kExitFailed (the OS refused, the disk is full, memory ran out), never
// kExitBadInput.
inline int OutputErrorExitCode(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsFailedPrecondition(status) ? kExitUsage : kExitFailed;
}

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_EXIT_CODES_H_
