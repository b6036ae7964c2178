#include "analysis/io/color_space.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>
#include <tiffio.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/image_io.h"
#include "analysis/io/image_writer.h"
#include "tests/testing/cmyk_jpeg.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

// What is known of Adobe RGB against sRGB: the same white (greys stay
// grey), and a wider green primary: a green in Adobe RGB needs less red and
// blue in sRGB to be as saturated.
TEST(ColorSpaceTest, AdobeRgbToSrgb) {
  cv::Mat pixels(2, 1, CV_8UC3);
  pixels.at<cv::Vec3b>(0) = {128, 128, 128};  // BGR grey
  pixels.at<cv::Vec3b>(1) = {100, 160, 100};  // a muted green
  absl::StatusOr<cv::Mat> srgb = ConvertToSrgb(pixels, testing::AdobeRgbLikeProfile());
  ASSERT_TRUE(srgb.ok()) << srgb.status();
  const cv::Vec3b grey = srgb->at<cv::Vec3b>(0), green = srgb->at<cv::Vec3b>(1);
  EXPECT_LE(std::abs(grey[0] - grey[2]), 1);
  EXPECT_LE(std::abs(grey[1] - grey[2]), 1);
  EXPECT_LT(green[2], 100);  // red
  EXPECT_LT(green[0], 100);  // blue
  EXPECT_GT(green[1], 140);  // green
  // 16-bit and BGRA keep their layout; alpha is copied.
  cv::Mat wide;
  pixels.convertTo(wide, CV_16U, 257);
  absl::StatusOr<cv::Mat> srgb16 = ConvertToSrgb(wide, testing::AdobeRgbLikeProfile());
  ASSERT_TRUE(srgb16.ok());
  EXPECT_EQ(srgb16->type(), CV_16UC3);
  EXPECT_NEAR(srgb16->at<cv::Vec3w>(1)[2] / 257.0, green[2], 1.5);
}

