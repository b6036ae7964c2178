#include "analysis/json/qa_json.h"

#include <cmath>

#include "analysis/json/report_json.h"

namespace acuity {
namespace {

using nlohmann::json;

constexpr double kPsnrCapDb = 100.0;

json Number(double value, int decimals) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) value = value > 0 ? kPsnrCapDb : -kPsnrCapDb;
  return RoundTo(value, decimals);
}

json RegionToJson(const cv::Rect& r) {
  return {{"x_px", r.x}, {"y_px", r.y}, {"width_px", r.width}, {"height_px", r.height}};
}

json ImageSummary(const ImageInfo& info) {
  return {{"path", info.path},
          {"format", ImageFormatName(info.format)},
          {"width", info.width},
          {"height", info.height},
          {"channels", info.channels},
          {"bit_depth", info.bit_depth}};
}

}  // namespace

json QaCheckToJson(const QaCheck& check) {
  return {{"name", check.name},
          {"value", check.measured ? Number(check.value, 4) : json(nullptr)},  // null: not measured
          {"threshold", Number(check.threshold, 4)},
          {"fail_threshold", Number(check.fail_threshold, 4)},
          {"higher_is_better", check.higher_is_better},
          {"status", QaStatusName(check.status)},
          {"unit", check.unit},
          {"message", check.message}};
}

