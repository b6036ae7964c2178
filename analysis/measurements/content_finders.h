// The interfaces of the two shared modules that find content: faces with
// OpenCV's cascade classifiers (libacuity_faces.so: opencv_objdetect and
// what it links) and text with Tesseract (libacuity_text.so). Like the
// OpenCV decoder (analysis/io/lazy_module.h), they are dlopen'ed on first use
// so that no program loads them at start, and a missing library or data file
// is a status — the reading is then "not measured", never a crash.
// Callers use faces.h and text_layout.h; only those and the modules include
// this header.
//
//   absl::StatusOr<const acuity::FaceFinder*> finder = acuity::LoadFaceFinder();
//   absl::StatusOr<std::vector<acuity::RawFace>> found =
//       (*finder)->Find(gray, cascade_dir, acuity::FaceView::kFrontal, 24);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_FINDERS_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_FINDERS_H_

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace acuity {

// Which cascade looks: faces seen from the front, or from the side.
enum class FaceView { kFrontal, kProfile };

// One face as a cascade reports it, in the pixels of the image it was given:
// the cascade's own box (a profile box frames the side of the head, about
// twice the face: faces.cc).
struct RawFace {
  cv::Rect box;
  double score = 0;      // = neighbours: overlapping detections merged into it (higher = surer)
  int neighbours = 0;
  bool profile = false;  // found by the profile cascade (either side)
};

class FaceFinder {
 public:
  virtual ~FaceFinder() = default;
  // The cascade of `view` from `cascade_dir` (opencv-data's folder that
  // holds haarcascades/): Haar's frontal "alt2", or Haar's profile on the
  // image and on its mirror (it is trained on one side), on 8-bit gray
  // `gray`, boxes at least `min_box_px` wide.
  // NotFound naming the file when a cascade is missing; ResourceExhausted
  // when memory ran out; Internal for OpenCV's other errors. Nothing is
  // thrown.
  virtual absl::StatusOr<std::vector<RawFace>> Find(const cv::Mat& gray, const std::string& cascade_dir, FaceView view,
                                                    int min_box_px) const = 0;
};

// One line of text as Tesseract finds and reads it. (Its own row x-height
// is not used: Tesseract floors it at 10 px, textord_min_xheight.)
struct RawTextLine {
  cv::Rect box;            // the union of the kept words' boxes
  double confidence = 0;   // mean word confidence, 0–100
  std::string text;        // UTF-8, the words kept
};

class TextFinder {
 public:
  virtual ~TextFinder() = default;
  // Sparse-text layout and recognition (English) on 8-bit gray `gray`;
  // words under `min_confidence` (0–100) are dropped, and lines without a
  // kept word. `tessdata_dir`: "" for Tesseract's own default. NotFound when
  // the language data cannot be loaded; ResourceExhausted when memory ran
  // out (in Tesseract or its image library); Internal for other failures.
  // Nothing is thrown.
  virtual absl::StatusOr<std::vector<RawTextLine>> Find(const cv::Mat& gray, const std::string& tessdata_dir,
                                                        double min_confidence) const = 0;
};

inline constexpr char kFaceFinderEntryPoint[] = "acuity_face_finder_v2";  // v2: Find by view
inline constexpr char kTextFinderEntryPoint[] = "acuity_text_finder_v1";
using FaceFinderEntryPoint = const FaceFinder* (*)();
using TextFinderEntryPoint = const TextFinder* (*)();

// Each module is loaded on the first call (thread-safe) and kept; the
// module loader's FailedPrecondition when it cannot be loaded.
absl::StatusOr<const FaceFinder*> LoadFaceFinder();
absl::StatusOr<const TextFinder*> LoadTextFinder();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_CONTENT_FINDERS_H_
