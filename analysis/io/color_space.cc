#include "analysis/io/color_space.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>

#include <lcms2.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace acuity {
namespace {

struct ProfileCloser {
  void operator()(void* p) const { cmsCloseProfile(p); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;
struct TransformDeleter {
  void operator()(void* t) const { cmsDeleteTransform(t); }
};

// The colour space a profile declares: its header's bytes 16–19, as lcms
// reads them, kept a number: a fuzzed profile declares signatures lcms has
// no enumerator for, and loading one as cmsColorSpaceSignature is undefined
// behaviour (UBSan, the icc fuzzer). 0 when the profile is too short.
uint32_t DeclaredSpace(const std::vector<uint8_t>& icc) {
  if (icc.size() < 20) return 0;
  return uint32_t(icc[16]) << 24 | uint32_t(icc[17]) << 16 | uint32_t(icc[18]) << 8 | uint32_t(icc[19]);
}
constexpr uint32_t kGraySpace = 0x47524159;  // 'GRAY' (cmsSigGrayData)
constexpr uint32_t kRgbSpace = 0x52474220;   // 'RGB ' (cmsSigRgbData)
constexpr uint32_t kCmykSpace = 0x434D594B;  // 'CMYK' (cmsSigCmykData)
static_assert(kGraySpace == uint32_t(cmsSigGrayData) && kRgbSpace == uint32_t(cmsSigRgbData) &&
              kCmykSpace == uint32_t(cmsSigCmykData));

cmsUInt32Number LcmsFormat(const cv::Mat& pixels) {
  const bool wide = pixels.depth() == CV_16U;
  switch (pixels.channels()) {
    case 1:
      return wide ? TYPE_GRAY_16 : TYPE_GRAY_8;
    case 4:
      return wide ? TYPE_BGRA_16 : TYPE_BGRA_8;
    default:
      return wide ? TYPE_BGR_16 : TYPE_BGR_8;
  }
}

}  // namespace

bool IsSrgb(const ImageInfo& info) {
  return info.cmyk || !info.has_icc || absl::StrContains(absl::AsciiStrToLower(info.icc_description), "srgb");
}

std::string ColorSpaceName(const ImageInfo& info) {
  if (info.cmyk)
    return info.has_icc && !info.icc_description.empty() ? "CMYK ink (" + info.icc_description + ")"
                                                          : "CMYK ink (no profile)";
  if (!info.has_icc) return "sRGB (no profile)";
  return info.icc_description.empty() ? "an unnamed ICC profile" : info.icc_description;
}

cv::Mat PixelsInSrgb(const cv::Mat& pixels, const ImageInfo& info, bool* converted) {
  if (converted != nullptr) *converted = false;
  if (IsSrgb(info) || info.icc_profile.empty()) return pixels;
  absl::StatusOr<cv::Mat> srgb = ConvertToSrgb(pixels, info.icc_profile);
  if (!srgb.ok()) return pixels;
  if (converted != nullptr) *converted = true;
  return *std::move(srgb);
}

absl::StatusOr<cv::Mat> ConvertToSrgb(const cv::Mat& pixels, const std::vector<uint8_t>& icc) {
  if (pixels.depth() != CV_8U && pixels.depth() != CV_16U)
    return absl::InvalidArgumentError("only 8- and 16-bit pixels are converted to sRGB");
  Profile source(cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())));
  if (!source) return absl::InvalidArgumentError("the image's ICC profile cannot be read");
  const uint32_t space = DeclaredSpace(icc);
  const bool gray = pixels.channels() == 1;
  if ((gray && space != kGraySpace) || (!gray && space != kRgbSpace))
    return absl::InvalidArgumentError("the image's ICC profile does not describe its channels (RGB or gray)");
  Profile srgb(gray ? nullptr : cmsCreate_sRGBProfile());
  if (gray) {
    // sRGB's tone curve for gray.
    cmsToneCurve* curve = cmsBuildParametricToneCurve(nullptr, 4, std::array<double, 5>{2.4, 1 / 1.055, 0.055 / 1.055,
                                                                                         1 / 12.92, 0.04045}.data());
    srgb.reset(cmsCreateGrayProfile(cmsD50_xyY(), curve));
    cmsFreeToneCurve(curve);
  }
  const cmsUInt32Number format = LcmsFormat(pixels);
  std::unique_ptr<void, TransformDeleter> transform(cmsCreateTransform(
      source.get(), format, srgb.get(), format, INTENT_PERCEPTUAL,
      pixels.channels() == 4 ? cmsFLAGS_COPY_ALPHA : 0));
  if (!transform) return absl::InvalidArgumentError("no transform from the image's ICC profile to sRGB");
  cv::Mat out(pixels.size(), pixels.type());
  for (int y = 0; y < pixels.rows; ++y)
    cmsDoTransform(transform.get(), pixels.ptr(y), out.ptr(y), cmsUInt32Number(pixels.cols));
  return out;
}

