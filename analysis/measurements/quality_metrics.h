// Full-reference image quality metrics: how close a test image is to a
// reference of the same size. Used by `acuity qa --reference` and by the
// QA checks (which compare an output with its input).
//
// PSNR-Y and SSIM follow the super-resolution convention: BT.601 Y
// (16 + (65.481 R + 128.553 G + 24.966 B) / 255, R, G, B in 0–255), a border
// of `border_px` (the scale factor, by convention) cropped on every side,
// Gaussian window 11×11 σ 1.5, K1 0.01, K2 0.03, L 255 — the numbers of
// scikit-image's structural_similarity(gaussian_weights=True, sigma=1.5,
// use_sample_covariance=False, data_range=255) on that Y.
//
//   acuity::FullReferenceMetrics m = acuity::CompareWithReference(ref, out, /*border_px=*/4);
//   fmt::print("PSNR-Y {:.2f} dB, SSIM {:.4f}\n", m.psnr_y_db, m.ssim);
//
// Pixels: 8- or 16-bit (or float in 8-bit units), gray / BGR / BGRA; alpha
// is ignored. Every function expects the two images to have the same size.
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_QUALITY_METRICS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_QUALITY_METRICS_H_

#include <opencv2/core.hpp>

#include "analysis/measurements/percentile.h"  // Percentile of the maps (delta_e00_p95)

namespace acuity {

// BT.601 "studio swing" luma of the super-resolution convention, 16–235,
// CV_64FC1.
cv::Mat SrLuma(const cv::Mat& pixels);

// Local SSIM terms of two planes with the Gaussian 11×11 σ 1.5 window
// (borders reflected as scikit-image does). The planes are single-channel
// CV_32F or CV_64F in 8-bit units (data range 255); the maps have the
// planes' depth and size.
struct SsimMaps {
  cv::Mat ssim;                // l · c · s
  cv::Mat contrast_structure;  // (2 σxy + C2) / (σx² + σy² + C2)
  cv::Mat contrast;            // (2 σx σy + C2) / (σx² + σy² + C2)
  cv::Mat sigma_x;             // local std-dev of x, 8-bit units
  cv::Mat sigma_y;             // local std-dev of y, 8-bit units
};
// `wanted`: which maps to fill (the others stay empty), a mask of:
enum SsimMapMask {
  kSsimMap = 1,
  kContrastStructureMap = 2,
  kContrastMap = 4,
  kSigmaMaps = 8,
  kAllSsimMaps = 15,
};
SsimMaps ComputeSsimMaps(const cv::Mat& x_plane, const cv::Mat& y_plane,
                         int wanted = kAllSsimMaps);

// Local std-dev of a plane (CV_32F or CV_64F, 8-bit units) in the SSIM
// window (Gaussian 11×11 σ 1.5), same depth and size: the σx of SsimMaps.
cv::Mat LocalSigma(const cv::Mat& plane);

// PSNR of the Y planes in dB (peak 255); +infinity for identical images.
double PsnrY(const cv::Mat& reference, const cv::Mat& test, int border_px);

// Mean SSIM of the Y planes over the area where the 11×11 window fits.
double SsimY(const cv::Mat& reference, const cv::Mat& test, int border_px);

// Per-pixel SSIM of the Y planes at full size (no crop), CV_32FC1, 1 = same.
cv::Mat SsimMapY(const cv::Mat& reference, const cv::Mat& test);

// Multi-scale SSIM (Wang, Simoncelli & Bovik 2003) of the Y planes: five
// scales, weights 0.0448, 0.2856, 0.3001, 0.2363, 0.1333, 2×2 averaging and
// decimation between scales (odd sides: the last row/column mirrored), mean
// contrast-structure at scales 1–4 and mean SSIM at scale 5, each clamped at
// 0. Needs a side of at least 176 px after the crop for all five scales; a
// smaller image uses the scales that fit (the coarsest ≥ 11 px) with the
// weights renormalised to sum to 1, and reports how many in `scales_used`.
// NaN when even the first scale does not fit.
double MsSsimY(const cv::Mat& reference, const cv::Mat& test, int border_px,
               int* scales_used = nullptr);

// Gradient magnitude similarity deviation (Xue, Zhang, Mou & Bovik 2014, as
// their GMSD.m): luma 0.299 R + 0.587 G + 0.114 B (0–255), 2×2 average and
// decimation by 2, 3×3 Prewitt/3 with zero padding, c = 170, standard
// deviation (N − 1) of the similarity map. 0 = same; larger is worse
// (about 0.05–0.2 for visibly degraded images).
double Gmsd(const cv::Mat& reference, const cv::Mat& test, int border_px);

// CIEDE2000 colour difference per pixel between two images, CV_32FC1, after
// converting both from sRGB (D65) to CIELAB. 1 ≈ a just-noticeable difference.
cv::Mat DeltaE2000Map(const cv::Mat& a, const cv::Mat& b);

struct FullReferenceMetrics {
  int border_px = 0;
  double psnr_y_db = 0;  // +infinity when identical
  double ssim = 0;       // 1 = identical
  double ms_ssim = 0;    // 1 = identical
  int ms_ssim_scales = 0;
  double gmsd = 0;       // 0 = identical
};

// All four at once. Both images must have the same size.
FullReferenceMetrics CompareWithReference(const cv::Mat& reference, const cv::Mat& test,
                                          int border_px);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_QUALITY_METRICS_H_
