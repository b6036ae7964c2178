// The writer's metadata (write_metadata.h): the source's EXIF made true for
// the new pixels — orientation, size, a resolution scaled by the
// resampling —, the ICC profile and the notes of what was dropped.
#include "analysis/io/write_metadata.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <exiv2/exiv2.hpp>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <tiffio.h>

#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "analysis/io/image_writer_test_util.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/camera_exif.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;
using writer_test::Listing;
using writer_test::PhotoCrop;
using writer_test::SourceJpeg;
using writer_test::To16;
using writer_test::WithAlpha;

cv::Mat Enlarge(const cv::Mat& m, int w, int h) {
  cv::Mat out;
  cv::resize(m, out, cv::Size(w, h), 0, 0, cv::INTER_LANCZOS4);
  return out;
}

// The camera-JPEG case, for every output format: EXIF kept with orientation
// reset, dimensions updated and DPI scaled; the ICC profile byte-identical.
class MetadataRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(MetadataRoundTrip, ExifIccAndDpiFollowTheNewPixels) {
  testing::ScratchDir dir;
  const cv::Mat stored = PhotoCrop(96, 64);  // displays as 64×96 after orientation 6
  testing::WriteBytes(dir.Path("in.jpg"), SourceJpeg(stored));
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_EQ(source->info.width, 64);
  ASSERT_EQ(source->info.exif_orientation, 6);
  ASSERT_EQ(source->info.dpi.value_or(0), 72.0);

  const cv::Mat enlarged = Enlarge(source->pixels, 128, 192);  // 2×
  WriteOptions options;
  options.source = &source->info;
  const std::string out = dir.Path(std::string("out.") + GetParam());
  auto report = WriteImage(out, enlarged, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->notes.empty()) << report->notes.front();

  auto back = LoadImage(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->info.width, 128);  // not rotated a second time
  EXPECT_EQ(back->info.height, 192);
  EXPECT_EQ(back->info.exif_orientation, 1);
  EXPECT_EQ(back->info.dpi.value_or(0), 144.0);  // same print size at twice the pixels
  EXPECT_EQ(back->info.dpi_y.value_or(0), 144.0);
  EXPECT_EQ(back->info.icc_profile, source->info.icc_profile);
  constexpr double kMinPsnrDb = 30;  // the same upright picture (lossy formats)
  EXPECT_GT(cv::PSNR(cv::Mat(back->pixels), enlarged), kMinPsnrDb);

  EXPECT_EQ(testing::ExifString(out, "Exif.Image.Make"), "AcuityCam");
  EXPECT_EQ(testing::ExifLong(out, "Exif.Image.Orientation"), 1);
  EXPECT_EQ(testing::ExifLong(out, "Exif.Photo.PixelXDimension"), 128);
  EXPECT_EQ(testing::ExifLong(out, "Exif.Photo.PixelYDimension"), 192);
  EXPECT_EQ(Listing(dir.path()), (std::set<std::string>{"in.jpg", fs::path(out).filename().string()}));
}

INSTANTIATE_TEST_SUITE_P(Formats, MetadataRoundTrip, ::testing::Values("jpg", "png", "tif", "webp"));

// The EXIF X/YResolution of the file at `path` (exiv2; 0 when absent).
std::pair<double, double> ExifResolution(const std::string& path) {
  auto image = Exiv2::ImageFactory::open(path);
  image->readMetadata();
  const Exiv2::ExifData& exif = image->exifData();
  auto x = exif.findKey(Exiv2::ExifKey("Exif.Image.XResolution"));
  auto y = exif.findKey(Exiv2::ExifKey("Exif.Image.YResolution"));
  return {x == exif.end() ? 0.0 : double(x->toFloat(0)), y == exif.end() ? 0.0 : double(y->toFloat(0))};
}

