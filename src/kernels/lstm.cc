// UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (runtime kernel lstm_f32), as
// TensorFlow Lite's float LSTM step computes it: the shape and presence
// rules of its Prepare (CIFG, peephole, projection and layer norm each all
// or nothing), weights and biases constant, the two states variable. The
// integer forms (int8 and 16x8, with their int16 cell) and the hybrid one
// (int8 weights, float activations) are other kernels, not built: their
// check names what is missing.
#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

// TFLite's input indices (also the runtime's KILN_LSTM_* slots).
enum Slot : size_t {
  kInput = 0,
  kInputToInput, kInputToForget, kInputToCell, kInputToOutput,
  kRecurrentToInput, kRecurrentToForget, kRecurrentToCell, kRecurrentToOutput,
  kCellToInput, kCellToForget, kCellToOutput,
  kInputGateBias, kForgetGateBias, kCellGateBias, kOutputGateBias,
  kProjectionWeights, kProjectionBias,
  kOutputState, kCellState,
  kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm,
  kInitialOutputState, kInitialCellState,  // Kiln's own: ONNX's initial_h, initial_c (with reset_state)
  kSlots
};

constexpr const char* kRoles[kSlots] = {
    "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
    "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
    "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights", "cell_to_forget_weights",
    "cell_to_output_weights", "input_gate_bias", "forget_gate_bias", "cell_gate_bias", "output_gate_bias",
    "projection_weights", "projection_bias", "output_state", "cell_state", "input_layer_norm_coefficients",
    "forget_layer_norm_coefficients", "cell_layer_norm_coefficients", "output_layer_norm_coefficients",
    "initial_output_state", "initial_cell_state"};

/// The sizes, read from the tensors (valid after CheckLstmF32).
struct LstmDims {
  Shape::value_type batches, steps, n_input, n_cell, n_output;
  bool time_major;
};

LstmDims ReadDims(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, kInput);
  LstmDims d;
  d.time_major = node.attrs.get_int("time_major") != 0;
  d.steps = d.time_major ? in.shape[0] : in.shape[1];
  d.batches = d.time_major ? in.shape[1] : in.shape[0];
  d.n_input = in.shape[2];
  d.n_cell = graph.input(node, kInputToForget)->shape[0];
  d.n_output = graph.input(node, kRecurrentToForget)->shape[1];
  return d;
}

bool Has(const Graph& graph, const Node& node, size_t slot) { return graph.input(node, slot) != nullptr; }

/// A present input of the given shape, float32 and constant.
Status CheckWeight(const Graph& graph, const Node& node, size_t slot, const Shape& shape) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kFloat32}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, kRoles[slot]));
  const Tensor& t = *graph.input(node, slot);
  if (t.shape != shape)
    return MakeError("{}: {} '{}' has shape {}, expected {}", OpLabel(node), kRoles[slot], t.name,
                     ShapeString(t.shape), ShapeString(shape));
  return Status::Ok();
}

/// Inputs that a form of the cell (CIFG, peephole, projection, layer norm)
/// has all of, or none of.
Status CheckAllOrNone(const Graph& graph, const Node& node, std::initializer_list<size_t> slots, const char* what) {
  size_t present = 0;
  for (size_t s : slots) present += Has(graph, node, s) ? 1 : 0;
  if (present != 0 && present != slots.size()) {
    std::string names;
    for (size_t s : slots) names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", kRoles[s],
                                                Has(graph, node, s) ? "present" : "absent");
    return MakeError("{}: {} needs all of these inputs or none: {}", OpLabel(node), what, names);
  }
  return Status::Ok();
}

std::string ActivationEnum(const std::string& activation) {
  if (activation == "NONE") return "KILN_LSTM_ACT_NONE";
  if (activation == "RELU") return "KILN_LSTM_ACT_RELU";
  if (activation == "RELU_N1_TO_1") return "KILN_LSTM_ACT_RELU_N1_TO_1";
  if (activation == "RELU6") return "KILN_LSTM_ACT_RELU6";
  if (activation == "TANH") return "KILN_LSTM_ACT_TANH";
  return "";
}

}  // namespace

