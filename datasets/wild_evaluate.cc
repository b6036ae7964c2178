// wild_evaluate: the readings of issue #17 on images made the way real files
// are, scored against their ground truth, written as the "wild" block of
// datasets/RESULTS.md (the rest of the file is evaluate's and is kept):
//   - noise level function on signal-dependent (shot + read) noise, then a
//     demosaic-like correlation and JPEG q90;
//   - motion blur of 3–25 px at every angle on every real scikit-image photo,
//     and its negatives (sharp photos, crops, fences, Gaussian blur, noise);
//   - over-sharpening (`oversharpening.detected`, halo_score) on every photo
//     and on crops by content class, with a held-out half.
//
//   build/datasets/wild_evaluate --out datasets/RESULTS.md     # ~5 min on 2 busy cores
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "analysis/measurements/motion_blur.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/noise.h"
#include "analysis/measurements/oversharpening.h"
#include "datasets/ladder.h"
#include "datasets/stats.h"
#include "datasets/wild_ladders.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/wild_degradations.h"

ABSL_FLAG(std::string, out, "", "RESULTS.md whose wild block to write (created when missing); empty: stdout");
ABSL_FLAG(std::string, photo_dir, "/usr/lib/python3/dist-packages/skimage/data", "scikit-image's photos");
ABSL_FLAG(bool, details, false, "print every reading that misses its target to stderr");
ABSL_FLAG(std::string, only, "", "one section only: noise, motion, oversharpening (empty: all)");

