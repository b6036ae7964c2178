#include "analysis/measurements/warning.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// Every warning the sources give — `warnings.push_back({"code", …`,
// `Warning{"code", …`, `warning_code = "code"`, a function returning a
// Warning that starts `return {"code", …` — is in kWarningCodes, so
// that `batch --fail-on` can refuse a code that does not exist.
TEST(WarningTest, EveryCodeTheSourcesGiveIsListed) {
  const std::regex given(R"re((?:warnings\.push_back\(\s*\{|Warning\{|warning_code = |\nWarning \w+\([^)]*\) \{\s*return \{)\s*"([a-z0-9_]+)")re");
  std::set<std::string> found;
  for (const char* dir : {"analysis", "batch", "enhance", "cli", "report", "viewer"}) {
    const std::filesystem::path root = std::filesystem::path(testing::SourceDir()) / dir;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".cc" || name.find("_test") != std::string::npos) continue;
      const std::string text = testing::ReadBytes(entry.path().string());
      for (std::sregex_iterator m(text.begin(), text.end(), given), end; m != end; ++m) {
        found.insert((*m)[1]);
        EXPECT_TRUE(IsWarningCode((*m)[1].str())) << (*m)[1] << " in " << entry.path();
      }
    }
  }
  // The search finds the sources' warnings at all (the advisor's, the target fit's, the marketplace rules').
  for (const char* code : {"heavy_jpeg", "scale_above_4x", "product_fill_low", "small_face"})
    EXPECT_EQ(found.count(code), 1u) << code;
}

// The guide's list of warnings (docs/guide.md) names every code: it had
// fallen behind by seven.
TEST(WarningTest, TheGuideNamesEveryCode) {
  const std::string guide = testing::ReadBytes(std::string(testing::SourceDir()) + "/docs/guide.md");
  ASSERT_FALSE(guide.empty());
  for (std::string_view code : kWarningCodes)
    EXPECT_NE(guide.find("`" + std::string(code) + "`"), std::string::npos) << code;
}

TEST(WarningTest, CodesAreSnakeCaseAndDistinct) {
  std::set<std::string_view> seen;
  for (std::string_view code : kWarningCodes) {
    EXPECT_TRUE(seen.insert(code).second) << code;
    EXPECT_EQ(code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string_view::npos) << code;
  }
  EXPECT_FALSE(IsWarningCode("background_not_whte"));
}

}  // namespace
}  // namespace acuity
