#include "report/catalogue_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/color_space.h"
#include "analysis/io/guard.h"
#include "analysis/io/image_io.h"
#include "analysis/measurements/image_ops.h"
#include "batch/catalogue_items.h"
#include "batch/summary.h"
#include "report/html_report.h"

namespace acuity::report {

using batch::CatalogueItem;
using batch::CatalogueItems;
using batch::BatchSummary;
using batch::Summarize;
namespace {

using nlohmann::json;

// A histogram of `values` over [lo, hi] in `bins` bars (values outside go
// to the end bars), as inline SVG with the range and the count of each bar.
std::string ReadingHistogramSvg(const std::string& title, const std::vector<double>& values, double lo, double hi,
                         int bins, const std::string& unit) {
  std::vector<int> counts(bins, 0);
  for (double v : values) counts[std::clamp(int((v - lo) / (hi - lo) * bins), 0, bins - 1)]++;
  const int top = std::max(1, *std::max_element(counts.begin(), counts.end()));
  const int w = 300, h = 110, bar = w / bins;
  std::string svg = fmt::format("<figure class=\"hist\"><figcaption>{} <span class=\"sub\">({} measured)</span>"
                                "</figcaption><svg width=\"{}\" height=\"{}\" role=\"img\">",
                                HtmlEscape(title), values.size(), w, h + 18);
  for (int i = 0; i < bins; ++i) {
    const int bh = int(std::lround(double(counts[i]) / top * h));
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4a6fa5\"><title>{:g}–{:g} {}: "
                       "{}</title></rect>",
                       i * bar + 1, h - bh, bar - 2, bh, lo + (hi - lo) * i / bins, lo + (hi - lo) * (i + 1) / bins,
                       unit, counts[i]);
  }
  svg += fmt::format("<text x=\"0\" y=\"{0}\">{1:g}</text><text x=\"{2}\" y=\"{0}\" text-anchor=\"end\">{3:g}+ {4}"
                     "</text></svg></figure>",
                     h + 14, lo, w, hi, HtmlEscape(unit));
  return svg;
}

std::string CountsHtml(const std::string& title, const std::map<std::string, int>& counts) {
  std::string rows;
  for (const auto& [name, n] : counts)
    rows += fmt::format("<tr><td class=\"t\">{}</td><td class=\"v\">{}</td></tr>", HtmlEscape(name), n);
  if (rows.empty()) rows = "<tr><td>none</td></tr>";
  return fmt::format("<div><h3>{}</h3><table class=\"m\">{}</table></div>", HtmlEscape(title), rows);
}

// The file at `path` as an 8-bit picture; empty when it cannot be read.
cv::Mat Picture(const std::string& path) {
  if (path.empty()) return {};
  LoadOptions load;
  load.max_megapixels = 100;
  absl::StatusOr<Image> image = LoadImage(path, load);
  if (!image.ok()) return {};
  absl::StatusOr<cv::Mat> bgr = CatchToStatus("thumbnail", [&] { return To8Bit(PixelsInSrgb(image->pixels, image->info)); });
  return bgr.ok() ? *bgr : cv::Mat();
}

std::optional<cv::Rect> RectOf(const std::optional<batch::PixelRegion>& r) {
  if (!r) return std::nullopt;
  return cv::Rect(r->x, r->y, r->width, r->height);
}

// The crops (CorrespondingCrops) as pictures, the input's enlarged to the
// output's crop (nearest neighbour): before, after.
std::pair<std::string, std::string> Crops(const cv::Mat& input_as_stored, const cv::Mat& output,
                                          const CatalogueItem& item, int crop_px) {
  if (input_as_stored.empty() || output.empty()) return {};
  const cv::Mat input = Oriented(input_as_stored, item.qa_mirrored, item.qa_turned_deg);  // as QA compared it
  const auto [in_rect, out_rect] = CorrespondingCrops(input.size(), output.size(), RectOf(item.qa_input_region_px),
                                                      RectOf(item.qa_output_region_px), crop_px);
  if (in_rect.empty() || out_rect.empty()) return {};
  cv::Mat before;
  cv::resize(input(in_rect), before, out_rect.size(), 0, 0, cv::INTER_NEAREST);
  const int side = std::max(out_rect.width, out_rect.height);
  return {ImageDataUri(before, side, 80), ImageDataUri(output(out_rect).clone(), side, 80)};
}

std::string Link(const std::string& path, const std::string& report_dir) {
  if (path.empty()) return "";
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec || !std::filesystem::exists(abs, ec)) return "";
  const std::filesystem::path rel = std::filesystem::relative(abs, std::filesystem::absolute(report_dir, ec), ec);
  return ec ? abs.string() : rel.string();
}

