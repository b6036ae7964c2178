// Measures the PSNR gain of deblocking on JPEG-damaged real photos: each
// scikit-image photo is compressed with libjpeg at IJG quality 10, 20 and 30
// (4:2:0), decoded, repaired with the file's own tables, and compared with
// the clean photo (PSNR over B, G, R and PSNR-Y, dB), for a few variants.
//
//   build/deblock_bench            # all variants (about a minute)
//   build/deblock_bench --check    # the default settings only
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/quality_metrics.h"
#include "enhance/deblock.h"

namespace {

const char* kPhotoDir = "/usr/lib/python3/dist-packages/skimage/data/";

cv::Mat Crop(const char* name, int side) {
  cv::Mat photo = cv::imread(std::string(kPhotoDir) + name, cv::IMREAD_COLOR);
  if (photo.empty()) return photo;
  side = std::min({side, photo.cols, photo.rows});
  return photo(cv::Rect((photo.cols - side) / 2, (photo.rows - side) / 2, side, side)).clone();
}

struct Variant {
  const char* name;
  int shifts;
  bool constrain;
  double threshold = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const bool check_only = argc > 1 && std::strcmp(argv[1], "--check") == 0;
  const std::vector<const char*> names = {"astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg",
                                          "camera.png"};
  const std::vector<int> qualities = {10, 20, 30};
  const double t = acuity::DeblockOptions().threshold_per_step;
  std::vector<Variant> variants = {{"default: 64 grids, hard threshold, constraint", 8, true, t}};
  if (!check_only) {
    variants.push_back({"64 grids, re-quantization (Nosratinia 2001), constraint", 8, true, 0});
    variants.push_back({"64 grids, hard threshold, no constraint", 8, false, t});
    variants.push_back({"16 grids, hard threshold, constraint (4x faster)", 4, true, t});
    variants.push_back({"64 grids, hard threshold 0.2 step, constraint", 8, true, 0.2});
    variants.push_back({"64 grids, hard threshold 0.6 step, constraint", 8, true, 0.6});
  }
  std::printf("PSNR gain (dB) vs the clean photo after deblocking; 320×320 centre crops, 4:2:0\n");
  for (const Variant& v : variants) {
    std::printf("\n%s\n%-14s", v.name, "photo");
    for (int q : qualities) std::printf("  q%-2d: jpeg→out (Δ, ΔY)      ", q);
    std::printf("\n");
    std::vector<double> mean_gain(qualities.size()), mean_gain_y(qualities.size());
    double seconds = 0;
    for (const char* n : names) {
      const cv::Mat clean = Crop(n, 320);
      if (clean.empty()) {
        std::fprintf(stderr, "deblock_bench: missing %s%s (install python3-skimage)\n", kPhotoDir, n);
        return 1;
      }
      std::printf("%-14s", n);
      for (size_t qi = 0; qi < qualities.size(); ++qi) {
        acuity::JpegEncodeOptions enc;
        enc.quality = qualities[qi];
        auto bytes = acuity::EncodeJpeg(clean, enc);
        auto decoded = acuity::DecodeJpeg(*bytes);
        acuity::ImageInfo info;
        info.width = clean.cols;
        info.height = clean.rows;
        info.jpeg = decoded->info;
        auto options = acuity::DeblockOptionsFromJpeg(info);
        options->shifts_per_axis = v.shifts;
        options->constrain_to_stored = v.constrain;
        options->threshold_per_step = v.threshold;
        const auto start = std::chrono::steady_clock::now();
        auto out = acuity::Deblock(decoded->pixels, *options);
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double before = cv::PSNR(clean, decoded->pixels), after = cv::PSNR(clean, *out);
        const double before_y = acuity::PsnrY(clean, decoded->pixels, 0);
        const double after_y = acuity::PsnrY(clean, *out, 0);
        mean_gain[qi] += (after - before) / names.size();
        mean_gain_y[qi] += (after_y - before_y) / names.size();
        std::printf("  %5.2f→%5.2f (%+.2f, %+.2f)", before, after, after - before, after_y - before_y);
      }
      std::printf("\n");
    }
    std::printf("%-14s", "mean gain");
    for (size_t qi = 0; qi < qualities.size(); ++qi)
      std::printf("        (%+.2f, %+.2f)   ", mean_gain[qi], mean_gain_y[qi]);
    std::printf("\n%.2f s per 0.1 MP image\n", seconds / (names.size() * qualities.size()));
  }
  return 0;
}
