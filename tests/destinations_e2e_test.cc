// End-to-end tests of destination targets (docs/targets.md): a print seen
// from a viewing distance, marketplace presets (advise, enhance, qa on
// generated product shots) and the catalogue report of a batch.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include <fstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/product_shots.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunResult;
using testing::ScratchDir;

RunResult RunAcuity(const ScratchDir& dir, const std::vector<std::string>& args) {
  return testing::RunProgram(ACUITY_BINARY, dir.path(), args);
}

// A real photo's pixels at `size`, at their native scale (the photo
// repeated and cut, not enlarged: an enlarged photo reads as one, and its
// detail size would change what the print needs), written as PNG.
std::string WritePhoto(const ScratchDir& dir, const std::string& name, cv::Size size) {
  const cv::Mat tile = testing::LoadPhoto("astronaut");
  cv::Mat photo;
  cv::repeat(tile, (size.height + tile.rows - 1) / tile.rows, (size.width + tile.cols - 1) / tile.cols, photo);
  photo = photo(cv::Rect(cv::Point(0, 0), size)).clone();
  const std::string path = dir.Path(name);
  EXPECT_TRUE(cv::imwrite(path, photo));
  return path;
}

nlohmann::json AnalyzeJson(const ScratchDir& dir, const std::string& target, const std::string& path) {
  const RunResult r = RunAcuity(dir, {"analyze", "--json", "--target", target, path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.OutLines().size() != 1) return nlohmann::json();
  return nlohmann::json::parse(r.OutLines()[0]);
}

// The case: 1800×1440 fits 8×10 in seen from 60 cm, and needs 1.67×
// for 300 dpi; the words say so.
TEST(ViewingDistanceTest, PhotoFitsAtSixtyCentimetresButNotAt300Dpi) {
  ScratchDir dir;
  const std::string photo = WritePhoto(dir, "photo.png", {1800, 1440});
  const nlohmann::json near = AnalyzeJson(dir, "8x10in@60cm", photo);
  ASSERT_TRUE(near.is_object());
  EXPECT_EQ(near["target"]["fits"], true);
  EXPECT_NEAR(near["target"]["viewing_distance_cm"].get<double>(), 60, 1e-9);
  EXPECT_NEAR(near["target"]["required_ppi"].get<double>(), 145.5, 0.1);
  EXPECT_LE(near["target"]["required_scale"].get<double>(), 1.0);

  const nlohmann::json dpi = AnalyzeJson(dir, "8x10in@300dpi", photo);
  ASSERT_TRUE(dpi.is_object());
  EXPECT_EQ(dpi["target"]["fits"], false);
  EXPECT_NEAR(dpi["target"]["required_scale"].get<double>(), 1.667, 0.005);
  EXPECT_TRUE(dpi["target"]["viewing_distance_cm"].is_null());
  EXPECT_NEAR(dpi["target"]["required_ppi"].get<double>(), 300, 1e-9);

  // advise: no upscale step for the distance, one for 300 dpi.
  const RunResult advise_near = RunAcuity(dir, {"advise", "--json", "--target", "8x10in@60cm", photo});
  ASSERT_EQ(advise_near.exit_code, 0) << advise_near.err;
  EXPECT_THAT(advise_near.out, ::testing::Not(HasSubstr("\"op\":\"upscale\"")));
  const RunResult advise_dpi = RunAcuity(dir, {"advise", "--json", "--target", "8x10in@300dpi", photo});
  ASSERT_EQ(advise_dpi.exit_code, 0) << advise_dpi.err;
  EXPECT_THAT(advise_dpi.out, HasSubstr("\"op\":\"upscale\""));

  const RunResult text = RunAcuity(dir, {"advise", "--target", "8x10in@60cm", photo});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("at 60 cm this print is as sharp as the eye can see: no upscale needed"));
}

