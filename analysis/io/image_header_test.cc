#include "analysis/io/image_header.h"

#include <string>

#include <gtest/gtest.h>

#include "absl/status/status.h"

namespace acuity {
namespace {

using std::string_literals::operator""s;

// Found by fuzzing (decode_tiff_fuzzer, docs/fuzzing.md): a TIFF offset near
// 4 GiB wrapped around in 32-bit arithmetic, passed the bounds check and was
// read far outside the file. Each is now "cut short", never a read.
TEST(ImageHeaderTest, TiffIfdOffsetNearFourGibIsTruncatedNotARead) {
  const std::string tiff = "II*\0\xFF\xFF\xFF\xFF"s;
  absl::StatusOr<ImageHeader> h = ReadImageHeader(tiff);
  ASSERT_FALSE(h.ok());
  EXPECT_TRUE(absl::IsDataLoss(h.status())) << h.status();
}

TEST(ImageHeaderTest, TiffBitsPerSampleOffsetNearFourGibIsIgnored) {
  // One IFD entry: BitsPerSample, SHORT ×3, stored at offset 0xFFFFFFFF.
  const std::string tiff = "II*\0\x08\0\0\0\x01\0\x02\x01\x03\0\x03\0\0\0\xFF\xFF\xFF\xFF\0\0\0\0"s;
  absl::StatusOr<ImageHeader> h = ReadImageHeader(tiff);
  ASSERT_FALSE(h.ok());
  EXPECT_TRUE(absl::IsDataLoss(h.status())) << h.status();  // no size tags
}

TEST(ImageHeaderTest, TiffSizeAndDepthFromTheFirstIfd) {
  // Width 40, height 30 (SHORT), BitsPerSample 16, SamplesPerPixel 3.
  const std::string tiff =
      "II*\0\x08\0\0\0\x04\0"s
      "\x00\x01\x03\0\x01\0\0\0\x28\0\0\0"s
      "\x01\x01\x03\0\x01\0\0\0\x1E\0\0\0"s
      "\x02\x01\x03\0\x01\0\0\0\x10\0\0\0"s
      "\x15\x01\x03\0\x01\0\0\0\x03\0\0\0"s
      "\0\0\0\0"s;
  absl::StatusOr<ImageHeader> h = ReadImageHeader(tiff);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->format, ImageFormat::kTiff);
  EXPECT_EQ(h->width, 40);
  EXPECT_EQ(h->height, 30);
  EXPECT_EQ(h->bit_depth, 16);
  EXPECT_EQ(h->channels, 3);
}

}  // namespace
}  // namespace acuity
