#include "viewer/viewer_commands.h"

#include <cmath>

#include <fmt/format.h>

namespace acuity::viewer {
namespace {

absl::Status NoWindow(const char* what) {
  return absl::UnimplementedError(fmt::format("{}: needs the window", what));
}

absl::Status Mode(Session& s, const Args& a) {
  const std::optional<CompareMode> mode = ParseCompareMode(a[0]);
  if (!mode) return absl::InvalidArgumentError(fmt::format("mode: '{}' is not a|b|split|side|diff|flicker", a[0]));
  return s.SetMode(*mode);
}

absl::Status Zoom(Session& s, const Args& a) {
  if (a[0] == "fit") return s.ZoomFit();
  if (a[0] == "in") return s.ZoomSteps(+1);
  if (a[0] == "out") return s.ZoomSteps(-1);
  absl::StatusOr<double> f = ParseNumberArg(a[0], "zoom");
  if (!f.ok()) return f.status();
  return s.ZoomTo(*f);
}

absl::Status Overlay(Session& s, const Args& a) {
  std::optional<double> opacity;
  if (a.size() == 2) {
    absl::StatusOr<double> o = ParseNumberArg(a[1], "overlay opacity");
    if (!o.ok()) return o.status();
    opacity = *o;
  }
  return s.SetOverlay(a[0], opacity);
}

absl::Status NextOverlay(Session& s, int index) {
  const std::vector<std::string> names = s.OverlayNames();
  if (index < 0 || index >= int(names.size()))
    return absl::OutOfRangeError(fmt::format("overlay {}: only {} map(s) now", index + 1, names.size()));
  return s.SetOverlay(s.view().overlay == names[index] ? "off" : names[index], std::nullopt);
}

absl::Status Wait(const WindowHooks& h, const Args& a) {
  if (!h.wait) return NoWindow("wait");
  std::optional<double> seconds;
  if (!a.empty()) {
    absl::StatusOr<double> s = ParseNumberArg(a[0], "wait");
    if (!s.ok()) return s.status();
    if (*s < 0) return absl::InvalidArgumentError("wait: SECONDS must be ≥ 0");
    seconds = *s;
  }
  h.wait(seconds);
  return absl::OkStatus();
}

std::vector<Command> SessionCommands(Session& s) {
  return {
      {"open", "[A [B]|DIR]", "open an image (A), a pair to compare, or a batch's --out DIR to triage; no path: the Open dialog", "Ctrl+O", 0, 2,
       nullptr},
      {"mode", "a|b|split|side|diff|flicker", "compare mode: A only, B only, split, side by side, |A−B|, flicker",
       "A B S V D F", 1, 1, [&s](const Args& a) { return Mode(s, a); }},
      {"split", "FRACTION", "divider position, 0–1 from the left (split mode)", "drag the divider", 1, 1,
       [&s](const Args& a) {
         absl::StatusOr<double> f = ParseNumberArg(a[0], "split");
         return f.ok() ? s.SetSplit(*f) : f.status();
       }},
      {"zoom", "fit|in|out|FACTOR", "zoom to fit, one step, or FACTOR (1 = 100 %)", "0 fit, 1 100 %, +/- or wheel", 1,
       1, [&s](const Args& a) { return Zoom(s, a); }},
      {"center", "X Y", "centre the view on pixel X Y of the larger image", "drag to pan", 2, 2,
       [&s](const Args& a) {
         absl::StatusOr<double> x = ParseNumberArg(a[0], "center X"), y = ParseNumberArg(a[1], "center Y");
         if (!x.ok()) return x.status();
         return y.ok() ? s.CenterOn(*x, *y) : y.status();
       }},
      {"overlay", "NAME [OPACITY]|off", "show a map (blur, noise, blockiness, halo, qa_…) at OPACITY 0–1",
       "2–9 (again: off)", 1, 2, [&s](const Args& a) { return Overlay(s, a); }},
      {"focus", "N [a|b]", "zoom to at least 100 % on the N-th face or text line of the content overlay (A's, or B's), split",
       "click its box", 1, 2,
       [&s](const Args& a) -> absl::Status {
         absl::StatusOr<double> n = ParseNumberArg(a[0], "focus N");
         if (!n.ok()) return n.status();
         if (*n != std::floor(*n) || *n < 1 || *n > 1e6)
           return absl::InvalidArgumentError("focus: N is a box's number: 1, 2, …");
         if (a.size() > 1 && a[1] != "a" && a[1] != "b")
           return absl::InvalidArgumentError(fmt::format("focus: '{}' is not a|b", a[1]));
         return s.FocusContent(int(*n), a.size() > 1 && a[1] == "b" ? 1 : 0);
       }},
      {"target", "SPEC|none", "the target size (8x10in@300dpi, A4, 4k, 3840x2160, …)", "", 1, 1,
       [&s](const Args& a) { return s.SetTarget(a[0]); }},
      {"device", "auto|cpu|cuda[:N]",
       "where enhance runs the models (auto: the first CUDA device, else the CPU); the plans are advised again for it",
       "",
       1, 1, [&s](const Args& a) { return s.SetDevice(a[0]); }},
      {"enhance", "auto|STEPS", "run the advised plan or STEPS (as acuity enhance --steps) in the background", "E", 1,
       1, [&s](const Args& a) { return s.Enhance(a[0]); }},
      {"cancel", "", "stop the enhancement (nothing is kept)", "Esc", 0, 0, [&s](const Args&) { return s.Cancel(); }},
  };
}

// Moves the selection; with the table hidden (an item open), opens the item moved to.
absl::Status Step(Session& s, const Args& a, int sign, const char* what) {
  if (absl::Status st = s.NeedsBatch(what); !st.ok()) return st;
  int n = 1;
  if (!a.empty()) {
    absl::StatusOr<double> v = ParseNumberArg(a[0], what);
    if (!v.ok()) return v.status();
    if (*v < 1 || *v > 1e6 || *v != std::floor(*v))
      return absl::InvalidArgumentError(fmt::format("{}: N must be a whole number 1–1000000", what));
    n = int(*v);
  }
  Triage& t = *s.triage();
  if (s.triage_shown()) return t.Move(sign * n);
  // An item is open: open the N-th next one that names a file (error
  // records name none), or stay where it is.
  for (int row = t.selected_row() + sign, left = n; row >= 0 && row < int(t.rows().size()); row += sign) {
    if (t.items()[t.rows()[row]].source_path.empty() || --left > 0) continue;
    if (absl::Status st = t.Select(row); !st.ok()) return st;
    return s.OpenSelected();
  }
  return absl::OutOfRangeError(fmt::format("{}: no further item with a file to open (filter {})", what, t.filter()));
}

absl::Status Decide(Session& s, Decision d) {
  if (absl::Status st = s.NeedsBatch(DecisionName(d)); !st.ok()) return st;
  // With the table hidden the decision is about the item on the screen.
  if (!s.triage_shown() && s.opened_item() != s.triage()->selected_item())
    return absl::FailedPreconditionError(fmt::format(
        "{}: the images shown are not the batch's selected item (T shows the table)", DecisionName(d)));
  const std::optional<int> item = s.triage()->selected_item();  // before: deciding may move the selection
  if (absl::Status st = s.triage()->Decide(d); !st.ok()) return st;
  s.Say(fmt::format("{}: {}", s.triage()->items()[*item].path, DecisionName(d)));
  return absl::OkStatus();
}

// Triage of a batch's results (viewer/triage.h).
std::vector<Command> TriageCommands(Session& s) {
  return {
      {"filter", "all|error|fail|warn|fix|pass|undecided|accepted|rejected|CODE",
       "triage: list only these items (a verdict, a decision, or a warning code / QA check)", "", 1, 1,
       [&s](const Args& a) {
         absl::Status st = s.NeedsBatch("filter");
         return st.ok() ? s.triage()->SetFilter(a[0]) : st;
       }},
      {"sort", "severity|path|reading", "triage: order worst first, by file, or by the worst reading", "the sort menu",
       1, 1,
       [&s](const Args& a) -> absl::Status {
         if (absl::Status st = s.NeedsBatch("sort"); !st.ok()) return st;
         const std::optional<TriageSort> sort = ParseTriageSort(a[0]);
         if (!sort) return absl::InvalidArgumentError(fmt::format("sort: '{}' is not severity|path|reading", a[0]));
         s.triage()->SetSort(*sort);
         return absl::OkStatus();
       }},
      {"next", "[N]", "triage: select the next item (an item open: open the next one)", "J", 0, 1,
       [&s](const Args& a) { return Step(s, a, +1, "next"); }},
      {"prev", "[N]", "triage: select the previous item (an item open: open it)", "K", 0, 1,
       [&s](const Args& a) { return Step(s, a, -1, "prev"); }},
      {"select", "ROW", "triage: select the ROW-th listed item (1 = first)", "click a row", 1, 1,
       [&s](const Args& a) -> absl::Status {
         if (absl::Status st = s.NeedsBatch("select"); !st.ok()) return st;
         absl::StatusOr<double> row = ParseNumberArg(a[0], "select");
         if (!row.ok()) return row.status();
         if (*row < 1 || *row > double(s.triage()->rows().size()) || *row != std::floor(*row))
           return absl::OutOfRangeError(
               fmt::format("select: ROW must be a whole number 1–{}", s.triage()->rows().size()));
         return s.triage()->Select(int(*row) - 1);
       }},
      {"open-item", "", "triage: open the selected item's input, and its output beside it with the QA overlay",
       "Enter or double-click", 0, 0, [&s](const Args&) { return s.OpenSelected(); }},
      {"accept", "", "triage: mark the selected item accepted (DIR/decisions.jsonl)", "Y", 0, 0,
       [&s](const Args&) { return Decide(s, Decision::kAccepted); }},
      {"reject", "", "triage: mark the selected item rejected (DIR/decisions.jsonl)", "R", 0, 0,
       [&s](const Args&) { return Decide(s, Decision::kRejected); }},
      {"table", "[on|off]", "triage: show or hide the table of the batch (no word: switch)", "T or Backspace", 0, 1,
       [&s](const Args& a) -> absl::Status {
         if (!a.empty() && a[0] != "on" && a[0] != "off") return absl::InvalidArgumentError("table: on|off");
         return s.ShowTriage(a.empty() ? !s.triage_shown() : a[0] == "on");
       }},
  };
}

}  // namespace

absl::Status RegisterViewerCommands(Session& s, const WindowHooks& h, CommandRegistry& registry) {
  std::vector<Command> commands = SessionCommands(s);
  commands[0].run = [&s, h](const Args& a) -> absl::Status {
    if (a.empty()) {
      if (!h.show_open_dialog) return NoWindow("open");
      h.show_open_dialog();
      return absl::OkStatus();
    }
    return s.Open(a[0], a.size() > 1 ? a[1] : "");
  };
  for (Command& c : TriageCommands(s)) commands.push_back(std::move(c));
  commands.push_back({"wait", "[SECONDS]", "pause the script until background work is done (at most SECONDS)", "",
                      0, 1, [h](const Args& a) { return Wait(h, a); }});
  commands.push_back({"save", "[PATH]", "write the enhancement result (atomically, metadata kept; never the input)",
                      "Ctrl+S", 0, 1, [&s, h](const Args& a) -> absl::Status {
                        if (!a.empty()) return s.Save(a[0]);
                        if (!h.show_save_dialog) return NoWindow("save");
                        h.show_save_dialog();
                        return absl::OkStatus();
                      }});
  commands.push_back({"screenshot", "PATH", "write the window as a PNG", "F12", 1, 1,
                      [h](const Args& a) { return h.screenshot ? h.screenshot(a[0]) : NoWindow("screenshot"); }});
  // The mouse, for scripts and tests of what a hand does on the canvas.
  const auto gesture = [h](const char* name, const Args& a) -> absl::Status {
    float xy[4];
    for (size_t i = 0; i < a.size(); ++i) {
      absl::StatusOr<double> v = ParseNumberArg(a[i], name);
      if (!v.ok()) return v.status();
      xy[i] = float(*v);
    }
    if (a.size() == 2) xy[2] = xy[0], xy[3] = xy[1];
    if (!h.mouse_gesture) return NoWindow(name);
    h.mouse_gesture(xy[0], xy[1], xy[2], xy[3]);
    return absl::OkStatus();
  };
  commands.push_back({"click", "X Y", "press and release the left mouse button at window pixel X Y (scripts)",
                      "the mouse", 2, 2, [gesture](const Args& a) { return gesture("click", a); }});
  commands.push_back({"drag", "X1 Y1 X2 Y2", "press the left mouse button at X1 Y1, move to X2 Y2, release (scripts)",
                      "the mouse", 4, 4, [gesture](const Args& a) { return gesture("drag", a); }});
  commands.push_back({"flicker", "on|off", "flicker mode: show B while held", "Space (hold)", 1, 1,
                      [h](const Args& a) -> absl::Status {
                        if (a[0] != "on" && a[0] != "off") return absl::InvalidArgumentError("flicker: on|off");
                        if (!h.flicker_hold) return NoWindow("flicker");
                        h.flicker_hold(a[0] == "on");
                        return absl::OkStatus();
                      }});
  commands.push_back({"overlay-key", "N", "switch to the N-th overlay (1–8), again to hide it", "2–9", 1, 1,
                      [&s](const Args& a) -> absl::Status {
                        absl::StatusOr<double> n = ParseNumberArg(a[0], "overlay-key");
                        return n.ok() ? NextOverlay(s, int(*n) - 1) : n.status();
                      }});
  commands.push_back({"help", "", "show or hide this list of commands and keys", "F1 or ?", 0, 0,
                      [h](const Args&) -> absl::Status {
                        if (!h.toggle_help) return NoWindow("help");
                        h.toggle_help();
                        return absl::OkStatus();
                      }});
  commands.push_back({"quit", "", "close the viewer (exit 0)", "Ctrl+Q", 0, 0, [h](const Args&) -> absl::Status {
                        if (!h.quit) return NoWindow("quit");
                        h.quit();
                        return absl::OkStatus();
                      }});
  for (Command& c : commands)
    if (absl::Status st = registry.Add(std::move(c)); !st.ok()) return st;
  return absl::OkStatus();
}

}  // namespace acuity::viewer
