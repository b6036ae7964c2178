#include "tests/testing/test_images.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace acuity::testing {

namespace fs = std::filesystem;

cv::Mat LoadPhoto(const std::string& name, bool keep_gray) {
  const std::string path = PhotoPath(name);
  cv::Mat image = cv::imread(path, keep_gray ? cv::IMREAD_UNCHANGED : cv::IMREAD_COLOR);
  EXPECT_FALSE(image.empty()) << "missing test photo " << path << " (install python3-skimage via ./setup.sh)";
  if (!image.empty() && image.channels() == 4) cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
  return image;
}

ScratchDir::ScratchDir() {
  std::string tmpl = (fs::temp_directory_path() / "acuity-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
  }
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string SourceDir() { return ACUITY_SOURCE_DIR; }

cv::Mat Exposed(const cv::Mat& photo, double gain, bool darken) {
  cv::Mat out;
  photo.convertTo(out, -1, gain, darken ? -255.0 * (gain - 1.0) : 0.0);
  return out;
}

cv::Mat TileSeams(const cv::Mat& bgr, int tile_px) {
  static const int kOffsets[] = {3, -2, 1, -3, 2, -1, 3, 0, -2, 2, -3, 1};
  cv::Mat out = bgr.clone();
  int k = 0;
  for (int y = 0; y < out.rows; y += tile_px)
    for (int x = 0; x < out.cols; x += tile_px, ++k) {
      cv::Mat tile = out(cv::Rect(x, y, std::min(tile_px, out.cols - x), std::min(tile_px, out.rows - y)));
      tile += cv::Scalar::all(std::max(0, kOffsets[k % 12]));
      tile -= cv::Scalar::all(std::max(0, -kOffsets[k % 12]));
    }
  return out;
}

std::vector<std::string> DataUriBytes(const std::string& html, const std::string& mime) {
  static const std::string kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string prefix = "data:" + mime + ";base64,";
  std::vector<std::string> out;
  for (size_t at = html.find(prefix); at != std::string::npos; at = html.find(prefix, at + 1)) {
    std::string bytes;
    int bits = 0;
    uint32_t acc = 0;  // the bits not yet emitted (at most 14)
    for (size_t i = at + prefix.size(); i < html.size(); ++i) {
      const size_t v = kTable.find(html[i]);
      if (v == std::string::npos) break;  // '=' or the URI's end
      acc = ((acc << 6) | uint32_t(v)) & 0x3FFF, bits += 6;
      if (bits >= 8) bits -= 8, bytes.push_back(char((acc >> bits) & 0xFF));
    }
    out.push_back(std::move(bytes));
  }
  return out;
}

}  // namespace acuity::testing
