#include "analysis/advice/qa.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/blur_reading.h"
#include "analysis/advice/marketplace_rules.h"
#include "analysis/advice/qa_checks.h"
#include "analysis/advice/qa_frame.h"
#include "analysis/advice/qa_input.h"
#include "analysis/advice/qa_jpeg.h"
#include "analysis/advice/qa_content.h"
#include "analysis/io/color_space.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_writer.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/blur.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/motion_blur.h"
#include "analysis/measurements/oversharpening.h"
#include "analysis/measurements/pixel_blocks.h"
#include "analysis/measurements/qa_alignment.h"
#include "analysis/measurements/qa_local_detail.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/measurements/tone_curve.h"
#include "analysis/measurements/repeated_pixels.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {

QaCheck MakeQaCheck(const QaThresholds& thresholds, const std::string& name, double value,
                  const std::string& unit, const std::string& message) {
  QaCheck check;
  check.name = name;
  check.value = value;
  check.unit = unit;
  check.message = message;
  const auto it = thresholds.limits.find(name);
  if (it != thresholds.limits.end()) {
    check.threshold = it->second.warn;
    check.fail_threshold = it->second.fail;
    check.higher_is_better = it->second.higher_is_better;
  }
  check.status = thresholds.Judge(name, value);
  return check;
}

