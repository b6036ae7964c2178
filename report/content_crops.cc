#include "report/content_crops.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "report/html_report.h"

namespace acuity::report {
namespace {

cv::Rect WithMargin(cv::Rect box, double margin, cv::Size picture) {
  const int mx = int(std::lround(box.width * margin)), my = int(std::lround(box.height * margin));
  const cv::Rect grown(box.x - mx, box.y - my, box.width + 2 * mx, box.height + 2 * my);
  return grown & cv::Rect(0, 0, picture.width, picture.height);
}

int ZoomFor(cv::Rect r, int display_px) {
  return std::max(1, int(std::lround(double(display_px) / std::max(1, std::max(r.width, r.height)))));
}

// The same region in `after`, which may be larger (an upscale) or smaller.
cv::Rect InAfter(cv::Rect r, cv::Size before, cv::Size after) {
  const double sx = double(after.width) / before.width, sy = double(after.height) / before.height;
  const cv::Rect scaled(int(std::floor(r.x * sx)), int(std::floor(r.y * sy)), std::max(1, int(std::lround(r.width * sx))),
                        std::max(1, int(std::lround(r.height * sy))));
  return scaled & cv::Rect(0, 0, after.width, after.height);
}

// The `max` smallest of `items` by `size_of` (their box: x, y, width_px,
// height_px), each cut with its margin, marked when under `limit` and kept
// by the plan's crop, and captioned by `describe(item, small)` (and said to
// be cut when it is not kept).
template <typename Item, typename SizeOf, typename Describe>
void AddSmallest(std::vector<Item> items, int max, SizeOf size_of, double limit, Describe describe, cv::Size picture,
                 const ContentCropOptions& options, std::vector<ContentCrop>& crops) {
  std::stable_sort(items.begin(), items.end(), [&](const Item& a, const Item& b) { return size_of(a) < size_of(b); });
  items.resize(std::min<size_t>(items.size(), size_t(std::max(0, max))));
  for (const Item& item : items) {
    ContentCrop c;
    c.before_px = WithMargin({item.x, item.y, item.width_px, item.height_px}, options.margin, picture);
    if (c.before_px.empty()) continue;
    c.zoom = ZoomFor(c.before_px, options.display_px);
    const bool kept = InKeptWindow({item.x, item.y, item.width_px, item.height_px}, options.kept_px);
    c.small = size_of(item) < limit && kept;
    c.caption = describe(item, c.small) + (kept ? "" : " — cut by the plan's crop");
    crops.push_back(std::move(c));
  }
}

}  // namespace

std::vector<ContentCrop> ContentCropsOf(cv::Size picture, const FacesResult& faces, const TextResult& text,
                                        const ContentLimits& limits, const ContentCropOptions& options) {
  std::vector<ContentCrop> crops;
  if (faces.faces)
    AddSmallest(
        *faces.faces, options.max_faces, [](const Face& f) { return double(f.width_px); }, limits.face_width_px,
        [&](const Face& f, bool small) {
          std::string caption = fmt::format("{}face, {} px wide", f.profile ? "profile " : "", f.width_px);
          if (small) caption += fmt::format(" — under {:.0f} px: an upscale invents it", limits.face_width_px);
          return caption;
        },
        picture, options, crops);
  if (text.lines)
    AddSmallest(
        *text.lines, options.max_text_lines, [](const TextLine& t) { return t.x_height_px; }, limits.x_height_px,
        [&](const TextLine& t, bool small) {
          std::string caption = fmt::format("text, x-height {:.1f} px: “{}”", t.x_height_px, ShortenedText(t.text, 40));
          if (small) caption += fmt::format(" — under {:.1f} px: an upscale guesses the letters", limits.x_height_px);
          return caption;
        },
        picture, options, crops);
  return crops;
}

std::string ContentCropsHtml(const cv::Mat& before_bgr8, const FacesResult& faces, const TextResult& text,
                             const ContentLimits& limits, const cv::Mat* after_bgr8,
                             const ContentCropOptions& options) {
  const std::vector<ContentCrop> crops = ContentCropsOf(before_bgr8.size(), faces, text, limits, options);
  if (crops.empty()) return "";
  std::string figures;
  const bool with_after = after_bgr8 != nullptr && !after_bgr8->empty();
  for (const ContentCrop& c : crops) {
    // An enlarged result is shown at its own scale (whole pixels of the
    // input), not shrunk to the input's zoom, so that what the model drew
    // is seen; at most 3 times the display size.
    int zoom = c.zoom;
    const cv::Rect r = with_after ? InAfter(c.before_px, before_bgr8.size(), after_bgr8->size()) : cv::Rect();
    if (!r.empty()) {
      const int native = int(std::lround(double(r.width) / c.before_px.width));
      const int longest = std::max(c.before_px.width, c.before_px.height);
      zoom = std::max(zoom, std::min(native, std::max(1, 3 * options.display_px / longest)));
    }
    const cv::Size shown(c.before_px.width * zoom, c.before_px.height * zoom);
    cv::Mat before;
    cv::resize(before_bgr8(c.before_px), before, shown, 0, 0, cv::INTER_NEAREST);
    std::string images = fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"before\">",
                                     PngDataUri(before), shown.width, shown.height);
    if (!r.empty()) {
      cv::Mat after;
      const bool larger = r.width >= shown.width;
      cv::resize((*after_bgr8)(r), after, shown, 0, 0, larger ? cv::INTER_AREA : cv::INTER_NEAREST);
      images += fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"after\">", PngDataUri(after),
                            shown.width, shown.height);
    }
    const std::string how = !r.empty() ? fmt::format(" <span class=\"sub\">(before | after, shown ×{})</span>", zoom)
                            : zoom > 1  ? fmt::format(" <span class=\"sub\">(shown ×{})</span>", zoom)
                                        : "";
    figures += fmt::format("<figure class=\"crop{}\">{}<figcaption>{}{}</figcaption></figure>",
                           c.small ? " small" : "", images, HtmlEscape(c.caption), how);
  }
  return fmt::format("<div class=\"crops\">{}</div><p class=\"sub\">The limits: {}.</p>", figures,
                     HtmlEscape(limits.source));
}

}  // namespace acuity::report
