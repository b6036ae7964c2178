// upscale_bench: the measurements behind models/RESULTS.md (not a test; the
// numbers depend on the machine and its load). Each mode prints a Markdown
// table on stdout, progress on stderr.
//
//   build/upscale_bench quality [--photos astronaut,coffee,...] [--models esrgan-slim,...]
//                               [--scales 2,3,4,8] [--max-side 384] [--down area|bicubic]
//   build/upscale_bench overlap [--model esrgan-thick] [--scale 2] [--size 128] [--height 128] [--tile 64]
//                               [--overlaps 0,2,4,8,12,16,24,32]
//   build/upscale_bench speed   [--models ...] [--scale 4] [--size 256] [--repeat 2]
//                               [--tfjs 1] [--tfjs-repeat 1]   (Real-ESRGAN: no TF.js column)
//   build/upscale_bench tiles   [--model esrgan-medium] [--size 384] [--tiles 64,128,192,256,384]
//   build/upscale_bench memory  [--model esrgan-slim] [--mp 12] [--factor 4]
//   build/upscale_bench bf16    [--models ...] [--size 128] [--repeat 2] [--photos astronaut,coffee,chelsea]
//   build/upscale_bench flat    [--model esrgan-thick] [--scale 4] [--size 500] [--fills 0.9,0.6,0.4]
//
// FLOPs are counted from the network's convolutions as they run, against
// the CPU's measured FMA peak (bench_flops.h).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <ATen/Parallel.h>
#include <fmt/core.h>
#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/script.h>

#include "analysis/measurements/quality_metrics.h"
#include "enhance/bench_flops.h"
#include "enhance/compute_threads.h"
#include "enhance/model_registry.h"
#include "enhance/resize.h"
#include "enhance/sr_model.h"
#include "enhance/upscaler.h"

namespace acuity {
namespace {

// ---- command line --------------------------------------------------------
class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) continue;
      a = a.substr(2);
      const size_t eq = a.find('=');
      if (eq != std::string::npos) values_[a.substr(0, eq)] = a.substr(eq + 1);
      else if (i + 1 < argc) values_[a] = argv[++i];
    }
  }
  std::string Str(const std::string& k, const std::string& d) const {
    auto it = values_.find(k);
    return it == values_.end() ? d : it->second;
  }
  int Int(const std::string& k, int d) const { return std::stoi(Str(k, std::to_string(d))); }
  double Num(const std::string& k, double d) const { return std::stod(Str(k, std::to_string(d))); }
  std::vector<std::string> List(const std::string& k, const std::string& d) const {
    std::vector<std::string> out;
    std::stringstream ss(Str(k, d));
    for (std::string item; std::getline(ss, item, ',');) if (!item.empty()) out.push_back(item);
    return out;
  }
  std::vector<int> Ints(const std::string& k, const std::string& d) const {
    std::vector<int> out;
    for (const auto& s : List(k, d)) out.push_back(std::stoi(s));
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
};

constexpr char kPhotoDir[] = "/usr/lib/python3/dist-packages/skimage/data/";
constexpr char kAllModels[] = "esrgan-slim,esrgan-medium,esrgan-thick";

cv::Mat LoadPhoto(const std::string& name) {
  for (const char* ext : {".png", ".jpg"}) {
    cv::Mat m = cv::imread(std::string(kPhotoDir) + name + ext, cv::IMREAD_COLOR);
    if (!m.empty()) return m;
  }
  fmt::print(stderr, "missing photo {}\n", name);
  std::exit(2);
}

