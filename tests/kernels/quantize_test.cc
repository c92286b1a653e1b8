// Tests of QUANTIZE and DEQUANTIZE: float -> integer rounding (ties, float
// division, clamping), requantization between integer types against
// elementwise_reference.py (through Check and Lower), dequantization against
// TFLite's double formula, Check's diagnostics, and the QUANTIZE nodes of
// the shared keyword_scrambled_8bit model.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "frontend/tflite/tflite_importer.h"
#include "kernels/elementwise_test_util.h"
#include "kiln/kernels/dequantize_s16.h"
#include "kiln/kernels/dequantize_s8.h"
#include "kiln/kernels/dequantize_u8.h"
#include "kiln/kernels/quantize_f32.h"
#include "kiln/kernels/requantize_s16.h"
#include "kiln/kernels/requantize_s32.h"
#include "kiln/kernels/requantize_s8.h"
#include "kiln/kernels/requantize_u8.h"
#include "test_support.h"

namespace kiln::test::elem {
namespace {

/// A graph with one QUANTIZE / DEQUANTIZE node: in -> out.
struct QuantGraph {
  Graph graph;

  QuantGraph(OpKind op, DType in_type, DType out_type, Shape shape, float si, int32_t zi, float so,
             int32_t zo) {
    const int in = AddTensor(graph, "in", in_type, shape, si, zi);
    const int out = AddTensor(graph, "out", out_type, shape, so, zo);
    AddNode(graph, op, op == OpKind::kQuantize ? "QUANTIZE" : "DEQUANTIZE", {in}, {out});
  }
  Node& n() { return graph.nodes[0]; }
};

int32_t I(const std::map<std::string, std::string>& p, const char* key) {
  return static_cast<int32_t>(ParseInt(p.at(key)));
}

template <typename Params, typename OutputEnum>
Params ReadRequant(const std::map<std::string, std::string>& p, OutputEnum type) {
  Params r{};
  r.count = I(p, "count");
  r.input_zero_point = I(p, "input_zero_point");
  r.output_zero_point = I(p, "output_zero_point");
  r.multiplier = I(p, "multiplier");
  r.shift = I(p, "shift");
  r.output_type = type;
  return r;
}

/// Runs the requantization kernel for `c` with the lowered params `p`;
/// returns the outputs widened to int64.
std::vector<int64_t> RunRequant(const RequantCase& c, const std::map<std::string, std::string>& p) {
  const std::string in = c.in_type, out = c.out_type;
  const size_t n = c.input.size();
  std::vector<int64_t> result(n);
  std::vector<int8_t> o8(n);
  std::vector<uint8_t> ou8(n);
  std::vector<int16_t> o16(n);
  std::vector<int32_t> o32(n);
  void* dst = out == "s8" ? static_cast<void*>(o8.data())
              : out == "u8" ? static_cast<void*>(ou8.data())
              : out == "s16" ? static_cast<void*>(o16.data())
                             : static_cast<void*>(o32.data());
  // The enumerator the lowering named must be the one for this output type.
  const std::string type_name = p.at("output_type");
  EXPECT_NE(type_name.find("_TO_" + std::string(out == "s8" ? "S8" : out == "u8" ? "U8"
                                                    : out == "s16"                 ? "S16"
                                                                                   : "S32")),
            std::string::npos)
      << type_name;
  auto out_enum = [&](auto s8, auto u8, auto s16, auto s32) {
    return out == "s8" ? s8 : out == "u8" ? u8 : out == "s16" ? s16 : s32;
  };
  if (in == "s8") {
    std::vector<int8_t> x(c.input.begin(), c.input.end());
    const auto params = ReadRequant<kiln_requantize_s8_params_t>(
        p, out_enum(KILN_REQUANTIZE_S8_TO_S8, KILN_REQUANTIZE_S8_TO_U8, KILN_REQUANTIZE_S8_TO_S16,
                    KILN_REQUANTIZE_S8_TO_S32));
    kiln_requantize_s8(&params, x.data(), dst);
  } else if (in == "u8") {
    std::vector<uint8_t> x(c.input.begin(), c.input.end());
    const auto params = ReadRequant<kiln_requantize_u8_params_t>(
        p, out == "s8" ? KILN_REQUANTIZE_U8_TO_S8 : KILN_REQUANTIZE_U8_TO_U8);
    kiln_requantize_u8(&params, x.data(), dst);
  } else if (in == "s16") {
    std::vector<int16_t> x(c.input.begin(), c.input.end());
    const auto params = ReadRequant<kiln_requantize_s16_params_t>(
        p, out == "s8" ? KILN_REQUANTIZE_S16_TO_S8
           : out == "s16" ? KILN_REQUANTIZE_S16_TO_S16
                          : KILN_REQUANTIZE_S16_TO_S32);
    kiln_requantize_s16(&params, x.data(), dst);
  } else {
    std::vector<int32_t> x(c.input.begin(), c.input.end());
    const auto params = ReadRequant<kiln_requantize_s32_params_t>(
        p, out == "s8" ? KILN_REQUANTIZE_S32_TO_S8 : KILN_REQUANTIZE_S32_TO_S16);
    kiln_requantize_s32(&params, x.data(), dst);
  }
  for (size_t i = 0; i < n; ++i) {
    result[i] = out == "s8" ? o8[i] : out == "u8" ? ou8[i] : out == "s16" ? o16[i] : o32[i];
  }
  return result;
}

TEST(QuantizeRequant, GoldenCasesThroughLowering) {
  for (const RequantCase& c : kRequantCases) {
    SCOPED_TRACE(c.name);
    QuantGraph g(OpKind::kQuantize, TypeFromName(c.in_type), TypeFromName(c.out_type),
                 {static_cast<int32_t>(c.input.size())}, c.scale_in, c.zp_in, c.scale_out,
                 c.zp_out);
    RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
    ASSERT_EQ(ctx.kernels.size(), 1u);
    EXPECT_EQ(ctx.kernels[0], std::string("requantize_") + c.in_type);
    const auto p = ParseParams(ctx.declarations.at(0));
    EXPECT_EQ(I(p, "multiplier"), c.multiplier);
    EXPECT_EQ(I(p, "shift"), c.shift);
    EXPECT_EQ(I(p, "count"), static_cast<int32_t>(c.input.size()));
    EXPECT_EQ(RunRequant(c, p), c.expected);
  }
}

TEST(QuantizeRequant, Int8ToUint8ZeroPointShiftFlipsTopBit) {
  // TFLite's fast path for equal scales and zero points 128 apart: XOR 0x80.
  const kiln_requantize_s8_params_t params{4, -5, 123, 1 << 30, 1, KILN_REQUANTIZE_S8_TO_U8};
  const int8_t in[4] = {-128, -1, 0, 127};
  uint8_t out[4];
  kiln_requantize_s8(&params, in, out);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], static_cast<uint8_t>(in[i]) ^ 0x80u) << i;
}

