// Every supported operator end to end: a one-operator TFLite model built
// in memory goes through the importer (options -> attributes), the
// kernel's check and lowering, code generation, the host C compiler, and
// a run. Expected values are worked out by hand from the operators'
// documented semantics (see each case).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/tflite/tflite_importer.h"
#include "kernels/psm_expected.h"
#include "kernels/resize_cases.h"
#include "kernels/s16x8_cases.h"
#include "kernels/transpose_conv_cases.h"
#include "test_support.h"
#include "kernels/lstm_expected.h"
#include "lstm_models.h"
#include "shape_arithmetic_model.h"
#include "tflite_model_builder.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
namespace fb = kiln::tflite_fb;
using test::TfliteModelBuilder;

template <typename T>
std::vector<uint8_t> Bytes(const std::vector<T>& values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

template <typename T>
std::vector<T> Values(const std::vector<uint8_t>& bytes) {
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

// Compiles `graph` with `options`, runs it on the input files and returns
// every output's bytes (output_<k>.bin, in order).
std::vector<std::vector<uint8_t>> CompileAndRun(const Graph& graph, const CodegenOptions& options,
                                                const std::vector<fs::path>& files, const fs::path& dir) {
  auto library = CompileGraph(graph, options, "single_op.tflite");
  EXPECT_TRUE(library.ok()) << library.message();
  if (!library.ok()) return {};
  auto exe = HostExecutable::Build(*library);
  EXPECT_TRUE(exe.ok()) << exe.message();
  if (!exe.ok()) return {};
  Status ran = exe->Run(files, dir);
  EXPECT_TRUE(ran.ok()) << ran.message();
  std::vector<std::vector<uint8_t>> outs;
  for (size_t k = 0; k < graph.outputs.size(); ++k)
    outs.push_back(test::ReadBytes(dir / ("output_" + std::to_string(k) + ".bin")));
  return outs;
}

// Compiles and runs the model on the given inputs; returns every output's
// bytes (output_<k>.bin, in order). Every model also runs through the
// graph executor (unless its inputs and outputs are in the pools, which the
// graph executor does not take), which must give the same bytes.
std::vector<std::vector<uint8_t>> RunModelOutputs(const TfliteModelBuilder& builder,
                                                  const std::vector<std::vector<uint8_t>>& inputs,
                                                  const CodegenOptions& options = {}) {
  auto graph = tflite::ImportTflite(builder.Finish());
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return {};
  graph->name = "single_op";
  const fs::path dir = test::TempDir("single_op");
  std::vector<fs::path> files;
  for (size_t k = 0; k < inputs.size(); ++k) {
    files.push_back(dir / ("in" + std::to_string(k) + ".bin"));
    test::WriteBytes(files.back(), inputs[k]);
  }
  const auto outs = CompileAndRun(*graph, options, files, dir / "aot");
  if (!options.io_in_pools) {
    CodegenOptions graph_executor = options;
    graph_executor.executor = "graph";
    EXPECT_EQ(CompileAndRun(*graph, graph_executor, files, dir / "graph"), outs) << "the graph executor differs";
  }
  fs::remove_all(dir);
  return outs;
}

// Output 0's bytes.
std::vector<uint8_t> RunModelWith(const TfliteModelBuilder& builder, const std::vector<std::vector<uint8_t>>& inputs,
                                  const CodegenOptions& options) {
  auto outs = RunModelOutputs(builder, inputs, options);
  return outs.empty() ? std::vector<uint8_t>{} : outs[0];
}

// Runs the model twice: with the caller's input and output buffers, and with
// them planned into the pools (--io-in-pools), where elementwise operators
// run in place over their input. Both must give the same bytes.
std::vector<uint8_t> RunModel(const TfliteModelBuilder& builder, const std::vector<std::vector<uint8_t>>& inputs) {
  const auto out = RunModelWith(builder, inputs, CodegenOptions{});
  CodegenOptions in_pools;
  in_pools.io_in_pools = true;
  EXPECT_EQ(RunModelWith(builder, inputs, in_pools), out) << "--io-in-pools changed the output";
  return out;
}

void ExpectFloats(const std::vector<uint8_t>& bytes, const std::vector<float>& expected) {
  const auto actual = Values<float>(bytes);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-5f) << "element " << i;
}

constexpr auto F32 = fb::TensorType::FLOAT32;
constexpr auto I8 = fb::TensorType::INT8;
constexpr auto I32 = fb::TensorType::INT32;

// A unary float operator [n] -> [n] with the given options.
std::vector<float> UnaryFloat(int32_t code, const std::vector<float>& x, fb::BuiltinOptionsUnion options = {}) {
  TfliteModelBuilder b;
  const int n = static_cast<int>(x.size());
  const int in = b.AddTensor("x", F32, {1, n});
  const int out = b.AddTensor("y", F32, {1, n});
  b.AddOperator(code, {in}, {out}, std::move(options));
  b.SetIo({in}, {out});
  return Values<float>(RunModel(b, {Bytes(x)}));
}

TEST(SingleOperator, Conv2DFloatValid) {
  // 3x3 image 1..9, 2x2 filter [[1,0],[0,1]], bias 0.5: each output is
  // top-left + bottom-right of its window, + 0.5.
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", F32, {1, 3, 3, 1});
  const int w = b.AddConstant<float>("w", F32, {1, 2, 2, 1}, {1, 0, 0, 1});
  const int bias = b.AddConstant<float>("b", F32, {1}, {0.5f});
  const int out = b.AddTensor("out", F32, {1, 2, 2, 1});
  fb::Conv2DOptionsT o;
  o.padding = fb::Padding::VALID;
  o.stride_w = o.stride_h = 1;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(3, {in, w, bias}, {out}, std::move(u));
  b.SetIo({in}, {out});
  ExpectFloats(RunModel(b, {Bytes<float>({1, 2, 3, 4, 5, 6, 7, 8, 9})}), {6.5f, 8.5f, 12.5f, 14.5f});
}

TEST(SingleOperator, DepthwiseConv2DFloat) {
  // 2x2 image, 2 channels; filter 1 on channel 0, 2 on channel 1; VALID.
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", F32, {1, 2, 2, 2});
  const int w = b.AddConstant<float>("w", F32, {1, 2, 2, 2}, {1, 2, 1, 2, 1, 2, 1, 2});
  const int out = b.AddTensor("out", F32, {1, 1, 1, 2});
  fb::DepthwiseConv2DOptionsT o;
  o.padding = fb::Padding::VALID;
  o.stride_w = o.stride_h = 1;
  o.depth_multiplier = 1;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(4, {in, w, -1}, {out}, std::move(u));
  b.SetIo({in}, {out});
  ExpectFloats(RunModel(b, {Bytes<float>({1, 10, 2, 20, 3, 30, 4, 40})}), {10.0f, 200.0f});
}

TEST(SingleOperator, FullyConnectedFloatWithRelu) {
  // [1,2,3] . [1,1,1] + 1 = 7; [1,2,3] . [0,1,-1] + 0 = -1 -> RELU -> 0.
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", F32, {1, 3});
  const int w = b.AddConstant<float>("w", F32, {2, 3}, {1, 1, 1, 0, 1, -1});
  const int bias = b.AddConstant<float>("b", F32, {2}, {1, 0});
  const int out = b.AddTensor("out", F32, {1, 2});
  fb::FullyConnectedOptionsT o;
  o.fused_activation_function = fb::ActivationFunctionType::RELU;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(9, {in, w, bias}, {out}, std::move(u));
  b.SetIo({in}, {out});
  ExpectFloats(RunModel(b, {Bytes<float>({1, 2, 3})}), {7.0f, 0.0f});
}

std::vector<float> Pool(int32_t code, fb::Padding padding, const Shape& out_shape) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", F32, {1, 2, 2, 1});
  const int out = b.AddTensor("out", F32, out_shape);
  fb::Pool2DOptionsT o;
  o.padding = padding;
  o.stride_w = o.stride_h = 1;
  o.filter_width = o.filter_height = 2;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(code, {in}, {out}, std::move(u));
  b.SetIo({in}, {out});
  return Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4})}));
}

TEST(SingleOperator, PoolingFloat) {
  // SAME keeps 2x2; windows clip at the border and average what is inside.
  EXPECT_EQ(Pool(1, fb::Padding::VALID, {1, 1, 1, 1}), (std::vector<float>{2.5f}));
  EXPECT_EQ(Pool(1, fb::Padding::SAME, {1, 2, 2, 1}), (std::vector<float>{2.5f, 3.0f, 3.5f, 4.0f}));
  EXPECT_EQ(Pool(17, fb::Padding::VALID, {1, 1, 1, 1}), (std::vector<float>{4.0f}));
  EXPECT_EQ(Pool(17, fb::Padding::SAME, {1, 2, 2, 1}), (std::vector<float>{4.0f, 4.0f, 4.0f, 4.0f}));
}

std::vector<float> BinaryFloat(int32_t code) {
  // a [1,2,2] with b [2] broadcast along the last axis.
  TfliteModelBuilder b;
  const int x = b.AddTensor("a", F32, {1, 2, 2});
  const int y = b.AddTensor("b", F32, {2});
  const int out = b.AddTensor("out", F32, {1, 2, 2});
  b.AddOperator(code, {x, y}, {out});
  b.SetIo({x, y}, {out});
  return Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4}), Bytes<float>({10, 20})}));
}

TEST(SingleOperator, BroadcastingArithmeticFloat) {
  EXPECT_EQ(BinaryFloat(0), (std::vector<float>{11, 22, 13, 24}));
  EXPECT_EQ(BinaryFloat(41), (std::vector<float>{-9, -18, -7, -16}));
  EXPECT_EQ(BinaryFloat(18), (std::vector<float>{10, 40, 30, 80}));
  // a = [[1, 2], [3, 4]], b = [10, 20].
  EXPECT_EQ(BinaryFloat(99), (std::vector<float>{81, 324, 49, 256}));     // SQUARED_DIFFERENCE
  EXPECT_EQ(BinaryFloat(90), (std::vector<float>{0, 0, 0, 0}));           // FLOOR_DIV
  EXPECT_EQ(BinaryFloat(95), (std::vector<float>{1, 2, 3, 4}));           // FLOOR_MOD
  EXPECT_EQ(BinaryFloat(78), (std::vector<float>{1, 1048576, 59049, 1099511627776.0f}));  // POW
  EXPECT_EQ(BinaryFloat(54), (std::vector<float>{1, 2, 3, 4}));           // PRELU (x >= 0)
}

TEST(SingleOperator, ArithmeticInt8UnitScale) {
  // With scale 1 and zero point 0 everywhere, int8 arithmetic is exact.
  for (auto [code, expected] : {std::pair<int32_t, std::vector<int8_t>>{0, {4, 6}},
                                {41, {-2, -2}},
                                {18, {3, 8}}}) {
    TfliteModelBuilder b;
    const int x = b.AddTensor("a", I8, {2}, {1.0f}, {0});
    const int y = b.AddTensor("b", I8, {2}, {1.0f}, {0});
    const int out = b.AddTensor("out", I8, {2}, {1.0f}, {0});
    b.AddOperator(code, {x, y}, {out});
    b.SetIo({x, y}, {out});
    EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>({1, 2}), Bytes<int8_t>({3, 4})})), expected) << code;
  }
}

TEST(SingleOperator, MathFloat) {
  // Values whose results are exact in float (or within 1e-5, ExpectFloats).
  ExpectFloats(Bytes(UnaryFloat(101, {-2.5f, 0, 3})), {2.5f, 0, 3});             // ABS
  ExpectFloats(Bytes(UnaryFloat(59, {-2.5f, 0, 3})), {2.5f, 0, -3});             // NEG
  ExpectFloats(Bytes(UnaryFloat(8, {-2.5f, 0.5f, 3})), {-3, 0, 3});              // FLOOR
  ExpectFloats(Bytes(UnaryFloat(104, {-2.5f, 0.5f, 3})), {-2, 1, 3});            // CEIL
  ExpectFloats(Bytes(UnaryFloat(116, {-2.5f, 0.5f, 1.5f, 2.6f})), {-2, 0, 2, 3});  // ROUND, ties to even
  ExpectFloats(Bytes(UnaryFloat(75, {0, 2.25f, 16})), {0, 1.5f, 4});              // SQRT
  ExpectFloats(Bytes(UnaryFloat(76, {0.25f, 4, 16})), {2, 0.5f, 0.25f});          // RSQRT
  ExpectFloats(Bytes(UnaryFloat(92, {-1.5f, 0, 3})), {2.25f, 0, 9});              // SQUARE
  ExpectFloats(Bytes(UnaryFloat(47, {0, 1, -1})), {1, 2.7182817f, 0.36787945f});  // EXP
  ExpectFloats(Bytes(UnaryFloat(73, {1, 2.7182817f, 0.5f})), {0, 1, -0.6931472f}); // LOG
  ExpectFloats(Bytes(UnaryFloat(66, {0, 1.5707964f, -0.5f})), {0, 1, -0.47942555f});  // SIN
  ExpectFloats(Bytes(UnaryFloat(108, {0, 3.1415927f, 0.5f})), {1, -1, 0.87758255f});   // COS
  ExpectFloats(Bytes(UnaryFloat(158, {-2.5f, 0, 3})), {-1, 0, 1});                // SIGN
  ExpectFloats(Bytes(UnaryFloat(50, {0, 0})), {-0.6931472f, -0.6931472f});        // LOG_SOFTMAX
}

// The integer kernels through the importer (TFLite's int32 FLOOR_DIV,
// FLOOR_MOD, MAXIMUM, MINIMUM, DIV and ADD with a fused RELU): worked values.
TEST(SingleOperator, Int32ArithmeticThroughTheImporter) {
  auto run = [](int32_t code, const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                fb::BuiltinOptionsUnion options = {}) {
    TfliteModelBuilder m;
    const int n = static_cast<int>(a.size());
    const int ta = m.AddTensor("a", I32, {n});
    const int tb = m.AddTensor("b", I32, {n});
    const int out = m.AddTensor("y", I32, {n});
    m.AddOperator(code, {ta, tb}, {out}, std::move(options));
    m.SetIo({ta, tb}, {out});
    return Values<int32_t>(RunModel(m, {Bytes(a), Bytes(b)}));
  };
  const std::vector<int32_t> a = {7, -7, 7, -7}, b = {2, 2, -2, -2};
  EXPECT_EQ(run(90, a, b), (std::vector<int32_t>{3, -4, -4, 3}));  // FLOOR_DIV
  EXPECT_EQ(run(95, a, b), (std::vector<int32_t>{1, 1, -1, -1}));  // FLOOR_MOD
  EXPECT_EQ(run(55, a, b), (std::vector<int32_t>{7, 2, 7, -2}));   // MAXIMUM
  EXPECT_EQ(run(57, a, b), (std::vector<int32_t>{2, -7, -2, -7}));  // MINIMUM
  EXPECT_EQ(run(42, a, b), (std::vector<int32_t>{3, -3, -3, 3}));   // DIV, truncating
  fb::AddOptionsT relu;
  relu.fused_activation_function = fb::ActivationFunctionType::RELU;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(relu));
  EXPECT_EQ(run(0, a, b, std::move(u)), (std::vector<int32_t>{9, 0, 5, 0}));  // ADD, RELU
}

