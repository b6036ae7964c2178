#include "analysis/measurements/target_fit.h"

#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <opencv2/core.hpp>

namespace acuity {
namespace {

constexpr double kScaleTolerance = 1e-9;

TargetFit Fit(const char* spec, int w, int h, const char* fit = nullptr) {
  auto parsed = ParseTargetSpec(spec);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (fit) {
    auto choice = ParseFit(fit);
    EXPECT_TRUE(choice.ok()) << choice.status();
    parsed->fit = *choice;
  }
  return FitTarget(*parsed, w, h);
}

bool HasWarning(const TargetFit& fit, const std::string& code) {
  for (const Warning& w : fit.warnings)
    if (w.code == code) return true;
  return false;
}

TEST(FitTargetTest, LandscapePhotoOn8x10Print) {
  TargetFit fit = Fit("8x10in@300dpi", 3000, 2000);
  EXPECT_EQ(fit.width_px, 3000);
  EXPECT_EQ(fit.height_px, 2400);
  EXPECT_TRUE(fit.rotated);
  EXPECT_NEAR(fit.required_scale, 1.2, kScaleTolerance);
  ASSERT_TRUE(fit.effective_dpi.has_value());
  EXPECT_NEAR(*fit.effective_dpi, 250.0, 1e-9);
  EXPECT_FALSE(fit.fits);
  EXPECT_DOUBLE_EQ(fit.print_width_in, 10);
  EXPECT_DOUBLE_EQ(fit.print_height_in, 8);
  EXPECT_TRUE(fit.warnings.empty());
}

TEST(FitTargetTest, PortraitPhotoKeepsPortraitPrint) {
  TargetFit fit = Fit("8x10in@300dpi", 2000, 3000);
  EXPECT_EQ(fit.width_px, 2400);
  EXPECT_EQ(fit.height_px, 3000);
  EXPECT_FALSE(fit.rotated);
  EXPECT_NEAR(fit.required_scale, 1.2, kScaleTolerance);
}

TEST(FitTargetTest, ScreenTurnsForPortraitPhoto) {
  TargetFit fit = Fit("3840x2160", 1000, 2000);
  EXPECT_EQ(fit.width_px, 2160);
  EXPECT_EQ(fit.height_px, 3840);
  EXPECT_NEAR(fit.required_scale, 2.16, kScaleTolerance);
  EXPECT_FALSE(fit.effective_dpi.has_value());
}

TEST(FitTargetTest, SquareImageKeepsTargetAsWritten) {
  TargetFit fit = Fit("8x10in", 1000, 1000);
  EXPECT_EQ(fit.width_px, 2400);
  EXPECT_EQ(fit.height_px, 3000);
  EXPECT_NEAR(fit.required_scale, 3.0, kScaleTolerance);
}

TEST(FitTargetTest, FitsWhenLargeEnough) {
  TargetFit fit = Fit("1080p", 4000, 3000);
  EXPECT_TRUE(fit.fits);
  EXPECT_NEAR(fit.required_scale, 0.48, kScaleTolerance);
  TargetFit exact = Fit("8x10in@300dpi", 3000, 2400);
  EXPECT_TRUE(exact.fits);
  EXPECT_NEAR(*exact.effective_dpi, 300, 1e-9);
}

TEST(FitTargetTest, CentimetresAndA4RoundToWholePixels) {
  TargetFit cm = Fit("20x30cm@300dpi", 2000, 3000);
  EXPECT_EQ(cm.width_px, 2362);  // 20 cm = 7.874 in × 300
  EXPECT_EQ(cm.height_px, 3543);
  TargetFit a4 = Fit("A4@300dpi", 1240, 1754);
  EXPECT_EQ(a4.width_px, 2480);
  EXPECT_EQ(a4.height_px, 3508);
  EXPECT_NEAR(a4.required_scale, 2.0, 0.001);
  EXPECT_NEAR(*a4.effective_dpi, 150, 0.1);
}

TEST(FitTargetTest, LongEdgeFollowsImageAspect) {
  TargetFit fit = Fit("2000px", 1000, 750);
  EXPECT_EQ(fit.width_px, 2000);
  EXPECT_EQ(fit.height_px, 1500);
  EXPECT_NEAR(fit.required_scale, 2.0, kScaleTolerance);
  TargetFit portrait = Fit("2000px", 750, 1000);
  EXPECT_EQ(portrait.width_px, 1500);
  EXPECT_EQ(portrait.height_px, 2000);
}

TEST(FitTargetTest, WarnsAboveFourAndEightTimes) {
  TargetFit five = Fit("4k", 768, 432);
  ASSERT_EQ(five.warnings.size(), 1u);
  EXPECT_EQ(five.warnings[0].code, "scale_above_4x");
  TargetFit ten = Fit("3840x2160", 384, 216);
  ASSERT_EQ(ten.warnings.size(), 1u);
  EXPECT_EQ(ten.warnings[0].code, "scale_above_8x");
  EXPECT_TRUE(Fit("4k", 1920, 1080).warnings.empty());
}

TEST(FitTargetTest, EstimatesFileSizeFromTargetPixels) {
  TargetFit fit = Fit("4k", 1920, 1080);
  EXPECT_EQ(fit.estimated_jpeg_bytes, uint64_t(3840 * 2160 * kJpegQ80BytesPerPixel));
  EXPECT_GT(fit.estimated_png_bytes, fit.estimated_jpeg_bytes);
}

// Issue #25: a 300×200 product shot for a 2000×2000 shop canvas fits
// inside it at 6.67× (not 10× to cover it, which warned scale_above_8x) and
// is padded on white to exactly 2000×2000.
TEST(FitTargetTest, ProductShotOnSquareCanvasIsPaddedOnWhite) {
  TargetFit fit = Fit("2000x2000", 300, 200);
  EXPECT_EQ(fit.fit, FitMode::kPad);
  EXPECT_FALSE(fit.fit_asked);
  EXPECT_EQ(fit.pad_color, (Rgb8{255, 255, 255}));
  EXPECT_NEAR(fit.required_scale, 2000.0 / 300, 1e-9);
  EXPECT_FALSE(fit.cropped());
  EXPECT_EQ(fit.scaled_width_px, 2000);
  EXPECT_EQ(fit.scaled_height_px, 1333);
  EXPECT_EQ(fit.output_width_px, 2000);
  EXPECT_EQ(fit.output_height_px, 2000);
  EXPECT_TRUE(fit.padded());
  EXPECT_FALSE(HasWarning(fit, "scale_above_8x"));
  EXPECT_TRUE(HasWarning(fit, "scale_above_4x"));
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("2000×1333 px on a 2000×2000 px #ffffff canvas"));
}

// Issue #25: 4K of a 3:2 photo is 3840×2160, cropped (screens are filled),
// the factor computed for the 16:9 window kept.
TEST(FitTargetTest, ScreenTargetCropsAPhotoToItsAspect) {
  TargetFit fit = Fit("4k", 1500, 1000);
  EXPECT_EQ(fit.fit, FitMode::kCrop);
  EXPECT_EQ(fit.kept_width_px, 1500);
  EXPECT_EQ(fit.kept_height_px, 844);  // 1500 × 9/16 = 843.75
  EXPECT_EQ(fit.kept_x_px, 0);
  EXPECT_EQ(fit.kept_y_px, 78);  // centred
  EXPECT_EQ(fit.output_width_px, 3840);
  EXPECT_EQ(fit.output_height_px, 2160);
  EXPECT_NEAR(fit.required_scale, 2.56, 1e-9);
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("cutting 16 % of the height"));
}

