#include "analysis/io/image_io.h"

#include <filesystem>

#include <exiv2/exiv2.hpp>
#include <tiffio.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lcms2.h>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis/io/jpeg_codec.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDir;

// A real photo crop, 96×64 px, 8-bit BGR.
cv::Mat PhotoCrop() {
  cv::Mat photo = testing::LoadPhoto("astronaut");
  return photo(cv::Rect(200, 100, 96, 64)).clone();
}

struct FormatCase {
  std::string name;      // file name, extension picks the encoder
  int cv_type;           // what we write
  std::vector<int> params;
  const char* format;
  int channels, bit_depth;
  bool has_alpha, lossless;
};

cv::Mat MakePixels(int cv_type) {
  cv::Mat bgr = PhotoCrop();
  cv::Mat out;
  const int channels = CV_MAT_CN(cv_type);
  if (channels == 1) cv::cvtColor(bgr, out, cv::COLOR_BGR2GRAY);
  else if (channels == 4) {
    cv::cvtColor(bgr, out, cv::COLOR_BGR2BGRA);
    // A real alpha ramp so that alpha is not trivially 255 (never 0: lossless
    // WebP may drop the colour of fully transparent pixels).
    for (int y = 0; y < out.rows; ++y)
      for (int x = 0; x < out.cols; ++x) out.at<cv::Vec4b>(y, x)[3] = uint8_t(1 + x * 254 / (out.cols - 1));
  } else out = bgr;
  if (CV_MAT_DEPTH(cv_type) == CV_16U) {
    cv::Mat wide;
    out.convertTo(wide, CV_16U, 257.0);
    // Use the low bits too, so that a 16→8-bit flattening would be caught.
    wide += cv::Scalar::all(37);
    out = wide;
  }
  return out;
}

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }

class DecodeFormatTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(DecodeFormatTest, DecodesWithRightDescription) {
  const FormatCase& c = GetParam();
  ScratchDir dir;
  const std::string path = dir.Path(c.name);
  cv::Mat written = MakePixels(c.cv_type);
  ASSERT_TRUE(cv::imwrite(path, written, c.params));
  absl::StatusOr<Image> image = LoadImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_STREQ(ImageFormatName(image->info.format), c.format);
  EXPECT_EQ(image->info.width, 96);
  EXPECT_EQ(image->info.height, 64);
  EXPECT_EQ(image->info.channels, c.channels);
  EXPECT_EQ(image->info.bit_depth, c.bit_depth);
  EXPECT_EQ(image->info.has_alpha, c.has_alpha);
  EXPECT_EQ(image->pixels.depth(), c.bit_depth == 16 ? CV_16U : CV_8U);
  ASSERT_EQ(image->pixels.channels(), written.channels());
  ASSERT_EQ(image->pixels.size(), written.size());
  // The lossy coding is named (a lossy WebP's damage is not read as a
  // JPEG's: ImageInfo::lossy_codec); a lossless file, WebP included, has none.
  if (c.lossless) {
    EXPECT_EQ(image->info.lossy_codec, std::nullopt);
  } else {
    EXPECT_EQ(image->info.lossy_codec, std::string(c.format));
  }
  if (c.lossless) {
    EXPECT_EQ(cv::norm(image->pixels, written, cv::NORM_INF), 0.0) << "lossless round trip changed pixels";
  } else {
    // Lossy: close to what was written (PSNR well above 30 dB on this crop).
    EXPECT_GT(cv::PSNR(image->pixels, written), 30.0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, DecodeFormatTest,
    ::testing::Values(
        FormatCase{"rgb8.jpg", CV_8UC3, {cv::IMWRITE_JPEG_QUALITY, 95}, "jpeg", 3, 8, false, false},
        FormatCase{"gray8.jpg", CV_8UC1, {cv::IMWRITE_JPEG_QUALITY, 95}, "jpeg", 1, 8, false, false},
        FormatCase{"rgb8.png", CV_8UC3, {}, "png", 3, 8, false, true},
        FormatCase{"rgb16.png", CV_16UC3, {}, "png", 3, 16, false, true},
        FormatCase{"gray8.png", CV_8UC1, {}, "png", 1, 8, false, true},
        FormatCase{"gray16.png", CV_16UC1, {}, "png", 1, 16, false, true},
        FormatCase{"rgba8.png", CV_8UC4, {}, "png", 4, 8, true, true},
        FormatCase{"rgba16.png", CV_16UC4, {}, "png", 4, 16, true, true},
        FormatCase{"rgb8.webp", CV_8UC3, {cv::IMWRITE_WEBP_QUALITY, 95}, "webp", 3, 8, false, false},
        FormatCase{"rgba8.webp", CV_8UC4, {cv::IMWRITE_WEBP_QUALITY, 101}, "webp", 4, 8, true, true},
        FormatCase{"rgb8.tif", CV_8UC3, {}, "tiff", 3, 8, false, true},
        FormatCase{"rgb16.tif", CV_16UC3, {}, "tiff", 3, 16, false, true},
        FormatCase{"gray16.tif", CV_16UC1, {}, "tiff", 1, 16, false, true},
        FormatCase{"rgba8.tif", CV_8UC4, {}, "tiff", 4, 8, true, true},
        // A 32-bit BMP is read as BGR: OpenCV 4.6 drops its alpha (docs/formats.md).
        FormatCase{"rgb8.bmp", CV_8UC3, {}, "bmp", 3, 8, false, true}),
    [](const ::testing::TestParamInfo<FormatCase>& info) {
      std::string n = info.param.name;
      for (char& ch : n)
        if (ch == '.') ch = '_';
      return n;
    });

void SetExif(const std::string& path, const std::function<void(Exiv2::ExifData&)>& edit) {
  auto img = Exiv2::ImageFactory::open(path);
  img->readMetadata();
  Exiv2::ExifData exif = img->exifData();
  edit(exif);
  img->setExifData(exif);
  img->writeMetadata();
}

// A TIFF holds whatever its Compression tag says: compressed by JPEG, its
// pixels went through JPEG coding (a review of fdafd4a: it read
// lossy_codec null beside "JPEG quality 44, from pixels").
TEST(LossyCodecTest, ATiffCompressedByJpegIsLossy) {
  ScratchDir dir;
  cv::Mat pixels;
  cv::cvtColor(MakePixels(CV_8UC3), pixels, cv::COLOR_BGR2RGB);
  const std::string jpeg_tiff = dir.Path("jpeg.tif"), plain_tiff = dir.Path("plain.tif");
  for (const auto& [path, compression] : {std::pair{jpeg_tiff, COMPRESSION_JPEG}, {plain_tiff, COMPRESSION_LZW}}) {
    TIFF* tif = TIFFOpen(path.c_str(), "w");
    ASSERT_NE(tif, nullptr);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, uint32_t(pixels.cols));
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, uint32_t(pixels.rows));
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, uint16_t(3));
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, uint16_t(8));
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, uint16_t(PHOTOMETRIC_RGB));
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, uint16_t(PLANARCONFIG_CONTIG));
    TIFFSetField(tif, TIFFTAG_COMPRESSION, uint16_t(compression));
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, uint32_t(16));
    for (int y = 0; y < pixels.rows; ++y)
      ASSERT_EQ(TIFFWriteScanline(tif, const_cast<uchar*>(pixels.ptr(y)), uint32_t(y)), 1);
    TIFFClose(tif);
  }
  absl::StatusOr<Image> lossy = LoadImage(jpeg_tiff), lossless = LoadImage(plain_tiff);
  ASSERT_TRUE(lossy.ok()) << lossy.status();
  ASSERT_TRUE(lossless.ok()) << lossless.status();
  EXPECT_EQ(lossy->info.lossy_codec, std::string("jpeg"));
  EXPECT_EQ(lossless->info.lossy_codec, std::nullopt);
}

// Where the stored top-left corner shows up after orientation 1–8 is applied.
class OrientationTest : public ::testing::TestWithParam<int> {};

