// Writes int8 models of the kinds acceptance measures beyond ../shared
// (tests/tflite_model_builder.h; deterministic random weights), for
// bench/synthetic_figures.sh:
//   autoencoder.tflite  FULLY_CONNECTED 640-128-128-128-8-128-128-128-640, ReLU
//   residual_add.tflite ADD of two 32x32x16 int8 tensors of different scales
//   ds_cnn.tflite       a DS-CNN keyword spotter's shape: CONV_2D 10x4 stride 2
//                       (49x10x1 -> 25x5x64), four DEPTHWISE_CONV_2D 3x3 +
//                       CONV_2D 1x1 pairs, AVERAGE_POOL_2D, FULLY_CONNECTED 12
//   resnet.tflite       MLPerf Tiny's ResNet-8 shape: CONV_2D 3x3 (32x32x3 ->
//                       16), three residual stacks of two CONV_2D 3x3 (16,
//                       32, 64 channels; the last two enter at stride 2 with
//                       a CONV_2D 1x1 stride 2 shortcut) joined by ADD,
//                       AVERAGE_POOL_2D, FULLY_CONNECTED 10
//   mobilenet_v1.tflite MLPerf Tiny's visual wake words shape: MobileNetV1
//                       at width 0.25 on 96x96x3 (person_detect's network
//                       on a colour image), 2 classes
//   mobilenet_v2.tflite MobileNetV2's shape (width 0.35, 96x96, later stages
//                       cut): inverted residual blocks of 1x1 expansion,
//                       3x3 DEPTHWISE_CONV_2D, 1x1 projection and ADD
//   cifar10_cnn.tflite  the CIFAR-10 CNN of CMSIS-NN's example: three 5x5
//                       CONV_2D, each followed by a 3x3 stride-2
//                       MAX_POOL_2D, and FULLY_CONNECTED 10
// Usage: bench_models OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tflite_model_builder.h"

