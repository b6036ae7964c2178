#include "report/text_output.h"

#include <cmath>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/verdicts.h"
#include "analysis/advice/wild_readings.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/io/animation.h"

namespace acuity::report {
namespace {

constexpr const char* kNotMeasured = "—  (not measured)";

std::string Value(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : std::string(kNotMeasured);
}

void Row(std::string& out, const std::string& label, const std::string& value) {
  out += fmt::format("  {:<22} {}\n", label, value);
}

// The plain-words verdict of the measurement `key` (DescribeMeasurements) as
// a row under its figures: "  verdict  fair — soft: a sharpen helps, ...".
void VerdictRow(std::string& out, const std::vector<PlainVerdict>& verdicts, const std::string& key) {
  for (const PlainVerdict& v : verdicts) {
    if (v.key != key) continue;
    Row(out, "  verdict", v.level == VerdictLevel::kNotMeasured
                              ? std::string(VerdictLevelWord(v.level))
                              : fmt::format("{} — {}", VerdictLevelWord(v.level), v.words));
  }
}

// Dither (dither.h): "33 colours, dots σ 7.7 alternating (neighbour
// correlation −0.21, 62 % of the pixels isolated)" when detected; what the
// few colours show instead when not.
std::string DitherText(const DitherResult& d) {
  const std::string pattern =
      d.pattern_correlation
          ? fmt::format("neighbour correlation {:+.2f}, {:.0f} % of the pixels isolated", *d.pattern_correlation,
                        d.isolated_pct.value_or(0))
          : std::string("no pattern in its smooth parts");
  if (d.screen_period_px)
    return fmt::format("a printed halftone screen: period {:.1f} px at {:.0f}°, dots over the whole picture",
                       *d.screen_period_px, d.screen_angle_deg.value_or(0));
  if (d.detected.value_or(false))
    return fmt::format("{} colours, dots σ {:.1f} alternating ({}) over {:.0f} % of the picture", d.colors.value_or(0),
                       d.pattern_sigma_8bit.value_or(0), pattern, d.dithered_pct.value_or(0));
  return fmt::format("none in {} colours ({})", d.colors.value_or(0), pattern);
}

// Motion blur: "12.3 px at 30° (score 25.0)" when detected, "none found
// (score 12.2): <why>" when not (MotionBlurNotFoundReason, wild_readings.h).
std::string MotionBlurText(const MotionBlurResult& m) {
  if (m.drawn_content.value_or(false)) return "—  (not measured: drawn content, nothing was photographed)";
  if (m.too_small.value_or(false))
    return fmt::format("—  (not measured: under {} px on a side, too small to read a smear's length)",
                       kMotionBlurMinSidePx);
  if (!m.detected) return kNotMeasured;
  if (!*m.detected) {
    const std::string why = MotionBlurNotFoundReason(m);
    return fmt::format("none found (score {:.1f}){}", m.score.value_or(0), why.empty() ? "" : ": " + why);
  }
  return fmt::format("{:.1f} px at {:.0f}° (score {:.1f})", m.length_px.value_or(0), m.angle_deg.value_or(0),
                     m.score.value_or(0));
}

void TargetRows(std::string& out, const TargetFit& t) {
  Row(out, "target", fmt::format("{} → {}×{} px{}", t.spec.text, t.width_px, t.height_px,
                                 t.rotated ? " (turned to follow the image)" : ""));
  std::string need = t.fits ? fmt::format("fits: no upscaling needed (scale {:.2f}×)", t.required_scale)
                            : fmt::format("needs a {:.2f}× upscale", t.required_scale);
  if (t.fit != FitMode::kNone) Row(out, "  fit", fmt::format("{}: {}", FitModeName(t.fit), t.fit_reason));
  Row(out, "  resolution", need);
  if (t.spec.viewing_distance_cm)
    Row(out, "  seen from", fmt::format("{:.0f} cm: the eye resolves {:.0f} ppi there ({:g}′ per pixel)",
                                        *t.spec.viewing_distance_cm, t.spec.dpi, t.spec.eye_acuity_arcmin));
  if (t.effective_dpi) Row(out, "  prints today at", fmt::format("{:.0f} dpi", *t.effective_dpi));
  Row(out, "  output size", fmt::format("about {} as JPEG q80, {} as PNG", FormatBytes(t.estimated_jpeg_bytes),
                                        FormatBytes(t.estimated_png_bytes)));
  if (t.estimated_jpeg_bytes_denoised && t.estimated_png_bytes_denoised)
    Row(out, "    noise taken out", fmt::format("about {} and {}", FormatBytes(*t.estimated_jpeg_bytes_denoised),
                                                FormatBytes(*t.estimated_png_bytes_denoised)));
  if (t.estimated_jpeg_bytes_undithered && t.estimated_png_bytes_undithered)
    Row(out, "    dots smoothed", fmt::format("about {} and {}", FormatBytes(*t.estimated_jpeg_bytes_undithered),
                                              FormatBytes(*t.estimated_png_bytes_undithered)));
}

}  // namespace

// "45 (from quant_tables, other tables): equivalent quality", "no sign of
// JPEG compression", "not read (8×8 blocks visible)" or not measured (and
// why, for a lossy WebP, HEIF or AVIF file).
std::string JpegQualityText(const CompressionResult& c, const ImageInfo& in) {
  if (c.jpeg_quality_estimate) {
    const std::string equivalent = EquivalentQualityWords(c);
    return fmt::format("{:.0f} (from {}{}){}{}", *c.jpeg_quality_estimate, c.quality_source,
                       c.tables ? ", " + *c.tables + " tables" : "", equivalent.empty() ? "" : ": " + equivalent,
                       c.last_saved_quality ? fmt::format("; re-saved at {:.0f} since", *c.last_saved_quality) : "");
  }
  if (c.two_level == true) return "no sign of JPEG compression (a two-level picture)";
  if (c.palette_colors)
    return fmt::format("no sign of JPEG compression (a picture of {} exact colours)", *c.palette_colors);
  if (c.quality_source != "none" || !c.blockiness) return kNotMeasured;
  if (*c.blockiness >= kVisibleBlockiness) return "not read (8×8 blocks visible)";
  if (const char* codec = UnreadLossyCodec(in))
    return fmt::format("—  (not measured: a lossy {} file, and only JPEG coding's damage is read)", codec);
  return "no sign of JPEG compression";
}

std::string FormatNoiseLevelFunction(const std::vector<NoiseLevelBin>& bins) {
  std::string text;
  for (const NoiseLevelBin& b : bins)
    text += fmt::format("{}{:.0f}–{:.0f}: {}", text.empty() ? "" : " · ", b.level_from_8bit, b.level_to_8bit,
                        b.sigma ? fmt::format("{:.2f}", *b.sigma) : std::string("—"));
  return text;
}

std::string FormatReportText(const AnalysisReport& r) {
  const ImageInfo& in = r.input;
  std::string out = fmt::format("{}\n", in.path);
  std::string file = fmt::format("{} · {}×{} px ({:.1f} MP) · {} channel{} · {}-bit", ImageFormatName(in.format),
                                 in.width, in.height, in.width * double(in.height) / 1e6, in.channels,
                                 in.channels == 1 ? "" : "s", in.bit_depth);
  if (in.has_alpha) file += " · alpha";
  if (in.cmyk) file += " · CMYK ink (read as sRGB)";
  if (std::optional<StoredImagesWords> several = SeveralStoredImages(in))
    file += fmt::format(" · {} (its {} read)", several->whole, several->read);
  if (in.file_bytes) file += " · " + FormatBytes(*in.file_bytes);
  Row(out, "file", file);
  std::string meta = in.dpi ? fmt::format("{:.0f} dpi ({})", *in.dpi, in.dpi_source) : "no DPI recorded";
  meta += in.has_icc ? fmt::format(" · ICC profile \"{}\"", in.icc_description) : " · no ICC profile";
  if (in.exif_orientation != 1) meta += fmt::format(" · EXIF orientation {} applied", in.exif_orientation);
  Row(out, "metadata", meta);
  if (in.acuity_record)
    Row(out, "made by acuity",
        fmt::format("{} · {:.2f}× enlarged in all{}", in.acuity_record->steps.empty() ? "(no steps)" : in.acuity_record->steps,
                    in.acuity_record->enlargement, in.acuity_record->sharpened ? " · sharpened since" : ""));
  if (in.jpeg) {
    Row(out, "jpeg", fmt::format("{} · {} quantization table{}{}", in.jpeg->subsampling,
                                 in.jpeg->quant_tables.size(), in.jpeg->quant_tables.size() == 1 ? "" : "s",
                                 in.jpeg->progressive ? " · progressive" : ""));
  }
  const std::vector<PlainVerdict> verdicts = DescribeMeasurements(r);
  if (r.target) {
    TargetRows(out, *r.target);
    VerdictRow(out, verdicts, "resolution");
  }
  Row(out, "blur σ (px)", Value(r.sharpness.blur_sigma_px, "{:.2f}"));
  if (r.content.overlay_pct.value_or(0) > 0)
    Row(out, "  drawn on it",
        fmt::format("{:.1f} % of the picture (text or a logo drawn on the photo): blur, motion blur and halos "
                    "are read without it",
                    *r.content.overlay_pct));
  if (r.sharpness.in_focus_blur_sigma_px)
    Row(out, "  in focus / elsewhere",
        fmt::format("{:.2f} / {:.2f} · {:.0f} % of the frame in focus", *r.sharpness.in_focus_blur_sigma_px,
                    r.sharpness.out_of_focus_blur_sigma_px.value_or(0), r.sharpness.in_focus_area_pct.value_or(0)));
  VerdictRow(out, verdicts, "sharpness");
  Row(out, "noise σ (8-bit)",
      r.noise.too_small.value_or(false) ? std::string("—  (not measured: too small to tell noise from a thumbnail's detail)")
      : r.noise.correlated.value_or(false)
          ? Value(r.noise.sigma, "{:.2f}") + fmt::format("  (grain over more than a pixel: read on pixels binned {0}×{0})",
                                                         r.noise.binned_px.value_or(2))
          : Value(r.noise.sigma, "{:.2f}"));
  if (r.noise.luma_sigma) {
    const std::optional<std::string> reduced =
        r.noise.chroma_sigma ? std::nullopt : ReducedColourLayout(r.input);
    Row(out, "  luma / chroma σ",
        fmt::format("{:.2f} / {}", *r.noise.luma_sigma,
                    reduced ? fmt::format("not measured (colour stored at {})", *reduced)
                            : Value(r.noise.chroma_sigma, "{:.2f}")));
  }
  if (!r.noise.level_function.empty()) Row(out, "  σ by level (8-bit)", FormatNoiseLevelFunction(r.noise.level_function));
  VerdictRow(out, verdicts, "noise");
  Row(out, "JPEG quality", JpegQualityText(r.compression, r.input));
  Row(out, "blockiness", Value(r.compression.blockiness, "{:.3f}"));
  VerdictRow(out, verdicts, "compression");
  if (r.dither.detected) {  // a picture of at most 256 colours (dither.h)
    Row(out, "dither", DitherText(r.dither));
    VerdictRow(out, verdicts, "dither");
  }
  Row(out, "halo score",
      r.oversharpening.drawn_content.value_or(false)
          ? std::string("—  (not measured: drawn content, whose strokes read as halos)")
      : r.oversharpening.too_small.value_or(false)
          ? std::string("—  (not measured: too small to tell halos from a thumbnail's crisp detail)")
          : Value(r.oversharpening.halo_score, "{:.3f}"));
  Row(out, "overshoot (%)", Value(r.oversharpening.overshoot_pct, "{:.1f}"));
  if (r.oversharpening.detected) Row(out, "over-sharpened", *r.oversharpening.detected ? "yes" : "no");
  VerdictRow(out, verdicts, "halos");
  Row(out, "native scale", Value(r.resolution.native_scale, "{:.2f}"));
  VerdictRow(out, verdicts, "native_scale");
  Row(out, "motion blur", MotionBlurText(r.motion_blur));
  VerdictRow(out, verdicts, "motion_blur");
  // Faces and text: rows only when they were looked for (analyze --content, advise).
  for (const char* key : {"faces", "text"}) {
    for (const PlainVerdict& v : verdicts) {
      if (v.key != key) continue;
      Row(out, key, v.value);
      VerdictRow(out, verdicts, key);
    }
  }
  for (const Warning& w : r.warnings) out += fmt::format("  warning [{}]: {}\n", w.code, w.message);
  return out;
}

// A native-scale reading this much above what an enlargement leaves missed it.
constexpr double kEnlargementReadingTolerance = 1.2;

// Sizes within this fraction of each other are one scale.
constexpr double kSameScaleTolerance = 0.02;

// How much the picture grew from `before` to a result of `after` px,
// linear: the target's required_scale of its kept part when the result has
// the target's size (a crop or a pad changes the width without changing the
// content's scale), else the ratio of the widths.
double ContentScale(const AnalysisReport& before, cv::Size after) {
  if (before.target && after.width == before.target->output_width_px &&
      after.height == before.target->output_height_px)
    return before.target->required_scale;
  return before.input.width > 0 ? double(after.width) / before.input.width : 1.0;
}

std::optional<Image> ContentAtInputScale(const Image& result, const AnalysisReport& before) {
  const double grew = ContentScale(before, result.pixels.size());
  if (std::abs(grew - 1) <= kSameScaleTolerance || !(grew > 0) || result.pixels.empty()) return std::nullopt;
  cv::Rect content(0, 0, result.pixels.cols, result.pixels.rows);
  if (before.target && result.pixels.cols == before.target->output_width_px &&
      result.pixels.rows == before.target->output_height_px && before.target->padded()) {
    const TargetFit& fit = *before.target;
    content = cv::Rect((fit.output_width_px - fit.scaled_width_px) / 2, (fit.output_height_px - fit.scaled_height_px) / 2,
                       fit.scaled_width_px, fit.scaled_height_px) &
              content;
  }
  const cv::Size size(std::max(1, int(std::lround(content.width / grew))),
                      std::max(1, int(std::lround(content.height / grew))));
  Image out;
  cv::resize(result.pixels(content), out.pixels, size, 0, 0, grew > 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  out.info = result.info;
  out.info.width = size.width;
  out.info.height = size.height;
  // Resampled pixels: no file's coding grid (a JPEG's 8-px blocks) is left
  // in them, nor its path or size.
  out.info.format = ImageFormat::kUnknown;
  out.info.jpeg.reset();
  out.info.path.clear();
  out.info.file_bytes.reset();
  // The file's record of its enlargement (acuity_record.h), brought back too:
  // read as it is, a ×4 record made the reduced picture's 12-px smear 3
  // native px, too short to report.
  if (out.info.acuity_record)
    out.info.acuity_record->enlargement = std::max(1.0, out.info.acuity_record->enlargement / grew);
  return out;
}

std::string FormatBeforeAfterText(const AnalysisReport& before, const AnalysisReport& after,
                                  const AnalysisReport* after_at_input_scale) {
  const AnalysisReport* at_input = after_at_input_scale;
  std::string out = fmt::format("  {:<22} {:>18}   {}\n", "", "before", "after");
  auto row = [&](const std::string& label, const std::string& a, const std::string& b) {
    out += fmt::format("  {:<22} {:>18}   {}\n", label, a, b);
  };
  auto num = [](const std::optional<double>& v, const char* format) {
    return v ? fmt::format(fmt::runtime(format), *v) : std::string("—");
  };
  auto size = [](const ImageInfo& in) { return fmt::format("{}×{} px", in.width, in.height); };
  row("size", size(before.input), size(after.input));
  auto bytes = [](const ImageInfo& in) { return in.file_bytes ? FormatBytes(*in.file_bytes) : std::string("—"); };
  row("file", bytes(before.input), bytes(after.input));
  if (before.target && after.target) {
    auto fit = [](const TargetFit& t) {
      return t.fits ? std::string("fits") : fmt::format("needs {:.2f}×", t.required_scale);
    };
    row("target " + before.target->spec.text, fit(*before.target), fit(*after.target));
    if (before.target->effective_dpi && after.target->effective_dpi)
      row("  prints at", fmt::format("{:.0f} dpi", *before.target->effective_dpi),
          fmt::format("{:.0f} dpi", *after.target->effective_dpi));
  }
  // Each blur is in its own image's px: an enlargement's reads larger for
  // the same sharpness, so after's is also said in before's px.
  std::string blur_after = num(after.sharpness.blur_sigma_px, "{:.2f}");
  const double grew = ContentScale(before, cv::Size(after.input.width, after.input.height));
  if (at_input != nullptr && at_input->sharpness.blur_sigma_px)
    blur_after += fmt::format(" ({:.2f} at the input's size)", *at_input->sharpness.blur_sigma_px);
  else if (after.sharpness.blur_sigma_px && std::abs(grew - 1) > kSameScaleTolerance)
    blur_after += fmt::format(" ({:.2f} at the input's size)", *after.sharpness.blur_sigma_px / grew);
  row("blur σ (px)", num(before.sharpness.blur_sigma_px, "{:.2f}"), blur_after);
  // A smear grows with the picture (each length in its own image's px): the
  // blur row alone made a motion-blurred photo look sharpened.
  auto smear = [](const MotionBlurResult& m) {
    if (!m.detected) return std::string("—");
    if (!*m.detected || !m.length_px) return std::string("none");
    return fmt::format("{:.0f} px at {:.0f}°", *m.length_px, m.angle_deg.value_or(0));
  };
  const bool smeared_at_input = at_input != nullptr && at_input->motion_blur.detected.value_or(false);
  if (before.motion_blur.detected.value_or(false) || after.motion_blur.detected.value_or(false) || smeared_at_input) {
    std::string smear_after = smear(after.motion_blur);
    if (smeared_at_input) smear_after += " (" + smear(at_input->motion_blur) + " at the input's size)";
    row("motion blur", smear(before.motion_blur), smear_after);
  }
  row("noise σ (8-bit)", num(before.noise.sigma, "{:.2f}"), num(after.noise.sigma, "{:.2f}"));
  row("JPEG quality", num(before.compression.jpeg_quality_estimate, "{:.0f}"),
      num(after.compression.jpeg_quality_estimate, "{:.0f}"));
  row("blockiness", num(before.compression.blockiness, "{:.3f}"), num(after.compression.blockiness, "{:.3f}"));
  if (before.dither.detected.value_or(false) || after.dither.detected.value_or(false)) {
    // Dots (dither.h) before, and whether any are left after.
    const auto dots = [](const DitherResult& d) {
      if (!d.detected) return fmt::format("not measured ({})", d.not_measured_reason.value_or("no reason"));
      return *d.detected ? fmt::format("σ {:.1f} ({} colours)", d.pattern_sigma_8bit.value_or(0), d.colors.value_or(0))
                         : fmt::format("none ({} colours)", d.colors.value_or(0));
    };
    row("dither dots", dots(before.dither), dots(after.dither));
  }
  row("halo score", num(before.oversharpening.halo_score, "{:.2f}"),
      num(after.oversharpening.halo_score, "{:.2f}"));
  std::string native_after = num(after.resolution.native_scale, "{:.2f}");
  if (before.target && after.target && after.target->fits && before.target->required_scale > 1 &&
      before.resolution.native_scale && after.resolution.native_scale) {
    // One story: the plan enlarged it f×; a reading that cannot see that
    // (more than 20 % above before's ÷ f) is shown beside what it must be.
    const double f = before.target->required_scale, known = *before.resolution.native_scale / f;
    if (*after.resolution.native_scale > known * kEnlargementReadingTolerance)
      native_after += fmt::format(" (enlarged {:.2f}× here: {:.2f})", f, known);
  }
  row("native scale", num(before.resolution.native_scale, "{:.2f}"), native_after);
  return out;
}

std::string FormatStepText(const PlanStep& step) { return StepText(step); }

std::string FormatPlanText(const Plan& plan, const AnalysisReport& r) {
  std::string out = "  plan:\n";
  if (plan.steps.empty()) out += "    leave it as it is: " + LeaveAsIsWords(plan, r) + "\n";
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    out += fmt::format("    {}. {}\n       because {}\n", i + 1, FormatStepText(plan.steps[i]),
                       plan.steps[i].reason);
  }
  for (const Warning& w : plan.warnings) out += fmt::format("  warning [{}]: {}\n", w.code, w.message);
  return out;
}

}  // namespace acuity::report
