#include "viewer/app.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <fmt/format.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <opencv2/core.hpp>

#include "absl/strings/str_cat.h"
#include "analysis/io/atomic_file.h"
#include "analysis/io/image_io.h"
#include "analysis/io/png_codec.h"
#include "acuity/version.h"
#include "viewer/triage_view.h"
#include "viewer/viewer_commands.h"

namespace acuity::viewer {
namespace {

constexpr double kUploadBudgetS = 0.008;   // texture upload per frame
constexpr double kBusyWaitS = 0.05;        // a script waiting: check its deadline this often
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

void LoadFont() {
  ImGuiIO& io = ImGui::GetIO();
  std::error_code ec;
  if (!std::filesystem::exists(kFontPath, ec)) return;  // ImGui's built-in font (ASCII only)
  // Latin-1 (×, ·), Greek (σ, Δ), punctuation (…, –), arrows and maths (−, ≤).
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x206F, 0x2190, 0x22FF, 0};
  io.Fonts->AddFontFromFileTTF(kFontPath, 15.0f, nullptr, kRanges);
}

}  // namespace

App::App(AppOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<App>> App::Create(AppOptions options) {
  std::unique_ptr<App> app(new App(std::move(options)));
  if (!app->options_.script_path.empty()) {
    absl::StatusOr<std::string> text = ReadFileBytes(app->options_.script_path);
    if (!text.ok()) return absl::Status(text.status().code(), fmt::format("{}: {}", app->options_.script_path, std::string(text.status().message())));
    absl::StatusOr<std::vector<ScriptLine>> lines = ParseScript(*text);
    if (!lines.ok())
      return absl::InvalidArgumentError(fmt::format("{}: {}", app->options_.script_path, std::string(lines.status().message())));
    app->script_ = *std::move(lines);
  }
  if (absl::Status s = app->Init(); !s.ok()) return s;
  return app;
}

absl::Status App::Init() {
  if (!glfwInit()) return absl::FailedPreconditionError("cannot start GLFW (no display? try xvfb-run)");
  window_ = glfwCreateWindow(options_.width_px, options_.height_px,
                             absl::StrCat("acuity viewer ", kAcuityVersion).c_str(), nullptr, nullptr);
  if (window_ == nullptr) return absl::FailedPreconditionError("cannot open an OpenGL 3 window");
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);
  glfwSetWindowUserPointer(window_, this);
  glfwSetDropCallback(window_, &App::OnDrop);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // fixed layout: nothing to remember
  ImGui::StyleColorsDark();
  LoadFont();
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  session_ = std::make_unique<Session>([] { glfwPostEmptyEvent(); });
  WindowHooks hooks;
  hooks.screenshot = [this](const std::string& path) -> absl::Status {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      return absl::NotFoundError(fmt::format("screenshot: no folder {}", parent.string()));
    screenshot_path_ = path;
    return absl::OkStatus();
  };
  hooks.wait = [this](std::optional<double> seconds) {
    script_waiting_ = true;
    wait_deadline_.reset();
    if (seconds)
      wait_deadline_ = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(*seconds));
  };
  hooks.mouse_gesture = [this](float x0, float y0, float x1, float y1) {
    // Hover first (ImGui settles what is under the pointer), press, move in
    // steps of 8 px (at most 60 steps: a drag, as a hand makes it), release,
    // rest. Positions beyond ±100 000 px (off any window) are clamped.
    const auto clamp = [](float v) { return std::clamp(v, -1e5f, 1e5f); };
    x0 = clamp(x0), y0 = clamp(y0), x1 = clamp(x1), y1 = clamp(y1);
    for (int i = 0; i < 2; ++i) scripted_mouse_.push_back({x0, y0, false});
    scripted_mouse_.push_back({x0, y0, true});
    const int steps = std::clamp(int(std::ceil(std::hypot(x1 - x0, y1 - y0) / 8.0f)), 0, 60);
    for (int i = 1; i <= steps; ++i)
      scripted_mouse_.push_back({x0 + (x1 - x0) * float(i) / float(steps), y0 + (y1 - y0) * float(i) / float(steps), true});
    for (int i = 0; i < 2; ++i) scripted_mouse_.push_back({x1, y1, false});
  };
  hooks.quit = [this] { quit_ = true; };
  hooks.toggle_help = [this] { panels_.show_help = !panels_.show_help; };
  hooks.show_open_dialog = [this] { panels_.show_open = true; };
  hooks.show_save_dialog = [this] { panels_.show_save = true; };
  hooks.flicker_hold = [this](bool held) { canvas_.set_flicker_held(held); };
  if (absl::Status s = RegisterViewerCommands(*session_, hooks, registry_); !s.ok()) return s;
  if (!options_.open.empty()) {
    std::vector<std::string> words = {"open"};
    words.insert(words.end(), options_.open.begin(), options_.open.end());
    if (absl::Status s = registry_.Run(words); !s.ok()) return s;
  }
  return absl::OkStatus();
}

