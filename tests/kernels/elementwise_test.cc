// Tests of ADD / SUB / MUL / ADD_N: the broadcast helpers, the int8 kernels against
// golden outputs of elementwise_reference.py (through Check and Lower, so
// the parameters Lower computes are the ones the kernel runs with), hand-
// computed cases, the float kernels, and Check's diagnostics.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include <gtest/gtest.h>

#include "kernels/div_expected.h"
#include "kernels/elementwise_test_util.h"
#include "kernels/elementwise_util.h"
#include "kiln/kernels/add_f32.h"
#include "kiln/kernels/add_n_s8.h"
#include "kiln/kernels/add_s16.h"
#include "kiln/kernels/add_s8.h"
#include "kiln/kernels/div_s8.h"
#include "kiln/kernels/mul_f32.h"
#include "kiln/kernels/mul_s16.h"
#include "kiln/kernels/mul_s8.h"
#include "kiln/kernels/rsqrt_s8.h"
#include "kiln/kernels/sub_f32.h"
#include "kiln/kernels/sub_s8.h"

namespace kiln::test::elem {
namespace {

using kiln::elem_detail::BroadcastInitializer;
using kiln::BroadcastShapes;

OpKind OpFromName(const std::string& op) {
  if (op == "add") return OpKind::kAdd;
  if (op == "sub") return OpKind::kSub;
  return OpKind::kMul;
}

/// A graph with one binary node: a, b -> out.
struct BinaryGraph {
  Graph graph;
  int node = 0;

