// Operators no shared model uses, on every emulated board against the host:
// - the float32 elementwise math kernels: a model that chains all twelve
//   (NEG, ABS, SQRT, RSQRT, SQUARE, LOG, EXP, SIN, COS, then FLOOR, CEIL and
//   ROUND of ten times the result). The boards' C libraries (newlib,
//   picolibc) and the host's glibc implement expf, logf, sinf and cosf
//   differently, so the chain's float output is compared within 1e-5
//   relative; the rounded outputs must be identical;
// - the float32 binary math kernels (SQUARED_DIFFERENCE, FLOOR_DIV,
//   FLOOR_MOD, POW, PRELU) with broadcasting: within 1e-5 relative (powf
//   differs between the C libraries), NaNs where the host has them;
// - the comparisons and logical operators, every kernel (float32, int32,
//   int8 and bool comparisons, LOGICAL_AND/OR/NOT): identical bytes;
// - SLICE, SPLIT_V, UNPACK, PACK, ARG_MAX and REDUCE_MAX: identical bytes;
// - the 16x8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED golden cases
//   (s16x8_golden.py) in one model: the golden values on the board;
// - the TRANSPOSE_CONV golden cases (float32, int8, 16x8;
//   transpose_conv_golden.py) and the RESIZE_NEAREST_NEIGHBOR and
//   RESIZE_BILINEAR ones (resize_golden.py): the golden values, floats
//   included;
// - GATHER with batch_dims, positions read at run time: worked values, and
//   a position outside the axis fails the run on the board too;
// - CAST (float to int saturating, int to float), SELECT_V2, BROADCAST_TO
//   and FILL in one model: identical bytes;
// - UNIDIRECTIONAL_SEQUENCE_LSTM (float32), time-major, with peephole,
//   projection and layer normalization (every path of the kernel), on
//   deterministic weights: within 1e-5 of the host (tanhf and expf differ
//   between the C libraries); the int8 LSTM (batch-major) and the 16x8 one
//   (time-major, then int16 TANH and LOGISTIC) on TensorFlow Lite Micro's
//   test case: identical bytes;
// - the int64 comparisons, and the data movement of int64, bool and
//   float64 that TFLite Micro has (CONCATENATION, PACK, STRIDED_SLICE,
//   SQUEEZE, BROADCAST_TO), REDUCE_ALL and REDUCE_ANY: worked values on the
//   host, the board's equal;
// - int8 LOG_SOFTMAX (TensorFlow Lite Micro's test case) and int32
//   SQUARED_DIFFERENCE (wrapping): their expected bytes on the board;
// - ONNX's GRU (the reset gate applied after the recurrent product), RNN
//   (Relu, clipped) and LSTM (peepholes), bidirectional, batch-major, from
//   initial states: within 1e-5 of the host;
// - the arithmetic kernels on raw values (integers, float64 and its CAST),
//   ONNX's extra float32 math (TAN ... ERF, SIGN, ELU's alpha and scale) and
//   GATHER_ELEMENTS: worked values on the host, the board's bytes equal (the
//   float32 math within 1e-5).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/onnx/onnx_importer.h"
#include "frontend/tflite/tflite_importer.h"
#include "kernels/psm_test_util.h"
#include "kernels/resize_cases.h"
#include "kernels/s16x8_cases.h"
#include "kernels/transpose_conv_cases.h"
#include "control_flow_models.h"
#include "recurrent_models.h"
#include "lstm_models.h"
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

// An in-memory TFLite model compiled with the defaults, named `name`.
Expected<ModelLibrary> CompileModel(const std::vector<uint8_t>& model, const std::string& name) {
  KILN_ASSIGN_OR_RETURN(Graph graph, tflite::ImportTflite(model));
  graph.name = name;
  return CompileGraph(graph, CodegenOptions{}, name + ".tflite");
}

// Runs the library on the host and on the board, their outputs written
// under dir/host and dir/device.
void RunOnHostAndBoard(const Board& board, const ModelLibrary& library, const std::vector<fs::path>& inputs,
                       const fs::path& dir) {
  auto host = HostExecutable::Build(library);
  ASSERT_TRUE(host.ok()) << host.message();
  ASSERT_TRUE(host->Run(inputs, dir / "host").ok());
  auto device = DeviceSession::Start(library, board);
  ASSERT_TRUE(device.ok()) << device.message();
  auto ran = (*device)->Run(inputs, dir / "device");
  ASSERT_TRUE(ran.ok()) << ran.message();
}

// Compiles `model`, runs it on the host and on the board on `inputs` (one
// byte string per model input) and expects every output's bytes equal; the
// host's outputs, or none after a failure.
std::vector<std::vector<uint8_t>> HostOutputsMatchingTheBoard(const Board& board, Expected<ModelLibrary> library,
                                                              const std::string& name,
                                                              const std::vector<std::vector<uint8_t>>& inputs,
                                                              size_t outputs) {
  EXPECT_TRUE(library.ok()) << library.message();
  if (!library.ok()) return {};
  const fs::path dir = test::TempDir(name + "_device");
  std::vector<fs::path> files;
  for (size_t k = 0; k < inputs.size(); ++k) {
    files.push_back(dir / ("in" + std::to_string(k) + ".bin"));
    test::WriteBytes(files.back(), inputs[k]);
  }
  std::vector<std::vector<uint8_t>> host;
  [&] {
    RunOnHostAndBoard(board, *library, files, dir);
    for (size_t k = 0; k < outputs; ++k) {
      const std::string file = "output_" + std::to_string(k) + ".bin";
      host.push_back(test::ReadBytes(dir / "host" / file));
      EXPECT_EQ(test::ReadBytes(dir / "device" / file), host.back()) << file;
    }
  }();
  fs::remove_all(dir);
  return host;
}