json Optional(const std::optional<double>& v) {
  return v ? json(std::round(*v * 1000) / 1000) : json(nullptr);
}

constexpr char kStyle[] = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:16px 28px}header h1{margin:0;font-size:21px}header p{margin:4px 0 0;color:#b8c0d0}
main{max-width:1280px;margin:0 auto;padding:20px}
section.card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:16px 20px;margin-bottom:20px}
h2{margin:0 0 10px;font-size:18px}h3{margin:0 0 6px;font-size:15px}.sub{color:#5b6577;font-weight:normal}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:18px}
.hists{display:flex;flex-wrap:wrap;gap:18px}figure.hist{margin:0}figcaption{font-weight:600;margin-bottom:4px}
table.m{border-collapse:collapse;width:100%}table.m td{padding:4px 6px;border-bottom:1px solid #eceef2}
td.v{text-align:right;font-variant-numeric:tabular-nums}td.t{font-weight:600}
table.items{border-collapse:collapse;width:100%}table.items th{text-align:left;border-bottom:2px solid #c6ccd8;padding:6px}
table.items td{border-bottom:1px solid #eceef2;padding:4px 6px;vertical-align:middle}
table.items tr.row{cursor:pointer}table.items tr.row:hover{background:#f0f3f8}
td.th{width:124px;height:84px}td.th img{max-width:120px;max-height:80px;display:block}
.badge{display:inline-block;min-width:40px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}
.pass{background:#dff3e4;color:#1e6b34}.fix{background:#e3ecfa;color:#22487a}.measured{background:#ececec;color:#444}.warn{background:#fff1cc;color:#7a5a00}.fail,.error{background:#fde0df;color:#9b1c1c}
.code{display:inline-block;background:#eceef2;border-radius:8px;padding:0 6px;margin:1px;font-size:12px}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:10px}
.detail td{background:#fafbfc}.detail img{margin-right:6px;border:1px solid #c6ccd8}
svg text{font:11px system-ui,sans-serif;fill:#5b6577}
)css";

// Renders D.items page by page; thumbnails (D.thumbs by item index) load
// when their row scrolls into view.
constexpr char kScript[] = R"js(
var D=JSON.parse(document.getElementById('catalogue-data').textContent);
var PAGE=100,page=0,shown=[];
var body=document.getElementById('rows'),info=document.getElementById('pageinfo');
var io=('IntersectionObserver' in window)?new IntersectionObserver(function(es){es.forEach(function(e){
  if(e.isIntersecting){var i=e.target;i.src=D.thumbs[i.dataset.t];io.unobserve(i);}});}):null;
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return '&#'+c.charCodeAt(0)+';';});}
function num(v,d){return v===null||v===undefined?'–':Number(v).toFixed(d);}
function filter(){
  var f=document.getElementById('filter').value,q=document.getElementById('search').value.toLowerCase();
  shown=[];D.items.forEach(function(it,i){
    if(f&&it.v!==f&&it.w.indexOf(f)<0&&it.c.indexOf(f)<0)return;
    if(q&&it.p.toLowerCase().indexOf(q)<0)return;shown.push(i);});
  page=0;render();}
function detail(i){
  var it=D.items[i],h='<td colspan="8"><b>'+esc(it.p)+'</b>';
  if(it.e)h+='<div>error: '+esc(it.e)+'</div>';
  h+='<div>blur σ '+num(it.b,2)+' px · noise σ '+num(it.n,1)+' · JPEG quality '+num(it.q,0)+' · effective dpi '+num(it.d,0)+' · native scale '+num(it.k,2)+'</div>';
  if(it.w.length)h+='<div>warnings: '+it.w.map(esc).join(', ')+'</div>';
  if(it.s.length)h+='<div>plan: '+it.s.map(esc).join(' → ')+'</div>';
  if(it.c.length)h+='<div>QA checks not passed: '+it.c.map(esc).join(', ')+'</div>';
  if(D.crops[i])h+='<div>before / after (centre, 100 %): <img src="'+D.crops[i][0]+'"><img src="'+D.crops[i][1]+'"></div>';
  if(it.li)h+='<div><a href="'+esc(it.li)+'">input</a>'+(it.lo?' · <a href="'+esc(it.lo)+'">output</a>':'')+'</div>';
  return h+'</td>';}
function render(){
  var rows=[],end=Math.min(shown.length,(page+1)*PAGE);
  for(var k=page*PAGE;k<end;k++){var i=shown[k],it=D.items[i];
    rows.push('<tr class="row" id="item-'+i+'" data-i="'+i+'"><td class="th">'+(D.thumbs[i]?'<img data-t="'+i+'" alt="">':'')+
      '</td><td>'+esc(it.p)+'</td><td><span class="badge '+it.v+'">'+it.v+'</span></td><td>'+
      it.w.concat(it.c).map(function(c){return '<span class="code">'+esc(c)+'</span>';}).join('')+'</td><td class="v">'+
      num(it.b,2)+'</td><td class="v">'+num(it.n,1)+'</td><td class="v">'+num(it.q,0)+'</td><td class="v">'+num(it.k,2)+'</td></tr>');}
  body.innerHTML=rows.join('');
  info.textContent=shown.length?('items '+(page*PAGE+1)+'–'+end+' of '+shown.length):'no items';
  body.querySelectorAll('img[data-t]').forEach(function(im){if(io)io.observe(im);else im.src=D.thumbs[im.dataset.t];});}
body.addEventListener('click',function(e){var tr=e.target.closest('tr.row');if(!tr||e.target.tagName==='A')return;
  var n=tr.nextSibling;if(n&&n.classList.contains('detail')){n.remove();return;}
  var d=document.createElement('tr');d.className='detail';d.innerHTML=detail(+tr.dataset.i);tr.after(d);});
document.getElementById('prev').onclick=function(){if(page>0){page--;render();}};
document.getElementById('next').onclick=function(){if((page+1)*PAGE<shown.length){page++;render();}};
document.getElementById('filter').onchange=filter;document.getElementById('search').oninput=filter;
filter();
)js";

}  // namespace

std::pair<cv::Rect, cv::Rect> CorrespondingCrops(cv::Size input, cv::Size output,
                                                 const std::optional<cv::Rect>& input_region,
                                                 const std::optional<cv::Rect>& output_region, int crop_px) {
  if (input.empty() || output.empty()) return {};
  // Regions that do not lie inside their images are not used.
  const cv::Rect in_all(cv::Point(), input), out_all(cv::Point(), output);
  const bool known = input_region && output_region && !input_region->empty() && !output_region->empty() &&
                     (*input_region & in_all) == *input_region && (*output_region & out_all) == *output_region;
  const cv::Rect in_part = known ? *input_region : in_all, out_part = known ? *output_region : out_all;
  const int side = std::min({crop_px, out_part.width, out_part.height});
  const cv::Rect out_rect(out_part.x + (out_part.width - side) / 2, out_part.y + (out_part.height - side) / 2, side,
                          side);
  const double sx = double(in_part.width) / out_part.width, sy = double(in_part.height) / out_part.height;
  const int x0 = in_part.x + int(std::floor((out_rect.x - out_part.x) * sx));
  const int y0 = in_part.y + int(std::floor((out_rect.y - out_part.y) * sy));
  const int x1 = in_part.x + int(std::ceil((out_rect.br().x - out_part.x) * sx));
  const int y1 = in_part.y + int(std::ceil((out_rect.br().y - out_part.y) * sy));
  const cv::Rect in_rect = cv::Rect(cv::Point(x0, y0), cv::Point(std::max(x1, x0 + 1), std::max(y1, y0 + 1))) & in_all;
  return {in_rect, out_rect};
}

std::string CatalogueHtml(const std::vector<json>& records, const CatalogueOptions& options) {
  const std::vector<CatalogueItem> items = CatalogueItems(records);
  const BatchSummary summary = Summarize(records);
  std::map<std::string, int> by_verdict;
  std::vector<double> blur, noise, quality, dpi, native;
  json data_items = json::array(), thumbs = json::object(), crops = json::object();
  int enhanced_crops = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const CatalogueItem& it = items[i];
    by_verdict[it.verdict]++;
    if (it.blur_sigma_px) blur.push_back(*it.blur_sigma_px);
    if (it.noise_sigma_8bit) noise.push_back(*it.noise_sigma_8bit);
    if (it.jpeg_quality) quality.push_back(*it.jpeg_quality);
    if (it.effective_dpi) dpi.push_back(*it.effective_dpi);
    if (it.native_scale) native.push_back(*it.native_scale);
    json j = {{"p", it.path}, {"v", it.verdict}, {"w", it.warnings}, {"c", it.failed_checks}, {"s", it.steps},
              {"b", Optional(it.blur_sigma_px)}, {"n", Optional(it.noise_sigma_8bit)},
              {"q", Optional(it.jpeg_quality)}, {"d", Optional(it.effective_dpi)}, {"k", Optional(it.native_scale)}};
    if (!it.error.empty()) j["e"] = it.error;
    const std::string input_link = Link(it.source_path, options.report_dir);
    if (!input_link.empty()) j["li"] = input_link;
    const std::string output_link = Link(it.output, options.report_dir);
    if (!output_link.empty()) j["lo"] = output_link;
    data_items.push_back(std::move(j));
    if (int(i) >= options.thumbnails) continue;
    const cv::Mat picture = Picture(it.source_path);
    if (picture.empty()) continue;
    thumbs[std::to_string(i)] = ImageDataUri(picture, options.thumbnail_px, 70);
    if (enhanced_crops < options.crops && !it.output.empty()) {
      auto [before, after] = Crops(picture, Picture(it.output), it, options.crop_px);
      if (!before.empty()) crops[std::to_string(i)] = {before, after}, ++enhanced_crops;
    }
  }
  std::map<std::string, int> filter_codes = summary.by_warning;
  for (const auto& [check, n] : summary.by_check) filter_codes[check] += n;
  std::string filter = "<option value=\"\">all items</option>";
  for (const auto& [verdict, n] : by_verdict)
    filter += fmt::format("<option value=\"{0}\">verdict {0} ({1})</option>", verdict, n);
  for (const auto& [code, n] : filter_codes)
    filter += fmt::format("<option value=\"{0}\">{0} ({1})</option>", HtmlEscape(code), n);

  json data = {{"items", data_items}, {"thumbs", thumbs}, {"crops", crops}};
  std::string data_text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  // Inside <script>, "</" would end the element.
  for (size_t at = data_text.find("</"); at != std::string::npos; at = data_text.find("</", at + 3))
    data_text.replace(at, 2, "<\\/");

  const std::string counts = CountsHtml("By verdict", by_verdict) + CountsHtml("By warning", summary.by_warning) +
                             CountsHtml("QA checks not passed", summary.by_check) +
                             CountsHtml("Advised steps", summary.by_step);
  const std::string hists = ReadingHistogramSvg("Blur σ", blur, 0, 4, 16, "px") +
                            ReadingHistogramSvg("Noise σ", noise, 0, 20, 20, "8-bit") +
                            ReadingHistogramSvg("JPEG quality", quality, 0, 100, 20, "") +
                            ReadingHistogramSvg("Effective dpi", dpi, 0, 600, 20, "dpi") +
                            ReadingHistogramSvg("Native scale", native, 0, 1.2, 12, "");
  return fmt::format(
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>{0}</title><style>{1}</style></head><body><header><h1>{0}"
      "</h1><p>{2} inputs from {3} · {4} not processed</p></header><main>"
      "<section class=\"card\"><h2>Counts</h2><div class=\"counts\">{5}</div></section>"
      "<section class=\"card\"><h2>Readings</h2><div class=\"hists\">{6}</div></section>"
      "<section class=\"card\"><h2>Items, worst first</h2><div class=\"controls\"><select id=\"filter\">{7}</select>"
      "<input id=\"search\" placeholder=\"path contains…\"><button id=\"prev\">‹ prev</button><button "
      "id=\"next\">next ›</button><span id=\"pageinfo\"></span></div><table class=\"items\"><thead><tr><th></th>"
      "<th>file</th><th>verdict</th><th>warnings and checks</th><th>blur σ px</th><th>noise σ</th><th>JPEG q</th>"
      "<th>native scale</th></tr></thead><tbody id=\"rows\"></tbody></table><p class=\"sub\">Click a row for its "
      "detail. Thumbnails for the {8} worst items.</p></section></main>"
      "<script type=\"application/json\" id=\"catalogue-data\">{9}</script><script>{10}</script></body></html>",
      HtmlEscape(options.title), kStyle, items.size(), HtmlEscape(options.dir),
      summary.by_status.count("error") ? summary.by_status.at("error") : 0, counts, hists, filter,
      std::min<size_t>(items.size(), options.thumbnails), data_text, kScript);
}

}  // namespace acuity::report
