#include "batch/manifest.h"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/test_images.h"

namespace acuity::batch {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ScratchDir;

const BatchOptionValues kDefaults = {{"do", "analyze"}, {"plan", "auto"}};

BatchManifest Made(BatchOptionValues options, std::string version = "1.0") {
  return {std::move(version), std::move(options)};
}

TEST(OptionDifferenceTest, DefaultsFillInAndTheFirstDifferenceIsNamed) {
  EXPECT_EQ(OptionDifference({}, {{"do", "analyze"}}, kDefaults), "");
  EXPECT_EQ(OptionDifference({{"plan", "auto"}, {"target", "4k"}}, {{"target", "4k"}}, kDefaults), "");
  EXPECT_EQ(OptionDifference({{"target", "4k"}}, {{"target", "300px"}}, kDefaults),
            "--target 4k; this run has --target 300px");
  EXPECT_EQ(OptionDifference({{"do", "qa"}}, {}, kDefaults), "--do qa; this run has --do analyze");
  EXPECT_EQ(OptionDifference({}, {{"thresholds", "halo_crispness=5"}}, kDefaults),
            "--thresholds (not given); this run has --thresholds halo_crispness=5");
}

// A fit has one spelling, on both sides: a manifest that recorded
// "pad:white" (as given) matches a run whose --fit is "pad", or none where
// the target's own fit is pad.
TEST(OptionDifferenceTest, AFitHasOneSpelling) {
  const BatchOptionValues defaults = {{"fit", "pad"}};
  EXPECT_EQ(OptionDifference({{"fit", "pad:white"}}, {{"fit", "PAD"}}, {}), "");
  EXPECT_EQ(OptionDifference({{"fit", "pad:white"}}, {}, defaults), "");
  EXPECT_EQ(OptionDifference({{"fit", "pad:#FFFFFF"}}, {{"fit", "pad:black"}}, {}),
            "--fit pad; this run has --fit pad:#000000");
  EXPECT_EQ(OptionDifference({}, {{"fit", "crop"}}, defaults), "--fit pad; this run has --fit crop");
}

TEST(ClaimResultsDirTest, WritesTheManifestThenResumesOnlyWithTheSameOptions) {
  ScratchDir dir;
  const BatchManifest first = Made({{"do", "qa"}, {"target", "4k"}});
  absl::StatusOr<std::vector<std::string>> notes = ClaimResultsDir(dir.path(), first, kDefaults, {});
  ASSERT_TRUE(notes.ok()) << notes.status();
  EXPECT_THAT(*notes, IsEmpty());
  absl::StatusOr<std::optional<BatchManifest>> read = ReadManifest(dir.path());
  ASSERT_TRUE(read.ok() && read->has_value()) << read.status();
  EXPECT_EQ((*read)->options, first.options);
  EXPECT_EQ((*read)->acuity_version, "1.0");

  EXPECT_TRUE(ClaimResultsDir(dir.path(), first, kDefaults, {}).ok());
  const absl::StatusOr<std::vector<std::string>> other =
      ClaimResultsDir(dir.path(), Made({{"do", "qa"}, {"target", "300px"}}), kDefaults, {});
  ASSERT_TRUE(absl::IsFailedPrecondition(other.status())) << other.status();
  EXPECT_THAT(other.status().message(), HasSubstr("--target 4k; this run has --target 300px"));
  // The manifest is left as it was.
  EXPECT_EQ((*ReadManifest(dir.path()))->options, first.options);

  const absl::StatusOr<std::vector<std::string>> newer = ClaimResultsDir(dir.path(), Made(first.options, "2.0"), kDefaults, {});
  ASSERT_TRUE(newer.ok()) << newer.status();
  ASSERT_EQ(newer->size(), 1u);
  EXPECT_THAT((*newer)[0], HasSubstr("made by acuity 1.0, this is acuity 2.0"));
}

TEST(ClaimResultsDirTest, ResultsWithoutAManifestAreCheckedByTheirDo) {
  ScratchDir dir;
  const std::vector<nlohmann::json> records = {{{"input", {{"path", "a.jpg"}}}, {"do", "advise"}}};
  const absl::StatusOr<std::vector<std::string>> refused =
      ClaimResultsDir(dir.path(), Made({{"do", "qa"}}), kDefaults, records);
  ASSERT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr("--do advise; this run has --do qa"));
  EXPECT_FALSE(std::filesystem::exists(dir.Path(kManifestFileName)));

  const absl::StatusOr<std::vector<std::string>> adopted =
      ClaimResultsDir(dir.path(), Made({{"do", "advise"}, {"target", "4k"}}), kDefaults, records);
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  ASSERT_EQ(adopted->size(), 1u);
  EXPECT_THAT((*adopted)[0], HasSubstr("did not record its options"));
  EXPECT_EQ((*ReadManifest(dir.path()))->options.at("target"), "4k");
}

TEST(ClaimResultsDirTest, AManifestThatIsNotOneAndAnUnwritableDirAreErrors) {
  ScratchDir dir;
  testing::WriteBytes(dir.Path(kManifestFileName), "{not json");
  EXPECT_TRUE(absl::IsFailedPrecondition(ClaimResultsDir(dir.path(), Made({}), kDefaults, {}).status()));
  // A "directory" that is a regular file: the OS's reason comes back.
  testing::WriteBytes(dir.Path("file"), "x");
  const absl::Status s = ClaimResultsDir(dir.Path("file"), Made({}), kDefaults, {}).status();
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("Not a directory"));
}

TEST(FormatOptionsTest, AsACommandLine) {
  EXPECT_EQ(FormatOptions({{"do", "qa"}, {"target", "4k"}}), "--do qa --target 4k");
  EXPECT_EQ(FormatOptions({}), "");
}

}  // namespace
}  // namespace acuity::batch