App::~App() {
  session_.reset();  // waits for its jobs (an enhancement is cancelled)
  if (window_ != nullptr) {
    textures_ = TextureCache();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
  }
  glfwTerminate();
}

void App::OnDrop(GLFWwindow* window, int count, const char** paths) {
  App* app = static_cast<App*>(glfwGetWindowUserPointer(window));
  std::vector<std::string> words = {"open"};
  for (int i = 0; i < count && i < 2; ++i) words.push_back(paths[i]);
  RunOrSay(*app->session_, app->registry_, words);
}

int App::Run() {
  while (!quit_ && !glfwWindowShouldClose(window_)) {
    const bool script_running =
        script_next_ < script_.size() || script_waiting_ || !screenshot_path_.empty() || !scripted_mouse_.empty();
    if (redraw_frames_ > 0 || !textures_complete_ || (script_running && !script_waiting_)) {
      glfwPollEvents();
    } else {
      // Jobs wake the loop when they finish (and an enhancement as it
      // progresses); only a script's `wait SECONDS` needs the clock.
      if (script_waiting_) glfwWaitEventsTimeout(kBusyWaitS);
      else glfwWaitEvents();  // at rest: no CPU until input or a job wakes the loop
      redraw_frames_ = 2;  // ImGui settles hover/active state over a frame or two after input
    }
    const auto start = std::chrono::steady_clock::now();
    Frame();
    --redraw_frames_;
    if (options_.after_frame)
      options_.after_frame(*this, frame_++, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return exit_code_;
}

void App::FailScript(const std::string& message) {
  std::cerr << fmt::format("acuity-viewer: {}:{}: {}", options_.script_path, script_line_, message) << std::endl;
  exit_code_ = 1;
  quit_ = true;
}

void App::StepScript() {
  if (script_.empty() || quit_) return;
  if (std::vector<std::string> errors = session_->TakeJobErrors(); !errors.empty()) return FailScript(errors.front());
  ++frames_since_command_;
  if (script_waiting_) {
    const bool timed_out = wait_deadline_ && std::chrono::steady_clock::now() >= *wait_deadline_;
    if (session_->Busy() && !timed_out) return;
    script_waiting_ = false;
  }
  if (!screenshot_path_.empty() || !scripted_mouse_.empty() || script_next_ >= script_.size()) return;
  const ScriptLine& line = script_[script_next_++];
  script_line_ = line.number;
  frames_since_command_ = 0;
  if (absl::Status s = registry_.Run(line.words); !s.ok()) FailScript(std::string(s.message()));
}

void App::Frame() {
  session_->Poll();
  StepScript();
  textures_.Upload(kUploadBudgetS);  // what the last frame wanted
  textures_.BeginFrame();

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (!scripted_mouse_.empty()) {  // after the GLFW backend, which sets the real pointer's state
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(scripted_mouse_.front().x, scripted_mouse_.front().y);
    io.MouseDown[ImGuiMouseButton_Left] = scripted_mouse_.front().down;
    scripted_mouse_.pop_front();
  }
  ImGui::NewFrame();
  HandleKeys();
  const ImVec2 size = ImGui::GetIO().DisplaySize;
  constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
  const float status_h = ImGui::GetFrameHeightWithSpacing() + 8;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(size.x - kSidePanelWidth, size.y - status_h));
  ImGui::Begin("##main", nullptr, kFixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (session_->triage_shown()) {
    DrawTriageTable(*session_, registry_, textures_, triage_view_);
  } else {
    DrawToolbar(*session_, registry_);
    canvas_.Draw(*session_, textures_);
  }
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(size.x - kSidePanelWidth, 0));
  ImGui::SetNextWindowSize(ImVec2(kSidePanelWidth, size.y - status_h));
  ImGui::Begin("##side", nullptr, kFixed);
  if (session_->triage_shown()) DrawTriageDetails(*session_);
  else DrawSidePanel(*session_, registry_, panels_, canvas_.hovered_grid());
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(0, size.y - status_h));
  ImGui::SetNextWindowSize(ImVec2(size.x, status_h));
  ImGui::Begin("##status", nullptr, kFixed);
  DrawStatusLine(*session_);
  ImGui::End();
  DrawHelpWindow(registry_, &panels_.show_help);
  DrawOpenDialog(*session_, registry_, panels_);
  DrawSaveDialog(*session_, registry_, panels_);
  ImGui::Render();

  textures_complete_ = textures_.FrameComplete();
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.1f, 0.1f, 0.12f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (!screenshot_path_.empty() && textures_complete_ && frames_since_command_ >= 2) {
    if (absl::Status s = CaptureScreenshot(screenshot_path_); !s.ok()) FailScript(std::string(s.message()));
    else session_->Say("screenshot " + screenshot_path_);
    screenshot_path_.clear();
  }
  glfwSwapBuffers(window_);
}

