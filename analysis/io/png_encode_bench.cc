// Times PNG encoding of a large photo: acuity's EncodePng (blocks deflated on
// the shared thread pool, png_encoder.cc) against libpng on one thread
// (through OpenCV's encoder, the same level and strategy), best of 3 runs
// each, with the file sizes. The photo is scikit-image's chelsea enlarged
// (Lanczos) to W×H, 8-bit RGB: a 4× result of a 1024×768 photo by default.
//
//   build/png_encode_bench [W H [LEVELS]]   # default 4096 3072 6; LEVELS e.g. 1,3,6
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/png_codec.h"
#include "analysis/io/thread_pool.h"

namespace {

template <typename F>
double BestSeconds(F run) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int width = argc > 2 ? std::atoi(argv[1]) : 4096, height = argc > 2 ? std::atoi(argv[2]) : 3072;
  const cv::Mat photo = cv::imread("/usr/lib/python3/dist-packages/skimage/data/chelsea.png", cv::IMREAD_COLOR);
  if (photo.empty() || width < 1 || height < 1) {
    std::fprintf(stderr, "png_encode_bench: needs scikit-image's chelsea.png and a positive W H\n");
    return 2;
  }
  cv::Mat big;
  cv::resize(photo, big, cv::Size(width, height), 0, 0, cv::INTER_LANCZOS4);
  std::vector<int> levels;
  for (const char* p = argc > 3 ? argv[3] : "6"; *p != '\0';) {
    char* end = nullptr;
    const long level = std::strtol(p, &end, 10);
    if (end == p || level < 0 || level > 9 || (*end != ',' && *end != '\0')) {
      std::fprintf(stderr, "png_encode_bench: LEVELS are zlib levels 0-9, comma-separated (e.g. 1,2,6)\n");
      return 2;
    }
    levels.push_back(static_cast<int>(level));
    p = *end == ',' ? end + 1 : end;
  }
  std::printf("%d×%d RGB, %d usable CPUs\n", width, height, acuity::UsableCpus());
  std::printf("| encoder | zlib level | s (best of 3) | MB |\n|---|---|---|---|\n");
  for (int level : levels) {
    std::string ours;
    const double t_ours = BestSeconds([&] { ours = *acuity::EncodePng(big, level); });
    std::vector<uint8_t> libpng;
    const double t_libpng = BestSeconds([&] {
      cv::imencode(".png", big, libpng,
                   {cv::IMWRITE_PNG_COMPRESSION, level, cv::IMWRITE_PNG_STRATEGY, cv::IMWRITE_PNG_STRATEGY_FILTERED});
    });
    std::printf("| acuity EncodePng (blocks on the pool) | %d | %.3f | %.2f |\n", level, t_ours, ours.size() / 1e6);
    std::printf("| libpng, one thread (OpenCV) | %d | %.3f | %.2f |\n", level, t_libpng, libpng.size() / 1e6);
  }
  return 0;
}