namespace acuity::datasets {
namespace {


std::string Pct(double share) { return std::isnan(share) ? "—" : fmt::format("{:.1f} %", 100 * share); }
std::string Met(bool met) { return met ? "**met**" : "**missed**"; }
double Share(int k, int n) { return n ? double(k) / n : NAN; }

// ---------------------------------------------------------------- noise ---

std::string NoiseSection(const std::string& dir) {
  const std::vector<std::string> names = {"astronaut", "coffee", "chelsea", "camera", "coins",
                                          "motorcycle_left", "rocket", "moon", "brick", "gravel"};
  struct Condition { const char* name; double mix; int q; };
  const Condition conditions[] = {{"shot + read noise", 0, 0}, {"… + demosaic-like correlation", 0.5, 0},
                                  {"… + JPEG q90", 0, 90}};
  const double ab[][2] = {{0.25, 1.0}, {1.0, 2.0}, {2.5, 4.0}};
  const int kBins[] = {1, 3, 4};  // the bins holding levels 64, 128 and 192 (6 bins)
  std::string rows;
  int total_within = 0, total_n = 0;
  std::vector<WildItem> photos;
  for (const WildItem& p : WildPhotos(dir))
    if (std::find(names.begin(), names.end(), p.name) != names.end()) photos.push_back(p);
  for (const Condition& c : conditions) {
    int within = 0, n = 0, missing = 0;
    std::vector<double> errors, global_errors;
    for (const WildItem& p : photos)
      for (const auto& pair : ab) {
        const CameraNoise noise{pair[0], pair[1], c.mix, c.q};
        const cv::Mat noisy = AddCameraNoise(p.image, noise, NameSeed(p.name + c.name) + int(pair[0] * 100));
        const NoiseResult r = MeasureNoise(noisy).result;
        for (int bin : kBins) {
          if (r.level_function.size() != 6) break;
          const NoiseLevelBin& b = r.level_function[bin];
          const std::optional<double> truth = TrueNoiseSigma(p.image, noise, b.level_from_8bit, b.level_to_8bit);
          if (!truth) continue;
          if (!b.sigma) { ++missing; continue; }
          const double e = std::abs(*b.sigma - *truth) / *truth;
          errors.push_back(e);
          within += e <= 0.2;
          if (e > 0.2 && absl::GetFlag(FLAGS_details))
            std::cerr << fmt::format("noise {} {} a={} bin {}: {:.2f} vs true {:.2f}\n", c.name, p.name, pair[0], bin,
                                     *b.sigma, *truth);
          ++n;
        }
        const double whole = *TrueNoiseSigma(p.image, noise, 0, 256);
        if (r.sigma) global_errors.push_back(std::abs(*r.sigma - whole) / whole);
      }
    std::sort(errors.begin(), errors.end());
    rows += fmt::format("| {} | {} | {} | {:.1f} % | {:.1f} % | {} | {:.1f} % |\n", c.name, n, Pct(Share(within, n)),
                        errors.empty() ? NAN : 100 * errors[errors.size() / 2],
                        errors.empty() ? NAN : 100 * errors.back(), missing, 100 * Mean(global_errors));
    if (c.mix == 0 && c.q == 0) total_within += within, total_n += n;
  }
  return fmt::format(
      "## Noise level function (signal-dependent noise)\n\n"
      "{} photos (2× area-downscaled, ≤ 512 px) × noise of variance a·I + b for (a, b) = (0.25, 1), (1, 2), "
      "(2.5, 4) (8-bit units, I the clean level); then the same noise correlated like a demosaic "
      "(`0.5·δ + 0.5·[1 2 1]ᵀ[1 2 1]/16`, truth scaled by its gain 0.64 on white noise), or the plain "
      "noise JPEG-compressed at q90 (truth: the noise before JPEG). Scored: `noise.level_function` σ in the "
      "bins holding levels 64, 128 and 192 (42–85, 128–170, 170–212) against √(a·Ī + b), Ī the clean "
      "image's mean level in the bin. `noise.sigma` column: its error against √(a·Ī + b) over the whole "
      "image. A bin is read only when its weak-texture iteration ends on ≥ 294 patches (6 per dimension of "
      "the 7×7 patch covariance); fewer was texture read as noise (up to +135 %): \"not measured\" instead.\n\n"
      "| noise | bin readings | within 20 % | median error | worst error | bins not measured | `noise.sigma` "
      "error (mean) |\n|---|---|---|---|---|---|---|\n{}\n"
      "Target: σ at three brightness levels within 20 % on the shot + read ladder — {} of the readings within "
      "20 %: {} (target ≥ 90 % of readings). Correlated and JPEG-compressed noise read lower: the PCA "
      "estimator sees the noise's white (high-frequency) part only, which a demosaic or JPEG removes.\n\n",
      photos.size(), rows, Pct(Share(total_within, total_n)), Met(Share(total_within, total_n) >= 0.9));
}

// ----------------------------------------------------------- motion blur ---


// Motion blur as `analyze` reads it (in native pixels when enlarged by a
// kernel): its steps, on a JPEG file's coding grid when `jpeg`.
MotionBlurResult MotionAsAnalyzed(const cv::Mat& pixels, bool jpeg) {
  Image image;
  image.pixels = pixels;
  if (jpeg) image.info.jpeg.emplace();
  AnalysisReport report;
  for (const Measurement which : {Measurement::kCompression, Measurement::kNativeScale, Measurement::kMotionBlur})
    RunMeasurement(which, image, /*compute_map=*/false, &report);
  return report.motion_blur;
}

std::string MotionSection(const std::string& dir) {
  const std::vector<WildItem> photos = WildPhotos(dir);
  const double lengths[] = {3, 5, 7, 9, 12, 15, 20, 25};
  std::string rows;
  int long_n = 0, long_detected = 0, long_angle = 0, long_length = 0;
  std::map<std::string, std::pair<int, int>> by_photo;  // length ≥ 7: detected, files
  int missed_shallow = 0, missed_vote = 0, missed_echo = 0;  // length ≥ 7: why not detected
  for (const double length : lengths) {
    int n = 0, detected = 0, angle_ok = 0, length_ok = 0;
    for (const WildItem& p : photos)
      for (int variant = 0; variant < 2; ++variant) {  // noise σ 2; noise σ 4 then JPEG q90
        const std::string name = fmt::format("{}_L{}_{}", p.name, length, variant);
        const double angle = double(NameSeed(name) % 1800) / 10.0;
        cv::Mat smeared = testing::AddNoise(testing::MotionBlur(p.image, length, angle), variant ? 4.0 : 2.0,
                                            NameSeed(name));
        if (variant) smeared = JpegRoundTrip(smeared, 90);
        const MotionBlurResult r = MotionAsAnalyzed(smeared, variant);
        ++n;
        if (length >= 7) {
          ++by_photo[p.name].second;
          by_photo[p.name].first += r.detected.value_or(false);
          if (!r.detected.value_or(false))
            ++(r.score.value_or(0) < kMotionBlurFalloffVoteScore ? missed_shallow
               : r.score.value_or(0) < kMotionBlurDetectScore  ? missed_vote
                                                                : missed_echo);
        }
        if (length >= 7 && absl::GetFlag(FLAGS_details))
          std::cerr << fmt::format(
              "motion {} {} angle {:.1f}: score {:.1f} echo {:.1f} falloff {:.3f} edges {:.2f} read {:.1f} px at {:.1f}\n",
              r.detected.value_or(false) ? "found" : "missed", name, angle, r.score.value_or(NAN),
              r.echo_score.value_or(NAN), r.falloff_ratio.value_or(NAN), r.edge_softness_px.value_or(NAN),
              r.length_px.value_or(NAN), r.angle_deg.value_or(NAN));
        if (!r.detected.value_or(false)) continue;
        ++detected;
        angle_ok += DirectionDifferenceDeg(*r.angle_deg, angle) <= 15.0;
        length_ok += std::abs(*r.length_px - length) <= 0.25 * length;
      }
    rows += fmt::format("| {:.0f} | {} | {} | {} | {} |\n", length, n, Pct(Share(detected, n)),
                        Pct(Share(angle_ok, detected)), Pct(Share(length_ok, detected)));
    if (length >= 7) long_n += n, long_detected += detected, long_angle += angle_ok, long_length += length_ok;
  }
  // Negatives.
  struct Group { std::string name; int n = 0, alarms = 0; std::string which; };
  std::map<std::string, Group> groups;
  auto negative = [&](const std::string& group, const std::string& name, const cv::Mat& image) {
    const MotionBlurResult r = MotionAsAnalyzed(image, name.find("q90") != std::string::npos);
    if (absl::GetFlag(FLAGS_details))
      std::cerr << fmt::format("motion negative {} {}: echo {:.1f} score {:.1f} falloff {:.3f} edges {:.2f}\n", group,
                               name, r.echo_score.value_or(NAN), r.score.value_or(NAN), r.falloff_ratio.value_or(NAN),
                               r.edge_softness_px.value_or(NAN));
    Group& g = groups[group];
    g.name = group;
    ++g.n;
    if (r.detected.value_or(false)) {
      ++g.alarms;
      g.which += fmt::format("{}{} ({:.0f} px, score {:.1f})", g.which.empty() ? "" : ", ", name, *r.length_px,
                             *r.score);
    }
  };
  const std::vector<std::string> lined = {"brick", "text", "camera", "page", "bw_text"};
  for (const WildItem& p : photos) {
    const bool lines = std::find(lined.begin(), lined.end(), p.name) != lined.end();
    negative(lines ? "sharp photos with strong lines" : "other sharp photos", p.name, p.image);
    negative("Gaussian blur σ 1.5 / 3 px", p.name + " σ1.5", GaussianBlur(p.image, 1.5));
    negative("Gaussian blur σ 1.5 / 3 px", p.name + " σ3", GaussianBlur(p.image, 3.0));
    negative("AWGN σ 8", p.name, testing::AddNoise(p.image, 8.0, NameSeed(p.name)));
    // An interpolated upscale's kernel nulls and band edge read as a short
    // smear but for its native pixels (MotionBlurResult::shorter_than_native_pixels).
    for (const int factor : {2, 3, 4}) {
      cv::Mat small, up;
      cv::resize(p.image, small, cv::Size(), 1.0 / factor, 1.0 / factor, cv::INTER_AREA);
      for (const auto& [kernel, kernel_name] : {std::pair<int, const char*>{cv::INTER_CUBIC, "bicubic"}, {cv::INTER_LANCZOS4, "Lanczos"}}) {
        cv::resize(small, up, cv::Size(), factor, factor, kernel);
        negative("interpolated upscales ×2–×4 (bicubic, Lanczos)", fmt::format("{} {} ×{}", p.name, kernel_name, factor), up);
      }
    }
  }
  for (const WildItem& c : ContentCrops(dir))
    negative(c.content == "architecture" || c.content == "text" ? "sharp photos with strong lines"
                                                                : "other sharp photos",
             c.name, c.image);
  for (const WildItem& f : Fences()) negative("sharp photos with strong lines", f.name, f.image);
  // Flat graphics: a rectangle of width W has the spectrum of a box blur of
  // W, so logos, charts and flat-colour products look smeared to the
  // cepstrum; their edges are steps.
  for (const WildItem& g : FlatGraphics()) negative("flat graphics (logos, charts, UI, flat products)", g.name, g.image);
  std::string weak;  // photos where fewer than 90 % are found
  std::string worst;
  double worst_share = 2;
  int half_found[2] = {0, 0}, half_files[2] = {0, 0};  // every other photo: calibration (0), held out (1)
  for (size_t i = 0; i < photos.size(); ++i) {
    const auto& counts = by_photo[photos[i].name];
    half_found[i % 2] += counts.first, half_files[i % 2] += counts.second;
    if (const double share = Share(counts.first, counts.second); share < worst_share)
      worst_share = share, worst = photos[i].name;
  }
  for (const auto& [photo, counts] : by_photo)
    if (counts.first < 0.9 * counts.second)
      weak += fmt::format("{}{} {}", weak.empty() ? "" : ", ", photo, Pct(Share(counts.first, counts.second)));
  std::string negatives;
  for (const auto& [key, g] : groups)
    negatives += fmt::format("| {} | {} | {} | {} |\n", g.name, g.n, Pct(Share(g.alarms, g.n)),
                             g.which.empty() ? "—" : g.which);
  const Group& lines = groups["sharp photos with strong lines"];
  const cv::Mat clock = ReadPhoto(dir, "clock_motion");
  MotionBlurResult real;
  if (!clock.empty()) real = MotionAsAnalyzed(clock, false);
  const bool met = Share(long_detected, long_n) >= 0.9 && Share(long_angle, long_detected) >= 0.9 &&
                   Share(long_length, long_detected) >= 0.9 && Share(lines.alarms, lines.n) <= 0.05;
  return fmt::format(
      "## Motion blur\n\n"
      "Every real scikit-image photo ({} photos: alpha dropped, halved when ≥ 512 px, ≤ 512 px) smeared by a "
      "straight movement (`testing::MotionBlur`: an anti-aliased line kernel) of each length at an angle "
      "drawn from the file name, then AWGN σ 2 — or σ 4 and JPEG q90. Angle right when within 15°, length "
      "when within 25 %.\n\n"
      "| length (px) | files | detected | angle within 15° | length within 25 % |\n|---|---|---|---|---|\n{}\n"
      "Photos under 90 % (length ≥ 7 px): {}; worst photo {} ({}). Every other photo (in the order of "
      "datasets/wild_ladders.cc) is the calibration half, the rest held out: detected {} (calibration) and {} "
      "(held out) at length ≥ 7 px. Of the {} misses at length ≥ 7 px, {} have a dip under the score 6, {} a "
      "dip of 6–12 without the falloff vote (falloff ratio over 0.1 or echo under 0) and {} a dip of 12 or more "
      "turned down by the echo test.\n\n"
      "Negatives (`detected` is a false alarm):\n\n| set | files | false alarms | which |\n|---|---|---|---|\n{}\n"
      "Length ≥ 7 px: detected {}, angle within 15° {}, length within 25 % {} (targets ≥ 90 %); false alarms on "
      "sharp photos with strong lines {} (target ≤ 5 %): {}. scikit-image's `clock_motion` (a real "
      "horizontally motion-blurred photo): detected {}, {}.\n\n"
      "The second vote (falloff ratio; MotionBlurResult::falloff_ratio): along the dip's direction, the power "
      "at 0.08–0.3 cycles/px (noise floor removed) over the power at 0.008–0.02 cycles/px, divided by the same "
      "ratio across it. A smear crushes the high band along its direction and keeps the low one; brick, text "
      "and fences lack detail along their lines at every frequency, so their ratio stays near 1 (fences can "
      "read 0, with a positive echo peak). Chosen on the calibration half only (score ≥ 6, falloff ratio ≤ 0.1, "
      "echo ≥ 0: calibration 71.7 % → 83.3 % with no new false alarm), then the held-out half read once "
      "(84.3 % → 95.4 %). On the negatives with a dip of 6 or more, the smallest falloff ratios are a fence "
      "(0.001, echo −8.5, turned down), bw_text@0,0 0.14, a fence 0.16 and text@224,0 0.25. A global gradient "
      "structure tensor (Scharr, noise share from the MAD of the Laplacian subtracted) was tried first: its "
      "least/greatest eigenvalue ratio is 0.3–0.8 on most misses (a smooth photo changes little over the smear, "
      "so its gradient along the smear barely drops: cell smeared 12 px at 30° reads 0.64 even without noise) "
      "and near 0 on fences, brick and text; the spectral band ratio (least orientation over greatest, noise "
      "floor removed) separates better but still alarms on brick and text at the same detection.\n\n"
      "The edge witness (MotionBlurResult::edge_softness_px, motion_edges.h): a rectangle of width W has the "
      "spectrum of a box blur of W, so logos, charts, UI screenshots and products drawn in flat colours gave "
      "deep dips with echoes (a flat product shot on white: score 10 646, read as a 20-px smear). When the "
      "spectral votes find a smear, the straight strong edges whose normal lies within 45° of it (a smear of "
      "L px still spreads those over 0.7 L or more) are read with the "
      "two-scale gradient ratio of blur.h; the softer fifth must read σ ≥ 1.3 px. The flat graphics above "
      "read 0.75–1.12 px; the ladder's smears that the spectrum finds read 1.32 px and more when enough "
      "edges cross them (most long smears leave too few straight edges across: then the spectral votes "
      "decide alone). It cost 3 files at 3–5 px (under the 7-px target range) and none at 7 px or more. "
      "Held out (drawn separately with numpy and scikit-image: a flat product, a logo, a UI, a bar chart): 3 "
      "read a smear before, 1 with the edges within 22.5° of the smear read — the bar chart, at 122°, a "
      "direction none of its edges crosses within 22.5° — and none with 45°. Twelve more bar charts drawn "
      "with PIL (bitmap-font labels, grid lines or none, PNG and JPEG q85): 4 read a smear at about 120° with "
      "22.5°, none with 45° (these chose 45°: not held out any more; the ladder's figures above did not move).\n\n"
      "The echo's shape (issue #25): rocket smeared 10 px upwards and saved as a JPEG read a dip of 14.5 "
      "turned down by its echo (−7.7): its towers and the rocket run along the smear and lay a broad cepstral "
      "ridge of their own on that line, deep enough to hide the echo's depth but not its shape. The echo is "
      "now read at twice the dip's sub-pixel offset against the mean of the cepstrum at 1.75 and 2.25 times "
      "it on the same line (before: at twice the whole-pixel offset, against 0). On this ladder: detected at "
      "length ≥ 7 px 89.0 % → 88.6 % (cell 12 px, a falloff-vote file, now reads echo −0.7), false alarms "
      "on AWGN σ 8 and on Gaussian blur 5.3 % and 2.6 % → 0 (coffee: echo 0.1 and 0.5); the fences still "
      "read −9 and −15. Test: `MotionBlurTest.ASmearAlongTheContentsOwnLinesIsFound` (rocket 8–20 px "
      "upwards, JPEG q90, of which 8 and 10 px were missed before; held out: camera, grass, "
      "motorcycle_left, coins 10 px upwards).\n\n"
      "Read in native pixels (issue #25): a bicubic ×3 of coffee read \"motion blur 6 px at 90°\". An "
      "interpolated upscale's kernel nulls and the edge of its source band sit a few native pixels apart along "
      "both axes, and the cepstrum reads them as a short smear along one of them. A dip shorter than 6 px of "
      "the picture's native pixels (its length times `resolution.native_scale`, which `analyze` now reads "
      "first) is not reported (`shorter_than_native_pixels`): false alarms on the interpolated upscales above "
      "(each photo area-reduced by 2, 3 and 4, then enlarged back by bicubic and Lanczos) 34.2 % → 0.9 % "
      "(brick ×2: a 14-px dip along its courses, 7 native px), no smear of the ladder lost (no smeared photo "
      "reads as enlarged). A smear enlarged with its picture is still found at its enlarged length. Tried "
      "first: a smear has one direction, so a dip whose twin at the same length across it is nearly as deep "
      "is the grid's — the ladder's smears read a twin of at most 0.35 of their dip, but 8 of the 114 "
      "upscales also read under 0.5. Test: `MotionBlurTest.AnInterpolatedUpscaleIsNotASmearButAnEnlargedSmearIs`.\n\n"
      "A direction that kept its detail is no smear (issue #25, a newcomer's walk): the right half of coffee "
      "(a sharp cup before a shallow-focus wood grain) read \"smeared by motion along 97°\" — a dip of 20.0 with "
      "an echo along the grain — at blur σ 0.44 px; its falloff ratio was 2.09, where a smear crushes the "
      "high band along its direction. Neither vote now counts at a falloff ratio of 1 or more "
      "(`kMotionBlurNeverSmearFalloffRatio`): every smear the ladder finds reads 0.007–0.77 (and "
      "scikit-image's clock_motion 0.007); on this ladder the one 3-px detection (its angle wrong) and brick "
      "bicubic ×2 (the last false alarm above) went, nothing at 5 px or more. On 159 crops (halves and "
      "quarters) of 21 sharp scikit-image photos, that coffee half was the only alarm, before and none after. "
      "Test: `MotionBlurTest.ADipWhoseDirectionKeptItsDetailIsNoSmear`.\n\n"
      "Why the remaining misses (as measured when this was written): 20 of the 25 are the σ 4 + JPEG q90 "
      "variant (probably because JPEG removes part of the high band the falloff vote reads); retina's 5 misses "
      "have dips of 7–10 but falloff ratios of 0.19–4, and 3 of those dips point 40–84° off the movement; the "
      "12 dips under 6 (cell, moon, one rocket) are as shallow as those of sharp photos; 2 dips with a falloff "
      "ratio under 0.1 have a negative echo (cell 9 px, brick 9 px). Tried before the falloff vote, on this ladder, without a better detection at the same "
      "false alarms: "
      "2.8× more (overlapping) tiles, 128-px tiles below 512 px, the log spectrum weighted by its "
      "signal-to-noise share, the cepstrum normalised ring by ring, more cepstral smoothing (1.2 px: 88 % "
      "detected at score ≥ 9 but 11 % false alarms on the other negatives). Also tried: Yitzhaky & Kopeika's "
      "derivative autocorrelation (minus the second difference of the tile-summed autocorrelation along 180 "
      "rays; its most negative value at lags 6–40 px, in robust std-devs over those lags) has the angle within "
      "15° and the length within 25 % on 40 of the 228 files at length ≥ 7 px (23 with the spectrum whitened "
      "ring by ring), 6 of them among the then 51 misses: a sharp photo's own edges give negative values at "
      "5–15 px as deep as a smear's (moon smeared 12 px: −0.075 of lag 0; the sharp moon −0.092 at 5 px). Read "
      "at the cepstral dip's length and angle as a second vote, it is no deeper on the misses (median 2.4 "
      "std-devs) than on negatives with a cepstral score ≥ 6 (median 3.9). Letting a weaker dip pass when its "
      "echo is deep (score ≥ 9, echo ≥ 1) detected 82.9 % but alarmed on brick (strong lines), bw_text σ1.5 "
      "and coffee σ1.5.\n\n",
      photos.size(), rows, weak.empty() ? "none" : weak, worst, Pct(worst_share),
      Pct(Share(half_found[0], half_files[0])), Pct(Share(half_found[1], half_files[1])), missed_shallow + missed_vote + missed_echo,
      missed_shallow, missed_vote, missed_echo, negatives, Pct(Share(long_detected, long_n)), Pct(Share(long_angle, long_detected)),
      Pct(Share(long_length, long_detected)), Pct(Share(lines.alarms, lines.n)), Met(met),
      real.detected ? (*real.detected ? "yes" : "no") : "not measured",
      real.length_px ? fmt::format("{:.1f} px at {:.0f}°", *real.length_px, *real.angle_deg)
                     : fmt::format("score {:.1f}", real.score.value_or(NAN)));
}

// ------------------------------------------------------- over-sharpening ---

struct HaloReading {
  std::string content;
  bool held_out = false;
  bool positive = false;
  double score = 0;
  bool detected = false;
};

// Why the over-sharpening targets are missed, as measured on this set, and
// what was tried against it (issue #17, second pass; the alternatives were
// read on the calibration half first, the held-out half once).
constexpr char kOversharpeningLeft[] =
    " What is left (misses within 0.25 decades of the line): soft images sharpened at amount 2–3 — chelsea's fur, cell, moon, hubble_deep_field, retina: their edges are wider than the mask's radius, so the halos stay weak (fur ranks right, AUC 0.99, but below the line) — and false positives on amount 0.5 at radius 2 px and on images that read sharpened at the source (coins, a rocket crop, page, grass). Texture mixes both and is the worst class."
    "\n\nTried since (issue #17, second pass), none adopted: the score is unchanged. Each candidate was added as a fourth log10 term to the evidence, its weight on a grid (−1…1 in steps of 0.1, with narrow 0–1 and probe −0.9…−0.4 as the fit's), chosen by ROC AUC on the calibration half; the held-out half was read once (the candidates were read by a local, unkept variant of `datasets/oversharpening_calibration` with extra columns, fitted as `datasets/fit_oversharpening.py` does). "
    "(1) Other probes, for a content-aware normalisation: the opposing shares after a wide test sharpening (amount 1, σ 2 px), after a strong one (amount 3, σ 1 px) and after a Gaussian blur (σ 1 px: an image's halos fade, natural texture less). "
    "(2) The noise spectrum's tilt: log10 of the energy of the finest band (L − G₀.₇ L) over the next (G₀.₇ L − G₁.₅ L) in the flattest 30 % of the image (an unsharp mask raises the fine band of the noise by up to (1 + a)²); alone it reads ROC AUC 0.69. "
    "Kept to the fit's rule (both ladder AUCs ≥ 0.972), the best candidate reads 0.904 on the calibration half against today's 0.901 (the noise tilt at weight 0.1: held-out 0.948, all 0.924, accuracy 86.2 %): no gain beyond noise. Free of the ladders, the best reached 0.935–0.940 on the calibration half (the blurred image's wide share; the noise tilt) but broke the ladders (natural-ladder AUC 0.898 / 0.944, target 0.97), and the blur probe did not hold on the held-out half (0.945 → 0.913); a logistic fit of all ten probe shares (no ladder check) read 0.937 calibration / 0.928 held-out. "
    "(3) The edge profile (the lobe-to-step ratio of the median profile across strong isolated straight edges, as `overshoot_pct` reads it): measured on only 47 % of the files (none of foliage and text, 30 % of texture: too few isolated straight edges with flat plateaus), ROC AUC 0.82 calibration / 0.76 held-out where measured; fur, measured, ranks backwards (0.40). "
    "The lobe height is not independent of edge width: a step blurred to σ_e, unsharp-masked at (a, r), overshoots by (1 + a)·Φ(t/σ_e) − a·Φ(t/√(σ_e² + r²)) − 1 at most — 9.6 % of the contrast at σ_e = r = 1 px, a = 2; 0.75 % at σ_e = 2 px; 0.04 % at σ_e = 3 px (0.18 % at a = 3). On a soft image a radius-1 mask leaves no halo to read, only a steeper edge, which a naturally sharp image has too: the limit of any halo reading on those misses. "
    "(4) The score's components per class: the clean images that read over-sharpened at the source (coins, page, grass, the rocket crop) have a narrow opposing share 0.17–0.5 decades above their class's clean mean; the probe's share rises by 0.1–0.5 decades with it, so its term (× −0.75) takes back part of it, not all; their wide share lies between their class's clean and sharpened means (coins −3.49, photo clean −3.84, sharpened −3.39, in log10), so the wide pair does not separate them either. The other false positives are amount 0.5 at r = 2 px.";

std::string OversharpeningSection(const std::string& dir) {
  std::vector<WildItem> items = WildPhotos(dir);
  for (WildItem& c : ContentCrops(dir)) items.push_back(std::move(c));
  struct Usm { double amount, radius; };
  const Usm negatives[] = {{0, 0}, {0.3, 1}, {0.5, 1}, {0.3, 2}, {0.5, 2}};
  const Usm positives[] = {{2, 1}, {3, 1}, {2, 2}, {3, 2}};
  std::vector<HaloReading> readings;
  std::map<std::string, int> seen;
  std::string unmeasured;  // items whose images get no halo_score (two-level)
  int unmeasured_files = 0;
  for (const WildItem& item : items) {
    const bool held_out = seen[item.content]++ % 2 == 1;  // every other item of a class
    auto read = [&](const Usm& u, bool positive) {
      const cv::Mat image = u.amount > 0 ? UnsharpMask(item.image, u.amount, u.radius) : item.image;
      const OversharpeningResult r = MeasureOversharpening(image).result;
      if (!r.halo_score) {
        if (u.amount == 0) unmeasured += fmt::format("{}{}", unmeasured.empty() ? "" : ", ", item.name);
        ++unmeasured_files;
        return;
      }
      readings.push_back({item.content, held_out, positive, *r.halo_score, r.detected.value_or(false)});
    };
    for (const Usm& u : negatives) read(u, false);
    for (const Usm& u : positives) read(u, true);
  }
  auto row = [&](const std::string& label, auto keep) {
    std::vector<double> pos, neg;
    int tp = 0, tn = 0;
    for (const HaloReading& h : readings) {
      if (!keep(h)) continue;
      (h.positive ? pos : neg).push_back(h.score);
      (h.positive ? tp : tn) += h.detected == h.positive;
    }
    const double auc = RocAuc(pos, neg);
    const double accuracy = Share(tp + tn, int(pos.size() + neg.size()));
    return std::make_tuple(fmt::format("| {} | {} / {} | {:.3f} | {} | {} | {} |\n", label, pos.size(), neg.size(),
                                       auc, Pct(Share(tp, int(pos.size()))),
                                       Pct(1 - Share(tn, int(neg.size()))), Pct(accuracy)),
                           auc, accuracy);
  };
  std::string rows;
  std::string worst;
  double worst_auc = 2, worst_accuracy = 2;
  for (const std::string content : {"photo", "foliage", "fur", "architecture", "faces", "text", "texture"}) {
    auto [text, auc, accuracy] = row(content, [&](const HaloReading& h) { return h.content == content; });
    rows += text;
    if (auc < worst_auc) worst_auc = auc, worst = content;
    worst_accuracy = std::min(worst_accuracy, accuracy);
  }
  auto [all_text, all_auc, all_accuracy] = row("**all**", [](const HaloReading&) { return true; });
  auto [held_text, held_auc, held_accuracy] = row("**held-out half**", [](const HaloReading& h) { return h.held_out; });
  rows += all_text + held_text;
  // The calibration half alone, next to the held-out half.
  const std::string cal_text = std::get<0>(row("calibration half", [](const HaloReading& h) { return !h.held_out; }));
  const bool met = all_auc >= 0.97 && all_accuracy >= 0.9;
  return fmt::format(
      "## Over-sharpening on any content\n\n"
      "Every real photo (as above) and {} full-resolution crops by content class (datasets/wild_ladders.cc), "
      "each clean and unsharp-masked (`x + a·(x − G_r * x)`): negatives clean and a = 0.3, 0.5 at r = 1, 2 px; "
      "positives a = 2, 3 at r = 1, 2 px. `halo_score` ROC AUC and `oversharpening.detected` (score ≥ 10) per "
      "class. The score's weights and detection level were fitted on the calibration half (every other item of "
      "each class) together with the ladders above (`datasets/oversharpening_calibration` + "
      "`datasets/fit_oversharpening.py`); the held-out half was used for nothing. Not measured (two-level "
      "images, where an unsharp mask clips back to the same pixels, so no reading can tell): {} ({} files, left "
      "out of the rows).\n\n"
      "| content | positives / negatives | ROC AUC | detected (amount ≥ 2) | false positives (clean, ≤ 0.5) | "
      "accuracy |\n|---|---|---|---|---|---|\n{}{}\n"
      "All: ROC AUC {:.3f}, accuracy {} (targets ≥ 0.97 and ≥ 90 %): {}. Held-out half: ROC AUC {:.3f}, accuracy "
      "{}. Worst class by AUC: {} ({:.3f}); worst accuracy of a class {}. Before the content-aware score (issue "
      "#17; one geometric mean of the opposing shares + 0.1 × spectral tilt) the same set read ROC AUC 0.833, "
      "accuracy 78.9 % (text 0.715)."
      "{}\n\n",
      items.size() - WildPhotos(dir).size(), unmeasured.empty() ? "none" : unmeasured, unmeasured_files, rows,
      cal_text, all_auc, Pct(all_accuracy), Met(met), held_auc, Pct(held_accuracy), worst, worst_auc,
      Pct(worst_accuracy), met ? "" : kOversharpeningLeft);
}

// Replaces the wild block of `path` (or appends it) with `block`, through a
// temporary file renamed over it.
bool WriteBlock(const std::string& path, const std::string& block) {
  std::string text;
  if (std::ifstream in(path); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  text = WithWildBlock(text, std::string(kWildBlockBegin) + "\n" + block + kWildBlockEnd + "\n");
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace
}  // namespace acuity::datasets

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Scores the wild-photo readings (issue #17). Usage: wild_evaluate --out datasets/RESULTS.md");
  absl::ParseCommandLine(argc, argv);
  using namespace acuity::datasets;
  const std::string dir = absl::GetFlag(FLAGS_photo_dir), only = absl::GetFlag(FLAGS_only);
  std::string block =
      "# Wild photos (issue #17)\n\nWritten by `build/datasets/wild_evaluate --out datasets/RESULTS.md` "
      "(this block only; `evaluate` writes the rest). Images are made in memory from scikit-image's photos.\n\n";
  if (only.empty() || only == "noise") block += NoiseSection(dir);
  if (only.empty() || only == "motion") block += MotionSection(dir);
  if (only.empty() || only == "oversharpening") block += OversharpeningSection(dir);
  std::cout << block;
  const std::string out = absl::GetFlag(FLAGS_out);
  if (!out.empty() && !WriteBlock(out, block)) {
    std::cerr << "wild_evaluate: cannot write " << out << "\n";
    return 1;
  }
  return 0;
}
