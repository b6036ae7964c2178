#include "tests/testing/camera_exif.h"

#include <exiv2/exiv2.hpp>

namespace acuity::testing {

std::string WithCameraExif(const std::string& jpeg, const CameraExif& exif) {
  auto image = Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(jpeg.data()), long(jpeg.size()));
  image->readMetadata();
  Exiv2::ExifData data;
  data["Exif.Image.Make"] = exif.make;
  if (exif.orientation) data["Exif.Image.Orientation"] = *exif.orientation;
  data["Exif.Image.XResolution"] = Exiv2::URational(exif.dpi, 1);
  data["Exif.Image.YResolution"] = Exiv2::URational(exif.dpi, 1);
  data["Exif.Image.ResolutionUnit"] = uint16_t(2);  // inches
  if (exif.pixel_width) data["Exif.Photo.PixelXDimension"] = *exif.pixel_width;
  if (exif.pixel_height) data["Exif.Photo.PixelYDimension"] = *exif.pixel_height;
  image->setExifData(data);
  image->writeMetadata();
  Exiv2::BasicIo& io = image->io();
  io.open();
  Exiv2::DataBuf buf = io.read(long(io.size()));
  io.close();
  return std::string(reinterpret_cast<const char*>(buf.pData_), size_t(buf.size_));
}

namespace {

Exiv2::ExifData ReadExif(const std::string& path) {
  auto image = Exiv2::ImageFactory::open(path);
  image->readMetadata();
  return image->exifData();
}

}  // namespace

std::string ExifString(const std::string& path, const char* key) {
  const Exiv2::ExifData exif = ReadExif(path);
  auto it = exif.findKey(Exiv2::ExifKey(key));
  return it == exif.end() ? "" : it->toString();
}

long ExifLong(const std::string& path, const char* key) {
  const Exiv2::ExifData exif = ReadExif(path);
  auto it = exif.findKey(Exiv2::ExifKey(key));
  return it == exif.end() ? -1 : it->toLong(0);
}

}  // namespace acuity::testing