// --- float -> integer ----------------------------------------------------------------

TEST(QuantizeFloat, RoundsHalfAwayFromZeroAndClamps) {
  QuantGraph g(OpKind::kQuantize, DType::kFloat32, DType::kInt8, {8}, 0, 0, 0.5f, 10);
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"quantize_f32"});
  const auto p = ParseParams(ctx.declarations.at(0));
  EXPECT_EQ(p.at("scale"), "0.5f");
  EXPECT_EQ(p.at("zero_point"), "10");
  EXPECT_EQ(p.at("output_type"), "KILN_QUANTIZE_F32_TO_S8");
  const kiln_quantize_f32_params_t params{8, 0.5f, 10, KILN_QUANTIZE_F32_TO_S8};
  // x / 0.5: 2.5 -> 3, -2.5 -> -3, 1.5 -> 2, -1.5 -> -2, 0.4 -> 0; + 10.
  const float in[8] = {1.25f, -1.25f, 0.75f, -0.75f, 0.2f, 100.0f, -100.0f, -69.0f};
  int8_t out[8];
  kiln_quantize_f32(&params, in, out);
  EXPECT_EQ(Widen(std::vector<int8_t>(out, out + 8)),
            (std::vector<int32_t>{13, 7, 12, 8, 10, 127, -128, -128}));
}

TEST(QuantizeFloat, DividesInFloat) {
  // float(x / s) lands exactly on a tie although the exact quotient does not:
  // 5.0999999f / 0.2f = 25.4999991... exactly, but 25.5 in float -> 26;
  // 1.52499998f / 0.05f -> 30.5 -> 31; -2.90499997f / 0.07f -> -41.5 -> -42.
  const kiln_quantize_f32_params_t params{1, 0.2f, 0, KILN_QUANTIZE_F32_TO_S8};
  const float in[1] = {5.0999999f};
  int8_t out[1];
  kiln_quantize_f32(&params, in, out);
  EXPECT_EQ(out[0], 26);
  const kiln_quantize_f32_params_t p2{1, 0.05f, 0, KILN_QUANTIZE_F32_TO_S8};
  const float in2 = 1.52499998f;
  kiln_quantize_f32(&p2, &in2, out);
  EXPECT_EQ(out[0], 31);
  const kiln_quantize_f32_params_t p3{1, 0.07f, 0, KILN_QUANTIZE_F32_TO_S8};
  const float in3 = -2.90499997f;
  kiln_quantize_f32(&p3, &in3, out);
  EXPECT_EQ(out[0], -42);
}

