#include "tests/testing/run_program.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include "tests/testing/test_images.h"

namespace acuity::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream s(text);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  return lines;
}

int ExitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// A new empty file of a unique name in `dir` (mkstemp), e.g. dir/stdout-Ab12Cd.
std::string UniqueFile(const std::string& dir, const std::string& stem) {
  std::string path = dir + "/" + stem + "-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    ADD_FAILURE() << "cannot create a file in " << dir;
    return dir + "/" + stem + ".txt";
  }
  close(fd);
  return path;
}

}  // namespace

std::vector<std::string> RunResult::OutLines() const { return Lines(out); }
std::vector<std::string> RunResult::ErrLines() const { return Lines(err); }

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

RunResult RunProgram(const std::string& program, const std::string& logs_dir, const std::vector<std::string>& args,
                     const std::string& shell_prefix) {
  const std::string out = UniqueFile(logs_dir, "stdout"), err = UniqueFile(logs_dir, "stderr");
  std::string cmd = shell_prefix + ShellQuote(program);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd += " >" + ShellQuote(out) + " 2>" + ShellQuote(err) + " </dev/null";
  RunResult r;
  r.exit_code = ExitCode(std::system(cmd.c_str()));
  r.out = ReadBytes(out);
  r.err = ReadBytes(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

namespace {

// Runs headless Chromium on `html_path` with `what` ("--screenshot=…",
// "--dump-dom"), its standard output to `out`; false (the test failed)
// when it is missing or fails.
bool RunChromium(const std::string& html_path, const std::string& what, const std::string& out,
                 const std::string& work_dir) {
  if (std::system("command -v chromium >/dev/null") != 0) {
    ADD_FAILURE() << "chromium is not installed (./setup.sh installs it)";
    return false;
  }
  const std::string log = work_dir + "/chromium.log";
  const std::string cmd =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars "
      "--user-data-dir=" + ShellQuote(work_dir + "/profile") + " " + what + " " +
      ShellQuote("file://" + html_path) + " >" + ShellQuote(out) + " 2>" + ShellQuote(log);
  if (ExitCode(std::system(cmd.c_str())) != 0) {
    ADD_FAILURE() << "chromium failed: " << ReadBytes(log);
    return false;
  }
  return true;
}

}  // namespace

cv::Mat ChromiumScreenshot(const std::string& html_path, cv::Size window, const std::string& work_dir) {
  const std::string shot = work_dir + "/screenshot.png";
  if (!RunChromium(html_path,
                   "--window-size=" + std::to_string(window.width) + "," + std::to_string(window.height) +
                       " --screenshot=" + ShellQuote(shot),
                   work_dir + "/chromium.out", work_dir))
    return {};
  cv::Mat png = cv::imread(shot, cv::IMREAD_COLOR);
  if (png.empty()) ADD_FAILURE() << "chromium wrote no screenshot: " << ReadBytes(work_dir + "/chromium.log");
  return png;
}

std::string ChromiumDom(const std::string& html_path, const std::string& work_dir) {
  const std::string dom = work_dir + "/dom.html";
  if (!RunChromium(html_path, "--dump-dom", dom, work_dir)) return "";
  return ReadBytes(dom);
}

}  // namespace acuity::testing
