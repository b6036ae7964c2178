#include "tests/testing/camera_dng.h"

#include <tiffio.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

namespace acuity::testing {
namespace {

// The scene as an RGGB Bayer mosaic: each pixel keeps the one channel its
// filter lets through.
std::vector<uint16_t> Mosaic(const cv::Mat& rgb16) {
  std::vector<uint16_t> cfa(rgb16.total());
  for (int y = 0; y < rgb16.rows; ++y)
    for (int x = 0; x < rgb16.cols; ++x) {
      const int channel = (y % 2 == 0) ? (x % 2 == 0 ? 0 : 1) : (x % 2 == 0 ? 1 : 2);  // R G / G B
      cfa[size_t(y) * rgb16.cols + x] = rgb16.at<cv::Vec3w>(y, x)[channel];
    }
  return cfa;
}

}  // namespace

std::string WriteCameraDng(const std::string& path, const cv::Mat& rgb16, int orientation) {
  if (rgb16.type() != CV_16UC3) return "";
  TIFF* tif = TIFFOpen(path.c_str(), "w");
  if (tif == nullptr) return "";
  const uint32_t w = rgb16.cols, h = rgb16.rows;
  TIFFSetField(tif, TIFFTAG_SUBFILETYPE, 0);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 16);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, 32803);  // CFA
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, h);
  TIFFSetField(tif, TIFFTAG_ORIENTATION, uint16_t(orientation));
  TIFFSetField(tif, TIFFTAG_MAKE, "AcuityCam");
  TIFFSetField(tif, TIFFTAG_MODEL, "Bayer One");
  const uint16_t dim[2] = {2, 2};
  TIFFSetField(tif, TIFFTAG_CFAREPEATPATTERNDIM, dim);
  const uint8_t pattern[4] = {0, 1, 1, 2};
  TIFFSetField(tif, TIFFTAG_CFAPATTERN, uint16_t(4), pattern);
  const uint8_t version[4] = {1, 4, 0, 0};
  TIFFSetField(tif, TIFFTAG_DNGVERSION, version);
  TIFFSetField(tif, TIFFTAG_UNIQUECAMERAMODEL, "AcuityCam Bayer One");
  // XYZ (D65) -> linear sRGB: the camera "sees" sRGB primaries.
  const float matrix[9] = {3.2406f, -1.5372f, -0.4986f, -0.9689f, 1.8758f, 0.0415f, 0.0557f, -0.2040f, 1.0570f};
  TIFFSetField(tif, TIFFTAG_COLORMATRIX1, uint16_t(9), matrix);
  TIFFSetField(tif, TIFFTAG_CALIBRATIONILLUMINANT1, uint16_t(21));  // D65
  const float neutral[3] = {1.0f, 1.0f, 1.0f};
  TIFFSetField(tif, TIFFTAG_ASSHOTNEUTRAL, uint16_t(3), neutral);
  const uint32_t white[1] = {65535};
  TIFFSetField(tif, TIFFTAG_WHITELEVEL, uint16_t(1), white);
  std::vector<uint16_t> cfa = Mosaic(rgb16);
  const bool written = TIFFWriteEncodedStrip(tif, 0, cfa.data(), tmsize_t(cfa.size() * 2)) >= 0;
  TIFFClose(tif);
  if (!written) return "";
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace acuity::testing