// Issue #25: an 8×10 in print of a 3:2 photo is 10×8 in (3000×2400 px at
// 300 dpi), and the plan says what the print lab's crop cuts.
TEST(FitTargetTest, PrintCropIsStated) {
  TargetFit fit = Fit("8x10in@300dpi", 1500, 1000);
  EXPECT_EQ(fit.fit, FitMode::kCrop);
  EXPECT_EQ(fit.output_width_px, 3000);
  EXPECT_EQ(fit.output_height_px, 2400);
  EXPECT_EQ(fit.kept_width_px, 1250);
  EXPECT_EQ(fit.kept_height_px, 1000);
  EXPECT_NEAR(fit.required_scale, 2.4, 1e-9);
  EXPECT_NEAR(*fit.effective_dpi, 125, 1e-9);  // 1250 px over 10 in
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("cutting 17 % of the width"));
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("print lab"));
}

// Issue #25: 451×300 from 226×150 is no crop (the cut would be half a
// pixel) and exactly 451×300, from a 2× upscale of the whole image.
TEST(FitTargetTest, OddSizeIsExact) {
  TargetFit fit = Fit("451x300", 226, 150);
  EXPECT_FALSE(fit.cropped());
  EXPECT_FALSE(fit.padded());
  EXPECT_EQ(fit.scaled_width_px, 451);
  EXPECT_EQ(fit.scaled_height_px, 300);
  EXPECT_NEAR(fit.required_scale, 2.0, 1e-9);
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("nothing to crop or pad"));
}

