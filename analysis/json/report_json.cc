#include "analysis/json/report_json.h"

#include <cmath>

#include "analysis/advice/marketplace_rules.h"

namespace acuity {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v, int decimals) {
  return v ? json(RoundTo(*v, decimals)) : json(nullptr);
}
json Optional(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }

const char* KindName(TargetSpec::Kind kind) {
  switch (kind) {
    case TargetSpec::Kind::kPrint: return "print";
    case TargetSpec::Kind::kPixels: return "pixels";
    case TargetSpec::Kind::kLongEdge: return "long_edge";
  }
  return "pixels";
}

// The wild-photo readings (issue #17): the noise level function and motion
// blur, added to the report's object in their own block.
void AddWildReadings(const AnalysisReport& r, json& j) {
  json bins = json::array();
  for (const NoiseLevelBin& b : r.noise.level_function)
    bins.push_back({{"level_from", RoundTo(b.level_from_8bit, 2)},
                    {"level_to", RoundTo(b.level_to_8bit, 2)},
                    {"sigma", Optional(b.sigma, 3)}});
  j["noise"]["level_function"] = r.noise.level_function.empty() ? json(nullptr) : bins;
  const MotionBlurResult& m = r.motion_blur;
  j["motion_blur"] = {{"detected", Optional(m.detected)},
                      {"length_px", Optional(m.length_px, 2)},
                      {"angle_deg", Optional(m.angle_deg, 1)},
                      {"score", Optional(m.score, 2)},
                      {"echo_score", Optional(m.echo_score, 2)},
                      {"echo_of_shorter_smear", Optional(m.echo_of_shorter_smear)},
                      {"shorter_than_native_pixels", Optional(m.shorter_than_native_pixels)},
                      {"falloff_ratio", Optional(m.falloff_ratio, 3)},
                      {"edge_softness_px", Optional(m.edge_softness_px, 2)},
                      {"unwitnessed", Optional(m.unwitnessed)},
                      {"under_min_length", Optional(m.under_min_length)},
                      {"drawn_content", Optional(m.drawn_content)},
                      {"too_small", Optional(m.too_small)}};
  const DitherResult& d = r.dither;
  j["dither"] = {{"detected", Optional(d.detected)},
                 {"colors", d.colors ? json(*d.colors) : json(nullptr)},
                 {"pattern_correlation", Optional(d.pattern_correlation, 3)},
                 {"pattern_sigma_8bit", Optional(d.pattern_sigma_8bit, 2)},
                 {"isolated_pct", Optional(d.isolated_pct, 1)},
                 {"dithered_pct", Optional(d.dithered_pct, 1)},
                 {"undither_sigma_px", Optional(d.undither_sigma_px, 2)},
                 {"screen_period_px", Optional(d.screen_period_px, 2)},
                 {"screen_angle_deg", Optional(d.screen_angle_deg, 1)},
                 {"screen_rms_8bit", Optional(d.screen_rms_8bit, 2)},
                 {"not_measured", d.not_measured_reason ? json(*d.not_measured_reason) : json(nullptr)}};
}

// Faces and text lines (faces.h, text_layout.h) in the content block: a list
// when searched (empty: none found), null when not; the reason when the
// search could not run.
void AddContentObjects(const AnalysisReport& r, json& j) {
  json& content = j["content"];
  if (r.faces.faces) {
    json faces = json::array();
    for (const Face& f : *r.faces.faces)
      faces.push_back({{"x", f.x}, {"y", f.y}, {"width_px", f.width_px}, {"height_px", f.height_px},
                       {"score", RoundTo(f.score, 2)}, {"profile", f.profile}});
    content["faces"] = faces;
  } else {
    content["faces"] = nullptr;
  }
  content["faces_searched_from_width_px"] =
      r.faces.searched_from_width_px ? json(*r.faces.searched_from_width_px) : json(nullptr);
  if (r.text.lines) {
    json lines = json::array();
    for (const TextLine& t : *r.text.lines)
      lines.push_back({{"x", t.x}, {"y", t.y}, {"width_px", t.width_px}, {"height_px", t.height_px},
                       {"x_height_px", RoundTo(t.x_height_px, 1)}, {"confidence", RoundTo(t.confidence, 1)},
                       {"text", t.text}});
    content["text"] = lines;
  } else {
    content["text"] = nullptr;
  }
  const auto reason = [](const std::string& why) { return why.empty() ? json(nullptr) : json(why); };
  content["not_measured"] = {{"faces", reason(r.faces.not_measured_reason)},
                             {"text", reason(r.text.not_measured_reason)}};
}

}  // namespace

