// passes/fuse_qdq.cc: on hand-built QDQ graphs (ONNX Runtime's format),
// which patterns become int8 operators and which keep the float path; and,
// end to end, a small QDQ network compiled both ways, the int8 outputs
// within one quantization step of the float path's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/onnx/onnx_importer.h"
#include "ir/op_table.h"
#include "kernels/select_kernels.h"
#include "onnx_model_builder.h"
#include "passes/onnx_passes.h"
#include "test_support.h"

namespace kiln {
namespace {

using test::OnnxModelBuilder;
using testing::ElementsAre;

using test::Ops;

/// An initializer of any element type from raw little-endian bytes.
template <typename T>
void Raw(OnnxModelBuilder& b, const std::string& name, const std::vector<int64_t>& dims, int32_t elem,
         const std::vector<T>& values) {
  auto* t = b.graph().add_initializer();
  t->set_name(name);
  t->set_data_type(elem);
  for (int64_t d : dims) t->add_dims(d);
  std::string bytes(values.size() * sizeof(T), '\0');
  std::memcpy(bytes.data(), values.data(), bytes.size());
  t->set_raw_data(bytes);
}

void Scale(OnnxModelBuilder& b, const std::string& name, float v) { Raw<float>(b, name, {}, onnx::TensorProto::FLOAT, {v}); }
void ZeroU8(OnnxModelBuilder& b, const std::string& name, uint8_t v) {
  Raw<uint8_t>(b, name, {}, onnx::TensorProto::UINT8, {v});
}
void ZeroS8(OnnxModelBuilder& b, const std::string& name, int8_t v) {
  Raw<int8_t>(b, name, {}, onnx::TensorProto::INT8, {v});
}

/// QuantizeLinear then DequantizeLinear of `x` with scale/zero point
/// initializers `s`/`z`: returns the dequantized name.
std::string QDQ(OnnxModelBuilder& b, const std::string& x, const std::string& s, const std::string& z) {
  b.Node("QuantizeLinear", {x, s, z}, {x + "_q"});
  b.Node("DequantizeLinear", {x + "_q", s, z}, {x + "_dq"});
  return x + "_dq";
}

constexpr float kXs = 0.05f, kWs0 = 0.02f, kWs1 = 0.03f, kYs = 0.1f;

/// x[1,2,4,4] -> Q/DQ (uint8) -> Conv(w int8 per-channel [2,2,3,3], bias
/// int32, pads 1) -> Q/DQ (uint8) -> y. `bias_scale` lets a test break the
/// bias' scale.
OnnxModelBuilder QdqConv(float bias_scale_factor = 1.0f) {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 4, 4});
  Scale(b, "xs", kXs);
  ZeroU8(b, "xz", 128);
  std::vector<int8_t> w(2 * 2 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 255) - 127);
  Raw<int8_t>(b, "w", {2, 2, 3, 3}, onnx::TensorProto::INT8, w);
  Raw<float>(b, "ws", {2}, onnx::TensorProto::FLOAT, {kWs0, kWs1});
  Raw<int8_t>(b, "wz", {2}, onnx::TensorProto::INT8, {0, 0});
  Raw<int32_t>(b, "b", {2}, onnx::TensorProto::INT32, {100, -250});
  Raw<float>(b, "bs", {2}, onnx::TensorProto::FLOAT, {kXs * kWs0 * bias_scale_factor, kXs * kWs1});
  Raw<int32_t>(b, "bz", {2}, onnx::TensorProto::INT32, {0, 0});
  Scale(b, "ys", kYs);
  ZeroU8(b, "yz", 120);
  const std::string xd = QDQ(b, "x", "xs", "xz");
  OnnxModelBuilder::Int(b.Node("DequantizeLinear", {"w", "ws", "wz"}, {"wd"}), "axis", 0);
  OnnxModelBuilder::Int(b.Node("DequantizeLinear", {"b", "bs", "bz"}, {"bd"}), "axis", 0);
  OnnxModelBuilder::Ints(b.Node("Conv", {xd, "wd", "bd"}, {"c"}), "pads", {1, 1, 1, 1});
  b.Node("QuantizeLinear", {"c", "ys", "yz"}, {"c_q"});
  b.Node("DequantizeLinear", {"c_q", "ys", "yz"}, {"y"});
  b.Output("y", {1, 2, 4, 4});
  return b;
}

using test::ImportRaw;

const Node* FindOp(const Graph& g, OpKind op) {
  for (const Node& n : g.nodes)
    if (n.op == op) return &n;
  return nullptr;
}

