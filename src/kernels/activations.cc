// RELU, RELU6, LEAKY_RELU, HARD_SWISH and ELU for int8 and float32 (RELU,
// RELU6 and LEAKY_RELU also int16), quantized ABS (int8, int16) and RSQRT
// (int8). The integer parameters follow TFLite Micro's Prepare functions
// exactly (activations_common.cc, leaky_relu_common.cc,
// hard_swish_common.cc, elementwise.cc), including which products and
// ratios are formed in float and which in double.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

using elem_detail::Field;
using elem_detail::IntLit;
using elem_detail::ZeroPoint;

/// Unary shape rule plus input and output dtypes.
Status CheckUnary(const Graph& graph, const Node& node, DType in, DType out) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckUnaryShape(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {in}));
  return elem_detail::CheckOutputDType(graph, node, 0, {out});
}

/// CheckUnary for a quantized type in and out, both with a scale and zero point.
Status CheckQuantizedUnary(const Graph& graph, const Node& node, DType dtype) {
  KILN_RETURN_IF_ERROR(CheckUnary(graph, node, dtype, dtype));
  KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, *graph.input(node, 0), "input"));
  return elem_detail::CheckQuantized(node, graph.output(node, 0), "output");
}

int64_t Count(const Graph& graph, const Node& node) {
  return graph.input(node, 0)->num_elements();
}

/// Emits `kiln_<variant>(&params, input, output);`.
void EmitUnaryCall(const Node& node, LoweringContext& ctx, const std::string& variant,
                   const std::vector<Field>& fields) {
  ctx.use_kernel(variant);
  const std::string name = elem_detail::DeclareParams(ctx, variant, fields);
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  // Every activation kernel is one front-to-back loop: it may run in place.
  elem_detail::DeclareElementwiseStreaming(node, ctx);
}

// --- RELU / RELU6 -------------------------------------------------------------

struct ReluParams {
  bool requantize = false;
  FixedPointMultiplier multiplier;
  IntRange range{};
};

/// RELU: CalculateReluOpData<T> (requantize input -> output scale, clamp
/// below at the output zero point). RELU6: Relu6Prepare, which clamps the
/// raw input to [input zero point, quantized 6.0] on the input scale and
/// does not requantize.
Expected<ReluParams> ComputeReluParams(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, 0);
  const IntRange limits = DTypeRange(in.dtype);
  ReluParams p;
  if (node.op == OpKind::kRelu6) {
    const float scale = in.quant.scale[0];
    // FloatToQuantizedType<T>: round(6.0f / scale) + zero_point, clamped.
    const double six = static_cast<double>(std::round(6.0f / scale)) + ZeroPoint(in);
    p.range.min = ZeroPoint(in);
    p.range.max =
        static_cast<int32_t>(std::clamp(six, static_cast<double>(limits.min), static_cast<double>(limits.max)));
    return p;
  }
  const Tensor& out = graph.output(node, 0);
  p.requantize = true;
  p.multiplier = QuantizeMultiplier(static_cast<double>(in.quant.scale[0]) /
                                    static_cast<double>(out.quant.scale[0]));
  KILN_RETURN_IF_ERROR(
      elem_detail::CheckShift(node, p.multiplier, "input_scale / output_scale"));
  // act_min = 0: zero_point + roundf(0 / scale) is the zero point itself.
  p.range.min = std::max(limits.min, ZeroPoint(out));
  p.range.max = limits.max;
  return p;
}

// --- LEAKY_RELU ---------------------------------------------------------------

struct LeakyReluParams {
  FixedPointMultiplier identity;
  FixedPointMultiplier alpha;
};

/// CalculateOpDataLeakyRelu: both ratios are formed in float (alpha is a
/// float in TfLiteLeakyReluParams), then widened to double.
Expected<LeakyReluParams> ComputeLeakyReluParams(const Graph& graph, const Node& node) {
  const float in_scale = graph.input(node, 0)->quant.scale[0];
  const float out_scale = graph.output(node, 0).quant.scale[0];
  const float alpha = static_cast<float>(node.attrs.get_float("alpha", 0.0));
  if (!std::isfinite(alpha))
    return MakeError("{}: alpha {} is not a finite number", OpLabel(node), alpha);
  const float alpha_ratio = in_scale * alpha / out_scale;
  if (!std::isfinite(alpha_ratio))
    return MakeError("{}: input_scale * alpha / output_scale overflows", OpLabel(node));
  LeakyReluParams p;
  p.alpha = QuantizeMultiplier(static_cast<double>(alpha_ratio));
  p.identity = QuantizeMultiplier(static_cast<double>(in_scale / out_scale));
  KILN_RETURN_IF_ERROR(
      elem_detail::CheckShift(node, p.identity, "input_scale / output_scale"));
  KILN_RETURN_IF_ERROR(
      elem_detail::CheckShift(node, p.alpha, "input_scale * alpha / output_scale"));
  return p;
}

