#include "enhance/model_cache.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;

// Enlarges 2× by repeating pixels: enough for the load-time probe.
class TwiceNetwork : public SrNetwork {
 public:
  absl::StatusOr<cv::Mat> Forward(const cv::Mat& rgb, int /*threads*/) const override {
    cv::Mat out;
    cv::resize(rgb, out, cv::Size(), 2, 2, cv::INTER_NEAREST);
    return out;
  }
};

// A cache whose loads are counted, and fail while `fail` is set.
struct Counted {
  int loads = 0;
  bool fail = false;
  ModelCache cache;
  explicit Counted(int capacity)
      : cache(capacity, [this](const ModelSpec& spec, SrPrecision precision, SrDevice device)
                            -> absl::StatusOr<std::unique_ptr<SrModel>> {
          ++loads;
          if (fail) return absl::ResourceExhaustedError("out of memory while loading");
          return SrModel::FromNetwork(spec, precision, device, std::make_unique<TwiceNetwork>());
        }) {}
};

// A model file of `bytes` bytes (its content is not read by the fake loader).
ModelSpec SpecFor(const std::string& path, size_t bytes) {
  std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
  ModelSpec spec;
  spec.name = fs::path(path).stem().string();
  spec.scale = 2;
  spec.input_range = 1;
  spec.pt_path = path;
  return spec;
}

TEST(ModelCacheTest, EachDeviceKeepsItsOwnModels) {
  // A batch spreading its files over five GPUs in turn: one load per
  // device, however small the capacity (it counts per device).
  testing::ScratchDir dir;
  Counted c(1);
  const ModelSpec spec = SpecFor(dir.Path("a.pt"), 10);
  for (int round = 0; round < 3; ++round)
    for (int gpu = 0; gpu < 5; ++gpu) ASSERT_TRUE(c.cache.Get(spec, SrPrecision::kFp16, SrDevice::Cuda(gpu)).ok());
  EXPECT_EQ(c.loads, 5);
  // On one device the capacity still holds: a second model pushes the first out there only.
  const ModelSpec other = SpecFor(dir.Path("b.pt"), 20);
  ASSERT_TRUE(c.cache.Get(other, SrPrecision::kFp16, SrDevice::Cuda(0)).ok());
  ASSERT_TRUE(c.cache.Get(spec, SrPrecision::kFp16, SrDevice::Cuda(1)).ok());
  EXPECT_EQ(c.loads, 6);
  ASSERT_TRUE(c.cache.Get(spec, SrPrecision::kFp16, SrDevice::Cuda(0)).ok());
  EXPECT_EQ(c.loads, 7);
}

TEST(ModelCacheTest, TheSameModelIsLoadedOnce) {
  testing::ScratchDir dir;
  Counted c(4);
  const ModelSpec spec = SpecFor(dir.Path("a.pt"), 10);
  absl::StatusOr<std::shared_ptr<SrModel>> first = c.cache.Get(spec, SrPrecision::kFp32, SrDevice::Cpu());
  absl::StatusOr<std::shared_ptr<SrModel>> second = c.cache.Get(spec, SrPrecision::kFp32, SrDevice::Cpu());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(c.loads, 1);
  // Another precision or device is another load.
  ASSERT_TRUE(c.cache.Get(spec, SrPrecision::kBf16, SrDevice::Cpu()).ok());
  ASSERT_TRUE(c.cache.Get(spec, SrPrecision::kFp16, SrDevice::Cuda(0)).ok());
  EXPECT_EQ(c.loads, 3);
  EXPECT_EQ(c.cache.loads(), 3);
}

TEST(ModelCacheTest, AReplacedFileIsLoadedAgain) {
  testing::ScratchDir dir;
  Counted c(4);
  ASSERT_TRUE(c.cache.Get(SpecFor(dir.Path("a.pt"), 10), SrPrecision::kFp32, SrDevice::Cpu()).ok());
  ASSERT_TRUE(c.cache.Get(SpecFor(dir.Path("a.pt"), 20), SrPrecision::kFp32, SrDevice::Cpu()).ok());
  EXPECT_EQ(c.loads, 2);
}

TEST(ModelCacheTest, TheLeastRecentlyAskedForLeavesAndItsHoldersKeepIt) {
  testing::ScratchDir dir;
  Counted c(2);
  const ModelSpec a = SpecFor(dir.Path("a.pt"), 10), b = SpecFor(dir.Path("b.pt"), 10),
                  d = SpecFor(dir.Path("d.pt"), 10);
  absl::StatusOr<std::shared_ptr<SrModel>> held = c.cache.Get(a, SrPrecision::kFp32, SrDevice::Cpu());
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(c.cache.Get(b, SrPrecision::kFp32, SrDevice::Cpu()).ok());
  ASSERT_TRUE(c.cache.Get(a, SrPrecision::kFp32, SrDevice::Cpu()).ok());  // a is the most recent again
  ASSERT_TRUE(c.cache.Get(d, SrPrecision::kFp32, SrDevice::Cpu()).ok());  // b leaves
  EXPECT_EQ(c.loads, 3);
  ASSERT_TRUE(c.cache.Get(a, SrPrecision::kFp32, SrDevice::Cpu()).ok());
  EXPECT_EQ(c.loads, 3);
  ASSERT_TRUE(c.cache.Get(b, SrPrecision::kFp32, SrDevice::Cpu()).ok());
  EXPECT_EQ(c.loads, 4);
  // `held` still works after its entry may have left.
  absl::StatusOr<cv::Mat> out = (*held)->Run(cv::Mat(4, 4, CV_32FC3, cv::Scalar::all(0.5)), 1);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->size(), cv::Size(8, 8));
}

TEST(ModelCacheTest, AFailedLoadIsNotKept) {
  testing::ScratchDir dir;
  Counted c(4);
  const ModelSpec spec = SpecFor(dir.Path("a.pt"), 10);
  c.fail = true;
  EXPECT_EQ(c.cache.Get(spec, SrPrecision::kFp32, SrDevice::Cpu()).status().code(),
            absl::StatusCode::kResourceExhausted);
  c.fail = false;
  EXPECT_TRUE(c.cache.Get(spec, SrPrecision::kFp32, SrDevice::Cpu()).ok());
  EXPECT_EQ(c.loads, 2);
}

// Jobs of a batch asking for the same model at once: one load.
TEST(ModelCacheTest, ConcurrentCallersShareOneLoad) {
  testing::ScratchDir dir;
  Counted c(4);
  const ModelSpec spec = SpecFor(dir.Path("a.pt"), 10);
  std::vector<SrModel*> got(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      absl::StatusOr<std::shared_ptr<SrModel>> m = c.cache.Get(spec, SrPrecision::kFp32, SrDevice::Cpu());
      if (m.ok()) got[i] = m->get();
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.loads, 1);
  for (SrModel* m : got) EXPECT_EQ(m, got[0]);
}

}  // namespace
}  // namespace acuity
