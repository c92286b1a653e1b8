// UNIDIRECTIONAL_SEQUENCE_LSTM models (float32) for the tests: one
// operator, its weights constant, its two states variable, input x in and
// output y out. Shared by tests/e2e/single_operator_test.cc and the board
// test (tests/device/operator_coverage_device_test.cc).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tflite_model_builder.h"

namespace kiln::test {

/// A layer and its case: weights per TFLite input (1..17, then 20..23),
/// empty where absent; the input and the expected output, flat.
struct LstmCase {
  int batches, inputs, cells, outputs;
  bool time_major;
  std::vector<std::vector<float>> weights;  // TFLite inputs 1..17 and 20..23 in order, empty where absent
  std::vector<float> input, expected;
};

inline TfliteModelBuilder LstmModel(const LstmCase& c) {
  TfliteModelBuilder b;
  const int steps = static_cast<int>(c.input.size()) / (c.batches * c.inputs);
  const Shape in_shape = c.time_major ? Shape{steps, c.batches, c.inputs} : Shape{c.batches, steps, c.inputs};
  const Shape out_shape = c.time_major ? Shape{steps, c.batches, c.outputs} : Shape{c.batches, steps, c.outputs};
  const int x = b.AddTensor("x", fb::TensorType::FLOAT32, in_shape);
  std::vector<int32_t> inputs = {x};
  // Slot shapes: 1-4 [cells, inputs], 5-8 [cells, outputs], 9-15 [cells],
  // 16 [outputs, cells], 17 [outputs], 20-23 [cells].
  auto shape_of = [&](int slot) -> Shape {
    if (slot <= 4) return {c.cells, c.inputs};
    if (slot <= 8) return {c.cells, c.outputs};
    if (slot == 16) return {c.outputs, c.cells};
    if (slot == 17) return {c.outputs};
    return {c.cells};
  };
  const int slots[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23};
  std::vector<int32_t> ids;
  for (size_t k = 0; k < c.weights.size(); ++k)
    ids.push_back(c.weights[k].empty() ? -1
                                       : b.AddConstant<float>("w" + std::to_string(slots[k]), fb::TensorType::FLOAT32,
                                                              shape_of(slots[k]), c.weights[k]));
  inputs.insert(inputs.end(), ids.begin(), ids.begin() + 17);
  for (const auto& [name, size] : {std::pair{"output_state", c.outputs}, std::pair{"cell_state", c.cells}}) {
    inputs.push_back(b.AddTensor(name, fb::TensorType::FLOAT32, {c.batches, size}));
    b.subgraph().tensors.back()->is_variable = true;
  }
  inputs.insert(inputs.end(), ids.begin() + 17, ids.end());
  const int out = b.AddTensor("y", fb::TensorType::FLOAT32, out_shape);
  fb::UnidirectionalSequenceLSTMOptionsT o;
  o.fused_activation_function = fb::ActivationFunctionType::TANH;
  o.time_major = c.time_major;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(44, inputs, {out}, std::move(u));
  b.SetIo({x}, {out});
  return b;
}


}  // namespace kiln::test
