// Tests of ARG_MAX / ARG_MIN: every dtype's kernel against the definition
// (the first index of the largest or smallest element along the axis,
// computed here by a plain loop), ties, NaN, int64 output, ONNX's
// select_last_index and keep_dims, and the check's errors.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/arg_min_max_f32.h"
#include "kiln/kernels/arg_min_max_s16.h"
#include "kiln/kernels/arg_min_max_s32.h"
#include "kiln/kernels/arg_min_max_s8.h"

namespace kiln::test::elem {
namespace {

// [2, 3, 4] over `axis`, lowered; the params read back.
kiln_arg_min_max_params_t Lower(OpKind op, DType dtype, int32_t axis, DType out_dtype, Shape out_shape,
                                int64_t keep_dims = 0, int64_t select_last = 0, std::string* kernel = nullptr) {
  Graph g;
  const int in = AddTensor(g, "in", dtype, {2, 3, 4}, dtype == DType::kInt8 ? 0.5f : 0.0f);
  const int a = AddTensor(g, "axis", DType::kInt32, {1});
  g.tensors[static_cast<size_t>(a)].is_constant = true;
  g.tensors[static_cast<size_t>(a)].data.resize(4);
  std::memcpy(g.tensors[static_cast<size_t>(a)].data.data(), &axis, 4);
  const int out = AddTensor(g, "out", out_dtype, std::move(out_shape));
  Node& n = AddNode(g, op, "", {in, a}, {out});
  n.attrs.set("keep_dims", keep_dims);
  n.attrs.set("select_last_index", select_last);
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  if (kernel != nullptr && !ctx.kernels.empty()) *kernel = ctx.kernels[0];
  kiln_arg_min_max_params_t p{};
  if (ctx.declarations.empty()) return p;
  const auto f = ParseParams(ctx.declarations[0]);
  p.outer = static_cast<int32_t>(ParseInt(f.at("outer")));
  p.axis_size = static_cast<int32_t>(ParseInt(f.at("axis_size")));
  p.inner = static_cast<int32_t>(ParseInt(f.at("inner")));
  p.is_min = static_cast<int32_t>(ParseInt(f.at("is_min")));
  p.output_int64 = static_cast<int32_t>(ParseInt(f.at("output_int64")));
  p.select_last = static_cast<int32_t>(ParseInt(f.at("select_last")));
  return p;
}

// The definition, by a plain loop over a [2, 3, 4] tensor.
template <typename T>
std::vector<int64_t> Reference(const std::vector<T>& x, int axis, bool is_min, bool last) {
  const int dims[3] = {2, 3, 4};
  std::vector<int64_t> out;
  int other[2], k = 0;
  for (int d = 0; d < 3; ++d)
    if (d != axis) other[k++] = d;
  for (int i = 0; i < dims[other[0]]; ++i)
    for (int j = 0; j < dims[other[1]]; ++j) {
      int64_t best = -1;
      T best_value{};
      for (int t = 0; t < dims[axis]; ++t) {
        int idx[3];
        idx[axis] = t;
        idx[other[0]] = i;
        idx[other[1]] = j;
        const T v = x[static_cast<size_t>((idx[0] * 3 + idx[1]) * 4 + idx[2])];
        const bool better = best < 0 || (is_min ? v < best_value : v > best_value) || (last && v == best_value);
        if (better) {
          best = t;
          best_value = v;
        }
      }
      out.push_back(best);
    }
  return out;
}

TEST(ArgMinMax, EveryDtypeAxisAndDirectionMatchesTheDefinition) {
  // Values with ties (i % 5) so that "first" and "last" differ.
  std::vector<int8_t> s8;
  std::vector<int16_t> s16;
  std::vector<int32_t> s32;
  std::vector<float> f32;
  for (int i = 0; i < 24; ++i) {
    const int v = (i * 7) % 5 - 2;
    s8.push_back(static_cast<int8_t>(v));
    s16.push_back(static_cast<int16_t>(v * 1000));
    s32.push_back(v * 100000);
    f32.push_back(static_cast<float>(v) * 0.5f);
  }
  int checked = 0;
  for (OpKind op : {OpKind::kArgMax, OpKind::kArgMin})
    for (int axis : {0, 1, 2, -1})
      for (int last : {0, 1}) {
        const int a = axis < 0 ? axis + 3 : axis;
        Shape shape = {2, 3, 4};
        shape.erase(shape.begin() + a);
        const bool is_min = op == OpKind::kArgMin;
        auto run = [&](DType dtype, auto kernel, const auto& x) {
          std::string name;
          const auto p = Lower(op, dtype, axis, DType::kInt32, shape, 0, last, &name);
          std::vector<int32_t> out(static_cast<size_t>(p.outer * p.inner), -1);
          kernel(&p, x.data(), out.data());
          EXPECT_EQ(std::vector<int64_t>(out.begin(), out.end()), Reference(x, a, is_min, last != 0))
              << name << " axis " << axis << " last " << last;
          ++checked;
        };
        run(DType::kFloat32, kiln_arg_min_max_f32, f32);
        run(DType::kInt8, kiln_arg_min_max_s8, s8);
        run(DType::kInt16, kiln_arg_min_max_s16, s16);
        run(DType::kInt32, kiln_arg_min_max_s32, s32);
      }
  EXPECT_EQ(checked, 2 * 4 * 2 * 4);
}

TEST(ArgMinMax, Int64OutputKeepDimsAndNan) {
  std::vector<float> x(24, 1.0f);
  x[0] = std::numeric_limits<float>::quiet_NaN();  // first along axis 0 at (0,0,0): chosen
  x[13] = std::numeric_limits<float>::quiet_NaN();  // second at (1,0,1): never chosen
  x[12 + 2] = 5.0f;
  const auto p = Lower(OpKind::kArgMax, DType::kFloat32, 0, DType::kInt64, {1, 3, 4}, 1);
  EXPECT_EQ(p.output_int64, 1);
  std::vector<int64_t> out(12, -1);
  kiln_arg_min_max_f32(&p, x.data(), out.data());
  EXPECT_EQ(out, (std::vector<int64_t>{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(ArgMinMax, CheckNamesTheField) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {2, 3});
  const int a = AddTensor(g, "axis", DType::kInt32, {1});
  g.tensors[1].is_constant = true;
  g.tensors[1].data = {2, 0, 0, 0};
  const int out = AddTensor(g, "out", DType::kFloat32, {2});
  AddNode(g, OpKind::kArgMax, "ARG_MAX", {in, a}, {out});
  EXPECT_EQ(CheckArgMinMax(g, g.nodes[0]).message(),
            "operator #0 ARG_MAX: output 'out' has dtype float32, expected int32 or int64");
  g.tensors[2].dtype = DType::kInt32;
  EXPECT_EQ(CheckArgMinMax(g, g.nodes[0]).message(), "operator #0 ARG_MAX: axis 2 is out of range for rank 2");
}

}  // namespace
}  // namespace kiln::test::elem
