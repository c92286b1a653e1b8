// ONNX's recurrent layers.
// - LSTM as UNIDIRECTIONAL_SEQUENCE_LSTM (float32). ONNX stacks the four
//   gates in the order i, o, f, c ([1, 4H, I] input weights, [1, 4H, H]
//   recurrent, [1, 8H] biases Wb then Rb, [1, 3H] peepholes i, o, f);
//   TFLite keeps one tensor per gate and one bias (Wb + Rb here). ONNX's
//   states do not persist: each run starts from initial_h and initial_c
//   (zeros when absent), which the operator's reset_state does. Y_c is the
//   operator's second output (the last cell state).
// - GRU and RNN as Kiln's GRU and RNN operators, one per direction (a
//   bidirectional layer is a forward and a reverse one, their sequences
//   stacked by PACK).
// Y is the sequence output reshaped to [seq, directions, batch, H] ([batch,
// seq, directions, H] with layout 1), Y_h each direction's last step.
#include <fmt/format.h>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

/// Rows [gate * hidden, (gate + 1) * hidden) of a [1, gates * hidden, cols]
/// weight stack, flattened.
std::vector<float> GateRows(const std::vector<float>& stack, int64_t gate, int64_t hidden, int64_t cols) {
  const auto first = stack.begin() + gate * hidden * cols;
  return {first, first + hidden * cols};
}

/// What LSTM and GRU read alike: the layout, X [steps, batch, inputs]
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

/// A fresh float32 activation tensor.
int AddFloatTensor(ImportContext& ctx, std::string name, Shape shape) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = DType::kFloat32;
  t.shape = std::move(shape);
  return ctx.AddTensor(std::move(t));
}

/// Direction `d`'s part of a constant stacked [directions, ...] by rows of
/// `per_direction` values.
std::vector<float> DirectionPart(const std::vector<float>& stack, int64_t d, int64_t per_direction) {
  const auto first = stack.begin() + d * per_direction;
  return {first, first + per_direction};
}

/// SLICE of step `step` of a sequence [steps, batch, H] (layout 0) or
/// [batch, steps, H] (layout 1) into `out`, [1, batch, H] or [batch, 1, H].
void EmitStepSlice(OnnxNode& n, int sequence, int64_t step, int64_t layout, int out, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const Shape& shape = ctx.graph().tensor(out).shape;
  const std::vector<int64_t> begin = layout == 0 ? std::vector<int64_t>{step, 0, 0} : std::vector<int64_t>{0, step, 0};
  const int begin_id = ctx.AddInt32Constant(name + "/begin", begin, {3});
  const int size_id = ctx.AddInt32Constant(name + "/size", {shape.begin(), shape.end()}, {3});
  ctx.AddNode(OpKind::kSlice, {sequence, begin_id, size_id}, {out});
}

}  // namespace

