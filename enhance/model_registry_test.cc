#include "enhance/model_registry.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "analysis/io/lazy_module.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

const char* const kModelDir = ACUITY_TEST_MODEL_DIR;

TEST(ModelRegistryTest, FindsEveryPinnedModelWithItsSidecar) {
  for (const std::string& name : BuiltinModelNames()) {
    for (int scale : BuiltinModelScales(name)) {
      absl::StatusOr<ModelSpec> spec = FindModel(name, scale, kModelDir);
      ASSERT_TRUE(spec.ok()) << spec.status();
      EXPECT_EQ(spec->scale, scale);
      EXPECT_EQ(spec->name, name);
      EXPECT_TRUE(spec->builtin);
      const bool rdn = name == "esrgan-slim" || name == "esrgan-medium";  // 0–255 models
      EXPECT_EQ(spec->input_range, rdn ? 255.0 : 1.0);
      EXPECT_EQ(spec->output_range, rdn ? 255.0 : 1.0);
      EXPECT_GT(spec->receptive_radius_px, 0);
    }
    EXPECT_EQ(AvailableScales(name, kModelDir), BuiltinModelScales(name));
  }
}

TEST(ModelRegistryTest, PinnedModelsAndTheirScales) {
  EXPECT_EQ(BuiltinModelNames(),
            (std::vector<std::string>{"esrgan-slim", "esrgan-medium", "esrgan-thick",
                                      "realesr-general-x4v3", "realesrgan-x4plus"}));
  for (const char* esrgan : {"esrgan-slim", "esrgan-medium", "esrgan-thick"}) {
    EXPECT_EQ(BuiltinModelScales(esrgan), (std::vector<int>{2, 3, 4, 8})) << esrgan;
  }
  EXPECT_EQ(BuiltinModelScales("realesrgan-x4plus"), std::vector<int>{4});
  EXPECT_EQ(BuiltinModelScales("realesr-general-x4v3"), std::vector<int>{4});
  EXPECT_TRUE(BuiltinModelScales("esrgan-huge").empty());
  absl::StatusOr<ModelSpec> plus = FindModel("realesrgan-x4plus", 4, kModelDir);
  ASSERT_TRUE(plus.ok()) << plus.status();
  EXPECT_EQ(plus->arch, "rrdbnet");
  EXPECT_EQ(FindModel("realesrgan-x4plus", 2, kModelDir).status().code(), absl::StatusCode::kNotFound);
}

TEST(ModelRegistryTest, MissingModelSaysWhereItLooked) {
  testing::ScratchDir empty;
  absl::StatusOr<ModelSpec> spec = FindModel("esrgan-slim", 2, empty.path());
  ASSERT_EQ(spec.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(spec.status().message().find(empty.path()), absl::string_view::npos);
  EXPECT_NE(spec.status().message().find("setup.sh"), absl::string_view::npos);
}

TEST(ModelRegistryTest, UnknownNameIsInvalidArgument) {
  EXPECT_EQ(FindModel("esrgan-huge", 2, kModelDir).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ModelRegistryTest, DefaultSearchStartsWithEnvironment) {
  ::setenv("ACUITY_MODEL_DIR", kModelDir, 1);
  const std::vector<std::string> dirs = DefaultModelDirs();
  ::unsetenv("ACUITY_MODEL_DIR");
  ASSERT_EQ(dirs.size(), 5u);
  EXPECT_EQ(dirs[0], kModelDir);
  EXPECT_NE(dirs[1].find("/models"), std::string::npos);
  // The installed place, found from the program's own location (a program:
  // <prefix>/bin; the Python module's is checked by deb_install_test).
  const std::filesystem::path installed = ProgramDir().parent_path() / "share" / "acuity" / "models";
  EXPECT_EQ(dirs[3], installed.string());
  EXPECT_EQ(dirs[4], ACUITY_TEST_MODEL_DIR);  // the build tree's, last
}

TEST(ModelRegistryTest, UserModelTakesSidecarThenOptions) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("mine.pt"), "(weights)");
  absl::StatusOr<ModelSpec> no_range = UserModelSpec(dir.Path("mine.pt"), 4, std::nullopt);
  EXPECT_EQ(no_range.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_range.status().message().find("input range"), absl::string_view::npos);

  absl::StatusOr<ModelSpec> given = UserModelSpec(dir.Path("mine.pt"), 4, 1.0);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->scale, 4);
  EXPECT_EQ(given->output_range, 1.0);
  EXPECT_EQ(given->name, "mine");

  testing::WriteBytes(dir.Path("mine.json"),
                      R"({"scale": 2, "input_range": 255, "receptive_radius": 12})");
  absl::StatusOr<ModelSpec> sidecar = UserModelSpec(dir.Path("mine.pt"), std::nullopt, std::nullopt);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  EXPECT_EQ(sidecar->scale, 2);
  EXPECT_EQ(sidecar->input_range, 255.0);
  EXPECT_EQ(sidecar->output_range, 255.0);
  EXPECT_EQ(sidecar->receptive_radius_px, 12);

  testing::WriteBytes(dir.Path("mine.json"), "{not json");
  EXPECT_EQ(UserModelSpec(dir.Path("mine.pt"), 2, 1.0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UserModelSpec(dir.Path("absent.pt"), 2, 1.0).status().code(),
            absl::StatusCode::kNotFound);
}

// A sidecar's "cuda_file" is the CUDA devices' file when it is there, and
// only then; the CPU always keeps pt_path.
TEST(ModelRegistryTest, ACudaFormIsTakenOnlyWhereItExists) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("mine.pt"), "(weights)");
  testing::WriteBytes(dir.Path("mine.json"), R"({"scale": 4, "input_range": 1, "cuda_file": "mine.cuda.pt"})");
  absl::StatusOr<ModelSpec> missing = UserModelSpec(dir.Path("mine.pt"), std::nullopt, std::nullopt);
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->cuda_pt_path, "");
  EXPECT_EQ(ModelOnDevice(*missing, /*cuda=*/true).pt_path, dir.Path("mine.pt"));

  testing::WriteBytes(dir.Path("mine.cuda.pt"), "(the same weights, another graph)");
  absl::StatusOr<ModelSpec> both = UserModelSpec(dir.Path("mine.pt"), std::nullopt, std::nullopt);
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->cuda_pt_path, dir.Path("mine.cuda.pt"));
  EXPECT_EQ(ModelOnDevice(*both, /*cuda=*/true).pt_path, dir.Path("mine.cuda.pt"));
  EXPECT_EQ(ModelOnDevice(*both, /*cuda=*/false).pt_path, dir.Path("mine.pt"));
}

TEST(ModelRegistryTest, TellsPathsFromNames) {
  EXPECT_TRUE(LooksLikeModelPath("mine.pt"));
  EXPECT_TRUE(LooksLikeModelPath("./models/x"));
  EXPECT_FALSE(LooksLikeModelPath("esrgan-slim"));
}

}  // namespace
}  // namespace acuity