absl::StatusOr<cv::Mat> CmykToSrgb(const cv::Mat& cmyk, const std::vector<uint8_t>& icc, bool inverted) {
  if (cmyk.type() != CV_8UC4) return absl::InvalidArgumentError("CMYK ink must be 8-bit, 4 channels");
  Profile source(cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())));
  if (!source) return absl::InvalidArgumentError("the image's ICC profile cannot be read");
  if (DeclaredSpace(icc) != kCmykSpace)
    return absl::InvalidArgumentError("the image's ICC profile is not a CMYK profile");
  Profile srgb(cmsCreate_sRGBProfile());
  std::unique_ptr<void, TransformDeleter> transform(cmsCreateTransform(
      source.get(), inverted ? TYPE_CMYK_8_REV : TYPE_CMYK_8, srgb.get(), TYPE_BGR_8, INTENT_PERCEPTUAL, 0));
  if (!transform) return absl::InvalidArgumentError("no transform from the image's CMYK profile to sRGB");
  cv::Mat out(cmyk.size(), CV_8UC3);
  for (int y = 0; y < cmyk.rows; ++y)
    cmsDoTransform(transform.get(), cmyk.ptr(y), out.ptr(y), cmsUInt32Number(cmyk.cols));
  return out;
}

std::vector<uint8_t> ProfileOfPixels(const ImageInfo& info) {
  if (!info.cmyk) return info.icc_profile;
  return info.has_icc ? SrgbIccProfile() : std::vector<uint8_t>{};
}

namespace {

std::vector<uint8_t> Serialised(cmsHPROFILE profile) {
  cmsUInt32Number size = 0;
  if (profile == nullptr || !cmsSaveProfileToMem(profile, nullptr, &size)) return {};
  std::vector<uint8_t> bytes(size);
  cmsSaveProfileToMem(profile, bytes.data(), &size);
  bytes.resize(size);
  return bytes;
}

}  // namespace

std::vector<uint8_t> SrgbIccProfile() {
  Profile srgb(cmsCreate_sRGBProfile());
  return Serialised(srgb.get());
}

std::vector<uint8_t> ProfileForSamples(const std::vector<uint8_t>& icc, bool colour) {
  if (icc.empty()) return icc;
  Profile source(cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())));
  if (!source) return icc;
  const uint32_t space = DeclaredSpace(icc);
  if (!colour) return space == kRgbSpace ? std::vector<uint8_t>{} : icc;
  if (space != kGraySpace) return icc;
  const auto* trc = static_cast<const cmsToneCurve*>(cmsReadTag(source.get(), cmsSigGrayTRCTag));
  if (trc == nullptr) return {};
  cmsCIExyY d65;
  cmsWhitePointFromTemp(&d65, 6504);
  const cmsCIExyYTRIPLE srgb_primaries = {{0.6400, 0.3300, 1.0}, {0.3000, 0.6000, 1.0}, {0.1500, 0.0600, 1.0}};
  cmsToneCurve* curves[3] = {const_cast<cmsToneCurve*>(trc), const_cast<cmsToneCurve*>(trc),
                             const_cast<cmsToneCurve*>(trc)};
  Profile rgb(cmsCreateRGBProfile(&d65, &srgb_primaries, curves));
  if (!rgb) return {};
  char name[256] = "";
  cmsGetProfileInfoASCII(source.get(), cmsInfoDescription, "en", "US", name, sizeof name);
  const std::string description = std::string(*name != '\0' ? name : "gray") + " (as RGB)";
  cmsMLU* mlu = cmsMLUalloc(nullptr, 1);
  cmsMLUsetASCII(mlu, "en", "US", description.c_str());
  cmsWriteTag(rgb.get(), cmsSigProfileDescriptionTag, mlu);
  cmsMLUfree(mlu);
  std::vector<uint8_t> bytes = Serialised(rgb.get());
  // lcms stamps a new profile with the time it was made (header bytes
  // 24–35): the gray profile's own date instead, so that the same picture
  // always gets the same bytes (the icc fuzzer compared two made a second
  // apart).
  if (bytes.size() >= 36 && icc.size() >= 36) std::copy(icc.begin() + 24, icc.begin() + 36, bytes.begin() + 24);
  return bytes;
}

}  // namespace acuity
