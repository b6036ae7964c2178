#include "analysis/io/png_codec.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <zlib.h>

#include "analysis/io/animation.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/image_io.h"

namespace acuity {
namespace {

using ::testing::HasSubstr;

cv::Mat Gradient() {
  cv::Mat m(16, 24, CV_8UC3);
  for (int y = 0; y < m.rows; ++y)
    for (int x = 0; x < m.cols; ++x) m.at<cv::Vec3b>(y, x) = cv::Vec3b(uint8_t(x * 10), uint8_t(y * 15), 77);
  return m;
}

// A chunk inserted after IHDR (signature 8 bytes + IHDR 25 bytes).
std::string WithChunkAfterHeader(const std::string& png, const std::string& chunk) {
  return png.substr(0, 33) + chunk + png.substr(33);
}

// An APNG's frame count (its acTL chunk, before the image data) is read
// without decoding; libpng shows its default image, the first frame.
TEST(PngCodecTest, AnAnimatedPngIsCountedAndAStillIsOne) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const auto chunk = [](const std::string& type, const std::string& data) {
    const std::string body = type + data;
    const uint32_t crc = uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size())));
    return Be32Bytes(uint32_t(data.size())) + body + Be32Bytes(crc);
  };
  // acTL claims 12 frames; the file holds 3 frame controls: those count.
  std::string chunks = chunk("acTL", Be32Bytes(12) + Be32Bytes(0));
  for (int i = 0; i < 3; ++i) chunks += chunk("fcTL", std::string(26, '\0'));
  const std::string apng = WithChunkAfterHeader(*png, chunks);
  EXPECT_EQ(CountPngFrames(*png), 1);
  EXPECT_EQ(CountPngFrames(apng), 3);
  absl::StatusOr<Image> image = DecodeImage(apng, "anim.png");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.frames, 3);
  EXPECT_EQ(cv::norm(image->pixels, Gradient(), cv::NORM_INF), 0.0);
  absl::StatusOr<Image> still = DecodeImage(*png, "still.png");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->info.frames, 1);
}

TEST(PngCodecTest, RoundTrip) {
  const cv::Mat image = Gradient();
  absl::StatusOr<std::string> png = EncodePng(image);
  ASSERT_TRUE(png.ok()) << png.status();
  absl::StatusOr<cv::Mat> back = DecodePng(*png);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(cv::norm(*back, image, cv::NORM_INF), 0.0);
}

// Finding 12 (docs/fuzzing.md): a tEXt chunk declaring 1.9 GB in an 829-byte
// file made libpng allocate all of it; it is refused before libpng sees it.
TEST(PngCodecTest, AChunkLongerThanTheFileIsRefusedBeforeDecoding) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const std::string lying = WithChunkAfterHeader(*png, Be32Bytes(0x70707070) + "tEXt" + "Comment\0x" + "crc!");
  absl::StatusOr<cv::Mat> decoded = DecodePng(lying);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("the tEXt chunk declares 1886417008 bytes"));
  // A name that is not letters is not printed.
  const std::string junk = WithChunkAfterHeader(*png, Be32Bytes(0x7fffffff) + std::string("\x01\x02\x03\x04", 4));
  decoded = DecodePng(junk);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("a chunk declares"));
}

// A file cut inside its image data is still libpng's "truncated" (the check
// leaves IDAT to libpng, which streams it).
TEST(PngCodecTest, ACutInTheImageDataIsStillTruncated) {
  absl::StatusOr<std::string> png = EncodePng(Gradient());
  ASSERT_TRUE(png.ok());
  const size_t idat = png->find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  absl::StatusOr<cv::Mat> decoded = DecodePng(png->substr(0, idat + 10));
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(decoded.status().message(), HasSubstr("truncated"));
}

// Pixels that compress like a photo's: smooth gradients, a texture and
// noise, in every channel; `seed` varies them.
cv::Mat PhotoLike(int rows, int cols, int type, int seed) {
  cv::Mat m(rows, cols, type);
  cv::RNG rng{uint64_t(seed)};
  const double top = CV_MAT_DEPTH(type) == CV_16U ? 65535 : 255;
  const int channels = CV_MAT_CN(type);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x)
      for (int c = 0; c < channels; ++c) {
        const double v = 0.5 + 0.3 * std::sin(0.02 * x * (c + 1) + 0.03 * y) + 0.1 * std::sin(0.7 * x + 0.4 * y) +
                         rng.gaussian(0.02);
        const double clamped = std::clamp(v, 0.0, 1.0) * top;
        if (CV_MAT_DEPTH(type) == CV_16U) m.ptr<uint16_t>(y)[x * channels + c] = uint16_t(clamped);
        else m.ptr<uint8_t>(y)[x * channels + c] = uint8_t(clamped);
      }
  return m;
}

