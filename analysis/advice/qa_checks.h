// The checks of `acuity qa` in plain words (qa.h's RunQa): each turns
// QaMetrics into QaChecks against the thresholds. Internal to qa.cc; split
// out so that measuring and wording stay apart.
//
//   std::vector<acuity::QaCheck> checks;
//   acuity::AddFidelityAndColourChecks(report.metrics, thresholds, checks);
#ifndef ACUITY_ANALYSIS_ADVICE_QA_CHECKS_H_
#define ACUITY_ANALYSIS_ADVICE_QA_CHECKS_H_

#include <vector>

#include "analysis/advice/qa.h"

namespace acuity {

// fidelity_psnr_db and the colour checks.
void AddFidelityAndColourChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);
// Halos, over-sharpening, painted flats and fake texture.
void AddSharpeningChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);
// Noise, detail (whole and by part), copied pixels and tile seams.
void AddNoiseDetailAndSeamChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);
// output_jpeg_quality and inherited_jpeg_quality.
void AddJpegChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);
// inherited_blur_px and inherited_motion_blur_px.
void AddInheritedBlurChecks(const QaMetrics& m, const QaThresholds& thresholds, std::vector<QaCheck>& checks);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_CHECKS_H_
