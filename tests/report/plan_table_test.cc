// The plan as `kiln plan` prints it, and what the renderers answer when an
// archive's metadata.json does not have the shape Kiln writes.
#include "report/plan_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/footprint_report.h"
#include "report/plan_svg.h"
#include "report/shared_model_metadata.h"

namespace kiln {
namespace {

using testing::HasSubstr;

TEST(PlanTable, ListsEveryBufferAndPool) {
  const nlohmann::json metadata = test::SharedModelMetadata("micro_speech_quantized");
  ASSERT_FALSE(metadata.is_null());
  auto table = report::RenderPlanTable(metadata, "micro_speech.tflite");
  ASSERT_TRUE(table.ok()) << table.message();
  EXPECT_THAT(*table, HasSubstr("memory plan of micro_speech.tflite (planner hill-climb"));
  const nlohmann::json& memory = metadata["memory"];
  ASSERT_FALSE(memory["buffers"].empty());
  for (const auto& b : memory["buffers"]) EXPECT_THAT(*table, HasSubstr(b["name"].get<std::string>()));
  for (const auto& p : memory["pools"]) EXPECT_THAT(*table, HasSubstr(p["name"].get<std::string>()));
}

// A field of the wrong type is an error naming the field (its JSON
// pointer), from every renderer of an archive, never an exception.
TEST(PlanTable, AMalformedArchiveIsAnErrorNamingTheField) {
  nlohmann::json metadata = test::SharedModelMetadata("micro_speech_quantized");
  ASSERT_FALSE(metadata.is_null());
  metadata["memory"]["buffers"][0]["size_bytes"] = "large";
  auto table = report::RenderPlanTable(metadata, "m.tflite");
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.message(), HasSubstr("metadata.json does not have the expected shape"));
  EXPECT_THAT(table.message(), HasSubstr("/memory/buffers/0/size_bytes"));
  auto svg = report::RenderPlanSvg(metadata);
  ASSERT_FALSE(svg.ok());
  EXPECT_THAT(svg.message(), HasSubstr("/memory/buffers/0/size_bytes"));
  EXPECT_FALSE(report::RenderFootprintReport(metadata, nlohmann::json::object()).ok());

  metadata.erase("memory");
  auto missing = report::RenderPlanTable(metadata, "m.tflite");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.message(), HasSubstr("'memory' not found"));
}

}  // namespace
}  // namespace kiln
