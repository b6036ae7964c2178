#include "analysis/advice/qa_jpeg.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "analysis/measurements/analyze.h"
#include "analysis/measurements/visible_part.h"

namespace acuity {
namespace {

// `analyze`'s compression reading of a file: the colour under transparency
// filled, as analyze fills it (visible_part.h).
CompressionResult CompressionOf(const Image& file) {
  AnalysisReport read;
  RunMeasurement(Measurement::kCompression, Image{FillUnderTransparency(file.pixels), file.info},
                 /*compute_map=*/false, &read);
  return read.compression;
}

// Whether the luma steps `out` shows (0: none) are `in`'s — as stored, or
// transposed (a picture turned by its EXIF orientation turns its lattice,
// not its file's table).
bool SameSteps(const std::array<int, 64>& in, const std::array<int, 64>& out) {
  for (const bool transposed : {false, true}) {
    int compared = 0, agree = 0;
    for (int f = 1; f < 64; ++f) {  // not DC: flat areas put it on any lattice
      const int g = transposed ? (f % 8) * 8 + f / 8 : f;
      if (out[f] <= 0 || in[g] <= 0) continue;
      ++compared;
      agree += std::abs(out[f] - in[g]) <= std::max(1.0, 0.1 * in[g]);
    }
    if (compared >= kMinStepsCompared && agree >= kInheritedStepsShare * compared) return true;
  }
  return false;
}

}  // namespace

QaJpegDamage ReadJpegDamageForQa(const Image& input, const Image& output, bool one_to_one) {
  QaJpegDamage d;
  d.input = CompressionOf(input);
  d.output = CompressionOf(output);
  const std::optional<double>& out_q = d.output.jpeg_quality_estimate;
  const std::optional<double>& in_q = d.input.jpeg_quality_estimate;
  // OUTPUT's own last save, when it is a JPEG: its tables (analyze keeps
  // them as last_saved_quality when its pixels show an earlier save).
  const std::optional<double> own_save =
      d.output.quality_source == "quant_tables" ? out_q : d.output.last_saved_quality;
  const bool from_pixels = d.output.quality_source == "pixels";
  const bool inherited = from_pixels && one_to_one && in_q && d.input.luma_steps && d.output.luma_steps &&
                         SameSteps(*d.input.luma_steps, *d.output.luma_steps);
  if (inherited) d.inherited_quality = out_q;
  if (from_pixels && !inherited) {
    d.added_quality = out_q;  // a save of its own: under its tables, or of other steps than the input's
  } else if (own_save) {
    d.added_quality = own_save;
    d.added_from_tables = true;
  }
  return d;
}

}  // namespace acuity
