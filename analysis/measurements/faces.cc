#include "analysis/measurements/faces.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <new>
#include <utility>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "analysis/measurements/content_finders.h"
#include "analysis/measurements/image_ops.h"

#ifndef ACUITY_OPENCV_DATA_DIR
#define ACUITY_OPENCV_DATA_DIR "/usr/share/opencv4"
#endif

namespace acuity {
namespace {

// The cascades' window (haarcascade_frontalface_alt2.xml and
// haarcascade_profileface.xml both look at 20×20 px).
constexpr int kCascadeWindowPx = 20;

// The profile cascade's box frames the side of the head (ear to nose tip,
// and past them); the face in it — as the frontal cascade's box frames one,
// brow to chin, cheek to nose tip — is about half its width, around the same
// centre (scikit-image's camera, the man in profile, at 128–512 px: 0.45–0.57
// of the box). Faces are reported at that size, so that a profile face and
// a frontal one of the same width meet the same limits; and the profile
// search runs on a copy this much smaller, which covers the same face widths
// for a quarter of the pixels.
constexpr double kProfileFaceShare = 0.5;

// A real face gathers more overlapping detections the larger it is in the
// copy searched (the astronaut's, on a small photo's copy enlarged 20/12×:
// 4–7 at 12–16 px wide, 10–25 at 20–24 px, 30–42 at 32–48 px); texture that
// looks like a face at one place and size (brick, coffee beans) gathers 4–5
// at any size. A face must gather 0.15 per px of its width in the copy
// searched — a quarter of its width in input px on that enlarged copy —, 3
// to 10 (docs/content.md, "Faces"). Counted in input px, a large photo's
// reduced copy, where a 44-px face is 28 px, asked it for 10 and lost it.
constexpr double kNeighboursPerSearchedPx = 0.15;
constexpr int kMinNeighbours = 3, kMaxNeighbours = 10;

std::string CascadeDir(const FaceOptions& options) {
  if (!options.cascade_dir.empty()) return options.cascade_dir;
  if (const char* env = std::getenv("ACUITY_OPENCV_DATA"); env != nullptr && *env != '\0') return env;
  return ACUITY_OPENCV_DATA_DIR;
}

double Overlap(const cv::Rect& a, const cv::Rect& b) {
  const double inter = (a & b).area();
  return inter / std::max(1.0, double(std::min(a.area(), b.area())));
}

// One box per face: a frontal and a profile detection of the same face (or
// two profile ones) overlap; the surer one stays.
std::vector<RawFace> MergeOverlapping(std::vector<RawFace> faces) {
  std::sort(faces.begin(), faces.end(), [](const RawFace& a, const RawFace& b) { return a.score > b.score; });
  std::vector<RawFace> kept;
  for (const RawFace& f : faces) {
    const bool seen = std::any_of(kept.begin(), kept.end(), [&](const RawFace& k) { return Overlap(k.box, f.box) > 0.5; });
    if (!seen) kept.push_back(f);
  }
  return kept;
}

// The faces `view`'s cascade finds on `gray` (the input, 8-bit) searched at
// `scale`, in input px: a profile box brought to the face in it.
absl::StatusOr<std::vector<RawFace>> FindView(const FaceFinder& finder, const cv::Mat& gray, double scale,
                                              const FaceOptions& options, FaceView view) {
  cv::Mat copy = gray;
  if (scale != 1.0) cv::resize(gray, copy, cv::Size(), scale, scale, scale > 1.0 ? cv::INTER_LINEAR : cv::INTER_AREA);
  const double face_share = view == FaceView::kProfile ? kProfileFaceShare : 1.0;
  const int min_box = std::max(kCascadeWindowPx, int(std::lround(options.min_width_px * scale / face_share)));
  absl::StatusOr<std::vector<RawFace>> found = finder.Find(copy, CascadeDir(options), view, min_box);
  if (!found.ok()) return found;
  for (RawFace& f : *found) {
    const double cx = (f.box.x + f.box.width / 2.0) / scale, cy = (f.box.y + f.box.height / 2.0) / scale;
    const double w = f.box.width * face_share / scale, h = f.box.height * face_share / scale;
    f.box = cv::Rect(int(std::lround(cx - w / 2)), int(std::lround(cy - h / 2)), int(std::lround(w)),
                     int(std::lround(h)));
  }
  return found;
}

}  // namespace

double FaceSearchScale(cv::Size size, const FaceOptions& options) {
  const double wanted = std::max(1.0, double(kCascadeWindowPx) / std::max(1, options.min_width_px));
  const double megapixels = double(size.width) * size.height / 1e6;
  const double budget = megapixels > 0 ? std::sqrt(options.max_search_megapixels / megapixels) : wanted;
  return std::min(wanted, budget);
}

FaceOptions FaceOptionsCovering(cv::Size size, int from_width_px, double max_megapixels, FaceOptions options) {
  const double scale = std::min(1.0, double(kCascadeWindowPx) / std::max(1, from_width_px));
  const double needed = double(size.width) * size.height / 1e6 * scale * scale;
  options.max_search_megapixels =
      std::max(options.max_search_megapixels, std::min(needed * (1 + 1e-9), max_megapixels));
  return options;
}

FacesResult MeasureFaces(const cv::Mat& pixels, const FaceOptions& options) {
  FacesResult result;
  if (pixels.empty()) {
    result.not_measured_reason = "empty image";
    return result;
  }
  absl::StatusOr<const FaceFinder*> finder = LoadFaceFinder();
  if (!finder.ok()) {
    result.not_measured_reason = std::string(finder.status().message());
    return result;
  }
  try {
    cv::Mat gray = To8Bit(pixels, /*keep_gray=*/true);
    if (gray.channels() == 3) cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
    const double scale = FaceSearchScale(gray.size(), options);
    const int searched = int(std::ceil(kCascadeWindowPx / scale - 1e-6));
    std::vector<RawFace> raw;
    for (const auto& [view, view_scale] :
         {std::pair{FaceView::kFrontal, scale}, std::pair{FaceView::kProfile, scale * kProfileFaceShare}}) {
      absl::StatusOr<std::vector<RawFace>> found = FindView(**finder, gray, view_scale, options, view);
      if (!found.ok()) {
        // Memory that ran out is the machine's fault, not "faces not measured".
        if (absl::IsResourceExhausted(found.status())) throw std::bad_alloc();
        result.not_measured_reason = std::string(found.status().message());
        return result;
      }
      raw.insert(raw.end(), found->begin(), found->end());
    }
    std::vector<Face> faces;
    for (const RawFace& f : MergeOverlapping(std::move(raw))) {
      // Both views' boxes are the face's width × scale in their copies.
      const int needed =
          std::clamp(int(std::lround(kNeighboursPerSearchedPx * f.box.width * scale)), kMinNeighbours, kMaxNeighbours);
      if (f.neighbours < needed) continue;
      Face face;
      face.x = f.box.x;
      face.y = f.box.y;
      face.width_px = f.box.width;
      face.height_px = f.box.height;
      face.score = f.score;
      face.profile = f.profile;
      faces.push_back(face);
    }
    std::sort(faces.begin(), faces.end(), [](const Face& a, const Face& b) { return a.width_px > b.width_px; });
    result.faces = std::move(faces);
    result.searched_from_width_px = std::max(searched, options.min_width_px);
  } catch (const std::bad_alloc&) {
    throw;  // the machine's fault: TryAnalyze reports it (guard.h)
  } catch (const std::exception& e) {
    result.not_measured_reason = std::string("face search failed: ") + e.what();
  }
  return result;
}

}  // namespace acuity
