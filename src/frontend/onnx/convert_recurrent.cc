// ONNX's recurrent layers, each as one Kiln operator per direction (a
// bidirectional layer is a forward and a reverse one, the reverse walking
// the steps backwards):
// - LSTM as UNIDIRECTIONAL_SEQUENCE_LSTM (float32). ONNX stacks the four
//   gates in the order i, o, f, c ([4H, I] input weights, [4H, H]
//   recurrent, [8H] biases Wb then Rb, [3H] peepholes i, o, f, per
//   direction); TFLite keeps one tensor per gate and one bias (Wb + Rb
//   here). ONNX's states do not persist: each run starts from initial_h and
//   initial_c (zeros when absent), which the operator's reset_state does.
//   Y_c is the operator's second output (the last cell state).
// - GRU and RNN as Kiln's GRU and ONNX_RNN operators.
// Y is the directions' sequences stacked into [seq, directions, batch, H]
// ([batch, seq, directions, H] with layout 1), Y_h each direction's last
// step.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

/// What LSTM, GRU and RNN read alike: the layout, X [steps, batch, inputs]
/// ([batch, steps, inputs] with layout 1), and hidden_size (R's last
/// dimension by default).
struct RecurrentSizes {
  int64_t layout, steps, batches, inputs, hidden;
};

Expected<RecurrentSizes> ReadRecurrentSizes(OnnxNode& n) {
  RecurrentSizes r;
  KILN_ASSIGN_OR_RETURN(r.layout, n.attr_int("layout", 0));
  if (r.layout != 0 && r.layout != 1) return n.Invalid("layout {} (0 or 1)", r.layout);
  const Tensor& x = n.input(0);
  if (x.shape.size() != 3) return n.Invalid("X must be 3-D, got {}", ShapeString(x.shape));
  r.steps = r.layout == 0 ? x.shape[0] : x.shape[1];
  r.batches = r.layout == 0 ? x.shape[1] : x.shape[0];
  r.inputs = x.shape[2];
  const Tensor& recurrent = n.input(2);
  if (recurrent.shape.size() != 3) return n.Invalid("R must be 3-D, got {}", ShapeString(recurrent.shape));
  KILN_ASSIGN_OR_RETURN(r.hidden, n.attr_int("hidden_size", recurrent.shape[2]));
  if (r.hidden < 1 || r.hidden > (int64_t{1} << 24)) return n.Invalid("hidden_size {}", r.hidden);
  return r;
}

/// The inputs that must be known at compile time (weights, biases,
/// sequence_lens, peepholes), and every length the whole sequence's.
Status CheckConstantInputs(OnnxNode& n, std::initializer_list<size_t> inputs, int64_t steps) {
  for (size_t i : inputs)
    if (n.has_input(i) && n.constant_input(i) == nullptr)
      return n.Unsupported("input {} '{}' computed at run time (it must be constant)", i, n.proto().input(static_cast<int>(i)));
  if (n.has_input(4)) {
    KILN_ASSIGN_OR_RETURN(const std::vector<int64_t> lengths, n.ConstantInts(4, "sequence_lens"));
    for (int64_t length : lengths)
      if (length != steps) return n.Unsupported("sequence_lens {} shorter than the sequence's {} steps", length, steps);
  }
  return Status::Ok();
}

/// The name of the layer's first named output: the stem of the tensors its
/// lowering adds (every output is optional).
std::string FirstOutputName(OnnxNode& n) {
  for (int i = 0; i < n.proto().output_size(); ++i)
    if (!n.proto().output(i).empty()) return n.proto().output(i);
  return n.proto().name();
}

/// A fresh float32 activation tensor.
int AddFloatTensor(ImportContext& ctx, std::string name, Shape shape) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = DType::kFloat32;
  t.shape = std::move(shape);
  return ctx.AddTensor(std::move(t));
}

/// Part `d` of a constant stacked by parts of `per_direction` values: a
/// direction's weights, or a gate's rows within them.
std::vector<float> DirectionPart(const std::vector<float>& stack, int64_t d, int64_t per_direction) {
  const auto first = stack.begin() + d * per_direction;
  return {first, first + per_direction};
}

