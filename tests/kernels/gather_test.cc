// Tests of GATHER's negative_from_end (ONNX's Gather with indices read at
// run time): a negative position counts from the end of the axis, at compile
// time for constant positions and in the kernel for those read at run time;
// without it (TFLite's GATHER) a negative position is outside the axis.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/gather.h"
#include "kiln/runtime.h"

namespace kiln::test::elem {
namespace {

TEST(Gather, NegativePositionsCountFromTheEndOnlyWhenAsked) {
  for (bool from_end : {false, true}) {
    SCOPED_TRACE(from_end);
    Graph g;
    const int in = AddTensor(g, "in", DType::kFloat32, {4, 2});
    const int pos = AddTensor(g, "pos", DType::kInt64, {3});
    const int out = AddTensor(g, "out", DType::kFloat32, {3, 2});
    Node& node = AddNode(g, OpKind::kGather, "GATHER", {in, pos}, {out});
    node.attrs.set("axis", int64_t{0});
    if (from_end) node.attrs.set("negative_from_end", int64_t{1});
    RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
    const auto p = ParseParams(ctx.declarations.at(0));
    EXPECT_EQ(p.at("negative_from_end"), from_end ? "1" : "0");
    kiln_gather_params_t params{};
    params.batch_size = static_cast<int32_t>(ParseInt(p.at("batch_size")));
    params.outer_size = static_cast<int32_t>(ParseInt(p.at("outer_size")));
    params.axis_size = static_cast<int32_t>(ParseInt(p.at("axis_size")));
    params.slice_bytes = static_cast<int32_t>(ParseInt(p.at("slice_bytes")));
    params.coord_size = static_cast<int32_t>(ParseInt(p.at("coord_size")));
    params.position_bytes = static_cast<int32_t>(ParseInt(p.at("position_bytes")));
    params.negative_from_end = static_cast<int32_t>(ParseInt(p.at("negative_from_end")));
    const std::vector<float> data = {0, 1, 10, 11, 20, 21, 30, 31};
    const std::vector<int64_t> positions = {-1, 0, -4};
    std::vector<float> result(6, -1.0f);
    const int32_t status = kiln_gather(&params, data.data(), positions.data(), result.data());
    if (!from_end) {
      EXPECT_EQ(status, KILN_ERROR_INDEX_OUT_OF_RANGE);
      continue;
    }
    EXPECT_EQ(status, KILN_OK);
    EXPECT_EQ(result, (std::vector<float>{30, 31, 0, 1, 0, 1}));
    const std::vector<int64_t> too_negative = {-5, 0, 0};
    EXPECT_EQ(kiln_gather(&params, data.data(), too_negative.data(), result.data()), KILN_ERROR_INDEX_OUT_OF_RANGE);
    // Constant positions are checked at compile time the same way.
    g.tensors[1].is_constant = true;
    g.tensors[1].data.assign(3 * 8, 0);
    g.tensors[1].data[0] = 0xfb;  // -5 as int64, little-endian
    for (int b = 1; b < 8; ++b) g.tensors[1].data[static_cast<size_t>(b)] = 0xff;
    EXPECT_EQ(CheckError(g, g.nodes[0]),
              "operator #0 GATHER: position 0 of 'pos' is -5, outside 0..3 (input 'in' along axis 0)");
  }
}

}  // namespace
}  // namespace kiln::test::elem