namespace {

constexpr double kPsnrCapDb = 100.0;           // identical images report this
constexpr double kColourBlurSigmaPx = 2.0;     // ΔE of the local colour, not of detail
constexpr int kFidelityBorderPx = 2;
// Fidelity is compared above the scale of noise and JPEG blocking: both
// images low-passed by this Gaussian (px at the compared size), so that an
// output which removed the input's noise or blocking is not counted as
// having changed its structure (docs/qa.md: a perfect restoration of a
// JPEG q 35 input scored 28 dB unsmoothed, 42 dB smoothed; Real-ESRGAN's
// outputs 31–34 dB; models/RESULTS.md, "Damaged photos").
constexpr double kFidelityLowPassSigmaPx = 1.0;
constexpr double kColourMaxPixels = 1.0e6;           // resampling edge effects left out


// The input and the output at the smaller of the two sizes (BGR, float),
// for fidelity, colour and noise; and the output's luma at its own size.
struct ComparedPair {
  cv::Mat a, b;             // input, output at the compared size
  cv::Mat out_luma;         // the output's luma at its size
  std::string compared_at;  // "input" or "output"
};

ComparedPair CompareAtSmallerSize(const Image& input, const Image& output) {
  ComparedPair pair;
  const cv::Size in_size = input.pixels.size(), out_size = output.pixels.size();
  const cv::Mat in_bgr = BgrF32(input.pixels), out_bgr = BgrF32(output.pixels);
  pair.out_luma = LumaF32(out_bgr);
  if (out_size.area() >= in_size.area()) {
    pair.a = in_bgr;
    pair.b = PlainResize(out_bgr, in_size);
    pair.compared_at = "input";
  } else {
    pair.a = PlainResize(in_bgr, out_size);
    pair.b = out_bgr;
    pair.compared_at = "output";
  }
  return pair;
}

// ΔE00 of the local colour and the mean shift per channel. The local colour:
// at most about a megapixel (area averaging), then blurred — which also
// bounds the cost of CIEDE2000.
void MeasureColourChange(const cv::Mat& a, const cv::Mat& b, QaMetrics& m, cv::Mat* delta_e_map) {
  const int step = static_cast<int>(std::ceil(std::sqrt(a.total() / kColourMaxPixels)));
  // Into new buffers: `a` and `b` are the caller's (noise is measured on
  // them next; blurring them in place made every noise reading ≈ 0).
  cv::Mat a_small = a, b_small = b, a_smooth, b_smooth;
  if (step > 1) {
    const cv::Size small(std::max(1, a.cols / step), std::max(1, a.rows / step));
    cv::resize(a, a_small, small, 0, 0, cv::INTER_AREA);
    cv::resize(b, b_small, small, 0, 0, cv::INTER_AREA);
  }
  const double sigma = std::max(0.5, kColourBlurSigmaPx / step);
  cv::GaussianBlur(a_small, a_smooth, cv::Size(), sigma, 0, cv::BORDER_REFLECT);
  cv::GaussianBlur(b_small, b_smooth, cv::Size(), sigma, 0, cv::BORDER_REFLECT);
  cv::Mat delta_e = DeltaE2000Map(a_smooth, b_smooth);
  m.delta_e00_mean = cv::mean(delta_e)[0];
  m.delta_e00_p95 = Percentile(delta_e, 95);
  const cv::Scalar bias = cv::mean(b) - cv::mean(a);  // BGR
  m.bias_b_8bit = bias[0];
  m.bias_g_8bit = bias[1];
  m.bias_r_8bit = bias[2];
  if (delta_e_map) *delta_e_map = delta_e;
}

// Fidelity, colour and noise, at the smaller of the two sizes; fills
// m.compared_at and returns the output's luma at its size. `input_noise`:
// the input's noise as analyze reads it (at the input's size).
cv::Mat MeasureAtComparedSize(const Image& input, const Image& output, const NoiseResult& input_noise,
                              bool compute_maps, QaMetrics& m, std::vector<MeasurementMap>& maps,
                              EdgeNoise& edge_noise) {
  ComparedPair pair = CompareAtSmallerSize(input, output);
  m.compared_at = pair.compared_at;
  const int border = std::min(pair.a.cols, pair.a.rows) >= 32 ? kFidelityBorderPx : 0;
  cv::Mat a_low, b_low;
  cv::GaussianBlur(pair.a, a_low, cv::Size(), kFidelityLowPassSigmaPx, 0, cv::BORDER_REFLECT);
  cv::GaussianBlur(pair.b, b_low, cv::Size(), kFidelityLowPassSigmaPx, 0, cv::BORDER_REFLECT);
  m.fidelity_psnr_db = std::min(PsnrY(a_low, b_low, border), kPsnrCapDb);
  cv::Mat delta_e;
  MeasureColourChange(pair.a, pair.b, m, compute_maps ? &delta_e : nullptr);
  if (compute_maps) maps.push_back({"delta_e", "ΔE00", delta_e, 10.0});
  const cv::Mat a_luma = LumaF32(pair.a), b_luma = LumaF32(pair.b);
  // An enlargement's reference: the input plainly enlarged and brought back
  // as the output was (its interpolation ringing is not added noise).
  const cv::Mat plain_luma = pair.compared_at == "input" && output.pixels.size() != input.pixels.size()
                                 ? PlainResize(PlainResize(a_luma, output.pixels.size()), a_luma.size())
                                 : cv::Mat();
  const NoiseChange noise = MeasureNoiseChange(a_luma, b_luma, plain_luma);
  m.noise_measured = noise.measured;
  m.noise_sigma_input_8bit = noise.sigma_input_8bit;
  m.noise_sigma_output_8bit = noise.sigma_output_8bit;
  m.noise_sigma_plain_8bit = noise.sigma_plain_8bit;
  m.noise_reference_is_plain = noise.reference_is_plain;
  m.noise_amplification = noise.amplification;
  // Noise where it shows: the check reads the shadows when they got noisier.
  m.noise_amplification_shadows = noise.shadow_amplification;
  if (noise.shadow_amplification) m.noise_amplification = std::max(m.noise_amplification, *noise.shadow_amplification);
  // The noisy flats are read with the input's luma σ as analyze reads it
  // (noise.h: grain correlated over a pixel read on binned pixels; none in a
  // palette), so that they are the area `advise` reported before the plan
  // ran (noise.noisy_flat_pct): film grain correlated over 0.7 px read σ 2.0
  // at the pixels' scale and left 2 % of the picture noise-dominated where
  // analyze, reading σ 5.7, found 78 %. A reduction's input is compared at
  // the output's size, where that reading does not hold: there, the
  // pixel-scale reading of the input brought down.
  const std::optional<double> input_sigma =
      pair.compared_at == "input" && input_noise.luma_sigma ? input_noise.luma_sigma : noise.input_noise_sigma_8bit;
  const PaintedFlatMeasure painted = MeasurePaintedFlats(a_luma, b_luma, input_sigma.value_or(0.0), compute_maps);
  m.input_noise_sigma_8bit = input_sigma;
  // The edges' noise (MeasureEdges): the input's, the larger of the whole
  // picture's estimate (which reads low on a blurred photo) and the quietest
  // blocks' (which read low where the noise is clipped, in black or white
  // areas), by level where its level function reads higher; the output's,
  // the input's times the change read in those blocks against the same
  // reference as noise_amplification (a plain enlargement's ringing is not
  // noise), or the input's own where that was not read.
  edge_noise.input_sigma_8bit =
      std::max(noise.input_noise_sigma_8bit.value_or(0.0), noise.measured ? noise.sigma_input_8bit : 0.0);
  edge_noise.output_sigma_8bit =
      noise.measured && noise.sigma_reference_8bit > 0
          ? edge_noise.input_sigma_8bit * noise.sigma_output_8bit / noise.sigma_reference_8bit
          : edge_noise.input_sigma_8bit;
  edge_noise.input_by_level = noise.input_level_function;
  edge_noise.at_output_scale = pair.compared_at == "output";
  m.painted_flat_measured = painted.measured;
  m.noisy_flat_area_pct = painted.noisy_flat_area_pct;
  m.painted_flat_pct = painted.painted_pct;
  if (compute_maps) {
    cv::Mat map = painted.map.empty() ? cv::Mat::zeros(pair.a.size(), CV_32FC1) : painted.map;
    if (map.size() != output.pixels.size()) cv::resize(map, map, output.pixels.size(), 0, 0, cv::INTER_NEAREST);
    maps.push_back({"painted", "painted", map, 1.0});
  }
  return pair.out_luma;
}

// Over-sharpening of the output as `analyze` measures it (absolute: the
// input's own halos count too), and of the plain enlargement for scale —
// with whatever is drawn on them: `analyze` leaves a drawn overlay out
// (content_kind.h), which both pictures here carry alike. The
// enlargement is measured only when the output's score could fail or warn
// (the added score cannot exceed the output's own). Not measured when the
// input is drawn content (its content kind, as analyze reads it: text, UI,
// graphics, whose strokes read as halos; an enlargement by a network no
// longer keeps the exact flats that tell it).
void MeasureOversharpeningAdded(const ContentResult& input_content, const Image& output, const cv::Mat& plain_luma,
                                const QaThresholds& thresholds, QaMetrics& m) {
  OversharpeningOptions options;
  options.drawn_content = input_content.kind == ContentKind::kSynthetic;
  const OversharpeningResult sharp = MeasureOversharpening(output.pixels, options).result;
  m.oversharpening_halo_score = sharp.halo_score.value_or(0.0);
  m.oversharpening_measured = sharp.halo_score.has_value();
  m.oversharpening_too_small = sharp.too_small.value_or(false);
  const auto limit = thresholds.limits.find("oversharpening_added");
  const double lowest_limit =
      limit == thresholds.limits.end() ? 0.0 : std::min(limit->second.warn, limit->second.fail);
  if (m.oversharpening_halo_score > lowest_limit) {
    m.oversharpening_halo_score_plain = MeasureOversharpening(plain_luma, options).result.halo_score.value_or(0.0);
    m.oversharpening_plain_measured = true;
  }
}

// Everything else: the output against a plain resize of the input to its
// size (of the luma: the resize is linear, so this is the resize's luma).
// A dithered input (`read.dither`, dither.h) has two plain enlargements:
// as it is, and with its dots smoothed as the plan's undither step smooths
// them; the edge, detail and flat-area figures take whichever judges the
// output more leniently. The dots are the palette's: an output that smooths
// them has lost no detail (the plan's read "11 % of the detailed picture
// lost its fine detail" against the dotted enlargement), and one that keeps
// them (a copy, a bare enlargement) has added no texture.
void MeasureAgainstPlainResize(const Image& input, const AnalysisReport& read, const Image& output,
                               const cv::Mat& out_luma, const EdgeNoise& edge_noise, const QaThresholds& thresholds,
                               bool compute_maps, QaMetrics& m, std::vector<MeasurementMap>& maps) {
  const ContentResult& input_content = read.content;
  const double scale = std::sqrt(m.scale_x * m.scale_y);
  const cv::Mat input_luma = LumaF32(input.pixels);
  // Through the output's own tone curve, when it re-curved the tones: a
  // gamma is no halo (tone_curve.h).
  cv::Mat plain_luma = PlainResize(input_luma, output.pixels.size());
  const ToneCurve tone = FitToneCurve(plain_luma, out_luma, scale);
  const bool retoned = tone.rms_departure_8bit >= kToneChange8bit;
  if (retoned) ApplyToneCurve(tone, plain_luma);
  m.tone_curve_rms_8bit = tone.rms_departure_8bit;
  m.tone_curve_applied = retoned;
  EdgeMeasure edges = MeasureEdges(out_luma, plain_luma, scale, compute_maps, edge_noise);
  LocalDetail local = MeasureLocalDetail(edges.cells, out_luma.size(), compute_maps);
  FlatAreaMeasure flat = MeasureFlatAreas(out_luma, plain_luma, compute_maps);
  m.input_dithered = read.dither.detected.value_or(false);
  if (m.input_dithered) {
    cv::Mat smoothed = PlainResize(
        WithoutDots(input_luma, DitherWeights(input_luma, read.dither.screen_period_px.has_value()),
                    read.dither.undither_sigma_px.value_or(0.6)),
        output.pixels.size());
    if (retoned) ApplyToneCurve(tone, smoothed);
    EdgeMeasure smoothed_edges = MeasureEdges(out_luma, smoothed, scale, compute_maps, edge_noise);
    LocalDetail smoothed_local = MeasureLocalDetail(smoothed_edges.cells, out_luma.size(), compute_maps);
    FlatAreaMeasure smoothed_flat = MeasureFlatAreas(out_luma, smoothed, compute_maps);
    if (smoothed_edges.overshoot_pct < edges.overshoot_pct) {
      std::swap(edges.overshoot_pct, smoothed_edges.overshoot_pct);
      std::swap(edges.map, smoothed_edges.map);  // the halo map of the figure kept
    }
    if (smoothed_edges.detail_retained > edges.detail_retained) {
      std::swap(edges.detail_retained, smoothed_edges.detail_retained);
      std::swap(edges.edge_area_pct, smoothed_edges.edge_area_pct);
    }
    if (smoothed_local.lost_area_pct < local.lost_area_pct) std::swap(local, smoothed_local);
    if (smoothed_flat.fake_texture_pct < flat.fake_texture_pct) std::swap(flat, smoothed_flat);
  }
  m.halo_overshoot_pct = edges.overshoot_pct;
  m.edge_area_pct = edges.edge_area_pct;
  m.detail_retained = edges.detail_retained;
  m.halo_crispness = edges.overshoot_pct * edges.detail_retained;
  m.detail_local_measured = local.measured;
  m.detail_lost_area_pct = local.lost_area_pct;
  if (!local.lost_region.empty()) m.detail_lost_region = local.lost_region + m.output_region.tl();  // whole output's px
  m.detail_lost_region_retained = local.lost_region_ratio;
  m.flat_area_pct = flat.flat_area_pct;
  m.flat_sigma_limit_8bit = flat.flat_sigma_limit_8bit;
  m.fake_texture_pct = flat.fake_texture_pct;
  MeasureOversharpeningAdded(input_content, output, plain_luma, thresholds, m);
  const TileSeamMeasure seams = DetectTileSeams(out_luma, plain_luma);
  m.tile_seam_strength = seams.strength;
  m.tile_seam_period_px = seams.period_px;
  m.tile_seam_offset_px = seams.offset_px;
  m.tile_seam_axis = seams.axis;
  // Of the columns and rows the input does not repeat itself (a drawing's
  // flat bands already do): ×2 by copying repeats half of them, whatever
  // the drawing.
  // Near repeats count on both sides or neither (a JPEG's block edges make
  // a few): when either was decoded from a JPEG.
  const bool lossy = input.info.jpeg || output.info.jpeg;
  const double input_repeated = RepeatedPixelsPct(input.pixels, lossy);
  const double output_repeated = RepeatedPixelsPct(output.pixels, lossy);
  // An input made of squares (pixel art enlarged by repeating pixels,
  // pixel_blocks.h) is enlarged exactly by repeating them again (the plan's
  // `nearest` step): its copies are its own.
  m.input_pixel_block_px = PixelBlockSide(input.pixels);
  m.repeated_pixels_added_pct =
      input_repeated >= 100.0 || m.input_pixel_block_px
          ? 0.0
          : std::max(0.0, (output_repeated - input_repeated) / (100.0 - input_repeated) * 100.0);
  if (compute_maps) {
    maps.push_back({"halo", "8-bit", edges.map, 32.0});
    maps.push_back({"fake_texture", "1 - c", flat.map, 0.5});
    maps.push_back({"detail_loss", "1 - ratio", local.loss_map, 1.0 - kLostDetailRatio});
  }
}

absl::Status CheckInputs(const Image& input, const Image& output, const Image* reference) {
  if (input.pixels.empty() || output.pixels.empty())
    return absl::InvalidArgumentError("empty image");
  if (reference && reference->pixels.size() != output.pixels.size())
    return absl::InvalidArgumentError(absl::StrFormat(
        "the reference is %dx%d px but the output is %dx%d px; they must have the same size",
        reference->pixels.cols, reference->pixels.rows, output.pixels.cols, output.pixels.rows));
  return absl::OkStatus();
}

}  // namespace