TEST(FuseQdq, ConvBetweenDequantizeAndQuantizeBecomesInt8) {
  Graph g = ImportRaw(QdqConv());
  EXPECT_THAT(Ops(g), ElementsAre("QUANTIZE", "DEQUANTIZE", "CONV_2D", "QUANTIZE", "DEQUANTIZE"));
  EXPECT_EQ(FuseQdq(&g), 1);
  ASSERT_TRUE(RemoveDeadCode(&g).ok());
  // x -> uint8 -> int8 (exact shift) -> int8 conv -> uint8 -> float.
  EXPECT_THAT(Ops(g), ElementsAre("QUANTIZE", "QUANTIZE", "CONV_2D", "QUANTIZE", "DEQUANTIZE"));
  const Node* conv = FindOp(g, OpKind::kConv2D);
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->attrs.get_string("rounding"), "HALF_EVEN");
  const Tensor& x = g.tensor(conv->inputs[0]);
  const Tensor& w = g.tensor(conv->inputs[1]);
  const Tensor& bias = g.tensor(conv->inputs[2]);
  const Tensor& y = g.output(*conv);
  EXPECT_EQ(x.dtype, DType::kInt8);
  EXPECT_EQ(x.quant.zero_point[0], 0);  // uint8 128 - 128
  EXPECT_EQ(w.dtype, DType::kInt8);
  EXPECT_EQ(w.quant.scale, (std::vector<float>{kWs0, kWs1}));
  EXPECT_EQ(w.int_at(0), -127);
  EXPECT_EQ(w.int_at(1), 37 - 127);
  EXPECT_EQ(bias.dtype, DType::kInt32);
  EXPECT_EQ(bias.int_at(0), 100);
  EXPECT_EQ(bias.int_at(1), -250);
  EXPECT_EQ(y.dtype, DType::kInt8);
  EXPECT_EQ(y.quant.zero_point[0], 120 - 128);
  int float_tensors = 0;  // the graph's input x and output y stay float
  for (const Tensor& t : g.tensors) {
    if (t.dtype == DType::kFloat32) {
      EXPECT_TRUE(t.quant.empty()) << t.name;
      ++float_tensors;
    }
  }
  EXPECT_GE(float_tensors, 2);
}

TEST(FuseQdq, FusedGraphPassesEveryKernelCheck) {
  onnx_import::OnnxImportOptions options;
  auto g = onnx_import::ImportOnnx(QdqConv().Bytes(), options);
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_NE(FindOp(*g, OpKind::kConv2D), nullptr);
  EXPECT_EQ(g->tensor(FindOp(*g, OpKind::kConv2D)->inputs[0]).dtype, DType::kInt8);
  EXPECT_TRUE(SelectKernels(*g).ok());
}

TEST(FuseQdq, BiasWithAnotherScaleKeepsTheFloatPath) {
  Graph g = ImportRaw(QdqConv(/*bias_scale_factor=*/2.0f));
  EXPECT_EQ(FuseQdq(&g), 0);
  EXPECT_EQ(g.tensor(FindOp(g, OpKind::kConv2D)->inputs[0]).dtype, DType::kFloat32);
}

TEST(FuseQdq, TwoReadersOfTheFloatResultKeepTheFloatPath) {
  OnnxModelBuilder b = QdqConv();
  b.Node("Relu", {"c"}, {"r"});
  b.Output("r", {1, 2, 4, 4});
  Graph g = ImportRaw(b);
  EXPECT_EQ(FuseQdq(&g), 0);
}

TEST(FuseQdq, WeightsThatAreNotConstantKeepTheFloatPath) {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 4, 4});
  b.Input("w", {2, 2, 3, 3});
  Scale(b, "s", 0.1f);
  ZeroS8(b, "z", 0);
  const std::string xd = QDQ(b, "x", "s", "z");
  const std::string wd = QDQ(b, "w", "s", "z");
  b.Node("Conv", {xd, wd}, {"c"});
  b.Node("QuantizeLinear", {"c", "s", "z"}, {"c_q"});
  b.Node("DequantizeLinear", {"c_q", "s", "z"}, {"y"});
  b.Output("y", {1, 2, 2, 2});
  Graph g = ImportRaw(b);
  EXPECT_EQ(FuseQdq(&g), 0);
}

