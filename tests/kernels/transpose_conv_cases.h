// The TRANSPOSE_CONV golden cases of transpose_conv_golden.py (TFLite's
// scattering reference kernels, modelled independently), the operands they
// were computed from, and each case as a TFLite model: shared by the kernel
// test and the end-to-end and device tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/s16x8_cases.h"

namespace kiln::test {

struct TransposeConvCase {
  const char* name;
  std::string dtype;  // "float32", "int8" or "int16"
  int32_t n, h, w, c, kh, kw, out_c, out_h, out_w;
  const char* padding;
  int32_t stride_h, stride_w;
  const char* activation;
  float input_scale;
  int32_t input_zp;
  std::vector<float> filter_scales;
  float output_scale;
  int32_t output_zp;
  std::string bias;  // "", or its dtype
  uint32_t seed;
  std::vector<int32_t> expected_q;
  std::vector<double> expected_f;
};

#include "kernels/transpose_conv_golden.inc"

inline void PrintTo(const TransposeConvCase& c, std::ostream* os) { *os << c.name; }

/// A case's operands as bytes, drawn as the generator draws them.
struct TransposeConvOperands {
  std::vector<uint8_t> input, filter, bias;
};

inline TransposeConvOperands DrawFor(const TransposeConvCase& c) {
  TransposeConvOperands o;
  Lcg g(c.seed);
  auto put = [](std::vector<uint8_t>& out, const auto& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof(v));
  };
  const bool f32 = c.dtype == "float32";
  for (int64_t i = 0; i < int64_t{c.n} * c.h * c.w * c.c; ++i) {
    if (f32) put(o.input, g.F());
    else if (c.dtype == "int8") put(o.input, g.I8());
    else put(o.input, I16(g));
  }
  for (int64_t i = 0; i < int64_t{c.out_c} * c.kh * c.kw * c.c; ++i) {
    if (f32) put(o.filter, g.F());
    else put(o.filter, g.I8());
  }
  for (int32_t i = 0; !c.bias.empty() && i < c.out_c; ++i) {
    if (f32) put(o.bias, g.F());
    else if (c.bias == "int16") put(o.bias, static_cast<int16_t>(static_cast<int32_t>(g.Next() >> 16) - 32768));
    else if (c.dtype == "int8") put(o.bias, g.Bias());
    else put(o.bias, BiasValue(g));
  }
  return o;
}

inline tflite_fb::TensorType TfliteType(const std::string& dtype) {
  using T = tflite_fb::TensorType;
  if (dtype == "float32") return T::FLOAT32;
  if (dtype == "int8") return T::INT8;
  if (dtype == "int16") return T::INT16;
  if (dtype == "int32") return T::INT32;
  return T::INT64;
}

/// Adds the case as TFLite's TRANSPOSE_CONV(output_shape, weights, input,
/// bias?) with a constant output_shape; returns its input and output.
inline std::pair<int, int> AddTransposeConv(TfliteModelBuilder& b, const TransposeConvCase& c,
                                            const TransposeConvOperands& o, const std::string& tag = "") {
  namespace fb = tflite_fb;
  const bool q = c.dtype != "float32";
  auto scale = [&](float s) { return q ? std::vector<float>{s} : std::vector<float>{}; };
  auto zp = [&](int64_t z) { return q ? std::vector<int64_t>{z} : std::vector<int64_t>{}; };
  const int in = b.AddTensor("x" + tag, TfliteType(c.dtype), {c.n, c.h, c.w, c.c}, scale(c.input_scale),
                             zp(c.input_zp));
  const int shape = b.AddConstant<int32_t>("shape" + tag, fb::TensorType::INT32, {4}, {c.n, c.out_h, c.out_w, c.out_c});
  const int w = b.AddConstant<uint8_t>("w" + tag, q ? fb::TensorType::INT8 : fb::TensorType::FLOAT32,
                                       {c.out_c, c.kh, c.kw, c.c}, o.filter,
                                       q ? c.filter_scales : std::vector<float>{},
                                       q ? std::vector<int64_t>(c.filter_scales.size(), 0) : std::vector<int64_t>{});
  std::vector<int32_t> inputs = {shape, w, in};
  if (!c.bias.empty()) inputs.push_back(b.AddConstant<uint8_t>("b" + tag, TfliteType(c.bias), {c.out_c}, o.bias));
  const int out = b.AddTensor("y" + tag, TfliteType(c.dtype), {c.n, c.out_h, c.out_w, c.out_c},
                              scale(c.output_scale), zp(c.output_zp));
  fb::TransposeConvOptionsT opt;
  opt.padding = std::string(c.padding) == "SAME" ? fb::Padding::SAME : fb::Padding::VALID;
  opt.stride_h = c.stride_h;
  opt.stride_w = c.stride_w;
  opt.fused_activation_function = TfliteActivation(c.activation);
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(opt));
  b.AddOperator(67, inputs, {out}, std::move(u));
  return {in, out};
}

/// Every case side by side in one model: input k and output k are case k's.
inline TfliteModelBuilder AllTransposeConvCasesModel(std::vector<TransposeConvOperands>* operands) {
  TfliteModelBuilder b;
  std::vector<int32_t> ins, outs;
  for (const auto& c : kTransposeConvCases) {
    operands->push_back(DrawFor(c));
    const auto [in, out] = AddTransposeConv(b, c, operands->back(), "_" + std::string(c.name));
    ins.push_back(in);
    outs.push_back(out);
  }
  b.SetIo(ins, outs);
  return b;
}

/// Compares output bytes with a case's expected values, exactly; returns
/// how many values matched.
inline size_t ExpectTransposeConvOutput(const TransposeConvCase& c, const std::vector<uint8_t>& bytes) {
  size_t matched = 0;
  const size_t count = static_cast<size_t>(c.n) * c.out_h * c.out_w * c.out_c;
  const size_t width = c.dtype == "int8" ? 1 : c.dtype == "int16" ? 2 : 4;
  EXPECT_EQ(bytes.size(), count * width) << c.name;
  if (bytes.size() != count * width) return 0;
  for (size_t i = 0; i < count; ++i) {
    if (c.dtype == "float32") {
      float v;
      std::memcpy(&v, bytes.data() + 4 * i, 4);
      EXPECT_EQ(static_cast<double>(v), c.expected_f[i]) << c.name << " element " << i;
      matched += static_cast<double>(v) == c.expected_f[i];
    } else {
      int32_t v = static_cast<int8_t>(bytes[i]);
      if (width == 2) {
        int16_t v16;
        std::memcpy(&v16, bytes.data() + 2 * i, 2);
        v = v16;
      }
      EXPECT_EQ(v, c.expected_q[i]) << c.name << " element " << i;
      matched += v == c.expected_q[i];
    }
  }
  return matched;
}

}  // namespace kiln::test
