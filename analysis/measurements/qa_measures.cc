#include "analysis/measurements/qa_measures.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/noise.h"
#include "analysis/measurements/quality_metrics.h"
#include "analysis/measurements/percentile.h"

namespace acuity {
namespace {

constexpr double kStrongEdgeRange8bit = 20.0;  // local span of a "strong" edge
constexpr double kFakeContrastTerm = 0.85;     // c below this = different structure
constexpr double kFakeExtraSigma8bit = 1.0;    // and the output this much busier
constexpr double kMinFlatAreaPct = 1.0;  // less than this: nothing to check
constexpr double kFlatSigmaMin8bit = 2.5, kFlatSigmaMax8bit = 6.0;
constexpr int kSeamMinPeriodPx = 32, kSeamMaxPeriodPx = 512, kSeamMinCount = 4;
constexpr double kFinerGridShare = 0.8;  // a finer grid this strong explains a coarser one
constexpr double kContentGridShare = 0.5;  // ... and the plain enlargement's grid this strong, the content
constexpr double kSeamStepFloor8bit = 0.05;
constexpr double kSeamQuantilePct = 30.0;   // the weaker seams of a grid must stand out too
constexpr double kSeamReferencePct = 95.0;  // ... above the strongest 5 % of other boundaries
constexpr int kSeamBlockRows = 16;
// A tiler's grid from the corner counts its tile edges (a seam line between
// two tiles), of which a share can be invisible (two tiles that came out
// alike): the level is this percentile of them, so 30 % must stand out.
constexpr double kTileEdgeQuantilePct = 70.0;
constexpr int kMaxGridLines = 64;  // per axis, when a finer grid is read
// A grid's strength at which its lines stand out above the strongest 5 % of
// other lines.
constexpr double kStandsOut = 1.0;
// A tiler's few lines are a small sample of a finer grid's (a q20 JPEG's
// blocks: 5 of 70 lines), whose percentile scatters: a finer grid at 60 %
// of the level explains it (real seams on a q75 JPEG: 20 %).
constexpr double kFinerTileGridShare = 0.6;
constexpr int kStripRows = 256;  // rows per strip of full-resolution passes
constexpr double kNoiseQuietestPct = 30.0;  // noise is compared in the quietest 30 % of blocks
constexpr double kNoiseFloor8bit = 1.0;      // below this, noise is invisible anyway
constexpr double kShadowLevel8bit = 85.0;    // blocks darker than this (mean luma) are the shadows
constexpr int kMinShadowBlocks = 8;          // fewer quiet shadow blocks: no shadow reading
// Painted flats (MeasurePaintedFlats; models/RESULTS.md, "Painted flats").
constexpr double kPaintedMinNoise8bit = 2.0;     // a quieter input has no noise to paint over
constexpr double kPaintedFlatNoiseShare = 1.5;   // noise-dominated: local σ ≤ 1.5 σn + 1 level
constexpr double kPaintedFlatMargin8bit = 1.0;
constexpr double kPaintedPlateauShare = 0.25;    // painted: the output's local σ < σn / 4 ...
constexpr double kPaintedPlateauMax8bit = 1.5;   // ... and < 1.5 levels

constexpr int kMinEdgeCellPx = 32;      // output px
constexpr double kEdgeCellInputPx = 24;  // a cell's side in input px, when that is more
// A cell's edges span this much at least, and this many noise σ: the
// edges that stand out of a damaged input's noise and JPEG blocking (a
// denoise or a deblock takes those away, rightly).
constexpr double kCellMinSpan8bit = 40;
constexpr double kCellNoiseSpans = 8;
constexpr double kCellSmoothPx = 0.7;  // Gaussian σ before the cells' Laplacian

int HaloRadiusPx(double scale) { return std::max(2, static_cast<int>(std::ceil(1.5 * scale))); }

cv::Mat SquareKernel(int radius) {
  return cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * radius + 1, 2 * radius + 1));
}

