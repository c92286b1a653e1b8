// UNIDIRECTIONAL_SEQUENCE_LSTM models (float32, and int8 / 16x8 quantized
// from float weights) for the tests: one operator, its weights constant,
// its two states variable, input x in and output y out. Shared by tests/e2e/single_operator_test.cc and the board
// test (tests/device/operator_coverage_device_test.cc).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
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

/// The LSTM operator (tanh cell) over `inputs`, x in and `out` out.
inline void AddLstmOperator(TfliteModelBuilder& b, const std::vector<int32_t>& inputs, int x, int out, bool time_major,
                            float cell_clip) {
  fb::UnidirectionalSequenceLSTMOptionsT o;
  o.fused_activation_function = fb::ActivationFunctionType::TANH;
  o.cell_clip = cell_clip;
  o.time_major = time_major;
  fb::BuiltinOptionsUnion u;
  u.Set(std::move(o));
  b.AddOperator(44, inputs, {out}, std::move(u));
  b.SetIo({x}, {out});
}

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
  AddLstmOperator(b, inputs, x, out, c.time_major, 0.0f);
  return b;
}

/// An integer LSTM in TFLite Micro's form (every gate; no peephole,
/// projection or layer norm), its float weights quantized as TFLite's
/// quantizer would, with the scales the case gives.
struct LstmIntCase {
  bool int16;  // 16x8 (int16 activations, int64 biases), else int8 (int32 biases)
  int batches, inputs, cells;
  bool time_major = false;
  float cell_clip;
  // Per gate, in the order forget, input, cell, output: input weights
  // [cells, inputs], recurrent weights [cells, cells], bias [cells], and
  // their scales (the bias's is the gate's accumulator scale).
  struct Gate {
    std::vector<float> w, r, b;
    float w_scale, r_scale, b_scale;
  };
  std::vector<Gate> gates;
  float input_scale, hidden_scale, cell_scale;
  int64_t input_zp, hidden_zp;
};

template <typename T>
std::vector<T> QuantizeValues(const std::vector<float>& values, double scale, int64_t zp) {
  std::vector<T> q;
  for (float v : values) {
    const double r = std::round(static_cast<double>(v) / scale) + static_cast<double>(zp);
    q.push_back(static_cast<T>(std::clamp(r, static_cast<double>(std::numeric_limits<T>::min()),
                                          static_cast<double>(std::numeric_limits<T>::max()))));
  }
  return q;
}

/// TensorFlow Lite Micro's integer LSTM test case (kernels/testdata/
/// lstm_test_data.cc: 2 batches, 2 inputs, 2 cells, cell_clip 6) with its
/// int8 or 16x8 quantization settings.
inline LstmIntCase TfliteMicroLstmCase(bool int16) {
  LstmIntCase c;
  c.int16 = int16;
  c.batches = 2;
  c.inputs = 2;
  c.cells = 2;
  c.cell_clip = 6;
  const float big = 0.15748031496062992f, unit = 0.007874015748031496f;
  const float big_bias = int16 ? 4.8059911474468205e-06f : 0.0012351397251814111f;
  const float unit_bias = int16 ? 2.40299557372341e-07f : 6.175698625907056e-5f;
  c.gates = {{{-10, -10, -20, -20}, {-10, -10, -20, -20}, {1, 2}, big, big, big_bias},  // forget
             {{10, 10, 20, 20}, {10, 10, 20, 20}, {-1, -2}, big, big, big_bias},        // input
             {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}, unit, unit, unit_bias},               // cell
             {{1, 1, 1, 1}, {1, 1, 1, 1}, {0, 0}, unit, unit, unit_bias}};              // output
  c.input_scale = int16 ? 3.0518044e-5f : 0.00784313725490196f;
  c.hidden_scale = int16 ? 2.1362956633198035e-05f : 0.004705882165580988f;
  c.cell_scale = 0.00024414062f;
  c.input_zp = 0;
  c.hidden_zp = int16 ? 0 : -21;
  return c;
}

inline TfliteModelBuilder LstmIntModel(const LstmIntCase& c, int steps) {
  TfliteModelBuilder b;
  const auto act = c.int16 ? fb::TensorType::INT16 : fb::TensorType::INT8;
  const auto layout = [&](int n) { return c.time_major ? Shape{steps, c.batches, n} : Shape{c.batches, steps, n}; };
  const int x = b.AddTensor("x", act, layout(c.inputs), {c.input_scale}, {c.input_zp});
  // TFLite's slots per gate: input weights 1-4, recurrent 5-8, biases 12-15,
  // in the order input, forget, cell, output; the case lists forget first.
  const int order[4] = {1, 0, 2, 3};
  std::vector<int32_t> w(4), r(4), bias(4);
  for (int k = 0; k < 4; ++k) {
    const LstmIntCase::Gate& g = c.gates[order[k]];
    const std::string n = std::to_string(k);
    w[k] = b.AddConstant<int8_t>("w" + n, fb::TensorType::INT8, {c.cells, c.inputs},
                                 QuantizeValues<int8_t>(g.w, g.w_scale, 0), {g.w_scale}, {0});
    r[k] = b.AddConstant<int8_t>("r" + n, fb::TensorType::INT8, {c.cells, c.cells},
                                 QuantizeValues<int8_t>(g.r, g.r_scale, 0), {g.r_scale}, {0});
    bias[k] = c.int16 ? b.AddConstant<int64_t>("b" + n, fb::TensorType::INT64, {c.cells},
                                               QuantizeValues<int64_t>(g.b, g.b_scale, 0), {g.b_scale}, {0})
                      : b.AddConstant<int32_t>("b" + n, fb::TensorType::INT32, {c.cells},
                                               QuantizeValues<int32_t>(g.b, g.b_scale, 0), {g.b_scale}, {0});
  }
  std::vector<int32_t> inputs = {x};
  inputs.insert(inputs.end(), w.begin(), w.end());
  inputs.insert(inputs.end(), r.begin(), r.end());
  inputs.insert(inputs.end(), {-1, -1, -1});
  inputs.insert(inputs.end(), bias.begin(), bias.end());
  inputs.insert(inputs.end(), {-1, -1});
  inputs.push_back(b.AddTensor("output_state", act, {c.batches, c.cells}, {c.hidden_scale}, {c.hidden_zp}));
  b.subgraph().tensors.back()->is_variable = true;
  inputs.push_back(b.AddTensor("cell_state", fb::TensorType::INT16, {c.batches, c.cells}, {c.cell_scale}, {0}));
  b.subgraph().tensors.back()->is_variable = true;
  inputs.insert(inputs.end(), {-1, -1, -1, -1});
  const int out = b.AddTensor("y", act, layout(c.cells), {c.hidden_scale}, {c.hidden_zp});
  AddLstmOperator(b, inputs, x, out, c.time_major, c.cell_clip);
  return b;
}

}  // namespace kiln::test
