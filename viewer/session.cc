#include "viewer/session.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "analysis/io/color_space.h"
#include "analysis/io/image_writer.h"
#include "viewer/content_regions.h"

namespace acuity::viewer {
namespace {

constexpr size_t kMaxMessages = 50;
// QA of a larger B takes more memory than a desktop has (about 16 GB for a
// 192 MP B, measured): the viewer leaves that to `acuity qa`.
constexpr double kMaxQaMegapixels = 64;
// Analysis with maps of a larger image needs more memory than a desktop has
// (above 12 GB for 192 MP, measured); `acuity analyze` measures it.
constexpr double kMaxAnalysisMegapixels = 100;
constexpr double kWakeEverySeconds = 0.1;
constexpr const char* kQaPrefix = "qa_";
// Names an overlay may have before the analyses that make the maps are done.
constexpr const char* kKnownMapNames[] = {"blur",       "noise",         "blockiness",      "halo",
                                          "qa_delta_e", "qa_halo",       "qa_fake_texture", "qa_ssim_loss",
                                          "qa_painted", "qa_detail_loss", "motion_blur", "dither", kContentOverlay};

std::string FileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

absl::Status CheckReadable(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return absl::NotFoundError(fmt::format("{}: no such file", path));
  if (!std::filesystem::is_regular_file(path, ec))
    return absl::FailedPreconditionError(fmt::format("{}: not a file", path));
  return absl::OkStatus();
}

}  // namespace

Size2 Document::Size() const {
  if (!image) return {};
  return {double(image->pixels.cols), double(image->pixels.rows)};
}

Document NewDocument(std::string path, std::string label, int generation) {
  Document d;
  d.path = std::move(path);
  d.label = std::move(label);
  d.generation = generation;
  return d;
}

Session::Session(std::function<void()> wake)
    : jobs_(std::move(wake), [this](const absl::Status& status) { Say(std::string(status.message())); }) {}

Session::~Session() {
  if (enhance_) enhance_->cancel = true;
  jobs_.WaitAll();
}

void Session::Say(const std::string& message) {
  std::cout << "acuity-viewer: " << message << std::endl;
  messages_.push_back(message);
  if (messages_.size() > kMaxMessages) messages_.erase(messages_.begin());
}

std::vector<std::string> Session::TakeJobErrors() {
  std::vector<std::string> out;
  out.swap(job_errors_);
  return out;
}

absl::Status Session::Open(const std::string& path_a, const std::string& path_b) {
  std::error_code ec;
  if (path_b.empty() && std::filesystem::is_directory(path_a, ec)) return OpenBatch(path_a);
  if (absl::Status s = CheckReadable(path_a); !s.ok()) return s;
  // Images opened from elsewhere are shown, and are no batch item (OpenSelected sets it again).
  triage_shown_ = false;
  opened_item_.reset();
  if (!path_b.empty())
    if (absl::Status s = CheckReadable(path_b); !s.ok()) return s;
  a_ = NewDocument(path_a, FileName(path_a), next_generation_++);
  b_ = NewDocument(path_b, FileName(path_b), next_generation_++);
  qa_.reset();
  ++qa_serial_;
  diff_.reset();
  diff_pending_ = false;
  result_.release();
  view_.overlay.clear();
  view_.mode = path_b.empty() ? CompareMode::kA : CompareMode::kSplit;
  view_.fit = true;
  LoadInto(0, path_a);
  if (!path_b.empty()) LoadInto(1, path_b);
  return absl::OkStatus();
}

void Session::LoadInto(int which, const std::string& path) {
  Document& doc = Doc(which);
  doc.loading = true;
  const int generation = doc.generation;
  jobs_.Start("decode " + doc.label, [this, which, generation, path]() -> JobRunner::Finish {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<Image> image = LoadForView(path);
    const double decode_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!image.ok()) {
      return [this, which, generation, path, status = image.status()] {
        Document& d = Doc(which);
        if (d.generation != generation) return;
        d.loading = false;
        job_errors_.push_back(fmt::format("{}: {}", path, std::string(status.message())));
        Say(job_errors_.back());
      };
    }
    auto shared = std::make_shared<const Image>(*std::move(image));
    std::shared_ptr<const DisplayImage> display = MakeDisplayImage(PixelsInSrgb(shared->pixels, shared->info));
    ToneHistogram histogram = MakeHistogram(display->reduced);
    const double prepare_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - decode_s;
    return [this, which, generation, shared, display, histogram, decode_s, prepare_s] {
      if (Doc(which).generation != generation) return;
      Say(fmt::format("{}: decoded in {:.1f} s, display copy and histogram in {:.1f} s", Doc(which).label, decode_s,
                      prepare_s));
      Adopt(which, shared, display, histogram);
    };
  });
}

