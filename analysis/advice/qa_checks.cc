#include "analysis/advice/qa_checks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "analysis/measurements/motion_blur.h"
#include "analysis/measurements/qa_local_detail.h"

namespace acuity {
namespace {

// What a dithered input's plain enlargement is of (QaMetrics::input_dithered).
const char* OfUndithered(const QaMetrics& m) {
  return m.input_dithered ? " (of the input with or without its dither's dots, whichever is nearer)" : "";
}

// Said, after the figure it explains (fidelity, colour), when the output
// re-curved the tones (QaMetrics::tone_curve_applied); `what`: the words
// that join it to the message. Empty otherwise.
std::string Retoned(const QaMetrics& m, const char* what) {
  return m.tone_curve_applied
             ? absl::StrFormat("%s the output's tones follow a global tone curve %.1f levels RMS from a plain "
                               "enlargement's (a gamma, levels, contrast or colour-cast change)",
                               what, m.tone_curve_rms_8bit)
             : std::string();
}

// Real-ESRGAN's painted look, in plain words.
void AddPaintedFlatCheck(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  std::string message;
  if (m.painted_flat_measured)
    message = absl::StrFormat(
        "%.0f %% of the input's noisy flat areas (%.0f %% of the picture, noise σ %.1f levels) became "
        "grainless plateaus: a painted, plastic look where the noise hid texture (a truly clear sky "
        "may be right to be smooth)",
        m.painted_flat_pct, m.noisy_flat_area_pct, m.input_noise_sigma_8bit.value_or(0.0));
  else if (!m.input_noise_sigma_8bit)
    message = "the input's noise was not measured (a thumbnail too small to tell noise from detail)";
  else if (*m.input_noise_sigma_8bit < 2.0)
    message = "the input has little noise (σ < 2 levels): nothing to paint over";
  else
    message = "no noisy flat area (sky, walls) to check";
  checks.push_back(MakeQaCheck(thresholds, "painted_flat_pct", m.painted_flat_pct, "%", message));
  checks.back().measured = m.painted_flat_measured;
}

}  // namespace

// The checks of fidelity and colour, in plain words.
void AddFidelityAndColourChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  checks.push_back(MakeQaCheck(
      thresholds, "fidelity_psnr_db", m.fidelity_psnr_db, "dB",
      absl::StrFormat("%s differs from the input by %.1f dB PSNR-Y (lower = more invented, shifted or lost "
                      "structure)%s",
                      // The smaller of the two is compared: the output brought back to the input's size, or
                      // the input brought to a reduction's.
                      m.compared_at == "output" ? "at the output's size, the output"
                                                : "brought back to the input's size, the output",
                      m.fidelity_psnr_db, Retoned(m, "; part of that difference is that"))));
  checks.push_back(MakeQaCheck(thresholds, "color_delta_e00_mean", m.delta_e00_mean, "ΔE00",
                             absl::StrFormat("average colour change %.2f ΔE00 (1 ≈ just visible)%s",
                                             m.delta_e00_mean, Retoned(m, ";"))));
  checks.push_back(MakeQaCheck(thresholds, "color_delta_e00_p95", m.delta_e00_p95, "ΔE00",
                             absl::StrFormat("5 %% of the picture changed colour by more than %.2f ΔE00",
                                             m.delta_e00_p95)));
  const double max_bias = std::max({std::abs(m.bias_r_8bit), std::abs(m.bias_g_8bit),
                                    std::abs(m.bias_b_8bit)});
  checks.push_back(MakeQaCheck(thresholds, "color_bias_8bit", max_bias, "8-bit",
                             absl::StrFormat("average shift R %+.1f, G %+.1f, B %+.1f levels",
                                             m.bias_r_8bit, m.bias_g_8bit, m.bias_b_8bit)));
}