  BinaryGraph(OpKind op, DType dtype, Shape a, Shape b, Shape out, float sa = 0, int32_t za = 0,
              float sb = 0, int32_t zb = 0, float so = 0, int32_t zo = 0,
              const std::string& activation = "NONE") {
    const int ta = AddTensor(graph, "a", dtype, std::move(a), sa, za);
    const int tb = AddTensor(graph, "b", dtype, std::move(b), sb, zb);
    const int to = AddTensor(graph, "out", dtype, std::move(out), so, zo);
    const char* name = op == OpKind::kAdd ? "ADD" : op == OpKind::kSub ? "SUB" : "MUL";
    AddNode(graph, op, name, {ta, tb}, {to}).attrs.set("activation", activation);
  }
  const Node& n() const { return graph.nodes[static_cast<size_t>(node)]; }
  Node& n() { return graph.nodes[static_cast<size_t>(node)]; }
};


// --- broadcasting ---------------------------------------------------------------

TEST(ElementwiseBroadcast, Shapes) {
  EXPECT_EQ(BroadcastShapes({2, 1, 3}, {4, 1}), (Shape{2, 4, 3}));
  EXPECT_EQ(BroadcastShapes({5}, {}), (Shape{5}));
  EXPECT_EQ(BroadcastShapes({}, {}), (Shape{}));
  EXPECT_EQ(BroadcastShapes({1}, {7, 1}), (Shape{7, 1}));
  EXPECT_EQ(BroadcastShapes({1, 2, 3}, {1, 2, 3}), (Shape{1, 2, 3}));
  EXPECT_FALSE(BroadcastShapes({2, 3}, {3, 2}).has_value());
  EXPECT_FALSE(BroadcastShapes({4}, {3}).has_value());
}

TEST(ElementwiseBroadcast, InitializerStrides) {
  // a [2,1,3] -> padded [1,1,1,2,1,3], row-major strides [6,6,6,3,3,1];
  // b [4,1]   -> padded [1,1,1,1,4,1], row-major strides [4,4,4,4,1,1];
  // a broadcasts along dim 4, b along dims 3 and 5.
  const auto p = ParseParams(BroadcastInitializer({2, 1, 3}, {4, 1}));
  EXPECT_EQ(ParseIntArray(p.at("dims")), (std::vector<int64_t>{1, 1, 1, 2, 4, 3}));
  EXPECT_EQ(ParseIntArray(p.at("a_strides")), (std::vector<int64_t>{6, 6, 6, 3, 0, 1}));
  EXPECT_EQ(ParseIntArray(p.at("b_strides")), (std::vector<int64_t>{4, 4, 4, 0, 1, 0}));
  EXPECT_EQ(p.at("count"), "24");
  EXPECT_EQ(p.at("flat"), "0");
  // Same shape up to leading 1s walks flat.
  EXPECT_EQ(ParseParams(BroadcastInitializer({1, 4}, {4})).at("flat"), "1");
}

TEST(ElementwiseBroadcast, IteratorVisitsNumpyOrder) {
  // Walk [2,1,3] + [4,1] with float add and compare with a direct index
  // computation: out[i][j][k] = a[i][0][k] + b[j][0].
  const auto p = ParseParams(BroadcastInitializer({2, 1, 3}, {4, 1}));
  kiln_add_f32_params_t params{};
  params.shape = ReadBroadcast(p);
  params.activation_min = -FLT_MAX;
  params.activation_max = FLT_MAX;
  const float a[6] = {1, 2, 3, 4, 5, 6};
  const float b[4] = {10, 20, 30, 40};
  float out[24];
  kiln_add_f32(&params, a, b, out);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(out[(i * 4 + j) * 3 + k], a[i * 3 + k] + b[j]);
}

// --- int8 golden cases --------------------------------------------------------------

template <typename Params>
void FillAddSub(Params& params, const std::map<std::string, std::string>& p) {
  params.shape = ReadBroadcast(p);
  params.input1_offset = static_cast<int32_t>(ParseInt(p.at("input1_offset")));
  params.input2_offset = static_cast<int32_t>(ParseInt(p.at("input2_offset")));
  params.left_shift = static_cast<int32_t>(ParseInt(p.at("left_shift")));
  params.input1_multiplier = static_cast<int32_t>(ParseInt(p.at("input1_multiplier")));
  params.input1_shift = static_cast<int32_t>(ParseInt(p.at("input1_shift")));
  params.input2_multiplier = static_cast<int32_t>(ParseInt(p.at("input2_multiplier")));
  params.input2_shift = static_cast<int32_t>(ParseInt(p.at("input2_shift")));
  params.output_multiplier = static_cast<int32_t>(ParseInt(p.at("output_multiplier")));
  params.output_shift = static_cast<int32_t>(ParseInt(p.at("output_shift")));
  params.output_offset = static_cast<int32_t>(ParseInt(p.at("output_offset")));
  params.activation_min = static_cast<int32_t>(ParseInt(p.at("activation_min")));
  params.activation_max = static_cast<int32_t>(ParseInt(p.at("activation_max")));
}

void FillMul(kiln_mul_quantized_params_t& params, const std::map<std::string, std::string>& p) {
  params.shape = ReadBroadcast(p);
  params.input1_offset = static_cast<int32_t>(ParseInt(p.at("input1_offset")));
  params.input2_offset = static_cast<int32_t>(ParseInt(p.at("input2_offset")));
  params.output_multiplier = static_cast<int32_t>(ParseInt(p.at("output_multiplier")));
  params.output_shift = static_cast<int32_t>(ParseInt(p.at("output_shift")));
  params.output_offset = static_cast<int32_t>(ParseInt(p.at("output_offset")));
  params.activation_min = static_cast<int32_t>(ParseInt(p.at("activation_min")));
  params.activation_max = static_cast<int32_t>(ParseInt(p.at("activation_max")));
}

// int8 ADD_N through Check and Lower: the parameters Lower computes equal
// the reference's, and the kernel run with them gives its outputs.
TEST(ElementwiseQuantized, AddNGoldenCasesThroughLowering) {
  for (const AddNCase& c : kAddNCases) {
    SCOPED_TRACE(c.name);
    Graph graph;
    std::vector<int> inputs;
    for (int k = 0; k < c.n; ++k)
      inputs.push_back(AddTensor(graph, fmt::format("x{}", k), DType::kInt8, c.shape, c.scale, c.zp));
    const int out = AddTensor(graph, "out", DType::kInt8, c.shape, c.scale_out, c.zp_out);
    const Node& node = AddNode(graph, OpKind::kAddN, "ADD_N", inputs, {out});
    RecordingLoweringContext ctx = CheckAndLower(graph, node);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"add_n_s8"});
    ASSERT_EQ(ctx.declarations.size(), 1u);
    ASSERT_EQ(ctx.statements.size(), 1u);
    const auto p = ParseParams(ctx.declarations[0]);
    EXPECT_EQ(ParseInt(p.at("input_multiplier")), c.input_multiplier);
    EXPECT_EQ(ParseInt(p.at("input_shift")), c.input_shift);
    EXPECT_EQ(ParseInt(p.at("output_multiplier")), c.output_multiplier);
    EXPECT_EQ(ParseInt(p.at("output_shift")), c.output_shift);
    kiln_add_n_s8_params_t params{};
    params.count = static_cast<int32_t>(ParseInt(p.at("count")));
    params.input_offset = static_cast<int32_t>(ParseInt(p.at("input_offset")));
    params.left_shift = static_cast<int32_t>(ParseInt(p.at("left_shift")));
    params.input_multiplier = c.input_multiplier;
    params.input_shift = c.input_shift;
    params.output_multiplier = c.output_multiplier;
    params.output_shift = c.output_shift;
    params.output_offset = static_cast<int32_t>(ParseInt(p.at("output_offset")));
    params.act_min = static_cast<int32_t>(ParseInt(p.at("act_min")));
    params.act_max = static_cast<int32_t>(ParseInt(p.at("act_max")));
    const size_t count = c.expected.size();
    ASSERT_EQ(params.count, static_cast<int32_t>(count));
    std::vector<int8_t> values(c.inputs.begin(), c.inputs.end());
    std::vector<const int8_t*> pointers;
    for (int k = 0; k < c.n; ++k) pointers.push_back(values.data() + static_cast<size_t>(k) * count);
    std::vector<int8_t> got(count);
    kiln_add_n_s8(&params, pointers.data(), c.n, got.data());
    EXPECT_EQ(std::vector<int32_t>(got.begin(), got.end()), c.expected);
  }
}

