#include "analysis/measurements/compression.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/compression_pixels.h"
#include "analysis/measurements/compression_tables.h"
#include "analysis/measurements/equivalent_quality.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/visible_part.h"
#include "analysis/measurements/noise_sampling.h"

namespace acuity {
namespace {

// Lattice evidence (nats, summed over blocks) above which a lossless image
// is declared JPEG-compressed, and the least evidence per block used: a
// never-compressed image scores ≤ 0 (its coefficients are off every lattice).
constexpr double kMinEvidence = 40.0;
constexpr double kMinEvidencePerBlock = 0.05;
// A grid found in the pixels is trusted when its evidence beats every other
// offset's by this much (nats).
constexpr double kMinGridMargin = 20.0;
// A JPEG file's pixels tell an earlier save when their lattice's quality is
// at least this much below its tables' (IJG quality points): a photo
// re-saved at its own quality reads within a few points of it.
constexpr double kEarlierSaveMarginQuality = 15.0;

// Confidence in an equivalent quality: 1 − the tables' RMS log deviation
// from IJG's of that quality (how well one IJG quality describes them),
// within these bounds.
constexpr double kMinEquivalentConfidence = 0.3;
constexpr double kMaxEquivalentConfidence = 0.95;

// Without a map, images above kSampledPixels are read on an evenly spread
// sample of kSampleTilePx-px tiles stacked into one column. Tiles start on
// multiples of 16 px, so the JPEG grid keeps its phase (and a 2×2 chroma MCU
// too); DCT blocks and blockiness stencils that would straddle two tiles are
// left out. ≈ 15 000 8×8 blocks: plenty for every statistic below.
constexpr int kSampleTilePx = 256;
constexpr double kSampledPixels = 1.0e6;

// Phase of a boundary between pixel i and i+1 on a grid of offset o: 0 on
// a block boundary, 1..7 further in.
int Phase(int i, int offset) { return ((i + 1 - offset) % 8 + 8) % 8; }

// Share of the lines (rows or columns) with the largest mean excess step
// left out of each phase's mean: JPEG's blocking steps every block
// boundary, while a few straight edges that happen to fall on the grid (a
// photo framed by a border of 16 px, a UI's panels) step a few lines only —
// they read "8×8 blocks visible" on a PNG that was never a JPEG.
constexpr double kTrimmedLineShare = 0.25;

// The least share of the boundaries' excess step over the interior lines
// by which they must also beat the most stepped interior phase alone
// (PhaseLines::BlockExcess): JPEGs beat it by 55–75 % of their
// excess even at quality 90, a period-2 or -4 pattern by about 0.
constexpr double kBoundaryOverInteriorShare = 0.2;
// Where nothing else shows that the picture was ever a JPEG (no tables, no
// DCT lattice), an axis's excess counts only when it is this many standard
// errors of itself (from the spread of the kept lines' means: a rough one,
// the trim cuts the spread) and rests on at least kMinUnprovenBoundaryLines
// kept boundary lines: a thumbnail has few lines, and its detail alone steps
// some phase more than the others. Clean PNG thumbnails of scikit-image
// photos 48–96 px wide (12 photos by PIL's Lanczos; 6 by OpenCV's area and
// Lanczos in CompressionTest.AThumbnailsDetailIsNotBlocks, where 13 of 48
// read blockiness 1.2–4.6, "8×8 blocks visible") reached 3.7 standard
// errors (gravel, 64 px). JPEG files are read without this test (their
// blocks are known from their tables).
constexpr double kMinUnprovenBlockSignificance = 4.0;
constexpr size_t kMinUnprovenBoundaryLines = 3;

// The mean excess step e of each line (a column for steps across, a row for
// steps down) by boundary phase (0–7), for one axis.
struct PhaseLines {
  std::array<std::vector<double>, 8> line_means;
  // The trimmed mean (kTrimmedLineShare of the largest lines left out) of
  // the lines on boundaries minus that of the lines two or more pixels from
  // any (phases 2–6), when only the boundaries step; empty otherwise.
  //
  // JPEG's blocks step the block boundaries and no other line of the 8-px
  // period: the boundaries' trimmed mean stands above that of every
  // interior phase taken alone, by at least kBoundaryOverInteriorShare of
  // its excess over the interior's. A pattern whose period divides 8
  // steps at interior phases as much as at the boundaries: an enlargement
  // by 2 or 4, copying pixels (every 2nd or 4th line steps) or
  // interpolating (its ripple has the same period), read "8×8 blocks
  // visible" (83 of 160 nearest, bilinear, bicubic and Lanczos 2× and 4×
  // enlargements of 16 scikit-image photos and crops, blockiness 1.1–8.6;
  // now 1). Of their 320 JPEGs at quality 5–95, one (grass, q70, 1.18)
  // falls below kVisibleBlockiness by it. With `min_significance` > 0 the
  // excess must also be that many of its standard errors.
  std::optional<double> BlockExcess(double min_significance) const {
    std::vector<double> interior;
    for (int i = 2; i <= 6; ++i) interior.insert(interior.end(), line_means[size_t(i)].begin(), line_means[size_t(i)].end());
    if (line_means[0].empty() || interior.empty()) return std::nullopt;
    const Trimmed on_boundaries = Trim(line_means[0]), inside = Trim(std::move(interior));
    const double boundary = on_boundaries.mean;
    const double excess = boundary - inside.mean;
    const double se = std::sqrt(on_boundaries.mean_variance + inside.mean_variance);
    if (excess <= 0 || excess < min_significance * se) return std::nullopt;
    // Fewer boundary lines than that have no spread to read (16–23 px wide
    // clean PNGs read blockiness 3–13 on one or two).
    if (min_significance > 0 && Kept(line_means[0].size()) < kMinUnprovenBoundaryLines) return std::nullopt;
    for (int i = 2; i <= 6; ++i)
      if (!line_means[size_t(i)].empty() &&
          boundary - Trim(line_means[size_t(i)]).mean < kBoundaryOverInteriorShare * excess)
        return std::nullopt;
    return excess;
  }
  // How many of `n` lines a trimmed mean keeps.
  static size_t Kept(size_t n) { return n - size_t(kTrimmedLineShare * double(n)); }
  // The mean of the lines kept (kTrimmedLineShare of the largest left out),
  // and its squared standard error: the kept lines' variance over their
  // count (0 for fewer than two).
  struct Trimmed {
    double mean = 0, mean_variance = 0;
  };
  static Trimmed Trim(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t kept = Kept(v.size());
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < kept; ++i) sum += v[i], sum2 += v[i] * v[i];
    Trimmed t;
    t.mean = sum / double(kept);
    if (kept >= 2) t.mean_variance = std::max(0.0, sum2 / double(kept) - t.mean * t.mean) / double(kept - 1);
    return t;
  }
};

// Blocking as the excess step at block boundaries: with d(i) = |Y(i+1) − Y(i)|
// along a row (or column), e(i) = d(i) − (d(i−1) + d(i+1))/2 is the step
// beyond what the neighbouring steps predict; blockiness is the mean e on
// boundary lines minus the mean e on lines two or more pixels away from any
// boundary (each a mean over lines, the 25 % largest left out: PhaseLines),
// averaged over both axes (8-bit levels). `tile_rows`: the image is a stack
// of tiles of this height, and vertical stencils crossing from one to the
// next are skipped. An axis whose interior lines step as much as its
// boundaries adds nothing (PhaseLines::BlockExcess), and so does one whose
// excess is under `min_significance` of its standard errors. The map holds
// the mean e over each 8×8 cell's boundary pixels on the axes that show
// blocks, clamped at 0 (all 0 when neither does).
double Blockiness(const cv::Mat& luma, int ox, int oy, int tile_rows, double min_significance, cv::Mat* map) {
  const int w = luma.cols, h = luma.rows;
  if (w < 4 || h < 4) return 0.0;
  const int cell_rows = (h + 7) / 8, cell_cols = (w + 7) / 8;
  // Per axis (0: steps across, 1: steps down), so that the map keeps only
  // the axes whose lines show blocks (PhaseLines::BlockExcess).
  std::array<cv::Mat, 2> cell_sum, cell_n;
  if (map)
    for (size_t axis = 0; axis < 2; ++axis) {
      cell_sum[axis] = cv::Mat::zeros(cell_rows, cell_cols, CV_64F);
      cell_n[axis] = cv::Mat::zeros(cell_rows, cell_cols, CV_64F);
    }
  std::vector<int> column_phase(w);
  for (int x = 0; x < w; ++x) column_phase[x] = Phase(x, ox);
  // Sums per column per 8-row band of cells, added up in band order
  // afterwards (the result does not depend on how the threads split the
  // rows); each row's mean e down, its own line.
  std::vector<std::vector<double>> band_columns(size_t(cell_rows), std::vector<double>(size_t(w), 0.0));
  std::vector<double> row_e(size_t(h), 0.0), row_n(size_t(h), 0.0);
  cv::parallel_for_(cv::Range(0, cell_rows), [&](const cv::Range& r) {
    std::vector<double> column_e(w);
    std::vector<float> e(w);
    for (int band = r.start; band < r.end; ++band) {
      std::fill(column_e.begin(), column_e.end(), 0.0);
      const int y0 = band * 8, y1 = std::min(h, y0 + 8);
      for (int y = y0; y < y1; ++y) {
        const float* p = luma.ptr<float>(y);
        for (int x = 1; x + 2 < w; ++x) {
          e[x] = std::abs(p[x + 1] - p[x]) - 0.5f * (std::abs(p[x] - p[x - 1]) + std::abs(p[x + 2] - p[x + 1]));
          column_e[x] += e[x];
        }
        if (map) {
          double* cs = cell_sum[0].ptr<double>(band);
          double* cn = cell_n[0].ptr<double>(band);
          for (int x = 1; x + 2 < w; ++x)
            if (column_phase[x] == 0) cs[x / 8] += e[x], cn[x / 8] += 1;
        }
        const int in_tile = y % tile_rows;
        if (y < 1 || y + 2 >= h || in_tile < 1 || in_tile + 2 >= tile_rows) continue;
        const float *pm = luma.ptr<float>(y - 1), *p1 = luma.ptr<float>(y + 1), *p2 = luma.ptr<float>(y + 2);
        double sum = 0;
        for (int x = 0; x < w; ++x) {
          e[x] = std::abs(p1[x] - p[x]) - 0.5f * (std::abs(p[x] - pm[x]) + std::abs(p2[x] - p1[x]));
          sum += e[x];
        }
        const int phase = Phase(y, oy);
        row_e[size_t(y)] = sum;
        row_n[size_t(y)] = w;
        if (map && phase == 0) {
          double* cs = cell_sum[1].ptr<double>(band);
          double* cn = cell_n[1].ptr<double>(band);
          for (int x = 0; x < w; ++x) cs[x / 8] += e[x], cn[x / 8] += 1;
        }
      }
      for (int x = 1; x + 2 < w; ++x) band_columns[size_t(band)][size_t(x)] = column_e[x];
    }
  });
  PhaseLines across, down;
  std::vector<double> column_sum(size_t(w), 0.0);
  for (int band = 0; band < cell_rows; ++band)
    for (int x = 1; x + 2 < w; ++x) column_sum[size_t(x)] += band_columns[size_t(band)][size_t(x)];
  for (int x = 1; x + 2 < w; ++x) across.line_means[size_t(column_phase[x])].push_back(column_sum[size_t(x)] / h);
  for (int y = 0; y < h; ++y)
    if (row_n[size_t(y)] > 0) down.line_means[size_t(Phase(y, oy))].push_back(row_e[size_t(y)] / row_n[size_t(y)]);
  const std::optional<double> across_excess = across.BlockExcess(min_significance),
                               down_excess = down.BlockExcess(min_significance);
  if (map) {
    const std::array<bool, 2> blocks = {across_excess.has_value(), down_excess.has_value()};
    cv::Mat sum = cv::Mat::zeros(cell_rows, cell_cols, CV_64F), n = cv::Mat::zeros(cell_rows, cell_cols, CV_64F);
    for (size_t axis = 0; axis < 2; ++axis)
      if (blocks[axis]) sum += cell_sum[axis], n += cell_n[axis];
    cv::Mat m = sum / cv::max(n, 1.0);
    cv::max(m, 0.0, m);
    m.convertTo(*map, CV_32F);
  }
  return std::max(0.0, 0.5 * (across_excess.value_or(0.0) + down_excess.value_or(0.0)));
}

}  // namespace

