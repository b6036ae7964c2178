#include "datasets/ladder.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "tests/testing/add_noise.h"
#include "tests/testing/test_images.h"

namespace acuity::datasets {
namespace {

constexpr double kNoiseTolerance8bit = 0.3;  // std-dev of the added noise vs its label

TEST(LadderTest, CleanIsHalfSizeAndAtMost512) {
  const cv::Mat photo = testing::LoadPhoto("coffee");  // 600×400
  const cv::Mat clean = MakeClean(photo);
  EXPECT_EQ(clean.cols, 300);
  EXPECT_EQ(clean.rows, 200);
  const cv::Mat big(1400, 1400, CV_8UC3, cv::Scalar(1, 2, 3));
  EXPECT_EQ(MakeClean(big).cols, kMaxSidePx);
}

TEST(LadderTest, NoiseHasItsLabelledSigma) {
  const cv::Mat clean = MakeClean(testing::LoadPhoto("coffee"));
  const cv::Mat noisy = testing::AddNoise(clean, 10.0, 7);
  cv::Mat diff;
  cv::subtract(noisy, clean, diff, cv::noArray(), CV_32F);
  cv::Scalar mean, sd;
  cv::meanStdDev(diff.reshape(1), mean, sd);
  EXPECT_NEAR(sd[0], 10.0, kNoiseTolerance8bit);  // clipping is rare on this photo
}

TEST(LadderTest, UpscaleFitsAndHasTheFactor) {
  const cv::Mat clean = MakeClean(testing::LoadPhoto("astronaut"));  // 256×256
  const cv::Mat up = Upscale(clean, 3.0, Kernel::kLanczos);
  EXPECT_LE(up.cols, kMaxSidePx);
  EXPECT_EQ(up.cols, 3 * (kMaxSidePx / 3));
}

TEST(LadderTest, JpegRoundTripAndLabels) {
  const cv::Mat clean = MakeClean(testing::LoadPhoto("chelsea"));
  Recipe r;
  r.ladder = "jpeg";
  r.jpeg_quality = 40;
  absl::StatusOr<std::string> jpg = RenderVariant(clean, r, 1);
  ASSERT_TRUE(jpg.ok());
  EXPECT_EQ(static_cast<unsigned char>((*jpg)[0]), 0xFF);  // SOI
  EXPECT_EQ(Extension(r), ".jpg");
  r.png_resave = true;
  EXPECT_EQ(Extension(r), ".png");

  Label label{"chelsea/x.png", "chelsea", "chelsea/clean.png", r};
  absl::StatusOr<Label> back = LabelFromJson(LabelToJson(label));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->recipe.jpeg_quality, 40);
  EXPECT_TRUE(back->recipe.png_resave);
  EXPECT_EQ(back->file, "chelsea/x.png");
}

TEST(LadderTest, StandardLaddersCoverEveryKind) {
  std::set<std::string> ladders;
  for (const Variant& v : StandardLadders()) ladders.insert(v.recipe.ladder);
  for (const char* l : {"clean", "blur", "noise", "jpeg", "sharpen", "upscale", "blur+noise", "noise+jpeg",
                        "upscale+jpeg"}) {
    EXPECT_TRUE(ladders.count(l)) << l;
  }
  EXPECT_GE(DefaultPhotos().size(), 8u);
}

}  // namespace
}  // namespace acuity::datasets
