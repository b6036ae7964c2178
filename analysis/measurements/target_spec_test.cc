#include "analysis/measurements/target_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace acuity {
namespace {

using ::testing::HasSubstr;
using Kind = TargetSpec::Kind;

constexpr double kInchTolerance = 1e-9;

TEST(ParseTargetSpecTest, PrintInInchesWithDpi) {
  auto t = ParseTargetSpec("8x10in@300dpi");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->kind, Kind::kPrint);
  EXPECT_DOUBLE_EQ(t->width_in, 8);
  EXPECT_DOUBLE_EQ(t->height_in, 10);
  EXPECT_DOUBLE_EQ(t->dpi, 300);
  EXPECT_FALSE(t->dpi_implied);
}

TEST(ParseTargetSpecTest, DpiDefaultsTo300) {
  auto t = ParseTargetSpec("8x10in");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_DOUBLE_EQ(t->dpi, 300);
  EXPECT_TRUE(t->dpi_implied);
  EXPECT_THAT(t->description, HasSubstr("implied"));
}

TEST(ParseTargetSpecTest, SpellingVariants) {
  for (const char* text : {"8X10IN@300DPI", "8×10in@300", "8*10in @ 300ppi", " 8x10\"@300dpi ",
                           "8x10inch@300dpi"}) {
    auto t = ParseTargetSpec(text);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(t->kind, Kind::kPrint) << text;
    EXPECT_DOUBLE_EQ(t->width_in, 8) << text;
    EXPECT_DOUBLE_EQ(t->height_in, 10) << text;
    EXPECT_DOUBLE_EQ(t->dpi, 300) << text;
  }
}

TEST(ParseTargetSpecTest, FractionalInches) {
  auto t = ParseTargetSpec("8.5x11in@150dpi");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_DOUBLE_EQ(t->width_in, 8.5);
  EXPECT_DOUBLE_EQ(t->dpi, 150);
}

TEST(ParseTargetSpecTest, CentimetresAndMillimetres) {
  auto cm = ParseTargetSpec("20x30cm@300dpi");
  ASSERT_TRUE(cm.ok()) << cm.status();
  EXPECT_NEAR(cm->width_in, 20 / 2.54, kInchTolerance);
  EXPECT_NEAR(cm->height_in, 30 / 2.54, kInchTolerance);
  auto mm = ParseTargetSpec("210x297mm");
  ASSERT_TRUE(mm.ok()) << mm.status();
  EXPECT_NEAR(mm->width_in, 210 / 25.4, kInchTolerance);
  EXPECT_DOUBLE_EQ(mm->dpi, 300);
}

TEST(ParseTargetSpecTest, PaperSizes) {
  struct Paper {
    const char* name;
    double w_mm, h_mm;
  };
  for (const Paper& p : {Paper{"A0", 841, 1189}, Paper{"A1", 594, 841}, Paper{"A2", 420, 594},
                         Paper{"A3", 297, 420}, Paper{"A4", 210, 297}, Paper{"A5", 148, 210},
                         Paper{"letter", 215.9, 279.4}}) {
    auto t = ParseTargetSpec(std::string(p.name) + "@300dpi");
    ASSERT_TRUE(t.ok()) << p.name << ": " << t.status();
    EXPECT_EQ(t->kind, Kind::kPrint);
    EXPECT_NEAR(t->width_in * 25.4, p.w_mm, 1e-6) << p.name;
    EXPECT_NEAR(t->height_in * 25.4, p.h_mm, 1e-6) << p.name;
  }
  auto a4 = ParseTargetSpec("a4");
  ASSERT_TRUE(a4.ok());
  EXPECT_TRUE(a4->dpi_implied);
}

TEST(ParseTargetSpecTest, PixelsAndScreens) {
  auto px = ParseTargetSpec("3840x2160");
  ASSERT_TRUE(px.ok()) << px.status();
  EXPECT_EQ(px->kind, Kind::kPixels);
  EXPECT_EQ(px->width_px, 3840);
  EXPECT_EQ(px->height_px, 2160);
  EXPECT_TRUE(ParseTargetSpec("1200x800px").ok());
  struct Screen {
    const char* name;
    int w, h;
  };
  for (const Screen& s : {Screen{"4k", 3840, 2160}, Screen{"4K", 3840, 2160}, Screen{"1080p", 1920, 1080},
                          Screen{"1440p", 2560, 1440}, Screen{"8k", 7680, 4320}, Screen{"720p", 1280, 720},
                          Screen{"uhd", 3840, 2160}}) {
    auto t = ParseTargetSpec(s.name);
    ASSERT_TRUE(t.ok()) << s.name << ": " << t.status();
    EXPECT_EQ(t->kind, Kind::kPixels);
    EXPECT_EQ(t->width_px, s.w) << s.name;
    EXPECT_EQ(t->height_px, s.h) << s.name;
  }
}

TEST(ParseTargetSpecTest, LongEdge) {
  auto t = ParseTargetSpec("2000px");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->kind, Kind::kLongEdge);
  EXPECT_EQ(t->long_edge_px, 2000);
}