double RoundTo(double value, int decimals) {
  const double f = std::pow(10.0, decimals);
  const double rounded = std::round(value * f) / f;
  return rounded == 0.0 ? 0.0 : rounded;  // a small negative figure reads 0, not −0 (JSON "-0.0")
}

json ImageInfoToJson(const ImageInfo& info) {
  json j = {
      {"path", info.path},
      {"format", ImageFormatName(info.format)},
      {"width", info.width},
      {"height", info.height},
      {"channels", info.channels},
      {"bit_depth", info.bit_depth},
      {"has_alpha", info.has_alpha},
      {"cmyk", info.cmyk},
      {"dpi", Optional(info.dpi, 2)},
      {"dpi_y", Optional(info.dpi_y, 2)},
      {"dpi_source", info.dpi_source.empty() ? json(nullptr) : json(info.dpi_source)},
      {"exif_orientation", info.exif_orientation},
      {"has_exif", info.has_exif},
      {"has_icc", info.has_icc},
      {"icc_description", info.has_icc ? json(info.icc_description) : json(nullptr)},
      {"file_bytes", info.file_bytes ? json(*info.file_bytes) : json(nullptr)},
      {"megapixels", RoundTo(double(info.width) * info.height / 1e6, 2)},
      {"frames", info.frames ? json(*info.frames) : json(nullptr)},
      {"lossy_codec", info.lossy_codec ? json(*info.lossy_codec) : json(nullptr)},
  };
  if (info.jpeg) {
    json tables = json::array();
    for (const auto& t : info.jpeg->quant_tables) tables.push_back(json(std::vector<int>(t.begin(), t.end())));
    j["jpeg"] = {{"quant_tables", tables},
                 {"component_tables", info.jpeg->component_table},
                 {"subsampling", info.jpeg->subsampling},
                 {"progressive", info.jpeg->progressive}};
  } else {
    j["jpeg"] = nullptr;
  }
  j["raw"] = info.raw ? json{{"camera", info.raw->camera}, {"rendering", info.raw->rendering}} : json(nullptr);
  j["acuity_record"] = info.acuity_record ? json{{"enlargement", RoundTo(info.acuity_record->enlargement, 4)},
                                                 {"sharpened", info.acuity_record->sharpened},
                                                 {"steps", info.acuity_record->steps}}
                                          : json(nullptr);
  return j;
}