// Runs fn(strip, outer, inner) on horizontal strips of `rows` rows, in
// parallel: `outer` is the strip with `halo` rows of context on each side
// (clipped at the image), `inner` the strip's own rows relative to
// outer.start. Bounds the memory of full-resolution measurements.
template <typename Fn>
void ForEachStrip(int rows, int halo, Fn&& fn) {
  const int strips = (rows + kStripRows - 1) / kStripRows;
  cv::parallel_for_(cv::Range(0, strips), [&](const cv::Range& range) {
    for (int i = range.start; i < range.end; ++i) {
      const int y0 = i * kStripRows, y1 = std::min(rows, y0 + kStripRows);
      const cv::Range outer(std::max(0, y0 - halo), std::min(rows, y1 + halo));
      fn(i, outer, cv::Range(y0 - outer.start, y1 - outer.start));
    }
  });
}

// Signed step at each column boundary x | x+1 (index x, 1 ≤ x ≤ cols − 3):
// Y(x+1) − Y(x) minus the mean of the two neighbouring differences (a ramp
// gives 0, a 1-px seam its jump), averaged with its sign over blocks of
// kSeamBlockRows rows: a tile's offset is constant along its edge while
// texture averages out. Rows: blocks; columns: boundaries.
cv::Mat BlockSteps(const cv::Mat& luma) {
  const int blocks = std::max(1, luma.rows / kSeamBlockRows);
  cv::Mat steps = cv::Mat::zeros(blocks, luma.cols - 1, CV_64F);
  for (int y = 0; y < luma.rows; ++y) {
    const float* row = luma.ptr<float>(y);
    double* out = steps.ptr<double>(std::min(y / kSeamBlockRows, blocks - 1));
    for (int x = 1; x + 2 < luma.cols; ++x) {
      const double d0 = row[x] - row[x - 1], d1 = row[x + 1] - row[x], d2 = row[x + 2] - row[x + 1];
      out[x] += d1 - 0.5 * (d0 + d2);
    }
  }
  for (int b = 0; b < blocks; ++b) {
    const int rows = b + 1 < blocks ? kSeamBlockRows : luma.rows - b * kSeamBlockRows;
    steps.row(b) *= 1.0 / rows;
  }
  return steps;
}

// Per block and boundary: how far its step stands out from the typical
// boundary of the same row block, |step| / (1.4826 · median |step| of the
// block).
cv::Mat NormalisedSteps(const cv::Mat& steps) {
  const int blocks = steps.rows, n = steps.cols;
  cv::Mat normalised(blocks, n, CV_64F);
  std::vector<double> magnitudes;
  for (int b = 0; b < blocks; ++b) {
    const double* s = steps.ptr<double>(b);
    magnitudes.clear();
    for (int x = 1; x + 1 < n; ++x) magnitudes.push_back(std::abs(s[x]));
    const double scale = std::max(1.4826 * Median(magnitudes), kSeamStepFloor8bit);
    double* out = normalised.ptr<double>(b);
    for (int x = 0; x < n; ++x) out[x] = std::abs(s[x]) / scale;
  }
  return normalised;
}

// Per boundary: NormalisedSteps, median over the blocks. A seam along the
// whole height stands out in most blocks, an object's edge only where the
// object is.
std::vector<double> SeamProfile(const cv::Mat& steps) {
  const cv::Mat normalised = NormalisedSteps(steps);
  const int blocks = normalised.rows, n = normalised.cols;
  std::vector<double> profile(n), column(blocks);
  for (int x = 0; x < n; ++x) {
    for (int b = 0; b < blocks; ++b) column[b] = normalised.at<double>(b, x);
    profile[x] = Median(column);
  }
  profile[0] = profile[std::min(1, n - 1)];
  if (n >= 2) profile[n - 1] = profile[n - 2];
  return profile;
}

// The kSeamQuantilePct percentile of the profile at phase, phase + period, ...
double GridLevel(const std::vector<double>& profile, int period, int phase, int* count) {
  std::vector<double> v;
  for (size_t x = phase; x < profile.size(); x += period) v.push_back(profile[x]);
  if (count) *count = static_cast<int>(v.size());
  if (v.empty()) return 0;
  return Percentile(std::move(v), kSeamQuantilePct);
}

// The median |step| (8-bit levels) of boundary `x` over the row blocks.
double MedianStepAt(const cv::Mat& steps, int x) {
  std::vector<double> line(steps.rows);
  for (int b = 0; b < steps.rows; ++b) line[b] = std::abs(steps.at<double>(b, x));
  return Median(line);
}

