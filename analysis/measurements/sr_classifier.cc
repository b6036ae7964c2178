#include "analysis/measurements/sr_classifier.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

#include "analysis/measurements/sr_classifier_weights.inc"

// One 3×3 convolution (padding 1) followed by a ReLU, as the network's
// LAYERS in datasets/sr_classifier_train.py.
struct Layer {
  int in = 0, out = 0, stride = 1;
  const float* weight;  // [out][in][3][3]
  const float* bias;    // [out]
};

constexpr int kClasses = 4;  // not a network's output; ×2; ×3; ×4

const Layer kLayers[] = {
    {1, 16, 1, kConv0Weight, kConv0Bias},  {16, 16, 2, kConv1Weight, kConv1Bias},
    {16, 32, 1, kConv2Weight, kConv2Bias}, {32, 32, 2, kConv3Weight, kConv3Bias},
    {32, 32, 1, kConv4Weight, kConv4Bias}, {32, 32, 1, kConv5Weight, kConv5Bias},
};
constexpr int kFeatures = 32;
// Every array the generated file holds has its layer's size.
template <size_t kWeights, size_t kBiases>
constexpr bool Fits(const float (&)[kWeights], const float (&)[kBiases], int in, int out) {
  return kWeights == size_t(in) * size_t(out) * 9 && kBiases == size_t(out);
}
static_assert(Fits(kConv0Weight, kConv0Bias, 1, 16) && Fits(kConv1Weight, kConv1Bias, 16, 16) &&
                  Fits(kConv2Weight, kConv2Bias, 16, 32) && Fits(kConv3Weight, kConv3Bias, 32, 32) &&
                  Fits(kConv4Weight, kConv4Bias, 32, 32) && Fits(kConv5Weight, kConv5Bias, 32, 32),
              "sr_classifier_weights.inc does not match the network");
static_assert(sizeof(kFcWeight) / sizeof(float) == kClasses * kFeatures && sizeof(kFcBias) / sizeof(float) == kClasses,
              "sr_classifier_weights.inc does not match the network");

// `x`: [in][side][side] → returns [out][side/stride][side/stride].
std::vector<float> Convolve(const Layer& l, const std::vector<float>& x, int side) {
  const int out_side = (side - 1) / l.stride + 1;
  const int n = out_side * out_side;
  // The input's taps, one row per (channel, ky, kx), as the weights are laid out.
  std::vector<float> taps(size_t(l.in) * 9 * n, 0.0f);
  for (int c = 0; c < l.in; ++c) {
    const float* src = x.data() + size_t(c) * side * side;
    for (int ky = 0; ky < 3; ++ky) {
      for (int kx = 0; kx < 3; ++kx) {
        float* row = taps.data() + (size_t(c) * 9 + ky * 3 + kx) * n;
        for (int oy = 0; oy < out_side; ++oy) {
          const int y = oy * l.stride + ky - 1;
          if (y < 0 || y >= side) continue;
          for (int ox = 0; ox < out_side; ++ox) {
            const int xx = ox * l.stride + kx - 1;
            if (xx >= 0 && xx < side) row[oy * out_side + ox] = src[y * side + xx];
          }
        }
      }
    }
  }
  std::vector<float> y(size_t(l.out) * n);
  const int k = l.in * 9;
  for (int o = 0; o < l.out; ++o) {
    float* dst = y.data() + size_t(o) * n;
    std::fill(dst, dst + n, l.bias[o]);
    const float* w = l.weight + size_t(o) * k;
    for (int j = 0; j < k; ++j) {
      const float wj = w[j];
      const float* t = taps.data() + size_t(j) * n;
      for (int i = 0; i < n; ++i) dst[i] += wj * t[i];
    }
    for (int i = 0; i < n; ++i) dst[i] = std::max(dst[i], 0.0f);
  }
  return y;
}

// The class probabilities of one patch (8-bit luma, kSrClassifierPatchPx²).
std::vector<double> ClassifyPatch(const cv::Mat& patch) {
  const int side = kSrClassifierPatchPx;
  std::vector<float> x(size_t(side) * side);
  double mean = 0;
  for (int y = 0; y < side; ++y) {
    for (int c = 0; c < side; ++c) mean += patch.at<uchar>(y, c);
  }
  mean /= double(side) * side;
  for (int y = 0; y < side; ++y) {
    for (int c = 0; c < side; ++c) x[size_t(y) * side + c] = float((patch.at<uchar>(y, c) - mean) / 255.0);
  }
  int s = side;
  for (const Layer& l : kLayers) {
    x = Convolve(l, x, s);
    s = (s - 1) / l.stride + 1;
  }
  double feature[kFeatures];
  for (int f = 0; f < kFeatures; ++f) {
    double sum = 0;
    for (int i = 0; i < s * s; ++i) sum += x[size_t(f) * s * s + i];
    feature[f] = sum / (s * s);
  }
  std::vector<double> logit(kClasses);
  for (int k = 0; k < kClasses; ++k) {
    logit[k] = kFcBias[k];
    for (int f = 0; f < kFeatures; ++f) logit[k] += kFcWeight[k * kFeatures + f] * feature[f];
  }
  const double top = *std::max_element(logit.begin(), logit.end());
  double total = 0;
  for (double& v : logit) total += (v = std::exp(v - top));
  for (double& v : logit) v /= total;
  return logit;
}

