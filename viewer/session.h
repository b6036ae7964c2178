// The viewer's session: the open images (A, and B to compare), their
// analyses, plans and QA, the view state, the target and the enhancement in
// progress — everything the UI shows, with no window or GL in it. Heavy work
// runs as jobs (viewer/jobs.h); their results land here on the UI thread
// when Poll() runs, once a frame.
//
//   acuity::viewer::Session session([] { glfwPostEmptyEvent(); });
//   absl::Status s = session.Open("in.jpg", "out.png");
//   ... each frame: session.Poll(); Draw(session);
#ifndef ACUITY_VIEWER_SESSION_H_
#define ACUITY_VIEWER_SESSION_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/status.h"
#include "analysis/advice/plan.h"
#include "analysis/advice/qa.h"
#include "analysis/io/image.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/target_spec.h"
#include "viewer/display_image.h"
#include "viewer/engine.h"
#include "viewer/jobs.h"
#include "viewer/triage.h"
#include "viewer/view_state.h"

namespace acuity::viewer {

// Long edge of a triage thumbnail, px.
inline constexpr int kThumbnailPx = 64;

// The overlay of the faces and text lines found (boxes labelled with their
// size, docs/content.md), beside the measurement maps.
inline constexpr char kContentOverlay[] = "content";

struct Document {
  std::string path;    // the file; "" for an enhancement result not saved yet
  std::string label;   // "coffee.jpg", "enhanced (not saved)"
  std::shared_ptr<const Image> image;            // null while loading
  std::shared_ptr<const DisplayImage> display;
  std::shared_ptr<const AnalysisReport> analysis;  // null while analysing
  std::vector<PlainVerdict> verdicts;
  Plan plan;                                      // advised for this image
  ToneHistogram histogram;
  bool loading = false;
  bool analyzing = false;
  std::string note;    // why a measurement is missing, e.g. too large to analyse here
  int generation = 0;  // bumps when the document is replaced (late job results are dropped)
  int analysis_serial = 0;  // bumps per analysis started (a newer target wins)
  Size2 Size() const;
};

// An empty document for `path` (loading not started).
Document NewDocument(std::string path, std::string label, int generation);

// The enhancement running (or last run): progress shared with the worker.
struct EnhanceProgressState {
  std::atomic<bool> cancel{false};
  std::atomic<double> fraction{0};
  std::atomic<double> step_fraction{0};  // of the step running, 0–1
  mutable std::mutex mutex;
  std::string step;            // step running, guarded by mutex
  int step_index = 0;          // 0-based, guarded by mutex
  std::chrono::steady_clock::time_point started, step_started;
};

struct EnhanceStatus {
  bool running = false;
  double fraction = 0;           // overall, 0–1
  double step_fraction = 0;      // of the step running, 0–1
  std::string step;              // e.g. "upscale 4×"
  int step_index = 0, step_count = 0;
  double step_elapsed_s = 0, elapsed_s = 0;
  std::optional<double> seconds_left;
  std::string last_outcome;      // "done in 3.2 s", "cancelled at 40 %", an error
  std::vector<std::string> log;  // per step, from the last run
};

class Session {
 public:
  explicit Session(std::function<void()> wake = {});
  ~Session();

  // --- what the commands do (each returns at once; heavy work is a job) ---
  absl::Status Open(const std::string& path_a, const std::string& path_b = "");
  absl::Status SetMode(CompareMode mode);
  absl::Status SetSplit(double fraction);
  absl::Status ZoomFit();
  absl::Status ZoomTo(double factor);   // 1 = 100 %, at the view centre
  absl::Status ZoomSteps(int steps);    // +1 / −1: one step in / out
  absl::Status CenterOn(double x, double y);  // grid px (the larger image's)
  absl::Status SetOverlay(const std::string& name, std::optional<double> opacity);
  // Zooms to 100 % (at least: never out) on the N-th face or text line (1 = first) of document
  // `which`'s content overlay (0 = A, 1 = B; content_regions.h), centred,
  // in split view when B is open, and shows the overlay. FailedPrecondition
  // before its analysis, OutOfRange past its last region.
  absl::Status FocusContent(int number, int which = 0);
  // The number of document `which`'s face or text line under grid point
  // `grid_px` (a click on the content overlay); nullopt for none.
  std::optional<int> ContentRegionUnder(int which, Vec2 grid_px) const;
  absl::Status SetTarget(const std::string& spec);  // "" or "none" clears
  absl::Status SetDevice(const std::string& device);  // auto|cpu|cuda[:N], for the next enhancement
  absl::Status Enhance(const std::string& steps_or_auto);
  absl::Status Cancel();
  absl::Status Save(const std::string& path);

