#include "analysis/json/report_json.h"

#include <cmath>

#include <gtest/gtest.h>

#include "analysis/measurements/target_spec.h"

namespace acuity {
namespace {

// `content` (analyze --json): the kind by name and its figures; null when not measured.
TEST(ReportJsonTest, ContentKindAndFigures) {
  AnalysisReport r;
  r.content.kind = ContentKind::kSynthetic;
  r.content.flat_pct = 71.234;
  r.content.clipped_pct = 1.234;
  r.content.colors = 812;
  r.content.hard_edge_pct = 88.5;
  r.content.photo_pct = 0.0;
  r.content.overlay_pct = 3.456;
  r.content.transparent_pct = 12.345;
  EXPECT_EQ(ReportToJson(r)["content"].dump(),
            R"({"clipped_pct":1.23,"colors":812,"faces":null,"faces_searched_from_width_px":null,"flat_pct":71.23,"hard_edge_pct":88.5,)"
            R"("kind":"synthetic","not_measured":{"faces":null,"text":null},"overlay_pct":3.46,"photo_pct":0.0,"text":null,)"
            R"("transparent_pct":12.35})");
  EXPECT_EQ(ReportToJson(AnalysisReport{})["content"].dump(),
            R"({"clipped_pct":null,"colors":null,"faces":null,"faces_searched_from_width_px":null,"flat_pct":null,"hard_edge_pct":null,)"
            R"("kind":null,"not_measured":{"faces":null,"text":null},"overlay_pct":null,"photo_pct":null,"text":null,)"
            R"("transparent_pct":null})");
}

// A figure that rounds to zero from below is written 0.0, not -0.0.
TEST(ReportJsonTest, NoNegativeZero) {
  EXPECT_FALSE(std::signbit(RoundTo(-0.001, 2)));
  EXPECT_FALSE(std::signbit(RoundTo(-0.0, 1)));
  EXPECT_EQ(RoundTo(-0.006, 2), -0.01);
  AnalysisReport r;
  r.content.transparent_pct = -1e-13;
  EXPECT_EQ(ReportToJson(r)["content"]["transparent_pct"].dump(), "0.0");
}

// input.frames: the count when the file's structure was read, null when
// not counted (never a made-up 1).
TEST(ReportJsonTest, FramesAreCountedOrNull) {
  AnalysisReport r;
  EXPECT_TRUE(ReportToJson(r)["input"]["frames"].is_null());
  r.input.frames = 12;
  EXPECT_EQ(ReportToJson(r)["input"]["frames"], 12);
}

// product.fill_pct is the input's; fill_pct_after_fit the share in the
// frame the target's fit makes (what the fill rule and its warning judge):
// a wide shot padded to a square spans half as much of it.
TEST(ReportJsonTest, ProductFillInTheInputAndAfterTheFit) {
  AnalysisReport r;
  r.product = ProductShotReading();
  r.product->product_box_px = cv::Rect(100, 0, 1800, 1000);
  r.product->product_fill_pct = 90;
  EXPECT_TRUE(ReportToJson(r)["product"]["fill_pct_after_fit"].is_null());
  r.target = FitTarget(*ParseTargetSpec("amazon"), 2000, 1000);
  const nlohmann::json p = ReportToJson(r)["product"];
  EXPECT_EQ(p["fill_pct"], 90.0);
  EXPECT_NEAR(p["fill_pct_after_fit"].get<double>(), 90.0, 0.5);  // the long axis keeps its share
  r.product->product_box_px = cv::Rect(0, 100, 600, 800);  // 80 % of the short side, 40 % of the square
  EXPECT_NEAR(ReportToJson(r)["product"]["fill_pct_after_fit"].get<double>(), 40.0, 0.5);
}

// content.faces[] and content.text[] (DESIGN.md): input pixels, units in
// the names; an empty list when searched and none found, null when not
// searched, the reason when the search could not run.
TEST(ReportJsonTest, FacesAndTextLines) {
  AnalysisReport r;
  r.faces.faces = std::vector<Face>{{10, 20, 14, 15, 3.456, false}};
  r.faces.searched_from_width_px = 12;
  r.text.not_measured_reason = "no eng.traineddata";
  const nlohmann::json content = ReportToJson(r)["content"];
  EXPECT_EQ(content["faces"].dump(),
            R"([{"height_px":15,"profile":false,"score":3.46,"width_px":14,"x":10,"y":20}])");
  EXPECT_EQ(content["faces_searched_from_width_px"], 12);
  EXPECT_TRUE(content["text"].is_null());
  EXPECT_EQ(content["not_measured"]["text"], "no eng.traineddata");
  r.text.lines = std::vector<TextLine>{{5, 6, 100, 12, 4.25, 91.04, "EXIT"}};
  EXPECT_EQ(ReportToJson(r)["content"]["text"].dump(),
            R"([{"confidence":91.0,"height_px":12,"text":"EXIT","width_px":100,"x":5,"x_height_px":4.3,"y":6}])");
}

}  // namespace
}  // namespace acuity