void Session::Adopt(int which, std::shared_ptr<const Image> image, std::shared_ptr<const DisplayImage> display,
                    ToneHistogram histogram) {
  Document& d = Doc(which);
  d.image = std::move(image);
  d.display = std::move(display);
  d.histogram = histogram;
  d.loading = false;
  Say(fmt::format("{}: {}: {}×{} px", which == 0 ? "A" : "B", d.label, d.image->pixels.cols, d.image->pixels.rows));
  StartAnalysis(which);
  diff_.reset();
  if (a_.image && b_.image) {
    StartQa();
    if (view_.mode == CompareMode::kDiff) StartDiff();
  }
}

void Session::StartAnalysis(int which) {
  Document& d = Doc(which);
  if (!d.image) return;
  const double megapixels = d.Size().width * d.Size().height / 1e6;
  if (megapixels > kMaxAnalysisMegapixels) {
    d.note = fmt::format("not measured here: {:.0f} MP is more than the viewer analyses ({:.0f} MP); use acuity analyze",
                         megapixels, kMaxAnalysisMegapixels);
    Say(fmt::format("{}: {}", d.label, d.note));
    return;
  }
  d.analyzing = true;
  const int generation = d.generation, serial = ++d.analysis_serial;
  jobs_.Start("analyse " + d.label, [this, which, generation, serial, image = d.image, target = target_,
                                      device = device_]() -> JobRunner::Finish {
    absl::StatusOr<AnalysisReport> analysed = AnalyzeForView(*image, target, device);
    if (!analysed.ok()) {
      return [this, which, generation, serial, status = analysed.status()] {
        Document& d = Doc(which);
        if (d.generation != generation || d.analysis_serial != serial) return;
        d.analyzing = false;
        d.note = fmt::format("not measured: {}", std::string(status.message()));
        Say(fmt::format("{}: {}", d.label, d.note));
      };
    }
    auto report = std::make_shared<const AnalysisReport>(*std::move(analysed));
    std::vector<PlainVerdict> verdicts = DescribeForView(*report);
    Plan plan = AdviseForView(*report);
    return [this, which, generation, serial, report, verdicts, plan] {
      Document& d = Doc(which);
      if (d.generation != generation || d.analysis_serial != serial) return;
      d.analysis = report;
      d.verdicts = verdicts;
      d.plan = plan;
      d.analyzing = false;
    };
  });
}

void Session::StartQa() {
  const int serial = ++qa_serial_;
  const double megapixels = b_.Size().width * b_.Size().height / 1e6;
  qa_note_.clear();
  if (megapixels > kMaxQaMegapixels) {
    qa_note_ = fmt::format("QA not run: B has {:.0f} MP, more than the viewer checks ({:.0f} MP); use acuity qa",
                    megapixels, kMaxQaMegapixels);
    Say(qa_note_);
    return;
  }
  jobs_.Start("QA", [this, serial, input = a_.image, output = b_.image] {
    absl::StatusOr<QaReport> report = QaForView(*input, *output);
    return [this, serial, report = std::move(report)] {
      if (serial != qa_serial_) return;
      if (!report.ok()) {
        qa_note_ = fmt::format("QA not run: {}", std::string(report.status().message()));
        Say(qa_note_);
        return;
      }
      qa_ = *report;
      Say(fmt::format("QA verdict: {}", QaStatusName(qa_->verdict)));
    };
  });
}

void Session::StartDiff() {
  if (!a_.display || !b_.display || diff_pending_) return;
  diff_pending_ = true;
  const int generation_a = a_.generation, generation_b = b_.generation;
  jobs_.Start("difference", [this, generation_a, generation_b, a = a_.display, b = b_.display,
                             gain = view_.diff_gain] {
    std::shared_ptr<const DisplayImage> diff = MakeDifference(a->full, b->full, gain);
    return [this, generation_a, generation_b, diff] {
      diff_pending_ = false;
      if (a_.generation == generation_a && b_.generation == generation_b) diff_ = diff;
    };
  });
}

absl::Status Session::SetMode(CompareMode mode) {
  const bool needs_b = mode != CompareMode::kA;
  if (needs_b && !HasPair())
    return absl::FailedPreconditionError(
        fmt::format("mode {} needs two images (open A B, or enhance)", CompareModeName(mode)));
  view_.mode = mode;
  if (mode == CompareMode::kDiff && !diff_) StartDiff();
  if (view_.fit) FitView(view_, Grid(), MainPane());
  return absl::OkStatus();
}

absl::Status Session::SetSplit(double fraction) {
  if (fraction < 0 || fraction > 1) return absl::InvalidArgumentError("split: the fraction must be 0–1");
  view_.split_fraction = fraction;
  return absl::OkStatus();
}

absl::Status Session::ZoomFit() {
  FitView(view_, Grid(), MainPane());
  return absl::OkStatus();
}

