// Colour spaces of decoded images: whether an image's colours are sRGB, and
// converting them to sRGB through its ICC profile (lcms2), for destinations
// that require sRGB (marketplace.h).
//
//   if (!acuity::IsSrgb(image.info)) {
//     absl::StatusOr<cv::Mat> srgb = acuity::ConvertToSrgb(image.pixels, image.info.icc_profile);
//     options.icc_profile = acuity::SrgbIccProfile();  // what the written file then says
//   }
#ifndef ACUITY_ANALYSIS_IO_COLOR_SPACE_H_
#define ACUITY_ANALYSIS_IO_COLOR_SPACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "analysis/io/image.h"

namespace acuity {

// True when the decoded pixels are sRGB: the file carries no ICC profile
// (the web's convention: sRGB) or an sRGB one (its description names sRGB),
// or it stores CMYK ink, which decoding converts to sRGB (ImageInfo::cmyk).
bool IsSrgb(const ImageInfo& info);

// "sRGB", the profile's description ("Adobe RGB (1998)"), or for CMYK
// files "CMYK ink (U.S. Web Coated (SWOP) v2)".
std::string ColorSpaceName(const ImageInfo& info);

// 8-bit CMYK ink (CV_8UC4: C, M, Y, K; `inverted` when 255 means no ink, as
// Adobe writes it) to 8-bit BGR in sRGB through the CMYK ICC profile `icc`,
// perceptual intent. InvalidArgument when the profile cannot be read or is
// not a CMYK profile.
absl::StatusOr<cv::Mat> CmykToSrgb(const cv::Mat& cmyk, const std::vector<uint8_t>& icc, bool inverted);

// The profile a file written from `info`'s pixels carries: `info`'s own,
// except that a CMYK file's pixels are sRGB (its CMYK profile describes no
// RGB pixels): lcms2's sRGB profile when it had one, none when it had none.
std::vector<uint8_t> ProfileOfPixels(const ImageInfo& info);

// The profile a file whose samples are colour (`colour`: RGB, with or
// without alpha) or gray carries for pixels that `icc` describes: `icc`
// itself when its colour space is theirs (or it cannot be read: kept as it
// came). A gray picture written in colour (WebP has no gray; gray with
// alpha is written RGBA) gets an RGB profile with the gray profile's tone
// curve on all three channels (sRGB primaries, D65 white: R = G = B is the
// same neutral the gray profile meant), named "<its name> (as RGB)"; a
// colour profile on gray samples is dropped. A gray profile on RGB samples
// is invalid (PNG's iCCP rule, lcms builds no transform from it).
std::vector<uint8_t> ProfileForSamples(const std::vector<uint8_t>& icc, bool colour);

// `pixels` (8/16-bit BGR or BGRA, or gray) from the colour space of `icc`
// to sRGB, perceptual intent; the same depth and channels. InvalidArgument
// when the profile cannot be read or is not an RGB/gray profile.
absl::StatusOr<cv::Mat> ConvertToSrgb(const cv::Mat& pixels, const std::vector<uint8_t>& icc);

// `pixels` as a screen or a web page shows them: in sRGB, converted through
// `info`'s ICC profile when it describes other colours (an Adobe RGB or
// Display P3 photo: shown untouched, its colours would be dull or shifted),
// as they are when the profile is sRGB or absent (the web's convention) or
// cannot be used. The same depth and channels. `converted`, when given, says
// whether they were converted. For the pictures of reports and the viewer.
cv::Mat PixelsInSrgb(const cv::Mat& pixels, const ImageInfo& info, bool* converted = nullptr);

// lcms2's built-in sRGB profile, serialised (to embed in a written file).
std::vector<uint8_t> SrgbIccProfile();

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_COLOR_SPACE_H_
