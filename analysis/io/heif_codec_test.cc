#include "analysis/io/heif_codec.h"

#include <exiv2/exiv2.hpp>
#include <libheif/heif.h>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <memory>
#include <string>

#include "analysis/io/animation.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/image_header.h"
#include "analysis/io/image_io.h"

namespace acuity {
namespace {

struct EncodeSpec {
  heif_compression_format codec = heif_compression_HEVC;
  int bits = 8;                 // 8, 10 or 12
  bool lossless = false;
  heif_orientation orientation = heif_orientation_normal;  // written as irot/imir
  std::string icc;              // raw ICC profile to attach
  std::string exif;             // TIFF-structured EXIF to attach
};

heif_error Append(heif_context*, const void* data, size_t size, void* user) {
  static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

// Copies BGR(A) 8-bit or 16-bit pixels (16-bit: values already within the
// target bit depth) into a libheif RGB(A) image.
heif_image* ToHeifImage(const cv::Mat& bgr, int bits) {
  const bool alpha = bgr.channels() == 4;
  heif_chroma chroma = alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB;
  if (bits > 8) chroma = alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE;
  heif_image* image = nullptr;
  heif_image_create(bgr.cols, bgr.rows, heif_colorspace_RGB, chroma, &image);
  heif_image_add_plane(image, heif_channel_interleaved, bgr.cols, bgr.rows, bits);
  int stride = 0;
  uint8_t* plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, alpha ? cv::COLOR_BGRA2RGBA : cv::COLOR_BGR2RGB);
  for (int y = 0; y < rgb.rows; ++y) std::memcpy(plane + size_t(y) * stride, rgb.ptr(y), rgb.cols * rgb.elemSize());
  return image;
}

// Encodes with the x265 (HEVC) or aom (AV1) encoder Debian's libheif has.
std::string EncodeHeif(const cv::Mat& bgr, const EncodeSpec& spec) {
  std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
  heif_encoder* encoder = nullptr;
  EXPECT_EQ(heif_context_get_encoder_for_format(ctx.get(), spec.codec, &encoder).code, heif_error_Ok);
  if (encoder == nullptr) return "";
  if (spec.lossless) heif_encoder_set_lossless(encoder, 1);
  else heif_encoder_set_lossy_quality(encoder, 90);
  heif_image* image = ToHeifImage(bgr, spec.bits);
  if (!spec.icc.empty()) heif_image_set_raw_color_profile(image, "prof", spec.icc.data(), spec.icc.size());
  heif_encoding_options* options = heif_encoding_options_alloc();
  options->image_orientation = spec.orientation;
  heif_image_handle* handle = nullptr;
  const heif_error e = heif_context_encode_image(ctx.get(), image, encoder, options, &handle);
  EXPECT_EQ(e.code, heif_error_Ok) << e.message;
  if (!spec.exif.empty()) heif_context_add_exif_metadata(ctx.get(), handle, spec.exif.data(), int(spec.exif.size()));
  heif_image_handle_release(handle);
  heif_encoding_options_free(options);
  heif_image_release(image);
  heif_encoder_release(encoder);
  std::string out;
  heif_writer writer{1, Append};
  heif_context_write(ctx.get(), &writer, &out);
  return out;
}

// A TIFF-structured EXIF block holding only an orientation.
std::string ExifWithOrientation(uint16_t orientation) {
  Exiv2::ExifData exif;
  exif["Exif.Image.Orientation"] = orientation;
  Exiv2::Blob blob;
  Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
  return std::string(blob.begin(), blob.end());
}

// Left half bright, right half dark: shows any rotation or mirror.
cv::Mat HalfAndHalf(int width, int height) {
  cv::Mat bgr(height, width, CV_8UC3, cv::Scalar(30, 30, 30));
  bgr(cv::Rect(0, 0, width / 2, height)).setTo(cv::Scalar(220, 220, 220));
  return bgr;
}

double MeanOf(const cv::Mat& m, const cv::Rect& r) { return cv::mean(m(r))[0]; }

TEST(HeifCodecTest, RecognisesHeicAndAvifByContent) {
  const std::string heic = EncodeHeif(HalfAndHalf(64, 48), {});
  EncodeSpec av1;
  av1.codec = heif_compression_AV1;
  const std::string avif = EncodeHeif(HalfAndHalf(64, 48), av1);
  EXPECT_TRUE(LooksLikeHeif(heic));
  EXPECT_TRUE(LooksLikeHeif(avif));
  EXPECT_FALSE(IsAvifBrand(heic));
  EXPECT_TRUE(IsAvifBrand(avif));
  EXPECT_EQ(SniffImageFormat(heic), ImageFormat::kHeif);
  EXPECT_EQ(SniffImageFormat(avif), ImageFormat::kAvif);
  EXPECT_FALSE(LooksLikeHeif("\xFF\xD8\xFF\xE0 not heif at all"));
  EXPECT_FALSE(LooksLikeHeif(std::string("\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom", 24)));  // an MP4 video
}

TEST(HeifCodecTest, DecodesEightBitHeicAndAvifCloseToTheOriginal) {
  const cv::Mat original = HalfAndHalf(64, 48);
  for (heif_compression_format codec : {heif_compression_HEVC, heif_compression_AV1}) {
    EncodeSpec spec;
    spec.codec = codec;
    const std::string bytes = EncodeHeif(original, spec);
    absl::StatusOr<HeifHeader> header = ReadHeifHeader(bytes);
    ASSERT_TRUE(header.ok()) << header.status();
    EXPECT_EQ(header->width, 64);
    EXPECT_EQ(header->height, 48);
    EXPECT_EQ(header->bit_depth, 8);
    EXPECT_FALSE(header->has_alpha);
    absl::StatusOr<HeifDecoded> decoded = DecodeHeif(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(decoded->pixels.type(), CV_8UC3);
    ASSERT_EQ(decoded->pixels.size(), original.size());
    EXPECT_LT(cv::norm(decoded->pixels, original, cv::NORM_L1) / original.total() / 3, 6.0) << codec;
  }
}

TEST(HeifCodecTest, TenAndTwelveBitBecomeFullRangeSixteenBit) {
  for (int bits : {10, 12}) {
    const int max = (1 << bits) - 1;
    cv::Mat wide(32, 32, CV_16UC3, cv::Scalar::all(max / 2));
    wide(cv::Rect(0, 0, 16, 32)).setTo(cv::Scalar::all(max));
    EncodeSpec spec;
    spec.codec = heif_compression_HEVC;  // Debian's aom asserts on 10/12-bit RGB input
    spec.bits = bits;
    const std::string bytes = EncodeHeif(wide, spec);
    absl::StatusOr<HeifHeader> header = ReadHeifHeader(bytes);
    ASSERT_TRUE(header.ok()) << header.status();
    EXPECT_EQ(header->bit_depth, bits);
    absl::StatusOr<HeifDecoded> decoded = DecodeHeif(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_EQ(decoded->pixels.type(), CV_16UC3);
    EXPECT_NEAR(MeanOf(decoded->pixels, {2, 2, 10, 28}), 65535.0, 65535.0 * 0.02) << bits;
    EXPECT_NEAR(MeanOf(decoded->pixels, {20, 2, 10, 28}), 65535.0 / 2, 65535.0 * 0.02) << bits;
  }
}

TEST(HeifCodecTest, AlphaGivesBgra) {
  cv::Mat bgra;
  cv::cvtColor(HalfAndHalf(32, 32), bgra, cv::COLOR_BGR2BGRA);
  bgra(cv::Rect(0, 0, 32, 16)).forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) { p[3] = 64; });
  const std::string bytes = EncodeHeif(bgra, {});
  absl::StatusOr<HeifHeader> header = ReadHeifHeader(bytes);
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(header->has_alpha);
  absl::StatusOr<HeifDecoded> decoded = DecodeHeif(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->pixels.type(), CV_8UC4);
  std::vector<cv::Mat> planes;
  cv::split(decoded->pixels, planes);
  EXPECT_NEAR(MeanOf(planes[3], {4, 2, 24, 12}), 64, 4);
  EXPECT_NEAR(MeanOf(planes[3], {4, 18, 24, 12}), 255, 4);
}

// An iPhone writes the rotation twice: as irot (which libheif applies) and as
// EXIF orientation 6. The picture must be turned once, not twice.
TEST(HeifCodecTest, RotationIsAppliedOnceEvenWithExifOrientation) {
  EncodeSpec spec;
  spec.orientation = heif_orientation_rotate_90_cw;
  spec.exif = ExifWithOrientation(6);
  const std::string bytes = EncodeHeif(HalfAndHalf(64, 32), spec);
  absl::StatusOr<Image> image = DecodeImage(bytes, "rotated.heic");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->info.format, ImageFormat::kHeif);
  EXPECT_TRUE(image->info.has_exif);
  EXPECT_EQ(image->info.exif_orientation, 1);
  ASSERT_EQ(image->pixels.cols, 32);
  ASSERT_EQ(image->pixels.rows, 64);
  // Turned 90° clockwise: the bright left half is now the top half.
  EXPECT_GT(MeanOf(image->pixels, {4, 4, 24, 24}), 180);
  EXPECT_LT(MeanOf(image->pixels, {4, 36, 24, 24}), 70);
  absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->width, 32);
  EXPECT_EQ(header->height, 64);
}

