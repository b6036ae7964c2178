// DecodeTiff on TIFFs written here with libtiff from a real photo: the
// decoded samples must equal the stored ones exactly (unassociated alpha is
// not premultiplied), associated alpha is undone, and broken files give one
// clear status.
#include "analysis/io/tiff_codec.h"

#include <tiffio.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "analysis/io/animation.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/image_io.h"
#include "analysis/io/tiff_ifd.h"
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

// A multi-page TIFF (a scanned document) is read by its first page, and
// its pages are counted from the directory chain: full-resolution images
// only (a preview marked reduced-resolution is not a page), a chain cut
// short counts the pages before the damage, a chain that loops ends.
// Writes one directory per (crop of `photo`, NewSubfileType) to `path`, in
// the byte order `mode` asks ("w" the machine's, "wb" big-endian); its bytes.
std::string WriteDirectories(const std::string& path, const char* mode, const cv::Mat& photo,
                             const std::vector<std::pair<cv::Rect, uint32_t>>& directories) {
  TIFF* tif = TIFFOpen(path.c_str(), mode);
  if (tif == nullptr) return "";
  for (const auto& [rect, kind] : directories) {
    cv::Mat rgb;
    cv::cvtColor(photo(rect), rgb, cv::COLOR_BGR2RGB);
    TIFFSetField(tif, TIFFTAG_SUBFILETYPE, kind);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, rgb.cols);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, rgb.rows);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 8);
    for (int y = 0; y < rgb.rows; ++y)
      if (TIFFWriteScanline(tif, rgb.ptr(y), y, 0) != 1) return "";
    if (TIFFWriteDirectory(tif) != 1) return "";
  }
  TIFFClose(tif);
  return testing::ReadBytes(path);
}

// The offsets of a TIFF's directories along its chain, from the header on.
std::vector<uint32_t> DirectoryOffsets(const std::string& bytes) {
  const bool little_endian = bytes[0] == 'I';
  std::vector<uint32_t> offsets;
  for (uint32_t at = ReadU32(bytes, 4, little_endian); at != 0 && offsets.size() < 16;) {
    offsets.push_back(at);
    absl::StatusOr<TiffIfd> ifd = ReadTiffIfdAt(bytes, at, little_endian);
    if (!ifd.ok()) break;
    at = ifd->next_offset;
  }
  return offsets;
}

TEST(TiffCodecTest, PagesOfAMultiPageTiffAreCounted) {
  testing::ScratchDir dir;
  const cv::Mat photo = testing::LoadPhoto("coffee");
  // Page 1 (the coffee crop), a half-size preview of it, pages 2 and 3 (other crops).
  const std::string bytes = WriteDirectories(dir.Path("pages.tif"), "wl", photo,
                                             {{{0, 0, 64, 48}, 0},
                                              {{0, 0, 32, 24}, FILETYPE_REDUCEDIMAGE},
                                              {{100, 100, 40, 30}, FILETYPE_PAGE},
                                              {{200, 150, 50, 20}, FILETYPE_PAGE}});
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(CountTiffPages(bytes), 3);

  absl::StatusOr<Image> image = DecodeImage(bytes, "pages.tif");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.frames, 3);
  EXPECT_EQ(image->pixels.cols, 64);  // the first page
  EXPECT_LE(MaxDiff(image->pixels, photo(cv::Rect(0, 0, 64, 48))), 0);
  std::optional<StoredImagesWords> words = SeveralStoredImages(image->info);
  ASSERT_TRUE(words.has_value());
  EXPECT_EQ(words->warning_code, "multi_page_input");
  EXPECT_EQ(words->whole, "a TIFF of 3 pages");

  const std::vector<uint32_t> offsets = DirectoryOffsets(bytes);
  ASSERT_EQ(offsets.size(), 4u);
  // Cut inside the last directory: the pages before it count.
  EXPECT_EQ(CountTiffPages(std::string_view(bytes).substr(0, offsets[3] + 5)), 2);
  // The last directory pointing back at the third: a loop, walked once.
  std::string looped = bytes;
  absl::StatusOr<TiffIfd> last = ReadTiffIfdAt(bytes, offsets[3], true);
  ASSERT_TRUE(last.ok());
  const size_t next_field = offsets[3] + 2 + last->entries.size() * 12;
  for (int i = 0; i < 4; ++i) looped[next_field + i] = char((offsets[2] >> (8 * i)) & 0xFF);
  EXPECT_EQ(CountTiffPages(looped), 3);
  // A crafted chain of 1000 directories overlapping one another (at 4-byte
  // steps, 5000 entries each, every one's next offset pointing at the
  // next): all of them together would not fit in the file, so the walk
  // ends after the first (and does not count 1000 pages).
  std::string crafted(70000, '\0');
  crafted.replace(0, 4, std::string("II*\0", 4));
  const auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) crafted[at + i] = char((v >> (8 * i)) & 0xFF);
  };
  put32(4, 8);
  for (uint32_t j = 0; j < 1000; ++j) {
    const uint32_t at = 8 + 4 * j;
    crafted[at] = char(5000 & 0xFF), crafted[at + 1] = char(5000 >> 8);
    put32(at + 2 + 12 * 5000, j + 1 < 1000 ? at + 4 : 0);
  }
  EXPECT_EQ(CountTiffPages(crafted), 1);

  // Big-endian, and the preview's NewSubfileType stored as a SHORT (00 03,
  // its value in the first two bytes of the field): still not a page.
  std::string big = WriteDirectories(dir.Path("big.tif"), "wb", photo,
                                     {{{0, 0, 64, 48}, 0},
                                      {{0, 0, 32, 24}, FILETYPE_REDUCEDIMAGE},
                                      {{100, 100, 40, 30}, FILETYPE_PAGE}});
  ASSERT_EQ(big.substr(0, 2), "MM");
  EXPECT_EQ(CountTiffPages(big), 2);
  const std::vector<uint32_t> big_offsets = DirectoryOffsets(big);
  ASSERT_EQ(big_offsets.size(), 3u);
  absl::StatusOr<TiffIfd> preview = ReadTiffIfdAt(big, big_offsets[1], false);
  ASSERT_TRUE(preview.ok());
  bool patched = false;
  for (size_t i = 0; i < preview->entries.size(); ++i) {
    if (preview->entries[i].tag != TIFFTAG_SUBFILETYPE) continue;
    const size_t e = big_offsets[1] + 2 + i * 12;
    big.replace(e + 2, 2, std::string("\0\x03", 2));
    big.replace(e + 8, 4, std::string("\0\x01\0\0", 4));
    patched = true;
  }
  ASSERT_TRUE(patched);
  EXPECT_EQ(CountTiffPages(big), 2);
  // The same field read as a page (0) when its SHORT says so.
  for (size_t i = 0; i < preview->entries.size(); ++i)
    if (preview->entries[i].tag == TIFFTAG_SUBFILETYPE)
      big.replace(big_offsets[1] + 2 + i * 12 + 8, 2, std::string("\0\0", 2));
  EXPECT_EQ(CountTiffPages(big), 3);

  // A one-page TIFF is 1.
  cv::Mat rgb;
  cv::cvtColor(photo(cv::Rect(0, 0, 20, 20)), rgb, cv::COLOR_BGR2RGB);
  WriteTiff(dir.Path("one.tif"), rgb, Layout{});
  absl::StatusOr<Image> one = DecodeImage(testing::ReadBytes(dir.Path("one.tif")), "one.tif");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->info.frames, 1);
  EXPECT_FALSE(SeveralStoredImages(one->info).has_value());
}

}  // namespace
}  // namespace acuity