json TargetFitToJson(const TargetFit& fit) {
  json j = {
      {"spec", fit.spec.text},
      {"kind", KindName(fit.spec.kind)},
      {"description", fit.spec.description},
      {"width_px", fit.width_px},
      {"height_px", fit.height_px},
      {"required_scale", RoundTo(fit.required_scale, 4)},
      {"effective_dpi", Optional(fit.effective_dpi, 1)},
      {"fits", fit.fits},
      {"estimated_jpeg_bytes", fit.estimated_jpeg_bytes},
      {"estimated_png_bytes", fit.estimated_png_bytes},
      {"estimated_jpeg_bytes_denoised",
       fit.estimated_jpeg_bytes_denoised ? json(*fit.estimated_jpeg_bytes_denoised) : json(nullptr)},
      {"estimated_png_bytes_denoised",
       fit.estimated_png_bytes_denoised ? json(*fit.estimated_png_bytes_denoised) : json(nullptr)},
      {"estimated_jpeg_bytes_undithered",
       fit.estimated_jpeg_bytes_undithered ? json(*fit.estimated_jpeg_bytes_undithered) : json(nullptr)},
      {"estimated_png_bytes_undithered",
       fit.estimated_png_bytes_undithered ? json(*fit.estimated_png_bytes_undithered) : json(nullptr)},
  };
  j["fit"] = fit.fit == FitMode::kNone ? json(nullptr) : json(FitModeName(fit.fit));
  j["fit_asked"] = fit.fit_asked;
  j["fit_reason"] = fit.fit_reason;
  j["kept"] = {{"x_px", fit.kept_x_px},
               {"y_px", fit.kept_y_px},
               {"width_px", fit.kept_width_px},
               {"height_px", fit.kept_height_px},
               {"on_detail", fit.kept_on_detail}};
  j["scaled_width_px"] = fit.scaled_width_px;
  j["scaled_height_px"] = fit.scaled_height_px;
  j["output_width_px"] = fit.output_width_px;
  j["output_height_px"] = fit.output_height_px;
  j["pad_color"] = fit.fit == FitMode::kPad ? json(ColorHex(fit.pad_color)) : json(nullptr);
  j["marketplace"] = fit.spec.marketplace.empty() ? json(nullptr) : json(fit.spec.marketplace);
  // The ppi the print needs (its DPI, or what the eye resolves at the
  // viewing distance), and that distance, cm; null when not a print / not given.
  j["required_ppi"] = fit.spec.kind == TargetSpec::Kind::kPrint ? json(RoundTo(fit.spec.dpi, 1)) : json(nullptr);
  j["viewing_distance_cm"] = Optional(fit.spec.viewing_distance_cm, 1);
  j["eye_acuity_arcmin"] = fit.spec.viewing_distance_cm ? json(fit.spec.eye_acuity_arcmin) : json(nullptr);
  if (fit.spec.kind == TargetSpec::Kind::kPrint) {
    j["dpi"] = fit.spec.dpi;
    j["print_width_in"] = RoundTo(fit.print_width_in, 3);
    j["print_height_in"] = RoundTo(fit.print_height_in, 3);
  }
  return j;
}

// The main-image readings of a marketplace target (product_shot.h); with
// the target's fit, the product's share of the frame that fit makes — the
// figure the fill rule and its warning judge (marketplace_rules.h).
json ProductShotToJson(const ProductShotReading& p, const TargetFit* fit) {
  const cv::Vec3b& m = p.border_median_8bit;
  // Nothing stands out: an empty white frame holds no product (0 %); on
  // another colour the fill is not measured (all product or all backdrop).
  const bool measured = p.product_found() || p.background_white();
  return {{"background_white", p.background_white()},
          {"border_white_pct", RoundTo(p.border_white_pct, 1)},
          {"border_median_rgb", {m[2], m[1], m[0]}},
          {"fill_pct", measured ? json(RoundTo(p.product_fill_pct, 1)) : json(nullptr)},
          {"fill_pct_after_fit", fit && measured ? json(RoundTo(ProductFillAfterFit(p.product_box_px, *fit), 1))
                                                 : json(nullptr)},
          {"box", p.product_found() ? json{{"x_px", p.product_box_px.x},
                                           {"y_px", p.product_box_px.y},
                                           {"width_px", p.product_box_px.width},
                                           {"height_px", p.product_box_px.height}}
                                    : json(nullptr)}};
}

