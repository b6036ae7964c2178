// The split into AI passes and the automatic model choice that the advisor
// and the upscaler share.
#include "analysis/advice/sr_choice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(SplitIntoPassesTest, AtMostFourPerPassLargestFirst) {
  EXPECT_THAT(SplitIntoPasses(2, 4), ElementsAre(2));
  EXPECT_THAT(SplitIntoPasses(2.5, 4), ElementsAre(3));
  EXPECT_THAT(SplitIntoPasses(4, 4), ElementsAre(4));
  EXPECT_THAT(SplitIntoPasses(4.2, 4), ElementsAre(3, 2));  // 5 is not reachable: 6
  EXPECT_THAT(SplitIntoPasses(6, 4), ElementsAre(3, 2));
  EXPECT_THAT(SplitIntoPasses(7, 4), ElementsAre(4, 2));
  EXPECT_THAT(SplitIntoPasses(8, 4), ElementsAre(4, 2));
  EXPECT_THAT(SplitIntoPasses(10, 4), ElementsAre(4, 3));
  EXPECT_THAT(SplitIntoPasses(16, 4), ElementsAre(4, 4));
  EXPECT_TRUE(SplitIntoPasses(1.0, 4).empty());
  EXPECT_TRUE(SplitIntoPasses(0.5, 4).empty());
}

// The measured costs (models/RESULTS.md) put the switch from thick to
// medium at ≈ 0.43 MP of model input in float32 — ≈ 1.6 MP where thick runs
// in bfloat16 (where FastBf16: AMD with AVX-512 BF16, 3.67× faster: its 4.5× of a 444×296 shot was
// estimated at 184 s and took 49 s) — and from medium to slim at ≈ 4.8 MP.
// bfloat16 only where it was measured faster (walk 59: on an Intel Xeon with
// AVX-512 BF16 and no AMX, `--precision auto` ran esrgan-thick in it at
// 0.65× the float32 speed, and the estimate counted the AMD's 3.67×).
TEST(FastBf16Test, OnlyWhereMeasuredFaster) {
  EXPECT_TRUE(FastBf16({/*avx512_bf16=*/true, /*amd=*/true}));
  EXPECT_FALSE(FastBf16({/*avx512_bf16=*/true, /*amd=*/false}));
  EXPECT_FALSE(FastBf16({/*avx512_bf16=*/false, /*amd=*/true}));
  EXPECT_FALSE(FastBf16({}));
  EXPECT_EQ(CpuHasFastBf16(), FastBf16(ThisCpuBf16Features()));
  // The estimate follows it: thick's seconds count the speed-up only there.
  const SrModelFacts& thick = *FindSrModelFacts("esrgan-thick");
  const double px = 256.0 * 256.0, fp32 = px * thick.cpu.micros_per_input_px * 1e-6;
  EXPECT_NEAR(EstimatedSrSeconds("esrgan-thick", cv::Size(256, 256), {4}),
              CpuHasFastBf16() ? fp32 / thick.cpu.bf16_speedup : fp32, 1e-9);
}

TEST(AutoSrModelTest, MostFaithfulModelThatFitsAboutAMinute) {
  const bool bf16 = CpuHasFastBf16();
  EXPECT_EQ(AutoSrModel(cv::Size(600, 400), {3}), "esrgan-thick");
  EXPECT_EQ(AutoSrModel(cv::Size(700, 700), {2}), bf16 ? "esrgan-thick" : "esrgan-medium");
  EXPECT_EQ(AutoSrModel(cv::Size(1600, 1200), {2}), "esrgan-medium");
  EXPECT_EQ(AutoSrModel(cv::Size(3000, 2000), {2}), "esrgan-slim");
  // A second pass runs on the enlarged image: ×3 then ×2 of 300×200 would
  // cost 10× the first pass's pixels, but thick runs ×6 as its own ×8 model
  // in one pass (135 vs 134 GFLOP for ×8 and ×4 of the same input).
  EXPECT_EQ(AutoSrModel(cv::Size(300, 200), {4}), "esrgan-thick");
  EXPECT_EQ(AutoSrModel(cv::Size(300, 200), {3, 2}), "esrgan-thick");  // its ×8 in one pass
  EXPECT_EQ(AutoSrModel(cv::Size(300, 200), {4, 2}), "esrgan-thick");
  EXPECT_GT(EstimatedSrSeconds("esrgan-thick", cv::Size(256, 256), {4}),
            (bf16 ? 2.5 : 5) * EstimatedSrSeconds("esrgan-medium", cv::Size(256, 256), {4}));
  // bfloat16 speeds up only the models that run it.
  const double thick = EstimatedSrSeconds("esrgan-thick", cv::Size(256, 256), {4});
  EXPECT_NEAR(thick, 256.0 * 256 * 140e-6 / (bf16 ? 3.67 : 1.0), 1e-6);
  EXPECT_NEAR(EstimatedSrSeconds("esrgan-medium", cv::Size(256, 256), {4}), 256.0 * 256 * 12.5e-6, 1e-6);
}