/// SLICE of step `step` of a sequence [steps, batch, H] (layout 0) or
/// [batch, steps, H] (layout 1) into `out`, [1, batch, H] or [batch, 1, H].
void EmitStepSlice(OnnxNode& n, int sequence, int64_t step, int64_t layout, int out, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const Shape shape = ctx.graph().tensor(out).shape;  // a copy: adding constants may move the tensors
  const std::vector<int64_t> begin = layout == 0 ? std::vector<int64_t>{step, 0, 0} : std::vector<int64_t>{0, step, 0};
  const int begin_id = ctx.AddInt32Constant(name + "/begin", begin, {3});
  const int size_id = ctx.AddInt32Constant(name + "/size", {shape.begin(), shape.end()}, {3});
  ctx.AddNode(OpKind::kSlice, {sequence, begin_id, size_id}, {out});
}

/// Output `output` of the node: the directions' [1, batch, H] (or
/// [batch, 1, H]) parts concatenated, [2, batch, H] (or [batch, 2, H]).
void EmitDirectionsConcat(OnnxNode& n, const std::vector<int>& parts, size_t output, int64_t layout, int32_t b,
                          int32_t h) {
  Attrs concat;
  concat.set("axis", int64_t{layout == 0 ? 0 : 1});
  concat.set("activation", std::string("NONE"));
  n.ctx().AddNode(OpKind::kConcatenation, parts,
                  {n.DefineOutput(output, DType::kFloat32, layout == 0 ? Shape{2, b, h} : Shape{b, 2, h})},
                  std::move(concat));
}

/// Direction d's initial state from ONNX's input `input` ([directions,
/// batch, H], or [batch, directions, H] with layout 1; its shape checked by
/// the caller) as a [batch, H] tensor, or kNoTensor when absent.
int DirectionInitialState(OnnxNode& n, size_t input, int64_t d, int64_t directions, int64_t layout, int32_t b,
                          int32_t h, const std::string& name) {
  if (!n.has_input(input)) return kNoTensor;
  int part = n.input_id(input);
  if (directions == 2) {
    part = AddFloatTensor(n.ctx(), name + "_part", layout == 0 ? Shape{1, b, h} : Shape{b, 1, h});
    EmitStepSlice(n, n.input_id(input), d, layout, part, name + "_part");
  }
  return EmitReshape(n, part, {b, h}, name);
}

/// Checks initial state `input`'s shape, when present.
Status CheckInitialState(OnnxNode& n, size_t input, const char* role, int64_t directions, int64_t layout, int32_t b,
                         int32_t h) {
  if (!n.has_input(input)) return Status::Ok();
  const int32_t dirs = static_cast<int32_t>(directions);
  const Shape expected = layout == 0 ? Shape{dirs, b, h} : Shape{b, dirs, h};
  if (n.input(input).shape != expected)
    return n.Invalid("{} has shape {}, expected {}", role, ShapeString(n.input(input).shape), ShapeString(expected));
  return Status::Ok();
}

/// Y (output 0) from each direction's sequence ([steps, batch, H], or
/// [batch, steps, H] with layout 1): [steps, directions, batch, H] (or
/// [batch, steps, directions, H]), stacked by PACK; and Y_h (output 1), each
/// direction's last step (a reverse direction's is step 0), concatenated.
void EmitSequenceOutputs(OnnxNode& n, const std::vector<int>& sequences, const std::string& direction, int64_t layout,
                         int64_t steps, int32_t b, int32_t h) {
  ImportContext& ctx = n.ctx();
  const int32_t t = static_cast<int32_t>(steps), dirs = static_cast<int32_t>(sequences.size());
  const Shape one_step = layout == 0 ? Shape{1, b, h} : Shape{b, 1, h};
  if (n.has_output(0)) {
    const Shape shape = layout == 0 ? Shape{t, dirs, b, h} : Shape{b, t, dirs, h};
    if (dirs == 1) {
      n.BindOutput(0, EmitReshape(n, sequences[0], shape, n.proto().output(0)));
    } else {
      Attrs pack;
      pack.set("values_count", int64_t{2});
      pack.set("axis", int64_t{layout == 0 ? 1 : 2});
      ctx.AddNode(OpKind::kPack, sequences, {n.DefineOutput(0, DType::kFloat32, shape)}, std::move(pack));
    }
  }
  if (!n.has_output(1)) return;
  if (dirs == 1) {
    EmitStepSlice(n, sequences[0], direction == "reverse" ? 0 : steps - 1, layout,
                  n.DefineOutput(1, DType::kFloat32, one_step), n.proto().output(1));
    return;
  }
  std::vector<int> last;
  for (int32_t d = 0; d < 2; ++d) {
    const std::string name = fmt::format("{}/{}_last", n.proto().output(1), d == 0 ? "forward" : "reverse");
    last.push_back(AddFloatTensor(ctx, name, one_step));
    EmitStepSlice(n, sequences[static_cast<size_t>(d)], d == 0 ? steps - 1 : 0, layout, last.back(), name);
  }
  EmitDirectionsConcat(n, last, 1, layout, b, h);
}

