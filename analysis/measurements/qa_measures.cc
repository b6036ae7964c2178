#include "analysis/measurements/qa_measures.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/image_ops.h"
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
constexpr int kStripRows = 256;  // rows per strip of full-resolution passes
constexpr double kNoiseQuietestPct = 30.0;  // noise is compared in the quietest 30 % of blocks
constexpr double kShadowLevel8bit = 85.0;    // blocks darker than this (mean luma) are the shadows
constexpr int kMinShadowBlocks = 8;          // fewer quiet shadow blocks: no shadow reading
// Painted flats (MeasurePaintedFlats; models/RESULTS.md, "Painted flats").
constexpr double kPaintedFlatNoiseShare = 1.5;   // noise-dominated: local σ ≤ 1.5 σn + 1 level
constexpr double kPaintedFlatMargin8bit = 1.0;
constexpr double kPaintedPlateauShare = 0.25;    // painted: the output's local σ < σn / 4 ...
constexpr double kPaintedPlateauMax8bit = 1.5;   // ... and < 1.5 levels

constexpr int kMinEdgeBlockPx = 16;       // output px: half a cell of at least 32
constexpr double kEdgeBlockInputPx = 12;  // half a cell of 24 input px, when that is more
// A cell's edges span this much at least, and this many noise σ: the
// edges that stand out of a damaged input's noise and JPEG blocking (a
// denoise or a deblock takes those away, rightly).
constexpr double kCellMinSpan8bit = 40;
constexpr double kCellNoiseSpans = 8;
constexpr double kCellSmoothPx = 0.7;  // Gaussian σ before the cells' Laplacian
// The whole's edges (detail_retained) stand out of the noise too: a window
// of pure noise spans 3–3.5 σ on average in a plain enlargement (the range
// of the 9–16 input samples it covers), rarely 5.
constexpr double kEdgeNoiseSpans = 5;
// The most of an enlargement's edge energy (detail_retained) read as noise.
constexpr double kMaxNoiseShare = 0.75;
// The pixels whose energy detail_retained reads are chosen on the plain
// enlargement smoothed by a Gaussian of this many input px (output px when
// the noise was read at the output's scale) once the input's noise σ
// reaches kEdgeChoiceFullNoise8bit, in proportion between it and
// kEdgeChoiceNoNoise8bit (a clean photo's σ reads 0.5–1.2: not smoothed),
// and not under kEdgeChoiceMinSmoothPx output px: chosen on the noisy
// enlargement itself, the pixels counted were those where the noise widened
// the window's span, whose noise energy is more than the average pixel's
// that is taken off — a perfect denoise of chelsea darkened to 25 % under
// noise σ 6 read 0.75, and the advisor's own plan failed (docs/qa.md,
// "Night shots").
constexpr double kEdgeChoiceSmoothInputPx = 0.5;
constexpr double kEdgeChoiceNoNoise8bit = 1.0;
constexpr double kEdgeChoiceFullNoise8bit = 4.0;
constexpr double kEdgeChoiceMinSmoothPx = 0.3;  // a Gaussian's neighbours then weigh < 0.4 %
// σ of 8-bit rounding alone (1/√12 levels).
constexpr double kRoundingSigma8bit = 0.288675;
// The white-noise field that NoiseEnergyPerSigma2 enlarges: input px a side.
constexpr int kNoiseFieldPx = 96;

// σ of the Gaussian (output px) on the enlargement whose windows choose the
// edges detail_retained reads; 0: the enlargement itself.
double EdgeChoiceSmoothPx(double scale, double input_noise_sigma_8bit) {
  const double share = std::clamp((input_noise_sigma_8bit - kEdgeChoiceNoNoise8bit) /
                                      (kEdgeChoiceFullNoise8bit - kEdgeChoiceNoNoise8bit),
                                  0.0, 1.0);
  const double px = kEdgeChoiceSmoothInputPx * scale * share;
  return px < kEdgeChoiceMinSmoothPx ? 0.0 : px;
}