// int8 ADD_N's inputs must share one quantization (TFLite Micro's Prepare).
TEST(ElementwiseQuantized, AddNRefusesInputsOfAnotherQuantization) {
  Graph graph;
  const int a = AddTensor(graph, "a", DType::kInt8, {4}, 0.05f, 0);
  const int b = AddTensor(graph, "b", DType::kInt8, {4}, 0.05f, 3);
  const int out = AddTensor(graph, "out", DType::kInt8, {4}, 0.1f, 0);
  const Node& node = AddNode(graph, OpKind::kAddN, "ADD_N", {a, b}, {out});
  const std::string error = CheckError(graph, node);
  EXPECT_NE(error.find("input 1 'b' must have the quantization of input 0 'a'"), std::string::npos) << error;
}

TEST(ElementwiseQuantized, GoldenCasesThroughLowering) {
  for (const BinaryCase& c : kBinaryCases) {
    SCOPED_TRACE(c.name);
    const std::string op = c.op;
    // TFLite Micro's int16 SUB is its ADD with input2's multiplier negated.
    const std::string variant = (c.bits == 16 && op == "sub" ? "add" : op) + (c.bits == 16 ? "_s16" : "_s8");
    BinaryGraph g(OpFromName(op), c.bits == 16 ? DType::kInt16 : DType::kInt8, c.shape_a,
                  c.shape_b, c.shape_out, c.scale_a, c.zp_a, c.scale_b, c.zp_b, c.scale_out,
                  c.zp_out, c.activation);
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{variant});
    ASSERT_EQ(ctx.declarations.size(), 1u);
    ASSERT_EQ(ctx.statements.size(), 1u);
    EXPECT_EQ(ctx.statements[0],
              fmt::format("kiln_{}(&{}_params_0, t0, t1, t2);", variant, variant));
    const auto p = ParseParams(ctx.declarations[0]);
    // The parameters Lower computed equal the reference's.
    EXPECT_EQ(ParseInt(p.at("output_multiplier")), c.mo);
    EXPECT_EQ(ParseInt(p.at("output_shift")), c.so);
    EXPECT_EQ(ParseInt(p.at("activation_min")), c.act_min);
    EXPECT_EQ(ParseInt(p.at("activation_max")), c.act_max);
    if (op != "mul") {
      EXPECT_EQ(ParseInt(p.at("input1_multiplier")), c.m1);
      EXPECT_EQ(ParseInt(p.at("input1_shift")), c.s1);
      EXPECT_EQ(ParseInt(p.at("input2_multiplier")), c.m2);
      EXPECT_EQ(ParseInt(p.at("input2_shift")), c.s2);
    }
    if (c.bits == 16 && op == "mul") {
      const std::vector<int16_t> a = Cast<int16_t>(c.a), b = Cast<int16_t>(c.b);
      std::vector<int16_t> out(c.expected.size(), 0);
      kiln_mul_s16_params_t params{};
      FillMul(params, p);
      kiln_mul_s16(&params, a.data(), b.data(), out.data());
      EXPECT_EQ(Widen(out), c.expected);
      continue;
    }
    if (c.bits == 16) {
      EXPECT_EQ(ParseInt(p.at("left_shift")), 15);
      const std::vector<int16_t> a = Cast<int16_t>(c.a), b = Cast<int16_t>(c.b);
      std::vector<int16_t> out(c.expected.size(), 0);
      // int16 SUB is add_s16 with a negated input2 multiplier.
      kiln_add_s16_params_t params{};
      FillAddSub(params, p);
      kiln_add_s16(&params, a.data(), b.data(), out.data());
      EXPECT_EQ(Widen(out), c.expected);
      continue;
    }
    const std::vector<int8_t> a = Cast<int8_t>(c.a), b = Cast<int8_t>(c.b);
    std::vector<int8_t> out(c.expected.size(), 0);
    if (op == "mul") {
      kiln_mul_s8_params_t params{};
      FillMul(params, p);
      kiln_mul_s8(&params, a.data(), b.data(), out.data());
    } else {
      EXPECT_EQ(ParseInt(p.at("left_shift")), 20);
      if (op == "add") {
        kiln_add_s8_params_t params{};
        FillAddSub(params, p);
        kiln_add_s8(&params, a.data(), b.data(), out.data());
      } else {
        kiln_sub_s8_params_t params{};
        FillAddSub(params, p);
        kiln_sub_s8(&params, a.data(), b.data(), out.data());
      }
    }
    EXPECT_EQ(Widen(out), c.expected);
  }
}

