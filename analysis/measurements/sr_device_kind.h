// The kind of device a super-resolution network runs on: the cost dimension
// of the model table (analysis/advice/sr_model_facts.h) and what the
// advisor's time budget is reckoned for (AnalysisReport::upscale_device).
//
//   acuity::SrDeviceKind kind = acuity::SrDeviceKind::kCuda;
//   const acuity::SrDeviceCost& cost = facts.On(kind);
#ifndef ACUITY_ANALYSIS_MEASUREMENTS_SR_DEVICE_KIND_H_
#define ACUITY_ANALYSIS_MEASUREMENTS_SR_DEVICE_KIND_H_

namespace acuity {

enum class SrDeviceKind { kCpu, kCuda };

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_MEASUREMENTS_SR_DEVICE_KIND_H_
