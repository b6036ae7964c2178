// Drag and drop in acuity-viewer, under Xvfb (ctest runs this binary through
// `xvfb-run -a`). Xvfb has no drag source, so each test hands paths to the
// drop callback the App registered with GLFW — the function a desktop's drop
// reaches — from the frame hook, then watches the session: two files open as
// A and B, a third is ignored, an unreadable file is named in the error and a
// file that is not an image fails with its reason while the window stays up.
#include <GLFW/glfw3.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tests/testing/test_images.h"
#include "viewer/app.h"

namespace acuity::viewer {
namespace {

using ::acuity::testing::ScratchDir;
using ::testing::HasSubstr;

// How long a drop's jobs may take, s: a few seconds idle, more on a loaded
// machine (the frame loop polls while jobs run, so frames are no clock).
constexpr double kMaxWaitSeconds = 60.0;

// Drops `paths` on the window at the first frame through the callback the App
// registered, then calls `done` each frame until it returns true (or
// kMaxWaitSeconds pass). Returns whether `done` was satisfied.
bool DropAndWait(const std::vector<std::string>& paths, const std::function<bool(Session&)>& done) {
  AppOptions options;
  options.width_px = 800;
  options.height_px = 600;
  bool satisfied = false;
  const auto start = std::chrono::steady_clock::now();
  options.after_frame = [&](App& app, int frame, double) {
    if (frame == 0) {
      GLFWwindow* window = glfwGetCurrentContext();
      const GLFWdropfun registered = glfwSetDropCallback(window, nullptr);
      glfwSetDropCallback(window, registered);
      EXPECT_NE(registered, nullptr) << "the App registers no drop callback";
      if (registered == nullptr) return app.Quit();
      std::vector<const char*> c_paths;
      for (const std::string& p : paths) c_paths.push_back(p.c_str());
      registered(window, static_cast<int>(c_paths.size()), c_paths.data());
      return;
    }
    if (done(app.session())) {
      satisfied = true;
      app.Quit();
    } else if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > kMaxWaitSeconds) {
      app.Quit();
    }
    glfwPostEmptyEvent();  // keep the loop turning while jobs run
  };
  absl::StatusOr<std::unique_ptr<App>> app = App::Create(options);
  EXPECT_TRUE(app.ok()) << app.status();
  if (!app.ok()) return false;
  (*app)->Run();
  return satisfied;
}

std::string WritePhoto(const ScratchDir& dir, const std::string& name, const std::string& photo) {
  cv::Mat pixels = acuity::testing::LoadPhoto(photo);
  pixels = pixels(cv::Rect(0, 0, 96, 64)).clone();
  EXPECT_TRUE(cv::imwrite(dir.Path(name), pixels));
  return dir.Path(name);
}

bool Loaded(const Document& d) { return d.image != nullptr && !d.loading; }

TEST(ViewerDrop, TwoFilesOpenAsAAndB) {
  ScratchDir dir;
  const std::string a = WritePhoto(dir, "a.png", "coffee"), b = WritePhoto(dir, "b.png", "astronaut");
  std::string seen_a, seen_b;
  EXPECT_TRUE(DropAndWait({a, b}, [&](Session& s) {
    seen_a = s.a().path;
    seen_b = s.b().path;
    return Loaded(s.a()) && Loaded(s.b());
  })) << "A " << seen_a << ", B " << seen_b;
  EXPECT_EQ(seen_a, a);
  EXPECT_EQ(seen_b, b);
}

TEST(ViewerDrop, AThirdFileIsIgnored) {
  ScratchDir dir;
  const std::string a = WritePhoto(dir, "a.png", "coffee"), b = WritePhoto(dir, "b.png", "astronaut");
  const std::string c = WritePhoto(dir, "c.png", "chelsea");
  bool b_is_b = false;
  EXPECT_TRUE(DropAndWait({a, b, c}, [&](Session& s) {
    b_is_b = s.b().path == b;
    return Loaded(s.a()) && Loaded(s.b());
  }));
  EXPECT_TRUE(b_is_b);
}

TEST(ViewerDrop, ANonImageFailsWithItsNameAndReason) {
  ScratchDir dir;
  const std::string text = dir.Path("notes.jpg");
  acuity::testing::WriteBytes(text, "this is a text file, not a JPEG\n");
  std::vector<std::string> errors;
  EXPECT_TRUE(DropAndWait({text}, [&](Session& s) {
    for (std::string& e : s.TakeJobErrors()) errors.push_back(std::move(e));
    return !errors.empty() && !s.a().loading;
  }));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("notes.jpg"));
  EXPECT_EQ(errors[0].find('\n'), std::string::npos) << "one line";
}

TEST(ViewerDrop, AMissingFileIsRefusedAtOnceAndNothingOpens) {
  ScratchDir dir;
  const std::string missing = dir.Path("gone.png");
  int frames = 0;
  std::string message, a_path = "?";
  // Nothing loads: the drop is refused before any job starts, and the status
  // line says why.
  DropAndWait({missing}, [&](Session& s) {
    if (!s.messages().empty()) message = s.messages().back();
    a_path = s.a().path;
    return ++frames > 5;
  });
  EXPECT_THAT(message, HasSubstr("gone.png: no such file"));
  EXPECT_EQ(a_path, "");
}

}  // namespace
}  // namespace acuity::viewer