// Every layout, in one block and across several (the encoder deflates about
// 512 KB of rows per block, each primed with the rows before it): libpng
// and OpenCV's own PNG reader both give the pixels back exactly, and
// libpng checks the zlib stream's Adler-32 and every chunk's CRC.
TEST(PngCodecTest, EveryLayoutRoundTripsThroughTwoDecodersAcrossBlocks) {
  struct Case {
    int rows, cols, type;
  };
  const Case cases[] = {
      {1, 1, CV_8UC1},      {2, 3, CV_8UC3},     {700, 500, CV_8UC3},   {400, 300, CV_16UC4},
      {300, 700, CV_8UC4},  {600, 600, CV_8UC1}, {1, 70000, CV_8UC3},   {5000, 3, CV_16UC1},
      {257, 411, CV_16UC3},
  };
  int seed = 0;
  for (const Case& c : cases) {
    const cv::Mat image = PhotoLike(c.rows, c.cols, c.type, ++seed);
    for (int level : {0, 1, 6, 9}) {
      SCOPED_TRACE(testing::Message() << c.rows << "x" << c.cols << " type " << c.type << " level " << level);
      absl::StatusOr<std::string> png = EncodePng(image, level);
      ASSERT_TRUE(png.ok()) << png.status();
      absl::StatusOr<cv::Mat> back = DecodePng(*png);
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(cv::norm(*back, image, cv::NORM_INF), 0.0);
      const cv::Mat opencv = cv::imdecode(cv::Mat(1, int(png->size()), CV_8U, png->data()), cv::IMREAD_UNCHANGED);
      ASSERT_FALSE(opencv.empty());
      EXPECT_EQ(cv::norm(opencv, image, cv::NORM_INF), 0.0);
    }
  }
}

// What a PNG cannot hold is refused with a status, not encoded wrongly: an
// N-dimensional array (its rows and columns read -1), a 2-channel or float
// picture.
TEST(PngCodecTest, WhatAPngCannotHoldIsRefused) {
  const int sizes[] = {4, 5, 6};
  EXPECT_EQ(EncodePng(cv::Mat(3, sizes, CV_8UC1, cv::Scalar(7))).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodePng(cv::Mat(4, 4, CV_8UC2, cv::Scalar(7))).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodePng(cv::Mat(4, 4, CV_32FC3, cv::Scalar(7))).status().code(), absl::StatusCode::kInvalidArgument);
}

// Deflating in primed blocks costs almost nothing in size: a photo-like
// picture's PNG is within 1 % of what libpng makes of it at the same level
// and strategy (through OpenCV's encoder).
TEST(PngCodecTest, BlocksCostUnderOnePercentAgainstLibpng) {
  const cv::Mat image = PhotoLike(900, 1200, CV_8UC3, 7);
  absl::StatusOr<std::string> ours = EncodePng(image, 6);
  ASSERT_TRUE(ours.ok()) << ours.status();
  std::vector<uint8_t> libpng;
  ASSERT_TRUE(cv::imencode(".png", image, libpng,
                           {cv::IMWRITE_PNG_COMPRESSION, 6, cv::IMWRITE_PNG_STRATEGY, cv::IMWRITE_PNG_STRATEGY_FILTERED}));
  EXPECT_LT(double(ours->size()), 1.01 * double(libpng.size())) << ours->size() << " vs libpng " << libpng.size();
}

// The filtered rows a PNG's IDAT chunks inflate to: one filter-type byte
// and the row's filtered bytes, row after row.
std::string FilteredStream(std::string_view png) {
  std::string idat;
  for (size_t at = 8; at + 12 <= png.size();) {
    const uint32_t length = ReadBe32(png, at);
    if (png.substr(at + 4, 4) == "IDAT") idat.append(png.substr(at + 8, length));
    at += 12 + size_t(length);
  }
  std::string raw(64 << 20, '\0');
  uLongf raw_size = uLongf(raw.size());
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size, reinterpret_cast<const Bytef*>(idat.data()),
                 uLong(idat.size())) != Z_OK)
    return "";
  raw.resize(raw_size);
  return raw;
}

// Each row's filter is the one libpng chooses by default (the smallest sum
// of the filtered bytes' magnitudes, read as signed; ties to the earlier of None, Sub,
// Up, Average, Paeth), and filtered the same: the inflated streams of
// acuity's file and of libpng's (through OpenCV, which leaves libpng's
// filter choice alone) are byte for byte equal, for every layout.
TEST(PngCodecTest, FiltersAreLibpngsRowForRow) {
  struct Case {
    int rows, cols, type;
  };
  const Case cases[] = {{1, 1, CV_8UC1},   {3, 2, CV_8UC3},    {120, 173, CV_8UC3}, {90, 131, CV_8UC4},
                        {77, 301, CV_8UC1}, {64, 97, CV_16UC3}, {50, 65, CV_16UC4},  {40, 33, CV_16UC1}};
  int seed = 40;
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << c.rows << "x" << c.cols << " type " << c.type);
    cv::Mat image = PhotoLike(c.rows, c.cols, c.type, ++seed);
    // Flat runs and hard edges too, where the filters' costs tie.
    image(cv::Rect(0, 0, std::max(1, c.cols / 3), c.rows)).setTo(cv::Scalar::all(CV_MAT_DEPTH(c.type) == CV_8U ? 200 : 51000));
    absl::StatusOr<std::string> ours = EncodePng(image, 6);
    ASSERT_TRUE(ours.ok()) << ours.status();
    std::vector<uint8_t> libpng;
    ASSERT_TRUE(cv::imencode(".png", image, libpng, {cv::IMWRITE_PNG_COMPRESSION, 6}));
    const std::string a = FilteredStream(*ours);
    const std::string b = FilteredStream(std::string_view(reinterpret_cast<const char*>(libpng.data()), libpng.size()));
    ASSERT_FALSE(b.empty());
    ASSERT_EQ(a.size(), b.size());
    const size_t stride = a.size() / size_t(c.rows);
    for (int y = 0; y < c.rows; ++y)
      ASSERT_EQ(a.substr(size_t(y) * stride, stride), b.substr(size_t(y) * stride, stride)) << "row " << y;
  }
}

}  // namespace
}  // namespace acuity
