// The viewer's commands (DESIGN.md, `acuity-viewer --script`), bound to a
// session and to what only the window can do (screenshots, waiting, quitting,
// dialogs). Keys, buttons, the help window and scripts all run these.
//
//   acuity::viewer::CommandRegistry registry;
//   acuity::viewer::RegisterViewerCommands(session, hooks, registry);
//   absl::Status s = registry.Run("mode split");
#ifndef ACUITY_VIEWER_VIEWER_COMMANDS_H_
#define ACUITY_VIEWER_VIEWER_COMMANDS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "viewer/commands.h"
#include "viewer/session.h"

namespace acuity::viewer {

// What the window provides. Empty functions make the command fail with
// Unimplemented (e.g. in unit tests without a window).
struct WindowHooks {
  std::function<absl::Status(const std::string& path)> screenshot;  // PNG of the window
  std::function<void(std::optional<double> seconds)> wait;          // script: pause until idle
  std::function<void()> quit;
  std::function<void()> toggle_help;
  std::function<void()> show_open_dialog;
  std::function<void()> show_save_dialog;
  std::function<void(bool held)> flicker_hold;  // B shown while held
  // The left mouse button pressed at `from` and released at `to` (window
  // px), through ImGui's input as a user's hand would: a click when they
  // are one point, a drag otherwise.
  std::function<void(float from_x, float from_y, float to_x, float to_y)> mouse_gesture;
};

// Registers every command; fails only on a programming error (a name twice).
absl::Status RegisterViewerCommands(Session& session, const WindowHooks& hooks, CommandRegistry& registry);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_VIEWER_COMMANDS_H_
