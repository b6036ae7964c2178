// Test inputs: real photos that Debian's python3-skimage package ships
// (astronaut, coffee, chelsea, rocket, ...), and a scratch directory.
//
//   cv::Mat photo = acuity::testing::LoadPhoto("coffee");   // BGR, 8-bit
//   acuity::testing::ScratchDir dir;                         // removed at exit
//   acuity::testing::WriteBytes(dir.Path("x.jpg"), "not a jpeg");
#ifndef ACUITY_TESTS_TESTING_TEST_IMAGES_H_
#define ACUITY_TESTS_TESTING_TEST_IMAGES_H_

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity::testing {

// Absolute path of scikit-image's photo `name` (without extension), in
// $ACUITY_PHOTO_DIR when set. Inline, so that a test program that must not
// link this library's OpenCV codecs (enhance/gpu/gpu_test.cc, which travels
// to a GPU machine) can name photos the same way.
inline std::string PhotoPath(const std::string& name) {
  const char* dir = std::getenv("ACUITY_PHOTO_DIR");
  const std::string base = dir ? dir : "/usr/lib/python3/dist-packages/skimage/data";
  for (const char* ext : {".png", ".jpg"}) {
    std::string p = base + "/" + name + ext;
    if (std::filesystem::exists(p)) return p;
  }
  return base + "/" + name + ".png";
}

// The photo as 8-bit BGR (gray photos are expanded to 3 channels unless
// `keep_gray`). Fails the current test (and returns empty) when missing.
cv::Mat LoadPhoto(const std::string& name, bool keep_gray = false);

// A temporary directory, removed with its contents when destroyed.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// `photo` (8-bit) overexposed by `gain`: levels × gain, clipped at full
// white; or, with `darken`, underexposed so: (full − levels) × gain below
// full white, clipped at black. A blown-out sky or crushed shadows.
cv::Mat Exposed(const cv::Mat& photo, double gain, bool darken = false);

// A tiled upscaler's failure: each tile_px × tile_px tile of `bgr` (8-bit)
// brightened or darkened by a few levels from a fixed sequence, so that a
// grid of steps appears at the tile borders.
cv::Mat TileSeams(const cv::Mat& bgr, int tile_px);

// The bytes of every `data:<mime>;base64,…` URI in `html` (mime e.g.
// "image/png", "image/jpeg"), in order: the pictures a report page embeds.
std::vector<std::string> DataUriBytes(const std::string& html, const std::string& mime);

void WriteBytes(const std::string& path, std::string_view bytes);
std::string ReadBytes(const std::string& path);

// Root of the source tree (for samples/ and tests/data/).
std::string SourceDir();

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_TEST_IMAGES_H_
