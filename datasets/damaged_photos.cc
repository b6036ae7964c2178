// "Which model, when": realistic damaged photos with ground truth, restored by
// each way acuity can enlarge them, scored against the truth and by `acuity qa`.
//
//   build/datasets/damaged_photos --work /tmp/damaged --csv datasets/damaged_photos.csv
//   /usr/bin/python3 datasets/damaged_photos_table.py datasets/damaged_photos.csv   # the tables of models/RESULTS.md
//
// Ground truth ("clean"): a crop of a scikit-image photo after a 2× area
// downscale (which removes its own noise and compression). Input: the clean
// crop area-downscaled ½ or ¼, then damaged — JPEG, Gaussian noise, a mild
// blur, alone and combined (an old social-media download). Each method
// enlarges the input back to the clean size:
//   lanczos        Lanczos-4 (OpenCV)
//   thick+advised  the advisor's plan (deblock / denoise / upscale / sharpen) with esrgan-thick
//   general        realesr-general-x4v3 alone (×4, then area down for ×2)
//   general+repair the advisor's deblock / denoise steps, then realesr-general-x4v3
//   x4plus         realesrgan-x4plus alone
//   x4plus+repair  the advisor's deblock / denoise steps, then realesrgan-x4plus
//   general+advised the advisor's whole plan (repair, upscale, sharpen) with realesr-general-x4v3
//   repair+lanczos the advisor's deblock / denoise steps, then Lanczos-4 (an honest denoise)
// and two outputs made only to calibrate QA: "truth" (the clean crop itself)
// and "usm3" (Lanczos, then an unsharp mask of amount 3, radius 1 px).
// Scores: PSNR-Y and SSIM against the clean crop (border = scale px), BRISQUE
// (OpenCV contrib `quality`, LIVE model from `opencv-data`; lower = more
// natural), and the verdict of RunQa (what `acuity qa INPUT OUTPUT` says) with
// the checks that did not pass. Each model is loaded once and run on the
// whole input (one tile at these sizes; "seconds" is then the inference plus
// the other steps, the first case of a model also its load). Every output is kept in --work as PNG; with
// --reuse an existing output is read back instead of recomputed (to re-score
// after a QA change without rerunning the models); within a case a model
// output is computed once and shared by the methods whose plans are the
// same. With --crop flattest the crop is the photo's flattest window (a sky,
// a wall): the cases of Real-ESRGAN's painted texture (docs/qa.md).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/quality/qualitybrisque.hpp>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "analysis/advice/advisor.h"
#include "analysis/advice/plan_ops.h"
#include "analysis/advice/qa.h"
#include "analysis/io/image_io.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/measurements/analyze.h"
#include "analysis/measurements/quality_metrics.h"
#include "enhance/compute_threads.h"
#include "enhance/model_registry.h"
#include "enhance/sr_model.h"
#include "enhance/pipeline.h"
#include "enhance/resize.h"
#include "tests/testing/add_noise.h"
#include "tests/testing/wild_degradations.h"
#include "tests/testing/wrap_image.h"

ABSL_FLAG(std::string, photos, "astronaut,coffee,chelsea,rocket,camera,motorcycle_left",
          "scikit-image photos (comma-separated); the crop is taken as --crop says");
ABSL_FLAG(std::string, crop, "centre",
          "centre: the photo's centre; flattest: its flattest window (sky, wall: the painted-texture cases)");
ABSL_FLAG(int, input_px, 96, "side of the damaged input in px (the clean crop is 2× or 4× that)");
ABSL_FLAG(std::string, scales, "2,4", "enlargements to test (the input is the clean crop shrunk by these)");
ABSL_FLAG(std::string, damages, "none,jpeg35,noise8,blur,social", "damages to test (see MakeDamage)");
ABSL_FLAG(std::string, methods, "lanczos,thick+advised,general,general+repair,x4plus,x4plus+repair,truth,usm3",
          "methods to run");
