#include "batch/catalogue_items.h"

#include <gtest/gtest.h>

#include "analysis/json/batch_record_json.h"

namespace acuity::batch {
namespace {

using nlohmann::json;

json Record(const std::string& path, const std::string& status, const std::string& body) {
  BatchRecord r;
  r.header.input = {path, 100, 200};
  r.header.action = "qa";
  r.header.status = status;
  if (status != "ok") r.header.error = "cannot read";
  json j = BatchRecordToJson(r);
  j.update(json::parse(body));
  return j;
}

// The items are what the records say, worst first: an unreadable input,
// then a QA fail, a QA warn, ...; an input recorded twice is its last record.
TEST(CatalogueItemsTest, WorstFirstFromTheLastRecordOfEachInput) {
  const std::vector<json> records = {
      Record("a.jpg", "ok", R"({"qa":{"verdict":"pass","checks":[]}})"),
      Record("b.jpg", "ok", R"({"qa":{"verdict":"fail","checks":[{"name":"halo","status":"fail"}]}})"),
      Record("c.jpg", "error", "{}"),
      Record("a.jpg", "ok",
             R"({"qa":{"verdict":"warn","checks":[{"name":"noise","status":"warn"},{"name":"psnr","status":"pass"}]},
                 "analysis":{"input":{"path":"/in/a.jpg"},"sharpness":{"blur_sigma_px":1.25},
                             "warnings":[{"code":"motion_blur"}]}})"),
  };
  const std::vector<CatalogueItem> items = CatalogueItems(records);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].path, "c.jpg");
  EXPECT_EQ(items[0].verdict, "error");
  EXPECT_EQ(items[0].error, "cannot read");
  EXPECT_EQ(items[1].path, "b.jpg");
  EXPECT_EQ(items[1].verdict, "fail");
  EXPECT_EQ(items[1].failed_checks, std::vector<std::string>{"halo"});
  EXPECT_EQ(items[2].path, "a.jpg");
  EXPECT_EQ(items[2].verdict, "warn");  // the second record of a.jpg
  EXPECT_EQ(items[2].source_path, "/in/a.jpg");
  EXPECT_EQ(items[2].failed_checks, std::vector<std::string>{"noise"});
  EXPECT_EQ(items[2].warnings, std::vector<std::string>{"motion_blur"});
  EXPECT_EQ(items[2].blur_sigma_px, 1.25);
  EXPECT_EQ(items[2].noise_sigma_8bit, std::nullopt);  // not measured: absent
  EXPECT_EQ(items[2].input_size_bytes, 100);
  EXPECT_EQ(items[2].input_mtime_ns, 200);
}

// A batch of explicit steps (--do enhance --steps ...) analyses nothing: its
// QA names the file it read, and the thumbnails and the viewer use that.
// Before, such items had no source and the report showed no pictures.
TEST(CatalogueItemsTest, AStepsBatchTakesItsSourceFromQa) {
  const std::vector<json> records = {
      Record("s.jpg", "ok", R"({"output":"out/s.png","plan":{"steps":[{"op":"upscale"}],"warnings":[]},
                                "qa":{"input":{"path":"/in/s.jpg"},"verdict":"pass","checks":[],
                                      "metrics":{"input_region":{"x_px":0,"y_px":0,"width_px":300,"height_px":200},
                                                 "output_region":{"x_px":0,"y_px":100,"width_px":600,"height_px":400},
                                                 "mirrored":true,"turned_deg":90}}})"),
      Record("n.jpg", "ok", R"({"plan":{"steps":[],"warnings":[]}})"),
  };
  const std::vector<CatalogueItem> items = CatalogueItems(records);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].path, "n.jpg");  // both pass: by path
  EXPECT_EQ(items[0].source_path, "");  // nothing recorded: no source
  EXPECT_EQ(items[1].source_path, "/in/s.jpg");
  EXPECT_EQ(items[1].output, "out/s.png");
  // QA's correspondence, for crops of the same content (catalogue_report.h).
  ASSERT_TRUE(items[1].qa_output_region_px);
  EXPECT_EQ(items[1].qa_output_region_px->y, 100);
  EXPECT_EQ(items[1].qa_output_region_px->height, 400);
  ASSERT_TRUE(items[1].qa_input_region_px);
  EXPECT_EQ(items[1].qa_input_region_px->width, 300);
  EXPECT_EQ(items[1].qa_turned_deg, 90);  // its region is in the input so oriented
  EXPECT_TRUE(items[1].qa_mirrored);
  EXPECT_FALSE(items[0].qa_input_region_px);
  EXPECT_EQ(items[0].qa_turned_deg, 0);
  EXPECT_FALSE(items[0].qa_mirrored);
}

// Without QA: warnings make "warn", a plan with steps "fix", nothing "pass".
TEST(CatalogueItemsTest, VerdictsOfAnAdviseBatch) {
  const std::vector<json> records = {
      Record("p.jpg", "ok", R"({"plan":{"steps":[],"warnings":[]}})"),
      Record("f.jpg", "ok", R"({"plan":{"steps":[{"op":"upscale"}],"warnings":[]}})"),
      Record("w.jpg", "ok", R"({"plan":{"steps":[],"warnings":[{"code":"small_face"}]}})"),
  };
  const std::vector<CatalogueItem> items = CatalogueItems(records);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].verdict, "warn");
  EXPECT_EQ(items[1].verdict, "fix");
  EXPECT_EQ(items[1].steps, std::vector<std::string>{"upscale"});
  EXPECT_EQ(items[2].verdict, "pass");
}

// A walk (#24): a catalogue of `batch --do analyze --target amazon` called 10
// shots "pass" ("nothing to do") though their records said the target did
// not fit (2–4× too small): an analysis makes no plan, so nothing said
// whether they need work. They are "measured"; a warning still makes "warn".
TEST(CatalogueItemsTest, AnAnalysisWithoutAPlanIsMeasuredNotPassed) {
  const std::vector<json> records = {
      Record("small.jpg", "ok", R"({"analysis":{"target":{"fits":false},"warnings":[]}})"),
      Record("huge.jpg", "ok", R"({"analysis":{"target":{"fits":false},"warnings":[{"code":"scale_above_8x"}]}})"),
      Record("done.jpg", "ok", R"({"analysis":{"warnings":[]},"plan":{"steps":[],"warnings":[]}})"),
  };
  const std::vector<CatalogueItem> items = CatalogueItems(records);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].path, "huge.jpg");
  EXPECT_EQ(items[0].verdict, "warn");
  EXPECT_EQ(items[1].path, "small.jpg");
  EXPECT_EQ(items[1].verdict, "measured");
  EXPECT_EQ(items[2].verdict, "pass");
}

}  // namespace
}  // namespace acuity::batch