const char* QaStatusName(QaStatus status) {
  switch (status) {
    case QaStatus::kPass: return "pass";
    case QaStatus::kWarn: return "warn";
    case QaStatus::kFail: return "fail";
  }
  return "fail";
}

QaThresholds QaThresholds::Defaults() {
  QaThresholds t;
  // name                          warn   fail   higher is better
  t.limits["fidelity_psnr_db"] = {30.0, 25.0, true};
  t.limits["color_delta_e00_mean"] = {1.5, 3.0, false};
  t.limits["color_delta_e00_p95"] = {4.0, 7.0, false};
  t.limits["color_bias_8bit"] = {2.0, 5.0, false};
  t.limits["halo_overshoot_pct"] = {4.0, 8.0, false};
  t.limits["halo_crispness"] = {4.5, 6.5, false};
  t.limits["fake_texture_pct"] = {2.0, 6.0, false};
  // Warns only: a perfect restoration of a truly clear sky is a plateau too
  // (docs/qa.md); `painted_flat_pct.fail=40` makes it fail.
  t.limits["painted_flat_pct"] = {10.0, 100.0, false};
  t.limits["noise_amplification"] = {1.5, 2.5, false};
  t.limits["oversharpening_added"] = {10.0, 20.0, false};
  t.limits["detail_retained"] = {0.8, 0.6, true};
  // The largest soft part, % of the picture's detailed parts: a Gaussian
  // blur of 2 input px over a sixth of a photo reads 8.7–17.5, over a
  // tenth 5.6–9.5, a blank or blurred 256-px tile of a 1024-px output
  // 4.8–6.1; acuity's own plans and models 0 (docs/qa.md).
  t.limits["detail_lost_area_pct"] = {4.0, 15.0, false};
  // An enlargement by copying: ×2 repeats half the columns and rows (fails),
  // ×1.5 a third (warns); interpolations none, and networks whose output
  // phases round alike up to one in four (esrgan-slim ×4 of a 48-px face:
  // 25 %, passes).
  t.limits["repeated_pixels_added_pct"] = {30.0, 45.0, false};
  // IJG quality of a JPEG output: the plan writes 80 for the web, 92 by
  // default; it fails where `advise` calls an input heavily damaged
  // (heavy_jpeg_below_quality).
  t.limits["output_jpeg_quality"] = {70.0, AdvisorThresholds{}.heavy_jpeg_below_quality, true};
  // The input's blocks kept: warns where the advisor plans a deblock (a
  // deblock, or a model that repairs, takes them away); never fails by
  // default (the input's damage is not the output's doing).
  t.limits["inherited_jpeg_quality"] = {AdvisorThresholds{}.deblock_below_quality, 0.0, true};
  t.limits["tile_seam_strength"] = {1.6, 2.0, false};
  // Warn only (the output cannot be sharper than its input allows; the fail
  // limits lie beyond what the readings reach: `.fail=` makes them fail).
  // inherited_blur_px warns where the advisor says severe_blur: above
  // severe_blur_above_px plus the reading's borderline band (blur_reading.h).
  const double severe_px = AdvisorThresholds{}.severe_blur_above_px;
  t.limits["inherited_blur_px"] = {severe_px + BlurToActOn::BandPx(severe_px), 1000.0, false};
  // A smear warns from the shortest that reads as one (motion_blur.h, 6 px)
  // at the smaller of the two sizes: any the input shows, a reduction's
  // from its length there.
  t.limits["inherited_motion_blur_px"] = {kMotionBlurMinLengthPx - 0.5, 1000.0, false};
  // A pixel's rounding passes; a visible stretch (circles become ovals) warns,
  // a gross one fails.
  t.limits["aspect_change_pct"] = {2.0, 10.0, false};
  // Any turn fails (the check is made only when one is found).
  t.limits["turned_deg"] = {0.0, 0.0, false};
  t.limits["mirrored"] = {0.0, 0.0, false};
  // Transparency the output gained or lost (an alpha dropped, a part made
  // transparent): a resampled edge stays under 1 % (a 96-px cut-out upscaled
  // 2× and sharpened: 0.77 %), a fiftieth of the picture warns, a twentieth fails.
  t.limits["alpha_changed_pct"] = {2.0, 5.0, false};
  // Faces and text (qa_content.h): warn only (docs/content.md, "QA"). On the
  // text ladder (datasets/content_ladder.py) 7 of the 10 upscales that made
  // letters read worse than bicubic changed 17–95 % of the characters read
  // (the other 3, 0–3 %), the 35 others 0–3 %: any limit from 3 to 16 %
  // splits them alike.
  t.limits["text_changed_pct"] = {10.0, 1000.0, false};
  // A face under the strictest model's limit changed from the bicubic
  // enlargement by more than this (1 − SSIM-Y) warns. On the faces ladder
  // (datasets/content_ladder.py), 15 of the 16 upscales that made a face worse
  // than bicubic (SSIM to the real face 0.02 lower: all Real-ESRGAN's) changed
  // it by more, 3 of the 34 others did; the ESRGANs, which never made one
  // worse, changed faces by 0.11 at most. Held out on 60 faces of
  // scikit-image's LFW at 8 and 12 px: 197 of 197 and 43 of 403
  // (RESULTS.md, "Faces and text"). The old 0.3 warned on 84 % of them.
  t.limits["small_face_changed"] = {0.14, 1000.0, false};
  return t;
}

