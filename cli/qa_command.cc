#include "cli/qa_command.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "analysis/advice/marketplace_rules.h"
#include "analysis/advice/qa.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/color_space.h"
#include "analysis/io/exit_codes.h"
#include "analysis/io/guard.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/image_io.h"
#include "analysis/json/json_text.h"
#include "analysis/json/qa_json.h"
#include "analysis/measurements/image_ops.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/interrupt.h"
#include "enhance/enhance_core.h"
#include "enhance/memory_estimate.h"
#include "report/content_crops.h"
#include "report/html_report.h"

namespace acuity::cli {
namespace {

std::string Limit(const QaCheck& c) {
  const char* side = c.higher_is_better ? "<" : ">";
  return fmt::format("warn {} {:g}, fail {} {:g}", side, c.threshold, side, c.fail_threshold);
}

std::string FormatText(const QaReport& report, const Image& input, const Image& output,
                       const Image* reference) {
  const QaMetrics& m = report.metrics;
  const bool up = m.scale_x > 1.001 || m.scale_y > 1.001, down = m.scale_x < 0.999 || m.scale_y < 0.999;
  const std::string factor = std::abs(m.scale_x - m.scale_y) < 0.01
                                 ? fmt::format("{:.2f}×", m.scale_x)
                                 : fmt::format("{:.2f}× by {:.2f}×", m.scale_x, m.scale_y);
  const std::string kind = up && down ? factor + " resize (the aspect ratio changed)"
                           : up       ? factor + " upscale"
                           : down     ? factor + " downscale"
                                      : std::string("same size");
  const cv::Rect& in_part = m.input_region;
  const cv::Rect& out_part = m.output_region;
  // The input's px as the checks compared it: turned or mirrored as the output shows it.
  const std::string as_shown = m.mirrored || m.turned_deg != 0 ? " (oriented as the output shows it)" : "";
  const std::string shows =
      m.geometry == "crop" ? fmt::format(" of the {}×{} px of the input{} at ({}, {})", in_part.width,
                                         in_part.height, as_shown, in_part.x, in_part.y)
      : m.geometry == "pad" ? fmt::format(", placed at ({}, {}) on a larger canvas", out_part.x, out_part.y)
                            : std::string();
  std::string s = fmt::format("{} ({}×{} px) from {} ({}×{} px): {}{}\n", output.info.path,
                              output.pixels.cols, output.pixels.rows, input.info.path,
                              input.pixels.cols, input.pixels.rows, kind, shows);
  std::string verdict = QaStatusName(report.verdict);
  for (char& ch : verdict) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  s += fmt::format("  verdict  {}\n", verdict);
  // One column for the names, as wide as the longest.
  size_t name_width = 22;
  for (const QaCheck& c : report.checks) name_width = std::max(name_width, c.name.size());
  for (const QaCheck& c : report.checks) {
    const std::string value =
        c.measured ? fmt::format("{:>9.2f} {:<6}", c.value, c.unit) : fmt::format("{:<16}", "not measured");
    // A figure not measured passes (its stand-in value), but is not called a pass.
    s += fmt::format("  {:<4}  {:<{}} {} ({})\n        {}\n", c.measured ? QaStatusName(c.status) : "—", c.name,
                     name_width, value, Limit(c), c.message);
  }
  if (report.reference) {
    const FullReferenceMetrics& r = *report.reference;
    s += fmt::format("  versus {} (border {} px): PSNR-Y {:.2f} dB · SSIM {:.4f} · MS-SSIM {:.4f} · GMSD {:.4f}\n",
                     reference->info.path, r.border_px, std::min(r.psnr_y_db, 100.0), r.ssim,
                     r.ms_ssim, r.gmsd);
  }
  return s;
}

// The QA part of the HTML report: verdict, checks in plain words, a
// before/after slider at 100 % and the maps over the output.
std::string QaSectionHtml(const Image& input, const Image& output, const QaReport& qa) {
  std::string rows;
  for (const QaCheck& c : qa.checks) {
    const std::string level = !c.measured                   ? "unknown"
                              : c.status == QaStatus::kPass ? "good"
                              : c.status == QaStatus::kWarn ? "fair"
                                                            : "poor";
    rows += fmt::format("<tr><td class=\"t\">{}</td><td><span class=\"badge {}\">{}</span> {}</td><td "
                        "class=\"v\">{} (limit {:.3g})</td></tr>",
                        report::HtmlEscape(c.name), level, c.measured ? QaStatusName(c.status) : "not measured",
                        report::HtmlEscape(c.message),
                        c.measured ? fmt::format("{:.3g} {}", c.value, report::HtmlEscape(c.unit)) : "not measured",
                        c.threshold);
  }
  const std::string verdict = QaStatusName(qa.verdict);
  const std::string level = qa.verdict == QaStatus::kPass ? "good" : qa.verdict == QaStatus::kWarn ? "fair" : "poor";
  const cv::Mat after = To8Bit(PixelsInSrgb(output.pixels, output.info)),
                before = Oriented(To8Bit(PixelsInSrgb(input.pixels, input.info)),  // as the files show,
                                  qa.metrics.mirrored, qa.metrics.turned_deg);  // and as QA compared them
  // The input's faces and text, before and after: what the content checks
  // compared, in the parts they compared (the output's crop or border left
  // out). `acuity qa` always runs them.
  const auto part = [](const cv::Mat& m, const cv::Rect& r) {
    return r.area() > 0 && (r & cv::Rect(0, 0, m.cols, m.rows)) == r ? m(r) : m;
  };
  const cv::Mat before_part = part(before, qa.metrics.input_region), after_part = part(after, qa.metrics.output_region);
  std::string crops = report::ContentCropsHtml(
      before_part, qa.input_faces.value_or(FacesResult{}), qa.input_text.value_or(TextResult{}), ContentLimitsFor(""),
      &after_part);
  if (!crops.empty()) crops = "<h3>Faces and text, before and after</h3>" + crops;
  return fmt::format(
      "<section class=\"card\"><h2>QA verdict: <span class=\"badge {}\">{}</span></h2><p class=\"sub\">{} "
      "({}×{} px) → {} ({}×{} px)</p><div class=\"grid\"><div><h3>Before / after at 100 %</h3>{}<p "
      "class=\"sub\">Drag the slider: left of the line is the output, right of it the input enlarged without "
      "invention (nearest neighbour).</p><h3>Where</h3>{}{}</div><div><h3>Checks</h3><table "
      "class=\"m\">{}</table><h3>Tones before</h3>{}<h3>Tones after</h3>{}<p class=\"sub\">Histograms of "
      "blue, green, red and brightness (black line): a colour shift moves the curves apart.</p></div></div></section>",
      level, verdict, report::HtmlEscape(input.info.path), input.info.width, input.info.height,
      report::HtmlEscape(output.info.path), output.info.width, output.info.height,
      report::BeforeAfterSliderHtml(before, after, 480), report::ViewerHtml("qa", after, qa.maps, output.info.path),
      crops, rows, report::HistogramSvg(before), report::HistogramSvg(after));
}

ArgParser QaArgParser() {
  ArgParser parser("qa");
  parser.AddOption("reference", "REF", "ground-truth image of the output's size: adds PSNR-Y, SSIM, MS-SSIM, GMSD", 'r');
  parser.AddFlag("json", "print one JSON object");
  parser.AddOption("report", "REPORT.html", "also write a self-contained HTML page: verdict, checks, before/after slider, maps");
  parser.AddOption("maps", "DIR", "write each QA map as a PNG heatmap: DIR/<output stem>.<map>.png");
  AddThresholdsOption(parser);
  parser.AddOption("target", "PRESET",
                   "also check OUTPUT against a marketplace's rules: " + MarketplaceNames() +
                       " (size, background, product fill, sRGB, format, file size; docs/targets.md)");
  AddLoadOptions(parser);
  AddStallLimitOption(parser, "one line naming the file, exit 4");
  parser.AddFlag("help", "show this help", 'h');
  return parser;
}

// After the options: the default limits, from the thresholds table.
std::vector<HelpSection> QaSections() {
  std::string text, markdown = "| check | worse when | warn | fail |\n|---|---|---|---|\n";
  for (const auto& [name, limit] : QaThresholds::Defaults().limits) {
    const char* side = limit.higher_is_better ? "below" : "above";
    text += fmt::format("  {:<24} {} {:g}, {:g}\n", name, side, limit.warn, limit.fail);
    markdown += fmt::format("| `{}` | {} | {:g} | {:g} |\n", name, side, limit.warn, limit.fail);
  }
  return {{"thresholds (warn, fail)", text, markdown}};
}

// INPUT, OUTPUT and the reference (when given), each reported on `err` when
// it cannot be read; `exit_code` then says why (kExitBadInput, or
// kExitNoResource when the machine ran out of memory reading it: the files
// after it are not tried).
struct QaImages {
  std::optional<Image> input, output, reference;
  int exit_code = kExitOk;
};

QaImages LoadQaImages(const std::string& input_path, const std::string& output_path,
                      const std::optional<std::string>& reference_path, const LoadOptions& load, StallGuard& guard,
                      std::ostream& err) {
  QaImages images;
  auto load_image = [&](const std::string& path) -> std::optional<Image> {
    // After the machine ran out (memory), the next file would too: one line.
    if (images.exit_code == kExitNoResource) return std::nullopt;
    guard.Beat(path);
    absl::StatusOr<Image> image = LoadImage(path, load);
    if (!image.ok()) {
      images.exit_code = std::max(images.exit_code, ReportFailure(err, path, image.status(), kExitBadInput));
      return std::nullopt;
    }
    return *std::move(image);
  };
  images.input = load_image(input_path);
  images.output = load_image(output_path);
  if (reference_path) images.reference = load_image(*reference_path);
  return images;
}

// Writes the HTML page; returns the exit code it leads to.
int WriteQaHtml(const std::string& report_path, const std::string& output_path, const QaImages& images,
                const QaReport& report, std::ostream& err) {
  absl::StatusOr<std::string> page = CatchToStatus("writing the QA report", [&] {
    report::HtmlReport html("acuity qa: " + output_path);
    html.AddSection(QaSectionHtml(*images.input, *images.output, report));
    return html.Finish();
  });
  absl::Status s = page.ok() ? WriteFileAtomically(report_path, *page, Interrupted) : page.status();
  if (s.ok()) return kExitOk;
  if (absl::IsCancelled(s)) return ReportInterrupted(err, report_path);
  return ReportOutputError(err, report_path, s);
}

// The result on stdout: one JSON object, or the text.
void PrintQaResult(const QaReport& report, const QaImages& images, bool json,
                   const std::optional<std::string>& maps_dir, const std::vector<std::string>& written,
                   std::ostream& out) {
  const Image* reference = images.reference ? &*images.reference : nullptr;
  if (json) {
    nlohmann::json j = QaReportToJson(report, images.input->info, images.output->info,
                                      reference ? &reference->info : nullptr);
    if (maps_dir) j["maps"] = written;
    out << JsonText(j) << "\n";
  } else {
    out << FormatText(report, *images.input, *images.output, reference);
    for (const std::string& p : written) out << "  map: " << p << "\n";
  }
  out.flush();
}

}  // namespace

CommandSpec QaCommand() {
  return {"qa",
          "check an enhancement result against its input: pass / warn / fail",
          {"acuity qa [--reference REF] [--target PRESET] [--json] [--maps DIR] [--report REPORT.html]",
           "          [--thresholds NAME=VALUE,...] INPUT OUTPUT"},
          "Check an enhancement result (OUTPUT) against the image it was made from (INPUT):\n"
          "fidelity, colour shift, halos, fake texture in flat areas, noise, lost detail and\n"
          "tile seams. Exit code 1 when the verdict is fail.\n",
          QaArgParser,
          QaSections,
          RunQa};
}

void AddThresholdsOption(ArgParser& parser) {
  parser.AddOption("thresholds", "LIST", "override limits: NAME=VALUE (warn), NAME.fail=VALUE, comma-separated");
}

absl::StatusOr<QaThresholds> GetThresholds(const ParsedArgs& args) {
  QaThresholds thresholds = QaThresholds::Defaults();
  if (auto spec = args.Get("thresholds")) {
    absl::Status s = thresholds.Override(absl::string_view(spec->data(), spec->size()));
    if (!s.ok()) return absl::Status(s.code(), "--thresholds: " + std::string(s.message()));
  }
  return thresholds;
}

int ReportQaFailure(std::ostream& err, const std::string& output_path, const absl::Status& status) {
  if (absl::IsInvalidArgument(status)) return UsageError(err, status);
  return ReportFailure(err, output_path, status, kExitFailed);
}

int RunQa(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const ArgParser parser = QaArgParser();
  absl::StatusOr<ParsedArgs> parsed = parser.Parse(args);
  if (!parsed.ok()) return UsageError(err, parsed.status());
  if (parsed->Has("help")) {
    out << CommandHelp(QaCommand());
    return kExitOk;
  }
  if (parsed->positional().size() != 2) return UsageError(err, "qa needs INPUT and OUTPUT\nusage: " + QaCommand().usage[0]);

  const absl::StatusOr<QaThresholds> thresholds = GetThresholds(*parsed);
  if (!thresholds.ok()) return UsageError(err, thresholds.status());

  const MarketplaceRules* market = nullptr;
  if (auto preset = parsed->Get("target")) {
    market = FindMarketplace(*preset);
    if (market == nullptr)
      return UsageError(err, "qa --target takes a marketplace preset (" + MarketplaceNames() + "), not \"" +
                                 *preset + "\"");
  }
  absl::StatusOr<LoadOptions> load = GetLoadOptions(*parsed);
  if (!load.ok()) return UsageError(err, load.status());
  const absl::StatusOr<double> stall_limit_s = GetStallLimit(*parsed);
  if (!stall_limit_s.ok()) return UsageError(err, stall_limit_s.status());
  const std::optional<std::string> maps_dir = parsed->Get("maps");
  if (maps_dir) {
    if (absl::Status s = MakeOutputDir(*maps_dir); !s.ok()) return ReportOutputError(err, *maps_dir, s);
  }

  const std::string& input_path = parsed->positional()[0];
  const std::string& output_path = parsed->positional()[1];
  const std::optional<std::string> reference_path = parsed->Get("reference");
  StallGuard guard(*stall_limit_s);
  const QaImages images = LoadQaImages(input_path, output_path, reference_path, *load, guard, err);
  if (images.exit_code != kExitOk) return images.exit_code;
  const std::optional<Image>& input = images.input;
  const std::optional<Image>& output = images.output;
  const std::optional<Image>& reference = images.reference;

  QaOptions options;
  const std::optional<std::string> report_path = parsed->Get("report");
  if (report_path && (SameFile(*report_path, input_path) || SameFile(*report_path, output_path)))
    return UsageError(err, "--report " + *report_path + " would overwrite an input");
  options.compute_maps = maps_dir.has_value() || report_path.has_value();
  options.check_content = true;  // text_changed_pct, small_face_changed (docs/content.md)
  options.marketplace = market;
  if (int refused = RefuseOverCgroupLimit(err, output_path,
                                          EstimateQaPeakMemoryBytes(GeometryOf(*input), GeometryOf(*output)),
                                          PixelBytes(*input) + PixelBytes(*output), "the check"))
    return refused;
  guard.Beat(output_path);
  absl::StatusOr<QaReport> report =
      RunQa(*input, *output, reference ? &*reference : nullptr, *thresholds, options);
  if (!report.ok()) return ReportQaFailure(err, output_path, report.status());
  if (Interrupted()) return ReportInterrupted(err, "");
  guard.Beat();

  std::vector<std::string> written;
  int exit_code = report->verdict == QaStatus::kFail ? kExitQaFail : kExitOk;
  if (maps_dir) {
    const std::string stem = std::filesystem::path(output_path).stem().string();
    const std::vector<WrittenHeatmap> maps = WriteHeatmaps(report->maps, output->pixels.size(), *maps_dir, stem);
    for (const WrittenHeatmap& w : maps)
      if (w.status.ok()) written.push_back(w.path);
    exit_code = std::max(exit_code, ReportHeatmapErrors(maps, output_path, err));
  }

  if (report_path)
    exit_code = std::max(exit_code, WriteQaHtml(*report_path, output_path, images, *report, err));
  PrintQaResult(*report, images, parsed->Has("json"), maps_dir, written, out);
  return exit_code;
}

}  // namespace acuity::cli
