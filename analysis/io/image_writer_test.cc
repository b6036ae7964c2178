#include "analysis/io/image_writer.h"

#include <signal.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>

#include <png.h>
#include <tiffio.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/image_io.h"
#include "analysis/io/image_writer_test_util.h"
#include "analysis/io/jpeg_codec.h"
#include "tests/testing/camera_exif.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

namespace fs = std::filesystem;

using writer_test::PhotoCrop;
using writer_test::RealIccProfile;
using writer_test::SourceJpeg;
using writer_test::To16;
using writer_test::WithAlpha;
using writer_test::Listing;

// The ICC profile of a PNG file as libpng reads it (as ImageMagick, browsers
// and most viewers do), with the chunk's keyword; nullopt when libpng reads
// none (it drops an iCCP chunk it finds invalid, e.g. one with an empty
// keyword).
struct PngIcc {
  std::string keyword;
  std::vector<uint8_t> profile;
};
std::optional<PngIcc> LibpngIcc(const std::string& bytes) {
  struct Reader {
    const std::string* data;
    size_t pos = 0;
  } reader{&bytes};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, [](png_structp, png_const_charp) {});
  png_infop info = png_create_info_struct(png);
  std::optional<PngIcc> found;
  if (setjmp(png_jmpbuf(png)) == 0) {
    png_set_read_fn(png, &reader, [](png_structp p, png_bytep out, png_size_t n) {
      auto* r = static_cast<Reader*>(png_get_io_ptr(p));
      if (r->pos + n > r->data->size()) png_error(p, "truncated");
      std::memcpy(out, r->data->data() + r->pos, n);
      r->pos += n;
    });
    png_read_info(png, info);
    png_charp name = nullptr;
    png_bytep profile = nullptr;
    png_uint_32 length = 0;
    int compression = 0;
    if (png_get_iCCP(png, info, &name, &compression, &profile, &length) == PNG_INFO_iCCP)
      found = PngIcc{name, std::vector<uint8_t>(profile, profile + length)};
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return found;
}

// The samples of a TIFF as stored (libtiff scanlines), as BGR(A)/gray.
cv::Mat ReadTiffRaw(const std::string& path) {
  TIFF* tif = TIFFOpen(path.c_str(), "r");
  if (tif == nullptr) return {};
  uint32_t w = 0, h = 0;
  uint16_t spp = 1, bps = 8;
  TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  cv::Mat m(int(h), int(w), CV_MAKETYPE(bps == 16 ? CV_16U : CV_8U, spp));
  for (uint32_t y = 0; y < h; ++y) TIFFReadScanline(tif, m.ptr(int(y)), y, 0);
  TIFFClose(tif);
  if (spp == 3) cv::cvtColor(m, m, cv::COLOR_RGB2BGR);
  if (spp == 4) cv::cvtColor(m, m, cv::COLOR_RGBA2BGRA);
  return m;
}

struct RoundTripCase {
  const char* name;
  const char* ext;
  int depth;
  int channels;
};

class LosslessRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(LosslessRoundTrip, PixelsComeBackExactly) {
  const RoundTripCase c = GetParam();
  cv::Mat pixels = PhotoCrop();
  if (c.channels == 1) cv::cvtColor(pixels, pixels, cv::COLOR_BGR2GRAY);
  if (c.depth == CV_16U) pixels = To16(pixels);
  if (c.channels == 4) pixels = WithAlpha(pixels);
  testing::ScratchDir dir;
  const std::string out = dir.Path(std::string("out.") + c.ext);
  const cv::Mat before = pixels.clone();
  auto report = WriteImage(out, pixels, {});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(cv::norm(pixels, before, cv::NORM_INF), 0.0) << "the writer changed its input";
  const bool tiff = std::string(c.ext).rfind("tif", 0) == 0;
  if (tiff) {  // what is stored, sample for sample
    const cv::Mat raw = ReadTiffRaw(out);
    ASSERT_EQ(raw.type(), pixels.type()) << c.name;
    EXPECT_EQ(cv::norm(raw, pixels, cv::NORM_INF), 0.0) << c.name;
  }
  auto back = LoadImage(out);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->pixels.type(), pixels.type()) << c.name;
  EXPECT_EQ(cv::norm(back->pixels, pixels, cv::NORM_INF), 0.0) << c.name;
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{fs::path(out).filename().string()});
}

