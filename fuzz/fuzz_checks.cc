#include "fuzz/fuzz_checks.h"

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"

namespace acuity::fuzz {

void Fail(const char* what, const char* context, const char* file, int line) {
  std::fprintf(stderr, "acuity fuzz: contract broken: %s [%s] (%s:%d)\n", what, context, file, line);
  std::abort();
}

LoadOptions FuzzLoadOptions(double max_megapixels) {
  LoadOptions options;
  options.max_megapixels = max_megapixels;
  options.min_side_px = 1;
  return options;
}

void CheckDecoded(const absl::StatusOr<Image>& image, const LoadOptions& options) {
  if (!image.ok()) {
    const absl::StatusCode code = image.status().code();
    FUZZ_CHECK(code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kUnimplemented ||
               code == absl::StatusCode::kResourceExhausted || code == absl::StatusCode::kDataLoss);
    FUZZ_CHECK(!image.status().message().empty());
    return;
  }
  const cv::Mat& pixels = image->pixels;
  FUZZ_CHECK(!pixels.empty());
  FUZZ_CHECK(pixels.depth() == CV_8U || pixels.depth() == CV_16U);
  FUZZ_CHECK(pixels.channels() == 1 || pixels.channels() == 3 || pixels.channels() == 4);
  FUZZ_CHECK(pixels.cols == image->info.width && pixels.rows == image->info.height);
  FUZZ_CHECK(pixels.cols >= options.min_side_px && pixels.rows >= options.min_side_px);
  FUZZ_CHECK(double(pixels.cols) * pixels.rows <= options.max_megapixels * 1e6);
  FUZZ_CHECK(image->info.exif_orientation >= 1 && image->info.exif_orientation <= 8);
  FUZZ_CHECK(image->info.has_icc == !image->info.icc_profile.empty());
  if (image->info.dpi) FUZZ_CHECK(*image->info.dpi > 0);
}

}  // namespace acuity::fuzz
