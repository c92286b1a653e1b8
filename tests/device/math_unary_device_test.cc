// The float32 elementwise math kernels on every emulated board: a model
// that chains all twelve (NEG, ABS, SQRT, RSQRT, SQUARE, LOG, EXP, SIN, COS,
// then FLOOR, CEIL and ROUND of ten times the result) runs on the board and
// on the host. The boards' C libraries (newlib, picolibc) and the host's
// glibc implement expf, logf, sinf and cosf differently, so the chain's
// float output is compared within 1e-5 relative; the rounded outputs must
// be identical.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/tflite/tflite_importer.h"
#include "test_support.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
namespace fb = kiln::tflite_fb;

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> out(bytes.size() / sizeof(float));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

std::vector<uint8_t> ChainModel(int n) {
  constexpr auto F32 = fb::TensorType::FLOAT32;
  test::TfliteModelBuilder b;
  int t = b.AddTensor("x", F32, {1, n});
  const int x = t;
  // NEG ABS SQRT RSQRT SQUARE LOG EXP SIN COS, by builtin code.
  int step = 0;
  for (int32_t code : {59, 101, 75, 76, 92, 73, 47, 66, 108}) {
    const int next = b.AddTensor("t" + std::to_string(step++), F32, {1, n});
    b.AddOperator(code, {t}, {next});
    t = next;
  }
  const int ten = b.AddConstant<float>("ten", F32, {1}, {10.0f});
  const int scaled = b.AddTensor("scaled", F32, {1, n});
  b.AddOperator(18, {t, ten}, {scaled});  // MUL
  std::vector<int32_t> outputs = {t};
  for (int32_t code : {8, 104, 116}) {  // FLOOR CEIL ROUND
    outputs.push_back(b.AddTensor("r" + std::to_string(code), F32, {1, n}));
    b.AddOperator(code, {scaled}, {outputs.back()});
  }
  b.SetIo({x}, outputs);
  return b.Finish();
}

class MathUnaryDeviceTest : public testing::TestWithParam<std::string> {};

TEST_P(MathUnaryDeviceTest, MatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr int kN = 64;
  auto graph = tflite::ImportTflite(ChainModel(kN));
  ASSERT_TRUE(graph.ok()) << graph.message();
  graph->name = "math_chain";
  auto library = CompileGraph(*graph, CodegenOptions{}, "math_chain.tflite");
  ASSERT_TRUE(library.ok()) << library.message();

  const fs::path dir = test::TempDir("math_device");
  std::vector<float> x;
  for (int i = 0; i < kN; ++i) x.push_back(0.5f + 2.5f * static_cast<float>(i) / kN);
  std::vector<uint8_t> bytes(x.size() * sizeof(float));
  std::memcpy(bytes.data(), x.data(), bytes.size());
  test::WriteBytes(dir / "x.bin", bytes);

  auto host = HostExecutable::Build(*library);
  ASSERT_TRUE(host.ok()) << host.message();
  ASSERT_TRUE(host->Run({dir / "x.bin"}, dir / "host").ok());
  auto device = DeviceSession::Start(*library, **board);
  ASSERT_TRUE(device.ok()) << device.message();
  auto ran = (*device)->Run({dir / "x.bin"}, dir / "device");
  ASSERT_TRUE(ran.ok()) << ran.message();

  const auto chain_host = Floats(test::ReadBytes(dir / "host" / "output_0.bin"));
  const auto chain_device = Floats(test::ReadBytes(dir / "device" / "output_0.bin"));
  ASSERT_EQ(chain_host.size(), static_cast<size_t>(kN));
  ASSERT_EQ(chain_device.size(), chain_host.size());
  for (int i = 0; i < kN; ++i)
    EXPECT_NEAR(chain_device[i], chain_host[i], 1e-5f * std::fabs(chain_host[i])) << "element " << i;
  for (int k = 1; k <= 3; ++k)
    EXPECT_EQ(test::ReadBytes(dir / "device" / ("output_" + std::to_string(k) + ".bin")),
              test::ReadBytes(dir / "host" / ("output_" + std::to_string(k) + ".bin")))
        << "output " << k;
  fs::remove_all(dir);
}

std::vector<std::string> BoardNames() {
  std::vector<std::string> names;
  for (const Board& b : AllBoards()) names.emplace_back(b.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Boards, MathUnaryDeviceTest, testing::ValuesIn(BoardNames()), [](const auto& info) {
  std::string name = info.param;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
});

}  // namespace
}  // namespace kiln