std::vector<std::vector<uint8_t>> HostOutputsMatchingTheBoard(const Board& board, const std::vector<uint8_t>& model,
                                                              const std::string& name,
                                                              const std::vector<std::vector<uint8_t>>& inputs,
                                                              size_t outputs) {
  return HostOutputsMatchingTheBoard(board, CompileModel(model, name), name, inputs, outputs);
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

class OperatorCoverageDeviceTest : public testing::TestWithParam<std::string> {};

TEST_P(OperatorCoverageDeviceTest, MathChainMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr int kN = 64;
  auto library = CompileModel(ChainModel(kN), "math_chain");
  ASSERT_TRUE(library.ok()) << library.message();

  const fs::path dir = test::TempDir("math_device");
  std::vector<float> x;
  for (int i = 0; i < kN; ++i) x.push_back(0.5f + 2.5f * static_cast<float>(i) / kN);
  std::vector<uint8_t> bytes(x.size() * sizeof(float));
  std::memcpy(bytes.data(), x.data(), bytes.size());
  test::WriteBytes(dir / "x.bin", bytes);

  RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
  if (HasFatalFailure()) return;

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

TEST_P(OperatorCoverageDeviceTest, LstmMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  test::LstmCase c{2, 5, 6, 4, true, {}, {}, {}};
  uint32_t seed = 12345;
  auto next = [&] {  // a deterministic value in [-0.5, 0.5)
    seed = seed * 1664525u + 1013904223u;
    return static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
  };
  const int sizes[] = {30, 30, 30, 30, 24, 24, 24, 24, 6, 6, 6, 6, 6, 6, 6, 24, 4, 6, 6, 6, 6};
  for (int size : sizes) {
    c.weights.emplace_back();
    for (int i = 0; i < size; ++i) c.weights.back().push_back(next());
  }
  for (int i = 0; i < 4 * 2 * 5; ++i) c.input.push_back(2.0f * next());  // 4 steps
  auto library = CompileModel(test::LstmModel(c).Finish(), "lstm");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("lstm_device");
  std::vector<uint8_t> bytes(c.input.size() * sizeof(float));
  std::memcpy(bytes.data(), c.input.data(), bytes.size());
  test::WriteBytes(dir / "x.bin", bytes);
  RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
  if (HasFatalFailure()) return;
  const auto host = Floats(test::ReadBytes(dir / "host" / "output_0.bin"));
  const auto device = Floats(test::ReadBytes(dir / "device" / "output_0.bin"));
  ASSERT_EQ(host.size(), 4u * 2u * 4u);
  ASSERT_EQ(device.size(), host.size());
  for (size_t i = 0; i < host.size(); ++i) EXPECT_NEAR(device[i], host[i], 1e-5f) << "element " << i;
  fs::remove_all(dir);
}

// GREATER and EQUAL on int64, their bool results concatenated and sliced
// every other row, int64 PACK, CONCATENATION and BROADCAST_TO, float64
// SQUEEZE: bytes moved as they are; REDUCE_ALL and REDUCE_ANY of bools.
TEST_P(OperatorCoverageDeviceTest, Int64ComparisonsWideDataMovementAndBoolReductionsMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I64 = fb::TensorType::INT64, BOOL = fb::TensorType::BOOL, I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int a = b.AddTensor("a", I64, {2, 3});
  const int v = b.AddTensor("v", I64, {3});
  const int d = b.AddTensor("d", fb::TensorType::FLOAT64, {1, 3});
  const int greater = b.AddTensor("greater", BOOL, {2, 3});
  const int equal = b.AddTensor("equal", BOOL, {2, 3});
  b.AddOperator(61, {a, v}, {greater});
  b.AddOperator(71, {a, v}, {equal});
  auto options = [](auto o) {
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    return u;
  };
  fb::ConcatenationOptionsT rows;
  rows.axis = 0;
  const int both = b.AddTensor("both", BOOL, {4, 3});
  b.AddOperator(2, {greater, equal}, {both}, options(rows));
  const int begin = b.AddConstant<int32_t>("begin", I32, {2}, {1, 0});
  const int end = b.AddConstant<int32_t>("end", I32, {2}, {4, 3});
  const int strides = b.AddConstant<int32_t>("strides", I32, {2}, {2, 1});
  const int odd_rows = b.AddTensor("odd_rows", BOOL, {2, 3});
  b.AddOperator(45, {both, begin, end, strides}, {odd_rows}, options(fb::StridedSliceOptionsT{}));
  fb::PackOptionsT pack;
  pack.values_count = 2;
  pack.axis = 1;
  const int packed = b.AddTensor("packed", I64, {2, 2, 3});
  b.AddOperator(83, {a, a}, {packed}, options(pack));
  fb::ConcatenationOptionsT columns;
  columns.axis = 1;
  const int wide = b.AddTensor("wide", I64, {2, 6});
  b.AddOperator(2, {a, a}, {wide}, options(columns));
  const int shape = b.AddConstant<int32_t>("shape", I32, {2}, {2, 3});
  const int broadcast = b.AddTensor("broadcast", I64, {2, 3});
  b.AddOperator(130, {v, shape}, {broadcast});
  const int squeezed = b.AddTensor("squeezed", fb::TensorType::FLOAT64, {3});
  b.AddOperator(43, {d}, {squeezed}, options(fb::SqueezeOptionsT{}));
  // REDUCE_ALL (keep_dims) and REDUCE_ANY along the rows of a bool input.
  const int flags = b.AddTensor("flags", BOOL, {3, 3});
  const int axis1 = b.AddConstant<int32_t>("axis1", I32, {1}, {1});
  fb::ReducerOptionsT keep;
  keep.keep_dims = true;
  const int all_rows = b.AddTensor("all_rows", BOOL, {3, 1});
  b.AddOperator(140, {flags, axis1}, {all_rows}, options(keep));
  const int any_rows = b.AddTensor("any_rows", BOOL, {3});
  b.AddOperator(91, {flags, axis1}, {any_rows}, options(fb::ReducerOptionsT{}));
  b.SetIo({a, v, d, flags}, {odd_rows, packed, wide, broadcast, squeezed, all_rows, any_rows});
  const int64_t big = int64_t{1} << 40;
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "wide_movement",
      {test::Bytes<int64_t>({big, -1, 7, big + 1, 5, -big}), test::Bytes<int64_t>({big, 5, 7}),
       test::Bytes<double>({0.5, -1e300, 3.25}), test::Bytes<uint8_t>({1, 1, 1, 0, 2, 0, 0, 0, 0})},
      7);
  ASSERT_EQ(host.size(), 7u);
  // Rows 1 and 3 of [greater; equal]: a > v on row 1, a == v on row 1.
  EXPECT_EQ(host[0], test::Bytes<uint8_t>({1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(host[1], test::Bytes<int64_t>({big, -1, 7, big, -1, 7, big + 1, 5, -big, big + 1, 5, -big}));
  EXPECT_EQ(host[2], test::Bytes<int64_t>({big, -1, 7, big, -1, 7, big + 1, 5, -big, big + 1, 5, -big}));
  EXPECT_EQ(host[3], test::Bytes<int64_t>({big, 5, 7, big, 5, 7}));
  EXPECT_EQ(host[4], test::Bytes<double>({0.5, -1e300, 3.25}));
  EXPECT_EQ(host[5], test::Bytes<uint8_t>({1, 0, 0}));
  EXPECT_EQ(host[6], test::Bytes<uint8_t>({1, 1, 0}));  // a 2 is true too
}

TEST_P(OperatorCoverageDeviceTest, Int8LogSoftmaxAndInt32SquaredDifferenceGiveTheExpectedBytes) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", fb::TensorType::INT8, {2, 4}, {20.0f / 255}, {0});
  const int log_softmax = b.AddTensor("log_softmax", fb::TensorType::INT8, {2, 4}, {16.0f / 256}, {127});
  b.AddOperator(50, {x}, {log_softmax});
  const int p = b.AddTensor("p", fb::TensorType::INT32, {3});
  const int q = b.AddTensor("q", fb::TensorType::INT32, {3});
  const int squared = b.AddTensor("squared", fb::TensorType::INT32, {3});
  b.AddOperator(99, {p, q}, {squared});
  b.SetIo({x, p, q}, {log_softmax, squared});
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "log_softmax_sqdiff",
      {test::Bytes<int8_t>({0, -77, 26, 51, 38, -26, 127, 13}), test::Bytes<int32_t>({7, 65536, -40000}),
       test::Bytes<int32_t>({-2, 0, 10000})},
      2);
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(host[0], test::Bytes<int8_t>({61, -36, 93, 125, 15, -65, 127, -16}));
  EXPECT_EQ(host[1], test::Bytes<int32_t>({81, 0, static_cast<int32_t>(2500000000LL - (1LL << 32))}));
}

TEST_P(OperatorCoverageDeviceTest, OnnxRecurrentLayersMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  for (const char* kind : {"GRU", "Relu", "LSTM"}) {
    SCOPED_TRACE(kind);
    test::RecurrentCase c;
    c.lstm = std::string(kind) == "LSTM";
    c.peephole = c.lstm;
    c.rnn_activation = std::string(kind) == "Relu" ? "Relu" : "";
    c.direction = "bidirectional";
    c.layout = 1;
    c.linear_before_reset = c.lstm ? 0 : 1;
    c.clip = c.lstm ? 0.0f : 0.75f;
    c.initial = true;
    auto graph = onnx_import::ImportOnnx(test::RecurrentModel(c), {});
    ASSERT_TRUE(graph.ok()) << graph.message();
    graph->name = "recurrent";
    auto library = CompileGraph(*graph, CodegenOptions{}, "recurrent.onnx");
    ASSERT_TRUE(library.ok()) << library.message();
    const fs::path dir = test::TempDir("recurrent_device");
    std::vector<float> x, h0;
    for (int i = 0; i < c.steps * c.batches * c.inputs; ++i) x.push_back(0.37f * static_cast<float>(i % 11) - 1.8f);
    for (int i = 0; i < 2 * c.batches * c.hidden; ++i) h0.push_back(0.21f * static_cast<float>(i % 7) - 0.6f);
    std::vector<uint8_t> bytes(x.size() * sizeof(float)), h0_bytes(h0.size() * sizeof(float));
    std::memcpy(bytes.data(), x.data(), bytes.size());
    std::memcpy(h0_bytes.data(), h0.data(), h0_bytes.size());
    test::WriteBytes(dir / "x.bin", bytes);
    test::WriteBytes(dir / "h0.bin", h0_bytes);
    std::vector<fs::path> inputs = {dir / "x.bin", dir / "h0.bin"};
    if (c.lstm) inputs.push_back(dir / "h0.bin");  // initial_c: the same values
    RunOnHostAndBoard(**board, *library, inputs, dir);
    if (HasFatalFailure()) return;
    for (int k = 0; k < c.outputs(); ++k) {
      const std::string file = "output_" + std::to_string(k) + ".bin";
      const auto host = Floats(test::ReadBytes(dir / "host" / file));
      const auto device = Floats(test::ReadBytes(dir / "device" / file));
      ASSERT_FALSE(host.empty());
      ASSERT_EQ(device.size(), host.size()) << file;
      for (size_t i = 0; i < host.size(); ++i) EXPECT_NEAR(device[i], host[i], 1e-5f) << file << " element " << i;
    }
    fs::remove_all(dir);
  }
}

TEST_P(OperatorCoverageDeviceTest, IntegerLstmAndInt16ActivationsMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  for (bool int16 : {false, true}) {
    SCOPED_TRACE(int16 ? "16x8" : "int8");
    test::LstmIntCase c = test::TfliteMicroLstmCase(int16);
    c.time_major = int16;
    test::TfliteModelBuilder b = test::LstmIntModel(c, 4);
    std::vector<uint8_t> x;
    for (int i = 0; i < 4 * 2 * 2; ++i) {
      const int v = (i * 37) % 200 - 100;
      if (int16) {
        const int16_t q = static_cast<int16_t>(v * 300);
        x.insert(x.end(), reinterpret_cast<const uint8_t*>(&q), reinterpret_cast<const uint8_t*>(&q) + 2);
      } else {
        x.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
      }
    }
    if (int16) {  // y -> TANH and LOGISTIC (int16, a non-power-of-two input scale)
      const int y = b.subgraph().outputs[0];
      const int t = b.AddTensor("tanh", fb::TensorType::INT16, {4, 2, 2}, {1.0f / 32768}, {0});
      const int l = b.AddTensor("logistic", fb::TensorType::INT16, {4, 2, 2}, {1.0f / 32768}, {0});
      b.AddOperator(28, {y}, {t});
      b.AddOperator(14, {y}, {l});
      b.SetIo({b.subgraph().inputs[0]}, {y, t, l});
    }
    auto library = CompileModel(b.Finish(), int16 ? "lstm16" : "lstm8");
    ASSERT_TRUE(library.ok()) << library.message();
    const fs::path dir = test::TempDir("lstm_int_device");
    test::WriteBytes(dir / "x.bin", x);
    RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
    if (HasFatalFailure()) return;
    for (int k = 0; k < (int16 ? 3 : 1); ++k) {
      const std::string out = "output_" + std::to_string(k) + ".bin";
      const auto host = test::ReadBytes(dir / "host" / out);
      EXPECT_EQ(host.size(), 2u * 4u * 2u * (int16 ? 2u : 1u));
      EXPECT_EQ(test::ReadBytes(dir / "device" / out), host) << out;
    }
    fs::remove_all(dir);
  }
}

std::vector<uint8_t> BinaryMathModel(int n) {
  constexpr auto F32 = fb::TensorType::FLOAT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, n});
  const int y = b.AddTensor("y", F32, {1, n});
  const int alpha = b.AddConstant<float>("alpha", F32, {1}, {0.25f});
  std::vector<int32_t> outputs;
  // SQUARED_DIFFERENCE FLOOR_DIV FLOOR_MOD POW, then PRELU of x by a scalar.
  for (int32_t code : {99, 90, 95, 78}) {
    outputs.push_back(b.AddTensor("o" + std::to_string(code), F32, {1, n}));
    b.AddOperator(code, {x, y}, {outputs.back()});
  }
  outputs.push_back(b.AddTensor("prelu", F32, {1, n}));
  b.AddOperator(54, {x, alpha}, {outputs.back()});
  b.SetIo({x, y}, outputs);
  return b.Finish();
}

