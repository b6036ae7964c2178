#include "datasets/ladder.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "analysis/io/jpeg_codec.h"
#include "datasets/jpeg_tables.h"
#include "tests/testing/wild_degradations.h"
#include "tests/testing/add_noise.h"

namespace acuity::datasets {
namespace {

constexpr Kernel kKernels[] = {Kernel::kNearest, Kernel::kBilinear, Kernel::kBicubic, Kernel::kLanczos};

int CvInterpolation(Kernel kernel) {
  switch (kernel) {
    case Kernel::kNearest: return cv::INTER_NEAREST;
    case Kernel::kBilinear: return cv::INTER_LINEAR;
    case Kernel::kBicubic: return cv::INTER_CUBIC;
    case Kernel::kLanczos: return cv::INTER_LANCZOS4;
  }
  return cv::INTER_CUBIC;
}

std::optional<Kernel> KernelFromName(const std::string& name) {
  for (Kernel k : kKernels) {
    if (name == KernelName(k)) return k;
  }
  return std::nullopt;
}

cv::Mat CenterCrop(const cv::Mat& image, int max_w, int max_h) {
  const int w = std::min(image.cols, max_w), h = std::min(image.rows, max_h);
  return image(cv::Rect((image.cols - w) / 2, (image.rows - h) / 2, w, h)).clone();
}

Variant Make(std::string name, Recipe r) { return Variant{std::move(name), std::move(r)}; }

}  // namespace

const char* KernelName(Kernel kernel) {
  switch (kernel) {
    case Kernel::kNearest: return "nearest";
    case Kernel::kBilinear: return "bilinear";
    case Kernel::kBicubic: return "bicubic";
    case Kernel::kLanczos: return "lanczos";
  }
  return "bicubic";
}

std::vector<std::string> DefaultPhotos() {
  return {"astronaut", "coffee", "chelsea", "rocket", "motorcycle_left", "brick",
          "grass",     "gravel", "camera",  "moon",   "coins",           "ihc"};
}

std::vector<std::string> HeldOutJpegPhotos() {
  return {"text", "page", "cell", "hubble_deep_field", "motorcycle_right", "clock_motion"};
}

std::vector<Variant> JpegTablesLadders(bool quick) {
  std::vector<Variant> v;
  const std::vector<int> qualities = quick ? std::vector<int>{30}
                                           : std::vector<int>{10, 20, 30, 40, 50, 60, 70, 80, 90, 95};
  for (TableShape shape : kTableShapes) {
    if (quick && shape != TableShape::kTilt) continue;
    for (int q : qualities) {
      const std::string stem = fmt::format("jpegtables_{}_q{:03d}", TableShapeName(shape), q);
      Recipe r{.ladder = "jpeg_tables", .jpeg_quality = q, .jpeg_tables = TableShapeName(shape)};
      v.push_back(Make(stem, r));
      r.png_resave = true;
      v.push_back(Make(stem + "_resaved", r));
    }
  }
  return v;
}

std::vector<Variant> StandardLadders(bool quick) {
  std::vector<Variant> v;
  v.push_back(Make("clean", {.ladder = "clean"}));
  const std::vector<double> blurs = quick ? std::vector<double>{1.0, 2.0}
                                          : std::vector<double>{0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0};
  for (double s : blurs) v.push_back(Make(fmt::format("blur_s{:.2f}", s), {.ladder = "blur", .blur_sigma_px = s}));
  const std::vector<double> noises = quick ? std::vector<double>{5.0}
                                           : std::vector<double>{2, 3, 5, 8, 12, 16, 20, 25, 30};
  for (double s : noises) {
    v.push_back(Make(fmt::format("noise_s{:04.1f}", s), {.ladder = "noise", .noise_sigma_8bit = s}));
  }
  const std::vector<int> qualities = quick ? std::vector<int>{50}
                                           : std::vector<int>{10, 20, 30, 40, 50, 60, 70, 80, 90, 95};
  for (int q : qualities) {
    v.push_back(Make(fmt::format("jpeg_q{:03d}", q), {.ladder = "jpeg", .jpeg_quality = q}));
    v.push_back(Make(fmt::format("jpeg_q{:03d}_resaved", q), {.ladder = "jpeg", .jpeg_quality = q, .png_resave = true}));
  }
  const std::vector<double> amounts = quick ? std::vector<double>{2.0} : std::vector<double>{0.3, 0.5, 1.0, 2.0, 3.0};
  const std::vector<double> radii = quick ? std::vector<double>{1.0} : std::vector<double>{1.0, 2.0};
  for (double r : radii) {
    for (double a : amounts) {
      v.push_back(Make(fmt::format("sharpen_a{:.1f}_r{:.0f}", a, r),
                       {.ladder = "sharpen", .sharpen_amount = a, .sharpen_radius_px = r}));
    }
  }
  const std::vector<double> factors = quick ? std::vector<double>{2.0} : std::vector<double>{1.5, 2.0, 3.0, 4.0};
  for (double f : factors) {
    for (Kernel k : kKernels) {
      if (quick && k != Kernel::kBicubic) continue;
      v.push_back(Make(fmt::format("upscale_{}_x{:.1f}", KernelName(k), f),
                       {.ladder = "upscale", .upscale_factor = f, .upscale_kernel = k}));
    }
  }
  for (Variant& t : JpegTablesLadders(quick)) v.push_back(std::move(t));
  if (quick) return v;
  struct BN { double blur, noise; };
  for (BN c : {BN{1.0, 5.0}, BN{1.5, 15.0}, BN{2.0, 10.0}, BN{3.0, 3.0}}) {
    v.push_back(Make(fmt::format("blur_s{:.2f}_noise_s{:04.1f}", c.blur, c.noise),
                     {.ladder = "blur+noise", .blur_sigma_px = c.blur, .noise_sigma_8bit = c.noise}));
  }
  struct NQ { double noise; int q; };
  for (NQ c : {NQ{3.0, 30}, NQ{5.0, 90}, NQ{10.0, 75}, NQ{15.0, 50}}) {
    v.push_back(Make(fmt::format("noise_s{:04.1f}_jpeg_q{:03d}", c.noise, c.q),
                     {.ladder = "noise+jpeg", .noise_sigma_8bit = c.noise, .jpeg_quality = c.q}));
  }
  struct UQ { double f; Kernel k; int q; };
  for (UQ c : {UQ{1.5, Kernel::kBilinear, 90}, UQ{2.0, Kernel::kBicubic, 85}, UQ{2.0, Kernel::kLanczos, 75},
               UQ{3.0, Kernel::kLanczos, 85}, UQ{4.0, Kernel::kBicubic, 85}}) {
    v.push_back(Make(fmt::format("upscale_{}_x{:.1f}_jpeg_q{:03d}", KernelName(c.k), c.f, c.q),
                     {.ladder = "upscale+jpeg", .upscale_factor = c.f, .upscale_kernel = c.k, .jpeg_quality = c.q}));
  }
  return v;
}

cv::Mat MakeClean(const cv::Mat& photo) {
  cv::Mat in = photo;
  if (in.depth() != CV_8U) in.convertTo(in, CV_8U, 255.0 / 65535.0);
  if (in.channels() == 4) cv::cvtColor(in, in, cv::COLOR_BGRA2BGR);
  cv::Mat half;
  cv::resize(in, half, cv::Size(in.cols / 2, in.rows / 2), 0, 0, cv::INTER_AREA);
  return CenterCrop(half, kMaxSidePx, kMaxSidePx);
}

cv::Mat GaussianBlur(const cv::Mat& image, double sigma_px) {
  if (sigma_px <= 0) return image.clone();
  const int half = static_cast<int>(std::ceil(4.0 * sigma_px));
  cv::Mat f, out;
  image.convertTo(f, CV_32F);
  cv::GaussianBlur(f, f, cv::Size(2 * half + 1, 2 * half + 1), sigma_px, sigma_px, cv::BORDER_REFLECT);
  f.convertTo(out, CV_8U);  // rounds and saturates
  return out;
}

cv::Mat UnsharpMask(const cv::Mat& image, double amount, double radius_px) {
  return testing::UnsharpMask(image, amount, radius_px);
}

cv::Mat Upscale(const cv::Mat& image, double factor, Kernel kernel) {
  if (factor <= 1.0) return image.clone();
  const int max_src = static_cast<int>(std::floor(kMaxSidePx / factor));
  cv::Mat src = CenterCrop(image, max_src, max_src);
  const cv::Size size(static_cast<int>(std::lround(src.cols * factor)),
                      static_cast<int>(std::lround(src.rows * factor)));
  cv::Mat out;
  cv::resize(src, out, size, 0, 0, CvInterpolation(kernel));
  return out;
}

std::string Extension(const Recipe& recipe) {
  return recipe.jpeg_quality > 0 && !recipe.png_resave ? ".jpg" : ".png";
}

absl::StatusOr<std::string> RenderVariant(const cv::Mat& clean, const Recipe& r, uint64_t seed) {
  try {
    cv::Mat img = Upscale(clean, r.upscale_factor, r.upscale_kernel);
    img = GaussianBlur(img, r.blur_sigma_px);
    img = testing::AddNoise(img, r.noise_sigma_8bit, seed);
    img = UnsharpMask(img, r.sharpen_amount, r.sharpen_radius_px);
    if (r.jpeg_quality > 0) {
      JpegEncodeOptions options;
      options.quality = r.jpeg_quality;
      if (!r.jpeg_tables.empty()) {
        const std::optional<TableShape> shape = TableShapeFromName(r.jpeg_tables);
        if (!shape) return absl::InvalidArgumentError("unknown table shape " + r.jpeg_tables);
        options.quant_tables = ShapedTables(*shape, r.jpeg_quality, /*gray=*/img.channels() == 1);
      }
      absl::StatusOr<std::string> jpeg = EncodeJpeg(img, options);
      if (!jpeg.ok() || !r.png_resave) return jpeg;
      std::vector<uint8_t> bytes(jpeg->begin(), jpeg->end());
      img = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
    }
    std::vector<uint8_t> png;
    if (!cv::imencode(".png", img, png)) return absl::InternalError("PNG encoding failed");
    return std::string(png.begin(), png.end());
  } catch (const cv::Exception& e) {
    return absl::InternalError(std::string("OpenCV: ") + e.what());
  }
}

nlohmann::json LabelToJson(const Label& l) {
  const Recipe& r = l.recipe;
  return {
      {"file", l.file},
      {"photo", l.photo},
      {"clean_file", l.clean_file},
      {"ladder", r.ladder},
      {"format", Extension(r) == ".jpg" ? "jpeg" : "png"},
      {"upscale_factor", r.upscale_factor},
      {"upscale_kernel", r.upscale_factor > 1 ? nlohmann::json(KernelName(r.upscale_kernel)) : nlohmann::json()},
      {"native_scale", l.native_scale()},
      {"blur_sigma_px", r.blur_sigma_px},
      {"noise_sigma_8bit", r.noise_sigma_8bit},
      {"sharpen_amount", r.sharpen_amount},
      {"sharpen_radius_px", r.sharpen_radius_px},
      {"jpeg_quality", r.jpeg_quality > 0 ? nlohmann::json(r.jpeg_quality) : nlohmann::json()},
      {"png_resave", r.png_resave},
      {"jpeg_tables", r.jpeg_quality > 0 ? nlohmann::json(r.jpeg_tables.empty() ? "ijg" : r.jpeg_tables)
                                         : nlohmann::json()},
  };
}

absl::StatusOr<Label> LabelFromJson(const nlohmann::json& j) {
  try {
    Label l;
    l.file = j.at("file").get<std::string>();
    l.photo = j.at("photo").get<std::string>();
    l.clean_file = j.at("clean_file").get<std::string>();
    Recipe& r = l.recipe;
    r.ladder = j.at("ladder").get<std::string>();
    r.upscale_factor = j.at("upscale_factor").get<double>();
    if (!j.at("upscale_kernel").is_null()) {
      std::optional<Kernel> k = KernelFromName(j.at("upscale_kernel").get<std::string>());
      if (!k) return absl::InvalidArgumentError("unknown upscale_kernel in " + l.file);
      r.upscale_kernel = *k;
    }
    r.blur_sigma_px = j.at("blur_sigma_px").get<double>();
    r.noise_sigma_8bit = j.at("noise_sigma_8bit").get<double>();
    r.sharpen_amount = j.at("sharpen_amount").get<double>();
    r.sharpen_radius_px = j.at("sharpen_radius_px").get<double>();
    r.jpeg_quality = j.at("jpeg_quality").is_null() ? 0 : j.at("jpeg_quality").get<int>();
    r.png_resave = j.at("png_resave").get<bool>();
    if (j.contains("jpeg_tables") && j["jpeg_tables"].is_string() && j["jpeg_tables"] != "ijg")
      r.jpeg_tables = j["jpeg_tables"].get<std::string>();
    return l;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(std::string("bad label: ") + e.what());
  }
}

absl::StatusOr<std::vector<Label>> ReadLabels(const std::string& ladder_dir) {
  const std::string path = ladder_dir + "/labels.jsonl";
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path + " (run build_ladders --out " + ladder_dir + ")");
  std::vector<Label> labels;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return absl::InvalidArgumentError("bad JSON line in " + path + ": " + line);
    absl::StatusOr<Label> label = LabelFromJson(j);
    if (!label.ok()) return label.status();
    labels.push_back(*std::move(label));
  }
  return labels;
}

}  // namespace acuity::datasets