// BROADCAST_ARGS of two shapes the model reads at run time: numpy's rule,
// worked out by hand; shapes that do not broadcast make run() fail.
TEST(SingleOperator, BroadcastArgsOfShapesReadAtRunTime) {
  TfliteModelBuilder m;
  const int a = m.AddTensor("a", I32, {4});
  const int b = m.AddTensor("b", I32, {3});
  const int out = m.AddTensor("y", I32, {4});
  m.AddOperator(145, {a, b}, {out});
  m.SetIo({a, b}, {out});
  EXPECT_EQ(Values<int32_t>(RunModel(m, {Bytes<int32_t>({8, 1, 6, 1}), Bytes<int32_t>({7, 1, 5})})),
            (std::vector<int32_t>{8, 7, 6, 5}));
  auto graph = tflite::ImportTflite(m.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  const fs::path dir = test::TempDir("broadcast_args");
  test::WriteBytes(dir / "a.bin", Bytes<int32_t>({8, 2, 6, 1}));
  test::WriteBytes(dir / "b.bin", Bytes<int32_t>({7, 3, 5}));
  auto library = CompileGraph(*graph, CodegenOptions{}, "broadcast_args.tflite");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const Status ran = exe->Run({dir / "a.bin", dir / "b.bin"}, dir);
  EXPECT_FALSE(ran.ok());
  EXPECT_NE(ran.message().find("run() returned 4"), std::string::npos) << ran.message();
  fs::remove_all(dir);
}

// SHAPE and BROADCAST_ARGS of constant shapes fold at import, so that
// BROADCAST_TO reads a constant shape: x [1, 3] and y [2, 1] broadcast to
// [2, 3]; a BROADCAST_ARGS of shapes read at run time runs; SHAPE(y) is
// itself a model output.
TEST(SingleOperator, ShapeAndBroadcastArgsFoldIntoBroadcastTo) {
  const std::vector<uint8_t> model = test::ShapeArithmeticModel();
  auto graph = tflite::ImportTflite(model);
  ASSERT_TRUE(graph.ok()) << graph.message();
  std::vector<std::string> ops;
  for (const Node& node : graph->nodes) ops.push_back(node.source_op);
  EXPECT_EQ(ops, (std::vector<std::string>{"BROADCAST_TO", "BROADCAST_ARGS", "(output copy)"}));
  TfliteModelBuilder m;
  m.model = test::Unpack(model);
  const auto outs = RunModelOutputs(
      m, {Bytes<float>({1, 2, 3}), Bytes<float>({0, 0}), Bytes<int32_t>({4, 1, 5}), Bytes<int32_t>({3, 1})});
  ASSERT_EQ(outs.size(), 3u);
  ExpectFloats(outs[0], {1, 2, 3, 1, 2, 3});
  EXPECT_EQ(Values<int32_t>(outs[1]), (std::vector<int32_t>{4, 3, 5}));
  EXPECT_EQ(Values<int32_t>(outs[2]), (std::vector<int32_t>{2, 1}));
}

// CONV_3D through the importer: a 2x2x2 image 1..8, a 2x2x2 filter of ones,
// SAME padding (nothing in front, one behind): each output sums the part of
// its window inside the image, plus the bias 0.5.
TEST(SingleOperator, Conv3DFloatSame) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("in", F32, {1, 2, 2, 2, 1});
  const int w = b.AddConstant<float>("w", F32, {2, 2, 2, 1, 1}, std::vector<float>(8, 1.0f));
  const int bias = b.AddConstant<float>("b", F32, {1}, {0.5f});
  const int out = b.AddTensor("out", F32, {1, 2, 2, 2, 1});
  fb::Conv3DOptionsT o;
  o.padding = fb::Padding::SAME;
  o.stride_d = o.stride_h = o.stride_w = 1;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(132, {in, w, bias}, {out}, std::move(u));
  b.SetIo({in}, {out});
  ExpectFloats(RunModel(b, {Bytes<float>({1, 2, 3, 4, 5, 6, 7, 8})}),
               {36.5f, 20.5f, 22.5f, 12.5f, 26.5f, 14.5f, 15.5f, 8.5f});
}

TEST(SingleOperator, ComparisonsAndLogic) {
  constexpr auto BOOL = fb::TensorType::BOOL;
  // LESS of [2,3] and [3] (broadcast), then LOGICAL_NOT.
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {2, 3});
  const int y = b.AddTensor("y", F32, {3});
  const int less = b.AddTensor("less", BOOL, {2, 3});
  const int not_less = b.AddTensor("not_less", BOOL, {2, 3});
  b.AddOperator(58, {x, y}, {less});
  b.AddOperator(87, {less}, {not_less});
  b.SetIo({x, y}, {not_less});
  EXPECT_EQ(RunModel(b, {Bytes<float>({1, 5, 3, 4, 2, 6}), Bytes<float>({2, 2, 3})}),
            (std::vector<uint8_t>{0, 1, 1, 1, 1, 1}));
}

TEST(SingleOperator, SlicingAndStacking) {
  // x = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] as int8.
  const std::vector<int8_t> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  auto bytes = [](const std::vector<int8_t>& v) { return Bytes<int8_t>(v); };
  {  // SLICE begin [1, 1], size [-1, 2]
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", I8, {3, 4}, {0.5f}, {0});
    const int begin = b.AddConstant<int32_t>("begin", I32, {2}, {1, 1});
    const int size = b.AddConstant<int32_t>("size", I32, {2}, {-1, 2});
    const int out = b.AddTensor("y", I8, {2, 2}, {0.5f}, {0});
    b.AddOperator(65, {in, begin, size}, {out});
    b.SetIo({in}, {out});
    EXPECT_EQ(RunModelOutputs(b, {bytes(x)}), (std::vector<std::vector<uint8_t>>{{5, 6, 9, 10}}));
  }
  {  // SPLIT into 2 along axis -1 (axis is input 0)
    TfliteModelBuilder b;
    const int axis = b.AddConstant<int32_t>("axis", I32, {}, {-1});
    const int in = b.AddTensor("x", I8, {3, 4}, {0.5f}, {0});
    const int o0 = b.AddTensor("a", I8, {3, 2}, {0.5f}, {0});
    const int o1 = b.AddTensor("b", I8, {3, 2}, {0.5f}, {0});
    fb::SplitOptionsT o;
    o.num_splits = 2;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(49, {axis, in}, {o0, o1}, std::move(u));
    b.SetIo({in}, {o0, o1});
    EXPECT_EQ(RunModelOutputs(b, {bytes(x)}),
              (std::vector<std::vector<uint8_t>>{{0, 1, 4, 5, 8, 9}, {2, 3, 6, 7, 10, 11}}));
  }
  {  // SPLIT_V sizes [1, -1] along axis 0
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", I8, {3, 4}, {0.5f}, {0});
    const int sizes = b.AddConstant<int32_t>("sizes", I32, {2}, {1, -1});
    const int axis = b.AddConstant<int32_t>("axis", I32, {}, {0});
    const int o0 = b.AddTensor("a", I8, {1, 4}, {0.5f}, {0});
    const int o1 = b.AddTensor("b", I8, {2, 4}, {0.5f}, {0});
    b.AddOperator(102, {in, sizes, axis}, {o0, o1});
    b.SetIo({in}, {o0, o1});
    EXPECT_EQ(RunModelOutputs(b, {bytes(x)}),
              (std::vector<std::vector<uint8_t>>{{0, 1, 2, 3}, {4, 5, 6, 7, 8, 9, 10, 11}}));
  }
  {  // UNPACK along axis 1, then PACK the columns back along axis 0 (a transpose)
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", I8, {3, 4}, {0.5f}, {0});
    std::vector<int32_t> columns;
    for (int c = 0; c < 4; ++c) columns.push_back(b.AddTensor("c" + std::to_string(c), I8, {3}, {0.5f}, {0}));
    fb::UnpackOptionsT uo;
    uo.num = 4;
    uo.axis = 1;
    fb::BuiltinOptionsUnion uu;
    uu.Set(std::move(uo));
    b.AddOperator(88, {in}, columns, std::move(uu));
    const int out = b.AddTensor("t", I8, {4, 3}, {0.5f}, {0});
    fb::PackOptionsT po;
    po.values_count = 4;
    po.axis = 0;
    fb::BuiltinOptionsUnion pu;
    pu.Set(std::move(po));
    b.AddOperator(83, columns, {out}, std::move(pu));
    b.SetIo({in}, {out});
    EXPECT_EQ(RunModelOutputs(b, {bytes(x)}),
              (std::vector<std::vector<uint8_t>>{{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}}));
  }
  {  // EXPAND_DIMS at axis -1: [3, 4] -> [3, 4, 1], the same bytes
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", F32, {3, 4});
    const int axis = b.AddConstant<int32_t>("axis", I32, {}, {-1});
    const int out = b.AddTensor("y", F32, {3, 4, 1});
    b.AddOperator(70, {in, axis}, {out});
    b.SetIo({in}, {out});
    const std::vector<float> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes(v)})), v);
    auto graph = tflite::ImportTflite(b.Finish());
    ASSERT_TRUE(graph.ok()) << graph.message();
    EXPECT_EQ(graph->nodes[0].op, OpKind::kReshape);
    EXPECT_EQ(graph->nodes[0].attrs.get_ints("new_shape"), (std::vector<int64_t>{3, 4, 1}));
  }
}

TEST(SingleOperator, SixteenByEightKernelsThroughTheImporter) {
  // Every 16x8 golden case (s16x8_golden.py) side by side in one TFLite
  // model: int16 tensors and int32/int64 bias constants through import,
  // code generation and the host build.
  std::vector<test::S16x8Operands> operands;
  std::vector<std::vector<int32_t>> expected;
  const auto model = test::AllS16x8CasesModel(&operands, &expected);
  std::vector<std::vector<uint8_t>> inputs;
  for (const auto& o : operands) inputs.push_back(Bytes(o.input));
  const auto outs = RunModelOutputs(model, inputs);
  ASSERT_EQ(outs.size(), test::kS16x8ConvCases.size() + test::kS16x8FcCases.size());
  for (size_t k = 0; k < outs.size(); ++k) {
    const auto out = Values<int16_t>(outs[k]);
    ASSERT_EQ(out.size(), expected[k].size()) << "output " << k;
    for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], expected[k][i]) << "output " << k << " element " << i;
  }
}

TEST(SingleOperator, TransposeConvEveryDtypeThroughTheImporter) {
  // Every TRANSPOSE_CONV golden case (transpose_conv_golden.py: float32,
  // int8, 16x8) side by side in one model, built and run on the host.
  std::vector<test::TransposeConvOperands> operands;
  const auto model = test::AllTransposeConvCasesModel(&operands);
  std::vector<std::vector<uint8_t>> inputs;
  for (const auto& o : operands) inputs.push_back(o.input);
  const auto outs = RunModelOutputs(model, inputs);
  ASSERT_EQ(outs.size(), test::kTransposeConvCases.size());
  for (size_t k = 0; k < outs.size(); ++k) test::ExpectTransposeConvOutput(test::kTransposeConvCases[k], outs[k]);
}

TEST(SingleOperator, ResizeNearestAndBilinearThroughTheImporter) {
  // Every resize golden case (resize_golden.py: nearest int8/float32 and
  // bilinear float32/int8 under each flag) side by side, on the host.
  std::vector<std::vector<uint8_t>> inputs;
  for (const auto& c : test::kResizeCases) inputs.push_back(test::ResizeInput(c));
  const auto outs = RunModelOutputs(test::AllResizeCasesModel(), inputs);
  ASSERT_EQ(outs.size(), test::kResizeCases.size());
  size_t matched = 0, total = 0;
  for (size_t k = 0; k < outs.size(); ++k) {
    const auto& c = test::kResizeCases[k];
    matched += test::ExpectResizeOutput(c, outs[k]);
    total += static_cast<size_t>(c.n) * c.out_h * c.out_w * c.c;
  }
  EXPECT_EQ(matched, total);
}

// GATHER of `input` (float32 [3,4] rows 0..11, or int8 [2,3,2]) by
// runtime int32 positions; options axis and batch_dims.
TfliteModelBuilder GatherModel(fb::TensorType type, const std::vector<int32_t>& input_shape,
                               const std::vector<int32_t>& positions_shape, const std::vector<int32_t>& output_shape,
                               int32_t axis, int32_t batch_dims) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("x", type, input_shape);
  const int pos = b.AddTensor("positions", I32, positions_shape);
  const int out = b.AddTensor("y", type, output_shape);
  fb::GatherOptionsT o;
  o.axis = axis;
  o.batch_dims = batch_dims;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(36, {in, pos}, {out}, std::move(u));
  b.SetIo({in, pos}, {out});
  return b;
}

TEST(SingleOperator, GatherPicksSlicesAndRefusesOutOfRangePositionsAtRunTime) {
  std::vector<float> rows(12);
  for (int i = 0; i < 12; ++i) rows[static_cast<size_t>(i)] = static_cast<float>(i);
  // Rows 2 and 0 of a [3,4] matrix.
  ExpectFloats(RunModel(GatherModel(F32, {3, 4}, {2}, {2, 4}, 0, 0), {Bytes(rows), Bytes<int32_t>({2, 0})}),
               {8, 9, 10, 11, 0, 1, 2, 3});
  // Columns 3, 3 and 1 of every row (axis 1, negative written as -1).
  ExpectFloats(RunModel(GatherModel(F32, {3, 4}, {3}, {3, 3}, -1, 0), {Bytes(rows), Bytes<int32_t>({3, 3, 1})}),
               {3, 3, 1, 7, 7, 5, 11, 11, 9});
  // batch_dims 1: batch b picks its own positions along axis 1 of [2,3,2].
  const std::vector<int8_t> x = {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121};
  EXPECT_EQ(Values<int8_t>(RunModel(GatherModel(I8, {2, 3, 2}, {2, 2}, {2, 2, 2}, 1, 1),
                                    {Bytes(x), Bytes<int32_t>({2, 0, 1, 1})})),
            (std::vector<int8_t>{20, 21, 0, 1, 110, 111, 110, 111}));
  // A position outside the axis, known only at run time: run() returns
  // KILN_ERROR_INDEX_OUT_OF_RANGE, which the host harness reports.
  auto graph = tflite::ImportTflite(GatherModel(F32, {3, 4}, {2}, {2, 4}, 0, 0).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "gather.tflite");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const fs::path dir = test::TempDir("gather_range");
  test::WriteBytes(dir / "x.bin", Bytes(rows));
  test::WriteBytes(dir / "p.bin", Bytes<int32_t>({1, 3}));
  const Status ran = exe->Run({dir / "x.bin", dir / "p.bin"}, dir / "out");
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.message().find("run() returned 2"), std::string::npos) << ran.message();
  fs::remove_all(dir);
}