// --- HARD_SWISH -----------------------------------------------------------------

struct HardSwishParams {
  int32_t output_multiplier = 0;  // int16 range
  int output_exponent = 0;
  int32_t reluish_multiplier = 0;  // int16 range
  int reluish_exponent = 0;
};

/// TFLite's DownScaleInt32ToInt16Multiplier: round a Q31 multiplier to Q15.
int32_t DownScaleToInt16(int32_t multiplier) {
  constexpr int32_t kRoundingOffset = 1 << 15;
  if (multiplier >= INT32_MAX - kRoundingOffset) return INT16_MAX;
  return (multiplier + kRoundingOffset) >> 16;
}

/// HardSwishPrepare for int8: all ratios in float, widened to double for
/// QuantizeMultiplier, then reduced to 16-bit multipliers.
Expected<HardSwishParams> ComputeHardSwishParams(const Graph& graph, const Node& node) {
  const float input_scale = graph.input(node, 0)->quant.scale[0];
  const float output_scale = graph.output(node, 0).quant.scale[0];
  const float hires_input_scale = (1.0f / 128.0f) * input_scale;
  const float reluish_scale = 3.0f / 32768.0f;
  HardSwishParams p;
  const FixedPointMultiplier out_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / output_scale));
  if (out_m.shift > 0)
    return MakeError("{}: input_scale / (128 * output_scale) = {} must be below 1 (TFLite "
                     "requires a non-positive output exponent)",
                     OpLabel(node), static_cast<double>(hires_input_scale / output_scale));
  const FixedPointMultiplier relu_m =
      QuantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale));
  if (relu_m.shift > 31)
    return MakeError("{}: input scale {} is implausibly large", OpLabel(node), input_scale);
  p.output_multiplier = DownScaleToInt16(out_m.multiplier);
  p.output_exponent = out_m.shift;
  p.reluish_multiplier = DownScaleToInt16(relu_m.multiplier);
  p.reluish_exponent = relu_m.shift;
  return p;
}

}  // namespace

Status CheckReluQuantized(const Graph& graph, const Node& node) {
  const DType dtype = elem_detail::InputDType(graph, node);
  KILN_RETURN_IF_ERROR(CheckUnary(graph, node, dtype, dtype));
  KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, *graph.input(node, 0), "input"));
  // TFLite Micro's RELU6 never reads the output quantization; its int16
  // RELU takes zero points 0 only.
  if (node.op != OpKind::kRelu6) {
    KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, graph.output(node, 0), "output"));
    if (dtype == DType::kInt16) {
      KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, *graph.input(node, 0), "input"));
      KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, graph.output(node, 0), "output"));
    }
  }
  return ComputeReluParams(graph, node).status();
}

Status LowerReluQuantized(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const ReluParams p, ComputeReluParams(graph, node));
  const int32_t out_zp = p.requantize ? ZeroPoint(graph.output(node, 0)) : 0;
  EmitUnaryCall(node, ctx, graph.input(node, 0)->dtype == DType::kInt16 ? "relu_s16" : "relu_s8",
                {
                    {"count", IntLit(Count(graph, node))},
                    {"requantize", p.requantize ? "1" : "0"},
                    {"input_zero_point", IntLit(ZeroPoint(*graph.input(node, 0)))},
                    {"output_zero_point", IntLit(out_zp)},
                    {"multiplier", IntLit(p.multiplier.multiplier)},
                    {"shift", IntLit(p.multiplier.shift)},
                    {"activation_min", IntLit(p.range.min)},
                    {"activation_max", IntLit(p.range.max)},
                });
  return Status::Ok();
}

namespace {

/// ABS: PrepareAbsRsqrt's rescaling, input_scale / output_scale divided in
/// float, used only when the scales differ (multiplier 0 then).
struct AbsRescale {
  bool rescale;
  FixedPointMultiplier multiplier;
};
AbsRescale ComputeAbsRescale(const Graph& graph, const Node& node) {
  const float in = graph.input(node, 0)->quant.scale[0], out = graph.output(node, 0).quant.scale[0];
  if (in == out) return {false, {}};
  return {true, QuantizeMultiplier(static_cast<double>(in / out))};
}

}  // namespace

