#include "analysis/measurements/quality_metrics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

constexpr int kSsimWindowPx = 11;
constexpr int kSsimPadPx = kSsimWindowPx / 2;
constexpr double kSsimSigmaPx = 1.5;
constexpr double kC1 = (0.01 * 255) * (0.01 * 255);
constexpr double kC2 = (0.03 * 255) * (0.03 * 255);
constexpr std::array<double, 5> kMsSsimWeights = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
constexpr double kGmsdC = 170.0;

cv::Mat Crop(const cv::Mat& m, int border_px) {
  if (border_px <= 0) return m;
  CV_Assert(m.cols > 2 * border_px && m.rows > 2 * border_px);
  return m(cv::Rect(border_px, border_px, m.cols - 2 * border_px, m.rows - 2 * border_px));
}

cv::Mat GaussianWindowFilter(const cv::Mat& plane) {
  static const cv::Mat kernel64 = cv::getGaussianKernel(kSsimWindowPx, kSsimSigmaPx, CV_64F);
  static const cv::Mat kernel32 = [] {
    cv::Mat k;
    kernel64.convertTo(k, CV_32F);
    return k;
  }();
  const cv::Mat& k = plane.depth() == CV_64F ? kernel64 : kernel32;
  cv::Mat out;
  cv::sepFilter2D(plane, out, plane.depth(), k, k, cv::Point(-1, -1), 0, cv::BORDER_REFLECT);
  return out;
}

// Mean of a map over the area where the SSIM window fits entirely.
double InteriorMean(const cv::Mat& map) {
  return cv::mean(Crop(map, kSsimPadPx))[0];
}

// 2×2 averaging and decimation; odd sides mirror (msssim.m) or zero-pad (GMSD.m)
// the missing row/column.
cv::Mat Halve(const cv::Mat& plane, int border_type) {
  CV_Assert(plane.type() == CV_64FC1);
  cv::Mat padded;
  cv::copyMakeBorder(plane, padded, 0, plane.rows % 2, 0, plane.cols % 2, border_type, 0);
  cv::Mat out(padded.rows / 2, padded.cols / 2, plane.type());
  for (int y = 0; y < out.rows; ++y) {
    const double* r0 = padded.ptr<double>(2 * y);
    const double* r1 = padded.ptr<double>(2 * y + 1);
    double* o = out.ptr<double>(y);
    for (int x = 0; x < out.cols; ++x)
      o[x] = (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]) * 0.25;
  }
  return out;
}