TEST_P(OperatorCoverageDeviceTest, BinaryMathMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr int kN = 48;
  auto library = CompileModel(BinaryMathModel(kN), "binary_math");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("binary_math_device");
  std::vector<float> x, y;
  for (int i = 0; i < kN; ++i) {
    x.push_back(-6.0f + 0.25f * static_cast<float>(i));
    y.push_back(i % 5 == 0 ? -1.5f : 0.5f + 0.125f * static_cast<float>(i % 7));
  }
  std::vector<uint8_t> xb(x.size() * 4), yb(y.size() * 4);
  std::memcpy(xb.data(), x.data(), xb.size());
  std::memcpy(yb.data(), y.data(), yb.size());
  test::WriteBytes(dir / "x.bin", xb);
  test::WriteBytes(dir / "y.bin", yb);
  const std::vector<fs::path> inputs = {dir / "x.bin", dir / "y.bin"};
  RunOnHostAndBoard(**board, *library, inputs, dir);
  if (HasFatalFailure()) return;
  int compared = 0;
  for (int o = 0; o < 5; ++o) {
    const std::string name = "output_" + std::to_string(o) + ".bin";
    const auto h = Floats(test::ReadBytes(dir / "host" / name));
    const auto d = Floats(test::ReadBytes(dir / "device" / name));
    ASSERT_EQ(h.size(), static_cast<size_t>(kN)) << name;
    ASSERT_EQ(d.size(), h.size()) << name;
    for (int i = 0; i < kN; ++i) {
      if (std::isnan(h[i])) {
        EXPECT_TRUE(std::isnan(d[i])) << name << " element " << i;
      } else {
        EXPECT_NEAR(d[i], h[i], 1e-5f * std::fabs(h[i])) << name << " element " << i;
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 5 * kN);
  fs::remove_all(dir);
}

std::vector<uint8_t> ComparisonModel(int n) {
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto BOOL = fb::TensorType::BOOL;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, n});
  const int q = b.AddTensor("q", I8, {1, n}, {0.05f}, {3});
  const int k = b.AddTensor("k", I32, {1, n});
  const int lo = b.AddConstant<float>("lo", F32, {1}, {1.5f});
  const int hi = b.AddConstant<float>("hi", F32, {1}, {2.5f});
  const int r = b.AddConstant<int8_t>("r", I8, {1}, {20}, {0.1f}, {-2});
  const int seven = b.AddConstant<int32_t>("seven", I32, {1}, {7});
  auto op = [&](int32_t code, std::vector<int32_t> in, const char* name) {
    const int out = b.AddTensor(name, BOOL, {1, n});
    b.AddOperator(code, std::move(in), {out});
    return out;
  };
  const int above = op(61, {x, lo}, "above");       // GREATER
  const int below = op(63, {x, hi}, "below");       // LESS_EQUAL
  const int inside = op(86, {above, below}, "in");  // LOGICAL_AND
  const int outside = op(87, {inside}, "out");      // LOGICAL_NOT
  const int either = op(84, {above, outside}, "either");  // LOGICAL_OR
  const int same = op(71, {above, below}, "same");  // EQUAL on bool
  const int q_ge = op(62, {q, r}, "q_ge");          // GREATER_EQUAL int8, two quantizations
  const int k_lt = op(58, {k, seven}, "k_lt");      // LESS int32
  const int k_ne = op(72, {k, seven}, "k_ne");      // NOT_EQUAL int32
  b.SetIo({x, q, k}, {inside, outside, either, same, q_ge, k_lt, k_ne});
  return b.Finish();
}

TEST_P(OperatorCoverageDeviceTest, ComparisonsAndLogicMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr int kN = 40;
  auto library = CompileModel(ComparisonModel(kN), "compare");
  ASSERT_TRUE(library.ok()) << library.message();

  const fs::path dir = test::TempDir("compare_device");
  std::vector<float> x;
  std::vector<int8_t> q;
  std::vector<int32_t> k;
  for (int i = 0; i < kN; ++i) {
    x.push_back(static_cast<float>(i) / 10.0f);
    q.push_back(static_cast<int8_t>(i * 6 - 100));
    k.push_back(i % 11);
  }
  auto write = [&](const char* name, const void* data, size_t size) {
    std::vector<uint8_t> bytes(size);
    std::memcpy(bytes.data(), data, size);
    test::WriteBytes(dir / name, bytes);
    return dir / name;
  };
  const std::vector<fs::path> inputs = {write("x.bin", x.data(), x.size() * 4), write("q.bin", q.data(), q.size()),
                                        write("k.bin", k.data(), k.size() * 4)};
  RunOnHostAndBoard(**board, *library, inputs, dir);
  if (HasFatalFailure()) return;
  for (int o = 0; o < 7; ++o) {
    const std::string name = "output_" + std::to_string(o) + ".bin";
    const auto host_bytes = test::ReadBytes(dir / "host" / name);
    EXPECT_EQ(host_bytes.size(), static_cast<size_t>(kN)) << name;
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), host_bytes) << name;
  }
  // The host's answers themselves: x in (1.5, 2.5] is i in 16..25.
  const auto inside = test::ReadBytes(dir / "host" / "output_0.bin");
  for (int i = 0; i < kN; ++i) EXPECT_EQ(inside[static_cast<size_t>(i)], (i >= 16 && i <= 25) ? 1 : 0) << i;
  fs::remove_all(dir);
}

