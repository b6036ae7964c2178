// End-to-end tests of `acuity qa`: runs the real binary on enhancement
// results made from real photos — acuity's own enhancement (which must pass)
// and deliberately bad outputs (which must fail, on the check made for their
// defect) — and checks stdout (JSON and text), the maps, stderr and the exit
// codes. The models come from <build>/models (./setup.sh).

#include <regex>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/measurements/quality_metrics.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDir;

using testing::RunResult;
using testing::UnsharpMask;

RunResult RunAcuity(const ScratchDir& dir, const std::vector<std::string>& args) {
  return testing::RunProgram(ACUITY_BINARY, dir.path(), args);
}

// Parses stdout as exactly one JSON object on one line.
nlohmann::json OneJsonLine(const RunResult& r) {
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(j.is_object()) << r.out;
  return j;
}

std::string Status(const nlohmann::json& report, const std::string& check) {
  for (const auto& c : report["checks"])
    if (c["name"] == check) return c["status"];
  ADD_FAILURE() << "no check " << check << " in " << report.dump();
  return "";
}

cv::Mat AreaHalf(const cv::Mat& image) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(image.cols / 2, image.rows / 2), 0, 0, cv::INTER_AREA);
  return out;
}

cv::Mat Lanczos2(const cv::Mat& image) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(), 2, 2, cv::INTER_LANCZOS4);
  return out;
}

cv::Mat PasteNoise(const cv::Mat& bgr, cv::Rect region) {
  cv::Mat noise(region.height / 2 + 1, region.width / 2 + 1, CV_32F);
  cv::RNG(99).fill(noise, cv::RNG::NORMAL, 0, 8);
  cv::resize(noise, noise, cv::Size(), 2, 2, cv::INTER_NEAREST);
  cv::Mat out = bgr.clone(), patch;
  out(region).convertTo(patch, CV_32FC3);
  cv::Mat noise3;
  cv::merge(std::vector<cv::Mat>(3, noise(cv::Rect(0, 0, region.width, region.height))), noise3);
  cv::Mat(patch + noise3).convertTo(out(region), CV_8UC3);
  return out;
}

class QaE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    truth_ = testing::LoadPhoto("coffee");
    ASSERT_FALSE(truth_.empty());
    input_ = AreaHalf(truth_);  // 300×200: a clean input; the photo is its ground truth
    plain_ = Lanczos2(input_);
    ASSERT_TRUE(cv::imwrite(dir_.Path("input.png"), input_));
    ASSERT_TRUE(cv::imwrite(dir_.Path("truth.png"), truth_));
  }
  std::string Write(const std::string& name, const cv::Mat& image) {
    EXPECT_TRUE(cv::imwrite(dir_.Path(name), image));
    return dir_.Path(name);
  }
  ScratchDir dir_;
  cv::Mat truth_, input_, plain_;
};

