// Fuzz target: everything `acuity analyze --json` and `acuity advise` do with
// a small decoded image — every measurement with its map, the fit to a print
// target, the advisor's plan, the plain-words verdicts, QA of the image
// against itself, and the JSON forms. Inputs are image files of any format;
// headers claiming more than 256×256 px are refused before decoding so that
// one run stays fast.
//
//   build-asan/fuzz/analyze_fuzzer NEW_DIR fuzz/corpus/analyze
#include <cstddef>
#include <cstdint>

#include "analysis/advice/advisor.h"
#include "analysis/advice/qa.h"
#include "analysis/advice/verdicts.h"
#include "analysis/io/image_io.h"
#include "analysis/json/json_text.h"
#include "analysis/json/plan_json.h"
#include "analysis/json/report_json.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "fuzz/fuzz_checks.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  acuity::QuietLibraryLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The measurements need a few blocks of pixels: 8 px a side, as `acuity` asks.
  acuity::LoadOptions options = acuity::fuzz::FuzzLoadOptions(acuity::fuzz::kMaxAnalyzeMegapixels);
  options.min_side_px = acuity::LoadOptions().min_side_px;
  absl::StatusOr<acuity::Image> image = acuity::DecodeImage(acuity::fuzz::Bytes(data, size), "fuzz", options);
  acuity::fuzz::CheckDecoded(image, options);
  if (!image.ok()) return -1;

  acuity::AnalyzeOptions analyze;
  analyze.compute_maps = true;
  analyze.target = *acuity::ParseTargetSpec("4x6in@300dpi");
  const acuity::AnalysisReport report = acuity::Analyze(*image, analyze);
  const acuity::Plan plan = acuity::Advise(report);
  FUZZ_CHECK(!acuity::DescribeMeasurements(report).empty());
  FUZZ_CHECK(!acuity::JsonText(acuity::ReportToJson(report)).empty());
  FUZZ_CHECK(!acuity::JsonText(acuity::PlanToJson(plan)).empty());

  absl::StatusOr<acuity::QaReport> qa = acuity::RunQa(*image, *image, nullptr, acuity::QaThresholds{});
  FUZZ_CHECK(qa.ok());
  return 0;
}