// UNPACK along axis 1 and PACK back along axis 0 (a transpose), SPLIT_V,
// SLICE, ARG_MAX and REDUCE_MAX of an int8 [n, 4] input.
std::vector<uint8_t> SlicingModel(int n) {
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {n, 4}, {0.5f}, {1});
  std::vector<int32_t> columns;
  for (int c = 0; c < 4; ++c) columns.push_back(b.AddTensor("c" + std::to_string(c), I8, {n}, {0.5f}, {1}));
  fb::UnpackOptionsT uo;
  uo.num = 4;
  uo.axis = 1;
  fb::BuiltinOptionsUnion uu;
  uu.Set(std::move(uo));
  b.AddOperator(88, {x}, columns, std::move(uu));
  const int packed = b.AddTensor("packed", I8, {4, n}, {0.5f}, {1});
  fb::PackOptionsT po;
  po.values_count = 4;
  fb::BuiltinOptionsUnion pu;
  pu.Set(std::move(po));
  b.AddOperator(83, columns, {packed}, std::move(pu));
  const int sizes = b.AddConstant<int32_t>("sizes", I32, {2}, {1, 3});
  const int axis = b.AddConstant<int32_t>("axis", I32, {}, {1});
  const int left = b.AddTensor("left", I8, {n, 1}, {0.5f}, {1});
  const int right = b.AddTensor("right", I8, {n, 3}, {0.5f}, {1});
  b.AddOperator(102, {x, sizes, axis}, {left, right});
  const int begin = b.AddConstant<int32_t>("begin", I32, {2}, {1, 2});
  const int size = b.AddConstant<int32_t>("size", I32, {2}, {n - 2, 2});
  const int sliced = b.AddTensor("sliced", I8, {n - 2, 2}, {0.5f}, {1});
  b.AddOperator(65, {x, begin, size}, {sliced});
  const int last_axis = b.AddConstant<int32_t>("last_axis", I32, {}, {-1});
  const int arg_max = b.AddTensor("arg_max", I32, {n});
  b.AddOperator(56, {x, last_axis}, {arg_max});  // ARG_MAX
  const int row_max = b.AddTensor("row_max", I8, {n}, {0.5f}, {1});
  b.AddOperator(82, {x, last_axis}, {row_max});  // REDUCE_MAX
  b.SetIo({x}, {packed, right, sliced, arg_max, row_max});
  return b.Finish();
}

TEST_P(OperatorCoverageDeviceTest, SlicingAndStackingMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr int kN = 10;
  auto library = CompileModel(SlicingModel(kN), "slicing");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("slicing_device");
  std::vector<uint8_t> x;
  for (int i = 0; i < kN * 4; ++i) x.push_back(static_cast<uint8_t>(i * 7 - 100));
  test::WriteBytes(dir / "x.bin", x);
  RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
  if (HasFatalFailure()) return;
  const size_t sizes[] = {4 * kN, 3 * kN, 2 * (kN - 2), 4 * kN, kN};
  for (int o = 0; o < 5; ++o) {
    const std::string name = "output_" + std::to_string(o) + ".bin";
    EXPECT_EQ(test::ReadBytes(dir / "host" / name).size(), sizes[o]) << name;
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), test::ReadBytes(dir / "host" / name)) << name;
  }
  // The host's transpose itself: packed[c][r] = x[r][c].
  const auto packed = test::ReadBytes(dir / "host" / "output_0.bin");
  for (int r = 0; r < kN; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_EQ(packed[static_cast<size_t>(c * kN + r)], x[static_cast<size_t>(r * 4 + c)]);
  fs::remove_all(dir);
}

TEST_P(OperatorCoverageDeviceTest, SixteenByEightKernelsGiveTheGoldenValues) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  std::vector<test::S16x8Operands> operands;
  std::vector<std::vector<int32_t>> expected;
  auto library = CompileModel(test::AllS16x8CasesModel(&operands, &expected).Finish(), "s16x8");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("s16x8_device");
  std::vector<fs::path> inputs;
  for (size_t k = 0; k < operands.size(); ++k) {
    inputs.push_back(dir / ("x" + std::to_string(k) + ".bin"));
    test::WriteBytes(inputs.back(), test::Bytes(operands[k].input));
  }
  RunOnHostAndBoard(**board, *library, inputs, dir);
  if (HasFatalFailure()) return;
  for (size_t k = 0; k < expected.size(); ++k) {
    const auto bytes = test::ReadBytes(dir / "device" / ("output_" + std::to_string(k) + ".bin"));
    ASSERT_EQ(bytes.size(), expected[k].size() * 2) << "output " << k;
    for (size_t i = 0; i < expected[k].size(); ++i) {
      int16_t v;
      std::memcpy(&v, bytes.data() + 2 * i, 2);
      EXPECT_EQ(v, expected[k][i]) << "output " << k << " element " << i;
    }
  }
  fs::remove_all(dir);
}

TEST_P(OperatorCoverageDeviceTest, TransposeConvGivesTheGoldenValues) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  std::vector<test::TransposeConvOperands> operands;
  auto library = CompileModel(test::AllTransposeConvCasesModel(&operands).Finish(), "tconv");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("tconv_device");
  std::vector<fs::path> inputs;
  for (size_t k = 0; k < operands.size(); ++k) {
    inputs.push_back(dir / ("x" + std::to_string(k) + ".bin"));
    test::WriteBytes(inputs.back(), operands[k].input);
  }
  RunOnHostAndBoard(**board, *library, inputs, dir);
  if (HasFatalFailure()) return;
  for (size_t k = 0; k < test::kTransposeConvCases.size(); ++k)
    test::ExpectTransposeConvOutput(test::kTransposeConvCases[k],
                                    test::ReadBytes(dir / "device" / ("output_" + std::to_string(k) + ".bin")));
  fs::remove_all(dir);
}

TEST_P(OperatorCoverageDeviceTest, ResizeGivesTheGoldenValues) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  // One model of nine inputs and nine outputs (more than the device
  // protocol's former limit of 16 together).
  auto library = CompileModel(test::AllResizeCasesModel().Finish(), "resize");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("resize_device");
  std::vector<fs::path> inputs;
  for (size_t k = 0; k < test::kResizeCases.size(); ++k) {
    inputs.push_back(dir / ("x" + std::to_string(k) + ".bin"));
    test::WriteBytes(inputs.back(), test::ResizeInput(test::kResizeCases[k]));
  }
  RunOnHostAndBoard(**board, *library, inputs, dir);
  if (HasFatalFailure()) return;
  for (size_t k = 0; k < test::kResizeCases.size(); ++k)
    test::ExpectResizeOutput(test::kResizeCases[k],
                             test::ReadBytes(dir / "device" / ("output_" + std::to_string(k) + ".bin")));
  fs::remove_all(dir);
}