// The checks of halos, over-sharpening and fake texture, in plain words.
void AddSharpeningChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  checks.push_back(MakeQaCheck(
      thresholds, "halo_overshoot_pct", m.halo_overshoot_pct, "%",
      absl::StrFormat("near strong edges the output overshoots a plain enlargement%s by %.1f %% "
                      "of the edge contrast on average (halos, ringing)",
                      m.tone_curve_applied ? " put through the output's own tone curve" : "",
                      m.halo_overshoot_pct)));
  const double added_sharpening =
      m.oversharpening_halo_score -
      (m.oversharpening_plain_measured ? m.oversharpening_halo_score_plain : 0.0);
  checks.push_back(MakeQaCheck(
      thresholds, "halo_crispness", m.halo_crispness, "%",
      absl::StrFormat("halos %.1f %% × crispness %.2f = %.1f: halos on edges made much crisper than a "
                      "plain enlargement are the mark of a strong unsharp mask",
                      m.halo_overshoot_pct, m.detail_retained, m.halo_crispness)));
  checks.push_back(MakeQaCheck(
      thresholds, "oversharpening_added", added_sharpening, "score",
      m.oversharpening_measured
          ? absl::StrFormat("over-sharpening halo score %.1f%s (natural photos mostly ≲ 8, detected from 10)",
                            m.oversharpening_halo_score,
                            m.oversharpening_plain_measured
                                ? absl::StrFormat(", %+.1f over a plain enlargement of the input",
                                                  added_sharpening)
                                : std::string())
          : std::string(m.oversharpening_too_small
                            ? "the output is too small (fewer than 128×128 px in all) to tell halos from crisp detail"
                            : "no halo score: drawn content, or no gradient to read")));
  checks.back().measured = m.oversharpening_measured;
  AddPaintedFlatCheck(m, thresholds, checks);
  checks.push_back(MakeQaCheck(
      thresholds, "fake_texture_pct", m.fake_texture_pct, "%",
      m.flat_area_pct < 1.0
          ? std::string("no flat area (sky, walls) to check")
          : absl::StrFormat("%.1f %% of the flat areas (%.0f %% of the picture) got structure "
                            "that a plain enlargement%s does not have",
                            m.fake_texture_pct, m.flat_area_pct,
                            OfUndithered(m))));
}