INSTANTIATE_TEST_SUITE_P(
    Formats, LosslessRoundTrip,
    ::testing::Values(RoundTripCase{"png8_bgr", "png", CV_8U, 3}, RoundTripCase{"png16_bgra", "png", CV_16U, 4},
                      RoundTripCase{"png16_gray", "png", CV_16U, 1}, RoundTripCase{"png8_bgra", "png", CV_8U, 4},
                      RoundTripCase{"tiff8_gray", "tif", CV_8U, 1}, RoundTripCase{"tiff16_bgr", "tiff", CV_16U, 3},
                      RoundTripCase{"tiff16_bgra", "tif", CV_16U, 4}, RoundTripCase{"tiff8_bgra", "tif", CV_8U, 4}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ImageWriterTest, WebpKeepsAlphaExactlyAndColourClosely) {
  const cv::Mat pixels = WithAlpha(PhotoCrop());
  testing::ScratchDir dir;
  WriteOptions options;
  options.quality = 95;
  ASSERT_TRUE(WriteImage(dir.Path("o.webp"), pixels, options).ok());
  auto back = LoadImage(dir.Path("o.webp"));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->pixels.type(), CV_8UC4);
  cv::Mat a0, a1;
  cv::extractChannel(pixels, a0, 3);
  cv::extractChannel(back->pixels, a1, 3);
  EXPECT_EQ(cv::norm(a0, a1, cv::NORM_INF), 0.0);
  constexpr double kMinColourPsnrDb = 30;  // lossy colour at quality 95
  EXPECT_GT(cv::PSNR(pixels, back->pixels), kMinColourPsnrDb);
}

// Other programs must see the 4th TIFF channel as alpha: ExtraSamples says
// "unassociated alpha" (OpenCV's own TIFF writer leaves it out).
TEST(ImageWriterTest, TiffDeclaresItsAlpha) {
  testing::ScratchDir dir;
  ASSERT_TRUE(WriteImage(dir.Path("a.tif"), WithAlpha(To16(PhotoCrop())), {}).ok());
  TIFF* tif = TIFFOpen(dir.Path("a.tif").c_str(), "r");
  ASSERT_NE(tif, nullptr);
  uint16_t count = 0, bits = 0;
  uint16_t* extra = nullptr;
  ASSERT_EQ(TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &count, &extra), 1);
  TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  ASSERT_EQ(count, 1);
  EXPECT_EQ(extra[0], EXTRASAMPLE_UNASSALPHA);
  EXPECT_EQ(bits, 16);
  TIFFClose(tif);
}

TEST(ImageWriterTest, JpegFlattensAlphaAndReducesDepthWithNotes) {
  testing::ScratchDir dir;
  const cv::Mat pixels = WithAlpha(To16(PhotoCrop()));
  auto report = WriteImage(dir.Path("o.jpeg"), pixels, {});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->notes.size(), 2u);
  auto back = LoadImage(dir.Path("o.jpeg"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->pixels.type(), CV_8UC3);
}

