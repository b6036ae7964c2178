#include "analysis/io/raw_codec.h"

#include <libraw/libraw.h>

#include <algorithm>
#include <memory>
#include <new>

#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "analysis/io/isolated_call.h"
#include "analysis/io/tiff_ifd.h"

namespace acuity {
namespace {

constexpr uint32_t kTagNewSubfileType = 254, kTagCompression = 259, kTagPhotometric = 262, kTagMake = 271,
                   kTagSubIfds = 330, kTagDngVersion = 50706;
constexpr uint32_t kPhotometricCfa = 32803, kFirstVendorCompression = 32767;

bool StartsWith(std::string_view b, std::string_view magic) { return b.substr(0, magic.size()) == magic; }

// A TIFF-structured file is a camera RAW when it says it is a DNG, or when a
// camera (Make) wrote it with the full image elsewhere than IFD0 (a preview
// there, the sensor data in a sub-IFD) or as CFA / vendor-compressed samples.
bool IsRawTiff(std::string_view bytes) {
  absl::StatusOr<TiffIfd> ifd = ReadFirstTiffIfd(bytes);
  if (!ifd.ok()) return false;
  if (ifd->Find(kTagDngVersion) != nullptr) return true;
  if (ifd->Find(kTagMake) == nullptr) return false;
  const TiffEntry* subfile = ifd->Find(kTagNewSubfileType);
  const TiffEntry* photometric = ifd->Find(kTagPhotometric);
  const TiffEntry* compression = ifd->Find(kTagCompression);
  return ifd->Find(kTagSubIfds) != nullptr || (subfile != nullptr && (subfile->value & 1)) ||
         (photometric != nullptr && photometric->value == kPhotometricCfa) ||
         (compression != nullptr && compression->value >= kFirstVendorCompression);
}

// LibRaw by default prints data errors (the data ends early, a corrupt
// block) to stderr and carries on; acuity notes them and reports a status.
void NoteDataError(void* seen, const char*, const int) { *static_cast<bool*>(seen) = true; }
void IgnoreMemoryError(void*, const char*, const char*) {}

// A LibRaw reader set up for acuity's rendering, noting data errors
// instead of printing them.
struct Session {
  bool data_error = false;
  std::unique_ptr<LibRaw> raw;
};

absl::Status FromLibRawError(int code, const char* doing) {
  const std::string text = absl::StrCat("could not ", doing, " the camera RAW data: ", libraw_strerror(code));
  switch (code) {
    case LIBRAW_FILE_UNSUPPORTED:
      return absl::UnimplementedError(absl::StrCat("camera RAW variant that LibRaw ", LibRaw::version(),
                                                   " cannot read"));
    case LIBRAW_UNSUFFICIENT_MEMORY:
    case LIBRAW_TOO_BIG:
    case LIBRAW_MEMPOOL_OVERFLOW: return absl::ResourceExhaustedError(text);
    default: return absl::DataLossError(text);
  }
}

std::string CameraName(const LibRaw& raw) {
  std::string name = absl::StrCat(raw.imgdata.idata.make, " ", raw.imgdata.idata.model);
  absl::StripAsciiWhitespace(&name);
  return name;
}

// LibRaw's rendering: AHD demosaicing, camera white balance, sRGB with the
// sRGB tone curve, 16 bits per sample.
void SetRendering(LibRaw& raw) {
  libraw_output_params_t& p = raw.imgdata.params;
  p.output_bps = 16;
  p.output_color = 1;  // sRGB
  p.gamm[0] = 1.0 / 2.4;
  p.gamm[1] = 12.92;
  p.use_camera_wb = 1;
  p.user_qual = 3;  // AHD
}

// Opens `bytes` (metadata only) in a new session.
absl::StatusOr<std::unique_ptr<Session>> Open(std::string_view bytes) {
  if (!LooksLikeCameraRaw(bytes)) return absl::InvalidArgumentError("not a camera RAW file");
  auto session = std::make_unique<Session>();
  session->raw = std::make_unique<LibRaw>(LIBRAW_OPIONS_NO_MEMERR_CALLBACK | LIBRAW_OPIONS_NO_DATAERR_CALLBACK);
  session->raw->set_dataerror_handler(NoteDataError, &session->data_error);
  session->raw->set_memerror_handler(IgnoreMemoryError, nullptr);
  SetRendering(*session->raw);
  const int code = session->raw->open_buffer(const_cast<char*>(bytes.data()), bytes.size());
  if (code != LIBRAW_SUCCESS) return FromLibRawError(code, "read");
  return session;
}

}  // namespace

bool LooksLikeCameraRaw(std::string_view b) {
  if (StartsWith(b, "FUJIFILMCCD-RAW")) return true;
  if (StartsWith(b, "IIRO") || StartsWith(b, "IIRS") || StartsWith(b, "MMOR") ||
      StartsWith(b, std::string_view("IIU\0", 4)))
    return true;  // ORF, RW2
  const bool tiff = StartsWith(b, std::string_view("II*\0", 4)) || StartsWith(b, std::string_view("MM\0*", 4));
  if (!tiff) return false;
  if (b.size() >= 10 && b.substr(8, 2) == "CR") return true;  // CR2
  return IsRawTiff(b);
}

bool HasCameraRawExtension(std::string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string ext = absl::AsciiStrToLower(std::string(path.substr(dot + 1)));
  for (std::string_view known : {"dng", "cr2", "cr3", "nef", "nrw", "arw", "srf", "sr2", "raf", "orf", "rw2", "pef",
                                 "srw", "raw", "rwl", "3fr", "iiq", "erf", "mrw", "x3f", "kdc", "dcr"})
    if (ext == known) return true;
  return false;
}

namespace {

// LibRaw runs in a child process (analysis/io/isolated_call.h): LibRaw 0.20
// reads wild memory on some crafted files (fuzz/corpus/decode_raw/regress-*).
// Its memory is capped at this much per output pixel beyond its start-up
// size: unpacked sensor data, the 4-channel working image, the rendering.
constexpr size_t kRawBytesPerPixel = 48;
constexpr size_t kRawFixedBytes = size_t{256} << 20;
constexpr double kRawTimeLimitS = 120;

IsolationOptions RawIsolation() { return {"LibRaw (the camera RAW decoder)", kRawTimeLimitS}; }

absl::StatusOr<std::string> HeaderInChild(std::string_view bytes) {
  LimitIsolatedMemory(kRawFixedBytes);
  absl::StatusOr<std::unique_ptr<Session>> session = Open(bytes);
  if (!session.ok()) return session.status();
  LibRaw* raw = (*session)->raw.get();
  if (const int code = raw->adjust_sizes_info_only(); code != LIBRAW_SUCCESS) return FromLibRawError(code, "size");
  WireWriter w;
  w.Int(raw->imgdata.sizes.iwidth);
  w.Int(raw->imgdata.sizes.iheight);
  w.Bytes(CameraName(*raw));
  return w.Take();
}

// The rendering as LibRaw made it (RGB or gray, 16-bit) and the camera name;
// the conversion to BGR happens in the parent (OpenCV's threads are not in
// the child).
absl::StatusOr<std::string> DecodeInChild(std::string_view bytes) {
  absl::StatusOr<std::unique_ptr<Session>> session = Open(bytes);
  if (!session.ok()) return session.status();
  LibRaw* raw = (*session)->raw.get();
  const size_t pixels = size_t(std::max(0, int(raw->imgdata.sizes.raw_width))) *
                        size_t(std::max(0, int(raw->imgdata.sizes.raw_height)));
  LimitIsolatedMemory(kRawFixedBytes + kRawBytesPerPixel * pixels);
  if (const int code = raw->unpack(); code != LIBRAW_SUCCESS) return FromLibRawError(code, "unpack");
  if ((*session)->data_error) return absl::DataLossError("camera RAW sensor data is truncated or corrupt");
  if (const int code = raw->dcraw_process(); code != LIBRAW_SUCCESS) return FromLibRawError(code, "demosaic");
  int code = LIBRAW_SUCCESS;
  std::unique_ptr<libraw_processed_image_t, void (*)(libraw_processed_image_t*)> image(
      raw->dcraw_make_mem_image(&code), LibRaw::dcraw_clear_mem);
  if (!image || code != LIBRAW_SUCCESS) return FromLibRawError(code, "render");
  if (image->type != LIBRAW_IMAGE_BITMAP || image->bits != 16 || (image->colors != 1 && image->colors != 3))
    return absl::DataLossError("could not decode the camera RAW data (unexpected rendering)");
  WireWriter w;
  w.Mat(cv::Mat(image->height, image->width, CV_16UC(image->colors), image->data));
  w.Bytes(CameraName(*raw));
  return w.Take();
}

}  // namespace

absl::StatusOr<RawHeader> ReadRawHeader(std::string_view bytes) {
  if (!LooksLikeCameraRaw(bytes)) return absl::InvalidArgumentError("not a camera RAW file");
  absl::StatusOr<std::string> reply = RunIsolated(RawIsolation(), [&] { return HeaderInChild(bytes); });
  if (!reply.ok()) return reply.status();
  WireReader r(*reply);
  int64_t width = 0, height = 0;
  RawHeader h;
  if (!r.Int(width) || !r.Int(height) || !r.Bytes(h.camera)) return absl::InternalError("short RAW header reply");
  if (width <= 0 || height <= 0 || width > (1 << 20) || height > (1 << 20))
    return absl::DataLossError("camera RAW header gives no image size");
  h.width = int(width);
  h.height = int(height);
  return h;
}

absl::StatusOr<RawDecoded> DecodeRaw(std::string_view bytes) {
  if (!LooksLikeCameraRaw(bytes)) return absl::InvalidArgumentError("not a camera RAW file");
  absl::StatusOr<std::string> reply = RunIsolated(RawIsolation(), [&] { return DecodeInChild(bytes); });
  if (!reply.ok()) return reply.status();
  WireReader r(*reply);
  cv::Mat rgb;
  RawDecoded out;
  if (!r.Mat(rgb) || !r.Bytes(out.camera)) return absl::InternalError("short RAW image reply");
  if (rgb.channels() == 3) cv::cvtColor(rgb, out.pixels, cv::COLOR_RGB2BGR);
  else out.pixels = rgb;
  return out;
}

}  // namespace acuity
