#include "analysis/advice/plan_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "analysis/advice/advisor.h"
#include "analysis/advice/parse_steps.h"
#include "analysis/advice/sr_choice.h"

namespace acuity {
namespace {

constexpr SrDeviceKind kCpu = SrDeviceKind::kCpu;

Plan Steps(const char* text) {
  absl::StatusOr<Plan> plan = ParseSteps(text);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : Plan{};
}

// Issue #25 ("a 4k plan that took 245 s was chosen under about a minute"):
// every AI pass counts, each at its own input size — the second pass of
// 4× then 2× runs on 16× the pixels of the first.
TEST(PlanTimeTest, EveryPassCountsAtItsOwnSize) {
  const cv::Size in(500, 400);
  const double first = EstimatedSrSeconds("esrgan-medium", in, {4});
  const double second = EstimatedSrSeconds("esrgan-medium", cv::Size(2000, 1600), {2});
  EXPECT_NEAR(second, 16 * first, 1e-9);
  const double both = EstimatedPlanSeconds(Steps("upscale:4:esrgan-medium,upscale:2:esrgan-medium"), in, "", kCpu);
  EXPECT_NEAR(both, first + second, 0.01 * both);
  // One step of 8× (split into passes by the upscaler) costs what the two do.
  EXPECT_NEAR(EstimatedPlanSeconds(Steps("upscale:8:esrgan-medium"), in, "", kCpu), both, 0.01 * both);
}

// Steps before the upscale change what it costs: a crop makes it cheaper, a
// denoise and a deblock add their own time at the input size.
TEST(PlanTimeTest, FollowsTheSizeThroughEveryStep) {
  const cv::Size in(1500, 1000);
  const double plain = EstimatedPlanSeconds(Steps("upscale:3:esrgan-medium"), in, "", kCpu);
  const std::vector<double> cropped = EstimatedStepSeconds(Steps("crop:1500x844,upscale:3:esrgan-medium"), in, "", kCpu);
  ASSERT_EQ(cropped.size(), 2u);
  EXPECT_NEAR(cropped[1] / plain, 844.0 / 1000, 1e-9);  // the upscale of the part kept
  EXPECT_LT(cropped[0], 0.05 * cropped[1]);            // the crop itself is cheap
  const double repaired = EstimatedPlanSeconds(Steps("deblock,denoise,upscale:3:esrgan-medium"), in, "", kCpu);
  EXPECT_GT(repaired, plain + 1.0);
  // The step's model, else the run's default, else acuity's pick.
  EXPECT_GT(EstimatedPlanSeconds(Steps("upscale:3"), in, "esrgan-thick", kCpu),
            5 * EstimatedPlanSeconds(Steps("upscale:3"), in, "esrgan-slim", kCpu));
  EXPECT_DOUBLE_EQ(EstimatedPlanSeconds(Steps("upscale:3"), in, "", kCpu),
                   EstimatedSrSeconds(AutoSrModel(in, {3}), in, {3}));
}

// The advisor's automatic choice stays within its minute in the plan it
// writes: the model is chosen on the part kept and for the passes the plan
// runs (600×400 to 4K chose esrgan-thick for one ×8 pass, ≈ 28 s, but the
// plan ran ×4 then ×2, ≈ 480 s).
TEST(PlanTimeTest, TheAdvisedUpscaleFitsTheAutomaticBudget) {
  for (const auto& [w, h] : {std::pair{1500, 1000}, std::pair{800, 533}, std::pair{600, 400}}) {
    AnalysisReport r;
    r.input.width = w, r.input.height = h;
    r.sharpness.blur_sigma_px = 0.7;
    r.noise.sigma = 1.5;
    r.compression.quality_source = "none";
    r.oversharpening.detected = false;
    r.resolution.native_scale = 1.0;
    r.target = FitTarget(*ParseTargetSpec("4k"), w, h);
    const Plan plan = Advise(r);
    const std::vector<double> seconds = EstimatedStepSeconds(plan, cv::Size(w, h), "", kCpu);
    double upscale = 0;
    for (size_t i = 0; i < plan.steps.size(); ++i)
      if (std::holds_alternative<UpscaleStep>(plan.steps[i].params)) upscale += seconds[i];
    EXPECT_GT(upscale, 0) << w << "×" << h;
    EXPECT_LE(upscale, 60.0) << w << "×" << h;  // the automatic choice's budget (sr_choice.cc)
  }
}

// A product shot on white is upscaled over the product and the network's
// margin only (tiled_pass.h): its estimate is that share of the size's,
// after repairs too; after a crop (which moves the surround) it is the
// size's; a photo's is the size's.
TEST(PlanTimeTest, AFlatSurroundCostsNoNetworkTime) {
  cv::Mat shot(500, 500, CV_8UC3, cv::Scalar::all(255));
  cv::randu(shot(cv::Rect(150, 200, 200, 100)), 0, 255);
  const double share = (200.0 + 2 * 16) * (100 + 2 * 16) / (500.0 * 500);  // thick's 16-px margin
  for (const char* steps : {"upscale:4:esrgan-thick", "denoise:5,upscale:4:esrgan-thick"}) {
    const std::vector<double> by_size = EstimatedStepSeconds(Steps(steps), shot.size(), "", kCpu);
    const std::vector<double> by_pixels = EstimatedStepSeconds(Steps(steps), shot, "", kCpu);
    ASSERT_EQ(by_size.size(), by_pixels.size());
    EXPECT_NEAR(by_pixels.back(), share * by_size.back(), 1e-9) << steps;
  }
  const Plan cropped = Steps("crop:400x400,upscale:4:esrgan-thick");  // placed on the detail when run: unknown
  EXPECT_DOUBLE_EQ(EstimatedPlanSeconds(cropped, shot, "", kCpu), EstimatedPlanSeconds(cropped, shot.size(), "", kCpu));
  // A crop the plan places (the advisor's) keeps the box, in its own
  // coordinates, when the product lies inside it: 300×250 kept at (100, 150).
  Plan placed = Steps("crop:300x250,upscale:4:esrgan-thick");
  CropStep& crop = std::get<CropStep>(placed.steps[0].params);
  crop.x_px = 100;
  crop.y_px = 150;
  const double kept_share = (200.0 + 2 * 16) * (100 + 2 * 16) / (300.0 * 250);
  EXPECT_NEAR(EstimatedStepSeconds(placed, shot, "", kCpu).back(), kept_share * EstimatedStepSeconds(placed, shot.size(), "", kCpu).back(),
              1e-9);
  crop.x_px = 200;  // cuts through the product: the whole kept part is priced
  EXPECT_DOUBLE_EQ(EstimatedPlanSeconds(placed, shot, "", kCpu), EstimatedPlanSeconds(placed, shot.size(), "", kCpu));
  cv::Mat photo(500, 500, CV_8UC3);
  cv::randu(photo, 0, 255);
  const Plan plan = Steps("upscale:4:esrgan-thick");
  EXPECT_DOUBLE_EQ(EstimatedPlanSeconds(plan, photo, "", kCpu), EstimatedPlanSeconds(plan, photo.size(), "", kCpu));
}

// On a CUDA device the AI passes are priced at the GPU's pace (the CUDA
// column of sr_model_facts.h), the other steps as on the CPU: x4plus ×4 of
// a 4000×3000 photo, which ran in 8-10 s on an H100, is not "about 5 h"
// (the CPU's figure, which `acuity enhance` printed on that GPU).
TEST(PlanTimeTest, AiPassesOnCudaCostTheGpusTime) {
  const cv::Size in(4000, 3000);
  const Plan plan = Steps("upscale:4:realesrgan-x4plus,sharpen:0.4");
  const std::vector<double> cpu = EstimatedStepSeconds(plan, in, "", kCpu);
  const std::vector<double> cuda = EstimatedStepSeconds(plan, in, "", SrDeviceKind::kCuda);
  ASSERT_EQ(cpu.size(), 2u);
  ASSERT_EQ(cuda.size(), 2u);
  EXPECT_GT(cpu[0], 3600);
  EXPECT_GT(cuda[0], 2);
  EXPECT_LT(cuda[0], 20);
  EXPECT_DOUBLE_EQ(cuda[1], cpu[1]);  // sharpening stays on the CPU
  // acuity's own choice is made for the device too.
  EXPECT_DOUBLE_EQ(EstimatedPlanSeconds(Steps("upscale:4"), in, "", SrDeviceKind::kCuda),
                   EstimatedSrSeconds(AutoSrModel(in, {4}, SrDeviceKind::kCuda), in, {4}, SrDeviceKind::kCuda));
}

TEST(PlanTimeTest, Text) {
  EXPECT_EQ(PlanTimeText(42), "about 42 s");
  EXPECT_EQ(PlanTimeText(245), "about 4 min");
  EXPECT_EQ(PlanTimeText(7200), "about 2.0 h");
}

}  // namespace
}  // namespace acuity
