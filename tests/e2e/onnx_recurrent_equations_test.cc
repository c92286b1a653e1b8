// ONNX GRU, RNN and LSTM through the importer, the compiler and the host
// build, against ONNX's equations in double precision (tests/recurrent_models.h):
// every direction, both layouts, both forms of GRU's reset gate, RNN's three
// activations, LSTM's peepholes, clipping and initial states. Float32 against double: within 1e-5 (ONNX's backend runner
// allows 1e-3 relative). And what the importer refuses, by name.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/onnx/onnx_importer.h"
#include "recurrent_models.h"
#include "kernels/conv_test_util.h"
#include "test_support.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

std::vector<float> Pseudorandom(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  for (float& x : v) {
    seed = seed * 1103515245u + 12345u;
    x = (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f) * 4.0f;
  }
  return v;
}

struct Named {
  const char* name;
  test::RecurrentCase c;
};

void PrintTo(const Named& named, std::ostream* os) { *os << named.name; }

class OnnxRecurrentEquationsTest : public testing::TestWithParam<Named> {};

TEST_P(OnnxRecurrentEquationsTest, MatchesOnnxsEquations) {
  const test::RecurrentCase& c = GetParam().c;
  auto graph = onnx_import::ImportOnnx(test::RecurrentModel(c), {});
  ASSERT_TRUE(graph.ok()) << graph.message();
  graph->name = "gru";
  auto library = CompileGraph(*graph, CodegenOptions{}, "gru.onnx");
  ASSERT_TRUE(library.ok()) << library.message();
  auto exe = HostExecutable::Build(*library);
  ASSERT_TRUE(exe.ok()) << exe.message();

  const fs::path dir = test::TempDir(std::string("onnx_recurrent_equations_") + GetParam().name);
  const std::vector<float> x = Pseudorandom(static_cast<size_t>(c.steps * c.batches * c.inputs), c.seed + 7);
  const size_t state = static_cast<size_t>(c.directions() * c.batches * c.hidden);
  const std::vector<float> h0 = c.initial ? Pseudorandom(state, c.seed + 11) : std::vector<float>{};
  const std::vector<float> c0 = c.initial && c.lstm ? Pseudorandom(state, c.seed + 13) : std::vector<float>{};
  test::WriteBytes(dir / "x.bin", test::Bytes(x));
  std::vector<fs::path> inputs = {dir / "x.bin"};
  if (c.initial) {
    test::WriteBytes(dir / "h0.bin", test::Bytes(h0));
    inputs.push_back(dir / "h0.bin");
  }
  if (!c0.empty()) {
    test::WriteBytes(dir / "c0.bin", test::Bytes(c0));
    inputs.push_back(dir / "c0.bin");
  }
  ASSERT_TRUE(exe->Run(inputs, dir / "out").ok());
  const auto expected = test::ReferenceRecurrent(c, x, h0, c0);
  ASSERT_EQ(expected.size(), static_cast<size_t>(c.outputs()));
  for (size_t k = 0; k < expected.size(); ++k) {
    const std::vector<uint8_t> bytes = test::ReadBytes(dir / "out" / ("output_" + std::to_string(k) + ".bin"));
    ASSERT_EQ(bytes.size(), expected[k].size() * sizeof(float)) << "output " << k;
    for (size_t i = 0; i < expected[k].size(); ++i) {
      float got;
      std::memcpy(&got, bytes.data() + 4 * i, 4);
      EXPECT_NEAR(got, expected[k][i], 1e-5) << "output " << k << " element " << i;
    }
  }
  fs::remove_all(dir);
}

test::RecurrentCase Case(const char* direction, int64_t layout, int64_t linear_before_reset, float clip, bool bias,
                   bool initial, uint32_t seed) {
  test::RecurrentCase c;
  c.direction = direction;
  c.layout = layout;
  c.linear_before_reset = linear_before_reset;
  c.clip = clip;
  c.bias = bias;
  c.initial = initial;
  c.seed = seed;
  return c;
}

test::RecurrentCase Rnn(const char* activation, test::RecurrentCase c) {
  c.rnn_activation = activation;
  return c;
}

