#include "analysis/measurements/qa_alignment.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"

namespace acuity {

const char* QaGeometryName(QaGeometry geometry) {
  switch (geometry) {
    case QaGeometry::kSame: return "same";
    case QaGeometry::kCrop: return "crop";
    case QaGeometry::kPad: return "pad";
    case QaGeometry::kStretch: return "stretch";
  }
  return "same";
}

namespace {

// Below this side, px, nothing is searched: too little to match.
constexpr int kMinSidePx = 16;
// A geometry other than the stretch is kept only when it matches clearly
// better (its RMSE below this share of the stretch's): on flat or uniform
// content every placement matches, and the whole picture is then compared.
constexpr double kMustBeatStretch = 0.9;

// output px = scale · input px + offset.
struct Mapping {
  QaGeometry geometry = QaGeometry::kStretch;
  double scale = 1;
  cv::Point2d offset;
  double rmse = 0;
};

cv::Mat ResizeLuma(const cv::Mat& luma, cv::Size size) {
  if (luma.size() == size) return luma;
  cv::Mat out;
  const bool down = size.width <= luma.cols && size.height <= luma.rows;
  cv::resize(luma, out, size, 0, 0, down ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

// Vertex of the parabola through three samples around a minimum, in
// [−0.5, 0.5] of a step.
double SubStep(float before, float at, float after) {
  const double curvature = double(before) - 2.0 * at + after;
  if (curvature <= 0) return 0;
  return std::clamp(0.5 * (double(before) - after) / curvature, -0.5, 0.5);
}

// Where `templ` lies in `image` (≥ it on both axes), to a fraction of a
// pixel, and the luma RMSE there.
struct Match {
  cv::Point2d at;
  double rmse = 0;
};
Match BestMatch(const cv::Mat& image, const cv::Mat& templ) {
  cv::Mat r;
  cv::matchTemplate(image, templ, r, cv::TM_SQDIFF);
  double min_value = 0;
  cv::Point loc;
  cv::minMaxLoc(r, &min_value, nullptr, &loc);
  Match m;
  m.at = cv::Point2d(loc);
  if (loc.x > 0 && loc.x + 1 < r.cols)
    m.at.x += SubStep(r.at<float>(loc.y, loc.x - 1), r.at<float>(loc), r.at<float>(loc.y, loc.x + 1));
  if (loc.y > 0 && loc.y + 1 < r.rows)
    m.at.y += SubStep(r.at<float>(loc.y - 1, loc.x), r.at<float>(loc), r.at<float>(loc.y + 1, loc.x));
  m.rmse = std::sqrt(std::max(0.0, min_value) / double(templ.total()));
  return m;
}

// One placement hypothesis: the input enlarged by `scale` (output px per
// input px), then cut to the output (crop) or centred somewhere on it
// (pad). Tried at the working resolution `work` (working px per input px).
std::optional<Mapping> TryScale(const cv::Mat& in_work, cv::Size in, const cv::Mat& out_luma, double scale,
                                double work) {
  // The output brought to the input's working resolution.
  cv::Size size(int(std::lround(out_luma.cols * work / scale)), int(std::lround(out_luma.rows * work / scale)));
  // A pixel's rounding on an axis that spans both: the same extent.
  if (std::abs(size.width - in_work.cols) <= 1) size.width = in_work.cols;
  if (std::abs(size.height - in_work.rows) <= 1) size.height = in_work.rows;
  if (size.width < 4 || size.height < 4) return std::nullopt;
  const cv::Mat out_work = ResizeLuma(out_luma, size);
  Mapping mapping;
  mapping.scale = scale;
  if (size.width <= in_work.cols && size.height <= in_work.rows) {
    const Match m = BestMatch(in_work, out_work);  // the output is part of the input
    mapping.geometry = QaGeometry::kCrop;
    mapping.offset = -scale * cv::Point2d(m.at.x * in.width / in_work.cols, m.at.y * in.height / in_work.rows);
    mapping.rmse = m.rmse;
  } else if (size.width >= in_work.cols && size.height >= in_work.rows) {
    const Match m = BestMatch(out_work, in_work);  // the input is part of the output
    mapping.geometry = QaGeometry::kPad;
    mapping.offset = cv::Point2d(m.at.x * out_luma.cols / double(size.width),
                                 m.at.y * out_luma.rows / double(size.height));
    mapping.rmse = m.rmse;
  } else {
    return std::nullopt;  // larger on one axis, smaller on the other: not a geometry acuity makes
  }
  return mapping;
}

// The part of the input that `mapping` puts inside the output (whole input
// px, rounded inwards), and where it lands in the output.
void Regions(const Mapping& mapping, cv::Size in, cv::Size out, QaAlignment& a) {
  auto span = [&](double offset, int in_extent, int out_extent, int& lo, int& hi) {
    const double first = std::max(0.0, -offset / mapping.scale);
    const double last = std::min(double(in_extent), (out_extent - offset) / mapping.scale);
    lo = std::clamp(int(std::ceil(first - 0.05)), 0, in_extent);
    hi = std::clamp(int(std::floor(last + 0.05)), lo, in_extent);
  };
  int x0, x1, y0, y1;
  span(mapping.offset.x, in.width, out.width, x0, x1);
  span(mapping.offset.y, in.height, out.height, y0, y1);
  a.input_rect = cv::Rect(x0, y0, x1 - x0, y1 - y0);
  auto to_out = [&](int v, double offset, int out_extent) {
    return std::clamp(int(std::lround(mapping.scale * v + offset)), 0, out_extent);
  };
  const int ox0 = to_out(x0, mapping.offset.x, out.width), ox1 = to_out(x1, mapping.offset.x, out.width);
  const int oy0 = to_out(y0, mapping.offset.y, out.height), oy1 = to_out(y1, mapping.offset.y, out.height);
  a.output_rect = cv::Rect(ox0, oy0, ox1 - ox0, oy1 - oy0);
}

double AspectChangePct(cv::Size in, cv::Size out) {
  if (in.area() == 0 || out.area() == 0) return 0;
  const double in_aspect = double(in.width) / in.height, out_aspect = double(out.width) / out.height;
  return std::abs(out_aspect / in_aspect - 1.0) * 100.0;
}

}  // namespace

QaAlignment AlignForQa(const cv::Mat& input, const cv::Mat& output) {
  QaAlignment a;
  const cv::Size in = input.size(), out = output.size();
  a.input_rect = cv::Rect(cv::Point(), in);
  a.output_rect = cv::Rect(cv::Point(), out);
  a.aspect_change_pct = AspectChangePct(in, out);
  const double rounding = 1.0 / std::max(1, in.width) + 1.0 / std::max(1, in.height) +
                          1.0 / std::max(1, out.width) + 1.0 / std::max(1, out.height);
  if (a.aspect_change_pct / 100.0 <= kQaSameAspectTolerance + rounding) return a;  // kSame
  if (std::min({in.width, in.height, out.width, out.height}) < kMinSidePx) {
    a.geometry = QaGeometry::kStretch;
    return a;
  }

  const double work = std::min(1.0, double(kQaAlignWorkingPx) / std::max(in.width, in.height));
  const cv::Mat in_work = ResizeLuma(LumaF32(input), cv::Size(std::max(1, int(std::lround(in.width * work))),
                                                              std::max(1, int(std::lround(in.height * work)))));
  const cv::Mat out_luma = LumaF32(output);
  const double wx = double(in_work.cols) / in.width;  // working px per input px, as rounded

  // The plain stretch: what every comparison did before geometry was known.
  a.geometry = QaGeometry::kStretch;
  a.stretch_rmse_8bit = std::sqrt(cv::norm(ResizeLuma(out_luma, in_work.size()), in_work, cv::NORM_L2SQR) /
                                  double(in_work.total()));
  a.match_rmse_8bit = a.stretch_rmse_8bit;

  std::vector<double> scales = {double(out.width) / in.width, double(out.height) / in.height};
  if (out.width <= in.width && out.height <= in.height) scales.push_back(1.0);  // a window cut at 1:1
  std::optional<Mapping> best;
  for (double scale : scales) {
    std::optional<Mapping> m = TryScale(in_work, in, out_luma, scale, wx);
    if (m && (!best || m->rmse < best->rmse)) best = m;
  }
  if (!best || best->rmse >= kMustBeatStretch * a.stretch_rmse_8bit) return a;

  QaAlignment found = a;
  found.geometry = best->geometry;
  found.match_rmse_8bit = best->rmse;
  Regions(*best, in, out, found);
  if (std::min(found.input_rect.width, found.input_rect.height) < kMinSidePx / 2 ||
      std::min(found.output_rect.width, found.output_rect.height) < kMinSidePx / 2)
    return a;
  found.aspect_change_pct = AspectChangePct(found.input_rect.size(), found.output_rect.size());
  return found;
}

}  // namespace acuity