TEST_P(OperatorCoverageDeviceTest, GatherPicksSlicesAndStopsAtAnOutOfRangePosition) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  test::TfliteModelBuilder b;
  const int in = b.AddTensor("x", fb::TensorType::INT8, {2, 3, 2});
  const int pos = b.AddTensor("positions", fb::TensorType::INT32, {2, 2});
  const int out = b.AddTensor("y", fb::TensorType::INT8, {2, 2, 2});
  fb::GatherOptionsT o;
  o.axis = 1;
  o.batch_dims = 1;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(36, {in, pos}, {out}, std::move(u));
  b.SetIo({in, pos}, {out});
  auto library = CompileModel(b.Finish(), "gather");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("gather_device");
  test::WriteBytes(dir / "x.bin", {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121});
  const std::vector<int32_t> positions = {2, 0, 1, 1};
  test::WriteBytes(dir / "p.bin", test::Bytes(positions));
  RunOnHostAndBoard(**board, *library, {dir / "x.bin", dir / "p.bin"}, dir);
  if (HasFatalFailure()) return;
  EXPECT_EQ(test::ReadBytes(dir / "device" / "output_0.bin"),
            (std::vector<uint8_t>{20, 21, 0, 1, 110, 111, 110, 111}));
  // Position 3 of an axis of 3: the board's run() reports it.
  test::WriteBytes(dir / "bad.bin", test::Bytes(std::vector<int32_t>{2, 0, 1, 3}));
  auto device = DeviceSession::Start(*library, **board);
  ASSERT_TRUE(device.ok()) << device.message();
  auto ran = (*device)->Run({dir / "x.bin", dir / "bad.bin"}, dir / "bad");
  EXPECT_FALSE(ran.ok());
  fs::remove_all(dir);
}

TEST_P(OperatorCoverageDeviceTest, CastSelectBroadcastAndFillMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto F32 = fb::TensorType::FLOAT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {2, 4});
  const int as_int8 = b.AddTensor("as_int8", fb::TensorType::INT8, {2, 4});
  b.AddOperator(53, {x}, {as_int8});
  const int back = b.AddTensor("back", F32, {2, 4});
  b.AddOperator(53, {as_int8}, {back});
  const int positive = b.AddTensor("positive", fb::TensorType::BOOL, {2, 4});
  const int zero = b.AddConstant<float>("zero", F32, {1}, {0.0f});
  b.AddOperator(61, {x, zero}, {positive});  // GREATER
  const int row = b.AddConstant<float>("row", F32, {4}, {10, 20, 30, 40});
  const int picked = b.AddTensor("picked", F32, {2, 4});
  b.AddOperator(123, {positive, back, row}, {picked});
  const int shape = b.AddConstant<int32_t>("shape", fb::TensorType::INT32, {3}, {2, 2, 4});
  const int wide = b.AddTensor("wide", F32, {2, 2, 4});
  b.AddOperator(130, {picked, shape}, {wide});
  const int dims = b.AddConstant<int32_t>("dims", fb::TensorType::INT32, {1}, {5});
  const int filled = b.AddTensor("filled", fb::TensorType::INT8, {5});
  const int one = b.AddTensor("one", fb::TensorType::INT8, {1});
  b.AddOperator(53, {zero}, {one});
  b.AddOperator(94, {dims, one}, {filled});
  b.SetIo({x}, {wide, filled});
  auto library = CompileModel(b.Finish(), "cast_select");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("cast_select_device");
  const std::vector<float> values = {-1.5f, 2.7f, 300.0f, -200.0f, 0.5f, -0.25f, 99.9f, 3.0f};
  test::WriteBytes(dir / "x.bin", test::Bytes(values));
  RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
  if (HasFatalFailure()) return;
  for (const char* name : {"output_0.bin", "output_1.bin"})
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), test::ReadBytes(dir / "host" / name)) << name;
  // The host's own answer: positives become their saturated int8, the rest the row.
  const std::vector<float> expected = {10, 2, 127, 40, 0, 20, 99, 3};
  const auto wide_out = Floats(test::ReadBytes(dir / "host" / "output_0.bin"));
  ASSERT_EQ(wide_out.size(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(wide_out[i], expected[i % 8]) << i;
  fs::remove_all(dir);
}

// REVERSE_V2 (a run of two axes, and int64 as int32 pairs) and PADV2 on
// the board: the host's bytes, and the host's are the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, ReverseAndPadV2MatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {2, 2, 3});
  const int axes = b.AddConstant<int32_t>("axes", I32, {2}, {0, 1});
  const int reversed = b.AddTensor("reversed", F32, {2, 2, 3});
  b.AddOperator(105, {x, axes}, {reversed});
  const int pads = b.AddConstant<int32_t>("pads", I32, {3, 2}, {0, 0, 1, 0, 0, 1});
  const int value = b.AddConstant<float>("value", F32, {}, {-9.0f});
  const int padded = b.AddTensor("padded", F32, {2, 3, 4});
  b.AddOperator(60, {reversed, pads, value}, {padded});
  const int wide = b.AddTensor("wide", fb::TensorType::INT64, {3});
  const int last = b.AddConstant<int32_t>("last", I32, {1}, {-1});
  const int wide_reversed = b.AddTensor("wide_reversed", fb::TensorType::INT64, {3});
  b.AddOperator(105, {wide, last}, {wide_reversed});
  b.SetIo({x, wide}, {padded, wide_reversed});
  auto library = CompileModel(b.Finish(), "reverse_pad");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("reverse_pad_device");
  std::vector<float> values(12);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  test::WriteBytes(dir / "x.bin", test::Bytes(values));
  test::WriteBytes(dir / "wide.bin", test::Bytes<int64_t>({int64_t{1} << 40, -2, 3}));
  RunOnHostAndBoard(**board, *library, {dir / "x.bin", dir / "wide.bin"}, dir);
  if (HasFatalFailure()) return;
  for (const char* name : {"output_0.bin", "output_1.bin"})
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), test::ReadBytes(dir / "host" / name)) << name;
  const auto padded_out = Floats(test::ReadBytes(dir / "host" / "output_0.bin"));
  const std::vector<float> expected = {-9, -9, -9, -9, 9, 10, 11, -9, 6, 7, 8, -9,
                                       -9, -9, -9, -9, 3, 4,  5,  -9, 0, 1, 2, -9};
  EXPECT_EQ(padded_out, expected);
  EXPECT_EQ(test::ReadBytes(dir / "host" / "output_1.bin"), test::Bytes<int64_t>({3, -2, int64_t{1} << 40}));
  fs::remove_all(dir);
}

// ELU on the board: int8 (a table) byte for byte, float32 within a float
// step of the host (the C libraries' expm1f).
TEST_P(OperatorCoverageDeviceTest, EluMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  test::TfliteModelBuilder b;
  const int q = b.AddTensor("q", fb::TensorType::INT8, {256}, {0.05f}, {20});
  const int q_out = b.AddTensor("q_out", fb::TensorType::INT8, {256}, {0.04f}, {-60});
  b.AddOperator(111, {q}, {q_out});
  const int f = b.AddTensor("f", fb::TensorType::FLOAT32, {64});
  const int f_out = b.AddTensor("f_out", fb::TensorType::FLOAT32, {64});
  b.AddOperator(111, {f}, {f_out});
  b.SetIo({q, f}, {q_out, f_out});
  auto library = CompileModel(b.Finish(), "elu");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("elu_device");
  std::vector<int8_t> every;
  for (int v = -128; v <= 127; ++v) every.push_back(static_cast<int8_t>(v));
  std::vector<float> x;
  for (int i = 0; i < 64; ++i) x.push_back(-6.0f + 0.2f * static_cast<float>(i));
  test::WriteBytes(dir / "q.bin", test::Bytes(every));
  test::WriteBytes(dir / "f.bin", test::Bytes(x));
  RunOnHostAndBoard(**board, *library, {dir / "q.bin", dir / "f.bin"}, dir);
  if (HasFatalFailure()) return;
  EXPECT_EQ(test::ReadBytes(dir / "device" / "output_0.bin"), test::ReadBytes(dir / "host" / "output_0.bin"));
  const auto host = Floats(test::ReadBytes(dir / "host" / "output_1.bin"));
  const auto device = Floats(test::ReadBytes(dir / "device" / "output_1.bin"));
  ASSERT_EQ(host.size(), x.size());
  ASSERT_EQ(device.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(device[i], host[i], 1e-6f * std::max(1.0f, std::fabs(host[i]))) << i;
    EXPECT_NEAR(host[i], x[i] < 0 ? std::expm1(x[i]) : x[i], 1e-6f * std::max(1.0f, std::fabs(x[i]))) << i;
  }
  fs::remove_all(dir);
}

