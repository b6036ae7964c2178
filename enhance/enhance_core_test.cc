#include "enhance/enhance_core.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/parse_steps.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/io/guard.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/test_images.h"
#include "tests/testing/wrap_image.h"

namespace acuity {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Ops(const Plan& plan) {
  std::vector<std::string> ops;
  for (const PlanStep& s : plan.steps)
    if (!std::holds_alternative<EncodeStep>(s.params)) ops.push_back(std::string(OpOf(s).name));
  return ops;
}

// --plan auto --model M: the advisor writes the plan for the model the user
// chose (`acuity enhance` and `acuity batch --do enhance` both come here), so
// a model that repairs nothing itself gets the denoise before it, and
// Real-ESRGAN (the advisor's own choice for a small noisy photo) gets none.
TEST(PrepareEnhanceTest, TheAdvisedPlanFollowsTheChosenModel) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_FALSE(photo.empty());
  cv::resize(photo, photo, cv::Size(200, 133), 0, 0, cv::INTER_AREA);
  const Image noisy = testing::WrapPixels(testing::AddNoise(photo, 12.0, 3));
  EnhanceSpec spec;
  spec.target = *ParseTargetSpec("400px");
  spec.output_path = "out.png";
  spec.output_format = ImageFormat::kPng;

  absl::StatusOr<PreparedEnhance> advised = PrepareEnhance(noisy, spec);
  ASSERT_TRUE(advised.ok()) << advised.status();
  EXPECT_THAT(Ops(advised->prepared.plan), ElementsAre("upscale"));
  EXPECT_EQ(std::get<UpscaleStep>(advised->prepared.plan.steps[0].params).model, "realesr-general-x4v3");

  spec.options.upscale.model = "esrgan-slim";
  absl::StatusOr<PreparedEnhance> chosen = PrepareEnhance(noisy, spec);
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  const std::vector<std::string> ops = Ops(chosen->prepared.plan);
  ASSERT_GE(ops.size(), 2u);
  EXPECT_EQ(ops[0], "denoise");
  EXPECT_EQ(ops[1], "upscale");
  EXPECT_EQ(std::get<UpscaleStep>(chosen->prepared.plan.steps[1].params).model, "esrgan-slim");
}

// Explicit steps on an animation: a note says only its first frame is
// enhanced (an advised plan says it in its warning); a still has none.
TEST(PrepareEnhanceTest, ExplicitStepsOnAnAnimationSayOnlyTheFirstFrameIsEnhanced) {
  cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_FALSE(photo.empty());
  Image image = testing::WrapPixels(photo);
  image.info.path = "anim.gif";
  EnhanceSpec spec;
  spec.explicit_plan = *ParseSteps("sharpen:0.3");
  spec.output_path = "out.png";
  spec.output_format = ImageFormat::kPng;
  absl::StatusOr<PreparedEnhance> still = PrepareEnhance(image, spec);
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_TRUE(still->prepared.notes.empty());
  image.info.frames = 9;
  absl::StatusOr<PreparedEnhance> animated = PrepareEnhance(image, spec);
  ASSERT_TRUE(animated.ok()) << animated.status();
  EXPECT_THAT(animated->prepared.notes,
              ElementsAre("anim.gif: an animation of 9 frames: only its first frame is enhanced"));
  image.info.path = "scan.tif";
  image.info.format = ImageFormat::kTiff;
  image.info.frames = 4;
  absl::StatusOr<PreparedEnhance> pages = PrepareEnhance(image, spec);
  ASSERT_TRUE(pages.ok()) << pages.status();
  EXPECT_THAT(pages->prepared.notes, ElementsAre("scan.tif: a TIFF of 4 pages: only its first page is enhanced"));
}

constexpr int64_t kMb = int64_t{1} << 20;

MemoryBudget Bound(MemoryBound which, int64_t bytes) {
  MemoryBudget b;
  b.binding = which;
  b.bytes = bytes;
  return b;
}

// A limit on resident memory (a cgroup's, the machine's available memory)
// is already less what the process holds: the work gets all of it. The
// program's own memory was counted a second time before (165 MB less).
TEST(WorkBudgetTest, AResidentMemoryLimitIsTheWorksWhole) {
  for (MemoryBound which : {MemoryBound::kCgroup, MemoryBound::kAvailable}) {
    const WorkBudget b = WorkBudgetFrom(Bound(which, 700 * kMb), std::nullopt, /*will_upscale=*/true);
    EXPECT_EQ(b.bytes, 700 * kMb);
    EXPECT_STREQ(b.source, Bound(which, 0).Binding());
    EXPECT_TRUE(CheckMemoryBudget(700 * kMb, b.bytes, "w").ok());
    EXPECT_TRUE(IsMachineResourceError(CheckMemoryBudget(700 * kMb + 1, b.bytes, "w")));
  }
}

// Address-space and data limits count reservations too: the budget keeps
// room for them, and for what running LibTorch reserves under ulimit -v.
TEST(WorkBudgetTest, AnAddressSpaceLimitKeepsRoomForReservations) {
  EXPECT_EQ(WorkBudgetFrom(Bound(MemoryBound::kAddressSpace, 1000 * kMb), std::nullopt, false).bytes,
            1000 * kMb - kReservedAddressSpaceBytes);
  EXPECT_EQ(WorkBudgetFrom(Bound(MemoryBound::kAddressSpace, 1000 * kMb), std::nullopt, true).bytes,
            1000 * kMb - kReservedAddressSpaceBytes - kLibTorchRunAddressSpaceBytes);
  EXPECT_EQ(WorkBudgetFrom(Bound(MemoryBound::kData, 1000 * kMb), std::nullopt, true).bytes,
            1000 * kMb - kReservedAddressSpaceBytes);
  // Nothing left is a bound that refuses all work, not "no budget".
  const WorkBudget none_left = WorkBudgetFrom(Bound(MemoryBound::kAddressSpace, 100 * kMb), std::nullopt, false);
  EXPECT_EQ(none_left.bytes, 1);
  EXPECT_FALSE(CheckMemoryBudget(1 * kMb, none_left.bytes, "w").ok());
}

// --max-memory MB is the whole process's: MB less the program's own for the
// work. It can lower the budget, never raise it over a tighter real limit.
TEST(WorkBudgetTest, MaxMemoryLowersTheBudgetAndNeverRaisesIt) {
  const WorkBudget lower = WorkBudgetFrom(Bound(MemoryBound::kCgroup, 2000 * kMb), 500.0, false);
  EXPECT_EQ(lower.bytes, 500 * kMb - kProcessBaseMemoryBytes);
  EXPECT_STREQ(lower.source, "--max-memory");
  const WorkBudget over = WorkBudgetFrom(Bound(MemoryBound::kCgroup, 400 * kMb), 8000.0, false);
  EXPECT_EQ(over.bytes, 400 * kMb);
  EXPECT_STREQ(over.source, "the cgroup's memory limit");
  // No bound could be read: --max-memory alone; neither: nothing checked.
  EXPECT_EQ(WorkBudgetFrom(MemoryBudget{}, 500.0, false).bytes, 500 * kMb - kProcessBaseMemoryBytes);
  EXPECT_EQ(WorkBudgetFrom(MemoryBudget{}, std::nullopt, false).bytes, 0);
  EXPECT_TRUE(CheckMemoryBudget(int64_t{1} << 40, 0, "w").ok());
}

}  // namespace
}  // namespace acuity
