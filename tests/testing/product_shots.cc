#include "tests/testing/product_shots.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "tests/testing/test_images.h"

namespace acuity::testing {

cv::Mat ProductShot(cv::Size canvas, double fill, cv::Scalar background) {
  cv::Mat shot(canvas, CV_8UC3, background);
  const int w = std::max(4, int(std::lround(canvas.width * fill)));
  const int h = std::max(4, std::min(canvas.height, int(std::lround(w * 2.0 / 3.0))));
  cv::Mat object;
  cv::resize(LoadPhoto("coffee"), object, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  // Rounded corners: a mask of the object's outline.
  cv::Mat mask(object.size(), CV_8U, cv::Scalar(0));
  const int r = std::max(1, std::min(w, h) / 8);
  cv::rectangle(mask, cv::Rect(r, 0, w - 2 * r, h), cv::Scalar(255), cv::FILLED);
  cv::rectangle(mask, cv::Rect(0, r, w, h - 2 * r), cv::Scalar(255), cv::FILLED);
  for (const cv::Point c : {cv::Point(r, r), cv::Point(w - 1 - r, r), cv::Point(r, h - 1 - r),
                            cv::Point(w - 1 - r, h - 1 - r)})
    cv::circle(mask, c, r, cv::Scalar(255), cv::FILLED);
  object.copyTo(shot(cv::Rect((canvas.width - w) / 2, (canvas.height - h) / 2, w, h)), mask);
  return shot;
}

}  // namespace acuity::testing