TEST(FitTargetTest, FitAsAskedOverridesTheDefault) {
  TargetFit contain = Fit("2000x2000", 300, 200, "contain");
  EXPECT_EQ(contain.fit, FitMode::kContain);
  EXPECT_TRUE(contain.fit_asked);
  EXPECT_EQ(contain.output_width_px, 2000);
  EXPECT_EQ(contain.output_height_px, 1333);
  EXPECT_EQ(contain.width_px, 2000);  // the target as written
  EXPECT_EQ(contain.height_px, 2000);
  TargetFit crop = Fit("2000x2000", 300, 200, "crop");
  EXPECT_EQ(crop.kept_width_px, 200);
  EXPECT_EQ(crop.kept_height_px, 200);
  EXPECT_EQ(crop.kept_x_px, 50);
  EXPECT_NEAR(crop.required_scale, 10.0, 1e-9);
  TargetFit pad = Fit("4k", 1500, 1000, "pad:#102030");
  EXPECT_EQ(pad.pad_color, (Rgb8{0x10, 0x20, 0x30}));
  EXPECT_EQ(pad.scaled_width_px, 3240);
  EXPECT_EQ(pad.scaled_height_px, 2160);
  EXPECT_NEAR(pad.required_scale, 2.16, 1e-9);
}

// Single-dimension targets keep the aspect and hit that dimension exactly.
TEST(FitTargetTest, LongEdgeIsExactAndNeedsNoFit) {
  TargetFit fit = Fit("2000px", 1500, 1001);
  EXPECT_EQ(fit.fit, FitMode::kNone);
  EXPECT_EQ(fit.output_width_px, 2000);
  EXPECT_EQ(fit.output_height_px, 1335);  // 2000 × 1001/1500 = 1334.7
  EXPECT_FALSE(fit.cropped());
  EXPECT_FALSE(fit.padded());
}

TEST(FitTargetTest, DefaultFitPerKind) {
  EXPECT_EQ(DefaultFit(*ParseTargetSpec("8x10in")).mode, FitMode::kCrop);
  EXPECT_EQ(DefaultFit(*ParseTargetSpec("1080p")).mode, FitMode::kCrop);
  EXPECT_EQ(DefaultFit(*ParseTargetSpec("2000x2000")).mode, FitMode::kPad);
  EXPECT_EQ(DefaultFit(*ParseTargetSpec("2000px")).mode, FitMode::kNone);
}

// A panorama to a print: the default crop kept a quarter of it, unsaid,
// and the upscale the quarter needed made the verdict "poor". Now a crop
// that cuts more than 35 % warns, with what --fit contain needs; a square
// crop of a 3:2 photo (33 %) and a crop asked for do not.
TEST(FitTargetTest, ACropThatCutsMostOfThePictureWarns) {
  auto warned = [](const TargetFit& fit) {
    for (const Warning& w : fit.warnings)
      if (w.code == "crop_cuts_much") return w.message;
    return std::string();
  };
  const TargetFit pano = Fit("8x10in@300dpi", 2506, 500);
  EXPECT_THAT(warned(pano), ::testing::HasSubstr("cuts 75 %"));
  EXPECT_THAT(warned(pano), ::testing::HasSubstr("--fit contain keeps all of it at 3000×599 px, a 1.20× upscale"));
  EXPECT_THAT(pano.fit_reason, ::testing::Not(::testing::HasSubstr("print lab")));
  EXPECT_EQ(warned(Fit("2000x2000", 600, 400)), "");
  EXPECT_EQ(warned(Fit("8x10in@300dpi", 2506, 500, "crop")), "");
  EXPECT_THAT(Fit("8x10in@300dpi", 600, 400).fit_reason, ::testing::HasSubstr("print lab"));
}