TEST(ElementwiseQuantized, AddHandComputed) {
  // All scales 0.5, zero points 0: input multipliers 0.5 = 2^30 * 2^-31
  // (shift 0), output multiplier 2*0.5 / (2^20 * 0.5) = 2^-19 = 2^30 *
  // 2^(-18-31). 3 + 4: (3 << 20) * 0.5 + (4 << 20) * 0.5 = 7 << 19, times
  // 2^-19 = 7. Saturation: 100 + 100 = 200 clamps to 127.
  BinaryGraph g(OpKind::kAdd, DType::kInt8, {4}, {4}, {4}, 0.5f, 0, 0.5f, 0, 0.5f, 0);
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.declarations.size(), 1u);
  const auto p = ParseParams(ctx.declarations[0]);
  EXPECT_EQ(p.at("input1_multiplier"), "1073741824");
  EXPECT_EQ(p.at("input1_shift"), "0");
  EXPECT_EQ(p.at("output_multiplier"), "1073741824");
  EXPECT_EQ(p.at("output_shift"), "-18");
  EXPECT_EQ(p.at("flat"), "1");
  kiln_add_s8_params_t params{};
  FillAddSub(params, p);
  const int8_t a[4] = {3, -3, 100, -128};
  const int8_t b[4] = {4, -4, 100, -1};
  int8_t out[4];
  kiln_add_s8(&params, a, b, out);
  EXPECT_EQ(out[0], 7);
  EXPECT_EQ(out[1], -7);
  EXPECT_EQ(out[2], 127);
  EXPECT_EQ(out[3], -128);
}

TEST(ElementwiseQuantized, SubRescalesInFloatLikeTflm) {
  // sub_common.cc forms input2_scale / (2 * max) in float, add_common.cc in
  // double; for these scales the encoded multipliers differ in the low bits.
  BinaryGraph sub(OpKind::kSub, DType::kInt8, {2}, {2}, {2}, 0.0378f, 0, 0.0214f, 0, 0.0517f, 0);
  BinaryGraph add(OpKind::kAdd, DType::kInt8, {2}, {2}, {2}, 0.0378f, 0, 0.0214f, 0, 0.0517f, 0);
  const auto ps = ParseParams(CheckAndLower(sub.graph, sub.n()).declarations.at(0));
  const auto pa = ParseParams(CheckAndLower(add.graph, add.n()).declarations.at(0));
  EXPECT_EQ(ps.at("input2_multiplier"), "1215771264");
  EXPECT_EQ(pa.at("input2_multiplier"), "1215771245");
  EXPECT_EQ(ps.at("output_multiplier"), "1570113792");
  EXPECT_EQ(pa.at("output_multiplier"), "1570113742");
}