// From the file's tables: IJG's exactly → that quality (confidence 1);
// other tables → the equivalent IJG quality (equivalent_quality.h), to 0.1.
void ReadQualityFromTables(const JpegInfo& jpeg, CompressionResult& result) {
  result.quality_source = "quant_tables";
  const size_t luma_slot = jpeg.component_table.empty() ? 0 : size_t(std::max(0, jpeg.component_table[0]));
  if (luma_slot < jpeg.quant_tables.size()) {
    std::array<int, 64> steps{};
    for (int f = 0; f < 64; ++f) steps[f] = jpeg.quant_tables[luma_slot][f];
    result.luma_steps = steps;
  }
  if (const std::optional<int> ijg = IjgQualityOfTables(jpeg.quant_tables, jpeg.component_table)) {
    result.jpeg_quality_estimate = *ijg;
    result.tables = "ijg";
    result.confidence = 1.0;
    return;
  }
  const EquivalentQuality eq = EquivalentIjgQuality(jpeg.quant_tables, jpeg.component_table);
  result.jpeg_quality_estimate = std::round(eq.quality * 10) / 10;
  result.tables = "other";
  result.confidence = std::clamp(1.0 - eq.rms_log_deviation, kMinEquivalentConfidence, kMaxEquivalentConfidence);
}