// Each pixel's lowest and highest value over `kernel`'s window.
void WindowRange(const cv::Mat& plane, const cv::Mat& kernel, cv::Mat& lo, cv::Mat& hi) {
  cv::erode(plane, lo, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  cv::dilate(plane, hi, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
}

// The edges' gradient energy, each plane's, and Σ the input's noise
// variance at their levels (levels²), over `pixels` edge pixels.
struct EdgeEnergy {
  double pixels = 0, plain = 0, output = 0, noise_var = 0;
  void Add(double plain_energy, double output_energy, double var) {
    pixels += 1;
    plain += plain_energy;
    output += output_energy;
    noise_var += var;
  }
  void Add(const EdgeEnergy& o) {
    pixels += o.pixels;
    plain += o.plain;
    output += o.output;
    noise_var += o.noise_var;
  }
};

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

// `plane`'s gradient energy (Sobel, gx² + gy²) and curvature energy (the
// squared Laplacian after a Gaussian of kCellSmoothPx), per pixel.
void Energies(const cv::Mat& plane, cv::Mat& gradient, cv::Mat& curvature) {
  cv::Mat gx, gy;
  cv::Sobel(plane, gx, CV_32F, 1, 0, 3, 1, 0, cv::BORDER_REFLECT);
  cv::Sobel(plane, gy, CV_32F, 0, 1, 3, 1, 0, cv::BORDER_REFLECT);
  gradient = gx.mul(gx) + gy.mul(gy);
  cv::Mat smooth;
  cv::GaussianBlur(plane, smooth, cv::Size(), kCellSmoothPx, 0, cv::BORDER_REFLECT);
  cv::Laplacian(smooth, curvature, CV_32F, 1, 1, 0, cv::BORDER_REFLECT);
  curvature = curvature.mul(curvature);
}

// The input's noise σ at each 8-bit level: its level function read between
// the bins' middles (flat beyond the first and the last bin read), never
// below the whole picture's σ (a bin read low for want of flat patches, or
// clipped, must not hide noise).
std::array<float, 256> NoiseSigmaByLevel(const EdgeNoise& noise) {
  std::vector<std::pair<double, double>> points;  // level, σ
  for (const NoiseLevelBin& bin : noise.input_by_level)
    if (bin.sigma) points.push_back({0.5 * (bin.level_from_8bit + bin.level_to_8bit), *bin.sigma});
  std::array<float, 256> sigma{};
  for (int v = 0; v < 256; ++v) {
    double s = noise.input_sigma_8bit;
    if (!points.empty()) {
      auto next = std::find_if(points.begin(), points.end(), [&](const auto& pt) { return pt.first >= v; });
      double at = 0;
      if (next == points.begin()) at = points.front().second;
      else if (next == points.end()) at = points.back().second;
      else {
        const auto& a = *(next - 1);
        const auto& b = *next;
        at = a.second + (b.second - a.second) * (v - a.first) / (b.first - a.first);
      }
      s = std::max(s, at);
    }
    sigma[v] = static_cast<float>(s);
  }
  return sigma;
}

}  // namespace

NoiseEnergy NoiseEnergyPerSigma2(double scale) {
  cv::Mat noise(kNoiseFieldPx, kNoiseFieldPx, CV_32FC1);
  cv::RNG rng(0x5eed);  // the same field every time: a figure, not a sample
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  const int side = std::max(8, static_cast<int>(std::lround(kNoiseFieldPx * scale)));
  const cv::Mat plain = PlainResize(noise, cv::Size(side, side));
  cv::Mat gradient, curvature;
  Energies(plain, gradient, curvature);
  const int border = std::min(side / 4, 4 + static_cast<int>(std::ceil(scale)));  // away from the reflected edge
  const cv::Rect inside(border, border, side - 2 * border, side - 2 * border);
  return {cv::mean(gradient(inside))[0], cv::mean(curvature(inside))[0]};
}

cv::Mat PlainResize(const cv::Mat& pixels, cv::Size size) {
  if (pixels.size() == size) return pixels.clone();
  const bool down = size.width <= pixels.cols && size.height <= pixels.rows;
  cv::Mat out;
  cv::resize(pixels, out, size, 0, 0, down ? cv::INTER_AREA : cv::INTER_LANCZOS4);
  return out;
}

EdgeMeasure MeasureEdges(const cv::Mat& output_luma, const cv::Mat& plain_luma, double scale,
                         bool with_map, const EdgeNoise& noise) {
  CV_Assert(output_luma.size() == plain_luma.size() && output_luma.type() == CV_32FC1 &&
            plain_luma.type() == CV_32FC1);
  const int radius = HaloRadiusPx(scale);
  const cv::Mat kernel = SquareKernel(radius);
  const double choice_smooth_px = EdgeChoiceSmoothPx(noise.at_output_scale ? 1.0 : scale, noise.input_sigma_8bit);
  EdgeMeasure m;
  if (with_map) m.map = cv::Mat::zeros(output_luma.size(), CV_32FC1);
  struct Sums {
    double relative = 0;
    // At the edge pixels; at those the smoothed enlargement chooses
    // (kEdgeChoiceSmoothInputPx), when it is smoothed.
    EdgeEnergy at_edges, chosen;
  };
  std::vector<Sums> sums((output_luma.rows + kStripRows - 1) / kStripRows);
  // The input's noise σ at each level of the enlargement, and the spans an
  // edge needs there to stand out of it.
  const std::array<float, 256> sigma = NoiseSigmaByLevel(noise);
  std::array<float, 256> edge_span{}, cell_span{};
  for (int v = 0; v < 256; ++v) {
    edge_span[v] = static_cast<float>(std::max(kStrongEdgeRange8bit, kEdgeNoiseSpans * sigma[v]));
    cell_span[v] = static_cast<float>(std::max(kCellMinSpan8bit, kCellNoiseSpans * sigma[v]));
  }
  // The noise's own energy per pixel in each plane (levels²): taken off both
  // sides, so that noise a model removed does not count as detail lost. The
  // output's is the input's times (output σ / input σ)².
  const NoiseEnergy unit =
      noise.input_sigma_8bit > 0 ? NoiseEnergyPerSigma2(noise.at_output_scale ? 1.0 : scale) : NoiseEnergy{};
  // Of a σ under the 8-bit rounding's own (kRoundingSigma8bit) no share
  // means anything: a JPEG input's exactly flat quiet blocks read σ 2.6e-7,
  // its deblocked output's 0.1, and the output's noise — scaled from the
  // input's level function, which read 0.1 too — became 400 000× the
  // input's and took all its detail away (detail_retained 0.00, "lost
  // 100 %" of a q20 rocket deblocked).
  const double kept = noise.input_sigma_8bit > 0
                          ? noise.output_sigma_8bit / std::max(noise.input_sigma_8bit, kRoundingSigma8bit)
                          : 0.0;
  const double out_share = kept * kept;
  EdgeCells& cells = m.cells;
  cells.block_px = std::max(kMinEdgeBlockPx, static_cast<int>(std::lround(kEdgeBlockInputPx * scale)));
  cells.cols = (output_luma.cols + cells.block_px - 1) / cells.block_px;
  cells.rows = (output_luma.rows + cells.block_px - 1) / cells.block_px;
  std::vector<double> cell_noise_var(size_t(cells.cols) * cells.rows, 0.0);
  for (auto* v : {&cells.edge_pixels, &cells.energy_output, &cells.energy_plain})
    v->assign(size_t(cells.cols) * cells.rows, 0.0);
  // Per strip, the rows of cells it touches (a cell row can span two strips),
  // from first_row on; added up once the strips are done.
  struct StripCells {
    int first_row = 0;
    std::vector<double> edge_pixels, energy_output, energy_plain, noise_var;
  };
  std::vector<StripCells> strip_cells(sums.size());
  const int halo = radius + 1 + static_cast<int>(std::ceil(4 * choice_smooth_px));  // OpenCV's kernel: ±4 σ
  ForEachStrip(output_luma.rows, halo, [&](int strip, cv::Range outer, cv::Range inner) {
    const cv::Mat plain = plain_luma.rowRange(outer), out = output_luma.rowRange(outer);
    cv::Mat lo, hi, chosen_lo, chosen_hi;
    WindowRange(plain, kernel, lo, hi);
    // The spans that choose the energy's pixels: the smoothed enlargement's.
    if (choice_smooth_px > 0) {
      cv::Mat smooth;
      cv::GaussianBlur(plain, smooth, cv::Size(), choice_smooth_px, 0, cv::BORDER_REFLECT);
      WindowRange(smooth, kernel, chosen_lo, chosen_hi);
    }
    // The cells read curvature energy (a blur takes it away much faster
    // than the gradient's).
    cv::Mat energy_plain, energy_out, curve_plain, curve_out;
    Energies(plain, energy_plain, curve_plain);
    Energies(out, energy_out, curve_out);
    Sums& sum = sums[strip];
    StripCells& cell = strip_cells[strip];
    cell.first_row = (outer.start + inner.start) / cells.block_px;
    const int cell_rows = (outer.start + inner.end - 1) / cells.block_px - cell.first_row + 1;
    for (auto* v : {&cell.edge_pixels, &cell.energy_output, &cell.energy_plain, &cell.noise_var})
      v->assign(size_t(cells.cols) * cell_rows, 0.0);
    for (int r = inner.start; r < inner.end; ++r) {
      const size_t cell_row = size_t((outer.start + r) / cells.block_px - cell.first_row) * cells.cols;
      const float *o = out.ptr<float>(r), *l = lo.ptr<float>(r), *h = hi.ptr<float>(r), *p = plain.ptr<float>(r),
                  *cl = choice_smooth_px > 0 ? chosen_lo.ptr<float>(r) : nullptr,
                  *ch = choice_smooth_px > 0 ? chosen_hi.ptr<float>(r) : nullptr,
                  *ep = energy_plain.ptr<float>(r), *eo = energy_out.ptr<float>(r),
                  *cp = curve_plain.ptr<float>(r), *co = curve_out.ptr<float>(r);
      float* map = with_map ? m.map.ptr<float>(outer.start + r) : nullptr;
      for (int c = 0; c < out.cols; ++c) {
        const float span = h[c] - l[c];
        const int level = std::clamp(static_cast<int>(p[c] + 0.5f), 0, 255);
        const double var = double(sigma[level]) * sigma[level];
        if (ch && ch[c] - cl[c] >= edge_span[level]) sum.chosen.Add(ep[c], eo[c], var);
        if (span < edge_span[level]) continue;
        const float overshoot = std::max(0.0f, o[c] - h[c]) + std::max(0.0f, l[c] - o[c]);
        sum.at_edges.Add(ep[c], eo[c], var);
        sum.relative += std::min(1.0f, overshoot / span);
        if (map) map[c] = overshoot;
        if (span < cell_span[level]) continue;
        const size_t i = cell_row + c / cells.block_px;
        cell.edge_pixels[i] += 1;
        cell.energy_plain[i] += cp[c];
        cell.energy_output[i] += co[c];
        cell.noise_var[i] += var;
      }
    }
  });
  for (const StripCells& strip : strip_cells) {
    const size_t offset = size_t(strip.first_row) * cells.cols;
    for (size_t i = 0; i < strip.edge_pixels.size(); ++i) {
      cells.edge_pixels[offset + i] += strip.edge_pixels[i];
      cells.energy_plain[offset + i] += strip.energy_plain[i];
      cells.energy_output[offset + i] += strip.energy_output[i];
      cell_noise_var[offset + i] += strip.noise_var[i];
    }
  }
  Sums total;
  for (const Sums& s : sums) {
    total.relative += s.relative;
    total.at_edges.Add(s.at_edges);
    total.chosen.Add(s.chosen);
  }
  const double edge_pixels = total.at_edges.pixels;
  m.edge_area_pct = 100.0 * edge_pixels / static_cast<double>(output_luma.total());
  if (edge_pixels > 0) m.overshoot_pct = 100.0 * total.relative / edge_pixels;
  // The edges' own energy: each plane's less its noise's (never below 0),
  // the noise taken off at most kMaxNoiseShare of the enlargement's energy
  // (an estimate off by a little must not make a small difference of large
  // energies the whole reading). Read at the pixels the smoothed
  // enlargement chose, or where it chose none (its smoothing can take a
  // faint edge under the span needed) at the edge pixels themselves.
  const EdgeEnergy& energy = total.chosen.pixels > 0 ? total.chosen : total.at_edges;
  const double noise_off = std::min(unit.gradient * energy.noise_var, kMaxNoiseShare * energy.plain);
  const double signal_plain = energy.plain - noise_off;
  const double signal_output = std::max(0.0, energy.output - noise_off * out_share);
  if (signal_plain > 0) m.detail_retained = std::sqrt(signal_output / signal_plain);
  // The blocks' noise energy, which each cell takes off (qa_local_detail.h).
  cells.noise_energy.resize(cells.edge_pixels.size());
  for (size_t i = 0; i < cells.edge_pixels.size(); ++i) cells.noise_energy[i] = unit.curvature * cell_noise_var[i];
  cells.output_noise_share = out_share;
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

NoiseChange MeasureNoiseChange(const cv::Mat& input_luma, const cv::Mat& output_luma, const cv::Mat& plain_luma) {
  CV_Assert(input_luma.size() == output_luma.size() && input_luma.type() == CV_32FC1);
  CV_Assert(plain_luma.empty() || plain_luma.size() == input_luma.size());
  NoiseOptions options;
  options.compute_map = true;
  options.max_patches = 500;  // only the map is used: keep the global PCA estimate cheap
  options.level_bins = 0;     // nor the output's noise level function
  options.read_correlated = false;  // both maps read alike, at the pixels' scale (as QA's limits were set)
  NoiseOptions input_options = options;
  input_options.level_bins = 6;  // the input's level function, for the edges' noise (EdgeNoise)
  const NoiseMeasurement input = MeasureNoise(input_luma, input_options);
  const cv::Mat& in_map = input.map;
  const cv::Mat out_map = MeasureNoise(output_luma, options).map;
  NoiseChange m;
  m.input_noise_sigma_8bit = input.result.luma_sigma;
  m.input_level_function = input.result.level_function;
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
  cv::Mat plain_map;
  if (!plain_luma.empty()) plain_map = MeasureNoise(plain_luma, options).map;
  if (plain_map.size() != in_map.size()) plain_map.release();
  // The reference over `blocks`: the plain enlargement's σ when there is
  // one (what a noise-keeping enlargement reads after the same round trip),
  // else the input's.
  auto reference = [&](const cv::Mat& blocks) {
    return cv::mean(plain_map.empty() ? in_map : plain_map, blocks)[0];
  };
  if (!plain_map.empty()) m.sigma_plain_8bit = cv::mean(plain_map, quiet)[0];
  m.sigma_reference_8bit = reference(quiet);
  m.reference_is_plain = m.sigma_plain_8bit.has_value();
  // Both sides floored: noise under a level is invisible on either (an
  // image compared with itself reads 1, not its own σ).
  auto ratio = [](double out, double in) { return std::max(out, kQaNoiseFloor8bit) / std::max(in, kQaNoiseFloor8bit); };
  m.amplification = ratio(m.sigma_output_8bit, m.sigma_reference_8bit);
  // The shadows: quiet blocks whose input mean is dark (noise shows most there).
  cv::Mat block_mean;
  cv::resize(input_luma, block_mean, in_map.size(), 0, 0, cv::INTER_AREA);
  const cv::Mat dark_quiet = quiet & (block_mean < kShadowLevel8bit);
  if (cv::countNonZero(dark_quiet) >= kMinShadowBlocks)
    m.shadow_amplification = ratio(cv::mean(out_map, dark_quiet)[0], reference(dark_quiet));
  return m;
}

namespace {

// The local σ, 8-bit levels, under which an area is a grainless plateau.
double PaintedPlateau8bit(double noise_sigma_8bit) {
  return std::min(kPaintedPlateauShare * noise_sigma_8bit, kPaintedPlateauMax8bit);
}

}  // namespace

cv::Mat NoisyFlatMask(const cv::Mat& luma, double noise_sigma_8bit) {
  CV_Assert(luma.type() == CV_32FC1);
  // An area that is already a plateau (a screenshot's panel, a clipped
  // highlight) has no grain to lose: it is not a noisy flat.
  const cv::Mat sigma = LocalSigma(luma);
  return (sigma <= kPaintedFlatNoiseShare * noise_sigma_8bit + kPaintedFlatMargin8bit) &
         (sigma >= PaintedPlateau8bit(noise_sigma_8bit));
}

double NoisyFlatPct(const cv::Mat& pixels, double noise_sigma_8bit) {
  if (pixels.empty()) return 0.0;
  // LocalSigma's window (Gaussian σ 1.5 px) reaches 5 px: a strip read with
  // that much context on each side counts its own rows as the whole would.
  constexpr int kContextRows = 8;
  std::vector<int64_t> counts((pixels.rows + kStripRows - 1) / kStripRows, 0);
  ForEachStrip(pixels.rows, kContextRows, [&](int strip, cv::Range outer, cv::Range inner) {
    const cv::Mat mask = NoisyFlatMask(LumaF32(pixels.rowRange(outer)), noise_sigma_8bit);
    counts[strip] = cv::countNonZero(mask.rowRange(inner));
  });
  int64_t noisy = 0;
  for (int64_t n : counts) noisy += n;
  return 100.0 * static_cast<double>(noisy) / static_cast<double>(pixels.total());
}

PaintedFlatMeasure MeasurePaintedFlats(const cv::Mat& input_luma, const cv::Mat& output_luma,
                                       double input_noise_sigma_8bit, bool with_map) {
  CV_Assert(input_luma.size() == output_luma.size() && input_luma.type() == CV_32FC1 &&
            output_luma.type() == CV_32FC1);
  PaintedFlatMeasure m;
  if (input_noise_sigma_8bit < kPaintedFlatMinNoise8bit) return m;
  const cv::Mat noisy_flat = NoisyFlatMask(input_luma, input_noise_sigma_8bit);
  const double noisy_pixels = cv::countNonZero(noisy_flat);
  m.noisy_flat_area_pct = 100.0 * noisy_pixels / static_cast<double>(input_luma.total());
  if (m.noisy_flat_area_pct < kPaintedFlatMinAreaPct) return m;
  m.measured = true;
  // An output that keeps a plateau flat painted nothing: only the noisy
  // flats count.
  const cv::Mat painted = noisy_flat & (LocalSigma(output_luma) < PaintedPlateau8bit(input_noise_sigma_8bit));
  m.painted_pct = 100.0 * cv::countNonZero(painted) / noisy_pixels;
  if (with_map) painted.convertTo(m.map, CV_32F, 1.0 / 255.0);
  return m;
}

}  // namespace acuity