Status ConvertLstm(OnnxNode& n) {
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}})
    if (!n.has_input(i)) return n.Invalid("inputs X, W and R are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_ASSIGN_OR_RETURN(const std::string direction, n.attr_string("direction", "forward"));
  if (direction != "forward") return n.Unsupported("direction {} (only forward)", direction);
  KILN_ASSIGN_OR_RETURN(const int64_t input_forget, n.attr_int("input_forget", 0));
  if (input_forget != 0) return n.Unsupported("input_forget {} (only 0)", input_forget);
  if (n.has_attr("clip")) return n.Unsupported("attribute clip (gate inputs clipped)");
  if (n.has_attr("activation_alpha") || n.has_attr("activation_beta"))
    return n.Unsupported("activation_alpha or activation_beta");
  if (const onnx::AttributeProto* a = n.attr("activations")) {
    const char* expected[] = {"Sigmoid", "Tanh", "Tanh"};
    if (a->strings_size() != 3) return n.Unsupported("{} activations (only Sigmoid, Tanh, Tanh)", a->strings_size());
    for (int k = 0; k < 3; ++k)
      if (a->strings(k) != expected[k])
        return n.Unsupported("activation {} '{}' (only Sigmoid, Tanh, Tanh)", k, a->strings(k));
  }
  KILN_ASSIGN_OR_RETURN(const RecurrentSizes sizes, ReadRecurrentSizes(n));
  const auto [layout, steps, batches, inputs, hidden] = sizes;
  const Tensor& r_tensor = n.input(2);
  const Shape w_shape = {1, static_cast<int32_t>(4 * hidden), static_cast<int32_t>(inputs)};
  const Shape r_shape = {1, static_cast<int32_t>(4 * hidden), static_cast<int32_t>(hidden)};
  if (n.input(1).shape != w_shape) return n.Invalid("W has shape {}, expected {}", ShapeString(n.input(1).shape), ShapeString(w_shape));
  if (r_tensor.shape != r_shape) return n.Invalid("R has shape {}, expected {}", ShapeString(r_tensor.shape), ShapeString(r_shape));
  KILN_RETURN_IF_ERROR(CheckConstantInputs(n, {1, 2, 3, 4, 7}, steps));
  KILN_ASSIGN_OR_RETURN(const std::vector<float> w, n.ConstantFloats(1, "W"));
  KILN_ASSIGN_OR_RETURN(const std::vector<float> r, n.ConstantFloats(2, "R"));
  std::vector<float> bias(static_cast<size_t>(8 * hidden), 0.0f);
  if (n.has_input(3)) {
    KILN_ASSIGN_OR_RETURN(bias, n.ConstantFloats(3, "B"));
    if (bias.size() != static_cast<size_t>(8 * hidden)) return n.Invalid("B has {} values, expected {}", bias.size(), 8 * hidden);
  }
  std::vector<float> peephole;
  if (n.has_input(7)) {
    KILN_ASSIGN_OR_RETURN(peephole, n.ConstantFloats(7, "P"));
    if (peephole.size() != static_cast<size_t>(3 * hidden)) return n.Invalid("P has {} values, expected {}", peephole.size(), 3 * hidden);
  }

  ImportContext& ctx = n.ctx();
  const std::string stem = n.has_output(0) ? n.proto().output(0) : n.proto().output(1);
  const int32_t h = static_cast<int32_t>(hidden), in = static_cast<int32_t>(inputs), b = static_cast<int32_t>(batches);
  std::vector<int> slots(26, kNoTensor);
  slots[0] = n.input_id(0);
  // TFLite's gate order i, f, c, o from ONNX's i, o, f, c.
  const int64_t onnx_gate[] = {0, 2, 3, 1};
  const char* names[] = {"input", "forget", "cell", "output"};
  for (int g = 0; g < 4; ++g) {
    const int64_t og = onnx_gate[g];
    slots[static_cast<size_t>(1 + g)] =
        ctx.AddFloatConstant(fmt::format("{}/input_to_{}", stem, names[g]), GateRows(w, og, hidden, inputs), {h, in});
    slots[static_cast<size_t>(5 + g)] =
        ctx.AddFloatConstant(fmt::format("{}/recurrent_to_{}", stem, names[g]), GateRows(r, og, hidden, hidden), {h, h});
    std::vector<float> gate_bias(static_cast<size_t>(hidden));
    for (int64_t k = 0; k < hidden; ++k)
      gate_bias[static_cast<size_t>(k)] = bias[static_cast<size_t>(og * hidden + k)] +
                                          bias[static_cast<size_t>((4 + og) * hidden + k)];
    slots[static_cast<size_t>(12 + g)] = ctx.AddFloatConstant(fmt::format("{}/{}_gate_bias", stem, names[g]), gate_bias, {h});
  }
  if (!peephole.empty()) {
    // ONNX's P: i, o, f; TFLite's cell_to_input, cell_to_forget, cell_to_output.
    const int64_t p_of[] = {0, 2, 1};
    for (int g = 0; g < 3; ++g)
      slots[static_cast<size_t>(9 + g)] = ctx.AddFloatConstant(
          fmt::format("{}/cell_to_{}", stem, g == 0 ? "input" : g == 1 ? "forget" : "output"),
          GateRows(peephole, p_of[g], hidden, 1), {h});
  }
  for (int s : {0, 1}) {  // the states, and where each run starts them
    Tensor state;
    state.name = fmt::format("{}/{}_state", stem, s == 0 ? "output" : "cell");
    state.dtype = DType::kFloat32;
    state.shape = {b, h};
    state.is_variable = true;
    slots[static_cast<size_t>(18 + s)] = ctx.AddTensor(std::move(state));
    if (n.has_input(static_cast<size_t>(5 + s))) {
      const Tensor& initial = n.input(static_cast<size_t>(5 + s));
      const Shape expected = layout == 0 ? Shape{1, b, h} : Shape{b, 1, h};
      if (initial.shape != expected)
        return n.Invalid("initial_{} has shape {}, expected {}", s == 0 ? "h" : "c", ShapeString(initial.shape),
                         ShapeString(expected));
      slots[static_cast<size_t>(24 + s)] =
          EmitReshape(n, n.input_id(static_cast<size_t>(5 + s)), {b, h}, fmt::format("{}/initial_{}", stem, s == 0 ? "h" : "c"));
    }
  }

  const int32_t t = static_cast<int32_t>(steps);
  const int sequence_id = AddFloatTensor(ctx, stem + "/sequence", layout == 0 ? Shape{t, b, h} : Shape{b, t, h});
  std::vector<int> outputs = {sequence_id};
  if (n.has_output(2)) {  // Y_c: the operator's second output, [batch, H]
    outputs.push_back(AddFloatTensor(ctx, stem + "/last_cell_state", {b, h}));
  }
  Attrs attrs;
  attrs.set("activation", std::string("TANH"));
  attrs.set("cell_clip", 0.0);
  attrs.set("proj_clip", 0.0);
  attrs.set("time_major", int64_t{layout == 0 ? 1 : 0});
  attrs.set("reset_state", int64_t{1});
  ctx.AddNode(OpKind::kUnidirectionalSequenceLstm, slots, outputs, std::move(attrs));

  if (n.has_output(0))  // Y: [seq, 1, batch, H], or [batch, seq, 1, H]
    n.BindOutput(0, EmitReshape(n, sequence_id, layout == 0 ? Shape{t, 1, b, h} : Shape{b, t, 1, h}, n.proto().output(0)));
  if (n.has_output(1))  // Y_h: the last step, [1, batch, H] or [batch, 1, H]
    EmitStepSlice(n, sequence_id, steps - 1, layout, n.DefineOutput(1, DType::kFloat32, layout == 0 ? Shape{1, b, h} : Shape{b, 1, h}),
                  n.proto().output(1));
  if (n.has_output(2))  // Y_c: [1, batch, H], or [batch, 1, H]
    n.BindOutput(2, EmitReshape(n, outputs[1], layout == 0 ? Shape{1, b, h} : Shape{b, 1, h}, n.proto().output(2)));
  return Status::Ok();
}

