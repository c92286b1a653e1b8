// UNIDIRECTIONAL_SEQUENCE_LSTM.
// - float32 (runtime kernel lstm_f32), as TensorFlow Lite's float LSTM step
//   computes it: the shape and presence rules of its Prepare (CIFG,
//   peephole, projection and layer norm each all or nothing), weights and
//   biases constant, the two states variable.
// - int8 and 16x8 (lstm_int), as TensorFlow Lite Micro's integer LSTM: the
//   standard cell only, an int16 cell state, and the fixed-point parameters
//   of its PrepareGateParametersInteger and CreateLstmCellStateInfo.
// The hybrid form (int8 weights, float activations) is not built.
#include <algorithm>

#include <fmt/format.h>

#include "kernels/elementwise_util.h"
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

/// The integer LSTM's gates in the kernel's order (KILN_LSTM_INT_FORGET,
/// ..._INPUT, ..._CELL, ..._OUTPUT): input weights, recurrent weights, bias.
constexpr size_t kIntGateSlots[4][3] = {{kInputToForget, kRecurrentToForget, kForgetGateBias},
                                        {kInputToInput, kRecurrentToInput, kInputGateBias},
                                        {kInputToCell, kRecurrentToCell, kCellGateBias},
                                        {kInputToOutput, kRecurrentToOutput, kOutputGateBias}};

/// TFLite Micro's fixed units of the integer gates: FC outputs (the
/// activations' inputs) in 2^-12, activation outputs in 2^-15, as floats.
constexpr float kGateInputScale = 0.000244140625f;
constexpr float kGateOutputScale = 0.000030517578125f;

/// The integer cell state's scale as TFLite Micro reads it: the rounded
/// log2 (CreateLstmCellStateInfo), and tanh(c)'s table rescaling from it.
struct CellTanh {
  int32_t multiplier = 0, left_shift = 0;
};
CellTanh CellTanhRescale(float cell_scale) {
  int power = 0;
  CheckedLog2(cell_scale, &power);
  CellTanh r;
  r.left_shift = 15 + power - 3;
  if (r.left_shift < 0) {
    r.left_shift = -r.left_shift;
    r.multiplier = 3;
  }
  return r;
}

/// An FC's or a product's real multiplier, encoded (double of the float
/// scales, as TFLite Micro's).
FixedPointMultiplier Rescale(float a, float b, float out) {
  return QuantizeMultiplier(static_cast<double>(a) * static_cast<double>(b) / static_cast<double>(out));
}

/// What both forms require of the input and the recurrence: a 3-D input
/// of positive sizes, full (not diagonal) recurrent matrices.
Status CheckInputAndRecurrence(const Node& node, const Tensor& in) {
  if (in.shape.size() != 3)
    return MakeError("{}: input '{}' must be 3-D ([batches, steps, inputs], or [steps, batches, inputs] when "
                     "time_major), got shape {}",
                     OpLabel(node), in.name, ShapeString(in.shape));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  if (node.attrs.get_int("diagonal_recurrent_tensors") != 0)
    return MakeError("{}: diagonal recurrent weights are not supported (only full recurrent matrices)",
                     OpLabel(node));
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
  KILN_RETURN_IF_ERROR(CheckInputAndRecurrence(node, in));
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
       {"reset_state", node.attrs.get_int("reset_state") != 0 ? "1" : "0"},
       {"reverse", node.attrs.get_int("reverse") != 0 ? "1" : "0"}}));
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

