#include "tests/testing/rendered_text.h"

#include <filesystem>
#include <system_error>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

namespace acuity::testing {
namespace {

// DejaVu Sans's x-height, as a share of the font's pixel height (1118 of
// 2048 units).
constexpr double kDejaVuXHeightShare = 0.546;

// The box of the pixels at least half as dark as the darkest: the ink as a
// reader sees it.
cv::Rect InkBox(const cv::Mat& white, const cv::Mat& drawn) {
  cv::Mat diff;
  cv::absdiff(white, drawn, diff);
  cv::cvtColor(diff, diff, cv::COLOR_BGR2GRAY);
  double peak = 0;
  cv::minMaxLoc(diff, nullptr, &peak);
  cv::Mat ink = diff >= peak / 2;
  return cv::boundingRect(ink);
}

}  // namespace

std::string DejaVuSansPath() {
  for (const char* path : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
  }
  return "";
}

DrawnText DrawText(const cv::Mat& background, const std::string& text, cv::Point at, double x_height_px,
                   cv::Scalar color) {
  DrawnText out;
  out.text = text;
  const std::string font = DejaVuSansPath();
  if (font.empty()) return out;
  cv::Ptr<cv::freetype::FreeType2> ft = cv::freetype::createFreeType2();
  ft->loadFontData(font, 0);
  const int height = std::max(1, int(std::lround(x_height_px / kDejaVuXHeightShare)));
  int baseline = 0;
  const cv::Size size = ft->getTextSize(text, height, -1, &baseline);
  const cv::Point origin(at.x, at.y + size.height);  // bottom-left: the baseline
  // The "x" drawn alone on white at the same size gives the x-height.
  const cv::Mat white(height * 3, height * 3, CV_8UC3, cv::Scalar::all(255));
  cv::Mat x = white.clone();
  ft->putText(x, "x", cv::Point(height, 2 * height), height, cv::Scalar::all(0), -1, cv::LINE_AA, false);
  out.x_height_px = InkBox(white, x).height;
  // The line, and its ink box on white.
  const cv::Mat blank(background.size(), CV_8UC3, cv::Scalar::all(255));
  cv::Mat line = blank.clone();
  ft->putText(line, text, origin, height, cv::Scalar::all(0), -1, cv::LINE_AA, false);
  out.box = InkBox(blank, line);
  out.image = background.clone();
  ft->putText(out.image, text, origin, height, color, -1, cv::LINE_AA, false);
  return out;
}

}  // namespace acuity::testing
