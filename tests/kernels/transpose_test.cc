// Tests of TRANSPOSE (src/kernels/transpose.cc) and its runtime kernel
// (runtime/kernels/transpose.c). Expected values come from
// slicing_reference.py (slicing_expected.h), which applies the definition
// out[i_0..i_n] = in[j] with j[perm[a]] = i[a], for inputs holding 0, 1, 2, ...
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/kernel_functions.h"
#include "kernels/movement_test_util.h"
#include "kernels/recording_lowering_context.h"
#include "kernels/slicing_expected.h"
#include "kiln/kernels/transpose.h"

namespace kiln {
namespace {

using test::movement::AddConstant;
using test::movement::AddNode;
using test::movement::AddTensor;
using test::movement::DeclInts;
using test::movement::Fill;

Graph TransposeGraph(DType dtype, const Shape& in_shape, const std::vector<int32_t>& perm,
                     const Shape& out_shape) {
  Graph g;
  const int in = AddTensor(g, "in", dtype, in_shape);
  const int p = AddConstant(g, "perm", DType::kInt32, {static_cast<int32_t>(perm.size())}, perm);
  const int out = AddTensor(g, "out", dtype, out_shape);
  AddNode(g, OpKind::kTranspose, {in, p}, {out});
  return g;
}

template <typename T>
std::vector<int> RunTranspose(DType dtype, const Shape& in_shape, const std::vector<int32_t>& perm,
                     const Shape& out_shape) {
  const Graph g = TransposeGraph(dtype, in_shape, perm, out_shape);
  const Status s = CheckTranspose(g, g.nodes[0]);
  EXPECT_TRUE(s.ok()) << s.message();
  test::RecordingLoweringContext ctx(g);
  EXPECT_TRUE(LowerTranspose(g.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"transpose"});
  const std::string& d = ctx.declarations.at(0);
  kiln_transpose_params_t p;
  p.element_size = static_cast<int32_t>(DeclInts(d, "element_size").at(0));
  Fill(p.output_dims, DeclInts(d, "output_dims"));
  Fill(p.input_strides, DeclInts(d, "input_strides"));
  std::vector<T> input(static_cast<size_t>(g.tensors[0].num_elements()));
  std::iota(input.begin(), input.end(), T(0));
  std::vector<T> out(input.size());
  kiln_transpose(&p, input.data(), out.data());
  return std::vector<int>(out.begin(), out.end());
}

/// The generated output of transpose case `name`; its shape must be the
/// one the test declares.
const std::vector<int>& Expected(const std::string& name, const Shape& out_shape) {
  for (const auto& e : test::slicing_expected::kTranspose)
    if (name == e.name) {
      EXPECT_EQ(e.shape, out_shape) << name;
      return e.values;
    }
  ADD_FAILURE() << "slicing_reference.py has no transpose case " << name;
  static const std::vector<int> kNone;
  return kNone;
}

TEST(TransposeKernel, TwoDimensions) {
  const std::vector<int>& expected = Expected("TwoDimensions", {3, 2});
  EXPECT_EQ(RunTranspose<int8_t>(DType::kInt8, {2, 3}, {1, 0}, {3, 2}), expected);
  EXPECT_EQ(RunTranspose<float>(DType::kFloat32, {2, 3}, {1, 0}, {3, 2}), expected);
}

TEST(TransposeKernel, ThreeDimensionsRotate) {
  EXPECT_EQ(RunTranspose<int16_t>(DType::kInt16, {2, 3, 4}, {2, 0, 1}, {4, 2, 3}),
            Expected("ThreeDimensionsRotate", {4, 2, 3}));
}

TEST(TransposeKernel, NhwcToNchw) {
  EXPECT_EQ(RunTranspose<int32_t>(DType::kInt32, {1, 2, 2, 3}, {0, 3, 1, 2}, {1, 3, 2, 2}),
            Expected("NhwcToNchw", {1, 3, 2, 2}));
}

TEST(TransposeKernel, FiveAndSixDimensions) {
  EXPECT_EQ(RunTranspose<int8_t>(DType::kInt8, {1, 2, 1, 3, 1, 2}, {5, 4, 3, 2, 1, 0}, {2, 1, 3, 1, 2, 1}),
            Expected("SixDimensions", {2, 1, 3, 1, 2, 1}));
  EXPECT_EQ(RunTranspose<float>(DType::kFloat32, {2, 1, 2, 1, 2}, {4, 2, 0, 3, 1}, {2, 2, 2, 1, 1}),
            Expected("FiveDimensions", {2, 2, 2, 1, 1}));
}

TEST(TransposeLower, StridesFollowThePermutation) {
  const Graph g = TransposeGraph(DType::kInt8, {2, 3, 4}, {2, 0, 1}, {4, 2, 3});
  test::RecordingLoweringContext ctx(g);
  ASSERT_TRUE(LowerTranspose(g.nodes[0], ctx).ok());
  // Input strides are (12, 4, 1); output axis a walks input axis perm[a].
  EXPECT_EQ(DeclInts(ctx.declarations.at(0), "input_strides"),
            (std::vector<int64_t>{0, 0, 0, 1, 12, 4}));
  EXPECT_EQ(DeclInts(ctx.declarations.at(0), "output_dims"),
            (std::vector<int64_t>{1, 1, 1, 4, 2, 3}));
  EXPECT_EQ(ctx.statements, std::vector<std::string>{"kiln_transpose(&transpose_params_0, t0, t2);"});
}

TEST(TransposeCheck, RejectsBadPermutationAndShape) {
  Graph g = TransposeGraph(DType::kInt8, {2, 3}, {1, 1}, {3, 2});
  Status s = CheckTranspose(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 TRANSPOSE: input 1 (perm) {1, 1} is not a permutation of 0..1");
  g = TransposeGraph(DType::kInt8, {2, 3}, {1, 0, 2}, {3, 2});
  s = CheckTranspose(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 TRANSPOSE: input 1 (perm) has 3 entries, expected 2 (the input's rank)");
  g = TransposeGraph(DType::kInt8, {2, 3}, {1, 0}, {2, 3});
  s = CheckTranspose(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 TRANSPOSE: output 0 'out' has shape [2,3], expected [3,2]");
}

}  // namespace
}  // namespace kiln
