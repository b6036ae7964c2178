#include "analysis/json/json_text.h"

#include <gtest/gtest.h>

namespace acuity {
namespace {

TEST(JsonTextTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  // A file name in Latin-1 (0xE9 = é) and a stray 0xFF, as fuzzing found in
  // --steps model names and as any non-UTF-8 file name gives.
  const nlohmann::json value = {{"path", "caf\xE9\xFF.jpg"}, {"n", 1}};
  EXPECT_EQ(JsonText(value), "{\"n\":1,\"path\":\"caf\xEF\xBF\xBD\xEF\xBF\xBD.jpg\"}");
}

TEST(JsonTextTest, ValidTextIsUnchanged) {
  const nlohmann::json value = {{"description", "8×10 in at 300 dpi"}};
  EXPECT_EQ(JsonText(value), value.dump());
}

}  // namespace
}  // namespace acuity