TEST(HeifCodecTest, CarriesTheIccProfile) {
  EncodeSpec spec;
  spec.icc = std::string(200, '\x11');  // opaque bytes: carried, not interpreted here
  const std::string bytes = EncodeHeif(HalfAndHalf(32, 32), spec);
  absl::StatusOr<HeifDecoded> decoded = DecodeHeif(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(std::string(decoded->icc_profile.begin(), decoded->icc_profile.end()), spec.icc);
}

TEST(HeifCodecTest, DecompressionBombIsRefusedFromTheHeader) {
  const std::string bytes = EncodeHeif(HalfAndHalf(64, 48), {});
  LoadOptions options;
  options.max_megapixels = 0.001;  // 64×48 px is 0.003 MP
  EXPECT_EQ(DecodeImage(bytes, "x.heic", options).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(HeifCodecTest, TruncatedOrCorruptDataIsAStatusNotACrash) {
  const std::string bytes = EncodeHeif(HalfAndHalf(64, 48), {});
  for (size_t keep : {size_t(16), size_t(40), bytes.size() / 3, bytes.size() / 2, bytes.size() - 10}) {
    const std::string cut = bytes.substr(0, keep);
    absl::StatusOr<Image> image = DecodeImage(cut, "cut.heic");
    EXPECT_FALSE(image.ok()) << keep;
  }
  std::string corrupt = bytes;
  for (size_t i = bytes.size() - 200; i < bytes.size(); i += 3) corrupt[i] = char(corrupt[i] ^ 0x5A);
  absl::StatusOr<Image> image = DecodeImage(corrupt, "corrupt.heic");  // ok or an error: never a crash
  if (!image.ok()) {  // and an error is one non-empty line
    EXPECT_FALSE(image.status().message().empty());
    EXPECT_EQ(image.status().message().find('\n'), absl::string_view::npos) << image.status();
  }
}

// Several pictures in one file (a burst or a bracket: a HEIF collection),
// the first the primary, each with a thumbnail when `thumbnails`.
std::string EncodeCollection(const std::vector<cv::Mat>& pictures, bool thumbnails) {
  std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
  heif_encoder* encoder = nullptr;
  EXPECT_EQ(heif_context_get_encoder_for_format(ctx.get(), heif_compression_HEVC, &encoder).code, heif_error_Ok);
  if (encoder == nullptr) return "";
  heif_encoder_set_lossy_quality(encoder, 80);
  for (const cv::Mat& picture : pictures) {
    heif_image* image = ToHeifImage(picture, 8);
    heif_image_handle* handle = nullptr;
    EXPECT_EQ(heif_context_encode_image(ctx.get(), image, encoder, nullptr, &handle).code, heif_error_Ok);
    if (thumbnails) {
      heif_image_handle* thumb = nullptr;
      EXPECT_EQ(heif_context_encode_thumbnail(ctx.get(), image, handle, encoder, nullptr, 16, &thumb).code,
                heif_error_Ok);
      EXPECT_NE(thumb, nullptr);
      heif_image_handle_release(thumb);
    }
    heif_image_handle_release(handle);
    heif_image_release(image);
  }
  heif_encoder_release(encoder);
  std::string out;
  heif_writer writer{1, Append};
  heif_context_write(ctx.get(), &writer, &out);
  return out;
}

// An ISO-BMFF box: size, type, payload.
std::string BmffBox(const std::string& type, const std::string& payload) {
  std::string box(4, '\0');
  const uint32_t size = uint32_t(8 + payload.size());
  for (int i = 0; i < 4; ++i) box[size_t(i)] = char(size >> (24 - 8 * i));
  return box + type + payload;
}

// A 'moov' box with one track of `handler` ("pict": an image sequence's)
// whose sample size box `sizes` ("stsz" or "stz2") counts `samples`.
std::string MoovWithTrack(const std::string& handler, const std::string& sizes, uint32_t samples) {
  const std::string hdlr = BmffBox("hdlr", Be32Bytes(0) + Be32Bytes(0) + handler + std::string(12, '\0') + "x");
  const std::string stsz = BmffBox(sizes, Be32Bytes(0) + Be32Bytes(sizes == "stz2" ? 16 : 0) + Be32Bytes(samples));
  const std::string stbl = BmffBox("stbl", BmffBox("stsd", Be32Bytes(0) + Be32Bytes(0)) + stsz);
  const std::string mdia = BmffBox("mdia", BmffBox("mdhd", std::string(24, '\0')) + hdlr +
                                               BmffBox("minf", stbl));
  return BmffBox("moov", BmffBox("mvhd", std::string(100, '\0')) + BmffBox("trak", BmffBox("tkhd", std::string(84, '\0')) + mdia));
}

// A burst of three pictures in one HEIF (with thumbnails, which are not
// pictures of the collection): the primary is read, and the file says it
// stores 3 images; a still with a thumbnail stores 1.
TEST(HeifCodecTest, ACollectionCountsItsPicturesAndReadsThePrimary) {
  const std::string burst =
      EncodeCollection({HalfAndHalf(64, 48), HalfAndHalf(32, 32), HalfAndHalf(48, 64)}, /*thumbnails=*/true);
  ASSERT_FALSE(burst.empty());
  absl::StatusOr<Image> image = DecodeImage(burst, "burst.heic");
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->pixels.size(), cv::Size(64, 48));
  EXPECT_EQ(image->info.frames, 3);
  EXPECT_TRUE(image->info.heif_collection);
  const std::optional<StoredImagesWords> words = SeveralStoredImages(image->info);
  ASSERT_TRUE(words.has_value());
  EXPECT_EQ(words->warning_code, "multi_image_input");
  EXPECT_EQ(words->whole, "a HEIF file of 3 images");
  EXPECT_EQ(words->read, "primary image");

  absl::StatusOr<Image> still = DecodeImage(EncodeCollection({HalfAndHalf(64, 48)}, true), "still.heic");
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_EQ(still->info.frames, 1);
  EXPECT_FALSE(still->info.heif_collection);
  EXPECT_FALSE(SeveralStoredImages(still->info).has_value());
}

// An image sequence (an animated HEIF or AVIF) stores its frames as the
// samples of a picture track in a 'moov' box beside the still primary
// image, which libheif reads: the frames are counted from the track.
TEST(HeifCodecTest, ASequenceCountsTheFramesOfItsPictureTrack) {
  const std::string still = EncodeHeif(HalfAndHalf(64, 48), {});
  ASSERT_FALSE(still.empty());
  absl::StatusOr<Image> animated = DecodeImage(still + MoovWithTrack("pict", "stsz", 24), "animated.heic");
  ASSERT_TRUE(animated.ok()) << animated.status();
  EXPECT_EQ(animated->pixels.size(), cv::Size(64, 48));
  EXPECT_EQ(animated->info.frames, 24);
  EXPECT_FALSE(animated->info.heif_collection);
  const std::optional<StoredImagesWords> words = SeveralStoredImages(animated->info);
  ASSERT_TRUE(words.has_value());
  EXPECT_EQ(words->warning_code, "animated_input");
  EXPECT_EQ(words->whole, "an animation of 24 frames");
  EXPECT_EQ(words->read, "primary image");

  EXPECT_EQ(CountHeifSequenceFrames(still), 0);
  EXPECT_EQ(CountHeifSequenceFrames(still + MoovWithTrack("vide", "stz2", 7)), 7);
  EXPECT_EQ(CountHeifSequenceFrames(still + MoovWithTrack("soun", "stsz", 7)), 0);  // not pictures
  const std::string moov = MoovWithTrack("pict", "stsz", 9);
  EXPECT_EQ(CountHeifSequenceFrames(still + moov.substr(0, moov.size() - 3)), 0);   // cut short: not counted
  // A 64-bit box size (size 1, then the size after the type).
  const std::string large = std::string("\0\0\0\1", 4) + "moov" + Be32Bytes(0) + Be32Bytes(uint32_t(moov.size() + 8)) +
                      moov.substr(8);
  EXPECT_EQ(CountHeifSequenceFrames(still + large), 9);
  EXPECT_EQ(DecodeImage(still, "still.heic")->info.frames, 1);
}

}  // namespace
}  // namespace acuity
