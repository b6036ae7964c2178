#include "cli/report_command.h"

#include <filesystem>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_io.h"
#include "cli/advise_command.h"
#include "cli/args.h"
#include "batch/inputs.h"
#include "cli/commands.h"
#include "batch/results.h"
#include "report/catalogue_report.h"
#include "cli/common.h"
#include "analysis/io/exit_codes.h"
#include "cli/interrupt.h"
#include "report/html_report.h"

namespace acuity::cli {
namespace {

// report --batch DIR: the catalogue of DIR's results.
int WriteCatalogue(const std::string& dir, const std::string& output, const std::string& title, std::ostream& err) {
  const batch::ResultsContents results = batch::ReadResultsDir(dir);
  if (results.files.empty()) {
    err << "acuity: " << dir << ": no results*.jsonl (not an acuity batch --out folder)\n";
    return kExitBadInput;
  }
  report::CatalogueOptions options;
  options.title = title;
  options.dir = dir;
  options.report_dir = std::filesystem::path(output).parent_path().string();
  if (options.report_dir.empty()) options.report_dir = ".";
  absl::StatusOr<std::string> page =
      CatchToStatus("writing the catalogue", [&] { return report::CatalogueHtml(results.records, options); });
  absl::Status written = page.ok() ? WriteFileAtomically(output, *page, Interrupted) : page.status();
  if (absl::IsCancelled(written)) return ReportInterrupted(err, output);
  if (IsMachineResourceError(written)) return ReportFailure(err, output, written, kExitNoResource);
  if (!written.ok()) return ReportOutputError(err, output, written);
  return kExitOk;
}

}  // namespace

ArgParser ReportArgParser() {
  ArgParser parser("report");
  AddTargetOption(parser);
  parser.AddOption("output", "REPORT.html", "where to write the report", 'o');
  parser.AddOption("title", "TEXT", "title of the page (default: acuity report)");
  parser.AddOption("batch", "DIR",
                   "a catalogue of a batch's results (acuity batch --out DIR) instead of FILEs: counts, "
                   "histograms, every item worst first");
  AddAdviseDeviceOption(parser);
  AddLoadOptions(parser);
  AddStallLimitOption(parser, "one line naming the file, exit 4, no page written");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

CommandSpec ReportCommand() {
  return {"report",
          "a self-contained HTML page: measurements, heatmaps, advice",
          {"acuity report [--target SPEC [--fit contain|crop|pad[:COLOR]]] [--device auto|cpu|cuda[:N]] [--title TEXT]",
           "              -o REPORT.html FILE|FOLDER...",
           "acuity report --batch DIR -o CATALOGUE.html"},
          "Write one self-contained HTML page about the images: measurements in plain\n"
          "words, heatmap overlays, a histogram and the advice; or, with --batch, a\n"
          "catalogue of a batch's results (docs/targets.md).\n",
          ReportArgParser,
          nullptr,
          RunReport};
}

int RunReport(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = ReportArgParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(ReportCommand());
    return kExitOk;
  }
  const std::optional<std::string> output = parsed->Get("output");
  if (!output) return UsageError(err, "report needs -o REPORT.html");
  if (const std::optional<std::string> batch = parsed->Get("batch")) {
    if (!parsed->positional().empty()) return UsageError(err, "report --batch DIR takes no FILE");
    return WriteCatalogue(*batch, *output, parsed->Get("title").value_or("acuity catalogue: " + *batch), err);
  }
  if (parsed->positional().empty()) return UsageError(err, "report needs at least one FILE");
  absl::StatusOr<MeasureArgs> measure = GetMeasureArgs(*parsed);
  if (!measure.ok()) return UsageError(err, measure.status());
  const absl::StatusOr<double> stall_limit_s = GetStallLimit(*parsed);
  if (!stall_limit_s.ok()) return UsageError(err, stall_limit_s.status());
  const absl::StatusOr<DeviceRequest> device = GetAdviseDevice(*parsed);
  if (!device.ok()) return UsageError(err, device.status());
  measure->analyze.compute_maps = true;
  const std::vector<batch::ExpandedInput> inputs = batch::ExpandFolders(parsed->positional());  // folders: their images
  for (const batch::ExpandedInput& input : inputs) {
    if (SameFile(input.path, *output)) return UsageError(err, "-o " + *output + " would overwrite an input");
  }

  report::HtmlReport html(parsed->Get("title").value_or("acuity report"));
  int exit_code = kExitOk;
  StallGuard guard(*stall_limit_s);
  for (const auto& [path, listing] : inputs) {
    if (Interrupted()) return ReportInterrupted(err, *output);
    guard.Beat(path);
    absl::StatusOr<Image> image = listing.ok() ? LoadImage(path, measure->load) : absl::StatusOr<Image>(listing);
    absl::StatusOr<AnalysisReport> analysis =
        image.ok() ? TryAnalyze(*image, measure->analyze) : absl::StatusOr<AnalysisReport>(image.status());
    if (!analysis.ok()) {
      const int code = ReportFailure(err, path, analysis.status(), kExitBadInput);
      if (code == kExitNoResource) return code;  // no page: nothing written
      html.AddSection(fmt::format("<section class=\"card\"><h2>{}</h2><div class=\"warn\">Could not be read: "
                                    "{}</div></section>",
                                    report::HtmlEscape(path), report::HtmlEscape(std::string(analysis.status().message()))));
      exit_code = code;
      continue;
    }
    guard.Beat();
    PriceForDevice(*device, *analysis);  // the plan `acuity advise` gives
    const absl::Status added =
        CatchToStatus("writing the report", [&] { html.AddImage(*image, *analysis, Advise(*analysis)); });
    if (!added.ok()) return ReportFailure(err, path, added, kExitFailed);
  }
  guard.Beat(*output);
  absl::StatusOr<std::string> page = CatchToStatus("writing the report", [&] { return html.Finish(); });
  absl::Status written = page.ok() ? WriteFileAtomically(*output, *page, Interrupted) : page.status();
  if (absl::IsCancelled(written)) return ReportInterrupted(err, *output);
  if (!written.ok()) return ReportOutputError(err, *output, written);
  return exit_code;
}

}  // namespace acuity::cli
