// The `analyze --json` contract (docs/json.md, from the
// design's "analyze JSON fields"): every field name listed there is present, with its JSON type
// (number or null, bool, string enum) and a value in its unit, on a JPEG and
// on a PNG. Names and units there are relied upon: extend, never rename.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/compression_tables.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using nlohmann::json;
using ::testing::AnyOf;
using ::testing::Eq;
using testing::ScratchDir;

constexpr double kPngBlurPx = 2.0;          // Gaussian blur added to the PNG, px
constexpr double kPngNoiseSigma8bit = 6.0;  // Gaussian noise added to the PNG, 8-bit levels

cv::Mat Photo() {
  cv::Mat photo = testing::LoadPhoto("astronaut");
  cv::resize(photo, photo, cv::Size(600, 400), 0, 0, cv::INTER_AREA);
  return photo;
}

std::string Jpeg(const cv::Mat& pixels, const JpegEncodeOptions& options) {
  absl::StatusOr<std::string> bytes = EncodeJpeg(pixels, options);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

// The photo blurred and made noisy by known amounts, as 8-bit.
cv::Mat SoftNoisyPhoto() {
  cv::Mat soft, noise(Photo().size(), CV_32FC3);
  cv::GaussianBlur(Photo(), soft, cv::Size(0, 0), kPngBlurPx);
  soft.convertTo(soft, CV_32FC3);
  cv::theRNG().state = 11;
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(kPngNoiseSigma8bit));
  cv::Mat out;
  cv::Mat(soft + noise).convertTo(out, CV_8UC3);
  return out;
}