TEST(ImageWriterTest, RefusesToOverwriteTheInput) {
  testing::ScratchDir dir;
  const std::string in = dir.Path("in.jpg");
  testing::WriteBytes(in, SourceJpeg(PhotoCrop()));
  const std::string before = testing::ReadBytes(in);
  auto source = LoadImage(in);
  ASSERT_TRUE(source.ok());
  WriteOptions options;
  options.source = &source->info;
  auto same = WriteImage(in, source->pixels, options);
  EXPECT_EQ(same.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(same.status().message().find("never overwrites its input"), std::string::npos);
  // Another name for the same file is refused too.
  fs::create_symlink(in, dir.Path("link.jpg"));
  EXPECT_EQ(WriteImage(dir.Path("link.jpg"), source->pixels, options).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(testing::ReadBytes(in), before);
  EXPECT_EQ(Listing(dir.path()), (std::set<std::string>{"in.jpg", "link.jpg"}));
}

TEST(ImageWriterTest, BadRequestsLeaveNoFileBehind) {
  testing::ScratchDir dir;
  const cv::Mat pixels = PhotoCrop();
  testing::WriteBytes(dir.Path("keep.png"), "old contents");
  WriteOptions bad_quality;
  bad_quality.quality = 0;
  EXPECT_EQ(WriteImage(dir.Path("keep.png"), cv::Mat(8, 8, CV_32FC3), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteImage(dir.Path("x.jpg"), pixels, bad_quality).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteImage(dir.Path("x.bmp"), pixels, {}).status().code(), absl::StatusCode::kInvalidArgument);
  // An unwritable place: PermissionDenied with the OS's reason (exit code 4 in the CLI).
  const absl::Status missing = WriteImage(dir.Path("no/such/dir/x.png"), pixels, {}).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(missing.message()), ::testing::HasSubstr(std::strerror(ENOENT)));
  const absl::Status under_file = WriteImage(dir.Path("keep.png/x.png"), pixels, {}).status();
  EXPECT_EQ(under_file.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(under_file.message()), ::testing::HasSubstr(std::strerror(ENOTDIR)));
  EXPECT_EQ(testing::ReadBytes(dir.Path("keep.png")), "old contents");
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{"keep.png"});
}

// A write that fails half-way (the file-size limit is hit mid-file) removes
// its temporary file and leaves the old OUT intact.
TEST(ImageWriterTest, FailureMidWriteLeavesNoPartialFile) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("out.png"), "old contents");
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 4096;  // bytes; the PNG below is far larger
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  auto report = WriteImage(dir.Path("out.png"), To16(testing::LoadPhoto("coffee")), {});
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(testing::ReadBytes(dir.Path("out.png")), "old contents");
  EXPECT_EQ(Listing(dir.path()), std::set<std::string>{"out.png"});
}

// A size limit (a marketplace's file-size rule) lowers the JPEG quality to
// the highest whose file fits, and says so; ICC bytes given replace the source's.
TEST(ImageWriterTest, SizeLimitLowersQualityUntilTheFileFits) {
  testing::ScratchDir dir;
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  WriteOptions plain;
  plain.quality = 90;
  auto unlimited = WriteImage(dir.Path("plain.jpg"), photo, plain);
  ASSERT_TRUE(unlimited.ok()) << unlimited.status();
  WriteOptions limited = plain;
  limited.max_bytes = unlimited->bytes / 2;
  limited.icc_profile = std::vector<uint8_t>{};  // none, whatever the source had
  auto small = WriteImage(dir.Path("small.jpg"), photo, limited);
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_LE(small->bytes, *limited.max_bytes);
  EXPECT_EQ(std::filesystem::file_size(dir.Path("small.jpg")), small->bytes);
  EXPECT_LT(small->quality, 90);
  EXPECT_GE(small->quality, kMinLimitedQuality);
  // The highest that fits: one step up does not.
  WriteOptions above = plain;
  above.quality = small->quality + 1;
  auto larger = WriteImage(dir.Path("above.jpg"), photo, above);
  ASSERT_TRUE(larger.ok());
  EXPECT_GT(larger->bytes, *limited.max_bytes);
  ASSERT_FALSE(small->notes.empty());
  EXPECT_THAT(small->notes.back(), ::testing::HasSubstr("quality lowered from 90"));
  // An impossible limit: written at the lowest quality, with a note.
  limited.max_bytes = 1000;
  auto over = WriteImage(dir.Path("over.jpg"), photo, limited);
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->quality, kMinLimitedQuality);
  EXPECT_THAT(over->notes.back(), ::testing::HasSubstr("over the"));
}

