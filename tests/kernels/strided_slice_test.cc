// Tests of STRIDED_SLICE (src/kernels/strided_slice.cc) and its runtime
// kernel (runtime/kernels/strided_slice.c). Expected values come from
// Python's own list slicing, which follows numpy's rules for basic slices
// (begin/end defaults, negative indices, clamping, negative strides):
// slicing_reference.py applies the expression in each case's comment
// (slicing_expected.h).
#include <gtest/gtest.h>

#include <numeric>

#include "kernels/kernel_functions.h"
#include "kernels/movement_test_util.h"
#include "kernels/recording_lowering_context.h"
#include "kernels/slicing_expected.h"
#include "kiln/kernels/strided_slice.h"

namespace kiln {
namespace {

using test::movement::AddConstant;
using test::movement::AddNode;
using test::movement::AddTensor;
using test::movement::DeclInts;
using test::movement::Fill;

struct SliceCase {
  const char* name;
  Shape in_shape;
  std::vector<int32_t> begin, end, strides;
  int64_t begin_mask = 0, end_mask = 0, ellipsis_mask = 0, new_axis_mask = 0, shrink_mask = 0;
  int64_t offset = 0;
  Shape out_shape;
};

/// The generated output of slice case `c` for input values 0, 1, 2, ...
const std::vector<int>& Expected(const SliceCase& c) {
  for (const auto& e : test::slicing_expected::kStridedSlice)
    if (std::string(c.name) == e.name) {
      EXPECT_EQ(e.shape, c.out_shape) << c.name;
      return e.values;
    }
  ADD_FAILURE() << "slicing_reference.py has no strided slice case " << c.name;
  static const std::vector<int> kNone;
  return kNone;
}

Graph SliceGraph(const SliceCase& c, DType dtype = DType::kInt8) {
  Graph g;
  const int32_t n = static_cast<int32_t>(c.begin.size());
  const int in = AddTensor(g, "in", dtype, c.in_shape);
  const int b = AddConstant(g, "begin", DType::kInt32, {n}, c.begin);
  const int e = AddConstant(g, "end", DType::kInt32, {n}, c.end);
  const int s = AddConstant(g, "strides", DType::kInt32, {n}, c.strides);
  const int out = AddTensor(g, "out", dtype, c.out_shape);
  Node& node = AddNode(g, OpKind::kStridedSlice, {in, b, e, s}, {out});
  node.attrs.set("begin_mask", c.begin_mask);
  node.attrs.set("end_mask", c.end_mask);
  node.attrs.set("ellipsis_mask", c.ellipsis_mask);
  node.attrs.set("new_axis_mask", c.new_axis_mask);
  node.attrs.set("shrink_axis_mask", c.shrink_mask);
  node.attrs.set("offset", c.offset);
  return g;
}

kiln_strided_slice_params_t LoweredParams(const Graph& g, std::string* decl = nullptr) {
  test::RecordingLoweringContext ctx(g);
  EXPECT_TRUE(LowerStridedSlice(g.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"strided_slice"});
  const std::string& d = ctx.declarations.at(0);
  if (decl) *decl = d;
  kiln_strided_slice_params_t p;
  p.element_size = static_cast<int32_t>(DeclInts(d, "element_size").at(0));
  p.start = static_cast<int32_t>(DeclInts(d, "start").at(0));
  Fill(p.count, DeclInts(d, "count"));
  Fill(p.step, DeclInts(d, "step"));
  return p;
}

template <typename T>
std::vector<int> RunCase(const SliceCase& c, DType dtype) {
  const Graph g = SliceGraph(c, dtype);
  const Status s = CheckStridedSlice(g, g.nodes[0]);
  EXPECT_TRUE(s.ok()) << c.name << ": " << s.message();
  if (!s.ok()) return {};
  const kiln_strided_slice_params_t p = LoweredParams(g);
  std::vector<T> input(static_cast<size_t>(g.tensors[0].num_elements()));
  std::iota(input.begin(), input.end(), T(0));
  std::vector<T> out(Expected(c).size() + 1, T(-1));
  kiln_strided_slice(&p, input.data(), out.data());
  EXPECT_EQ(out.back(), T(-1)) << c.name << ": wrote past the output";
  return std::vector<int>(out.begin(), out.end() - 1);
}

const std::vector<SliceCase>& Cases() {
  static const std::vector<SliceCase> cases = {
      // x = range(4): x[1:3]
      {"Basic1D", {4}, {1}, {3}, {1}, 0, 0, 0, 0, 0, 0, {2}},
      // x[-3:3]
      {"NegativeBegin", {4}, {-3}, {3}, {1}, 0, 0, 0, 0, 0, 0, {2}},
      // x[-1:-4:-1]
      {"NegativeStride", {4}, {-1}, {-4}, {-1}, 0, 0, 0, 0, 0, 0, {3}},
      // x[:3]
      {"BeginMask", {4}, {2}, {3}, {1}, 1, 0, 0, 0, 0, 0, {3}},
      // x[2::-1]
      {"EndMaskNegativeStride", {4}, {2}, {0}, {-1}, 0, 1, 0, 0, 0, 0, {3}},
      // x[-10:10]
      {"ClampForward", {4}, {-10}, {10}, {1}, 0, 0, 0, 0, 0, 0, {4}},
      // x[10:-10:-1]
      {"ClampBackward", {4}, {10}, {-10}, {-1}, 0, 0, 0, 0, 0, 0, {4}},
      // x[3:1] is empty
      {"Empty", {4}, {3}, {1}, {1}, 0, 0, 0, 0, 0, 0, {0}},
      // x = range(6) as [2,3]: x[1] (fewer begin entries than dimensions)
      {"ShrinkRow", {2, 3}, {1}, {2}, {1}, 0, 0, 0, 0, 1, 0, {3}},
      // x[:, -1]
      {"ShrinkNegativeIndex", {2, 3}, {0, -1}, {0, 0}, {1, 1}, 1, 1, 0, 0, 2, 0, {2}},
      // x = range(24) as [2,3,4]: x[1:, ::-2, -3:]
      {"Mixed3D", {2, 3, 4}, {1, 0, -3}, {0, 0, 0}, {1, -2, 1}, 2, 7, 0, 0, 0, 0, {1, 2, 3}},
      // x[:, 0:3:2, ::3]
      {"Strides2And3", {2, 3, 4}, {0, 0, 0}, {0, 3, 0}, {1, 2, 3}, 5, 5, 0, 0, 0, 0, {2, 2, 2}},
      // x[..., 1]
      {"EllipsisThenShrink", {2, 3, 4}, {0, 1}, {0, 2}, {1, 1}, 0, 0, 1, 0, 2, 0, {2, 3}},
      // x = range(8) as [2,4]: x[:, None, 1:3]
      {"NewAxis", {2, 4}, {0, 0, 1}, {0, 0, 3}, {1, 1, 1}, 1, 1, 0, 2, 0, 0, {2, 1, 2}},
      // offset: end holds sizes, x[1:1+2]
      {"Offset", {4}, {1}, {2}, {1}, 0, 0, 0, 0, 0, 1, {2}},
  };
  return cases;
}

TEST(StridedSliceKernel, MatchesPythonSlicingInt8) {
  for (const SliceCase& c : Cases()) EXPECT_EQ(RunCase<int8_t>(c, DType::kInt8), Expected(c)) << c.name;
}

// The generator and the cases above name the same slices, in the same order.
TEST(StridedSliceKernel, EveryGeneratedCaseIsRun) {
  std::vector<std::string> run, generated;
  for (const SliceCase& c : Cases()) run.emplace_back(c.name);
  for (const auto& e : test::slicing_expected::kStridedSlice) generated.emplace_back(e.name);
  EXPECT_EQ(run, generated);
}

TEST(StridedSliceKernel, MatchesPythonSlicingOtherDTypes) {
  for (const SliceCase& c : Cases()) {
    EXPECT_EQ(RunCase<int16_t>(c, DType::kInt16), Expected(c)) << c.name;
    EXPECT_EQ(RunCase<int32_t>(c, DType::kInt32), Expected(c)) << c.name;
    EXPECT_EQ(RunCase<float>(c, DType::kFloat32), Expected(c)) << c.name;
  }
}

TEST(StridedSliceLower, FoldsIndicesIntoStartCountAndStep) {
  const Graph g = SliceGraph(Cases()[10]);  // Mixed3D
  ASSERT_STREQ(Cases()[10].name, "Mixed3D");
  std::string decl;
  const kiln_strided_slice_params_t p = LoweredParams(g, &decl);
  // start: plane 1 (12) + row 2 (the reverse walk's first, 8) + column 1.
  EXPECT_EQ(p.start, 21);
  EXPECT_EQ(DeclInts(decl, "count"), (std::vector<int64_t>{1, 1, 1, 2, 3}));
  EXPECT_EQ(p.step[2], 12);
  EXPECT_EQ(p.step[3], -8);
  EXPECT_EQ(p.step[4], 1);
  EXPECT_EQ(p.element_size, 1);
}

TEST(StridedSliceCheck, RejectsWrongDeclaredShape) {
  SliceCase c = Cases()[10];
  c.out_shape = {1, 3, 3};
  const Graph g = SliceGraph(c);
  const Status s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 STRIDED_SLICE: output 0 'out' has shape [1,3,3], expected [1,2,3]");
}

TEST(StridedSliceCheck, RejectsBadIndices) {
  SliceCase c = Cases()[0];
  c.strides = {0};
  Graph g = SliceGraph(c);
  Status s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 STRIDED_SLICE: the stride of dimension 0 is 0");

  c = Cases()[8];  // ShrinkRow, with begin past the end
  c.begin = {5};
  g = SliceGraph(c);
  s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 STRIDED_SLICE: shrink_axis_mask selects no element of dimension 0 "
            "(begin 2, stride 1, size 2)");

  c = Cases()[0];
  c.ellipsis_mask = 3;
  g = SliceGraph(c);
  s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "operator #0 STRIDED_SLICE: ellipsis_mask 3 has more than one bit set");

  g = SliceGraph(Cases()[0]);
  g.tensors[2].is_constant = false;
  s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 STRIDED_SLICE: input 2 (end 'end') must be a constant tensor");
}

TEST(StridedSliceCheck, RejectsMoreThanFiveDimensions) {
  SliceCase c = {"SixD", {1, 1, 1, 1, 1, 2}, {0}, {1}, {1}, 0, 0, 0, 0, 0, 0, {1, 1, 1, 1, 1, 2}};
  const Graph g = SliceGraph(c);
  const Status s = CheckStridedSlice(g, g.nodes[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "operator #0 STRIDED_SLICE: input 'in' has rank 6 (shape [1,1,1,1,1,2]); at most 5 "
            "dimensions are supported");
}

}  // namespace
}  // namespace kiln