TEST(ParseFitTest, FormsAndErrors) {
  EXPECT_EQ(ParseFit("crop")->mode, FitMode::kCrop);
  EXPECT_EQ(ParseFit("Contain")->mode, FitMode::kContain);
  EXPECT_EQ(ParseFit("pad")->pad_color, (Rgb8{255, 255, 255}));
  EXPECT_EQ(ParseFit("pad:black")->pad_color, (Rgb8{0, 0, 0}));
  EXPECT_EQ(ParseFit("pad:FFEEDD")->pad_color, (Rgb8{0xff, 0xee, 0xdd}));
  for (const char* bad : {"", "fill", "pad:", "pad:#12345", "pad:purple", "crop:white"}) {
    absl::StatusOr<FitChoice> f = ParseFit(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(f.status())) << bad;
    EXPECT_THAT(f.status().message(), ::testing::HasSubstr("contain, crop, pad")) << bad;
  }
  EXPECT_EQ(ColorHex(Rgb8{1, 2, 255}), "#0102ff");
}

// Detail on the left third of a flat image: a crop to a square keeps it.
// Even texture everywhere: the crop is centred.
TEST(DetailWindowTest, FollowsTheDetailElseCentres) {
  cv::Mat image(100, 300, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat texture(100, 80, CV_8UC3);
  cv::RNG(1).fill(texture, cv::RNG::UNIFORM, 0, 256);
  texture.copyTo(image(cv::Rect(10, 0, 80, 100)));
  EXPECT_EQ(DetailWindow(image, cv::Size(100, 100)), cv::Point(0, 0));
  EXPECT_EQ(DetailWindow(image.t(), cv::Size(100, 100)), cv::Point(0, 0));  // sliding down
  texture.copyTo(image(cv::Rect(210, 0, 80, 100)));
  cv::Mat right = image.clone();
  right(cv::Rect(10, 0, 80, 100)).setTo(cv::Scalar(128, 128, 128));
  const cv::Point at = DetailWindow(right, cv::Size(100, 100));  // holds all of x 210–290
  EXPECT_GE(at.x, 190);
  EXPECT_LE(at.x, 200);
  EXPECT_EQ(at.y, 0);
  cv::Mat even(100, 300, CV_8UC1);
  cv::RNG(2).fill(even, cv::RNG::UNIFORM, 0, 256);
  EXPECT_EQ(DetailWindow(even, cv::Size(100, 100)), cv::Point(100, 0));
}

// A cut-out: the product on the right, transparent elsewhere. What is
// stored under the transparency is seen nowhere and places no window — the
// photo's leftovers under a layer mask drew the crop to the left, keeping
// 42 % of a shop's product (a walk). Whatever is stored there, the window
// holds the product.
TEST(DetailWindowTest, WhatTransparencyHidesPlacesNoWindow) {
  cv::Mat texture(100, 80, CV_8UC4);
  cv::RNG(1).fill(texture, cv::RNG::UNIFORM, 0, 256);
  std::vector<cv::Point> windows;
  for (int hidden = 0; hidden < 3; ++hidden) {
    cv::Mat image(100, 300, CV_8UC4, cv::Scalar(0, 0, 0, 0));  // black, transparent
    if (hidden == 1) cv::RNG(3).fill(image, cv::RNG::UNIFORM, 0, 256);  // the photo's leftovers
    if (hidden == 2) image.setTo(cv::Scalar(255, 255, 255, 0));
    cv::Mat alpha(image.size(), CV_8UC1, cv::Scalar(0));
    texture.copyTo(image(cv::Rect(210, 0, 80, 100)));
    alpha(cv::Rect(210, 0, 80, 100)).setTo(255);
    cv::insertChannel(alpha, image, 3);
    const cv::Point at = DetailWindow(image, cv::Size(100, 100));
    EXPECT_GE(at.x, 190) << "hidden " << hidden;
    EXPECT_LE(at.x, 210) << "hidden " << hidden;
    windows.push_back(at);
  }
  EXPECT_EQ(windows[0], windows[1]);
  EXPECT_EQ(windows[0], windows[2]);
}

TEST(DetailWindowTest, PlaceCropOnDetailMovesTheKeptWindow) {
  cv::Mat image(100, 300, CV_8UC3, cv::Scalar(128, 128, 128));
  cv::Mat texture(100, 80, CV_8UC3);
  cv::RNG(1).fill(texture, cv::RNG::UNIFORM, 0, 256);
  texture.copyTo(image(cv::Rect(10, 0, 80, 100)));
  TargetFit fit = Fit("2000x2000", 300, 100, "crop");
  EXPECT_EQ(fit.kept_x_px, 100);
  PlaceCropOnDetail(image, fit);
  EXPECT_TRUE(fit.kept_on_detail);
  EXPECT_EQ(fit.kept_x_px, 0);
  EXPECT_THAT(fit.fit_reason, ::testing::HasSubstr("where the detail is"));
  // Even texture: centred, and not said to be on the detail (JSON
  // target.kept.on_detail read true for every crop).
  cv::Mat even(100, 300, CV_8UC3);
  cv::RNG(2).fill(even, cv::RNG::UNIFORM, 0, 256);
  TargetFit centred = Fit("2000x2000", 300, 100, "crop");
  PlaceCropOnDetail(even, centred);
  EXPECT_EQ(centred.kept_x_px, 100);
  EXPECT_FALSE(centred.kept_on_detail);
  EXPECT_THAT(centred.fit_reason, ::testing::HasSubstr("centred"));
}

// The figures: a 1800×1440 photo fits an 8×10 in print seen from
// 60 cm (146 ppi: 1164×1455 px, so it is big enough as it is), and needs
// 1.67× for 300 dpi. A poster seen from 3 m is not upscaled to 300 dpi, and
// no low_print_dpi warning says otherwise.
TEST(FitTargetTest, ViewingDistanceNeedsOnlyWhatTheEyeResolves) {
  auto near = ParseTargetSpec("8x10in@60cm");
  ASSERT_TRUE(near.ok()) << near.status();
  const TargetFit at_60cm = FitTarget(*near, 1800, 1440);
  EXPECT_TRUE(at_60cm.fits);
  EXPECT_EQ(at_60cm.width_px, int(std::round(10 * RequiredPpi(60))));
  EXPECT_EQ(at_60cm.height_px, int(std::round(8 * RequiredPpi(60))));
  EXPECT_LE(at_60cm.required_scale, 1.0);

  auto dpi = ParseTargetSpec("8x10in@300dpi");
  ASSERT_TRUE(dpi.ok());
  const TargetFit at_300 = FitTarget(*dpi, 1800, 1440);
  EXPECT_FALSE(at_300.fits);
  EXPECT_NEAR(at_300.required_scale, 3000.0 / 1800, 0.005);

  auto poster = ParseTargetSpec("24x36in@3m");
  ASSERT_TRUE(poster.ok());
  const TargetFit far = FitTarget(*poster, 1800, 1200);
  EXPECT_TRUE(far.fits) << far.required_scale;  // 36 in × 29 ppi ≈ 1048 px
  EXPECT_LT(*far.effective_dpi, 150);
  for (const Warning& w : far.warnings) EXPECT_NE(w.code, "low_print_dpi");
}

// A walk (#24): an 800×640 photo (exactly 10:8) for an 8×10 in print seen
// from 3 m was cropped to 799×640: the crop took the aspect of the print's
// size in whole pixels (291×233, 1.249:1), not the paper's. A picture of the
// paper's aspect is never cropped, at any resolution or distance; another
// aspect is cut to the paper's.
TEST(FitTargetTest, APictureOfThePapersAspectIsNotCropped) {
  for (const char* target : {"8x10in@3m", "8x10in@2m", "8x10in@1m", "8x10in@300dpi", "8x10in@72dpi", "8x10in@37dpi"}) {
    const TargetSpec spec = *ParseTargetSpec(target);
    for (const cv::Size size : {cv::Size(800, 640), cv::Size(1000, 800), cv::Size(1250, 1000), cv::Size(640, 800)}) {
      const TargetFit fit = FitTarget(spec, size.width, size.height);
      EXPECT_FALSE(fit.cropped()) << target << " " << size << ": kept " << fit.kept_width_px << "×"
                                  << fit.kept_height_px;
    }
    const TargetFit wide = FitTarget(spec, 900, 600);
    EXPECT_EQ(wide.kept_width_px, 750) << target;
    EXPECT_EQ(wide.kept_height_px, 600) << target;
  }
}

// A walk (#24): low_print_dpi was left out above a 4× upscale, so a photo
// printing at 50 dpi never heard its dpi, where one at 100 dpi did. It is
// said beside scale_above_4x / 8x.
TEST(FitTargetTest, TheLowestDpiIsSaidToo) {
  for (const auto& [width, dpi] : {std::pair{1000, 100}, {500, 50}, {250, 25}}) {
    const TargetFit fit = FitTarget(*ParseTargetSpec("8x10in@300dpi"), width, width * 4 / 5);
    EXPECT_NEAR(*fit.effective_dpi, dpi, 0.5);
    EXPECT_TRUE(std::any_of(fit.warnings.begin(), fit.warnings.end(),
                            [](const Warning& w) { return w.code == "low_print_dpi"; }))
        << dpi << " dpi";
  }
}

}  // namespace
}  // namespace acuity