// Centre crop of at most max_side, both sides a multiple of `multiple`.
cv::Mat CentreCrop(const cv::Mat& m, int max_side, int multiple) {
  const int w = std::min(m.cols, max_side) / multiple * multiple;
  const int h = std::min(m.rows, max_side) / multiple * multiple;
  return m(cv::Rect((m.cols - w) / 2, (m.rows - h) / 2, w, h)).clone();
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

UpscaleResult MustUpscale(const cv::Mat& in, const UpscaleOptions& o) {
  absl::StatusOr<UpscaleResult> r = Upscale(in, o);
  if (!r.ok()) {
    fmt::print(stderr, "upscale failed: {}\n", std::string(r.status().message()));
    std::exit(1);
  }
  return *std::move(r);
}

std::string ModelFile(const std::string& name, int scale) {
  absl::StatusOr<ModelSpec> spec = FindModel(name, scale, "");
  if (!spec.ok()) {
    fmt::print(stderr, "{}\n", std::string(spec.status().message()));
    std::exit(1);
  }
  return spec->pt_path;
}

// ---- quality: PSNR-Y / SSIM on photos ------------------------------------
struct Score {
  double psnr = 0, ssim = 0;
  int n = 0;
  void Add(const cv::Mat& ref, const cv::Mat& test, int border) {
    psnr += PsnrY(ref, test, border);
    ssim += SsimY(ref, test, border);
    ++n;
  }
  std::string Cell() const { return n ? fmt::format("{:.2f} / {:.4f}", psnr / n, ssim / n) : "–"; }
};

// ×8 in two passes through explicit model files, 16-bit in between (as
// Upscale does internally).
cv::Mat TwoPass(const cv::Mat& lr, const std::string& name, int first, int second) {
  cv::Mat in16;
  lr.convertTo(in16, CV_16U, 257.0);
  UpscaleOptions o;
  o.model = ModelFile(name, first);
  o.factor = first;
  cv::Mat mid = MustUpscale(in16, o).pixels;
  o.model = ModelFile(name, second);
  o.factor = second;
  cv::Mat out16 = MustUpscale(mid, o).pixels, out8;
  out16.convertTo(out8, CV_8U, 1.0 / 257);
  return out8;
}

int Quality(const Args& args) {
  const auto photos = args.List("photos", "astronaut,coffee,chelsea,rocket,motorcycle_left,ihc");
  const auto models = args.List("models", kAllModels);
  const auto scales = args.Ints("scales", "2,3,4,8");
  const int max_side = args.Int("max-side", 384);
  const bool bicubic_down = args.Str("down", "area") == "bicubic";
  std::map<std::string, std::map<int, Score>> table;  // method -> scale -> score
  for (const auto& photo : photos) {
    const cv::Mat hr = CentreCrop(LoadPhoto(photo), max_side, 24);
    for (int s : scales) {
      cv::Mat lr;
      cv::resize(hr, lr, hr.size() / s, 0, 0, bicubic_down ? cv::INTER_CUBIC : cv::INTER_AREA);
      cv::Mat up;
      cv::resize(lr, up, hr.size(), 0, 0, cv::INTER_CUBIC);
      table["bicubic"][s].Add(hr, up, s);
      table["lanczos"][s].Add(hr, Resize(lr, hr.cols, hr.rows), s);
      for (const auto& m : models) {
        const double t0 = Now();
        UpscaleOptions o;
        o.model = s == 8 ? ModelFile(m, 8) : m;  // ×8: the ×8 model itself
        o.factor = s;
        table[m + (s == 8 ? " (x8 model)" : "")][s].Add(hr, MustUpscale(lr, o).pixels, s);
        if (s == 8) {
          table[m + " (x2 then x4)"][s].Add(hr, TwoPass(lr, m, 2, 4), s);
          table[m + " (x4 then x2)"][s].Add(hr, TwoPass(lr, m, 4, 2), s);
        }
        fmt::print(stderr, "{} x{} {}: {:.1f} s\n", photo, s, m, Now() - t0);
      }
    }
  }
  fmt::print("PSNR-Y (dB) / SSIM, mean over {} photos ({}), centre crop ≤ {} px, "
             "downscaled with {}, border = scale\n\n",
             photos.size(), fmt::to_string(fmt::join(photos, ", ")), max_side,
             bicubic_down ? "bicubic" : "area averaging");
  fmt::print("| method |");
  for (int s : scales) fmt::print(" ×{} |", s);
  fmt::print("\n|---|");
  for (size_t i = 0; i < scales.size(); ++i) fmt::print("---|");
  fmt::print("\n");
  for (const auto& [method, by_scale] : table) {
    fmt::print("| {} |", method);
    for (int s : scales) {
      auto it = by_scale.find(s);
      fmt::print(" {} |", it == by_scale.end() ? std::string("") : it->second.Cell());
    }
    fmt::print("\n");
  }
  return 0;
}

// ---- overlap: tiled vs untiled error -------------------------------------
int Overlap(const Args& args) {
  const std::string model = args.Str("model", "esrgan-thick");
  const int scale = args.Int("scale", 2), size = args.Int("size", 128), tile = args.Int("tile", 64);
  const int height = args.Int("height", size);  // a strip (height ≤ tile) has vertical seams only
  const cv::Mat photo = LoadPhoto(args.Str("photo", "astronaut"));
  cv::Mat crop8 = photo(cv::Rect(140, 40, size, height)), crop16;
  crop8.convertTo(crop16, CV_16U, 257.0);  // 16-bit out: errors well below 1/255 are visible
  UpscaleOptions o;
  o.model = model;
  o.factor = scale;
  o.tile_px = 100000;
  const double t0 = Now();
  const cv::Mat whole = MustUpscale(crop16, o).pixels;
  fmt::print(stderr, "untiled: {:.1f} s\n", Now() - t0);
  fmt::print("{} ×{}, {}×{} crop of {}, tiles of {} px (interior seams), 16-bit output; error in "
             "8-bit units (1/255 = 1.0)\n\n| overlap px | max abs error | mean abs error | "
             "pixels off by > 1/255 |\n|---|---|---|---|\n",
             model, scale, size, height, args.Str("photo", "astronaut"), tile);
  for (int overlap : args.Ints("overlaps", "0,2,4,8,12,16,24,32")) {
    o.tile_px = tile;
    o.overlap_px = overlap;
    const cv::Mat tiled = MustUpscale(crop16, o).pixels;
    cv::Mat a, b, d;
    whole.convertTo(a, CV_64F, 1.0 / 257);
    tiled.convertTo(b, CV_64F, 1.0 / 257);
    cv::absdiff(a.reshape(1), b.reshape(1), d);
    double hi;
    cv::minMaxLoc(d, nullptr, &hi);
    const double over = cv::countNonZero(d > 1.0) * 100.0 / d.total();
    fmt::print("| {} | {:.3f} | {:.4f} | {:.3f} % |\n", overlap, hi, cv::mean(d)[0], over);
    std::fflush(stdout);
  }
  return 0;
}

// ---- speed: MP/s, GFLOP/s, threads, TF.js --------------------------------
// Runs `node models/bench_tfjs.mjs` on the same pixels; returns its JSON line.
std::string RunTfjs(const cv::Mat& bgr, const std::string& model, int scale, int repeat) {
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  const std::string path = "/tmp/acuity-bench-input.u8";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(rgb.data), static_cast<std::streamsize>(rgb.total() * 3));
  const std::string cmd = fmt::format(
      "node {}/models/bench_tfjs.mjs --model {} --scale {} --input {} --height {} --width {} "
      "--repeat {}",
      ACUITY_SOURCE_DIR, model, scale, path, rgb.rows, rgb.cols, repeat);
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (fgets(buf, sizeof buf, p)) out = buf;  // the last line is the JSON
    pclose(p);
  }
  return out;
}