TEST_F(QaE2eTest, AcuitysOwnEnhancementPasses) {
  const RunResult enhanced = RunAcuity(
      dir_, {"enhance", "--steps", "upscale:2:esrgan-slim,sharpen:0.4", "-o", dir_.Path("enhanced.png"),
             dir_.Path("input.png")});
  if (enhanced.exit_code != 0 && enhanced.err.find("model") != std::string::npos)
    GTEST_SKIP() << "no esrgan-slim model in the build directory (./setup.sh): " << enhanced.err;
  ASSERT_EQ(enhanced.exit_code, 0) << enhanced.err;

  const RunResult r = RunAcuity(dir_, {"qa", "--json", dir_.Path("input.png"), dir_.Path("enhanced.png")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = OneJsonLine(r);
  EXPECT_EQ(j["verdict"], "pass") << j.dump(1);
  for (const auto& c : j["checks"]) EXPECT_EQ(c["status"], "pass") << c.dump();
  EXPECT_EQ(j["input"]["width"], 300);
  EXPECT_EQ(j["output"]["width"], 600);
  EXPECT_DOUBLE_EQ(j["metrics"]["scale_x"].get<double>(), 2.0);
  EXPECT_FALSE(j.contains("reference"));
}

TEST_F(QaE2eTest, BadOutputsFailOnTheRightCheck) {
  cv::Mat colour;
  cv::add(plain_, cv::Scalar(-8, 0, 12), colour);
  cv::Mat blurred;
  cv::GaussianBlur(plain_, blurred, cv::Size(), 3.0);
  const struct {
    const char* file;
    cv::Mat output;
    const char* check;
  } cases[] = {
      {"oversharpened.png", UnsharpMask(plain_, 3.0, 1.5), "halo_overshoot_pct"},
      {"colour.png", colour, "color_bias_8bit"},
      {"seams.png", testing::TileSeams(plain_, 64), "tile_seam_strength"},
      {"blurred.png", blurred, "detail_retained"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    const RunResult r = RunAcuity(dir_, {"qa", "--json", dir_.Path("input.png"), Write(c.file, c.output)});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const nlohmann::json j = OneJsonLine(r);
    EXPECT_EQ(j["verdict"], "fail");
    EXPECT_EQ(Status(j, c.check), "fail") << j.dump(1);
  }
}

TEST_F(QaE2eTest, FakeTextureInTheSkyFails) {
  const cv::Mat rocket = testing::LoadPhoto("rocket");
  ASSERT_FALSE(rocket.empty());
  const cv::Mat input = AreaHalf(rocket(cv::Rect(0, 0, 640, 426)));
  Write("rocket.png", input);
  const std::string out = Write("rocket_x2.png", PasteNoise(Lanczos2(input), cv::Rect(100, 10, 440, 100)));
  const RunResult r = RunAcuity(dir_, {"qa", "--json", "--maps", dir_.Path("maps"), dir_.Path("rocket.png"), out});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json j = OneJsonLine(r);
  EXPECT_EQ(Status(j, "fake_texture_pct"), "fail") << j.dump(1);
  EXPECT_EQ(Status(j, "halo_overshoot_pct"), "pass");
  EXPECT_EQ(Status(j, "color_bias_8bit"), "pass");
  // The fake-texture map is hottest over the pasted sky.
  const cv::Mat map = cv::imread(dir_.Path("maps/rocket_x2.fake_texture.png"), cv::IMREAD_GRAYSCALE);
  ASSERT_FALSE(map.empty());
  EXPECT_EQ(map.size(), cv::Size(640, 426));
  cv::Mat outside = cv::Mat::ones(map.size(), CV_8U);
  outside(cv::Rect(100, 10, 440, 100)).setTo(0);
  EXPECT_GT(cv::mean(map(cv::Rect(100, 10, 440, 100)))[0], 2 * cv::mean(map, outside)[0]);
}

TEST_F(QaE2eTest, TextOutputReferenceAndMaps) {
  const std::string out = Write("oversharpened.png", UnsharpMask(plain_, 3.0, 1.5));
  RunResult r = RunAcuity(dir_, {"qa", "--reference", dir_.Path("truth.png"), "--maps", dir_.Path("maps"),
                                 dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("verdict  FAIL"));
  EXPECT_THAT(r.out, HasSubstr("fail  halo_overshoot_pct"));
  EXPECT_THAT(r.out, HasSubstr("PSNR-Y"));
  for (const char* name : {"delta_e", "halo", "fake_texture", "detail_loss", "ssim_loss"}) {
    const cv::Mat map = cv::imread(dir_.Path(std::string("maps/oversharpened.") + name + ".png"));
    ASSERT_FALSE(map.empty()) << name;
    EXPECT_EQ(map.size(), plain_.size()) << name;
  }

  // A check not measured (the clean input has no noise to paint over) is not
  // called a pass in the text: "—" where its status goes.
  const RunResult plain = RunAcuity(dir_, {"qa", dir_.Path("input.png"), Write("plain.png", plain_)});
  EXPECT_THAT(plain.out, ::testing::ContainsRegex("\n  —     painted_flat_pct +not measured"));
  EXPECT_THAT(plain.out, Not(::testing::ContainsRegex("pass  [a-z_]+ +not measured")));

  r = RunAcuity(dir_, {"qa", "--json", "--reference", dir_.Path("truth.png"), dir_.Path("input.png"), out});
  const nlohmann::json j = OneJsonLine(r);
  EXPECT_EQ(j["reference"]["path"], dir_.Path("truth.png"));
  const FullReferenceMetrics expected =
      CompareWithReference(truth_, cv::imread(out, cv::IMREAD_COLOR), /*border_px=*/2);
  const auto& ref = j["metrics"]["reference"];
  EXPECT_EQ(ref["border_px"], 2);
  EXPECT_NEAR(ref["psnr_y_db"].get<double>(), expected.psnr_y_db, 1e-3);
  EXPECT_NEAR(ref["ssim"].get<double>(), expected.ssim, 1e-4);
  EXPECT_NEAR(ref["ms_ssim"].get<double>(), expected.ms_ssim, 1e-4);
  EXPECT_NEAR(ref["gmsd"].get<double>(), expected.gmsd, 1e-4);
}

// --report writes one self-contained page that names the verdict and the
// failing check, shows a before/after slider and the QA maps, and renders in
// a real browser; it never replaces an input.
TEST_F(QaE2eTest, HtmlReportShowsVerdictSliderAndMaps) {
  const std::string out = Write("colour.png", [&] {
    cv::Mat colour;
    cv::add(plain_, cv::Scalar(-8, 0, 12), colour);
    return colour;
  }());
  const std::string page = dir_.Path("qa.html");
  RunResult r = RunAcuity(dir_, {"qa", "--report", page, dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  const std::string html = testing::ReadBytes(page);
  ASSERT_FALSE(html.empty());
  EXPECT_THAT(html, HasSubstr("QA verdict: <span class=\"badge poor\">fail</span>"));
  EXPECT_THAT(html, HasSubstr("color_bias_8bit</td><td><span class=\"badge poor\">fail"));
  EXPECT_THAT(html, HasSubstr("class=\"slider\""));
  EXPECT_THAT(html, HasSubstr("Tones after</h3><svg"));
  for (const char* map : {"delta_e", "halo", "fake_texture", "detail_loss"}) EXPECT_THAT(html, HasSubstr(std::string("data-map=\"") + map));
  std::regex external(R"((src|href)\s*=\s*"(?!data:)[^"]*")");
  EXPECT_FALSE(std::regex_search(html, external)) << "the report refers to an external resource";

  // Rendered by chromium into a non-blank page.
  const cv::Mat png = testing::ChromiumScreenshot(page, cv::Size(1280, 1200), dir_.path());
  ASSERT_FALSE(png.empty());
  cv::Mat gray;
  cv::cvtColor(png, gray, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, stddev;
  cv::meanStdDev(gray, mean, stddev);
  EXPECT_GT(stddev[0], 20.0) << "screenshot looks blank";
  cv::imwrite(std::string(ACUITY_BUILD_DIR) + "/qa_report_screenshot.png", png);

  // Refuses to write the report over an input.
  const std::string before = testing::ReadBytes(out);
  r = RunAcuity(dir_, {"qa", "--report", out, dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("would overwrite an input"));
  EXPECT_EQ(testing::ReadBytes(out), before);
}

TEST_F(QaE2eTest, ThresholdsCanBeOverridden) {
  cv::Mat colour;
  cv::add(plain_, cv::Scalar(-8, 0, 12), colour);
  const std::string out = Write("colour.png", colour);
  RunResult r = RunAcuity(dir_, {"qa", "--json", dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 1);
  r = RunAcuity(dir_, {"qa", "--json", "--thresholds",
                       "color_bias_8bit=20,color_bias_8bit.fail=30,color_delta_e00_mean=10,"
                       "color_delta_e00_mean.fail=20,color_delta_e00_p95=20,color_delta_e00_p95.fail=30",
                       dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = OneJsonLine(r);
  EXPECT_NE(j["verdict"], "fail");
  for (const auto& c : j["checks"]) {
    if (c["name"] == "color_bias_8bit") {
      EXPECT_EQ(c["threshold"], 20.0);
    }
  }
}

TEST_F(QaE2eTest, UsageAndInputErrors) {
  const std::string out = Write("plain.png", plain_);
  EXPECT_EQ(RunAcuity(dir_, {"qa", "--help"}).exit_code, 0);
  RunResult r = RunAcuity(dir_, {"qa", dir_.Path("input.png")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("INPUT and OUTPUT"));
  EXPECT_EQ(RunAcuity(dir_, {"qa", "--no-such-option", dir_.Path("input.png"), out}).exit_code, 2);
  r = RunAcuity(dir_, {"qa", "--thresholds", "bogus=1", dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown threshold 'bogus'"));
  r = RunAcuity(dir_, {"qa", "--reference", dir_.Path("input.png"), dir_.Path("input.png"), out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("same size"));
  r = RunAcuity(dir_, {"qa", dir_.Path("missing.png"), out});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("missing.png"));
  EXPECT_TRUE(r.out.empty());
  testing::WriteBytes(dir_.Path("not_an_image.png"), "hello");
  EXPECT_EQ(RunAcuity(dir_, {"qa", dir_.Path("input.png"), dir_.Path("not_an_image.png")}).exit_code, 3);
  // A plain Lanczos enlargement is not a failure.
  EXPECT_EQ(RunAcuity(dir_, {"qa", dir_.Path("input.png"), out}).exit_code, 0);
}

}  // namespace
}  // namespace acuity
