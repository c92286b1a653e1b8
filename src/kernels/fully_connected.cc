// FULLY_CONNECTED, int8, 16x8 and float32: validation (the keep_num_dims shape
// rule included) and lowering to runtime/kernels/fully_connected_*.c.
// Parameters are computed as TFLite Micro's FullyConnectedPrepare computes
// them (CalculateOpDataFullyConnected).
#include <fmt/format.h>

#include <cmath>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/gemm_lowering.h"
#include "kernels/gemm_tiled.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kInput = 0;
constexpr size_t kWeights = 1;
constexpr size_t kBias = 2;

struct FcGeometry {
  int64_t batches = 0;       // B: input elements / K
  int64_t accum_depth = 0;   // K
  int64_t output_depth = 0;  // O
  std::string activation;
};

/// Validates what both dtypes share (arity, dtypes, shapes, attributes,
/// output shape) and returns the geometry.
Expected<FcGeometry> AnalyzeFullyConnected(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 3, 1));
  KILN_RETURN_IF_ERROR(CheckWeightedOpDTypes(graph, node, "weights"));
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& weights = *graph.input(node, kWeights);
  const Tensor* bias = graph.input(node, kBias);

  KILN_RETURN_IF_ERROR(CheckRankPositive(node, weights, "weights", 2));
  for (int32_t d : input.shape) {
    if (d < 1)
      return MakeError("{}: input '{}' has shape {}, expected every dimension >= 1", OpLabel(node),
                       input.name, ShapeString(input.shape));
  }
  if (input.num_elements() > INT32_MAX)
    return MakeError("{}: input '{}' has shape {}, too many elements", OpLabel(node), input.name,
                     ShapeString(input.shape));

  FcGeometry g;
  g.output_depth = weights.shape[0];
  g.accum_depth = weights.shape[1];
  // Any input is read as [B, K] rows, as TFLite flattens it.
  if (input.num_elements() % g.accum_depth != 0)
    return MakeError(
        "{}: input '{}' has shape {} ({} elements), not a whole number of rows of {} (the "
        "weights' depth)",
        OpLabel(node), input.name, ShapeString(input.shape), input.num_elements(), g.accum_depth);
  g.batches = input.num_elements() / g.accum_depth;
  if (bias != nullptr) KILN_RETURN_IF_ERROR(CheckElementCount(node, *bias, "bias", g.output_depth));

  const int64_t keep_num_dims = node.attrs.get_int("keep_num_dims", 0);
  Shape expected;
  if (keep_num_dims != 0) {
    // The input's shape with its last dimension replaced by O.
    if (input.shape.empty() || input.shape.back() != g.accum_depth)
      return MakeError(
          "{}: keep_num_dims needs input '{}' (shape {}) to end in the weights' depth {}",
          OpLabel(node), input.name, ShapeString(input.shape), g.accum_depth);
    expected = input.shape;
    expected.back() = static_cast<int32_t>(g.output_depth);
  } else {
    expected = {static_cast<int32_t>(g.batches), static_cast<int32_t>(g.output_depth)};
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));

  g.activation = node.attrs.get_string("activation", "NONE");
  auto range = FloatActivationRange(g.activation);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return g;
}

/// TFLite's per-tensor multiplier (GetQuantizedConvolutionMultipler): the
/// scale product is taken in float, then widened.
double PerTensorRealMultiplier(float input_scale, float weights_scale, float output_scale) {
  return static_cast<double>(input_scale * weights_scale) / static_cast<double>(output_scale);
}

/// The per-tensor multiplier, TFLite's or (rounding="HALF_EVEN") ONNX's.
ChannelMultipliers PerTensorMultiplier(const Node& node, float input_scale, float weights_scale,
                                       float output_scale) {
  if (OnnxRequantization(node)) return RequantMultipliers(node, input_scale, {weights_scale}, 1, output_scale);
  const FixedPointMultiplier m =
      QuantizeMultiplier(PerTensorRealMultiplier(input_scale, weights_scale, output_scale));
  ChannelMultipliers single;
  single.multiplier.push_back(m.multiplier);
  single.shift.push_back(m.shift);
  return single;
}

