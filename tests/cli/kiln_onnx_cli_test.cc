// The kiln command on ONNX models: compile, run (NCHW in and out), inspect,
// --input-shape, ops, and the exit code and message for bad models.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "onnx_model_builder.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using test::OnnxModelBuilder;
using testing::HasSubstr;

std::string Kiln() { return test::KilnBinary().string(); }

// x[N,1,2,2] -> Conv(1x1, weights 2, bias 1) -> Relu -> y: y = relu(2x + 1).
fs::path WriteConvModel(const fs::path& dir, bool dynamic_batch) {
  OnnxModelBuilder b;
  b.Input("x", {dynamic_batch ? -1 : 1, 1, 2, 2});
  b.Initializer("w", {1, 1, 1, 1}, {2.0f});
  b.Initializer("b", {1}, {1.0f});
  b.Node("Conv", {"x", "w", "b"}, {"c"});
  b.Node("Relu", {"c"}, {"y"});
  b.Output("y", {dynamic_batch ? -1 : 1, 1, 2, 2});
  const fs::path path = dir / (dynamic_batch ? "dynamic.onnx" : "conv.onnx");
  test::WriteBytes(path, b.Bytes());
  return path;
}

TEST(KilnOnnxCli, CompilesAndRunsAConvolution) {
  const fs::path dir = test::TempDir("kiln-onnx-cli");
  const fs::path model = WriteConvModel(dir, /*dynamic_batch=*/false);
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " compile " + model.string() + " -o " + (dir / "m.tar").string(), &out), 0)
      << out;
  const float x[4] = {-2.0f, -0.25f, 0.5f, 3.0f};
  std::vector<uint8_t> in(sizeof x);
  std::memcpy(in.data(), x, sizeof x);
  test::WriteBytes(dir / "in.bin", in);
  ASSERT_EQ(test::RunCommand(Kiln() + " run " + model.string() + " --input " + (dir / "in.bin").string() +
                                 " --output-dir " + (dir / "out").string(), &out), 0)
      << out;
  const std::vector<uint8_t> y = test::ReadBytes(dir / "out" / "output_0.bin");
  ASSERT_EQ(y.size(), 16u);
  float v[4];
  std::memcpy(v, y.data(), 16);
  EXPECT_FLOAT_EQ(v[0], 0.0f);
  EXPECT_FLOAT_EQ(v[1], 0.5f);
  EXPECT_FLOAT_EQ(v[2], 2.0f);
  EXPECT_FLOAT_EQ(v[3], 7.0f);
}

// x -> QuantizeLinear(scale 0.5, zero point int8 3) -> DequantizeLinear -> y:
// the QDQ pair runs on the int8 path (QUANTIZE, DEQUANTIZE kernels).
TEST(KilnOnnxCli, RunsAQuantizeDequantizePair) {
  const fs::path dir = test::TempDir("kiln-onnx-qdq");
  OnnxModelBuilder b;
  b.Input("x", {4});
  b.Initializer("s", {}, {0.5f});
  auto* zp = b.graph().add_initializer();
  zp->set_name("zp");
  zp->set_data_type(onnx::TensorProto::INT8);
  zp->add_int32_data(3);
  b.Node("QuantizeLinear", {"x", "s", "zp"}, {"q"});
  b.Node("DequantizeLinear", {"q", "s", "zp"}, {"y"});
  b.Output("y", {4});
  test::WriteBytes(dir / "qdq.onnx", b.Bytes());
  // 1.0 -> 2 + 3; -70.0 saturates at -128; 1.25 / 0.5 = 2.5 is a tie: ONNX
  // (and Kiln for ONNX models) rounds it to even (2), TFLite away from zero
  // (3); see docs/onnx.md.
  const float x[4] = {1.0f, -70.0f, 100.0f, 1.25f};
  std::vector<uint8_t> in(sizeof x);
  std::memcpy(in.data(), x, sizeof x);
  test::WriteBytes(dir / "in.bin", in);
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " run " + (dir / "qdq.onnx").string() + " --input " +
                                 (dir / "in.bin").string() + " --output-dir " + (dir / "out").string(), &out), 0)
      << out;
  float y[4];
  const std::vector<uint8_t> bytes = test::ReadBytes(dir / "out" / "output_0.bin");
  ASSERT_EQ(bytes.size(), sizeof y);
  std::memcpy(y, bytes.data(), sizeof y);
  EXPECT_FLOAT_EQ(y[0], 1.0f);
  EXPECT_FLOAT_EQ(y[1], -65.5f);  // (-128 - 3) * 0.5
  EXPECT_FLOAT_EQ(y[2], 62.0f);   // (127 - 3) * 0.5
  EXPECT_FLOAT_EQ(y[3], 1.0f);    // round_half_even(2.5) = 2
}

TEST(KilnOnnxCli, InputShapeFixesADynamicBatch) {
  const fs::path dir = test::TempDir("kiln-onnx-shape");
  const fs::path model = WriteConvModel(dir, /*dynamic_batch=*/true);
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + model.string() + " -o " + (dir / "m.tar").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("input 'x' has a dynamic dimension 'N' (axis 0); fix it with --input-shape x:D0,D1,..."));
  EXPECT_EQ(test::RunCommand(Kiln() + " inspect " + model.string() + " --input-shape x:3,1,2,2", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\"x\" float32[3,1,2,2]"));
  EXPECT_THAT(out, HasSubstr("Kiln can compile every operator of this model."));
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + model.string() + " --input-shape x:3,1,2 -o " +
                                 (dir / "m.tar").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("--input-shape x has rank 3, but the model's input has rank 4"));
}

TEST(KilnOnnxCli, BadModelsAreUserErrors) {
  const fs::path dir = test::TempDir("kiln-onnx-bad");
  test::WriteBytes(dir / "bad.onnx", std::vector<uint8_t>(64, 0xff));
  std::string out;
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (dir / "bad.onnx").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("bad.onnx: not an ONNX model: the protobuf is malformed or truncated"));
  EXPECT_FALSE(fs::exists("bad.tar"));

  OnnxModelBuilder b;
  b.Input("x", {2, 2});
  b.Node("Det", {"x"}, {"y"});
  b.Output("y", {});
  test::WriteBytes(dir / "det.onnx", b.Bytes());
  EXPECT_EQ(test::RunCommand(Kiln() + " compile " + (dir / "det.onnx").string() + " -o " +
                                 (dir / "det.tar").string(), &out), 1);
  EXPECT_THAT(out, HasSubstr("operator #0 Det: operator not supported"));
  EXPECT_FALSE(fs::exists(dir / "det.tar"));
}

TEST(KilnOnnxCli, OpsListsTheOnnxOperators) {
  std::string out;
  ASSERT_EQ(test::RunCommand(Kiln() + " ops", &out), 0);
  EXPECT_THAT(out, HasSubstr("ONNX OPERATOR"));
  EXPECT_THAT(out, HasSubstr("Conv                 CONV_2D | DEPTHWISE_CONV_2D (+ PAD)"));
  EXPECT_THAT(out, HasSubstr("BatchNormalization"));
  EXPECT_THAT(out, HasSubstr("DIV "));
}

}  // namespace
}  // namespace kiln