// The block steps of both axes of a luma plane (BlockSteps of it and of its
// transpose), read once for every seam detector; empty for an empty plane.
struct AxisSteps {
  cv::Mat columns, rows;
  cv::Size size;  // the plane's, px
};
AxisSteps StepsOf(const cv::Mat& luma) {
  if (luma.empty()) return {};
  return {BlockSteps(luma), BlockSteps(luma.t()), luma.size()};
}

// The blocks of a noise map whose surroundings are among the quietest
// kNoiseQuietestPct %: the mean of the 8 neighbours (reflected at the map's
// edge without the block itself); maps under 3×3 cells use the cells' own
// readings.
cv::Mat QuietBlocks(const cv::Mat& map) {
  if (map.rows < 3 || map.cols < 3) return map <= Percentile(map, kNoiseQuietestPct);
  cv::Mat ring = cv::Mat::ones(3, 3, CV_32F) / 8.0, level;  // a new buffer: `map` is the caller's
  ring.at<float>(1, 1) = 0;
  cv::filter2D(map, level, CV_32F, ring, cv::Point(-1, -1), 0, cv::BORDER_REFLECT_101);
  return level <= Percentile(level, kNoiseQuietestPct);
}

// DetectColumnSeams on the block steps of a `size` plane (`content_steps`:
// those of the plain enlargement, or empty).
TileSeamMeasure ColumnSeams(const cv::Mat& steps, const cv::Mat& content_steps, cv::Size size) {
  TileSeamMeasure best;
  if (size.width < kSeamMinCount * kSeamMinPeriodPx || size.height < kSeamBlockRows) return best;
  const std::vector<double> profile = SeamProfile(steps);
  const std::vector<double> content_profile =
      content_steps.empty() ? std::vector<double>() : SeamProfile(content_steps);
  const int n = static_cast<int>(profile.size());
  const double reference = std::max(
      Percentile(profile, kSeamReferencePct), 0.1);

  struct Candidate {
    double level;
    int period, phase, count;
  };
  std::vector<Candidate> candidates;
  for (int period = kSeamMinPeriodPx; period <= kSeamMaxPeriodPx; ++period) {
    Candidate top{-1, period, 0, 0};
    for (int phase = 0; phase < period && phase < n; ++phase) {
      int count = 0;
      const double level = GridLevel(profile, period, phase, &count);
      if (count >= kSeamMinCount && level > top.level) top = {level, period, phase, count};
    }
    if (top.level > 0) candidates.push_back(top);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.level > b.level; });
  for (const Candidate& c : candidates) {
    bool explained = false;
    for (int d = 2; d < c.period && !explained; ++d)
      if (c.period % d == 0)
        explained = GridLevel(profile, d, c.phase % d, nullptr) >= kFinerGridShare * c.level;
    if (explained) continue;
    // The content's own lines (text rows, a table's rules) stand out in a
    // plain enlargement of the input too; seams only in the output.
    if (!content_profile.empty() &&
        GridLevel(content_profile, c.period, c.phase, nullptr) >= kContentGridShare * c.level)
      continue;
    best.strength = c.level / reference;
    best.seams = c.count;
    best.period_px = c.period;
    best.offset_px = c.phase + 1;  // boundary x is between columns x and x + 1
    best.axis = "columns";
    std::vector<double> seam_steps;
    for (int x = c.phase; x < n; x += c.period) seam_steps.push_back(MedianStepAt(steps, x));
    best.step_8bit = Median(seam_steps);
    break;
  }
  return best;
}

}  // namespace

TileSeamMeasure DetectColumnSeams(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  return ColumnSeams(BlockSteps(luma), content_luma.empty() ? cv::Mat() : BlockSteps(content_luma), luma.size());
}

cv::Mat PlainResize(const cv::Mat& pixels, cv::Size size) {
  if (pixels.size() == size) return pixels.clone();
  const bool down = size.width <= pixels.cols && size.height <= pixels.rows;
  cv::Mat out;
  cv::resize(pixels, out, size, 0, 0, down ? cv::INTER_AREA : cv::INTER_LANCZOS4);
  return out;
}

