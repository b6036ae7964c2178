// How many images an animated file stores, read from its structure alone
// (no pixel is decoded): the frames of a GIF (its image descriptors), of a
// WebP (its ANMF chunks, within the RIFF's length) and of an APNG (its fcTL
// chunks). acuity reads, measures and writes the first frame only; the
// count is what lets it say so (ImageInfo::frames, warning
// `animated_input`) instead of treating an animation as a still.
//
//   std::optional<int> frames = acuity::CountStoredFrames(bytes, ImageFormat::kGif);  // 1 for a still
//
// A TIFF's pages count the same way (CountTiffPages, tiff_ifd.h): acuity
// reads its first page. A truncated or corrupt file counts the images that
// begin before the damage (at least 1). JPEG, BMP and camera RAW files are
// 1; HEIF and AVIF (sequences, collections) are not counted: nullopt.
//
//   if (auto several = acuity::SeveralStoredImages(image.info))
//     Warn(several->warning_code, several->whole + ": …its first " + several->one);
#ifndef ACUITY_ANALYSIS_IO_ANIMATION_H_
#define ACUITY_ANALYSIS_IO_ANIMATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "analysis/io/image.h"

namespace acuity {

int CountGifFrames(std::string_view bytes);
int CountWebpFrames(std::string_view bytes);
int CountPngFrames(std::string_view bytes);  // an APNG's fcTL chunks (acTL before IDAT), else 1
std::optional<int> CountStoredFrames(std::string_view bytes, ImageFormat format);

// The words for a file that stores several images (info.frames > 1): of an
// animation (GIF, WebP, APNG) its frames, of a TIFF its pages. nullopt for
// one image or a count not known.
struct StoredImagesWords {
  std::string_view warning_code;  // "animated_input" or "multi_page_input"
  std::string_view one;           // "frame" or "page"
  std::string whole;              // "an animation of 24 frames", "a TIFF of 3 pages"
  bool animation = true;          // frames of an animation, not pages
};
std::optional<StoredImagesWords> SeveralStoredImages(const ImageInfo& info);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ANIMATION_H_