absl::Status App::CaptureScreenshot(const std::string& path) const {
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  cv::Mat pixels(height, width, CV_8UC3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_BGR, GL_UNSIGNED_BYTE, pixels.data);
  cv::flip(pixels, pixels, 0);  // GL rows run bottom-up
  absl::StatusOr<std::string> png = EncodePng(pixels);
  if (!png.ok()) return absl::InternalError(absl::StrCat("screenshot: ", png.status().message()));
  return WriteFileAtomically(path, *png);
}

void App::HandleKeys() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
  auto run = [this](std::vector<std::string> words) { RunOrSay(*session_, registry_, words); };
  const bool ctrl = io.KeyCtrl;
  if (pressed(GLFW_KEY_F1) || (io.KeyShift && pressed(GLFW_KEY_SLASH))) run({"help"});
  if (ctrl && pressed(GLFW_KEY_O)) run({"open"});
  if (ctrl && pressed(GLFW_KEY_S)) run({"save"});
  if (ctrl && pressed(GLFW_KEY_Q)) run({"quit"});
  if (ctrl) return;
  if (session_->triage() != nullptr) {
    if (pressed(GLFW_KEY_J) || pressed(GLFW_KEY_DOWN)) run({"next"});
    if (pressed(GLFW_KEY_K) || pressed(GLFW_KEY_UP)) run({"prev"});
    if (pressed(GLFW_KEY_Y)) run({"accept"});
    if (pressed(GLFW_KEY_R)) run({"reject"});
    if (pressed(GLFW_KEY_T) || pressed(GLFW_KEY_BACKSPACE)) run({"table"});
    if (session_->triage_shown()) {
      if (pressed(GLFW_KEY_ENTER) || pressed(GLFW_KEY_KP_ENTER)) run({"open-item"});
      return;  // the image keys have no images to act on
    }
  }
  const std::pair<int, const char*> modes[] = {{GLFW_KEY_A, "a"},    {GLFW_KEY_B, "b"},    {GLFW_KEY_S, "split"},
                                               {GLFW_KEY_V, "side"}, {GLFW_KEY_D, "diff"}, {GLFW_KEY_F, "flicker"}};
  for (const auto& [key, mode] : modes)
    if (pressed(key)) run({"mode", mode});
  if (pressed(GLFW_KEY_0) || pressed(GLFW_KEY_KP_0)) run({"zoom", "fit"});
  if (pressed(GLFW_KEY_1) || pressed(GLFW_KEY_KP_1)) run({"zoom", "1"});
  if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) run({"zoom", "in"});
  if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) run({"zoom", "out"});
  for (int n = 2; n <= 9; ++n)
    if (pressed(GLFW_KEY_0 + n)) run({"overlay-key", std::to_string(n - 1)});
  if (pressed(GLFW_KEY_E)) run({"enhance", panels_.steps});
  if (pressed(GLFW_KEY_ESCAPE)) run({"cancel"});
  if (pressed(GLFW_KEY_SPACE)) run({"flicker", "on"});
  if (ImGui::IsKeyReleased(GLFW_KEY_SPACE)) run({"flicker", "off"});
}

}  // namespace acuity::viewer
