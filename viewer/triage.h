// Triage of a batch's results (`acuity-viewer DIR`, DIR a batch's --out):
// its records as a list of items — worst first, sortable and filterable by
// verdict or warning code — with a selection that moves with j/k, and the
// reviewer's decisions (accepted / rejected) appended to DIR/decisions.jsonl
// one fsync'ed line at a time, so a review survives a crash and resumes
// where it stopped (the last decision of each input counts; a line torn by
// a crash is ignored). No window or GL in here: the table (triage_view.h)
// draws it, the commands (viewer_commands.h) drive it, tests check it.
//
//   absl::StatusOr<std::unique_ptr<acuity::viewer::Triage>> t =
//   acuity::viewer::Triage::Open("out");
//   (*t)->SetFilter("fail");
//   (*t)->Move(+1);
//   absl::Status s = (*t)->Decide(acuity::viewer::Decision::kAccepted);
#ifndef ACUITY_VIEWER_TRIAGE_H_
#define ACUITY_VIEWER_TRIAGE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "batch/catalogue_items.h"

namespace acuity::batch {
class ResultsWriter;
}

namespace acuity::viewer {

enum class Decision { kAccepted, kRejected };

// "accepted", "rejected" (decisions.jsonl's words).
const char* DecisionName(Decision decision);

// The file the decisions go to, in the batch's folder.
inline constexpr char kDecisionsFile[] = "decisions.jsonl";

// A path of a batch record (an input as the batch was given it, an output
// under its --out) as this process can open it: as it is when absolute or
// found from here, else from DIR's parent folder (where `acuity batch --out
// DIR` usually ran), else unchanged (it then reads as missing).
std::string ResolveBatchPath(const std::string& dir, const std::string& path);

// The worst reading of an item, for the table: the one furthest past its
// "good" bound, as a short text ("blur σ 2.6 px"), or "" when none is.
struct WorstReading {
  std::string text;
  double badness = 0;  // how far past the bound (the reading over the bound, ≥ 1), for sorting
};
WorstReading WorstReadingOf(const batch::CatalogueItem& item);

// How the rows are ordered: by severity (worst first; the batch's order),
// by path, or by the worst reading (furthest past its bound first).
enum class TriageSort { kSeverity, kPath, kReading };
std::optional<TriageSort> ParseTriageSort(std::string_view word);  // "severity", "path", "reading"
const char* TriageSortName(TriageSort sort);

class Triage {
 public:
  // Reads every results*.jsonl of `dir` and its decisions. NotFound when
  // `dir` has no results file (not a batch's --out); the decisions file
  // is opened for appending on the first decision.
  static absl::StatusOr<std::unique_ptr<Triage>> Open(const std::string& dir);
  ~Triage();

  const std::string& dir() const { return dir_; }
  // The batch's --target (DIR/batch.json), "" when it had none: an item
  // opened from the table is advised for it, as the batch was.
  const std::string& target() const { return target_; }
  // What went wrong while opening that the table can live with (an
  // unreadable batch.json), for the status line; "" when nothing did.
  const std::string& note() const { return note_; }
  const std::vector<batch::CatalogueItem>& items() const { return items_; }
  const std::vector<WorstReading>& readings() const { return readings_; }  // by item

  // What is listed: "all", a verdict ("error", "fail", "warn", "fix",
  // "pass"), "undecided", "accepted", "rejected", or a warning code or
  // failed QA check (e.g. "already_upscaled"). InvalidArgument for a word
  // that is none of these (naming the codes the batch has). The selection
  // stays on its item when it is still listed, else goes to the first row.
  absl::Status SetFilter(const std::string& filter);
  const std::string& filter() const { return filter_; }
  void SetSort(TriageSort sort);
  TriageSort sort() const { return sort_; }

  // The listed items (indices into items()), in order.
  const std::vector<int>& rows() const { return rows_; }
  // The selected row (index into rows()), or -1 when nothing is listed.
  int selected_row() const { return selected_; }
  // The selected item (index into items()), or nullopt.
  std::optional<int> selected_item() const;
  // Moves the selection by `delta` rows, clamped to the list; OutOfRange
  // when nothing is listed.
  absl::Status Move(int delta);
  absl::Status Select(int row);  // OutOfRange outside rows()

  // Records `decision` for the selected item: one line appended to
  // DIR/decisions.jsonl and fsync'ed before this returns. When it cannot
  // be written the decision is not recorded: Unavailable while another
  // viewer reviews DIR; PermissionDenied, ResourceExhausted, DataLoss or
  // FailedPrecondition with the OS's reason otherwise. FailedPrecondition
  // when nothing is selected. Under a decision filter ("undecided", …) the
  // list is made again and the row after the item is selected. A decision
  // holds for the input file it was made on: a batch run again over a
  // changed file (another size or mtime) leaves that input undecided.
  absl::Status Decide(Decision decision);
  std::optional<Decision> DecisionOf(int item) const;
  // Counts of the decisions made (the last per input).
  int accepted() const { return accepted_; }
  int rejected() const { return rejected_; }
  // The codes (warnings and failed checks) the items carry, sorted, for the filter menu.
  const std::vector<std::string>& codes() const { return codes_; }

 private:
  Triage() = default;
  void Relist(int fallback_row = 0);  // the selection stays on its item, else goes to this row
  void Count();

  std::string dir_;
  std::string target_;
  std::string note_;
  std::vector<batch::CatalogueItem> items_;
  std::vector<WorstReading> readings_;
  // By input path: the decision, and the input file it was made on (size,
  // mtime; unset in lines of files that did not say).
  struct Recorded {
    Decision decision = Decision::kAccepted;
    std::optional<int64_t> size_bytes, mtime_ns;
  };
  std::map<std::string, Recorded> decisions_;
  std::vector<std::string> codes_;
  std::string filter_ = "all";
  TriageSort sort_ = TriageSort::kSeverity;
  std::vector<int> rows_;
  int selected_ = -1;
  int accepted_ = 0, rejected_ = 0;
  std::unique_ptr<batch::ResultsWriter> writer_;  // opened on the first decision
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_TRIAGE_H_