double PsnrOfPlanes(const cv::Mat& x, const cv::Mat& y) {
  cv::Mat diff = x - y;
  const double mse = diff.dot(diff) / static_cast<double>(diff.total());
  if (mse <= 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

// The SSIM terms from the five filtered planes, in one pass per row.
template <typename T>
SsimMaps SsimMapsOf(const cv::Mat& x_plane, const cv::Mat& y_plane, int wanted) {
  // Shift both planes by one constant so that E[x²] − E[x]² does not lose
  // float precision; the Gaussian filter is linear, so the means shift back.
  const double shift = 0.5 * (cv::mean(x_plane)[0] + cv::mean(y_plane)[0]);
  const int type = cv::DataType<T>::type;
  cv::Mat x, y, product;
  x_plane.convertTo(x, type, 1.0, -shift);
  y_plane.convertTo(y, type, 1.0, -shift);
  const cv::Mat mx = GaussianWindowFilter(x), my = GaussianWindowFilter(y);
  cv::multiply(x, x, product);
  const cv::Mat sxx = GaussianWindowFilter(product);
  cv::multiply(y, y, product);
  const cv::Mat syy = GaussianWindowFilter(product);
  cv::multiply(x, y, product);
  const cv::Mat sxy = GaussianWindowFilter(product);
  product.release();

  SsimMaps maps;
  const cv::Size size = x.size();
  if (wanted & kSsimMap) maps.ssim.create(size, type);
  if (wanted & kContrastStructureMap) maps.contrast_structure.create(size, type);
  if (wanted & kContrastMap) maps.contrast.create(size, type);
  if (wanted & kSigmaMaps) {
    maps.sigma_x.create(size, type);
    maps.sigma_y.create(size, type);
  }
  cv::parallel_for_(cv::Range(0, size.height), [&](const cv::Range& rows) {
    for (int r = rows.start; r < rows.end; ++r) {
      const T *pmx = mx.ptr<T>(r), *pmy = my.ptr<T>(r), *pxx = sxx.ptr<T>(r),
              *pyy = syy.ptr<T>(r), *pxy = sxy.ptr<T>(r);
      T* o_ssim = (wanted & kSsimMap) ? maps.ssim.ptr<T>(r) : nullptr;
      T* o_cs = (wanted & kContrastStructureMap) ? maps.contrast_structure.ptr<T>(r) : nullptr;
      T* o_c = (wanted & kContrastMap) ? maps.contrast.ptr<T>(r) : nullptr;
      T* o_sx = (wanted & kSigmaMaps) ? maps.sigma_x.ptr<T>(r) : nullptr;
      T* o_sy = (wanted & kSigmaMaps) ? maps.sigma_y.ptr<T>(r) : nullptr;
      for (int c = 0; c < size.width; ++c) {
        const double ux = pmx[c], uy = pmy[c];
        const double vx = std::max(0.0, pxx[c] - ux * ux), vy = std::max(0.0, pyy[c] - uy * uy);
        const double vxy = pxy[c] - ux * uy;
        const double denominator = vx + vy + kC2;
        const double cs = (2.0 * vxy + kC2) / denominator;
        if (o_cs) o_cs[c] = static_cast<T>(cs);
        if (o_ssim) {
          const double mux = ux + shift, muy = uy + shift;
          o_ssim[c] = static_cast<T>((2.0 * mux * muy + kC1) / (mux * mux + muy * muy + kC1) * cs);
        }
        if (o_c || o_sx) {
          const double sx = std::sqrt(vx), sy = std::sqrt(vy);
          if (o_c) o_c[c] = static_cast<T>((2.0 * sx * sy + kC2) / denominator);
          if (o_sx) {
            o_sx[c] = static_cast<T>(sx);
            o_sy[c] = static_cast<T>(sy);
          }
        }
      }
    }
  });
  return maps;
}

double SsimOfPlanes(const cv::Mat& x, const cv::Mat& y) {
  if (x.cols < kSsimWindowPx || x.rows < kSsimWindowPx)
    return std::numeric_limits<double>::quiet_NaN();
  return InteriorMean(ComputeSsimMaps(x, y, kSsimMap).ssim);
}

double MsSsimOfPlanes(cv::Mat x, cv::Mat y, int* scales_used) {
  std::vector<double> cs, ssim;
  for (int level = 0; level < static_cast<int>(kMsSsimWeights.size()); ++level) {
    if (x.cols < kSsimWindowPx || x.rows < kSsimWindowPx) break;
    SsimMaps maps = ComputeSsimMaps(x, y, kSsimMap | kContrastStructureMap);
    cs.push_back(std::max(0.0, InteriorMean(maps.contrast_structure)));
    ssim.push_back(std::max(0.0, InteriorMean(maps.ssim)));
    x = Halve(x, cv::BORDER_REFLECT);
    y = Halve(y, cv::BORDER_REFLECT);
  }
  const int scales = static_cast<int>(cs.size());
  if (scales_used) *scales_used = scales;
  if (scales == 0) return std::numeric_limits<double>::quiet_NaN();
  double weight_sum = 0;
  for (int i = 0; i < scales; ++i) weight_sum += kMsSsimWeights[i];
  double product = 1.0;
  for (int i = 0; i + 1 < scales; ++i) product *= std::pow(cs[i], kMsSsimWeights[i] / weight_sum);
  return product * std::pow(ssim[scales - 1], kMsSsimWeights[scales - 1] / weight_sum);
}

// sRGB value (0–255) to linear light, exactly below 0.04045 and from a table
// with linear interpolation (16 steps per level; error < 1e-7) above.
double SrgbToLinear(double v) {
  static const std::vector<double> table = [] {
    std::vector<double> t(255 * 16 + 2);
    for (size_t i = 0; i < t.size(); ++i) {
      const double u = i / 16.0 / 255.0;
      t[i] = u > 0.04045 ? std::pow((u + 0.055) / 1.055, 2.4) : u / 12.92;
    }
    return t;
  }();
  if (v <= 0.04045 * 255.0) return v / 255.0 / 12.92;
  const double pos = std::min(v, 255.0) * 16.0;
  const size_t i = static_cast<size_t>(pos);
  return table[i] + (pos - i) * (table[i + 1] - table[i]);
}

// sRGB (BGR, 0–255) to CIELAB (D65, 2° observer) in double precision, with
// the constants of scikit-image's rgb2lab.
cv::Vec3d SrgbToLab(const cv::Vec3f& bgr) {
  const double r = SrgbToLinear(bgr[2]), g = SrgbToLinear(bgr[1]), b = SrgbToLinear(bgr[0]);
  const double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047;
  const double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
  const double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883;
  auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
  const double fx = f(x), fy = f(y), fz = f(z);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

}  // namespace

cv::Mat SrLuma(const cv::Mat& pixels) {
  cv::Mat bgr;
  BgrF32(pixels).convertTo(bgr, CV_64F);
  cv::Mat y;
  cv::transform(bgr, y, cv::Matx14d(24.966 / 255.0, 128.553 / 255.0, 65.481 / 255.0, 16.0));
  return y;
}

SsimMaps ComputeSsimMaps(const cv::Mat& x_plane, const cv::Mat& y_plane, int wanted) {
  CV_Assert(x_plane.size() == y_plane.size() && x_plane.type() == y_plane.type() &&
            x_plane.channels() == 1 &&
            (x_plane.depth() == CV_32F || x_plane.depth() == CV_64F));
  return x_plane.depth() == CV_64F ? SsimMapsOf<double>(x_plane, y_plane, wanted)
                                   : SsimMapsOf<float>(x_plane, y_plane, wanted);
}

double PsnrY(const cv::Mat& reference, const cv::Mat& test, int border_px) {
  CV_Assert(reference.size() == test.size());
  // Y is affine in R, G, B: the Y difference is the weighted RGB difference
  // (the offset cancels), in one float pass.
  const cv::Mat diff = Crop(BgrF32(test), border_px) - Crop(BgrF32(reference), border_px);
  cv::Mat y_diff;
  cv::transform(diff, y_diff, cv::Matx13f(24.966f / 255, 128.553f / 255, 65.481f / 255));
  const double mse = y_diff.dot(y_diff) / static_cast<double>(y_diff.total());
  if (mse <= 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

cv::Mat LocalSigma(const cv::Mat& plane) {
  CV_Assert(plane.channels() == 1 && (plane.depth() == CV_32F || plane.depth() == CV_64F));
  const double shift = cv::mean(plane)[0];
  cv::Mat x = plane - shift;
  const cv::Mat mean = GaussianWindowFilter(x);
  cv::Mat variance = GaussianWindowFilter(x.mul(x)) - mean.mul(mean);
  cv::Mat sigma;
  cv::sqrt(cv::max(variance, 0.0), sigma);
  return sigma;
}

double SsimY(const cv::Mat& reference, const cv::Mat& test, int border_px) {
  CV_Assert(reference.size() == test.size());
  return SsimOfPlanes(Crop(SrLuma(reference), border_px), Crop(SrLuma(test), border_px));
}

cv::Mat SsimMapY(const cv::Mat& reference, const cv::Mat& test) {
  CV_Assert(reference.size() == test.size());
  cv::Mat map;
  ComputeSsimMaps(SrLuma(reference), SrLuma(test), kSsimMap).ssim.convertTo(map, CV_32F);
  return map;
}

double MsSsimY(const cv::Mat& reference, const cv::Mat& test, int border_px, int* scales_used) {
  CV_Assert(reference.size() == test.size());
  return MsSsimOfPlanes(Crop(SrLuma(reference), border_px), Crop(SrLuma(test), border_px),
                        scales_used);
}

double Gmsd(const cv::Mat& reference, const cv::Mat& test, int border_px) {
  CV_Assert(reference.size() == test.size());
  const cv::Matx33d prewitt_x(1 / 3.0, 0, -1 / 3.0, 1 / 3.0, 0, -1 / 3.0, 1 / 3.0, 0, -1 / 3.0);
  auto gradient_magnitude = [&](const cv::Mat& pixels) {
    cv::Mat luma;
    LumaF32(pixels).convertTo(luma, CV_64F);
    cv::Mat y = Halve(Crop(luma, border_px), cv::BORDER_CONSTANT);
    cv::Mat gx, gy, magnitude;
    cv::filter2D(y, gx, CV_64F, prewitt_x, cv::Point(-1, -1), 0, cv::BORDER_CONSTANT);
    cv::filter2D(y, gy, CV_64F, prewitt_x.t(), cv::Point(-1, -1), 0, cv::BORDER_CONSTANT);
    cv::magnitude(gx, gy, magnitude);
    return magnitude;
  };
  cv::Mat g1 = gradient_magnitude(reference), g2 = gradient_magnitude(test);
  cv::Mat similarity;
  cv::divide(2.0 * g1.mul(g2) + kGmsdC, g1.mul(g1) + g2.mul(g2) + kGmsdC, similarity);
  const double n = static_cast<double>(similarity.total());
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  cv::Scalar mean, stddev;
  cv::meanStdDev(similarity, mean, stddev);
  return stddev[0] * std::sqrt(n / (n - 1));
}

cv::Mat DeltaE2000Map(const cv::Mat& a, const cv::Mat& b) {
  CV_Assert(a.size() == b.size());
  const cv::Mat bgr1 = BgrF32(a), bgr2 = BgrF32(b);
  cv::Mat out(a.size(), CV_32FC1);
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kDeg = kPi / 180.0;
  const double k25_7 = std::pow(25.0, 7);
  cv::parallel_for_(cv::Range(0, out.rows), [&](const cv::Range& rows) {
    for (int r = rows.start; r < rows.end; ++r) {
      const cv::Vec3f* p1 = bgr1.ptr<cv::Vec3f>(r);
      const cv::Vec3f* p2 = bgr2.ptr<cv::Vec3f>(r);
      float* o = out.ptr<float>(r);
      for (int c = 0; c < out.cols; ++c) {
        const cv::Vec3d lab1 = SrgbToLab(p1[c]), lab2 = SrgbToLab(p2[c]);
        // Sharma, Wu & Dalal 2005, equations (1)–(17).
        const double l1 = lab1[0], a1 = lab1[1], b1 = lab1[2];
        const double l2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
        const double c_bar = 0.5 * (std::hypot(a1, b1) + std::hypot(a2, b2));
        const double c_bar7 = std::pow(c_bar, 7);
        const double g = 0.5 * (1.0 - std::sqrt(c_bar7 / (c_bar7 + k25_7)));
        const double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
        const double c1p = std::hypot(a1p, b1), c2p = std::hypot(a2p, b2);
        auto hue = [](double bb, double aa) {
          if (aa == 0 && bb == 0) return 0.0;
          double h = std::atan2(bb, aa) / kDeg;
          return h < 0 ? h + 360.0 : h;
        };
        const double h1p = hue(b1, a1p), h2p = hue(b2, a2p);
        const double dl = l2 - l1, dc = c2p - c1p;
        double dh = 0;
        if (c1p * c2p != 0) {
          dh = h2p - h1p;
          if (dh > 180) dh -= 360;
          else if (dh < -180) dh += 360;
        }
        const double dH = 2 * std::sqrt(c1p * c2p) * std::sin(0.5 * dh * kDeg);
        const double l_bar = 0.5 * (l1 + l2), cp_bar = 0.5 * (c1p + c2p);
        double h_bar = h1p + h2p;
        if (c1p * c2p != 0) {
          if (std::abs(h1p - h2p) <= 180) h_bar *= 0.5;
          else if (h_bar < 360) h_bar = 0.5 * (h_bar + 360);
          else h_bar = 0.5 * (h_bar - 360);
        }
        const double t = 1 - 0.17 * std::cos((h_bar - 30) * kDeg) + 0.24 * std::cos(2 * h_bar * kDeg) +
                         0.32 * std::cos((3 * h_bar + 6) * kDeg) - 0.20 * std::cos((4 * h_bar - 63) * kDeg);
        const double d_theta = 30 * std::exp(-((h_bar - 275) / 25) * ((h_bar - 275) / 25));
        const double cp_bar7 = std::pow(cp_bar, 7);
        const double rc = 2 * std::sqrt(cp_bar7 / (cp_bar7 + k25_7));
        const double l50 = (l_bar - 50) * (l_bar - 50);
        const double sl = 1 + 0.015 * l50 / std::sqrt(20 + l50);
        const double sc = 1 + 0.045 * cp_bar;
        const double sh = 1 + 0.015 * cp_bar * t;
        const double rt = -std::sin(2 * d_theta * kDeg) * rc;
        const double tl = dl / sl, tc = dc / sc, th = dH / sh;
        o[c] = static_cast<float>(std::sqrt(std::max(0.0, tl * tl + tc * tc + th * th + rt * tc * th)));
      }
    }
  });
  return out;
}

FullReferenceMetrics CompareWithReference(const cv::Mat& reference, const cv::Mat& test,
                                          int border_px) {
  CV_Assert(reference.size() == test.size());
  FullReferenceMetrics m;
  m.border_px = border_px;
  {
    const cv::Mat x = Crop(SrLuma(reference), border_px), y = Crop(SrLuma(test), border_px);
    m.psnr_y_db = PsnrOfPlanes(x, y);
    m.ssim = SsimOfPlanes(x, y);
    m.ms_ssim = MsSsimOfPlanes(x, y, &m.ms_ssim_scales);
  }
  m.gmsd = Gmsd(reference, test, border_px);
  return m;
}

}  // namespace acuity
