// Output QA: checks an enhancement result (an upscale, a sharpened or
// denoised copy, or a downscale) against the image it was made from, and
// against a ground-truth reference when there is one. Each check has a value,
// a threshold and a status; the verdict is the worst status. Thresholds have
// documented defaults (docs/qa.md) and can be overridden.
//
//   acuity::QaThresholds thresholds = acuity::QaThresholds::Defaults();
//   absl::Status s = thresholds.Override("fidelity_psnr_db=30,halo_overshoot_pct.fail=20");
//   absl::StatusOr<acuity::QaReport> report = acuity::RunQa(input, output, nullptr, thresholds);
//   if (report.ok() && report->verdict == acuity::QaStatus::kFail) return 1;
//
// Everything is measured on 8-bit units (0–255) whatever the pixel depth.
#ifndef ACUITY_ANALYSIS_ADVICE_QA_H_
#define ACUITY_ANALYSIS_ADVICE_QA_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analysis/measurements/analyze.h"
#include "analysis/io/image.h"
#include "analysis/measurements/quality_metrics.h"

namespace acuity {

enum class QaStatus { kPass, kWarn, kFail };
const char* QaStatusName(QaStatus status);  // "pass" | "warn" | "fail"

// Limits of one check: beyond `warn` the check warns, beyond `fail` it fails.
// "Beyond" is below for higher-is-better values (PSNR), above otherwise.
struct MarketplaceRules;  // analysis/measurements/marketplace.h

struct QaLimit {
  double warn = 0;
  double fail = 0;
  bool higher_is_better = false;
};

struct QaThresholds {
  std::map<std::string, QaLimit> limits;  // by check name

  // The documented defaults (docs/qa.md).
  static QaThresholds Defaults();

  // Applies "name=value,name.fail=value,...": `name` sets the warn limit (the
  // `threshold` of the JSON), `name.fail` (or `name.warn`) the fail (warn)
  // limit. InvalidArgument for an unknown name or a value that is not a number.
  absl::Status Override(absl::string_view spec);

