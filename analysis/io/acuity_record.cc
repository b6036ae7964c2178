#include "analysis/io/acuity_record.h"

#include <cmath>
#include <exception>

#include <exiv2/exiv2.hpp>
#include <fmt/format.h>

#include "absl/strings/numbers.h"
#include "analysis/io/exiv2_ready.h"

namespace acuity {
namespace {

constexpr char kEnlargement[] = "Xmp.acuity.enlargement";
constexpr char kSharpened[] = "Xmp.acuity.sharpened";
constexpr char kSteps[] = "Xmp.acuity.steps";

}  // namespace

std::optional<AcuityRecord> ReadAcuityRecord(const Exiv2::XmpData& xmp) {
  Exiv2Ready();  // acuity's namespace registered, else the key's prefix may be unknown
  try {
    const auto enlargement = xmp.findKey(Exiv2::XmpKey(kEnlargement));
    if (enlargement == xmp.end()) return std::nullopt;
    AcuityRecord record;
    // Not std::stod: the locale's decimal comma would read "4.7" as 4.
    if (!absl::SimpleAtod(enlargement->toString(), &record.enlargement) || !std::isfinite(record.enlargement) ||
        record.enlargement < 1 || record.enlargement > 1e4)
      return std::nullopt;
    const auto sharpened = xmp.findKey(Exiv2::XmpKey(kSharpened));
    record.sharpened = sharpened != xmp.end() && sharpened->toString() == "True";
    const auto steps = xmp.findKey(Exiv2::XmpKey(kSteps));
    if (steps != xmp.end()) record.steps = steps->toString();
    return record;
  } catch (const std::exception&) {  // an unknown prefix, a number that does not parse
    return std::nullopt;
  }
}

void WriteAcuityRecord(const AcuityRecord& record, Exiv2::XmpData& xmp) {
  Exiv2Ready();
  xmp[kEnlargement] = fmt::format("{:.4g}", record.enlargement);
  xmp[kSharpened] = record.sharpened ? "True" : "False";
  xmp[kSteps] = record.steps;
}

}  // namespace acuity
