// ONNX's quantized backend cases (QLinearConv, QLinearMatMul, QuantizeLinear,
// DequantizeLinear) byte for byte. The test data feeds weights, scales and
// zero points as graph inputs, which Kiln needs as constants (the
// conformance run reports those cases as unsupported); here every input but
// the first is bound as an initializer from the case's own input_<i>.pb, so
// the model computes the same function, and its output must equal
// output_0.pb exactly: this checks ONNX's rounding (half to even) end to end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "conformance/onnx_conformance.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

testing::AssertionResult HaveTestData() {
  return test::InstalledData(conformance::kDefaultDataDir, "libonnx-testdata");
}

onnx::ModelProto ReadModel(const fs::path& path) {
  onnx::ModelProto m;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(m.ParseFromIstream(&in)) << path;
  return m;
}

onnx::TensorProto ReadTensor(const fs::path& path) {
  onnx::TensorProto t;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(t.ParseFromIstream(&in)) << path;
  return t;
}

/// Runs case `name` of the node suite with inputs 1.. bound as constants and
/// returns Kiln's output 0 bytes next to the expected ones.
void ExpectCaseExact(const std::string& name) {
  const fs::path dir = fs::path(conformance::kDefaultDataDir) / "node" / name;
  const fs::path data = dir / "test_data_set_0";
  onnx::ModelProto model = ReadModel(dir / "model.onnx");
  auto* graph = model.mutable_graph();
  for (int i = 1; i < graph->input_size(); ++i) {
    onnx::TensorProto t = ReadTensor(data / ("input_" + std::to_string(i) + ".pb"));
    t.set_name(graph->input(i).name());
    *graph->add_initializer() = t;
  }
  const fs::path tmp = test::TempDir("onnx_quantized_" + name);
  const fs::path model_path = tmp / "model.onnx";
  {
    std::ofstream out(model_path, std::ios::binary);
    ASSERT_TRUE(model.SerializeToOstream(&out));
  }
  auto library = CompileModelFile(model_path, CodegenOptions{});
  ASSERT_TRUE(library.ok()) << name << ": " << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << name << ": " << exe.message();
  const onnx::TensorProto input = ReadTensor(data / "input_0.pb");
  ASSERT_TRUE(input.has_raw_data()) << name;
  test::WriteBytes(tmp / "in0.bin", std::vector<uint8_t>(input.raw_data().begin(), input.raw_data().end()));
  const Status ran = exe->Run({tmp / "in0.bin"}, tmp / "out");
  ASSERT_TRUE(ran.ok()) << name << ": " << ran.message();
  const onnx::TensorProto expected = ReadTensor(data / "output_0.pb");
  std::vector<uint8_t> want(expected.raw_data().begin(), expected.raw_data().end());
  if (want.empty() && expected.float_data_size() > 0) {
    want.resize(static_cast<size_t>(expected.float_data_size()) * 4);
    std::memcpy(want.data(), expected.float_data().data(), want.size());
  }
  EXPECT_EQ(test::ReadBytes(tmp / "out" / "output_0.bin"), want) << name;
}

TEST(OnnxQuantizedCases, QLinearConvIsExact) {
  ASSERT_TRUE(HaveTestData());
  ExpectCaseExact("test_qlinearconv");
}

TEST(OnnxQuantizedCases, QLinearMatMulIsExact) {
  ASSERT_TRUE(HaveTestData());
  ExpectCaseExact("test_qlinearmatmul_2D");
  ExpectCaseExact("test_qlinearmatmul_3D");
}

TEST(OnnxQuantizedCases, QuantizeAndDequantizeLinearAreExact) {
  ASSERT_TRUE(HaveTestData());
  ExpectCaseExact("test_quantizelinear");
  ExpectCaseExact("test_dequantizelinear");
}

}  // namespace
}  // namespace kiln