/// TFLite refuses a bias whose scale strays from input_scale * weights_scale
/// by more than 2% of the output scale (checked only when the bias carries
/// a scale), for per-tensor weights.
Status CheckPerTensorBiasScale(const Graph& graph, const Node& node) {
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& weights = *graph.input(node, kWeights);
  const Tensor* bias = graph.input(node, kBias);
  const Tensor& output = graph.output(node);
  if (bias != nullptr && !bias->quant.empty()) {
    const double product =
        static_cast<double>(input.quant.scale[0]) * static_cast<double>(weights.quant.scale[0]);
    const double diff = std::abs(product - static_cast<double>(bias->quant.scale[0]));
    if (diff / static_cast<double>(output.quant.scale[0]) > 0.02)
      return MakeError(
          "{}: bias '{}' has scale {}, expected input scale * weights scale = {} (TFLite "
          "allows a difference of 2% of the output scale)",
          OpLabel(node), bias->name, bias->quant.scale[0], product);
  }
  return Status::Ok();
}

/// Per-tensor weights: TFLite's kernels subtract their zero point.
Status CheckPerTensorWeightsQuant(const Node& node, const Tensor& weights) {
  if (weights.quant.empty() || !std::isfinite(weights.quant.scale[0]) ||
      weights.quant.scale[0] < 0.0f)
    return MakeError("{}: weights '{}' need quantization with a finite scale >= 0", OpLabel(node),
                     weights.name);
  const int64_t weights_zp = weights.quant.zero_point[0];
  if (weights_zp < -128 || weights_zp > 127)
    return MakeError("{}: weights '{}' have zero point {}, expected -128 to 127", OpLabel(node),
                     weights.name, weights_zp);
  return Status::Ok();
}

/// The weights' quantization: per-channel weights must be symmetric (TFLite's
/// kernels ignore their zero point); per-tensor ones may have a zero point,
/// and then the bias's scale must match.
Status CheckFcWeightsQuant(const Graph& graph, const Node& node, const FcGeometry& g) {
  const Tensor& weights = *graph.input(node, kWeights);
  if (weights.quant.per_channel())
    return CheckInt8FilterQuant(node, weights, 0, g.output_depth, "weights");
  KILN_RETURN_IF_ERROR(CheckPerTensorWeightsQuant(node, weights));
  return CheckPerTensorBiasScale(graph, node);
}

/// The requantization of a FULLY_CONNECTED: one multiplier per output
/// channel for per-channel weights, else one for all.
ChannelMultipliers FcMultipliers(const Graph& graph, const Node& node, const FcGeometry& g) {
  const float input_scale = graph.input(node, kInput)->quant.scale[0];
  const Tensor& weights = *graph.input(node, kWeights);
  const float output_scale = graph.output(node).quant.scale[0];
  return weights.quant.per_channel()
             ? RequantMultipliers(node, input_scale, weights.quant.scale, g.output_depth, output_scale)
             : PerTensorMultiplier(node, input_scale, weights.quant.scale[0], output_scale);
}

Status CheckFullyConnectedInt8(const Graph& graph, const Node& node, const FcGeometry& g) {
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, output, "output"));
  auto range = QuantizedActivationRange(g.activation, DType::kInt8, output.quant.scale[0],
                                        output.quant.zero_point[0]);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());

  KILN_RETURN_IF_ERROR(CheckFcWeightsQuant(graph, node, g));
  return CheckMultiplierRange(node, FcMultipliers(graph, node, g));
}

/// 16x8 (int16 activations, int8 weights): the activations, the weights as
/// for int8, and the requantization of TFLite's accumulator.
Status CheckFullyConnectedS16x8(const Graph& graph, const Node& node, const FcGeometry& g) {
  KILN_RETURN_IF_ERROR(CheckS16x8Activations(graph, node, g.activation));
  KILN_RETURN_IF_ERROR(CheckFcWeightsQuant(graph, node, g));
  return CheckS16x8Multipliers(node, FcMultipliers(graph, node, g),
                               ChooseS16x8Accumulator(graph, node, /*depthwise=*/false));
}

std::string I(int64_t v) { return std::to_string(v); }

std::string BiasArg(const Node& node, LoweringContext& ctx) {
  return node.inputs.size() > kBias && node.inputs[kBias] != kNoTensor
             ? ctx.tensor(node.inputs[kBias])
             : std::string("NULL");
}

std::string CallStatement(std::string_view variant, const std::string& params, const Node& node,
                          LoweringContext& ctx) {
  return fmt::format("kiln_{}(&{}, {}, {}, {}, {});", variant, params,
                     ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kWeights]),
                     BiasArg(node, ctx), ctx.tensor(node.outputs[0]));
}

}  // namespace

Status CheckFullyConnected(const Graph& graph, const Node& node) {
  KILN_ASSIGN_OR_RETURN(FcGeometry g, AnalyzeFullyConnected(graph, node));
  switch (graph.input(node, kInput)->dtype) {
    case DType::kInt8: return CheckFullyConnectedInt8(graph, node, g);
    case DType::kInt16: return CheckFullyConnectedS16x8(graph, node, g);
    default: return Status::Ok();
  }
}

