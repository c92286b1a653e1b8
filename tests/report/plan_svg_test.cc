// The memory-plan timeline: well-formed XML (read back by libxml2), one box
// per buffer placed where the plan put it, the peak step and lower bound
// marked, declared overlaps drawn, names escaped, empty pools handled.
#include "report/plan_svg.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/shared_model_metadata.h"
#include "report/xml_test_util.h"

namespace kiln {
namespace {

using report::RenderPlanSvg;
using test::SharedModelMetadata;
using testing::HasSubstr;

struct Box {
  double x, y, w, h;
};

/// Each buffer's box, by buffer name, read back from the SVG.
std::map<std::string, Box> Boxes(const test::XmlDocument& doc) {
  std::map<std::string, Box> boxes;
  const auto names = test::XPathStrings(doc, "//svg:g[@data-buffer]/@data-buffer");
  for (const std::string& name : names) {
    const std::string rect = "//svg:g[@data-buffer='" + name + "']/svg:rect/@";
    auto number = [&](const char* attribute) { return std::stod(test::XPathStrings(doc, rect + attribute).at(0)); };
    boxes[name] = {number("x"), number("y"), number("width"), number("height")};
  }
  return boxes;
}

class PlanSvgOnSharedModels : public testing::TestWithParam<const char*> {};

TEST_P(PlanSvgOnSharedModels, IsWellFormedWithOneBoxPerBufferWhereThePlanPutIt) {
  const nlohmann::json metadata = SharedModelMetadata(GetParam());
  ASSERT_FALSE(metadata.is_null());
  const std::string svg = RenderPlanSvg(metadata).value();
  const test::XmlDocument doc = test::ParseXml(svg);
  ASSERT_TRUE(doc.errors.empty()) << doc.errors;

  const nlohmann::json& memory = metadata["memory"];
  ASSERT_GT(memory["buffers"].size(), 1u);  // the pairwise checks below need two
  std::set<std::string> expected;
  for (const auto& b : memory["buffers"]) expected.insert(b["name"].get<std::string>());
  const auto drawn = test::XPathStrings(doc, "//svg:g[@data-buffer]/@data-buffer");
  EXPECT_EQ(drawn.size(), memory["buffers"].size());
  EXPECT_EQ(std::set<std::string>(drawn.begin(), drawn.end()), expected);

  // Boxes of buffers live at the same step in the same pool never cover the
  // same pixels, but where the plan declares an overlap: the picture shows
  // the plan, not something else.
  const auto boxes = Boxes(doc);
  const auto& buffers = memory["buffers"];
  // Overlaps the plan uses: declared, and the two byte ranges intersect
  // (a planner may place an output further away than it was allowed to).
  size_t overlaps_used = 0;
  for (const auto& out : buffers) {
    if (!out.contains("overlaps")) continue;
    for (const auto& in : buffers)
      if (in["name"] == out["overlaps"]["input"] && in["pool"] == out["pool"] &&
          std::max(in["offset"].get<int64_t>(), out["offset"].get<int64_t>()) <
              std::min(in["offset"].get<int64_t>() + in["size_bytes"].get<int64_t>(),
                       out["offset"].get<int64_t>() + out["size_bytes"].get<int64_t>()))
        ++overlaps_used;
  }
  for (size_t i = 0; i < buffers.size(); ++i) {
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      const auto &a = buffers[i], &b = buffers[j];
      if (a["pool"] != b["pool"]) continue;
      const bool declared = (a.contains("overlaps") && a["overlaps"]["input"] == b["name"]) ||
                            (b.contains("overlaps") && b["overlaps"]["input"] == a["name"]);
      if (declared) continue;
      const Box &p = boxes.at(a["name"]), &q = boxes.at(b["name"]);
      const double across = std::min(p.x + p.w, q.x + q.w) - std::max(p.x, q.x);
      const double down = std::min(p.y + p.h, q.y + q.h) - std::max(p.y, q.y);
      // Tiny buffers are drawn at least 1 px high, so allow that much.
      EXPECT_FALSE(across > 0.5 && down > 1.05) << a["name"] << " and " << b["name"] << " drawn over each other";
    }
  }
  // Offsets run down: a buffer further into the pool is drawn lower.
  for (const auto& a : buffers)
    for (const auto& b : buffers)
      if (a["pool"] == b["pool"] && a["offset"].get<int64_t>() < b["offset"].get<int64_t>())
        EXPECT_LE(boxes.at(a["name"]).y, boxes.at(b["name"]).y) << a["name"] << " " << b["name"];

