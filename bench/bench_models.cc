// Writes int8 models of the kinds acceptance measures beyond ../shared
// (tests/tflite_model_builder.h; deterministic random weights), for
// bench/synthetic_figures.sh:
//   autoencoder.tflite  FULLY_CONNECTED 640-128-128-128-8-128-128-128-640, ReLU
//   residual_add.tflite ADD of two 32x32x16 int8 tensors of different scales
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_models OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  Write(dir / "autoencoder.tflite", Autoencoder());
  Write(dir / "residual_add.tflite", ResidualAdd());
  return 0;
}
