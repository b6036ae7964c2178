// The viewer's window: GLFW + OpenGL 3 + Dear ImGui 1.86, the fixed layout
// (toolbar, canvas, side panel, status line), keys and drag and drop mapped
// to commands, the script runner (`--script FILE`), screenshots, and an idle
// loop that sleeps in glfwWaitEventsTimeout until input or a job wakes it.
//
//   acuity::viewer::AppOptions options;
//   options.script_path = "demo.txt";
//   absl::StatusOr<std::unique_ptr<acuity::viewer::App>> app = acuity::viewer::App::Create(options);
//   return app.ok() ? (*app)->Run() : 1;
#ifndef ACUITY_VIEWER_APP_H_
#define ACUITY_VIEWER_APP_H_

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "viewer/canvas.h"
#include "viewer/commands.h"
#include "viewer/panels.h"
#include "viewer/session.h"
#include "viewer/textures.h"
#include "viewer/triage_view.h"

struct GLFWwindow;

namespace acuity::viewer {

struct AppOptions {
  int width_px = 1280, height_px = 800;
  std::string script_path;            // "" = interactive
  std::vector<std::string> open;      // A [B] to open at start
  // Called after each frame is shown (benchmarks): frame number, seconds the frame took.
  std::function<void(class App& app, int frame, double frame_s)> after_frame;
};

class App {
 public:
  // Opens the window (FailedPrecondition when there is no display) and
  // reads the script (NotFound / InvalidArgument naming the line).
  static absl::StatusOr<std::unique_ptr<App>> Create(AppOptions options);
  ~App();

  // Runs until the window closes or `quit`: 0, or 1 after a failing script line.
  int Run();

  Session& session() { return *session_; }
  const CommandRegistry& registry() const { return registry_; }
  // True when every texture drawn is fully uploaded (a full frame).
  bool textures_complete() const { return textures_complete_; }
  void Quit() { quit_ = true; }  // any thread; wake the loop with glfwPostEmptyEvent

 private:
  explicit App(AppOptions options);
  absl::Status Init();
  void Frame();
  void HandleKeys();
  void StepScript();
  void FailScript(const std::string& message);
  absl::Status CaptureScreenshot(const std::string& path) const;
  static void OnDrop(GLFWwindow* window, int count, const char** paths);

  AppOptions options_;
  GLFWwindow* window_ = nullptr;
  std::unique_ptr<Session> session_;
  CommandRegistry registry_;
  TextureCache textures_;
  Canvas canvas_;
  PanelState panels_;
  TriageViewState triage_view_;
  std::atomic<bool> quit_{false};
  int exit_code_ = 0;
  bool textures_complete_ = true;
  // Script
  std::vector<ScriptLine> script_;
  size_t script_next_ = 0;
  int script_line_ = 0;  // line of the command that ran last
  bool script_waiting_ = false;
  std::optional<std::chrono::steady_clock::time_point> wait_deadline_;
  std::string screenshot_path_;  // a screenshot to take when the frame is full
  // A scripted mouse gesture (`click`, `drag`), one input state per frame:
  // hover at the start, press, move in steps, release; the script waits
  // for it. Empty: the real mouse.
  struct MouseFrame {
    float x, y;
    bool down;
  };
  std::deque<MouseFrame> scripted_mouse_;
  int frames_since_command_ = 0;
  int redraw_frames_ = 2;
  int frame_ = 0;
};

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_APP_H_
