// Tests of RESHAPE and SQUEEZE (src/kernels/reshape.cc) and the copy kernel
// behind them (runtime/kernels/copy.c).
#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kiln/kernels/copy.h"
#include "kernels/recording_lowering_context.h"
#include "kernels/movement_test_util.h"

namespace kiln {
namespace {

using test::movement::AddConstant;
using test::movement::AddNode;
using test::movement::AddTensor;

/// RESHAPE of an int8 [2,6] input to `out_shape`, with an optional constant
/// shape input.
struct ReshapeGraph {
  Graph g;
  ReshapeGraph(const Shape& out_shape, const std::vector<int32_t>* shape_input,
               DType out_dtype = DType::kInt8) {
    const int in = AddTensor(g, "in", DType::kInt8, {2, 6});
    std::vector<int> inputs = {in};
    if (shape_input != nullptr)
      inputs.push_back(AddConstant(g, "shape", DType::kInt32,
                                   {static_cast<int32_t>(shape_input->size())}, *shape_input));
    const int out = AddTensor(g, "out", out_dtype, out_shape);
    AddNode(g, OpKind::kReshape, inputs, {out});
  }
  const Node& node() const { return g.nodes[0]; }
};

TEST(ReshapeCheck, ResolvesMinusOneFromShapeInput) {
  const std::vector<int32_t> shape = {-1, 4};
  ReshapeGraph ok({3, 4}, &shape);
  EXPECT_TRUE(CheckReshape(ok.g, ok.node()).ok());
  ReshapeGraph wrong({4, 3}, &shape);
  const Status s = CheckReshape(wrong.g, wrong.node());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 RESHAPE: output 0 'out' has shape [4,3], expected [3,4]");
}

TEST(ReshapeCheck, RejectsTwoStretchDimensions) {
  const std::vector<int32_t> shape = {-1, -1};
  ReshapeGraph r({3, 4}, &shape);
  const Status s = CheckReshape(r.g, r.node());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 RESHAPE: the shape input has more than one -1 dimension");
}

TEST(ReshapeCheck, RejectsElementCountMismatch) {
  const std::vector<int32_t> shape = {5, 2};
  ReshapeGraph r({5, 2}, &shape);
  const Status s = CheckReshape(r.g, r.node());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 RESHAPE: cannot reshape input 'in' of shape [2,6] (12 elements) to [5,2] "
            "(10 elements)");
  const std::vector<int32_t> bad = {-1, 5};
  ReshapeGraph r2({3, 4}, &bad);
  EXPECT_FALSE(CheckReshape(r2.g, r2.node()).ok());
}

TEST(ReshapeCheck, RefusesShapesWhoseElementCountOverflows) {
  // Found by fuzzing: the product of these dimensions overflows int64. The
  // count saturates, so the answer is a mismatch, not undefined behaviour;
  // a -1 beside them as well, and a zero dimension still gives 0.
  const std::vector<int32_t> huge = {INT32_MAX, INT32_MAX, INT32_MAX, 40};
  ReshapeGraph r({1}, &huge);
  const Status s = CheckReshape(r.g, r.node());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("(9223372036854775807 elements)"), std::string::npos) << s.message();
  const std::vector<int32_t> stretch = {INT32_MAX, INT32_MAX, INT32_MAX, -1};
  ReshapeGraph r2({1}, &stretch);
  EXPECT_FALSE(CheckReshape(r2.g, r2.node()).ok());
  EXPECT_EQ(ShapeElements({INT32_MAX, INT32_MAX, INT32_MAX, 0}), 0);
}

TEST(ReshapeCheck, UsesNewShapeAttributeWithoutShapeInput) {
  ReshapeGraph r({1, 12}, nullptr);
  r.g.nodes[0].attrs.set("new_shape", std::vector<int64_t>{1, -1});
  EXPECT_TRUE(CheckReshape(r.g, r.node()).ok());
  r.g.nodes[0].attrs.set("new_shape", std::vector<int64_t>{12, -1});
  const Status s = CheckReshape(r.g, r.node());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 RESHAPE: output 0 'out' has shape [1,12], expected [12,1]");
}