  QaStatus Judge(const std::string& name, double value) const;
};

struct QaCheck {
  std::string name;      // e.g. "fidelity_psnr_db"
  double value = 0;      // in `unit`
  double threshold = 0;  // the warn limit: pass on this side of it
  double fail_threshold = 0;
  bool higher_is_better = false;
  QaStatus status = QaStatus::kPass;
  std::string unit;      // "dB", "ΔE00", "8-bit", "%", "ratio"
  std::string message;   // plain words, e.g. "the output keeps the input's colours"
  // False when the figure could not be measured (too few straight, isolated
  // edges; too small for a noise map): `value` is then a neutral stand-in
  // that passes, and front ends show "not measured", never the number.
  bool measured = true;
};

// Numbers behind the checks (and more), for JSON `metrics` and the report.
struct QaMetrics {
  // Which part of the input the output shows (analysis/measurements/
  // qa_alignment.h): "same", "crop", "pad" or "stretch"; that part, input px;
  // where it lies in the output, output px; and how much the output's aspect
  // departs from the part's, %. Every figure below compares those two parts.
  std::string geometry = "same";
  cv::Rect input_region, output_region;
  double aspect_change_pct = 0;
  // How the output shows the input (qa_alignment.h FindOrientationForQa):
  // mirrored left to right or not, then turned clockwise by turned_deg (0,
  // 90, 180, 270). When either is set, every figure compares the output with
  // the input so oriented, and the regions above (and QaReport's input faces
  // and text) are in that oriented input's px: a front end shows the input
  // oriented (image_ops.h Oriented) beside them.
  bool mirrored = false;
  int turned_deg = 0;
  // Transparency of the compared parts (an image without an alpha channel
  // is opaque): whether each has alpha; how transparent the input is, and
  // how much opacity the output gained or lost, both as % of the picture's
  // area (mean of (255 − α) and of |Δα| over 255: a pixel half transparent
  // counts half).
  bool input_has_alpha = false, output_has_alpha = false;
  double input_transparent_pct = 0;
  double alpha_changed_pct = 0;
  double scale_x = 1, scale_y = 1;        // output / input size, of the compared parts
  std::string compared_at;                // "input" or "output": the size fidelity and colour are compared at
  // PSNR-Y of the input and the output at the compared size, both low-passed
  // (Gaussian σ 1 px) so that removed noise or blocking does not count;
  // capped at 100 dB (identical).
  double fidelity_psnr_db = 0;
  double delta_e00_mean = 0, delta_e00_p95 = 0;  // CIEDE2000 of the local colour
  double bias_r_8bit = 0, bias_g_8bit = 0, bias_b_8bit = 0;  // mean output − input
  // Mean overshoot near strong edges, % of edge contrast: against the plain
  // enlargement, through the output's own tone curve when it re-curved the
  // tones (tone_curve.h: a gamma is a colour change, no halo).
  double halo_overshoot_pct = 0;
  // How far the output's global tone curve departs from the identity (RMS,
  // 8-bit levels; ToneCurve::rms_departure_8bit against the plain
  // enlargement), and whether it was applied to the enlargement before the
  // halo, detail, flat-area, over-sharpening and seam measures (from
  // kToneChange8bit: a gamma, a levels or contrast curve).
  double tone_curve_rms_8bit = 0;
  bool tone_curve_applied = false;
  // halo_overshoot_pct × detail_retained (%): halos on edges made much
  // crisper — an unsharp mask's mark (a ×2 + amount 3 radius 1 scores
  // 6.4–21.7, the true photo ≤ 4.0, Real-ESRGAN ×2 ≤ 5.8; docs/qa.md).
  double halo_crispness = 0;
  double edge_area_pct = 0;               // share of the output near strong edges
  double flat_area_pct = 0;               // share of the output that is flat in the enlargement
  double flat_sigma_limit_8bit = 0;       // local σ below which an area counts as flat
  double fake_texture_pct = 0;            // % of the flat area
  bool noise_measured = false;            // false when too small for a noise map
  double noise_sigma_input_8bit = 0;      // luma noise σ in the input's quietest blocks, compared size
  double noise_sigma_output_8bit = 0;
  // A plain Lanczos-4 enlargement of the input brought back to the compared
  // size, read the same way (its interpolation ringing); empty when the
  // output is not larger (NoiseChange::sigma_plain_8bit).
  std::optional<double> noise_sigma_plain_8bit;
  bool noise_reference_is_plain = false;  // noise_amplification is against it (an enlargement), not the input's σ
  double noise_amplification = 1;         // max(output, 1 level) / max(reference, 1 level); the shadows' when larger
  // The same in the input's quiet shadow blocks (mean luma < 85), where noise
  // shows most; empty when there are too few (NoiseChange::shadow_amplification).
  std::optional<double> noise_amplification_shadows;
  // The input's luma noise σ over the whole image (analysis/measurements/
  // noise.h), compared size; empty when it could not be read.
  std::optional<double> input_noise_sigma_8bit;
  // Painted flats (MeasurePaintedFlats): false when the input has too little
  // noise (σ < 2 levels) or under 1 % of it is noise-dominated.
  bool painted_flat_measured = false;
  double noisy_flat_area_pct = 0;         // share of the input that is noise-dominated, %
  double painted_flat_pct = 0;            // % of that area the output smoothed to a grainless plateau
  bool oversharpening_measured = false;   // the output's halo score was read
  bool oversharpening_too_small = false;  // not read: fewer than 128×128 px (oversharpening.h)
  double oversharpening_halo_score = 0;   // analysis/oversharpening.h on the output
  double oversharpening_halo_score_plain = 0;  // the same on the plain enlargement, measured
  bool oversharpening_plain_measured = false;  // only when the output's score passes a limit
  // The input is dithered (dither.h): the edge, detail and flat-area
  // figures below are the more lenient of two plain enlargements, of the
  // input as it is and with its dots smoothed (dither.h WithoutDots) as the
  // plan's undither step smooths them.
  bool input_dithered = false;
  double detail_retained = 0;             // gradient energy, output / plain enlargement
  // The same per region of the output (qa_local_detail.h): the largest
  // connected part that kept under half the enlargement's crispness, % of
  // the parts with edges, its bounding box (output px) and its own ratio;
  // detail_local_measured false when fewer than 4 regions hold edges (the
  // check then passes, "not measured").
  bool detail_local_measured = false;
  double detail_lost_area_pct = 0;
  cv::Rect detail_lost_region;
  double detail_lost_region_retained = 1;
  // The side, px, of the squares INPUT is made of (pixel_blocks.h: pixel
  // art enlarged by repeating pixels); empty otherwise. Then an output that
  // repeats them adds no copies of its own (repeated_pixels_added_pct 0).
  std::optional<int> input_pixel_block_px;
  // Columns and rows the output copies from their neighbour beyond the
  // input's own share (repeated_pixels.h), %: an enlargement by copying
  // pixels (nearest neighbour) looks blocky; ×k repeats (k − 1)/k of them.
  double repeated_pixels_added_pct = 0;
  // JPEG damage (qa_jpeg.h), IJG quality 1–100 or the equivalent IJG
  // quality of other tables. input_jpeg_quality: INPUT's, as `analyze`
  // reads it (compression.h: a JPEG's tables, or the pixels of a PNG re-save
  // or of an earlier, heavier save); empty when it shows none.
  // output_jpeg_quality: the heaviest save OUTPUT itself went through — its
  // own tables, or a heavier save than INPUT's that its pixels show, whatever
  // the container (q15 blocks saved as PNG are q15 blocks); empty when none.
  // output_jpeg_from_tables: that figure is OUTPUT's own tables'.
  // inherited_jpeg_quality: INPUT's damage that OUTPUT still shows, read
  // from OUTPUT's pixels where it keeps INPUT's pixel grid (1:1); empty
  // when none. An output saved at 15 looks blocky at any size, though
  // brought back to the input's size it reads close to it.
  std::optional<double> input_jpeg_quality, output_jpeg_quality, inherited_jpeg_quality;
  bool output_jpeg_from_tables = false;
  double tile_seam_strength = 0;          // strongest periodic line grid / strongest 5 % of other lines
  int tile_seam_period_px = 0;            // 0 = none found
  int tile_seam_offset_px = 0;            // position of the first seam
  std::string tile_seam_axis;             // "columns", "rows", "both" (a grid from the corner) or ""
  // The input's blur readings (blur.h, motion_blur.h; in the input's px):
  // its blur σ, and the length and direction of its motion smear when one
  // was found. The output inherits them: enlarging scales a blur by the
  // enlargement, it does not remove it (checks inherited_blur_px and
  // inherited_motion_blur_px). Empty when not measured.
  std::optional<double> input_blur_sigma_px;
  std::optional<bool> input_motion_blur_detected;
  std::optional<double> input_motion_blur_px;
  std::optional<double> input_motion_blur_angle_deg;
  // Why the input's motion blur is not measured, when it is not: under
  // kMotionBlurMinSidePx on a side (MotionBlurResult::too_small), or drawn
  // content (nothing was photographed).
  bool input_motion_blur_too_small = false;
  bool input_motion_blur_drawn = false;
};

struct QaReport {
  QaStatus verdict = QaStatus::kPass;
  std::vector<QaCheck> checks;
  QaMetrics metrics;
  std::optional<FullReferenceMetrics> reference;  // with a reference image
  // "delta_e" (ΔE00, at the compared size), "painted" (1 where a noisy
  // flat area became a grainless plateau, at the output's size), "halo"
  // (8-bit overshoot), "fake_texture" (1 − SSIM contrast term in flat areas),
  // "detail_loss" (1 − detail_retained per region, where softer; hottest
  // where a region counts as lost, kLostDetailRatio),
  // "ssim_loss" (1 − SSIM against the reference).
  std::vector<MeasurementMap> maps;
  // With QaOptions::check_content: the input's faces and text lines the
  // content checks compared, for a page that shows them — in px of the
  // compared part of the input (metrics.input_region; the whole input
  // unless the output is a crop or has a border).
  std::optional<FacesResult> input_faces;
  std::optional<TextResult> input_text;
};

struct QaOptions {
  bool compute_maps = true;
  // The checks of faces and text (qa_content.h: text_changed_pct,
  // small_face_changed): they find faces and read text, seconds on a large
  // image, so they run when asked (`acuity qa` asks).
  bool check_content = false;
  // The marketplace whose rules the output must meet (`qa --target
  // amazon`, a batch with a marketplace target; marketplace.h's
  // FindMarketplace): its checks (marketplace_size, _background,
  // _product_fill, _color_space, _format, _file_size; marketplace_rules.h)
  // join the report and its verdict. When its main image must be on white,
  // a transparent input flattened onto white passes alpha_changed_pct, its
  // message saying why ("amazon's white background").
  const MarketplaceRules* marketplace = nullptr;
};

// A check of `value` against the limits of `name` in `thresholds` (the
// shape every check takes; qa_content.h's checks use it too).
QaCheck MakeQaCheck(const QaThresholds& thresholds, const std::string& name, double value, const std::string& unit,
                    const std::string& message);

// True when `name` is a check `acuity qa` can report (QaThresholds'
// limits, and "marketplace_" + a rule of marketplace_rules.h).
bool IsQaCheckName(absl::string_view name);

// InvalidArgument when the reference's size differs from the output's;
// guard.h's OutOfMemoryError ("out of memory while checking the output") when
// the machine runs out of memory; nothing it calls throws past it.
absl::StatusOr<QaReport> RunQa(const Image& input, const Image& output, const Image* reference,
                               const QaThresholds& thresholds, const QaOptions& options = {});

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_H_