// Runs `analyze --json --target 8x10in@300dpi` on each file; one object each.
std::vector<json> Analyze(const ScratchDir& dir, const std::vector<std::string>& files) {
  std::vector<std::string> args = {"analyze", "--json", "--target", "8x10in@300dpi"};
  args.insert(args.end(), files.begin(), files.end());
  const testing::RunResult r = testing::RunProgram(ACUITY_BINARY, dir.path(), args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<json> out;
  for (const std::string& line : r.OutLines()) out.push_back(json::parse(line));
  EXPECT_EQ(out.size(), files.size()) << r.out;
  return out;
}

const json& Field(const json& j, const std::string& group, const std::string& name) {
  static const json kMissing = "missing";
  if (!j.contains(group) || !j[group].is_object() || !j[group].contains(name)) {
    ADD_FAILURE() << group << "." << name << " is missing";
    return kMissing;
  }
  return j[group][name];
}

// A number within [low, high] (units), or null when `nullable`.
void ExpectNumber(const json& j, const std::string& group, const std::string& name, double low,
                  double high, bool nullable = true) {
  const json& v = Field(j, group, name);
  if (v.is_null() && nullable) return;
  ASSERT_TRUE(v.is_number()) << group << "." << name << " = " << v;
  EXPECT_GE(v.get<double>(), low) << group << "." << name;
  EXPECT_LE(v.get<double>(), high) << group << "." << name;
}

void ExpectInteger(const json& j, const std::string& group, const std::string& name, int value) {
  const json& v = Field(j, group, name);
  ASSERT_TRUE(v.is_number_integer()) << group << "." << name << " = " << v;
  EXPECT_EQ(v.get<int>(), value) << group << "." << name;
}

// Every field DESIGN.md lists, with its type and unit range; the
// file-specific values are checked by the tests.
void ExpectContract(const json& j, const std::string& path, const std::string& format) {
  EXPECT_EQ(Field(j, "input", "path"), path);
  EXPECT_EQ(Field(j, "input", "format"), format);
  ExpectInteger(j, "input", "width", 600);
  ExpectInteger(j, "input", "height", 400);
  ExpectInteger(j, "input", "channels", 3);
  ExpectInteger(j, "input", "bit_depth", 8);
  ExpectNumber(j, "input", "dpi", 1, 10000);
  EXPECT_TRUE(Field(j, "input", "raw").is_null()) << "raw is set for camera RAW files only";

  // 8×10 in at 300 dpi turned to follow the landscape image: 3000×2400 px,
  // 6× the image's 400 px height; it prints at 50 dpi today.
  ExpectInteger(j, "target", "width_px", 3000);
  ExpectInteger(j, "target", "height_px", 2400);
  ExpectNumber(j, "target", "required_scale", 6.0, 6.0, /*nullable=*/false);
  ExpectNumber(j, "target", "effective_dpi", 50.0, 50.0, /*nullable=*/false);
  EXPECT_TRUE(Field(j, "target", "fits").is_boolean());
  EXPECT_EQ(Field(j, "target", "fits"), false);
  // A print is cropped to its aspect (5:4 of the 3:2 image: 500×400 px kept),
  // the factor is for what is kept, the output exactly the print's pixels.
  EXPECT_EQ(Field(j, "target", "fit"), "crop");
  EXPECT_EQ(Field(j, "target", "kept")["width_px"], 500);
  EXPECT_EQ(Field(j, "target", "kept")["height_px"], 400);
  ExpectInteger(j, "target", "output_width_px", 3000);
  ExpectInteger(j, "target", "output_height_px", 2400);

  ExpectNumber(j, "sharpness", "blur_sigma_px", 0.2, 10);
  ExpectNumber(j, "noise", "sigma", 0, 255);
  ExpectNumber(j, "noise", "luma_sigma", 0, 255);
  ExpectNumber(j, "noise", "chroma_sigma", 0, 255);

  ExpectNumber(j, "compression", "jpeg_quality_estimate", 1, 100);
  const json& source = Field(j, "compression", "quality_source");
  EXPECT_THAT(source.is_string() ? source.get<std::string>() : "",
              AnyOf(Eq("quant_tables"), Eq("pixels"), Eq("none")));
  ExpectNumber(j, "compression", "blockiness", 0, 255);
  const json& tables = Field(j, "compression", "tables");
  if (source == "quant_tables") {
    EXPECT_THAT(tables.is_string() ? tables.get<std::string>() : "", AnyOf(Eq("ijg"), Eq("other")));
  } else {
    EXPECT_TRUE(tables.is_null()) << "tables without quantization tables: " << tables;
  }
  EXPECT_EQ(Field(j, "compression", "jpeg_quality_estimate").is_null(), source == "none");
  const json& estimated = Field(j, "compression", "estimated_tables");
  if (source == "pixels") {
    EXPECT_THAT(estimated.is_string() ? estimated.get<std::string>() : "", AnyOf(Eq("ijg"), Eq("other")));
  } else {
    EXPECT_TRUE(estimated.is_null()) << "estimated_tables without a pixel estimate: " << estimated;
  }

  ExpectNumber(j, "oversharpening", "halo_score", 0, 1000);
  ExpectNumber(j, "oversharpening", "overshoot_pct", 0, 100);
  const json& detected = Field(j, "oversharpening", "detected");
  EXPECT_TRUE(detected.is_boolean() || detected.is_null()) << detected;

  ExpectNumber(j, "resolution", "native_scale", 0.05, 1.0);

  // Motion blur: the dip's score and its echo come together (the echo says
  // why a deep dip is not reported).
  ExpectNumber(j, "motion_blur", "score", -1000, 1000);
  ExpectNumber(j, "motion_blur", "echo_score", -1000, 1000);
  EXPECT_EQ(Field(j, "motion_blur", "score").is_null(), Field(j, "motion_blur", "echo_score").is_null());
  EXPECT_EQ(Field(j, "motion_blur", "score").is_null(), Field(j, "motion_blur", "echo_of_shorter_smear").is_null());
  EXPECT_EQ(Field(j, "motion_blur", "score").is_null(),
            Field(j, "motion_blur", "shorter_than_native_pixels").is_null());
  EXPECT_EQ(Field(j, "motion_blur", "score").is_null(), Field(j, "motion_blur", "unwitnessed").is_null());
  // Halos: `drawn_content` is true (drawn content, nothing read) or null.
  const json& drawn = Field(j, "oversharpening", "drawn_content");
  EXPECT_TRUE(drawn.is_null() || drawn == true) << drawn;
  EXPECT_TRUE(drawn.is_null() || Field(j, "oversharpening", "halo_score").is_null());
  // The falloff ratio (the second vote) is a ratio of powers, or null.
  const json& falloff = Field(j, "motion_blur", "falloff_ratio");
  EXPECT_TRUE(falloff.is_null() || (falloff.is_number() && falloff.get<double>() >= 0)) << falloff;
}

TEST(AnalyzeJsonTest, JpegAndPngFollowTheContract) {
  ScratchDir dir;
  JpegEncodeOptions ijg;
  ijg.quality = 85;
  ijg.dpi = 240;
  testing::WriteBytes(dir.Path("photo.jpg"), Jpeg(Photo(), ijg));
  JpegEncodeOptions custom;  // Photoshop-like: Annex K flattened, no IJG quality
  for (bool chroma : {false, true}) {
    std::array<uint16_t, 64> table = IjgQuantTable(50, chroma);
    for (int k = 0; k < 64; ++k) table[k] = uint16_t(4 + table[k] / 3 + k % 3);
    custom.quant_tables.push_back(table);
  }
  testing::WriteBytes(dir.Path("custom.jpg"), Jpeg(Photo(), custom));
  ASSERT_TRUE(cv::imwrite(dir.Path("soft.png"), SoftNoisyPhoto()));

  const std::vector<json> r =
      Analyze(dir, {dir.Path("photo.jpg"), dir.Path("custom.jpg"), dir.Path("soft.png")});
  ASSERT_EQ(r.size(), 3u);
  const json &jpeg = r[0], &custom_jpeg = r[1], &png = r[2];
  ExpectContract(jpeg, dir.Path("photo.jpg"), "jpeg");
  ExpectContract(custom_jpeg, dir.Path("custom.jpg"), "jpeg");
  ExpectContract(png, dir.Path("soft.png"), "png");

  // A JPEG file: the exact IJG quality from its tables; dpi from JFIF.
  EXPECT_EQ(jpeg["compression"]["quality_source"], "quant_tables");
  EXPECT_EQ(jpeg["compression"]["jpeg_quality_estimate"], 85.0);
  EXPECT_EQ(jpeg["compression"]["tables"], "ijg");
  EXPECT_EQ(jpeg["input"]["dpi"], 240.0);
  EXPECT_EQ(custom_jpeg["compression"]["quality_source"], "quant_tables");
  EXPECT_EQ(custom_jpeg["compression"]["tables"], "other");
  EXPECT_TRUE(custom_jpeg["compression"]["jpeg_quality_estimate"].is_number());

  // A PNG: no tables; no DPI recorded; blur in px and noise in 8-bit levels
  // near what was added; a native image.
  EXPECT_NE(png["compression"]["quality_source"], "quant_tables");
  EXPECT_TRUE(png["compression"]["tables"].is_null());
  EXPECT_TRUE(png["input"]["dpi"].is_null());
  ASSERT_TRUE(png["sharpness"]["blur_sigma_px"].is_number());
  EXPECT_NEAR(png["sharpness"]["blur_sigma_px"].get<double>(), kPngBlurPx, 0.7);
  ASSERT_TRUE(png["noise"]["sigma"].is_number());
  EXPECT_NEAR(png["noise"]["sigma"].get<double>(), kPngNoiseSigma8bit, 1.5);
  ASSERT_TRUE(png["resolution"]["native_scale"].is_number());
  EXPECT_GT(png["resolution"]["native_scale"].get<double>(), 0.9);
  ASSERT_TRUE(jpeg["oversharpening"]["detected"].is_boolean());
}

// Found by fuzzing (parse_steps_fuzzer, docs/fuzzing.md): text that is not
// UTF-8 made nlohmann's dump() throw, and `analyze --json` of a file whose
// name is Latin-1 aborted (exit 134). Each bad byte is now U+FFFD.
TEST(AnalyzeJsonTest, FileNameThatIsNotUtf8IsReplacedNotFatal) {
  ScratchDir dir;
  const std::string name = dir.Path("caf\xE9.jpg");  // Latin-1 é
  testing::WriteBytes(name, Jpeg(Photo(), JpegEncodeOptions{}));
  const std::vector<json> r = Analyze(dir, {name});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["input"]["path"], dir.Path("caf\xEF\xBF\xBD.jpg"));
}

}  // namespace
}  // namespace acuity