  EXPECT_EQ(test::XPathStrings(doc, "//svg:rect[@class='overlap']").size(), overlaps_used);
  int pools_marked = 0;
  for (const auto& pool : memory["pools"]) {
    if (pool.value("read_only", false) || pool.value("peak_step", -1) < 0) continue;
    ++pools_marked;
    const std::string at = "//svg:g[@data-pool='" + pool["name"].get<std::string>() + "']";
    EXPECT_EQ(test::XPathStrings(doc, at + "//svg:rect[@class='peak-step']/@data-step"),
              std::vector<std::string>{std::to_string(pool["peak_step"].get<int>())});
    EXPECT_EQ(test::XPathStrings(doc, at + "//svg:g[@class='lower-bound']/@data-bytes"),
              std::vector<std::string>{std::to_string(pool["lower_bound_bytes"].get<int64_t>())});
  }
  EXPECT_GT(pools_marked, 0) << "no pool with a peak step: its marks were not checked";
  // Every operator is named on the axis.
  EXPECT_THAT(svg, HasSubstr(fmt::format("#{} {}", metadata["operators"].size() - 1,
                                         metadata["operators"].back()["op"].get<std::string>())));
}

INSTANTIATE_TEST_SUITE_P(Models, PlanSvgOnSharedModels,
                         testing::Values("hello_world_int8", "micro_speech_quantized", "person_detect",
                                         "keyword_scrambled_8bit"));

TEST(PlanSvg, MicroSpeechShowsItsStreamingOverlap) {
  const nlohmann::json metadata = SharedModelMetadata("micro_speech_quantized");
  const test::XmlDocument doc = test::ParseXml(RenderPlanSvg(metadata).value());
  ASSERT_TRUE(doc.errors.empty()) << doc.errors;
  // The depthwise convolution's output %2 is written over its input %4.
  EXPECT_EQ(test::XPathStrings(doc, "//svg:rect[@class='overlap']/@data-input"), std::vector<std::string>{"%4"});
  EXPECT_EQ(test::XPathStrings(doc, "//svg:rect[@class='overlap']/@data-output"), std::vector<std::string>{"%2"});
  EXPECT_THAT(test::XPathStrings(doc, "//svg:g[@data-buffer='%2']/svg:title").at(0), HasSubstr("overlaps %4"));
}

/// A small plan written by hand: two pools, one of them empty, and names
/// that need escaping or are not valid text at all.
nlohmann::json HandWrittenMetadata(const std::string& tensor_name) {
  nlohmann::json metadata = nlohmann::json::parse(R"({
    "model_name": "m<1>",
    "operators": [{"index": 0, "op": "CONV_2D", "kernel": "conv"}, {"index": 1, "op": "SOFTMAX", "kernel": "sm"}],
    "memory": {"planner": "hill-climb", "constants_bytes": 64,
      "pools": [{"name": "sram", "size_bytes": 96, "lower_bound_bytes": 80, "layer_wise_bound_bytes": 96,
                 "peak_step": 0, "capacity_bytes": 1024, "read_only": false},
                {"name": "dtcm", "size_bytes": 0, "lower_bound_bytes": 0, "layer_wise_bound_bytes": 0,
                 "peak_step": -1, "capacity_bytes": 512, "read_only": false},
                {"name": "flash", "size_bytes": 0, "capacity_bytes": 4096, "read_only": true}],
      "buffers": [{"name": "%1", "pool": "sram", "offset": 0, "size_bytes": 48, "alignment": 16, "live": [0, 1]},
                  {"name": "scratch#0", "pool": "sram", "offset": 48, "size_bytes": 32, "alignment": 16,
                   "live": [0, 0]}],
      "aliases": {}}})");
  metadata["memory"]["buffers"][0]["tensor"] = tensor_name;
  return metadata;
}

TEST(PlanSvg, EscapesNamesAndDrawsAnEmptyPool) {
  const std::string nasty = "a<b>&\"c'd\x01";
  const std::string svg = RenderPlanSvg(HandWrittenMetadata(nasty)).value();
  const test::XmlDocument doc = test::ParseXml(svg);
  ASSERT_TRUE(doc.errors.empty()) << doc.errors << "\n" << svg;
  // The title reads back as the name, the control character written as \x01.
  EXPECT_THAT(test::XPathStrings(doc, "//svg:g[@data-buffer='%1']/svg:title").at(0),
              HasSubstr("tensor 'a<b>&\"c'd\\x01'"));
  EXPECT_EQ(test::XPathStrings(doc, "//svg:g[@data-buffer]").size(), 2u);
  EXPECT_EQ(test::XPathStrings(doc, "//svg:g[@data-buffer='scratch#0']/@data-kind"),
            std::vector<std::string>{"scratch"});
  EXPECT_EQ(test::XPathStrings(doc, "//svg:g[@class='pool']/@data-pool"), (std::vector<std::string>{"sram", "dtcm"}));
  EXPECT_THAT(test::XPathStrings(doc, "//svg:g[@data-pool='dtcm']").at(0), HasSubstr("no buffers in this pool"));
  EXPECT_TRUE(test::XPathStrings(doc, "//svg:g[@data-pool='dtcm']//svg:rect[@class='peak-step']").empty());
  EXPECT_THAT(svg, HasSubstr("flash (read-only, 4,096 bytes): the 64 bytes of constants"));
  EXPECT_THAT(svg, HasSubstr("memory plan of m&lt;1&gt;"));
}

TEST(PlanSvg, MalformedUtf8InANameStillGivesWellFormedXml) {
  const test::XmlDocument doc = test::ParseXml(RenderPlanSvg(HandWrittenMetadata(std::string("x\xC3(\xED\xA0\x80y"))).value());
  EXPECT_TRUE(doc.errors.empty()) << doc.errors;
}

}  // namespace
}  // namespace kiln
