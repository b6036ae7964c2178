#include "analysis/measurements/repeated_pixels.h"

#include <gtest/gtest.h>

#include <vector>

#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity {
namespace {

cv::Mat Enlarged(const cv::Mat& image, double f, int kernel) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(), f, f, kernel);
  return out;
}

constexpr const char* kPhotos[] = {"astronaut", "coffee", "chelsea", "camera", "motorcycle_left", "coins"};

// A photo enlarged by copying and then saved as a JPEG repeats no column
// exactly any more (the exact test read 0 %), but nearly: about as many as
// the copy made, in the copy's phase pattern.
TEST(RepeatedPixelsTest, ACopiedEnlargementSavedAsJpegStillRepeats) {
  for (const char* name : kPhotos) {
    const cv::Mat photo = testing::LoadPhoto(name);
    for (int k : {2, 3}) {
      for (int quality : {95, 85}) {
        SCOPED_TRACE(std::string(name) + " x" + std::to_string(k) + " q" + std::to_string(quality));
        const cv::Mat copied = testing::JpegRoundTrip(Enlarged(photo, k, cv::INTER_NEAREST), quality);
        const CopyPattern pattern = NearestNeighbourPattern(copied);
        EXPECT_GE(pattern.strength, kNearestPatternMin);
        EXPECT_EQ(pattern.period_px, k);
        EXPECT_LT(RepeatedPixelsPct(copied), 5.0);  // exactly: almost none
        EXPECT_GT(RepeatedPixelsPct(copied, /*lossy=*/true), 15.0);
      }
    }
  }
}

// What is not a copy stays under the limit: the photos as JPEGs, their
// smooth enlargements saved as JPEGs, and the exact pattern of a lossless
// image is the same figure from both tests.
TEST(RepeatedPixelsTest, PhotosAndSmoothEnlargementsAsJpegsHaveNoCopyPattern) {
  for (const char* name : kPhotos) {
    SCOPED_TRACE(name);
    const cv::Mat photo = testing::LoadPhoto(name);
    for (const cv::Mat& image : {testing::JpegRoundTrip(photo, 95), testing::JpegRoundTrip(photo, 75), testing::JpegRoundTrip(Enlarged(photo, 2, cv::INTER_CUBIC), 90),
                                 testing::JpegRoundTrip(Enlarged(photo, 3, cv::INTER_LANCZOS4), 80),
                                 testing::JpegRoundTrip(Enlarged(photo, 1.5, cv::INTER_LINEAR), 85)}) {
      EXPECT_LT(NearestNeighbourPattern(image).strength, kNearestPatternMin);
      EXPECT_LT(RepeatedPixelsPct(image, /*lossy=*/true), 5.0);
    }
  }
  const cv::Mat copied = Enlarged(testing::LoadPhoto("coffee"), 2, cv::INTER_NEAREST);
  EXPECT_NEAR(RepeatedPixelsPct(copied), 50.0, 1.0);
  EXPECT_NEAR(NearestNeighbourPattern(copied).strength, 1.0, 0.05);
  EXPECT_EQ(RepeatedPixelsPct(cv::Mat()), 0.0);
}

}  // namespace
}  // namespace acuity
