// small_face / small_text: the advisor's warnings, the plain words and the
// limits per model tell one story, on both sides of each limit.
#include "analysis/advice/content_advice.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "analysis/advice/advisor.h"
#include "analysis/advice/verdicts.h"

namespace acuity {
namespace {

bool HasWarning(const Plan& plan, const std::string& code) {
  for (const Warning& w : plan.warnings)
    if (w.code == code) return true;
  return false;
}

// A copy of the row, so that a row of a temporary list outlives the list.
std::optional<PlainVerdict> Row(const std::vector<PlainVerdict>& rows, const std::string& key) {
  for (const PlainVerdict& v : rows)
    if (v.key == key) return v;
  return std::nullopt;
}

// A clean 600×450 photo with faces of `face_widths` px and text lines of
// `x_heights` px; `target` optional.
AnalysisReport Report(std::vector<int> face_widths, std::vector<double> x_heights, const char* target) {
  AnalysisReport r;
  r.input.width = 600;
  r.input.height = 450;
  r.sharpness.blur_sigma_px = 0.7;
  r.noise.sigma = 1.5;
  r.compression.quality_source = "none";
  r.oversharpening.detected = false;
  r.resolution.native_scale = 1.0;
  r.faces.faces.emplace();
  r.faces.searched_from_width_px = 12;
  for (int w : face_widths) r.faces.faces->push_back({10, 10, w, w, 5, false});
  r.text.lines.emplace();
  for (double x : x_heights) r.text.lines->push_back({10, 100, 200, int(x * 3), x, 90, "EXIT"});
  if (target) r.target = FitTarget(*ParseTargetSpec(target), r.input.width, r.input.height);
  return r;
}

// Just under and at each model's limit: the warning and a "poor" row below,
// neither at the limit; the words name the count and sizes.
TEST(ContentAdviceTest, WarnsBelowTheModelsLimitsOnly) {
  const char* target = "2400x1800";  // a 4× upscale
  const Advice plain = Decide(Report({}, {}, target));
  ASSERT_FALSE(plain.plan.steps.empty());
  const std::string model = [&] {
    for (const PlanStep& s : plain.plan.steps)
      if (const auto* up = std::get_if<UpscaleStep>(&s.params)) return up->model;
    return std::string();
  }();
  ASSERT_FALSE(model.empty());
  const ContentLimits limits = ContentLimitsFor(model);
  const int face_below = int(limits.face_width_px) - 1, face_at = int(limits.face_width_px);
  const double text_below = limits.x_height_px - 0.5, text_at = limits.x_height_px;

  const AnalysisReport small = Report({face_below, face_below - 3, 80}, {text_below}, target);
  const Advice below = Decide(small);
  EXPECT_TRUE(HasWarning(below.plan, "small_face"));
  EXPECT_TRUE(HasWarning(below.plan, "small_text"));
  ASSERT_TRUE(below.decisions.small_faces);
  EXPECT_EQ(below.decisions.small_faces->count, 2);  // the 80-px face is big enough
  EXPECT_EQ(below.decisions.small_faces->smallest_px, face_below - 3);
  for (const Warning& w : below.plan.warnings) {
    if (w.code == "small_face") {
      EXPECT_NE(w.message.find(fmt::format("2 faces {}–{} px wide", face_below - 3, face_below)), std::string::npos)
          << w.message;
    }
  }
  const std::vector<PlainVerdict> rows = DescribeMeasurements(small, below.decisions);
  ASSERT_TRUE(Row(rows, "faces") && Row(rows, "text"));
  EXPECT_EQ(Row(rows, "faces")->level, VerdictLevel::kPoor);
  EXPECT_EQ(Row(rows, "text")->level, VerdictLevel::kPoor);

  const AnalysisReport big = Report({face_at, 80}, {text_at}, target);
  const Advice at = Decide(big);
  EXPECT_FALSE(HasWarning(at.plan, "small_face"));
  EXPECT_FALSE(HasWarning(at.plan, "small_text"));
  const std::vector<PlainVerdict> rows_at = DescribeMeasurements(big, at.decisions);
  EXPECT_EQ(Row(rows_at, "faces")->level, VerdictLevel::kGood);
  EXPECT_EQ(Row(rows_at, "text")->level, VerdictLevel::kGood);
}

// A face search that covered faces only from a width above the model's
// limit (a very large photo, faces.h): the plan warns faces_not_searched and
// the row is fair, not "none found" good; at the limit, neither. Without an
// upscale it does not matter.
TEST(ContentAdviceTest, FacesNotLookedForAreSaid) {
  const char* target = "2400x1800";  // a 4× upscale
  AnalysisReport r = Report({}, {}, target);
  const Advice plain = Decide(r);
  ASSERT_FALSE(HasWarning(plain.plan, "faces_not_searched"));
  std::string model;
  for (const PlanStep& s : plain.plan.steps)
    if (const auto* up = std::get_if<UpscaleStep>(&s.params)) model = up->model;
  ASSERT_FALSE(model.empty());
  const int limit = int(ContentLimitsFor(model).face_width_px);

  r.faces.searched_from_width_px = limit + 9;
  const Advice coarse = Decide(r);
  EXPECT_TRUE(HasWarning(coarse.plan, "faces_not_searched"));
  for (const Warning& w : coarse.plan.warnings) {
    if (w.code != "faces_not_searched") continue;
    EXPECT_NE(w.message.find(fmt::format("narrower than {} px", limit + 9)), std::string::npos) << w.message;
  }
  const std::optional<PlainVerdict> row = Row(DescribeMeasurements(r, coarse.decisions), "faces");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->level, VerdictLevel::kFair);

