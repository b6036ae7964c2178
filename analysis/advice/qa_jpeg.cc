#include "analysis/advice/qa_jpeg.h"

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
  const bool inherited = from_pixels && one_to_one && in_q && *out_q >= *in_q - kInheritedJpegMargin;
  if (inherited) d.inherited_quality = out_q;
  if (from_pixels && !inherited) {
    d.added_quality = out_q;  // heavier than its own tables, or than its input's
  } else if (own_save) {
    d.added_quality = own_save;
    d.added_from_tables = true;
  }
  return d;
}

}  // namespace acuity