TEST(SingleOperator, GatherConstantPositionsAreCheckedAtCompileTime) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("x", F32, {3, 4});
  const int pos = b.AddConstant<int32_t>("positions", I32, {2}, {1, 5});
  const int out = b.AddTensor("y", F32, {2, 4});
  b.AddOperator(36, {in, pos}, {out});
  b.SetIo({in}, {out});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "gather.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("GATHER: position 1 of 'positions' is 5, outside 0..2 (input 'x' along axis 0)"),
            std::string::npos)
      << library.message();
}

TEST(SingleOperator, CastConvertsAsCDoesAndSaturatesFloats) {
  auto cast = [](fb::TensorType from, fb::TensorType to, int n, const std::vector<uint8_t>& x) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", from, {n});
    const int out = b.AddTensor("y", to, {n});
    b.AddOperator(53, {in}, {out});
    b.SetIo({in}, {out});
    return RunModel(b, {x});
  };
  // float -> int8: truncation toward zero; out of range saturates; NaN is 0.
  EXPECT_EQ(Values<int8_t>(cast(F32, I8, 6, Bytes<float>({-1.5f, 2.7f, 300.0f, -200.0f, NAN, -0.9f}))),
            (std::vector<int8_t>{-1, 2, 127, -128, 0, 0}));
  // int32 -> int8 wraps, as static_cast does.
  EXPECT_EQ(Values<int8_t>(cast(I32, I8, 3, Bytes<int32_t>({300, -129, 5}))), (std::vector<int8_t>{44, 127, 5}));
  // int32 -> float rounds to nearest (2^24 + 1 is not a float).
  EXPECT_EQ(Values<float>(cast(I32, F32, 2, Bytes<int32_t>({16777217, -7}))), (std::vector<float>{16777216.0f, -7.0f}));
  // int8 -> bool: non-zero is true, stored as 1.
  EXPECT_EQ(cast(I8, fb::TensorType::BOOL, 3, Bytes<int8_t>({0, 3, -1})), (std::vector<uint8_t>{0, 1, 1}));
}

TEST(SingleOperator, SelectBroadcastToAndFill) {
  {
    // SELECT_V2: a [2,1] condition picks rows of x [2,3] or the scalar y.
    TfliteModelBuilder b;
    const int c = b.AddTensor("c", fb::TensorType::BOOL, {2, 1});
    const int x = b.AddTensor("x", F32, {2, 3});
    const int y = b.AddConstant<float>("y", F32, {1}, {-1.0f});
    const int out = b.AddTensor("out", F32, {2, 3});
    b.AddOperator(123, {c, x, y}, {out});
    b.SetIo({c, x}, {out});
    ExpectFloats(RunModel(b, {{0, 1}, Bytes<float>({1, 2, 3, 4, 5, 6})}), {-1, -1, -1, 4, 5, 6});
  }
  {
    // BROADCAST_TO: a row of three repeated to [2,3].
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", I8, {3});
    const int shape = b.AddConstant<int32_t>("shape", I32, {2}, {2, 3});
    const int out = b.AddTensor("out", I8, {2, 3});
    b.AddOperator(130, {x, shape}, {out});
    b.SetIo({x}, {out});
    EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>({7, -8, 9})})), (std::vector<int8_t>{7, -8, 9, 7, -8, 9}));
  }
  {
    // FILL: a value read at run time, everywhere in [2,2].
    TfliteModelBuilder b;
    const int dims = b.AddConstant<int32_t>("dims", I32, {2}, {2, 2});
    const int v = b.AddTensor("v", F32, {});
    const int out = b.AddTensor("out", F32, {2, 2});
    b.AddOperator(94, {dims, v}, {out});
    b.SetIo({v}, {out});
    ExpectFloats(RunModel(b, {Bytes<float>({2.5f})}), {2.5f, 2.5f, 2.5f, 2.5f});
  }
}

TEST(SingleOperator, Int16PoolingAndLeakyRelu) {
  constexpr auto I16 = fb::TensorType::INT16;
  {
    // 2x2 windows, stride 2, over [1,2,4,1]; the same quantization in and out.
    auto pool = [&](int32_t code) {
      TfliteModelBuilder b;
      const int in = b.AddTensor("x", I16, {1, 2, 4, 1}, {0.01f}, {0});
      const int out = b.AddTensor("y", I16, {1, 1, 2, 1}, {0.01f}, {0});
      fb::Pool2DOptionsT o;
      o.padding = fb::Padding::VALID;
      o.stride_w = o.stride_h = 2;
      o.filter_width = o.filter_height = 2;
      fb::BuiltinOptionsUnion u;
      u.Set(std::move(o));
      b.AddOperator(code, {in}, {out}, std::move(u));
      b.SetIo({in}, {out});
      return Values<int16_t>(RunModel(b, {Bytes<int16_t>({1, 2, 30000, 32767, -5, -6, 30001, 32767})}));
    };
    // Means -8/4 = -2 and 125535/4 = 31383.75, rounded half away from zero.
    EXPECT_EQ(pool(1), (std::vector<int16_t>{-2, 31384}));  // AVERAGE_POOL_2D
    EXPECT_EQ(pool(17), (std::vector<int16_t>{2, 32767}));  // MAX_POOL_2D
  }
  {
    // LEAKY_RELU, alpha 0.25, scale 0.5 in and out: identity is exact, the
    // negative side is x / 4 rounded twice as TFLite's requantization does
    // (round(x / 2), then a rounding shift by 1, ties away from zero).
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", I16, {6}, {0.5f}, {0});
    const int out = b.AddTensor("y", I16, {6}, {0.5f}, {0});
    fb::LeakyReluOptionsT o;
    o.alpha = 0.25f;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(98, {in}, {out}, std::move(u));
    b.SetIo({in}, {out});
    EXPECT_EQ(Values<int16_t>(RunModel(b, {Bytes<int16_t>({100, -8, -6, 32767, -32768, -2})})),
              (std::vector<int16_t>{100, -2, -2, 32767, -8192, -1}));
  }
}

// int16 RELU, RELU6 and MUL as TFLite Micro computes them (activations_common.cc,
// mul_common.cc): values worked from those definitions.
TEST(SingleOperator, Int16ReluRelu6AndMul) {
  constexpr auto I16 = fb::TensorType::INT16;
  auto unary = [&](int32_t code, float in_scale, int64_t in_zp, float out_scale, const std::vector<int16_t>& x) {
    TfliteModelBuilder b;
    const int n = static_cast<int>(x.size());
    const int in = b.AddTensor("x", I16, {n}, {in_scale}, {in_zp});
    const int out = b.AddTensor("y", I16, {n}, {out_scale}, {in_zp});
    b.AddOperator(code, {in}, {out});
    b.SetIo({in}, {out});
    return Values<int16_t>(RunModel(b, {Bytes<int16_t>(x)}));
  };
  // RELU, scale 0.5 in and 0.25 out: x * 2, clamped to [0, 32767].
  EXPECT_EQ(unary(19, 0.5f, 0, 0.25f, {-100, 0, 100, 20000}), (std::vector<int16_t>{0, 0, 200, 32767}));
  // RELU6 on the input's own scale 0.001 and zero point 3: [3, 6003], no rescaling.
  EXPECT_EQ(unary(21, 0.001f, 3, 0.5f, {-5, 3, 5000, 7000}), (std::vector<int16_t>{3, 3, 5000, 6003}));
  // MUL, scales 0.5 x 0.25 -> 0.125: the product itself, saturated.
  TfliteModelBuilder b;
  const int a = b.AddTensor("a", I16, {2, 2}, {0.5f}, {0});
  const int c = b.AddTensor("c", I16, {2}, {0.25f}, {0});
  const int y = b.AddTensor("y", I16, {2, 2}, {0.125f}, {0});
  b.AddOperator(18, {a, c}, {y});
  b.SetIo({a, c}, {y});
  EXPECT_EQ(Values<int16_t>(RunModel(b, {Bytes<int16_t>({3, -7, 200, 30000}), Bytes<int16_t>({5, -2})})),
            (std::vector<int16_t>{15, 14, 1000, -32768}));
}

// Quantized ABS (int8, int16) as TFLite Micro's AbsEvalQuantized: |x - zp_in|,
// rescaled only when the scales differ, + zp_out, clamped. Worked values.
TEST(SingleOperator, QuantizedAbs) {
  auto abs = [&](fb::TensorType type, float in_scale, int64_t in_zp, float out_scale, int64_t out_zp,
                 const std::vector<int16_t>& x) {
    TfliteModelBuilder b;
    const int n = static_cast<int>(x.size());
    const int in = b.AddTensor("x", type, {n}, {in_scale}, {in_zp});
    const int out = b.AddTensor("y", type, {n}, {out_scale}, {out_zp});
    b.AddOperator(101, {in}, {out});
    b.SetIo({in}, {out});
    if (type == I8) {
      const auto y = Values<int8_t>(RunModel(b, {Bytes(std::vector<int8_t>(x.begin(), x.end()))}));
      return std::vector<int32_t>(y.begin(), y.end());
    }
    const auto y = Values<int16_t>(RunModel(b, {Bytes(x)}));
    return std::vector<int32_t>(y.begin(), y.end());
  };
  // The same scale: no rescaling, only the zero points (3 in, -2 out).
  EXPECT_EQ(abs(I8, 0.5f, 3, 0.5f, -2, {3, 0, 10, -128}), (std::vector<int32_t>{-2, 1, 5, 127}));
  // 0.5 -> 0.25: doubled, saturating.
  EXPECT_EQ(abs(I8, 0.5f, 0, 0.25f, 0, {-5, 7, -100}), (std::vector<int32_t>{10, 14, 127}));
  // int16, 1 -> 2: halved, ties away from zero.
  EXPECT_EQ(abs(fb::TensorType::INT16, 1.0f, 0, 2.0f, 0, {-5, 7, -32768}), (std::vector<int32_t>{3, 4, 16384}));
}

// Quantized PRELU as TFLite Micro's BroadcastPrelu4DSlow: int8, and int16
// with an int8 alpha, alpha broadcast over the last axis. Worked values.
TEST(SingleOperator, QuantizedPrelu) {
  {
    // (x - 1) * 1 where >= 0, else (x - 1) * alpha * 0.25, then -1.
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", I8, {2, 2}, {0.5f}, {1});
    const int alpha = b.AddConstant<int8_t>("alpha", I8, {2}, {1, 2}, {0.25f}, {0});
    const int y = b.AddTensor("y", I8, {2, 2}, {0.5f}, {-1});
    b.AddOperator(54, {x, alpha}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>({5, -3, 1, -7})})), (std::vector<int8_t>{3, -3, -1, -5}));
  }
  {
    // x * 0.5 where >= 0, else x * alpha * 0.25, ties away from zero.
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", fb::TensorType::INT16, {2, 2}, {1.0f}, {0});
    const int alpha = b.AddConstant<int8_t>("alpha", I8, {2}, {-1, 3}, {0.5f}, {0});
    const int y = b.AddTensor("y", fb::TensorType::INT16, {2, 2}, {2.0f}, {0});
    b.AddOperator(54, {x, alpha}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<int16_t>(RunModel(b, {Bytes<int16_t>({-10, -10, 30001, 7})})),
              (std::vector<int16_t>{3, -8, 15001, 4}));
  }
}

// Quantized SQUARED_DIFFERENCE as TFLite Micro's: ADD's rescaling (left
// shift 7 for int8, 0 for int16), the difference squared, requantized.
TEST(SingleOperator, QuantizedSquaredDifference) {
  auto sqdiff = [&](fb::TensorType type, float sa, float sb, float so, int64_t zo, const std::vector<int16_t>& a,
                    const std::vector<int16_t>& b) {
    TfliteModelBuilder m;
    const int n = static_cast<int>(a.size());
    const int x = m.AddTensor("a", type, {n}, {sa}, {0});
    const int y = m.AddTensor("b", type, {n}, {sb}, {0});
    const int z = m.AddTensor("y", type, {n}, {so}, {zo});
    m.AddOperator(99, {x, y}, {z});
    m.SetIo({x, y}, {z});
    if (type == I8) {
      const auto out = Values<int8_t>(RunModel(m, {Bytes(std::vector<int8_t>(a.begin(), a.end())),
                                                   Bytes(std::vector<int8_t>(b.begin(), b.end()))}));
      return std::vector<int32_t>(out.begin(), out.end());
    }
    const auto out = Values<int16_t>(RunModel(m, {Bytes(a), Bytes(b)}));
    return std::vector<int32_t>(out.begin(), out.end());
  };
  // (0.5 a - 0.5 b)^2 / 1.0 - 3: 1, 2.25 -> 2, 100, 10,000 (clamped).
  EXPECT_EQ(sqdiff(I8, 0.5f, 0.5f, 1.0f, -3, {4, 1, 10, -100}, {2, 4, -10, 100}),
            (std::vector<int32_t>{-2, -1, 97, 127}));
  // (0.01 a - 0.02 b)^2 / 0.001: 4,000, 144,000 (clamped), 640.
  EXPECT_EQ(sqdiff(fb::TensorType::INT16, 0.01f, 0.02f, 0.001f, 0, {400, -800, 40}, {100, 200, 60}),
            (std::vector<int32_t>{4000, 32767, 640}));
}

