#include "tests/testing/synthetic_images.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include <opencv2/imgproc.hpp>

namespace acuity::testing {
namespace {

// Words of 2–9 letters or digits, as a UI's labels and figures.
std::string Word(std::mt19937_64& rng) {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uniform_int_distribution<int> length(2, 9), letter(0, int(sizeof(kLetters)) - 2);
  std::string w;
  for (int n = length(rng); n > 0; --n) w += kLetters[letter(rng)];
  return w;
}

// Words from x until `right`, on the baseline y.
void TextLine(cv::Mat& img, int x, int y, int right, int font, double scale, const cv::Scalar& colour,
              std::mt19937_64& rng) {
  while (true) {
    const std::string w = Word(rng);
    int baseline = 0;
    const cv::Size size = cv::getTextSize(w, font, scale, 1, &baseline);
    if (x + size.width > right) break;
    cv::putText(img, w, cv::Point(x, y), font, scale, colour, 1, cv::LINE_AA);
    x += size.width + int(std::lround(scale * 12));
  }
}

struct Palette {
  cv::Scalar window, title_bar, title_text, panel, text, rule, button, button_text, accent;
};

void Button(cv::Mat& img, cv::Rect r, const Palette& p, const std::string& label, int font, double scale) {
  cv::rectangle(img, r, p.button, cv::FILLED);
  cv::rectangle(img, r, p.rule, 1);
  int baseline = 0;
  const cv::Size size = cv::getTextSize(label, font, scale, 1, &baseline);
  cv::putText(img, label, cv::Point(r.x + (r.width - size.width) / 2, r.y + (r.height + size.height) / 2), font,
              scale, p.button_text, 1, cv::LINE_AA);
}

}  // namespace

cv::Mat UiScreenshot(UiStyle style, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const bool light = style == UiStyle::kLight;
  const Palette p = light ? Palette{{236, 236, 236}, {48, 40, 36}, {240, 240, 240}, {255, 255, 255}, {34, 34, 34},
                                    {200, 200, 200}, {225, 225, 225}, {20, 20, 20}, {215, 120, 0}}
                          : Palette{{40, 34, 30}, {24, 20, 18}, {200, 200, 200}, {56, 48, 43}, {220, 220, 220},
                                    {90, 80, 72}, {120, 84, 0}, {255, 255, 255}, {80, 180, 255}};
  const int font = light ? cv::FONT_HERSHEY_SIMPLEX : cv::FONT_HERSHEY_PLAIN;
  const double scale = light ? 0.4 : 0.8;  // about 11 px from ascender to descender
  const int pitch = light ? 15 : 18;       // text line pitch, px
  cv::Mat img(600, 800, CV_8UC3, p.window);
  // Title bar with the window's name and its three buttons.
  cv::rectangle(img, cv::Rect(0, 0, 800, 28), p.title_bar, cv::FILLED);
  cv::putText(img, "Report - " + Word(rng), cv::Point(12, 19), font, scale * 1.1, p.title_text, 1, cv::LINE_AA);
  for (int i = 0; i < 3; ++i)
    cv::circle(img, cv::Point(748 + 18 * i, 14), 5, light ? p.accent : p.rule, cv::FILLED, cv::LINE_AA);
  // A sidebar (dark style) or a toolbar (light style) of buttons.
  const int content_x = light ? 12 : 180;
  if (light) {
    for (int i = 0; i < 6; ++i) Button(img, cv::Rect(12 + 96 * i, 38, 88, 24), p, Word(rng), font, scale);
  } else {
    cv::rectangle(img, cv::Rect(0, 28, 168, 572), p.panel, cv::FILLED);
    for (int y = 52; y + pitch < 590; y += pitch + 6) TextLine(img, 14, y, 150, font, scale, p.text, rng);
    cv::line(img, cv::Point(168, 28), cv::Point(168, 599), p.rule, 1);
  }
  // Two content panels of text with a 1-px border, a heading rule and a
  // column of figures.
  const int top = light ? 74 : 40;
  const cv::Rect panels[2] = {cv::Rect(content_x, top, 500 - content_x / 2, 590 - top),
                              cv::Rect(content_x + 512 - content_x / 2, top, 800 - 12 - (content_x + 512 - content_x / 2),
                                       590 - top)};
  for (const cv::Rect& panel : panels) {
    cv::rectangle(img, panel, p.panel, cv::FILLED);
    cv::rectangle(img, panel, p.rule, 1);
    cv::putText(img, Word(rng) + " " + Word(rng), cv::Point(panel.x + 10, panel.y + 22), font, scale * 1.3, p.accent,
                1, cv::LINE_AA);
    cv::line(img, cv::Point(panel.x + 10, panel.y + 30), cv::Point(panel.x + panel.width - 10, panel.y + 30), p.rule, 1);
    for (int y = panel.y + 30 + pitch; y + 40 < panel.y + panel.height; y += pitch)
      TextLine(img, panel.x + 10, y, panel.x + panel.width - 10, font, scale, p.text, rng);
    Button(img, cv::Rect(panel.x + panel.width - 90, panel.y + panel.height - 32, 80, 24), p, "OK", font, scale);
  }
  return img;
}

cv::Mat BarChart(uint64_t seed) {
  std::mt19937_64 rng(seed);
  cv::Mat img(480, 640, CV_8UC3, cv::Scalar(255, 255, 255));
  const cv::Scalar ink(60, 60, 60), grid(225, 225, 225);
  const cv::Scalar series[3] = {{180, 119, 31}, {14, 127, 255}, {44, 160, 44}};
  const cv::Rect plot(70, 40, 540, 380);
  const int font = cv::FONT_HERSHEY_SIMPLEX;
  for (int i = 0; i <= 5; ++i) {
    const int y = plot.y + plot.height - i * plot.height / 5;
    cv::line(img, cv::Point(plot.x, y), cv::Point(plot.x + plot.width, y), grid, 1);
    cv::putText(img, std::to_string(20 * i), cv::Point(plot.x - 34, y + 4), font, 0.4, ink, 1, cv::LINE_AA);
  }
  std::uniform_int_distribution<int> height(20, plot.height - 20);
  for (int g = 0; g < 6; ++g) {
    const int x0 = plot.x + 20 + g * 88;
    for (int s = 0; s < 3; ++s) {
      const int h = height(rng);
      cv::rectangle(img, cv::Rect(x0 + 22 * s, plot.y + plot.height - h, 20, h), series[s], cv::FILLED);
    }
    cv::putText(img, "Q" + std::to_string(g + 1), cv::Point(x0 + 20, plot.y + plot.height + 18), font, 0.4, ink, 1,
                cv::LINE_AA);
  }
  cv::line(img, cv::Point(plot.x, plot.y), cv::Point(plot.x, plot.y + plot.height), ink, 1);
  cv::line(img, cv::Point(plot.x, plot.y + plot.height), cv::Point(plot.x + plot.width, plot.y + plot.height), ink, 1);
  for (int s = 0; s < 3; ++s) {
    cv::rectangle(img, cv::Rect(plot.x + 340 + 70 * s, 14, 12, 12), series[s], cv::FILLED);
    cv::putText(img, "S" + std::to_string(s + 1), cv::Point(plot.x + 356 + 70 * s, 25), font, 0.4, ink, 1, cv::LINE_AA);
  }
  cv::putText(img, "Revenue by quarter", cv::Point(plot.x, 28), font, 0.55, ink, 1, cv::LINE_AA);
  return img;
}

}  // namespace acuity::testing
