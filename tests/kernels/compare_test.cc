// Tests of the comparisons and logical operators: each lowered through its
// registry entry and run as C with the parameters Lower computed. float32
// and int32 results come from C++'s own operators on the broadcast
// operands; int8 from TFLite Micro's rescaling worked out by hand (each
// input, minus its zero point, times 256, times its scale, rounded); bool
// from the truth tables.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/compare_bool.h"
#include "kiln/kernels/compare_f32.h"
#include "kiln/kernels/compare_s32.h"
#include "kiln/kernels/compare_s8.h"
#include "kiln/kernels/logical_bool.h"
#include "kiln/kernels/logical_not_bool.h"

namespace kiln::test::elem {
namespace {

const OpKind kComparisons[] = {OpKind::kEqual, OpKind::kNotEqual, OpKind::kLess,
                               OpKind::kLessEqual, OpKind::kGreater, OpKind::kGreaterEqual};

template <typename T>
bool Compare(OpKind op, T a, T b) {
  switch (op) {
    case OpKind::kEqual: return a == b;
    case OpKind::kNotEqual: return a != b;
    case OpKind::kLess: return a < b;
    case OpKind::kLessEqual: return a <= b;
    case OpKind::kGreater: return a > b;
    default: return a >= b;
  }
}

struct Lowered {
  std::string kernel;
  std::map<std::string, std::string> params;
};

// A [2,1,3] x [4,1] graph (broadcast to [2,4,3]) of `op` on `dtype`, checked and lowered.
Lowered Lower(OpKind op, DType dtype, Shape sa = {2, 1, 3}, Shape sb = {4, 1}, float scale_a = 0, int zp_a = 0,
              float scale_b = 0, int zp_b = 0) {
  Graph g;
  const int a = AddTensor(g, "a", dtype, sa, scale_a, zp_a);
  const int b = AddTensor(g, "b", dtype, sb, scale_b, zp_b);
  const int out = AddTensor(g, "out", DType::kBool, *kiln::BroadcastShapes(sa, sb));
  AddNode(g, op, "", {a, b}, {out});
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  Lowered l;
  if (!ctx.kernels.empty()) l.kernel = ctx.kernels[0];
  if (!ctx.declarations.empty()) l.params = ParseParams(ctx.declarations[0]);
  return l;
}

// The reference result of broadcasting a [2,1,3] and b [4,1] to [2,4,3].
template <typename T>
std::vector<uint8_t> Expected(OpKind op, const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<uint8_t> out;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) out.push_back(Compare(op, a[i * 3 + k], b[j]) ? 1 : 0);
  return out;
}

TEST(Compare, Float32WithBroadcastingAndNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> a = {1.5f, -2, nan, 0, 3, -0.0f};
  const std::vector<float> b = {1.5f, 0, nan, -7};
  int checked = 0;
  for (OpKind op : kComparisons) {
    SCOPED_TRACE(static_cast<int>(op));
    const Lowered l = Lower(op, DType::kFloat32);
    EXPECT_EQ(l.kernel, "compare_f32");
    kiln_compare_f32_params_t p{};
    p.shape = ReadBroadcast(l.params);
    p.op = static_cast<int32_t>(ParseInt(l.params.at("op")));
    std::vector<uint8_t> out(24, 7);
    kiln_compare_f32(&p, a.data(), b.data(), out.data());
    EXPECT_EQ(out, Expected(op, a, b));
    ++checked;
  }
  EXPECT_EQ(checked, 6);
}

TEST(Compare, Int32WithBroadcasting) {
  const std::vector<int32_t> a = {INT32_MIN, -1, 0, 5, INT32_MAX, 7};
  const std::vector<int32_t> b = {-1, 5, INT32_MAX, 0};
  for (OpKind op : kComparisons) {
    const Lowered l = Lower(op, DType::kInt32);
    EXPECT_EQ(l.kernel, "compare_s32");
    kiln_compare_s32_params_t p{};
    p.shape = ReadBroadcast(l.params);
    p.op = static_cast<int32_t>(ParseInt(l.params.at("op")));
    std::vector<uint8_t> out(24, 7);
    kiln_compare_s32(&p, a.data(), b.data(), out.data());
    EXPECT_EQ(out, Expected(op, a, b));
  }
}

std::vector<uint8_t> RunS8(const Lowered& l, const std::vector<int8_t>& a, const std::vector<int8_t>& b) {
  EXPECT_EQ(l.kernel, "compare_s8");
  kiln_compare_s8_params_t p{};
  p.shape = ReadBroadcast(l.params);
  p.op = static_cast<int32_t>(ParseInt(l.params.at("op")));
  p.input1_offset = static_cast<int32_t>(ParseInt(l.params.at("input1_offset")));
  p.input1_multiplier = static_cast<int32_t>(ParseInt(l.params.at("input1_multiplier")));
  p.input1_shift = static_cast<int32_t>(ParseInt(l.params.at("input1_shift")));
  p.input2_offset = static_cast<int32_t>(ParseInt(l.params.at("input2_offset")));
  p.input2_multiplier = static_cast<int32_t>(ParseInt(l.params.at("input2_multiplier")));
  p.input2_shift = static_cast<int32_t>(ParseInt(l.params.at("input2_shift")));
  std::vector<uint8_t> out(a.size() > b.size() ? a.size() : b.size(), 7);
  kiln_compare_s8(&p, a.data(), b.data(), out.data());
  return out;
}

TEST(Compare, Int8ComparesRealValuesAcrossQuantizations) {
  // a: scale 0.5, zero point 2; b: scale 0.25, zero point -4. Real values
  // a = 0.5 * (q - 2): {-1, 0, 1.5}; b = 0.25 * (q + 4): {0, 1.5, -1}.
  // Times 256 they are exact: {-256, 0, 384} and {0, 384, -256}.
  const std::vector<int8_t> a = {0, 2, 5};
  const std::vector<int8_t> b = {-4, 2, -8};
  const std::vector<std::vector<uint8_t>> expected = {
      {0, 0, 0}, {1, 1, 1}, {1, 1, 0}, {1, 1, 0}, {0, 0, 1}, {0, 0, 1}};
  for (size_t i = 0; i < 6; ++i) {
    const Lowered l = Lower(kComparisons[i], DType::kInt8, {3}, {3}, 0.5f, 2, 0.25f, -4);
    EXPECT_EQ(l.params.at("input1_offset"), "-2");
    EXPECT_EQ(l.params.at("input2_offset"), "4");
    EXPECT_EQ(RunS8(l, a, b), expected[i]) << i;
  }
}

TEST(Compare, Int8RoundsTheRescaledValuesAsTfliteMicro) {
  // Scale 0.001 on both: q * 256 * 0.001 rounds 1 and -1 to 0, 2 to 1
  // (0.256 and 0.512): TFLite Micro then finds 1 == -1, and 1 < 2.
  const Lowered eq = Lower(OpKind::kEqual, DType::kInt8, {3}, {3}, 0.001f, 0, 0.001f, 0);
  EXPECT_EQ(RunS8(eq, {1, 2, 0}, {-1, 1, 1}), (std::vector<uint8_t>{1, 0, 1}));
  const Lowered less = Lower(OpKind::kLess, DType::kInt8, {3}, {3}, 0.001f, 0, 0.001f, 0);
  EXPECT_EQ(RunS8(less, {1, -1, 0}, {2, 1, 1}), (std::vector<uint8_t>{1, 0, 0}));
}

TEST(Compare, BoolEqualityAndLogic) {
  const std::vector<uint8_t> a = {0, 1, 1, 0, 1, 0};
  const std::vector<uint8_t> b = {0, 1, 1, 0};
  for (OpKind op : {OpKind::kEqual, OpKind::kNotEqual}) {
    const Lowered l = Lower(op, DType::kBool);
    EXPECT_EQ(l.kernel, "compare_bool");
    kiln_compare_bool_params_t p{};
    p.shape = ReadBroadcast(l.params);
    p.op = static_cast<int32_t>(ParseInt(l.params.at("op")));
    std::vector<uint8_t> out(24, 7);
    kiln_compare_bool(&p, a.data(), b.data(), out.data());
    EXPECT_EQ(out, Expected(op, a, b));
  }
  for (OpKind op : {OpKind::kLogicalAnd, OpKind::kLogicalOr}) {
    const Lowered l = Lower(op, DType::kBool);
    EXPECT_EQ(l.kernel, "logical_bool");
    kiln_logical_bool_params_t p{};
    p.shape = ReadBroadcast(l.params);
    p.op = static_cast<int32_t>(ParseInt(l.params.at("op")));
    std::vector<uint8_t> out(24, 7);
    // Any non-zero byte is true.
    const std::vector<uint8_t> a2 = {0, 2, 255, 0, 1, 0};
    kiln_logical_bool(&p, a2.data(), b.data(), out.data());
    std::vector<uint8_t> expected;
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 4; ++j)
        for (int k = 0; k < 3; ++k) {
          const bool x = a2[i * 3 + k] != 0, y = b[j] != 0;
          expected.push_back(op == OpKind::kLogicalAnd ? (x && y) : (x || y));
        }
    EXPECT_EQ(out, expected);
  }
  const std::vector<uint8_t> in = {0, 1, 9};
  std::vector<uint8_t> out(3, 7);
  const kiln_logical_not_bool_params_t np{3};
  kiln_logical_not_bool(&np, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<uint8_t>{1, 0, 0}));
}