// INT4 weights (two a byte, the first in the low nibble) of a
// FULLY_CONNECTED (15 of them: the last byte's high nibble unused) and a
// per-channel CONV_2D give the bytes of the same model with the weights as
// int8, as TFLite Micro's unpacking does; an INT4 activation is refused.
TEST(SingleOperator, Int4WeightsRunAsTheirInt8Values) {
  const std::vector<int8_t> fc_weights = {-8, 7, 0, 1, -1, 3, -3, 5, -5, 2, 6, -6, 4, -4, -7};
  const std::vector<int8_t> conv_weights = {1, -2, 3, -4, 7, -8, 0, 5};  // [2,1,1,4]
  auto pack = [](const std::vector<int8_t>& values) {
    std::vector<uint8_t> bytes((values.size() + 1) / 2, 0);
    for (size_t i = 0; i < values.size(); ++i)
      bytes[i / 2] |= static_cast<uint8_t>((values[i] & 0xF) << (i % 2 == 0 ? 0 : 4));
    if (values.size() % 2 != 0) bytes.back() |= 0xA0;  // an unused high nibble: ignored
    return bytes;
  };
  auto model = [&](bool int4) {
    TfliteModelBuilder m;
    const int x = m.AddTensor("x", I8, {1, 5}, {0.25f}, {-3});
    const int w = int4 ? m.AddConstant<uint8_t>("w", fb::TensorType::INT4, {3, 5}, pack(fc_weights), {0.5f}, {0})
                       : m.AddConstant<int8_t>("w", I8, {3, 5}, fc_weights, {0.5f}, {0});
    const int fc = m.AddTensor("fc", I8, {1, 3}, {0.5f}, {2});
    m.AddOperator(9, {x, w}, {fc});
    const int k = int4 ? m.AddConstant<uint8_t>("k", fb::TensorType::INT4, {2, 1, 1, 4}, pack(conv_weights),
                                                {0.5f, 0.25f}, {0, 0})
                       : m.AddConstant<int8_t>("k", I8, {2, 1, 1, 4}, conv_weights, {0.5f, 0.25f}, {0, 0});
    const int image = m.AddTensor("image", I8, {1, 2, 2, 4}, {0.1f}, {1});
    const int conv = m.AddTensor("conv", I8, {1, 2, 2, 2}, {0.2f}, {-1});
    fb::Conv2DOptionsT o;
    o.padding = fb::Padding::VALID;
    o.stride_w = o.stride_h = 1;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    m.AddOperator(3, {image, k}, {conv}, std::move(u));
    m.SetIo({x, image}, {fc, conv});
    return m;
  };
  const std::vector<std::vector<uint8_t>> inputs = {Bytes<int8_t>({10, -20, 30, -40, 50}),
                                                     Bytes<int8_t>({5, -7, 9, 100, -128, 127, 0, 3, 1, 2, 3, 4, -9, 8, -7, 6})};
  const auto packed = RunModelOutputs(model(true), inputs);
  ASSERT_EQ(packed.size(), 2u);
  EXPECT_EQ(packed, RunModelOutputs(model(false), inputs));
  // Worked: 0.25 (x + 3) . w (scale 0.5 in and out) + 2: row 0 sums to
  // -313, so -78.25 + 2; row 1 to 546 (clamped); row 2 to 89, 22.25 by
  // TFLite's double rounding 44.5 -> 45, then 22.5 -> 23.
  EXPECT_EQ(packed[0], Bytes<int8_t>({-76, 127, 25}));

  TfliteModelBuilder activation;
  const int a = activation.AddTensor("a", fb::TensorType::INT4, {4});
  const int y = activation.AddTensor("y", I8, {4});
  activation.AddOperator(22, {a}, {y});  // RESHAPE
  activation.SetIo({a}, {y});
  auto graph = tflite::ImportTflite(activation.Finish());
  ASSERT_FALSE(graph.ok());
  EXPECT_NE(graph.message().find("tensor 0 'a': INT4 is supported for constant tensors (weights) only"),
            std::string::npos)
      << graph.message();
}

// int32 SQUARED_DIFFERENCE as TFLite Micro's (x - y) * (x - y) in int32,
// broadcast, wrapping where the square overflows (2^16 squared is 2^32).
TEST(SingleOperator, Int32SquaredDifference) {
  TfliteModelBuilder m;
  const int a = m.AddTensor("a", I32, {2, 3});
  const int b = m.AddTensor("b", I32, {3});
  const int y = m.AddTensor("y", I32, {2, 3});
  m.AddOperator(99, {a, b}, {y});
  m.SetIo({a, b}, {y});
  EXPECT_EQ(Values<int32_t>(RunModel(m, {Bytes<int32_t>({5, -5, 0, 65536, 46341, -7}), Bytes<int32_t>({2, 2, -3})})),
            (std::vector<int32_t>{9, 49, 9, static_cast<int32_t>(65534LL * 65534LL - (1LL << 32)),
                                  static_cast<int32_t>(46339LL * 46339LL), 16}));
}

// int8 LOG_SOFTMAX through the importer: TensorFlow Lite Micro's test case
// (log_softmax_test.cc), inputs at scale 20/255, its expected bytes.
TEST(SingleOperator, Int8LogSoftmax) {
  TfliteModelBuilder m;
  const int x = m.AddTensor("x", I8, {2, 4}, {20.0f / 255}, {0});
  const int y = m.AddTensor("y", I8, {2, 4}, {16.0f / 256}, {127});
  m.AddOperator(50, {x}, {y});
  m.SetIo({x}, {y});
  EXPECT_EQ(Values<int8_t>(RunModel(m, {Bytes<int8_t>({0, -77, 26, 51, 38, -26, 127, 13})})),
            (std::vector<int8_t>{61, -36, 93, 125, 15, -65, 127, -16}));
}

// int8 DIV as TFLite's reference_ops::Div: scales 0.5 / 0.25 into 0.5,
// so 4a / b, rounded (quotients away from ties).
TEST(SingleOperator, Int8Div) {
  TfliteModelBuilder m;
  const int a = m.AddTensor("a", I8, {4}, {0.5f}, {0});
  const int b = m.AddTensor("b", I8, {4}, {0.25f}, {0});
  const int y = m.AddTensor("y", I8, {4}, {0.5f}, {0});
  m.AddOperator(42, {a, b}, {y});
  m.SetIo({a, b}, {y});
  EXPECT_EQ(Values<int8_t>(RunModel(m, {Bytes<int8_t>({6, -7, 3, 0}), Bytes<int8_t>({4, 9, -12, 5})})),
            (std::vector<int8_t>{6, -3, -1, 0}));
}

// int8 RSQRT through the importer: 1 / sqrt of 1, 4, 0.25 at output scale
// 1/8; the zero point itself gives 127.
TEST(SingleOperator, Int8Rsqrt) {
  TfliteModelBuilder m;
  const int x = m.AddTensor("x", I8, {4}, {0.25f}, {0});
  const int y = m.AddTensor("y", I8, {4}, {0.125f}, {0});
  m.AddOperator(76, {x}, {y});
  m.SetIo({x}, {y});
  EXPECT_EQ(Values<int8_t>(RunModel(m, {Bytes<int8_t>({4, 16, 1, 0})})), (std::vector<int8_t>{8, 4, 16, 127}));
}

TEST(SingleOperator, DepthToSpaceAndSpaceToDepth) {
  auto op = [](int32_t code, const std::vector<int32_t>& in_shape, const std::vector<int32_t>& out_shape,
               fb::TensorType type) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", type, in_shape);
    const int out = b.AddTensor("y", type, out_shape);
    fb::BuiltinOptionsUnion u;
    if (code == 5) {
      fb::DepthToSpaceOptionsT o;
      o.block_size = 2;
      u.Set(std::move(o));
    } else {
      fb::SpaceToDepthOptionsT o;
      o.block_size = 2;
      u.Set(std::move(o));
    }
    b.AddOperator(code, {in}, {out}, std::move(u));
    b.SetIo({in}, {out});
    return b;
  };
  // [1,1,2,4] -> [1,2,4,1]: pixel w's four channels become the 2x2 block
  // at (0, 2w): (by*2 + bx) picks the channel.
  const std::vector<int8_t> x = {0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<int8_t> spread = {0, 1, 4, 5, 2, 3, 6, 7};
  EXPECT_EQ(Values<int8_t>(RunModel(op(5, {1, 1, 2, 4}, {1, 2, 4, 1}, I8), {Bytes(x)})), spread);
  EXPECT_EQ(Values<int8_t>(RunModel(op(26, {1, 2, 4, 1}, {1, 1, 2, 4}, I8), {Bytes(spread)})), x);
  // Two batches, three output channels: SPACE_TO_DEPTH undoes DEPTH_TO_SPACE.
  std::vector<float> values(2 * 2 * 3 * 12);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  const auto spread_f = RunModel(op(5, {2, 2, 3, 12}, {2, 4, 6, 3}, F32), {Bytes(values)});
  EXPECT_NE(Values<float>(spread_f), values);
  ExpectFloats(RunModel(op(26, {2, 4, 6, 3}, {2, 2, 3, 12}, F32), {spread_f}), values);
  // Element (b=1, h=3, w=5, d=2) of the spread comes from input (1, 1, 2, (1*2 + 1)*3 + 2).
  EXPECT_EQ(Values<float>(spread_f)[((1 * 4 + 3) * 6 + 5) * 3 + 2], values[((1 * 2 + 1) * 3 + 2) * 12 + 11]);
}