// A walk (#25): after a crop or a pad, the EXIF resolution was scaled per
// axis by the output's size over the whole source's (a square cut of a
// 72-dpi camera JPEG enlarged to 400×400: 500 × 375 in EXIF where the JFIF
// said 500 × 500). With how much the picture was resampled (the pipeline's
// PipelineResult::px_per_source_px), both follow that alone.
TEST(ImageWriterTest, TheExifResolutionFollowsTheResamplingNotTheFrame) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("in.jpg"), SourceJpeg(PhotoCrop(96, 64)));  // 64×96 upright, 72 dpi in EXIF
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok()) << source.status();
  // The top 64×64 enlarged 2.5× (160×160): a crop, then a resize.
  cv::Mat square;
  cv::resize(source->pixels(cv::Rect(0, 0, 64, 64)), square, cv::Size(160, 160), 0, 0, cv::INTER_LANCZOS4);
  WriteOptions options;
  options.source = &source->info;
  options.px_per_source_px = cv::Point2d(2.5, 2.5);
  for (const char* name : {"out.jpg", "out.tif", "out.png"}) {
    SCOPED_TRACE(name);
    auto report = WriteImage(dir.Path(name), square, options);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_DOUBLE_EQ(report->dpi_x.value_or(0), 180.0);
    EXPECT_DOUBLE_EQ(report->dpi_y.value_or(0), 180.0);
    const auto [x, y] = ExifResolution(dir.Path(name));
    EXPECT_DOUBLE_EQ(x, 180.0);
    EXPECT_DOUBLE_EQ(y, 180.0);  // 72 × 160/96 = 120 before
  }
}

// Finding 14 (docs/fuzzing.md): a source resolution of 4 294 967 295 / 1
// scaled by an enlargement does not fit an EXIF RATIONAL (the conversion
// was undefined behaviour); the resolution tags are dropped, the rest kept.
TEST(ImageWriterTest, AResolutionTooLargeToScaleIsDropped) {
  testing::ScratchDir dir;
  JpegEncodeOptions jpeg;
  auto bytes = EncodeJpeg(PhotoCrop(96, 64), jpeg);
  ASSERT_TRUE(bytes.ok());
  testing::CameraExif exif;
  exif.dpi = 4294967295u;
  testing::WriteBytes(dir.Path("in.jpg"), testing::WithCameraExif(*bytes, exif));
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok()) << source.status();
  WriteOptions options;
  options.source = &source->info;
  const std::string out = dir.Path("out.jpg");
  auto report = WriteImage(out, Enlarge(source->pixels, 192, 128), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(testing::ExifString(out, "Exif.Image.XResolution"), "");
  EXPECT_EQ(testing::ExifString(out, "Exif.Image.YResolution"), "");
  EXPECT_EQ(testing::ExifString(out, "Exif.Image.Make"), "AcuityCam");
}

// A source resolution acuity reads (100 000 dpi) that, scaled by a 2×
// enlargement, no format's field holds (JPEG's JFIF density is 16-bit: it
// wrapped before): not recorded anywhere, and a note says why.
TEST(ImageWriterTest, AResolutionNoFormatHoldsIsNotRecorded) {
  testing::ScratchDir dir;
  auto bytes = EncodeJpeg(PhotoCrop(96, 64), JpegEncodeOptions());
  ASSERT_TRUE(bytes.ok());
  testing::CameraExif exif;
  exif.dpi = 100000;
  testing::WriteBytes(dir.Path("in.jpg"), testing::WithCameraExif(*bytes, exif));
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_EQ(source->info.dpi.value_or(0), 100000.0);
  WriteOptions options;
  options.source = &source->info;
  for (const char* name : {"out.jpg", "out.png", "out.tif"}) {
    auto report = WriteImage(dir.Path(name), Enlarge(source->pixels, 192, 128), options);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_FALSE(report->dpi_x.has_value()) << name;
    ASSERT_EQ(report->notes.size(), 1u) << name;
    EXPECT_NE(report->notes[0].find("print resolution not recorded: 200000"), std::string::npos) << report->notes[0];
    auto back = LoadImage(dir.Path(name));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_FALSE(back->info.dpi.has_value()) << name << " " << back->info.dpi.value_or(0);
    EXPECT_EQ(testing::ExifString(dir.Path(name), "Exif.Image.Make"), "AcuityCam") << name;
  }
}

