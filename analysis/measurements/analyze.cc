#include "analysis/measurements/analyze.h"

#include "analysis/measurements/image_ops.h"

#include <utility>

#include <fmt/format.h>

#include "analysis/io/animation.h"
#include "analysis/io/guard.h"
#include "analysis/io/thread_pool.h"
#include "analysis/measurements/coded_blocks.h"
#include "analysis/measurements/dither.h"
#include "analysis/measurements/noise_levels.h"
#include "analysis/measurements/output_size.h"
#include "analysis/measurements/pixel_blocks.h"
#include "analysis/measurements/qa_measures.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {

namespace {

// How a measurement's map is labelled (MeasurementMap).
struct MapLabel {
  const char* name;
  const char* unit;
  double display_max;
};

// Runs `measure` on `pixels` with `options` (compute_map set as asked),
// stores its figures in *figures and returns its map, if any.
template <typename Options, typename Result>
std::optional<MeasurementMap> Store(Measured<Result> (*measure)(const cv::Mat&, const Options&),
                                    const cv::Mat& pixels, Options options, bool compute_map, Result* figures,
                                    const MapLabel& label) {
  options.compute_map = compute_map;
  Measured<Result> measured = measure(pixels, options);
  *figures = std::move(measured.result);
  if (measured.map.empty()) return std::nullopt;
  return MeasurementMap{label.name, label.unit, measured.map, label.display_max};
}

// The lossy coding's block side, px: a JPEG's 8×8 DCT block, else 0.
int CodingBlockPx(const ImageInfo& info) { return info.jpeg ? 8 : 0; }

// The noise (noise.h). On drawn content (`drawn`: content.kind synthetic,
// after kContent) in a lossy-coded file its level function is read outside
// the coding's ringing beside strong edges (a JPEG screenshot's text), as
// the content kind reads its flat shares; the global σ keeps those patches.
// Not on a photo: the coding keeps a noisy photo's noise in just those
// blocks (a q85 JPEG of a photo with noise σ 3 read 1.4 with them, 0.0
// without).
std::optional<MeasurementMap> RunNoise(const Image& image, bool compute_map, bool drawn, NoiseResult* noise) {
  NoiseOptions options;
  const int block_px = CodingBlockPx(image.info);
  if (block_px > 0 && drawn)
    options.excluded = RingingBlockMask(StrongStepMask(To8Bit(image.pixels, /*keep_gray=*/true)),
                                        BlockGrid(image.pixels.size(), block_px, CodingGridOrigin(image.info, block_px)));
  return Store(MeasureNoise, image.pixels, options, compute_map, noise, {"noise", "8-bit", 0});
}

// The same for the native scale, which also knows the compression reading
// when it ran first: the pixels of a JPEG re-saved losslessly (a PNG of a
// decode) keep its 8-px blocks, whose period a soft photo's PNG re-save of
// a q75–q95 JPEG read as an 8/3× enlargement (native scale 0.375).
int CodingBlockPx(const ImageInfo& info, const CompressionResult& compression) {
  return compression.quality_source == "pixels" ? 8 : CodingBlockPx(info);
}

}  // namespace

cv::Point CodingGridOrigin(const ImageInfo& info, int block_px) {
  if (block_px <= 0) return {0, 0};
  const bool transposed = info.exif_orientation >= 5 && info.exif_orientation <= 8;
  const int stored_w = transposed ? info.height : info.width, stored_h = transposed ? info.width : info.height;
  const int rw = stored_w % block_px, rh = stored_h % block_px;  // where a flipped axis starts its blocks
  switch (info.exif_orientation) {
    case 2: return {rw, 0};   // mirrored left–right
    case 3: return {rw, rh};  // turned 180°
    case 4: return {0, rh};   // mirrored top–bottom
    case 6: return {rh, 0};   // turned 90° clockwise: x runs up the stored rows
    case 7: return {rh, rw};  // transverse
    case 8: return {0, rw};   // turned 90° counter-clockwise: y runs back along the stored columns
    default: return {0, 0};   // 1 (as stored), 5 (transposed)
  }
}

