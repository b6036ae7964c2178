#include "enhance/model_archive.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <torch/script.h>

#include "enhance/upscaler.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const char* const kModelDir = ACUITY_TEST_MODEL_DIR;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The converted model a test copies and damages.
std::string SlimX2() { return (fs::path(kModelDir) / "esrgan-slim-x2.pt").string(); }

TEST(ModelArchiveTest, EveryConvertedModelIsWhole) {
  int checked = 0;
  for (const auto& e : fs::directory_iterator(kModelDir)) {
    if (e.path().extension() != ".pt") continue;
    EXPECT_TRUE(VerifyModelArchive(e.path().string()).ok()) << e.path();
    ++checked;
  }
  EXPECT_GE(checked, 14);  // 12 ESRGANs and the 2 Real-ESRGANs
}

// One flipped byte inside the weights: LibTorch's zip reader skips the
// CRC-32 checks, so this model loaded and wrote garbage with exit 0.
TEST(ModelArchiveTest, AFlippedByteInTheWeightsIsFound) {
  testing::ScratchDir dir;
  std::string bytes = ReadAll(SlimX2());
  ASSERT_GT(bytes.size(), 100000u);
  const size_t at = bytes.size() / 2;  // inside the largest tensor's data
  bytes[at] = char(bytes[at] ^ 0x40);
  WriteAll(dir.Path("damaged.pt"), bytes);
  const absl::Status s = VerifyModelArchive(dir.Path("damaged.pt"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr("fails its CRC-32 check"));

  // Through the upscaler: the user's model file is to blame (exit 3), nothing runs.
  UpscaleOptions options;
  options.model = dir.Path("damaged.pt");
  options.model_scale = 2;
  options.model_input_range = 255;
  options.factor = 2;
  absl::StatusOr<UpscaleResult> r = Upscale(cv::Mat(16, 16, CV_8UC3, cv::Scalar(50, 100, 150)), options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  EXPECT_TRUE(IsModelFileError(r.status()));
}

// A whole archive whose directory points past a cut entry is damaged; a
// file with no zip directory at all is left to the loader (which says "not
// a loadable TorchScript model").
TEST(ModelArchiveTest, ACutEntryIsDamagedAndANonArchiveIsTheLoadersToRefuse) {
  testing::ScratchDir dir;
  const std::string bytes = ReadAll(SlimX2());
  // Keep the directory (the last 64 KiB hold it) but drop a slice of data
  // before it: the entries it lists no longer start where it says.
  const size_t tail = 64 << 10;
  WriteAll(dir.Path("cut.pt"), bytes.substr(0, bytes.size() / 2) + bytes.substr(bytes.size() - tail));
  EXPECT_EQ(VerifyModelArchive(dir.Path("cut.pt")).code(), absl::StatusCode::kInvalidArgument);
  WriteAll(dir.Path("text.pt"), "not a model at all");
  EXPECT_TRUE(VerifyModelArchive(dir.Path("text.pt")).ok());
  EXPECT_EQ(VerifyModelArchive(dir.Path("absent.pt")).code(), absl::StatusCode::kNotFound);
}

// A model that computes NaN wrote a black image with exit 0.
TEST(ModelArchiveTest, AModelThatComputesNanIsAnError) {
  testing::ScratchDir dir;
  torch::jit::Module m("nan2");
  m.define(R"(
def forward(self, x):
    y = x.repeat_interleave(2, 2).repeat_interleave(2, 3)
    return y + (y - y) / (y - y)
)");
  m.save(dir.Path("nan2.pt"));
  UpscaleOptions options;
  options.model = dir.Path("nan2.pt");
  options.model_scale = 2;
  options.model_input_range = 255;
  options.factor = 2;
  absl::StatusOr<UpscaleResult> r = Upscale(cv::Mat(16, 16, CV_8UC3, cv::Scalar(50, 100, 150)), options);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("NaN"));
  EXPECT_TRUE(IsModelFileError(r.status()));
}

}  // namespace
}  // namespace acuity
