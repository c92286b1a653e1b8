// Tests of GATHER_ELEMENTS (kernels/gather_elements.cc,
// runtime/kernels/gather_elements.c): the kernel against the definition
// (output[i][j][k] = input[i][indices[i][j][k]][k] along axis 1, and so on
// for each axis) written out as loops here, negative indices, indices
// smaller than the input on the other axes, an index outside the axis read
// at run time, and the check's errors.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/gather_elements.h"
#include "kiln/runtime.h"

namespace kiln::test::elem {
namespace {

kiln_gather_elements_params_t ReadParams(const RecordingLoweringContext& ctx) {
  const auto p = ParseParams(ctx.declarations.at(0));
  kiln_gather_elements_params_t params{};
  params.rank = static_cast<int32_t>(ParseInt(p.at("rank")));
  const std::vector<int64_t> dims = ParseIntArray(p.at("dims")), strides = ParseIntArray(p.at("input_strides"));
  for (size_t d = 0; d < dims.size(); ++d) {
    params.dims[d] = static_cast<int32_t>(dims[d]);
    params.input_strides[d] = static_cast<int32_t>(strides[d]);
  }
  params.axis = static_cast<int32_t>(ParseInt(p.at("axis")));
  params.axis_size = static_cast<int32_t>(ParseInt(p.at("axis_size")));
  params.element_bytes = static_cast<int32_t>(ParseInt(p.at("element_bytes")));
  params.index_bytes = static_cast<int32_t>(ParseInt(p.at("index_bytes")));
  params.count = static_cast<int32_t>(ParseInt(p.at("count")));
  return params;
}

TEST(GatherElements, EveryAxisOfARank3Input) {
  // input [2, 3, 4] = 0 .. 23; indices [2, 2, 3]: smaller than the input on
  // the axes not gathered, some negative.
  std::vector<float> input(24);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<float>(i);
  const int32_t in_dims[3] = {2, 3, 4};
  int checked = 0;
  for (int64_t axis = 0; axis < 3; ++axis) {
    SCOPED_TRACE(axis);
    const int64_t size = in_dims[axis];
    std::vector<int64_t> indices(12);
    for (size_t i = 0; i < indices.size(); ++i)
      indices[i] = static_cast<int64_t>((i * 7) % static_cast<size_t>(2 * size)) - size;  // -size .. size-1
    Graph g;
    const int in = AddTensor(g, "in", DType::kFloat32, {2, 3, 4});
    const int idx = AddTensor(g, "idx", DType::kInt64, {2, 2, 3});
    const int out = AddTensor(g, "out", DType::kFloat32, {2, 2, 3});
    Node& node = AddNode(g, OpKind::kGatherElements, "GATHER_ELEMENTS", {in, idx}, {out});
    node.attrs.set("axis", axis - 3);  // negative: from the end
    RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"gather_elements"});
    EXPECT_NE(ctx.statements.at(0).find("!= KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;"), std::string::npos);
    const kiln_gather_elements_params_t params = ReadParams(ctx);
    std::vector<float> result(12, -1.0f);
    ASSERT_EQ(kiln_gather_elements(&params, input.data(), indices.data(), result.data()), KILN_OK);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        for (int k = 0; k < 3; ++k) {
          int64_t c[3] = {i, j, k};
          int64_t& p = c[axis];
          p = indices[static_cast<size_t>((i * 2 + j) * 3 + k)];
          if (p < 0) p += size;
          EXPECT_EQ(result[static_cast<size_t>((i * 2 + j) * 3 + k)], input[static_cast<size_t>((c[0] * 3 + c[1]) * 4 + c[2])])
              << i << "," << j << "," << k;
          ++checked;
        }
  }
  EXPECT_EQ(checked, 36);
}

TEST(GatherElements, AnIndexOutsideTheAxisAtRunTimeStopsIt) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kInt8, {2, 3});
  const int idx = AddTensor(g, "idx", DType::kInt32, {2, 3});
  const int out = AddTensor(g, "out", DType::kInt8, {2, 3});
  Node& node = AddNode(g, OpKind::kGatherElements, "GATHER_ELEMENTS", {in, idx}, {out});
  node.attrs.set("axis", int64_t{0});
  const kiln_gather_elements_params_t params = ReadParams(CheckAndLower(g, g.nodes[0]));
  const int8_t input[6] = {1, 2, 3, 4, 5, 6};
  int8_t result[6] = {};
  const int32_t good[6] = {1, 0, -1, -2, 1, 0};
  ASSERT_EQ(kiln_gather_elements(&params, input, good, result), KILN_OK);
  EXPECT_EQ(std::vector<int8_t>(result, result + 6), (std::vector<int8_t>{4, 2, 6, 1, 5, 3}));
  const int32_t bad[6] = {0, 0, 0, 2, 0, 0};
  EXPECT_EQ(kiln_gather_elements(&params, input, bad, result), KILN_ERROR_INDEX_OUT_OF_RANGE);
  const int32_t too_negative[6] = {0, -3, 0, 0, 0, 0};
  EXPECT_EQ(kiln_gather_elements(&params, input, too_negative, result), KILN_ERROR_INDEX_OUT_OF_RANGE);
}

TEST(GatherElements, CheckNamesWhatIsWrong) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {2, 3});
  const int idx = AddTensor(g, "idx", DType::kInt64, {2, 4});
  const int out = AddTensor(g, "out", DType::kFloat32, {2, 4});
  Node& node = AddNode(g, OpKind::kGatherElements, "GATHER_ELEMENTS", {in, idx}, {out});
  node.attrs.set("axis", int64_t{0});
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 GATHER_ELEMENTS: indices 'idx' (shape [2,4]) exceed input 'in' (shape [2,3]) in dimension 1");
  g.nodes[0].attrs.set("axis", int64_t{2});
  EXPECT_EQ(CheckError(g, g.nodes[0]), "operator #0 GATHER_ELEMENTS: axis 2 is out of range for input 'in' of rank 2");
  g.nodes[0].attrs.set("axis", int64_t{1});
  g.tensors[1].shape = {2, 3};
  g.tensors[2].shape = {2, 3};
  g.tensors[1].is_constant = true;
  g.tensors[1].data.assign(6 * 8, 0);
  g.tensors[1].data[8 * 4] = 3;  // element 4 is 3, outside axis 1 of size 3
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 GATHER_ELEMENTS: index 4 of 'idx' is 3, outside -3..2 (input 'in' along axis 1)");
}

}  // namespace
}  // namespace kiln::test::elem