namespace acuity {
namespace {

// Walk 42: a meme (a photo between two white caption bands, 512×652) for an
// Instagram square: the centred crop keeps the photo and cuts both
// captions, unsaid. The text lines and faces found outside the kept window
// are said, with what --fit pad keeps; what the window keeps is not.
TEST(CropCutsFoundContentTest, ACaptionOrAFaceTheCropCutsIsSaid) {
  const TargetFit fit = FitTarget(*ParseTargetSpec("instagram"), 512, 652);
  ASSERT_TRUE(fit.cropped());
  ASSERT_EQ(fit.kept_y_px, 70);
  TextResult captions;
  captions.lines = std::vector<TextLine>{{60, 15, 390, 40, 16, 90, "me explaining my hobby"},
                                         {200, 597, 110, 40, 16, 90, "nobody:"}};
  const std::optional<Warning> w = CropCutsFoundContent(fit, FacesResult{}, captions);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->code, "crop_cuts_content");
  EXPECT_TRUE(IsWarningCode(w->code));
  EXPECT_NE(w->message.find("2 of the 2 text lines"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("me explaining my hobby"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("--fit pad"), std::string::npos) << w->message;

  // A line inside the window, or one a few px over its edge, is kept.
  TextResult inside;
  inside.lines = std::vector<TextLine>{{60, 300, 390, 40, 16, 90, "on the photo"}, {60, 66, 390, 40, 16, 90, "edge"}};
  EXPECT_FALSE(CropCutsFoundContent(fit, FacesResult{}, inside).has_value());
  // Not searched, or nothing found: nothing to say.
  EXPECT_FALSE(CropCutsFoundContent(fit, FacesResult{}, TextResult{}).has_value());

  // A face half out of the top of the window.
  FacesResult faces;
  faces.faces = std::vector<Face>{{200, 40, 60, 60, 5, false}, {100, 300, 60, 60, 5, false}};
  const std::optional<Warning> face = CropCutsFoundContent(fit, faces, inside);
  ASSERT_TRUE(face.has_value());
  EXPECT_NE(face->message.find("1 of the 2 faces"), std::string::npos) << face->message;

  // No crop, nothing cut.
  TargetSpec padded = *ParseTargetSpec("instagram");
  padded.fit = FitChoice{FitMode::kPad, {}};
  EXPECT_FALSE(CropCutsFoundContent(FitTarget(padded, 512, 652), faces, captions).has_value());
}

}  // namespace
}  // namespace acuity
