// The viewer's fixed layout around the canvas: the toolbar (compare modes,
// zoom), the side panel (measurements in plain words with verdicts, the
// target, the advised plan with reasons and warnings, Enhance with progress,
// Cancel and Save…, the QA checks of a pair, a tone histogram, the pixel
// inspector), the status line, and the Open / Save / Help windows. Every
// button runs a command of the registry. UI thread only (ImGui).
//
//   acuity::viewer::PanelState panels;
//   acuity::viewer::DrawToolbar(session, registry);
//   acuity::viewer::DrawSidePanel(session, registry, panels, canvas.hovered_grid());
#ifndef ACUITY_VIEWER_PANELS_H_
#define ACUITY_VIEWER_PANELS_H_

#include <optional>
#include <string>
#include <vector>

#include "viewer/commands.h"
#include "viewer/session.h"

namespace acuity::viewer {

inline constexpr float kSidePanelWidth = 380;

struct PanelState {
  char target[128] = "";
  char steps[256] = "auto";
  char save_path[1024] = "";
  bool show_help = false;
  bool show_open = false;
  bool show_save = false;
  // Open dialog
  char directory[1024] = "";
  char path_a[1024] = "";
  char path_b[1024] = "";
  std::vector<std::pair<std::string, bool>> listing;  // name, is a directory
  std::string listed_directory;
};

// Runs a command; a failure goes to the status line.
void RunOrSay(Session& session, const CommandRegistry& registry, const std::vector<std::string>& words);

void DrawToolbar(Session& session, const CommandRegistry& registry);
void DrawSidePanel(Session& session, const CommandRegistry& registry, PanelState& state,
                   const std::optional<Vec2>& hovered_grid);
void DrawStatusLine(const Session& session);

// Windows (dialogs.cc).
void DrawHelpWindow(const CommandRegistry& registry, bool* open);
void DrawOpenDialog(Session& session, const CommandRegistry& registry, PanelState& state);
void DrawSaveDialog(Session& session, const CommandRegistry& registry, PanelState& state);

// "A (120, 45): R 200 G 180 B 90" for each image under the grid px.
std::vector<std::string> InspectPixel(const Session& session, Vec2 grid_px);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_PANELS_H_
