#include "analysis/measurements/qa_alignment.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
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
// The shown part is rounded inwards to whole input pixels, except for a row
// or column that lies outside by less than this fraction of a pixel (the
// placement's own uncertainty).
constexpr double kWholePixelSlack = 0.2;
// The geometries are tried where the cut (or border) the aspects imply
// spans at least this many px of the working resolution.
constexpr double kMinWorkingCutPx = 4.0;
// A same-aspect output is tried as a trim or a mat at 1:1 when it keeps at
// least this share of the input's sides (or adds at most the inverse).
constexpr double kMinTrimShare = 0.5;
// ... and kept when it matches as a copy: under this share of the resize's
// RMSE, and under this many 8-bit levels.
constexpr double kTrimMustBeatResize = 0.5;
constexpr double kTrimMaxRmse8bit = 12.0;

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
// pixel, and the luma RMSE there. With `near`, only positions within
// `radius` px of it are tried.
struct Match {
  cv::Point2d at;
  double rmse = 0;
};
Match BestMatch(const cv::Mat& image, const cv::Mat& templ, std::optional<cv::Point2d> near = std::nullopt,
                int radius = 0) {
  cv::Rect window(cv::Point(), image.size());
  if (near) {
    const int x0 = std::clamp(int(std::floor(near->x)) - radius, 0, image.cols - templ.cols);
    const int y0 = std::clamp(int(std::floor(near->y)) - radius, 0, image.rows - templ.rows);
    const int x1 = std::clamp(int(std::ceil(near->x)) + radius, x0, image.cols - templ.cols);
    const int y1 = std::clamp(int(std::ceil(near->y)) + radius, y0, image.rows - templ.rows);
    window = cv::Rect(x0, y0, x1 - x0 + templ.cols, y1 - y0 + templ.rows);
  }
  cv::Mat r;
  cv::matchTemplate(image(window), templ, r, cv::TM_SQDIFF);
  double min_value = 0;
  cv::Point loc;
  cv::minMaxLoc(r, &min_value, nullptr, &loc);
  Match m;
  m.at = cv::Point2d(loc + window.tl());
  m.rmse = std::sqrt(std::max(0.0, min_value) / double(templ.total()));
  if (!near) {
    if (loc.x > 0 && loc.x + 1 < r.cols)
      m.at.x += SubStep(r.at<float>(loc.y, loc.x - 1), r.at<float>(loc), r.at<float>(loc.y, loc.x + 1));
    if (loc.y > 0 && loc.y + 1 < r.rows)
      m.at.y += SubStep(r.at<float>(loc.y - 1, loc.x), r.at<float>(loc), r.at<float>(loc.y + 1, loc.x));
    return m;
  }
  // The fraction of a pixel from the phase of the cross-power spectrum
  // (a parabola through the squared differences leans towards whole pixels
  // on detailed content).
  const cv::Mat matched = image(cv::Rect(loc + window.tl(), templ.size()));
  cv::Mat hann;
  cv::createHanningWindow(hann, templ.size(), CV_32F);
  const cv::Point2d shift = cv::phaseCorrelate(templ, matched, hann);
  if (std::abs(shift.x) < 1.0 && std::abs(shift.y) < 1.0) m.at += shift;
  return m;
}

