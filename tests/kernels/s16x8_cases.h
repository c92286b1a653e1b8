// The 16x8 golden cases of s16x8_golden.py (an independent model of
// TFLite's 16x8 reference kernels) and the operands they were computed from,
// drawn from the generator's LCG: shared by the kernel tests and the
// end-to-end and device tests.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "kernels/conv_test_util.h"
#include "tflite_model_builder.h"

namespace kiln::test {

struct S16x8ConvCase {
  const char* name;
  bool depthwise;
  int32_t n, h, w, c, kh, kw, filter_c, out_c;
  const char* padding;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  const char* activation;
  float input_scale;
  std::vector<float> filter_scales;
  float output_scale;
  std::string bias;  // "", "int32" or "int64"
  uint32_t seed;
  std::vector<int32_t> expected;
};

struct S16x8FcCase {
  const char* name;
  std::vector<int32_t> input_shape;
  int32_t out_depth, accum_depth;
  const char* activation;
  float input_scale;
  std::vector<float> weights_scales;
  int32_t weights_zp;
  float output_scale;
  std::string bias;
  uint32_t seed;
  std::vector<int32_t> expected;
};

#include "kernels/s16x8_golden.inc"

inline void PrintTo(const S16x8ConvCase& c, std::ostream* os) { *os << c.name; }
inline void PrintTo(const S16x8FcCase& c, std::ostream* os) { *os << c.name; }

// The generator's extra draws (s16x8_golden.py: i16, bias_value).
inline int16_t I16(Lcg& lcg) { return static_cast<int16_t>(static_cast<int32_t>(lcg.Next() >> 16) - 32768); }
inline int64_t BiasValue(Lcg& lcg) { return static_cast<int64_t>((lcg.Next() >> 8) % 2000001u) - 1000000; }

/// The operands of a case and the bias in its declared width.
struct S16x8Operands {
  std::vector<int16_t> input;
  std::vector<int8_t> weights;
  std::vector<int32_t> bias32;
  std::vector<int64_t> bias64;
  const void* bias() const {
    return !bias64.empty() ? static_cast<const void*>(bias64.data())
                           : (!bias32.empty() ? static_cast<const void*>(bias32.data()) : nullptr);
  }
};

inline S16x8Operands Draw(uint32_t seed, int64_t inputs, int64_t weights, int64_t channels, const std::string& bias) {
  S16x8Operands o;
  Lcg lcg(seed);
  for (int64_t i = 0; i < inputs; ++i) o.input.push_back(I16(lcg));
  for (int64_t i = 0; i < weights; ++i) o.weights.push_back(lcg.I8());
  for (int64_t i = 0; bias.size() && i < channels; ++i) {
    const int64_t v = BiasValue(lcg);
    if (bias == "int64") o.bias64.push_back(v);
    else o.bias32.push_back(static_cast<int32_t>(v));
  }
  return o;
}

/// The operands a case's expected values were computed from.
inline S16x8Operands DrawFor(const S16x8ConvCase& c) {
  return Draw(c.seed, int64_t{c.n} * c.h * c.w * c.c,
              int64_t{c.kh} * c.kw * c.out_c * (c.depthwise ? 1 : c.filter_c), c.out_c, c.bias);
}
inline S16x8Operands DrawFor(const S16x8FcCase& c) {
  int64_t inputs = 1;
  for (int32_t d : c.input_shape) inputs *= d;
  return Draw(c.seed, inputs, int64_t{c.out_depth} * c.accum_depth, c.out_depth, c.bias);
}

inline tflite_fb::ActivationFunctionType TfliteActivation(const std::string& name) {
  using A = tflite_fb::ActivationFunctionType;
  if (name == "RELU") return A::RELU;
  if (name == "RELU6") return A::RELU6;
  if (name == "RELU_N1_TO_1") return A::RELU_N1_TO_1;
  return A::NONE;
}

/// Adds the case's operator to `b`, with the operands `o` drew and tensor
/// names ending in `tag`; returns its input and output tensors.
inline std::pair<int, int> AddS16x8Conv(TfliteModelBuilder& b, const S16x8ConvCase& c, const S16x8Operands& o,
                                        const std::string& tag = "") {
  namespace fb = tflite_fb;
  auto out_size = [](const char* padding, int32_t in, int32_t k, int32_t stride, int32_t dil) {
    const int32_t eff = (k - 1) * dil + 1;
    return std::string(padding) == "SAME" ? (in + stride - 1) / stride : (in - eff + stride) / stride;
  };
  const int in = b.AddTensor("x" + tag, fb::TensorType::INT16, {c.n, c.h, c.w, c.c}, {c.input_scale}, {0});
  const std::vector<int32_t> filter_shape =
      c.depthwise ? std::vector<int32_t>{1, c.kh, c.kw, c.out_c} : std::vector<int32_t>{c.out_c, c.kh, c.kw, c.filter_c};
  const int w = b.AddConstant<int8_t>("w" + tag, fb::TensorType::INT8, filter_shape, o.weights, c.filter_scales,
                                      std::vector<int64_t>(c.filter_scales.size(), 0), c.depthwise ? 3 : 0);
  int bias = -1;
  if (!o.bias64.empty()) bias = b.AddConstant<int64_t>("b" + tag, fb::TensorType::INT64, {c.out_c}, o.bias64);
  if (!o.bias32.empty()) bias = b.AddConstant<int32_t>("b" + tag, fb::TensorType::INT32, {c.out_c}, o.bias32);
  const int out = b.AddTensor("y" + tag, fb::TensorType::INT16,
                              {c.n, out_size(c.padding, c.h, c.kh, c.stride_h, c.dilation_h),
                               out_size(c.padding, c.w, c.kw, c.stride_w, c.dilation_w), c.out_c},
                              {c.output_scale}, {0});
  const fb::Padding padding = std::string(c.padding) == "SAME" ? fb::Padding::SAME : fb::Padding::VALID;
  fb::BuiltinOptionsUnion u;
  if (c.depthwise) {
    fb::DepthwiseConv2DOptionsT opt;
    opt.padding = padding;
    opt.stride_h = c.stride_h;
    opt.stride_w = c.stride_w;
    opt.dilation_h_factor = c.dilation_h;
    opt.dilation_w_factor = c.dilation_w;
    opt.depth_multiplier = c.out_c / c.c;
    opt.fused_activation_function = TfliteActivation(c.activation);
    u.Set(std::move(opt));
  } else {
    fb::Conv2DOptionsT opt;
    opt.padding = padding;
    opt.stride_h = c.stride_h;
    opt.stride_w = c.stride_w;
    opt.dilation_h_factor = c.dilation_h;
    opt.dilation_w_factor = c.dilation_w;
    opt.fused_activation_function = TfliteActivation(c.activation);
    u.Set(std::move(opt));
  }
  b.AddOperator(c.depthwise ? 4 : 3, {in, w, bias}, {out}, std::move(u));
  return {in, out};
}

inline std::pair<int, int> AddS16x8Fc(TfliteModelBuilder& b, const S16x8FcCase& c, const S16x8Operands& o,
                                      const std::string& tag = "") {
  namespace fb = tflite_fb;
  int32_t count = 1;
  for (int32_t d : c.input_shape) count *= d;
  const int in = b.AddTensor("x" + tag, fb::TensorType::INT16, c.input_shape, {c.input_scale}, {0});
  const int w = b.AddConstant<int8_t>("w" + tag, fb::TensorType::INT8, {c.out_depth, c.accum_depth}, o.weights,
                                      c.weights_scales,
                                      std::vector<int64_t>(c.weights_scales.size(), c.weights_zp));
  int bias = -1;
  if (!o.bias64.empty()) bias = b.AddConstant<int64_t>("b" + tag, fb::TensorType::INT64, {c.out_depth}, o.bias64);
  if (!o.bias32.empty()) bias = b.AddConstant<int32_t>("b" + tag, fb::TensorType::INT32, {c.out_depth}, o.bias32);
  const int out = b.AddTensor("y" + tag, fb::TensorType::INT16, {count / c.accum_depth, c.out_depth},
                              {c.output_scale}, {0});
  fb::FullyConnectedOptionsT opt;
  opt.fused_activation_function = TfliteActivation(c.activation);
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(opt));
  b.AddOperator(9, {in, w, bias}, {out}, std::move(u));
  return {in, out};
}

/// One model holding every golden case side by side: input k and output k
/// are case k's (the convolutions first), with the operands it was
/// computed from in `operands`.
inline TfliteModelBuilder AllS16x8CasesModel(std::vector<S16x8Operands>* operands,
                                             std::vector<std::vector<int32_t>>* expected) {
  TfliteModelBuilder b;
  std::vector<int32_t> ins, outs;
  auto add = [&](std::pair<int, int> io) {
    ins.push_back(io.first);
    outs.push_back(io.second);
  };
  for (const auto& c : kS16x8ConvCases) {
    operands->push_back(DrawFor(c));
    add(AddS16x8Conv(b, c, operands->back(), "_" + std::string(c.name)));
    expected->push_back(c.expected);
  }
  for (const auto& c : kS16x8FcCases) {
    operands->push_back(DrawFor(c));
    add(AddS16x8Fc(b, c, operands->back(), "_" + std::string(c.name)));
    expected->push_back(c.expected);
  }
  b.SetIo(ins, outs);
  return b;
}

}  // namespace kiln::test