TEST(EightUsesX8ModelTest, OnlyThick) {
  EXPECT_TRUE(EightUsesX8Model("esrgan-thick"));
  EXPECT_FALSE(EightUsesX8Model("esrgan-medium"));
  EXPECT_FALSE(EightUsesX8Model("esrgan-slim"));
  EXPECT_EQ(ModelPasses({4, 2}, "esrgan-thick"), std::vector<int>{8});
  EXPECT_EQ(ModelPasses({4, 2}, "esrgan-medium"), (std::vector<int>{4, 2}));
  // ×6: thick's own ×8, then down (better and faster than ×3 then ×2).
  EXPECT_EQ(ModelPasses({3, 2}, "esrgan-thick"), std::vector<int>{8});
  EXPECT_EQ(ModelPasses({3, 2}, "esrgan-medium"), (std::vector<int>{3, 2}));
  EXPECT_EQ(ModelPasses({3, 3}, "esrgan-thick"), (std::vector<int>{3, 3}));  // ×9: beyond ×8
  EXPECT_EQ(ModelPasses({4, 3}, "esrgan-thick"), (std::vector<int>{4, 3}));
  // Under a lower max_pass_scale: what one ×4 pass could do stays as it is,
  // ×5–×8 in any number of passes is the ×8.
  EXPECT_EQ(ModelPasses({2, 2}, "esrgan-thick"), (std::vector<int>{2, 2}));
  EXPECT_EQ(ModelPasses({2, 2, 2}, "esrgan-thick"), std::vector<int>{8});
  EXPECT_EQ(ModelPasses({3, 2}, "esrgan-slim"), (std::vector<int>{3, 2}));
}

// Thick's ×8 is one pass on the input: priced like one pass, not like ×4
// followed by a ×2 pass on 16× the pixels; the RDNs do pay for the second pass.
TEST(EstimatedSrSecondsTest, PricesThePassesTheModelRuns) {
  const cv::Size size(100, 100);
  EXPECT_DOUBLE_EQ(EstimatedSrSeconds("esrgan-thick", size, {4, 2}), EstimatedSrSeconds("esrgan-thick", size, {4}));
  EXPECT_DOUBLE_EQ(EstimatedSrSeconds("esrgan-medium", size, {4, 2}),
                   17 * EstimatedSrSeconds("esrgan-medium", size, {4}));
}

// The five models by the evidence of models/RESULTS.md ("Damaged photos"):
// a damaged input goes to realesr-general-x4v3 when it fits about a minute,
// a clean one to the most faithful ESRGAN that fits; x4plus never by itself.
// A product shot on a flat canvas is upscaled over its detail and the
// model's margin only (tiled_pass.h): only that area is priced, and the
// automatic choice, which keeps within about a minute, can afford the more
// faithful model for it (a 1600×1200 photo ×2: medium; the same canvas
// with a 300×300-px product: thick, ≈ 15 s for the product).
TEST(EstimatedSrSecondsTest, OnlyTheNetworksAreaIsPriced) {
  const cv::Size canvas(1600, 1200);
  const cv::Rect product(650, 450, 300, 300);
  for (const char* name : {"esrgan-thick", "esrgan-medium", "realesr-general-x4v3"}) {
    const SrModelFacts* facts = FindSrModelFacts(name);
    ASSERT_NE(facts, nullptr);
    const double grown = 300.0 + 2 * facts->tile_overlap_px;
    EXPECT_NEAR(EstimatedSrSeconds(name, canvas, {2}, SrDeviceKind::kCpu, product),
                grown * grown / canvas.area() * EstimatedSrSeconds(name, canvas, {2}), 1e-9)
        << name;
  }
  const cv::Rect whole(cv::Point(0, 0), canvas);
  EXPECT_DOUBLE_EQ(EstimatedSrSeconds("esrgan-thick", canvas, {2}, SrDeviceKind::kCpu, whole),
                   EstimatedSrSeconds("esrgan-thick", canvas, {2}));
  EXPECT_EQ(EstimatedSrSeconds("esrgan-thick", canvas, {2}, SrDeviceKind::kCpu, cv::Rect()), 0.0);  // one colour
  // A margin reaching past the canvas is not priced.
  EXPECT_NEAR(EstimatedSrSeconds("esrgan-thick", canvas, {2}, SrDeviceKind::kCpu, cv::Rect(0, 0, 300, 300)),
              316.0 * 316 / canvas.area() * EstimatedSrSeconds("esrgan-thick", canvas, {2}), 1e-9);

  EXPECT_EQ(AutoSrModel(canvas, {2}), "esrgan-medium");
  EXPECT_EQ(AutoSrModel(canvas, {2}, SrDeviceKind::kCpu, product), "esrgan-thick");
  const SrChoice choice = ChooseSrModel(canvas, {2}, /*damaged_input=*/false, SrDeviceKind::kCpu, product);
  EXPECT_EQ(choice.model, "esrgan-thick");
  EXPECT_THAT(choice.reason, HasSubstr("most faithful"));
}