TEST(Compare, CheckRefusesWhatTfliteMicroRefuses) {
  Graph g;
  const int a = AddTensor(g, "a", DType::kBool, {3});
  const int b = AddTensor(g, "b", DType::kBool, {3});
  const int out = AddTensor(g, "out", DType::kBool, {3});
  AddNode(g, OpKind::kLess, "LESS", {a, b}, {out});
  EXPECT_EQ(CheckCompare(g, g.nodes[0]).message(),
            "operator #0 LESS: input 0 (a 'a') has dtype bool, expected float32 or int32 or int64 or int8");
  g.tensors[0].dtype = g.tensors[1].dtype = DType::kInt8;
  g.tensors[0].quant.scale = {1.5f};
  g.tensors[0].quant.zero_point = {0};
  g.tensors[1].quant.scale = {0.5f};
  g.tensors[1].quant.zero_point = {0};
  EXPECT_EQ(CheckCompare(g, g.nodes[0]).message(),
            "operator #0 LESS: input a 'a' has scale 1.5; int8 comparisons need a scale below 1");
  g.tensors[0].quant.scale = {0.5f};
  g.tensors[2].dtype = DType::kInt8;
  EXPECT_EQ(CheckCompare(g, g.nodes[0]).message(), "operator #0 LESS: output 0 'out' has dtype int8, expected bool");
}

}  // namespace
}  // namespace kiln::test::elem