/// What every recurrent layer checks first: X, W and R given, X float32;
/// its direction and clip read, activation_alpha and activation_beta absent.
struct DirectionAndClip {
  std::string direction;
  int64_t directions;
  float clip;
};

Expected<DirectionAndClip> ReadDirectionAndClip(OnnxNode& n) {
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}})
    if (!n.has_input(i)) return n.Invalid("inputs X, W and R are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  DirectionAndClip r;
  KILN_ASSIGN_OR_RETURN(r.direction, n.attr_string("direction", "forward"));
  if (r.direction != "forward" && r.direction != "reverse" && r.direction != "bidirectional")
    return n.Invalid("direction '{}' (forward, reverse or bidirectional)", r.direction);
  r.directions = r.direction == "bidirectional" ? 2 : 1;
  if (n.has_attr("activation_alpha") || n.has_attr("activation_beta"))
    return n.Unsupported("activation_alpha or activation_beta");
  KILN_ASSIGN_OR_RETURN(r.clip, n.attr_float("clip", 0.0f));
  if (n.has_attr("clip") && !(r.clip > 0.0f)) return n.Invalid("clip {} (a positive threshold)", r.clip);
  return r;
}

/// A layer's weights as ONNX stacks them, checked: W [directions, gates H,
/// I], R [directions, gates H, H] and B [directions, 2 gates H] (empty when
/// absent), every input in `constant_inputs` known at compile time, and
/// initial_h's shape.
struct StackedWeights {
  RecurrentSizes sizes;
  std::vector<float> w, r, bias;
};

Expected<StackedWeights> ReadStackedWeights(OnnxNode& n, int64_t gates, int64_t directions,
                                            std::initializer_list<size_t> constant_inputs) {
  StackedWeights s;
  KILN_ASSIGN_OR_RETURN(s.sizes, ReadRecurrentSizes(n));
  const RecurrentSizes& z = s.sizes;
  const int32_t dirs = static_cast<int32_t>(directions), h = static_cast<int32_t>(z.hidden);
  const int32_t g = static_cast<int32_t>(gates);
  const Shape w_shape = {dirs, g * h, static_cast<int32_t>(z.inputs)};
  const Shape r_shape = {dirs, g * h, h};
  if (n.input(1).shape != w_shape) return n.Invalid("W has shape {}, expected {}", ShapeString(n.input(1).shape), ShapeString(w_shape));
  if (n.input(2).shape != r_shape) return n.Invalid("R has shape {}, expected {}", ShapeString(n.input(2).shape), ShapeString(r_shape));
  KILN_RETURN_IF_ERROR(CheckConstantInputs(n, constant_inputs, z.steps));
  KILN_ASSIGN_OR_RETURN(s.w, n.ConstantFloats(1, "W"));
  KILN_ASSIGN_OR_RETURN(s.r, n.ConstantFloats(2, "R"));
  if (n.has_input(3)) {
    KILN_ASSIGN_OR_RETURN(s.bias, n.ConstantFloats(3, "B"));
    if (s.bias.size() != static_cast<size_t>(directions * 2 * gates * z.hidden))
      return n.Invalid("B has {} values, expected {}", s.bias.size(), directions * 2 * gates * z.hidden);
  }
  KILN_RETURN_IF_ERROR(CheckInitialState(n, 5, "initial_h", directions, z.layout, static_cast<int32_t>(z.batches), h));
  return s;
}

