// DecodeTiff on TIFFs written here with libtiff from a real photo: the
// decoded samples must equal the stored ones exactly (unassociated alpha is
// not premultiplied), associated alpha is undone, and broken files give one
// clear status.
#include "analysis/io/tiff_codec.h"

#include <tiffio.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/byte_order.h"
#include "tests/testing/test_images.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

struct Layout {
  uint16_t photometric = PHOTOMETRIC_RGB;
  uint16_t extra = EXTRASAMPLE_UNASSALPHA;  // used when the image has one more channel than colour
  uint32_t tile_px = 0;                     // 0 = strips
};

// Writes `stored` (samples in file order: RGB(A) or gray(+alpha)) as a TIFF.
void WriteTiff(const std::string& path, const cv::Mat& stored, const Layout& layout) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  const int spp = stored.channels();
  const bool gray = layout.photometric != PHOTOMETRIC_RGB;
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, stored.cols);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, stored.rows);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, stored.depth() == CV_8U ? 8 : 16);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, layout.photometric);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  if (spp > (gray ? 1 : 3)) {
    uint16_t extra[] = {layout.extra};
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, extra);
  }
  const size_t row_bytes = stored.cols * stored.elemSize();
  if (layout.tile_px > 0) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, layout.tile_px);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, layout.tile_px);
    std::vector<uint8_t> tile(TIFFTileSize(tif), 0);
    for (int y = 0; y < stored.rows; y += layout.tile_px) {
      for (int x = 0; x < stored.cols; x += layout.tile_px) {
        std::fill(tile.begin(), tile.end(), 0);
        const int rows = std::min<int>(layout.tile_px, stored.rows - y);
        const int cols = std::min<int>(layout.tile_px, stored.cols - x);
        for (int r = 0; r < rows; ++r)
          std::memcpy(tile.data() + r * layout.tile_px * stored.elemSize(), stored.ptr(y + r, x),
                      cols * stored.elemSize());
        ASSERT_GE(TIFFWriteTile(tif, tile.data(), x, y, 0, 0), 0);
      }
    }
  } else {
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 16);
    for (int y = 0; y < stored.rows; ++y) {
      std::vector<uint8_t> row(stored.ptr(y), stored.ptr(y) + row_bytes);
      ASSERT_EQ(TIFFWriteScanline(tif, row.data(), y, 0), 1);
    }
  }
  TIFFClose(tif);
}

// A 61×47 crop of coffee with a smooth alpha ramp (0 … max), `depth` 8/16-bit,
// as stored RGBA samples.
cv::Mat PhotoRgba(int depth) {
  const cv::Mat bgr = testing::LoadPhoto("coffee")(cv::Rect(200, 120, 61, 47));
  cv::Mat rgba;
  cv::cvtColor(bgr, rgba, cv::COLOR_BGR2RGBA);
  for (int y = 0; y < rgba.rows; ++y)
    for (int x = 0; x < rgba.cols; ++x) rgba.at<cv::Vec4b>(y, x)[3] = cv::saturate_cast<uchar>(x * 255 / 60);
  if (depth == CV_16U) rgba.convertTo(rgba, CV_16U, 257.0, 3.0);  // 16-bit values, not just ×257
  return rgba;
}