CompressionMeasurement MeasureCompression(const cv::Mat& pixels, const CompressionOptions& options) {
  CompressionMeasurement measured;
  CompressionResult& result = measured.result;
  if (pixels.empty() || pixels.cols < 16 || pixels.rows < 16) return measured;
  const std::optional<JpegInfo>& jpeg = options.jpeg;
  cv::Mat* block_map = options.compute_map ? &measured.map : nullptr;
  const bool jpeg_file = jpeg && !jpeg->quant_tables.empty();
  // Nothing a JPEG decode made (it makes levels in between at every edge):
  // no blocks to read.
  std::optional<int> palette;
  if (!jpeg_file && (IsBilevel(pixels) || (palette = PaletteColours(pixels, HiddenMask(pixels))))) {
    if (palette) result.palette_colors = *palette;
    else result.two_level = true;
    if (block_map) *block_map = cv::Mat::zeros((pixels.rows + 7) / 8, (pixels.cols + 7) / 8, CV_32FC1);
    return measured;
  }
  // A sample of tiles for big images; with a map too, so that the figures
  // do not depend on whether a map was asked for (the map alone reads it all).
  const std::vector<cv::Rect> tiles = SampleBlocks(pixels.size(), kSampleTilePx, kSampledPixels, /*align_px=*/16);
  const bool sampled = tiles.size() > 1;
  const cv::Mat sample = StackBlocks(pixels, tiles);
  const cv::Mat luma = LumaF32(sample);
  cv::Mat usable = UnclippedMask(sample);
  if (sampled)
    for (size_t i = 1; i < tiles.size(); ++i) usable.row(int(i) * kSampleTilePx).setTo(0);
  const JpegGrid grid = DetectJpegGrid(luma, usable);
  const bool grid_found = grid.margin >= kMinGridMargin;
  int ox = 0, oy = 0;

  // The quality the pixels show (their DCT lattice on `grid`), when they
  // show one clearly.
  auto from_pixels = [&]() -> std::optional<PixelQualityEstimate> {
    const PixelQualityEstimate q = EstimateJpegQualityFromPixels(luma, usable, grid);
    if (!q.quality || q.evidence < kMinEvidence || q.evidence_per_block < kMinEvidencePerBlock) return std::nullopt;
    return q;
  };
  auto use_pixels = [&](const PixelQualityEstimate& q) {
    result.jpeg_quality_estimate = *q.quality;
    result.luma_steps = q.steps;
    result.quality_source = "pixels";
    result.estimated_tables = q.ijg_tables ? "ijg" : "other";
    result.confidence = 1.0 - std::exp(-q.evidence / (2 * kMinEvidence));
    ox = grid.offset_x, oy = grid.offset_y;
  };
  if (jpeg_file) {
    ReadQualityFromTables(*jpeg, result);
    if (grid_found) ox = grid.offset_x, oy = grid.offset_y;
  } else if (grid_found) {
    if (const std::optional<PixelQualityEstimate> q = from_pixels()) use_pixels(*q);
  }
  if (result.quality_source != "none") {
    result.grid_offset_x = ox;
    result.grid_offset_y = oy;
  }

  // Blocks are known when the file is a JPEG or its pixels show a JPEG's
  // DCT lattice; elsewhere they must stand out of the lines' spread.
  const double min_significance = result.quality_source == "none" ? kMinUnprovenBlockSignificance : 0.0;
  result.blockiness = Blockiness(luma, ox, oy, sampled ? kSampleTilePx : luma.rows, min_significance,
                                 sampled ? nullptr : block_map);
  // A JPEG re-saved at a finer quality keeps the blocks of its earlier save,
  // and its tables tell only the last one: where the blocks are plain to see,
  // the pixels' own lattice says which quality did the damage. (The last
  // save's finer steps only blur that lattice by a step or two.)
  if (result.quality_source == "quant_tables" && grid_found && *result.blockiness >= kVisibleBlockiness) {
    const std::optional<PixelQualityEstimate> q = from_pixels();
    const double last = *result.jpeg_quality_estimate;
    if (q && *q->quality <= last - kEarlierSaveMarginQuality) {
      use_pixels(*q);
      result.tables.reset();  // the tables' shape and quality describe the last save only
      result.last_saved_quality = last;
    }
  }
  if (block_map && sampled) Blockiness(LumaF32(pixels), ox, oy, pixels.rows, min_significance, block_map);
  return measured;
}

}  // namespace acuity
