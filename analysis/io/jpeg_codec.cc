#include "analysis/io/jpeg_codec.h"

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <jpeglib.h>
#include <jerror.h>
#include <opencv2/imgproc.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "analysis/io/color_space.h"
#include "analysis/io/guard.h"

namespace acuity {
namespace {

// libjpeg reports errors through a callback that must not return; we jump
// back to the caller with the formatted message.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {0};
  bool truncated = false;
};

void OnError(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void OnMessage(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  // Level -1 is a warning about corrupt data. Premature end of data means the
  // file was cut short: libjpeg would pad it with grey, we refuse it.
  if (level < 0 && (cinfo->err->msg_code == JWRN_JPEG_EOF)) {
    err->truncated = true;
  }
}

std::string SubsamplingName(const jpeg_decompress_struct& c) {
  if (c.num_components == 1) return "gray";
  if (c.num_components != 3) return "other";
  const auto& y = c.comp_info[0];
  const auto& cb = c.comp_info[1];
  const auto& cr = c.comp_info[2];
  if (cb.h_samp_factor != cr.h_samp_factor || cb.v_samp_factor != cr.v_samp_factor ||
      cb.h_samp_factor != 1 || cb.v_samp_factor != 1)
    return "other";
  const int h = y.h_samp_factor, v = y.v_samp_factor;
  if (h == 1 && v == 1) return "4:4:4";
  if (h == 2 && v == 1) return "4:2:2";
  if (h == 2 && v == 2) return "4:2:0";
  if (h == 1 && v == 2) return "4:4:0";
  if (h == 4 && v == 1) return "4:1:1";
  return "other";
}

// What the headers say, read after jpeg_read_header: the quantization tables
// and which component uses which, subsampling, scans, JFIF density, ICC.
// libjpeg errors long-jump to DecodeJpeg's setjmp: nothing here owns memory
// outside `out`.
void ReadHeaderInfo(jpeg_decompress_struct& cinfo, JpegDecoded& out) {
  for (int i = 0; i < NUM_QUANT_TBLS; ++i) {
    if (cinfo.quant_tbl_ptrs[i] == nullptr) break;  // slots are filled from 0
    std::array<uint16_t, 64> table;
    for (int k = 0; k < 64; ++k) table[k] = cinfo.quant_tbl_ptrs[i]->quantval[k];
    out.info.quant_tables.push_back(table);
  }
  for (int c = 0; c < cinfo.num_components; ++c) out.info.component_table.push_back(cinfo.comp_info[c].quant_tbl_no);
  out.info.subsampling = SubsamplingName(cinfo);
  out.info.progressive = jpeg_has_multiple_scans(&cinfo);
  if (cinfo.saw_JFIF_marker && cinfo.X_density > 0 && cinfo.Y_density > 0) {
    const double per_inch = cinfo.density_unit == 1 ? 1.0 : cinfo.density_unit == 2 ? 2.54 : 0.0;
    if (per_inch > 0) {
      out.jfif_dpi_x = cinfo.X_density * per_inch;
      out.jfif_dpi_y = cinfo.Y_density * per_inch;
    }
  }
  JOCTET* icc = nullptr;
  unsigned int icc_len = 0;
  if (jpeg_read_icc_profile(&cinfo, &icc, &icc_len) && icc != nullptr) {
    out.icc_profile.assign(icc, icc + icc_len);
    std::free(icc);
  }
}

bool IsCmyk(const jpeg_decompress_struct& cinfo) {
  return cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
}

// Naive CMYK -> BGR (no colour management), for files without a CMYK
// profile; Adobe files store inverted ink.
cv::Mat CmykToBgr(const cv::Mat& cmyk, bool adobe_inverted) {
  cv::Mat bgr(cmyk.rows, cmyk.cols, CV_8UC3);
  for (int y = 0; y < cmyk.rows; ++y) {
    const uint8_t* s = cmyk.ptr<uint8_t>(y);
    uint8_t* d = bgr.ptr<uint8_t>(y);
    for (int x = 0; x < cmyk.cols; ++x, s += 4, d += 3) {
      int c = s[0], m = s[1], yy = s[2], k = s[3];
      if (!adobe_inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
      d[0] = uint8_t(yy * k / 255);
      d[1] = uint8_t(m * k / 255);
      d[2] = uint8_t(c * k / 255);
    }
  }
  return bgr;
}

}  // namespace

absl::StatusOr<JpegDecoded> DecodeJpeg(std::string_view bytes, int min_long_edge_px) {
  if (bytes.size() < 4 || uint8_t(bytes[0]) != 0xFF || uint8_t(bytes[1]) != 0xD8)
    return absl::InvalidArgumentError("not a JPEG file");
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  err.pub.emit_message = OnMessage;
  // Everything with a destructor lives above setjmp, so a longjmp skips none.
  JpegDecoded out;
  cv::Mat decoded;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    // libjpeg's memory manager reports a refused allocation as an error of
    // its own code: the machine's fault, not the file's.
    if (err.pub.msg_code == JERR_OUT_OF_MEMORY) return OutOfMemoryError("decoding the JPEG");
    return absl::DataLossError(absl::StrCat("corrupt JPEG data: ", err.message));
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);  // ICC profile chunks
  jpeg_read_header(&cinfo, TRUE);
  ReadHeaderInfo(cinfo, out);

  const bool cmyk = IsCmyk(cinfo);
  cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_EXT_BGR;
  if (min_long_edge_px > 0) {
    const unsigned long_edge = std::max(cinfo.image_width, cinfo.image_height);
    for (unsigned denom : {8u, 4u, 2u}) {
      if (long_edge / denom >= unsigned(min_long_edge_px)) {
        cinfo.scale_num = 1;
        cinfo.scale_denom = denom;
        break;
      }
    }
  }
  jpeg_start_decompress(&cinfo);
  const int w = int(cinfo.output_width), h = int(cinfo.output_height);
  try {
    decoded.create(h, w, CV_8UC(cinfo.output_components));
  } catch (...) {
    jpeg_destroy_decompress(&cinfo);
    return CurrentExceptionToStatus("decoding the JPEG");
  }
  while (cinfo.output_scanline < cinfo.output_height && !err.truncated) {
    JSAMPROW row = decoded.ptr<uint8_t>(int(cinfo.output_scanline));
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  if (err.truncated) {
    jpeg_destroy_decompress(&cinfo);
    return absl::DataLossError(absl::StrCat("truncated JPEG: the data ends after row ",
                                            cinfo.output_scanline, " of ", h));
  }
  jpeg_finish_decompress(&cinfo);
  if (err.truncated) {
    jpeg_destroy_decompress(&cinfo);
    return absl::DataLossError("truncated JPEG: the data ends before the end-of-image marker");
  }
  const bool adobe_inverted = cinfo.saw_Adobe_marker;
  jpeg_destroy_decompress(&cinfo);
  if (!cmyk) {
    out.pixels = decoded;
  } else if (absl::StatusOr<cv::Mat> managed = CmykToSrgb(decoded, out.icc_profile, adobe_inverted); managed.ok()) {
    out.pixels = *std::move(managed);  // through the file's CMYK profile
  } else {
    out.pixels = CmykToBgr(decoded, adobe_inverted);  // no usable CMYK profile
  }
  return out;
}

absl::StatusOr<std::string> EncodeJpeg(const cv::Mat& pixels, const JpegEncodeOptions& options) {
  if (pixels.empty() || pixels.depth() != CV_8U ||
      (pixels.channels() != 1 && pixels.channels() != 3))
    return absl::InvalidArgumentError("JPEG encoding needs an 8-bit gray or BGR image");
  if (options.quality < 1 || options.quality > 100)
    return absl::InvalidArgumentError("JPEG quality must be within 1-100");
  if (options.quant_tables.size() > NUM_QUANT_TBLS)
    return absl::InvalidArgumentError("a JPEG holds at most 4 quantization tables");
  for (const auto& table : options.quant_tables)
    for (uint16_t q : table)
      if (q < 1 || q > 255) return absl::InvalidArgumentError("JPEG quantization table entries must be within 1-255");
  jpeg_compress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = OnError;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::free(buffer);
    if (err.pub.msg_code == JERR_OUT_OF_MEMORY) return OutOfMemoryError("encoding the JPEG");
    return absl::InternalError(absl::StrCat("JPEG encoding failed: ", err.message));
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = pixels.cols;
  cinfo.image_height = pixels.rows;
  cinfo.input_components = pixels.channels();
  cinfo.in_color_space = pixels.channels() == 1 ? JCS_GRAYSCALE : JCS_EXT_BGR;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, options.quality, TRUE);
  for (size_t slot = 0; slot < options.quant_tables.size(); ++slot) {
    unsigned int table[DCTSIZE2];
    std::copy(options.quant_tables[slot].begin(), options.quant_tables[slot].end(), table);
    jpeg_add_quant_table(&cinfo, int(slot), table, /*scale_factor=*/100, /*force_baseline=*/TRUE);
  }
  if (pixels.channels() == 3 && !options.chroma_subsampling) {
    for (int c = 0; c < 3; ++c) cinfo.comp_info[c].h_samp_factor = cinfo.comp_info[c].v_samp_factor = 1;
  }
  if (options.dpi) {
    cinfo.write_JFIF_header = TRUE;
    cinfo.density_unit = 1;
    cinfo.X_density = cinfo.Y_density = static_cast<UINT16>(std::lround(*options.dpi));
  }
  jpeg_start_compress(&cinfo, TRUE);
  if (!options.icc_profile.empty())
    jpeg_write_icc_profile(&cinfo, options.icc_profile.data(),
                           static_cast<unsigned int>(options.icc_profile.size()));
  cv::Mat continuous = pixels.isContinuous() ? pixels : pixels.clone();
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(continuous.ptr<uint8_t>(int(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  std::free(buffer);
  return out;
}

}  // namespace acuity