// ADD_N sums left to right, as TFLite's reference: 1e8 + 1 rounds back to
// 1e8 in float32 before -1e8 comes, so the first sum is 0 (any other order
// would give 1); inputs of another shape are refused.
TEST(SingleOperator, AddNSumsLeftToRight) {
  auto op = [](const std::vector<int32_t>& last_shape) {
    TfliteModelBuilder b;
    const int x0 = b.AddTensor("x0", F32, {2});
    const int x1 = b.AddTensor("x1", F32, {2});
    const int x2 = b.AddTensor("x2", F32, last_shape);
    const int y = b.AddTensor("y", F32, {2});
    b.AddOperator(106, {x0, x1, x2}, {y});
    b.SetIo({x0, x1, x2}, {y});
    return b;
  };
  ExpectFloats(RunModel(op({2}), {Bytes<float>({1e8f, 0.5f}), Bytes<float>({1.0f, 0.25f}),
                                  Bytes<float>({-1e8f, -2.0f})}),
               {0.0f, -1.25f});
  auto graph = tflite::ImportTflite(op({1, 2}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "add_n.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("input 2 'x2' has shape [1,2], expected [2]"), std::string::npos)
      << library.message();
}

// int8 ADD_N through the importer, AoT and the graph executor: three inputs
// of zero point 2 summed as TFLite Micro's reference_ops::AddN sums them,
// from the rescaled -2: ((x0 - 2) + (x1 - 2) + (x2 - 2) - 2) * 0.1 / 0.05.
TEST(SingleOperator, AddNInt8SumsAsTfliteMicro) {
  TfliteModelBuilder b;
  const int q0 = b.AddTensor("q0", I8, {4}, {0.1f}, {2});
  const int q1 = b.AddTensor("q1", I8, {4}, {0.1f}, {2});
  const int q2 = b.AddTensor("q2", I8, {4}, {0.1f}, {2});
  const int y = b.AddTensor("y", I8, {4}, {0.05f}, {0});
  b.AddOperator(106, {q0, q1, q2}, {y});
  b.SetIo({q0, q1, q2}, {y});
  EXPECT_EQ(RunModel(b, {Bytes<int8_t>({12, -18, 5, 2}), Bytes<int8_t>({7, 9, -1, 3}), Bytes<int8_t>({1, 3, 2, 3})}),
            Bytes<int8_t>({24, -28, -4, 0}));
}

// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND on the examples of TensorFlow's
// documentation of the two operations, each run both ways; int8 padding
// takes the zero point; a batch that is no multiple of the block is
// refused.
TEST(SingleOperator, SpaceToBatchAndBatchToSpace) {
  auto op = [](int32_t code, fb::TensorType type, const std::vector<int32_t>& in_shape,
               const std::vector<int32_t>& block, const std::vector<int32_t>& margins,
               const std::vector<int32_t>& out_shape, std::vector<float> scale = {}, std::vector<int64_t> zp = {}) {
    TfliteModelBuilder b;
    const int32_t spatial = static_cast<int32_t>(block.size());
    const int in = b.AddTensor("x", type, in_shape, scale, zp);
    const int block_shape = b.AddConstant<int32_t>("block_shape", I32, {spatial}, block);
    const int margin = b.AddConstant<int32_t>(code == 38 ? "paddings" : "crops", I32, {spatial, 2}, margins);
    const int out = b.AddTensor("y", type, out_shape, scale, zp);
    b.AddOperator(code, {in, block_shape, margin}, {out});
    b.SetIo({in}, {out});
    return b;
  };
  constexpr int32_t kSpaceToBatch = 38, kBatchToSpace = 37;
  auto both_ways = [&](const std::vector<int32_t>& space_shape, const std::vector<int32_t>& batch_shape,
                       const std::vector<int32_t>& margins, const std::vector<float>& space,
                       const std::vector<float>& batch) {
    SCOPED_TRACE(ShapeString(Shape(space_shape.begin(), space_shape.end())));
    ExpectFloats(RunModel(op(kSpaceToBatch, F32, space_shape, {2, 2}, margins, batch_shape), {Bytes(space)}), batch);
    ExpectFloats(RunModel(op(kBatchToSpace, F32, batch_shape, {2, 2}, margins, space_shape), {Bytes(batch)}), space);
  };
  // [1,2,2,1] -> [4,1,1,1]; [1,2,2,3] -> [4,1,1,3].
  both_ways({1, 2, 2, 1}, {4, 1, 1, 1}, {0, 0, 0, 0}, {1, 2, 3, 4}, {1, 2, 3, 4});
  both_ways({1, 2, 2, 3}, {4, 1, 1, 3}, {0, 0, 0, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
            {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  // [1,4,4,1] of 1..16 -> [4,2,2,1]: [[1,3],[9,11]], [[2,4],[10,12]], [[5,7],[13,15]], [[6,8],[14,16]].
  both_ways({1, 4, 4, 1}, {4, 2, 2, 1}, {0, 0, 0, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
            {1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16});
  // [2,2,4,1] of 1..16, paddings [[0,0],[2,0]] -> [8,1,3,1]: batch (by*2 + bx)*2 + n.
  both_ways({2, 2, 4, 1}, {8, 1, 3, 1}, {0, 0, 2, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
            {0, 1, 3, 0, 9, 11, 0, 2, 4, 0, 10, 12, 0, 5, 7, 0, 13, 15, 0, 6, 8, 0, 14, 16});
  // int8 of rank 3 ([N,H,C], one block dimension): the padding is the
  // zero point, 7; and back, the crops drop it.
  EXPECT_EQ(Values<int8_t>(RunModel(op(kSpaceToBatch, I8, {1, 3, 2}, {2}, {1, 0}, {2, 2, 2}, {0.5f}, {7}),
                                    {Bytes<int8_t>({1, 2, 3, 4, 5, 6})})),
            (std::vector<int8_t>{7, 7, 3, 4, 1, 2, 5, 6}));
  EXPECT_EQ(Values<int8_t>(RunModel(op(kBatchToSpace, I8, {2, 2, 2}, {2}, {1, 0}, {1, 3, 2}, {0.5f}, {7}),
                                    {Bytes<int8_t>({7, 7, 3, 4, 1, 2, 5, 6})})),
            (std::vector<int8_t>{1, 2, 3, 4, 5, 6}));
  auto graph = tflite::ImportTflite(op(kBatchToSpace, F32, {3, 1, 1, 1}, {2, 2}, {0, 0, 0, 0}, {1, 2, 2, 1}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "batch_to_space.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("has a batch of 3, not a multiple of the block's 4 positions"), std::string::npos)
      << library.message();
}

// REVERSE_V2 as TFLite Micro's reverse: one axis, a run of two (the block
// reversed as one: (i, j, k) from (1-i, 1-j, k)), a negative axis on
// int64, and non-contiguous axes refused.
TEST(SingleOperator, ReverseV2) {
  auto op = [](fb::TensorType type, const std::vector<int32_t>& shape, const std::vector<int32_t>& axes) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", type, shape);
    const int axis = b.AddConstant<int32_t>("axis", I32, {static_cast<int32_t>(axes.size())}, axes);
    const int out = b.AddTensor("y", type, shape);
    b.AddOperator(105, {in, axis}, {out});
    b.SetIo({in}, {out});
    return b;
  };
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {2, 3}, {1}), {Bytes<int8_t>({1, 2, 3, 4, 5, 6})})),
            (std::vector<int8_t>{3, 2, 1, 6, 5, 4}));
  std::vector<float> v(12);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  EXPECT_EQ(Values<float>(RunModel(op(F32, {2, 2, 3}, {1, 0}), {Bytes(v)})),
            (std::vector<float>{9, 10, 11, 6, 7, 8, 3, 4, 5, 0, 1, 2}));
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(Values<int64_t>(RunModel(op(fb::TensorType::INT64, {3}, {-1}), {Bytes<int64_t>({big, -1, 7})})),
            (std::vector<int64_t>{7, -1, big}));
  EXPECT_EQ(Values<int16_t>(RunModel(op(fb::TensorType::INT16, {2, 2}, {0}), {Bytes<int16_t>({1, -2, 3, -4})})),
            (std::vector<int16_t>{3, -4, 1, -2}));
  auto graph = tflite::ImportTflite(op(F32, {2, 2, 3}, {0, 2}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "reverse.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("contiguous once sorted"), std::string::npos) << library.message();
}

// ELU: float32 within one float step of e^x - 1; int8 through TFLite
// Micro's table, each value worked by hand (input scale 0.25, output scale
// 0.125 and zero point -10: q = round(elu(x) / 0.125) - 10, clamped).
TEST(SingleOperator, EluFloatAndInt8Table) {
  const std::vector<float> y = UnaryFloat(111, {-1.0f, 2.0f, 0.0f, -0.5f, -20.0f});
  const std::vector<float> expected = {-0.63212055f, 2.0f, 0.0f, -0.39346934f, -0.99999999f};
  ASSERT_EQ(y.size(), expected.size());
  for (size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], expected[i], 1e-7f) << i;
  TfliteModelBuilder b;
  const int in = b.AddTensor("x", I8, {7}, {0.25f}, {0});
  const int out = b.AddTensor("y", I8, {7}, {0.125f}, {-10});
  b.AddOperator(111, {in}, {out});
  b.SetIo({in}, {out});
  // x = -32: -1 -> -8; x = -1: -0.632 -> -5.06 -> -5; x = -0.25: -0.221 ->
  // -1.77 -> -2; 0 -> 0; 0.75 -> 6; 4.25 -> 34; 25 -> 200, clamped.
  EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>({-128, -4, -1, 0, 3, 17, 100})})),
            (std::vector<int8_t>{-18, -15, -12, -10, -4, 24, 127}));
}

// MIRROR_PAD, worked by hand: REFLECT leaves the edge out (a b c -> c b | a
// b c | b a), SYMMETRIC repeats it (a b c -> b a | a b c | c b); a padding
// beyond what the mode allows is refused, naming the dimension.
TEST(SingleOperator, MirrorPadReflectsOrRepeatsTheEdge) {
  auto op = [](fb::TensorType type, const std::vector<int32_t>& shape, const std::vector<int32_t>& pads,
               fb::MirrorPadMode mode, const std::vector<int32_t>& out_shape) {
    TfliteModelBuilder b;
    const int in = type == I8 ? b.AddTensor("x", type, shape, {0.5f}, {-3}) : b.AddTensor("x", type, shape);
    const int paddings = b.AddConstant<int32_t>("paddings", I32, {static_cast<int32_t>(shape.size()), 2}, pads);
    const int out = type == I8 ? b.AddTensor("y", type, out_shape, {0.5f}, {-3}) : b.AddTensor("y", type, out_shape);
    fb::MirrorPadOptionsT o;
    o.mode = mode;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(100, {in, paddings}, {out}, std::move(u));
    b.SetIo({in}, {out});
    return b;
  };
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {3}, {2, 2}, fb::MirrorPadMode::REFLECT, {7}), {Bytes<int8_t>({1, 2, 3})})),
            (std::vector<int8_t>{3, 2, 1, 2, 3, 2, 1}));
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {3}, {2, 1}, fb::MirrorPadMode::SYMMETRIC, {6}), {Bytes<int8_t>({1, 2, 3})})),
            (std::vector<int8_t>{2, 1, 1, 2, 3, 3}));
  // [[1, 2, 3], [4, 5, 6]], SYMMETRIC: a row on top, a column on the left
  // and two on the right; then REFLECT: a row each side, two columns left.
  EXPECT_EQ(Values<float>(RunModel(op(F32, {2, 3}, {1, 0, 1, 2}, fb::MirrorPadMode::SYMMETRIC, {3, 6}),
                                   {Bytes<float>({1, 2, 3, 4, 5, 6})})),
            (std::vector<float>{1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 4, 4, 5, 6, 6, 5}));
  EXPECT_EQ(Values<float>(RunModel(op(F32, {2, 3}, {1, 1, 2, 0}, fb::MirrorPadMode::REFLECT, {4, 5}),
                                   {Bytes<float>({1, 2, 3, 4, 5, 6})})),
            (std::vector<float>{6, 5, 4, 5, 6, 3, 2, 1, 2, 3, 6, 5, 4, 5, 6, 3, 2, 1, 2, 3}));
  EXPECT_EQ(Values<int16_t>(RunModel(op(fb::TensorType::INT16, {1, 2}, {0, 0, 0, 2}, fb::MirrorPadMode::SYMMETRIC,
                                        {1, 4}),
                                     {Bytes<int16_t>({-300, 300})})),
            (std::vector<int16_t>{-300, 300, 300, -300}));
  auto graph = tflite::ImportTflite(op(F32, {2, 3}, {2, 0, 0, 0}, fb::MirrorPadMode::REFLECT, {4, 3}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "mirror_pad.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("paddings of dimension 0 are [2, 0]; REFLECT padding of a dimension of 2 must be "
                                   "within 0..1"),
            std::string::npos)
      << library.message();
}

// PADV2: PAD with its constant_values input; int8 takes the value in the
// output's quantization.
TEST(SingleOperator, PadV2PadsWithTheConstant) {
  {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", I8, {1, 2}, {0.5f}, {-3});
    const int pads = b.AddConstant<int32_t>("pads", I32, {2, 2}, {0, 0, 1, 2});
    const int value = b.AddConstant<int8_t>("value", I8, {}, {7}, {0.5f}, {-3});
    const int out = b.AddTensor("y", I8, {1, 5}, {0.5f}, {-3});
    b.AddOperator(60, {in, pads, value}, {out});
    b.SetIo({in}, {out});
    EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>({-128, 127})})), (std::vector<int8_t>{7, -128, 127, 7, 7}));
  }
  {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", F32, {2});
    const int pads = b.AddConstant<int32_t>("pads", I32, {1, 2}, {2, 0});
    const int value = b.AddConstant<float>("value", F32, {}, {-1.5f});
    const int out = b.AddTensor("y", F32, {4});
    b.AddOperator(60, {in, pads, value}, {out});
    b.SetIo({in}, {out});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({0.25f, 8.0f})})), (std::vector<float>{-1.5f, -1.5f, 0.25f, 8.0f}));
  }
}

TEST(SingleOperator, ArgMaxAndArgMin) {
  constexpr auto I64 = fb::TensorType::INT64;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {2, 3});
  const int axis = b.AddConstant<int32_t>("axis", I32, {}, {1});
  const int amax = b.AddTensor("amax", I32, {2});
  const int amin = b.AddTensor("amin", I64, {2});
  b.AddOperator(56, {x, axis}, {amax});
  b.AddOperator(79, {x, axis}, {amin});
  b.SetIo({x}, {amax, amin});
  // Rows [3, 9, 9] and [-1, -4, -4]: the first of equal extremes wins.
  const auto outs = RunModelOutputs(b, {Bytes<float>({3, 9, 9, -1, -4, -4})});
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(Values<int32_t>(outs[0]), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(Values<int64_t>(outs[1]), (std::vector<int64_t>{0, 1}));
}

TEST(SingleOperator, SumMaxMinProdWithReducerOptions) {
  // [[1, -2, 3], [4, 5, -6]] over axis 1 (keep_dims) and over both axes.
  for (const auto& [code, keep, expected] : std::vector<std::tuple<int32_t, bool, std::vector<float>>>{
           {74, true, {2, 3}},
           {82, true, {3, 5}},
           {89, true, {-2, -6}},
           {81, true, {-6, -120}},
           {74, false, {5}},
           {81, false, {720}}}) {
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {2, 3});
    const int axes = keep ? b.AddConstant<int32_t>("axes", I32, {1}, {1}) : b.AddConstant<int32_t>("axes", I32, {2}, {0, 1});
    const int y = keep ? b.AddTensor("y", F32, {2, 1}) : b.AddTensor("y", F32, {});
    fb::ReducerOptionsT o;
    o.keep_dims = keep;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(code, {x, axes}, {y}, std::move(u));
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, -2, 3, 4, 5, -6})})), expected) << code;
  }
}

// Integer SUM (int8, int16) and int16 MEAN's three paths, as TFLite Micro's
// EvalSumHelper and EvalMeanHelper take them; values worked by hand.
TEST(SingleOperator, IntegerSumAndInt16Mean) {
  constexpr auto I16 = fb::TensorType::INT16;
  auto reduce = [&](int32_t code, fb::TensorType type, const std::vector<int32_t>& in_shape,
                    const std::vector<int32_t>& axes, const std::vector<int32_t>& out_shape, float in_scale,
                    int64_t in_zp, float out_scale, int64_t out_zp, bool keep, const std::vector<int16_t>& values) {
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", type, in_shape, {in_scale}, {in_zp});
    const int a = b.AddConstant<int32_t>("axes", I32, {static_cast<int32_t>(axes.size())}, axes);
    const int y = b.AddTensor("y", type, out_shape, {out_scale}, {out_zp});
    fb::ReducerOptionsT o;
    o.keep_dims = keep;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(code, {x, a}, {y}, std::move(u));
    b.SetIo({x}, {y});
    if (type == I8) {
      const auto out = Values<int8_t>(RunModel(b, {Bytes(std::vector<int8_t>(values.begin(), values.end()))}));
      return std::vector<int32_t>(out.begin(), out.end());
    }
    const auto out = Values<int16_t>(RunModel(b, {Bytes(values)}));
    return std::vector<int32_t>(out.begin(), out.end());
  };
  // SUM int8: sum of (x - 2) = 20, times 0.5 / 0.75 = 13.33 -> 13, then -1.
  EXPECT_EQ(reduce(74, I8, {1, 4}, {1}, {1}, 0.5f, 2, 0.75f, -1, false, {10, 20, -5, 3}), (std::vector<int32_t>{12}));
  // SUM int16 (scale 1 -> 4): 712 / 4 = 178; 66,234 / 4 = 16,558.5 rounds
  // away from zero, the sum itself past int16.
  EXPECT_EQ(reduce(74, I16, {2, 4}, {1}, {2}, 1.0f, 0, 4.0f, 0, false, {1000, -300, 5, 7, 32767, 32767, 350, 350}),
            (std::vector<int32_t>{178, 16559}));
  // MEAN int16, equal quantization: 7 / 3 and -7 / 3 truncate to 2 and -2.
  EXPECT_EQ(reduce(40, I16, {2, 3}, {1}, {2}, 0.1f, 0, 0.1f, 0, false, {1, 2, 4, -1, -2, -4}),
            (std::vector<int32_t>{2, -2}));
  // Requantized (0.5 -> 0.25) with 1/3 folded in: 7 * 2 / 3 = 4.67 -> 5, and -5.
  EXPECT_EQ(reduce(40, I16, {2, 3}, {1}, {2}, 0.5f, 0, 0.25f, 0, false, {1, 2, 4, -1, -2, -4}),
            (std::vector<int32_t>{5, -5}));
  // 4-D over axes (1, 2) with keep_dims: 11 / 4 = 2.75 rounds to 3 (the
  // truncating path would give 2).
  EXPECT_EQ(reduce(40, I16, {1, 2, 2, 1}, {1, 2}, {1, 1, 1, 1}, 0.5f, 0, 0.5f, 0, true, {1, 2, 3, 5}),
            (std::vector<int32_t>{3}));
}

TEST(SingleOperator, SlicingErrorsNameTheOperatorAndField) {
  TfliteModelBuilder b;
  const int in = b.AddTensor("x", I8, {3, 4}, {0.5f}, {0});
  const int begin = b.AddConstant<int32_t>("begin", I32, {2}, {1, 3});
  const int size = b.AddConstant<int32_t>("size", I32, {2}, {1, 2});
  const int out = b.AddTensor("y", I8, {1, 2}, {0.5f}, {0});
  b.AddOperator(65, {in, begin, size}, {out});
  b.SetIo({in}, {out});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "bad_slice.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("SLICE: size 2 of axis 1 from 3 exceeds its 4 elements"), std::string::npos)
      << library.message();
}

TEST(SingleOperator, MeanInt8GlobalAveragePoolRoundsAsTfliteMicro) {
  // A MobileNet's global average pool: MEAN over axes (1, 2) with keep_dims
  // and the same quantization in and out, through ReducerOptions. Expected
  // values from psm_reference.py (reference_integer_ops::Mean).
  namespace pe = kiln::test::psm_expected;
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", I8, {1, 7, 7, 16}, {0.070548f}, {-9});
  const int axes = b.AddConstant<int32_t>("axes", I32, {2}, {1, 2});
  const int y = b.AddTensor("y", I8, {1, 1, 1, 16}, {0.070548f}, {-9});
  fb::ReducerOptionsT reducer;
  reducer.keep_dims = true;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(reducer));
  b.AddOperator(40, {x, axes}, {y}, std::move(u));
  b.SetIo({x}, {y});
  const std::vector<int8_t> input(std::begin(pe::kMeanSpatialInput), std::end(pe::kMeanSpatialInput));
  const std::vector<int8_t> expected(std::begin(pe::kMeanSpatialOutput), std::end(pe::kMeanSpatialOutput));
  EXPECT_EQ(Values<int8_t>(RunModel(b, {Bytes<int8_t>(input)})), expected);
}