TEST_P(OrientationTest, AppliesExifOrientation) {
  const int orientation = GetParam();
  ScratchDir dir;
  // 160×96 stored, with a saturated red block in the stored top-left corner.
  cv::Mat stored(96, 160, CV_8UC3, cv::Scalar(128, 128, 128));
  stored(cv::Rect(0, 0, 48, 32)).setTo(cv::Scalar(0, 0, 255));
  const std::string path = dir.Path("oriented.jpg");
  ASSERT_TRUE(cv::imwrite(path, stored, {cv::IMWRITE_JPEG_QUALITY, 95}));
  SetExif(path, [&](Exiv2::ExifData& exif) { exif["Exif.Image.Orientation"] = uint16_t(orientation); });

  absl::StatusOr<Image> image = LoadImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.exif_orientation, orientation);
  EXPECT_EQ(ExifOrientation(testing::ReadBytes(path)), orientation) << "the orientation alone (thumbnails)";
  EXPECT_EQ(ExifOrientation("not an image"), 1);
  const bool swapped = orientation >= 5;
  EXPECT_EQ(image->info.width, swapped ? 96 : 160);
  EXPECT_EQ(image->info.height, swapped ? 160 : 96);
  const int w = image->pixels.cols, h = image->pixels.rows;
  // Expected displayed corner of the red block: 0 TL, 1 TR, 2 BR, 3 BL.
  const int corner_of[9] = {0, 0, 1, 2, 3, 0, 1, 2, 3};
  const cv::Point corners[4] = {{4, 4}, {w - 5, 4}, {w - 5, h - 5}, {4, h - 5}};
  for (int k = 0; k < 4; ++k) {
    const cv::Vec3b px = image->pixels.at<cv::Vec3b>(corners[k]);
    const bool red = px[2] > 200 && px[1] < 60;
    EXPECT_EQ(red, k == corner_of[orientation]) << "orientation " << orientation << " corner " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEight, OrientationTest, ::testing::Range(1, 9));

TEST(DpiTest, ReadsJfifDensity) {
  ScratchDir dir;
  JpegEncodeOptions options;
  options.dpi = 240;
  auto bytes = EncodeJpeg(PhotoCrop(), options);
  ASSERT_TRUE(bytes.ok());
  testing::WriteBytes(dir.Path("a.jpg"), *bytes);
  auto image = LoadImage(dir.Path("a.jpg"));
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_TRUE(image->info.dpi.has_value());
  EXPECT_DOUBLE_EQ(*image->info.dpi, 240);
  EXPECT_EQ(image->info.dpi_source, "jfif");
}

TEST(DpiTest, ExifResolutionInInchesAndCentimetres) {
  ScratchDir dir;
  const std::string path = dir.Path("a.jpg");
  ASSERT_TRUE(cv::imwrite(path, PhotoCrop()));
  SetExif(path, [](Exiv2::ExifData& exif) {
    exif["Exif.Image.XResolution"] = Exiv2::URational(350, 1);
    exif["Exif.Image.YResolution"] = Exiv2::URational(350, 1);
    exif["Exif.Image.ResolutionUnit"] = uint16_t(2);
  });
  auto image = LoadImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_DOUBLE_EQ(image->info.dpi.value_or(0), 350);
  EXPECT_EQ(image->info.dpi_source, "exif");
  EXPECT_TRUE(image->info.has_exif);

  SetExif(path, [](Exiv2::ExifData& exif) {
    exif["Exif.Image.XResolution"] = Exiv2::URational(100, 1);
    exif["Exif.Image.YResolution"] = Exiv2::URational(100, 1);
    exif["Exif.Image.ResolutionUnit"] = uint16_t(3);  // per centimetre
  });
  image = LoadImage(path);
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_NEAR(image->info.dpi.value_or(0), 254, 1e-9);
}