double MaxDiff(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

absl::StatusOr<cv::Mat> Decode(const std::string& path) {
  const std::string bytes = testing::ReadBytes(path);
  return DecodeTiff(bytes);
}

TEST(TiffCodecTest, UnassociatedAlphaKeepsTheStoredColourExactly) {
  testing::ScratchDir dir;
  for (int depth : {CV_8U, CV_16U}) {
    for (uint32_t tile : {0u, 16u}) {
      SCOPED_TRACE(::testing::Message() << "depth " << depth << " tile " << tile);
      const cv::Mat rgba = PhotoRgba(depth);
      WriteTiff(dir.Path("rgba.tif"), rgba, {PHOTOMETRIC_RGB, EXTRASAMPLE_UNASSALPHA, tile});
      absl::StatusOr<cv::Mat> got = Decode(dir.Path("rgba.tif"));
      ASSERT_TRUE(got.ok()) << got.status();
      cv::Mat expected;
      cv::cvtColor(rgba, expected, cv::COLOR_RGBA2BGRA);
      ASSERT_EQ(got->type(), expected.type());
      EXPECT_EQ(MaxDiff(*got, expected), 0.0);
    }
  }
}

TEST(TiffCodecTest, AssociatedAlphaIsUndone) {
  testing::ScratchDir dir;
  const cv::Mat rgba = PhotoRgba(CV_8U);
  cv::Mat premultiplied = rgba.clone();
  for (int y = 0; y < rgba.rows; ++y) {
    for (int x = 0; x < rgba.cols; ++x) {
      cv::Vec4b& p = premultiplied.at<cv::Vec4b>(y, x);
      for (int c = 0; c < 3; ++c) p[c] = cv::saturate_cast<uchar>(p[c] * p[3] / 255.0);
    }
  }
  WriteTiff(dir.Path("assoc.tif"), premultiplied, {PHOTOMETRIC_RGB, EXTRASAMPLE_ASSOCALPHA, 0});
  absl::StatusOr<cv::Mat> got = Decode(dir.Path("assoc.tif"));
  ASSERT_TRUE(got.ok()) << got.status();
  cv::Mat expected;
  cv::cvtColor(rgba, expected, cv::COLOR_RGBA2BGRA);
  // Where alpha ≥ 64, 8-bit premultiplication lost at most 255/64 levels.
  double worst = 0;
  for (int y = 0; y < rgba.rows; ++y)
    for (int x = 0; x < rgba.cols; ++x)
      if (rgba.at<cv::Vec4b>(y, x)[3] >= 64)
        for (int c = 0; c < 3; ++c)
          worst = std::max(worst, std::abs(got->at<cv::Vec4b>(y, x)[c] - expected.at<cv::Vec4b>(y, x)[c]) + 0.0);
  EXPECT_LE(worst, 255.0 / 64);
}

TEST(TiffCodecTest, GrayAndGrayAlphaAndMinIsWhite) {
  testing::ScratchDir dir;
  cv::Mat gray;
  cv::cvtColor(testing::LoadPhoto("coffee")(cv::Rect(10, 10, 40, 30)), gray, cv::COLOR_BGR2GRAY);
  cv::Mat gray16;
  gray.convertTo(gray16, CV_16U, 257.0);
  WriteTiff(dir.Path("g16.tif"), gray16, {PHOTOMETRIC_MINISBLACK, 0, 0});
  absl::StatusOr<cv::Mat> got = Decode(dir.Path("g16.tif"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->type(), CV_16UC1);
  EXPECT_EQ(MaxDiff(*got, gray16), 0.0);

  cv::Mat inverted = 255 - gray;
  WriteTiff(dir.Path("white.tif"), inverted, {PHOTOMETRIC_MINISWHITE, 0, 0});
  got = Decode(dir.Path("white.tif"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(MaxDiff(*got, gray), 0.0);

  cv::Mat ga;
  cv::merge(std::vector<cv::Mat>{gray, 255 - gray}, ga);
  WriteTiff(dir.Path("ga.tif"), ga, {PHOTOMETRIC_MINISBLACK, EXTRASAMPLE_UNASSALPHA, 0});
  got = Decode(dir.Path("ga.tif"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->type(), CV_8UC4);
  cv::Mat expected;
  cv::merge(std::vector<cv::Mat>{gray, gray, gray, 255 - gray}, expected);
  EXPECT_EQ(MaxDiff(*got, expected), 0.0);
}

TEST(TiffCodecTest, BrokenFilesGiveOneClearStatus) {
  testing::ScratchDir dir;
  WriteTiff(dir.Path("ok.tif"), PhotoRgba(CV_8U), {});
  const std::string bytes = testing::ReadBytes(dir.Path("ok.tif"));
  // Truncated in the middle of the pixel data (the directory is at the end
  // with libtiff's writer, so cut the pixel strips out instead).
  std::string damaged = bytes;
  for (size_t i = 16; i < damaged.size() / 2; ++i) damaged[i] = '\x55';
  absl::StatusOr<cv::Mat> got = DecodeTiff(damaged);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << got.status();
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("TIFF"));

  got = DecodeTiff(bytes.substr(0, 6));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);

  // A 1-bit bilevel image is left to another decoder.
  TIFF* tif = TIFFOpen(dir.Path("bw.tif").c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 16);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 2);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  uint8_t row[2] = {0xF0, 0x0F};
  TIFFWriteScanline(tif, row, 0, 0);
  TIFFWriteScanline(tif, row, 1, 0);
  TIFFClose(tif);
  got = Decode(dir.Path("bw.tif"));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnimplemented);
}

// Sets the value of a SHORT or LONG tag of the first directory of a
// little-endian classic TIFF in place; false when it is not there.
bool SetShortOrLongTag(std::string& tiff, uint16_t tag, uint32_t value) {
  auto u16 = [&](size_t at) { return ReadLe16(tiff, at); };
  auto u32 = [&](size_t at) { return ReadLe32(tiff, at); };
  if (tiff.size() < 8 || tiff.compare(0, 2, "II") != 0) return false;
  const size_t ifd = u32(4);
  if (ifd + 2 > tiff.size()) return false;
  for (size_t i = 0, n = u16(ifd); i < n && ifd + 2 + 12 * (i + 1) <= tiff.size(); ++i) {
    const size_t entry = ifd + 2 + 12 * i;
    if (u16(entry) != tag) continue;
    for (int b = 0; b < 4; ++b) tiff[entry + 8 + b] = char((value >> (8 * b)) & 0xff);
    return u16(entry + 2) == TIFF_LONG || (u16(entry + 2) == TIFF_SHORT && value <= 0xffff);
  }
  return false;
}

// Writes a 16x16 8-bit gray TIFF with `samples` samples per pixel (the first
// gray, the rest extra), tiled with `tile_px` tiles when not 0.
std::string ManySamplesTiff(const std::string& path, uint16_t samples, uint32_t tile_px) {
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (tif == nullptr) return "";
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 16);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 16);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, samples);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  if (tile_px != 0) {
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, tile_px);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, tile_px);
    std::vector<uint8_t> tile(static_cast<size_t>(TIFFTileSize(tif)), 7);
    TIFFWriteTile(tif, tile.data(), 0, 0, 0, 0);
  } else {
    std::vector<uint8_t> row(size_t{16} * samples, 7);
    for (uint32_t y = 0; y < 16; ++y) TIFFWriteScanline(tif, row.data(), y, 0);
  }
  TIFFClose(tif);
  return testing::ReadBytes(path);
}