// Mean |4-neighbour Laplacian| over the patch's inner pixels, 8-bit levels.
double Texture(const cv::Mat& p) {
  double sum = 0;
  for (int y = 1; y + 1 < p.rows; ++y) {
    const uchar* r = p.ptr<uchar>(y);
    const uchar* up = p.ptr<uchar>(y - 1);
    const uchar* down = p.ptr<uchar>(y + 1);
    for (int x = 1; x + 1 < p.cols; ++x) sum += std::abs(4 * r[x] - up[x] - down[x] - r[x - 1] - r[x + 1]);
  }
  return sum / (double(p.rows - 2) * (p.cols - 2));
}

}  // namespace

std::vector<int> SrClassifierPatchOrigins(int length_px) {
  const int side = kSrClassifierPatchPx;
  if (length_px < side) return {};
  // As many patches as cover the length, spread from one end to the other
  // (overlapping by under a patch in all), so that a 190-px side holds 3
  // patches, not 2 patches and an unread 62-px strip.
  const int n = (length_px + side - 1) / side;
  std::vector<int> origins(size_t(n), 0);
  for (int i = 1; i < n; ++i) origins[size_t(i)] = int(std::lround(double(i) * (length_px - side) / (n - 1)));
  return origins;
}

std::optional<SrClassifierReading> ClassifySrUpscale(const cv::Mat& pixels, int max_patches) {
  const int side = kSrClassifierPatchPx;
  const bool integer_pixels = (pixels.depth() == CV_8U || pixels.depth() == CV_16U) &&
                              (pixels.channels() == 1 || pixels.channels() == 3 || pixels.channels() == 4);
  if (pixels.empty() || pixels.cols < side || pixels.rows < side || max_patches < 1 ||
      !(integer_pixels || pixels.type() == CV_32FC1)) {
    return std::nullopt;
  }
  // Rounded to the nearest level and saturated, as training stored it.
  cv::Mat y8;
  if (pixels.type() == CV_8UC1) {
    y8 = pixels;
  } else if (pixels.type() == CV_32FC1) {
    pixels.convertTo(y8, CV_8U);
  } else {
    y8.create(pixels.size(), CV_8UC1);
    std::vector<float> row(size_t(pixels.cols));
    for (int y = 0; y < pixels.rows; ++y) {
      LumaRowF32(pixels, y, row.data());
      uchar* dst = y8.ptr<uchar>(y);
      for (int x = 0; x < pixels.cols; ++x) dst[x] = cv::saturate_cast<uchar>(row[size_t(x)]);
    }
  }
  const std::vector<int> rows = SrClassifierPatchOrigins(y8.rows);
  const std::vector<int> cols = SrClassifierPatchOrigins(y8.cols);
  std::vector<cv::Rect> textured;
  for (int y : rows) {
    for (int x : cols) {
      const cv::Rect r(x, y, side, side);
      if (Texture(y8(r)) >= kSrClassifierMinTexture) textured.push_back(r);
    }
  }
  if (int(textured.size()) < kSrClassifierMinPatches) return std::nullopt;
  const int n = std::min<int>(max_patches, int(textured.size()));
  std::vector<double> mean(kClasses, 0.0);
  for (int i = 0; i < n; ++i) {
    const cv::Rect r = textured[size_t(double(i) * textured.size() / n)];
    const std::vector<double> p = ClassifyPatch(y8(r));
    for (int k = 0; k < kClasses; ++k) mean[k] += p[k] / n;
  }
  SrClassifierReading out;
  out.network_probability = 1.0 - mean[0];
  out.factor = 2 + int(std::max_element(mean.begin() + 1, mean.end()) - (mean.begin() + 1));
  out.patches = n;
  return out;
}

bool SrClassifierFlags(const SrClassifierReading& reading) {
  const double line = reading.factor == 2 ? kSrClassifierX2FlagProbability : kSrClassifierFlagProbability;
  return reading.factor >= 2 && reading.network_probability >= line;
}

}  // namespace acuity
