// QA's reading of JPEG damage (qa.h's checks output_jpeg_quality and
// inherited_jpeg_quality): each file read as `analyze` reads it
// (compression.h: from a JPEG's tables, or from the pixels — a PNG or TIFF
// re-save of a JPEG, a JPEG re-saved over an earlier, heavier save), so that
// blocks count whatever container they came in; and of the output's damage,
// what its own saves added apart from what it kept of the input's.
//
// The input's blocks can be in the output only where the output keeps the
// input's pixel grid (compared at 1:1): there a lattice the output's pixels
// show whose luma steps are the input's (its file's table, or the lattice
// its own pixels show: kInheritedStepsShare of the steps both show, within
// a step or a tenth) is the input's — kept, or partly repaired (a deblock at
// half strength leaves the low frequencies' steps exact); a lattice of
// other steps — heavier or lighter, a save of the repaired pixels — and any
// lattice of an output of another size (which no enlargement or reduction
// keeps) is a save made on the way.
//
//   const acuity::QaJpegDamage d = acuity::ReadJpegDamageForQa(input, output, /*one_to_one=*/true);
//   if (d.inherited_quality) Print("the input's blocks are still there:", *d.inherited_quality);
#ifndef ACUITY_ANALYSIS_ADVICE_QA_JPEG_H_
#define ACUITY_ANALYSIS_ADVICE_QA_JPEG_H_

#include <optional>

#include "analysis/io/image.h"
#include "analysis/measurements/compression.h"

namespace acuity {

// The share of the luma steps both pictures show that must agree for the
// output's blocks to be the input's, and the fewest steps compared.
inline constexpr double kInheritedStepsShare = 0.6;
inline constexpr int kMinStepsCompared = 3;

struct QaJpegDamage {
  CompressionResult input;   // `analyze`'s compression reading of INPUT
  CompressionResult output;  // ... and of OUTPUT
  // IJG quality (1–100, or the equivalent of other tables) of the heaviest
  // save OUTPUT itself went through: its own tables, or a heavier save its
  // pixels show that is not INPUT's. Empty when it shows none (a PNG whose
  // pixels show no JPEG, or only INPUT's blocks).
  std::optional<double> added_quality;
  // The IJG quality of INPUT's own JPEG damage that OUTPUT still shows
  // (read from OUTPUT's pixels at 1:1); empty when none.
  std::optional<double> inherited_quality;
  // Where added_quality comes from: true for OUTPUT's own tables (the file
  // is a JPEG saved at that quality), false for its pixels.
  bool added_from_tables = false;
};

// `input` and `output` as the files hold them (transparency not flattened);
// `one_to_one`: OUTPUT shows INPUT at its own size (a crop, a border or a
// turn allowed), where INPUT's blocks can survive.
QaJpegDamage ReadJpegDamageForQa(const Image& input, const Image& output, bool one_to_one);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_ADVICE_QA_JPEG_H_