double JsonNumber(const std::string& json, const std::string& key) {
  const size_t k = json.find("\"" + key + "\":");
  return k == std::string::npos ? NAN : std::atof(json.c_str() + k + key.size() + 3);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one;
}

// Seconds to load, freeze/optimise and probe one model (part of every Upscale call).
double LoadSeconds(const std::string& name, int scale) {
  absl::StatusOr<ModelSpec> spec = FindModel(name, scale, "");
  const double t0 = Now();
  if (!spec.ok() || !SrModel::Load(*spec).ok()) std::exit(1);
  return Now() - t0;
}

int Speed(const Args& args) {
  const auto models = args.List("models", kAllModels);
  const int scale = args.Int("scale", 4), size = args.Int("size", 256);
  const int repeat = args.Int("repeat", 2);
  const bool tfjs = args.Int("tfjs", 1) != 0;
  const cv::Mat in = LoadPhoto("astronaut")(cv::Rect(130, 40, size, size)).clone();
  const double out_mp = size * scale * size * scale * 1e-6;
  struct Config {
    int threads;
    ThreadMode mode;
    const char* label;
  };
  const std::vector<Config> configs = {{1, ThreadMode::kAuto, "1"},
                                       {2, ThreadMode::kIntraOp, "2 intra-op (OpenMP)"},
                                       {2, ThreadMode::kTiles, "2 tile workers"}};
  fmt::print("×{} of a {}×{} crop of astronaut (output {:.2f} MP), acuity::Upscale with its "
             "default tiles and overlap, best of {} after a warm-up. \"inference s\" = the call "
             "minus the model load (load + freeze + probe, timed separately); MP/s and GFLOP/s "
             "use it. GFLOP = the network's direct-convolution FLOPs on the whole image (tile "
             "overlap not counted). TF.js: the same pixels, model.predict on the whole image, "
             "best of --tfjs-repeat after an 8×8 warm-up, load excluded.\n\n",
             scale, size, size, out_mp, repeat);
  const double peak1 = FmaPeakGflops(1), peak2 = FmaPeakGflops(2);
  fmt::print("Measured FP32 FMA peak (AVX2, {} online cores): {:.0f} GFLOP/s on 1 thread, {:.0f} on 2 "
             "threads. \"% peak\" compares GFLOP/s with the peak for the same thread count.\n\n",
             std::thread::hardware_concurrency(), peak1, peak2);
  fmt::print("| model | GFLOP | threads | load s | inference s | output MP/s | GFLOP/s | % peak |{} load avg |"
             "\n|---|---|---|---|---|---|---|---|{}---|\n",
             tfjs ? " TF.js wasm s | acuity ÷ TF.js |" : "", tfjs ? "---|---|" : "");
  for (const auto& m : models) {
    const double flops = ConvFlops(ModelFile(m, scale), size, size);
    double tf_s = NAN;
    if (tfjs && m.rfind("esrgan-", 0) == 0) {  // Real-ESRGAN has no TF.js version: "nan"
      const std::string tf_json = RunTfjs(in, m, scale, args.Int("tfjs-repeat", 1));
      tf_s = JsonNumber(tf_json, "seconds");
      fmt::print(stderr, "tfjs {}: {}", m, tf_json);
    }
    const double load = LoadSeconds(m, scale);
    for (const Config& c : configs) {
      UpscaleOptions o;
      o.model = m;
      o.factor = scale;
      o.threads = c.threads;
      o.thread_mode = c.mode;
      MustUpscale(in, o);  // warm-up (oneDNN primitive caches, allocator)
      double best = 1e30;
      for (int i = 0; i < repeat; ++i) {
        const double t0 = Now();
        MustUpscale(in, o);
        best = std::min(best, Now() - t0);
      }
      const double inference = std::max(1e-6, best - load);
      const double gflops = flops * 1e-9 / inference;
      fmt::print("| {} | {:.1f} | {} | {:.2f} | {:.2f} | {:.3f} | {:.1f} | {:.0f} % |", m, flops * 1e-9,
                 c.label, load, inference, out_mp / inference, gflops,
                 100 * gflops / (c.threads == 1 ? peak1 : peak2));
      if (tfjs) fmt::print(" {:.2f} | {:.1f}× |", tf_s, tf_s / inference);
      fmt::print(" {} |\n", LoadAverage());
      std::fflush(stdout);
    }
  }
  return 0;
}