TEST(ElementwiseQuantized, MulMultiplierAboveOne) {
  // 0.5 * 0.25 / 2^-7 = 16 = 0.5 * 2^5: multiplier 2^30, shift +5 (a left
  // shift inside MultiplyByQuantizedMultiplier). (6 - 1) * (-1 + 2) = 5 ->
  // 5 * 16 = 80; (127 - 1) * (127 + 2) * 16 saturates to 127.
  BinaryGraph g(OpKind::kMul, DType::kInt8, {2}, {2}, {2}, 0.5f, 1, 0.25f, -2, 0.0078125f, 0);
  const auto p = ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0));
  EXPECT_EQ(p.at("output_multiplier"), "1073741824");
  EXPECT_EQ(p.at("output_shift"), "5");
  EXPECT_EQ(p.at("input1_offset"), "-1");
  EXPECT_EQ(p.at("input2_offset"), "2");
  kiln_mul_s8_params_t params{};
  params.shape = ReadBroadcast(p);
  params.input1_offset = -1;
  params.input2_offset = 2;
  params.output_multiplier = 1073741824;
  params.output_shift = 5;
  params.activation_min = -128;
  params.activation_max = 127;
  const int8_t a[2] = {6, 127}, b[2] = {-1, 127};
  int8_t out[2] = {0, 0};
  kiln_mul_s8(&params, a, b, out);
  EXPECT_EQ(out[0], 80);
  EXPECT_EQ(out[1], 127);
}

// --- float32 ------------------------------------------------------------------------

TEST(ElementwiseFloat, AddSubMulWithActivations) {
  const float a[6] = {-2.5f, 0.25f, 7.0f, 1e30f, -1e30f, 3.0f};
  const float b[2] = {1.5f, -4.0f};  // broadcast along the last axis of [3,2]
  for (const char* act : {"NONE", "RELU", "RELU6", "RELU_N1_TO_1"}) {
    for (OpKind op : {OpKind::kAdd, OpKind::kSub, OpKind::kMul}) {
      SCOPED_TRACE(std::string(act) + " " + std::to_string(static_cast<int>(op)));
      BinaryGraph g(op, DType::kFloat32, {3, 2}, {2}, {3, 2}, 0, 0, 0, 0, 0, 0, act);
      RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
      ASSERT_EQ(ctx.declarations.size(), 1u);
      const auto p = ParseParams(ctx.declarations[0]);
      const float lo = ParseFloat(p.at("activation_min"));
      const float hi = ParseFloat(p.at("activation_max"));
      const std::string a_ = act;
      EXPECT_EQ(lo, a_ == "NONE" ? -FLT_MAX : a_ == "RELU_N1_TO_1" ? -1.0f : 0.0f);
      EXPECT_EQ(hi, a_ == "RELU6" ? 6.0f : a_ == "RELU_N1_TO_1" ? 1.0f : FLT_MAX);
      float out[6];
      kiln_broadcast_t shape = ReadBroadcast(p);
      if (op == OpKind::kAdd) {
        const kiln_add_f32_params_t params{shape, lo, hi};
        kiln_add_f32(&params, a, b, out);
      } else if (op == OpKind::kSub) {
        const kiln_sub_f32_params_t params{shape, lo, hi};
        kiln_sub_f32(&params, a, b, out);
      } else {
        const kiln_mul_f32_params_t params{shape, lo, hi};
        kiln_mul_f32(&params, a, b, out);
      }
      for (int i = 0; i < 6; ++i) {
        const float x = a[i], y = b[i % 2];
        float v = op == OpKind::kAdd ? x + y : op == OpKind::kSub ? x - y : x * y;
        v = std::min(std::max(v, lo), hi);
        EXPECT_EQ(out[i], v) << i;
      }
    }
  }
}

TEST(ElementwiseFloat, ReluClampsInfinityToFltMax) {
  // TFLite's RELU range is [0, FLT_MAX]: an infinite sum clamps to FLT_MAX.
  kiln_add_f32_params_t params{};
  params.shape = ReadBroadcast(ParseParams(BroadcastInitializer({1}, {1})));
  params.activation_min = 0.0f;
  params.activation_max = FLT_MAX;
  const float a = INFINITY, b = 1.0f;
  float out = 0;
  kiln_add_f32(&params, &a, &b, &out);
  EXPECT_EQ(out, FLT_MAX);
}

// --- emitted C --------------------------------------------------------------------------