TEST(DpiTest, PngPhysChunk) {
  ScratchDir dir;
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", PhotoCrop(), png));
  // Insert a pHYs chunk (11811 px/m ≈ 300 dpi) right after IHDR (8 + 25 bytes).
  auto be32 = [](uint32_t v) { return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; };
  std::string body = "pHYs" + be32(11811) + be32(11811) + std::string(1, '\x01');
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : body) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  std::string bytes(png.begin(), png.end());
  bytes.insert(33, be32(9) + body + be32(~crc));
  testing::WriteBytes(dir.Path("a.png"), bytes);
  auto image = LoadImage(dir.Path("a.png"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_NEAR(image->info.dpi.value_or(0), 300, 0.01);
  EXPECT_EQ(image->info.dpi_source, "png_phys");
}

TEST(DpiTest, TiffResolutionTags) {
  ScratchDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("a.tif"), PhotoCrop(),
                          {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 600, cv::IMWRITE_TIFF_YDPI, 600}));
  auto image = LoadImage(dir.Path("a.tif"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_NEAR(image->info.dpi.value_or(0), 600, 1e-6);
  EXPECT_EQ(image->info.dpi_source, "tiff");
}

TEST(DpiTest, NoneRecorded) {
  ScratchDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("a.png"), PhotoCrop()));
  auto image = LoadImage(dir.Path("a.png"));
  ASSERT_TRUE(image.ok());
  EXPECT_FALSE(image->info.dpi.has_value());
  EXPECT_FALSE(image->info.has_icc);
}

TEST(IccTest, ReadsEmbeddedProfileAndItsName) {
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  cmsUInt32Number size = 0;
  ASSERT_TRUE(cmsSaveProfileToMem(srgb, nullptr, &size));
  std::vector<uint8_t> icc(size);
  ASSERT_TRUE(cmsSaveProfileToMem(srgb, icc.data(), &size));
  cmsCloseProfile(srgb);

  JpegEncodeOptions options;
  options.icc_profile = icc;
  auto bytes = EncodeJpeg(PhotoCrop(), options);
  ASSERT_TRUE(bytes.ok());
  ScratchDir dir;
  testing::WriteBytes(dir.Path("icc.jpg"), *bytes);
  auto image = LoadImage(dir.Path("icc.jpg"));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_TRUE(image->info.has_icc);
  EXPECT_EQ(image->info.icc_profile, icc);
  EXPECT_THAT(image->info.icc_description, HasSubstr("sRGB"));
}

TEST(LoadImageTest, RefusesBadInputWithMeaningfulCodes) {
  ScratchDir dir;
  EXPECT_EQ(LoadImage(dir.Path("nope.jpg")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadImage(dir.path()).status().code(), absl::StatusCode::kFailedPrecondition);
  testing::WriteBytes(dir.Path("empty.png"), "");
  EXPECT_EQ(LoadImage(dir.Path("empty.png")).status().code(), absl::StatusCode::kInvalidArgument);
  testing::WriteBytes(dir.Path("text.png"), "hello");
  EXPECT_EQ(LoadImage(dir.Path("text.png")).status().code(), absl::StatusCode::kInvalidArgument);

  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", PhotoCrop(), png));
  testing::WriteBytes(dir.Path("cut.png"), std::string(png.begin(), png.begin() + png.size() / 2));
  auto cut = LoadImage(dir.Path("cut.png"));
  EXPECT_EQ(cut.status().code(), absl::StatusCode::kDataLoss) << cut.status();

  std::vector<uchar> jpg;
  ASSERT_TRUE(cv::imencode(".jpg", PhotoCrop(), jpg));
  testing::WriteBytes(dir.Path("cut.jpg"), std::string(jpg.begin(), jpg.begin() + jpg.size() * 2 / 3));
  auto cut_jpeg = LoadImage(dir.Path("cut.jpg"));
  EXPECT_EQ(cut_jpeg.status().code(), absl::StatusCode::kDataLoss) << cut_jpeg.status();
  EXPECT_THAT(cut_jpeg.status().message(), HasSubstr("truncated JPEG"));
}

// Logging levels are process-wide: LoadImage leaves them to the program,
// which mutes them once at start-up with QuietLibraryLogging.
TEST(LoadImageTest, LeavesLibraryLoggingToTheProgram) {
  ScratchDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("a.jpg"), PhotoCrop()));
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_WARNING);
  Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
  ASSERT_TRUE(LoadImage(dir.Path("a.jpg")).ok());
  EXPECT_EQ(cv::utils::logging::getLogLevel(), cv::utils::logging::LOG_LEVEL_WARNING);
  EXPECT_EQ(Exiv2::LogMsg::level(), Exiv2::LogMsg::warn);
  QuietLibraryLogging();
  EXPECT_EQ(cv::utils::logging::getLogLevel(), cv::utils::logging::LOG_LEVEL_SILENT);
  EXPECT_EQ(Exiv2::LogMsg::level(), Exiv2::LogMsg::mute);
}