// The checks of noise, detail and tile seams, in plain words.
void AddNoiseDetailAndSeamChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  checks.push_back(MakeQaCheck(
      thresholds, "noise_amplification", m.noise_amplification, "ratio",
      m.noise_measured
          ? (m.noise_reference_is_plain && m.noise_sigma_plain_8bit
                 ? absl::StrFormat("noise in the quietest areas at the %s's size: σ %.2f levels in "
                                   "the output vs %.2f in a plain enlargement of the input brought back "
                                   "alike (%.2f in the input itself)",
                                   m.compared_at, m.noise_sigma_output_8bit, *m.noise_sigma_plain_8bit,
                                   m.noise_sigma_input_8bit)
                 : absl::StrFormat("noise in the quietest areas at the %s's size: σ %.2f levels in "
                                   "the output vs %.2f in the input",
                                   m.compared_at, m.noise_sigma_output_8bit, m.noise_sigma_input_8bit)) +
                (m.noise_amplification_shadows
                     ? absl::StrFormat("; in the shadows ×%.2f", *m.noise_amplification_shadows)
                     : std::string())
          : std::string("too small to measure noise")));
  checks.back().measured = m.noise_measured;
  const char* of_undithered = OfUndithered(m);
  checks.push_back(MakeQaCheck(
      thresholds, "detail_retained", m.detail_retained, "ratio",
      m.edge_area_pct > 0
          ? absl::StrFormat("edges are %.2f× as crisp as in a plain enlargement%s (below 1 = softer)",
                            m.detail_retained, of_undithered)
          : std::string("no edge stands out of the input's noise to compare")));
  checks.back().measured = m.edge_area_pct > 0;
  checks.push_back(MakeQaCheck(
      thresholds, "detail_lost_area_pct", m.detail_lost_area_pct, "%",
      !m.detail_local_measured ? std::string("too few parts of the picture with strong edges to compare part by part")
      : m.detail_lost_region.empty()
          ? absl::StrFormat("every part keeps at least %.0f %% of the fine detail of a plain enlargement%s",
                            100 * kLostDetailRatio, of_undithered)
          : absl::StrFormat("%.1f %% of the detailed picture lies in one soft part, %d×%d px at (%d, %d), that keeps "
                            "%.2f× the fine detail of a plain enlargement%s (under %.2f× counts as lost)",
                            m.detail_lost_area_pct, m.detail_lost_region.width, m.detail_lost_region.height,
                            m.detail_lost_region.x, m.detail_lost_region.y, m.detail_lost_region_retained,
                            of_undithered, kLostDetailRatio)));
  checks.back().measured = m.detail_local_measured;
  checks.push_back(MakeQaCheck(
      thresholds, "repeated_pixels_added_pct", m.repeated_pixels_added_pct, "%",
      m.repeated_pixels_added_pct > 0
          ? absl::StrFormat("%.1f %% of the output's columns and rows copy their neighbour, beyond what the input "
                            "repeats: pixels enlarged by copying (nearest neighbour) look blocky",
                            m.repeated_pixels_added_pct)
          : m.input_pixel_block_px
              ? absl::StrFormat("the input is made of %d-px squares of one colour (pixel art): repeating them is its "
                                "exact enlargement",
                                *m.input_pixel_block_px)
              : std::string("no pixels copied from their neighbour beyond what the input repeats")));
  checks.push_back(MakeQaCheck(
      thresholds, "tile_seam_strength", m.tile_seam_strength, "ratio",
      m.tile_seam_period_px == 0
          ? std::string("no periodic line grid found (or the picture is too small to look)")
          : absl::StrFormat("%s: the strongest periodic line grid (every %d px, %s, from %d px) "
                            "stands out %.2f× above the strongest 5 %% of other lines",
                            thresholds.Judge("tile_seam_strength", m.tile_seam_strength) ==
                                    QaStatus::kPass
                                ? "no tile seams"
                                : "tile seams",
                            m.tile_seam_period_px,
                            m.tile_seam_axis == "columns" ? "vertical"
                            : m.tile_seam_axis == "rows"  ? "horizontal"
                                                          : "both ways from the corner",
                            m.tile_seam_offset_px, m.tile_seam_strength)));
}

// output_jpeg_quality: an output saved as a low-quality JPEG, or whose
// pixels show a heavier save than its input's in any container (one story
// with `analyze`, which calls such a file heavily damaged);
// inherited_jpeg_quality: the input's own blocks, which the output kept.
void AddJpegChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  const std::string input = m.input_jpeg_quality
                                ? absl::StrFormat("the input's: quality %g", *m.input_jpeg_quality)
                                : std::string("the input shows no JPEG damage");
  const auto suffix = [&](const char* name, double value, const char* advice) {
    return thresholds.Judge(name, value) == QaStatus::kPass ? std::string() : std::string(advice);
  };
  std::string added;
  if (!m.output_jpeg_quality)
    added = m.inherited_jpeg_quality
                ? "the output went through no JPEG save of its own: the blocks it shows are the input's"
                : "the output went through no JPEG save (neither its file nor its pixels show one)";
  else if (m.output_jpeg_from_tables)
    added = absl::StrFormat("the output is a JPEG of quality %g (%s)", *m.output_jpeg_quality, input);
  else
    added = absl::StrFormat("the output's pixels show a JPEG save of its own, of quality %g (%s), whatever its "
                            "file format",
                            *m.output_jpeg_quality, input);
  if (m.output_jpeg_quality)
    added += suffix("output_jpeg_quality", *m.output_jpeg_quality,
                    ": blocks and ringing show at any size — save it at a higher quality, or losslessly "
                    "from the pixels before that save");
  checks.push_back(MakeQaCheck(thresholds, "output_jpeg_quality", m.output_jpeg_quality.value_or(100), "IJG", added));
  checks.back().measured = m.output_jpeg_quality.has_value();

  std::string kept;
  if (m.inherited_jpeg_quality)
    kept = absl::StrFormat("the input's JPEG blocks are still in the output (read there as quality %g; the input's: "
                           "%g)",
                           *m.inherited_jpeg_quality, m.input_jpeg_quality.value_or(0)) +
           suffix("inherited_jpeg_quality", *m.inherited_jpeg_quality,
                  ": a deblock before the other steps (or a model that repairs) takes them away");
  else if (!m.input_jpeg_quality)
    kept = "the input shows no JPEG damage to keep";
  else if (m.scale_x != 1.0 || m.scale_y != 1.0)
    kept = absl::StrFormat("not read: the input's blocks (quality %g) keep their 8-px grid only in an output "
                           "at the input's size",
                           *m.input_jpeg_quality);
  else
    kept = absl::StrFormat("the input's JPEG blocks (quality %g) are gone from the output", *m.input_jpeg_quality);
  checks.push_back(MakeQaCheck(thresholds, "inherited_jpeg_quality", m.inherited_jpeg_quality.value_or(100), "IJG",
                               kept));
  checks.back().measured = m.inherited_jpeg_quality.has_value();
}

