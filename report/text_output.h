// Human-readable text for an AnalysisReport: a short table per file.
//
//   std::cout << acuity::report::FormatReportText(report);
#ifndef ACUITY_REPORT_TEXT_OUTPUT_H_
#define ACUITY_REPORT_TEXT_OUTPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/measurements/analyze.h"
#include "analysis/advice/plan.h"

namespace acuity::report {

std::string FormatReportText(const AnalysisReport& report);

// The numbered steps with their reasons, then the warnings; says "leave it as
// it is" for an empty plan.
std::string FormatPlanText(const Plan& plan, const AnalysisReport& r);

// One step in words: "upscale ×3 (esrgan-thick)", "sharpen 40 %, radius 1.2 px"
// (StepText of analysis/advice/plan_ops.h).
std::string FormatStepText(const PlanStep& step);

// Before/after table of the figures a user compares after an enhancement:
// size, target fit, blur, noise, JPEG damage, halos, native scale, file size.
// When the enhancement reached a target by enlarging the picture f× and the
// file's own reading of its native scale misses that (a JPEG save can hide
// the enlargement's traces: analysis/measurements/native_scale.h), the
// after cell also gives what the enlargement leaves, before's ÷ f.
// `after_at_input_scale`, when given, is `after`'s picture read again at
// the input's scale (ContentAtInputScale): the blur and the smear "at the
// input's size" are its readings, not after's divided by how much it grew.
std::string FormatBeforeAfterText(const AnalysisReport& before, const AnalysisReport& after,
                                  const AnalysisReport* after_at_input_scale = nullptr);

// The part of `result` (an enhancement of the picture `before` describes)
// that shows that picture — without the border a target's pad added —
// reduced (area) to the picture's own scale; empty when it was not resized.
// Read again, it says what the result holds at the input's size: a reading
// of the result divided by how much it grew is no measure once a sharpen or
// a model has worked on it (a photo blurred by 2 px, enlarged 4× and
// sharpened with a 3-px radius, read 0.00 px so; brought back, 1.6 px), and
// an enlarged smear outgrows the motion-blur reading.
std::optional<Image> ContentAtInputScale(const Image& result, const AnalysisReport& before);

// "2.4 MB", "830 kB", "512 B" (target_fit.h).
using ::acuity::FormatBytes;

// The noise level function in one line, σ per brightness range in 8-bit
// units, "—" where not measured: "0–42: 3.10 · 42–85: 2.52 · … · 212–255: —".
std::string FormatNoiseLevelFunction(const std::vector<NoiseLevelBin>& bins);

}  // namespace acuity::report

#endif  // ACUITY_REPORT_TEXT_OUTPUT_H_
