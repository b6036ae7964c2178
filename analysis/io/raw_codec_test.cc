#include "analysis/io/raw_codec.h"

#include <tiffio.h>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <string>
#include <vector>

#include "analysis/io/image_header.h"
#include "analysis/io/image_io.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// A scene in linear light, 16-bit RGB, turned into an RGGB Bayer mosaic.
std::vector<uint16_t> Mosaic(const cv::Mat& rgb16) {
  std::vector<uint16_t> cfa(rgb16.total());
  for (int y = 0; y < rgb16.rows; ++y)
    for (int x = 0; x < rgb16.cols; ++x) {
      const int channel = (y % 2 == 0) ? (x % 2 == 0 ? 0 : 1) : (x % 2 == 0 ? 1 : 2);  // R G / G B
      cfa[size_t(y) * rgb16.cols + x] = rgb16.at<cv::Vec3w>(y, x)[channel];
    }
  return cfa;
}

// Writes a minimal uncompressed CFA DNG (1.4) with libtiff: the tags LibRaw
// needs to demosaic it, a camera space equal to linear sRGB and a neutral
// white balance.
std::string WriteDng(const std::string& path, const cv::Mat& rgb16, int orientation = 1) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (tif == nullptr) return "";
  const uint32_t w = rgb16.cols, h = rgb16.rows;
  TIFFSetField(tif, TIFFTAG_SUBFILETYPE, 0);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, 32803);  // CFA
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, h);
  TIFFSetField(tif, TIFFTAG_ORIENTATION, uint16_t(orientation));
  TIFFSetField(tif, TIFFTAG_MAKE, "AcuityCam");
  TIFFSetField(tif, TIFFTAG_MODEL, "Bayer One");
  const uint16_t dim[2] = {2, 2};
  TIFFSetField(tif, TIFFTAG_CFAREPEATPATTERNDIM, dim);
  const uint8_t pattern[4] = {0, 1, 1, 2};
  TIFFSetField(tif, TIFFTAG_CFAPATTERN, uint16_t(4), pattern);
  const uint8_t version[4] = {1, 4, 0, 0};
  TIFFSetField(tif, TIFFTAG_DNGVERSION, version);
  TIFFSetField(tif, TIFFTAG_UNIQUECAMERAMODEL, "AcuityCam Bayer One");
  // XYZ (D65) -> linear sRGB: the camera "sees" sRGB primaries.
  const float matrix[9] = {3.2406f, -1.5372f, -0.4986f, -0.9689f, 1.8758f, 0.0415f, 0.0557f, -0.2040f, 1.0570f};
  TIFFSetField(tif, TIFFTAG_COLORMATRIX1, uint16_t(9), matrix);
  TIFFSetField(tif, TIFFTAG_CALIBRATIONILLUMINANT1, uint16_t(21));  // D65
  const float neutral[3] = {1.0f, 1.0f, 1.0f};
  TIFFSetField(tif, TIFFTAG_ASSHOTNEUTRAL, uint16_t(3), neutral);
  const uint32_t white[1] = {65535};
  TIFFSetField(tif, TIFFTAG_WHITELEVEL, uint16_t(1), white);
  std::vector<uint16_t> cfa = Mosaic(rgb16);
  TIFFWriteEncodedStrip(tif, 0, cfa.data(), tmsize_t(cfa.size() * 2));
  TIFFClose(tif);
  return testing::ReadBytes(path);
}

// Left half light grey, right half dark grey (linear 16-bit), RGB.
cv::Mat GreyHalves(int width, int height) {
  cv::Mat rgb(height, width, CV_16UC3, cv::Scalar::all(3000));
  rgb(cv::Rect(0, 0, width / 2, height)).setTo(cv::Scalar::all(20000));
  return rgb;
}