bool LosslessPixels(const ImageInfo& info) {
  switch (info.format) {
    case ImageFormat::kJpeg:
    case ImageFormat::kWebp:  // lossy or lossless: the decoder does not say which
    case ImageFormat::kHeif:
    case ImageFormat::kAvif:
    case ImageFormat::kRaw:
      return false;
    default:
      return !info.jpeg;  // PNG, TIFF, BMP, GIF, and pixels handed in (kUnknown)
  }
}

std::optional<MeasurementMap> RunMeasurement(Measurement which, const Image& image, bool compute_map,
                                             AnalysisReport* report) {
  const cv::Mat& pixels = image.pixels;
  switch (which) {
    case Measurement::kNoise:
      return RunNoise(image, compute_map, report->content.kind == ContentKind::kSynthetic, &report->noise);
    case Measurement::kBlur: {
      BlurOptions options;
      // A thumbnail too small for a noise reading (noise.h kMinNoisePixels)
      // has no noise the blur could tell from its detail: none is discounted
      // (MeasureBlur would otherwise estimate it the way noise.h declines to).
      options.noise_luma_sigma =
          report->noise.too_small.value_or(false) ? std::optional<double>(0.0) : report->noise.luma_sigma;
      // Noise that differs with brightness (noise confined to the shadows)
      // is discounted where it is.
      if (!report->noise.too_small.value_or(false))
        options.noise_luma_sigma_by_level = LumaNoiseByLevel(report->noise);
      // The native scale, when read first (Analyze, QA's input): the part in
      // focus is judged in native px. Whatever upscale_kind says: a kernel's
      // enlargement with ringing can read "ai" (rocket ×3 by Lanczos-4 read
      // shallow so); a network that draws its edges crisp is judged stricter
      // than it need be, which can hide a real shallow focus in its output.
      if (report->resolution.native_scale && *report->resolution.native_scale > 0 &&
          *report->resolution.native_scale < 1)
        options.px_per_native_px = 1.0 / *report->resolution.native_scale;
      return Store(MeasureBlur, pixels, options, compute_map, &report->sharpness, {"blur", "px", 0});
    }
    case Measurement::kCompression: {
      CompressionOptions options;
      options.jpeg = image.info.jpeg;
      return Store(MeasureCompression, pixels, options, compute_map, &report->compression,
                   {"blockiness", "8-bit", 4.0});
    }
    case Measurement::kOversharpening: {
      OversharpeningOptions options;
      options.noise_luma_sigma = report->noise.luma_sigma;
      options.drawn_content = report->content.kind == ContentKind::kSynthetic;  // after kContent
      return Store(MeasureOversharpening, pixels, options, compute_map, &report->oversharpening,
                   {"halo", "score", 20.0});
    }
    case Measurement::kNativeScale: {
      NativeScaleOptions options;
      options.coding_block_px = CodingBlockPx(image.info, report->compression);  // after kCompression
      options.lossless = LosslessPixels(image.info);
      options.content_kind = report->content.kind;  // after kContent (empty when it has not run)
      report->resolution = MeasureNativeScale(pixels, options);
      UseAcuityRecord(image.info, report->resolution);
      if (LosslessPixels(image.info)) report->resolution.pixel_block_px = PixelBlockSide(pixels);
      return std::nullopt;
    }
    case Measurement::kMotionBlur: {
      // Read in native pixels: after kNativeScale; not on drawn content: after kContent.
      MotionBlurOptions options;
      options.native_scale = report->resolution.native_scale.value_or(1.0);
      options.drawn_content = report->content.kind == ContentKind::kSynthetic;
      return Store(MeasureMotionBlur, pixels, options, compute_map, &report->motion_blur,
                   {"motion_blur", "px", 25.0});
    }
    case Measurement::kContent: {
      ContentOptions options;
      options.coding_block_px = CodingBlockPx(image.info);
      options.coding_grid_origin_px = CodingGridOrigin(image.info, options.coding_block_px);
      options.lossless = LosslessPixels(image.info);
      report->content = MeasureContent(pixels, options).result;
      return std::nullopt;
    }
    case Measurement::kFaces: {
      // A picture to be enlarged: faces as small as an upscale invents
      // (faces.h), also on a large photo.
      const bool enlarged = report->target && report->target->required_scale > 1.0;
      report->faces = MeasureFaces(pixels, enlarged ? FaceOptionsCovering(pixels.size(), kEnlargedSearchFromWidthPx,
                                                                          kEnlargedSearchMaxMegapixels)
                                                    : FaceOptions());
      return std::nullopt;
    }
    case Measurement::kText:
      report->text = MeasureText(pixels);
      return std::nullopt;
    case Measurement::kDither: {
      DitherOptions options;
      options.colors = report->content.colors;  // after kContent (counted here when it has not run)
      return Store(MeasureDither, pixels, options, compute_map, &report->dither, {"dither", "share", 1.0});
    }
  }
  return std::nullopt;
}

AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options) {
  AnalysisReport report;
  report.input = image.info;
  if (image.info.raw) {
    report.warnings.push_back(
        {"raw_input", "camera RAW: these measurements describe acuity's demosaiced rendering (" +
                          image.info.raw->rendering + "), not the sensor data or your RAW editor's rendering"});
  }
  if (std::optional<StoredImagesWords> several = SeveralStoredImages(image.info)) {
    report.warnings.push_back({std::string(several->warning_code),
                               fmt::format("{}: these measurements describe its {} only", several->whole,
                                           several->read)});
  }
  if (options.target) {
    report.target = FitTarget(*options.target, image.info.width, image.info.height);
    PlaceCropOnDetail(image.pixels, *report.target);
    // The file the target makes, from this picture's own compressibility
    // (output_size.h), in place of FitTarget's rate for a typical photo.
    const EncodedBytes bytes = EstimateOutputBytes(image.pixels, *report.target);
    report.target->estimated_jpeg_bytes = bytes.jpeg_q80;
    report.target->estimated_png_bytes = bytes.png;
    for (const Warning& w : report.target->warnings) report.warnings.push_back(w);
    if (!options.target->marketplace.empty()) report.product = MeasureProductShot(image.pixels);
    report.detail_box = FlatSurroundBox(image.pixels);
  }
  // Compression (compression.h: quant tables when a JPEG, else pixels) needs
  // no other reading: it runs as a task of the pool beside the noise, with
  // the content kind, before prior upscaling (native_scale.h: a global
  // reading, no map), which reads both. OpenCV runs one parallel loop at a time (a loop
  // started while another runs goes serially on its own thread), so the
  // threads keep both cores busy between and beside the loops. Each
  // measurement writes its own block of the report: the report does not
  // depend on which thread finishes first.
  // Measured as it shows (visible_part.h): the colour stored under
  // transparency, which no viewer shows, is replaced by a smooth fill.
  const Image seen{FillUnderTransparency(image.pixels), image.info};
  const bool maps = options.compute_maps;
  auto run = [&](Measurement which) { return RunMeasurement(which, seen, maps, &report); };
  std::optional<MeasurementMap> noise, blur, blockiness, halo, motion_blur, dither;
  TaskGroup group;  // thread_pool.h: on the process's one pool, or here
  // Faces and text (the slowest, and reading nothing else): started first.
  if (options.find_content) {
    group.Run([&] { run(Measurement::kFaces); });
    group.Run([&] { run(Measurement::kText); });
  }
  // The content kind (content_kind.h: exact flats, colours, hard edges),
  // which the halos, the motion blur and the native scale read (drawn
  // content has none of them to read), and compression, whose JPEG blocks
  // the native scale reads too, in a group of their own.
  TaskGroup kind;
  kind.Run([&] { run(Measurement::kContent); });
  kind.Run([&] { blockiness = run(Measurement::kCompression); });  // the native scale reads it
  // noise (noise.h), then blur and the over-sharpening halos
  // (oversharpening.h), which both read the luma noise σ (and the halos the
  // content kind): side by side.
  // (Beside the content kind, which it must not read while that is written.)
  noise = RunNoise(seen, maps, /*drawn=*/false, &report.noise);
  kind.Wait();  // runs the content task here if no pool thread has started it
  // Drawn content in a lossy-coded file: its noise again, its level
  // function without the coding's ringing beside its edges (RunNoise).
  if (report.content.kind == ContentKind::kSynthetic && CodingBlockPx(image.info) > 0)
    noise = run(Measurement::kNoise);
  // The dots of a few-colour picture (dither.h: a few ms on such a picture,
  // nothing on a photo of more colours), after the content's colour count.
  dither = run(Measurement::kDither);
  // A palette or dithered picture holds no noise (ReconcileReadings): said
  // before the readings that discount the noise start.
  if (NoiseOfAPaletteIsNone(report) && noise) noise->values.setTo(0.0);
  // ... nor drawn fills (ReconcileReadings): said before the readings that
  // skip drawn content start.
  DitheredTonesAreNotDrawn(report);
  // Where the noise is all there is to see (noise.h noisy_flat_pct): what
  // a model that repairs noise itself paints over, read before any plan
  // runs as QA reads it after.
  if (report.noise.luma_sigma.value_or(0) >= kPaintedFlatMinNoise8bit) {
    const double sigma = *report.noise.luma_sigma;
    group.Run([&report, &seen, sigma] { report.noise.noisy_flat_pct = NoisyFlatPct(seen.pixels, sigma); });
  }
  // The file a plan that removes the noise writes (output_size.h).
  if (report.target && report.noise.sigma.value_or(0) >= kDenoisedEstimateFromSigma8bit) {
    const double sigma = *report.noise.sigma;
    group.Run([&report, &image, sigma] {
      const std::optional<EncodedBytes> clean = EstimateDenoisedOutputBytes(image.pixels, *report.target, sigma);
      if (!clean) return;
      report.target->estimated_jpeg_bytes_denoised = clean->jpeg_q80;
      report.target->estimated_png_bytes_denoised = clean->png;
    });
  }
  // ... and the file a plan that smooths a dither's dots first writes.
  if (report.target && report.dither.detected.value_or(false)) {
    const double sigma = report.dither.undither_sigma_px.value_or(kMinUnditherSigmaPx);
    const bool screen = report.dither.screen_period_px.has_value();
    group.Run([&report, &image, sigma, screen] {
      const std::optional<EncodedBytes> smooth =
          EstimateUnditheredOutputBytes(image.pixels, *report.target, sigma, screen);
      if (!smooth) return;
      report.target->estimated_jpeg_bytes_undithered = smooth->jpeg_q80;
      report.target->estimated_png_bytes_undithered = smooth->png;
    });
  }
  // Motion blur (motion_blur.h: a directional cepstrum) reads a smear in the
  // image's native pixels (an upscale's kernel reads as a short smear): after
  // the native scale (a few ms, one 512-px window), in a task of its own, so
  // that it adds no wall time on two cores. Both after the content kind:
  // drawn content has no camera movement to read, nor a network's source
  // grid (its exact flats and hard edges image like one; a JPEG of a
  // screenshot read "motion blur 34 px" and "enlarged 3×").
  // Blur, motion blur and halos are of the photo: drawn overlays on it (a
  // watermark, a date stamp, a logo: content_kind.h) are filled smoothly
  // first — their pixel-sharp edges are no part of the photo's focus, and a
  // line of text reads as a smear along it — and a dither's dots are
  // smoothed, whose crisp steps read a soft photo as sharp (PhotoPixels).
  const Image photo{PhotoPixels(seen.pixels, report), seen.info};
  auto run_on_photo = [&](Measurement which) { return RunMeasurement(which, photo, maps, &report); };
  // The native scale first (a few ms), here: the blur is read in the light
  // of it (blur.h). Of the photo too: a crisp watermark on an enlarged
  // photo made it read native, and the blur with it.
  run_on_photo(Measurement::kNativeScale);
  group.Run([&] { motion_blur = run_on_photo(Measurement::kMotionBlur); });
  group.Run([&] { halo = run_on_photo(Measurement::kOversharpening); });
  blur = run_on_photo(Measurement::kBlur);
  group.Wait();  // rethrows what a task threw
  ReconcileReadings(report);
  // What the crop's window leaves out of the text and faces found.
  if (report.target)
    if (std::optional<Warning> cuts = CropCutsFoundContent(*report.target, report.faces, report.text)) {
      report.target->warnings.push_back(*cuts);
      report.warnings.push_back(*std::move(cuts));
    }

  for (std::optional<MeasurementMap>* map : {&noise, &blur, &blockiness, &halo, &motion_blur, &dither})
    if (*map) report.maps.push_back(std::move(**map));
  return report;
}