namespace {

/// The matrix multiply of a fully connected layer: its weights are the
/// [N, K] matrix as they are.
GemmOperands FcGemmOperands(const Graph& graph, const Node& node, const FcGeometry& g, const IntRange& range) {
  // Per-tensor weights: the one multiplier repeated per output channel.
  ChannelMultipliers requant = FcMultipliers(graph, node, g);
  requant.multiplier.resize(static_cast<size_t>(g.output_depth), requant.multiplier[0]);
  requant.shift.resize(static_cast<size_t>(g.output_depth), requant.shift[0]);
  return MakeGemmOperands(graph, node, g.accum_depth, g.output_depth, ConstantValues(*graph.input(node, kWeights)),
                          std::move(requant),
                          range);
}

Status LowerFullyConnectedGemm(const Node& node, LoweringContext& ctx, const FcGeometry& g) {
  const Tensor& output = ctx.graph().output(node);
  KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.activation, DType::kInt8, output.quant.scale[0],
                                                                 output.quant.zero_point[0]));
  const GemmOperands gemm = FcGemmOperands(ctx.graph(), node, g, range);
  const Schedule& schedule = ctx.schedule();
  KILN_ASSIGN_OR_RETURN(const GemmVariant variant, ResolveGemmVariant(node, schedule, gemm));
  EmitGemmCall(gemm, schedule, variant, ctx, "fc", ctx.tensor(node.inputs[kInput]), g.batches,
               ctx.tensor(node.outputs[0]));
  return Status::Ok();
}

}  // namespace

std::vector<Schedule> FullyConnectedSchedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options) {
  const CostIsa isa = CostIsaOf(options.target);
  auto g = AnalyzeFullyConnected(graph, node);
  if (!g.ok()) return {Schedule{}};
  const int64_t outputs = g->batches * g->output_depth;
  const int64_t macs = outputs * g->accum_depth;
  Schedule reference;
  reference.macs = macs;
  reference.expected_instructions = EstimateInstructions(reference, macs, outputs, 0, 0, isa);
  std::vector<Schedule> out = {reference};
  if (!FoldableInt8Weights(graph, node)) return out;
  const Tensor& output = graph.output(node);
  auto range = QuantizedActivationRange(g->activation, DType::kInt8, output.quant.scale[0],
                                        output.quant.zero_point[0]);
  if (!range.ok()) return out;  // CheckFullyConnectedInt8 names it
  const int64_t narrow = AllowsNarrowRequantization(FcGemmOperands(graph, node, *g, *range)) ? 1 : 0;
  for (bool dsp : {false, true}) {
    Schedule s;
    s.name = dsp ? "gemm_dsp" : "gemm";
    s.knobs[kNarrowRequantKnob] = narrow;
    if (dsp) {
      s.features = {"dsp"};
      s.knobs[kWidenRowsKnob] = WidenRowsDefault(g->accum_depth, graph.input(node, kInput)->num_elements());
    }
    s.macs = macs;
    s.expected_instructions = EstimateInstructions(s, macs, outputs, 0, 0, isa);
    out.push_back(s);
    if (dsp) out.push_back(WithInt16Weights(s, g->accum_depth, g->output_depth, outputs, 0, 0));
  }
  if (options.loop_nest_space) {
    const std::vector<Schedule> tiled = TiledGemmSpace(
        {.rows = g->batches, .cols = g->output_depth, .depth = g->accum_depth, .narrow = narrow != 0}, macs);
    out.insert(out.end(), tiled.begin(), tiled.end());
  }
  Schedule rv32;
  rv32.name = kGemmRv32Schedule;
  rv32.knobs[kNarrowRequantKnob] = narrow;
  rv32.features = kRv32Features;
  rv32.macs = macs;
  rv32.expected_instructions =
      EstimateInstructions(rv32, macs, outputs, 0, 0, isa, Rv32LoneRows(g->batches) * g->output_depth);
  out.push_back(rv32);
  return out;
}

