// ONNX GRU, RNN and LSTM models for the tests, and ONNX's equations
// computed in double precision as their reference (written from the operator's
// specification, apart from the C kernel). Shared by tests/e2e/onnx_recurrent_equations_test.cc
// and the board test (tests/device/operator_coverage_device_test.cc).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "onnx_model_builder.h"

namespace kiln::test {

/// A GRU layer (or, with `lstm`, an LSTM; with `rnn_activation` set, an RNN
/// with that activation): its attributes, pseudo-random weights, and the
/// input X (and initial_h, and an LSTM's initial_c, when `initial`) as
/// graph inputs.
struct RecurrentCase {
  bool lstm = false;           // an LSTM (with peepholes when `peephole`), not a GRU
  bool peephole = false;
  std::string rnn_activation;  // empty: a GRU; else Tanh, Relu or Sigmoid
  std::string direction = "forward";
  int64_t layout = 0, linear_before_reset = 0;
  float clip = 0.0f;  // 0: no clip attribute
  bool bias = true, initial = false;
  int64_t steps = 3, batches = 2, inputs = 3, hidden = 4;
  uint32_t seed = 1;

  int64_t directions() const { return direction == "bidirectional" ? 2 : 1; }
  int64_t gates() const { return lstm ? 4 : rnn_activation.empty() ? 3 : 1; }
  int64_t outputs() const { return lstm ? 3 : 2; }
};

/// The case's weights W, R and B (ONNX's layouts, flat), deterministic.
struct RecurrentWeights {
  std::vector<float> w, r, b, p;  // p: an LSTM's peepholes
};

inline RecurrentWeights MakeRecurrentWeights(const RecurrentCase& c) {
  uint32_t seed = c.seed;
  auto next = [&] {  // in [-0.6, 0.6)
    seed = seed * 1664525u + 1013904223u;
    return (static_cast<float>(seed >> 8) / 16777216.0f - 0.5f) * 1.2f;
  };
  RecurrentWeights g;
  const int64_t d = c.directions(), h = c.hidden, gates = c.gates();
  for (int64_t i = 0; i < d * gates * h * c.inputs; ++i) g.w.push_back(next());
  for (int64_t i = 0; i < d * gates * h * h; ++i) g.r.push_back(next());
  if (c.bias)
    for (int64_t i = 0; i < d * 2 * gates * h; ++i) g.b.push_back(next());
  if (c.peephole)
    for (int64_t i = 0; i < d * 3 * h; ++i) g.p.push_back(next());
  return g;
}

/// The ONNX model: inputs X (and initial_h, and an LSTM's initial_c),
/// constant W, R, B (and an LSTM's P), outputs Y and Y_h (and an LSTM's Y_c).
inline std::vector<uint8_t> RecurrentModel(const RecurrentCase& c) {
  OnnxModelBuilder b(14);
  const int64_t d = c.directions(), h = c.hidden, gates = c.gates();
  const RecurrentWeights g = MakeRecurrentWeights(c);
  b.Input("X", c.layout == 0 ? std::vector<int64_t>{c.steps, c.batches, c.inputs}
                             : std::vector<int64_t>{c.batches, c.steps, c.inputs});
  b.Initializer("W", {d, gates * h, c.inputs}, g.w);
  b.Initializer("R", {d, gates * h, h}, g.r);
  if (c.bias) b.Initializer("B", {d, 2 * gates * h}, g.b);
  if (c.peephole) b.Initializer("P", {d, 3 * h}, g.p);
  const std::vector<int64_t> state = c.layout == 0 ? std::vector<int64_t>{d, c.batches, h} : std::vector<int64_t>{c.batches, d, h};
  if (c.initial) b.Input("initial_h", state);
  if (c.initial && c.lstm) b.Input("initial_c", state);
  std::vector<std::string> inputs = {"X", "W", "R", c.bias ? "B" : "", "", c.initial ? "initial_h" : ""};
  if (c.lstm) inputs.insert(inputs.end(), {c.initial ? "initial_c" : "", c.peephole ? "P" : ""});
  onnx::NodeProto* n = b.Node(c.lstm ? "LSTM" : c.rnn_activation.empty() ? "GRU" : "RNN", inputs,
                               c.lstm ? std::vector<std::string>{"Y", "Y_h", "Y_c"} : std::vector<std::string>{"Y", "Y_h"});
  OnnxModelBuilder::Int(n, "hidden_size", h);
  OnnxModelBuilder::String(n, "direction", c.direction);
  OnnxModelBuilder::Int(n, "layout", c.layout);
  if (c.lstm) {
  } else if (c.rnn_activation.empty()) {
    OnnxModelBuilder::Int(n, "linear_before_reset", c.linear_before_reset);
  } else {
    auto* a = n->add_attribute();
    a->set_name("activations");
    a->set_type(onnx::AttributeProto::STRINGS);
    for (int64_t k = 0; k < d; ++k) a->add_strings(c.rnn_activation);
  }
  if (c.clip > 0.0f) OnnxModelBuilder::Float(n, "clip", c.clip);
  b.Output("Y", c.layout == 0 ? std::vector<int64_t>{c.steps, d, c.batches, h} : std::vector<int64_t>{c.batches, c.steps, d, h});
  b.Output("Y_h", state);
  if (c.lstm) b.Output("Y_c", state);
  return b.Bytes();
}

/// Y and Y_h (and an LSTM's Y_c) by ONNX's equations, for input x and
/// initial_h `h0` (empty: zeros; an LSTM's initial_c is `c0`), in the
/// case's layout.
inline std::vector<std::vector<double>> ReferenceRecurrent(const RecurrentCase& c, const std::vector<float>& x,
                                                     const std::vector<float>& h0, const std::vector<float>& c0 = {}) {
  const RecurrentWeights g = MakeRecurrentWeights(c);
  const int64_t dirs = c.directions(), H = c.hidden, T = c.steps, B = c.batches, I = c.inputs;
  auto X = [&](int64_t t, int64_t b, int64_t i) {
    return static_cast<double>(x[static_cast<size_t>(c.layout == 0 ? (t * B + b) * I + i : (b * T + t) * I + i)]);
  };
  auto y_at = [&](int64_t t, int64_t d, int64_t b, int64_t k) {
    return static_cast<size_t>(c.layout == 0 ? ((t * dirs + d) * B + b) * H + k : ((b * T + t) * dirs + d) * H + k);
  };
  auto yh_at = [&](int64_t d, int64_t b, int64_t k) {
    return static_cast<size_t>(c.layout == 0 ? (d * B + b) * H + k : (b * dirs + d) * H + k);
  };
  auto clip = [&](double v) { return c.clip > 0.0f ? std::fmax(-c.clip, std::fmin(static_cast<double>(c.clip), v)) : v; };
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  std::vector<double> y(static_cast<size_t>(T * dirs * B * H)), yh(static_cast<size_t>(dirs * B * H)),
      yc(static_cast<size_t>(dirs * B * H));
  for (int64_t d = 0; d < dirs; ++d) {
    const bool reverse = d == 1 || c.direction == "reverse";
    // Gate g's row k: W[d][g*H + k][.], R[d][g*H + k][.], Wb[d][g*H + k], Rb[d][g*H + k].
    auto W = [&](int64_t gate, int64_t k, int64_t i) { return static_cast<double>(g.w[static_cast<size_t>(((d * c.gates() + gate) * H + k) * I + i)]); };
    auto R = [&](int64_t gate, int64_t k, int64_t j) { return static_cast<double>(g.r[static_cast<size_t>(((d * c.gates() + gate) * H + k) * H + j)]); };
    const int64_t G = c.gates();
    auto Wb = [&](int64_t gate, int64_t k) { return c.bias ? static_cast<double>(g.b[static_cast<size_t>(d * 2 * G * H + gate * H + k)]) : 0.0; };
    auto Rb = [&](int64_t gate, int64_t k) { return c.bias ? static_cast<double>(g.b[static_cast<size_t>(d * 2 * G * H + (G + gate) * H + k)]) : 0.0; };
    for (int64_t b = 0; b < B; ++b) {
      std::vector<double> h(static_cast<size_t>(H), 0.0), cell(static_cast<size_t>(H), 0.0);
      if (!h0.empty())
        for (int64_t k = 0; k < H; ++k) h[static_cast<size_t>(k)] = h0[yh_at(d, b, k)];
      if (!c0.empty())
        for (int64_t k = 0; k < H; ++k) cell[static_cast<size_t>(k)] = c0[yh_at(d, b, k)];
      for (int64_t s = 0; s < T; ++s) {
        const int64_t t = reverse ? T - 1 - s : s;
        std::vector<double> z(static_cast<size_t>(H)), r(static_cast<size_t>(H)), next(static_cast<size_t>(H));
        if (G == 4) {  // LSTM, gates i, o, f, c; peepholes i, o, f
          auto P = [&](int64_t gate, int64_t k) {
            return c.peephole ? static_cast<double>(g.p[static_cast<size_t>((d * 3 + gate) * H + k)]) : 0.0;
          };
          auto gate_sum = [&](int64_t gate, int64_t k) {
            double sum = Wb(gate, k) + Rb(gate, k);
            for (int64_t i = 0; i < I; ++i) sum += W(gate, k, i) * X(t, b, i);
            for (int64_t j = 0; j < H; ++j) sum += R(gate, k, j) * h[static_cast<size_t>(j)];
            return sum;
          };
          std::vector<double> o(static_cast<size_t>(H));
          for (int64_t k = 0; k < H; ++k) {
            const size_t kk = static_cast<size_t>(k);
            const double in_gate = sigmoid(gate_sum(0, k) + P(0, k) * cell[kk]);
            const double forget = sigmoid(gate_sum(2, k) + P(2, k) * cell[kk]);
            const double candidate = std::tanh(gate_sum(3, k));
            next[kk] = forget * cell[kk] + in_gate * candidate;  // the new cell state
            o[kk] = gate_sum(1, k);
          }
          for (int64_t k = 0; k < H; ++k) {
            const size_t kk = static_cast<size_t>(k);
            cell[kk] = next[kk];
            o[kk] = sigmoid(o[kk] + P(1, k) * cell[kk]) * std::tanh(cell[kk]);
          }
          h = o;
          for (int64_t k = 0; k < H; ++k) y[y_at(t, d, b, k)] = h[static_cast<size_t>(k)];
          continue;
        }
        if (G == 1) {  // RNN: h = f(W x + R h + Wb + Rb)
          for (int64_t k = 0; k < H; ++k) {
            double sum = Wb(0, k) + Rb(0, k);
            for (int64_t i = 0; i < I; ++i) sum += W(0, k, i) * X(t, b, i);
            for (int64_t j = 0; j < H; ++j) sum += R(0, k, j) * h[static_cast<size_t>(j)];
            sum = clip(sum);
            next[static_cast<size_t>(k)] = c.rnn_activation == "Relu"      ? std::fmax(sum, 0.0)
                                           : c.rnn_activation == "Sigmoid" ? sigmoid(sum)
                                                                           : std::tanh(sum);
          }
          h = next;
          for (int64_t k = 0; k < H; ++k) y[y_at(t, d, b, k)] = h[static_cast<size_t>(k)];
          continue;
        }
        for (int64_t k = 0; k < H; ++k) {
          double zs = Wb(0, k) + Rb(0, k), rs = Wb(1, k) + Rb(1, k);
          for (int64_t i = 0; i < I; ++i) zs += W(0, k, i) * X(t, b, i), rs += W(1, k, i) * X(t, b, i);
          for (int64_t j = 0; j < H; ++j) zs += R(0, k, j) * h[static_cast<size_t>(j)], rs += R(1, k, j) * h[static_cast<size_t>(j)];
          z[static_cast<size_t>(k)] = sigmoid(clip(zs));
          r[static_cast<size_t>(k)] = sigmoid(clip(rs));
        }
        for (int64_t k = 0; k < H; ++k) {
          double ns = Wb(2, k);
          for (int64_t i = 0; i < I; ++i) ns += W(2, k, i) * X(t, b, i);
          double recurrent = Rb(2, k);
          for (int64_t j = 0; j < H; ++j)
            recurrent += R(2, k, j) * (c.linear_before_reset ? 1.0 : r[static_cast<size_t>(j)]) * h[static_cast<size_t>(j)];
          ns += c.linear_before_reset ? r[static_cast<size_t>(k)] * recurrent : recurrent;
          const double n = std::tanh(clip(ns));
          next[static_cast<size_t>(k)] = (1.0 - z[static_cast<size_t>(k)]) * n + z[static_cast<size_t>(k)] * h[static_cast<size_t>(k)];
        }
        h = next;
        for (int64_t k = 0; k < H; ++k) y[y_at(t, d, b, k)] = h[static_cast<size_t>(k)];
      }
      for (int64_t k = 0; k < H; ++k) yh[yh_at(d, b, k)] = h[static_cast<size_t>(k)];
      for (int64_t k = 0; k < H; ++k) yc[yh_at(d, b, k)] = cell[static_cast<size_t>(k)];
    }
  }
  if (c.lstm) return {y, yh, yc};
  return {y, yh};
}

}  // namespace kiln::test