TEST(QuantizeFloat, Uint8AndInt16Outputs) {
  const kiln_quantize_f32_params_t u8{4, 0.1f, 128, KILN_QUANTIZE_F32_TO_U8};
  const float in[4] = {-20.0f, -0.05f, 0.05f, 20.0f};
  uint8_t ou[4];
  kiln_quantize_f32(&u8, in, ou);
  // -200 + 128 -> 0; round(-0.5) = -1 -> 127; round(0.5) = 1 -> 129; 200 + 128 -> 255.
  EXPECT_EQ(std::vector<int>(ou, ou + 4), (std::vector<int>{0, 127, 129, 255}));
  const kiln_quantize_f32_params_t s16{4, 0.001f, -3, KILN_QUANTIZE_F32_TO_S16};
  int16_t os[4];
  kiln_quantize_f32(&s16, in, os);
  EXPECT_EQ(std::vector<int>(os, os + 4), (std::vector<int>{-20003, -53, 47, 19997}));
  const float big[2] = {1e9f, -1e9f};
  kiln_quantize_f32(&s16, big, os);
  EXPECT_EQ(os[0], 32767);
  EXPECT_EQ(os[1], -32768);

  QuantGraph g(OpKind::kQuantize, DType::kFloat32, DType::kInt16, {4}, 0, 0, 0.001f, -3);
  EXPECT_EQ(ParseParams(CheckAndLower(g.graph, g.n()).declarations.at(0)).at("output_type"),
            "KILN_QUANTIZE_F32_TO_S16");
}

// --- DEQUANTIZE -----------------------------------------------------------------------

TEST(Dequantize, MatchesTflitesDoubleFormulaForEveryInt16) {
  // TFLite: static_cast<float>(double(scale) * (q - zero_point)).
  for (float scale : {0.1f, 3.0517578e-05f, 0.0078125f, 1.7e-3f, 123.456f}) {
    for (int32_t zp : {0, -32768, 32767, 17}) {
      std::vector<int16_t> in;
      for (int q = -32768; q <= 32767; ++q) in.push_back(static_cast<int16_t>(q));
      std::vector<float> out(in.size());
      const kiln_dequantize_s16_params_t params{static_cast<int32_t>(in.size()), scale, zp};
      kiln_dequantize_s16(&params, in.data(), out.data());
      for (size_t i = 0; i < in.size(); ++i) {
        const float expected = static_cast<float>(static_cast<double>(scale) * (in[i] - zp));
        ASSERT_EQ(out[i], expected) << "q=" << in[i] << " scale=" << scale << " zp=" << zp;
      }
    }
  }
}

TEST(Dequantize, Int8AndUint8ThroughLowering) {
  QuantGraph g(OpKind::kDequantize, DType::kInt8, DType::kFloat32, {2, 2}, 0.5f, -3, 0, 0);
  RecordingLoweringContext ctx = CheckAndLower(g.graph, g.n());
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"dequantize_s8"});
  const auto p = ParseParams(ctx.declarations.at(0));
  const kiln_dequantize_s8_params_t params{I(p, "count"), ParseFloat(p.at("scale")),
                                           I(p, "zero_point")};
  const int8_t in[4] = {5, -3, -128, 127};
  float out[4];
  kiln_dequantize_s8(&params, in, out);
  EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{4.0f, 0.0f, -62.5f, 65.0f}));

  const kiln_dequantize_u8_params_t u8{2, 0.25f, 128};
  const uint8_t uin[2] = {0, 255};
  kiln_dequantize_u8(&u8, uin, out);
  EXPECT_EQ(out[0], -32.0f);
  EXPECT_EQ(out[1], 31.75f);
}

// --- Check diagnostics ------------------------------------------------------------------

