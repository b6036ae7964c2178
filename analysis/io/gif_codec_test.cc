#include "analysis/io/gif_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/io/animation.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/image_header.h"
#include "analysis/io/image_io.h"

namespace acuity {
namespace {

// LZW image data for `indices` (colour indices < 4, minimum code size 2)
// without compression: a clear code before every second literal keeps the
// code width at 3 bits, which every decoder must accept.
std::string UncompressedLzw(const std::vector<uint8_t>& indices) {
  std::vector<int> codes;
  for (size_t i = 0; i < indices.size(); ++i) {
    if (i % 2 == 0) codes.push_back(4);  // clear
    codes.push_back(indices[i]);
  }
  codes.push_back(5);  // end of information
  std::string packed;
  uint32_t bits = 0, count = 0;
  for (int code : codes) {
    bits |= uint32_t(code) << count;
    count += 3;
    while (count >= 8) {
      packed.push_back(char(bits & 0xFF));
      bits >>= 8;
      count -= 8;
    }
  }
  if (count > 0) packed.push_back(char(bits & 0xFF));
  std::string blocks(1, '\x02');  // minimum code size
  for (size_t at = 0; at < packed.size(); at += 255) {
    const std::string chunk = packed.substr(at, 255);
    blocks += char(chunk.size()) + chunk;
  }
  return blocks + '\0';
}

struct Frame {
  int left = 0, top = 0, width = 0, height = 0;
  bool interlaced = false;
  std::vector<uint8_t> indices;
};

// A GIF89a with a 4-colour global table (black, red, green, blue), an
// optional transparent index and the given frames.
std::string MakeGif(int width, int height, const std::vector<Frame>& frames, int transparent = -1) {
  std::string gif = "GIF89a" + LeBytes(uint32_t(width), 2) + LeBytes(uint32_t(height), 2) +
                    std::string("\xF1\x00\x00", 3);  // global table of 4
  gif += std::string("\x00\x00\x00\xFF\x00\x00\x00\xFF\x00\x00\x00\xFF", 12);
  for (const Frame& f : frames) {
    if (transparent >= 0) gif += std::string("\x21\xF9\x04\x01\x00\x00", 6) + char(transparent) + '\0';
    gif += ',' + LeBytes(uint32_t(f.left), 2) + LeBytes(uint32_t(f.top), 2) + LeBytes(uint32_t(f.width), 2) +
           LeBytes(uint32_t(f.height), 2) + char(f.interlaced ? 0x40 : 0);
    gif += UncompressedLzw(f.indices);
  }
  return gif + ';';
}

// Index of each pixel of a w×h frame: its row's colour, 1 + y % 3.
std::vector<uint8_t> Rows(int w, int h) {
  std::vector<uint8_t> out;
  for (int y = 0; y < h; ++y) out.insert(out.end(), w, uint8_t(1 + y % 3));
  return out;
}

cv::Vec3b Colour(int index) {
  static const cv::Vec3b kBgr[] = {{0, 0, 0}, {0, 0, 255}, {0, 255, 0}, {255, 0, 0}};
  return kBgr[index];
}

TEST(GifCodecTest, DecodesTheFirstFrameExactly) {
  const std::string gif = MakeGif(10, 9, {{0, 0, 10, 9, false, Rows(10, 9)}, {0, 0, 10, 9, false, std::vector<uint8_t>(90, 0)}});
  absl::StatusOr<cv::Mat> pixels = DecodeGifFirstFrame(gif);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  ASSERT_EQ(pixels->type(), CV_8UC3);
  ASSERT_EQ(pixels->size(), cv::Size(10, 9));
  for (int y = 0; y < 9; ++y)
    for (int x = 0; x < 10; ++x) ASSERT_EQ(pixels->at<cv::Vec3b>(y, x), Colour(1 + y % 3)) << x << "," << y;
}

TEST(GifCodecTest, DeinterlacesRows) {
  // Interlaced order stores rows 0,8 / 4 / 2,6 / 1,3,5,7: give each stored
  // row the colour of the row it lands on.
  std::vector<uint8_t> stored;
  for (int y : {0, 8, 4, 2, 6, 1, 3, 5, 7}) stored.insert(stored.end(), 8, uint8_t(1 + y % 3));
  const std::string gif = MakeGif(8, 9, {{0, 0, 8, 9, true, stored}});
  absl::StatusOr<cv::Mat> pixels = DecodeGifFirstFrame(gif);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  for (int y = 0; y < 9; ++y) EXPECT_EQ(pixels->at<cv::Vec3b>(y, 3), Colour(1 + y % 3)) << y;
}

TEST(GifCodecTest, TransparencyAndAFrameSmallerThanTheScreenGiveAlpha) {
  std::vector<uint8_t> indices = Rows(4, 4);
  indices[0] = 0;  // the transparent index
  const std::string gif = MakeGif(12, 10, {{2, 3, 4, 4, false, indices}}, /*transparent=*/0);
  absl::StatusOr<cv::Mat> pixels = DecodeGifFirstFrame(gif);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  ASSERT_EQ(pixels->type(), CV_8UC4);
  EXPECT_EQ(pixels->at<cv::Vec4b>(0, 0)[3], 0);   // outside the frame
  EXPECT_EQ(pixels->at<cv::Vec4b>(3, 2)[3], 0);   // the transparent pixel
  EXPECT_EQ(pixels->at<cv::Vec4b>(3, 3), cv::Vec4b(0, 0, 255, 255));  // row 0 of the frame: red
  EXPECT_EQ(pixels->at<cv::Vec4b>(4, 3), cv::Vec4b(0, 255, 0, 255));  // row 1: green
}

TEST(GifCodecTest, LoadImageReadsGifAndRefusesBrokenOnes) {
  const std::string gif = MakeGif(10, 9, {{0, 0, 10, 9, false, Rows(10, 9)}});
  EXPECT_EQ(SniffImageFormat(gif), ImageFormat::kGif);
  absl::StatusOr<Image> image = DecodeImage(gif, "a.gif");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.format, ImageFormat::kGif);
  EXPECT_EQ(image->info.channels, 3);
  EXPECT_EQ(DecodeImage(gif.substr(0, gif.size() / 2), "cut.gif").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeImage(MakeGif(10, 9, {}), "empty.gif").status().code(), absl::StatusCode::kDataLoss);
  LoadOptions options;
  options.max_megapixels = 0.00001;
  EXPECT_EQ(DecodeImage(gif, "a.gif", options).status().code(), absl::StatusCode::kResourceExhausted);
}

// An animation is counted from its structure (image descriptors, past
// extensions and colour tables), so that acuity can say it reads the first
// frame only; a still is 1, and a cut file counts the frames that begin.
TEST(GifCodecTest, FramesOfAnAnimationAreCounted) {
  const Frame f{0, 0, 10, 9, false, Rows(10, 9)};
  const std::string still = MakeGif(10, 9, {f});
  const std::string three = MakeGif(10, 9, {f, f, f}, /*transparent=*/0);
  EXPECT_EQ(CountGifFrames(still), 1);
  EXPECT_EQ(CountGifFrames(three), 3);
  const size_t frame_bytes = (three.size() - still.size()) / 2;  // a frame with its control extension
  EXPECT_EQ(CountGifFrames(three.substr(0, three.size() - 1 - frame_bytes - 4)), 2);  // cut in the second frame's data
  EXPECT_EQ(CountGifFrames(three.substr(0, three.size() - 1 - frame_bytes + 5)), 2);  // cut before the third's descriptor
  EXPECT_EQ(CountGifFrames(three.substr(0, 5)), 1);

  absl::StatusOr<Image> image = DecodeImage(three, "anim.gif");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.frames, 3);
  absl::StatusOr<Image> one = DecodeImage(still, "still.gif");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->info.frames, 1);
}

}  // namespace
}  // namespace acuity