Status CheckLstmF32(const Graph& graph, const Node& node) {
  // A second output, ONNX's Y_c, takes the last cell state.
  KILN_RETURN_IF_ERROR(CheckArity(node, 20, kSlots, node.outputs.size() == 2 ? 2 : 1));
  for (size_t slot : {kInput, kInputToForget, kInputToCell, kInputToOutput, kRecurrentToForget, kRecurrentToCell,
                      kRecurrentToOutput, kForgetGateBias, kCellGateBias, kOutputGateBias, kOutputState, kCellState})
    if (!Has(graph, node, slot)) return MakeError("{}: input {} ({}) is missing", OpLabel(node), slot, kRoles[slot]);
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kInput, "input", {DType::kFloat32}));
  const Tensor& in = *graph.input(node, kInput);
  if (in.shape.size() != 3)
    return MakeError("{}: input '{}' must be 3-D ([batches, steps, inputs], or [steps, batches, inputs] when "
                     "time_major), got shape {}",
                     OpLabel(node), in.name, ShapeString(in.shape));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  if (node.attrs.get_int("diagonal_recurrent_tensors") != 0)
    return MakeError("{}: diagonal recurrent weights are not supported (only full recurrent matrices)",
                     OpLabel(node));
  const std::string activation = node.attrs.get_string("activation", "NONE");
  if (ActivationEnum(activation).empty())
    return MakeError("{}: cell activation {} is not supported (NONE, RELU, RELU_N1_TO_1, RELU6 or TANH)",
                     OpLabel(node), activation);
  for (const char* clip : {"cell_clip", "proj_clip"})
    if (!(node.attrs.get_float(clip) >= 0.0))
      return MakeError("{}: {} {} must be 0 (no clipping) or positive", OpLabel(node), clip,
                       node.attrs.get_float(clip));

  const Tensor& forget = *graph.input(node, kInputToForget);
  const Tensor& recurrent = *graph.input(node, kRecurrentToForget);
  if (forget.shape.size() != 2 || recurrent.shape.size() != 2)
    return MakeError("{}: the input and recurrent weights must be 2-D ([cells, inputs], [cells, outputs]): '{}' "
                     "has shape {}, '{}' {}",
                     OpLabel(node), forget.name, ShapeString(forget.shape), recurrent.name,
                     ShapeString(recurrent.shape));
  const LstmDims d = ReadDims(graph, node);
  if (d.n_cell < 1 || d.n_output < 1)
    return MakeError("{}: {} cells and {} outputs: both must be at least 1", OpLabel(node), d.n_cell, d.n_output);

  // CIFG (no input gate weights), peephole, projection, layer norm.
  KILN_RETURN_IF_ERROR(CheckAllOrNone(graph, node, {kInputToInput, kRecurrentToInput}, "the input gate"));
  const bool cifg = !Has(graph, node, kInputToInput);
  KILN_RETURN_IF_ERROR(CheckAllOrNone(graph, node, {kCellToForget, kCellToOutput}, "the peephole connections"));
  const bool peephole = Has(graph, node, kCellToForget);
  if (Has(graph, node, kCellToInput) && (cifg || !peephole))
    return MakeError("{}: cell_to_input_weights is given without an input gate with peephole connections",
                     OpLabel(node));
  if (!cifg && peephole && !Has(graph, node, kCellToInput))
    return MakeError("{}: cell_to_input_weights is missing: the input gate has peephole connections",
                     OpLabel(node));
  if (cifg == Has(graph, node, kInputGateBias))
    return MakeError("{}: input_gate_bias must be given exactly when the input gate is (not CIFG)", OpLabel(node));
  if (Has(graph, node, kProjectionBias) && !Has(graph, node, kProjectionWeights))
    return MakeError("{}: projection_bias is given without projection_weights", OpLabel(node));
  if (!Has(graph, node, kProjectionWeights) && d.n_output != d.n_cell)
    return MakeError("{}: {} outputs and {} cells: without projection_weights they must be equal", OpLabel(node),
                     d.n_output, d.n_cell);
  KILN_RETURN_IF_ERROR(CheckAllOrNone(graph, node, {kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm},
                                      "layer normalization"));
  const bool layer_norm = Has(graph, node, kForgetLayerNorm);
  if (Has(graph, node, kInputLayerNorm) != (layer_norm && !cifg))
    return MakeError("{}: input_layer_norm_coefficients must be given exactly when the layer is normalized and "
                     "has an input gate",
                     OpLabel(node));

  const Shape cell_by_input = {d.n_cell, d.n_input}, cell_by_output = {d.n_cell, d.n_output}, cells = {d.n_cell};
  const bool reset = node.attrs.get_int("reset_state") != 0;
  for (size_t slot : {kInitialOutputState, kInitialCellState}) {
    if (!Has(graph, node, slot)) continue;
    if (!reset)
      return MakeError("{}: {} is given but the states persist between runs (no reset_state)", OpLabel(node),
                       kRoles[slot]);
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kFloat32}));
    const Tensor& t = *graph.input(node, slot);
    const Shape shape = {d.batches, slot == kInitialOutputState ? d.n_output : d.n_cell};
    if (t.shape != shape)
      return MakeError("{}: {} '{}' has shape {}, expected {}", OpLabel(node), kRoles[slot], t.name,
                       ShapeString(t.shape), ShapeString(shape));
  }
  for (size_t slot = kInputToInput; slot < kInitialOutputState; ++slot) {
    if (!Has(graph, node, slot) || slot == kOutputState || slot == kCellState) continue;
    const Shape shape = slot <= kInputToOutput        ? cell_by_input
                        : slot <= kRecurrentToOutput  ? cell_by_output
                        : slot == kProjectionWeights  ? Shape{d.n_output, d.n_cell}
                        : slot == kProjectionBias     ? Shape{d.n_output}
                                                      : cells;
    KILN_RETURN_IF_ERROR(CheckWeight(graph, node, slot, shape));
  }
  for (size_t slot : {kOutputState, kCellState}) {
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kFloat32}));
    const Tensor& state = *graph.input(node, slot);
    const Shape shape = {d.batches, slot == kOutputState ? d.n_output : d.n_cell};
    if (!state.is_variable)
      return MakeError("{}: {} '{}' must be a variable tensor (it persists between runs)", OpLabel(node),
                       kRoles[slot], state.name);
    if (state.shape != shape)
      return MakeError("{}: {} '{}' has shape {}, expected {}", OpLabel(node), kRoles[slot], state.name,
                       ShapeString(state.shape), ShapeString(shape));
  }
  const Tensor& out = graph.output(node);
  const Shape expected = d.time_major ? Shape{d.steps, d.batches, d.n_output} : Shape{d.batches, d.steps, d.n_output};
  if (out.dtype != DType::kFloat32 || out.shape != expected)
    return MakeError("{}: output '{}' is {} {}, expected float32 {}", OpLabel(node), out.name, DTypeName(out.dtype),
                     ShapeString(out.shape), ShapeString(expected));
  if (node.outputs.size() == 2) {
    const Tensor& last = graph.output(node, 1);
    if (last.dtype != DType::kFloat32 || last.shape != Shape{d.batches, d.n_cell})
      return MakeError("{}: output 1 '{}' (the last cell state) is {} {}, expected float32 [{},{}]", OpLabel(node),
                       last.name, DTypeName(last.dtype), ShapeString(last.shape), d.batches, d.n_cell);
  }
  return Status::Ok();
}