/// Checks the activations attribute, when given, is `per_direction`
/// repeated once for each direction (the only functions the kernels have).
Status CheckActivations(OnnxNode& n, const std::vector<std::string>& per_direction, int64_t directions) {
  const onnx::AttributeProto* a = n.attr("activations");
  if (a == nullptr) return Status::Ok();
  const std::string names = fmt::format("{}", fmt::join(per_direction, ", "));
  if (a->strings_size() != static_cast<int64_t>(per_direction.size()) * directions)
    return n.Unsupported("{} activations (only {} per direction)", a->strings_size(), names);
  for (int k = 0; k < a->strings_size(); ++k)
    if (a->strings(k) != per_direction[static_cast<size_t>(k) % per_direction.size()])
      return n.Unsupported("activation {} '{}' (only {} per direction)", k, a->strings(k), names);
  return Status::Ok();
}

/// GRU and RNN after their checks: `op` once per direction, on that
/// direction's W [gates H, I], R [gates H, H] and B [2 gates H] (gates: 3 or
/// 1) and initial_h, each with its `attrs` plus clip, time_major and reverse;
/// Y the directions' sequences stacked (PACK), Y_h their last steps.
Status EmitPerDirection(OnnxNode& n, OpKind op, int64_t gates, const DirectionAndClip& dc,
                        const std::vector<Attrs>& attrs) {
  const int64_t directions = dc.directions;
  KILN_ASSIGN_OR_RETURN(const StackedWeights weights, ReadStackedWeights(n, gates, directions, {1, 2, 3, 4}));
  const std::vector<float>&w = weights.w, &r = weights.r, &bias = weights.bias;
  const auto [layout, steps, batches, inputs, hidden] = weights.sizes;
  const int32_t g = static_cast<int32_t>(gates), h = static_cast<int32_t>(hidden);
  const int32_t t = static_cast<int32_t>(steps), b = static_cast<int32_t>(batches), in = static_cast<int32_t>(inputs);

  ImportContext& ctx = n.ctx();
  const std::string stem = FirstOutputName(n);
  std::vector<int> sequences;
  for (int64_t d = 0; d < directions; ++d) {
    const std::string name = directions == 1 ? stem : fmt::format("{}/{}", stem, d == 0 ? "forward" : "reverse");
    const int w_id = ctx.AddFloatConstant(name + "/W", DirectionPart(w, d, gates * hidden * inputs), {g * h, in});
    const int r_id = ctx.AddFloatConstant(name + "/R", DirectionPart(r, d, gates * hidden * hidden), {g * h, h});
    const int b_id =
        bias.empty() ? kNoTensor : ctx.AddFloatConstant(name + "/B", DirectionPart(bias, d, 2 * gates * hidden), {2 * g * h});
    const int initial = DirectionInitialState(n, 5, d, directions, layout, b, h, name + "/initial_h");
    const int sequence = AddFloatTensor(ctx, name + "/sequence", layout == 0 ? Shape{t, b, h} : Shape{b, t, h});
    Attrs a = attrs[static_cast<size_t>(d)];
    a.set("time_major", int64_t{layout == 0 ? 1 : 0});
    a.set("reverse", int64_t{d == 1 || dc.direction == "reverse" ? 1 : 0});
    a.set("clip", static_cast<double>(dc.clip));
    ctx.AddNode(op, {n.input_id(0), w_id, r_id, b_id, initial}, {sequence}, std::move(a));
    sequences.push_back(sequence);
  }
  EmitSequenceOutputs(n, sequences, dc.direction, layout, steps, b, h);
  return Status::Ok();
}

}  // namespace