Status CheckLstmInt(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 20, 24, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kInput, "input", {DType::kInt8, DType::kInt16}));
  const Tensor& in = *graph.input(node, kInput);
  const DType act = in.dtype;
  const bool int16 = act == DType::kInt16;
  const char* form = int16 ? "16x8" : "int8";
  for (size_t slot : {kInputToInput, kInputToForget, kInputToCell, kInputToOutput, kRecurrentToInput,
                      kRecurrentToForget, kRecurrentToCell, kRecurrentToOutput, kInputGateBias, kForgetGateBias,
                      kCellGateBias, kOutputGateBias, kOutputState, kCellState})
    if (!Has(graph, node, slot))
      return MakeError("{}: input {} ({}) is missing: TFLite Micro's {} LSTM has no CIFG form and needs every gate",
                       OpLabel(node), slot, kRoles[slot], form);
  for (size_t slot : {kCellToInput, kCellToForget, kCellToOutput, kProjectionWeights, kProjectionBias,
                      kInputLayerNorm, kForgetLayerNorm, kCellLayerNorm, kOutputLayerNorm})
    if (Has(graph, node, slot))
      return MakeError("{}: {} is given: TFLite Micro's {} LSTM has no peephole connections, projection or layer "
                       "normalization",
                       OpLabel(node), kRoles[slot], form);
  KILN_RETURN_IF_ERROR(CheckInputAndRecurrence(node, in));
  if (node.attrs.get_int("reverse") != 0)
    return MakeError("{}: the {} LSTM walks the steps forward only (reverse is ONNX's, float32)", OpLabel(node), form);
  const std::string activation = node.attrs.get_string("activation", "NONE");
  if (activation != "TANH")
    return MakeError("{}: the {} LSTM's cell activation must be TANH (TFLite Micro's integer gates), got {}",
                     OpLabel(node), form, activation);
  if (!(node.attrs.get_float("cell_clip") >= 0.0))
    return MakeError("{}: cell_clip {} must be 0 (no clipping) or positive", OpLabel(node),
                     node.attrs.get_float("cell_clip"));
  const Tensor& forget = *graph.input(node, kInputToForget);
  if (forget.shape.size() != 2)
    return MakeError("{}: input_to_forget_weights '{}' must be 2-D [cells, inputs], got shape {}", OpLabel(node),
                     forget.name, ShapeString(forget.shape));
  const LstmDims d = ReadDims(graph, node);
  if (d.n_cell < 1) return MakeError("{}: {} cells: must be at least 1", OpLabel(node), d.n_cell);
  // With the bias bound below, the 16x8 sums stay under 2^47: each product
  // is under 2^22.
  if (int16 && std::max<int64_t>(d.n_input, d.n_cell) > (int64_t{1} << 24))
    return MakeError("{}: {} inputs and {} cells: the 16x8 sums allow at most 2^24 of either", OpLabel(node),
                     d.n_input, d.n_cell);

  // Quantization: activations per tensor (int16 ones symmetric), weights
  // per tensor and symmetric, the cell state int16 and symmetric.
  KILN_RETURN_IF_ERROR(int16 ? CheckInt16SymmetricQuant(node, in, "input")
                             : elem_detail::CheckQuantized(node, in, "input"));
  for (const auto& gate : kIntGateSlots) {
    for (size_t k = 0; k < 2; ++k) {
      const size_t slot = gate[k];
      KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kInt8}));
      KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, kRoles[slot]));
      const Tensor& w = *graph.input(node, slot);
      const Shape shape = {d.n_cell, k == 0 ? d.n_input : d.n_cell};
      if (w.shape != shape)
        return MakeError("{}: {} '{}' has shape {}, expected {}", OpLabel(node), kRoles[slot], w.name,
                         ShapeString(w.shape), ShapeString(shape));
      KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, w, kRoles[slot]));
      if (elem_detail::ZeroPoint(w) != 0)
        return MakeError("{}: {} '{}' has zero point {}, expected 0 (symmetric weights)", OpLabel(node), kRoles[slot],
                         w.name, elem_detail::ZeroPoint(w));
    }
    const size_t slot = gate[2];
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {int16 ? DType::kInt64 : DType::kInt32}));
    KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, kRoles[slot]));
    const Tensor& bias = *graph.input(node, slot);
    if (bias.shape != Shape{d.n_cell})
      return MakeError("{}: {} '{}' has shape {}, expected [{}]", OpLabel(node), kRoles[slot], bias.name,
                       ShapeString(bias.shape), d.n_cell);
    KILN_RETURN_IF_ERROR(CheckInt64BiasBound(node, bias, kRoles[slot]));
  }
  for (size_t slot : {kOutputState, kCellState}) {
    KILN_RETURN_IF_ERROR(
        CheckInputDType(graph, node, slot, kRoles[slot], {slot == kCellState ? DType::kInt16 : act}));
    const Tensor& state = *graph.input(node, slot);
    if (!state.is_variable)
      return MakeError("{}: {} '{}' must be a variable tensor (it persists between runs)", OpLabel(node),
                       kRoles[slot], state.name);
    if (state.num_elements() != d.batches * d.n_cell)
      return MakeError("{}: {} '{}' has shape {}, expected {} values ([{},{}])", OpLabel(node), kRoles[slot],
                       state.name, ShapeString(state.shape), d.batches * d.n_cell, d.batches, d.n_cell);
    KILN_RETURN_IF_ERROR(slot == kCellState || int16 ? CheckInt16SymmetricQuant(node, state, kRoles[slot])
                                                     : elem_detail::CheckQuantized(node, state, kRoles[slot]));
  }
  const Tensor& cell = *graph.input(node, kCellState);
  if (CellTanhRescale(cell.quant.scale[0]).left_shift > 14 && CellTanhRescale(cell.quant.scale[0]).multiplier == 0)
    return MakeError("{}: cell_state '{}' scale {} is too large (at most 4): tanh's input rescaling would overflow "
                     "32 bits",
                     OpLabel(node), cell.name, cell.quant.scale[0]);
  const Tensor& out = graph.output(node);
  const Shape expected = d.time_major ? Shape{d.steps, d.batches, d.n_cell} : Shape{d.batches, d.steps, d.n_cell};
  if (out.dtype != act || out.shape != expected)
    return MakeError("{}: output '{}' is {} {}, expected {} {}", OpLabel(node), out.name, DTypeName(out.dtype),
                     ShapeString(out.shape), DTypeName(act), ShapeString(expected));
  // The fixed-point multipliers must be in TFLite's range (shift -31..7).
  const Tensor& hidden = *graph.input(node, kOutputState);
  for (const auto& gate : kIntGateSlots)
    for (size_t k = 0; k < 2; ++k) {
      const Tensor& w = *graph.input(node, gate[k]);
      const FixedPointMultiplier m =
          Rescale((k == 0 ? in : hidden).quant.scale[0], w.quant.scale[0], kGateInputScale);
      if (m.shift > 7)
        return MakeError("{}: {} '{}' scale {} makes its gate multiplier too large (at least 128)", OpLabel(node),
                         kRoles[gate[k]], w.name, w.quant.scale[0]);
    }
  return Status::Ok();
}

