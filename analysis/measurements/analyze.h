// The analysis of one image: what the file is, how it compares with a
// target, and the quality measurements. Each measurement is optional: a field
// that has not been measured stays empty (null in JSON), never invented.
//
//   acuity::AnalyzeOptions options;
//   options.target = *acuity::ParseTargetSpec("8x10in@300dpi");
//   acuity::AnalysisReport report = acuity::Analyze(image, options);
//   absl::StatusOr<acuity::AnalysisReport> r = acuity::TryAnalyze(image, options);  // never throws
//
// One measurement alone, as Analyze runs it (for timing one of them, or for
// tuning one estimator without running the others):
//   acuity::AnalysisReport report;
//   acuity::RunMeasurement(acuity::Measurement::kNoise, image, /*compute_map=*/false, &report);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analysis/measurements/blur.h"
#include "analysis/measurements/compression.h"
#include "analysis/measurements/content_kind.h"
#include "analysis/measurements/dither.h"
#include "analysis/measurements/faces.h"
#include "analysis/io/image.h"
#include "analysis/io/measurement_map.h"
#include "analysis/measurements/motion_blur.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/oversharpening.h"
#include "analysis/measurements/product_shot.h"
#include "analysis/measurements/target_fit.h"
#include "analysis/measurements/target_spec.h"
#include "analysis/measurements/text_layout.h"
#include "analysis/measurements/native_scale.h"
#include "analysis/measurements/sr_device_kind.h"
#include "analysis/measurements/warning.h"