TEST(ElementwiseEmittedC, CompilesAsStrictC99) {
  // One graph with every binary variant, broadcast and flat.
  Graph g;
  const int a8 = AddTensor(g, "a8", DType::kInt8, {2, 1, 3}, 0.1f, -3);
  const int b8 = AddTensor(g, "b8", DType::kInt8, {4, 1}, 0.2f, 5);
  const int a16 = AddTensor(g, "a16", DType::kInt16, {4}, 0.001f, 0);
  const int af = AddTensor(g, "af", DType::kFloat32, {3});
  for (OpKind op : {OpKind::kAdd, OpKind::kSub, OpKind::kMul}) {
    const char* name = op == OpKind::kAdd ? "ADD" : op == OpKind::kSub ? "SUB" : "MUL";
    const int o8 = AddTensor(g, "o8", DType::kInt8, {2, 4, 3}, 0.3f, -128);
    AddNode(g, op, name, {a8, b8}, {o8}).attrs.set("activation", std::string("RELU"));
    const int of = AddTensor(g, "of", DType::kFloat32, {3});
    AddNode(g, op, name, {af, af}, {of}).attrs.set("activation", std::string("NONE"));
    if (op != OpKind::kMul) {
      const int o16 = AddTensor(g, "o16", DType::kInt16, {4}, 0.002f, 0);
      AddNode(g, op, name, {a16, a16}, {o16}).attrs.set("activation", std::string("NONE"));
    }
  }
  const std::string error = CompileLoweredAsC99(g);
  EXPECT_EQ(error, "");
}

// --- Check diagnostics -----------------------------------------------------------------

TEST(ElementwiseCheck, RejectsIncompatibleShapes) {
  BinaryGraph g(OpKind::kAdd, DType::kFloat32, {2, 3}, {3, 2}, {2, 3});
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 ADD: input shapes [2,3] ('a') and [3,2] ('b') cannot be broadcast "
            "together");
}

TEST(ElementwiseCheck, RejectsWrongOutputShape) {
  BinaryGraph g(OpKind::kMul, DType::kFloat32, {2, 1, 3}, {4, 1}, {2, 3});
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 MUL: output 0 'out' has shape [2,3], expected [2,4,3]");
}

TEST(ElementwiseCheck, RejectsMixedDTypes) {
  BinaryGraph g(OpKind::kAdd, DType::kInt8, {2}, {2}, {2}, 0.1f, 0, 0.1f, 0, 0.1f, 0);
  g.graph.tensors[1].dtype = DType::kInt16;
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 ADD: input 1 (b 'b') has dtype int16, expected int8");
  g.graph.tensors[1].dtype = DType::kInt8;
  g.graph.tensors[2].dtype = DType::kFloat32;
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 ADD: output 0 'out' has dtype float32, expected int8");
}

TEST(ElementwiseCheck, RejectsRankAboveSix) {
  BinaryGraph g(OpKind::kSub, DType::kFloat32, {1, 1, 1, 1, 1, 1, 2}, {2},
                {1, 1, 1, 1, 1, 1, 2});
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 SUB: input a 'a' has rank 7; at most 6 is supported");
}

TEST(ElementwiseCheck, RejectsUnsupportedActivation) {
  BinaryGraph g(OpKind::kAdd, DType::kInt8, {2}, {2}, {2}, 0.1f, 0, 0.1f, 0, 0.1f, 0, "TANH");
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 ADD: fused activation TANH is not supported");
  BinaryGraph f(OpKind::kMul, DType::kFloat32, {2}, {2}, {2}, 0, 0, 0, 0, 0, 0, "SIGN_BIT");
  EXPECT_EQ(CheckError(f.graph, f.n()),
            "operator #0 MUL: fused activation SIGN_BIT is not supported");
}

TEST(ElementwiseCheck, RejectsMissingOrBadQuantization) {
  BinaryGraph g(OpKind::kAdd, DType::kInt8, {2}, {2}, {2}, 0.1f, 0, 0.1f, 0, 0.0f, 0);
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 ADD: output 'out' needs per-tensor quantization with a positive scale");
  BinaryGraph z(OpKind::kMul, DType::kInt8, {2}, {2}, {2}, 0.1f, 200, 0.1f, 0, 0.1f, 0);
  EXPECT_EQ(CheckError(z.graph, z.n()),
            "operator #0 MUL: input a 'a' has zero point 200, outside the int8 range [-128, 127]");
}

