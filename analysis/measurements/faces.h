// Faces in a picture, found and sized: OpenCV's cascades from Debian's
// opencv-data (Haar's frontal "alt2", and Haar's profile on both sides), run
// in the shared module libacuity_faces.so (content_finders.h), loaded on
// first use. The cascades look at 20×20-px windows: faces narrower than that
// are looked for on an enlarged copy; the copy is kept under a pixel budget
// (a large photo is searched on a reduced one), and the result says how
// small a face the search covered. A profile cascade's box frames the side
// of the head, about twice the face: the profile search runs on a copy half
// as large (the same face widths covered), and a profile face is reported
// at the size of the face in its box, as a frontal one is. A missing module or cascade file
// leaves the reading "not measured" with the reason.
//
//   acuity::FacesResult r = acuity::MeasureFaces(image.pixels);
//   if (r.faces) for (const acuity::Face& f : *r.faces) Use(f.width_px);
//   else Say(r.not_measured_reason);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_FACES_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_FACES_H_

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace acuity {

struct Face {
  int x = 0, y = 0;  // top-left corner, input pixels (upright image)
  int width_px = 0, height_px = 0;  // the face, brow to chin (a profile: half its cascade's box)
  double score = 0;      // detections merged into this face (a count; 3 at least, higher = surer)
  bool profile = false;  // a face seen from the side
};

struct FacesResult {
  std::optional<std::vector<Face>> faces;  // largest first; nullopt = not measured
  // The narrowest face the search covered, px (faces below it may be missed).
  std::optional<int> searched_from_width_px;
  std::string not_measured_reason;  // why `faces` is empty; "" when measured
};

struct FaceOptions {
  int min_width_px = 12;  // the narrowest face to look for, px
  // The copy searched is at most this size (the search's cost grows with
  // its pixels: docs/content.md, "Cost"), MP: a larger image is searched
  // reduced, from a larger face width.
  double max_search_megapixels = 2;
  // The folder holding haarcascades/; "" = $ACUITY_OPENCV_DATA,
  // else opencv-data's (found at build time).
  std::string cascade_dir;
};

// A picture that will be enlarged (a target that needs an upscale) is
// searched for faces from this width, px, on a copy of at most
// kEnlargedSearchMaxMegapixels: the widest face an upscale model acuity
// ships is calibrated to invent (content_advice.h's limits; a test keeps
// them together), so that a large photo's faces the advice warns of are not
// missed (a 12 MP photo's default 2 MP copy covers faces from 49 px only).
inline constexpr int kEnlargedSearchFromWidthPx = 32;
inline constexpr double kEnlargedSearchMaxMegapixels = 16;

// `options` with a search copy large enough to cover faces from
// `from_width_px` wide on a picture of `size` (never smaller than
// options.max_search_megapixels), within `max_megapixels`.
FaceOptions FaceOptionsCovering(cv::Size size, int from_width_px, double max_megapixels, FaceOptions options = {});

// `pixels`: 8- or 16-bit, gray, BGR or BGRA. Never throws: OpenCV's errors
// leave the reading not measured, with the reason.
FacesResult MeasureFaces(const cv::Mat& pixels, const FaceOptions& options = {});

// The scale of the copy searched: options.min_width_px brought up to the
// frontal cascade's window, within max_search_megapixels (below 1 for a
// large image).
double FaceSearchScale(cv::Size size, const FaceOptions& options);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_FACES_H_