Status CheckAbsQuantized(const Graph& graph, const Node& node) {
  const DType dtype = elem_detail::InputDType(graph, node);
  KILN_RETURN_IF_ERROR(CheckQuantizedUnary(graph, node, dtype));
  if (dtype == DType::kInt16) {
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, *graph.input(node, 0), "input"));
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, graph.output(node, 0), "output"));
  }
  return elem_detail::CheckShift(node, ComputeAbsRescale(graph, node).multiplier, "input_scale / output_scale");
}

Status LowerAbsQuantized(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  const AbsRescale r = ComputeAbsRescale(graph, node);
  EmitUnaryCall(node, ctx, in.dtype == DType::kInt16 ? "abs_s16" : "abs_s8",
                {
                    {"count", IntLit(Count(graph, node))},
                    {"input_zero_point", IntLit(ZeroPoint(in))},
                    {"output_zero_point", IntLit(ZeroPoint(out))},
                    {"rescale", r.rescale ? "1" : "0"},
                    {"multiplier", IntLit(r.multiplier.multiplier)},
                    {"shift", IntLit(r.multiplier.shift)},
                });
  return Status::Ok();
}

namespace {

/// RSQRT: SetRsqrtOutputMultiplier's 1 / (sqrt(input_scale) * output_scale),
/// the product in float. The kernel applies it with a shift 20 lower, which
/// must stay within TFLite's rounding shift (-31) and not turn left past 0.
Expected<FixedPointMultiplier> RsqrtMultiplier(const Graph& graph, const Node& node) {
  const float product = std::sqrt(graph.input(node, 0)->quant.scale[0]) * graph.output(node, 0).quant.scale[0];
  const FixedPointMultiplier m = QuantizeMultiplier(1.0 / static_cast<double>(product));
  if (m.shift < -11 || m.shift > 20)
    return MakeError("{}: 1 / (sqrt(input_scale) * output_scale) = {} is outside the range the kernel's 2^20 scaling "
                     "takes [2^-12, 2^20)",
                     OpLabel(node), 1.0 / static_cast<double>(product));
  return m;
}

}  // namespace

Status CheckRsqrtS8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckQuantizedUnary(graph, node, DType::kInt8));
  return RsqrtMultiplier(graph, node).status();
}

Status LowerRsqrtS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const FixedPointMultiplier m, RsqrtMultiplier(graph, node));
  ctx.use_kernel("rsqrt_s8");
  const std::string name = elem_detail::DeclareParams(ctx, "rsqrt_s8",
                                                      {
                                                          {"count", IntLit(Count(graph, node))},
                                                          {"input_zero_point", IntLit(ZeroPoint(*graph.input(node, 0)))},
                                                          {"output_zero_point", IntLit(ZeroPoint(graph.output(node, 0)))},
                                                          {"multiplier", IntLit(m.multiplier)},
                                                          {"shift", IntLit(m.shift)},
                                                      });
  // A value below the zero point stops run(), as TFLite Micro's Eval fails.
  ctx.statement(fmt::format("if (kiln_rsqrt_s8(&{}, {}, {}) != KILN_OK) return KILN_ERROR_OUT_OF_DOMAIN;", name,
                            ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0])));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

Status CheckReluF32(const Graph& graph, const Node& node) {
  return CheckUnary(graph, node, DType::kFloat32, DType::kFloat32);
}

Status LowerReluF32(const Node& node, LoweringContext& ctx) {
  EmitUnaryCall(node, ctx, "relu_f32",
                {
                    {"count", IntLit(Count(ctx.graph(), node))},
                    {"relu6", node.op == OpKind::kRelu6 ? "1" : "0"},
                });
  return Status::Ok();
}

Status CheckLeakyReluQuantized(const Graph& graph, const Node& node) {
  const DType dtype = elem_detail::InputDType(graph, node);
  KILN_RETURN_IF_ERROR(CheckQuantizedUnary(graph, node, dtype));
  return ComputeLeakyReluParams(graph, node).status();
}

Status LowerLeakyReluQuantized(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const LeakyReluParams p, ComputeLeakyReluParams(graph, node));
  // TFLite's QuantizeLeakyRelu<T> serves int8 and int16 alike.
  EmitUnaryCall(node, ctx, graph.input(node, 0)->dtype == DType::kInt16 ? "leaky_relu_s16" : "leaky_relu_s8",
                {
                    {"count", IntLit(Count(graph, node))},
                    {"input_zero_point", IntLit(ZeroPoint(*graph.input(node, 0)))},
                    {"output_zero_point", IntLit(ZeroPoint(graph.output(node, 0)))},
                    {"identity_multiplier", IntLit(p.identity.multiplier)},
                    {"identity_shift", IntLit(p.identity.shift)},
                    {"alpha_multiplier", IntLit(p.alpha.multiplier)},
                    {"alpha_shift", IntLit(p.alpha.shift)},
                });
  return Status::Ok();
}

