#include "datasets/wild_ladders.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "datasets/markdown_blocks.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/synthetic_images.h"
#include "tests/testing/wild_degradations.h"

namespace acuity::datasets {
namespace {

// The real photos (synthetic charts, palettes and clock_motion left out).
constexpr const char* kPhotos[] = {"astronaut", "brick", "bw_text", "camera", "cell", "chelsea", "coffee",
                                   "coins", "grass", "gravel", "hubble_deep_field", "ihc", "moon",
                                   "motorcycle_left", "motorcycle_right", "page", "retina", "rocket", "text"};

struct Crop {
  const char* photo;
  const char* content;
  int x, y, w, h;  // full-resolution px; clipped to the photo
};
// Content classes, chosen by looking at the photos (full resolution).
constexpr Crop kCrops[] = {
    {"grass", "foliage", 0, 0, 256, 256},          {"grass", "foliage", 256, 256, 256, 256},
    {"grass", "foliage", 0, 256, 256, 256},        {"rocket", "foliage", 0, 171, 200, 256},
    {"chelsea", "fur", 120, 30, 256, 256},         {"chelsea", "fur", 0, 44, 200, 256},
    {"chelsea", "fur", 250, 100, 200, 200},        {"coffee", "texture", 0, 0, 256, 256},
    {"brick", "architecture", 0, 0, 256, 256},     {"brick", "architecture", 256, 256, 256, 256},
    {"rocket", "architecture", 220, 0, 256, 256},  {"motorcycle_left", "architecture", 240, 120, 256, 256},
    {"motorcycle_right", "architecture", 400, 200, 256, 256},
    {"astronaut", "faces", 140, 20, 256, 256},     {"camera", "faces", 170, 20, 200, 200},
    {"astronaut", "faces", 180, 60, 160, 160},     {"camera", "faces", 150, 0, 256, 256},
    {"text", "text", 0, 0, 224, 172},              {"text", "text", 224, 0, 224, 172},
    {"page", "text", 0, 0, 192, 191},              {"page", "text", 192, 0, 192, 191},
    {"bw_text", "text", 0, 0, 256, 256},           {"bw_text", "text", 256, 0, 256, 256},
    {"gravel", "texture", 0, 0, 256, 256},         {"coins", "texture", 64, 40, 256, 256},
    {"moon", "texture", 128, 128, 256, 256},       {"hubble_deep_field", "texture", 300, 300, 256, 256},
    {"ihc", "texture", 0, 0, 256, 256},            {"retina", "texture", 600, 600, 256, 256},
};

// The convolution kernel of DemosaicLikeCorrelation: (1 − m)·δ + m·[1 2 1]ᵀ[1 2 1]/16.
double CorrelationGain(double mix) {
  const double centre = 1 - mix + mix * 4 / 16.0;
  const double rest = mix * mix * (4 * (1 / 16.0) * (1 / 16.0) + 4 * (2 / 16.0) * (2 / 16.0));
  return std::sqrt(centre * centre + rest);
}

}  // namespace

uint64_t NameSeed(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

cv::Mat ReadPhoto(const std::string& photo_dir, const std::string& name) {
  for (const char* ext : {".png", ".jpg"}) {
    const std::string path = photo_dir + "/" + name + ext;
    if (!std::filesystem::exists(path)) continue;
    cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
    if (m.empty()) return m;
    if (m.depth() != CV_8U) m.convertTo(m, CV_8U, 255.0 / 65535.0);
    if (m.channels() == 4) cv::cvtColor(m, m, cv::COLOR_BGRA2BGR);
    return m;
  }
  return cv::Mat();
}

std::vector<WildItem> WildPhotos(const std::string& photo_dir) {
  std::vector<WildItem> out;
  for (const char* name : kPhotos) {
    cv::Mat photo = ReadPhoto(photo_dir, name);
    if (photo.empty()) continue;
    if (std::min(photo.cols, photo.rows) >= 512)
      cv::resize(photo, photo, cv::Size(photo.cols / 2, photo.rows / 2), 0, 0, cv::INTER_AREA);
    const int w = std::min(photo.cols, 512), h = std::min(photo.rows, 512);
    out.push_back({name, "photo", photo(cv::Rect((photo.cols - w) / 2, (photo.rows - h) / 2, w, h)).clone()});
  }
  return out;
}

std::vector<WildItem> ContentCrops(const std::string& photo_dir) {
  std::vector<WildItem> out;
  for (const Crop& c : kCrops) {
    const cv::Mat photo = ReadPhoto(photo_dir, c.photo);
    if (photo.empty()) continue;
    const cv::Rect r = cv::Rect(c.x, c.y, c.w, c.h) & cv::Rect(0, 0, photo.cols, photo.rows);
    if (r.width < 128 || r.height < 128) continue;
    out.push_back({fmt::format("{}@{},{}", c.photo, c.x, c.y), c.content, photo(r).clone()});
  }
  return out;
}

std::vector<WildItem> Fences() {
  struct F { double period, angle, duty; };
  std::vector<WildItem> out;
  for (const F f : {F{6, 0, 0.5}, F{8, 90, 0.5}, F{10, 120, 0.25}, F{12, 45, 0.5}, F{14, 75, 0.4}, F{16, 0, 0.3},
                    F{20, 30, 0.5}, F{24, 10, 0.35}, F{28, 90, 0.2}, F{40, 60, 0.5}, F{9, 170, 0.5}, F{18, 135, 0.6}}) {
    const std::string name = fmt::format("fence_p{:.0f}_a{:.0f}_d{:.2f}", f.period, f.angle, f.duty);
    out.push_back({name, "fence",
                   testing::AddNoise(testing::Fence(cv::Size(384, 384), f.period, f.angle, f.duty), 2.0,
                                     NameSeed(name))});
  }
  return out;
}

std::vector<WildItem> FlatGraphics() {
  std::vector<WildItem> drawn;
  for (uint64_t seed : {1, 2}) {
    drawn.push_back({fmt::format("ui_light_{}", seed), "ui", testing::UiScreenshot(testing::UiStyle::kLight, seed)});
    drawn.push_back({fmt::format("ui_dark_{}", seed), "ui", testing::UiScreenshot(testing::UiStyle::kDark, seed)});
    drawn.push_back({fmt::format("bar_chart_{}", seed), "chart", testing::BarChart(seed)});
  }
  // Logos: a disc and a bar; a ring and a square.
  cv::Mat logo(500, 500, CV_8UC3, cv::Scalar::all(255));
  cv::circle(logo, {250, 250}, 140, cv::Scalar(40, 40, 220), cv::FILLED, cv::LINE_AA);
  cv::rectangle(logo, cv::Rect(80, 210, 340, 80), cv::Scalar(20, 20, 20), cv::FILLED);
  drawn.push_back({"logo_disc_bar", "logo", logo});
  cv::Mat ring(400, 600, CV_8UC3, cv::Scalar::all(255));
  cv::circle(ring, {200, 200}, 120, cv::Scalar(200, 120, 0), 30, cv::LINE_AA);
  cv::rectangle(ring, cv::Rect(360, 90, 200, 200), cv::Scalar(0, 160, 60), cv::FILLED);
  drawn.push_back({"logo_ring_square", "logo", ring});
  // Products in flat colours on white: boxes and panels side by side.
  for (int layout = 0; layout < 3; ++layout) {
    cv::Mat shot(500, 500, CV_8UC3, cv::Scalar::all(255));
    const int n = 2 + layout;
    for (int i = 0; i < n; ++i) {
      const int w = 380 / n - 10;
      cv::rectangle(shot, cv::Rect(60 + i * (w + 10), 100 + 20 * layout, w, 300 - 40 * layout),
                    cv::Scalar(30 + 70 * i, 180 - 50 * i, 200 - 30 * layout), cv::FILLED);
    }
    drawn.push_back({fmt::format("flat_product_{}", layout), "product", shot});
  }
  std::vector<WildItem> out;
  for (const WildItem& d : drawn) {
    out.push_back(d);
    out.push_back({d.name + "_q90", d.content, JpegRoundTrip(d.image, 90)});
  }
  return out;
}

std::string WildBlockOf(const std::string& markdown) { return BlockOf(markdown, kWildBlockName); }

std::string WithWildBlock(const std::string& markdown, const std::string& block) {
  return WithBlock(markdown, block, kWildBlockName);
}

cv::Mat JpegRoundTrip(const cv::Mat& image, int quality) {
  std::vector<uchar> bytes;
  cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
}

cv::Mat AddCameraNoise(const cv::Mat& clean, const CameraNoise& noise, uint64_t seed) {
  cv::Mat out = testing::AddSignalDependentNoise(clean, noise.a, noise.b, seed);
  if (noise.demosaic_mix > 0) {
    // Correlate the noise only: the clean image stays as it is.
    cv::Mat n, c, corr;
    out.convertTo(n, CV_32F);
    clean.convertTo(c, CV_32F);
    cv::Mat only_noise = n - c;
    const cv::Mat correlated = testing::DemosaicLikeCorrelation(only_noise + 128.0f, noise.demosaic_mix);
    correlated.convertTo(corr, CV_32F);
    cv::Mat sum = c + corr - 128.0f;
    sum.convertTo(out, CV_8U);
  }
  if (noise.jpeg_quality > 0) out = JpegRoundTrip(out, noise.jpeg_quality);
  return out;
}

std::optional<double> TrueNoiseSigma(const cv::Mat& clean, const CameraNoise& noise, double from, double to) {
  double sum = 0;
  size_t n = 0;
  const cv::Mat flat = clean.reshape(1);
  for (int r = 0; r < flat.rows; ++r) {
    const uchar* p = flat.ptr<uchar>(r);
    for (int c = 0; c < flat.cols; ++c)
      if (p[c] >= from && p[c] < to) sum += p[c], ++n;
  }
  if (n == 0) return std::nullopt;
  const double gain = noise.demosaic_mix > 0 ? CorrelationGain(noise.demosaic_mix) : 1.0;
  return gain * std::sqrt(noise.a * sum / double(n) + noise.b);
}

}  // namespace acuity::datasets
