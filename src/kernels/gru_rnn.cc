// GRU and RNN (float32, runtime kernels gru_f32 and rnn_f32): ONNX's GRU
// and RNN in one direction, as the ONNX importer lowers them. They take the
// same inputs: the sequence, weights [gates H, I] and recurrent weights
// [gates H, H] (GRU 3 gates, RNN 1), bias [2 gates H], all constant, and an
// initial state that may be computed.
#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

enum Slot : size_t { kInput = 0, kWeights, kRecurrent, kBias, kInitialState, kSlots };

constexpr const char* kRoles[kSlots] = {"input", "weights", "recurrent_weights", "bias", "initial_state"};

int32_t Gates(const Node& node) { return node.op == OpKind::kGru ? 3 : 1; }

struct SequenceDims {
  int32_t batches, steps, n_input, n_hidden;
  bool time_major;
};

/// The sizes, read from the tensors (valid once the input is 3-D and the
/// recurrent weights 2-D).
SequenceDims ReadDims(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, kInput);
  SequenceDims d;
  d.time_major = node.attrs.get_int("time_major") != 0;
  d.steps = d.time_major ? in.shape[0] : in.shape[1];
  d.batches = d.time_major ? in.shape[1] : in.shape[0];
  d.n_input = in.shape[2];
  d.n_hidden = graph.input(node, kRecurrent)->shape[1];
  return d;
}

/// A float32 input of the given shape (constant when `constant`).
Status CheckOperand(const Graph& graph, const Node& node, size_t slot, const Shape& shape, bool constant) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kFloat32}));
  if (constant) KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, kRoles[slot]));
  const Tensor& t = *graph.input(node, slot);
  if (t.shape != shape)
    return MakeError("{}: {} '{}' has shape {}, expected {}", OpLabel(node), kRoles[slot], t.name,
                     ShapeString(t.shape), ShapeString(shape));
  return Status::Ok();
}

std::string RnnActivation(const Node& node) {
  const std::string a = node.attrs.get_string("activation", "TANH");
  return a == "TANH" ? "KILN_RNN_TANH" : a == "RELU" ? "KILN_RNN_RELU" : a == "SIGMOID" ? "KILN_RNN_SIGMOID" : "";
}

}  // namespace

Status CheckGruRnnF32(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 3, kSlots, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kInput, "input", {DType::kFloat32}));
  const Tensor& in = *graph.input(node, kInput);
  if (in.shape.size() != 3)
    return MakeError("{}: input '{}' must be 3-D ([steps, batches, inputs], or [batches, steps, inputs] when not "
                     "time_major), got shape {}",
                     OpLabel(node), in.name, ShapeString(in.shape));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kRecurrent, kRoles[kRecurrent], {DType::kFloat32}));
  const Tensor& recurrent = *graph.input(node, kRecurrent);
  const int32_t gates = Gates(node);
  if (recurrent.shape.size() != 2 || recurrent.shape[1] < 1 ||
      static_cast<int64_t>(recurrent.shape[0]) != gates * static_cast<int64_t>(recurrent.shape[1]))
    return MakeError("{}: recurrent_weights '{}' must be [{}hidden, hidden] with hidden >= 1, got shape {}",
                     OpLabel(node), recurrent.name, gates == 1 ? "" : "3 * ", ShapeString(recurrent.shape));
  const SequenceDims d = ReadDims(graph, node);
  const int32_t rows = gates * d.n_hidden;
  KILN_RETURN_IF_ERROR(CheckOperand(graph, node, kWeights, {rows, d.n_input}, true));
  KILN_RETURN_IF_ERROR(CheckOperand(graph, node, kRecurrent, {rows, d.n_hidden}, true));
  if (graph.input(node, kBias) != nullptr) KILN_RETURN_IF_ERROR(CheckOperand(graph, node, kBias, {2 * rows}, true));
  if (graph.input(node, kInitialState) != nullptr)
    KILN_RETURN_IF_ERROR(CheckOperand(graph, node, kInitialState, {d.batches, d.n_hidden}, false));
  if (!(node.attrs.get_float("clip") >= 0.0))
    return MakeError("{}: clip {} must be 0 (no clipping) or positive", OpLabel(node), node.attrs.get_float("clip"));
  if (node.op == OpKind::kRnn && RnnActivation(node).empty())
    return MakeError("{}: activation {} is not supported (TANH, RELU or SIGMOID)", OpLabel(node),
                     node.attrs.get_string("activation"));
  const Tensor& out = graph.output(node);
  const Shape expected =
      d.time_major ? Shape{d.steps, d.batches, d.n_hidden} : Shape{d.batches, d.steps, d.n_hidden};
  if (out.dtype != DType::kFloat32 || out.shape != expected)
    return MakeError("{}: output '{}' is {} {}, expected float32 {}", OpLabel(node), out.name, DTypeName(out.dtype),
                     ShapeString(out.shape), ShapeString(expected));
  return Status::Ok();
}

Status LowerGruRnnF32(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const SequenceDims d = ReadDims(graph, node);
  const bool gru = node.op == OpKind::kGru;
  const std::string kernel = gru ? "gru_f32" : "rnn_f32";
  ctx.use_kernel(kernel);
  std::vector<CField> fields = {
      {"batches", std::to_string(d.batches)},
      {"steps", std::to_string(d.steps)},
      {"n_input", std::to_string(d.n_input)},
      {"n_hidden", std::to_string(d.n_hidden)},
      {"time_major", d.time_major ? "1" : "0"},
      {"reverse", node.attrs.get_int("reverse") != 0 ? "1" : "0"}};
  if (gru)
    fields.push_back({"linear_before_reset", node.attrs.get_int("linear_before_reset") != 0 ? "1" : "0"});
  else
    fields.push_back({"activation", RnnActivation(node)});
  fields.push_back({"clip", movement::FloatLiteral(static_cast<float>(node.attrs.get_float("clip")))});
  const std::string params = ctx.unique_name(kernel + "_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", kernel), params, fields));
  auto optional = [&](size_t slot) {
    return graph.input(node, slot) != nullptr ? ctx.tensor(node.inputs[slot]) : std::string("(const float*)0");
  };
  // KILN_GRU_F32_SCRATCH_FLOATS, KILN_RNN_F32_SCRATCH_FLOATS (kiln/kernels/gru_f32.h, rnn_f32.h).
  const std::string scratch = ctx.scratch(4 * (gru ? 7 : 1) * static_cast<int64_t>(d.n_hidden));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {}, {}, {}, (float*)({}));", kernel, params,
                            ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kWeights]),
                            ctx.tensor(node.inputs[kRecurrent]), optional(kBias), optional(kInitialState),
                            ctx.tensor(node.outputs[0]), scratch));
  return Status::Ok();
}

}  // namespace kiln
