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
// reads its first page; so do a HEIF or AVIF image sequence's frames (the
// samples of its picture track, CountHeifSequenceFrames), of which libheif
// reads the still primary image the file also stores. A HEIF/AVIF
// collection (burst shots, brackets) is counted by libheif as it reads the
// header (HeifHeader::top_level_images; ImageInfo::heif_collection): its
// primary image is read. A truncated or corrupt file counts the images that
// begin before the damage (at least 1). JPEG, BMP and camera RAW files are 1.
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
// The samples of a HEIF/AVIF image sequence's picture (or video) track, the
// largest of its 'moov' box's tracks; 0 for a still image or collection.
int CountHeifSequenceFrames(std::string_view bytes);
std::optional<int> CountStoredFrames(std::string_view bytes, ImageFormat format);

// The words for a file that stores several images (info.frames > 1): of an
// animation (GIF, WebP, APNG, a HEIF/AVIF sequence) its frames, of a TIFF
// its pages, of a HEIF/AVIF collection its images. nullopt for one image
// or a count not known.
struct StoredImagesWords {
  std::string_view warning_code;  // "animated_input", "multi_page_input" or "multi_image_input"
  std::string_view one;           // "frame", "page" or "image"
  std::string_view read;          // the one acuity reads: "first frame", "first page", "primary image"
  std::string whole;              // "an animation of 24 frames", "a TIFF of 3 pages", "a HEIF file of 3 images"
  bool animation = true;          // frames of an animation, not pages or a collection's images
};
std::optional<StoredImagesWords> SeveralStoredImages(const ImageInfo& info);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_ANIMATION_H_