// One placement hypothesis: the input enlarged by `scale` (output px per
// input px), then cut to the output (crop) or put somewhere on it (pad),
// tried with the input at `in_res` (its own size × some resolution). With
// `near` (the same hypothesis found at a coarser resolution), only
// positions within a few pixels of it are tried.
std::optional<Mapping> TryScale(const cv::Mat& in_res, cv::Size in, const cv::Mat& out_luma, double scale,
                                const std::optional<Mapping>& near = std::nullopt, int radius = 0) {
  const double res = double(in_res.cols) / in.width;  // px at this resolution per input px
  // The output brought to the input's resolution.
  const double exact_w = out_luma.cols * res / scale, exact_h = out_luma.rows * res / scale;
  cv::Size size(int(std::lround(exact_w)), int(std::lround(exact_h)));
  // An axis that spans both up to the rounding of the output's sides (half
  // an output px on this axis, and the other's share: `scale` came from
  // it) is the same extent. Not a whole pixel: one row of 172 cut by a
  // print's crop is a crop.
  const double half_px = 0.5 * res / scale;
  if (std::abs(exact_w - in_res.cols) <= half_px + 0.5 * exact_w / out_luma.rows) size.width = in_res.cols;
  if (std::abs(exact_h - in_res.rows) <= half_px + 0.5 * exact_h / out_luma.cols) size.height = in_res.rows;
  if (size.width < 4 || size.height < 4) return std::nullopt;
  const cv::Mat out_res = ResizeLuma(out_luma, size);
  const cv::Point2d to_res(double(in_res.cols) / in.width, double(in_res.rows) / in.height);
  const cv::Point2d out_to_res(double(size.width) / out_luma.cols, double(size.height) / out_luma.rows);
  Mapping mapping;
  mapping.scale = scale;
  if (size.width <= in_res.cols && size.height <= in_res.rows) {  // the output is part of the input
    std::optional<cv::Point2d> expected;
    if (near) expected = cv::Point2d(-near->offset.x / scale * to_res.x, -near->offset.y / scale * to_res.y);
    const Match m = BestMatch(in_res, out_res, expected, radius);
    mapping.geometry = QaGeometry::kCrop;
    mapping.offset = -scale * cv::Point2d(m.at.x / to_res.x, m.at.y / to_res.y);
    mapping.rmse = m.rmse;
  } else if (size.width >= in_res.cols && size.height >= in_res.rows) {  // the input is part of the output
    std::optional<cv::Point2d> expected;
    if (near) expected = cv::Point2d(near->offset.x * out_to_res.x, near->offset.y * out_to_res.y);
    const Match m = BestMatch(out_res, in_res, expected, radius);
    mapping.geometry = QaGeometry::kPad;
    mapping.offset = cv::Point2d(m.at.x / out_to_res.x, m.at.y / out_to_res.y);
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
    lo = std::clamp(int(std::ceil(first - kWholePixelSlack)), 0, in_extent);
    hi = std::clamp(int(std::floor(last + kWholePixelSlack)), lo, in_extent);
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
  // Aspects that differ by no more than a pixel's rounding of each output
  // side are the same geometry (the input's sides are what they are: a row
  // or column less of them is a crop, 0.6 % of 172 rows) — a resize of the
  // whole input, unless a trim or a mat at 1:1 matches clearly better (the
  // only same-aspect cut searched: a scanner's border trimmed by 2 px on
  // every side, or a 32-px mat, were compared as the whole input squeezed or
  // stretched, and failed on colour, halos and "tile seams" they do not
  // have). A same-aspect crop that is also resized is not searched.
  const double rounding = 1.0 / std::max(1, out.width) + 1.0 / std::max(1, out.height);
  const bool same_aspect = a.aspect_change_pct / 100.0 <= rounding;
  const double wider = double(out.width) / in.width, taller = double(out.height) / in.height;
  const bool trim_or_mat = (wider < 1 && taller < 1 && std::min(wider, taller) >= kMinTrimShare) ||
                           (wider > 1 && taller > 1 && std::max(wider, taller) <= 1.0 / kMinTrimShare);
  if (same_aspect && !trim_or_mat) return a;  // kSame
  if (std::min({in.width, in.height, out.width, out.height}) < kMinSidePx) {
    if (!same_aspect) a.geometry = QaGeometry::kStretch;
    return a;
  }

  // The working resolution: kQaAlignWorkingPx on the long side, or finer
  // (up to the refinement's) where the output's aspect cuts or adds under
  // kMinWorkingCutPx there: a print's crop of a row or two.
  const double fine = std::min(1.0, double(kQaAlignFinePx) / std::max(in.width, in.height));
  const double cut_px = same_aspect ? std::min(std::abs(in.width - out.width), std::abs(in.height - out.height))
                                    : std::min(std::abs(in.width - double(out.width) * in.height / out.height),
                                               std::abs(in.height - double(out.height) * in.width / out.width));
  const double work = std::min(fine, std::max(double(kQaAlignWorkingPx) / std::max(in.width, in.height),
                                              kMinWorkingCutPx / std::max(cut_px, 1e-9)));
  const cv::Mat in_work = ResizeLuma(LumaF32(input), cv::Size(std::max(1, int(std::lround(in.width * work))),
                                                              std::max(1, int(std::lround(in.height * work)))));
  const cv::Mat out_luma = LumaF32(output);
  const double wx = double(in_work.cols) / in.width;  // working px per input px, as rounded

  // The plain stretch: what every comparison did before geometry was known
  // (with the same aspect: the resize).
  a.geometry = same_aspect ? QaGeometry::kSame : QaGeometry::kStretch;
  a.stretch_rmse_8bit = std::sqrt(cv::norm(ResizeLuma(out_luma, in_work.size()), in_work, cv::NORM_L2SQR) /
                                  double(in_work.total()));
  a.match_rmse_8bit = a.stretch_rmse_8bit;

  std::vector<double> scales = {wider, taller};
  if (out.width <= in.width && out.height <= in.height) scales.push_back(1.0);  // a window cut at 1:1
  if (same_aspect) scales = {1.0};  // a trim or a mat
  std::optional<Mapping> best;
  for (double scale : scales) {
    std::optional<Mapping> m = TryScale(in_work, in, out_luma, scale);
    if (m && (!best || m->rmse < best->rmse)) best = m;
  }
  if (!best || best->rmse >= kMustBeatStretch * a.stretch_rmse_8bit) return a;
  // A trim or a mat copies the input's pixels: it must match as a copy does
  // (a picture half made white matched the input at 1:1 in its other half
  // better than the whole input stretched over it, and as badly as a guess).
  if (same_aspect && (best->rmse > kTrimMustBeatResize * a.stretch_rmse_8bit || best->rmse > kTrimMaxRmse8bit))
    return a;
  // To a fraction of the input's pixel: the same placement at (up to) full
  // resolution, a few pixels around the coarse one.
  if (fine > wx) {
    const cv::Mat in_fine = ResizeLuma(LumaF32(input), cv::Size(std::max(1, int(std::lround(in.width * fine))),
                                                                std::max(1, int(std::lround(in.height * fine)))));
    const int radius = 2 + int(std::ceil(fine / wx));
    if (std::optional<Mapping> m = TryScale(in_fine, in, out_luma, best->scale, best, radius);
        m && m->geometry == best->geometry)
      best->offset = m->offset;
  }

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

QaOrientation FindOrientationForQa(const cv::Mat& input, const cv::Mat& output) {
  const cv::Size in = input.size(), out = output.size();
  if (std::min({in.width, in.height, out.width, out.height}) < kMinSidePx) return {};
  const double work = std::min(1.0, double(kQaAlignWorkingPx) / std::max(in.width, in.height));
  const cv::Mat in_work = ResizeLuma(LumaF32(input), cv::Size(std::max(1, int(std::lround(in.width * work))),
                                                              std::max(1, int(std::lround(in.height * work)))));
  // The output is compared at the working size: reduced (area) to twice
  // it before its luma is taken, not converted at full size (a 12 MP result).
  const double reduce = std::min(1.0, 2.0 * kQaAlignWorkingPx / std::max(out.width, out.height));
  cv::Mat out_reduced = output;
  if (reduce < 1.0)
    cv::resize(output, out_reduced,
               cv::Size(std::max(1, int(std::lround(out.width * reduce))), std::max(1, int(std::lround(out.height * reduce)))),
               0, 0, cv::INTER_AREA);
  const cv::Mat out_luma = LumaF32(out_reduced);
  auto rmse = [&](const cv::Mat& in_luma) {
    return std::sqrt(cv::norm(ResizeLuma(out_luma, in_luma.size()), in_luma, cv::NORM_L2SQR) /
                     double(in_luma.total()));
  };
  const double upright = rmse(in_work);
  if (upright < kQaTurnMinUprightRmse8bit) return {};
  QaOrientation best;
  double best_rmse = upright;
  for (const bool mirrored : {false, true})
    for (const int degrees : {0, 90, 180, 270}) {
      if (!mirrored && degrees == 0) continue;
      if (const double r = rmse(Oriented(in_work, mirrored, degrees)); r < best_rmse)
        best = {mirrored, degrees}, best_rmse = r;
    }
  return best_rmse <= kQaTurnMustBeatUpright * upright ? best : QaOrientation{};
}

}  // namespace acuity