TEST(ReshapeCheck, FallsBackToDeclaredShape) {
  ReshapeGraph r({3, 2, 2}, nullptr);
  EXPECT_TRUE(CheckReshape(r.g, r.node()).ok());
  ReshapeGraph bad({3, 2, 3}, nullptr);
  EXPECT_FALSE(CheckReshape(bad.g, bad.node()).ok());
  // A shape tensor computed at run time cannot be read: the declared shape
  // rules, as in TFLite Micro.
  const std::vector<int32_t> shape = {1, 1};
  ReshapeGraph dynamic({4, 3}, &shape);
  dynamic.g.tensors[1].is_constant = false;
  dynamic.g.tensors[1].data.clear();
  EXPECT_TRUE(CheckReshape(dynamic.g, dynamic.node()).ok());
}

TEST(ReshapeCheck, RejectsDTypeChange) {
  ReshapeGraph r({12}, nullptr, DType::kUInt8);
  const Status s = CheckReshape(r.g, r.node());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 RESHAPE: output 0 'out' has dtype uint8, expected int8 like input 0");
}

TEST(ReshapeLower, EmitsOneCopyOfAllBytes) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {2, 3});
  const int out = AddTensor(g, "out", DType::kFloat32, {6});
  AddNode(g, OpKind::kReshape, {in}, {out});
  ASSERT_TRUE(CheckReshape(g, g.nodes[0]).ok());
  test::RecordingLoweringContext ctx(g);
  ASSERT_TRUE(LowerReshape(g.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"copy"});
  EXPECT_EQ(ctx.statements, std::vector<std::string>{"kiln_copy(t0, t1, 24);"});
}

TEST(SqueezeCheck, SqueezesListedOrAllUnitDimensions) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kInt16, {1, 3, 1, 2});
  const int out = AddTensor(g, "out", DType::kInt16, {1, 3, 2});
  Node& n = AddNode(g, OpKind::kSqueeze, {in}, {out});
  n.attrs.set("squeeze_dims", std::vector<int64_t>{-2});
  EXPECT_TRUE(CheckSqueeze(g, g.nodes[0]).ok());
  g.nodes[0].attrs.set("squeeze_dims", std::vector<int64_t>{});
  Status s = CheckSqueeze(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 SQUEEZE: output 0 'out' has shape [1,3,2], expected [3,2]");
  g.tensors[1].shape = {3, 2};
  EXPECT_TRUE(CheckSqueeze(g, g.nodes[0]).ok());
}

TEST(SqueezeCheck, RejectsBadSqueezeDims) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {1, 3});
  const int out = AddTensor(g, "out", DType::kFloat32, {3});
  Node& n = AddNode(g, OpKind::kSqueeze, {in}, {out});
  n.attrs.set("squeeze_dims", std::vector<int64_t>{1});
  Status s = CheckSqueeze(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 SQUEEZE: cannot squeeze dimension 1 of input 'in' (shape [1,3]): its "
            "size is 3, not 1");
  g.nodes[0].attrs.set("squeeze_dims", std::vector<int64_t>{-3});
  s = CheckSqueeze(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 SQUEEZE: squeeze_dims entry -3 is out of range for input 'in' of rank 2");
}

TEST(CopyKernel, CopiesBytesAndToleratesInPlace) {
  const int8_t in[5] = {1, -2, 3, -4, 5};
  int8_t out[5] = {0};
  kiln_copy(in, out, sizeof in);
  EXPECT_EQ(std::vector<int8_t>(out, out + 5), std::vector<int8_t>(in, in + 5));
  kiln_copy(out, out, sizeof out);
  EXPECT_EQ(out[4], 5);
}

}  // namespace
}  // namespace kiln