Status CheckLeakyReluF32(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckUnary(graph, node, DType::kFloat32, DType::kFloat32));
  const double alpha = node.attrs.get_float("alpha", 0.0);
  if (!std::isfinite(static_cast<float>(alpha)))
    return MakeError("{}: alpha {} is not a finite float", OpLabel(node), alpha);
  return Status::Ok();
}

Status LowerLeakyReluF32(const Node& node, LoweringContext& ctx) {
  const float alpha = static_cast<float>(node.attrs.get_float("alpha", 0.0));
  EmitUnaryCall(node, ctx, "leaky_relu_f32",
                {
                    {"count", IntLit(Count(ctx.graph(), node))},
                    {"alpha", elem_detail::FloatLit(alpha)},
                });
  return Status::Ok();
}

Status CheckHardSwishS8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckQuantizedUnary(graph, node, DType::kInt8));
  return ComputeHardSwishParams(graph, node).status();
}

Status LowerHardSwishS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const HardSwishParams p, ComputeHardSwishParams(graph, node));
  EmitUnaryCall(node, ctx, "hard_swish_s8",
                {
                    {"count", IntLit(Count(graph, node))},
                    {"input_zero_point", IntLit(ZeroPoint(*graph.input(node, 0)))},
                    {"output_zero_point", IntLit(ZeroPoint(graph.output(node, 0)))},
                    {"output_multiplier", IntLit(p.output_multiplier)},
                    {"output_exponent", IntLit(p.output_exponent)},
                    {"reluish_multiplier", IntLit(p.reluish_multiplier)},
                    {"reluish_exponent", IntLit(p.reluish_exponent)},
                });
  return Status::Ok();
}

Status CheckHardSwishF32(const Graph& graph, const Node& node) {
  return CheckUnary(graph, node, DType::kFloat32, DType::kFloat32);
}

Status LowerHardSwishF32(const Node& node, LoweringContext& ctx) {
  EmitUnaryCall(node, ctx, "hard_swish_f32", {{"count", IntLit(Count(ctx.graph(), node))}});
  return Status::Ok();
}

// --- ELU (int8: a table, as TFLite Micro's elu.cc) ---------------------------

Status CheckEluS8(const Graph& graph, const Node& node) {
  // TFLite's ELU has no alpha or scale; ONNX's Elu and Selu set them on float32 only.
  for (const char* attr : {"alpha", "scale"})
    if (node.attrs.get_float(attr, 1.0) != 1.0)
      return MakeError("{}: int8 ELU takes no {} (only 1, TFLite's ELU); {} is {}", OpLabel(node), attr, attr,
                       node.attrs.get_float(attr, 1.0));
  return CheckQuantizedUnary(graph, node, DType::kInt8);
}

// float32: ONNX's alpha and scale (Selu) as parameters, both 1 for TFLite's ELU.
Status CheckEluF32(const Graph& graph, const Node& node) {
  return CheckUnary(graph, node, DType::kFloat32, DType::kFloat32);
}

Status LowerEluF32(const Node& node, LoweringContext& ctx) {
  EmitUnaryCall(node, ctx, "elu_f32",
                {{"size", IntLit(Count(ctx.graph(), node))},
                 {"alpha", elem_detail::FloatLit(static_cast<float>(node.attrs.get_float("alpha", 1.0)))},
                 {"scale", elem_detail::FloatLit(static_cast<float>(node.attrs.get_float("scale", 1.0)))}});
  return Status::Ok();
}

Status LowerEluS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  // TFLite Micro's PopulateLookupTable, in float as there: dequantize,
  // expm1 below zero, scale by the output's inverse scale, round, add the
  // zero point, clamp. Indexed by the input value + 128.
  const float input_scale = in.quant.scale[0], inverse_scale = 1.0f / out.quant.scale[0];
  const int32_t input_zero_point = ZeroPoint(in), output_zero_point = ZeroPoint(out);
  std::vector<int64_t> table;
  for (int32_t value = -128; value <= 127; ++value) {
    const float dequantized = input_scale * static_cast<float>(value - input_zero_point);
    const float transformed = dequantized < 0.0f ? std::expm1(dequantized) : dequantized;
    const float rescaled = std::round(transformed * inverse_scale);
    const int32_t quantized = static_cast<int32_t>(rescaled + static_cast<float>(output_zero_point));
    table.push_back(std::clamp<int32_t>(quantized, -128, 127));
  }
  EmitUnaryCall(node, ctx, "lut_s8",
                {{"size", IntLit(Count(graph, node))}, {"table", ctx.const_int_array("elu_table", "int8_t", table)}});
  return Status::Ok();
}

}  // namespace kiln
