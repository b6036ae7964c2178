#include "analysis/measurements/native_scale.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis/measurements/content_kind.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/percentile.h"
#include "analysis/measurements/picture_frame.h"
#include "analysis/measurements/pixel_grid.h"
#include "analysis/measurements/repeated_pixels.h"
#include "analysis/measurements/resampling_peaks.h"
#include "analysis/measurements/resampling_spectra.h"
#include "analysis/measurements/sr_classifier.h"
#include "analysis/measurements/sr_upscale_evidence.h"
#include "analysis/measurements/tilted_grid.h"

namespace acuity {
namespace {

using resampling::AxisSpectra;
using resampling::BothAxes;
using resampling::Combined;
using resampling::ConsistentFactors;
using resampling::CyclicAt;
using resampling::FindPeaks;
using resampling::Fold;
using resampling::InSkirt;
using resampling::kDupRowShare;
using resampling::kGridStep;
using resampling::kPeakThreshold;
using resampling::kPhiTolerance;
using resampling::kSearchMinPhi;
using resampling::kSpectrumBins;
using resampling::LogPowerAt;
using resampling::MirrorDrop;
using resampling::Peaks;
using resampling::StandsOut;
using resampling::WindowReading;

constexpr int kWindowPx = 512;        // analysed window, px per side (at most)
constexpr int kMinSidePx = 48;        // below this, no reading
constexpr double kMidBlockRatio = 1.15;     // period-8 energy inside 8×8 blocks over at their edges: no grid
constexpr double kWeakPeakDropDb = -20.0;   // the stopband depth that confirms a weak peak
constexpr double kMinPassbandDroopDb = -13.0; // below this from 0.4 to 0.8 of 0.5/f: not passband
constexpr double kPreferLargerMarginDb = 5.0; // a larger factor needs a knee better by this
constexpr double kGridFactorDropDb = -22.0;  // 8/5× or 8/3× (period 8, like a JPEG grid) need this stopband
constexpr double kJpegGridThreshold = 15.0; // odd 1/16 harmonics above this: a JPEG grid
constexpr double kFloorWeight = 3.0;        // whitening regulariser, × the 10th-percentile power
constexpr double kMaxStopbandDropDb = -10.0; // mirrored drop at 0.5/f needed to confirm a factor ...
constexpr double kDeepStopbandDropDb = -16.0; // ... and down to this, the band above must image the source:
constexpr double kMinImagingCoherence = 0.1;  // C(1/f) (sr_upscale_evidence.h) at least this, and
                                               // kSourceGridOverJpegGrid × C(1/8), C(3/8) under a JPEG grid

// The most detailed kWindowPx window (whole image when it is small enough).
cv::Rect ChooseWindow(const cv::Mat& pixels) {
  const int w = std::min(pixels.cols, kWindowPx), h = std::min(pixels.rows, kWindowPx);
  if (w == pixels.cols && h == pixels.rows) return cv::Rect(0, 0, w, h);
  cv::Rect best(0, 0, w, h);
  double best_score = -1;
  const int steps = 4;
  for (int iy = 0; iy < steps; ++iy) {
    for (int ix = 0; ix < steps; ++ix) {
      const cv::Rect r((pixels.cols - w) * ix / (steps - 1), (pixels.rows - h) * iy / (steps - 1), w, h);
      // Mean |horizontal difference| of the luma on every 16th row.
      double score = 0;
      for (int y = r.y; y < r.y + h; y += 16) {
        const cv::Mat row = LumaF32(pixels(cv::Rect(r.x, y, w, 1)));
        const float* p = row.ptr<float>(0);
        for (int x = 0; x + 1 < w; ++x) score += std::min(std::abs(p[x + 1] - p[x]), 32.0f);
      }
      if (score > best_score) best_score = score, best = r;
    }
  }
  return best;
}


// dB from 0.4 to 0.8 of the cut-off 0.5/f: a kernel's passband droop plus
// the photo's natural slope for the true factor; a plunge into the stopband
// for a factor smaller than the true one.
double PassbandDroop(const std::vector<double>& log_power, double f) {
  const double c = 0.5 / f;
  return LogPowerAt(log_power, 0.8 * c) - LogPowerAt(log_power, 0.4 * c);
}

// How much a factor's cut-off 0.5/f looks like the knee of an interpolation
// kernel (dB, more negative = better): the mirrored drop there, penalised
// when the band below the cut-off has already plunged (the cut-off of a
// factor smaller than the true one lies inside the stopband).
double KneeScore(const std::vector<double>& log_power, double f) {
  return MirrorDrop(log_power, f) + std::max(0.0, kMinPassbandDroopDb - PassbandDroop(log_power, f));
}

// Among candidate factors (ascending), the smallest one unless a larger one
// has a clearly better knee; bilinear evidence picks a factor ≥ 2.5.
double ChooseFactor(const std::vector<double>& ascending, const std::vector<double>& log_power, bool bilinear) {
  const bool has_large = ascending.back() >= 2.5;
  double chosen = 0, chosen_score = 0;
  for (double f : ascending) {
    if (bilinear && has_large && f < 2.5) continue;
    const double score = KneeScore(log_power, f);
    if (chosen == 0 || score < chosen_score - kPreferLargerMarginDb) chosen = f, chosen_score = score;
  }
  return chosen;
}


// The strongest odd 1/16 harmonic of a cyclic spectrum that is not the skirt
// of a stronger peak: a JPEG grid's signature.
double OddJpegHarmonics(const std::vector<double>& c) {
  double j = 0;
  for (int k : {2, 3, 5, 6, 7}) {
    if (!InSkirt(c, k / 16.0)) j = std::max(j, CyclicAt(c, k / 16.0));
  }
  return j;
}

// The period-8 energy of both axes sits inside the 8×8 blocks that a file
// would be coded in, `corner` being where the analysed pixels' (0, 0) lies
// in the picture as displayed (px; the file's blocks, for a file without
// an EXIF turn): the middle pair of each cycle (x mod 8 = 3, 4) holds
// kMidBlockRatio × what the pair across a block's edge (7, 0) holds. A
// JPEG's blocks put it at their edges; an 8× bicubic or bilinear
// enlargement from the file's corner puts it at its source samples,
// x = 8i + 3.5 (a 16× one at 16i + 7.5, a block's edge: not told apart;
// nor an 8× one cropped by 2–6 px since, nor a Lanczos 8×, whose energy
// sits between its samples).
bool PeriodEightInsideBlocks(const WindowReading& w, cv::Point corner) {
  // The profile of one axis at a phase of the blocks (`offset`: where the
  // axis's lines start in the file).
  const auto at = [](const AxisSpectra& axis, int offset, int phase) {
    return axis.phase8[((phase - offset) % 8 + 8) % 8];
  };
  const auto inside = [&](const AxisSpectra& axis, int offset) {
    return at(axis, offset, 3) + at(axis, offset, 4) >= kMidBlockRatio * (at(axis, offset, 7) + at(axis, offset, 0));
  };
  return inside(w.ax, corner.x + w.window.x) && inside(w.ay, corner.y + w.window.y);
}

// `corner`: where `pixels`' (0, 0) lies in the file, px (empty: not known,
// a picture whose columns were taken out; or not asked, a JPEG file).
WindowReading ReadWindow(const cv::Mat& pixels, std::optional<cv::Point> corner) {
  WindowReading w;
  w.window = ChooseWindow(pixels);
  w.luma = LumaF32(pixels(w.window));
  const cv::Mat& luma = w.luma;
  const cv::Mat luma_t = luma.t();
  BothAxes(luma, luma_t, 0.0, &w.ax, &w.ay);
  w.cyclic = Combined(w.ax, w.ay);
  w.log_power.resize(kSpectrumBins);
  for (int b = 0; b < kSpectrumBins; ++b) w.log_power[b] = 0.5 * (w.ax.log_power[b] + w.ay.log_power[b]);
  // A JPEG grid shows at the odd multiples of 1/16 (8×8 luma, 16×16 chroma
  // blocks) and also at 1/4 and 1/2, which 2× and 4× upscales share. There,
  // a second spectrum whitened only down to the noise floor (where the
  // grid's quantisation noise lives) must show the peak well above the
  // grid's odd harmonics. In a lossless file (a JPEG's re-save has its
  // grid's energy at the blocks' edges) a period of 8 px whose energy sits
  // inside the blocks is an enlargement's, not a grid.
  w.jpeg_grid = OddJpegHarmonics(w.cyclic) > kJpegGridThreshold &&
                !(corner && PeriodEightInsideBlocks(w, *corner));
  if (w.jpeg_grid) {
    AxisSpectra fx, fy;
    BothAxes(luma, luma_t, kFloorWeight, &fx, &fy);
    w.cyclic_floor = Combined(fx, fy);
    w.jpeg_floor = OddJpegHarmonics(w.cyclic_floor);
  }
  return w;
}

// Nearest neighbour repeats whole columns/rows: their share gives f exactly
// (both axes agreeing within 10 %, or the one that reads).
std::optional<double> NearestNeighbourFactor(const AxisSpectra& ax, const AxisSpectra& ay) {
  std::vector<double> f_nearest;
  for (const AxisSpectra* a : {&ax, &ay}) {
    if (a->dup_reliable && a->dup_share >= 0.1 && a->dup_share <= 0.9) f_nearest.push_back(1.0 / (1.0 - a->dup_share));
  }
  if (f_nearest.empty() || (f_nearest.size() == 2 && std::abs(f_nearest[0] / f_nearest[1] - 1.0) >= 0.1)) {
    return std::nullopt;
  }
  return f_nearest.size() == 1 ? f_nearest[0] : std::sqrt(f_nearest[0] * f_nearest[1]);
}


// Is the band above the source's Nyquist an image of the band below, as
// every interpolation makes it (sr_upscale_evidence.h)? A native photo
// downscaled by a ratio that leaves a periodic pattern of filter phases
// (area ÷1.5: period 2 px, like a 2× upscale) has the periodicity and a
// shallow spectral slope but no imaging. Under a JPEG grid, whose block
// boundaries image too, the coherence at 1/f must clearly beat the grid's
// own odd harmonics 1/8 and 3/8.
bool ImagesItsSource(const WindowReading& w, double f) {
  const std::optional<std::vector<double>> c = SourceGridCoherence(w.luma, {1.0 / f, 0.125, 0.375});
  if (!c) return false;
  const double grid = w.jpeg_grid ? std::max((*c)[1], (*c)[2]) : 0.0;
  return (*c)[0] >= kMinImagingCoherence && (*c)[0] >= kSourceGridOverJpegGrid * grid;
}

// The factor among `consistent`, or 0 when the stopband does not confirm
// one. The smallest factor whose band below the cut-off 0.5/f is still
// passband (a smaller factor than the true one puts its cut-off inside the
// stopband), unless columns on straight lines between their neighbours show
// a bilinear upscale of 3× or more; its stopband must look like an
// interpolation kernel's, all the more so when the periodicity is weak, and
// a shallow one (a bilinear kernel's, or a JPEG's noise over it) must be
// the source's image.
double ConfirmedFactor(const WindowReading& w, const std::vector<double>& consistent, double strongest) {
  bool bilinear = false;
  for (const AxisSpectra* a : {&w.ax, &w.ay}) bilinear |= a->linear_reliable && a->linear_share > 0.3;
  const double chosen = ChooseFactor(consistent, w.log_power, bilinear);
  const double chosen_drop = MirrorDrop(w.log_power, chosen);
  if (strongest < kPeakThreshold)
    return chosen_drop > kWeakPeakDropDb || (w.jpeg_grid && !ImagesItsSource(w, chosen)) ? 0.0 : chosen;
  if (bilinear || (chosen_drop <= kDeepStopbandDropDb && !w.jpeg_grid)) return chosen;
  return chosen_drop <= kMaxStopbandDropDb && ImagesItsSource(w, chosen) ? chosen : 0.0;
}

// The interpolation test: native_scale 1.0, or 1/f for the factor f whose
// resampling periodicity and stopband show.
// `pixel_exact`: set when drawn content's own pixel grid decided that it is
// at full resolution (pixel_grid.h) — a page of flat colours and 1-px steps,
// which no network's output is either.
// `coding_block_px`: NativeScaleOptions' (8 for a JPEG file).
ResolutionResult InterpolationReading(const WindowReading& w, int coding_block_px, bool& pixel_exact) {
  ResolutionResult result;
  result.native_scale = 1.0;
  result.periodicity_score = *std::max_element(w.cyclic.begin() + static_cast<int>(kSearchMinPhi / kGridStep),
                                               w.cyclic.end());
  // Drawn content: its own pixel grid decides (pixel_grid.h).
  const PixelGrid grid = ReadPixelGrid(w.luma, kDupRowShare);
  pixel_exact = PixelExact(grid);
  if (grid.lattice_factor) {
    result.native_scale = 1.0 / *grid.lattice_factor;
    return result;
  }
  if (const std::optional<double> f = NearestNeighbourFactor(w.ax, w.ay); f && RepeatsFit(grid, *f)) {
    result.native_scale = 1.0 / *f;
    return result;
  }
  if (pixel_exact) return result;
  const Peaks peaks = FindPeaks(w);
  if (peaks.list.empty()) {
    // A period of 8 px with a deep stopband at 0.5/f is a resampling grid
    // (8/5× or 8/3×) in a file that is not coded in 8×8 blocks. In a JPEG
    // file the period is the file's own coding, and a soft photo's spectrum
    // falls as deep as a kernel's stopband (scikit-image's photos blurred by
    // σ 1.5–3 px and saved at q75–95: 24 of 135 read 8/3× before): there an
    // 8/3× or 8/5× enlargement cannot be told from the blocks and is not read.
    if (peaks.period8 && coding_block_px != 8) {
      const double f = ChooseFactor({1.6, 8.0 / 3.0}, w.log_power, false);
      if (MirrorDrop(w.log_power, f) <= kGridFactorDropDb) {
        result.native_scale = 1.0 / f;
        result.periodicity_score = CyclicAt(w.cyclic, 0.375);
      }
    }
    return result;
  }
  if (!StandsOut(w.cyclic, peaks)) return result;
  const double chosen = ConfirmedFactor(w, ConsistentFactors(w, peaks), peaks.strongest);
  if (chosen > 0) {
    result.native_scale = std::clamp(1.0 / chosen, 0.0, 1.0);
    result.periodicity_score = peaks.strongest;
  }
  return result;
}

// f and f/(f−1) share their cycle frequency, and the knee may choose wrong
// where the band above the cut-off is not a kernel's stopband (a network's
// 3× output read 1.5×; a 3× enlargement straightened since, whose turn back
// softens the band again, too). The source grid's imaging tells them apart
// (sr_upscale_evidence.h: an f/(f−1)× interpolation images its source
// around 1 − 1/f, not 1/f, and shows ≈ no coherence there): `result`'s
// factor becomes the imaged one. Repeated pixels (nearest neighbour) give f
// exactly.
void PreferTheImagedFactor(const std::optional<SrUpscaleEvidence>& sr, const WindowReading& w,
                           ResolutionResult& result) {
  const double f = 1.0 / *result.native_scale;
  if (sr && sr->factor && sr->from_imaging && *sr->factor > f + 0.1 && !NearestNeighbourFactor(w.ax, w.ay) &&
      std::abs(Fold(1.0 / *sr->factor) - Fold(1.0 / f)) < kPhiTolerance) {
    result.native_scale = 1.0 / *sr->factor;
  }
}

// The reading of an enlargement turned off the axes (tilted_grid.h: a
// straighten after the upscale), or empty: the window turned back onto the
// grid its 2-D spectrum shows is read by the same interpolation test, which
// confirms it by its stopband as on the axes (a regular texture's peak,
// turned back, shows none); both turns where the peak's sign cannot be told,
// the one of the stronger periodicity kept.
std::optional<ResolutionResult> TurnedBackReading(const WindowReading& w, int coding_block_px) {
  const std::optional<TiltedGrid> tilt = FindTiltedGrid(w.luma);
  if (!tilt) return std::nullopt;
  std::optional<ResolutionResult> best;
  for (const double turn : {tilt->angle_deg, -tilt->angle_deg}) {
    if (turn != tilt->angle_deg && tilt->sign_known) break;
    const cv::Mat back = TurnedBack(w.luma, turn);
    if (back.cols < kMinSidePx || back.rows < kMinSidePx) break;
    const WindowReading wb = ReadWindow(back, std::nullopt);
    bool back_exact = false;
    ResolutionResult turned = InterpolationReading(wb, coding_block_px, back_exact);
    if (*turned.native_scale >= 1.0 || back_exact) continue;
    if (best && *best->periodicity_score >= *turned.periodicity_score) continue;
    PreferTheImagedFactor(FindSrUpscale(wb.luma, coding_block_px), wb, turned);
    turned.upscale_kind = UpscaleKind::kInterpolated;
    turned.grid_tilt_deg = turn;
    best = turned;
  }
  return best;
}

// `pixels` without the columns (or, transposed, rows) that repeat their left
// neighbour in kDupRowShare of the rows: what a nearest-neighbour step added.
cv::Mat WithoutRepeatedColumns(const cv::Mat& pixels) {
  const std::vector<bool> repeated = RepeatedColumns(pixels);
  std::vector<int> keep = {0};
  for (int x = 1; x < pixels.cols; ++x) {
    if (!repeated[x]) keep.push_back(x);
  }
  cv::Mat out(pixels.rows, int(keep.size()), pixels.type());
  for (size_t i = 0; i < keep.size(); ++i) pixels.col(keep[i]).copyTo(out.col(int(i)));
  return out;
}

}  // namespace

void UseAcuityRecord(const ImageInfo& info, ResolutionResult& result) {
  if (!info.acuity_record || !(info.acuity_record->enlargement >= kRecordedEnlargementMin)) return;
  const double recorded = 1.0 / info.acuity_record->enlargement;
  if (result.native_scale && *result.native_scale <= recorded) return;  // the pixels show as much or more
  result.native_scale = recorded;
  result.from_acuity_record = true;
  if (!result.upscale_kind || *result.upscale_kind == UpscaleKind::kNone) result.upscale_kind = UpscaleKind::kUnknown;
}

const char* UpscaleKindName(UpscaleKind kind) {
  switch (kind) {
    case UpscaleKind::kNone: return "none";
    case UpscaleKind::kInterpolated: return "interpolated";
    case UpscaleKind::kAi: return "ai";
    case UpscaleKind::kUnknown: return "unknown";
  }
  return "none";
}

namespace {

// MeasureNativeScale of a picture already without its frame, at least
// kMinSidePx on each side.
// `corner`: ReadWindow's, or empty in a JPEG file (whose own blocks are a
// grid wherever their energy sits).
ResolutionResult ReadPicture(const cv::Mat& pixels, const NativeScaleOptions& options,
                             std::optional<cv::Point> corner) {
  const WindowReading w = ReadWindow(pixels, corner);
  bool pixel_exact = false;
  ResolutionResult result = InterpolationReading(w, options.coding_block_px, pixel_exact);
  if (*result.native_scale < 1.0 && NearestNeighbourFactor(w.ax, w.ay)) {
    // Repeated columns and rows give a nearest-neighbour step exactly; what
    // remains without them may have been enlarged too (a network whose
    // output phases round alike repeats one column in four: 4× = 4/3× of a
    // 3× enlargement), so it is read in turn.
    const cv::Mat rest = WithoutRepeatedColumns(WithoutRepeatedColumns(pixels).t()).t();
    if (rest.cols >= kMinSidePx && rest.rows >= kMinSidePx && rest.size() != pixels.size()) {
      const ResolutionResult inner = ReadPicture(rest, options, std::nullopt);
      const double repeated = std::sqrt(double(rest.cols) / pixels.cols * rest.rows / pixels.rows);
      if (inner.native_scale && *inner.native_scale < 1.0) {
        result.native_scale = *inner.native_scale * repeated;
        result.upscale_kind = inner.upscale_kind;
        result.source_grid_coherence = inner.source_grid_coherence;
        result.network_probability = inner.network_probability;
        return result;
      }
    }
  }
  const std::optional<SrUpscaleEvidence> sr = FindSrUpscale(w.luma, options.coding_block_px);
  if (*result.native_scale < 1.0) {
    result.upscale_kind = UpscaleKind::kInterpolated;
    PreferTheImagedFactor(sr, w, result);
    // A grid turned by a degree or two still shows a little on the axes,
    // and its factor can read wrong there: the reading on the grid's own
    // axes wins where its periodicity is stronger.
    if (!pixel_exact && options.content_kind != ContentKind::kSynthetic && !NearestNeighbourFactor(w.ax, w.ay)) {
      const std::optional<ResolutionResult> turned = TurnedBackReading(w, options.coding_block_px);
      if (turned && *turned->periodicity_score > result.periodicity_score.value_or(0.0)) return *turned;
    }
    return result;
  }
  // No interpolation on the axes: an enlargement turned off them?
  if (!pixel_exact && options.content_kind != ContentKind::kSynthetic) {
    if (std::optional<ResolutionResult> turned = TurnedBackReading(w, options.coding_block_px)) return *turned;
  }
  // No interpolation: a network's source grid? Not in drawn content
  // (content_kind.h: exact flat colours and hard edges, which image like a
  // grid; a network's output has neither), so that the content kind and
  // this reading tell one story.
  result.upscale_kind = UpscaleKind::kNone;
  if (!sr || pixel_exact || options.content_kind == ContentKind::kSynthetic) return result;
  ContentOptions content;
  content.coding_block_px = options.coding_block_px;
  content.lossless = options.lossless;
  content.find_overlays = false;  // its kind is all that is read here
  const std::optional<ContentKind> kind = MeasureContent(pixels(w.window), content).result.kind;
  if (kind == ContentKind::kSynthetic) return result;
  result.source_grid_coherence = sr->coherence;
  // The learned test (sr_classifier.h) reads the invented texture itself,
  // over the whole picture: the outputs that image no source grid
  // (realesrgan-x4plus), and those saved as a JPEG since, whose grid the
  // quantiser dropped. It was fitted against kernel enlargements saved as
  // JPEGs too, so it names a network where the grid alone cannot.
  const std::optional<SrClassifierReading> learned = ClassifySrUpscale(pixels);
  if (learned) result.network_probability = learned->network_probability;
  const bool network = learned && SrClassifierFlags(*learned);
  if (sr->factor) {
    result.native_scale = 1.0 / *sr->factor;
    // Nearest neighbour images its source as a network does, and a JPEG
    // saved after it hides the exact repeats: its near-copies' phase
    // pattern (repeated_pixels.h) still tells the copy from invented detail.
    // The pattern's period must divide the factor (a ×4 copy also repeats
    // with period 2); a low-quality JPEG's block edges make a period-2
    // pattern of their own (repeated_pixels.h), so a ×2 or ×4 network
    // output saved at q50 may still read as a copy.
    const CopyPattern pattern = NearestNeighbourPattern(pixels(w.window));
    const double per_period = pattern.period_px > 0 ? *sr->factor / pattern.period_px : 0.0;
    const bool copied = pattern.strength >= kNearestPatternMin && per_period >= 1.0 &&
                        std::abs(per_period - std::round(per_period)) < 0.05;
    // In a JPEG file the missing stopband is no evidence of a network (the
    // walk's Lanczos ×4 saved at q90 read "ai"): the kind stays unknown.
    result.upscale_kind = copied                                     ? UpscaleKind::kInterpolated
                          : options.coding_block_px == 8 && !network ? UpscaleKind::kUnknown
                                                                     : UpscaleKind::kAi;
  } else if (network) {
    result.native_scale = 1.0 / learned->factor;
    result.upscale_kind = UpscaleKind::kAi;
  }
  return result;
}

}  // namespace

ResolutionResult MeasureNativeScale(const cv::Mat& pixels, const NativeScaleOptions& options) {
  if (pixels.empty() || pixels.cols < kMinSidePx || pixels.rows < kMinSidePx) return {};
  // A uniform frame has no resampling history, and its straight borders with
  // the picture image like a source grid (a native photo pasted on a white
  // canvas read 4× "ai"): the picture inside it is read, when there is one
  // (trimmed once: what is left is not searched for a frame of its own).
  const cv::Rect picture = PictureInsideFrame(pixels, /*gradients=*/options.coding_block_px == 0);
  const bool lossless = options.coding_block_px == 0;
  if (picture.width >= kMinSidePx && picture.height >= kMinSidePx) {
    return ReadPicture(pixels(picture), options,
                       lossless ? std::optional<cv::Point>(picture.tl()) : std::nullopt);
  }
  return ReadPicture(pixels, options, lossless ? std::optional<cv::Point>(cv::Point(0, 0)) : std::nullopt);
}

}  // namespace acuity