test::RecurrentCase Lstm(bool peephole, test::RecurrentCase c) {
  c.lstm = true;
  c.peephole = peephole;
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    Forms, OnnxRecurrentEquationsTest,
    testing::Values(Named{"forward", Case("forward", 0, 0, 0.0f, true, false, 1)},
                    Named{"forward_linear_before_reset_initial", Case("forward", 0, 1, 0.0f, true, true, 2)},
                    Named{"reverse_batchwise_no_bias", Case("reverse", 1, 0, 0.0f, false, false, 3)},
                    Named{"reverse_clipped_initial", Case("reverse", 0, 1, 0.5f, true, true, 4)},
                    Named{"bidirectional", Case("bidirectional", 0, 0, 0.0f, true, true, 5)},
                    Named{"bidirectional_batchwise_linear_before_reset_clipped",
                          Case("bidirectional", 1, 1, 0.75f, true, true, 6)},
                    Named{"rnn_tanh_bidirectional_initial", Rnn("Tanh", Case("bidirectional", 0, 0, 0.0f, true, true, 7))},
                    Named{"rnn_relu_reverse_batchwise", Rnn("Relu", Case("reverse", 1, 0, 0.0f, true, false, 8))},
                    Named{"rnn_sigmoid_clipped_no_bias", Rnn("Sigmoid", Case("forward", 0, 0, 0.5f, false, true, 9))},
                    Named{"lstm_reverse_peephole_initial", Lstm(true, Case("reverse", 0, 0, 0.0f, true, true, 10))},
                    Named{"lstm_bidirectional_batchwise", Lstm(false, Case("bidirectional", 1, 0, 0.0f, true, false, 11))},
                    Named{"lstm_bidirectional_peephole_initial",
                          Lstm(true, Case("bidirectional", 0, 0, 0.0f, false, true, 12))}),
    [](const testing::TestParamInfo<Named>& info) { return std::string(info.param.name); });

/// The importer's message for a GRU model changed by `edit`.
std::string ImportMessage(const std::function<void(onnx::ModelProto&)>& edit) {
  const std::vector<uint8_t> bytes = test::RecurrentModel(test::RecurrentCase{});
  onnx::ModelProto model;
  EXPECT_TRUE(model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  edit(model);
  std::string s;
  model.SerializeToString(&s);
  auto graph = onnx_import::ImportOnnx(std::vector<uint8_t>(s.begin(), s.end()), {});
  if (graph.ok()) {
    // Unsupported operators are named when the graph is compiled.
    auto library = CompileGraph(*graph, CodegenOptions{}, "gru.onnx");
    return library.ok() ? std::string() : library.message();
  }
  return graph.message();
}

TEST(OnnxRecurrentErrors, NameWhatIsRefused) {
  EXPECT_NE(ImportMessage([](onnx::ModelProto& m) {
              auto* a = m.mutable_graph()->mutable_node(0)->add_attribute();
              a->set_name("activations");
              a->set_type(onnx::AttributeProto::STRINGS);
              a->add_strings("Sigmoid");
              a->add_strings("Relu");
            }).find("activation 1 'Relu' (only Sigmoid, Tanh per direction)"),
            std::string::npos);
  EXPECT_NE(ImportMessage([](onnx::ModelProto& m) {
              m.mutable_graph()->mutable_node(0)->mutable_attribute(1)->set_s("sideways");
            }).find("direction 'sideways'"),
            std::string::npos);
  EXPECT_NE(ImportMessage([](onnx::ModelProto& m) {
              // W read from a graph input: only known when the model runs.
              auto* g = m.mutable_graph();
              g->mutable_initializer(0)->set_name("W_unused");
              auto* in = g->add_input();
              in->set_name("W");
              auto* tt = in->mutable_type()->mutable_tensor_type();
              tt->set_elem_type(onnx::TensorProto::FLOAT);
              for (int64_t d : {1, 12, 3}) tt->mutable_shape()->add_dim()->set_dim_value(d);
            }).find("computed at run time (it must be constant)"),
            std::string::npos);
  EXPECT_NE(ImportMessage([](onnx::ModelProto& m) {
              m.mutable_graph()->mutable_node(0)->mutable_attribute(0)->set_i(5);  // hidden_size 5, the weights' 4
            }).find("W has shape [1,12,3], expected [1,15,3]"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln
