// How many images an animated file stores, read from its structure alone
// (no pixel is decoded): the frames of a GIF (its image descriptors), of a
// WebP (its ANMF chunks, within the RIFF's length) and of an APNG (its fcTL
// chunks). acuity reads, measures and writes the first frame only; the
// count is what lets it say so (ImageInfo::frames, warning
// `animated_input`) instead of treating an animation as a still.
//
//   std::optional<int> frames = acuity::CountStoredFrames(bytes, ImageFormat::kGif);  // 1 for a still
//
// A truncated or corrupt GIF or WebP counts the frames that begin before
// the damage (at least 1). JPEG, BMP and camera RAW files are 1; TIFF
// (pages), HEIF and AVIF (sequences) are not counted: nullopt.
#ifndef ACUITY_ANALYSIS_IO_ANIMATION_H_
#define ACUITY_ANALYSIS_IO_ANIMATION_H_

#include <optional>
#include <string_view>

#include "analysis/io/image.h"

namespace acuity {

int CountGifFrames(std::string_view bytes);
int CountWebpFrames(std::string_view bytes);
int CountPngFrames(std::string_view bytes);  // an APNG's fcTL chunks (acTL before IDAT), else 1
std::optional<int> CountStoredFrames(std::string_view bytes, ImageFormat format);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ANIMATION_H_