namespace {

using kiln::test::TfliteModelBuilder;
namespace fb = kiln::tflite_fb;

void Write(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> Autoencoder() {
  TfliteModelBuilder b;
  std::mt19937 rng(1);
  const int dims[] = {640, 128, 128, 128, 8, 128, 128, 128, 640};
  int x = b.AddTensor("input", fb::TensorType::INT8, {1, 640}, {0.05f}, {-3});
  const int input = x;
  for (int l = 0; l < 8; ++l) {
    const int n = dims[l + 1], k = dims[l];
    std::vector<int8_t> w(static_cast<size_t>(n * k));
    for (auto& v : w) v = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
    std::vector<int32_t> bias(static_cast<size_t>(n));
    for (auto& v : bias) v = static_cast<int32_t>(rng() % 2001) - 1000;
    const int wt = b.AddConstant<int8_t>("w" + std::to_string(l), fb::TensorType::INT8, {n, k}, w, {0.004f}, {0});
    const int bt = b.AddConstant<int32_t>("b" + std::to_string(l), fb::TensorType::INT32, {n}, bias, {0.0002f}, {0});
    const int y = b.AddTensor("fc" + std::to_string(l), fb::TensorType::INT8, {1, n}, {0.08f}, {-128});
    fb::FullyConnectedOptionsT o;
    o.fused_activation_function = l < 7 ? fb::ActivationFunctionType::RELU : fb::ActivationFunctionType::NONE;
    fb::BuiltinOptionsUnion u;
    u.Set(o);
    b.AddOperator(9, {x, wt, bt}, {y}, u);
    x = y;
  }
  b.SetIo({input}, {x});
  return b.Finish();
}

std::vector<uint8_t> ResidualAdd() {
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", fb::TensorType::INT8, {1, 32, 32, 16}, {0.05f}, {-3});
  const int y = b.AddTensor("y", fb::TensorType::INT8, {1, 32, 32, 16}, {0.07f}, {5});
  const int out = b.AddTensor("sum", fb::TensorType::INT8, {1, 32, 32, 16}, {0.1f}, {-10});
  fb::BuiltinOptionsUnion u;
  u.Set(fb::AddOptionsT{});
  b.AddOperator(0, {x, y}, {out}, u);
  b.SetIo({x, y}, {out});
  return b.Finish();
}

std::vector<int8_t> RandomWeights(std::mt19937& rng, size_t count) {
  std::vector<int8_t> w(count);
  for (auto& v : w) v = static_cast<int8_t>(static_cast<int>(rng() % 255) - 127);
  return w;
}

std::vector<int32_t> RandomBias(std::mt19937& rng, size_t count) {
  std::vector<int32_t> bias(count);
  for (auto& v : bias) v = static_cast<int32_t>(rng() % 2001) - 1000;
  return bias;
}

/// CONV_2D options: SAME padding, `stride` both ways, ReLU.
fb::BuiltinOptionsUnion ConvReluSame(int stride) {
  fb::Conv2DOptionsT o;
  o.padding = fb::Padding::SAME;
  o.stride_h = o.stride_w = stride;
  o.fused_activation_function = fb::ActivationFunctionType::RELU;
  fb::BuiltinOptionsUnion u;
  u.Set(o);
  return u;
}

/// The classifier every image and keyword model here ends with: an
/// AVERAGE_POOL_2D over the whole `pool_h` x `pool_w` x `channels` map,
/// a RESHAPE to [1, channels] and a FULLY_CONNECTED to `classes` logits,
/// the model's output; `input` its input.
void AddClassifier(TfliteModelBuilder& b, std::mt19937& rng, int input, int x, int pool_h, int pool_w, int channels,
                   int classes) {
  const auto I8 = fb::TensorType::INT8, I32 = fb::TensorType::INT32;
  const int pool = b.AddTensor("pool", I8, {1, 1, 1, channels}, {0.05f}, {-128});
  fb::Pool2DOptionsT p;
  p.padding = fb::Padding::VALID;
  p.stride_h = p.stride_w = 1;
  p.filter_height = pool_h;
  p.filter_width = pool_w;
  fb::BuiltinOptionsUnion pu;
  pu.Set(p);
  b.AddOperator(1, {x}, {pool}, pu);
  const int shape = b.AddConstant<int32_t>("flat/shape", I32, {2}, {1, channels});
  const int flat = b.AddTensor("flat", I8, {1, channels}, {0.05f}, {-128});
  b.AddOperator(22, {pool, shape}, {flat});
  const int fw = b.AddConstant<int8_t>("fc/w", I8, {classes, channels},
                                      RandomWeights(rng, static_cast<size_t>(classes * channels)), {0.004f}, {0});
  const int fbias = b.AddConstant<int32_t>("fc/b", I32, {classes}, RandomBias(rng, static_cast<size_t>(classes)),
                                           {0.0002f}, {0});
  const int out = b.AddTensor("logits", I8, {1, classes}, {0.1f}, {0});
  fb::BuiltinOptionsUnion fu;
  fu.Set(fb::FullyConnectedOptionsT{});
  b.AddOperator(9, {flat, fw, fbias}, {out}, fu);
  b.SetIo({input}, {out});
}

std::vector<uint8_t> DsCnn() {
  TfliteModelBuilder b;
  std::mt19937 rng(2);
  const auto I8 = fb::TensorType::INT8, I32 = fb::TensorType::INT32;
  const int input = b.AddTensor("input", I8, {1, 49, 10, 1}, {0.1f}, {-128});
  auto relu = fb::ActivationFunctionType::RELU;
  const std::vector<float> channel_scales(64, 0.004f);
  const std::vector<int64_t> zeros(64, 0);
  int x = b.AddTensor("conv0", I8, {1, 25, 5, 64}, {0.05f}, {-128});
  {
    const int w = b.AddConstant<int8_t>("conv0/w", I8, {64, 10, 4, 1}, RandomWeights(rng, 64 * 40), channel_scales, zeros);
    const int bias = b.AddConstant<int32_t>("conv0/b", I32, {64}, RandomBias(rng, 64), std::vector<float>(64, 0.0004f), zeros);
    b.AddOperator(3, {input, w, bias}, {x}, ConvReluSame(2));
  }
  for (int l = 0; l < 4; ++l) {
    const std::string n = std::to_string(l);
    const int dw = b.AddTensor("dw" + n, I8, {1, 25, 5, 64}, {0.05f}, {-128});
    const int dw_w = b.AddConstant<int8_t>("dw" + n + "/w", I8, {1, 3, 3, 64}, RandomWeights(rng, 9 * 64), channel_scales, zeros, 3);
    const int dw_b = b.AddConstant<int32_t>("dw" + n + "/b", I32, {64}, RandomBias(rng, 64), std::vector<float>(64, 0.0002f), zeros);
    fb::DepthwiseConv2DOptionsT d;
    d.padding = fb::Padding::SAME;
    d.stride_h = d.stride_w = 1;
    d.depth_multiplier = 1;
    d.fused_activation_function = relu;
    fb::BuiltinOptionsUnion du;
    du.Set(d);
    b.AddOperator(4, {x, dw_w, dw_b}, {dw}, du);
    const int pw = b.AddTensor("pw" + n, I8, {1, 25, 5, 64}, {0.05f}, {-128});
    const int pw_w = b.AddConstant<int8_t>("pw" + n + "/w", I8, {64, 1, 1, 64}, RandomWeights(rng, 64 * 64), channel_scales, zeros);
    const int pw_b = b.AddConstant<int32_t>("pw" + n + "/b", I32, {64}, RandomBias(rng, 64), std::vector<float>(64, 0.0002f), zeros);
    b.AddOperator(3, {dw, pw_w, pw_b}, {pw}, ConvReluSame(1));
    x = pw;
  }
  AddClassifier(b, rng, input, x, 25, 5, 64, 12);
  return b.Finish();
}

/// A CONV_2D of `out_c` channels with a `k`x`k` filter (SAME padding,
/// `stride`, ReLU when `relu`), per-channel random weights; its output.
int AddConv(TfliteModelBuilder& b, std::mt19937& rng, const std::string& name, int x, int in_c, int out_c, int k,
            int stride, int out_hw, bool relu) {
  const auto I8 = fb::TensorType::INT8, I32 = fb::TensorType::INT32;
  const std::vector<int64_t> zeros(static_cast<size_t>(out_c), 0);
  const float weight_scale = 0.5f / static_cast<float>(k * k * in_c);
  const int w = b.AddConstant<int8_t>(name + "/w", I8, {out_c, k, k, in_c},
                                      RandomWeights(rng, static_cast<size_t>(out_c * k * k * in_c)),
                                      std::vector<float>(static_cast<size_t>(out_c), weight_scale), zeros);
  const int bias = b.AddConstant<int32_t>(name + "/b", I32, {out_c}, RandomBias(rng, static_cast<size_t>(out_c)),
                                          std::vector<float>(static_cast<size_t>(out_c), 0.05f * weight_scale), zeros);
  const int y = b.AddTensor(name, I8, {1, out_hw, out_hw, out_c}, {0.05f}, {relu ? -128 : 0});
  fb::BuiltinOptionsUnion options = ConvReluSame(stride);
  if (!relu) options.AsConv2DOptions()->fused_activation_function = fb::ActivationFunctionType::NONE;
  b.AddOperator(3, {x, w, bias}, {y}, options);
  return y;
}

std::vector<uint8_t> ResNet() {
  TfliteModelBuilder b;
  std::mt19937 rng(3);
  const int input = b.AddTensor("input", fb::TensorType::INT8, {1, 32, 32, 3}, {0.02f}, {-1});
  int x = AddConv(b, rng, "stem", input, 3, 16, 3, 1, 32, true);
  int in_c = 16, hw = 32;
  for (int stack = 0; stack < 3; ++stack) {
    const int out_c = 16 << stack, stride = stack == 0 ? 1 : 2;
    hw /= stride;
    const std::string n = "stack" + std::to_string(stack);
    const int a = AddConv(b, rng, n + "/conv0", x, in_c, out_c, 3, stride, hw, true);
    const int c = AddConv(b, rng, n + "/conv1", a, out_c, out_c, 3, 1, hw, false);
    const int shortcut = stride == 1 ? x : AddConv(b, rng, n + "/shortcut", x, in_c, out_c, 1, stride, hw, false);
    const int sum = b.AddTensor(n + "/add", fb::TensorType::INT8, {1, hw, hw, out_c}, {0.05f}, {-128});
    fb::AddOptionsT add;
    add.fused_activation_function = fb::ActivationFunctionType::RELU;
    fb::BuiltinOptionsUnion u;
    u.Set(add);
    b.AddOperator(0, {c, shortcut}, {sum}, u);
    x = sum;
    in_c = out_c;
  }
  AddClassifier(b, rng, input, x, hw, hw, 64, 10);
  return b.Finish();
}

/// A DEPTHWISE_CONV_2D `k`x`k` (3 unless given) of `c` channels (multiplier
/// 1, SAME padding, `stride`, ReLU), per-channel random weights; its output.
int AddDepthwise(TfliteModelBuilder& b, std::mt19937& rng, const std::string& name, int x, int c, int stride,
                 int out_hw, int k = 3) {
  const auto I8 = fb::TensorType::INT8, I32 = fb::TensorType::INT32;
  const std::vector<int64_t> zeros(static_cast<size_t>(c), 0);
  const float weight_scale = 0.5f / static_cast<float>(k * k);
  const int w = b.AddConstant<int8_t>(name + "/w", I8, {1, k, k, c}, RandomWeights(rng, static_cast<size_t>(k * k * c)),
                                      std::vector<float>(static_cast<size_t>(c), weight_scale), zeros, 3);
  const int bias = b.AddConstant<int32_t>(name + "/b", I32, {c}, RandomBias(rng, static_cast<size_t>(c)),
                                          std::vector<float>(static_cast<size_t>(c), 0.05f * weight_scale), zeros);
  const int y = b.AddTensor(name, I8, {1, out_hw, out_hw, c}, {0.05f}, {-128});
  fb::DepthwiseConv2DOptionsT d;
  d.padding = fb::Padding::SAME;
  d.stride_h = d.stride_w = stride;
  d.depth_multiplier = 1;
  d.fused_activation_function = fb::ActivationFunctionType::RELU;
  fb::BuiltinOptionsUnion u;
  u.Set(d);
  b.AddOperator(4, {x, w, bias}, {y}, u);
  return y;
}

/// MLPerf Tiny's visual wake words network: MobileNetV1 at width 0.25 on a
/// 96x96 RGB image, a 3x3 stride-2 stem to 8 channels, thirteen 3x3
/// DEPTHWISE_CONV_2D + CONV_2D 1x1 pairs down to 3x3x256, average pool,
/// FULLY_CONNECTED 2.
std::vector<uint8_t> MobileNetV1() {
  TfliteModelBuilder b;
  std::mt19937 rng(8);
  const int input = b.AddTensor("input", fb::TensorType::INT8, {1, 96, 96, 3}, {0.02f}, {-1});
  int hw = 48, in_c = 8;
  int x = AddConv(b, rng, "stem", input, 3, in_c, 3, 2, hw, true);
  struct Pair {
    int stride, channels;
  };
  const Pair pairs[] = {{1, 16}, {2, 32}, {1, 32},  {2, 64},  {1, 64},  {2, 128}, {1, 128},
                        {1, 128}, {1, 128}, {1, 128}, {1, 128}, {2, 256}, {1, 256}};
  int layer = 0;
  for (const Pair& pair : pairs) {
    const std::string n = "layer" + std::to_string(layer++);
    hw /= pair.stride;
    x = AddDepthwise(b, rng, n + "/depthwise", x, in_c, pair.stride, hw);
    x = AddConv(b, rng, n + "/pointwise", x, in_c, pair.channels, 1, 1, hw, true);
    in_c = pair.channels;
  }
  AddClassifier(b, rng, input, x, hw, hw, in_c, 2);
  return b.Finish();
}

/// MobileNetV2's shape at width 0.35 and 96x96, its later stages cut:
/// a 3x3 stride-2 stem, inverted residual blocks (1x1 expansion by 6, 3x3
/// depthwise, linear 1x1 projection, ADD where the shape allows) of 8, 16,
/// 24 and 32 channels down to 6x6, a 1x1 convolution to 128, average pool,
/// FULLY_CONNECTED 10.
std::vector<uint8_t> MobileNetV2() {
  TfliteModelBuilder b;
  std::mt19937 rng(4);
  const int input = b.AddTensor("input", fb::TensorType::INT8, {1, 96, 96, 3}, {0.02f}, {-1});
  int hw = 48, in_c = 16;
  int x = AddConv(b, rng, "stem", input, 3, in_c, 3, 2, hw, true);
  struct Stage {
    int expansion, channels, blocks, stride;
  };
  const Stage stages[] = {{1, 8, 1, 1}, {6, 16, 2, 2}, {6, 24, 2, 2}, {6, 32, 2, 2}};
  int block = 0;
  for (const Stage& stage : stages)
    for (int i = 0; i < stage.blocks; ++i, ++block) {
      const std::string n = "block" + std::to_string(block);
      const int stride = i == 0 ? stage.stride : 1;
      const int hidden = in_c * stage.expansion;
      int h = x;
      if (stage.expansion != 1) h = AddConv(b, rng, n + "/expand", x, in_c, hidden, 1, 1, hw, true);
      hw /= stride;
      h = AddDepthwise(b, rng, n + "/depthwise", h, hidden, stride, hw);
      h = AddConv(b, rng, n + "/project", h, hidden, stage.channels, 1, 1, hw, false);
      if (stride == 1 && in_c == stage.channels) {
        const int sum = b.AddTensor(n + "/add", fb::TensorType::INT8, {1, hw, hw, in_c}, {0.05f}, {0});
        fb::BuiltinOptionsUnion u;
        u.Set(fb::AddOptionsT{});
        b.AddOperator(0, {h, x}, {sum}, u);
        h = sum;
      }
      x = h;
      in_c = stage.channels;
    }
  x = AddConv(b, rng, "head", x, in_c, 128, 1, 1, hw, true);
  AddClassifier(b, rng, input, x, hw, hw, 128, 10);
  return b.Finish();
}

/// A MAX_POOL_2D 3x3 of stride 2, SAME padding, over `x`: its output.
int AddMaxPool(TfliteModelBuilder& b, const std::string& name, int x, int out_hw, int c) {
  const int y = b.AddTensor(name, fb::TensorType::INT8, {1, out_hw, out_hw, c}, {0.05f}, {-128});
  fb::Pool2DOptionsT p;
  p.padding = fb::Padding::SAME;
  p.stride_h = p.stride_w = 2;
  p.filter_height = p.filter_width = 3;
  fb::BuiltinOptionsUnion u;
  u.Set(p);
  b.AddOperator(17, {x}, {y}, u);
  return y;
}

/// Two 1x1 CONV_2D, 16x16x16 -> 32 -> 16: small layers whose spaces
/// generated from the loop nest (kiln tune --auto-schedule, 291 points each,
/// 302 with the hand-listed ones)
/// can be measured whole, for the search figures (bench/tune_figures.sh).
std::vector<uint8_t> PointwisePair() {
  TfliteModelBuilder b;
  std::mt19937 rng(6);
  const int input = b.AddTensor("input", fb::TensorType::INT8, {1, 16, 16, 16}, {0.02f}, {-1});
  const int x = AddConv(b, rng, "expand", input, 16, 32, 1, 1, 16, true);
  const int y = AddConv(b, rng, "project", x, 32, 16, 1, 1, 16, false);
  b.SetIo({input}, {y});
  return b.Finish();
}

/// Depthwise layers of 96 channels: MobileNetV2's 3x3 at stride 2 (24x24
/// -> 12x12, as in bench_models' MobileNetV2), then a 5x5 at stride 1 on
/// 12x12 (as MobileNetV3 and EfficientNet have), whose spaces generated
/// from the loop nest (kiln tune --auto-schedule) are measured whole.
std::vector<uint8_t> DepthwisePair() {
  TfliteModelBuilder b;
  std::mt19937 rng(7);
  const int input = b.AddTensor("input", fb::TensorType::INT8, {1, 24, 24, 96}, {0.05f}, {-128});
  const int x = AddDepthwise(b, rng, "stride2", input, 96, 2, 12);
  const int y = AddDepthwise(b, rng, "5x5", x, 96, 1, 12, 5);
  b.SetIo({input}, {y});
  return b.Finish();
}

/// CMSIS-NN's CIFAR-10 example network: 32x32x3, CONV_2D 5x5 to 32, 16
/// and 32 channels, each with ReLU and a 3x3 stride-2 MAX_POOL_2D after it,
/// FULLY_CONNECTED 512 to 10.
std::vector<uint8_t> Cifar10Cnn() {
  TfliteModelBuilder b;
  std::mt19937 rng(5);
  const auto I8 = fb::TensorType::INT8, I32 = fb::TensorType::INT32;
  const int input = b.AddTensor("input", I8, {1, 32, 32, 3}, {0.02f}, {-1});
  int x = input, hw = 32, in_c = 3;
  const int channels[] = {32, 16, 32};
  for (int l = 0; l < 3; ++l) {
    const std::string n = "conv" + std::to_string(l);
    x = AddConv(b, rng, n, x, in_c, channels[l], 5, 1, hw, true);
    hw /= 2;
    x = AddMaxPool(b, "pool" + std::to_string(l), x, hw, channels[l]);
    in_c = channels[l];
  }
  const int depth = hw * hw * in_c;
  const int shape = b.AddConstant<int32_t>("flat/shape", I32, {2}, {1, depth});
  const int flat = b.AddTensor("flat", I8, {1, depth}, {0.05f}, {-128});
  b.AddOperator(22, {x, shape}, {flat});
  const int fw = b.AddConstant<int8_t>("fc/w", I8, {10, depth}, RandomWeights(rng, static_cast<size_t>(10 * depth)),
                                      {0.004f}, {0});
  const int fbias = b.AddConstant<int32_t>("fc/b", I32, {10}, RandomBias(rng, 10), {0.0002f}, {0});
  const int out = b.AddTensor("logits", I8, {1, 10}, {0.1f}, {0});
  fb::BuiltinOptionsUnion fu;
  fu.Set(fb::FullyConnectedOptionsT{});
  b.AddOperator(9, {flat, fw, fbias}, {out}, fu);
  b.SetIo({input}, {out});
  return b.Finish();
}

}  // namespace

int main(int argc, char** argv) {
  // An option (--help ...) is not a folder name: a run with one once wrote
  // the models into a folder called "--help".
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: bench_models OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  Write(dir / "autoencoder.tflite", Autoencoder());
  Write(dir / "residual_add.tflite", ResidualAdd());
  Write(dir / "ds_cnn.tflite", DsCnn());
  Write(dir / "resnet.tflite", ResNet());
  Write(dir / "mobilenet_v1.tflite", MobileNetV1());
  Write(dir / "mobilenet_v2.tflite", MobileNetV2());
  Write(dir / "cifar10_cnn.tflite", Cifar10Cnn());
  Write(dir / "pointwise_pair.tflite", PointwisePair());
  Write(dir / "depthwise_pair.tflite", DepthwisePair());
  return 0;
}
