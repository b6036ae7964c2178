#include "analysis/image_ops.h"

#include <opencv2/imgproc.hpp>

namespace acuity {

double WhiteLevel(const cv::Mat& pixels) { return pixels.depth() == CV_16U ? 65535.0 : 255.0; }

cv::Mat BgrF32(const cv::Mat& pixels) {
  cv::Mat f;
  pixels.convertTo(f, CV_32F, 255.0 / WhiteLevel(pixels));
  if (f.channels() == 1) cv::cvtColor(f, f, cv::COLOR_GRAY2BGR);
  else if (f.channels() == 4) cv::cvtColor(f, f, cv::COLOR_BGRA2BGR);
  return f;
}

cv::Mat LumaF32(const cv::Mat& pixels) {
  cv::Mat f;
  pixels.convertTo(f, CV_32F, 255.0 / WhiteLevel(pixels));
  if (f.channels() == 1) return f;
  if (f.channels() == 4) cv::cvtColor(f, f, cv::COLOR_BGRA2BGR);
  cv::Mat y;
  cv::transform(f, y, cv::Matx13f(0.114f, 0.587f, 0.299f));
  return y;
}

cv::Mat To8Bit(const cv::Mat& pixels, bool keep_gray) {
  cv::Mat out;
  if (pixels.depth() == CV_8U) out = pixels;
  else pixels.convertTo(out, CV_8U, 255.0 / WhiteLevel(pixels));
  if (out.channels() == 4) cv::cvtColor(out, out, cv::COLOR_BGRA2BGR);
  else if (out.channels() == 1 && !keep_gray) cv::cvtColor(out, out, cv::COLOR_GRAY2BGR);
  return out;
}

}  // namespace acuity