TEST(ViewingDistanceTest, EyeAcuityOptionAndBadSpecs) {
  ScratchDir dir;
  const std::string photo = WritePhoto(dir, "photo.png", {1800, 1440});
  const RunResult sharp_eye = RunAcuity(dir, {"analyze", "--json", "--target", "8x10in@60cm", "--eye-acuity",
                                              "0.5", photo});
  ASSERT_EQ(sharp_eye.exit_code, 0) << sharp_eye.err;
  const nlohmann::json j = nlohmann::json::parse(sharp_eye.OutLines().at(0));
  EXPECT_NEAR(j["target"]["required_ppi"].get<double>(), 291, 0.5);
  EXPECT_EQ(j["target"]["fits"], false);

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"--target", "1920x1080@60cm"}, {"--target", "8x10in@1cm"},
        {"--target", "8x10in@60cm", "--eye-acuity", "0"}, {"--eye-acuity", "1"}}) {
    std::vector<std::string> args = {"analyze"};
    args.insert(args.end(), bad.begin(), bad.end());
    args.push_back(photo);
    const RunResult r = RunAcuity(dir, args);
    EXPECT_EQ(r.exit_code, 2) << bad[1];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}


// --- Marketplace presets ---------------------------------------------------

std::string WriteShot(const ScratchDir& dir, const std::string& name, cv::Size size, double fill, int background) {
  const std::string path = dir.Path(name);
  EXPECT_TRUE(cv::imwrite(path, testing::ProductShot(size, fill, cv::Scalar::all(background))));
  return path;
}

std::set<std::string> WarningCodes(const nlohmann::json& advice) {
  std::set<std::string> codes;
  for (const auto& w : advice["plan"]["warnings"]) codes.insert(w["code"].get<std::string>());
  return codes;
}

nlohmann::json Check(const nlohmann::json& qa, const std::string& name) {
  for (const auto& c : qa["checks"])
    if (c["name"] == name) return c;
  return nlohmann::json();
}

// The case: a 500×500 product shot on white → enhance --plan auto
// --target amazon → a file that qa --target amazon passes.
TEST(MarketplaceTest, AmazonShotIsMadeAndPassesQa) {
  ScratchDir dir;
  const std::string shot = WriteShot(dir, "shot.png", {500, 500}, 0.9, 255);
  const std::string out = dir.Path("amazon.jpg");
  const RunResult made = RunAcuity(dir, {"enhance", "--plan", "auto", "--target", "amazon", "-o", out, shot});
  ASSERT_EQ(made.exit_code, 0) << made.err << made.out;
  const cv::Mat result = cv::imread(out);
  ASSERT_FALSE(result.empty());
  EXPECT_EQ(result.size(), cv::Size(2000, 2000));
  const RunResult qa = RunAcuity(dir, {"qa", "--json", "--target", "amazon", shot, out});
  EXPECT_EQ(qa.exit_code, 0) << qa.out << qa.err;
  const nlohmann::json j = nlohmann::json::parse(qa.OutLines().at(0));
  for (const char* rule : {"marketplace_size", "marketplace_background", "marketplace_product_fill",
                           "marketplace_color_space", "marketplace_format", "marketplace_file_size"}) {
    const nlohmann::json c = Check(j, rule);
    ASSERT_TRUE(c.is_object()) << rule;
    EXPECT_EQ(c["status"], "pass") << rule << ": " << c["message"];
  }
  EXPECT_NE(j["verdict"], "fail");
}

