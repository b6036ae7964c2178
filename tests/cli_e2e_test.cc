// End-to-end tests of the `acuity` program: runs the real binary on files
// made from real photos, and on a corpus of bad inputs, and checks stdout,
// stderr and exit codes.

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ScratchDir;

using testing::RunResult;

RunResult RunAcuity(const ScratchDir& dir, const std::vector<std::string>& args) {
  return testing::RunProgram(ACUITY_BINARY, dir.path(), args);
}

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// A PNG whose IHDR (with a valid CRC) claims 65535×65535 RGB: 12.9 GB of pixels.
std::string PngBomb() {
  std::string ihdr = "IHDR" + Be32(65535) + Be32(65535) + std::string("\x08\x02\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1A\n";
  png += Be32(13) + ihdr + Be32(Crc32(ihdr));
  std::string idat = "IDAT" + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  png += Be32(8) + idat + Be32(Crc32(idat));
  png += Be32(0) + "IEND" + Be32(Crc32("IEND"));
  return png;
}

std::string PhotoJpeg(int width, int height, int quality = 90) {
  cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::resize(photo, photo, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  JpegEncodeOptions options;
  options.quality = quality;
  auto bytes = EncodeJpeg(photo, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

TEST(CliTest, PrintTargetOnLandscapePhoto) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("landscape.jpg"), PhotoJpeg(3000, 2000));
  RunResult r = RunAcuity(dir, {"analyze", "--json", "--target", "8x10in@300dpi", dir.Path("landscape.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.OutLines().size(), 1u) << r.out;
  auto j = nlohmann::json::parse(r.OutLines()[0]);
  EXPECT_EQ(j["input"]["path"], dir.Path("landscape.jpg"));
  EXPECT_EQ(j["input"]["format"], "jpeg");
  EXPECT_EQ(j["input"]["width"], 3000);
  EXPECT_EQ(j["input"]["height"], 2000);
  EXPECT_EQ(j["input"]["channels"], 3);
  EXPECT_EQ(j["input"]["bit_depth"], 8);
  EXPECT_EQ(j["target"]["width_px"], 3000);
  EXPECT_EQ(j["target"]["height_px"], 2400);
  EXPECT_DOUBLE_EQ(j["target"]["required_scale"].get<double>(), 1.2);
  EXPECT_DOUBLE_EQ(j["target"]["effective_dpi"].get<double>(), 250.0);
  EXPECT_EQ(j["target"]["fits"], false);
  EXPECT_EQ(j["input"]["jpeg"]["quant_tables"].size(), 2u);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliTest, TextOutputIsReadable) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("p.jpg"), PhotoJpeg(600, 400));
  RunResult r = RunAcuity(dir, {"analyze", "--target", "4k", dir.Path("p.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("600×400 px"));
  EXPECT_THAT(r.out, HasSubstr("3840×2160 px"));
  EXPECT_THAT(r.out, HasSubstr("needs a 6.40× upscale"));
  EXPECT_THAT(r.out, HasSubstr("scale_above_4x"));
}

// advise and report take the device their plan's upscale is priced for
// (docs/gpu.md), and analyze for its verdicts' words: the enhance's words, a
// device that cannot be had refused before any work (one line, exit 2); on
// a machine without a GPU, --device cpu gives the plan auto gives.
TEST(CliTest, AdviseReportAndAnalyzeTakeTheDeviceTheUpscaleIsPricedFor) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("p.jpg"), PhotoJpeg(600, 400));
  const std::string photo = dir.Path("p.jpg");
  const bool has_cuda = RunAcuity(dir, {"--version"}).out.find("cuda:0") != std::string::npos;
  std::vector<std::string> refused = {"gpu", "cuda:x", "cuda:64"};
  if (!has_cuda) refused.push_back("cuda");
  for (const std::string& device : refused) {
    for (const char* command : {"advise", "report", "analyze"}) {
      std::vector<std::string> args = {command, "--target", "4k", "--device", device};
      if (std::string(command) == "report") args.insert(args.end(), {"-o", dir.Path("r.html")});
      args.push_back(photo);
      const RunResult r = RunAcuity(dir, args);
      EXPECT_EQ(r.exit_code, 2) << command << " --device " << device << ": " << r.err;
      EXPECT_EQ(r.ErrLines().size(), 1u) << r.err;
      EXPECT_TRUE(r.out.empty()) << r.out;
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir.Path("r.html")));
  if (has_cuda) GTEST_SKIP() << "a CUDA device: the plans may differ by device (advisor_test.cc)";
  const RunResult automatic = RunAcuity(dir, {"advise", "--json", "--target", "4k", photo});
  const RunResult cpu = RunAcuity(dir, {"advise", "--json", "--target", "4k", "--device", "cpu", photo});
  ASSERT_EQ(automatic.exit_code, 0) << automatic.err;
  EXPECT_THAT(automatic.out, HasSubstr("\"upscale\""));
  EXPECT_EQ(cpu.out, automatic.out);
}

TEST(CliTest, JsonWarnsAboveEightTimes) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("small.jpg"), PhotoJpeg(300, 200));
  RunResult r = RunAcuity(dir, {"analyze", "--json", "--target=A2@300dpi", dir.Path("small.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.OutLines().at(0));
  ASSERT_EQ(j["warnings"].size(), 2u);  // and the print's dpi, said at any upscale
  EXPECT_EQ(j["warnings"][0]["code"], "scale_above_8x");
  EXPECT_EQ(j["warnings"][1]["code"], "low_print_dpi");
}

// The bad-input corpus: each file gets one line on stderr naming it and the
// reason; the good file among them is still analysed; the exit code is 3.
TEST(CliTest, BadInputCorpus) {
  ScratchDir dir;
  const std::string good = dir.Path("good.jpg");
  testing::WriteBytes(good, PhotoJpeg(640, 480));
  const std::string full = PhotoJpeg(640, 480);
  testing::WriteBytes(dir.Path("truncated.jpg"), full.substr(0, full.size() / 2));
  testing::WriteBytes(dir.Path("empty.jpg"), "");
  testing::WriteBytes(dir.Path("text.jpg"), "this is not a picture\n");
  cv::imwrite(dir.Path("tiny.png"), cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3)));
  testing::WriteBytes(dir.Path("bomb.png"), PngBomb());
  std::filesystem::create_directory(dir.Path("folder.jpg"));

  struct Case {
    std::string file, reason;
  };
  const std::vector<Case> cases = {
      {dir.Path("missing.jpg"), "no such file"},
      // a name longer than the file system's 255 bytes: the OS's reason, not "no such file"
      {dir.Path(std::string(300, 'a') + ".jpg"), std::strerror(ENAMETOOLONG)},
      {dir.Path("folder.jpg"), "no image files in this folder"},
      {dir.Path("empty.jpg"), "file is empty"},
      {dir.Path("truncated.jpg"), "truncated JPEG"},
      {dir.Path("text.jpg"), "not a recognised image"},
      {dir.Path("tiny.png"), "only 1×1 px"},
      {dir.Path("bomb.png"), "above the 200 MP limit"},
  };
  std::vector<std::string> args = {"analyze", "--json"};
  for (const Case& c : cases) args.push_back(c.file);
  args.push_back(good);
  RunResult r = RunAcuity(dir, args);
  EXPECT_EQ(r.exit_code, 3);
  const auto err_lines = r.ErrLines();
  ASSERT_EQ(err_lines.size(), cases.size()) << r.err;
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(err_lines[i].rfind("acuity: " + cases[i].file + ": ", 0), 0u) << err_lines[i];
    EXPECT_THAT(err_lines[i], HasSubstr(cases[i].reason));
  }
  ASSERT_EQ(r.OutLines().size(), 1u) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.OutLines()[0])["input"]["path"], good);
}