TEST(ColorSpaceTest, SrgbFilesAndBadProfiles) {
  ImageInfo none;
  EXPECT_TRUE(IsSrgb(none));
  ImageInfo adobe;
  adobe.has_icc = true;
  adobe.icc_description = "Adobe RGB (1998)";
  EXPECT_FALSE(IsSrgb(adobe));
  ImageInfo srgb = adobe;
  srgb.icc_description = "sRGB IEC61966-2.1";
  EXPECT_TRUE(IsSrgb(srgb));
  EXPECT_FALSE(SrgbIccProfile().empty());
  const std::vector<uint8_t> junk = {1, 2, 3};
  absl::StatusOr<cv::Mat> bad = ConvertToSrgb(cv::Mat(2, 2, CV_8UC3, cv::Scalar::all(9)), junk);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

// Pictures are shown in sRGB: converted only when their profile is another
// (and can be used); the flag says which.
TEST(ColorSpaceTest, PixelsInSrgbConvertOnlyOtherProfiles) {
  const cv::Mat pixels(2, 2, CV_8UC3, cv::Scalar(100, 160, 100));
  ImageInfo adobe;
  adobe.has_icc = true;
  adobe.icc_description = "Adobe RGB (1998)";
  adobe.icc_profile = testing::AdobeRgbLikeProfile();
  bool converted = false;
  const cv::Mat shown = PixelsInSrgb(pixels, adobe, &converted);
  EXPECT_TRUE(converted);
  absl::StatusOr<cv::Mat> srgb = ConvertToSrgb(pixels, adobe.icc_profile);
  ASSERT_TRUE(srgb.ok());
  EXPECT_EQ(cv::norm(shown, *srgb, cv::NORM_INF), 0);
  ImageInfo tagged_srgb = adobe;
  tagged_srgb.icc_description = "sRGB IEC61966-2.1";
  ImageInfo untagged;
  ImageInfo unreadable = adobe;
  unreadable.icc_profile = {1, 2, 3};
  for (const ImageInfo* info : {&tagged_srgb, &untagged, &unreadable}) {
    converted = true;
    EXPECT_EQ(cv::norm(PixelsInSrgb(pixels, *info, &converted), pixels, cv::NORM_INF), 0);
    EXPECT_FALSE(converted);
  }
}

// Patches of ink: none, 50 % cyan, 70 % magenta + 30 % yellow, 40 % black.
cv::Mat InkPatches() {
  cv::Mat ink(64, 256, CV_8UC4, cv::Scalar::all(0));
  ink(cv::Rect(64, 0, 64, 64)).setTo(cv::Scalar(128, 0, 0, 0));
  ink(cv::Rect(128, 0, 64, 64)).setTo(cv::Scalar(0, 179, 77, 0));
  ink(cv::Rect(192, 0, 64, 64)).setTo(cv::Scalar(0, 0, 0, 102));
  return ink;
}

// A CMYK JPEG with a CMYK profile is read through the profile (its colours,
// not 255 − ink); without one, by 255 − ink. Either way the pixels are sRGB
// and the file is CMYK.
TEST(ColorSpaceTest, CmykJpegIsReadThroughItsProfile) {
  const cv::Mat ink = InkPatches();
  const std::vector<uint8_t> profile = testing::LightCmykProfile();
  ASSERT_GT(profile.size(), 128u);
  for (bool with_profile : {true, false}) {
    SCOPED_TRACE(with_profile ? "with profile" : "without profile");
    absl::StatusOr<Image> image =
        DecodeImage(testing::CmykJpeg(ink, 98, with_profile ? profile : std::vector<uint8_t>{}), "ink.jpg");
    ASSERT_TRUE(image.ok()) << image.status();
    EXPECT_TRUE(image->info.cmyk);
    EXPECT_TRUE(IsSrgb(image->info));  // the pixels
    EXPECT_EQ(ColorSpaceName(image->info),
              with_profile ? "CMYK ink (acuity test CMYK (light))" : "CMYK ink (no profile)");
    ASSERT_EQ(image->pixels.type(), CV_8UC3);
    for (int i = 0; i < 4; ++i) {
      const cv::Vec4b v = ink.at<cv::Vec4b>(32, 64 * i + 32);
      const cv::Vec3b naive(uint8_t((255 - v[2]) * (255 - v[3]) / 255), uint8_t((255 - v[1]) * (255 - v[3]) / 255),
                            uint8_t((255 - v[0]) * (255 - v[3]) / 255));
      const cv::Vec3b expected = with_profile ? testing::LightCmykToBgr(v) : naive;
      const cv::Vec3b got = image->pixels.at<cv::Vec3b>(32, 64 * i + 32);
      for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], expected[c], 4) << "patch " << i << " channel " << c;
      if (with_profile && i > 0) {
        EXPECT_GT(cv::norm(cv::Vec3d(got) - cv::Vec3d(naive)), 15.0) << "patch " << i;
      }
    }
  }
  // A file written from it is RGB and says sRGB: the CMYK profile describes
  // no RGB pixels (before, it was copied into the RGB file).
  absl::StatusOr<Image> image = DecodeImage(testing::CmykJpeg(ink, 98, profile), "ink.jpg");
  ASSERT_TRUE(image.ok());
  testing::ScratchDir dir;
  WriteOptions options;
  options.source = &image->info;
  ASSERT_TRUE(WriteImage(dir.Path("out.jpg"), image->pixels, options).ok());
  absl::StatusOr<Image> written = LoadImage(dir.Path("out.jpg"));
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(written->info.cmyk);
  EXPECT_EQ(written->info.channels, 3);
  EXPECT_TRUE(written->info.has_icc);
  EXPECT_TRUE(IsSrgb(written->info)) << written->info.icc_description;
}

// A CMYK TIFF (photometric "separated", 4 samples, no alpha) written with
// libtiff: its pixels are BGR, 255 − ink as the reader converts it, and
// nothing written from it gains an alpha channel (OpenCV's reader returns
// such a file as BGRA with an opaque alpha, which went on into PNG and TIFF
// outputs).
TEST(ColorSpaceTest, CmykTiffGivesBgrWithoutAlpha) {
  const cv::Mat ink = InkPatches();
  testing::ScratchDir dir;
  const std::string path = dir.Path("ink.tif");
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(ink.cols));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(ink.rows));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(4));
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_SEPARATED));
  TIFFSetField(tif, TIFFTAG_INKSET, uint16_t(INKSET_CMYK));
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(ink.rows));
  for (int y = 0; y < ink.rows; ++y) ASSERT_EQ(TIFFWriteScanline(tif, const_cast<uchar*>(ink.ptr(y)), uint32_t(y)), 1);
  TIFFClose(tif);

  absl::StatusOr<Image> image = LoadImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_TRUE(image->info.cmyk);
  EXPECT_FALSE(image->info.has_alpha);
  ASSERT_EQ(image->pixels.type(), CV_8UC3);
  for (int i = 0; i < 4; ++i) {
    const cv::Vec4b v = ink.at<cv::Vec4b>(32, 64 * i + 32);
    const cv::Vec3b naive(uint8_t((255 - v[2]) * (255 - v[3]) / 255), uint8_t((255 - v[1]) * (255 - v[3]) / 255),
                          uint8_t((255 - v[0]) * (255 - v[3]) / 255));
    const cv::Vec3b got = image->pixels.at<cv::Vec3b>(32, 64 * i + 32);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], naive[c], 4) << "patch " << i << " channel " << c;
  }
  for (const char* out : {"out.png", "out.tif"}) {
    WriteOptions options;
    options.source = &image->info;
    ASSERT_TRUE(WriteImage(dir.Path(out), image->pixels, options).ok()) << out;
    absl::StatusOr<Image> written = LoadImage(dir.Path(out));
    ASSERT_TRUE(written.ok()) << out;
    EXPECT_EQ(written->info.channels, 3) << out;
    EXPECT_FALSE(written->info.has_alpha) << out;
  }
}