// MIRROR_PAD (int8 REFLECT over two axes, float SYMMETRIC) on the board:
// the host's bytes, and the host's are the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, MirrorPadMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I32 = fb::TensorType::INT32;
  auto mirror = [](fb::MirrorPadMode mode) {
    fb::MirrorPadOptionsT o;
    o.mode = mode;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    return u;
  };
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", fb::TensorType::INT8, {2, 3}, {0.25f}, {5});
  const int pads = b.AddConstant<int32_t>("pads", I32, {2, 2}, {1, 1, 2, 1});
  const int reflected = b.AddTensor("reflected", fb::TensorType::INT8, {4, 6}, {0.25f}, {5});
  b.AddOperator(100, {x, pads}, {reflected}, mirror(fb::MirrorPadMode::REFLECT));
  const int f = b.AddTensor("f", fb::TensorType::FLOAT32, {3});
  const int f_pads = b.AddConstant<int32_t>("f_pads", I32, {1, 2}, {3, 2});
  const int symmetric = b.AddTensor("symmetric", fb::TensorType::FLOAT32, {8});
  b.AddOperator(100, {f, f_pads}, {symmetric}, mirror(fb::MirrorPadMode::SYMMETRIC));
  b.SetIo({x, f}, {reflected, symmetric});
  auto library = CompileModel(b.Finish(), "mirror_pad");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("mirror_pad_device");
  test::WriteBytes(dir / "x.bin", test::Bytes<int8_t>({1, 2, 3, 4, 5, 6}));
  test::WriteBytes(dir / "f.bin", test::Bytes<float>({0.5f, -1.0f, 2.0f}));
  RunOnHostAndBoard(**board, *library, {dir / "x.bin", dir / "f.bin"}, dir);
  if (HasFatalFailure()) return;
  for (const char* name : {"output_0.bin", "output_1.bin"})
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), test::ReadBytes(dir / "host" / name)) << name;
  // Rows r1 r0 r1 r0, columns c2 c1 c0 c1 c2 c1.
  EXPECT_EQ(test::ReadBytes(dir / "host" / "output_0.bin"),
            test::Bytes<int8_t>({6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2}));
  // c2 c1 c0 | c0 c1 c2 | c2 c1.
  EXPECT_EQ(Floats(test::ReadBytes(dir / "host" / "output_1.bin")),
            (std::vector<float>{2.0f, -1.0f, 0.5f, 0.5f, -1.0f, 2.0f, 2.0f, -1.0f}));
  fs::remove_all(dir);
}

// ADD_N of three float inputs on the board: the host's bytes, which sum
// left to right (1e8 + 1 - 1e8 is 0 in float32); and of three int8 inputs
// of zero point 2, whose sum TFLite Micro starts from the rescaled -2
// (reference_ops::AddN): (x - 2 summed) - 2, doubled by the scales.
TEST_P(OperatorCoverageDeviceTest, AddNMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I8 = fb::TensorType::INT8;
  test::TfliteModelBuilder b;
  const int x0 = b.AddTensor("x0", F32, {3});
  const int x1 = b.AddTensor("x1", F32, {3});
  const int x2 = b.AddTensor("x2", F32, {3});
  const int y = b.AddTensor("y", F32, {3});
  b.AddOperator(106, {x0, x1, x2}, {y});
  const int q0 = b.AddTensor("q0", I8, {4}, {0.1f}, {2});
  const int q1 = b.AddTensor("q1", I8, {4}, {0.1f}, {2});
  const int q2 = b.AddTensor("q2", I8, {4}, {0.1f}, {2});
  const int qy = b.AddTensor("qy", I8, {4}, {0.05f}, {0});
  b.AddOperator(106, {q0, q1, q2}, {qy});
  b.SetIo({x0, x1, x2, q0, q1, q2}, {y, qy});
  auto library = CompileModel(b.Finish(), "add_n");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("add_n_device");
  test::WriteBytes(dir / "x0.bin", test::Bytes<float>({1e8f, 0.5f, -3.0f}));
  test::WriteBytes(dir / "x1.bin", test::Bytes<float>({1.0f, 0.25f, 1.5f}));
  test::WriteBytes(dir / "x2.bin", test::Bytes<float>({-1e8f, -2.0f, 4.0f}));
  test::WriteBytes(dir / "q0.bin", test::Bytes<int8_t>({12, -18, 5, 2}));
  test::WriteBytes(dir / "q1.bin", test::Bytes<int8_t>({7, 9, -1, 3}));
  test::WriteBytes(dir / "q2.bin", test::Bytes<int8_t>({1, 3, 2, 3}));
  RunOnHostAndBoard(**board, *library,
                    {dir / "x0.bin", dir / "x1.bin", dir / "x2.bin", dir / "q0.bin", dir / "q1.bin", dir / "q2.bin"},
                    dir);
  if (HasFatalFailure()) return;
  for (const char* file : {"output_0.bin", "output_1.bin"})
    EXPECT_EQ(test::ReadBytes(dir / "device" / file), test::ReadBytes(dir / "host" / file)) << file;
  EXPECT_EQ(Floats(test::ReadBytes(dir / "host" / "output_0.bin")), (std::vector<float>{0.0f, -1.25f, 2.5f}));
  EXPECT_EQ(test::ReadBytes(dir / "host" / "output_1.bin"), test::Bytes<int8_t>({24, -28, -4, 0}));
  fs::remove_all(dir);
}

// L2_POOL_2D, CUMSUM, L2_NORMALIZATION and ZEROS_LIKE on the board, float
// and int8 (CUMSUM into L2_NORMALIZATION, its fixed-point inverse square
// root): every output the host's bytes.
TEST_P(OperatorCoverageDeviceTest, L2CumSumAndZerosLikeMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, 2, 2, 3});
  const int q = b.AddTensor("q", I8, {4, 3}, {0.05f}, {-3});
  const int pooled = b.AddTensor("pooled", F32, {1, 1, 1, 3});
  fb::Pool2DOptionsT pool;
  pool.padding = fb::Padding::VALID;
  pool.stride_w = pool.stride_h = 1;
  pool.filter_width = pool.filter_height = 2;
  fb::BuiltinOptionsUnion pool_options;
  pool_options.Set(std::move(pool));
  b.AddOperator(12, {x}, {pooled}, std::move(pool_options));
  const int axis = b.AddConstant<int32_t>("axis", I32, {}, {-1});
  fb::CumsumOptionsT reverse;
  reverse.reverse = true;
  fb::BuiltinOptionsUnion reverse_options;
  reverse_options.Set(std::move(reverse));
  const int sums = b.AddTensor("sums", F32, {1, 2, 2, 3});
  b.AddOperator(128, {x, axis}, {sums}, std::move(reverse_options));
  const int unit = b.AddTensor("unit", F32, {1, 2, 2, 3});
  b.AddOperator(11, {sums}, {unit});
  const int zeros = b.AddTensor("zeros", F32, {1, 2, 2, 3});
  b.AddOperator(93, {x}, {zeros});
  const int q_sums = b.AddTensor("q_sums", I8, {4, 3}, {0.1f}, {5});
  b.AddOperator(128, {q, axis}, {q_sums});
  const int q_unit = b.AddTensor("q_unit", I8, {4, 3}, {1.0f / 128}, {0});
  b.AddOperator(11, {q_sums}, {q_unit});
  b.SetIo({x, q}, {pooled, unit, zeros, q_unit});
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "l2_cumsum",
      {test::Bytes<float>({1, -2, 3, 0.5f, 4, -6, 7, 8, -9, 0.25f, 0, 11}),
       test::Bytes<int8_t>({-128, 127, 5, -3, -3, -3, 40, -60, 90, 0, 1, -1})},
      4);
  ASSERT_EQ(host.size(), 4u);
  EXPECT_EQ(Floats(host[2]), std::vector<float>(12, 0.0f));
}

// GATHER_ND of int8 rows by indices read at run time, on the board: the
// host's bytes, and the host's are the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, GatherNdMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int params = b.AddTensor("params", I8, {2, 2, 3}, {0.5f}, {0});
  const int indices = b.AddTensor("indices", I32, {3, 2});
  const int out = b.AddTensor("y", I8, {3, 3}, {0.5f}, {0});
  b.AddOperator(107, {params, indices}, {out});
  b.SetIo({params, indices}, {out});
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "gather_nd",
      {test::Bytes<int8_t>({0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112}),
       test::Bytes<int32_t>({1, 1, 0, 0, 1, 0})},
      1);
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0], test::Bytes<int8_t>({110, 111, 112, 0, 1, 2, 100, 101, 102}));
}

