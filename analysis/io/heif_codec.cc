#include "analysis/io/heif_codec.h"

#include <libheif/heif.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/byte_order.h"
#include "analysis/io/isolated_call.h"

namespace acuity {
namespace {

bool IsHeifBrand(std::string_view brand) {
  for (std::string_view known : {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis"})
    if (brand == known) return true;
  return false;
}

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
  void operator()(const heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(const heif_image* i) const { heif_image_release(i); }
};
using Context = std::unique_ptr<heif_context, ContextDeleter>;
using Handle = std::unique_ptr<heif_image_handle, HandleDeleter>;

// libheif's error as a status with a code chosen by its category.
absl::Status FromHeifError(const heif_error& e, const char* doing) {
  const std::string text = absl::StrCat("could not ", doing, " the HEIF data: ",
                                        e.message != nullptr ? e.message : "unknown error");
  switch (e.code) {
    case heif_error_Memory_allocation_error: return absl::ResourceExhaustedError(text);
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature:
    case heif_error_Decoder_plugin_error: return absl::UnimplementedError(text);
    default: return absl::DataLossError(text);
  }
}

// The parsed file and its primary image's handle; the handle keeps what it
// needs of the context alive, the context is kept for clarity.
struct Primary {
  Context context;
  Handle handle;
};

absl::StatusOr<Primary> OpenPrimary(std::string_view bytes) {
  if (!LooksLikeHeif(bytes)) return absl::InvalidArgumentError("not a HEIF/AVIF file");
  Primary p;
  p.context.reset(heif_context_alloc());
  if (!p.context) return absl::ResourceExhaustedError("out of memory creating a HEIF reader");
  heif_error e = heif_context_read_from_memory_without_copy(p.context.get(), bytes.data(), bytes.size(), nullptr);
  if (e.code != heif_error_Ok) return FromHeifError(e, "read");
  heif_image_handle* handle = nullptr;
  e = heif_context_get_primary_image_handle(p.context.get(), &handle);
  if (e.code != heif_error_Ok) return FromHeifError(e, "find the primary image in");
  p.handle.reset(handle);
  return p;
}

std::vector<uint8_t> IccProfile(const heif_image_handle* handle) {
  const heif_color_profile_type type = heif_image_handle_get_color_profile_type(handle);
  if (type != heif_color_profile_type_prof && type != heif_color_profile_type_rICC) return {};
  std::vector<uint8_t> icc(heif_image_handle_get_raw_color_profile_size(handle));
  if (icc.empty()) return {};
  if (heif_image_handle_get_raw_color_profile(handle, icc.data()).code != heif_error_Ok) return {};
  return icc;
}

bool HasExif(const heif_image_handle* handle) {
  return heif_image_handle_get_number_of_metadata_blocks(handle, "Exif") > 0;
}

// libheif (with libde265 and dav1d) runs in a child process
// (analysis/io/isolated_call.h): a 579-byte HEIC made it allocate 4 GB and
// crash (fuzz/corpus/decode_heif/regress-*). Its memory is capped at this
// much per displayed pixel beyond its start-up size.
constexpr size_t kHeifBytesPerPixel = 64;
constexpr size_t kHeifFixedBytes = size_t{256} << 20;
constexpr double kHeifTimeLimitS = 120;

IsolationOptions HeifIsolation() { return {"libheif (the HEIF/AVIF decoder)", kHeifTimeLimitS}; }

// libheif's interleaved RGB(A) plane, copied row by row (no OpenCV threads
// in the child).
absl::StatusOr<cv::Mat> CopyPlane(const heif_image* image, bool alpha, int bits) {
  int stride = 0;
  const uint8_t* data = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
  const int w = heif_image_get_width(image, heif_channel_interleaved);
  const int h = heif_image_get_height(image, heif_channel_interleaved);
  if (data == nullptr || w <= 0 || h <= 0) return absl::DataLossError("could not decode the HEIF data (no pixels)");
  cv::Mat rgb(h, w, CV_MAKETYPE(bits > 8 ? CV_16U : CV_8U, alpha ? 4 : 3));
  const size_t row_bytes = size_t(w) * rgb.elemSize();
  if (size_t(stride) < row_bytes) return absl::DataLossError("could not decode the HEIF data (short rows)");
  for (int y = 0; y < h; ++y) std::memcpy(rgb.ptr(y), data + size_t(y) * size_t(stride), row_bytes);
  return rgb;
}

// RGB(A) to BGR(A); samples of more than 8 bits are scaled from
// [0, 2^bits-1] to [0, 65535].
cv::Mat ToBgr(const cv::Mat& rgb, int bits) {
  cv::Mat out;
  cv::cvtColor(rgb, out, rgb.channels() == 4 ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGB2BGR);
  if (bits > 8 && bits < 16) out.convertTo(out, CV_16U, 65535.0 / double((1 << bits) - 1));
  return out;
}

absl::StatusOr<std::string> HeaderInChild(std::string_view bytes) {
  LimitIsolatedMemory(kHeifFixedBytes);
  absl::StatusOr<Primary> p = OpenPrimary(bytes);
  if (!p.ok()) return p.status();
  WireWriter w;
  w.Int(heif_image_handle_get_width(p->handle.get()));
  w.Int(heif_image_handle_get_height(p->handle.get()));
  w.Int(heif_image_handle_get_luma_bits_per_pixel(p->handle.get()));
  w.Int(heif_image_handle_has_alpha_channel(p->handle.get()) != 0);
  w.Int(heif_context_get_number_of_top_level_images(p->context.get()));
  return w.Take();
}

absl::StatusOr<std::string> DecodeInChild(std::string_view bytes) {
  absl::StatusOr<Primary> p = OpenPrimary(bytes);
  if (!p.ok()) return p.status();
  const heif_image_handle* handle = p->handle.get();
  const size_t pixels = size_t(std::max(0, heif_image_handle_get_width(handle))) *
                        size_t(std::max(0, heif_image_handle_get_height(handle)));
  LimitIsolatedMemory(kHeifFixedBytes + kHeifBytesPerPixel * pixels);
  const bool alpha = heif_image_handle_has_alpha_channel(handle) != 0;
  const int bits = heif_image_handle_get_luma_bits_per_pixel(handle);
  heif_chroma chroma = alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB;
  if (bits > 8) chroma = alpha ? heif_chroma_interleaved_RRGGBBAA_LE : heif_chroma_interleaved_RRGGBB_LE;
  heif_image* decoded = nullptr;
  // Default options: libheif applies irot/imir/clap (ignore_transformations = 0).
  heif_error e = heif_decode_image(handle, &decoded, heif_colorspace_RGB, chroma, nullptr);
  std::unique_ptr<heif_image, ImageDeleter> image(decoded);
  if (e.code != heif_error_Ok) return FromHeifError(e, "decode");
  absl::StatusOr<cv::Mat> rgb = CopyPlane(image.get(), alpha, bits);
  if (!rgb.ok()) return rgb.status();
  const std::vector<uint8_t> icc = IccProfile(handle);
  WireWriter w;
  w.Mat(*rgb);
  w.Int(bits);
  w.Bytes(std::string_view(reinterpret_cast<const char*>(icc.data()), icc.size()));
  w.Int(HasExif(handle));
  return w.Take();
}

}  // namespace

bool LooksLikeHeif(std::string_view b) {
  if (b.size() < 16 || b.substr(4, 4) != "ftyp") return false;
  const size_t box = std::min<size_t>(ReadBe32(b, 0), b.size());
  if (box < 16) return false;
  if (IsHeifBrand(b.substr(8, 4))) return true;
  for (size_t at = 16; at + 4 <= box; at += 4)  // compatible brands
    if (IsHeifBrand(b.substr(at, 4))) return true;
  return false;
}

bool IsAvifBrand(std::string_view b) {
  return LooksLikeHeif(b) && (b.substr(8, 4) == "avif" || b.substr(8, 4) == "avis");
}

absl::StatusOr<HeifHeader> ReadHeifHeader(std::string_view bytes) {
  if (!LooksLikeHeif(bytes)) return absl::InvalidArgumentError("not a HEIF/AVIF file");
  absl::StatusOr<std::string> reply = RunIsolated(HeifIsolation(), [&] { return HeaderInChild(bytes); });
  if (!reply.ok()) return reply.status();
  WireReader r(*reply);
  int64_t width = 0, height = 0, bits = 0, alpha = 0, images = 0;
  if (!r.Int(width) || !r.Int(height) || !r.Int(bits) || !r.Int(alpha) || !r.Int(images))
    return absl::InternalError("short HEIF header reply");
  if (width <= 0 || height <= 0 || width > (1 << 20) || height > (1 << 20))
    return absl::DataLossError("HEIF primary image has no size");
  HeifHeader h;
  h.width = int(width);
  h.height = int(height);
  h.bit_depth = bits > 0 ? int(bits) : 8;
  h.has_alpha = alpha != 0;
  h.top_level_images = int(std::clamp<int64_t>(images, 1, 1 << 20));
  return h;
}

absl::StatusOr<HeifDecoded> DecodeHeif(std::string_view bytes) {
  if (!LooksLikeHeif(bytes)) return absl::InvalidArgumentError("not a HEIF/AVIF file");
  absl::StatusOr<std::string> reply = RunIsolated(HeifIsolation(), [&] { return DecodeInChild(bytes); });
  if (!reply.ok()) return reply.status();
  WireReader r(*reply);
  cv::Mat rgb;
  int64_t bits = 0, has_exif = 0;
  std::string icc;
  if (!r.Mat(rgb) || !r.Int(bits) || !r.Bytes(icc) || !r.Int(has_exif))
    return absl::InternalError("short HEIF image reply");
  HeifDecoded out;
  out.pixels = ToBgr(rgb, int(bits));
  out.icc_profile.assign(icc.begin(), icc.end());
  out.has_exif = has_exif != 0;
  return out;
}

}  // namespace acuity