Status LowerFullyConnectedInt8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  if (ctx.schedule().name != "reference") {
    if (!FoldableInt8Weights(graph, node))
      return MakeError("{}: schedule '{}' does not apply to these weights", OpLabel(node), ctx.schedule().name);
    KILN_ASSIGN_OR_RETURN(FcGeometry g, AnalyzeFullyConnected(graph, node));
    return LowerFullyConnectedGemm(node, ctx, g);
  }
  KILN_ASSIGN_OR_RETURN(FcGeometry g, AnalyzeFullyConnected(graph, node));
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& weights = *graph.input(node, kWeights);
  const Tensor& output = graph.output(node);
  const float output_scale = output.quant.scale[0];
  const int64_t output_zp = output.quant.zero_point[0];
  KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.activation, DType::kInt8,
                                                                 output_scale, output_zp));
  ctx.use_kernel("fully_connected_s8");

  std::vector<CField> fields = {{"batches", I(g.batches)},
                                {"accum_depth", I(g.accum_depth)},
                                {"output_depth", I(g.output_depth)},
                                {"input_offset", I(-input.quant.zero_point[0])}};
  if (weights.quant.per_channel()) {
    const ChannelMultipliers m = RequantMultipliers(node, input.quant.scale[0], weights.quant.scale,
                                                    g.output_depth, output_scale);
    const std::string multipliers = ctx.const_int_array("fc_multiplier", "int32_t", m.multiplier);
    const std::string shifts = ctx.const_int_array("fc_shift", "int32_t", m.shift);
    fields.insert(fields.end(), {{"filter_offset", I(-FilterZeroPoint(weights))},
                                 {"output_offset", I(output_zp)},
                                 {"act_min", I(range.min)},
                                 {"act_max", I(range.max)},
                                 {"output_multiplier", "0"},
                                 {"output_shift", "0"},
                                 {"output_multipliers", multipliers},
                                 {"output_shifts", shifts}});
  } else {
    const ChannelMultipliers m =
        PerTensorMultiplier(node, input.quant.scale[0], weights.quant.scale[0], output_scale);
    fields.insert(fields.end(), {{"filter_offset", I(-weights.quant.zero_point[0])},
                                 {"output_offset", I(output_zp)},
                                 {"act_min", I(range.min)},
                                 {"act_max", I(range.max)},
                                 {"output_multiplier", I(m.multiplier[0])},
                                 {"output_shift", I(m.shift[0])},
                                 {"output_multipliers", "NULL"},
                                 {"output_shifts", "NULL"}});
  }
  if (OnnxRequantization(node)) fields.push_back({"round_half_even", "1"});
  const std::string params = ctx.unique_name("fc_params");
  ctx.declare(StaticConstStruct("kiln_fully_connected_s8_params_t", params, fields));
  ctx.statement(CallStatement("fully_connected_s8", params, node, ctx));
  return Status::Ok();
}

Status LowerFullyConnectedInt16(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(FcGeometry g, AnalyzeFullyConnected(graph, node));
  const Tensor& weights = *graph.input(node, kWeights);
  KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.activation, DType::kInt16,
                                                                 graph.output(node).quant.scale[0], 0));
  const ChannelMultipliers m = FcMultipliers(graph, node, g);
  ctx.use_kernel("fully_connected_s16");
  const bool per_channel = weights.quant.per_channel();
  const std::vector<CField> fields = {
      {"batches", I(g.batches)},
      {"accum_depth", I(g.accum_depth)},
      {"output_depth", I(g.output_depth)},
      {"filter_offset", I(per_channel ? 0 : -FilterZeroPoint(weights))},
      {"act_min", I(range.min)},
      {"act_max", I(range.max)},
      {"accumulator", I(static_cast<int>(ChooseS16x8Accumulator(graph, node, /*depthwise=*/false)))},
      {"per_channel", per_channel ? "1" : "0"},
      {"output_multiplier", ctx.const_int_array("fc_multiplier", "int32_t", m.multiplier)},
      {"output_shift", ctx.const_int_array("fc_shift", "int32_t", m.shift)}};
  const std::string params = ctx.unique_name("fc_params");
  ctx.declare(StaticConstStruct("kiln_fully_connected_s16_params_t", params, fields));
  ctx.statement(CallStatement("fully_connected_s16", params, node, ctx));
  return Status::Ok();
}

Status LowerFullyConnectedFloat32(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(FcGeometry g, AnalyzeFullyConnected(ctx.graph(), node));
  KILN_ASSIGN_OR_RETURN(FloatRange range, FloatActivationRange(g.activation));
  ctx.use_kernel("fully_connected_f32");
  const std::vector<CField> fields = {{"batches", I(g.batches)},
                                      {"accum_depth", I(g.accum_depth)},
                                      {"output_depth", I(g.output_depth)},
                                      {"act_min", CFloatLiteral(range.min)},
                                      {"act_max", CFloatLiteral(range.max)}};
  const std::string params = ctx.unique_name("fc_params");
  ctx.declare(StaticConstStruct("kiln_fully_connected_f32_params_t", params, fields));
  ctx.statement(CallStatement("fully_connected_f32", params, node, ctx));
  return Status::Ok();
}

}  // namespace kiln