namespace acuity {

struct AnalysisReport {
  ImageInfo input;
  std::optional<TargetFit> target;
  SharpnessResult sharpness;
  NoiseResult noise;
  CompressionResult compression;
  OversharpeningResult oversharpening;
  ResolutionResult resolution;
  MotionBlurResult motion_blur;
  ContentResult content;  // photo, synthetic (screenshots, graphics) or mixed
  // A few-colour picture's dots (dither.h): measured on pictures of at most
  // kDitherMaxColours colours (content.colors; gray: kDitherMaxGrayLevels),
  // else not measured.
  DitherResult dither;
  // Faces and text lines (faces.h, text_layout.h): measured only when
  // AnalyzeOptions::find_content, else their lists stay empty (not measured).
  FacesResult faces;
  TextResult text;
  // Background and product fill (product_shot.h): with a marketplace target only.
  std::optional<ProductShotReading> product;
  // Where the picture differs from a flat surround of one colour (image_ops.h
  // FlatSurroundBox, input px: the whole image for a photo, empty for one
  // colour): with a target only, for the advisor's model choice, which
  // prices only the area an upscaling network runs over. Not in the JSON.
  std::optional<cv::Rect> detail_box;
  // Where an upscale of this picture would run: the advisor prices its model
  // choice for this kind of device (sr_choice.h; on a GPU the most faithful
  // model fits the time budget at sizes where the CPU needs the fastest).
  // Not a measurement: kCpu unless the caller found a CUDA device for the
  // run (enhance, advise, batch and the viewer: enhance/device.h
  // UpscaleDeviceKind). Set before Advise, so that the plan and the verdicts
  // that read its decisions tell one story. Not in the JSON.
  SrDeviceKind upscale_device = SrDeviceKind::kCpu;
  std::vector<Warning> warnings;
  std::vector<MeasurementMap> maps;  // filled when AnalyzeOptions::compute_maps
};

struct AnalyzeOptions {
  std::optional<TargetSpec> target;
  bool compute_maps = false;
  // Also find faces and text (kFaces, kText): seconds on a large photo
  // (docs/content.md, "Cost"), so `analyze` runs them only with --content
  // and advise, qa, report and the viewer always.
  bool find_content = false;
};

// May throw what an allocation throws (std::bad_alloc, cv::Exception) when
// the machine runs out of memory; programs call TryAnalyze.
AnalysisReport Analyze(const Image& image, const AnalyzeOptions& options = {});

// Analyze for a program's boundary: running out of memory gives guard.h's
// OutOfMemoryError ("out of memory while analysing"), any other exception
// Internal; nothing is thrown.
absl::StatusOr<AnalysisReport> TryAnalyze(const Image& image, const AnalyzeOptions& options = {});

// The measurements Analyze runs, in the order that feeds each one what it
// reads (blur and over-sharpening read the noise's luma σ, over-sharpening
// the content kind, motion blur the native scale; the noise level function
// of drawn content in a JPEG file is read outside its coding's ringing:
// after kContent).
// kFaces and kText run only when AnalyzeOptions::find_content, so they are
// not in kAllMeasurements.
// kDither reads the content's colour count (after kContent).
enum class Measurement { kNoise, kBlur, kCompression, kOversharpening, kNativeScale, kMotionBlur, kContent,
                         kFaces, kText, kDither };
inline constexpr Measurement kAllMeasurements[] = {Measurement::kContent,     Measurement::kNoise,
                                                    Measurement::kBlur,        Measurement::kCompression,
                                                    Measurement::kOversharpening, Measurement::kNativeScale,
                                                    Measurement::kMotionBlur,  Measurement::kDither};

// Whether `info`'s pixels were stored without loss (PNG, TIFF, BMP, GIF, or
// pixels handed in with no file format): the content kind finds drawn
// overlays by their flat fills in those, by their strokes in the others
// (content_kind.h, ContentOptions::lossless).
bool LosslessPixels(const ImageInfo& info);

// Runs one measurement exactly as Analyze does and sets its block of *report
// (noise, sharpness, compression, oversharpening, resolution, motion_blur,
// content, faces, text or dither; nothing else). Blur and over-sharpening use report->noise.luma_sigma when set (run
// kNoise first for Analyze's figures) and estimate the noise themselves when
// not; over-sharpening and motion blur read nothing on drawn content, and
// native scale runs no network test on it (report->content.kind synthetic:
// run kContent first); motion blur reads report->resolution.native_scale (native when unset:
// run kNativeScale first); compression reads image.info.jpeg, the file's
// quantization tables, and native scale reads report->compression (a JPEG's
// blocks in a lossless file: run kCompression first). Analyze then applies ReconcileReadings. The pixels are
// read as given: Analyze first replaces the colour stored under
// transparency (visible_part.h FillUnderTransparency), which no viewer shows,
// and reads blur, motion blur and over-sharpening on PhotoPixels.
// Returns the measurement's map when compute_map (named "noise", "blur",
// "blockiness", "halo", "motion_blur", and "dither" for a picture of at most
// kDitherMaxColours colours); nullopt otherwise and for native scale, which has no
// map, and content (its flat-share map is MeasureContent's, not shown). Calls for different measurements may run on different threads at once
// when none of them reads what another writes (Analyze runs them so).
std::optional<MeasurementMap> RunMeasurement(Measurement which, const Image& image, bool compute_map,
                                             AnalysisReport* report);

// What the native scale, blur, motion blur and over-sharpening read of
// `seen` (the pixels as FillUnderTransparency leaves them): the photo —
// drawn overlays that report.content found filled smoothly (content_kind.h
// WithoutOverlays: a watermark's pixel-sharp glyphs on a soft photo read
// as sharp detail), and a dither's dots that report.dither found smoothed
// (dither.h UnditheredPicture: a photo blurred by 1.5 px and dithered to
// 16 colours read blur 0.21–0.45 px on its dots, 1.2–1.5 px smoothed).
// The dots are smoothed at kDotsReadThroughSigmaPx at least, wider than the
// undither step's σ (chosen for the picture, 0.6 px for fine dots): any
// dot left reads as crisp detail, and the weights keep the photo's edges
// (sharp photos read within 0.1 px of themselves either way). `seen`
// itself when there is neither. Analyze reads so; QA reads its input so.
cv::Mat PhotoPixels(const cv::Mat& seen, const AnalysisReport& report);
inline constexpr double kDotsReadThroughSigmaPx = 1.0;

// What one reading says of another, once all have run (Analyze applies it;
// so does QA's reading of its input): under motion blur no depth of field
// is read — a straight smear leaves the edges along it crisp, which the
// blur's per-edge reading takes for a part in focus (a photo smeared 20 px
// at 0° read "17 % of the frame in focus"). And drawn content of at most
// kMaxPaletteColours (image_ops.h) exact colours (content.colors), and a
// dithered picture (dither.h), hold no noise: noise would spread each
// colour over dozens of values, and a dither's dots are its palette's, so
// every noise figure reads 0 (random 8-colour pixel art enlarged ×4 by nearest neighbour read
// σ 8 and was planned a denoise; Analyze says so before the readings that
// discount the noise, and sets its map to 0). A dithered picture is not
// drawn content either: its content kind synthetic reads mixed
// (DitheredTonesAreNotDrawn).
void ReconcileReadings(AnalysisReport& report);

// Where a lossy coding's `block_px` blocks (8 for a JPEG; 0: none) start in
// the upright pixels of the file `info` describes (ContentOptions::
// coding_grid_origin_px): at (0, 0) as stored; a flipped axis starts them
// at its stored length modulo the block (an EXIF turn of 180° of a
// 1001×750 JPEG: at x = 1, y = 6).
cv::Point CodingGridOrigin(const ImageInfo& info, int block_px);

// The palette and dither rule of ReconcileReadings alone: true when it set
// every noise figure to 0.
bool NoiseOfAPaletteIsNone(AnalysisReport& report);

// The dither rule of ReconcileReadings for the content kind: a picture
// whose in-between tones are a dither's dots (dither.h) rendered tones —
// a photo's, or a drawing's gradients — that its palette lacks; the exact
// flats where a tone met a palette colour and the hard steps from dot to
// dot are the palette's, not drawn fills and edges (a 16-colour Floyd–
// Steinberg GIF of a photo read "synthetic": planned PNG for "text and
// graphics"). Synthetic reads mixed; true when it changed the kind.
bool DitheredTonesAreNotDrawn(AnalysisReport& report);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_ANALYZE_H_