absl::Status Session::ZoomTo(double factor) {
  if (!(factor >= kMinZoom && factor <= kMaxZoom))
    return absl::InvalidArgumentError(fmt::format("zoom: the factor must be {:g}–{:g}", kMinZoom, kMaxZoom));
  const Rect pane = MainPane();
  view_ = ZoomAt(view_, pane, pane.Center(), factor);
  return absl::OkStatus();
}

absl::Status Session::ZoomSteps(int steps) { return ZoomTo(ZoomStep(view_.zoom, steps)); }

absl::Status Session::CenterOn(double x, double y) {
  view_.center = {x, y};
  view_.fit = false;
  return absl::OkStatus();
}

absl::Status Session::FocusContent(int number, int which) {
  const Document& doc = which == 0 ? a_ : b_;
  if (which != 0 && !doc.image && !doc.loading) return absl::FailedPreconditionError("focus: no B is open");
  if (!doc.analysis)
    return absl::FailedPreconditionError(doc.note.empty() ? "focus: the image is not analysed yet"
                                                          : "focus: " + doc.note);
  const std::vector<ContentRegion> regions = ContentRegionsOf(*doc.analysis);
  if (number < 1 || number > int(regions.size()))
    return absl::OutOfRangeError(fmt::format("focus {}: {} face(s) and text line(s) were found", number,
                                             regions.size()));
  view_ = FocusedOn(view_, regions[number - 1], doc.Size(), Grid(), HasPair());
  view_.overlay = kContentOverlay;
  return absl::OkStatus();
}

std::optional<int> Session::ContentRegionUnder(int which, Vec2 grid_px) const {
  const Document& doc = which == 0 ? a_ : b_;
  if (!doc.analysis) return std::nullopt;
  return ContentRegionAt(ContentRegionsOf(*doc.analysis), GridToImage(Grid(), doc.Size(), grid_px));
}

std::vector<std::string> Session::OverlayNames() const {
  std::vector<std::string> names;
  for (const Document* d : {&a_, &b_}) {
    if (!d->analysis) continue;
    for (const MeasurementMap& m : d->analysis->maps)
      if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
    const bool content = (d->analysis->faces.faces && !d->analysis->faces.faces->empty()) ||
                         (d->analysis->text.lines && !d->analysis->text.lines->empty());
    if (content && std::find(names.begin(), names.end(), kContentOverlay) == names.end())
      names.push_back(kContentOverlay);
  }
  if (qa_)
    for (const MeasurementMap& m : qa_->maps) names.push_back(kQaPrefix + m.name);
  return names;
}

const MeasurementMap* Session::OverlayMap(const std::string& name, int which) const {
  if (name.rfind(kQaPrefix, 0) == 0) {
    if (!qa_) return nullptr;
    for (const MeasurementMap& m : qa_->maps)
      if (kQaPrefix + m.name == name) return &m;
    return nullptr;
  }
  const Document& d = which == 0 ? a_ : b_;
  if (!d.analysis) return nullptr;
  for (const MeasurementMap& m : d.analysis->maps)
    if (m.name == name) return &m;
  return nullptr;
}

absl::Status Session::SetOverlay(const std::string& name, std::optional<double> opacity) {
  if (opacity && (*opacity < 0 || *opacity > 1)) return absl::InvalidArgumentError("overlay: opacity must be 0–1");
  if (name == "off") {
    view_.overlay.clear();
    return absl::OkStatus();
  }
  const bool settled = !a_.loading && !b_.loading && !a_.analyzing && !b_.analyzing && !Busy();
  const std::vector<std::string> names = OverlayNames();
  const bool known = std::find(names.begin(), names.end(), name) != names.end() ||
                     (!settled && std::find(std::begin(kKnownMapNames), std::end(kKnownMapNames), name) !=
                                      std::end(kKnownMapNames));
  if (!known)
    return absl::InvalidArgumentError(fmt::format("overlay: no map '{}' (available: {})", name,
                                                  names.empty() ? "none yet" : fmt::format("{}", fmt::join(names, ", "))));
  view_.overlay = name;
  if (opacity) view_.overlay_opacity = *opacity;
  return absl::OkStatus();
}

absl::Status Session::SetTarget(const std::string& spec) {
  if (spec.empty() || spec == "none") {
    target_.reset();
    target_text_.clear();
  } else {
    absl::StatusOr<TargetSpec> parsed = ParseTargetForView(spec);
    if (!parsed.ok()) return parsed.status();
    target_ = *parsed;
    target_text_ = spec;
  }
  StartAnalysis(0);
  StartAnalysis(1);
  return absl::OkStatus();
}

void Session::SetCanvas(const Rect& canvas) {
  canvas_ = canvas;
  if (view_.fit) FitView(view_, Grid(), MainPane());
}

}  // namespace acuity::viewer