void ReconcileReadings(AnalysisReport& report) {
  if (report.motion_blur.detected.value_or(false)) {
    report.sharpness.in_focus_blur_sigma_px.reset();
    report.sharpness.out_of_focus_blur_sigma_px.reset();
    report.sharpness.in_focus_area_pct.reset();
  }
  NoiseOfAPaletteIsNone(report);
  DitheredTonesAreNotDrawn(report);
  // A printed halftone's detail is its screen's, which the readings smooth
  // away (PhotoPixels): no earlier enlargement to read there (a 6-px screen
  // read "already enlarged by an AI upscaler", native scale 0.24).
  if (report.dither.screen_period_px) {
    report.resolution.native_scale.reset();
    report.resolution.upscale_kind.reset();
  }
  // A JPEG or lossy WebP whose colour is stored at less than full
  // resolution (4:2:0 and the like) has had its chroma noise averaged and
  // interpolated away: its chroma σ read 0.00 under blotchy colour noise
  // (walk 41's night shot, Cb/Cr noise σ 2.0/2.2): not measured, never 0.
  if (ReducedColourLayout(report.input)) report.noise.chroma_sigma.reset();
}

bool NoiseOfAPaletteIsNone(AnalysisReport& report) {
  NoiseResult& noise = report.noise;
  const bool palette = report.content.kind == ContentKind::kSynthetic && report.content.colors &&
                       *report.content.colors <= kMaxPaletteColours;
  if (!(palette || report.dither.detected.value_or(false)) || !noise.sigma) return false;
  noise.sigma = 0.0;
  noise.noisy_flat_pct.reset();  // no noise to paint over
  if (noise.luma_sigma) noise.luma_sigma = 0.0;
  if (noise.chroma_sigma) noise.chroma_sigma = 0.0;
  if (noise.channel_sigmas) noise.channel_sigmas = std::array<double, 3>{0.0, 0.0, 0.0};
  for (NoiseLevelBin& bin : noise.level_function)
    if (bin.sigma) bin.sigma = 0.0;
  return true;
}

cv::Mat PhotoPixels(const cv::Mat& seen, const AnalysisReport& report) {
  const cv::Mat photo = WithoutOverlays(seen, report.content);
  if (!report.dither.detected.value_or(false) || !report.dither.undither_sigma_px) return photo;
  return UnditheredPicture(photo, std::max(*report.dither.undither_sigma_px, kDotsReadThroughSigmaPx),
                           report.dither.screen_period_px.has_value());
}

bool DitheredTonesAreNotDrawn(AnalysisReport& report) {
  if (!report.dither.detected.value_or(false) || report.content.kind != ContentKind::kSynthetic) return false;
  report.content.kind = ContentKind::kMixed;
  return true;
}

absl::StatusOr<AnalysisReport> TryAnalyze(const Image& image, const AnalyzeOptions& options) {
  return CatchToStatus("analysing", [&] { return Analyze(image, options); });
}

}  // namespace acuity
