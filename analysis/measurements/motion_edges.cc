#include "analysis/measurements/motion_edges.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_kind.h"

namespace acuity {
namespace {

constexpr double kSigmaA = 1.0, kSigmaB = 3.0;  // the two derivative-of-Gaussian scales, px
constexpr double kStrongShare = 0.3;            // edge points: at least this share of the tile's strongest
constexpr double kMaxAngleOffDeg = 45;
constexpr size_t kMinPoints = 16;
constexpr double kMinRatio = 1.02;      // σ ≈ 14 px: softer reads as no edge
constexpr double kStraightPx = 4;       // an edge point's edge goes on this far along its tangent
constexpr double kStraightShare = 0.7;  // at this share of its gradient
constexpr double kStraightCos = 0.95;   // and turned by at most 18°
constexpr int kFlatReachPx = 3;         // exactly flat pixels looked for this far along the edge's normal

// The gradient of `luma` smoothed by a Gaussian of `sigma`: x and y.
void Gradient(const cv::Mat& luma, double sigma, cv::Mat& gx, cv::Mat& gy) {
  cv::Mat smooth;
  cv::GaussianBlur(luma, smooth, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
  cv::Sobel(smooth, gx, CV_32F, 1, 0, 3, 1.0 / 8);
  cv::Sobel(smooth, gy, CV_32F, 0, 1, 3, 1.0 / 8);
}

}  // namespace

std::optional<double> EdgeSoftnessAcross(const std::vector<cv::Mat>& tiles, double angle_deg) {
  // The movement's direction on screen (y down in the image).
  const double ux = std::cos(angle_deg * CV_PI / 180), uy = -std::sin(angle_deg * CV_PI / 180);
  const double cos_off = std::cos(kMaxAngleOffDeg * CV_PI / 180);
  const int margin = int(std::ceil(std::max(3 * kSigmaB, kStraightPx))) + 1;
  std::vector<double> sigmas;
  for (const cv::Mat& luma : tiles) {
    if (luma.rows <= 2 * margin || luma.cols <= 2 * margin) continue;
    cv::Mat ax, ay, bx, by;
    Gradient(luma, kSigmaA, ax, ay);
    Gradient(luma, kSigmaB, bx, by);
    cv::Mat ma, mb;
    cv::magnitude(ax, ay, ma);
    cv::magnitude(bx, by, mb);
    double strongest = 0;
    cv::minMaxLoc(mb, nullptr, &strongest);
    if (strongest < 2) continue;  // a flat tile (gradient under 2 levels/px at σb)
    const cv::Mat flat = ExactlyFlatMask(luma);  // a drawn picture's flat colours
    for (int y = margin; y < luma.rows - margin; ++y)
      for (int x = margin; x < luma.cols - margin; ++x) {
        const float m = mb.at<float>(y, x);
        if (m < kStrongShare * strongest) continue;
        const double along = std::abs(bx.at<float>(y, x) * ux + by.at<float>(y, x) * uy);
        if (along < cos_off * m) continue;  // the edge's normal is not along the movement
        // A peak of the gradient along the movement: the edge's centre.
        const int dx = int(std::lround(ux)), dy = int(std::lround(uy));
        if (m < mb.at<float>(y + dy, x + dx) || m < mb.at<float>(y - dy, x - dx)) continue;
        // On a straight stretch of edge, not at a corner (a rectangle's
        // corner has a diagonal gradient and no step profile): the edge goes
        // on, as strong, kStraightPx either way along its tangent.
        // (Read at the finer scale σa, which a corner does not spread.)
        const double tx = -by.at<float>(y, x) / m, ty = bx.at<float>(y, x) / m;
        const int sx = int(std::lround(kStraightPx * tx)), sy = int(std::lround(kStraightPx * ty));
        const float a = ma.at<float>(y, x);
        const auto goes_on = [&](int py, int px) {  // as strong there, and the same way
          const double n = mb.at<float>(py, px);
          const double same = (bx.at<float>(py, px) * bx.at<float>(y, x) + by.at<float>(py, px) * by.at<float>(y, x));
          return ma.at<float>(py, px) >= kStraightShare * a && same >= kStraightCos * n * m;
        };
        if (!goes_on(y + sy, x + sx) || !goes_on(y - sy, x - sx)) continue;
        const double r = a / m;  // √(σ² + σb²) / √(σ² + σa²), from σb/σa (a step) down to 1 (very soft)
        // Under 1 the point is no edge's centre (beside a corner the fine
        // gradient vanishes while the coarse one does not): not read.
        if (r < kMinRatio) continue;
        const double r2 = r * r;
        const double sigma2 = (kSigmaB * kSigmaB - r2 * kSigmaA * kSigmaA) / (r2 - 1);
        double sigma = std::sqrt(std::max(sigma2, 0.0));
        // An edge is no softer than the ramp between its sides: an exactly
        // flat pixel d px away along the movement bounds the ramp's half-width
        // by d, its σ by d/√3 (a smear of L px leaves none nearer than L/2).
        // The two-scale ratio reads a thin stroke — a glyph of small text —
        // as a soft edge; the flat background beside it says it is a step.
        for (int d = 1; d <= kFlatReachPx; ++d) {
          const int px = x + int(std::lround(d * ux)), py = y + int(std::lround(d * uy));
          const int qx = x - int(std::lround(d * ux)), qy = y - int(std::lround(d * uy));
          const bool near = (px >= 0 && py >= 0 && px < luma.cols && py < luma.rows && flat.at<uchar>(py, px)) ||
                            (qx >= 0 && qy >= 0 && qx < luma.cols && qy < luma.rows && flat.at<uchar>(qy, qx));
          if (near) {
            sigma = std::min(sigma, d / std::sqrt(3.0));
            break;
          }
        }
        sigmas.push_back(sigma);
      }
  }
  if (sigmas.size() < kMinPoints) return std::nullopt;
  const size_t k = std::min(sigmas.size() - 1, size_t(0.8 * double(sigmas.size())));
  std::nth_element(sigmas.begin(), sigmas.begin() + k, sigmas.end());
  return sigmas[k];
}

}  // namespace acuity