ABSL_FLAG(std::string, work, "/tmp/acuity-damaged", "directory for the inputs and outputs (PNG)");
ABSL_FLAG(bool, reuse, false, "read an output back from --work when it exists instead of recomputing it");
ABSL_FLAG(std::string, csv, "", "write one line per case and method (every QA metric) here");
ABSL_FLAG(std::string, brisque_dir, "/usr/share/opencv4/quality", "where opencv-data put brisque_model_live.yml");

namespace acuity {
namespace {

using testing::UnsharpMask;

constexpr char kPhotoDir[] = "/usr/lib/python3/dist-packages/skimage/data/";

struct Damage {
  std::string name, what;
  double blur_px = 0, noise_sigma = 0;
  int jpeg_quality = 0;  // 0 = none
};

// The damages: a JPEG of quality 30–70, noise σ 0–10, a mild blur, alone and
// combined, applied in the order of a real life: optics, sensor, encoder.
Damage MakeDamage(const std::string& name) {
  if (name == "none") return {name, "none", 0, 0, 0};
  if (name == "jpeg35") return {name, "JPEG q 35", 0, 0, 35};
  if (name == "jpeg60") return {name, "JPEG q 60", 0, 0, 60};
  if (name == "noise8") return {name, "noise σ 8", 0, 8, 0};
  if (name == "noise4") return {name, "noise σ 4", 0, 4, 0};
  if (name == "noise5") return {name, "noise σ 5", 0, 5, 0};
  if (name == "noise10") return {name, "noise σ 10", 0, 10, 0};
  if (name == "noise15") return {name, "noise σ 15", 0, 15, 0};
  if (name == "jpeg30") return {name, "JPEG q 30", 0, 0, 30};
  if (name == "blur") return {name, "blur σ 0.7 px", 0.7, 0, 0};
  if (name == "social") return {name, "blur σ 0.5 px + noise σ 5 + JPEG q 50", 0.5, 5, 50};
  if (name == "noisyjpeg") return {name, "noise σ 10 + JPEG q 70", 0, 10, 70};
  return {};
}

cv::Mat ApplyDamage(const cv::Mat& in, const Damage& d, uint64_t seed) {
  cv::Mat out = in.clone();
  if (d.blur_px > 0) cv::GaussianBlur(out, out, cv::Size(0, 0), d.blur_px);
  if (d.noise_sigma > 0) out = testing::AddNoise(out, d.noise_sigma, seed);
  if (d.jpeg_quality > 0) {
    JpegEncodeOptions options;
    options.quality = d.jpeg_quality;
    out = DecodeJpeg(*EncodeJpeg(out, options))->pixels;
  }
  return out;
}

// The advisor's plan for `input` with the clean size as its target.
Plan AdvisedPlan(const cv::Mat& input, cv::Size clean) {
  AnalyzeOptions options;
  options.target = *ParseTargetSpec(fmt::format("{}x{}px", clean.width, clean.height));
  return Advise(Analyze(testing::WrapPixels(input), options));
}

// The plan's repair steps (deblock, denoise) then one upscale by `factor`
// with `model`; with `keep_rest`, every other step of the plan too (the
// advisor's own plan with its model replaced). Encode steps never.
Plan ModelPlan(const Plan& advised, const std::string& model, int factor, bool keep_rest, bool repair) {
  Plan plan;
  bool upscaled = false;
  for (const PlanStep& s : advised.steps) {
    if (std::holds_alternative<EncodeStep>(s.params)) continue;
    const bool is_repair = std::holds_alternative<DeblockStep>(s.params) || std::holds_alternative<DenoiseStep>(s.params);
    if (is_repair && !repair) continue;
    if (std::holds_alternative<UpscaleStep>(s.params)) {
      if (!keep_rest && upscaled) continue;
      PlanStep step = s;
      std::get<UpscaleStep>(step.params).model = model;
      if (!keep_rest) std::get<UpscaleStep>(step.params).factor = factor;
      plan.steps.push_back(step);
      upscaled = true;
      continue;
    }
    if (is_repair || keep_rest) plan.steps.push_back(s);
  }
  if (!upscaled) {
    UpscaleStep up;
    up.factor = factor;
    up.model = model;
    plan.steps.push_back({up, "evaluation"});
  }
  return plan;
}

bool HasRepair(const Plan& plan) {
  for (const PlanStep& s : plan.steps)
    if (std::holds_alternative<DeblockStep>(s.params) || std::holds_alternative<DenoiseStep>(s.params)) return true;
  return false;
}

// The plan's ops, "+"-separated (one CSV field).
std::string StepsText(const Plan& plan) {
  std::vector<std::string> parts;
  for (const PlanStep& s : plan.steps)
    if (!std::holds_alternative<EncodeStep>(s.params)) parts.push_back(std::string(OpOf(s).name));
  return absl::StrJoin(parts, "+");
}

struct CaseInput {
  std::string photo, damage;
  int scale = 2;
  cv::Mat clean, input;
  Plan advised;
};

// The models, each loaded once for the whole run (Upscale loads its model at
// every call: x4plus's load dominates a small crop). An input of at most
// --input_px px is one tile, so running the model on the whole input is what
// Upscale computes.
class Models {
 public:
  // `factor`× of `bgr` (8-bit) with built-in model `name`: its own ×factor
  // model when there is one, else ×4 then area down (as Upscale does).
  absl::StatusOr<cv::Mat> Enlarge(const std::string& name, const cv::Mat& bgr, int factor) {
    const std::vector<int> scales = BuiltinModelScales(name);
    const int scale = std::find(scales.begin(), scales.end(), factor) != scales.end() ? factor : 4;
    const std::string key = name + "-x" + std::to_string(scale);
    if (!models_.count(key)) {
      absl::StatusOr<ModelSpec> spec = FindModel(name, scale, "");
      if (!spec.ok()) return spec.status();
      absl::StatusOr<std::unique_ptr<SrModel>> model = SrModel::Load(*spec);
      if (!model.ok()) return model.status();
      models_[key] = std::move(*model);
    }
    const SrModel& model = *models_[key];
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    rgb.convertTo(rgb, CV_32FC3, model.spec().input_range / 255.0);
    absl::StatusOr<cv::Mat> out = model.Run(rgb);
    if (!out.ok()) return out.status();
    cv::Mat clamped = cv::min(cv::max(*out, 0.0), model.spec().output_range), result;
    clamped.convertTo(result, CV_8UC3, 255.0 / model.spec().output_range);
    cv::cvtColor(result, result, cv::COLOR_RGB2BGR);
    if (scale != factor) cv::resize(result, result, bgr.size() * factor, 0, 0, cv::INTER_AREA);
    return result;
  }