  // --- triage of a batch's results (viewer/triage.h) ---
  // Opens DIR (a batch's --out) as a table of its records and shows it.
  // `Open(DIR)` with a folder does the same; `Open(A [B])` of images hides
  // the table (the batch stays open behind it).
  absl::Status OpenBatch(const std::string& dir);
  Triage* triage() { return triage_.get(); }
  const Triage* triage() const { return triage_.get(); }
  // The table is shown (else the images of the item opened from it).
  bool triage_shown() const { return triage_ && triage_shown_; }
  absl::Status ShowTriage(bool shown);  // FailedPrecondition without a batch open
  // OK with a batch open, else FailedPrecondition "WHAT: no batch open (…)"
  // saying how to open one: every triage command's answer.
  absl::Status NeedsBatch(std::string_view what) const;
  // Opens the selected item: its input, and its output beside it (split,
  // with the QA overlay) when the batch wrote one; hides the table.
  absl::Status OpenSelected();
  // The batch item whose images are open (index into triage()->items()),
  // or nullopt when the images shown came from elsewhere (`open A [B]`).
  std::optional<int> opened_item() const { return opened_item_; }
  // The thumbnail of `path` (long edge ≤ kThumbnailPx), or null while it is
  // decoded off the UI thread (asked for here; at most a few at once, so
  // the rows in view come first) or when it cannot be read.
  std::shared_ptr<const DisplayImage> Thumbnail(const std::string& path);

  // Runs finished jobs' results; call once a frame on the UI thread.
  void Poll();
  // Background work not finished (decode, analysis, QA, diff, enhance, save).
  bool Busy() const { return jobs_.Pending() > 0; }
  void WaitForJobs() { jobs_.WaitAll(); }
  // Errors from background jobs since the last call (cancellation is not one).
  std::vector<std::string> TakeJobErrors();

  // --- what the UI reads ---
  const Document& a() const { return a_; }
  const Document& b() const { return b_; }
  bool HasPair() const { return b_.image != nullptr || b_.loading; }
  Size2 Grid() const { return RegisteredGrid(a_.Size(), b_.Size()); }
  ViewState& view() { return view_; }
  const ViewState& view() const { return view_; }
  const std::optional<QaReport>& qa() const { return qa_; }
  const std::string& qa_note() const { return qa_note_; }  // why there is no QA, if so
  const std::shared_ptr<const DisplayImage>& diff() const { return diff_; }
  const std::string& target_text() const { return target_text_; }
  EnhanceStatus enhance_status() const;
  bool has_result() const { return !result_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  // Overlay names available now: the shown images' maps, then "qa_"-prefixed QA maps.
  std::vector<std::string> OverlayNames() const;
  // The map drawn for `name` over document `which` (0 = A, 1 = B), or the QA map; null if none.
  const MeasurementMap* OverlayMap(const std::string& name, int which) const;

  // Lays out the view for the canvas (fit follows the canvas while `fit`).
  void SetCanvas(const Rect& canvas);
  const Rect& canvas() const { return canvas_; }

  // A line for the status bar and stdout.
  void Say(const std::string& message);

 private:
  void LoadInto(int which, const std::string& path);
  void Adopt(int which, std::shared_ptr<const Image> image, std::shared_ptr<const DisplayImage> display,
             ToneHistogram histogram);
  void StartAnalysis(int which);
  void StartQa();
  void StartDiff();
  void OnEnhanced(absl::StatusOr<EnhanceResult> result, int step_count);
  Document& Doc(int which) { return which == 0 ? a_ : b_; }
  Rect MainPane() const { return Pane(canvas_, view_.mode, 0); }

  void ForgetThumbnails();

  JobRunner jobs_;
  std::unique_ptr<Triage> triage_;
  bool triage_shown_ = false;
  std::optional<int> opened_item_;
  struct ThumbnailEntry {
    std::shared_ptr<const DisplayImage> image;  // null while pending or when unreadable
    bool pending = false;
    bool unreadable = false;  // decoded and failed: not asked for again
    uint64_t last_used = 0;   // the request count when last asked for (least recently used go first)
  };
  std::map<std::string, ThumbnailEntry> thumbnails_;
  uint64_t thumbnail_clock_ = 0;
  int thumbnails_in_flight_ = 0;
  int thumbnail_generation_ = 0;  // bumps when another batch opens (late thumbnails are dropped)
  Document a_, b_;
  ViewState view_;
  Rect canvas_{0, 0, 800, 600};
  std::optional<TargetSpec> target_;
  std::string target_text_;
  DeviceRequest device_;  // where the next enhancement's models run
  std::optional<QaReport> qa_;
  int qa_serial_ = 0;
  std::string qa_note_;
  std::shared_ptr<const DisplayImage> diff_;
  bool diff_pending_ = false;
  std::shared_ptr<EnhanceProgressState> enhance_;
  bool enhance_running_ = false;
  int enhance_steps_ = 0;
  std::string enhance_outcome_;
  std::vector<std::string> enhance_log_;
  cv::Mat result_;                 // the last enhancement result (what Save writes)
  PipelineResult result_encoding_;  // how the result is written (its encode step)
  std::shared_ptr<const Image> result_source_;  // the input it was made from
  std::vector<std::string> messages_;
  std::vector<std::string> job_errors_;
  int next_generation_ = 1;
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_SESSION_H_