json ReportToJson(const AnalysisReport& r) {
  json warnings = json::array();
  for (const Warning& w : r.warnings) warnings.push_back({{"code", w.code}, {"message", w.message}});
  json j = {
      {"input", ImageInfoToJson(r.input)},
      {"target", r.target ? TargetFitToJson(*r.target) : json(nullptr)},
      {"product", r.product ? ProductShotToJson(*r.product, r.target ? &*r.target : nullptr) : json(nullptr)},
      {"sharpness",
       {{"blur_sigma_px", Optional(r.sharpness.blur_sigma_px, 3)},
        {"blur_sigma_iqr_px", Optional(r.sharpness.blur_sigma_iqr_px, 3)},
        {"blur_resolution_px", Optional(r.sharpness.blur_resolution_px, 3)},
        {"in_focus_blur_sigma_px", Optional(r.sharpness.in_focus_blur_sigma_px, 3)},
        {"out_of_focus_blur_sigma_px", Optional(r.sharpness.out_of_focus_blur_sigma_px, 3)},
        {"in_focus_area_pct", Optional(r.sharpness.in_focus_area_pct, 1)},
        {"edge_count", r.sharpness.edge_count ? json(*r.sharpness.edge_count) : json(nullptr)}}},
      {"noise",
       {{"sigma", Optional(r.noise.sigma, 3)},
        {"luma_sigma", Optional(r.noise.luma_sigma, 3)},
        {"chroma_sigma", Optional(r.noise.chroma_sigma, 3)},
        {"channel_sigmas_rgb", r.noise.channel_sigmas
                                   ? json({RoundTo((*r.noise.channel_sigmas)[0], 3),
                                           RoundTo((*r.noise.channel_sigmas)[1], 3),
                                           RoundTo((*r.noise.channel_sigmas)[2], 3)})
                                   : json(nullptr)},
        {"weak_texture_fraction", Optional(r.noise.weak_texture_fraction, 4)},
        {"correlated", Optional(r.noise.correlated)},
        {"binned_px", r.noise.binned_px ? json(*r.noise.binned_px) : json(nullptr)},
        {"noisy_flat_pct", Optional(r.noise.noisy_flat_pct, 2)},
        {"too_small", Optional(r.noise.too_small)}}},
      {"compression",
       {{"jpeg_quality_estimate", Optional(r.compression.jpeg_quality_estimate, 1)},
        {"quality_source", r.compression.quality_source},
        {"tables", r.compression.tables ? json(*r.compression.tables) : json(nullptr)},
        {"estimated_tables", r.compression.estimated_tables ? json(*r.compression.estimated_tables) : json(nullptr)},
        {"last_saved_quality", Optional(r.compression.last_saved_quality, 1)},
        {"blockiness", Optional(r.compression.blockiness, 4)},
        {"two_level", Optional(r.compression.two_level)},
        {"palette_colors", r.compression.palette_colors ? json(*r.compression.palette_colors) : json(nullptr)},
        {"grid_offset", r.compression.grid_offset_x
                            ? json::array({*r.compression.grid_offset_x, *r.compression.grid_offset_y})
                            : json(nullptr)},
        {"confidence", Optional(r.compression.confidence, 3)}}},
      {"oversharpening",
       {{"halo_score", Optional(r.oversharpening.halo_score, 4)},
        {"overshoot_pct", Optional(r.oversharpening.overshoot_pct, 2)},
        {"detected", Optional(r.oversharpening.detected)},
        {"edges_measured", r.oversharpening.edges_measured ? json(*r.oversharpening.edges_measured)
                                                           : json(nullptr)},
        {"drawn_content", Optional(r.oversharpening.drawn_content)},
        {"too_small", Optional(r.oversharpening.too_small)}}},
      {"resolution",
       {{"native_scale", Optional(r.resolution.native_scale, 3)},
        {"periodicity_score", Optional(r.resolution.periodicity_score, 1)},
        {"upscale_kind", r.resolution.upscale_kind ? json(UpscaleKindName(*r.resolution.upscale_kind)) : json(nullptr)},
        {"native_scale_from", !r.resolution.native_scale ? json(nullptr)
                              : r.resolution.from_acuity_record ? json("acuity_record")
                                                                : json("pixels")},
        {"source_grid_coherence", Optional(r.resolution.source_grid_coherence, 3)},
        {"network_probability", Optional(r.resolution.network_probability, 3)},
        {"grid_tilt_deg", Optional(r.resolution.grid_tilt_deg, 2)},
        {"pixel_block_px", r.resolution.pixel_block_px ? json(*r.resolution.pixel_block_px) : json(nullptr)}}},
      {"content",
       {{"kind", r.content.kind ? json(ContentKindName(*r.content.kind)) : json(nullptr)},
        {"flat_pct", Optional(r.content.flat_pct, 2)},
        {"clipped_pct", Optional(r.content.clipped_pct, 2)},
        {"colors", r.content.colors ? json(*r.content.colors) : json(nullptr)},
        {"hard_edge_pct", Optional(r.content.hard_edge_pct, 2)},
        {"photo_pct", Optional(r.content.photo_pct, 2)},
        {"overlay_pct", Optional(r.content.overlay_pct, 2)},
        {"transparent_pct", Optional(r.content.transparent_pct, 2)}}},
      {"warnings", warnings},
  };
  AddWildReadings(r, j);
  AddContentObjects(r, j);
  return j;
}

}  // namespace acuity
