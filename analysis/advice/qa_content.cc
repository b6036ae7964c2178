#include "analysis/advice/qa_content.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "analysis/advice/content_advice.h"
#include "analysis/measurements/image_ops.h"
#include "analysis/measurements/quality_metrics.h"

namespace acuity {
namespace {

// `box` (input px) at the output's size, within it.
cv::Rect AtOutput(const cv::Rect& box, double sx, double sy, cv::Size out) {
  const cv::Rect scaled(int(std::floor(box.x * sx)), int(std::floor(box.y * sy)), int(std::ceil(box.width * sx)),
                        int(std::ceil(box.height * sy)));
  return scaled & cv::Rect(0, 0, out.width, out.height);
}

// A margin of `fraction` of the box's height around it (Tesseract needs some
// background around a line).
cv::Rect Grown(const cv::Rect& box, double fraction) {
  const int m = std::max(2, int(std::lround(box.height * fraction)));
  return cv::Rect(box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m);
}

// A line this long (characters read on the plain enlargement) is judged by
// its own share: one letter invented in a word ("EXIT" read "FXIT") is 25 %
// of its line and 1.6 % of a page of 60 characters.
constexpr size_t kLineJudgedFromChars = 4;

// Characters (UTF-8 code points) of `text`.
size_t CodePoints(const std::string& text) {
  return size_t(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// text_changed_pct: the most changed line's share of characters read
// differently (of the lines of at least kLineJudgedFromChars characters),
// else the share over all lines.
void AddTextCheck(const cv::Mat& enlarged, const cv::Mat& out, double sx, double sy, cv::Point origin,
                  const QaThresholds& thresholds, std::vector<QaCheck>& checks, const TextResult& text) {
  if (!text.lines || text.lines->empty()) return;
  size_t characters = 0;
  double changed = 0, worst = -1, worst_judged = -1;
  std::string worst_words, judged_words;
  TextOptions no_enlarge;
  no_enlarge.enlarge = 1;  // both crops are at the output's size already
  no_enlarge.read_bands = false;  // read alike: a band plain in one crop may not be in the other
  for (const TextLine& line : *text.lines) {
    const cv::Rect box = AtOutput(Grown({line.x, line.y, line.width_px, line.height_px}, 0.5), sx, sy, out.size());
    if (box.area() <= 0) continue;
    const TextResult before = MeasureText(enlarged(box), no_enlarge), after = MeasureText(out(box), no_enlarge);
    if (!before.lines || !after.lines) continue;
    const std::string read_before = JoinedText(*before.lines), read_after = JoinedText(*after.lines);
    if (read_before.empty()) continue;  // nothing read on the plain enlargement: nothing to compare
    const double accuracy = CharacterAccuracy(read_before, read_after);
    characters += read_before.size();
    changed += (1 - accuracy) * read_before.size();
    const std::string words = fmt::format("\"{}\" read \"{}\" at x {} y {} ({}×{} px)", read_before, read_after,
                                          origin.x + line.x, origin.y + line.y, line.width_px, line.height_px);
    if (CodePoints(read_before) >= kLineJudgedFromChars && 1 - accuracy > worst_judged)
      worst_judged = 1 - accuracy, judged_words = words;
    if (1 - accuracy > worst) worst = 1 - accuracy, worst_words = words;
  }
  if (characters == 0) return;
  const double all_pct = 100.0 * changed / characters;
  const bool by_line = worst_judged >= 0;
  const double pct = by_line ? 100.0 * worst_judged : all_pct;
  QaCheck check = MakeQaCheck(
      thresholds, "text_changed_pct", pct, "%",
      by_line ? fmt::format("{:.0f} % of the most changed line's characters read differently than on a plain "
                            "enlargement ({:.0f} % of all): {}",
                            pct, all_pct, judged_words)
              : fmt::format("{:.0f} % of the characters read differently than on a plain enlargement; most "
                            "changed: {}",
                            pct, worst_words));
  checks.push_back(check);
}

void AddFaceCheck(const cv::Mat& enlarged, const cv::Mat& out, double sx, double sy, cv::Point origin,
                  const QaThresholds& thresholds, std::vector<QaCheck>& checks, const FacesResult& faces,
                  double limit_px) {
  if (!faces.faces) return;
  double worst = -1;
  std::string where;
  int small = 0;
  for (const Face& f : *faces.faces) {
    if (f.width_px >= limit_px) continue;
    const cv::Rect box = AtOutput({f.x, f.y, f.width_px, f.height_px}, sx, sy, out.size());
    if (box.width < 11 || box.height < 11) continue;  // under SSIM's window
    ++small;
    const double changed = 1 - SsimY(enlarged(box), out(box), 0);
    if (changed > worst) {
      worst = changed;
      where = fmt::format("the {} px face at x {} y {}", f.width_px, origin.x + f.x, origin.y + f.y);
    }
  }
  if (small == 0) return;
  QaCheck check = MakeQaCheck(thresholds, "small_face_changed", worst, "1 − SSIM",
                              fmt::format("{} face{} under {:.0f} px wide; most changed from a plain enlargement: {} "
                                          "(1 − SSIM-Y {:.2f})",
                                          small, small == 1 ? "" : "s", limit_px, where, worst));
  // The words follow the check's own verdict: a face kept close to the plain
  // enlargement is not called invented.
  check.message += check.status == QaStatus::kPass
                       ? ": close to it — the model added little of its own there"
                       : ": detail there is the model's, not the person's";
  checks.push_back(check);
}

}  // namespace

ContentQa ContentChecks(const Image& input, const Image& output, const QaThresholds& thresholds, cv::Point origin) {
  ContentQa qa;
  qa.input_faces = MeasureFaces(input.pixels);
  qa.input_text = MeasureText(input.pixels);
  std::vector<QaCheck>& checks = qa.checks;
  const cv::Mat in8 = To8Bit(input.pixels), out8 = To8Bit(output.pixels);
  const double sx = double(out8.cols) / in8.cols, sy = double(out8.rows) / in8.rows;
  cv::Mat enlarged;
  cv::resize(in8, enlarged, out8.size(), 0, 0, sx >= 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  AddTextCheck(enlarged, out8, sx, sy, origin, thresholds, checks, qa.input_text);
  // The limit of the strictest model: QA does not know which model made it.
  AddFaceCheck(enlarged, out8, sx, sy, origin, thresholds, checks, qa.input_faces, ContentLimitsFor("").face_width_px);
  return qa;
}

}  // namespace acuity