// ---- memory and tile size ------------------------------------------------
long StatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

void ResetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

int Tiles(const Args& args) {
  const std::string model = args.Str("model", "esrgan-medium");
  const int size = args.Int("size", 384), scale = args.Int("scale", 4);
  const cv::Mat in = CentreCrop(LoadPhoto("astronaut"), size, 1);
  fmt::print("{} ×{} of a {}×{} crop, default overlap, {} tile workers\n\n| tile px | seconds | "
             "output MP/s | peak RSS during the call (MB) |\n|---|---|---|---|\n",
             model, scale, in.cols, in.rows, DefaultInferenceThreads());
  for (int tile : args.Ints("tiles", "64,128,192,256,384")) {
    UpscaleOptions o;
    o.model = model;
    o.factor = scale;
    o.tile_px = tile;
    const long base = StatusKb("VmRSS:");
    ResetPeakRss();
    const double t0 = Now();
    const cv::Mat out = MustUpscale(in, o).pixels;
    const double sec = Now() - t0;
    fmt::print("| {} | {:.2f} | {:.3f} | {:.0f} |\n", tile, sec, out.total() * 1e-6 / sec,
               (StatusKb("VmHWM:") - base) / 1024.0);
    std::fflush(stdout);
  }
  return 0;
}

int Memory(const Args& args) {
  const std::string model = args.Str("model", "esrgan-slim");
  const double mp = args.Num("mp", 12), factor = args.Num("factor", 4);
  const int w = static_cast<int>(std::lround(std::sqrt(mp * 1e6 * 4 / 3))), h = w * 3 / 4;
  const cv::Mat in = Resize(LoadPhoto("astronaut"), w, h);
  UpscaleOptions o;
  o.model = model;
  o.factor = factor;
  double last = -1;
  const double t0 = Now();
  o.progress = [&](double f) {
    if (f - last >= 0.05 || f == 1.0) {
      fmt::print(stderr, "{:.0f} % after {:.0f} s\n", 100 * f, Now() - t0);
      last = f;
    }
    return true;
  };
  const long before_kb = StatusKb("VmRSS:");
  ResetPeakRss();
  const UpscaleResult r = MustUpscale(in, o);
  const double sec = Now() - t0;
  const long peak_kb = StatusKb("VmHWM:");
  const double out_mb = r.pixels.total() * r.pixels.elemSize() / 1048576.0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  fmt::print("| model | input | output | seconds | output MP/s | RSS before (MB) | peak RSS (MB) | "
             "output buffer (MB) | peak beyond input+output (MB) |\n|---|---|---|---|---|---|---|---|---|\n"
             "| {} | {}×{} | {}×{} | {:.0f} | {:.3f} | {:.0f} | {:.0f} | {:.0f} | {:.0f} |\n",
             model, w, h, r.pixels.cols, r.pixels.rows, sec, r.pixels.total() * 1e-6 / sec,
             before_kb / 1024.0, peak_kb / 1024.0, out_mb, (peak_kb - before_kb) / 1024.0 - out_mb);
  fmt::print(stderr, "getrusage ru_maxrss {} MB (whole process lifetime); threads {}\n",
             ru.ru_maxrss / 1024, at::get_num_threads());
  return 0;
}