Status ConvertLstm(OnnxNode& n) {
  KILN_ASSIGN_OR_RETURN(const DirectionAndClip dc, ReadDirectionAndClip(n));
  if (n.has_attr("clip")) return n.Unsupported("attribute clip (gate inputs clipped)");
  KILN_ASSIGN_OR_RETURN(const int64_t input_forget, n.attr_int("input_forget", 0));
  if (input_forget != 0) return n.Unsupported("input_forget {} (only 0)", input_forget);
  KILN_RETURN_IF_ERROR(CheckActivations(n, {"Sigmoid", "Tanh", "Tanh"}, dc.directions));
  const int64_t directions = dc.directions;
  KILN_ASSIGN_OR_RETURN(StackedWeights weights, ReadStackedWeights(n, 4, directions, {1, 2, 3, 4, 7}));
  const auto [layout, steps, batches, inputs, hidden] = weights.sizes;
  const int32_t h = static_cast<int32_t>(hidden);
  const int32_t in = static_cast<int32_t>(inputs), b = static_cast<int32_t>(batches), t = static_cast<int32_t>(steps);
  const std::vector<float>&w = weights.w, &r = weights.r;
  // TFLite's gates take Wb + Rb: zeros when B is absent.
  if (weights.bias.empty()) weights.bias.assign(static_cast<size_t>(directions * 8 * hidden), 0.0f);
  const std::vector<float>& bias = weights.bias;
  std::vector<float> peephole;
  if (n.has_input(7)) {
    KILN_ASSIGN_OR_RETURN(peephole, n.ConstantFloats(7, "P"));
    if (peephole.size() != static_cast<size_t>(directions * 3 * hidden))
      return n.Invalid("P has {} values, expected {}", peephole.size(), directions * 3 * hidden);
  }
  KILN_RETURN_IF_ERROR(CheckInitialState(n, 6, "initial_c", directions, layout, b, h));

  ImportContext& ctx = n.ctx();
  const std::string stem = FirstOutputName(n);
  std::vector<int> sequences, last_cells;
  for (int64_t d = 0; d < directions; ++d) {
    const std::string name = directions == 1 ? stem : fmt::format("{}/{}", stem, d == 0 ? "forward" : "reverse");
    const std::vector<float> dw = DirectionPart(w, d, 4 * hidden * inputs), dr = DirectionPart(r, d, 4 * hidden * hidden);
    const std::vector<float> db = DirectionPart(bias, d, 8 * hidden);
    std::vector<int> slots(26, kNoTensor);
    slots[0] = n.input_id(0);
    // TFLite's gate order i, f, c, o from ONNX's i, o, f, c.
    const int64_t onnx_gate[] = {0, 2, 3, 1};
    const char* names[] = {"input", "forget", "cell", "output"};
    for (int g = 0; g < 4; ++g) {
      const int64_t og = onnx_gate[g];
      slots[static_cast<size_t>(1 + g)] =
          ctx.AddFloatConstant(fmt::format("{}/input_to_{}", name, names[g]), DirectionPart(dw, og, hidden * inputs), {h, in});
      slots[static_cast<size_t>(5 + g)] =
          ctx.AddFloatConstant(fmt::format("{}/recurrent_to_{}", name, names[g]), DirectionPart(dr, og, hidden * hidden), {h, h});
      std::vector<float> gate_bias(static_cast<size_t>(hidden));
      for (int64_t k = 0; k < hidden; ++k)
        gate_bias[static_cast<size_t>(k)] =
            db[static_cast<size_t>(og * hidden + k)] + db[static_cast<size_t>((4 + og) * hidden + k)];
      slots[static_cast<size_t>(12 + g)] = ctx.AddFloatConstant(fmt::format("{}/{}_gate_bias", name, names[g]), gate_bias, {h});
    }
    if (!peephole.empty()) {
      // ONNX's P: i, o, f; TFLite's cell_to_input, cell_to_forget, cell_to_output.
      const std::vector<float> dp = DirectionPart(peephole, d, 3 * hidden);
      const int64_t p_of[] = {0, 2, 1};
      for (int g = 0; g < 3; ++g)
        slots[static_cast<size_t>(9 + g)] = ctx.AddFloatConstant(
            fmt::format("{}/cell_to_{}", name, g == 0 ? "input" : g == 1 ? "forget" : "output"),
            DirectionPart(dp, p_of[g], hidden), {h});
    }
    for (int s : {0, 1}) {  // the states, and where each run starts them
      Tensor state;
      state.name = fmt::format("{}/{}_state", name, s == 0 ? "output" : "cell");
      state.dtype = DType::kFloat32;
      state.shape = {b, h};
      state.is_variable = true;
      slots[static_cast<size_t>(18 + s)] = ctx.AddTensor(std::move(state));
      slots[static_cast<size_t>(24 + s)] = DirectionInitialState(n, static_cast<size_t>(5 + s), d, directions, layout,
                                                                 b, h, fmt::format("{}/initial_{}", name, s == 0 ? "h" : "c"));
    }
    const int sequence = AddFloatTensor(ctx, name + "/sequence", layout == 0 ? Shape{t, b, h} : Shape{b, t, h});
    std::vector<int> outputs = {sequence};
    if (n.has_output(2)) outputs.push_back(AddFloatTensor(ctx, name + "/last_cell_state", {b, h}));  // the op's output 1
    Attrs attrs;
    attrs.set("activation", std::string("TANH"));
    attrs.set("cell_clip", 0.0);
    attrs.set("proj_clip", 0.0);
    attrs.set("time_major", int64_t{layout == 0 ? 1 : 0});
    attrs.set("reset_state", int64_t{1});
    attrs.set("reverse", int64_t{d == 1 || dc.direction == "reverse" ? 1 : 0});
    ctx.AddNode(OpKind::kUnidirectionalSequenceLstm, slots, outputs, std::move(attrs));
    sequences.push_back(sequence);
    if (n.has_output(2)) last_cells.push_back(outputs[1]);
  }
  EmitSequenceOutputs(n, sequences, dc.direction, layout, steps, b, h);
  if (n.has_output(2)) {  // Y_c: [directions, batch, H], or [batch, directions, H]
    const Shape one_step = layout == 0 ? Shape{1, b, h} : Shape{b, 1, h};
    if (directions == 1) {
      n.BindOutput(2, EmitReshape(n, last_cells[0], one_step, n.proto().output(2)));
    } else {
      std::vector<int> parts;
      for (size_t d = 0; d < last_cells.size(); ++d)
        parts.push_back(EmitReshape(n, last_cells[d], one_step, fmt::format("{}/part{}", n.proto().output(2), d)));
      EmitDirectionsConcat(n, parts, 2, layout, b, h);
    }
  }
  return Status::Ok();
}

