#include "analysis/advice/qa_input.h"

#include <utility>

#include "analysis/advice/blur_reading.h"
#include "analysis/measurements/motion_blur.h"

namespace acuity {

AnalysisReport ReadQaInput(const Image& input) {
  AnalysisReport read;
  RunMeasurement(Measurement::kContent, input, /*compute_map=*/false, &read);
  RunMeasurement(Measurement::kDither, input, /*compute_map=*/false, &read);  // after the content's colours
  DitheredTonesAreNotDrawn(read);  // as analyze reads its kind
  RunMeasurement(Measurement::kNoise, input, /*compute_map=*/false, &read);
  NoiseOfAPaletteIsNone(read);
  return read;
}

void MeasureInputBlur(const Image& input, AnalysisReport read, QaMetrics& m) {
  const Image photo{PhotoPixels(input.pixels, read), input.info};
  for (const Measurement which : {Measurement::kNativeScale, Measurement::kMotionBlur, Measurement::kBlur})
    RunMeasurement(which, photo, /*compute_map=*/false, &read);
  ReconcileReadings(read);
  const MotionBlurResult& motion = read.motion_blur;
  const BlurToActOn blur = BlurToActOn::From(read.sharpness, motion);
  m.input_blur_sigma_px = blur.gaussian_sigma_px;
  m.input_motion_blur_detected = motion.detected;
  // 0 when the reading ran and found no smear, as the check reads it: null
  // only where motion blur was not measured.
  m.input_motion_blur_px = blur.motion_length_px;
  if (!m.input_motion_blur_px && motion.detected) m.input_motion_blur_px = 0.0;
  m.input_motion_blur_angle_deg = blur.motion_angle_deg;
  m.input_motion_blur_too_small = motion.too_small.value_or(false);
  m.input_motion_blur_drawn = motion.drawn_content.value_or(false);
}

}  // namespace acuity
