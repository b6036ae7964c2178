#include "tests/testing/cmyk_jpeg.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <jpeglib.h>
#include <lcms2.h>

namespace acuity::testing {
namespace {

constexpr double kLightGamma = 0.6;

double LightChannel(double ink, double k) { return std::pow((1.0 - ink) * (1.0 - k), kLightGamma); }

// lcms's CLUT sampler: CMYK (0–65535) in, Lab (encoded) out, through an
// sRGB → Lab transform passed as `cargo`.
int SampleLight(const cmsUInt16Number in[], cmsUInt16Number out[], void* cargo) {
  const double c = in[0] / 65535.0, m = in[1] / 65535.0, y = in[2] / 65535.0, k = in[3] / 65535.0;
  const double rgb[3] = {LightChannel(c, k), LightChannel(m, k), LightChannel(y, k)};
  cmsCIELab lab;
  cmsDoTransform(static_cast<cmsHTRANSFORM>(cargo), rgb, &lab, 1);
  cmsFloat2LabEncoded(out, &lab);
  return 1;
}

}  // namespace

std::string CmykJpeg(const cv::Mat& ink, int quality, const std::vector<uint8_t>& icc) {
  if (ink.type() != CV_8UC4) throw std::invalid_argument("CmykJpeg needs CV_8UC4 ink");
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = JDIMENSION(ink.cols);
  cinfo.image_height = JDIMENSION(ink.rows);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);  // CMYK, with an Adobe marker
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  if (!icc.empty()) jpeg_write_icc_profile(&cinfo, icc.data(), unsigned(icc.size()));
  cv::Mat inverted = cv::Scalar::all(255) - ink;  // Adobe's convention
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = inverted.ptr<uint8_t>(int(cinfo.next_scanline));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return out;
}

std::vector<uint8_t> LightCmykProfile() {
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);
  cmsHTRANSFORM to_lab = cmsCreateTransform(srgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC, 0);
  cmsHPROFILE p = cmsCreateProfilePlaceholder(nullptr);
  cmsSetProfileVersion(p, 4.3);
  cmsSetDeviceClass(p, cmsSigOutputClass);
  cmsSetColorSpace(p, cmsSigCmykData);
  cmsSetPCS(p, cmsSigLabData);
  cmsPipeline* lut = cmsPipelineAlloc(nullptr, 4, 3);
  cmsStage* clut = cmsStageAllocCLut16bit(nullptr, 17, 4, 3, nullptr);
  cmsStageSampleCLut16bit(clut, SampleLight, to_lab, 0);
  // lutAtoBType's layout: A curves, the CLUT, B curves (both identity).
  cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(nullptr, 4, nullptr));
  cmsPipelineInsertStage(lut, cmsAT_END, clut);
  cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, nullptr));
  cmsWriteTag(p, cmsSigAToB0Tag, lut);
  cmsWriteTag(p, cmsSigMediaWhitePointTag, cmsD50_XYZ());
  cmsMLU* name = cmsMLUalloc(nullptr, 1);
  cmsMLUsetASCII(name, "en", "US", "acuity test CMYK (light)");
  cmsWriteTag(p, cmsSigProfileDescriptionTag, name);
  cmsUInt32Number bytes = 0;
  cmsSaveProfileToMem(p, nullptr, &bytes);
  std::vector<uint8_t> out(bytes);
  cmsSaveProfileToMem(p, out.data(), &bytes);
  cmsMLUfree(name);
  cmsPipelineFree(lut);
  cmsCloseProfile(p);
  cmsDeleteTransform(to_lab);
  cmsCloseProfile(lab);
  cmsCloseProfile(srgb);
  return out;
}

cv::Vec3b LightCmykToBgr(const cv::Vec4b& ink) {
  const double k = ink[3] / 255.0;
  auto channel = [k](uint8_t v) { return cv::saturate_cast<uint8_t>(255.0 * LightChannel(v / 255.0, k)); };
  return {channel(ink[2]), channel(ink[1]), channel(ink[0])};
}

// `p` serialised, then closed.
std::vector<uint8_t> SavedAndClosed(cmsHPROFILE p) {
  cmsUInt32Number size = 0;
  cmsSaveProfileToMem(p, nullptr, &size);
  std::vector<uint8_t> bytes(size);
  cmsSaveProfileToMem(p, bytes.data(), &size);
  cmsCloseProfile(p);
  return bytes;
}

std::vector<uint8_t> AdobeRgbLikeProfile() {
  cmsCIExyY white{0.3127, 0.3290, 1.0};
  cmsCIExyYTRIPLE primaries{{0.64, 0.33, 1.0}, {0.21, 0.71, 1.0}, {0.15, 0.06, 1.0}};
  cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
  cmsToneCurve* curves[3] = {gamma, gamma, gamma};
  cmsHPROFILE p = cmsCreateRGBProfile(&white, &primaries, curves);
  cmsFreeToneCurve(gamma);
  return SavedAndClosed(p);
}

std::vector<uint8_t> GammaGrayProfile(double gamma) {
  cmsToneCurve* curve = cmsBuildGamma(nullptr, gamma);
  cmsHPROFILE p = cmsCreateGrayProfile(cmsD50_xyY(), curve);
  cmsFreeToneCurve(curve);
  return SavedAndClosed(p);
}

}  // namespace acuity::testing