namespace {

/// Reads GRU's or RNN's direction and clip, checks activation_alpha and
/// activation_beta are absent.
struct DirectionAndClip {
  std::string direction;
  int64_t directions;
  float clip;
};

Expected<DirectionAndClip> ReadDirectionAndClip(OnnxNode& n) {
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

/// GRU and RNN after their checks: `op` once per direction, on that
/// direction's W [gates H, I], R [gates H, H] and B [2 gates H] (gates: 3 or
/// 1) and initial_h, each with its `attrs` plus clip, time_major and reverse;
/// Y the directions' sequences stacked (PACK), Y_h their last steps.
Status EmitPerDirection(OnnxNode& n, OpKind op, int64_t gates, const DirectionAndClip& dc,
                        const std::vector<Attrs>& attrs) {
  const int64_t directions = dc.directions;
  KILN_ASSIGN_OR_RETURN(const RecurrentSizes sizes, ReadRecurrentSizes(n));
  const auto [layout, steps, batches, inputs, hidden] = sizes;
  const int32_t dirs = static_cast<int32_t>(directions), h = static_cast<int32_t>(hidden);
  const int32_t g = static_cast<int32_t>(gates);
  const Shape w_shape = {dirs, g * h, static_cast<int32_t>(inputs)};
  const Shape r_shape = {dirs, g * h, h};
  if (n.input(1).shape != w_shape) return n.Invalid("W has shape {}, expected {}", ShapeString(n.input(1).shape), ShapeString(w_shape));
  if (n.input(2).shape != r_shape) return n.Invalid("R has shape {}, expected {}", ShapeString(n.input(2).shape), ShapeString(r_shape));
  KILN_RETURN_IF_ERROR(CheckConstantInputs(n, {1, 2, 3, 4}, steps));
  KILN_ASSIGN_OR_RETURN(const std::vector<float> w, n.ConstantFloats(1, "W"));
  KILN_ASSIGN_OR_RETURN(const std::vector<float> r, n.ConstantFloats(2, "R"));
  std::vector<float> bias;
  if (n.has_input(3)) {
    KILN_ASSIGN_OR_RETURN(bias, n.ConstantFloats(3, "B"));
    if (bias.size() != static_cast<size_t>(directions * 2 * gates * hidden))
      return n.Invalid("B has {} values, expected {}", bias.size(), directions * 2 * gates * hidden);
  }
  const int32_t t = static_cast<int32_t>(steps), b = static_cast<int32_t>(batches), in = static_cast<int32_t>(inputs);
  // initial_h: [directions, batch, H], or [batch, directions, H] with layout 1.
  const Shape one_step = layout == 0 ? Shape{1, b, h} : Shape{b, 1, h};
  if (n.has_input(5)) {
    const Shape expected = layout == 0 ? Shape{dirs, b, h} : Shape{b, dirs, h};
    if (n.input(5).shape != expected)
      return n.Invalid("initial_h has shape {}, expected {}", ShapeString(n.input(5).shape), ShapeString(expected));
  }

  ImportContext& ctx = n.ctx();
  const std::string stem = n.has_output(0) ? n.proto().output(0) : n.proto().output(1);
  std::vector<int> sequences;
  for (int64_t d = 0; d < directions; ++d) {
    const std::string name = directions == 1 ? stem : fmt::format("{}/{}", stem, d == 0 ? "forward" : "reverse");
    const int w_id = ctx.AddFloatConstant(name + "/W", DirectionPart(w, d, gates * hidden * inputs), {g * h, in});
    const int r_id = ctx.AddFloatConstant(name + "/R", DirectionPart(r, d, gates * hidden * hidden), {g * h, h});
    const int b_id =
        bias.empty() ? kNoTensor : ctx.AddFloatConstant(name + "/B", DirectionPart(bias, d, 2 * gates * hidden), {2 * g * h});
    int initial = kNoTensor;
    if (n.has_input(5)) {
      int part = n.input_id(5);
      if (directions == 2) {
        part = AddFloatTensor(ctx, name + "/initial_h_part", one_step);
        EmitStepSlice(n, n.input_id(5), d, layout, part, name + "/initial_h_part");
      }
      initial = EmitReshape(n, part, {b, h}, name + "/initial_h");
    }
    const int sequence = AddFloatTensor(ctx, name + "/sequence", layout == 0 ? Shape{t, b, h} : Shape{b, t, h});
    Attrs a = attrs[static_cast<size_t>(d)];
    a.set("time_major", int64_t{layout == 0 ? 1 : 0});
    a.set("reverse", int64_t{d == 1 || dc.direction == "reverse" ? 1 : 0});
    a.set("clip", static_cast<double>(dc.clip));
    ctx.AddNode(op, {n.input_id(0), w_id, r_id, b_id, initial}, {sequence}, std::move(a));
    sequences.push_back(sequence);
  }

  if (n.has_output(0)) {  // Y: [seq, directions, batch, H], or [batch, seq, directions, H]
    const Shape shape = layout == 0 ? Shape{t, dirs, b, h} : Shape{b, t, dirs, h};
    if (directions == 1) {
      n.BindOutput(0, EmitReshape(n, sequences[0], shape, n.proto().output(0)));
    } else {
      Attrs pack;
      pack.set("values_count", int64_t{2});
      pack.set("axis", int64_t{layout == 0 ? 1 : 2});
      ctx.AddNode(OpKind::kPack, sequences, {n.DefineOutput(0, DType::kFloat32, shape)}, std::move(pack));
    }
  }
  if (n.has_output(1)) {  // Y_h: each direction's last step, [directions, batch, H] or [batch, directions, H]
    if (directions == 1) {
      EmitStepSlice(n, sequences[0], dc.direction == "reverse" ? 0 : steps - 1, layout,
                    n.DefineOutput(1, DType::kFloat32, one_step), n.proto().output(1));
    } else {
      std::vector<int> last;
      for (int64_t d = 0; d < 2; ++d) {
        const std::string name = fmt::format("{}/{}_last", n.proto().output(1), d == 0 ? "forward" : "reverse");
        last.push_back(AddFloatTensor(ctx, name, one_step));
        EmitStepSlice(n, sequences[static_cast<size_t>(d)], d == 0 ? steps - 1 : 0, layout, last.back(), name);
      }
      Attrs concat;
      concat.set("axis", int64_t{layout == 0 ? 0 : 1});
      concat.set("activation", std::string("NONE"));
      ctx.AddNode(OpKind::kConcatenation, last,
                  {n.DefineOutput(1, DType::kFloat32, layout == 0 ? Shape{2, b, h} : Shape{b, 2, h})}, std::move(concat));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ConvertGru(OnnxNode& n) {
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}})
    if (!n.has_input(i)) return n.Invalid("inputs X, W and R are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_ASSIGN_OR_RETURN(const DirectionAndClip dc, ReadDirectionAndClip(n));
  if (const onnx::AttributeProto* a = n.attr("activations")) {
    if (a->strings_size() != 2 * dc.directions)
      return n.Unsupported("{} activations (only Sigmoid, Tanh per direction)", a->strings_size());
    for (int k = 0; k < a->strings_size(); ++k)
      if (a->strings(k) != (k % 2 == 0 ? "Sigmoid" : "Tanh"))
        return n.Unsupported("activation {} '{}' (only Sigmoid, Tanh per direction)", k, a->strings(k));
  }
  KILN_ASSIGN_OR_RETURN(const int64_t linear_before_reset, n.attr_int("linear_before_reset", 0));
  Attrs attrs;
  attrs.set("linear_before_reset", int64_t{linear_before_reset != 0 ? 1 : 0});
  return EmitPerDirection(n, OpKind::kGru, 3, dc, std::vector<Attrs>(static_cast<size_t>(dc.directions), attrs));
}

Status ConvertRnn(OnnxNode& n) {
  for (size_t i : {size_t{0}, size_t{1}, size_t{2}})
    if (!n.has_input(i)) return n.Invalid("inputs X, W and R are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
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