TEST(FuseQdq, ConstantChangedAfterDequantizeIsNotTakenForIntegers) {
  // Gemm's alpha scales the (dequantized) weights at import: they are no
  // longer scale * (q - zp), so the float path stays.
  OnnxModelBuilder b;
  b.Input("x", {1, 4});
  Scale(b, "s", 0.1f);
  ZeroS8(b, "z", 0);
  Raw<int8_t>(b, "w", {3, 4}, onnx::TensorProto::INT8, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const std::string xd = QDQ(b, "x", "s", "z");
  b.Node("DequantizeLinear", {"w", "s", "z"}, {"wd"});
  auto* gemm = b.Node("Gemm", {xd, "wd"}, {"m"});
  OnnxModelBuilder::Int(gemm, "transB", 1);
  OnnxModelBuilder::Float(gemm, "alpha", 0.3f);
  b.Node("QuantizeLinear", {"m", "s", "z"}, {"m_q"});
  b.Node("DequantizeLinear", {"m_q", "s", "z"}, {"y"});
  b.Output("y", {1, 3});
  Graph g = ImportRaw(b);
  EXPECT_EQ(FuseQdq(&g), 0);
  // Without alpha it fuses onto FULLY_CONNECTED.
  gemm->mutable_attribute()->RemoveLast();
  Graph g2 = ImportRaw(b);
  EXPECT_EQ(FuseQdq(&g2), 1);
  EXPECT_EQ(g2.tensor(FindOp(g2, OpKind::kFullyConnected)->inputs[1]).dtype, DType::kInt8);
}

TEST(FuseQdq, ImportOptionKeepsTheFloatPath) {
  onnx_import::OnnxImportOptions options;
  options.fuse_qdq = false;
  auto g = onnx_import::ImportOnnx(QdqConv().Bytes(), options);
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_EQ(g->tensor(FindOp(*g, OpKind::kConv2D)->inputs[0]).dtype, DType::kFloat32);
  int float_tensors = 0;
  for (const Tensor& t : g->tensors) {
    if (t.dtype == DType::kFloat32) {
      EXPECT_TRUE(t.quant.empty()) << t.name;
      ++float_tensors;
    }
  }
  EXPECT_GT(float_tensors, 0);
}

// --- end to end --------------------------------------------------------------

/// A small QDQ network as ONNX Runtime's static quantizer writes one:
/// x[1,2,6,6] -> Conv 3x3 (2->4, per-channel int8 weights, int32 bias) ->
/// Relu -> MaxPool 2x2 -> Reshape [1,36] -> Gemm (36->5, int8 weights,
/// int32 bias) -> y[1,5], every activation through QuantizeLinear /
/// DequantizeLinear (uint8).
OnnxModelBuilder QdqNetwork() {
  OnnxModelBuilder b;
  b.Input("x", {1, 2, 6, 6});
  const float xs = 0.02f, cs = 0.04f, ms = 0.05f;
  Scale(b, "xs", xs);
  ZeroU8(b, "xz", 128);
  Scale(b, "cs", cs);
  ZeroU8(b, "cz", 0);  // after Relu the quantizer picks zero point 0
  Scale(b, "ms", ms);
  ZeroU8(b, "mz", 131);
  std::vector<int8_t> w1(4 * 2 * 3 * 3), w2(5 * 36);
  for (size_t i = 0; i < w1.size(); ++i) w1[i] = static_cast<int8_t>(static_cast<int>((i * 53 + 7) % 255) - 127);
  for (size_t i = 0; i < w2.size(); ++i) w2[i] = static_cast<int8_t>(static_cast<int>((i * 29 + 3) % 201) - 100);
  const std::vector<float> w1s = {0.004f, 0.0035f, 0.005f, 0.0042f};
  const float w2s = 0.003f;
  Raw<int8_t>(b, "w1", {4, 2, 3, 3}, onnx::TensorProto::INT8, w1);
  Raw<float>(b, "w1s", {4}, onnx::TensorProto::FLOAT, w1s);
  Raw<int8_t>(b, "w1z", {4}, onnx::TensorProto::INT8, {0, 0, 0, 0});
  Raw<int32_t>(b, "b1", {4}, onnx::TensorProto::INT32, {150, -320, 40, 0});
  Raw<float>(b, "b1s", {4}, onnx::TensorProto::FLOAT, {xs * w1s[0], xs * w1s[1], xs * w1s[2], xs * w1s[3]});
  Raw<int8_t>(b, "w2", {5, 36}, onnx::TensorProto::INT8, w2);
  Scale(b, "w2s", w2s);
  ZeroS8(b, "w2z", 0);
  Raw<int32_t>(b, "b2", {5}, onnx::TensorProto::INT32, {500, -1200, 0, 75, 3000});
  Scale(b, "b2s", cs * w2s);
  Raw<int32_t>(b, "b2z", {}, onnx::TensorProto::INT32, {0});
  Raw<int64_t>(b, "flat", {2}, onnx::TensorProto::INT64, {1, 36});

  const std::string xd = QDQ(b, "x", "xs", "xz");
  OnnxModelBuilder::Int(b.Node("DequantizeLinear", {"w1", "w1s", "w1z"}, {"w1d"}), "axis", 0);
  OnnxModelBuilder::Int(b.Node("DequantizeLinear", {"b1", "b1s"}, {"b1d"}), "axis", 0);
  OnnxModelBuilder::Ints(b.Node("Conv", {xd, "w1d", "b1d"}, {"conv"}), "pads", {1, 1, 1, 1});
  const std::string convd = QDQ(b, "conv", "cs", "cz");
  b.Node("Relu", {convd}, {"relu"});
  const std::string relud = QDQ(b, "relu", "cs", "cz");
  auto* pool = b.Node("MaxPool", {relud}, {"pool"});
  OnnxModelBuilder::Ints(pool, "kernel_shape", {2, 2});
  OnnxModelBuilder::Ints(pool, "strides", {2, 2});
  const std::string poold = QDQ(b, "pool", "cs", "cz");
  b.Node("Reshape", {poold, "flat"}, {"flat_out"});
  const std::string flatd = QDQ(b, "flat_out", "cs", "cz");
  b.Node("DequantizeLinear", {"w2", "w2s", "w2z"}, {"w2d"});
  b.Node("DequantizeLinear", {"b2", "b2s", "b2z"}, {"b2d"});
  OnnxModelBuilder::Int(b.Node("Gemm", {flatd, "w2d", "b2d"}, {"gemm"}), "transB", 1);
  b.Node("QuantizeLinear", {"gemm", "ms", "mz"}, {"gemm_q"});
  b.Node("DequantizeLinear", {"gemm_q", "ms", "mz"}, {"y"});
  b.Output("y", {1, 5});
  return b;
}

std::vector<float> RunModel(const std::filesystem::path& model, const std::filesystem::path& input, bool fuse,
                            const std::filesystem::path& out_dir, Graph* graph_out) {
  onnx_import::OnnxImportOptions options;
  options.fuse_qdq = fuse;
  auto graph = onnx_import::ImportOnnx(test::ReadBytes(model), options);
  EXPECT_TRUE(graph.ok()) << graph.message();
  if (!graph.ok()) return {};
  *graph_out = *graph;
  auto library = CompileGraph(*graph, CodegenOptions{}, "model.onnx");
  EXPECT_TRUE(library.ok()) << library.message();
  if (!library.ok()) return {};
  auto exe = HostExecutable::Build(*library);
  EXPECT_TRUE(exe.ok()) << exe.message();
  if (!exe.ok()) return {};
  const Status ran = exe->Run({input}, out_dir);
  EXPECT_TRUE(ran.ok()) << ran.message();
  const std::vector<uint8_t> bytes = test::ReadBytes(out_dir / "output_0.bin");
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

// Why one step: the float path computes each layer in float32 and rounds
// once (QuantizeLinear, half to even); the int8 path computes the same sum
// exactly in int32 and rounds once. They can differ only where the float
// result lies within float32 rounding error of a rounding boundary, by one
// step; with the inputs below no such difference reaches the output by
// more than one step of the output's scale.
TEST(FuseQdqEndToEnd, Int8OutputWithinOneStepOfTheFloatPath) {
  const std::filesystem::path dir = test::TempDir("fuse_qdq_e2e");
  const std::filesystem::path model = dir / "qdq.onnx";
  test::WriteBytes(model, QdqNetwork().Bytes());
  std::vector<float> x(2 * 6 * 6);
  for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i) * 0.7f) * 2.3f;
  std::vector<uint8_t> in_bytes(x.size() * 4);
  std::memcpy(in_bytes.data(), x.data(), in_bytes.size());
  test::WriteBytes(dir / "x.bin", in_bytes);

  Graph fused, plain;
  const std::vector<float> int8 = RunModel(model, dir / "x.bin", true, dir / "int8", &fused);
  const std::vector<float> ref = RunModel(model, dir / "x.bin", false, dir / "float", &plain);
  // The fused graph runs int8 CONV_2D, RELU, MAX_POOL_2D, RESHAPE and
  // FULLY_CONNECTED; the float one keeps them float32.
  for (OpKind op : {OpKind::kConv2D, OpKind::kMaxPool2D, OpKind::kFullyConnected}) {
    ASSERT_NE(FindOp(fused, op), nullptr);
    EXPECT_EQ(fused.tensor(FindOp(fused, op)->inputs[0]).dtype, DType::kInt8) << static_cast<int>(op);
    EXPECT_EQ(plain.tensor(FindOp(plain, op)->inputs[0]).dtype, DType::kFloat32) << static_cast<int>(op);
  }
  ASSERT_EQ(int8.size(), 5u);
  ASSERT_EQ(ref.size(), 5u);
  int exact = 0;
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_LE(std::fabs(int8[i] - ref[i]), 0.05f * 1.0001f) << i << ": " << int8[i] << " vs " << ref[i];
    exact += int8[i] == ref[i];
  }
  RecordProperty("outputs_equal_to_the_float_path", exact);
  // Not a degenerate network: outputs vary and most agree exactly.
  EXPECT_NE(ref[0], ref[1]);
  EXPECT_GE(exact, 3);
}

}  // namespace
}  // namespace kiln
