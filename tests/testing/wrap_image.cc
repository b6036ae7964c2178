#include "tests/testing/wrap_image.h"

namespace acuity::testing {

Image WrapPixels(const cv::Mat& pixels) {
  Image image;
  image.pixels = pixels;
  image.info.width = pixels.cols;
  image.info.height = pixels.rows;
  image.info.channels = pixels.channels();
  image.info.bit_depth = pixels.depth() == CV_16U ? 16 : 8;
  image.info.has_alpha = pixels.channels() == 4;
  return image;
}

}  // namespace acuity::testing
