// The integer LSTM's check: what TensorFlow Lite Micro's integer LSTM does
// not have, and quantization it cannot compute with, refused naming the
// operator and the input at fault.
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

#include "frontend/tflite/tflite_importer.h"
#include "kernels/kernel_functions.h"
#include "lstm_models.h"

namespace kiln::test {
namespace {

Graph Imported(const TfliteModelBuilder& b) {
  auto graph = tflite::ImportTflite(b.Finish());
  EXPECT_TRUE(graph.ok()) << graph.message();
  return graph.ok() ? std::move(*graph) : Graph{};
}

const Node& Lstm(const Graph& g) {
  for (const Node& n : g.nodes)
    if (n.op == OpKind::kUnidirectionalSequenceLstm) return n;
  return g.nodes.front();
}

TEST(LstmIntCheck, AcceptsTfliteMicrosCaseInBothForms) {
  for (bool int16 : {false, true}) {
    const Graph g = Imported(LstmIntModel(TfliteMicroLstmCase(int16), 3));
    const Status s = CheckLstmInt(g, Lstm(g));
    EXPECT_TRUE(s.ok()) << s.message();
  }
}

TEST(LstmIntCheck, RefusesWhatTfliteMicroHasNot) {
  Graph g = Imported(LstmIntModel(TfliteMicroLstmCase(false), 3));
  Node& node = g.nodes[0];
  // A peephole weight where the cell has none.
  Node peephole = node;
  peephole.inputs[10] = peephole.inputs[12];
  EXPECT_EQ(CheckLstmInt(g, peephole).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: cell_to_forget_weights is given: TFLite Micro's int8 LSTM "
            "has no peephole connections, projection or layer normalization");
  // CIFG: no input gate.
  Node cifg = node;
  cifg.inputs[1] = -1;
  EXPECT_EQ(CheckLstmInt(g, cifg).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: input 1 (input_to_input_weights) is missing: TFLite Micro's "
            "int8 LSTM has no CIFG form and needs every gate");
  node.attrs.set("activation", std::string("RELU"));
  EXPECT_EQ(CheckLstmInt(g, node).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: the int8 LSTM's cell activation must be TANH (TFLite "
            "Micro's integer gates), got RELU");
}

TEST(LstmIntCheck, RefusesQuantizationItCannotComputeWith) {
  Graph g = Imported(LstmIntModel(TfliteMicroLstmCase(true), 3));
  const Node& node = g.nodes[0];
  Tensor& weights = g.tensors[static_cast<size_t>(node.inputs[2])];
  weights.quant.zero_point = {4};
  EXPECT_EQ(CheckLstmInt(g, node).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: input_to_forget_weights '" + weights.name +
                "' has zero point 4, expected 0 (symmetric weights)");
  weights.quant.zero_point = {0};
  Tensor& cell = g.tensors[static_cast<size_t>(node.inputs[19])];
  cell.quant.scale = {16.0f};
  EXPECT_EQ(CheckLstmInt(g, node).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: cell_state 'cell_state' scale 16 is too large (at most 4): "
            "tanh's input rescaling would overflow 32 bits");
  cell.quant.scale = {0.00024414062f};
  Tensor& bias = g.tensors[static_cast<size_t>(node.inputs[13])];
  const int64_t huge = int64_t{1} << 50;  // past what TFLite's 64-bit requantization assumes
  std::memcpy(bias.data.data(), &huge, sizeof huge);
  EXPECT_EQ(CheckLstmInt(g, node).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: forget_gate_bias '" + bias.name +
                "' value 1125899906842624 at 0 is outside +-2^46 (TFLite's 64-bit requantization)");
  bias.dtype = DType::kInt32;
  EXPECT_EQ(CheckLstmInt(g, node).message(),
            "operator #0 UNIDIRECTIONAL_SEQUENCE_LSTM: input 13 (forget_gate_bias '" + bias.name +
                "') has dtype int32, expected int64");
}

}  // namespace
}  // namespace kiln::test
