#include "analysis/measurements/text_layout.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <exception>
#include <new>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "analysis/io/guard.h"
#include "analysis/io/isolated_call.h"
#include "analysis/measurements/content_finders.h"
#include "analysis/measurements/image_ops.h"

namespace acuity {
namespace {

// Whitespace runs become one space, ends trimmed.
std::string CollapseSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Tesseract's sparse-text mode returns a line in pieces when its words are
// spaced (on a flat background, "over a lazy dog" apart from the rest): the
// pieces of alike heights that share most of it and are less than two line
// heights apart become one line, read left to right.
std::vector<RawTextLine> JoinedPieces(std::vector<RawTextLine> pieces) {
  std::sort(pieces.begin(), pieces.end(), [](const RawTextLine& a, const RawTextLine& b) { return a.box.x < b.box.x; });
  std::vector<RawTextLine> lines;
  std::vector<double> characters;  // per line: the weight of its confidence
  for (const RawTextLine& piece : pieces) {
    RawTextLine* joined = nullptr;
    for (RawTextLine& line : lines) {
      const int shared = std::min(line.box.br().y, piece.box.br().y) - std::max(line.box.y, piece.box.y);
      const int height = std::max(line.box.height, piece.box.height);
      const int gap = piece.box.x - line.box.br().x;
      const bool alike = height <= 2 * std::min(line.box.height, piece.box.height);  // not a tall mark beside small text
      if (alike && shared >= 0.5 * std::min(line.box.height, piece.box.height) && gap < 2 * height && gap > -height) {
        joined = &line;
        break;
      }
    }
    if (joined == nullptr) {
      lines.push_back(piece);
      characters.push_back(double(piece.text.size()));
      continue;
    }
    const size_t i = size_t(joined - lines.data());
    const double n = double(piece.text.size());
    joined->confidence = (joined->confidence * characters[i] + piece.confidence * n) / std::max(1.0, characters[i] + n);
    characters[i] += n;
    joined->box |= piece.box;
    joined->text += " " + piece.text;
  }
  return lines;
}

// A line with fewer letters or digits than this is a mark Tesseract read in
// texture (a "¥" on the astronaut's suit), not text.
constexpr int kMinAlphanumerics = 2;
// A line this short ("Lea" in a cat's fur, "ay" in grass, "LIN" on a rocket)
// counts only when Tesseract is this sure of it. On 17 photos without text
// (scikit-image's, PNG and JPEG q90) every one of the 33 lines read had at
// most 3 letters or digits and a confidence of 61–89; of the 132 lines read
// on the text ladders (datasets/content_ladder.py: their inputs and
// esrgan-slim's upscales, 3-12 px), none is that short and unsure.
constexpr int kShortLineAlphanumerics = 4;
constexpr double kShortLineMinConfidence = 90;

int Alphanumerics(const std::string& text) {
  return int(std::count_if(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }));
}

// Whether a line read is text, not a mark read in texture
// (kMinAlphanumerics, kShortLineAlphanumerics).
bool KeptLine(const RawTextLine& line) {
  const int alphanumerics = Alphanumerics(line.text);
  return alphanumerics >= kMinAlphanumerics &&
         (alphanumerics >= kShortLineAlphanumerics || line.confidence >= kShortLineMinConfidence);
}

// JoinedPieces of `pieces`, the lines KeptLine keeps.
std::vector<RawTextLine> KeptLines(std::vector<RawTextLine> pieces) {
  std::vector<RawTextLine> lines = JoinedPieces(std::move(pieces));
  lines.erase(std::remove_if(lines.begin(), lines.end(), [](const RawTextLine& l) { return !KeptLine(l); }),
              lines.end());
  return lines;
}

// Bands of a plain background across the picture, read again on their own
// (CaptionBands): a caption bar under or over a photo (a meme's, a shop
// image's) or a plain block beside it. Tesseract's layout takes a line of
// text a few pixels from a large picture or dark block for part of that
// block: a two-line caption 4–22 px under a photo was not found, 30 px
// under it and on its own it was (walk 59). A band: 8-connected pixels
// whose 3×3 neighbourhood spans at most kBandFlatRange8bit levels of luma
// (a JPEG's ringing too), at least kBandMinWidthShare of the picture's
// width and kBandMinAreaShare of its area, and at most kBandMaxHeightShare
// of its height (a page's or a screenshot's background behind everything
// is read with the whole picture); at most kMaxBands of them, the largest.
constexpr int kBandFlatRange8bit = 6;
constexpr double kBandMinWidthShare = 0.9;
constexpr double kBandMinAreaShare = 0.03;
constexpr double kBandMaxHeightShare = 0.5;
constexpr int kMaxBands = 4;
// Bands are looked for on the picture reduced to at most this many px on its
// longer side (they are large; labels of a 12 MP picture cost 48 MB).
constexpr int kBandSearchMaxSidePx = 1024;
// A band lower than this many px, as Tesseract reads it (enlarged), holds no
// line of text worth a read of its own.
constexpr int kMinBandReadPx = 16;
// A line read in a band and one read before are the same line when they
// share this much of the smaller box (MergeBandLine).
constexpr double kSameLineOverlap = 0.5;

// The bands of `own` (CV_8U, the picture's own pixels), boxes in its px.
std::vector<cv::Rect> CaptionBands(const cv::Mat& own) {
  const double reduce = std::min(1.0, double(kBandSearchMaxSidePx) / std::max(own.cols, own.rows));
  cv::Mat gray8 = own;
  if (reduce < 1.0)  // (a side of 1 px at least: a 1×2100 rule)
    cv::resize(own, gray8,
               cv::Size(std::max(1, int(std::lround(own.cols * reduce))), std::max(1, int(std::lround(own.rows * reduce)))),
               0, 0, cv::INTER_AREA);
  const double back_x = double(own.cols) / gray8.cols, back_y = double(own.rows) / gray8.rows;
  const cv::Mat square = cv::Mat::ones(3, 3, CV_8U);
  cv::Mat lo, hi;
  cv::erode(gray8, lo, square, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  cv::dilate(gray8, hi, square, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  const cv::Mat plain = (hi - lo) <= kBandFlatRange8bit;
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(plain, labels, stats, centroids, 8, CV_32S);
  std::vector<std::pair<int, cv::Rect>> bands;  // area, box
  for (int k = 1; k < count; ++k) {
    const cv::Rect box(stats.at<int>(k, cv::CC_STAT_LEFT), stats.at<int>(k, cv::CC_STAT_TOP),
                       stats.at<int>(k, cv::CC_STAT_WIDTH), stats.at<int>(k, cv::CC_STAT_HEIGHT));
    const int area = stats.at<int>(k, cv::CC_STAT_AREA);
    if (box.width >= kBandMinWidthShare * gray8.cols && area >= kBandMinAreaShare * double(gray8.total()) &&
        box.height <= kBandMaxHeightShare * gray8.rows)
      bands.emplace_back(area, box);
  }
  std::sort(bands.begin(), bands.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<cv::Rect> out;
  for (size_t i = 0; i < bands.size() && int(i) < kMaxBands; ++i) {
    const cv::Rect& b = bands[i].second;
    const int x0 = int(std::floor(b.x * back_x)), y0 = int(std::floor(b.y * back_y));
    const int x1 = int(std::ceil(b.br().x * back_x)), y1 = int(std::ceil(b.br().y * back_y));
    out.push_back(cv::Rect(x0, y0, x1 - x0, y1 - y0) & cv::Rect(0, 0, own.cols, own.rows));
  }
  return out;
}

// `line`, read in a band, into `lines` (both kept by KeptLine): added when
// no line read before is the same line (kSameLineOverlap); in place of
// those that are when it reads more letters and digits than each of them,
// or as many more surely (the whole picture's reading kept a piece of it:
// "FIRST TRY" of "COMPILES FIRST TRY"); else left out.
void MergeBandLine(RawTextLine line, std::vector<RawTextLine>& lines) {
  auto same = [&](const RawTextLine& other) {
    const double shared = (line.box & other.box).area(), smaller = std::min(line.box.area(), other.box.area());
    return smaller > 0 && shared >= kSameLineOverlap * smaller;
  };
  const int letters = Alphanumerics(line.text);
  for (const RawTextLine& other : lines) {
    if (!same(other)) continue;
    const int theirs = Alphanumerics(other.text);
    if (theirs > letters || (theirs == letters && other.confidence >= line.confidence)) return;
  }
  lines.erase(std::remove_if(lines.begin(), lines.end(), same), lines.end());
  lines.push_back(std::move(line));
}

// A text search that takes longer than this is stopped: the text is not
// measured, the rest of the analysis goes on. The bands' reads share what
// the whole picture's read left of it.
constexpr double kSearchTimeLimitS = 300;

// finder.Find in a child process (isolated_call.h). Tesseract does not
// check what Leptonica failed to allocate and crashed (SIGSEGV) under a
// ulimit -v, taking the whole analysis — a batch's worker — with it. In the
// child, a crash under an address-space limit is the machine's out of
// memory (exit 4, as a refused allocation is); without one it costs the
// text reading only ("not measured"). An interrupt lets the search finish,
// as it did in the process. Both content modules are loaded first: no
// dlopen may be under way on another thread when the child is forked.
IsolationOptions TextSearchIsolation(double time_limit_s) {
  IsolationOptions o;
  o.what = "the text reader (Tesseract)";
  o.time_limit_s = time_limit_s;
  o.crash_under_a_limit_is_out_of_memory = true;
  o.finish_when_interrupted = true;
  return o;
}

absl::StatusOr<std::vector<RawTextLine>> FindIsolated(const TextFinder& finder, const cv::Mat& gray,
                                                      const TextOptions& options,
                                                      double time_limit_s = kSearchTimeLimitS) {
  // In a sanitizer build, in the process, as before (isolated_call.h).
  if (!ForkIsSafeBesideBusyThreads()) return finder.Find(gray, options.tessdata_dir, options.min_confidence);
  (void)LoadFaceFinder();  // see above: loaded (or failed) before the fork
  absl::StatusOr<std::string> reply =
      RunIsolated(TextSearchIsolation(time_limit_s), [&]() -> absl::StatusOr<std::string> {
        absl::StatusOr<std::vector<RawTextLine>> lines = finder.Find(gray, options.tessdata_dir, options.min_confidence);
        if (!lines.ok()) return lines.status();
        WireWriter w;
        w.Int(int64_t(lines->size()));
        for (const RawTextLine& line : *lines) {
          for (int v : {line.box.x, line.box.y, line.box.width, line.box.height}) w.Int(v);
          w.Int(std::llround(line.confidence * 1e6));
          w.Bytes(line.text);
        }
        return w.Take();
      });
  if (!reply.ok()) return reply.status();
  const absl::Status short_reply = absl::DataLossError("the text reader sent back a short reply");
  WireReader r(*reply);
  int64_t count = 0;
  if (!r.Int(count) || count < 0) return short_reply;
  std::vector<RawTextLine> lines;
  for (int64_t i = 0; i < count; ++i) {
    int64_t v[5];
    RawTextLine line;
    for (int64_t& x : v)
      if (!r.Int(x)) return short_reply;
    if (!r.Bytes(line.text)) return short_reply;
    line.box = cv::Rect(int(v[0]), int(v[1]), int(v[2]), int(v[3]));
    line.confidence = double(v[4]) / 1e6;
    lines.push_back(std::move(line));
  }
  return lines;
}

// The caption bands (`bands`, CaptionBands, in the picture's own px), each
// read on its own in `gray` (the picture as Tesseract reads it, `scale`
// times its own size), their lines merged into `found` (MergeBandLine)
// while `seconds_left` lasts. A line that touches the band's cut top or
// bottom (not the picture's edge) was cut by it and is left out. A band's
// failed read leaves what was read; a machine fault is thrown
// (MachineResourceException, std::bad_alloc).
void ReadBands(const TextFinder& finder, const cv::Mat& gray, double scale, const std::vector<cv::Rect>& bands,
               const TextOptions& options, double seconds_left, std::vector<RawTextLine>& found) {
  const cv::Rect picture(0, 0, gray.cols, gray.rows);
  const auto start = std::chrono::steady_clock::now();
  for (const cv::Rect& band : bands) {
    const double left = seconds_left - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (left < 1.0) return;
    const cv::Point tl(int(std::floor(band.x * scale)), int(std::floor(band.y * scale)));
    const cv::Point br(int(std::ceil(band.br().x * scale)), int(std::ceil(band.br().y * scale)));
    const cv::Rect at = cv::Rect(tl, br) & picture;
    if (at.height < kMinBandReadPx || at == picture) continue;
    absl::StatusOr<std::vector<RawTextLine>> more;
    try {
      more = FindIsolated(finder, gray(at).clone(), options, left);
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const MachineResourceException&) {
      throw;
    } catch (const std::exception&) {
      continue;  // what was read stands
    }
    if (!more.ok()) {
      if (IsMachineResourceError(more.status())) throw MachineResourceException(more.status());
      continue;  // what was read stands
    }
    for (RawTextLine& line : KeptLines(*std::move(more))) {
      const bool cut = (line.box.y <= 0 && at.y > 0) || (line.box.br().y >= at.height && at.br().y < gray.rows);
      if (cut) continue;
      line.box += at.tl();
      MergeBandLine(std::move(line), found);
    }
  }
}

}  // namespace

std::optional<double> MeasureXHeight(const cv::Mat& line) {
  if (line.rows < 3 || line.cols < 3) return std::nullopt;
  cv::Mat ink;
  cv::threshold(line, ink, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  if (cv::countNonZero(ink) * 2 > int(ink.total())) cv::bitwise_not(ink, ink);
  std::vector<double> share(ink.rows);  // ink per row, 0–1
  for (int y = 0; y < ink.rows; ++y) share[y] = cv::countNonZero(ink.row(y)) / double(ink.cols);
  const double peak = *std::max_element(share.begin(), share.end());
  if (peak <= 0) return std::nullopt;
  // The band's density: the median of the rows at least half as dense as the densest.
  std::vector<double> dense;
  for (double s : share)
    if (s >= 0.5 * peak) dense.push_back(s);
  std::nth_element(dense.begin(), dense.begin() + dense.size() / 2, dense.end());
  const double core = dense[dense.size() / 2];
  const int top_row = int(std::max_element(share.begin(), share.end()) - share.begin());
  int top = top_row, bottom = top_row;
  while (top > 0 && share[top - 1] >= 0.5 * core) --top;
  while (bottom + 1 < ink.rows && share[bottom + 1] >= 0.5 * core) ++bottom;
  double height = bottom - top + 1;
  if (top > 0) height += std::min(1.0, share[top - 1] / core);
  if (bottom + 1 < ink.rows) height += std::min(1.0, share[bottom + 1] / core);
  return height;
}

TextResult MeasureText(const cv::Mat& pixels, const TextOptions& options) {
  TextResult result;
  if (pixels.empty()) {
    result.not_measured_reason = "empty image";
    return result;
  }
  absl::StatusOr<const TextFinder*> finder = LoadTextFinder();
  if (!finder.ok()) {
    result.not_measured_reason = std::string(finder.status().message());
    return result;
  }
  try {
    cv::Mat own = To8Bit(pixels, /*keep_gray=*/true);
    if (own.channels() == 3) cv::cvtColor(own, own, cv::COLOR_BGR2GRAY);
    // The caption bands (CaptionBands), found on the picture's own pixels.
    std::vector<cv::Rect> bands;
    if (options.read_bands) {
      try {
        bands = CaptionBands(own);
      } catch (const cv::Exception&) {
        bands.clear();  // the whole picture's reading stands alone
      }
    }
    cv::Mat gray = own;
    const double megapixels = double(gray.total()) / 1e6;
    const double scale = std::min(options.enlarge, std::sqrt(options.max_search_megapixels / std::max(megapixels, 1e-6)));
    if (scale != 1.0) cv::resize(own, gray, cv::Size(), scale, scale, scale > 1.0 ? cv::INTER_CUBIC : cv::INTER_AREA);
    own.release();
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<RawTextLine>> raw = FindIsolated(**finder, gray, options);
    if (!raw.ok()) {
      // Memory that ran out is the machine's fault, not "text not measured".
      if (IsMachineResourceError(raw.status())) throw MachineResourceException(raw.status());
      result.not_measured_reason = std::string(raw.status().message());
      return result;
    }
    std::vector<RawTextLine> found = KeptLines(*std::move(raw));
    // Each band read again on its own: the lines the whole picture's reading
    // missed, or kept a piece of.
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ReadBands(**finder, gray, scale, bands, options, kSearchTimeLimitS - spent, found);
    std::vector<TextLine> lines;
    for (const RawTextLine& r : found) {
      TextLine line;
      line.x = int(std::lround(r.box.x / scale));
      line.y = int(std::lround(r.box.y / scale));
      line.width_px = int(std::lround(r.box.width / scale));
      line.height_px = int(std::lround(r.box.height / scale));
      const cv::Rect inside = r.box & cv::Rect(0, 0, gray.cols, gray.rows);
      const std::optional<double> x_height = MeasureXHeight(gray(inside));
      if (!x_height) continue;  // no ink: not a line of text
      line.x_height_px = std::round(*x_height / scale * 10) / 10;
      line.confidence = std::round(r.confidence * 10) / 10;
      line.text = r.text;
      lines.push_back(std::move(line));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const TextLine& a, const TextLine& b) { return a.y < b.y; });
    result.lines = std::move(lines);
  } catch (const std::bad_alloc&) {
    throw;  // the machine's fault: TryAnalyze reports it (guard.h)
  } catch (const MachineResourceException&) {
    throw;  // the same, in its own words
  } catch (const std::exception& e) {
    result.not_measured_reason = std::string("text search failed: ") + e.what();
  }
  return result;
}

std::string JoinedText(const std::vector<TextLine>& lines) {
  std::string out;
  for (const TextLine& line : lines) {
    if (!out.empty()) out += "\n";
    out += line.text;
  }
  return out;
}

double CharacterAccuracy(const std::string& truth, const std::string& read) {
  const std::string a = CollapseSpaces(truth), b = CollapseSpaces(read);
  if (a.empty()) return b.empty() ? 1.0 : 0.0;
  std::vector<int> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = int(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = int(i);
    for (size_t j = 1; j <= b.size(); ++j)
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(previous, current);
  }
  return std::max(0.0, 1.0 - double(previous[b.size()]) / a.size());
}

std::string ShortenedText(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "…";
}

}  // namespace acuity