Status ConvertGru(OnnxNode& n) {
  KILN_ASSIGN_OR_RETURN(const DirectionAndClip dc, ReadDirectionAndClip(n));
  KILN_RETURN_IF_ERROR(CheckActivations(n, {"Sigmoid", "Tanh"}, dc.directions));
  KILN_ASSIGN_OR_RETURN(const int64_t linear_before_reset, n.attr_int("linear_before_reset", 0));
  Attrs attrs;
  attrs.set("linear_before_reset", int64_t{linear_before_reset != 0 ? 1 : 0});
  return EmitPerDirection(n, OpKind::kGru, 3, dc, std::vector<Attrs>(static_cast<size_t>(dc.directions), attrs));
}

Status ConvertRnn(OnnxNode& n) {
  KILN_ASSIGN_OR_RETURN(const DirectionAndClip dc, ReadDirectionAndClip(n));
  std::vector<Attrs> attrs(static_cast<size_t>(dc.directions));
  for (Attrs& a : attrs) a.set("activation", std::string("TANH"));
  if (const onnx::AttributeProto* a = n.attr("activations")) {
    if (a->strings_size() != dc.directions)
      return n.Invalid("{} activations for {} direction(s)", a->strings_size(), dc.directions);
    for (int k = 0; k < a->strings_size(); ++k) {
      const std::string& f = a->strings(k);
      if (f != "Tanh" && f != "Relu" && f != "Sigmoid")
        return n.Unsupported("activation {} '{}' (only Tanh, Relu or Sigmoid)", k, f);
      attrs[static_cast<size_t>(k)].set("activation", std::string(f == "Tanh" ? "TANH" : f == "Relu" ? "RELU" : "SIGMOID"));
    }
  }
  return EmitPerDirection(n, OpKind::kRnn, 1, dc, attrs);
}

}  // namespace kiln::onnx_import
