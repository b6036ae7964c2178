// Running a program from an end-to-end test: the shell command line, the
// captured stdout/stderr and exit code, and a headless-Chromium screenshot
// of an HTML page.
//
//   acuity::testing::RunResult r =
//       acuity::testing::RunProgram(ACUITY_BINARY, dir.path(), {"analyze", "x.jpg"});
//   EXPECT_EQ(r.exit_code, 0) << r.err;
#ifndef ACUITY_TESTS_TESTING_RUN_PROGRAM_H_
#define ACUITY_TESTS_TESTING_RUN_PROGRAM_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity::testing {

struct RunResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out, err;
  std::vector<std::string> OutLines() const;
  std::vector<std::string> ErrLines() const;
};

// `s` single-quoted for /bin/sh.
std::string ShellQuote(const std::string& s);

// Runs `program args...` through the shell with stdin from /dev/null and
// stdout/stderr captured in files of unique names in `logs_dir` (removed
// once read), so that tests sharing a folder (::testing::TempDir()) and
// running side by side never read each other's output.
// `shell_prefix` runs first in the same shell (e.g. "ulimit -f 1; ").
RunResult RunProgram(const std::string& program, const std::string& logs_dir,
                     const std::vector<std::string>& args, const std::string& shell_prefix = "");

// Renders `html_path` in headless Chromium (Debian's `chromium`) at
// `window` px and reads back the screenshot (8-bit BGR). `work_dir` holds
// the browser profile and its log. Fails the current test (and returns an
// empty Mat) when Chromium is missing or fails.
cv::Mat ChromiumScreenshot(const std::string& html_path, cv::Size window, const std::string& work_dir);

// The document of `html_path` as headless Chromium holds it once its
// scripts have run (--dump-dom): what a page builds in JavaScript can be
// checked. Fails the current test (and returns "") as above.
std::string ChromiumDom(const std::string& html_path, const std::string& work_dir);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_RUN_PROGRAM_H_