int EdgeCellPx(double scale) {
  return std::max(kMinEdgeCellPx, static_cast<int>(std::lround(kEdgeCellInputPx * scale)));
}

EdgeMeasure MeasureEdges(const cv::Mat& output_luma, const cv::Mat& plain_luma, double scale,
                         bool with_map, double noise_sigma_8bit) {
  CV_Assert(output_luma.size() == plain_luma.size() && output_luma.type() == CV_32FC1 &&
            plain_luma.type() == CV_32FC1);
  const int radius = HaloRadiusPx(scale);
  const cv::Mat kernel = SquareKernel(radius);
  EdgeMeasure m;
  if (with_map) m.map = cv::Mat::zeros(output_luma.size(), CV_32FC1);
  struct Sums {
    double edge_pixels = 0, relative = 0, energy_output = 0, energy_plain = 0;
  };
  std::vector<Sums> sums((output_luma.rows + kStripRows - 1) / kStripRows);
  const float cell_span = static_cast<float>(std::max(kCellMinSpan8bit, kCellNoiseSpans * noise_sigma_8bit));
  EdgeCells& cells = m.cells;
  cells.cell_px = EdgeCellPx(scale);
  cells.cols = (output_luma.cols + cells.cell_px - 1) / cells.cell_px;
  cells.rows = (output_luma.rows + cells.cell_px - 1) / cells.cell_px;
  for (auto* v : {&cells.edge_pixels, &cells.energy_output, &cells.energy_plain})
    v->assign(size_t(cells.cols) * cells.rows, 0.0);
  // Per strip, the rows of cells it touches (a cell row can span two strips),
  // from first_row on; added up once the strips are done.
  struct StripCells {
    int first_row = 0;
    std::vector<double> edge_pixels, energy_output, energy_plain;
  };
  std::vector<StripCells> strip_cells(sums.size());
  ForEachStrip(output_luma.rows, radius + 1, [&](int strip, cv::Range outer, cv::Range inner) {
    const cv::Mat plain = plain_luma.rowRange(outer), out = output_luma.rowRange(outer);
    cv::Mat lo, hi, gx, gy;
    cv::erode(plain, lo, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::dilate(plain, hi, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
    cv::Mat energy_plain, energy_out;
    cv::Sobel(plain, gx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REFLECT);
    cv::Sobel(plain, gy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REFLECT);
    energy_plain = gx.mul(gx) + gy.mul(gy);
    cv::Sobel(out, gx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REFLECT);
    cv::Sobel(out, gy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REFLECT);
    energy_out = gx.mul(gx) + gy.mul(gy);
    // The cells' curvature energy: Laplacian of each plane smoothed by
    // kCellSmoothPx (a blur takes it away much faster than the gradient's).
    cv::Mat curve_plain, curve_out;
    for (auto [src, dst] : {std::pair{&plain, &curve_plain}, std::pair{&out, &curve_out}}) {
      cv::Mat smooth;
      cv::GaussianBlur(*src, smooth, cv::Size(), kCellSmoothPx, 0, cv::BORDER_REFLECT);
      cv::Laplacian(smooth, *dst, CV_32F, 1, 1, 0, cv::BORDER_REFLECT);
      *dst = dst->mul(*dst);
    }
    Sums& sum = sums[strip];
    StripCells& cell = strip_cells[strip];
    cell.first_row = (outer.start + inner.start) / cells.cell_px;
    const int cell_rows = (outer.start + inner.end - 1) / cells.cell_px - cell.first_row + 1;
    for (auto* v : {&cell.edge_pixels, &cell.energy_output, &cell.energy_plain})
      v->assign(size_t(cells.cols) * cell_rows, 0.0);
    for (int r = inner.start; r < inner.end; ++r) {
      const size_t cell_row = size_t((outer.start + r) / cells.cell_px - cell.first_row) * cells.cols;
      const float *o = out.ptr<float>(r), *l = lo.ptr<float>(r), *h = hi.ptr<float>(r),
                  *ep = energy_plain.ptr<float>(r), *eo = energy_out.ptr<float>(r),
                  *cp = curve_plain.ptr<float>(r), *co = curve_out.ptr<float>(r);
      float* map = with_map ? m.map.ptr<float>(outer.start + r) : nullptr;
      for (int c = 0; c < out.cols; ++c) {
        const float span = h[c] - l[c];
        if (span < kStrongEdgeRange8bit) continue;
        const float overshoot = std::max(0.0f, o[c] - h[c]) + std::max(0.0f, l[c] - o[c]);
        sum.edge_pixels += 1;
        sum.relative += std::min(1.0f, overshoot / span);
        sum.energy_plain += ep[c];
        sum.energy_output += eo[c];
        if (map) map[c] = overshoot;
        if (span < cell_span) continue;
        const size_t i = cell_row + c / cells.cell_px;
        cell.edge_pixels[i] += 1;
        cell.energy_plain[i] += cp[c];
        cell.energy_output[i] += co[c];
      }
    }
  });
  for (const StripCells& strip : strip_cells) {
    const size_t offset = size_t(strip.first_row) * cells.cols;
    for (size_t i = 0; i < strip.edge_pixels.size(); ++i) {
      cells.edge_pixels[offset + i] += strip.edge_pixels[i];
      cells.energy_plain[offset + i] += strip.energy_plain[i];
      cells.energy_output[offset + i] += strip.energy_output[i];
    }
  }
  Sums total;
  for (const Sums& s : sums) {
    total.edge_pixels += s.edge_pixels;
    total.relative += s.relative;
    total.energy_output += s.energy_output;
    total.energy_plain += s.energy_plain;
  }
  m.edge_area_pct = 100.0 * total.edge_pixels / static_cast<double>(output_luma.total());
  if (total.edge_pixels > 0) m.overshoot_pct = 100.0 * total.relative / total.edge_pixels;
  if (total.energy_plain > 0) m.detail_retained = std::sqrt(total.energy_output / total.energy_plain);
  return m;
}


FlatAreaMeasure MeasureFlatAreas(const cv::Mat& output_luma, const cv::Mat& plain_luma,
                                 bool with_map) {
  CV_Assert(output_luma.size() == plain_luma.size() && output_luma.type() == CV_32FC1 &&
            plain_luma.type() == CV_32FC1);
  const int strips = (output_luma.rows + kStripRows - 1) / kStripRows;
  constexpr int kWindowHalo = 6, kOpenHalo = 3;
  // Pass 1: the local σ of the enlargement (every other pixel of every other
  // row is plenty for its 5th percentile).
  std::vector<std::vector<float>> sigma_samples(strips);
  ForEachStrip(plain_luma.rows, kWindowHalo, [&](int strip, cv::Range outer, cv::Range inner) {
    const cv::Mat sigma = LocalSigma(plain_luma.rowRange(outer));
    for (int r = inner.start + (inner.start + outer.start) % 2; r < inner.end; r += 2) {
      const float* p = sigma.ptr<float>(r);
      for (int c = 0; c < sigma.cols; c += 2) sigma_samples[strip].push_back(p[c]);
    }
  });
  std::vector<float> all;
  for (const auto& v : sigma_samples) all.insert(all.end(), v.begin(), v.end());
  FlatAreaMeasure m;
  m.flat_sigma_limit_8bit =
      std::clamp(2.0 * Percentile(cv::Mat(1, static_cast<int>(all.size()), CV_32F, all.data()), 5),
                 kFlatSigmaMin8bit, kFlatSigmaMax8bit);
  all.clear();
  all.shrink_to_fit();
  if (with_map) m.map = cv::Mat::zeros(output_luma.size(), CV_32FC1);

  // Pass 2: flat pixels, and those where the output adds structure.
  std::vector<double> flat_count(strips, 0), fake_count(strips, 0);
  const cv::Mat open_kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5));
  ForEachStrip(output_luma.rows, kWindowHalo + kOpenHalo, [&](int strip, cv::Range outer, cv::Range inner) {
    const SsimMaps maps = ComputeSsimMaps(plain_luma.rowRange(outer), output_luma.rowRange(outer),
                                          kContrastMap | kSigmaMaps);
    const cv::Mat flat = maps.sigma_x < m.flat_sigma_limit_8bit;
    const cv::Mat busier = flat & (maps.sigma_y > maps.sigma_x + kFakeExtraSigma8bit);
    cv::Mat fake = busier & (maps.contrast < kFakeContrastTerm);
    cv::morphologyEx(fake, fake, cv::MORPH_OPEN, open_kernel);
    const cv::Range cols(0, flat.cols);
    flat_count[strip] = cv::countNonZero(flat(inner, cols));
    fake_count[strip] = cv::countNonZero(fake(inner, cols));
    if (with_map) {
      cv::Mat one_minus_c = 1.0 - maps.contrast(inner, cols);
      one_minus_c.copyTo(m.map.rowRange(outer.start + inner.start, outer.start + inner.end),
                         busier(inner, cols));
    }
  });
  double flat_pixels = 0, fake_pixels = 0;
  for (int i = 0; i < strips; ++i) {
    flat_pixels += flat_count[i];
    fake_pixels += fake_count[i];
  }
  m.flat_area_pct = 100.0 * flat_pixels / static_cast<double>(output_luma.total());
  if (m.flat_area_pct >= kMinFlatAreaPct) m.fake_texture_pct = 100.0 * fake_pixels / flat_pixels;
  else if (with_map) m.map.setTo(0);
  return m;
}

