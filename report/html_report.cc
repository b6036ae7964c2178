#include "report/html_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "acuity/version.h"
#include "analysis/advice/verdicts.h"
#include "analysis/io/color_space.h"
#include "analysis/io/heatmap.h"
#include "analysis/io/jpeg_codec.h"
#include "analysis/io/png_codec.h"
#include "analysis/measurements/image_ops.h"
#include "report/content_crops.h"
#include "report/text_output.h"

namespace acuity::report {
namespace {

constexpr char kStyle[] = R"css(
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b8c0d0}
main{max-width:1180px;margin:0 auto;padding:24px}
section.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:20px 24px;margin-bottom:24px}
h2{margin:0 0 4px;font-size:19px}.sub{color:#5b6577;margin:0 0 16px}
.grid{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:24px}
@media(max-width:900px){.grid{grid-template-columns:1fr}}
.viewer{position:relative;line-height:0;border-radius:6px;overflow:hidden;background:#ddd}
.viewer img{width:100%;display:block}.viewer img.overlay{position:absolute;left:0;top:0;opacity:.6;display:none;mix-blend-mode:normal}
.toggles{margin:10px 0;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.toggles button{border:1px solid #c6ccd8;background:#fff;border-radius:14px;padding:3px 12px;cursor:pointer;font-size:13px}
.toggles button.on{background:#1d2330;color:#fff;border-color:#1d2330}
table.m{border-collapse:collapse;width:100%}table.m td{padding:7px 6px;border-bottom:1px solid #eceef2;vertical-align:top}
table.m td.t{font-weight:600;white-space:nowrap}table.m td.v{color:#5b6577;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:44px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}
.good{background:#dff3e4;color:#1e6b34}.fair{background:#fff1cc;color:#7a5a00}.poor{background:#fde0df;color:#9b1c1c}.unknown{background:#eceef2;color:#5b6577}
ol.plan{padding-left:22px}ol.plan li{margin-bottom:8px}ol.plan .why{color:#5b6577;font-size:14px}
.warn{background:#fff6e0;border-left:4px solid #e0a800;padding:8px 12px;margin:6px 0;border-radius:4px;font-size:14px}
.empty{background:#e9f6ec;border-left:4px solid #2f9e55;padding:8px 12px;border-radius:4px}
.slider{position:relative;line-height:0;overflow:hidden;border-radius:6px;max-width:100%;user-select:none}
.slider img{display:block;max-width:none}.slider .after{position:absolute;left:0;top:0;overflow:hidden;height:100%;border-right:2px solid #fff}
.slider input{position:absolute;left:0;bottom:8px;width:100%;margin:0}
.lbl{position:absolute;top:8px;background:rgba(0,0,0,.55);color:#fff;font-size:12px;line-height:1.4;padding:2px 8px;border-radius:8px}
svg text{font:11px system-ui,sans-serif;fill:#5b6577}
footer{color:#5b6577;font-size:13px;text-align:center;padding:12px}
.crops{display:flex;flex-wrap:wrap;gap:12px}.crops figure{margin:0;max-width:100%}
.crops img{image-rendering:pixelated;border:1px solid #c6ccd8;margin-right:4px;max-width:100%;height:auto}
.crops figure.small figcaption{color:#9b1c1c}.crops figcaption{font-size:13px;max-width:300px}
)css";

constexpr char kScript[] = R"js(
document.querySelectorAll('[data-viewer]').forEach(function(v){
  var box=document.getElementById(v.dataset.viewer);
  v.querySelectorAll('button[data-map]').forEach(function(b){
    b.addEventListener('click',function(){
      var on=!b.classList.contains('on');
      v.querySelectorAll('button[data-map]').forEach(function(o){o.classList.remove('on');});
      box.querySelectorAll('img.overlay').forEach(function(i){i.style.display='none';});
      if(on){b.classList.add('on');box.querySelector('img[data-map="'+b.dataset.map+'"]').style.display='block';}
    });
  });
  var r=v.querySelector('input[type=range]');
  if(r)r.addEventListener('input',function(){box.querySelectorAll('img.overlay').forEach(function(i){i.style.opacity=r.value/100;});});
});
document.querySelectorAll('.slider input').forEach(function(r){
  r.addEventListener('input',function(){r.parentNode.querySelector('.after').style.width=r.value+'%';});
});
)js";

// The CSS class of a verdict badge.
const char* BadgeClass(VerdictLevel level) {
  return level == VerdictLevel::kNotMeasured ? "unknown" : VerdictLevelWord(level);
}

// One table row per measurement: title, verdict badge and words, figure.
std::string MeasurementRowsHtml(const AnalysisReport& a) {
  std::string rows;
  for (const PlainVerdict& v : DescribeMeasurements(a)) {
    rows += fmt::format("<tr><td class=\"t\">{}</td><td><span class=\"badge {}\">{}</span> {}</td><td "
                        "class=\"v\">{}</td></tr>",
                        HtmlEscape(v.title), BadgeClass(v.level), VerdictLevelWord(v.level), HtmlEscape(v.words),
                        HtmlEscape(v.value));
  }
  return rows;
}

std::string MapLabel(const std::string& name) {
  if (name == "blur") return "Blur";
  if (name == "noise") return "Noise";
  if (name == "blockiness") return "JPEG blocks";
  if (name == "halo") return "Halos";
  if (name == "motion_blur") return "Motion blur";
  if (name == "dither") return "Dither";
  if (name == "upscale") return "Upscaling";
  if (name == "delta_e") return "Colour shift";
  if (name == "fake_texture") return "Fake texture";
  if (name == "painted") return "Painted flats";
  if (name == "detail_loss") return "Detail lost";
  if (name == "ssim_loss") return "Loss vs reference";
  return name;
}

// A data: URI of `bgr8` as a JPEG (4:2:0) of `quality`.
std::string JpegDataUri(const cv::Mat& bgr8, int quality) {
  JpegEncodeOptions options;
  options.quality = quality;
  absl::StatusOr<std::string> jpg = EncodeJpeg(bgr8, options);
  return "data:image/jpeg;base64," + Base64(jpg.ok() ? *jpg : std::string());
}

cv::Size FitSize(cv::Size size, int max_edge) {
  const double s = std::min(1.0, double(max_edge) / std::max(size.width, size.height));
  return {std::max(1, int(std::lround(size.width * s))), std::max(1, int(std::lround(size.height * s)))};
}

}  // namespace

std::string ViewerHtml(const std::string& id, const cv::Mat& bgr8, const std::vector<MeasurementMap>& maps,
                       const std::string& alt) {
  const cv::Size thumb = FitSize(bgr8.size(), 720);
  std::string viewer = fmt::format("<div class=\"viewer\" id=\"{}\"><img src=\"{}\" alt=\"{}\">", id,
                                   ImageDataUri(bgr8, 720), HtmlEscape(alt));
  std::string toggles = fmt::format("<div class=\"toggles\" data-viewer=\"{}\"><span>Overlay:</span>", id);
  for (const MeasurementMap& map : maps) {
    viewer += fmt::format("<img class=\"overlay\" data-map=\"{}\" src=\"{}\" alt=\"{} map\">", map.name,
                          PngDataUri(RenderHeatmap(map, thumb)), MapLabel(map.name));
    toggles += fmt::format("<button data-map=\"{}\">{}</button>", map.name, MapLabel(map.name));
  }
  viewer += "</div>";
  toggles += maps.empty() ? "<span>none</span></div>"
                          : "<label>&nbsp;opacity <input type=\"range\" min=\"10\" max=\"100\" value=\"60\"></label>"
                            "</div><p class=\"sub\">Heatmaps: dark = low, yellow = high.</p>";
  return viewer + toggles;
}

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PngDataUri(const cv::Mat& bgr8) {
  absl::StatusOr<std::string> png = EncodePng(bgr8);
  return "data:image/png;base64," + Base64(png.ok() ? *png : std::string());
}

std::string ImageDataUri(const cv::Mat& bgr8, int max_edge_px, int jpeg_quality) {
  cv::Mat small;
  cv::resize(bgr8, small, FitSize(bgr8.size(), max_edge_px), 0, 0, cv::INTER_AREA);
  return JpegDataUri(small, jpeg_quality);
}

std::string HistogramSvg(const cv::Mat& bgr8, int width_px, int height_px) {
  std::vector<cv::Mat> planes;
  cv::split(bgr8, planes);
  cv::Mat luma;
  cv::cvtColor(bgr8, luma, cv::COLOR_BGR2GRAY);
  planes.push_back(luma);
  const char* colours[] = {"#3b6fd8", "#2f9e55", "#d64545", "#1d2330"};
  std::vector<cv::Mat> hists;
  double peak = 1;
  for (const cv::Mat& p : planes) {
    cv::Mat hist;
    const int channels[] = {0};
    const int bins[] = {64};
    const float range[] = {0, 256};
    const float* ranges[] = {range};
    cv::calcHist(&p, 1, channels, cv::Mat(), hist, 1, bins, ranges);
    double m;
    cv::minMaxLoc(hist, nullptr, &m);
    peak = std::max(peak, m);
    hists.push_back(hist);
  }
  const int plot_h = height_px - 20;
  std::string svg = fmt::format(
      "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"histogram\"><rect width=\"{0}\" height=\"{2}\" fill=\"#fafbfc\"/>",
      width_px, height_px, plot_h);
  for (size_t c = 0; c < hists.size(); ++c) {
    std::string points;
    for (int i = 0; i < 64; ++i) {
      const double x = (i + 0.5) * width_px / 64.0;
      const double y = plot_h - hists[c].at<float>(i) / peak * (plot_h - 4);
      points += fmt::format("{:.1f},{:.1f} ", x, y);
    }
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" points=\"{}\"/>", colours[c],
                       c == 3 ? 2 : 1.2, points);
  }
  svg += fmt::format("<text x=\"2\" y=\"{0}\">0 (black)</text><text x=\"{1}\" y=\"{0}\" text-anchor=\"end\">255 "
                     "(white)</text>",
                     height_px - 4, width_px - 2);
  return svg + "</svg>";
}

std::string BeforeAfterSliderHtml(const cv::Mat& before_bgr8, const cv::Mat& after_bgr8, int crop_px) {
  cv::Mat before;
  cv::resize(before_bgr8, before, after_bgr8.size(), 0, 0, cv::INTER_NEAREST);
  const int w = std::min(crop_px, after_bgr8.cols), h = std::min(crop_px, after_bgr8.rows);
  // Centre the crop on the area with most detail (gradient energy of a coarse grid).
  cv::Mat gray, grad;
  cv::cvtColor(after_bgr8, gray, cv::COLOR_BGR2GRAY);
  cv::Laplacian(gray, grad, CV_32F);
  grad = cv::abs(grad);
  cv::Mat energy;
  cv::boxFilter(grad, energy, CV_32F, cv::Size(w | 1, h | 1));
  cv::Point best;
  cv::minMaxLoc(energy(cv::Rect(w / 2, h / 2, after_bgr8.cols - w + 1, after_bgr8.rows - h + 1)), nullptr, nullptr,
                nullptr, &best);
  const cv::Rect crop(best.x, best.y, w, h);
  auto uri = [&](const cv::Mat& m) { return JpegDataUri(m(crop).clone(), 92); };
  return fmt::format(
      "<div class=\"slider\" style=\"width:{0}px;height:{1}px\"><img src=\"{2}\" width=\"{0}\" height=\"{1}\" "
      "alt=\"before\"><div class=\"after\" style=\"width:50%\"><img src=\"{3}\" width=\"{0}\" height=\"{1}\" "
      "alt=\"after\"></div><span class=\"lbl\" style=\"left:8px\">after</span><span class=\"lbl\" "
      "style=\"right:8px\">before</span><input type=\"range\" min=\"0\" max=\"100\" value=\"50\" "
      "aria-label=\"before/after\"></div>",
      w, h, uri(before), uri(after_bgr8));
}

void HtmlReport::AddImage(const Image& image, const AnalysisReport& a, const Plan& plan) {
  const cv::Mat bgr8 = To8Bit(PixelsInSrgb(image.pixels, image.info));  // as the file shows
  const std::string viewer = ViewerHtml(fmt::format("v{}", sections_.size()), bgr8, a.maps, a.input.path);

  std::string rows = MeasurementRowsHtml(a);
  if (!a.noise.level_function.empty())  // the noise level function under the verdicts
    rows += fmt::format("<tr><td class=\"t\">Noise by brightness</td><td colspan=\"2\">σ (8-bit) {}</td></tr>",
                        HtmlEscape(FormatNoiseLevelFunction(a.noise.level_function)));
  std::string advice;
  if (plan.steps.empty()) {
    advice = "<p class=\"empty\">Leave it as it is: " + HtmlEscape(LeaveAsIsWords(plan, a)) + ".</p>";
  } else {
    advice = "<ol class=\"plan\">";
    for (const PlanStep& s : plan.steps)
      advice += fmt::format("<li><b>{}</b><br><span class=\"why\">because {}</span></li>", HtmlEscape(FormatStepText(s)),
                            HtmlEscape(s.reason));
    advice += "</ol>";
  }
  for (const Warning& w : plan.warnings) advice += fmt::format("<div class=\"warn\">{}</div>", HtmlEscape(w.message));
  // The faces and text found, under the limits of the model the plan upscales with.
  std::string model;
  for (const PlanStep& s : plan.steps)
    if (const auto* up = std::get_if<UpscaleStep>(&s.params); up != nullptr && model.empty()) model = up->model;
  ContentCropOptions crop_options;
  if (a.target && a.target->cropped())
    crop_options.kept_px = a.target->kept_rect();
  if (const std::string crops = ContentCropsHtml(bgr8, a.faces, a.text, ContentLimitsFor(model), nullptr, crop_options);
      !crops.empty())
    advice += "<h3>Faces and text</h3>" + crops;

  const ImageInfo& in = a.input;
  sections_.push_back(fmt::format(
      "<section class=\"card\"><h2>{}</h2><p class=\"sub\">{} · {}×{} px · {}-bit{} · {}{}</p><div "
      "class=\"grid\"><div>{}<h3>Tones</h3>{}<p class=\"sub\">Histogram of blue, green, red and "
      "brightness (black line).</p></div><div><h3>What the picture has</h3><table class=\"m\">{}</table><h3>What "
      "to do</h3>{}</div></div></section>",
      HtmlEscape(in.path), ImageFormatName(in.format), in.width, in.height, in.bit_depth,
      in.has_alpha ? " · alpha" : "", in.file_bytes ? FormatBytes(*in.file_bytes) : "not from a file",
      in.dpi ? fmt::format(" · {:.0f} dpi", *in.dpi) : "", viewer, HistogramSvg(bgr8), rows, advice));
}

std::string HtmlReport::Finish() const {
  std::string body;
  for (const std::string& s : sections_) body += s;
  return fmt::format(
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>{0}</title><style>{1}</style></head><body><header><h1>{0}"
      "</h1><p>What each picture has, what it needs, and in which order: repair → upscale → sharpen last and "
      "lightly.</p></header><main>{2}</main><footer>Made by acuity {4}. Everything is embedded in this file.</footer>"
      "<script>{3}</script></body></html>\n",
      HtmlEscape(title_), kStyle, body, kScript, kAcuityVersion);
}

}  // namespace acuity::report