// The ICC colour space a profile declares (its header's bytes 16–19).
std::string SpaceOf(const std::vector<uint8_t>& icc) {
  return icc.size() >= 20 ? std::string(icc.begin() + 16, icc.begin() + 20) : "";
}

// A gray picture written in colour (a walk, #25: WebP has no gray, gray
// with alpha is written RGBA) carried its gray profile onto the RGB
// samples: an invalid file (lcms built no transform from it) that acuity's
// own qa failed by 19 ΔE00. It now carries an RGB profile with the gray
// one's tone curve, which shows the same grays; gray samples keep the gray
// profile byte for byte.
TEST(ColorSpaceTest, AGrayPicturesProfileFollowsItIntoColour) {
  cv::Mat ramp(16, 256, CV_8U);
  for (int x = 0; x < 256; ++x) ramp.col(x).setTo(x);
  const std::vector<uint8_t> gray_icc = testing::GammaGrayProfile(1.8);
  absl::StatusOr<cv::Mat> meant = ConvertToSrgb(ramp, gray_icc);  // the grays the source shows
  ASSERT_TRUE(meant.ok()) << meant.status();
  ASSERT_GT(cv::norm(*meant, ramp, cv::NORM_INF), 10);  // the profile matters

  EXPECT_EQ(ProfileForSamples(gray_icc, /*colour=*/false), gray_icc);
  const std::vector<uint8_t> as_rgb = ProfileForSamples(gray_icc, /*colour=*/true);
  EXPECT_EQ(SpaceOf(as_rgb), "RGB ");
  // The same bytes whenever it is made (not stamped with the time it was made).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(ProfileForSamples(gray_icc, /*colour=*/true), as_rgb);
  EXPECT_TRUE(ProfileForSamples(testing::AdobeRgbLikeProfile(), /*colour=*/false).empty());
  EXPECT_EQ(ProfileForSamples(testing::AdobeRgbLikeProfile(), true), testing::AdobeRgbLikeProfile());

  testing::ScratchDir dir;
  ImageInfo source;
  source.has_icc = true;
  source.icc_profile = gray_icc;
  WriteOptions options;
  options.source = &source;
  cv::Mat gray_alpha;
  cv::cvtColor(ramp, gray_alpha, cv::COLOR_GRAY2BGRA);
  struct Case {
    const char* name;
    cv::Mat pixels;
    const char* space;
  } cases[] = {{"g.webp", ramp, "RGB "}, {"ga.png", gray_alpha, "RGB "}, {"ga.tif", gray_alpha, "RGB "},
               {"g.png", ramp, "GRAY"}, {"g.jpg", ramp, "GRAY"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    options.quality = 100;
    ASSERT_TRUE(WriteImage(dir.Path(c.name), c.pixels, options).ok());
    absl::StatusOr<Image> back = LoadImage(dir.Path(c.name));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(SpaceOf(back->info.icc_profile), c.space);
    // Shown in sRGB, the file's grays are the source's.
    cv::Mat shown = PixelsInSrgb(back->pixels, back->info), shown_gray;
    if (shown.channels() == 1) shown_gray = shown;
    else cv::cvtColor(shown, shown_gray, shown.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    EXPECT_LE(cv::norm(shown_gray, *meant, cv::NORM_INF), 3.0);
  }
}

}  // namespace
}  // namespace acuity