absl::Status QaThresholds::Override(absl::string_view spec) {
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const std::vector<absl::string_view> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (kv.size() != 2)
      return absl::InvalidArgumentError(absl::StrCat("threshold '", item, "' is not NAME=VALUE"));
    absl::string_view name = absl::StripAsciiWhitespace(kv[0]);
    bool fail_limit = false;
    if (absl::ConsumeSuffix(&name, ".fail")) fail_limit = true;
    else absl::ConsumeSuffix(&name, ".warn");
    auto it = limits.find(std::string(name));
    if (it == limits.end()) {
      std::string known;
      for (const auto& [k, v] : limits) absl::StrAppend(&known, known.empty() ? "" : ", ", k);
      return absl::InvalidArgumentError(
          absl::StrCat("unknown threshold '", name, "' (known: ", known, ")"));
    }
    double value = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(kv[1]), &value) || !std::isfinite(value))
      return absl::InvalidArgumentError(absl::StrCat("threshold '", item, "': not a number"));
    (fail_limit ? it->second.fail : it->second.warn) = value;
  }
  return absl::OkStatus();
}

QaStatus QaThresholds::Judge(const std::string& name, double value) const {
  const auto it = limits.find(name);
  if (it == limits.end()) return QaStatus::kPass;
  const QaLimit& l = it->second;
  auto beyond = [&](double limit) { return l.higher_is_better ? value < limit : value > limit; };
  if (std::isnan(value)) return QaStatus::kWarn;
  if (beyond(l.fail)) return QaStatus::kFail;
  if (beyond(l.warn)) return QaStatus::kWarn;
  return QaStatus::kPass;
}