TEST(SingleOperator, ActivationsFloat) {
  EXPECT_EQ(UnaryFloat(19, {-1, 2}), (std::vector<float>{0, 2}));
  EXPECT_EQ(UnaryFloat(21, {-1, 3, 7}), (std::vector<float>{0, 3, 6}));
  fb::LeakyReluOptionsT leaky;
  leaky.alpha = 0.5f;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(leaky));
  EXPECT_EQ(UnaryFloat(98, {-2, 3}, std::move(u)), (std::vector<float>{-1, 3}));
  // hard_swish(x) = x * relu6(x + 3) / 6
  const auto hs = UnaryFloat(117, {-4, 0, 1, 4});
  ASSERT_EQ(hs.size(), 4u);
  EXPECT_NEAR(hs[0], 0.0f, 1e-6f);
  EXPECT_NEAR(hs[1], 0.0f, 1e-6f);
  EXPECT_NEAR(hs[2], 4.0f / 6.0f, 1e-6f);
  EXPECT_NEAR(hs[3], 4.0f, 1e-6f);
  const auto lg = UnaryFloat(14, {0});
  ASSERT_EQ(lg.size(), 1u);
  EXPECT_NEAR(lg[0], 0.5f, 1e-6f);
  const auto th = UnaryFloat(28, {0, 1});
  ASSERT_EQ(th.size(), 2u);
  EXPECT_NEAR(th[1], 0.7615942f, 1e-6f);
  fb::SoftmaxOptionsT sm;
  sm.beta = 1.0f;
  fb::BuiltinOptionsUnion su;
  su.Set(std::move(sm));
  const auto soft = UnaryFloat(25, {0.0f, std::log(3.0f)}, std::move(su));
  ASSERT_EQ(soft.size(), 2u);
  EXPECT_NEAR(soft[0], 0.25f, 1e-6f);
  EXPECT_NEAR(soft[1], 0.75f, 1e-6f);
}

TEST(SingleOperator, QuantizeAndDequantize) {
  // q = round_half_away(x / 0.5) + 1, clamped: 1.0 -> 3, -1.25 -> -2, 100 -> 127.
  TfliteModelBuilder q;
  const int x = q.AddTensor("x", F32, {3});
  const int y = q.AddTensor("y", I8, {3}, {0.5f}, {1});
  q.AddOperator(114, {x}, {y});
  q.SetIo({x}, {y});
  EXPECT_EQ(Values<int8_t>(RunModel(q, {Bytes<float>({1.0f, -1.25f, 100.0f})})), (std::vector<int8_t>{3, -2, 127}));
  // x = 0.5 * (q - 1)
  TfliteModelBuilder d;
  const int a = d.AddTensor("q", I8, {2}, {0.5f}, {1});
  const int f = d.AddTensor("f", F32, {2});
  d.AddOperator(6, {a}, {f});
  d.SetIo({a}, {f});
  EXPECT_EQ(Values<float>(RunModel(d, {Bytes<int8_t>({3, -2})})), (std::vector<float>{1.0f, -1.5f}));
}

TEST(SingleOperator, DataMovementFloat) {
  {  // RESHAPE through the shape tensor
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {1, 4});
    const int s = b.AddConstant<int32_t>("s", I32, {2}, {2, 2});
    const int y = b.AddTensor("y", F32, {2, 2});
    b.AddOperator(22, {x, s}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4})})), (std::vector<float>{1, 2, 3, 4}));
  }
  {  // SQUEEZE all size-1 dimensions
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {1, 3, 1});
    const int y = b.AddTensor("y", F32, {3});
    b.AddOperator(43, {x}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2, 3})})), (std::vector<float>{1, 2, 3}));
  }
  {  // CONCATENATION on axis 1
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {1, 2});
    const int z = b.AddTensor("z", F32, {1, 1});
    const int y = b.AddTensor("y", F32, {1, 3});
    fb::ConcatenationOptionsT o;
    o.axis = 1;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(2, {x, z}, {y}, std::move(u));
    b.SetIo({x, z}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2}), Bytes<float>({3})})), (std::vector<float>{1, 2, 3}));
  }
  {  // PAD one before and two after the last axis, with zeros
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {1, 2});
    const int p = b.AddConstant<int32_t>("p", I32, {2, 2}, {0, 0, 1, 2});
    const int y = b.AddTensor("y", F32, {1, 5});
    b.AddOperator(34, {x, p}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({7, 8})})), (std::vector<float>{0, 7, 8, 0, 0}));
  }
  {  // MEAN over axis 1 of [[1,2],[3,4]]
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {2, 2});
    const int axes = b.AddConstant<int32_t>("axes", I32, {1}, {1});
    const int y = b.AddTensor("y", F32, {2});
    b.AddOperator(40, {x, axes}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4})})), (std::vector<float>{1.5f, 3.5f}));
  }
  {  // STRIDED_SLICE [1:6:2] of 1..6
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {6});
    const int begin = b.AddConstant<int32_t>("begin", I32, {1}, {1});
    const int end = b.AddConstant<int32_t>("end", I32, {1}, {6});
    const int strides = b.AddConstant<int32_t>("strides", I32, {1}, {2});
    const int y = b.AddTensor("y", F32, {3});
    b.AddOperator(45, {x, begin, end, strides}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4, 5, 6})})), (std::vector<float>{2, 4, 6}));
  }
  {  // TRANSPOSE [2,3] -> [3,2]
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", F32, {2, 3});
    const int perm = b.AddConstant<int32_t>("perm", I32, {2}, {1, 0});
    const int y = b.AddTensor("y", F32, {3, 2});
    b.AddOperator(39, {x, perm}, {y});
    b.SetIo({x}, {y});
    EXPECT_EQ(Values<float>(RunModel(b, {Bytes<float>({1, 2, 3, 4, 5, 6})})), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  }
}

// x -> RELU -> h -> TANH -> y with --io-in-pools: each activation runs over
// its input's bytes (declared elementwise streaming, distance 0), so the
// whole inference needs one tensor's bytes, and the result is unchanged.
TEST(SingleOperator, ElementwiseChainRunsInPlace) {
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {1, 64});
  const int h = b.AddTensor("h", F32, {1, 64});
  const int y = b.AddTensor("y", F32, {1, 64});
  b.AddOperator(19, {x}, {h});
  b.AddOperator(28, {h}, {y});
  b.SetIo({x}, {y});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  CodegenOptions options;
  options.io_in_pools = true;
  auto library = CompileGraph(*graph, options, "chain.tflite");
  ASSERT_TRUE(library.ok()) << library.message();
  int workspaces = 0;
  for (const auto& pool : library->metadata["memory"]["pools"])
    if (pool["name"] == "workspace") {
      EXPECT_EQ(pool["size_bytes"].get<int64_t>(), 256);
      ++workspaces;
    }
  EXPECT_EQ(workspaces, 1);
  int overlapping = 0;
  for (const auto& buffer : library->metadata["memory"]["buffers"])
    if (buffer.contains("overlaps")) {
      EXPECT_EQ(buffer["overlaps"]["distance_bytes"].get<int64_t>(), 0);
      ++overlapping;
    }
  EXPECT_EQ(overlapping, 2);

  std::vector<float> in(64);
  for (int i = 0; i < 64; ++i) in[static_cast<size_t>(i)] = static_cast<float>(i - 32) / 8.0f;
  const auto out = Values<float>(RunModel(b, {Bytes(in)}));
  ASSERT_EQ(out.size(), 64u);
  for (size_t i = 0; i < 64; ++i) EXPECT_NEAR(out[i], std::tanh(std::max(in[i], 0.0f)), 1e-6f) << i;
}

// A model may list a constant among its inputs (tflite_pipeline's finding of
// 2026-12-07): it compiles, and --io-in-pools, which has no pool byte for a
// constant, refuses it by name instead of failing inside the generator.
TEST(SingleOperator, AConstantListedAsAnInputAndIoInPools) {
  TfliteModelBuilder b;
  const int x = b.AddTensor("x", F32, {2, 3});
  const int perm = b.AddConstant<int32_t>("perm", I32, {2}, {1, 0});
  const int y = b.AddTensor("y", F32, {3, 2});
  b.AddOperator(39, {x, perm}, {y});
  b.SetIo({x, perm}, {y});
  auto graph = tflite::ImportTflite(b.Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  EXPECT_TRUE(CompileGraph(*graph, CodegenOptions{}, "constant_input.tflite").ok());
  CodegenOptions in_pools;
  in_pools.io_in_pools = true;
  auto library = CompileGraph(*graph, in_pools, "constant_input.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.message(),
            "--io-in-pools: input 'perm' is a constant of the model, which no pool holds; compile it without "
            "--io-in-pools");
}

// L2_POOL_2D: the root of the mean square of each window's in-bounds
// elements; SAME windows clip at the border.
TEST(SingleOperator, L2PoolFloat) {
  ExpectFloats(Bytes(Pool(12, fb::Padding::VALID, {1, 1, 1, 1})), {std::sqrt(7.5f)});
  ExpectFloats(Bytes(Pool(12, fb::Padding::SAME, {1, 2, 2, 1})),
               {std::sqrt(7.5f), std::sqrt(10.0f), std::sqrt(12.5f), 4.0f});
}

// L2_NORMALIZATION: float rows over their norm (a zero row stays zero: the
// norm is at least 1e-6); int8 rows of Pythagorean triples, whose exact
// quotients (x / norm * 128) lie far from a rounding boundary, so that the
// fixed-point inverse square root must land on them; an all-zero row gives
// zeros; the output must be scale 1/128, zero point 0.
TEST(SingleOperator, L2NormalizationFloatAndInt8) {
  auto op = [](fb::TensorType type, const Shape& shape, std::vector<float> in_scale, std::vector<int64_t> in_zp,
               std::vector<float> out_scale, std::vector<int64_t> out_zp) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", type, shape, in_scale, in_zp);
    const int out = b.AddTensor("y", type, shape, out_scale, out_zp);
    b.AddOperator(11, {in}, {out});
    b.SetIo({in}, {out});
    return b;
  };
  ExpectFloats(RunModel(op(F32, {2, 2}, {}, {}, {}, {}), {Bytes<float>({3, 4, 0, 0})}), {0.6f, 0.8f, 0.0f, 0.0f});
  // zero point 2: the int8 bytes are x + 2. Rows (3,4), (5,12), (-7,24), (0,0), (8,15).
  const std::vector<int8_t> x = {3, 4, 5, 12, -7, 24, 0, 0, 8, 15};
  std::vector<int8_t> q;
  for (int8_t v : x) q.push_back(static_cast<int8_t>(v + 2));
  // 128 x / norm: 76.8, 102.4 | 49.2, 118.2 | -35.8, 122.9 | 0, 0 | 60.2, 112.9
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {5, 2}, {0.1f}, {2}, {1.0f / 128}, {0}), {Bytes(q)})),
            (std::vector<int8_t>{77, 102, 49, 118, -36, 123, 0, 0, 60, 113}));
  auto graph = tflite::ImportTflite(op(I8, {5, 2}, {0.1f}, {2}, {0.1f}, {0}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "l2norm.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("expected 1/128 and 0"), std::string::npos) << library.message();
}

// CUMSUM along an axis, float: inclusive, exclusive, reversed, both, and a
// negative axis. int8 at equal scales and zero points 0: integer running
// sums, clamped; with zero points (3 in, -2 out) and the output scale half
// the input's, TFLite Micro's accumulator starts at its scaled input offset
// (-3), so the outputs are 2 (sum - 3) - 2.
TEST(SingleOperator, CumSumFloatAndInt8) {
  auto op = [](fb::TensorType type, int32_t axis, bool exclusive, bool reverse, std::vector<float> in_scale = {},
               std::vector<int64_t> in_zp = {}, std::vector<float> out_scale = {}, std::vector<int64_t> out_zp = {}) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", type, {2, 3}, in_scale, in_zp);
    const int a = b.AddConstant<int32_t>("axis", I32, {}, {axis});
    const int out = b.AddTensor("y", type, {2, 3}, out_scale, out_zp);
    fb::CumsumOptionsT o;
    o.exclusive = exclusive;
    o.reverse = reverse;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(128, {in, a}, {out}, std::move(u));
    b.SetIo({in}, {out});
    return b;
  };
  const auto x = Bytes<float>({1, 2, 3, 4, 5, 6});
  ExpectFloats(RunModel(op(F32, 1, false, false), {x}), {1, 3, 6, 4, 9, 15});
  ExpectFloats(RunModel(op(F32, 1, true, false), {x}), {0, 1, 3, 0, 4, 9});
  ExpectFloats(RunModel(op(F32, 1, false, true), {x}), {6, 5, 3, 15, 11, 6});
  ExpectFloats(RunModel(op(F32, 1, true, true), {x}), {5, 3, 0, 11, 6, 0});
  ExpectFloats(RunModel(op(F32, -2, false, false), {x}), {1, 2, 3, 5, 7, 9});
  // float64 (ONNX's CumSum on doubles): summed in double, where float32
  // would lose 1e-10 next to 1; reversed and exclusive.
  const double t = 1e-10;
  EXPECT_EQ(Values<double>(RunModel(op(fb::TensorType::FLOAT64, 1, true, true), {Bytes<double>({1, t, t, 2, t, 1})})),
            (std::vector<double>{t + t, t, 0, 1 + t, 1, 0}));
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, 1, false, false, {0.5f}, {0}, {0.5f}, {0}),
                                    {Bytes<int8_t>({1, 2, 3, 100, 50, -20})})),
            (std::vector<int8_t>{1, 3, 6, 100, 127, 127}));
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, 1, false, false, {0.5f}, {3}, {0.25f}, {-2}),
                                    {Bytes<int8_t>({4, 5, 6, 3, 3, 3})})),
            (std::vector<int8_t>{-6, -2, 4, -8, -8, -8}));
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, 1, true, false, {0.5f}, {3}, {0.25f}, {-2}),
                                    {Bytes<int8_t>({4, 5, 6, 3, 3, 3})})),
            (std::vector<int8_t>{-8, -6, -2, -8, -8, -8}));
  auto graph = tflite::ImportTflite(op(F32, 2, false, false).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "cumsum.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("axis 2 is out of range for rank 2"), std::string::npos) << library.message();
}