TEST(QuantizeCheck, Errors) {
  QuantGraph bad_out(OpKind::kQuantize, DType::kInt16, DType::kUInt8, {4}, 0.1f, 0, 0.1f, 0);
  EXPECT_EQ(CheckError(bad_out.graph, bad_out.n()),
            "operator #0 QUANTIZE: output 0 'out' has dtype uint8, expected int8 or int16 or "
            "int32");
  QuantGraph per_channel(OpKind::kQuantize, DType::kFloat32, DType::kInt8, {2}, 0, 0, 0.1f, 0);
  per_channel.graph.tensors[1].quant.scale = {0.1f, 0.2f};
  per_channel.graph.tensors[1].quant.zero_point = {0, 0};
  EXPECT_EQ(CheckError(per_channel.graph, per_channel.n()),
            "operator #0 QUANTIZE: output 'out' needs per-tensor quantization with a positive "
            "scale");
  QuantGraph no_in_q(OpKind::kQuantize, DType::kInt8, DType::kInt8, {4}, 0, 0, 0.1f, 0);
  EXPECT_EQ(CheckError(no_in_q.graph, no_in_q.n()),
            "operator #0 QUANTIZE: input 'in' needs per-tensor quantization with a positive "
            "scale");
  QuantGraph zp(OpKind::kQuantize, DType::kInt16, DType::kInt8, {4}, 0.1f, 0, 0.1f, -129);
  EXPECT_EQ(CheckError(zp.graph, zp.n()),
            "operator #0 QUANTIZE: output 'out' has zero point -129, outside the int8 range "
            "[-128, 127]");
  QuantGraph deq(OpKind::kDequantize, DType::kInt8, DType::kInt16, {4}, 0.1f, 0, 0.1f, 0);
  EXPECT_EQ(CheckError(deq.graph, deq.n()),
            "operator #0 DEQUANTIZE: output 0 'out' has dtype int16, expected float32");
  QuantGraph shape(OpKind::kDequantize, DType::kInt16, DType::kFloat32, {4}, 0.1f, 0, 0, 0);
  shape.graph.tensors[1].shape = {5};
  EXPECT_EQ(CheckError(shape.graph, shape.n()),
            "operator #0 DEQUANTIZE: output 0 'out' has shape [5], expected [4]");
}

// --- emitted C --------------------------------------------------------------------------

TEST(QuantizeEmittedC, CompilesAsStrictC99) {
  Graph g;
  const int f = AddTensor(g, "f", DType::kFloat32, {4});
  const int s8 = AddTensor(g, "s8", DType::kInt8, {4}, 0.1f, -1);
  const int u8 = AddTensor(g, "u8", DType::kUInt8, {4}, 0.1f, 128);
  const int s16 = AddTensor(g, "s16", DType::kInt16, {4}, 0.001f, 0);
  const int s32 = AddTensor(g, "s32", DType::kInt32, {4}, 0.0001f, 0);
  auto add = [&](OpKind op, int in, DType out_type, float scale, int32_t zp) {
    const int out = AddTensor(g, "out", out_type, {4}, scale, zp);
    AddNode(g, op, op == OpKind::kQuantize ? "QUANTIZE" : "DEQUANTIZE", {in}, {out});
  };
  for (DType t : {DType::kInt8, DType::kUInt8, DType::kInt16})
    add(OpKind::kQuantize, f, t, 0.5f, 0);
  for (DType t : {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32})
    add(OpKind::kQuantize, s8, t, 0.05f, 0);
  for (DType t : {DType::kInt8, DType::kUInt8}) add(OpKind::kQuantize, u8, t, 0.05f, 0);
  for (DType t : {DType::kInt8, DType::kInt16, DType::kInt32})
    add(OpKind::kQuantize, s16, t, 0.0001f, 0);
  for (DType t : {DType::kInt8, DType::kInt16}) add(OpKind::kQuantize, s32, t, 0.01f, 0);
  for (int in : {s8, u8, s16}) add(OpKind::kDequantize, in, DType::kFloat32, 0, 0);
  EXPECT_EQ(CompileLoweredAsC99(g), "");
}

// --- the shared model ------------------------------------------------------------------

TEST(QuantizeSharedModel, KeywordScrambledQuantizeNodesLower) {
  // keyword_scrambled_8bit requantizes its int16 input to int8 and its int16
  // result to int32.
  const auto path = SharedDir() / "models" / "tflite" / "keyword_scrambled_8bit" / "model.tflite";
  auto graph = kiln::tflite::ImportTfliteFile(path);
  ASSERT_TRUE(graph.ok()) << graph.message();
  std::vector<std::string> enumerators;
  for (const Node& node : graph->nodes) {
    if (node.op != OpKind::kQuantize) continue;
    RecordingLoweringContext ctx = CheckAndLower(*graph, node);
    ASSERT_EQ(ctx.declarations.size(), 1u);
    enumerators.push_back(ParseParams(ctx.declarations[0]).at("output_type"));
  }
  std::sort(enumerators.begin(), enumerators.end());
  EXPECT_EQ(enumerators,
            (std::vector<std::string>{"KILN_REQUANTIZE_S16_TO_S32", "KILN_REQUANTIZE_S16_TO_S8"}));
}

}  // namespace
}  // namespace kiln::test::elem
