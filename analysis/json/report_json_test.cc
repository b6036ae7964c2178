#include "analysis/json/report_json.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

// `content` (analyze --json): the kind by name and its figures; null when not measured.
TEST(ReportJsonTest, ContentKindAndFigures) {
  AnalysisReport r;
  r.content.kind = ContentKind::kSynthetic;
  r.content.flat_pct = 71.234;
  r.content.colors = 812;
  r.content.hard_edge_pct = 88.5;
  r.content.photo_pct = 0.0;
  EXPECT_EQ(ReportToJson(r)["content"].dump(),
            R"({"colors":812,"flat_pct":71.23,"hard_edge_pct":88.5,"kind":"synthetic","photo_pct":0.0})");
  EXPECT_EQ(ReportToJson(AnalysisReport{})["content"].dump(),
            R"({"colors":null,"flat_pct":null,"hard_edge_pct":null,"kind":null,"photo_pct":null})");
}

}  // namespace
}  // namespace acuity
