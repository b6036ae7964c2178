#include "analysis/io/raw_codec.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <string>
#include <vector>

#include "analysis/io/image_header.h"
#include "analysis/io/image_io.h"
#include "tests/testing/camera_dng.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

std::string WriteDng(const std::string& path, const cv::Mat& rgb16, int orientation = 1) {
  return testing::WriteCameraDng(path, rgb16, orientation);
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