namespace {

// The inherited_motion_blur_px check in words: the input's smear, none
// found, or why it was not measured.
std::string InheritedMotionBlurWords(const QaMetrics& m, double scale, const char* judged_at, bool passes) {
  const double smear = m.input_motion_blur_px.value_or(0);
  if (smear > 0)
    return absl::StrFormat("the input is smeared by motion blur of %.0f px at %.0f° (about %.0f px at the output's "
                           "size; judged %s)%s",
                           smear, m.input_motion_blur_angle_deg.value_or(0), smear * scale, judged_at,
                           passes ? ": shorter than the limit there" : ": enlarging and sharpening do not undo it");
  if (m.input_motion_blur_px) return "no motion blur found in the input";
  if (m.input_motion_blur_too_small)
    return absl::StrFormat("not measured: the input is under %d px on a side, too small to read a smear's length",
                           kMotionBlurMinSidePx);
  if (m.input_motion_blur_drawn) return "not measured: the input is drawn content, nothing was photographed";
  return "the input's motion blur could not be measured";
}

}  // namespace

// The blur the input had, which no enlargement or sharpen removes: the
// output cannot pass as sharp when the input was smeared or severely
// blurred, whatever the output's own readings say (an AI upscale draws
// crisp edges over a smear, and the smear outgrows the motion-blur reading).
//
// Each is judged at the smaller of the two sizes: an enlargement keeps the
// input's blur whatever its px, a reduction shrinks it (a thumbnail a
// quarter the size of a photo blurred 4 px is blurred 1 px, which `analyze`
// calls sharp; it warned "severe blur").
void AddInheritedBlurChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks) {
  const double scale = std::sqrt(m.scale_x * m.scale_y);
  const double judged_scale = std::min(1.0, scale);
  const char* judged_at = scale < 1.0 ? "at the output's size" : "in the input's px";
  const double blur = m.input_blur_sigma_px.value_or(0) * judged_scale;
  const bool blur_passes = thresholds.Judge("inherited_blur_px", blur) == QaStatus::kPass;
  checks.push_back(MakeQaCheck(
      thresholds, "inherited_blur_px", blur, "px",
      m.input_blur_sigma_px
          ? absl::StrFormat("the input's blur σ %.2f px (%.1f px at the output's size; judged %s)%s",
                            *m.input_blur_sigma_px, *m.input_blur_sigma_px * scale, judged_at,
                            blur_passes ? "" : ": severe blur, which neither upscaling nor sharpening undoes")
          : std::string("the input's blur could not be measured")));
  checks.back().measured = m.input_blur_sigma_px.has_value();
  const double smear = m.input_motion_blur_px.value_or(0);
  const bool smear_passes = thresholds.Judge("inherited_motion_blur_px", smear * judged_scale) == QaStatus::kPass;
  checks.push_back(MakeQaCheck(thresholds, "inherited_motion_blur_px", smear * judged_scale, "px",
                               InheritedMotionBlurWords(m, scale, judged_at, smear_passes)));
  checks.back().measured = m.input_motion_blur_px.has_value();
}

}  // namespace acuity
