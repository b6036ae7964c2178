// Tesseract behind TextFinder (content_finders.h), built as the shared
// module libacuity_text.so and loaded on first use.
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/measurements/content_finders.h"

namespace acuity {
namespace {

struct EndApi {
  void operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
  }
};

// Leptonica, Tesseract's image library, reports an error — a failed
// allocation among them — as a line on stderr ("Error in pixCreate: ...")
// and goes on with a missing image: under ulimit -v, 24 000 lines and a
// reading of nothing. Its messages come here instead, noted for the thread
// whose search made them (everything of one search runs on the calling
// thread, see Find).
struct LeptonicaErrors {
  bool allocation_failed = false;
};
thread_local LeptonicaErrors leptonica_errors;

void OnLeptonicaMessage(const char* message) {
  // Its format: "Error in <function>: <what>", "Warning in ...", "Info in ...".
  // A failed allocation: "pixdata_malloc fail for data", "calloc fail for
  // ptr" (other errors — "pixd not made", "box outside rectangle" — follow
  // from it or are harmless).
  if (std::strncmp(message, "Error in ", 9) != 0) return;
  if (std::strstr(message, "alloc") != nullptr) leptonica_errors.allocation_failed = true;
}

absl::StatusOr<std::vector<RawTextLine>> FindLines(const cv::Mat& gray,
                                                   const std::string& tessdata_dir,
                                                   double min_confidence) {
  try {
    std::unique_ptr<tesseract::TessBaseAPI, EndApi> api(new tesseract::TessBaseAPI());
    // Tesseract prints its own warnings ("Estimating resolution as ...") to
    // stderr unless told to be quiet.
    api->SetVariable("debug_file", "/dev/null");
    if (api->Init(tessdata_dir.empty() ? nullptr : tessdata_dir.c_str(), "eng",
                  tesseract::OEM_LSTM_ONLY) != 0)
      return absl::NotFoundError(
          absl::StrCat("Tesseract's English data (eng.traineddata) was not found",
                       tessdata_dir.empty() ? "" : " in " + tessdata_dir));
    api->SetPageSegMode(tesseract::PSM_SPARSE_TEXT);
    cv::Mat continuous = gray.isContinuous() ? gray : gray.clone();
    api->SetImage(continuous.data, continuous.cols, continuous.rows, 1, int(continuous.step));
    api->SetSourceResolution(
        300);  // the x-heights are measured in pixels: no resolution estimate needed
    if (api->Recognize(nullptr) != 0)
      return absl::InternalError("Tesseract could not recognise the image");
    std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
    std::vector<RawTextLine> out;
    if (!it) return out;
    do {
      RawTextLine line;
      double confidence_sum = 0;
      int words = 0;
      // The words of this line.
      do {
        const float confidence = it->Confidence(tesseract::RIL_WORD);
        std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
        int x0, y0, x1, y1;
        // A "word" without a letter or digit ("=", "——") is a mark
        // Tesseract read in texture or a rule, not text.
        const bool has_alnum =
            word && std::any_of(word.get(), word.get() + std::strlen(word.get()),
                                [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
        if (confidence >= min_confidence && has_alnum &&
            it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1)) {
          const cv::Rect box(x0, y0, x1 - x0, y1 - y0);
          line.box = words == 0 ? box : (line.box | box);
          if (!line.text.empty()) line.text += " ";
          line.text += word.get();
          confidence_sum += confidence;
          ++words;
        }
      } while (!it->IsAtFinalElement(tesseract::RIL_TEXTLINE, tesseract::RIL_WORD) &&
               it->Next(tesseract::RIL_WORD));
      if (words > 0) {
        line.confidence = confidence_sum / words;
        out.push_back(std::move(line));
      }
    } while (it->Next(tesseract::RIL_WORD));
    return out;
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory while reading text");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("the text search failed: ", e.what()));
  }
}

class TesseractTextFinder : public TextFinder {
 public:
  // Tesseract's LSTM asks OpenMP for 4 threads per line (num_threads(4) in
  // its source, which omp_set_num_threads cannot lower). acuity already
  // runs its measurements side by side, so those threads only contend: a
  // page of text took 20 s with them and 3.9 s without on 2 cores. And
  // libgomp ends the process ("Thread creation failed", exit 1) when one
  // cannot start, as under ulimit -v. A one-team teams region whose thread
  // limit is 1 holds every parallel region inside to the calling thread,
  // for this call only: another thread's OpenMP (LibTorch's) is untouched.
  absl::StatusOr<std::vector<RawTextLine>> Find(const cv::Mat& gray,
                                                const std::string& tessdata_dir,
                                                double min_confidence) const override {
    static std::once_flag handler_set;
    std::call_once(handler_set, [] { leptSetStderrHandler(OnLeptonicaMessage); });
    leptonica_errors = {};
    std::optional<absl::StatusOr<std::vector<RawTextLine>>> lines;
    bool threw = false;
    // Nothing may leave the region by an exception (that would end the
    // process): what FindLines' own handlers could still throw is caught here.
#pragma omp teams num_teams(1) thread_limit(1)
    try {
      lines = FindLines(gray, tessdata_dir, min_confidence);
    } catch (...) {
      threw = true;
    }
    // Only a failed allocation ends the search: Leptonica also reports
    // harmless errors ("box outside rectangle") on images Tesseract reads.
    if (leptonica_errors.allocation_failed || threw)
      return absl::ResourceExhaustedError("out of memory while reading text");
    if (!lines) return absl::InternalError("the text search did not run");
    return *std::move(lines);
  }
};

}  // namespace
}  // namespace acuity

extern "C" __attribute__((visibility("default"))) const acuity::TextFinder*
acuity_text_finder_v1() {
  static const acuity::TesseractTextFinder finder;
  return &finder;
}
