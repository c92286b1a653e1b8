// ONNX LSTM, GRU and RNN against ONNX's own expected outputs
// (libonnx-testdata's test_lstm_*, test_gru_*, test_rnn_* and
// test_simple_rnn_* node cases). Those cases feed the weights as graph inputs,
// which the conformance harness leaves unbound (docs/onnx.md: it binds
// index-like inputs only); a deployed model holds them as initializers, so
// here every input but X becomes one before the import.
#include <gtest/gtest.h>

#include <fstream>

#include <onnx/onnx_pb.h>

#include "conformance/onnx_conformance.h"
#include "conformance/onnx_test_case.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/onnx/onnx_importer.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

template <typename Proto>
bool ReadProto(const fs::path& path, Proto* proto) {
  std::ifstream in(path, std::ios::binary);
  return proto->ParseFromIstream(&in);
}

class OnnxRecurrentTest : public testing::TestWithParam<std::string> {};

TEST_P(OnnxRecurrentTest, MatchesOnnxsExpectedOutputsWithWeightsAsInitializers) {
  ASSERT_TRUE(test::InstalledData(conformance::kDefaultDataDir, "libonnx-testdata"));
  const fs::path dir = fs::path(conformance::kDefaultDataDir) / "node" / GetParam();
  const fs::path data = dir / "test_data_set_0";
  onnx::ModelProto model;
  ASSERT_TRUE(ReadProto(dir / "model.onnx", &model));
  // Inputs 1.. (W, R, B, sequence_lens, initial_h, initial_c, P) as initializers.
  for (int k = 1; k < model.graph().input_size(); ++k) {
    onnx::TensorProto t;
    ASSERT_TRUE(ReadProto(data / ("input_" + std::to_string(k) + ".pb"), &t));
    t.set_name(model.graph().input(k).name());
    *model.mutable_graph()->add_initializer() = t;
  }
  const fs::path tmp = test::TempDir("onnx_recurrent_" + GetParam());
  {
    std::ofstream out(tmp / "model.onnx", std::ios::binary);
    ASSERT_TRUE(model.SerializeToOstream(&out));
  }
  auto graph = onnx_import::ImportOnnxFile(tmp / "model.onnx");
  ASSERT_TRUE(graph.ok()) << graph.message();
  ASSERT_EQ(graph->inputs.size(), 1u);  // X alone
  auto library = CompileGraph(*graph, CodegenOptions{}, "recurrent.onnx");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();
  auto x = conformance::ReadTensorFile(data / "input_0.pb");
  ASSERT_TRUE(x.ok()) << x.message();
  test::WriteBytes(tmp / "x.bin", x->tensor.data);
  ASSERT_TRUE(exe->Run({tmp / "x.bin"}, tmp / "out").ok());
  for (size_t k = 0; k < graph->outputs.size(); ++k) {
    auto expected = conformance::ReadTensorFile(data / ("output_" + std::to_string(k) + ".pb"));
    ASSERT_TRUE(expected.ok()) << expected.message();
    const std::vector<uint8_t> bytes = test::ReadBytes(tmp / "out" / ("output_" + std::to_string(k) + ".bin"));
    ASSERT_EQ(bytes.size(), expected->tensor.data.size()) << "output " << k;
    for (size_t i = 0; i < bytes.size() / 4; ++i) {
      float got, want;
      std::memcpy(&got, bytes.data() + 4 * i, 4);
      std::memcpy(&want, expected->tensor.data.data() + 4 * i, 4);
      // ONNX's backend runner's tolerance.
      EXPECT_NEAR(got, want, 1e-7 + 1e-3 * std::fabs(want)) << "output " << k << " element " << i;
    }
  }
  fs::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(Cases, OnnxRecurrentTest,
                         testing::Values("test_lstm_defaults", "test_lstm_with_initial_bias",
                                         "test_lstm_with_peepholes", "test_lstm_batchwise", "test_gru_defaults",
                                         "test_gru_with_initial_bias", "test_gru_seq_length",
                                         "test_gru_batchwise", "test_simple_rnn_defaults",
                                         "test_simple_rnn_with_initial_bias", "test_rnn_seq_length",
                                         "test_simple_rnn_batchwise"));

}  // namespace
}  // namespace kiln