NoiseChange MeasureNoiseChange(const cv::Mat& input_luma, const cv::Mat& output_luma) {
  CV_Assert(input_luma.size() == output_luma.size() && input_luma.type() == CV_32FC1);
  NoiseOptions options;
  options.compute_map = true;
  options.max_patches = 500;  // only the map is used: keep the global PCA estimate cheap
  options.level_bins = 0;     // nor the noise level function
  const NoiseMeasurement input = MeasureNoise(input_luma, options);
  const cv::Mat& in_map = input.map;
  const cv::Mat out_map = MeasureNoise(output_luma, options).map;
  NoiseChange m;
  m.input_noise_sigma_8bit = input.result.luma_sigma;
  if (in_map.empty() || out_map.size() != in_map.size()) return m;
  // The input's quietest blocks: where noise shows and texture does not.
  // Judged by the mean of each block's 8 neighbours, not by the block's own
  // reading: texture spans blocks while a block's noise reading does not, so
  // choosing blocks for their own low reading would bias the input's σ low
  // and the ratio high (√2 read as 1.54 on a noisy ramp).
  const cv::Mat quiet = QuietBlocks(in_map);
  if (cv::countNonZero(quiet) == 0) return m;
  m.measured = true;
  m.sigma_input_8bit = cv::mean(in_map, quiet)[0];
  m.sigma_output_8bit = cv::mean(out_map, quiet)[0];
  m.amplification = m.sigma_output_8bit / std::max(m.sigma_input_8bit, kNoiseFloor8bit);
  // The shadows: quiet blocks whose input mean is dark (noise shows most there).
  cv::Mat block_mean;
  cv::resize(input_luma, block_mean, in_map.size(), 0, 0, cv::INTER_AREA);
  const cv::Mat dark_quiet = quiet & (block_mean < kShadowLevel8bit);
  if (cv::countNonZero(dark_quiet) >= kMinShadowBlocks)
    m.shadow_amplification = cv::mean(out_map, dark_quiet)[0] / std::max(cv::mean(in_map, dark_quiet)[0], kNoiseFloor8bit);
  return m;
}

PaintedFlatMeasure MeasurePaintedFlats(const cv::Mat& input_luma, const cv::Mat& output_luma,
                                       double input_noise_sigma_8bit, bool with_map) {
  CV_Assert(input_luma.size() == output_luma.size() && input_luma.type() == CV_32FC1 &&
            output_luma.type() == CV_32FC1);
  PaintedFlatMeasure m;
  if (input_noise_sigma_8bit < kPaintedMinNoise8bit) return m;
  // An area that is already a plateau in the input (a screenshot's panel, a
  // clipped highlight) has no grain to lose: it is not a noisy flat, and an
  // output that keeps it flat painted nothing.
  const double plateau_8bit = std::min(kPaintedPlateauShare * input_noise_sigma_8bit, kPaintedPlateauMax8bit);
  const cv::Mat in_sigma = LocalSigma(input_luma);
  const cv::Mat noisy_flat =
      (in_sigma <= kPaintedFlatNoiseShare * input_noise_sigma_8bit + kPaintedFlatMargin8bit) & (in_sigma >= plateau_8bit);
  const double noisy_pixels = cv::countNonZero(noisy_flat);
  m.noisy_flat_area_pct = 100.0 * noisy_pixels / static_cast<double>(input_luma.total());
  if (m.noisy_flat_area_pct < kMinFlatAreaPct) return m;
  m.measured = true;
  const cv::Mat out_sigma = LocalSigma(output_luma);
  const cv::Mat painted = noisy_flat & (out_sigma < plateau_8bit);
  m.painted_pct = 100.0 * cv::countNonZero(painted) / noisy_pixels;
  if (with_map) painted.convertTo(m.map, CV_32F, 1.0 / 255.0);
  return m;
}

namespace {

// The tile edges along one axis (`normalised`: NormalisedSteps of that
// axis) of the lines of a grid of `line_period` px from the top-left corner
// (boundary line_period − 1, 2·line_period − 1, …), leaving out those on
// the grid of `skip_period` (0: none), at most kMaxGridLines of them spread
// evenly: for each line and each tile of `tile_px` along it, the median of
// the line's blocks inside that tile. Adds them to `edges`; returns the
// number of lines read.
int AddTileEdges(const cv::Mat& normalised, int line_period, int skip_period, int tile_px, std::vector<double>& edges) {
  std::vector<int> xs;
  for (int x = line_period - 1; x + 1 < normalised.cols; x += line_period)
    if (skip_period == 0 || (x + 1) % skip_period != 0) xs.push_back(x);
  const double stride = std::max(1.0, double(xs.size()) / kMaxGridLines);
  std::vector<double> blocks;
  int lines = 0;
  for (double i = 0; i < xs.size(); i += stride, ++lines) {
    const int x = xs[size_t(i)];
    for (int top = 0; top < normalised.rows * kSeamBlockRows; top += tile_px) {
      blocks.clear();
      const int first = (top + kSeamBlockRows - 1) / kSeamBlockRows;
      const int end = std::min(normalised.rows, (top + tile_px) / kSeamBlockRows);
      for (int b = first; b < end; ++b) blocks.push_back(normalised.at<double>(b, x));
      if (!blocks.empty()) edges.push_back(Median(blocks));
    }
  }
  return lines;
}

// The kTileEdgeQuantilePct percentile of those tile edges on both axes (0
// when there are none); `lines`: the lines read on both axes.
double OriginGridLevel(const cv::Mat& columns, const cv::Mat& rows, int line_period, int skip_period, int tile_px,
                       int* lines = nullptr) {
  std::vector<double> edges;
  const int count = AddTileEdges(columns, line_period, skip_period, tile_px, edges) +
                    AddTileEdges(rows, line_period, skip_period, tile_px, edges);
  if (lines) *lines = count;
  return edges.empty() ? 0 : Percentile(std::move(edges), kTileEdgeQuantilePct);
}

// DetectOriginTileGrid on the block steps of both axes (`content`: those
// of the plain enlargement, or empty).
TileSeamMeasure OriginTileGrid(const AxisSteps& steps, const AxisSteps& content) {
  TileSeamMeasure best;
  const cv::Size size = steps.size;
  if (size.width < 2 * kSeamMinPeriodPx || size.height < 2 * kSeamMinPeriodPx) return best;
  const cv::Mat& steps_x = steps.columns;
  const cv::Mat& steps_y = steps.rows;
  const cv::Mat columns = NormalisedSteps(steps_x), rows = NormalisedSteps(steps_y);
  cv::Mat content_columns, content_rows;
  if (!content.columns.empty()) {
    content_columns = NormalisedSteps(content.columns);
    content_rows = NormalisedSteps(content.rows);
  }
  // The reference of a period: the same tile edges at every boundary (at
  // most kMaxGridLines per axis, spread evenly), so that a grid of few,
  // short edges is held to what short edges anywhere read.
  auto reference_of = [&](int period) {
    std::vector<double> edges;
    AddTileEdges(columns, 1, 0, period, edges);
    AddTileEdges(rows, 1, 0, period, edges);
    return std::max(Percentile(std::move(edges), kSeamReferencePct), 0.1);
  };
  double best_strength = 0;
  int best_period = 0;
  std::vector<double> found(kSeamMaxPeriodPx + 1, 0.0);  // strength of each grid that counts
  for (int period = kSeamMinPeriodPx; period <= kSeamMaxPeriodPx; ++period) {
    if (size.width <= period || size.height <= period) break;
    int lines = 0;
    const double level = OriginGridLevel(columns, rows, period, 0, period, &lines);
    if (lines < kSeamMinCount) continue;
    const double reference = reference_of(period);
    // Explained by a finer grid from the corner (a JPEG's 8-px blocks, a
    // JPEG enlarged 2×: 16 px) when that grid's other lines, read in the
    // same tiles, stand out as much.
    bool explained = false;
    for (int d = 2; d < std::min(period, kSeamMinPeriodPx) && !explained; ++d)
      if (period % d == 0)
        explained = OriginGridLevel(columns, rows, d, period, period) >= kFinerTileGridShare * level;
    if (explained) continue;
    if (!content_columns.empty() &&
        OriginGridLevel(content_columns, content_rows, period, 0, period) >= kContentGridShare * level)
      continue;  // the content's own lines
    found[period] = level / reference;
    if (found[period] <= best_strength) continue;
    best_strength = found[period];
    best_period = period;
  }
  if (best_period == 0) return best;
  // A coarser grid can stand out more than the tiles' own where some of
  // their edges came out alike (every other line of 192-px tiles makes a
  // 384-px grid): the finest grid that divides it and stands out nearly as
  // much is the tiling.
  for (int d = kSeamMinPeriodPx; d < best_period; ++d)
    if (best_period % d == 0 && found[d] >= kFinerTileGridShare * best_strength) {
      best_strength = found[d];
      best_period = d;
      break;
    }
  best.strength = best_strength;
  best.period_px = best_period;
  best.offset_px = best_period;
  best.axis = "both";
  std::vector<double> seam_steps;
  for (const cv::Mat* steps : {&steps_x, &steps_y})
    for (int x = best_period - 1; x + 1 < steps->cols; x += best_period, ++best.seams)
      seam_steps.push_back(MedianStepAt(*steps, x));
  best.step_8bit = Median(seam_steps);
  return best;
}

}  // namespace

