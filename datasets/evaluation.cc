#include "datasets/evaluation.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>

#include "datasets/evaluation_table.h"
#include "datasets/stats.h"

namespace acuity::datasets {
namespace {

// ---------------------------------------------------------------- noise
std::string NoiseSection(const std::vector<Observation>& obs) {
  const Getter ours = [](const Observation& o) { return o.ours.noise_sigma_8bit; };
  const Getter peer = [](const Observation& o) { return o.peer.estimate_sigma; };
  const Getter truth = [](const Observation& o) { return std::optional<double>(o.label.recipe.noise_sigma_8bit); };
  std::vector<Row> rows;
  auto add = [&](const std::string& what, const Filter& f, Goal goal, double bound, const std::string& target,
                 bool compare_with_peer) {
    Pairs a = Collect(obs, f, ours, truth), b = Collect(obs, f, peer, truth);
    const double ma = MeanAbsoluteError(a.est, a.truth), mb = MeanAbsoluteError(b.est, b.truth);
    std::string status = Status(ma, a, goal, bound);
    if (compare_with_peer && status == "**met**" && !(ma < mb)) status = "missed (not below the peer)";
    rows.push_back({fmt::format("{} (n={})", what, a.total()), target, Cell(ma, a), Cell(mb, b), status});
  };
  add("σ MAE, noise ladder, σ 3–25", [](const Observation& o) {
        return Ladder(o) == "noise" && InRange(o.label.recipe.noise_sigma_8bit, 3, 25);
      }, Goal::kAtMost, 0.5, "≤ 0.5 and < peer", true);
  add("σ MAE, noise ladder, all σ 2–30", [](const Observation& o) { return Ladder(o) == "noise"; }, Goal::kInfo, 0,
      "", false);
  add("σ MAE, blur+noise, σ 3–25", [](const Observation& o) {
        return Ladder(o) == "blur+noise" && InRange(o.label.recipe.noise_sigma_8bit, 3, 25);
      }, Goal::kInfo, 0, "", false);
  add("σ MAE, noise+JPEG (.jpg)", [](const Observation& o) { return Ladder(o) == "noise+jpeg"; }, Goal::kInfo, 0, "",
      false);
  add("σ read on clean images (label 0)", [](const Observation& o) { return Ladder(o) == "clean"; }, Goal::kInfo, 0,
      "", false);
  add("σ read on sharp textures: unsharp ladder (label 0)", [](const Observation& o) { return Ladder(o) == "sharpen"; },
      Goal::kInfo, 0, "", false);

  std::string s = "## Noise — `noise.sigma` (8-bit units)\n\n"
                  "Peer: scikit-image `estimate_sigma(average_sigmas=True, channel_axis=-1)`. Labels are the σ of the "
                  "added noise (the clean image's own residual noise is not added in).\n\n" +
                  Table(rows) + "\n<details><summary>σ MAE per photo, noise ladder σ 3–25</summary>\n\n"
                                "| photo | acuity | estimate_sigma |\n|---|---|---|\n";
  for (const std::string& photo : Photos(obs, "noise")) {
    const Filter f = [&](const Observation& o) {
      return o.label.photo == photo && Ladder(o) == "noise" && InRange(o.label.recipe.noise_sigma_8bit, 3, 25);
    };
    Pairs a = Collect(obs, f, ours, truth), b = Collect(obs, f, peer, truth);
    s += fmt::format("| {} | {} | {} |\n", photo, Cell(MeanAbsoluteError(a.est, a.truth), a),
                     Cell(MeanAbsoluteError(b.est, b.truth), b));
  }
  return s + "\n</details>\n\n";
}

// ---------------------------------------------------------------- blur
std::string BlurSection(const std::vector<Observation>& obs) {
  std::map<std::string, std::optional<double>> sigma0;  // per photo, read on the clean image
  for (const Observation& o : obs) {
    if (o.loaded && o.label.file == o.label.clean_file) sigma0[o.label.photo] = o.ours.blur_sigma_px;
  }
  // √(σ² − σ₀²): the part of the reading that the added blur explains.
  const Getter excess = [&](const Observation& o) -> std::optional<double> {
    auto it = sigma0.find(o.label.photo);
    if (!o.ours.blur_sigma_px || it == sigma0.end() || !it->second) return std::nullopt;
    const double d = *o.ours.blur_sigma_px * *o.ours.blur_sigma_px - *it->second * *it->second;
    return std::sqrt(std::max(0.0, d));
  };
  const Getter truth = [](const Observation& o) { return std::optional<double>(o.label.recipe.blur_sigma_px); };
  const Getter ours = [](const Observation& o) { return o.ours.blur_sigma_px; };
  const Getter peer = [](const Observation& o) { return o.peer.blur_effect; };
  const Filter ladder_1_3 = [](const Observation& o) {
    return Ladder(o) == "blur" && InRange(o.label.recipe.blur_sigma_px, 1, 3);
  };
  const Filter along_ladder = [](const Observation& o) { return Ladder(o) == "blur" || Ladder(o) == "clean"; };

  std::vector<Row> rows;
  Pairs m = Collect(obs, ladder_1_3, excess, truth);
  const double mae = MeanAbsoluteError(m.est, m.truth);
  rows.push_back({fmt::format("MAE of √(σ² − σ₀²) vs s, s 1–3 px (n={})", m.total()), "≤ 0.25 px", Cell(mae, m),
                  "— (no px unit)", Status(mae, m, Goal::kAtMost, 0.25)});

  // Spearman per photo along clean → blur 0.5 … 4.
  std::vector<double> rho_ours, rho_peer;
  std::string details = "| photo | σ₀ (clean) | MAE s 1–3 | ρ acuity | ρ blur_effect |\n|---|---|---|---|---|\n";
  Pairs all_ours;  // for null counting across photos
  for (const std::string& photo : Photos(obs, "blur")) {
    const Filter f = [&](const Observation& o) { return o.label.photo == photo && along_ladder(o); };
    Pairs a = Collect(obs, f, ours, truth), b = Collect(obs, f, peer, truth);
    all_ours.missing += a.missing;
    all_ours.est.insert(all_ours.est.end(), a.est.begin(), a.est.end());
    const double ra = a.missing ? NAN : Spearman(a.truth, a.est), rb = Spearman(b.truth, b.est);
    if (!std::isnan(ra)) rho_ours.push_back(ra);
    if (!std::isnan(rb)) rho_peer.push_back(rb);
    const Filter f13 = [&](const Observation& o) { return o.label.photo == photo && ladder_1_3(o); };
    Pairs p13 = Collect(obs, f13, excess, truth);
    details += fmt::format("| {} | {} | {} | {} | {} |\n", photo,
                           sigma0[photo] ? Num(*sigma0[photo]) : std::string(kNotMeasured),
                           Cell(MeanAbsoluteError(p13.est, p13.truth), p13), Cell(ra, a), Cell(rb, b));
  }
  const auto min_of = [](const std::vector<double>& v) { return v.empty() ? NAN : *std::min_element(v.begin(), v.end()); };
  Pairs peer_dummy;
  peer_dummy.est = rho_peer;
  rows.push_back({fmt::format("Spearman ρ along each ladder, worst photo ({} photos)", Photos(obs, "blur").size()), "≥ 0.99",
                  Cell(min_of(rho_ours), all_ours), Cell(min_of(rho_peer), peer_dummy),
                  Status(min_of(rho_ours), all_ours, Goal::kAtLeast, 0.99)});
  rows.push_back({"Spearman ρ along each ladder, mean", "", Cell(Mean(rho_ours), all_ours),
                  Cell(Mean(rho_peer), peer_dummy), "info"});
  std::vector<double> s0;
  for (auto& [photo, v] : sigma0) {
    if (v) s0.push_back(*v);
  }
  Pairs s0p;
  s0p.est = s0;
  s0p.missing = static_cast<int>(sigma0.size() - s0.size());
  rows.push_back({"σ₀ on clean images, mean (min–max)", "≈ 0.5–0.8",
                  s0.empty() ? kNotMeasured
                             : fmt::format("{} ({}–{})", Num(Mean(s0)), Num(*std::min_element(s0.begin(), s0.end())),
                                           Num(*std::max_element(s0.begin(), s0.end()))),
                  "", "info"});
  Pairs bn = Collect(obs, [](const Observation& o) { return Ladder(o) == "blur+noise"; }, excess, truth);
  rows.push_back({fmt::format("MAE of √(σ² − σ₀²), blur+noise (n={})", bn.total()), "",
                  Cell(MeanAbsoluteError(bn.est, bn.truth), bn), "", "info"});

  return "## Blur — `sharpness.blur_sigma_px` (px)\n\n"
         "σ₀ is acuity's reading on each photo's clean image. Peer: scikit-image `blur_effect` (a 0–1 score "
         "with no px unit, so only its ranking is comparable). ρ is over clean + blur σ 0.5–4 of each photo.\n\n" +
         Table(rows) + "\n<details><summary>Blur per photo</summary>\n\n" + details + "\n</details>\n\n";
}

// ---------------------------------------------------------------- JPEG
std::string JpegSection(const std::vector<Observation>& obs) {
  std::vector<Row> rows;
  // Exact from tables: every .jpg file, against ImageMagick.
  const Filter ijg_jpg = [](const Observation& o) {
    return Extension(o.label.recipe) == ".jpg" && o.label.recipe.jpeg_tables.empty();
  };
  Pairs tables = Collect(
      obs, ijg_jpg,
      [](const Observation& o) { return o.ours.jpeg_quality; },
      [](const Observation& o) -> std::optional<double> {
        if (!o.peer.imagemagick_quality) return std::nullopt;
        return double(*o.peer.imagemagick_quality);
      });
  int agree = 0, agree_label = 0;
  for (size_t i = 0; i < tables.est.size(); ++i) agree += std::lround(tables.est[i]) == std::lround(tables.truth[i]);
  Pairs im_vs_label = Collect(
      obs, ijg_jpg,
      [](const Observation& o) -> std::optional<double> {
        if (!o.peer.imagemagick_quality) return std::nullopt;
        return double(*o.peer.imagemagick_quality);
      },
      [](const Observation& o) { return std::optional<double>(o.label.recipe.jpeg_quality); });
  for (size_t i = 0; i < im_vs_label.est.size(); ++i) agree_label += std::lround(im_vs_label.est[i]) == im_vs_label.truth[i];
  const double agree_pct = tables.est.empty() ? NAN : 100.0 * agree / tables.est.size();
  rows.push_back({fmt::format("from IJG tables: agreement with ImageMagick `%Q` on .jpg files (n={})", tables.total()),
                  "100 %", Cell(agree_pct, tables, 1) + (tables.est.empty() ? "" : " %"),
                  im_vs_label.est.empty() ? "—"
                                          : fmt::format("`%Q` = label on {} of {}", agree_label, im_vs_label.est.size()),
                  Status(agree_pct, tables, Goal::kAtLeast, 100.0)});
  // From pixels: PNG re-saves of JPEGs, q 10–90.
  const Filter resaved = [](const Observation& o) {
    return o.label.recipe.png_resave && o.label.recipe.jpeg_tables.empty() &&
           InRange(o.label.recipe.jpeg_quality, 10, 90);
  };
  Pairs px = Collect(obs, resaved, [](const Observation& o) { return o.ours.jpeg_quality; },
                     [](const Observation& o) { return std::optional<double>(o.label.recipe.jpeg_quality); });
  const double px_mae = MeanAbsoluteError(px.est, px.truth);
  rows.push_back({fmt::format("from pixels: MAE on PNG re-saves of IJG JPEGs, q 10–90 (n={})", px.total()),
                  "≤ 4 (every one detected)", Cell(px_mae, px, 2), "— (ImageMagick reads nothing from a PNG)",
                  Status(px_mae, px, Goal::kAtMost, 4.0)});
  // False positives on never-compressed images. A null estimate is the right answer here.
  // Until the pixel estimator exists (no PNG re-save gets a quality), a null here means nothing.
  bool pixels_measured = false;
  for (const Observation& o : obs) pixels_measured |= o.loaded && o.label.recipe.png_resave && o.ours.jpeg_quality;
  int never = 0, flagged = 0;
  for (const Observation& o : obs) {
    if (!o.loaded || o.label.ever_compressed()) continue;
    ++never;
    if (o.ours.jpeg_quality) ++flagged;
  }
  const double fp = never ? 100.0 * flagged / never : NAN;
  Pairs fp_pairs;
  if (pixels_measured || flagged) fp_pairs.est = {fp};
  else fp_pairs.missing = never;
  rows.push_back({fmt::format("never-compressed PNGs reported as JPEG (n={})", never), "< 5 %",
                  fp_pairs.est.empty() ? std::string(kNotMeasured) : fmt::format("{} % ({} files)", Num(fp, 1), flagged),
                  "—", Status(fp, fp_pairs, Goal::kBelow, 5.0)});
  Pairs src = Collect(obs, [](const Observation& o) { return Extension(o.label.recipe) == ".jpg"; },
                      [](const Observation& o) -> std::optional<double> { return o.ours.quality_source == "quant_tables"; },
                      [](const Observation&) { return std::optional<double>(1.0); });
  rows.push_back({"`quality_source` = \"quant_tables\" on .jpg files", "100 %",
                  Percent(src), "", "info"});
  return "## JPEG quality — `compression.jpeg_quality_estimate` (IJG 1–100)\n\n" + Table(rows) + "\n";
}

// ---------------------------------------------------------------- over-sharpening
std::string OversharpeningSection(const std::vector<Observation>& obs) {
  const auto strong = [](const Observation& o) { return Ladder(o) == "sharpen" && o.label.recipe.sharpen_amount >= 2; };
  const auto light = [](const Observation& o) { return Ladder(o) == "sharpen" && o.label.recipe.sharpen_amount <= 0.5; };
  const auto natural = [](const Observation& o) { return Ladder(o) == "clean"; };
  const auto noisy = [](const Observation& o) { return Ladder(o) == "noise"; };
  const auto blurred = [](const Observation& o) { return Ladder(o) == "blur"; };
  std::vector<Row> rows;
  auto auc_row = [&](const std::string& what, const Filter& negative, Goal goal) {
    std::vector<double> pos, neg;
    int missing = 0, n = 0;
    for (const Observation& o : obs) {
      if (!o.loaded || !(strong(o) || negative(o))) continue;
      ++n;
      if (!o.ours.halo_score) {
        ++missing;
        continue;
      }
      (strong(o) ? pos : neg).push_back(*o.ours.halo_score);
    }
    Pairs p;
    p.est.assign(pos.size() + neg.size(), 0.0);
    p.missing = missing;
    const double auc = RocAuc(pos, neg);
    rows.push_back({fmt::format("{} ({} pos / {} neg)", what, pos.size(), neg.size()),
                    goal == Goal::kInfo ? "" : "≥ 0.97", Cell(auc, p), "—", Status(auc, p, goal, 0.97)});
  };
  auc_row("ROC AUC of `halo_score`: amount ≥ 2 vs natural / ≤ 0.5 / noisy / blurred",
          [&](const Observation& o) { return natural(o) || light(o) || noisy(o) || blurred(o); }, Goal::kAtLeast);
  auc_row("ROC AUC: amount ≥ 2 vs natural / ≤ 0.5", [&](const Observation& o) { return natural(o) || light(o); },
          Goal::kAtLeast);
  auc_row("ROC AUC: amount ≥ 2 vs noisy", noisy, Goal::kInfo);
  auc_row("ROC AUC: amount ≥ 2 vs blurred", blurred, Goal::kInfo);
  Pairs tp = Collect(obs, strong, [](const Observation& o) -> std::optional<double> {
    if (!o.ours.oversharpening_detected) return std::nullopt;
    return *o.ours.oversharpening_detected ? 1.0 : 0.0;
  }, [](const Observation&) { return std::optional<double>(1.0); });
  Pairs fp = Collect(obs, [&](const Observation& o) { return natural(o) || light(o) || noisy(o) || blurred(o); },
                     [](const Observation& o) -> std::optional<double> {
                       if (!o.ours.oversharpening_detected) return std::nullopt;
                       return *o.ours.oversharpening_detected ? 1.0 : 0.0;
                     }, [](const Observation&) { return std::optional<double>(0.0); });
  rows.push_back({"`detected`: true-positive rate on amount ≥ 2", "", Percent(tp), "—",
                  "info"});
  rows.push_back({"`detected`: false-positive rate on the negatives", "", Percent(fp), "—",
                  "info"});
  return "## Over-sharpening — `oversharpening.halo_score`, `.detected`\n\n"
         "Positives: unsharp mask amount 2 and 3 (radius 1 and 2 px). Negatives: clean, amount 0.3/0.5, the noise "
         "ladder and the blur ladder.\n\n" +
         Table(rows) + "\n";
}

// ---------------------------------------------------------------- native scale
std::string NativeScaleSection(const std::vector<Observation>& obs) {
  const Getter ours = [](const Observation& o) { return o.ours.native_scale; };
  const Getter truth = [](const Observation& o) { return std::optional<double>(o.label.native_scale()); };
  std::vector<Row> rows;
  auto add = [&](const std::string& what, const Filter& f, Goal goal) {
    Pairs p = Collect(obs, f, ours, truth);
    const double mae = MeanAbsoluteError(p.est, p.truth);
    rows.push_back({fmt::format("{} (n={})", what, p.total()), goal == Goal::kInfo ? "" : "≤ 0.08", Cell(mae, p),
                    "—", Status(mae, p, goal, 0.08)});
  };
  const auto upscale = [](double f) {
    return [f](const Observation& o) { return Ladder(o) == "upscale" && o.label.recipe.upscale_factor == f; };
  };
  add("MAE, native (clean)", [](const Observation& o) { return Ladder(o) == "clean"; }, Goal::kAtMost);
  add("MAE, 2× upscales (4 kernels)", upscale(2.0), Goal::kAtMost);
  add("MAE, 3× upscales (4 kernels)", upscale(3.0), Goal::kAtMost);
  add("MAE, 1.5× upscales", upscale(1.5), Goal::kInfo);
  add("MAE, 4× upscales", upscale(4.0), Goal::kInfo);
  add("MAE, native noisy / JPEG / sharpened", [](const Observation& o) {
        return Ladder(o) == "noise" || Ladder(o) == "jpeg" || Ladder(o) == "sharpen" || Ladder(o) == "noise+jpeg";
      }, Goal::kInfo);
  add("MAE, native blurred σ ≤ 1.5", [](const Observation& o) {
        return Ladder(o) == "blur" && o.label.recipe.blur_sigma_px <= 1.5;
      }, Goal::kInfo);
  add("MAE, native blurred σ > 1.5", [](const Observation& o) {
        return Ladder(o) == "blur" && o.label.recipe.blur_sigma_px > 1.5;
      }, Goal::kInfo);
  add("MAE, upscale + JPEG", [](const Observation& o) { return Ladder(o) == "upscale+jpeg"; }, Goal::kInfo);

  std::string details = "| kernel | 1.5× | 2× | 3× | 4× |\n|---|---|---|---|---|\n";
  for (const char* kernel : {"nearest", "bilinear", "bicubic", "lanczos"}) {
    details += fmt::format("| {} ", kernel);
    for (double f : {1.5, 2.0, 3.0, 4.0}) {
      Pairs p = Collect(obs, [&](const Observation& o) {
        return Ladder(o) == "upscale" && o.label.recipe.upscale_factor == f &&
               std::string(KernelName(o.label.recipe.upscale_kernel)) == kernel;
      }, ours, truth);
      details += "| " + Cell(MeanAbsoluteError(p.est, p.truth), p);
    }
    details += " |\n";
  }
  details += "\n| photo | native | 2× | 3× | blurred σ ≤ 1.5 |\n|---|---|---|---|---|\n";
  for (const std::string& photo : Photos(obs, "upscale")) {
    details += "| " + photo;
    for (const Filter& f : std::vector<Filter>{
             [](const Observation& o) { return Ladder(o) == "clean"; }, upscale(2.0), upscale(3.0),
             [](const Observation& o) { return Ladder(o) == "blur" && o.label.recipe.blur_sigma_px <= 1.5; }}) {
      Pairs p = Collect(obs, [&](const Observation& o) { return o.label.photo == photo && f(o); }, ours, truth);
      details += " | " + Cell(MeanAbsoluteError(p.est, p.truth), p);
    }
    details += " |\n";
  }
  return "## Prior upscaling — `resolution.native_scale`\n\n"
         "Truth: 1/f for an f× upscale (OpenCV nearest, bilinear, bicubic, Lanczos-4), 1.0 otherwise. No peer. "
         "Known limits (analysis/measurements/native_scale.h): a JPEG saved after the upscale can hide the resampling "
         "periodicity (those files read 1.0, hence the upscale + JPEG error); f and f/(f−1) (1.5× and 3×) are told "
         "apart by the spectrum only.\n\n" +
         Table(rows) + "\n<details><summary>MAE by kernel × factor, and by photo</summary>\n\n" + details +
         "\n</details>\n\n";
}

std::string SpeedSection(const std::vector<Observation>& obs) {
  std::vector<double> ms, px, peer_s;
  for (const Observation& o : obs) {
    if (!o.loaded) continue;
    ms.push_back(o.analyze_ms);
    px.push_back(double(o.width) * o.height);
    if (o.peer.peer_seconds > 0) peer_s.push_back(o.peer.peer_seconds * 1000);
  }
  return fmt::format(
      "## Time on the ladder files\n\n`Analyze()` (loading excluded): mean {} ms per file of {} MP on average; "
      "scikit-image `estimate_sigma` + `blur_effect`: mean {} ms. The 12 MP benchmark is `analyze_bench` "
      "(datasets/README.md).\n\n",
      Num(Mean(ms), 1), Num(Mean(px) / 1e6, 3), peer_s.empty() ? "—" : Num(Mean(peer_s), 1));
}

}  // namespace

Measured MeasuredFromReport(const AnalysisReport& r) {
  Measured m;
  m.noise_sigma_8bit = r.noise.sigma;
  m.blur_sigma_px = r.sharpness.blur_sigma_px;
  m.jpeg_quality = r.compression.jpeg_quality_estimate;
  m.quality_source = r.compression.quality_source;
  m.jpeg_tables = r.compression.tables.value_or(r.compression.estimated_tables.value_or(""));
  m.halo_score = r.oversharpening.halo_score;
  m.oversharpening_detected = r.oversharpening.detected;
  m.native_scale = r.resolution.native_scale;
  return m;
}

std::string ResultsMarkdown(const std::vector<Observation>& obs, const std::string& command,
                            const std::string& speed_markdown) {
  int failed = 0;
  std::string failures;
  for (const Observation& o : obs) {
    if (o.loaded) continue;
    ++failed;
    failures += fmt::format("- `{}`: {}\n", o.label.file, o.error);
  }
  std::string photos;
  for (const std::string& p : Photos(obs)) photos += (photos.empty() ? "" : ", ") + p;
  std::string s = fmt::format(
      "# acuity — accuracy on the evaluation ladders\n\n"
      "Generated by `datasets/evaluate` from ladders built by `datasets/build_ladders` (see datasets/README.md). "
      "Regenerate with:\n\n```sh\n{}\n```\n\n"
      "{} files from {} scikit-image photos ({}), each area-downscaled 2× to make it clean, then degraded with "
      "known parameters. \"not measured yet\" means acuity left the field null.\n\n",
      command, obs.size(), Photos(obs).size(), photos);
  if (failed) s += fmt::format("**{} files could not be analysed:**\n\n{}\n", failed, failures);
  s += NoiseSection(obs) + BlurSection(obs) + JpegSection(obs) + JpegTablesSection(obs) + OversharpeningSection(obs) +
       NativeScaleSection(obs) + SpeedSection(obs);
  if (!speed_markdown.empty()) {
    s += "## Speed on a 12 MP photo — `analyze_bench`\n\nGoal: `Analyze()` ≥ 20× faster than scikit-image "
         "`estimate_sigma` + `blur_effect` on the same image.\n\n```\n" + speed_markdown + "```\n";
  }
  return s;
}

}  // namespace acuity::datasets