  // At the limit nothing under it could have been found: said; below, not.
  r.faces.searched_from_width_px = limit;
  EXPECT_TRUE(HasWarning(Decide(r).plan, "faces_not_searched"));
  r.faces.searched_from_width_px = limit - 1;
  EXPECT_FALSE(HasWarning(Decide(r).plan, "faces_not_searched"));
  AnalysisReport same = Report({}, {}, "600x450");
  same.faces.searched_from_width_px = 200;
  EXPECT_FALSE(HasWarning(Decide(same).plan, "faces_not_searched"));
}

// A picture to be enlarged is searched down to the widest face limit of any
// model (faces.h kEnlargedSearchFromWidthPx): the constant covers the table.
TEST(ContentAdviceTest, TheEnlargedSearchCoversEveryModelsLimit) {
  EXPECT_GE(ContentLimitsFor("a-model-without-limits.pt").face_width_px, 1.0);
  EXPECT_LE(ContentLimitsFor("a-model-without-limits.pt").face_width_px, kEnlargedSearchFromWidthPx);
}

// No upscale, no warning: a small face that stays at its size is not
// reinvented by anything the plan does.
TEST(ContentAdviceTest, NoWarningWithoutAnUpscale) {
  const AnalysisReport r = Report({8}, {3}, "600x450");
  const Advice advice = Decide(r);
  EXPECT_FALSE(HasWarning(advice.plan, "small_face"));
  EXPECT_FALSE(HasWarning(advice.plan, "small_text"));
  EXPECT_EQ(Row(DescribeMeasurements(r, advice.decisions), "faces")->level, VerdictLevel::kGood);
}

// `r` with a 2400×2400 px target reached by a crop (--fit crop).
AnalysisReport SquareCrop(AnalysisReport r) {
  TargetSpec spec = *ParseTargetSpec("2400x2400");
  spec.fit = *ParseFit("crop");
  r.target = FitTarget(spec, r.input.width, r.input.height);
  return r;
}

// A walk (#24): a 4:1 banner for an Instagram square, whose plan crops a
// 300×300 window at its left, warned `small_text` / `small_face` (and read
// "poor") for lines and faces on its right that the crop cuts away. Only
// what the plan keeps (more than half of its box) is upscaled and counted.
TEST(ContentAdviceTest, WhatThePlansCropCutsAwayIsNotWarned) {
  AnalysisReport r = SquareCrop(Report({}, {}, nullptr));  // a 4:3 picture to a square: cropped to 450×450
  ASSERT_TRUE(r.target->cropped());
  const cv::Rect kept(r.target->kept_x_px, r.target->kept_y_px, r.target->kept_width_px, r.target->kept_height_px);
  ASSERT_EQ(kept.width, 450);
  r.faces.faces->push_back({kept.x + 200, 200, 8, 8, 5, false});        // kept
  r.faces.faces->push_back({kept.x - 6, 100, 8, 8, 5, false});          // 2 of 8 px columns kept: cut
  r.text.lines->push_back({kept.x + 10, 300, 200, 9, 3, 90, "KEPT"});
  r.text.lines->push_back({kept.br().x - 40, 50, 100, 9, 3, 90, "CUT"});  // 40 of 100 px kept
  const Advice advice = Decide(r);
  ASSERT_TRUE(advice.decisions.small_faces && advice.decisions.small_text);
  EXPECT_EQ(advice.decisions.small_faces->count, 1);
  EXPECT_EQ(advice.decisions.small_text->count, 1);

  AnalysisReport cut = SquareCrop(Report({}, {}, nullptr));
  cut.faces.faces->push_back({2, 100, 8, 8, 5, false});
  cut.text.lines->push_back({560, 50, 30, 9, 3, 90, "CUT"});
  const Advice none = Decide(cut);
  EXPECT_FALSE(HasWarning(none.plan, "small_face"));
  EXPECT_FALSE(HasWarning(none.plan, "small_text"));
  EXPECT_EQ(Row(DescribeMeasurements(cut, none.decisions), "text")->level, VerdictLevel::kGood);
}

// The row says how many of the faces were seen from the side (the profile
// cascade's), with their sizes.
TEST(ContentAdviceTest, TheFacesRowSaysWhichAreInProfile) {
  AnalysisReport r = Report({30, 40}, {}, nullptr);
  EXPECT_EQ(Row(DescribeMeasurements(r), "faces")->value, "2 found, 30–40 px wide");
  r.faces.faces->front().profile = true;
  EXPECT_EQ(Row(DescribeMeasurements(r), "faces")->value, "2 found, 1 in profile, 30–40 px wide");
  r.faces.faces->back().profile = true;
  EXPECT_EQ(Row(DescribeMeasurements(r), "faces")->value, "2 found, all in profile, 30–40 px wide");
}

// Not looked for: no row (analyze without --content); looked for but not
// measurable: a "not measured" row, never "none found".
TEST(ContentAdviceTest, RowsOnlyWhenLookedFor) {
  AnalysisReport r = Report({}, {}, nullptr);
  r.faces = FacesResult();
  r.text = TextResult();
  EXPECT_FALSE(Row(DescribeMeasurements(r), "faces").has_value());
  r.text.not_measured_reason = "Tesseract's English data (eng.traineddata) was not found";
  const std::optional<PlainVerdict> text = Row(DescribeMeasurements(r), "text");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->level, VerdictLevel::kNotMeasured);
}

// A model without measured limits (a TorchScript file) gets the strictest.
TEST(ContentAdviceTest, UnknownModelGetsTheStrictestLimits) {
  const ContentLimits unknown = ContentLimitsFor("my_model.pt");
  for (const char* model : {"esrgan-slim", "esrgan-medium", "esrgan-thick", "realesr-general-x4v3"}) {
    EXPECT_GE(unknown.face_width_px, ContentLimitsFor(model).face_width_px) << model;
    EXPECT_GE(unknown.x_height_px, ContentLimitsFor(model).x_height_px) << model;
  }
}

}  // namespace
}  // namespace acuity