// An output that cannot be written — here a path under a regular file, which
// stops root too — is exit code 4 with one line naming the path and the
// OS's reason, from every command (never 3, "an input could not be read").
TEST(CliTest, UnwritableOutputsExitFourWithTheOsReason) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("p.jpg"), PhotoJpeg(64, 48));
  testing::WriteBytes(dir.Path("file"), "a regular file");
  const std::string photo = dir.Path("p.jpg"), under_file = dir.Path("file");
  const std::vector<std::vector<std::string>> commands = {
      {"report", "-o", under_file + "/r.html", photo},
      {"analyze", "--maps", under_file + "/maps", photo},
      {"batch", "--out", under_file + "/out", photo},
      {"enhance", "--steps", "sharpen:0.3", "-o", under_file + "/e.png", photo},
      {"qa", "--report", under_file + "/qa.html", photo, photo},
      {"qa", "--maps", under_file + "/qa-maps", photo, photo},
  };
  for (const std::vector<std::string>& args : commands) {
    const RunResult r = RunAcuity(dir, args);
    EXPECT_EQ(r.exit_code, 4) << args[0] << " " << args[1] << ": " << r.err;
    const auto lines = r.ErrLines();
    ASSERT_EQ(lines.size(), 1u) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_THAT(lines[0], HasSubstr(under_file)) << args[0];
    EXPECT_THAT(lines[0], HasSubstr(std::strerror(ENOTDIR))) << args[0];
  }
  // A heatmap that cannot replace what is in its place (a directory): the
  // other maps are written, one line, exit code 4.
  std::filesystem::create_directories(dir.Path("maps/p.noise.png"));
  const RunResult maps = RunAcuity(dir, {"analyze", "--maps", dir.Path("maps"), photo});
  EXPECT_EQ(maps.exit_code, 4) << maps.err;
  ASSERT_EQ(maps.ErrLines().size(), 1u) << maps.err;
  EXPECT_THAT(maps.err, HasSubstr(dir.Path("maps/p.noise.png")));
  EXPECT_THAT(maps.err, HasSubstr(std::strerror(EISDIR)));
  EXPECT_TRUE(std::filesystem::exists(dir.Path("maps/p.halo.png")));
  // batch --do enhance whose mirrored folder is blocked by a file: that
  // input's record fails with exit code 4 and the reason.
  std::filesystem::create_directories(dir.Path("in/sub"));
  testing::WriteBytes(dir.Path("in/sub/q.jpg"), PhotoJpeg(64, 48));
  std::filesystem::create_directories(dir.Path("out"));
  testing::WriteBytes(dir.Path("out/sub"), "blocks the folder");
  const RunResult batch =
      RunAcuity(dir, {"batch", "--out", dir.Path("out"), "--do", "enhance", "--steps", "sharpen:0.3", dir.Path("in")});
  EXPECT_EQ(batch.exit_code, 4) << batch.err;
  EXPECT_THAT(batch.err, HasSubstr(std::strerror(ENOTDIR)));
  EXPECT_THAT(testing::ReadBytes(dir.Path("out/results.jsonl")), HasSubstr("\"exit_code\":4"));
}