// Alpha and metadata together: a BGRA PNG that carries EXIF and ICC (written
// by the writer from the camera JPEG) converted to WebP.
TEST(ImageWriterTest, WebpWithAlphaKeepsExifIccAndAlpha) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("in.jpg"), SourceJpeg(PhotoCrop(96, 64)));
  auto camera = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(camera.ok());
  WriteOptions to_png;
  to_png.source = &camera->info;
  const cv::Mat bgra = WithAlpha(camera->pixels);
  ASSERT_TRUE(WriteImage(dir.Path("mid.png"), bgra, to_png).ok());
  auto png = LoadImage(dir.Path("mid.png"));
  ASSERT_TRUE(png.ok()) << png.status();
  ASSERT_TRUE(png->info.has_exif);

  WriteOptions to_webp;
  to_webp.source = &png->info;
  auto report = WriteImage(dir.Path("out.webp"), png->pixels, to_webp);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->notes.empty()) << report->notes.front();
  auto back = LoadImage(dir.Path("out.webp"));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->pixels.type(), CV_8UC4);
  cv::Mat a0, a1;
  cv::extractChannel(bgra, a0, 3);
  cv::extractChannel(back->pixels, a1, 3);
  EXPECT_EQ(cv::norm(a0, a1, cv::NORM_INF), 0.0);
  EXPECT_EQ(back->info.icc_profile, camera->info.icc_profile);
  EXPECT_EQ(testing::ExifString(dir.Path("out.webp"), "Exif.Image.Make"), "AcuityCam");
}

TEST(ImageWriterTest, TargetDpiReplacesScaledDpiAndSixteenBitTiffKeepsIcc) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("in.jpg"), SourceJpeg(PhotoCrop(96, 64)));
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok());
  WriteOptions options;
  options.source = &source->info;
  options.target_dpi = 300;
  const cv::Mat pixels16 = To16(Enlarge(source->pixels, 192, 288));
  ASSERT_TRUE(WriteImage(dir.Path("out.tif"), pixels16, options).ok());
  auto back = LoadImage(dir.Path("out.tif"));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pixels.type(), CV_16UC3);
  EXPECT_EQ(cv::norm(back->pixels, pixels16, cv::NORM_INF), 0.0);
  EXPECT_EQ(back->info.dpi.value_or(0), 300.0);
  EXPECT_EQ(back->info.icc_profile, source->info.icc_profile);
}

// A TIFF as a program writes it, with `description` (ImageDescription) and
// an Artist, 8-bit RGB.
void WriteTiffWithDescription(const std::string& path, const cv::Mat& bgr, const char* description) {
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(rgb.cols));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(rgb.rows));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_RGB));
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
  TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, description);
  TIFFSetField(tif, TIFFTAG_ARTIST, "Ann Example");
  for (int y = 0; y < rgb.rows; ++y) ASSERT_GE(TIFFWriteScanline(tif, rgb.ptr(y), uint32_t(y), 0), 0);
  TIFFClose(tif);
}

// A walk (issue #25) found tifffile's `{"shape": [64, 96, 3]}` copied into
// every output: a note of the source's array, false for the new file. Such
// notes are dropped in every format; a caption for people is kept.
TEST(ImageWriterTest, AProgramsNoteOfTheSourceLayoutIsDroppedAndACaptionKept) {
  testing::ScratchDir dir;
  const cv::Mat photo = PhotoCrop(96, 64);
  const std::pair<const char*, bool> cases[] = {
      {"{\"shape\": [64, 96, 3]}", false},           // tifffile
      {"shape=(64, 96, 3)", false},                    // older tifffile
      {"ImageJ=1.53t\nimages=1\n", false},             // ImageJ
      {"<?xml version=\"1.0\"?><OME xmlns=\"x\"/>", false},  // OME-TIFF
      {"Harbour at dawn {shape of things}", true},     // a caption
  };
  for (const auto& [description, kept] : cases) {
    WriteTiffWithDescription(dir.Path("in.tif"), photo, description);
    auto source = LoadImage(dir.Path("in.tif"));
    ASSERT_TRUE(source.ok()) << source.status();
    WriteOptions options;
    options.source = &source->info;
    for (const char* ext : {"tif", "png", "jpg"}) {
      const std::string out = dir.Path(std::string("out.") + ext);
      ASSERT_TRUE(WriteImage(out, Enlarge(source->pixels, 192, 128), options).ok()) << ext;
      EXPECT_EQ(testing::ExifString(out, "Exif.Image.Artist"), "Ann Example") << ext;  // the rest is copied
      EXPECT_EQ(testing::ExifString(out, "Exif.Image.ImageDescription"), kept ? description : "")
          << ext << ": " << description;
    }
  }
}

}  // namespace
}  // namespace acuity