// Finding 13 (docs/fuzzing.md): a 443-byte TIFF declaring 2049 samples per
// pixel made acuity size its buffer with a pixel type that wraps past
// OpenCV's 512 channels, and libtiff then wrote its rows past the end.
TEST(TiffCodecTest, MoreSamplesThanAPhotoHasAreRefused) {
  testing::ScratchDir dir;
  const std::string many = ManySamplesTiff(dir.Path("801.tif"), 801, 0);
  ASSERT_FALSE(many.empty());
  absl::StatusOr<cv::Mat> got = DecodeTiff(many);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr("801 samples per pixel"));
  // Gray with 15 unspecified extra samples is still read: the gray plane
  // (an unspecified extra sample is not alpha).
  got = DecodeTiff(ManySamplesTiff(dir.Path("16.tif"), 16, 0));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->channels(), 1);
  EXPECT_EQ(got->at<uint8_t>(5, 5), 7);
}

// A tile is allocated at its declared size before anything is read: one far
// larger than the image is refused; one a little larger is normal.
TEST(TiffCodecTest, ATileFarLargerThanTheImageIsRefused) {
  testing::ScratchDir dir;
  absl::StatusOr<cv::Mat> got = DecodeTiff(ManySamplesTiff(dir.Path("t64.tif"), 1, 64));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->at<uint8_t>(15, 15), 7);
  // Both tile dimensions patched to 16384 in the directory: 256 MiB a tile.
  std::string huge = ManySamplesTiff(dir.Path("t64b.tif"), 1, 64);
  ASSERT_TRUE(SetShortOrLongTag(huge, TIFFTAG_TILEWIDTH, 16384));
  ASSERT_TRUE(SetShortOrLongTag(huge, TIFFTAG_TILELENGTH, 16384));
  got = DecodeTiff(huge);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << got.status();
  EXPECT_THAT(got.status().message(), HasSubstr("tile larger than the image"));
}

}  // namespace
}  // namespace acuity
