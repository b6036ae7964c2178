// The catalogue report of a batch (`acuity report --batch DIR -o
// catalogue.html`): one self-contained page over DIR's results (every
// results*.jsonl, the last record of each input): counts by verdict and by
// warning, histograms of the readings (blur σ, noise σ, JPEG quality,
// effective dpi, native scale), and every item, worst first, in a table
// paged and filtered in the page's script, with thumbnails of the worst
// items (and before/after crops for an enhance batch) and each item's detail
// (readings, warnings, plan, QA checks, links to its input and output).
// Built for 10 000 records: the items are one compact JSON array, only the
// worst CatalogueOptions::thumbnails get thumbnails, which load as their
// rows scroll into view (docs/targets.md measures the size).
//
//   acuity::report::CatalogueOptions options{.title = "shop photos"};
//   std::string page = acuity::report::CatalogueHtml(ReadResultsDir("out").records, options);
#ifndef ACUITY_REPORT_CATALOGUE_REPORT_H_
#define ACUITY_REPORT_CATALOGUE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace acuity::report {

struct CatalogueOptions {
  std::string title = "acuity catalogue";
  std::string dir;              // the batch's --out DIR, named on the page
  std::string report_dir = ".";  // where the page is written: links are relative to it
  int thumbnails = 200;         // the worst N items get a thumbnail
  int thumbnail_px = 120;       // long edge, px
  int crops = 40;               // the worst N enhanced items get before/after crops
  int crop_px = 96;             // side of a crop, px
};

// The before/after crops of an enhanced item: a square of at most
// `crop_px` at the centre of the part of the output that shows the input
// (`output_region`, output px; the whole output when not known), and the
// part of the input it shows (`input_region`, input px; the whole input
// when not known) — so that a padded or cropped result's "before" is the
// same content at its own aspect, not the input stretched over the output.
// {input rect, output rect}; empty rects when either size is empty.
std::pair<cv::Rect, cv::Rect> CorrespondingCrops(cv::Size input, cv::Size output,
                                                 const std::optional<cv::Rect>& input_region,
                                                 const std::optional<cv::Rect>& output_region, int crop_px);

// The whole page. Thumbnails read each item's source_path (and output);
// a file that cannot be read gets no thumbnail, never an error.
std::string CatalogueHtml(const std::vector<nlohmann::json>& records, const CatalogueOptions& options);

}  // namespace acuity::report

#endif  // ACUITY_REPORT_CATALOGUE_REPORT_H_