TEST(ChooseSrModelTest, DamagedInputsGoToRealEsrganGeneralWhenItFits) {
  const SrChoice damaged = ChooseSrModel(cv::Size(1000, 750), {2}, /*damaged_input=*/true);
  EXPECT_EQ(damaged.model, "realesr-general-x4v3");
  EXPECT_THAT(damaged.reason, ::testing::HasSubstr("Damaged photos"));
  const SrChoice clean = ChooseSrModel(cv::Size(600, 400), {2}, /*damaged_input=*/false);
  EXPECT_EQ(clean.model, "esrgan-thick");
  EXPECT_THAT(clean.reason, ::testing::HasSubstr("most faithful"));
  // Too large for general-x4v3 within the budget: the ESRGAN of the time budget.
  const SrChoice big = ChooseSrModel(cv::Size(3000, 2000), {2}, /*damaged_input=*/true);
  EXPECT_EQ(big.model, AutoSrModel(cv::Size(3000, 2000), {2}));
  EXPECT_THAT(big.reason, ::testing::HasSubstr("general model would take"));
  for (const cv::Size size : {cv::Size(64, 64), cv::Size(600, 400), cv::Size(4000, 3000)})
    for (const bool damaged_input : {false, true})
      EXPECT_NE(ChooseSrModel(size, {4}, damaged_input).model, "realesrgan-x4plus");
}

// Real-ESRGAN's models only exist at ×4: a ×2 costs a ×4 on the same input,
// and a second pass starts from 16× the pixels.
TEST(ChooseSrModelTest, RealEsrganCostsFollowTheirX4Passes) {
  const cv::Size size(200, 100);
  EXPECT_DOUBLE_EQ(EstimatedSrSeconds("realesr-general-x4v3", size, {2}),
                   EstimatedSrSeconds("realesr-general-x4v3", size, {4}));
  EXPECT_DOUBLE_EQ(EstimatedSrSeconds("realesrgan-x4plus", size, {4, 2}),
                   17 * EstimatedSrSeconds("realesrgan-x4plus", size, {4}));
  // x4plus is the dearest of the five, slim the cheapest.
  for (const char* name : {"esrgan-slim", "esrgan-medium", "esrgan-thick", "realesr-general-x4v3"})
    EXPECT_GT(EstimatedSrSeconds("realesrgan-x4plus", size, {4}), EstimatedSrSeconds(name, size, {4})) << name;
  EXPECT_LT(EstimatedSrSeconds("esrgan-slim", size, {4}), EstimatedSrSeconds("realesr-general-x4v3", size, {4}));
}

// The time budget reads the device's column of the model table: a 12 MP
// photo ×2 is beyond thick's minute on the 2-core CPU, not on a GPU; the
// quality evidence, not the cost, keeps x4plus out on either.
TEST(ChooseSrModelTest, TheBudgetFollowsTheDevice) {
  const cv::Size photo(4000, 3000);
  EXPECT_GT(EstimatedSrSeconds("esrgan-thick", photo, {2}), 60.0);
  EXPECT_LT(EstimatedSrSeconds("esrgan-thick", photo, {2}, SrDeviceKind::kCuda), 60.0);
  EXPECT_NE(AutoSrModel(photo, {2}), "esrgan-thick");
  EXPECT_EQ(AutoSrModel(photo, {2}, SrDeviceKind::kCuda), "esrgan-thick");
  EXPECT_EQ(ChooseSrModel(photo, {2}, /*damaged_input=*/true, SrDeviceKind::kCuda).model, "realesr-general-x4v3");
  for (const bool damaged_input : {false, true})
    EXPECT_NE(ChooseSrModel(photo, {4}, damaged_input, SrDeviceKind::kCuda).model, "realesrgan-x4plus");
}

}  // namespace
}  // namespace acuity