TEST(ElementwiseCheck, RejectsAddOutputScaleTooSmall) {
  // 2 * 1.0 / (2^20 * 1e-7) > 1: TFLite's QuantizeMultiplierSmallerThanOneExp aborts.
  BinaryGraph g(OpKind::kAdd, DType::kInt8, {2}, {2}, {2}, 1.0f, 0, 0.5f, 0, 1e-7f, 0);
  const std::string error = CheckError(g.graph, g.n());
  EXPECT_NE(error.find("operator #0 ADD: the rescaling factor 2 * max scale / (2^20 * "
                       "output_scale)"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("must lie in (0, 1)"), std::string::npos) << error;
}

TEST(ElementwiseCheck, Int16SubNeedsZeroPointZero) {
  BinaryGraph g(OpKind::kSub, DType::kInt16, {2}, {2}, {2}, 0.1f, 0, 0.1f, 3, 0.1f, 0);
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 SUB: int16 input b 'b' must have zero point 0, not 3");
  BinaryGraph mul(OpKind::kMul, DType::kInt16, {2}, {2}, {2}, 0.1f, 0, 0.1f, 0, 0.1f, 2);
  EXPECT_EQ(CheckError(mul.graph, mul.n()), "operator #0 MUL: int16 output 'out' has zero point 2, expected 0");
}

TEST(ElementwiseCheck, RejectsWrongArity) {
  Graph graph;
  const int a = AddTensor(graph, "a", DType::kFloat32, {2});
  const int out = AddTensor(graph, "out", DType::kFloat32, {2});
  AddNode(graph, OpKind::kAdd, "ADD", {a}, {out});
  EXPECT_EQ(CheckError(graph, graph.nodes[0]), "operator #0 ADD: expected 2 inputs, got 1");
}

kiln_div_s8_params_t ReadDivParams(const std::map<std::string, std::string>& p) {
  kiln_div_s8_params_t params{};
  params.shape = ReadBroadcast(p);
  params.input1_offset = static_cast<int32_t>(ParseInt(p.at("input1_offset")));
  params.input2_offset = static_cast<int32_t>(ParseInt(p.at("input2_offset")));
  params.output_offset = static_cast<int32_t>(ParseInt(p.at("output_offset")));
  params.output_multiplier = static_cast<int32_t>(ParseInt(p.at("output_multiplier")));
  params.output_shift = static_cast<int32_t>(ParseInt(p.at("output_shift")));
  params.activation_min = static_cast<int32_t>(ParseInt(p.at("activation_min")));
  params.activation_max = static_cast<int32_t>(ParseInt(p.at("activation_max")));
  return params;
}

// int8 DIV: the parameters Check and Lower compute, the kernel against the
// real quotient over every pair of int8 values (TFLite's reciprocal is a
// Newton approximation: within one step of the rounded quotient, never
// further), a zero divisor reported, and the scale limit refused by name.
TEST(DivS8, EveryPairWithinOneStepOfTheQuotient) {
  // a [256, 1] / b [1, 256]: scales 0.5, 0.25, output 2 (multiplier 1).
  BinaryGraph g(OpKind::kDiv, DType::kInt8, {256, 1}, {1, 256}, {256, 256}, 0.5f, 3, 0.25f, -2, 2.0f, 1);
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"div_s8"});
  EXPECT_NE(ctx.statements.at(0).find("!= KILN_OK) return KILN_ERROR_DIVISION_BY_ZERO;"), std::string::npos);
  const auto p = ParseParams(ctx.declarations.at(0));
  const kiln_div_s8_params_t params = ReadDivParams(p);
  EXPECT_EQ(params.input1_offset, -3);
  EXPECT_EQ(params.input2_offset, 2);
  EXPECT_EQ(params.output_multiplier, 1 << 30);  // 0.5 / (0.25 * 2) = 1
  EXPECT_EQ(params.output_shift, 1);
  std::vector<int8_t> a(256), b(256), out(256 * 256);
  for (int v = 0; v < 256; ++v) a[v] = b[v] = static_cast<int8_t>(v - 128);
  // b = -2 is a zero divisor after its zero point: reported, the rest computed.
  EXPECT_EQ(kiln_div_s8(&params, a.data(), b.data(), out.data()), KILN_ERROR_DIVISION_BY_ZERO);
  b[126] = 5;  // -2 -> 5
  ASSERT_EQ(kiln_div_s8(&params, a.data(), b.data(), out.data()), KILN_OK);
  int checked = 0;
  for (int i = 0; i < 256; ++i)
    for (int j = 0; j < 256; ++j) {
      const double quotient = (a[i] - 3) * 0.5 / ((b[j] + 2) * 0.25) / 2.0;
      const double expected = std::clamp(std::round(quotient) + 1, -128.0, 127.0);
      ASSERT_LE(std::abs(out[static_cast<size_t>(i * 256 + j)] - expected), 1.0) << int(a[i]) << " / " << int(b[j]);
      ++checked;
    }
  EXPECT_EQ(checked, 256 * 256);
}