Status LowerLstmF32(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const LstmDims d = ReadDims(graph, node);
  ctx.use_kernel("lstm_f32");
  const std::string params = ctx.unique_name("lstm_params");
  ctx.declare(StaticConstStruct(
      "kiln_lstm_f32_params_t", params,
      {{"batches", std::to_string(d.batches)},
       {"steps", std::to_string(d.steps)},
       {"n_input", std::to_string(d.n_input)},
       {"n_cell", std::to_string(d.n_cell)},
       {"n_output", std::to_string(d.n_output)},
       {"time_major", d.time_major ? "1" : "0"},
       {"activation", ActivationEnum(node.attrs.get_string("activation", "NONE"))},
       {"cell_clip", movement::FloatLiteral(static_cast<float>(node.attrs.get_float("cell_clip")))},
       {"proj_clip", movement::FloatLiteral(static_cast<float>(node.attrs.get_float("proj_clip")))},
       {"reset_state", node.attrs.get_int("reset_state") != 0 ? "1" : "0"}}));
  // The weights as an array indexed by TFLite's input slots, local to the
  // call: file-scope initializers could not name constants declared later.
  std::string tensors;
  for (size_t slot = 0; slot < kSlots; ++slot) {
    const bool weight = slot != kInput && slot != kOutputState && slot != kCellState && Has(graph, node, slot);
    tensors += fmt::format("{}{}", slot == 0 ? "" : ", ",
                           weight ? ctx.tensor(node.inputs[slot]) : std::string("(const float*)0"));
  }
  // KILN_LSTM_F32_SCRATCH_FLOATS (kiln/kernels/lstm_f32.h): four gates and the unprojected output.
  const std::string scratch = ctx.scratch(4 * 5 * d.n_cell);
  const std::string last_cell = node.outputs.size() == 2 ? ctx.tensor(node.outputs[1]) : "(float*)0";
  ctx.statement(fmt::format("{{ const float* const lstm_tensors[{}] = {{ {} }};\n"
                            "    kiln_lstm_f32(&{}, lstm_tensors, {}, {}, {}, {}, {}, (float*)({})); }}",
                            static_cast<size_t>(kSlots), tensors, params, ctx.tensor(node.inputs[kInput]),
                            ctx.tensor(node.inputs[kOutputState]), ctx.tensor(node.inputs[kCellState]),
                            ctx.tensor(node.outputs[0]), last_cell, scratch));
  return Status::Ok();
}

}  // namespace kiln