 private:
  std::map<std::string, std::unique_ptr<SrModel>> models_;
};

// Runs the steps of `plan` (may be empty) on `pixels`.
absl::StatusOr<cv::Mat> RunSteps(const cv::Mat& pixels, const Plan& plan) {
  if (plan.steps.empty()) return pixels;
  absl::StatusOr<PipelineResult> result = RunPlan(testing::WrapPixels(pixels), plan, {});
  if (!result.ok()) return result.status();
  return result->pixels;
}

// Runs `plan` with its upscale step made by `models`.
absl::StatusOr<cv::Mat> RunModelPlan(const cv::Mat& input, const Plan& plan, Models& models) {
  Plan before, after;
  const UpscaleStep* up = nullptr;
  for (const PlanStep& s : plan.steps) {
    if (const auto* u = std::get_if<UpscaleStep>(&s.params)) up = u;
    else (up ? after : before).steps.push_back(s);
  }
  absl::StatusOr<cv::Mat> pixels = RunSteps(input, before);
  if (!pixels.ok() || !up) return pixels;
  pixels = models.Enlarge(up->model, *pixels, static_cast<int>(up->factor.value_or(2)));
  if (!pixels.ok()) return pixels;
  return RunSteps(*pixels, after);
}

// The plan's repair steps (deblock, denoise) alone.
Plan RepairPlan(const Plan& advised) {
  Plan plan;
  for (const PlanStep& s : advised.steps)
    if (std::holds_alternative<DeblockStep>(s.params) || std::holds_alternative<DenoiseStep>(s.params))
      plan.steps.push_back(s);
  return plan;
}

std::string ModelOf(const std::string& method) {
  return method.rfind("thick", 0) == 0     ? "esrgan-thick"
         : method.rfind("general", 0) == 0 ? "realesr-general-x4v3"
                                           : "realesrgan-x4plus";
}

// A model method's output, computed once per case: two methods whose plans
// are the same steps with the same model (general+advised when the advisor
// adds nothing but the upscale) share it. `cache`: the case's outputs by
// model and steps.
cv::Mat RunModelMethod(const CaseInput& c, const std::string& method, Models& models,
                       std::map<std::string, cv::Mat>& cache) {
  const bool whole_plan = method.find("+advised") != std::string::npos;
  const bool repair = method.find("+repair") != std::string::npos || whole_plan;
  const std::string model = ModelOf(method);
  const Plan plan = ModelPlan(c.advised, model, c.scale, whole_plan, repair);
  const std::string key = model + ":" + StepsText(plan);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  absl::StatusOr<cv::Mat> result = RunModelPlan(c.input, plan, models);
  if (!result.ok()) {
    std::cerr << "damaged_photos: " << method << " (" << StepsText(plan) << "): " << result.status() << "\n";
    return {};
  }
  cv::Mat out = *result;
  if (out.size() != c.clean.size()) out = Resize(out, c.clean.cols, c.clean.rows);
  return cache[key] = out;
}

// Runs `method` on the case; empty when it does not apply (a "+repair" with
// nothing to repair) or failed (said on stderr).
cv::Mat RunMethod(const CaseInput& c, const std::string& method, Models& models,
                  std::map<std::string, cv::Mat>& cache, double* seconds) {
  const auto start = std::chrono::steady_clock::now();
  const bool repair_only = method.find("+repair") != std::string::npos || method == "repair+lanczos";
  if (repair_only && !HasRepair(c.advised)) return {};
  cv::Mat out;
  if (method == "truth") out = c.clean;
  else if (method == "lanczos") out = Resize(c.input, c.clean.cols, c.clean.rows);
  else if (method == "usm3") out = UnsharpMask(Resize(c.input, c.clean.cols, c.clean.rows), 3.0, 1.0);
  else if (method == "repair+lanczos") {
    absl::StatusOr<cv::Mat> repaired = RunSteps(c.input, RepairPlan(c.advised));
    if (repaired.ok()) out = Resize(*repaired, c.clean.cols, c.clean.rows);
  } else {
    out = RunModelMethod(c, method, models, cache);
  }
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

struct Row {
  std::string photo, damage, method, steps;
  int scale = 2;
  double psnr_db = 0, ssim = 0, brisque = 0, seconds = 0;
  QaReport qa;
};

std::string Failing(const QaReport& r) {
  std::vector<std::string> names;
  for (const QaCheck& c : r.checks)
    if (c.status != QaStatus::kPass) names.push_back(c.name + (c.status == QaStatus::kFail ? "!" : ""));
  return absl::StrJoin(names, " ");
}

constexpr char kCsvHeader[] =
    "photo,scale,damage,method,psnr_y_db,ssim,brisque,seconds,qa_verdict,qa_fidelity_psnr_db,"
    "qa_halo_overshoot_pct,qa_detail_retained,qa_oversharpening_score,qa_oversharpening_added,"
    "qa_fake_texture_pct,qa_flat_area_pct,qa_noise_amplification,qa_noise_sigma_input,qa_painted_flat_pct,"
    "qa_noisy_flat_area_pct,qa_not_passed,steps\n";

std::string CsvLine(const Row& r) {
  const QaMetrics& m = r.qa.metrics;
  return fmt::format(
      "{},{},{},{},{:.3f},{:.4f},{:.2f},{:.2f},{},{:.2f},{:.2f},{:.3f},{:.2f},{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},{},{},{},{}\n",
      r.photo, r.scale, r.damage, r.method, r.psnr_db, r.ssim, r.brisque, r.seconds, QaStatusName(r.qa.verdict),
      m.fidelity_psnr_db, m.halo_overshoot_pct, m.detail_retained, m.oversharpening_halo_score,
      m.oversharpening_halo_score - (m.oversharpening_plain_measured ? m.oversharpening_halo_score_plain : 0.0),
      m.fake_texture_pct, m.flat_area_pct, m.noise_amplification, m.noise_sigma_input_8bit,
      m.painted_flat_measured ? fmt::format("{:.2f}", m.painted_flat_pct) : "",
      m.painted_flat_measured ? fmt::format("{:.2f}", m.noisy_flat_area_pct) : "", Failing(r.qa), r.steps);
}

std::vector<std::string> Split(const std::string& s) { return absl::StrSplit(s, ',', absl::SkipEmpty()); }

// The square window of `side` px of `image` whose luma has the lowest mean
// local σ (7×7), among windows whose mean luma is 30–225 (no clipped black
// or white), on a grid of side/8 px: the photo's sky, wall or backdrop.
cv::Rect FlattestWindow(const cv::Mat& image, int side) {
  cv::Mat y, mean, mean_sq;
  cv::cvtColor(image, y, cv::COLOR_BGR2GRAY);
  y.convertTo(y, CV_32F);
  cv::blur(y, mean, cv::Size(7, 7));
  cv::blur(y.mul(y), mean_sq, cv::Size(7, 7));
  cv::Mat sigma;
  cv::sqrt(cv::max(mean_sq - mean.mul(mean), 0.0), sigma);
  const int step = std::max(1, side / 8);
  cv::Rect best(0, 0, side, side);
  double best_sigma = 1e9;
  for (int y0 = 0; y0 + side <= image.rows; y0 += step)
    for (int x0 = 0; x0 + side <= image.cols; x0 += step) {
      const cv::Rect r(x0, y0, side, side);
      const double level = cv::mean(mean(r))[0], spread = cv::mean(sigma(r))[0];
      if (level >= 30 && level <= 225 && spread < best_sigma) best_sigma = spread, best = r;
    }
  return best;
}

// The clean crop of `photo` (after a 2× area downscale): centred, or with
// `flattest` its flattest window (FlattestWindow).
cv::Mat LoadCleanCrop(const std::string& photo, int side, bool flattest) {
  cv::Mat image;
  for (const char* ext : {".png", ".jpg"})
    if (image.empty()) image = cv::imread(std::string(kPhotoDir) + photo + ext, cv::IMREAD_COLOR);
  if (image.empty()) return {};
  cv::resize(image, image, image.size() / 2, 0, 0, cv::INTER_AREA);
  side = std::min({side, image.cols, image.rows});
  const cv::Rect window = flattest ? FlattestWindow(image, side)
                                   : cv::Rect((image.cols - side) / 2, (image.rows - side) / 2, side, side);
  return image(window).clone();
}

// Every method of --methods on case `c` (inputs and outputs as PNG under
// `stem`), scored, printed and written to `csv`; returns the rows written.
int RunCase(const CaseInput& c, const std::string& stem, Models& models, cv::quality::QualityBRISQUE& brisque,
            std::ofstream& csv) {
  cv::imwrite(stem + "-input.png", c.input);
  std::map<std::string, cv::Mat> cache;
  int rows = 0;
  for (const std::string& method : Split(absl::GetFlag(FLAGS_methods))) {
    const std::string path = stem + "-" + method + ".png";
    Row row;
    row.photo = c.photo;
    row.damage = c.damage;
    row.method = method;
    row.scale = c.scale;
    cv::Mat out;
    if (absl::GetFlag(FLAGS_reuse) && std::filesystem::exists(path)) out = cv::imread(path, cv::IMREAD_COLOR);
    if (out.empty()) {
      out = RunMethod(c, method, models, cache, &row.seconds);
      if (out.empty()) continue;
      cv::imwrite(path, out);
    }
    if (method.find("+advised") != std::string::npos || method.find("repair") != std::string::npos)
      row.steps = StepsText(c.advised);
    row.psnr_db = std::min(PsnrY(c.clean, out, c.scale), 100.0);
    row.ssim = SsimY(c.clean, out, c.scale);
    row.brisque = brisque.compute(out)[0];
    QaOptions no_maps;
    no_maps.compute_maps = false;
    absl::StatusOr<QaReport> qa =
        RunQa(testing::WrapPixels(c.input), testing::WrapPixels(out), nullptr, QaThresholds::Defaults(), no_maps);
    if (qa.ok()) row.qa = *qa;
    std::cerr << fmt::format("{:<16} x{} {:<8} {:<15} {:6.2f} dB {:.4f} brisque {:5.1f} {:6.1f} s qa {} {}\n",
                             c.photo, c.scale, c.damage, method, row.psnr_db, row.ssim, row.brisque, row.seconds,
                             QaStatusName(row.qa.verdict), Failing(row.qa));
    if (csv.is_open()) csv << CsvLine(row) << std::flush;
    ++rows;
  }
  return rows;
}

}  // namespace
}  // namespace acuity


int main(int argc, char** argv) {
  using namespace acuity;
  absl::ParseCommandLine(argc, argv);
  QuietLibraryLogging();
  SetComputeThreads(0);
  const std::string work = absl::GetFlag(FLAGS_work);
  std::filesystem::create_directories(work);
  const std::string brisque_dir = absl::GetFlag(FLAGS_brisque_dir);
  cv::Ptr<cv::quality::QualityBRISQUE> brisque = cv::quality::QualityBRISQUE::create(
      brisque_dir + "/brisque_model_live.yml", brisque_dir + "/brisque_range_live.yml");
  std::ofstream csv;
  if (!absl::GetFlag(FLAGS_csv).empty()) {
    csv.open(absl::GetFlag(FLAGS_csv));
    csv << kCsvHeader;
  }
  int rows = 0;
  Models models;
  const bool flattest = absl::GetFlag(FLAGS_crop) == "flattest";
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& photo : Split(absl::GetFlag(FLAGS_photos))) {
    for (const std::string& scale_text : Split(absl::GetFlag(FLAGS_scales))) {
      const int scale = std::stoi(scale_text);
      const cv::Mat clean = LoadCleanCrop(photo, absl::GetFlag(FLAGS_input_px) * scale, flattest);
      if (clean.empty()) {
        std::cerr << "damaged_photos: cannot read photo " << photo << "\n";
        return 3;
      }
      cv::Mat small;
      cv::resize(clean, small, clean.size() / scale, 0, 0, cv::INTER_AREA);
      uint64_t seed = std::hash<std::string>()(photo) + scale;
      for (const std::string& damage_name : Split(absl::GetFlag(FLAGS_damages))) {
        const Damage damage = MakeDamage(damage_name);
        if (damage.name.empty()) {
          std::cerr << "damaged_photos: unknown damage " << damage_name << "\n";
          return 2;
        }
        CaseInput c{photo, damage.name, scale, clean, ApplyDamage(small, damage, ++seed), {}};
        c.advised = AdvisedPlan(c.input, clean.size());
        rows += RunCase(c, fmt::format("{}/{}-x{}-{}", work, photo, scale, damage.name), models, *brisque, csv);
      }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << fmt::format("damaged_photos: {} rows in {:.0f} s\n", rows, seconds);
  return 0;
}
