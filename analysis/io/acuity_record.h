// What acuity did to make a file, written into the file it writes (its XMP,
// in acuity's own namespace) and read back when the file is loaded
// (ImageInfo::acuity_record): so that advising acuity's own output knows it
// is an enlargement already sharpened, instead of guessing from pixels that
// an AI model made look native (issue #25: re-advising an 8×10 in print
// asked for a second sharpen at 120 %).
//
//   acuity::AcuityRecord record;
//   record.enlargement = 4.0;      // output px per original px
//   record.sharpened = true;       // a sharpen ran after the enlargement
//   record.steps = "upscale 4× (esrgan-thick), sharpen 80 %";
//   options.record = record;       // WriteOptions: the writer puts it in the XMP
//   ...
//   if (image.info.acuity_record && image.info.acuity_record->sharpened) { /* not again */ }
//
// The XMP properties (namespace kAcuityXmpNamespace, prefix "acuity"):
// acuity:enlargement (a decimal), acuity:sharpened ("True"/"False"),
// acuity:steps (text). Other programs keep or drop them as they keep XMP.
#ifndef ACUITY_ANALYSIS_IO_ACUITY_RECORD_H_
#define ACUITY_ANALYSIS_IO_ACUITY_RECORD_H_

#include <optional>
#include <string>

namespace Exiv2 {
class XmpData;
}

namespace acuity {

inline constexpr char kAcuityXmpNamespace[] = "urn:acuity:enhancement:1.0/";

// Less enlargement than this is none: a 1.001× resize to an exact size
// neither makes a picture an enlargement nor undoes a sharpen.
inline constexpr double kRecordedEnlargementMin = 1.05;

struct AcuityRecord {
  // Output px per px of the detail the picture had before acuity's runs
  // (linear; over the runs that made the file: ×2 of a ×2 output is 4),
  // never below 1: a downscale makes a picture native again (a ×4 of a
  // half-size copy is 4, not 2); 1 when no run enlarged it.
  double enlargement = 1;
  // A sharpen step ran after the last enlargement (a later one would soften
  // what it sharpened).
  bool sharpened = false;
  // The last run's steps, for people ("upscale 4× (esrgan-thick), sharpen 80 %").
  std::string steps;
};

// The record in `xmp` (its acuity: properties), nullopt when it has none or
// they do not parse (a record never makes a file unreadable).
std::optional<AcuityRecord> ReadAcuityRecord(const Exiv2::XmpData& xmp);

// Puts `record` into `xmp`, replacing an earlier one. Registers the
// namespace with exiv2 first (once per process).
void WriteAcuityRecord(const AcuityRecord& record, Exiv2::XmpData& xmp);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ACUITY_RECORD_H_