// ZEROS_LIKE: zeros of the input's shape, whatever its values, for each of
// TFLite Micro's dtypes.
TEST(SingleOperator, ZerosLike) {
  auto op = [](fb::TensorType type) {
    TfliteModelBuilder b;
    const int in = b.AddTensor("x", type, {2, 3});
    const int out = b.AddTensor("y", type, {2, 3});
    b.AddOperator(93, {in}, {out});
    b.SetIo({in}, {out});
    return b;
  };
  EXPECT_EQ(Values<float>(RunModel(op(F32), {Bytes<float>({1.5f, -2, 3, 4, 5, 6})})), std::vector<float>(6, 0.0f));
  EXPECT_EQ(Values<int32_t>(RunModel(op(I32), {Bytes<int32_t>({-1, 2, 3, 4, 5, 6})})), std::vector<int32_t>(6, 0));
  EXPECT_EQ(Values<int64_t>(RunModel(op(fb::TensorType::INT64), {Bytes<int64_t>({-1, 2, 3, 4, 5, 1LL << 40})})),
            std::vector<int64_t>(6, 0));
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8), {Bytes<int8_t>({-1, 2, 3, 4, 5, 127})})), std::vector<int8_t>(6, 0));
}

// GATHER_ND on TensorFlow's documented examples: whole elements (index rows
// as long as the rank), rows (shorter index rows), and a batch of index
// rows; an index outside its dimension, known only at run time, makes run()
// return KILN_ERROR_INDEX_OUT_OF_RANGE; a constant one is refused at compile
// time, naming it.
TEST(SingleOperator, GatherNdPicksElementsAndSlices) {
  auto op = [](fb::TensorType type, const Shape& params_shape, const Shape& indices_shape, const Shape& out_shape,
               const std::vector<int32_t>* constant_indices = nullptr) {
    TfliteModelBuilder b;
    const int params = b.AddTensor("params", type, params_shape);
    const int indices = constant_indices != nullptr
                            ? b.AddConstant<int32_t>("indices", I32, indices_shape, *constant_indices)
                            : b.AddTensor("indices", I32, indices_shape);
    const int out = b.AddTensor("y", type, out_shape);
    b.AddOperator(107, {params, indices}, {out});
    b.SetIo(constant_indices != nullptr ? std::vector<int32_t>{params} : std::vector<int32_t>{params, indices},
            {out});
    return b;
  };
  // params [[a, b], [c, d]] as 1, 2, 3, 4.
  const auto m = Bytes<float>({1, 2, 3, 4});
  ExpectFloats(RunModel(op(F32, {2, 2}, {2, 2}, {2}), {m, Bytes<int32_t>({0, 0, 1, 1})}), {1, 4});
  ExpectFloats(RunModel(op(F32, {2, 2}, {2, 1}, {2, 2}), {m, Bytes<int32_t>({1, 0})}), {3, 4, 1, 2});
  // A [2,2,2] int8 cube: index rows [[0,1],[1,0]] pick rows (0,1) and (1,0).
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {2, 2, 2}, {2, 2}, {2, 2}),
                                    {Bytes<int8_t>({0, 1, 10, 11, 100, 101, 110, 111}), Bytes<int32_t>({0, 1, 1, 0})})),
            (std::vector<int8_t>{10, 11, 100, 101}));
  auto graph = tflite::ImportTflite(op(F32, {2, 2}, {1, 2}, {1}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "gather_nd.tflite");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const fs::path dir = test::TempDir("gather_nd_range");
  test::WriteBytes(dir / "m.bin", m);
  test::WriteBytes(dir / "i.bin", Bytes<int32_t>({0, 2}));
  const Status ran = exe->Run({dir / "m.bin", dir / "i.bin"}, dir / "out");
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.message().find("run() returned 2"), std::string::npos) << ran.message();
  fs::remove_all(dir);
  const std::vector<int32_t> outside = {1, -1};
  graph = tflite::ImportTflite(op(F32, {2, 2}, {1, 2}, {1}, &outside).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  library = CompileGraph(*graph, CodegenOptions{}, "gather_nd.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("index 1 of 'indices' is -1, outside 0..1"), std::string::npos)
      << library.message();
}

// EMBEDDING_LOOKUP: rows 2, 0, 2 of a [3,2] table, float32; int8 rows
// copied; int8 rows into float32 dequantized (scale 0.5, zero point 0); a
// row outside the table at run time makes run() return
// KILN_ERROR_INDEX_OUT_OF_RANGE; a hybrid table with a zero point is refused.
TEST(SingleOperator, EmbeddingLookupCopiesOrDequantizesRows) {
  auto op = [](fb::TensorType value_type, fb::TensorType out_type, std::vector<int64_t> zp = {0}) {
    TfliteModelBuilder b;
    const bool int8 = value_type == I8;
    const int lookup = b.AddTensor("lookup", I32, {3});
    const int value = b.AddTensor("value", value_type, {3, 2}, int8 ? std::vector<float>{0.5f} : std::vector<float>{},
                                  int8 ? zp : std::vector<int64_t>{});
    const int out = b.AddTensor("y", out_type, {3, 2}, out_type == I8 ? std::vector<float>{0.5f} : std::vector<float>{},
                                out_type == I8 ? zp : std::vector<int64_t>{});
    b.AddOperator(7, {lookup, value}, {out});
    b.SetIo({lookup, value}, {out});
    return b;
  };
  const auto rows = Bytes<int32_t>({2, 0, 2});
  ExpectFloats(RunModel(op(F32, F32), {rows, Bytes<float>({1, 2, 3, 4, 5, 6})}), {5, 6, 1, 2, 5, 6});
  const auto q = Bytes<int8_t>({-1, 2, 3, -4, 127, -128});
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, I8), {rows, q})), (std::vector<int8_t>{127, -128, -1, 2, 127, -128}));
  ExpectFloats(RunModel(op(I8, F32), {rows, q}), {63.5f, -64.0f, -0.5f, 1.0f, 63.5f, -64.0f});
  auto graph = tflite::ImportTflite(op(F32, F32).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "embedding.tflite");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();
  const fs::path dir = test::TempDir("embedding_range");
  test::WriteBytes(dir / "l.bin", Bytes<int32_t>({0, 3, 1}));
  test::WriteBytes(dir / "v.bin", Bytes<float>({1, 2, 3, 4, 5, 6}));
  const Status ran = exe->Run({dir / "l.bin", dir / "v.bin"}, dir / "out");
  ASSERT_FALSE(ran.ok());
  EXPECT_NE(ran.message().find("run() returned 2"), std::string::npos) << ran.message();
  fs::remove_all(dir);
  graph = tflite::ImportTflite(op(I8, F32, {3}).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  library = CompileGraph(*graph, CodegenOptions{}, "embedding.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("has zero point 3; dequantized rows need 0"), std::string::npos)
      << library.message();
}

// DYNAMIC_UPDATE_SLICE: a [2,2] update into a [3,4] operand at start
// indices read at run time, each clamped so that the update fits (column 3
// becomes 2, row -5 becomes 0, row 2 becomes 1), float32 with int32 indices
// and int8 with int64 ones.
TEST(SingleOperator, DynamicUpdateSliceClampsItsStart) {
  auto op = [](fb::TensorType type, fb::TensorType index_type) {
    TfliteModelBuilder b;
    const bool int8 = type == I8;
    const std::vector<float> scale = int8 ? std::vector<float>{0.5f} : std::vector<float>{};
    const std::vector<int64_t> zp = int8 ? std::vector<int64_t>{1} : std::vector<int64_t>{};
    const int operand = b.AddTensor("operand", type, {3, 4}, scale, zp);
    const int update = b.AddTensor("update", type, {2, 2}, scale, zp);
    const int start = b.AddTensor("start", index_type, {2});
    const int out = b.AddTensor("y", type, {3, 4}, scale, zp);
    b.AddOperator(151, {operand, update, start}, {out});
    b.SetIo({operand, update, start}, {out});
    return b;
  };
  const auto operand = Bytes<float>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  const auto update = Bytes<float>({100, 101, 102, 103});
  ExpectFloats(RunModel(op(F32, I32), {operand, update, Bytes<int32_t>({1, 3})}),
               {0, 1, 2, 3, 4, 5, 100, 101, 8, 9, 102, 103});
  ExpectFloats(RunModel(op(F32, I32), {operand, update, Bytes<int32_t>({-5, 0})}),
               {100, 101, 2, 3, 102, 103, 6, 7, 8, 9, 10, 11});
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, fb::TensorType::INT64),
                                    {Bytes<int8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}),
                                     Bytes<int8_t>({-1, -2, -3, -4}), Bytes<int64_t>({2, 1})})),
            (std::vector<int8_t>{0, 1, 2, 3, 4, -1, -2, 7, 8, -3, -4, 11}));  // row 2 clamps to 1
}

// BATCH_MATMUL: a batch of two [2,3] matrices times one [3,2] (broadcast),
// the same with y stored transposed (adj_y), x stored transposed (adj_x),
// and int8 whose exact products land on integers after the 0.125 rescale
// (x = 2 real + 1, y = 4 real - 2, output real + 3); mismatched depths are
// refused.
TEST(SingleOperator, BatchMatMulBroadcastsAndTransposes) {
  auto op = [](fb::TensorType type, const Shape& xs, const Shape& ys, const Shape& outs, bool adj_x, bool adj_y,
               bool quantized = false) {
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", type, xs, quantized ? std::vector<float>{0.5f} : std::vector<float>{},
                              quantized ? std::vector<int64_t>{1} : std::vector<int64_t>{});
    const int y = b.AddTensor("y", type, ys, quantized ? std::vector<float>{0.25f} : std::vector<float>{},
                              quantized ? std::vector<int64_t>{-2} : std::vector<int64_t>{});
    const int out = b.AddTensor("out", type, outs, quantized ? std::vector<float>{1.0f} : std::vector<float>{},
                                quantized ? std::vector<int64_t>{3} : std::vector<int64_t>{});
    fb::BatchMatMulOptionsT o;
    o.adj_x = adj_x;
    o.adj_y = adj_y;
    fb::BuiltinOptionsUnion u;
    u.Set(std::move(o));
    b.AddOperator(126, {x, y}, {out}, std::move(u));
    b.SetIo({x, y}, {out});
    return b;
  };
  const auto x = Bytes<float>({1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0});
  ExpectFloats(RunModel(op(F32, {2, 2, 3}, {3, 2}, {2, 2, 2}, false, false), {x, Bytes<float>({1, 2, 3, 4, 5, 6})}),
               {22, 28, 49, 64, 1, 2, 3, 4});
  ExpectFloats(RunModel(op(F32, {2, 2, 3}, {2, 3}, {2, 2, 2}, false, true), {x, Bytes<float>({1, 3, 5, 2, 4, 6})}),
               {22, 28, 49, 64, 1, 2, 3, 4});
  ExpectFloats(RunModel(op(F32, {3, 2}, {3, 2}, {2, 2}, true, false),
                        {Bytes<float>({1, 4, 2, 5, 3, 6}), Bytes<float>({1, 2, 3, 4, 5, 6})}),
               {22, 28, 49, 64});
  EXPECT_EQ(Values<int8_t>(RunModel(op(I8, {2, 3}, {3, 2}, {2, 2}, false, false, true),
                                    {Bytes<int8_t>({3, 5, 7, 9, 11, 13}), Bytes<int8_t>({2, 6, 10, 14, 18, 22})})),
            (std::vector<int8_t>{25, 31, 52, 67}));
  auto graph = tflite::ImportTflite(op(F32, {2, 3}, {2, 2}, {2, 2}, false, false).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "batch_matmul.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("gives 3 values a row and y 'y' [2,2] takes 2"), std::string::npos)
      << library.message();
}

// int16 BATCH_MATMUL, as TensorFlow Lite Micro's EvalInt16: int64 sums (3 *
// 32767^2 is past int32) and the 64-bit requantization, the multiplier
// rounded to 16 bits and one rounding shift that takes ties upward (-0.5
// gives 0, where the 32-bit one gives -1); zero points must be 0.
TEST(SingleOperator, BatchMatMulInt16SumsIn64Bits) {
  constexpr auto I16 = fb::TensorType::INT16;
  auto op = [](const Shape& xs, const Shape& ys, const Shape& outs, float x_scale, float y_scale, float out_scale,
               int64_t x_zero_point = 0) {
    TfliteModelBuilder b;
    const int x = b.AddTensor("x", I16, xs, {x_scale}, {x_zero_point});
    const int y = b.AddTensor("y", I16, ys, {y_scale}, {0});
    const int out = b.AddTensor("out", I16, outs, {out_scale}, {0});
    fb::BuiltinOptionsUnion u;
    u.Set(fb::BatchMatMulOptionsT{});
    b.AddOperator(126, {x, y}, {out}, std::move(u));
    b.SetIo({x, y}, {out});
    return b;
  };
  // 0.5 * 0.25 / 65536 = 2^-19: 3 * 32767^2 / 2^19 = 6143.625 -> 6144, and
  // 3 * 32767 * -32768 / 2^19 = -6143.94 -> -6144.
  EXPECT_EQ(Values<int16_t>(RunModel(op({1, 3}, {3, 2}, {1, 2}, 0.5f, 0.25f, 65536.0f),
                                     {Bytes<int16_t>({32767, 32767, 32767}),
                                      Bytes<int16_t>({32767, -32768, 32767, -32768, 32767, -32768})})),
            (std::vector<int16_t>{6144, -6144}));
  // x * 4 / 8: -0.5 -> 0 and 0.5 -> 1.
  EXPECT_EQ(Values<int16_t>(RunModel(op({2, 1}, {1, 1}, {2, 1}, 1.0f, 1.0f, 8.0f),
                                     {Bytes<int16_t>({-1, 1}), Bytes<int16_t>({4})})),
            (std::vector<int16_t>{0, 1}));
  auto graph = tflite::ImportTflite(op({1, 1}, {1, 1}, {1, 1}, 1.0f, 1.0f, 1.0f, 3).Finish());
  ASSERT_TRUE(graph.ok()) << graph.message();
  auto library = CompileGraph(*graph, CodegenOptions{}, "batch_matmul_s16.tflite");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.message().find("zero point"), std::string::npos) << library.message();
}

// UNIDIRECTIONAL_SEQUENCE_LSTM, float32, on TensorFlow Lite's own golden
// cases (tensorflow/lite/kernels/lstm_test.cc, float tolerance 1e-5): no
// CIFG, peephole or projection; CIFG with peephole; and, time-major with two
// batches, peephole with projection and layer normalization, with and
// without the input gate. Weights are given per gate in TFLite's input
// order; a missing one is -1 (absent).
std::vector<uint8_t> RunLstm(const test::LstmCase& c) { return RunModel(test::LstmModel(c), {Bytes(c.input)}); }

