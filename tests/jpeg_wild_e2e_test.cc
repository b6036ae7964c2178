// End-to-end tests of issue 17's JPEG examples: files whose quantization
// tables are not IJG's (IJG quality 25 with 2–3 added to every seventh entry;
// smooth, coarse custom tables 60–144), and their PNG re-saves. `acuity
// analyze` reads their equivalent quality (ImageMagick's %Q says 92 for
// both), from the tables or from the pixels, and `acuity advise` deblocks.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "tests/testing/non_ijg_tables.h"
#include "tests/testing/run_program.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

// Equivalent quality of the examples' tables (equivalent_quality.h), and how
// far a reading may be: from the tables it is the definition (to 0.1); from
// the pixels the evaluation's MAE target.
constexpr double kPerturbedQ25Equivalent = 24.9;
constexpr double kSmoothCoarseEquivalent = 27.1;
constexpr double kFromTablesTolerance = 0.1;
constexpr double kFromPixelsTolerance = 8.0;

struct Example {
  std::string name;
  double equivalent_quality;
  std::vector<std::array<uint16_t, 64>> tables;
};

// The JPEG and its PNG re-save, written into `dir`: a 451×300 photo.
void WriteExample(const testing::ScratchDir& dir, const Example& e) {
  cv::Mat photo = testing::LoadPhoto("chelsea");
  cv::resize(photo, photo, cv::Size(451, 300), 0, 0, cv::INTER_AREA);
  JpegEncodeOptions options;
  options.quant_tables = e.tables;
  absl::StatusOr<std::string> bytes = EncodeJpeg(photo, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  testing::WriteBytes(dir.Path(e.name + ".jpg"), *bytes);
  absl::StatusOr<JpegDecoded> decoded = DecodeJpeg(*bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(cv::imwrite(dir.Path(e.name + ".png"), decoded->pixels));
}

json RunJson(const testing::ScratchDir& dir, const std::vector<std::string>& args) {
  const testing::RunResult r = testing::RunProgram(ACUITY_BINARY, dir.path(), args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.OutLines().empty() ? json() : json::parse(r.OutLines()[0], nullptr, false);
}

bool PlansDeblock(const json& advice) {
  if (!advice.contains("plan")) return false;
  for (const json& step : advice["plan"]["steps"])
    if (step["op"] == "deblock") return true;
  return false;
}

TEST(JpegWildE2eTest, IssueExamplesReadTheirEquivalentQualityAndAreDeblocked) {
  testing::ScratchDir dir;
  const std::vector<Example> examples = {
      {"perturbed_q25", kPerturbedQ25Equivalent, testing::PerturbedIjgTables(25)},
      {"smooth_coarse", kSmoothCoarseEquivalent, testing::SmoothCoarseTables()}};
  for (const Example& e : examples) {
    WriteExample(dir, e);
    for (const char* ext : {".jpg", ".png"}) {
      const std::string file = dir.Path(e.name + ext);
      const bool jpeg = std::string(ext) == ".jpg";
      const json a = RunJson(dir, {"analyze", "--json", file});
      ASSERT_TRUE(a.contains("compression")) << file;
      const json& c = a["compression"];
      ASSERT_TRUE(c["jpeg_quality_estimate"].is_number()) << file << ": " << c;
      EXPECT_NEAR(c["jpeg_quality_estimate"].get<double>(), e.equivalent_quality,
                  jpeg ? kFromTablesTolerance : kFromPixelsTolerance)
          << file;
      EXPECT_EQ(c["quality_source"], jpeg ? "quant_tables" : "pixels") << file;
      if (jpeg) {
        EXPECT_EQ(c["tables"], "other");
      }

      const testing::RunResult text = testing::RunProgram(ACUITY_BINARY, dir.path(), {"analyze", file});
      EXPECT_EQ(text.exit_code, 0) << text.err;
      EXPECT_THAT(text.out, Not(HasSubstr("no sign of JPEG")));
      if (jpeg) {
        EXPECT_THAT(text.out, HasSubstr("equivalent quality")) << text.out;
      }

      EXPECT_TRUE(PlansDeblock(RunJson(dir, {"advise", "--json", file}))) << file;
    }
  }
}

}  // namespace
}  // namespace acuity
