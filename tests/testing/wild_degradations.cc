#include "tests/testing/wild_degradations.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace acuity::testing {

cv::Mat MotionBlurKernel(double length_px, double angle_deg) {
  const int side = 2 * (int(std::ceil(length_px / 2)) + 2) + 1, c = side / 2;
  cv::Mat k = cv::Mat::zeros(side, side, CV_32F);
  const double t = angle_deg * CV_PI / 180.0;
  const int samples = std::max(1, int(std::lround(length_px * 8))) + 1;
  for (int i = 0; i < samples; ++i) {
    const double s = samples == 1 ? 0.0 : -length_px / 2 + length_px * i / (samples - 1);
    const double x = c + s * std::cos(t), y = c - s * std::sin(t);
    const int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    const float fx = float(x - x0), fy = float(y - y0);
    k.at<float>(y0, x0) += (1 - fx) * (1 - fy);
    k.at<float>(y0, x0 + 1) += fx * (1 - fy);
    k.at<float>(y0 + 1, x0) += (1 - fx) * fy;
    k.at<float>(y0 + 1, x0 + 1) += fx * fy;
  }
  return k / cv::sum(k)[0];
}

cv::Mat MotionBlur(const cv::Mat& image, double length_px, double angle_deg) {
  cv::Mat f, out;
  image.convertTo(f, CV_32F);
  cv::filter2D(f, f, CV_32F, MotionBlurKernel(length_px, angle_deg), cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  f.convertTo(out, image.depth());
  return out;
}

cv::Mat AddSignalDependentNoise(const cv::Mat& image, double a, double b, uint64_t seed) {
  cv::Mat f, gauss(image.size(), CV_MAKETYPE(CV_32F, image.channels())), out;
  image.convertTo(f, CV_32F);
  cv::RNG rng(seed);
  rng.fill(gauss, cv::RNG::NORMAL, 0.0, 1.0);
  cv::Mat variance = f * a + b, sd;
  cv::max(variance, 0.0, variance);
  cv::sqrt(variance, sd);
  f += gauss.mul(sd);
  f.convertTo(out, CV_8U);
  return out;
}

cv::Mat FilmGrain(const cv::Mat& image, double share, double blur_px, uint64_t seed) {
  cv::Mat grain(image.size(), CV_32F), f, out;
  cv::RNG rng(seed);
  rng.fill(grain, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(grain, grain, cv::Size(), blur_px, blur_px, cv::BORDER_REFLECT);
  cv::Scalar mean, sd;
  cv::meanStdDev(grain, mean, sd);
  grain = grain * (share / sd[0]) + 1.0;
  image.convertTo(f, CV_32F);
  cv::merge(std::vector<cv::Mat>(image.channels(), grain), grain);
  f = f.mul(grain);
  f.convertTo(out, CV_8U);
  return out;
}

cv::Mat ShadowNoise(const cv::Mat& image, double sigma, uint64_t seed) {
  constexpr double kFullUpTo = 50, kNoneFrom = 90;  // clean luma, 8-bit
  cv::Mat f, gray, weight, gauss(image.size(), CV_32FC3), out;
  image.convertTo(f, CV_32F);
  cv::cvtColor(f, gray, cv::COLOR_BGR2GRAY);
  gray.convertTo(weight, CV_32F, -1.0 / (kNoneFrom - kFullUpTo), kNoneFrom / (kNoneFrom - kFullUpTo));
  cv::min(cv::max(weight, 0.0), 1.0, weight);
  cv::RNG rng(seed);
  rng.fill(gauss, cv::RNG::NORMAL, 0.0, sigma);
  cv::Mat weight3;
  cv::merge(std::vector<cv::Mat>(3, weight), weight3);
  f += gauss.mul(weight3);
  f.convertTo(out, CV_8U);
  return out;
}

cv::Mat DemosaicLikeCorrelation(const cv::Mat& image, double mix) {
  const cv::Matx33f smooth(1, 2, 1, 2, 4, 2, 1, 2, 1);
  cv::Mat f, s, out;
  image.convertTo(f, CV_32F);
  cv::filter2D(f, s, CV_32F, cv::Mat(smooth) / 16.0, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  cv::addWeighted(s, mix, f, 1.0 - mix, 0.0, f);
  f.convertTo(out, image.depth());
  return out;
}

cv::Mat Fence(cv::Size size, double period_px, double angle_deg, double duty) {
  constexpr int kSuper = 4;
  cv::Mat big(size.height * kSuper, size.width * kSuper, CV_32F);
  const double t = angle_deg * CV_PI / 180.0, cs = std::cos(t), sn = std::sin(t);
  for (int y = 0; y < big.rows; ++y) {
    float* row = big.ptr<float>(y);
    for (int x = 0; x < big.cols; ++x) {
      const double u = (x * cs + y * sn) / kSuper / period_px;
      row[x] = u - std::floor(u) < duty ? 220.f : 40.f;
    }
  }
  cv::Mat small, out;
  cv::resize(big, small, size, 0, 0, cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(), 0.5);
  small.convertTo(out, CV_8U);
  return out;
}

cv::Mat UnsharpMask(const cv::Mat& image, double amount, double radius_px) {
  if (amount <= 0 || radius_px <= 0) return image.clone();
  const int half = static_cast<int>(std::ceil(4.0 * radius_px));
  cv::Mat f, blurred, out;
  image.convertTo(f, CV_32F);
  cv::GaussianBlur(f, blurred, cv::Size(2 * half + 1, 2 * half + 1), radius_px, radius_px, cv::BORDER_REFLECT);
  cv::Mat(f + amount * (f - blurred)).convertTo(out, CV_8U);  // rounds and saturates
  return out;
}

cv::Mat ShallowDepthOfField(const cv::Mat& image, double subject_share, cv::Point2d centre,
                            double background_sigma_px, double subject_sigma_px) {
  cv::Mat f;
  image.convertTo(f, CV_32F);
  auto blurred = [&f](double sigma) {
    cv::Mat b = f.clone();
    if (sigma > 0) cv::GaussianBlur(f, b, cv::Size(), sigma, sigma, cv::BORDER_REFLECT);
    return b;
  };
  const double area = subject_share * image.rows * image.cols;
  const double ry = std::sqrt(area / CV_PI * 1.3), rx = area / CV_PI / ry;
  cv::Mat inside = cv::Mat::zeros(image.size(), CV_32F);
  cv::ellipse(inside, cv::Point(int(std::lround(centre.x * image.cols)), int(std::lround(centre.y * image.rows))),
              cv::Size(int(std::lround(rx)), int(std::lround(ry))), 0, 0, 360, cv::Scalar(1), cv::FILLED);
  cv::GaussianBlur(inside, inside, cv::Size(), 3, 3, cv::BORDER_REFLECT);
  std::vector<cv::Mat> weights(size_t(image.channels()), inside);
  cv::Mat w;
  cv::merge(weights, w);
  const cv::Mat subject = blurred(subject_sigma_px), background = blurred(background_sigma_px);
  cv::Mat mixed = subject.mul(w) + background.mul(cv::Scalar::all(1) - w), out;
  mixed.convertTo(out, image.depth());
  return out;
}

cv::Mat ScannedDrawing(const cv::Mat& photo, uint64_t seed) {
  cv::Mat gray, soft, edges;
  if (photo.channels() == 1) {
    gray = photo;  // read only: the blur below writes `soft`
  } else {
    cv::cvtColor(photo, gray, photo.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  }
  cv::GaussianBlur(gray, soft, cv::Size(), 1.5);
  cv::Canny(soft, edges, 30, 90);
  cv::dilate(edges, edges, cv::Mat());
  cv::Mat paper(soft.size(), CV_32F, cv::Scalar(236)), grain(soft.size(), CV_32F);
  cv::RNG rng(seed);
  rng.fill(grain, cv::RNG::NORMAL, 0, 2);
  paper += grain;
  for (int y = 12; y < paper.rows; y += 28) paper.row(y) -= 60;
  cv::Mat ink, scanned;
  edges.convertTo(ink, CV_32F, 130.0 / 255);
  cv::Mat drawn = paper - ink;
  cv::GaussianBlur(drawn, drawn, cv::Size(), 0.8);
  drawn.convertTo(scanned, CV_8U);
  cv::cvtColor(scanned, scanned, cv::COLOR_GRAY2BGR);
  return scanned;
}

cv::Mat JpegRoundTrip(const cv::Mat& image, int quality) {
  std::vector<uchar> bytes;
  if (!cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) return cv::Mat();
  return cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
}

}  // namespace acuity::testing
