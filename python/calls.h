// The work behind the Python module's functions (module.cc), free of Python:
// each reads its options with the command's own option table and getters
// (cli/args.h, cli/common.h, the *_command.h files), runs what the command
// runs on one image, and builds the value with the command's JSON writer. A
// failure is reported by the command's own reporting functions; its exit
// code and one line become the CallResult's error. Called without the GIL.
//
//   acuity::python::Input input{"photo.jpg", std::nullopt};
//   acuity::python::CallResult r = acuity::python::CallAnalyze(input, {"--target=A4"});
//   if (r.error) Raise(r.error->exit_code, r.error->message);
//   else Use(r.value);  // what `acuity analyze --json photo.jpg --target A4` prints
#ifndef ACUITY_PYTHON_CALLS_H_
#define ACUITY_PYTHON_CALLS_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "analysis/io/image.h"
#include "enhance/pipeline.h"

namespace acuity::python {

// How an array is named in messages and in JSON's input.path.
inline constexpr char kArrayName[] = "<array>";

// A file, or pixels already in memory (gray, BGR or BGRA; 8-bit, 16-bit or
// float 0–1, as analysis/io/image_io.h ImageFromPixels takes them).
struct Input {
  std::optional<std::string> path;
  std::optional<cv::Mat> pixels;
};

// A failure as `acuity` reports it: the exit code (analysis/io/exit_codes.h: 2 bad
// usage, 3 an input could not be read, 4 the output could not be produced)
// and the line it prints, without the "acuity: " in front.
struct CallError {
  int exit_code = 0;
  std::string message;
};

struct CallResult {
  nlohmann::json value;             // the command's JSON object
  cv::Mat pixels;                   // enhance: the result (gray, BGR or BGRA)
  std::optional<CallError> error;   // set when the call failed; value is then null
  std::vector<std::string> notes;   // other lines the command printed on stderr
};

// Options as command-line words, "--name=value" or "--flag".
using Words = std::vector<std::string>;

enum class Function { kAnalyze, kAdvise, kQa, kEnhance };

// The lines of `acuity COMMAND --help` for the options `function` takes.
std::string OptionsHelp(Function function);

// `acuity analyze --json` and `acuity advise --json` for one input; their
// options: --target, --fit, --max-megapixels.
CallResult CallAnalyze(const Input& input, const Words& options);
CallResult CallAdvise(const Input& input, const Words& options);

// `acuity qa --json BEFORE AFTER [--reference REF]`; options: --thresholds,
// --max-megapixels.
CallResult CallQa(const Input& before, const Input& after, const std::optional<Input>& reference,
                  const Words& options);

// `acuity enhance` (its options; -o/--output optional: without it nothing is
// written and the pixels are the result as the plan makes it),
// reporting to `progress` (false cancels). The value: "analysis" (--plan
// auto), "plan" (as run) and "output" (null when none), as in a
// `batch --do enhance` record; the result's pixels too.
CallResult CallEnhance(const Input& input, const Words& options, const PipelineProgress& progress);

}  // namespace acuity::python

#endif  // ACUITY_PYTHON_CALLS_H_
