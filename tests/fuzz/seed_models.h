// The int8 model several fuzz targets start from: made by the test model
// builder, so that the seeds and the targets agree on it.
#pragma once

#include <cstdint>
#include <vector>

#include "tflite_model_builder.h"

namespace kiln::fuzz {

namespace fb = tflite_fb;

template <typename Options>
fb::BuiltinOptionsUnion Union(Options o) {
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  return u;
}

// int8: CONV_2D 3x3 SAME -> DEPTHWISE_CONV_2D 3x3 -> MAX_POOL_2D -> ADD
// (with itself) -> RESHAPE -> FULLY_CONNECTED -> SOFTMAX.
inline std::vector<uint8_t> Int8Chain() {
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int in = b.AddTensor("input", I8, {1, 8, 8, 2}, {0.05f}, {-3});
  const int cw = b.AddConstant<int8_t>("conv/w", I8, {4, 3, 3, 2}, std::vector<int8_t>(72, 7), {0.02f, 0.03f, 0.02f, 0.01f},
                                       {0, 0, 0, 0});
  const int cb = b.AddConstant<int32_t>("conv/b", I32, {4}, {10, -20, 30, 0}, {0.001f}, {0});
  const int c = b.AddTensor("conv", I8, {1, 8, 8, 4}, {0.1f}, {-128});
  fb::Conv2DOptionsT co;
  co.padding = fb::Padding::SAME;
  co.stride_w = co.stride_h = 1;
  co.fused_activation_function = fb::ActivationFunctionType::RELU;
  b.AddOperator(3, {in, cw, cb}, {c}, Union(co));
  const int dw = b.AddConstant<int8_t>("dw/w", I8, {1, 3, 3, 4}, std::vector<int8_t>(36, -5), {0.02f}, {0});
  const int db = b.AddConstant<int32_t>("dw/b", I32, {4}, {1, 2, 3, 4}, {0.002f}, {0});
  const int d = b.AddTensor("dw", I8, {1, 4, 4, 4}, {0.1f}, {5});
  fb::DepthwiseConv2DOptionsT dwo;
  dwo.padding = fb::Padding::SAME;
  dwo.stride_w = dwo.stride_h = 2;
  dwo.depth_multiplier = 1;
  b.AddOperator(4, {c, dw, db}, {d}, Union(dwo));
  const int p = b.AddTensor("pool", I8, {1, 2, 2, 4}, {0.1f}, {5});
  fb::Pool2DOptionsT po;
  po.padding = fb::Padding::VALID;
  po.stride_w = po.stride_h = 2;
  po.filter_width = po.filter_height = 2;
  b.AddOperator(17, {d}, {p}, Union(po));
  const int a = b.AddTensor("add", I8, {1, 2, 2, 4}, {0.2f}, {0});
  b.AddOperator(0, {p, p}, {a}, Union(fb::AddOptionsT{}));
  const int shape = b.AddConstant<int32_t>("shape", I32, {2}, {1, 16});
  const int r = b.AddTensor("flat", I8, {1, 16}, {0.2f}, {0});
  b.AddOperator(22, {a, shape}, {r});
  const int fw = b.AddConstant<int8_t>("fc/w", I8, {3, 16}, std::vector<int8_t>(48, 3), {0.01f}, {0});
  const int fbias = b.AddConstant<int32_t>("fc/b", I32, {3}, {0, 5, -5}, {0.002f}, {0});
  const int f = b.AddTensor("fc", I8, {1, 3}, {0.1f}, {0});
  b.AddOperator(9, {r, fw, fbias}, {f}, Union(fb::FullyConnectedOptionsT{}));
  const int out = b.AddTensor("output", I8, {1, 3}, {1.0f / 256}, {-128});
  fb::SoftmaxOptionsT so;
  so.beta = 1.0f;
  b.AddOperator(25, {f}, {out}, Union(so));
  b.SetIo({in}, {out});
  return b.Finish();
}

}  // namespace kiln::fuzz