Status LowerLstmInt(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const LstmDims d = ReadDims(graph, node);
  const Tensor& in = *graph.input(node, kInput);
  const Tensor& hidden = *graph.input(node, kOutputState);
  const float cell_scale = graph.input(node, kCellState)->quant.scale[0];
  const bool int16 = in.dtype == DType::kInt16;
  auto scale = [](FixedPointMultiplier m) { return fmt::format("{{{}, {}}}", m.multiplier, m.shift); };
  std::string input_fc, recurrent_fc, weights;
  for (const auto& gate : kIntGateSlots) {
    const char* sep = input_fc.empty() ? "" : ", ";
    input_fc += sep + scale(Rescale(in.quant.scale[0], graph.input(node, gate[0])->quant.scale[0], kGateInputScale));
    recurrent_fc +=
        sep + scale(Rescale(hidden.quant.scale[0], graph.input(node, gate[1])->quant.scale[0], kGateInputScale));
    for (size_t slot : gate) weights += fmt::format("{}{}", weights.empty() ? "" : ", ", ctx.tensor(node.inputs[slot]));
  }
  const IntRange hidden_range = DTypeRange(in.dtype);
  const CellTanh tanh = CellTanhRescale(cell_scale);
  const double cell_clip = node.attrs.get_float("cell_clip");
  const auto quantized_clip = static_cast<int16_t>(
      std::min(std::max(static_cast<double>(static_cast<float>(cell_clip)) / static_cast<double>(cell_scale),
                        -32768.0),
               32767.0));
  ctx.use_kernel("lstm_int");
  ctx.use_kernel("logistic_tanh_s16");  // lstm_int's gates call it
  const std::string params = ctx.unique_name("lstm_int_params");
  ctx.declare(StaticConstStruct(
      "kiln_lstm_int_params_t", params,
      {{"batches", std::to_string(d.batches)},
       {"steps", std::to_string(d.steps)},
       {"n_input", std::to_string(d.n_input)},
       {"n_cell", std::to_string(d.n_cell)},
       {"time_major", d.time_major ? "1" : "0"},
       {"int16_activations", int16 ? "1" : "0"},
       {"input_offset", std::to_string(-elem_detail::ZeroPoint(in))},
       {"hidden_offset", std::to_string(-elem_detail::ZeroPoint(hidden))},
       {"input_fc", "{" + input_fc + "}"},
       {"recurrent_fc", "{" + recurrent_fc + "}"},
       {"forget_mul", scale(Rescale(kGateOutputScale, cell_scale, cell_scale))},
       {"input_mul", scale(Rescale(kGateOutputScale, kGateOutputScale, cell_scale))},
       {"hidden_mul", scale(Rescale(kGateOutputScale, kGateOutputScale, hidden.quant.scale[0]))},
       {"hidden_zero_point", std::to_string(elem_detail::ZeroPoint(hidden))},
       {"hidden_min", std::to_string(hidden_range.min)},
       {"hidden_max", std::to_string(hidden_range.max)},
       {"cell_tanh_multiplier", std::to_string(tanh.multiplier)},
       {"cell_tanh_left_shift", std::to_string(tanh.left_shift)},
       {"use_cell_clip", static_cast<float>(cell_clip) > 0.0f ? "1" : "0"},
       {"cell_clip", std::to_string(quantized_clip)}}));
  // KILN_LSTM_INT_SCRATCH_INT16S (kiln/kernels/lstm_int.h): four gate buffers of one step.
  const std::string scratch = ctx.scratch(2 * 4 * (d.time_major ? d.batches : 1) * d.n_cell);
  ctx.statement(fmt::format("{{ const void* const lstm_weights[12] = {{ {} }};\n"
                            "    kiln_lstm_int(&{}, lstm_weights, {}, {}, (int16_t*)({}), {}, (int16_t*)({})); }}",
                            weights, params, ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kOutputState]),
                            ctx.tensor(node.inputs[kCellState]), ctx.tensor(node.outputs[0]), scratch));
  return Status::Ok();
}

}  // namespace kiln
