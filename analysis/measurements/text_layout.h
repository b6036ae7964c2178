// Text in a picture, found, sized and read: Tesseract's sparse-text layout
// and recognition (English) in the shared module libacuity_text.so
// (content_finders.h), loaded on first use. Each line comes with its box and
// its x-height (the height of a lowercase "x", px): the size that decides
// whether letters can be read. Small text is looked for on an enlarged copy
// while it stays under a pixel budget. Each band of plain background across
// the picture (a caption bar under a photo) is read again on its own
// (TextOptions::read_bands): Tesseract reads a line beside a large mid-tone
// block as part of the block. A missing module or language data
// leaves the reading "not measured" with the reason.
//
//   acuity::TextResult r = acuity::MeasureText(image.pixels);
//   if (r.lines) for (const acuity::TextLine& t : *r.lines) Use(t.x_height_px, t.text);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_TEXT_LAYOUT_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_TEXT_LAYOUT_H_

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

struct TextLine {
  int x = 0, y = 0;  // top-left corner, input pixels (upright image)
  int width_px = 0, height_px = 0;
  double x_height_px = 0;  // input pixels
  double confidence = 0;   // Tesseract's mean word confidence, 0–100
  std::string text;        // what Tesseract read (UTF-8)
};

struct TextResult {
  std::optional<std::vector<TextLine>> lines;  // top to bottom; nullopt = not measured
  std::string not_measured_reason;             // "" when measured
};

struct TextOptions {
  // Words Tesseract is less sure of are dropped (on photos, texture reads as
  // short low-confidence "words"), 0–100.
  double min_confidence = 60;
  // The image is enlarged by this factor before Tesseract (it reads small
  // letters better at about 20 px cap height), within max_search_megapixels:
  // a larger image is read reduced (its cost grows with its pixels:
  // docs/content.md, "Cost"), and its smallest text is then missed.
  double enlarge = 2;
  double max_search_megapixels = 3;
  // Each band of plain background across the picture (a caption bar under
  // a photo) is also read on its own (text_layout.cc CaptionBands): up to 4
  // more reads, within the search's time limit. QA, which reads one line's
  // crop of two pictures alike, leaves it off.
  bool read_bands = true;
  std::string tessdata_dir;  // "" = Tesseract's default (tesseract-ocr-eng's)
};

// `pixels`: 8- or 16-bit, gray, BGR or BGRA. Throws only for the machine: std::bad_alloc, or MachineResourceException (guard.h) when the reader cannot start; other failures leave the reading not measured.
TextResult MeasureText(const cv::Mat& pixels, const TextOptions& options = {});

// The x-height of one line of text, px: `line` is an 8-bit gray crop
// holding the line (dark on light or light on dark). The ink (Otsu's
// minority class) is counted per row; the rows where it is densest form the
// band between the baseline and the top of the lowercase letters, its edges
// counted by their share of the band's density. Capitals only: the cap
// height. nullopt when the crop holds no ink or is under 3×3 px.
std::optional<double> MeasureXHeight(const cv::Mat& line);

// `text` (UTF-8) cut to its first `max_bytes` bytes, never inside a
// character, with "…" after it; whole when it is no longer.
std::string ShortenedText(const std::string& text, size_t max_bytes);

// The characters of `lines` in reading order, one line per row, for
// comparing what was read before and after an enhancement.
std::string JoinedText(const std::vector<TextLine>& lines);

// Character accuracy of `read` against `truth`: 1 − edit distance (Levenshtein,
// on bytes, whitespace runs collapsed) / truth's length, floored at 0.
double CharacterAccuracy(const std::string& truth, const std::string& read);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_TEXT_LAYOUT_H_