TEST(ParseTargetSpecTest, HelpfulErrors) {
  struct Bad {
    const char* text;
    const char* hint;
  };
  for (const Bad& b : {Bad{"", "empty"},
                       Bad{"8x10", "did you mean 8x10in"},
                       Bad{"2000", "did you mean 2000px"},
                       Bad{"8x10in@", "DPI after '@'"},
                       Bad{"8x10in@-3dpi", "DPI after '@'"},
                       Bad{"8x10in@3dpi", "not plausible"},
                       Bad{"4k@300dpi", "screen size takes no DPI"},
                       Bad{"1920x1080@300dpi", "pixel size takes no DPI"},
                       Bad{"0x10in", "positive"},
                       Bad{"8xin", "positive"},
                       Bad{"10in", "needs width and height"},
                       Bad{"1920.5x1080", "whole numbers"},
                       Bad{"2x", "enlargement factor"},
                       Bad{"x3", "enlargement factor"},
                       Bad{"2.5x", "enlargement factor"},
                       Bad{"1920x", "whole numbers"},
                       Bad{"A9", "not understood"},
                       Bad{"29x.03003002027mm", "smaller than one pixel at 300 dpi"},  // fuzz finding
                       Bad{"1x0.001in@100dpi", "smaller than one pixel at 100 dpi"},
                       Bad{"banana", "not understood"},
                       Bad{"1920x1080@60cm", "viewing distance needs a print size"},
                       Bad{"@2m", "viewing distance needs a print size"},
                       Bad{"4k@2m", "screen size takes no DPI or viewing distance"},
                       Bad{"8x10in@1cm", "viewing distance of 1 cm is not plausible"},
                       Bad{"8x10in@200m", "not plausible"},
                       Bad{"8x10in@-2m", "viewing distance after '@'"},
                       Bad{"8x10in@cm", "viewing distance after '@'"}}) {
    auto t = ParseTargetSpec(b.text);
    ASSERT_FALSE(t.ok()) << "accepted \"" << b.text << "\"";
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(t.status().message(), HasSubstr(b.hint)) << b.text;
    EXPECT_THAT(t.status().message(), HasSubstr("accepted forms")) << b.text;
  }
}

// The eye resolves 1 arcminute: ppi ≈ 3438 / inches (the issue's figures:
// 291 ppi at 30 cm, 146 at 60 cm, 29 at 3 m), and twice the distance halves it.
TEST(RequiredPpiTest, OneArcminutePerPixel) {
  EXPECT_NEAR(RequiredPpi(2.54), 3437.75, 0.01);
  EXPECT_NEAR(RequiredPpi(30), 291.0, 0.5);
  EXPECT_NEAR(RequiredPpi(60), 145.5, 0.5);
  EXPECT_NEAR(RequiredPpi(300), 29.1, 0.1);
  EXPECT_NEAR(RequiredPpi(120) * 2, RequiredPpi(60), 1e-9);
  // A sharper eye (0.5′) needs twice the pixels.
  EXPECT_NEAR(RequiredPpi(60, 0.5), 2 * RequiredPpi(60), 0.01);
}

TEST(ParseTargetSpecTest, ViewingDistances) {
  struct Case {
    const char* text;
    double distance_cm, width_in;
  };
  for (const Case& c : {Case{"8x10in@60cm", 60, 8}, Case{"8x10in@2m", 200, 8}, Case{"8x10in@24in", 60.96, 8},
                        Case{"A3@2m", 200, 297 / 25.4}, Case{"20x30cm@600mm", 60, 20 / 2.54},
                        Case{"8x10in@6.5ft", 198.12, 8}, Case{"8×10in @ 60 cm", 60, 8}}) {
    auto t = ParseTargetSpec(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status();
    EXPECT_EQ(t->kind, Kind::kPrint) << c.text;
    ASSERT_TRUE(t->viewing_distance_cm.has_value()) << c.text;
    EXPECT_NEAR(*t->viewing_distance_cm, c.distance_cm, 1e-6) << c.text;
    EXPECT_NEAR(t->width_in, c.width_in, 1e-9) << c.text;
    EXPECT_NEAR(t->dpi, RequiredPpi(c.distance_cm), 1e-6) << c.text;
    EXPECT_FALSE(t->dpi_implied) << c.text;
    EXPECT_DOUBLE_EQ(t->eye_acuity_arcmin, kDefaultEyeAcuityArcmin) << c.text;
    EXPECT_THAT(t->description, HasSubstr("seen from")) << c.text;
  }
  // A DPI target has no distance.
  auto dpi = ParseTargetSpec("8x10in@300dpi");
  ASSERT_TRUE(dpi.ok());
  EXPECT_FALSE(dpi->viewing_distance_cm.has_value());
}

TEST(ParseTargetSpecTest, EyeAcuityOption) {
  auto t = ParseTargetSpec("8x10in@60cm", 2.0);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_NEAR(t->dpi, RequiredPpi(60) / 2, 0.01);
  EXPECT_DOUBLE_EQ(t->eye_acuity_arcmin, 2.0);
  for (double bad : {0.0, 0.1, 11.0, -1.0}) {
    auto b = ParseTargetSpec("8x10in@60cm", bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(b.status().message(), HasSubstr("eye acuity"));
  }
}

TEST(ParseTargetSpecTest, PrintSizesInMetresAndFeet) {
  auto m = ParseTargetSpec("1x1.5m@100dpi");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NEAR(m->width_in, 100 / 2.54, 1e-9);
  EXPECT_NEAR(m->height_in, 150 / 2.54, 1e-9);
  auto ft = ParseTargetSpec("2x3ft@3m");
  ASSERT_TRUE(ft.ok()) << ft.status();
  EXPECT_DOUBLE_EQ(ft->width_in, 24);
  EXPECT_NEAR(*ft->viewing_distance_cm, 300, 1e-9);
}

}  // namespace
}  // namespace acuity
