// Writing the source's metadata into a new file (image_writer.h's part
// done with exiv2): the EXIF made true for the new pixels (size,
// orientation, a resolution scaled by the resampling), IPTC and XMP copied,
// acuity's own record (acuity_record.h) put in the XMP. Internal to the
// writer; callers use WriteImage / EncodeImage.
//
//   std::string file = WithMetadata(std::move(encoded), ImageFormat::kJpeg, pixels, options, &report);
#ifndef ACUITY_ANALYSIS_IO_WRITE_METADATA_H_
#define ACUITY_ANALYSIS_IO_WRITE_METADATA_H_

#include <string>

#include <opencv2/core.hpp>

#include "analysis/io/image_writer.h"

namespace acuity {

// Output px per source px along x and y (`options.source` set, of a
// positive size): WriteOptions::px_per_source_px, else the sizes' ratio.
cv::Point2d ResampledBy(const cv::Mat& pixels, const WriteOptions& options);

// Copies EXIF/IPTC/XMP from the source file (options.source's path) and
// acuity's record (options.record) into the `encoded` bytes of `format`
// (the ICC profile is the encoder's, and exiv2 keeps it). A failure here
// loses metadata, not the picture: it becomes a note in `report` and the
// bytes come back as they were. Throws std::bad_alloc only.
std::string WithMetadata(std::string encoded, ImageFormat format, const cv::Mat& pixels,
                         const WriteOptions& options, WriteReport* report);

}  // namespace acuity

#endif  // ACUITY_ANALYSIS_IO_WRITE_METADATA_H_