json QaReportToJson(const QaReport& report, const ImageInfo& input, const ImageInfo& output,
                    const ImageInfo* reference) {
  const QaMetrics& m = report.metrics;
  json j;
  j["input"] = ImageSummary(input);
  j["output"] = ImageSummary(output);
  if (reference) j["reference"] = ImageSummary(*reference);
  j["verdict"] = QaStatusName(report.verdict);
  json checks = json::array();
  for (const QaCheck& c : report.checks) checks.push_back(QaCheckToJson(c));
  j["checks"] = checks;
  json metrics = {
      {"geometry", m.geometry},
      {"input_region", RegionToJson(m.input_region)},
      {"output_region", RegionToJson(m.output_region)},
      {"aspect_change_pct", Number(m.aspect_change_pct, 3)},
      {"mirrored", m.mirrored},
      {"turned_deg", m.turned_deg},
      {"input_has_alpha", m.input_has_alpha},
      {"output_has_alpha", m.output_has_alpha},
      {"input_transparent_pct", Number(m.input_transparent_pct, 3)},
      {"alpha_changed_pct", Number(m.alpha_changed_pct, 3)},
      {"scale_x", Number(m.scale_x, 4)},
      {"scale_y", Number(m.scale_y, 4)},
      {"compared_at", m.compared_at},
      {"fidelity_psnr_db", Number(m.fidelity_psnr_db, 3)},
      {"delta_e00_mean", Number(m.delta_e00_mean, 3)},
      {"delta_e00_p95", Number(m.delta_e00_p95, 3)},
      {"bias_r_8bit", Number(m.bias_r_8bit, 3)},
      {"bias_g_8bit", Number(m.bias_g_8bit, 3)},
      {"bias_b_8bit", Number(m.bias_b_8bit, 3)},
      {"halo_overshoot_pct", Number(m.halo_overshoot_pct, 3)},
      {"tone_curve_rms_8bit", Number(m.tone_curve_rms_8bit, 3)},  // 3 places: 1.996 is not 2 (kToneChange8bit)
      {"tone_curve_applied", m.tone_curve_applied},
      {"halo_crispness", Number(m.halo_crispness, 3)},
      {"edge_area_pct", Number(m.edge_area_pct, 2)},
      {"flat_area_pct", Number(m.flat_area_pct, 2)},
      {"flat_sigma_limit_8bit", Number(m.flat_sigma_limit_8bit, 3)},
      {"fake_texture_pct", Number(m.fake_texture_pct, 3)},
      {"noise_sigma_input_8bit", m.noise_measured ? Number(m.noise_sigma_input_8bit, 3) : json(nullptr)},
      {"noise_sigma_output_8bit", m.noise_measured ? Number(m.noise_sigma_output_8bit, 3) : json(nullptr)},
      {"noise_sigma_plain_8bit",
       m.noise_measured && m.noise_sigma_plain_8bit ? Number(*m.noise_sigma_plain_8bit, 3) : json(nullptr)},
      {"noise_amplification", m.noise_measured ? Number(m.noise_amplification, 3) : json(nullptr)},
      {"noise_amplification_shadows",
       m.noise_measured && m.noise_amplification_shadows ? Number(*m.noise_amplification_shadows, 3) : json(nullptr)},
      {"noise_measured", m.noise_measured},
      {"input_noise_sigma_8bit", m.input_noise_sigma_8bit ? Number(*m.input_noise_sigma_8bit, 3) : json(nullptr)},
      {"noisy_flat_area_pct", m.painted_flat_measured ? Number(m.noisy_flat_area_pct, 2) : json(nullptr)},
      {"painted_flat_pct", m.painted_flat_measured ? Number(m.painted_flat_pct, 2) : json(nullptr)},
      {"painted_flat_measured", m.painted_flat_measured},
      {"oversharpening_halo_score",
       m.oversharpening_measured ? Number(m.oversharpening_halo_score, 3) : json(nullptr)},
      {"oversharpening_halo_score_plain", m.oversharpening_plain_measured
                                              ? Number(m.oversharpening_halo_score_plain, 3)
                                              : nlohmann::json(nullptr)},
      {"oversharpening_measured", m.oversharpening_measured},
      {"input_dithered", m.input_dithered},
      {"detail_retained", m.edge_area_pct > 0 ? Number(m.detail_retained, 3) : json(nullptr)},
      {"detail_lost_area_pct", m.detail_local_measured ? Number(m.detail_lost_area_pct, 2) : json(nullptr)},
      {"detail_lost_region", m.detail_lost_region.empty() ? json(nullptr) : RegionToJson(m.detail_lost_region)},
      {"detail_lost_region_retained",
       m.detail_lost_region.empty() ? json(nullptr) : Number(m.detail_lost_region_retained, 3)},
      {"repeated_pixels_added_pct", Number(m.repeated_pixels_added_pct, 2)},
      {"input_pixel_block_px", m.input_pixel_block_px ? json(*m.input_pixel_block_px) : json(nullptr)},
      {"input_jpeg_quality", m.input_jpeg_quality ? Number(*m.input_jpeg_quality, 1) : json(nullptr)},
      {"output_jpeg_quality", m.output_jpeg_quality ? Number(*m.output_jpeg_quality, 1) : json(nullptr)},
      {"output_jpeg_quality_source",
       m.output_jpeg_quality ? json(m.output_jpeg_from_tables ? "quant_tables" : "pixels") : json(nullptr)},
      {"inherited_jpeg_quality", m.inherited_jpeg_quality ? Number(*m.inherited_jpeg_quality, 1) : json(nullptr)},
      {"tile_seam_strength", Number(m.tile_seam_strength, 2)},
      {"tile_seam_period_px", m.tile_seam_period_px},
      {"tile_seam_offset_px", m.tile_seam_offset_px},
      {"tile_seam_axis", m.tile_seam_axis.empty() ? json(nullptr) : json(m.tile_seam_axis)},
      {"input_blur_sigma_px", m.input_blur_sigma_px ? Number(*m.input_blur_sigma_px, 3) : json(nullptr)},
      {"input_motion_blur_px", m.input_motion_blur_px ? Number(*m.input_motion_blur_px, 1) : json(nullptr)},
      {"input_motion_blur_angle_deg",
       m.input_motion_blur_angle_deg ? Number(*m.input_motion_blur_angle_deg, 1) : json(nullptr)},
  };
  if (report.reference) {
    const FullReferenceMetrics& r = *report.reference;
    metrics["reference"] = {{"border_px", r.border_px},
                            {"psnr_y_db", Number(r.psnr_y_db, 4)},
                            {"ssim", Number(r.ssim, 5)},
                            {"ms_ssim", Number(r.ms_ssim, 5)},
                            {"ms_ssim_scales", r.ms_ssim_scales},
                            {"gmsd", Number(r.gmsd, 5)}};
  }
  j["metrics"] = metrics;
  return j;
}

}  // namespace acuity
