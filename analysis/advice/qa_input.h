// QA's readings of the input, made as `analyze` makes them (analyze.h), so
// that what QA says the output inherited is what `analyze` said of the input:
// its content kind (for the halos and the inherited blur), its dither or
// screen, its noise (for the noisy flats and the blur), and then its blur —
// Gaussian and motion, in the input's pixels — which the output inherits.
//
//   AnalysisReport read = acuity::ReadQaInput(input_part);
//   ... read.noise, read.content ...
//   read.compression = jpeg.input;  // QA reads the JPEG damage on the whole files
//   acuity::MeasureInputBlur(input_part, std::move(read), metrics);
#ifndef ACUITY_ANALYSIS_ADVICE_QA_INPUT_H_
#define ACUITY_ANALYSIS_ADVICE_QA_INPUT_H_

#include "analysis/advice/qa.h"
#include "analysis/io/image.h"
#include "analysis/measurements/analyze.h"

namespace acuity {

// The input's content kind, dither and noise, read on `input` as analyze
// reads them: the content's colours first, dithered tones not taken for a
// drawing, no noise in a palette or dither. `input` is the part of the input
// the output shows, with the colour under transparency filled
// (visible_part.h FillUnderTransparency), not flattened onto white, whose
// meeting with a cut-out's outline reads as a crisp edge.
AnalysisReport ReadQaInput(const Image& input);

// The input's blur readings into `m` (input_blur_sigma_px and the
// input_motion_blur_* fields), read as analyze reads them from `read`:
// ReadQaInput's content kind (drawn content has no motion blur), dither and
// noise, which the blur discounts (without it a noisy night shot's grain was
// read as detail: σ 0.10 px where analyze finds no edge above the noise, not
// measured), and the input's compression (a JPEG's blocks, which the native
// scale reads), set by the caller. Read on the photo without its drawn
// overlays and dots (analyze.h PhotoPixels); motion blur in native pixels;
// the readings reconciled.
void MeasureInputBlur(const Image& input, AnalysisReport read, QaMetrics& m);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_INPUT_H_