TEST(LoadImageTest, PixelLimitIsCheckedFromTheHeader) {
  ScratchDir dir;
  ASSERT_TRUE(cv::imwrite(dir.Path("a.png"), PhotoCrop()));
  LoadOptions options;
  options.max_megapixels = 0.005;  // 96×64 = 0.006 MP
  auto refused = LoadImage(dir.Path("a.png"), options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.status().message(), HasSubstr("96×64"));
  options.max_megapixels = 0.007;
  EXPECT_TRUE(LoadImage(dir.Path("a.png"), options).ok());
}

// Pixels handed over in memory are what the decoded file would be: the same
// pixels, the file's facts that pixels carry, none of those only a file has.
TEST(ImageFromPixelsTest, TakesThePixelsOfADecodedFile) {
  ScratchDir dir;
  const cv::Mat photo = testing::LoadPhoto("coffee");
  ASSERT_TRUE(cv::imwrite(dir.Path("coffee.png"), photo));
  absl::StatusOr<Image> file = LoadImage(dir.Path("coffee.png"));
  ASSERT_TRUE(file.ok()) << file.status();
  absl::StatusOr<Image> memory = ImageFromPixels(file->pixels, "<array>");
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_EQ(cv::norm(memory->pixels, file->pixels, cv::NORM_INF), 0);
  EXPECT_EQ(memory->info.path, "<array>");
  EXPECT_EQ(memory->info.format, ImageFormat::kUnknown);
  EXPECT_EQ(memory->info.width, file->info.width);
  EXPECT_EQ(memory->info.height, file->info.height);
  EXPECT_EQ(memory->info.channels, 3);
  EXPECT_EQ(memory->info.bit_depth, 8);
  EXPECT_FALSE(memory->info.file_bytes.has_value());
  EXPECT_EQ(file->info.file_bytes, std::filesystem::file_size(dir.Path("coffee.png")));
}

TEST(ImageFromPixelsTest, FloatBecomes16BitAsAFloatTiffDoes) {
  cv::Mat gray(32, 48, CV_32FC1, cv::Scalar(0.5));
  gray.at<float>(0, 0) = 1.5f;  // out of range: clipped
  absl::StatusOr<Image> image = ImageFromPixels(gray, "<array>");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->pixels.type(), CV_16UC1);
  EXPECT_EQ(image->info.bit_depth, 16);
  EXPECT_EQ(image->pixels.at<uint16_t>(1, 1), 32768);
  EXPECT_EQ(image->pixels.at<uint16_t>(0, 0), 65535);
}

TEST(ImageFromPixelsTest, RefusesWhatAFileWouldBeRefusedFor) {
  absl::StatusOr<Image> tiny = ImageFromPixels(cv::Mat(4, 100, CV_8UC3), "<array>");
  EXPECT_TRUE(absl::IsInvalidArgument(tiny.status())) << tiny.status();
  EXPECT_THAT(tiny.status().message(), HasSubstr("at least 8×8 px"));
  LoadOptions small_limit;
  small_limit.max_megapixels = 0.001;
  absl::StatusOr<Image> big = ImageFromPixels(cv::Mat(100, 100, CV_8UC1), "<array>", small_limit);
  EXPECT_TRUE(absl::IsResourceExhausted(big.status())) << big.status();
  absl::StatusOr<Image> two = ImageFromPixels(cv::Mat(64, 64, CV_8UC2), "<array>");
  EXPECT_TRUE(absl::IsInvalidArgument(two.status())) << two.status();
  EXPECT_THAT(two.status().message(), HasSubstr("2 channels"));
}

}  // namespace
}  // namespace acuity
