// Test helper: turns encoded JPEG bytes into a "camera" JPEG by adding an
// EXIF block (maker, resolution, optional orientation and pixel dimensions),
// and reads EXIF fields back from written files, for the tests of metadata
// carried through `acuity enhance`. Its own library (acuity_testing_exif),
// so that only those tests link exiv2.
//
//   CameraExif exif;
//   exif.orientation = 6;  // stored sideways
//   WriteBytes(path, testing::WithCameraExif(*EncodeJpeg(pixels, options), exif));
//   EXPECT_EQ(testing::ExifString(out_path, "Exif.Image.Make"), "AcuityCam");
#ifndef ACUITY_TESTS_TESTING_CAMERA_EXIF_H_
#define ACUITY_TESTS_TESTING_CAMERA_EXIF_H_

#include <cstdint>
#include <optional>
#include <string>

namespace acuity::testing {

struct CameraExif {
  std::string make = "AcuityCam";
  uint32_t dpi = 72;                        // Exif.Image.X/YResolution, in pixels per inch
  std::optional<uint16_t> orientation;      // Exif.Image.Orientation (1–8)
  std::optional<uint32_t> pixel_width;      // Exif.Photo.PixelXDimension
  std::optional<uint32_t> pixel_height;     // Exif.Photo.PixelYDimension
};

// `jpeg` (the bytes of a JPEG file) with `exif` as its EXIF block.
std::string WithCameraExif(const std::string& jpeg, const CameraExif& exif);

// A field of the EXIF block of the image file at `path`: its text ("" when
// absent) or its integer value (-1 when absent).
std::string ExifString(const std::string& path, const char* key);
long ExifLong(const std::string& path, const char* key);

}  // namespace acuity::testing

#endif  // ACUITY_TESTS_TESTING_CAMERA_EXIF_H_