// BROADCAST_ARGS of int32 and of int64 shapes read at run time, on the
// board: the host's bytes, and the host's numpy's broadcast.
TEST_P(OperatorCoverageDeviceTest, BroadcastArgsMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I32 = fb::TensorType::INT32;
  constexpr auto I64 = fb::TensorType::INT64;
  test::TfliteModelBuilder b;
  const int a = b.AddTensor("a", I32, {4});
  const int c = b.AddTensor("c", I32, {3});
  const int ac = b.AddTensor("ac", I32, {4});
  const int a64 = b.AddTensor("a64", I64, {2});
  const int c64 = b.AddTensor("c64", I64, {3});
  const int ac64 = b.AddTensor("ac64", I64, {3});
  b.AddOperator(145, {a, c}, {ac});
  b.AddOperator(145, {a64, c64}, {ac64});
  b.SetIo({a, c, a64, c64}, {ac, ac64});
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "broadcast_args",
      {test::Bytes<int32_t>({8, 1, 6, 1}), test::Bytes<int32_t>({7, 1, 5}), test::Bytes<int64_t>({1, 3000000000}),
       test::Bytes<int64_t>({4, 5, 1})},
      2);
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(host[0], test::Bytes<int32_t>({8, 7, 6, 5}));
  EXPECT_EQ(host[1], test::Bytes<int64_t>({4, 5, 3000000000}));
}

// IF and WHILE (their subgraphs inlined between markers: C's if and for on
// the board): each branch of the IF, a WHILE of three turns that swaps
// two loop variables and doubles a third, and an IF inside a WHILE; the
// host's bytes, and the host's the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, IfAndWhileMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  const auto x = test::Bytes<float>({3, -2}), y = test::Bytes<float>({5, 4});
  for (uint8_t cond : {uint8_t{1}, uint8_t{0}}) {
    const auto host = HostOutputsMatchingTheBoard(**board, test::IfAddElseMulModel(), "if", {{cond}, x, y}, 1);
    ASSERT_EQ(host.size(), 1u);
    EXPECT_EQ(host[0], cond ? test::Bytes<float>({8, 2}) : test::Bytes<float>({15, -8}));
  }
  const auto a = test::Bytes<float>({1, 2}), b = test::Bytes<float>({3, 4});
  const auto host = HostOutputsMatchingTheBoard(**board, test::WhileSwapAndDoubleModel(), "while",
                                                {test::Bytes<int32_t>({0}), a, b, test::Bytes<float>({0.5f, -1})}, 4);
  ASSERT_EQ(host.size(), 4u);
  EXPECT_EQ(host[0], test::Bytes<int32_t>({3}));
  EXPECT_EQ(host[1], b);
  EXPECT_EQ(host[2], a);
  EXPECT_EQ(host[3], test::Bytes<float>({4, -8}));
  // An IF inside the WHILE's body: x doubled twice, then squared twice.
  const auto nested = HostOutputsMatchingTheBoard(**board, test::WhileOfIfModel(), "while_of_if",
                                                  {test::Bytes<int32_t>({0}), test::Bytes<float>({1, -2})}, 2);
  ASSERT_EQ(nested.size(), 2u);
  EXPECT_EQ(nested[1], test::Bytes<float>({256, 4096}));
}

// EMBEDDING_LOOKUP of int8 rows into float32 (gathered into scratch, then
// dequantized) and DYNAMIC_UPDATE_SLICE of those rows into an operand at
// clamped run-time indices, on the board: the host's bytes, and the host's
// the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, EmbeddingLookupAndDynamicUpdateSliceMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto F32 = fb::TensorType::FLOAT32;
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int lookup = b.AddTensor("lookup", I32, {2});
  const int table = b.AddTensor("table", I8, {3, 2}, {0.5f}, {0});
  const int operand = b.AddTensor("operand", F32, {3, 3});
  const int start = b.AddTensor("start", I32, {2});
  const int rows = b.AddTensor("rows", F32, {2, 2});
  b.AddOperator(7, {lookup, table}, {rows});
  const int out = b.AddTensor("y", F32, {3, 3});
  b.AddOperator(151, {operand, rows, start}, {out});
  b.SetIo({lookup, table, operand, start}, {out});
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "embedding_update",
      {test::Bytes<int32_t>({2, 0}), test::Bytes<int8_t>({2, 4, 6, 8, -10, 12}),
       test::Bytes<float>(std::vector<float>(9, 0.0f)), test::Bytes<int32_t>({5, 0})},
      1);
  ASSERT_EQ(host.size(), 1u);
  // Rows 2 and 0 halved, at row min(5, 1) = 1, column 0.
  EXPECT_EQ(Floats(host[0]), (std::vector<float>{0, 0, 0, -5, 6, 0, 1, 2, 0}));
}

// BATCH_MATMUL on the board, int8 with y stored transposed (adj_y) and a
// broadcast batch: the host's bytes, and the host's the hand-worked ones
// (x = 2 real + 1, y = 4 real - 2, output real + 3); and int16, whose sums
// of 32767^2 need 64 bits (0.5 * 0.25 / 65536 = 2^-19: 6143.6 -> 6144).
TEST_P(OperatorCoverageDeviceTest, BatchMatMulMatchesTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I16 = fb::TensorType::INT16;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {2, 2, 3}, {0.5f}, {1});
  const int y = b.AddTensor("y", I8, {2, 3}, {0.25f}, {-2});
  const int out = b.AddTensor("out", I8, {2, 2, 2}, {1.0f}, {3});
  fb::BatchMatMulOptionsT o;
  o.adj_y = true;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(126, {x, y}, {out}, std::move(u));
  const int x16 = b.AddTensor("x16", I16, {1, 3}, {0.5f}, {0});
  const int y16 = b.AddTensor("y16", I16, {3, 2}, {0.25f}, {0});
  const int out16 = b.AddTensor("out16", I16, {1, 2}, {65536.0f}, {0});
  fb::BuiltinOptionsUnion plain;
  plain.Set(fb::BatchMatMulOptionsT{});
  b.AddOperator(126, {x16, y16}, {out16}, std::move(plain));
  b.SetIo({x, y, x16, y16}, {out, out16});
  // x: [[1,2,3],[4,5,6]] and [[1,0,0],[0,1,0]]; y^T: [[1,3,5],[2,4,6]].
  const auto host = HostOutputsMatchingTheBoard(
      **board, b.Finish(), "batch_matmul",
      {test::Bytes<int8_t>({3, 5, 7, 9, 11, 13, 3, 1, 1, 1, 3, 1}), test::Bytes<int8_t>({2, 10, 18, 6, 14, 22}),
       test::Bytes<int16_t>({32767, 32767, 32767}), test::Bytes<int16_t>({32767, -32768, 32767, -32768, 32767, -32768})},
      2);
  ASSERT_EQ(host.size(), 2u);
  EXPECT_EQ(host[0], test::Bytes<int8_t>({25, 31, 52, 67, 4, 5, 6, 7}));
  EXPECT_EQ(host[1], test::Bytes<int16_t>({6144, -6144}));
}

// SPACE_TO_BATCH_ND with padding (the pad kernel into scratch, then
// axis_gather) feeding BATCH_TO_SPACE_ND, whose crops undo it, on the board:
// the host's bytes, and the host's are the hand-worked ones.
TEST_P(OperatorCoverageDeviceTest, SpaceToBatchAndBackMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  constexpr auto I8 = fb::TensorType::INT8;
  constexpr auto I32 = fb::TensorType::INT32;
  test::TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {1, 2, 4, 1}, {0.25f}, {5});
  const int block = b.AddConstant<int32_t>("block", I32, {2}, {2, 2});
  const int margins = b.AddConstant<int32_t>("margins", I32, {2, 2}, {0, 0, 2, 0});
  const int batched = b.AddTensor("batched", I8, {4, 1, 3, 1}, {0.25f}, {5});
  const int back = b.AddTensor("back", I8, {1, 2, 4, 1}, {0.25f}, {5});
  b.AddOperator(38, {x, block, margins}, {batched});
  b.AddOperator(37, {batched, block, margins}, {back});
  b.SetIo({x}, {batched, back});
  auto library = CompileModel(b.Finish(), "space_to_batch");
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir("space_to_batch_device");
  const std::vector<uint8_t> input = test::Bytes<int8_t>({1, 2, 3, 4, 5, 6, 7, 8});
  test::WriteBytes(dir / "x.bin", input);
  RunOnHostAndBoard(**board, *library, {dir / "x.bin"}, dir);
  if (HasFatalFailure()) return;
  for (const char* name : {"output_0.bin", "output_1.bin"})
    EXPECT_EQ(test::ReadBytes(dir / "device" / name), test::ReadBytes(dir / "host" / name)) << name;
  // Rows padded on the left with two zero points (5); batch (by, bx) takes
  // row by, columns bx, bx + 2, bx + 4.
  EXPECT_EQ(test::ReadBytes(dir / "host" / "output_0.bin"),
            test::Bytes<int8_t>({5, 1, 3, 5, 2, 4, 5, 5, 7, 5, 6, 8}));
  EXPECT_EQ(test::ReadBytes(dir / "host" / "output_1.bin"), input);
  fs::remove_all(dir);
}

std::vector<std::string> BoardNames() {
  std::vector<std::string> names;
  for (const Board& b : AllBoards()) names.emplace_back(b.name);
  return names;
}

// The arithmetic kernels on raw values (int32, int64, int8, float64, and
// float64's CAST), the float32 math of ONNX's operators that TFLite lacks
// (TAN ... ERF, SIGN, ELU with alpha and scale) and GATHER_ELEMENTS, in one
// IR graph: identical bytes but for the C libraries' transcendental
// functions, within 1e-5 relative.
TEST_P(OperatorCoverageDeviceTest, RawArithmeticMathAndGatherElementsMatchTheHost) {
  auto board = FindBoard(GetParam());
  ASSERT_TRUE(board.ok()) << board.message();
  test::psm::GraphBuilder b;
  const int a = b.Tensor("a", DType::kInt32, {6});
  const int d = b.Tensor("d", DType::kInt32, {6});
  const int p = b.Tensor("p", DType::kInt64, {3});
  const int q = b.Tensor("q", DType::kInt64, {3});
  const int s = b.Tensor("s", DType::kInt8, {4});
  const int x = b.Tensor("x", DType::kFloat32, {8});
  const int data = b.Tensor("data", DType::kFloat32, {2, 4});
  const int idx = b.Tensor("idx", DType::kInt32, {2, 3});
  const int wide = b.Tensor("wide", DType::kFloat64, {3});
  b.graph.inputs = {a, d, p, q, s, x, data, idx, wide};
  auto binary = [&](OpKind op, int l, int r, DType dtype, Shape shape) {
    const int y = b.Tensor("y" + std::to_string(b.graph.nodes.size()), dtype, shape);
    b.Op(op, {l, r}, {y}).attrs.set("activation", std::string("NONE"));
    b.graph.outputs.push_back(y);
  };
  binary(OpKind::kFloorDiv, a, d, DType::kInt32, {6});
  binary(OpKind::kFloorMod, a, d, DType::kInt32, {6});
  binary(OpKind::kTruncMod, a, d, DType::kInt32, {6});
  binary(OpKind::kMul, p, q, DType::kInt64, {3});
  binary(OpKind::kSub, p, q, DType::kInt64, {3});
  binary(OpKind::kMaximum, s, s, DType::kInt8, {4});
  binary(OpKind::kDiv, wide, wide, DType::kFloat64, {3});
  const int narrowed = b.Tensor("narrowed", DType::kInt32, {3});
  b.Op(OpKind::kCast, {wide}, {narrowed});
  b.graph.outputs.push_back(narrowed);
  const size_t exact_outputs = b.graph.outputs.size();
  int cosh = -1;
  for (OpKind op : {OpKind::kTan, OpKind::kAsin, OpKind::kAcos, OpKind::kAtan, OpKind::kSinh, OpKind::kCosh,
                    OpKind::kAsinh, OpKind::kAtanh, OpKind::kErf, OpKind::kSign, OpKind::kElu}) {
    const int y = b.Tensor("f" + std::to_string(b.graph.nodes.size()), DType::kFloat32, {8});
    Node& node = b.Op(op, {x}, {y});
    if (op == OpKind::kElu) {
      node.attrs.set("alpha", 1.5);
      node.attrs.set("scale", 0.75);
    }
    if (op == OpKind::kCosh) cosh = y;
    b.graph.outputs.push_back(y);
  }
  const int acosh = b.Tensor("acosh", DType::kFloat32, {8});
  b.Op(OpKind::kAcosh, {cosh}, {acosh});  // cosh(x) >= 1
  b.graph.outputs.push_back(acosh);
  const int gathered = b.Tensor("gathered", DType::kFloat32, {2, 3});
  b.Op(OpKind::kGatherElements, {data, idx}, {gathered}).attrs.set("axis", int64_t{1});
  b.graph.outputs.push_back(gathered);
  b.graph.name = "integer_math";

  const std::string name = "integer_math";
  auto library = CompileGraph(b.graph, CodegenOptions{}, name);
  ASSERT_TRUE(library.ok()) << library.message();
  const fs::path dir = test::TempDir(name + "_device");
  const std::vector<std::vector<uint8_t>> inputs = {
      test::Bytes<int32_t>({7, -7, 7, -7, INT32_MIN, 100}), test::Bytes<int32_t>({2, 2, -2, -2, -1, 7}),
      test::Bytes<int64_t>({INT64_MAX, -3, 1LL << 40}), test::Bytes<int64_t>({2, 5, 1LL << 30}),
      test::Bytes<int8_t>({-128, -1, 0, 127}),
      test::Bytes<float>({-0.9f, -0.5f, -0.1f, 0.0f, 0.2f, 0.45f, 0.7f, 0.95f}),
      test::Bytes<float>({0, 1, 2, 3, 10, 11, 12, 13}), test::Bytes<int32_t>({3, 0, -1, 1, -4, 2}),
      test::Bytes<double>({3.75, -1e10, 0.1})};
  std::vector<fs::path> files;
  for (size_t k = 0; k < inputs.size(); ++k) {
    files.push_back(dir / ("in" + std::to_string(k) + ".bin"));
    test::WriteBytes(files.back(), inputs[k]);
  }
  RunOnHostAndBoard(**board, *library, files, dir);
  if (HasFatalFailure()) return;
  auto output = [&](const char* side, size_t k) {
    return test::ReadBytes(dir / side / ("output_" + std::to_string(k) + ".bin"));
  };
  EXPECT_EQ(output("host", 0), test::Bytes<int32_t>({3, -4, -4, 3, INT32_MIN, 14}));
  EXPECT_EQ(output("host", 1), test::Bytes<int32_t>({1, 1, -1, -1, 0, 2}));
  EXPECT_EQ(output("host", 2), test::Bytes<int32_t>({1, -1, 1, -1, 0, 2}));
  EXPECT_EQ(output("host", 3), test::Bytes<int64_t>({-2, -15, 0}));  // wrapping: 2 * INT64_MAX, 2^70
  EXPECT_EQ(output("host", 4), test::Bytes<int64_t>({INT64_MAX - 2, -8, (1LL << 40) - (1LL << 30)}));
  EXPECT_EQ(output("host", 6), test::Bytes<double>({1, 1, 1}));
  EXPECT_EQ(output("host", 7), test::Bytes<int32_t>({3, INT32_MIN, 0}));  // truncated, saturated
  EXPECT_EQ(output("host", exact_outputs + 12), test::Bytes<float>({3, 0, 3, 11, 10, 12}));
  for (size_t k = 0; k < b.graph.outputs.size(); ++k) {
    SCOPED_TRACE(k);
    if (k < exact_outputs || k == exact_outputs + 12) {
      EXPECT_EQ(output("device", k), output("host", k));
      continue;
    }
    const auto host = Floats(output("host", k)), device = Floats(output("device", k));
    ASSERT_EQ(device.size(), host.size());
    ASSERT_FALSE(host.empty());
    for (size_t i = 0; i < host.size(); ++i) EXPECT_NEAR(device[i], host[i], 1e-5f * std::fabs(host[i])) << i;
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Boards, OperatorCoverageDeviceTest, testing::ValuesIn(BoardNames()), test::BoardTestName());

}  // namespace
}  // namespace kiln
