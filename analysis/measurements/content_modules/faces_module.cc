// OpenCV's cascade classifiers behind FaceFinder (content_finders.h), built
// as the shared module libacuity_faces.so and loaded on first use.
#include <algorithm>
#include <exception>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/measurements/content_finders.h"

namespace acuity {
namespace {

// Each view's cascade and how its detections are kept. Haar's frontal
// cascade finds faces down to its 20-px window (LBP's missed 12–16 px faces
// and found faces in brick walls). Haar's profile cascade is trained on one
// side, so it also runs on the mirrored image; LBP's profile cascade, a
// sixth of its cost, found no real profile face on the ladders and most of
// the false faces (docs/content.md).
struct CascadeUse {
  FaceView view;
  const char* file;    // under the cascades' folder
  int min_neighbours;  // overlapping windows needed to keep a face (higher: fewer false faces)
  double scale_step;   // between the sizes searched
};
constexpr CascadeUse kCascades[] = {
    {FaceView::kFrontal, "haarcascades/haarcascade_frontalface_alt2.xml", 3, 1.1},
    {FaceView::kProfile, "haarcascades/haarcascade_profileface.xml", 3, 1.1},
};

class CascadeFaceFinder : public FaceFinder {
 public:
  absl::StatusOr<std::vector<RawFace>> Find(const cv::Mat& gray, const std::string& cascade_dir, FaceView view,
                                            int min_box_px) const override {
    try {
      // No histogram equalisation: the cascades normalise each window's
      // contrast themselves, and equalising a mostly flat picture turns its
      // grain into texture.
      std::vector<RawFace> out;
      for (const CascadeUse& use : kCascades) {
        if (use.view != view) continue;
        const std::string path = cascade_dir + "/" + use.file;
        cv::CascadeClassifier cascade;
        if (!cascade.load(path)) return absl::NotFoundError(absl::StrCat("no face cascade ", path));
        const bool profile = view == FaceView::kProfile;
        const cv::Size window = cascade.getOriginalWindowSize();
        const cv::Size min_size(std::max(window.width, min_box_px),
                                std::max(window.height, min_box_px * window.height / window.width));
        for (int mirrored = 0; mirrored < (profile ? 2 : 1); ++mirrored) {
          cv::Mat input = gray;
          if (mirrored) cv::flip(gray, input, 1);
          std::vector<cv::Rect> boxes;
          std::vector<int> neighbours;  // windows merged into each face: its score
          cascade.detectMultiScale(input, boxes, neighbours, use.scale_step, use.min_neighbours, 0, min_size);
          for (size_t i = 0; i < boxes.size(); ++i) {
            RawFace face;
            face.box = boxes[i];
            if (mirrored) face.box.x = input.cols - boxes[i].x - boxes[i].width;
            face.neighbours = i < neighbours.size() ? neighbours[i] : 0;
            face.score = face.neighbours;
            face.profile = profile;
            out.push_back(face);
          }
        }
      }
      return out;
    } catch (const std::bad_alloc&) {
      return absl::ResourceExhaustedError("out of memory while finding faces");
    } catch (const cv::Exception& e) {
      // OpenCV's allocator throws its "Insufficient memory" code.
      if (e.code == cv::Error::StsNoMem) return absl::ResourceExhaustedError("out of memory while finding faces");
      return absl::InternalError(absl::StrCat("OpenCV's face search failed: ", e.msg));
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("the face search failed: ", e.what()));
    }
  }
};

}  // namespace
}  // namespace acuity

extern "C" __attribute__((visibility("default"))) const acuity::FaceFinder* acuity_face_finder_v2() {
  static const acuity::CascadeFaceFinder finder;
  return &finder;
}
