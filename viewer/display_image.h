// Pixels as the viewer draws them: 8-bit BGR/BGRA with a reduced level for
// zoomed-out views, the difference of two images, and a tone histogram.
// Pure image work (OpenCV only), run on worker threads.
//
//   std::shared_ptr<const acuity::viewer::DisplayImage> d = acuity::viewer::MakeDisplayImage(image.pixels);
//   acuity::viewer::ToneHistogram h = acuity::viewer::MakeHistogram(d->reduced);
#ifndef ACUITY_VIEWER_DISPLAY_IMAGE_H_
#define ACUITY_VIEWER_DISPLAY_IMAGE_H_

#include <array>
#include <memory>

#include <opencv2/core.hpp>

namespace acuity::viewer {

// Pixels ready to upload: 8-bit BGR or BGRA (shared, never modified), and a
// reduced copy (long edge ≤ kReducedEdgePx) for zoomed-out views.
struct DisplayImage {
  cv::Mat full;               // CV_8UC3 (BGR) or CV_8UC4 (BGRA)
  cv::Mat reduced;            // same type, smaller
  double reduced_scale = 1;   // reduced px per full px
};
inline constexpr int kReducedEdgePx = 2048;

// 64-bin histograms of tones (8-bit values) of B, G, R and luma, each
// normalised to its tallest bin = 1.
struct ToneHistogram {
  std::array<std::array<float, 64>, 4> bins{};
  bool valid = false;
};

// Builds the display pixels of an image (8-bit BGR/BGRA, reduced level).
std::shared_ptr<const DisplayImage> MakeDisplayImage(const cv::Mat& pixels);
ToneHistogram MakeHistogram(const cv::Mat& bgr8);
// |A−B| × gain on the larger image's grid (the smaller is resized onto it).
std::shared_ptr<const DisplayImage> MakeDifference(const cv::Mat& a_bgr8, const cv::Mat& b_bgr8, double gain);

}  // namespace acuity::viewer

#endif  // ACUITY_VIEWER_DISPLAY_IMAGE_H_