// The zlib header's FLEVEL (RFC 1950) of the PNG's first IDAT chunk: 0
// fastest (levels 0-1), 1 fast (2-5), 2 default (6), 3 maximum (7-9).
int PngFlevel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t idat = bytes.find("IDAT");
  if (idat == std::string::npos || idat + 6 > bytes.size()) return -1;
  return (static_cast<unsigned char>(bytes[idat + 5]) >> 6) & 3;
}

TEST(ImageWriterTest, PngLevelTradesSizeAndKeepsThePixels) {
  testing::ScratchDir dir;
  const cv::Mat photo = testing::LoadPhoto("astronaut");
  std::map<int, std::uintmax_t> bytes;
  for (int level : {1, 2, 4, 6, 9}) {
    WriteOptions options;
    options.png_level = level;
    const std::string path = dir.Path("level" + std::to_string(level) + ".png");
    auto written = WriteImage(path, photo, options);
    ASSERT_TRUE(written.ok()) << written.status();
    bytes[level] = written->bytes;
    auto back = LoadImage(path);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(cv::norm(back->pixels, photo, cv::NORM_INF), 0) << "level " << level;
    EXPECT_EQ(PngFlevel(path), level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3) << "level " << level;
  }
  EXPECT_GT(bytes[1], bytes[6]);
  EXPECT_GT(bytes[2], bytes[6]);
  EXPECT_GE(bytes[6], bytes[9]);
  // The default level, 4, writes within a few per cent of 6's size (2.4 %
  // on photos, models/RESULTS.md "PNG level"; 2 is ~12 % larger).
  EXPECT_GT(bytes[2], bytes[4]);
  EXPECT_LT(double(bytes[4]), 1.05 * double(bytes[6]));
  // Unset: kDefaultPngLevel.
  auto plain = WriteImage(dir.Path("plain.png"), photo, WriteOptions{});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->bytes, bytes[kDefaultPngLevel]);
}

// A PNG's profile must be one libpng accepts: written without a source (a
// converted picture) and with one whose EXIF is copied (exiv2 rewrites the
// file then). A profile under an empty keyword (exiv2 0.27's own) is
// dropped by libpng, and the picture shown as sRGB.
TEST(ImageWriterTest, PngProfileIsOneLibpngReads) {
  testing::ScratchDir dir;
  testing::WriteBytes(dir.Path("in.jpg"), SourceJpeg(PhotoCrop(96, 64)));
  auto source = LoadImage(dir.Path("in.jpg"));
  ASSERT_TRUE(source.ok()) << source.status();
  const std::vector<uint8_t> profile = RealIccProfile();
  ASSERT_FALSE(profile.empty());
  for (bool with_source : {false, true}) {
    SCOPED_TRACE(with_source ? "EXIF copied from a source" : "no source");
    WriteOptions options;
    options.icc_profile = profile;
    if (with_source) options.source = &source->info;
    const std::string out = dir.Path(with_source ? "copied.png" : "plain.png");
    auto report = WriteImage(out, source->pixels, options);
    ASSERT_TRUE(report.ok()) << report.status();
    const std::optional<PngIcc> icc = LibpngIcc(testing::ReadBytes(out));
    ASSERT_TRUE(icc.has_value()) << "libpng found no valid iCCP chunk";
    EXPECT_FALSE(icc->keyword.empty());
    EXPECT_EQ(icc->profile, profile);
    auto back = LoadImage(out);  // acuity's own reading agrees
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->info.icc_profile, profile);
    if (with_source) {
      EXPECT_EQ(testing::ExifString(out, "Exif.Image.Make"), "AcuityCam");
    }
  }
}

}  // namespace
}  // namespace acuity
