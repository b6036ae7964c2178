// The model facts table (analysis/advice/sr_model_facts.h) against what
// setup.sh converted (the sidecars next to each .pt) and against
// models/manifest.json: one declaration, checked where its copies live.
#include "analysis/advice/sr_model_facts.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "enhance/model_registry.h"
#include "enhance/tiling.h"

namespace acuity {
namespace {

const char* const kModelDir = ACUITY_TEST_MODEL_DIR;

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  nlohmann::json j;
  if (in) in >> j;
  return j;
}

TEST(ModelFactsTest, EveryConvertedModelAgreesWithItsSidecar) {
  for (const SrModelFacts& f : AllSrModelFacts()) {
    EXPECT_EQ(AvailableScales(f.name, kModelDir), f.Scales()) << f.name;
    for (int s : f.Scales()) {
      const std::string stem = std::string(kModelDir) + "/" + f.name + "-x" + std::to_string(s);
      const nlohmann::json sidecar = ReadJson(stem + ".json");
      EXPECT_EQ(sidecar.value("arch", std::string()), f.arch) << stem;
      EXPECT_EQ(sidecar.value("scale", 0), s) << stem;
      // The margin: measured (sidecar tile_overlap_px) or the receptive radius, capped.
      const int overlap = sidecar.contains("tile_overlap_px")
                              ? sidecar["tile_overlap_px"].get<int>()
                              : OverlapForReceptiveRadius(sidecar.value("receptive_radius", -1));
      EXPECT_EQ(overlap, f.tile_overlap_px) << stem;
    }
  }
}

TEST(ModelFactsTest, TheManifestListsExactlyTheTablesModelsAndScales) {
  const char* source = std::getenv("ACUITY_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "ctest sets ACUITY_SOURCE_DIR";
  const nlohmann::json manifest = ReadJson(std::string(source) + "/models/manifest.json");
  std::set<std::pair<std::string, int>> in_manifest, in_table;
  for (const nlohmann::json& m : manifest["models"]) {
    const std::string name = m["name"].get<std::string>();
    in_manifest.insert({name, m["scale"].get<int>()});
    const SrModelFacts* f = FindSrModelFacts(name);
    ASSERT_NE(f, nullptr) << name;
    EXPECT_EQ(m.value("arch", std::string()), f->arch) << name;
    if (m.contains("tile_overlap_px")) {
      EXPECT_EQ(m["tile_overlap_px"].get<int>(), f->tile_overlap_px) << name;
    }
  }
  for (const SrModelFacts& f : AllSrModelFacts())
    for (int s : f.Scales()) in_table.insert({f.name, s});
  EXPECT_EQ(in_manifest, in_table);
}

TEST(ModelFactsTest, TheRegistryReadsTheTable) {
  ASSERT_EQ(BuiltinModelNames().size(), AllSrModelFacts().size());
  for (size_t i = 0; i < AllSrModelFacts().size(); ++i) {
    const SrModelFacts& f = AllSrModelFacts()[i];
    EXPECT_EQ(BuiltinModelNames()[i], f.name);
    EXPECT_EQ(BuiltinModelScales(f.name), f.Scales());
    absl::StatusOr<ModelSpec> spec = FindModel(f.name, f.Scales().back(), kModelDir);
    ASSERT_TRUE(spec.ok()) << spec.status();
    EXPECT_EQ(spec->tile_overlap_px, f.tile_overlap_px);
    EXPECT_EQ(spec->bf16_ok, f.bf16_ok);
  }
}

TEST(ModelFactsTest, EveryDeviceColumnIsFilledAndTheGpuIsFaster) {
  for (const SrModelFacts& f : AllSrModelFacts()) {
    EXPECT_GT(f.cpu.micros_per_input_px, 0) << f.name;
    EXPECT_GT(f.cpu.bytes_per_padded_px, 0) << f.name;
    EXPECT_GT(f.cpu.tile_px, 0) << f.name;
    EXPECT_GT(f.cuda.bytes_per_padded_px, 0) << f.name;
    EXPECT_EQ(f.cuda.tile_px, 0) << f.name;  // from the device's free memory
    EXPECT_LT(f.cuda.micros_per_input_px, f.cpu.micros_per_input_px) << f.name;
  }
  EXPECT_EQ(FindSrModelFacts("mine"), nullptr);
}

}  // namespace
}  // namespace acuity