// A real Adobe RGB file, made by another program: ImageMagick converts an
// sRGB product shot into Debian's Adobe RGB (1998)-compatible profile
// (icc-profiles-free) and embeds it. For Amazon (sRGB), `enhance --plan
// auto` converts the colours back and the file says sRGB; qa
// passes the colour rule. Asked for a PNG (the advisor suggests a JPEG for
// a photo), the plan's encode step takes the format asked for and keeps the
// conversion: before, it was replaced by a bare encode step and the file
// stayed Adobe RGB.
TEST(MarketplaceTest, AnAdobeRgbFileFromAnotherProgramComesOutInSrgb) {
  const std::string icc = "/usr/share/color/icc";
  ASSERT_TRUE(std::filesystem::exists(icc + "/compatibleWithAdobeRGB1998.icc"))
      << "Debian's icc-profiles-free is missing: run ./setup.sh test";
  ScratchDir dir;
  cv::Mat shot = testing::ProductShot({500, 500}, 0.9, cv::Scalar::all(255));
  const cv::Rect red(200, 240, 40, 20), green(260, 240, 40, 20);  // saturated patches on the product
  shot(red).setTo(cv::Scalar(30, 30, 200));
  shot(green).setTo(cv::Scalar(60, 170, 40));
  ASSERT_TRUE(cv::imwrite(dir.Path("shot.png"), shot));
  const RunResult made = testing::RunProgram(
      "/usr/bin/convert", dir.path(),
      {dir.Path("shot.png"), "-profile", icc + "/sRGB.icc", "-profile", icc + "/compatibleWithAdobeRGB1998.icc",
       "-quality", "95", dir.Path("adobe.jpg")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const cv::Mat adobe = cv::imread(dir.Path("adobe.jpg"));
  // The file's own numbers are Adobe RGB's: the red patch is far from sRGB's.
  ASSERT_GT(cv::norm(cv::mean(adobe(red)) - cv::mean(shot(red))), 20);

  const std::string out = dir.Path("out.png");
  const RunResult r = RunAcuity(dir, {"enhance", "--plan", "auto", "--target", "amazon", "-o", out,
                                      dir.Path("adobe.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("the plan suggests encode jpeg"));
  EXPECT_THAT(r.out, HasSubstr("encode png, at most 10 MB, in sRGB"));
  const RunResult analysed = RunAcuity(dir, {"analyze", "--json", out});
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  EXPECT_THAT(nlohmann::json::parse(analysed.OutLines().at(0))["input"]["icc_description"].get<std::string>(),
              HasSubstr("sRGB"));
  const cv::Mat result = cv::imread(out);
  ASSERT_EQ(result.size(), cv::Size(2000, 2000));
  const double f = 2000.0 / 500;
  for (const cv::Rect& patch : {red, green}) {
    const cv::Rect inside(int((patch.x + 5) * f), int((patch.y + 5) * f), int((patch.width - 10) * f),
                          int((patch.height - 10) * f));
    EXPECT_LT(cv::norm(cv::mean(result(inside)) - cv::mean(shot(patch))), 6)
        << "the colours are the sRGB shot's again";
  }
  const RunResult qa = RunAcuity(dir, {"qa", "--json", "--target", "amazon", dir.Path("adobe.jpg"), out});
  const nlohmann::json j = nlohmann::json::parse(qa.OutLines().at(0));
  const nlohmann::json c = Check(j, "marketplace_color_space");
  ASSERT_TRUE(c.is_object()) << qa.out;
  EXPECT_EQ(c["status"], "pass") << c["message"];
  // QA compares the colours as shown: the Adobe RGB input, in sRGB, is the
  // output's colours (it failed color_bias_8bit, 8.6 levels of red, on the
  // raw numbers of the two colour spaces).
  for (const char* check : {"color_bias_8bit", "color_delta_e00_mean", "color_delta_e00_p95"})
    EXPECT_EQ(Check(j, check)["status"], "pass") << check << ": " << Check(j, check)["message"];
  EXPECT_EQ(qa.exit_code, 0) << qa.out;
}

// A print-prepared CMYK JPEG made by another program (ImageMagick's
// `-colorspace CMYK`: ink, no profile). It has no ICC profile, and it passed
// every sRGB rule as if it were sRGB. eBay wants RGB: qa of the file itself
// fails the colour rule and names the ink; `enhance --plan auto` writes a
// 3-channel JPEG with the shot's colours, which passes. Amazon accepts CMYK.
TEST(MarketplaceTest, ACmykJpegIsNotSrgbButAmazonTakesIt) {
  ScratchDir dir;
  cv::Mat shot = testing::ProductShot({1600, 1600}, 0.9, cv::Scalar::all(255));
  const cv::Rect patch(700, 760, 200, 80);
  shot(patch).setTo(cv::Scalar(40, 60, 190));
  ASSERT_TRUE(cv::imwrite(dir.Path("shot.png"), shot));
  const RunResult made = testing::RunProgram(
      "/usr/bin/convert", dir.path(), {dir.Path("shot.png"), "-colorspace", "CMYK", "-quality", "95", dir.Path("cmyk.jpg")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string cmyk = dir.Path("cmyk.jpg");
  const RunResult analysed = RunAcuity(dir, {"analyze", "--json", cmyk});
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  const nlohmann::json input = nlohmann::json::parse(analysed.OutLines().at(0))["input"];
  EXPECT_EQ(input["cmyk"], true);
  EXPECT_EQ(input["channels"], 4);
  auto color_rule = [&](const std::string& target, const std::string& output) {
    const RunResult qa = RunAcuity(dir, {"qa", "--json", "--target", target, cmyk, output});
    return Check(nlohmann::json::parse(qa.OutLines().at(0)), "marketplace_color_space");
  };
  const nlohmann::json ebay_input = color_rule("ebay", cmyk);
  EXPECT_EQ(ebay_input["status"], "fail");
  EXPECT_THAT(ebay_input["message"].get<std::string>(), HasSubstr("CMYK ink"));
  EXPECT_EQ(color_rule("amazon", cmyk)["status"], "pass");

  const std::string out = dir.Path("out.jpg");
  const RunResult r = RunAcuity(dir, {"enhance", "--plan", "auto", "--target", "ebay", "-o", out, cmyk});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const RunResult result = RunAcuity(dir, {"analyze", "--json", out});
  const nlohmann::json written = nlohmann::json::parse(result.OutLines().at(0))["input"];
  EXPECT_EQ(written["cmyk"], false);
  EXPECT_EQ(written["channels"], 3);
  EXPECT_EQ(color_rule("ebay", out)["status"], "pass");
  const cv::Mat pixels = cv::imread(out);
  const double f = double(pixels.cols) / shot.cols;
  const cv::Rect inside(int((patch.x + 20) * f), int((patch.y + 20) * f), int((patch.width - 40) * f),
                        int((patch.height - 40) * f));
  EXPECT_LT(cv::norm(cv::mean(pixels(inside)) - cv::mean(shot(patch))), 8) << "the shot's colours, read from ink";
}

// What acuity cannot fix is warned in advise and failed in qa, from the same rules.
TEST(MarketplaceTest, GreyBackgroundAndSmallProductAreWarnedAndFailed) {
  ScratchDir dir;
  const std::string grey = WriteShot(dir, "grey.png", {2000, 2000}, 0.9, 128);
  const std::string small = WriteShot(dir, "small.png", {2000, 2000}, 0.4, 255);
  const std::string large = WriteShot(dir, "large.png", {2000, 2000}, 0.97, 255);
  auto advise = [&](const std::string& path) {
    const RunResult r = RunAcuity(dir, {"advise", "--json", "--target", "amazon", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.OutLines().at(0));
  };
  EXPECT_EQ(WarningCodes(advise(grey)).count("background_not_white"), 1u);
  EXPECT_EQ(WarningCodes(advise(small)).count("product_fill_low"), 1u);
  const std::set<std::string> ok = WarningCodes(advise(large));
  EXPECT_EQ(ok.count("background_not_white") + ok.count("product_fill_low"), 0u);

  // qa: the grey shot "made" by copying it fails the background rule.
  const RunResult qa = RunAcuity(dir, {"qa", "--json", "--target", "amazon", grey, grey});
  EXPECT_EQ(qa.exit_code, 1) << qa.err;
  const nlohmann::json j = nlohmann::json::parse(qa.OutLines().at(0));
  EXPECT_EQ(Check(j, "marketplace_background")["status"], "fail");
  EXPECT_EQ(Check(j, "marketplace_format")["status"], "pass");  // PNG is accepted

  const RunResult bad = RunAcuity(dir, {"qa", "--target", "walmart", grey, grey});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("marketplace preset"));
}

// One story for a tall shot padded to Amazon's square: a wide object spans
// 90 % of the shot's width and 45 % of the square. advise judged the shot's
// own frame (no warning) while qa of the plan's own result failed the fill
// rule; now advise warns and names a crop, and qa fails what it warned of.
TEST(MarketplaceTest, AdviseAndQaJudgeThePaddedFrameAlike) {
  ScratchDir dir;
  const std::string tall = WriteShot(dir, "tall.png", {1000, 2000}, 0.9, 255);
  const RunResult advised = RunAcuity(dir, {"advise", "--json", "--target", "amazon", tall});
  ASSERT_EQ(advised.exit_code, 0) << advised.err;
  EXPECT_EQ(WarningCodes(nlohmann::json::parse(advised.OutLines().at(0))).count("product_fill_low"), 1u);
  const std::string out = dir.Path("tall.jpg");
  const RunResult made = RunAcuity(dir, {"enhance", "--plan", "auto", "--target", "amazon", "-o", out, tall});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const RunResult qa = RunAcuity(dir, {"qa", "--json", "--target", "amazon", tall, out});
  EXPECT_EQ(qa.exit_code, 1) << qa.err;
  const nlohmann::json fill = Check(nlohmann::json::parse(qa.OutLines().at(0)), "marketplace_product_fill");
  EXPECT_EQ(fill["status"], "fail");
  EXPECT_NEAR(fill["value"].get<double>(), 45, 2);
  EXPECT_EQ(Check(nlohmann::json::parse(qa.OutLines().at(0)), "marketplace_size")["status"], "pass");
}

// A batch with a marketplace target checks each result against the
// marketplace's rules, as `qa --target` does: a shot whose product fills
// 40 % of the frame passed the batch's QA (its record had no marketplace
// check; `--fail-on fail` let it through) while `qa --target amazon` failed it.
// A PNG cut-out (transparent around the product) is written as the plan
// says, a JPEG flattened onto white, named cutout.png.jpg: it was written as
// an RGBA PNG under its own name while the plan said JPEG.
TEST(MarketplaceTest, BatchQaChecksTheMarketplacesRules) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.Path("in"));
  WriteShot(dir, "in/small.jpg", {500, 500}, 0.4, 255);
  WriteShot(dir, "in/full.jpg", {500, 500}, 0.9, 255);
  cv::Mat cutout;
  const cv::Mat shot = testing::ProductShot({500, 500}, 0.9, cv::Scalar::all(255));
  cv::cvtColor(shot, cutout, cv::COLOR_BGR2BGRA);
  std::vector<cv::Mat> channels;
  cv::split(cutout, channels);
  cv::Mat background;
  cv::inRange(shot, cv::Scalar::all(250), cv::Scalar::all(255), background);
  channels[3].setTo(0, background);
  cv::merge(channels, cutout);
  ASSERT_TRUE(cv::imwrite(dir.Path("in/cutout.png"), cutout));
  const RunResult batch = RunAcuity(dir, {"batch", "--out", dir.Path("out"), "--do", "enhance", "--target",
                                          "amazon", "--fail-on", "fail", dir.Path("in")});
  EXPECT_EQ(batch.exit_code, 1) << batch.out << batch.err;  // the gate fails on the small product
  EXPECT_THAT(batch.out + batch.err, HasSubstr("small.jpg"));
  std::map<std::string, nlohmann::json> qa, output;
  std::ifstream in(dir.Path("out/results.jsonl"));
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json r = nlohmann::json::parse(line);
    qa[r["input"]["path"].get<std::string>()] = r["qa"];
    output[r["input"]["path"].get<std::string>()] = r["output"];
  }
  ASSERT_EQ(qa.size(), 3u);
  EXPECT_EQ(output["cutout.png"], dir.Path("out/cutout.png.jpg"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path("out/cutout.png")));
  const cv::Mat flattened = cv::imread(dir.Path("out/cutout.png.jpg"), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(flattened.channels(), 3);
  EXPECT_GE(cv::mean(flattened(cv::Rect(0, 0, 40, 40)))[0], 250) << "on white";
  EXPECT_EQ(qa["cutout.png"]["verdict"], "pass") << qa["cutout.png"];
  EXPECT_EQ(Check(qa["small.jpg"], "marketplace_product_fill")["status"], "fail");
  EXPECT_EQ(qa["small.jpg"]["verdict"], "fail");
  for (const char* rule : {"marketplace_size", "marketplace_background", "marketplace_product_fill",
                           "marketplace_format"})
    EXPECT_EQ(Check(qa["full.jpg"], rule)["status"], "pass") << rule << ": " << qa["full.jpg"];
}

// --- The catalogue report ------------------------------------------------

// What a catalogue should show, from a batch's records themselves: the
// records by verdict (error; the QA verdict where QA ran; else warn, fix or
// pass from the advice) and by warning code (each record once per code).
struct CatalogueCounts {
  int records = 0;
  std::map<std::string, int> verdicts, warnings;
};

CatalogueCounts CountRecords(const std::string& results_jsonl) {
  CatalogueCounts c;
  std::ifstream in(results_jsonl);
  for (std::string line; std::getline(in, line); ++c.records) {
    const nlohmann::json r = nlohmann::json::parse(line);
    if (r["status"] != "ok") {
      c.verdicts["error"]++;
      continue;
    }
    std::set<std::string> codes;
    for (const auto& w : r["analysis"]["warnings"]) codes.insert(w["code"].get<std::string>());
    for (const auto& w : r["plan"]["warnings"]) codes.insert(w["code"].get<std::string>());
    const std::string verdict = r.contains("qa") ? r["qa"]["verdict"].get<std::string>()
                                : !codes.empty()  ? "warn"
                                : !r["plan"]["steps"].empty() ? "fix"
                                                              : "pass";
    c.verdicts[verdict]++;
    for (const std::string& code : codes) c.warnings[code]++;
  }
  return c;
}

// Checks that the page shows `counts`; returns the items' data it embeds
// (null when there is none).
nlohmann::json ExpectCountsShown(const std::string& html, const CatalogueCounts& counts) {
  for (const auto& [verdict, n] : counts.verdicts)
    EXPECT_THAT(html, HasSubstr(fmt::format("<td class=\"t\">{}</td><td class=\"v\">{}</td>", verdict, n)))
        << verdict;
  for (const auto& [code, n] : counts.warnings)
    EXPECT_THAT(html, HasSubstr(fmt::format("<td class=\"t\">{}</td><td class=\"v\">{}</td>", code, n))) << code;
  const std::string data_open = "id=\"catalogue-data\">";
  const size_t at = html.find(data_open);
  EXPECT_NE(at, std::string::npos) << "no items data";
  if (at == std::string::npos) return nlohmann::json();
  const size_t end = html.find("</script>", at);
  return nlohmann::json::parse(html.substr(at + data_open.size(), end - at - data_open.size()));
}

// Headless Chromium's screenshot of the page, checked not to be blank.
cv::Mat ExpectRendered(const ScratchDir& dir, const std::string& html_path) {
  const cv::Mat png = testing::ChromiumScreenshot(html_path, cv::Size(1280, 1400), dir.path());
  EXPECT_FALSE(png.empty()) << "no screenshot";
  if (png.empty()) return png;
  cv::Mat gray;
  cv::cvtColor(png, gray, cv::COLOR_BGR2GRAY);
  cv::Scalar mean, stddev;
  cv::meanStdDev(gray, mean, stddev);
  EXPECT_GT(stddev[0], 20.0) << "screenshot looks blank";
  return png;
}

TEST(CatalogueTest, RealBatchCountsAndRenders) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.Path("in"));
  cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::resize(photo, photo, {384, 384}, 0, 0, cv::INTER_AREA);
  cv::Mat soft, noisy = photo.clone();
  cv::GaussianBlur(photo, soft, cv::Size(0, 0), 3.5);
  cv::Mat grain(photo.size(), CV_16SC3);
  cv::randn(grain, 0, 14);
  photo.convertTo(noisy, CV_16SC3);
  noisy += grain;
  noisy.convertTo(noisy, CV_8UC3);
  ASSERT_TRUE(cv::imwrite(dir.Path("in/sharp.png"), photo));
  ASSERT_TRUE(cv::imwrite(dir.Path("in/soft.png"), soft));
  ASSERT_TRUE(cv::imwrite(dir.Path("in/noisy.png"), noisy));
  ASSERT_TRUE(cv::imwrite(dir.Path("in/blocky.jpg"), photo, {cv::IMWRITE_JPEG_QUALITY, 15}));
  testing::WriteBytes(dir.Path("in/broken.jpg"), "not a jpeg");
  const RunResult batch = RunAcuity(dir, {"batch", "--out", dir.Path("out"), "--do", "advise", dir.Path("in")});
  ASSERT_NE(batch.exit_code, 2) << batch.err;
  const CatalogueCounts counts = CountRecords(dir.Path("out/results.jsonl"));
  ASSERT_EQ(counts.verdicts.at("error"), 1);

  const RunResult report = RunAcuity(dir, {"report", "--batch", dir.Path("out"), "-o", dir.Path("cat.html")});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string html = testing::ReadBytes(dir.Path("cat.html"));
  const nlohmann::json data = ExpectCountsShown(html, counts);
  // The items, worst first: the unreadable file leads; each has its thumbnail.
  ASSERT_EQ(data["items"].size(), 5u);
  EXPECT_EQ(data["items"][0]["p"], "broken.jpg");
  EXPECT_EQ(data["items"][0]["v"], "error");
  EXPECT_EQ(data["thumbs"].size(), 4u);  // every readable file
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  const cv::Mat png = ExpectRendered(dir, dir.Path("cat.html"));
  if (!png.empty()) cv::imwrite(std::string(ACUITY_BUILD_DIR) + "/catalogue_screenshot.png", png);
}

// The catalogue report at the scale it was built for: 10 000 records
// (generated by datasets/fake_catalogue.py, 20 real images for the
// thumbnails) make a page of at most 20 MB whose counts are the records'
// and which headless Chromium renders.
TEST(CatalogueTest, TenThousandRecordsStayUnderTwentyMegabytesAndRender) {
  ScratchDir dir;
  const RunResult made = testing::RunProgram(
      "/usr/bin/python3", dir.path(),
      {std::string(testing::SourceDir()) + "/datasets/fake_catalogue.py", dir.path(), "--records", "10000",
       "--images", "20"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const CatalogueCounts counts = CountRecords(dir.Path("out/results.jsonl"));
  ASSERT_EQ(counts.records, 10000);

  // From the folder the batch ran in, as the report reads each input's path.
  const RunResult report = testing::RunProgram(ACUITY_BINARY, dir.path(), {"report", "--batch", "out", "-o", "cat.html"},
                                               "cd " + testing::ShellQuote(dir.path()) + " && ");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_LE(std::filesystem::file_size(dir.Path("cat.html")), 20u * 1000 * 1000);
  const std::string html = testing::ReadBytes(dir.Path("cat.html"));
  const int errors = counts.verdicts.count("error") ? counts.verdicts.at("error") : 0;
  EXPECT_THAT(html, HasSubstr(fmt::format("10000 inputs from out · {} not processed", errors)));
  const nlohmann::json data = ExpectCountsShown(html, counts);
  EXPECT_EQ(data["items"].size(), 10000u);
  EXPECT_GT(data["thumbs"].size(), 0u);
  ExpectRendered(dir, dir.Path("cat.html"));
  // What the page's script built: the first page of 100 rows of the 10 000
  // (the rest are built as the reader pages on).
  const std::string dom = testing::ChromiumDom(dir.Path("cat.html"), dir.path());
  EXPECT_THAT(dom, HasSubstr("items 1–100 of 10000"));
  const std::string row = "<tr class=\"row\" id=\"item-";
  int rows = 0;
  for (size_t i = dom.find(row); i != std::string::npos; i = dom.find(row, i + 1))
    if (std::isdigit(static_cast<unsigned char>(dom[i + row.size()]))) ++rows;  // not the script's template
  EXPECT_EQ(rows, 100);
}

}  // namespace
}  // namespace acuity