// analyze and report take folders as batch does: the image files under
// them, recursively, in batch's order; other files are skipped; a folder
// without images is a problem (exit code 3).
TEST(CliTest, AnalyzeAndReportTakeFolders) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.Path("photos/a"));
  std::filesystem::create_directories(dir.Path("empty"));
  testing::WriteBytes(dir.Path("photos/b.jpg"), PhotoJpeg(64, 48));
  cv::imwrite(dir.Path("photos/a/z.png"), testing::LoadPhoto("coffee")(cv::Rect(0, 0, 48, 40)));
  testing::WriteBytes(dir.Path("photos/notes.txt"), "not an image");
  testing::WriteBytes(dir.Path("empty/readme.md"), "nothing here");
  const RunResult r = RunAcuity(dir, {"analyze", "--json", dir.Path("photos")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.OutLines().size(), 2u) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.OutLines()[0])["input"]["path"], dir.Path("photos/a/z.png"));
  EXPECT_EQ(nlohmann::json::parse(r.OutLines()[1])["input"]["path"], dir.Path("photos/b.jpg"));
  const RunResult empty = RunAcuity(dir, {"analyze", "--json", dir.Path("empty"), dir.Path("photos/b.jpg")});
  EXPECT_EQ(empty.exit_code, 3);
  ASSERT_EQ(empty.ErrLines().size(), 1u) << empty.err;
  EXPECT_THAT(empty.err, HasSubstr(dir.Path("empty") + ": no image files"));
  EXPECT_EQ(empty.OutLines().size(), 1u);
  const RunResult report = RunAcuity(dir, {"report", "-o", dir.Path("r.html"), dir.Path("photos")});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string html = testing::ReadBytes(dir.Path("r.html"));
  EXPECT_THAT(html, HasSubstr(dir.Path("photos/a/z.png")));
  EXPECT_THAT(html, HasSubstr(dir.Path("photos/b.jpg")));
  EXPECT_THAT(html, Not(HasSubstr("notes.txt")));
}

TEST(CliTest, MaxMegapixelsIsAdjustable) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("p.jpg"), PhotoJpeg(2000, 1500));  // 3 MP
  RunResult refused = RunAcuity(dir, {"analyze", "--max-megapixels", "2", dir.Path("p.jpg")});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("above the 2 MP limit"));
  RunResult accepted = RunAcuity(dir, {"analyze", "--max-megapixels=4", dir.Path("p.jpg")});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
}