// A product shot on white: a photo `fill` of the canvas wide (2:3), centred.
cv::Mat Shot(int size, double fill) {
  cv::Mat shot(size, size, CV_8UC3, cv::Scalar::all(255)), object;
  const int w = int(size * fill), h = w * 2 / 3;
  cv::resize(LoadPhoto("coffee"), object, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  object.copyTo(shot(cv::Rect((size - w) / 2, (size - h) / 2, w, h)));
  return shot;
}

// The network over every pixel against only where the shot is not white
// (a warm-up first, so that no row pays for loading the model).
int Flat(const Args& args) {
  const int size = args.Int("size", 500);
  UpscaleOptions o;
  o.model = args.Str("model", "esrgan-thick");
  o.factor = args.Int("scale", 4);
  fmt::print("{} ×{} of {} px product shots on white, {} threads\n\n| fill | every pixel s | "
             "skipping the flat surround s | speed-up | max difference (levels) |\n|---|---|---|---|---|\n",
             o.model, o.factor, size, DefaultInferenceThreads());
  MustUpscale(Shot(64, 0.5), o);
  for (const std::string& fill_text : args.List("fills", "0.9,0.6,0.4")) {
    const double fill = std::stod(fill_text);
    const cv::Mat in = Shot(size, fill);
    double t0 = Now();
    o.skip_flat_surround = false;
    const cv::Mat every = MustUpscale(in, o).pixels;
    const double every_s = Now() - t0;
    t0 = Now();
    o.skip_flat_surround = true;
    const cv::Mat skipping = MustUpscale(in, o).pixels;
    const double skip_s = Now() - t0;
    cv::Mat d;
    cv::absdiff(every.reshape(1), skipping.reshape(1), d);
    double diff = 0;
    cv::minMaxLoc(d, nullptr, &diff);
    fmt::print("| {} | {:.1f} | {:.1f} | {:.2f}× | {:.0f} |\n", fill, every_s, skip_s, every_s / skip_s, diff);
    std::fflush(stdout);
  }
  return 0;
}

// float32 against bfloat16 for each model: the time of a ×4 (or the model's
// smallest scale ≥ 2) of a crop with the default threads, best of --repeat
// after a warm-up, and the PSNR (8-bit output as written) of the bf16 result
// against the fp32 one on every photo. Adopted (ModelSpec::bf16_ok) where
// ≥ 1.5× faster and ≥ 45 dB on every photo.
int Bf16(const Args& args) {
  const auto models = args.List("models", "esrgan-slim,esrgan-medium,esrgan-thick,realesr-general-x4v3,realesrgan-x4plus");
  const int size = args.Int("size", 128), repeat = args.Int("repeat", 2);
  const auto photos = args.List("photos", "astronaut,coffee,chelsea");
  fmt::print("CPU has AVX-512 BF16: {} (--precision auto runs bf16 here: {}). ×4 of {}×{} crops, {} threads (default tiles), best of {} "
             "after a warm-up; PSNR of the bf16 output against the fp32 output (8-bit, as written), "
             "worst photo.\n\n| model | fp32 s | bf16 s | speed-up | worst PSNR dB | photos | adopt |\n"
             "|---|---|---|---|---|---|---|\n",
             ThisCpuBf16Features().avx512_bf16 ? "yes" : "no", CpuHasFastBf16() ? "yes" : "no", size, size,
             DefaultInferenceThreads(), repeat);
  for (const auto& m : models) {
    double t[2] = {0, 0};
    double worst = 1e9;
    for (const auto& photo : photos) {
      const cv::Mat in = CentreCrop(LoadPhoto(photo), size, 1);
      cv::Mat out[2];
      for (int k = 0; k < 2; ++k) {
        UpscaleOptions o;
        o.model = m;
        o.factor = 4;
        o.precision = k == 0 ? PrecisionMode::kFp32 : PrecisionMode::kBf16;
        out[k] = MustUpscale(in, o).pixels;  // warm-up
        if (photo != photos.front()) continue;
        double best = 1e30;
        for (int i = 0; i < repeat; ++i) {
          const double t0 = Now();
          MustUpscale(in, o);
          best = std::min(best, Now() - t0);
        }
        t[k] = best;
      }
      worst = std::min(worst, cv::PSNR(out[0], out[1]));
    }
    const bool adopt = t[0] / t[1] >= 1.5 && worst >= 45;
    fmt::print("| {} | {:.2f} | {:.2f} | {:.2f}× | {:.1f} | {} | {} |\n", m, t[0], t[1], t[0] / t[1], worst,
               photos.size(), adopt ? "yes" : "no");
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace acuity

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const acuity::Args args(argc, argv);
  acuity::SetComputeThreads(0);
  if (mode == "quality") return acuity::Quality(args);
  if (mode == "overlap") return acuity::Overlap(args);
  if (mode == "speed") return acuity::Speed(args);
  if (mode == "tiles") return acuity::Tiles(args);
  if (mode == "memory") return acuity::Memory(args);
  if (mode == "bf16") return acuity::Bf16(args);
  if (mode == "flat") return acuity::Flat(args);
  fmt::print(stderr, "usage: upscale_bench quality|overlap|speed|tiles|memory|bf16|flat [--flags]\n"
                     "(see the comment at the top of enhance/upscale_bench.cc)\n");
  return 2;
}