namespace {

// `image` as a page shows it, its info saying so: in sRGB (through its ICC
// profile, when it has another: an Adobe RGB input and the sRGB output a
// marketplace plan made of it are the same colours, not a colour shift) and
// flattened onto white (FlattenOntoWhite). A profile lcms2 cannot read
// leaves the numbers as they are.
Image SeenOnWhite(const Image& image) {
  Image seen = image;
  bool converted = false;
  seen.pixels = PixelsInSrgb(image.pixels, image.info, &converted);
  if (converted) {
    seen.info.icc_profile = SrgbIccProfile();
    seen.info.icc_description = "sRGB (converted from " + image.info.icc_description + ")";
  }
  if (seen.pixels.channels() != 4) return seen;
  seen.pixels = FlattenOntoWhite(seen.pixels);
  seen.info.has_alpha = false;
  seen.info.channels = 3;
  return seen;
}

// `image` turned clockwise by `degrees` (0, 90, 180 or 270).
Image Turned(const Image& image, bool mirrored, int degrees) {
  if (!mirrored && degrees == 0) return image;
  Image turned{Oriented(image.pixels, mirrored, degrees), image.info};
  turned.info.width = turned.pixels.cols;
  turned.info.height = turned.pixels.rows;
  return turned;
}

// RunQa's measurements and checks, on checked inputs.
QaReport Measure(const Image& input_given, const Image& output_file, const Image* reference_file,
                 const QaThresholds& thresholds, const QaOptions& options) {
  QaReport report;
  QaMetrics& m = report.metrics;
  // Pictures are compared as a page shows them, a transparent one on white
  // (image_writer.h FlattenOntoWhite): the colour under a transparent pixel
  // is seen nowhere — a JPEG of a cut-out, flattened, is the same picture.
  // The transparency itself is alpha_changed_pct's, read from the files.
  const Image input_seen = SeenOnWhite(input_given), output = SeenOnWhite(output_file);
  // An output that shows the input turned (an EXIF orientation lost or
  // applied twice) fails for it, and is checked against the input turned so:
  // else every other figure would only say that the pictures differ.
  const QaOrientation orientation = FindOrientationForQa(input_seen.pixels, output.pixels);
  m.mirrored = orientation.mirrored;
  m.turned_deg = orientation.turned_deg;
  const Image input_file = Turned(input_given, m.mirrored, m.turned_deg),
              input = Turned(input_seen, m.mirrored, m.turned_deg);
  const std::optional<Image> reference_seen =
      reference_file ? std::optional<Image>(SeenOnWhite(*reference_file)) : std::nullopt;
  const Image* reference = reference_seen ? &*reference_seen : nullptr;
  // A crop or a border is not damage: compare what the output shows of the
  // input with that part of the input.
  const QaAlignment alignment = AlignForQa(input.pixels, output.pixels);
  m.geometry = QaGeometryName(alignment.geometry);
  m.input_region = alignment.input_rect;
  m.output_region = alignment.output_rect;
  m.aspect_change_pct = alignment.aspect_change_pct;
  const bool whole = alignment.input_rect.size() == input.pixels.size() &&
                     alignment.output_rect.size() == output.pixels.size();
  const Image input_part = whole ? Image{} : Part(input, alignment.input_rect);
  const Image output_part = whole ? Image{} : Part(output, alignment.output_rect);
  const Image& in = whole ? input : input_part;
  const Image& out = whole ? output : output_part;
  const cv::Size in_size = in.pixels.size(), out_size = out.pixels.size();
  m.scale_x = static_cast<double>(out_size.width) / in_size.width;
  m.scale_y = static_cast<double>(out_size.height) / in_size.height;

  // The input's own readings, as analyze makes them (qa_input.h).
  const Image input_as_read{FillUnderTransparency(input_file.pixels), input_file.info};
  const Image in_read = whole ? input_as_read : Part(input_as_read, alignment.input_rect);
  AnalysisReport input_read = ReadQaInput(in_read);
  EdgeNoise edge_noise;
  const cv::Mat out_luma =
      MeasureAtComparedSize(in, out, input_read.noise, options.compute_maps, m, report.maps, edge_noise);
  MeasureAgainstPlainResize(in, input_read, out, out_luma, edge_noise, thresholds, options.compute_maps, m,
                            report.maps);
  if (!whole) {
    for (MeasurementMap& map : report.maps) map.values = IntoFrame(map.values, alignment.output_rect, output.pixels.size());
  }
  if (reference) {
    const int ref_border = std::max(0, static_cast<int>(std::lround(std::sqrt(m.scale_x * m.scale_y))));
    report.reference = CompareWithReference(reference->pixels, output.pixels, ref_border);
    if (options.compute_maps) {
      cv::Mat loss = 1.0 - SsimMapY(reference->pixels, output.pixels);
      report.maps.push_back({"ssim_loss", "1 - SSIM", loss, 0.5});
    }
  }

  AddFidelityAndColourChecks(m, thresholds, report.checks);
  AddSharpeningChecks(m, thresholds, report.checks);
  AddNoiseDetailAndSeamChecks(m, thresholds, report.checks);
  // The input's compression, read once on the whole file as analyze reads
  // it: QA's JPEG checks and the native scale of the input's blur read it.
  const QaJpegDamage jpeg = ReadJpegDamageForQa(input_given, output_file, m.scale_x == 1.0 && m.scale_y == 1.0);
  input_read.compression = jpeg.input;
  MeasureInputBlur(in_read, std::move(input_read), m);
  MeasureAlphaChange(whole ? input_file : Part(input_file, alignment.input_rect),
                     whole ? output_file : Part(output_file, alignment.output_rect), m);
  AddInheritedBlurChecks(m, thresholds, report.checks);
  m.input_jpeg_quality = jpeg.input.jpeg_quality_estimate;
  m.output_jpeg_quality = jpeg.added_quality;
  m.output_jpeg_from_tables = jpeg.added_from_tables;
  m.inherited_jpeg_quality = jpeg.inherited_quality;
  AddJpegChecks(m, thresholds, report.checks);
  AddGeometryCheck(m, thresholds, report.checks);
  const std::string flattened = options.marketplace != nullptr && options.marketplace->white_background
                                    ? options.marketplace->name + "'s white background"
                                    : "";
  AddAlphaCheck(m, thresholds, flattened, report.checks);
  if (options.check_content) {
    ContentQa content = ContentChecks(in, out, thresholds, alignment.input_rect.tl());
    for (QaCheck& c : content.checks) report.checks.push_back(std::move(c));
    report.input_faces = std::move(content.input_faces);
    report.input_text = std::move(content.input_text);
  }
  if (options.marketplace != nullptr) AddMarketplaceChecks(*options.marketplace, input_file, output_file, report);
  for (const QaCheck& c : report.checks) report.verdict = std::max(report.verdict, c.status);
  return report;
}

}  // namespace

bool IsQaCheckName(absl::string_view name) {
  static const QaThresholds defaults = QaThresholds::Defaults();
  if (defaults.limits.count(std::string(name)) > 0) return true;
  constexpr absl::string_view kMarketplace = "marketplace_";
  if (!absl::StartsWith(name, kMarketplace)) return false;
  const std::string_view rule(name.data() + kMarketplace.size(), name.size() - kMarketplace.size());
  return std::find(kMarketplaceRuleNames.begin(), kMarketplaceRuleNames.end(), rule) != kMarketplaceRuleNames.end();
}

absl::StatusOr<QaReport> RunQa(const Image& input, const Image& output, const Image* reference,
                               const QaThresholds& thresholds, const QaOptions& options) {
  if (absl::Status s = CheckInputs(input, output, reference); !s.ok()) return s;
  return CatchToStatus("checking the output", [&] { return Measure(input, output, reference, thresholds, options); });
}

}  // namespace acuity