// Byte for byte against div_reference.py's statement of TFLite's arithmetic,
// at three scale ratios (1, an odd one, 40), through Check and Lower.
TEST(DivS8, MatchesTheReferenceBitForBit) {
  namespace de = div_expected;
  for (const de::DivCase* c : {&de::kScaleRatioOne, &de::kScaleRatioOdd, &de::kScaleRatioForty}) {
    const int32_t na = static_cast<int32_t>(c->a.size()), nb = static_cast<int32_t>(c->b.size());
    BinaryGraph g(OpKind::kDiv, DType::kInt8, {na, 1}, {1, nb}, {na, nb}, c->scale_a, c->zp_a, c->scale_b, c->zp_b,
                  c->scale_out, c->zp_out);
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    const auto p = ParseParams(ctx.declarations.at(0));
    const kiln_div_s8_params_t params = ReadDivParams(p);
    EXPECT_EQ(params.output_multiplier, c->multiplier);
    EXPECT_EQ(params.output_shift, c->shift);
    const std::vector<int8_t> a(c->a.begin(), c->a.end()), b(c->b.begin(), c->b.end());
    std::vector<int8_t> out(static_cast<size_t>(na * nb));
    ASSERT_EQ(kiln_div_s8(&params, a.data(), b.data(), out.data()), KILN_OK);
    EXPECT_EQ(std::vector<int32_t>(out.begin(), out.end()), c->expected);
  }
}

TEST(DivS8, RefusesAScaleRatioPast2Pow22) {
  BinaryGraph g(OpKind::kDiv, DType::kInt8, {2}, {2}, {2}, 1.0f, 0, 1e-4f, 0, 1e-4f, 0);
  EXPECT_EQ(CheckError(g.graph, g.n()),
            "operator #0 DIV: scale_a / (scale_b * scale_out) = 100000008 is too large (at most 2^22)");
}

// int8 RSQRT: every int8 value against 1 / sqrt of its real value, within
// one output step (TFLite's inverse square root is a fixed-point Newton
// iteration, kiln_gemmlowp_inv_sqrt_multiplier, shared with
// L2_NORMALIZATION); the zero point gives 127, a value below it stops the
// kernel.
TEST(RsqrtS8, EveryValueWithinOneStepOfTheInverseSquareRoot) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kInt8, {256}, 0.05f, -100);
  const int out = AddTensor(g, "out", DType::kInt8, {256}, 0.02f, -128);
  AddNode(g, OpKind::kRsqrt, "RSQRT", {in}, {out});
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"rsqrt_s8"});
  EXPECT_NE(ctx.statements.at(0).find("!= KILN_OK) return KILN_ERROR_OUT_OF_DOMAIN;"), std::string::npos);
  const auto p = ParseParams(ctx.declarations.at(0));
  const kiln_rsqrt_s8_params_t params = {static_cast<int32_t>(ParseInt(p.at("count"))),
                                         static_cast<int32_t>(ParseInt(p.at("input_zero_point"))),
                                         static_cast<int32_t>(ParseInt(p.at("output_zero_point"))),
                                         static_cast<int32_t>(ParseInt(p.at("multiplier"))),
                                         static_cast<int32_t>(ParseInt(p.at("shift")))};
  std::vector<int8_t> x(256), y(256);
  for (int v = 0; v < 256; ++v) x[v] = static_cast<int8_t>(v - 128);
  EXPECT_EQ(kiln_rsqrt_s8(&params, x.data(), y.data()), KILN_ERROR_OUT_OF_DOMAIN);  // -128 < -100
  x.erase(x.begin(), x.begin() + 28);  // from the zero point up
  std::vector<int8_t> z(x.size());
  kiln_rsqrt_s8_params_t from_zero = params;
  from_zero.count = static_cast<int32_t>(x.size());
  ASSERT_EQ(kiln_rsqrt_s8(&from_zero, x.data(), z.data()), KILN_OK);
  EXPECT_EQ(z[0], 127);
  for (size_t i = 1; i < x.size(); ++i) {
    const double real = 1.0 / std::sqrt(0.05 * (x[i] + 100)) / 0.02 - 128;
    EXPECT_LE(std::abs(z[i] - std::clamp(std::round(real), -128.0, 127.0)), 1.0) << int(x[i]);
  }
}

}  // namespace
}  // namespace kiln::test::elem