TEST(SingleOperator, LstmFloatMatchesTfliteGoldens) {
  const std::vector<float> none;
  using test::LstmCase;
  LstmCase plain{1, 2, 4, 4, false,
                 {{-0.45018822f, -0.02338299f, -0.0870589f, -0.34550029f, 0.04266912f, -0.15680569f, -0.34856534f,
                   0.43890524f},
                  {0.09701663f, 0.20334584f, -0.50592935f, -0.31343272f, -0.40032279f, 0.44781327f, 0.01387155f,
                   -0.35593212f},
                  {-0.50013041f, 0.1370284f, 0.11810488f, 0.2013163f, -0.20583314f, 0.44344562f, 0.22077113f,
                   -0.29909778f},
                  {-0.25065863f, -0.28290087f, 0.04613829f, 0.40525138f, 0.44272184f, 0.03897077f, -0.1556896f,
                   0.19487578f},
                  {-0.0063535f, -0.2042388f, 0.31454784f, -0.35746509f, 0.28902304f, 0.08183324f, -0.16555229f,
                   0.02286911f, -0.13566875f, 0.03034258f, 0.48091322f, -0.12528998f, 0.24077177f, -0.51332325f,
                   -0.33502164f, 0.10629296f},
                  {-0.48684245f, -0.06655136f, 0.42224967f, 0.2112639f, 0.27654213f, 0.20864892f, -0.07646349f,
                   0.45877004f, 0.00141793f, -0.14609534f, 0.36447752f, 0.09196436f, 0.28053468f, 0.01560611f,
                   -0.20127171f, -0.01140004f},
                  {-0.3407414f, 0.24443203f, -0.2078532f, 0.26320225f, 0.05695659f, -0.00123841f, -0.4744786f,
                   -0.35869038f, -0.06418842f, -0.13502428f, -0.501764f, 0.22830659f, -0.46367589f, 0.26016325f,
                   -0.03894562f, -0.16368064f},
                  {0.43385774f, -0.17194885f, 0.2718237f, 0.09215671f, 0.24107647f, -0.39835793f, 0.18212086f,
                   0.01301402f, 0.48572797f, -0.50656658f, 0.20047462f, -0.20607421f, -0.51818722f, -0.15390486f,
                   0.0468148f, 0.39922136f},
                  none, none, none,
                  {0, 0, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}, {0, 0, 0, 0},
                  none, none, none, none, none, none},
                 {2, 3, 3, 4, 1, 1},
                 {-0.02973187f, 0.1229473f, 0.20885126f, -0.15358765f, -0.03716109f, 0.12507336f, 0.41193449f,
                  -0.20860538f, -0.15053082f, 0.09120187f, 0.24278517f, -0.12222792f}};
  ExpectFloats(RunLstm(plain), plain.expected);

  LstmCase cifg_peephole{1, 2, 4, 4, false,
                         {none,
                          {-0.55291498f, -0.42866567f, 0.13056988f, -0.3633365f, -0.22755712f, 0.28253698f,
                           0.24407166f, 0.33826375f},
                          {-0.49770179f, -0.27711356f, -0.09624726f, 0.05100781f, 0.04717243f, 0.48944736f,
                           -0.38535351f, -0.17212132f},
                          {0.10725588f, -0.02335852f, -0.55932593f, -0.09426838f, -0.44257352f, 0.54939759f,
                           0.01533556f, 0.42751634f},
                          none,
                          {-0.13832897f, -0.0515101f, -0.2359007f, -0.16661474f, -0.14340827f, 0.36986142f,
                           0.23414481f, 0.55899f, 0.10798943f, -0.41174671f, 0.17751795f, -0.34484994f, -0.35874045f,
                           -0.11352962f, 0.27268326f, 0.54058349f},
                          {0.54066205f, -0.32668582f, -0.43562764f, -0.56094903f, 0.42957711f, 0.01841056f,
                           -0.32764608f, -0.33027974f, -0.10826075f, 0.20675004f, 0.19069612f, -0.03026325f,
                           -0.54532051f, 0.33003211f, 0.44901288f, 0.21193194f},
                          {0.41613156f, 0.42610586f, -0.16495961f, -0.5663873f, 0.30579174f, -0.05115908f,
                           -0.33941799f, 0.23364776f, 0.11178309f, 0.09481031f, -0.26424935f, 0.46261835f,
                           0.50248802f, 0.26114327f, -0.43736315f, 0.33149987f},
                          none,
                          {0.47485286f, -0.51955009f, -0.24458408f, 0.31544167f},
                          {-0.17135078f, 0.82760304f, 0.85573703f, -0.77109635f},
                          none, {1, 1, 1, 1}, {0, 0, 0, 0}, {0, 0, 0, 0},
                          none, none, none, none, none, none},
                         {2, 3, 3, 4, 1, 1},
                         {-0.36444446f, -0.00352185f, 0.12886585f, -0.05163646f, -0.42312205f, -0.01218222f,
                          0.24201041f, -0.08124574f, -0.358325f, -0.04621704f, 0.21641694f, -0.06471302f}};
  ExpectFloats(RunLstm(cifg_peephole), cifg_peephole.expected);

  // Time-major [3 steps, 2 batches, 5 inputs], 4 cells projected to 3 outputs.
  const std::vector<float> projection = {-0.1f, 0.2f, 0.01f, -0.2f, 0.1f, 0.5f, 0.3f, 0.08f, 0.07f, 0.2f, -0.4f, 0.2f};
  const std::vector<float> input = {0.7f, 0.8f, 0.1f, 0.2f, 0.3f, 0.3f, 0.2f, 0.9f, 0.8f, 0.1f,
                                    0.8f, 0.1f, 0.2f, 0.4f, 0.5f, 0.1f, 0.5f, 0.2f, 0.4f, 0.2f,
                                    0.2f, 0.7f, 0.7f, 0.1f, 0.7f, 0.6f, 0.9f, 0.2f, 0.5f, 0.7f};
  LstmCase layer_norm{2, 5, 4, 3, true,
                      {{0.5f, 0.6f, 0.7f, -0.8f, -0.9f, 0.1f, 0.2f, 0.3f, -0.4f, 0.5f, -0.8f, 0.7f, -0.6f, 0.5f,
                        -0.4f, -0.5f, -0.4f, -0.3f, -0.2f, -0.1f},
                       {-0.6f, -0.1f, 0.3f, 0.2f, 0.9f, -0.5f, -0.2f, -0.4f, 0.3f, -0.8f, -0.4f, 0.3f, -0.5f, -0.4f,
                        -0.6f, 0.3f, -0.4f, -0.6f, -0.5f, -0.5f},
                       {-0.4f, -0.3f, -0.2f, -0.1f, -0.5f, 0.5f, -0.2f, -0.3f, -0.2f, -0.6f, 0.6f, -0.1f, -0.4f, -0.3f,
                        -0.7f, 0.7f, -0.9f, -0.5f, 0.8f, 0.6f},
                       {-0.8f, -0.4f, -0.2f, -0.9f, -0.1f, -0.7f, 0.3f, -0.3f, -0.8f, -0.2f, 0.6f, -0.2f, 0.4f, -0.7f,
                        -0.3f, -0.5f, 0.1f, 0.5f, -0.6f, -0.4f},
                       {-0.2f, -0.3f, 0.4f, 0.1f, -0.5f, 0.9f, -0.2f, -0.3f, -0.7f, 0.05f, -0.2f, -0.6f},
                       {-0.5f, -0.3f, -0.5f, -0.2f, 0.6f, 0.4f, 0.9f, 0.3f, -0.1f, 0.2f, 0.5f, 0.2f},
                       {-0.3f, 0.2f, 0.1f, -0.3f, 0.8f, -0.08f, -0.2f, 0.3f, 0.8f, -0.6f, -0.1f, 0.2f},
                       {0.3f, -0.1f, 0.1f, -0.2f, -0.5f, -0.7f, -0.2f, -0.6f, -0.1f, -0.4f, -0.7f, -0.2f},
                       {0.05f, 0.1f, 0.25f, 0.15f},
                       {-0.02f, -0.15f, -0.25f, -0.03f},
                       {0.1f, -0.1f, -0.5f, 0.05f},
                       {0.03f, 0.15f, 0.22f, 0.38f}, {0.1f, -0.3f, -0.2f, 0.1f}, {-0.05f, 0.72f, 0.25f, 0.08f},
                       {0.05f, -0.01f, 0.2f, 0.1f},
                       projection, none,
                       {0.1f, 0.2f, 0.3f, 0.5f}, {0.2f, 0.2f, 0.4f, 0.3f}, {0.7f, 0.2f, 0.3f, 0.8f},
                       {0.6f, 0.2f, 0.2f, 0.5f}},
                      input,
                      {0.0244077f, 0.128027f, -0.00170918f, -0.00692428f, 0.0848741f, 0.063445f, 0.0137642f,
                       0.140751f, 0.0395835f, -0.00403912f, 0.139963f, 0.072681f, -0.00459231f, 0.155278f,
                       0.0837377f, 0.00752706f, 0.161903f, 0.0561371f}};
  ExpectFloats(RunLstm(layer_norm), layer_norm.expected);

  // The same layer with CIFG: no input gate weights, bias, peephole or coefficients.
  LstmCase cifg_layer_norm = layer_norm;
  for (size_t k : {0u, 4u, 8u, 11u, 17u}) cifg_layer_norm.weights[k].clear();
  cifg_layer_norm.expected = {0.02129706f, 0.140816242f, 0.0112733059f, -0.0226350538f, 0.0916948169f, 0.0769175813f,
                              0.0132302344f, 0.152308047f, 0.0346313119f, -0.0269966982f, 0.149707705f, 0.094149217f,
                              -0.0123688057f, 0.165790111f, 0.0893077999f, -0.0103429332f, 0.173016444f,
                              0.0720508844f};
  ExpectFloats(RunLstm(cifg_layer_norm), cifg_layer_norm.expected);
}

// The integer UNIDIRECTIONAL_SEQUENCE_LSTM on TensorFlow Lite Micro's own
// test case (kernels/testdata/lstm_test_data.cc, 2 batches x 3 steps, 2
// inputs, 2 cells; cell_clip 6): its float weights quantized with its int8
// and 16x8 settings, the output dequantized and held to its float goldens
// within its tolerances (unidirectional_sequence_lstm_test.cc: 1e-2 for
// int8, 1e-3 for 16x8); time-major, the same values.
template <typename T>
std::vector<float> DequantizedLstmRun(const test::LstmIntCase& c, const std::vector<float>& x) {
  const auto builder = test::LstmIntModel(c, static_cast<int>(x.size()) / (c.batches * c.inputs));
  const auto y = Values<T>(RunModel(builder, {Bytes(test::QuantizeValues<T>(x, c.input_scale, c.input_zp))}));
  std::vector<float> real;
  for (T q : y) real.push_back(c.hidden_scale * static_cast<float>(q - c.hidden_zp));
  return real;
}

TEST(SingleOperator, LstmIntegerMatchesTfliteMicroGoldens) {
  const std::vector<float> x = {0.2f, 0.3f, 0.2f, 0.3f, 0.2f, 0.3f, -0.98f, 0.62f, 0.01f, 0.99f, 0.49f, -0.32f};
  const std::vector<float> expected = {0.26455893f, 0.26870455f, 0.47935803f, 0.47937014f, 0.58013272f,
                                       0.58013278f, -1.41184672e-3f, -1.43329117e-5f, 0.46887168f, 0.46891281f,
                                       0.50054074f, 0.50054148f};
  for (bool int16 : {false, true}) {
    SCOPED_TRACE(int16 ? "16x8" : "int8");
    const auto c = test::TfliteMicroLstmCase(int16);
    const auto y = int16 ? DequantizedLstmRun<int16_t>(c, x) : DequantizedLstmRun<int8_t>(c, x);
    ASSERT_EQ(y.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(y[i], expected[i], int16 ? 1e-3f : 1e-2f) << i;
    // Time-major (all batches per step) gives the same values, transposed.
    auto t = c;
    t.time_major = true;
    std::vector<float> xt, yt;
    for (int step = 0; step < 3; ++step)
      for (int batch = 0; batch < 2; ++batch)
        for (int k = 0; k < 2; ++k) xt.push_back(x[(batch * 3 + step) * 2 + k]);
    const auto z = int16 ? DequantizedLstmRun<int16_t>(t, xt) : DequantizedLstmRun<int8_t>(t, xt);
    ASSERT_EQ(z.size(), y.size());
    for (int step = 0; step < 3; ++step)
      for (int batch = 0; batch < 2; ++batch)
        for (int k = 0; k < 2; ++k) EXPECT_EQ(z[(step * 2 + batch) * 2 + k], y[(batch * 3 + step) * 2 + k]);
  }
}

// The integer LSTM, byte for byte: TFLite Micro's case and four
// pseudo-random layers (cell clipping, time-major, a 2^-11 and a 2^-15 cell
// scale) against lstm_reference.py's statement of TFLite Micro's arithmetic.
template <typename T>
void ExpectLstmReference(const test::lstm_expected::LstmReferenceCase& r) {
  const auto& c = r.layer;
  const int steps = static_cast<int>(r.x.size()) / (c.batches * c.inputs);
  const auto y = Values<T>(
      RunModel(test::LstmIntModel(c, steps), {Bytes(test::QuantizeValues<T>(r.x, c.input_scale, c.input_zp))}));
  EXPECT_EQ(std::vector<int32_t>(y.begin(), y.end()), r.y);
}

TEST(SingleOperator, LstmIntegerIsBitExactWithTheReference) {
  using namespace test::lstm_expected;
  const std::pair<const char*, const LstmReferenceCase*> cases[] = {
      {"TFLite Micro int8", &kTfliteMicroInt8},
      {"TFLite Micro 16x8", &kTfliteMicro16x8},
      {"int8, cell clipped", &kRandomInt8CellClipped},
      {"int8, time-major", &kRandomInt8TimeMajor},
      {"16x8, time-major, cell clipped", &kRandom16x8TimeMajorClipped},
      {"16x8, cell scale 2^-15", &kRandom16x8CellScale2Pow15}};
  for (const auto& [name, r] : cases) {
    SCOPED_TRACE(name);
    if (r->layer.int16)
      ExpectLstmReference<int16_t>(*r);
    else
      ExpectLstmReference<int8_t>(*r);
  }
}

}  // namespace
}  // namespace kiln
