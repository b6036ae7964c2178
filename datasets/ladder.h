// Evaluation ladders: real photos degraded with known parameters, and the
// ground-truth label of every variant. `build_ladders` writes them to disk,
// `evaluate` reads them back; unit tests may call the degradations directly.
//
// Every photo is first made "clean": alpha dropped, area-downscaled 2×
// (averaging 4 pixels removes most of the photo's own noise and JPEG damage)
// and centre-cropped to at most 512 px. Each variant is then derived from the
// clean image with the operations below (all 8-bit, gray or BGR):
//
//   cv::Mat clean = acuity::datasets::MakeClean(photo);
//   cv::Mat soft = acuity::datasets::GaussianBlur(clean, /*sigma_px=*/1.5);
//   std::vector<acuity::datasets::Variant> all = acuity::datasets::StandardLadders();
#ifndef ACUITY_DATASETS_LADDER_H_
#define ACUITY_DATASETS_LADDER_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity::datasets {

// Longest side of a clean image and of every variant, px.
inline constexpr int kMaxSidePx = 512;

// Resampling kernels used for upscales (OpenCV's implementations).
enum class Kernel { kNearest, kBilinear, kBicubic, kLanczos };
const char* KernelName(Kernel kernel);  // "nearest", "bilinear", "bicubic", "lanczos"

// The degradation recipe of one variant, applied to the clean image in this
// order: upscale → blur → noise → unsharp mask → JPEG (→ PNG re-save).
struct Recipe {
  std::string ladder;               // "clean", "blur", "noise", "jpeg", "sharpen", "upscale",
                                    // "blur+noise", "noise+jpeg", "upscale+jpeg", "jpeg_tables"
  double upscale_factor = 1.0;      // > 1: the clean image was upscaled f× (from a crop)
  Kernel upscale_kernel = Kernel::kBicubic;
  double blur_sigma_px = 0.0;       // Gaussian σ in px; 0 = none
  double noise_sigma_8bit = 0.0;    // AWGN σ per channel, 8-bit units, clipped to 0–255
  double sharpen_amount = 0.0;      // unsharp mask amount; 0 = none
  double sharpen_radius_px = 0.0;   // unsharp mask Gaussian σ, px
  int jpeg_quality = 0;             // IJG quality 1–100; 0 = never compressed
  // Empty: IJG's tables of jpeg_quality. Else a camera-like table shape
  // (datasets/jpeg_tables.h: "tilt", "flat", "perturbed", "chroma_luma")
  // scaled to the equivalent IJG quality jpeg_quality.
  std::string jpeg_tables{};
  bool png_resave = false;          // JPEG decoded and re-saved losslessly as PNG
};

struct Variant {
  std::string name;  // file-name stem, e.g. "blur_s1.50"
  Recipe recipe;
};

// Every variant of one photo's ladders (see datasets/README.md for the list).
// `quick` keeps a handful (one per ladder) for the smoke test.
std::vector<Variant> StandardLadders(bool quick = false);

// The "jpeg_tables" ladder alone: every camera-like table shape at
// equivalent qualities 10, 20, …, 90, 95, as .jpg and as a PNG re-save.
std::vector<Variant> JpegTablesLadders(bool quick = false);

// The default photos: ≥ 8 different scikit-image photos.
std::vector<std::string> DefaultPhotos();
// Further scikit-image photos (text, a page, microscopy, astronomy, …) held
// out of calibration: only their clean image and the "jpeg_tables" ladder.
std::vector<std::string> HeldOutJpegPhotos();

// Alpha dropped, INTER_AREA downscale by 2, centre crop to kMaxSidePx.
cv::Mat MakeClean(const cv::Mat& photo);

// The operations (8-bit in, 8-bit out, same channel count).
cv::Mat GaussianBlur(const cv::Mat& image, double sigma_px);
// Noise: acuity::testing::AddNoise (tests/testing/add_noise.h), the tests' own.
cv::Mat UnsharpMask(const cv::Mat& image, double amount, double radius_px);
// Upscales a centre crop of `image` chosen so that the result fits
// kMaxSidePx (the crop is the whole image when it already fits).
cv::Mat Upscale(const cv::Mat& image, double factor, Kernel kernel);

// The recipe applied to `clean`: returns the file bytes (PNG or JPEG).
// `seed` makes the noise reproducible.
absl::StatusOr<std::string> RenderVariant(const cv::Mat& clean, const Recipe& recipe, uint64_t seed);
// The file extension a recipe produces: ".jpg" or ".png".
std::string Extension(const Recipe& recipe);

// Ground truth of one file, one JSON object per line in labels.jsonl.
struct Label {
  std::string file;        // relative to the ladder directory, e.g. "coffee/blur_s1.50.png"
  std::string photo;       // e.g. "coffee"
  std::string clean_file;  // the photo's clean image, e.g. "coffee/clean.png"
  Recipe recipe;
  double native_scale() const { return 1.0 / recipe.upscale_factor; }
  bool ever_compressed() const { return recipe.jpeg_quality > 0; }
};

nlohmann::json LabelToJson(const Label& label);
absl::StatusOr<Label> LabelFromJson(const nlohmann::json& j);

// Reads DIR/labels.jsonl.
absl::StatusOr<std::vector<Label>> ReadLabels(const std::string& ladder_dir);

}  // namespace acuity::datasets

#endif  // ACUITY_DATASETS_LADDER_H_
