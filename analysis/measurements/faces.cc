#include "analysis/measurements/faces.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <new>

#include <opencv2/imgproc.hpp>

#include "analysis/measurements/content_finders.h"
#include "analysis/measurements/image_ops.h"

#ifndef ACUITY_OPENCV_DATA_DIR
#define ACUITY_OPENCV_DATA_DIR "/usr/share/opencv4"
#endif

namespace acuity {
namespace {

// The frontal cascade's window (haarcascade_frontalface_alt2.xml looks at
// 20×20 px).
constexpr int kCascadeWindowPx = 20;

// A real face gathers more overlapping detections the larger it is (the
// astronaut's: 4–7 at 12–16 px wide, 10–25 at 20–24 px, 30–42 at 32–48 px);
// texture that looks like a face at one place and size (brick, coffee
// beans) gathers 4–5 at any size. A face must gather a quarter of its width
// in input px, 3 to 10 (docs/content.md, "Faces").
constexpr double kNeighboursPerPx = 0.25;
constexpr int kMinNeighbours = 3, kMaxNeighbours = 10;
// LBP's profile cascade found no real profile face on the ladders (the
// cameraman of scikit-image's camera, at any size) and all but two of the
// false faces on photos without people: the Hubble deep field's galaxy
// (34 px, 10–13 windows), a 14-px patch of the astronaut's suit saved as
// JPEG q90 (4 windows); a profile detection needs twice the support.
constexpr int kProfileNeighboursFactor = 2;

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

}  // namespace

double FaceSearchScale(cv::Size size, const FaceOptions& options) {
  const double wanted = std::max(1.0, double(kCascadeWindowPx) / std::max(1, options.min_width_px));
  const double megapixels = double(size.width) * size.height / 1e6;
  const double budget = megapixels > 0 ? std::sqrt(options.max_search_megapixels / megapixels) : wanted;
  return std::min(wanted, budget);
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
    if (scale != 1.0)
      cv::resize(gray, gray, cv::Size(), scale, scale, scale > 1.0 ? cv::INTER_LINEAR : cv::INTER_AREA);
    const int searched = int(std::ceil(kCascadeWindowPx / scale - 1e-6));
    absl::StatusOr<std::vector<RawFace>> raw =
        (*finder)->Find(gray, CascadeDir(options), std::max(kCascadeWindowPx, int(std::lround(options.min_width_px * scale))));
    if (!raw.ok()) {
      result.not_measured_reason = std::string(raw.status().message());
      return result;
    }
    std::vector<Face> faces;
    for (const RawFace& f : MergeOverlapping(*std::move(raw))) {
      const int needed = std::clamp(int(std::lround(kNeighboursPerPx * f.box.width / scale)), kMinNeighbours,
                                    kMaxNeighbours) *
                         (f.profile ? kProfileNeighboursFactor : 1);
      if (f.neighbours < needed) continue;
      Face face;
      face.x = int(std::lround(f.box.x / scale));
      face.y = int(std::lround(f.box.y / scale));
      face.width_px = int(std::lround(f.box.width / scale));
      face.height_px = int(std::lround(f.box.height / scale));
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
