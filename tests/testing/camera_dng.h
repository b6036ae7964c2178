// Camera RAW files for the tests: a minimal uncompressed CFA DNG (1.4),
// written with libtiff from a scene in linear light, with the tags LibRaw
// needs to demosaic it — a camera space equal to linear sRGB, a neutral
// white balance, an RGGB mosaic. The RAW reader's tests and the decoders'
// memory ladder use it.
//
//   cv::Mat scene(48, 64, CV_16UC3, cv::Scalar::all(3000));   // linear RGB
//   std::string bytes = acuity::testing::WriteCameraDng("a.dng", scene);
#ifndef ACUITY_TESTS_TESTING_CAMERA_DNG_H_
#define ACUITY_TESTS_TESTING_CAMERA_DNG_H_

#include <string>

#include <opencv2/core.hpp>

namespace acuity::testing {

// Writes `rgb16` (16-bit linear RGB, in R, G, B order) as a DNG at `path`
// with the EXIF orientation `orientation` (1–8); the file's bytes, or ""
// when it cannot be written.
std::string WriteCameraDng(const std::string& path, const cv::Mat& rgb16, int orientation = 1);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_CAMERA_DNG_H_