TEST(RawCodecTest, RecognisesRawSignaturesButNotOrdinaryTiff) {
  testing::ScratchDir dir;
  const std::string dng = WriteDng(dir.Path("a.dng"), GreyHalves(64, 48));
  EXPECT_TRUE(LooksLikeCameraRaw(dng));
  EXPECT_EQ(SniffImageFormat(dng), ImageFormat::kRaw);
  EXPECT_TRUE(LooksLikeCameraRaw(std::string("II*\0\x10\0\0\0CR\x02\0", 12)));  // CR2
  EXPECT_TRUE(LooksLikeCameraRaw("FUJIFILMCCD-RAW 0201FF383501"));
  EXPECT_TRUE(LooksLikeCameraRaw(std::string("IIRO\x08\0\0\0", 8)));          // ORF
  EXPECT_TRUE(LooksLikeCameraRaw(std::string("IIU\0\x08\0\0\0", 8)));         // RW2
  cv::Mat plain(16, 16, CV_8UC3, cv::Scalar(1, 2, 3));
  ASSERT_TRUE(cv::imwrite(dir.Path("plain.tif"), plain));
  EXPECT_FALSE(LooksLikeCameraRaw(testing::ReadBytes(dir.Path("plain.tif"))));
  for (const char* name : {"x.DNG", "x.cr2", "x.nef", "x.arw", "x.raf", "x.orf", "x.rw2"})
    EXPECT_TRUE(HasCameraRawExtension(name)) << name;
  EXPECT_FALSE(HasCameraRawExtension("x.tif"));
}

TEST(RawCodecTest, DemosaicsADngToSixteenBitSrgb) {
  testing::ScratchDir dir;
  const std::string dng = WriteDng(dir.Path("a.dng"), GreyHalves(64, 48));
  absl::StatusOr<RawHeader> header = ReadRawHeader(dng);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->width, 64);
  EXPECT_EQ(header->height, 48);
  EXPECT_EQ(header->camera, "AcuityCam Bayer One");
  absl::StatusOr<RawDecoded> decoded = DecodeRaw(dng);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->pixels.type(), CV_16UC3);
  ASSERT_EQ(decoded->pixels.cols, 64);
  ASSERT_EQ(decoded->pixels.rows, 48);
  const cv::Scalar light = cv::mean(decoded->pixels(cv::Rect(4, 4, 24, 40)));
  const cv::Scalar dark = cv::mean(decoded->pixels(cv::Rect(36, 4, 24, 40)));
  EXPECT_GT(light[1], dark[1] * 1.5) << "the light half must stay lighter";
  for (int c : {0, 2}) {  // a grey scene stays grey: B and R within 10 % of G
    EXPECT_NEAR(light[c], light[1], light[1] * 0.10) << c;
    EXPECT_NEAR(dark[c], dark[1], dark[1] * 0.10 + 300) << c;
  }
}

TEST(RawCodecTest, LoadImageAppliesTheCameraOrientationOnceAndNotesTheRendering) {
  testing::ScratchDir dir;
  WriteDng(dir.Path("rotated.dng"), GreyHalves(64, 48), /*orientation=*/6);
  absl::StatusOr<Image> image = LoadImage(dir.Path("rotated.dng"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.format, ImageFormat::kRaw);
  EXPECT_EQ(image->info.exif_orientation, 1);
  EXPECT_EQ(image->info.bit_depth, 16);
  ASSERT_EQ(image->info.width, 48);  // turned 90° clockwise
  ASSERT_EQ(image->info.height, 64);
  ASSERT_TRUE(image->info.raw.has_value());
  EXPECT_EQ(image->info.raw->camera, "AcuityCam Bayer One");
  EXPECT_NE(image->info.raw->rendering.find("demosaiced"), std::string::npos);
  // The light left half is now the top half.
  EXPECT_GT(cv::mean(image->pixels(cv::Rect(4, 4, 40, 24)))[1],
            1.5 * cv::mean(image->pixels(cv::Rect(4, 36, 40, 24)))[1]);
}

TEST(RawCodecTest, TruncatedDngIsAStatusNotACrash) {
  testing::ScratchDir dir;
  const std::string dng = WriteDng(dir.Path("a.dng"), GreyHalves(64, 48));
  for (size_t keep : {size_t(8), size_t(100), dng.size() / 4, dng.size() / 2}) {  // libtiff writes the strip first
    absl::StatusOr<Image> image = DecodeImage(dng.substr(0, keep), "cut.dng");
    EXPECT_FALSE(image.ok()) << keep;
  }
}

TEST(RawCodecTest, DecompressionBombIsRefusedFromTheHeader) {
  testing::ScratchDir dir;
  const std::string dng = WriteDng(dir.Path("a.dng"), GreyHalves(64, 48));
  LoadOptions options;
  options.max_megapixels = 0.001;
  EXPECT_EQ(DecodeImage(dng, "a.dng", options).status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace acuity