TEST(CliTest, UsageErrorsExitTwo) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path("p.jpg"), PhotoJpeg(64, 64));
  RunResult bad_target = RunAcuity(dir, {"analyze", "--target", "8x10", dir.Path("p.jpg")});
  EXPECT_EQ(bad_target.exit_code, 2);
  EXPECT_THAT(bad_target.err, HasSubstr("did you mean 8x10in"));
  EXPECT_TRUE(bad_target.out.empty());

  RunResult unknown = RunAcuity(dir, {"analyze", "--frobnicate", dir.Path("p.jpg")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown option --frobnicate"));

  EXPECT_EQ(RunAcuity(dir, {"analyze"}).exit_code, 2);
  EXPECT_EQ(RunAcuity(dir, {"no-such-command"}).exit_code, 2);
  EXPECT_EQ(RunAcuity(dir, {}).exit_code, 2);
  RunResult help = RunAcuity(dir, {"analyze", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--target"));
}

TEST(CliTest, BundledSampleAnalyses) {
  ScratchDir dir;
  RunResult r = RunAcuity(dir, {"analyze", "--json", testing::SourceDir() + "/samples/coffee.jpg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.OutLines().at(0));
  EXPECT_EQ(j["input"]["width"], 600);
  EXPECT_EQ(j["input"]["dpi"], 72.0);
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

TEST(CliAdviseTest, PlanForTheBundledSample) {
  testing::ScratchDir dir;
  const std::string sample = testing::SourceDir() + "/samples/coffee.jpg";
  RunResult r = RunAcuity(dir, {"advise", "--json", "--target", "4x6in@300dpi", sample});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.OutLines().size(), 1u);
  auto j = nlohmann::json::parse(r.OutLines()[0]);
  ASSERT_TRUE(j.contains("plan"));
  bool upscales = false;
  for (const auto& step : j["plan"]["steps"]) {
    EXPECT_TRUE(step.contains("op") && step.contains("params") && step.contains("reason"));
    if (step["op"] == "upscale") {
      upscales = true;
      EXPECT_EQ(step["params"]["factor"], 3);  // 600×400 → 1800×1200
    }
  }
  EXPECT_TRUE(upscales);
  RunResult text = RunAcuity(dir, {"advise", "--target", "4x6in@300dpi", sample});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("plan:"));
  EXPECT_THAT(text.out, HasSubstr("upscale ×3"));
  // esrgan-thick ×3 of 600×400 px: about half a minute, said before anyone runs it.
  EXPECT_THAT(text.out, ::testing::ContainsRegex("expected to run in about [0-9]+ s \\(every step and AI pass"));
  RunResult quick = RunAcuity(dir, {"advise", sample});  // no target: no plan worth timing
  ASSERT_EQ(quick.exit_code, 0);
  EXPECT_THAT(quick.out, ::testing::Not(HasSubstr("expected to run")));
}

// An acuity copied out of its build tree (as an install is) looks for its
// modules and models beside itself and in its prefix, never in the tree it
// was built in: no build path is compiled in (lazy_module.h BuildTreeDir).
// Built with the build tree's paths compiled in, the copy upscaled with the
// build tree's module and models.
TEST(CliTest, AProgramOutsideItsBuildTreeDoesNotUseTheTreesModules) {
  ScratchDir dir;
  const std::filesystem::path bin = std::filesystem::path(dir.path()) / "prefix" / "bin";
  std::filesystem::create_directories(bin);
  std::filesystem::copy_file(ACUITY_BINARY, bin / "acuity");
  testing::WriteBytes(dir.Path("small.jpg"), PhotoJpeg(48, 32));
  const RunResult r = testing::RunProgram((bin / "acuity").string(), dir.path(),
                                          {"enhance", "--steps", "upscale:2:esrgan-slim", "-o", dir.Path("up.png"),
                                           dir.Path("small.jpg")},
                                          "env -u ACUITY_MODEL_DIR -u ACUITY_TORCH_MODULE ");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir.Path("up.png")));
  const std::string build_tree = std::filesystem::path(ACUITY_BINARY).parent_path().string();
  EXPECT_THAT(r.err, Not(HasSubstr(build_tree))) << r.err;
  EXPECT_THAT(r.err, HasSubstr("esrgan-slim")) << r.err;  // what is missing, named
  // The same copy analyses: only enhance needs what it lacks.
  EXPECT_EQ(testing::RunProgram((bin / "acuity").string(), dir.path(), {"analyze", dir.Path("small.jpg")}).exit_code, 0);
}

}  // namespace
}  // namespace acuity