TileSeamMeasure DetectOriginTileGrid(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  return OriginTileGrid(StepsOf(luma), StepsOf(content_luma));
}

TileSeamMeasure DetectTileSeams(const cv::Mat& luma, const cv::Mat& content_luma) {
  CV_Assert(luma.type() == CV_32FC1);
  CV_Assert(content_luma.empty() || (content_luma.type() == CV_32FC1 && content_luma.size() == luma.size()));
  // Each plane's block steps, both axes, read once for the three readings.
  const AxisSteps steps = StepsOf(luma), content = StepsOf(content_luma);
  TileSeamMeasure columns = ColumnSeams(steps.columns, content.columns, luma.size());
  TileSeamMeasure rows = ColumnSeams(steps.rows, content.rows, cv::Size(luma.rows, luma.cols));
  if (!rows.axis.empty()) rows.axis = "rows";
  TileSeamMeasure grid = OriginTileGrid(steps, content);
  TileSeamMeasure best = rows.strength > columns.strength ? rows : columns;
  if (grid.strength <= best.strength) return best;
  // One axis's grid from the corner whose period divides the 2-D grid's,
  // and which stands out itself (kStandsOut), is the same tiling at its own
  // period (the 2-D grid can be every other line of it, where the other
  // lines cross texture): its period, the grid's strength.
  for (const TileSeamMeasure* axis : {&columns, &rows})
    if (axis->period_px > 0 && axis->strength >= kStandsOut && axis->offset_px % axis->period_px == 0 &&
        grid.period_px % axis->period_px == 0 && axis->period_px < grid.period_px) {
      TileSeamMeasure same = *axis;
      same.strength = grid.strength;
      return same;
    }
  return grid;
}

}  // namespace acuity
