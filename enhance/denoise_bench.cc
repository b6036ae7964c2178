// Measures how the non-local-means strength h should follow the noise σ:
// adds white Gaussian noise of known σ to clean scikit-image photos, denoises
// with h = k·σ for a range of k, and prints the PSNR against the clean photo.
// The k that maximises the mean PSNR becomes kNlmHPerSigma (enhance/denoise.h).
//
//   build/denoise_bench                    # full sweep (a few minutes)
//   build/denoise_bench --check            # PSNR gain at the chosen constants only
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "enhance/denoise.h"
#include "tests/testing/add_noise.h"

namespace {

const char* kPhotoDir = "/usr/lib/python3/dist-packages/skimage/data/";

// A 256×256 centre crop of a scikit-image photo (gray photos stay gray).
cv::Mat Crop(const char* name) {
  cv::Mat photo = cv::imread(std::string(kPhotoDir) + name, cv::IMREAD_UNCHANGED);
  if (photo.empty()) return photo;
  if (photo.channels() == 4) cv::cvtColor(photo, photo, cv::COLOR_BGRA2BGR);
  const int side = 256;
  return photo(cv::Rect((photo.cols - side) / 2, (photo.rows - side) / 2, side, side)).clone();
}

double DenoisedPsnr(const cv::Mat& clean, const cv::Mat& noisy, double sigma, double k, double kc) {
  acuity::DenoiseOptions options;
  options.sigma = sigma;
  options.h_per_sigma = k;
  options.h_color_per_sigma = kc;
  auto out = acuity::Denoise(noisy, options);
  return out.ok() ? cv::PSNR(clean, *out) : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool check_only = argc > 1 && std::strcmp(argv[1], "--check") == 0;
  const std::vector<const char*> names = {"astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg",
                                          "camera.png"};
  const std::vector<double> sigmas = {5, 10, 15, 25};
  std::vector<cv::Mat> clean;
  for (const char* n : names) {
    clean.push_back(Crop(n));
    if (clean.back().empty()) {
      std::fprintf(stderr, "denoise_bench: missing %s%s (install python3-skimage)\n", kPhotoDir, n);
      return 1;
    }
  }
  std::vector<std::vector<cv::Mat>> noisy(sigmas.size());
  for (size_t s = 0; s < sigmas.size(); ++s)
    for (size_t i = 0; i < clean.size(); ++i) noisy[s].push_back(acuity::testing::AddNoise(clean[i], sigmas[s], 1000 * s + i));

  std::printf("PSNR (dB) against the clean photo, 256×256 crops, AWGN σ in 8-bit units\n");
  std::printf("%-14s", "photo");
  for (double s : sigmas) std::printf("   σ=%-2.0f noisy→denoised", s);
  std::printf("\n");
  for (size_t i = 0; i < clean.size(); ++i) {
    std::printf("%-14s", names[i]);
    for (size_t s = 0; s < sigmas.size(); ++s)
      std::printf("   %6.2f → %6.2f      ", cv::PSNR(clean[i], noisy[s][i]),
                  DenoisedPsnr(clean[i], noisy[s][i], sigmas[s], acuity::kNlmHPerSigma,
                               acuity::kNlmHColorPerSigma));
    std::printf("\n");
  }
  if (check_only) return 0;

  // Sweep k (luma) with the colour strength tied to it, then the colour k alone.
  auto mean_psnr = [&](size_t s, double k, double kc) {
    double sum = 0;
    for (size_t i = 0; i < clean.size(); ++i) sum += DenoisedPsnr(clean[i], noisy[s][i], sigmas[s], k, kc);
    return sum / clean.size();
  };
  std::printf("\nmean PSNR over the photos for h = k·σ (colour h tied to k)\n%-6s", "k");
  for (double s : sigmas) std::printf("  σ=%-5.0f", s);
  std::printf("  mean\n");
  // One row per value from `from` to `to`: the mean PSNR per σ for
  // (luma k, colour k) = strengths(value), then their mean; the best value.
  auto sweep = [&](double from, double to, double step, auto strengths) {
    double best_value = 0, best = -1;
    for (double v = from; v <= to + 1e-3; v += step) {
      std::printf("%-6.1f", v);
      double total = 0;
      for (size_t s = 0; s < sigmas.size(); ++s) {
        const auto [k, kc] = strengths(v);
        const double p = mean_psnr(s, k, kc);
        total += p;
        std::printf("  %7.2f", p);
      }
      std::printf("  %7.3f\n", total / sigmas.size());
      if (total > best) best = total, best_value = v;
    }
    return best_value;
  };
  const double best_k = sweep(0.3, 1.3, 0.1, [](double k) { return std::pair<double, double>(k, k); });
  std::printf("best k = %.1f\n\ncolour k at luma k = %.1f\n", best_k, best_k);
  const double best_kc = sweep(0.2, 1.6, 0.2, [&](double kc) { return std::pair<double, double>(best_k, kc); });
  std::printf("best colour k = %.1f\n", best_kc);
  return 0;
}
