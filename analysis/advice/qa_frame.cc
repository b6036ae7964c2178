#include "analysis/advice/qa_frame.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {

Image Part(const Image& image, const cv::Rect& rect) {
  Image part;
  part.info = image.info;
  part.pixels = image.pixels(rect).clone();
  part.info.width = rect.width;
  part.info.height = rect.height;
  return part;
}

cv::Mat IntoFrame(const cv::Mat& values, const cv::Rect& region, cv::Size frame) {
  if (values.empty() || region.area() == 0) return values;
  const double kx = double(values.cols) / region.width, ky = double(values.rows) / region.height;
  const cv::Size size(std::max(values.cols, int(std::lround(frame.width * kx))),
                      std::max(values.rows, int(std::lround(frame.height * ky))));
  cv::Mat framed = cv::Mat::zeros(size, values.type());
  const cv::Point at(std::clamp(int(std::lround(region.x * kx)), 0, size.width - values.cols),
                     std::clamp(int(std::lround(region.y * ky)), 0, size.height - values.rows));
  values.copyTo(framed(cv::Rect(at, values.size())));
  return framed;
}

namespace {

// The alpha plane in 8-bit units (CV_32FC1), or nothing when opaque by format.
std::optional<cv::Mat> Alpha8(const cv::Mat& pixels) {
  if (pixels.channels() != 4) return std::nullopt;
  cv::Mat alpha, alpha8;
  cv::extractChannel(pixels, alpha, 3);
  alpha.convertTo(alpha8, CV_32F, pixels.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
  return alpha8;
}

}  // namespace

void MeasureAlphaChange(const Image& input, const Image& output, QaMetrics& m) {
  const std::optional<cv::Mat> in_alpha = Alpha8(input.pixels), out_alpha = Alpha8(output.pixels);
  m.input_has_alpha = in_alpha.has_value();
  m.output_has_alpha = out_alpha.has_value();
  // At the smaller of the two sizes, as fidelity and colour are compared.
  const cv::Size size = input.pixels.total() <= output.pixels.total() ? input.pixels.size() : output.pixels.size();
  auto at_size = [&](const std::optional<cv::Mat>& alpha) {
    if (!alpha) return cv::Mat(size, CV_32FC1, cv::Scalar(255));
    cv::Mat resized;
    cv::resize(*alpha, resized, size, 0, 0, cv::INTER_AREA);
    return resized;
  };
  const cv::Mat a = at_size(in_alpha), b = at_size(out_alpha);
  // Shares of the picture's area weighted by opacity, so that a resampled
  // edge (a band of small differences) counts for what it is.
  m.input_transparent_pct = TransparentPct(input.pixels).value_or(0.0);
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  m.alpha_changed_pct = 100.0 * cv::mean(diff)[0] / 255.0;
}

void AddGeometryCheck(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  const cv::Rect& in = m.input_region;
  const cv::Rect& out = m.output_region;
  std::string message;
  if (m.geometry == "stretch") {
    message = absl::StrFormat(
        "the output stretches the whole input: its aspect differs by %.1f %%, every shape is distorted",
        m.aspect_change_pct);
  } else if (m.geometry == "crop") {
    message = absl::StrFormat("the output shows %dx%d px of the input%s at (%d, %d): checked against that part",
                              in.width, in.height,
                              m.mirrored || m.turned_deg != 0 ? " (oriented as the output shows it)" : "", in.x,
                              in.y);
  } else if (m.geometry == "pad") {
    message = absl::StrFormat(
        "the output shows the whole input in %dx%d px at (%d, %d) of a larger canvas: the border is left out of "
        "the checks",
        out.width, out.height, out.x, out.y);
  } else {
    message = "the output keeps the input's shape";
  }
  checks.push_back(MakeQaCheck(thresholds, "aspect_change_pct", m.aspect_change_pct, "%", message));
  if (m.mirrored) {
    // The mirror and the turn after it, as the EXIF orientation they make.
    const char* how = m.turned_deg == 0     ? "mirrored left to right (EXIF orientation 2)"
                      : m.turned_deg == 180 ? "flipped top to bottom (EXIF orientation 4)"
                      : m.turned_deg == 270 ? "transposed, mirrored across its diagonal (EXIF orientation 5)"
                                            : "transversed, mirrored across its other diagonal (EXIF orientation 7)";
    checks.push_back(MakeQaCheck(
        thresholds, "mirrored", 1.0, "",
        absl::StrCat("the output shows the input ", how,
                     ": an EXIF orientation lost (or applied twice) on the way, or a flip; the other checks compare "
                     "it with the input so oriented")));
  } else if (m.turned_deg != 0) {
    const char* turn = m.turned_deg == 180  ? "upside down (turned 180°)"
                       : m.turned_deg == 90 ? "turned 90° clockwise"
                                            : "turned 90° anticlockwise";
    checks.push_back(MakeQaCheck(
        thresholds, "turned_deg", m.turned_deg, "°",
        absl::StrCat("the output shows the input ", turn,
                     ": an EXIF orientation lost (or applied twice) on the way; the other checks compare it with "
                     "the input turned so")));
  }
}

void AddAlphaCheck(const QaMetrics& m, const QaThresholds& thresholds, const std::string& flattened_onto_white_for,
                   std::vector<QaCheck>& checks) {
  if (!flattened_onto_white_for.empty() && m.input_has_alpha && !m.output_has_alpha) {
    QaCheck check = MakeQaCheck(
        thresholds, "alpha_changed_pct", m.alpha_changed_pct, "%",
        absl::StrFormat("the %.1f %% of the input that was transparent is flattened onto white, as %s asks",
                        m.input_transparent_pct, flattened_onto_white_for));
    check.status = QaStatus::kPass;  // asked for: the background check says whether it is white
    checks.push_back(std::move(check));
    return;
  }
  std::string message;
  if (!m.input_has_alpha && !m.output_has_alpha) {
    message = "neither image has transparency";
  } else if (m.input_has_alpha && !m.output_has_alpha && m.input_transparent_pct > 0) {
    message = absl::StrFormat(
        "the output has no alpha channel: the %.1f %% of the input that was transparent is now opaque (keep it "
        "with a format that has alpha: PNG, WebP, TIFF)",
        m.input_transparent_pct);
  } else if (m.alpha_changed_pct > 0) {
    message = absl::StrFormat("%.1f %% of the picture changed its transparency (the input's %.1f %% transparent)",
                              m.alpha_changed_pct, m.input_transparent_pct);
  } else {
    message = "the output keeps the input's transparency";
  }
  checks.push_back(MakeQaCheck(thresholds, "alpha_changed_pct", m.alpha_changed_pct, "%", message));
}

}  // namespace acuity
