// Tests of SUM, REDUCE_MAX and REDUCE_MIN: each lowered through its registry
// entry and run as C with the parameters Lower computed, against the
// definition computed here by plain loops (float32 sums in the row-major
// order TFLite adds them in); int8 on raw values; NaN never wins; the
// check's quantization rule.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/reduce_f32.h"
#include "kiln/kernels/reduce_s8.h"

namespace kiln::test::elem {
namespace {

// A [2, 3, 4] input reduced over `axes`, checked and lowered; the params read back.
kiln_reduce_f32_params_t Lower(OpKind op, DType dtype, const std::vector<int32_t>& axes, Shape out_shape,
                               bool keep_dims, float out_scale = 0.5f, std::string* error = nullptr) {
  Graph g;
  const bool q = dtype == DType::kInt8;
  const int in = AddTensor(g, "in", dtype, {2, 3, 4}, q ? 0.5f : 0.0f, 1);
  const int a = AddTensor(g, "axes", DType::kInt32, {static_cast<int32_t>(axes.size())});
  g.tensors[1].is_constant = true;
  g.tensors[1].data.resize(axes.size() * 4);
  std::memcpy(g.tensors[1].data.data(), axes.data(), axes.size() * 4);
  const int out = AddTensor(g, "out", dtype, std::move(out_shape), q ? out_scale : 0.0f, 1);
  AddNode(g, op, "", {in, a}, {out}).attrs.set("keep_dims", int64_t{keep_dims ? 1 : 0});
  kiln_reduce_f32_params_t p{};
  if (error != nullptr) {
    *error = CheckError(g, g.nodes[0]);
    return p;
  }
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  if (ctx.declarations.empty()) return p;
  const auto f = ParseParams(ctx.declarations[0]);
  p.num_dims = static_cast<int32_t>(ParseInt(f.at("num_dims")));
  const auto dims = ParseIntArray(f.at("input_dims")), strides = ParseIntArray(f.at("output_strides"));
  for (size_t i = 0; i < dims.size(); ++i) p.input_dims[i] = static_cast<int32_t>(dims[i]);
  for (size_t i = 0; i < strides.size(); ++i) p.output_strides[i] = static_cast<int32_t>(strides[i]);
  p.num_outputs = static_cast<int32_t>(ParseInt(f.at("num_outputs")));
  p.op = static_cast<int32_t>(ParseInt(f.at("op")));
  return p;
}

// Reduces x [2,3,4] over the axes in `reduced` (true per axis), row-major.
template <typename T, typename F>
std::vector<T> Reference(const std::vector<T>& x, const bool reduced[3], T init, F combine) {
  const int dims[3] = {2, 3, 4};
  int out_dims[3], count = 1;
  for (int d = 0; d < 3; ++d) {
    out_dims[d] = reduced[d] ? 1 : dims[d];
    count *= out_dims[d];
  }
  std::vector<T> out(static_cast<size_t>(count), init);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        const int o = ((reduced[0] ? 0 : i) * out_dims[1] + (reduced[1] ? 0 : j)) * out_dims[2] + (reduced[2] ? 0 : k);
        T& acc = out[static_cast<size_t>(o)];
        acc = combine(acc, x[static_cast<size_t>((i * 3 + j) * 4 + k)]);
      }
  return out;
}

TEST(Reduce, Float32SumMaxMinOverEveryAxisSet) {
  std::vector<float> x;
  for (int i = 0; i < 24; ++i) x.push_back(std::sin(static_cast<float>(i)) * 3.0f);
  const std::vector<std::vector<int32_t>> axis_sets = {{0}, {1}, {2}, {0, 2}, {-1, 1}, {0, 1, 2}};
  int checked = 0;
  for (const auto& axes : axis_sets) {
    bool reduced[3] = {false, false, false};
    for (int32_t a : axes) reduced[a < 0 ? a + 3 : a] = true;
    Shape kept = {reduced[0] ? 1 : 2, reduced[1] ? 1 : 3, reduced[2] ? 1 : 4};
    for (OpKind op : {OpKind::kSum, OpKind::kReduceMax, OpKind::kReduceMin}) {
      const auto p = Lower(op, DType::kFloat32, axes, kept, true);
      std::vector<float> out(static_cast<size_t>(p.num_outputs), 99.0f);
      kiln_reduce_f32(&p, x.data(), out.data());
      std::vector<float> expected;
      if (op == OpKind::kSum) expected = Reference<float>(x, reduced, 0.0f, [](float a, float b) { return a + b; });
      if (op == OpKind::kReduceMax)
        expected = Reference<float>(x, reduced, -std::numeric_limits<float>::max(),
                                    [](float a, float b) { return b > a ? b : a; });
      if (op == OpKind::kReduceMin)
        expected = Reference<float>(x, reduced, std::numeric_limits<float>::max(),
                                    [](float a, float b) { return b < a ? b : a; });
      EXPECT_EQ(out, expected) << "op " << static_cast<int>(op) << " axes " << axes.size();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18);
}

TEST(Reduce, NanNeverWinsAMaximum) {
  std::vector<float> x(24, 1.0f);
  x[0] = std::numeric_limits<float>::quiet_NaN();
  for (int i = 1; i < 12; ++i) x[static_cast<size_t>(i)] = std::numeric_limits<float>::quiet_NaN();
  const auto p = Lower(OpKind::kReduceMax, DType::kFloat32, {1, 2}, {2}, false);
  std::vector<float> out(2);
  kiln_reduce_f32(&p, x.data(), out.data());
  // The first batch is all NaN: TFLite's ReduceGeneric leaves the lowest float.
  EXPECT_EQ(out[0], -std::numeric_limits<float>::max());
  EXPECT_EQ(out[1], 1.0f);
}

TEST(Reduce, Int8MaxAndMinOnRawValues) {
  std::vector<int8_t> x;
  for (int i = 0; i < 24; ++i) x.push_back(static_cast<int8_t>((i * 37) % 256 - 128));
  const bool reduced[3] = {false, true, false};
  for (OpKind op : {OpKind::kReduceMax, OpKind::kReduceMin}) {
    const auto p = Lower(op, DType::kInt8, {1}, {2, 4}, false);
    std::vector<int8_t> out(8, 0);
    kiln_reduce_s8(&p, x.data(), out.data());
    const bool is_max = op == OpKind::kReduceMax;
    EXPECT_EQ(out, Reference<int8_t>(x, reduced, is_max ? int8_t{-128} : int8_t{127},
                                     [is_max](int8_t a, int8_t b) { return is_max ? (b > a ? b : a) : (b < a ? b : a); }));
  }
  std::string error;
  Lower(OpKind::kReduceMax, DType::kInt8, {1}, {2, 4}, false, 0.25f, &error);
  EXPECT_EQ(error, "operator #0 REDUCE_MAX: int8 input 'in' and output 'out' must have the same scale and zero point");
  // int8 REDUCE_PROD: TFLite Micro has none (integer SUM runs mean_s8:
  // SingleOperator.IntegerSumAndInt16Mean).
  Lower(OpKind::kReduceProd, DType::kInt8, {1}, {2, 4}, false, 0.5f, &error);
  EXPECT_EQ(error, "<no kernel>");
}

}  // namespace
}  // namespace kiln::test::elem
