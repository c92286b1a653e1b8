// SOFTMAX: int8 input with int8 or int16 output (softmax_s8), int16 input
// and output (softmax_s16) and float32 (softmax_f32); LOG_SOFTMAX int8
// (log_softmax_s8, TFLite Micro's PreprocessLogSoftmaxScalingExp). The parameters are
// computed as TFLite Micro's CalculateSoftmaxParams does: for int8,
// PreprocessSoftmaxScaling with 5 integer bits and CalculateInputRadius for
// the diff_min cut-off; for int16, the exp and 1/(1+x) lookup tables of
// LUTPopulate<int16_t> and the input rescaling to [-10, 0].
#include <cmath>
#include <string>

#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

using psm_detail::Field;
using psm_detail::IntLit;

/// Integer bits of the Q5.26 scaled differences fed to exp().
constexpr int kScaledDiffIntegerBits = 5;

/// TFLite's PreprocessSoftmaxScaling (double-rounding build): the Q5.26
/// multiplier for beta * input_scale, capped at 2^31 - 1.
double SoftmaxRealMultiplier(double beta, double input_scale) {
  const double max_real_multiplier = (1LL << 31) - 1.0;
  return std::min(beta * input_scale * static_cast<double>(1 << (31 - kScaledDiffIntegerBits)),
                  max_real_multiplier);
}

/// TFLite's CalculateInputRadius(input_integer_bits, input_left_shift, 31).
int64_t CalculateInputRadius(int input_integer_bits, int input_left_shift) {
  const double max_input_rescaled = 1.0 * ((1 << input_integer_bits) - 1) *
                                    static_cast<double>(1LL << (31 - input_integer_bits)) /
                                    static_cast<double>(1LL << input_left_shift);
  return static_cast<int64_t>(std::floor(max_input_rescaled));
}

/// The Q5.26 scaling of (x - max) both int8 softmaxes start from:
/// PreprocessSoftmaxScaling's multiplier and left shift, and diff_min, the
/// smallest difference that reaches exp (-CalculateInputRadius; TFLite's
/// softmax stores -1.0 * radius as a double into an int, its log softmax
/// negates the int: the same value).
struct ScaledDiffs {
  FixedPointMultiplier m;
  int64_t diff_min;
};
ScaledDiffs ScaledDiffParams(double beta, float input_scale) {
  const FixedPointMultiplier m = QuantizeMultiplier(SoftmaxRealMultiplier(beta, static_cast<double>(input_scale)));
  return {m, -CalculateInputRadius(kScaledDiffIntegerBits, m.shift)};
}

/// The dimension product of all axes but the last, and the last.
std::pair<int64_t, int64_t> RowsAndDepth(const Tensor& t) {
  int64_t outer = 1;
  for (size_t i = 0; i + 1 < t.shape.size(); ++i) outer *= t.shape[i];
  return {outer, t.shape.back()};
}

/// beta as the float TFLite stores in TfLiteSoftmaxParams.
float Beta(const Node& node) { return static_cast<float>(node.attrs.get_float("beta", 1.0)); }

Status CheckSoftmaxCommon(const Graph& graph, const Node& node, DType input_dtype) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {input_dtype}));
  const Tensor& input = *graph.input(node, 0);
  if (input.shape.empty())
    return MakeError("{}: input '{}' must have rank at least 1", OpLabel(node), input.name);
  KILN_RETURN_IF_ERROR(psm_detail::CheckDimsPositive(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, input.shape));
  if (!std::isfinite(Beta(node)))
    return MakeError("{}: beta must be finite, got {}", OpLabel(node), Beta(node));
  return Status::Ok();
}

}  // namespace

Status CheckSoftmaxInt8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSoftmaxCommon(graph, node, DType::kInt8));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
  if (output.dtype != DType::kInt8 && output.dtype != DType::kInt16)
    return MakeError("{}: output '{}' has dtype {}, expected int8 or int16", OpLabel(node),
                     output.name, DTypeName(output.dtype));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, output, "output"));
  // The output quantization is fixed by the kernel (TFLite Micro's
  // CalculateSoftmaxParams enforces it).
  const float out_scale = output.quant.scale[0];
  const int64_t out_zp = output.quant.zero_point[0];
  if (output.dtype == DType::kInt8) {
    if (out_zp != -128 || out_scale != 1.0f / 256)
      return MakeError(
          "{}: int8 output '{}' must have scale 1/256 and zero point -128, got scale {} and "
          "zero point {}",
          OpLabel(node), output.name, out_scale, out_zp);
  } else {
    const float expected = 1.0f / 65536;
    const float delta = out_scale > expected ? out_scale - expected : expected - out_scale;
    if (out_zp != -32768 || delta > 0.001f * expected)
      return MakeError(
          "{}: int16 output '{}' must have scale 1/65536 and zero point -32768, got scale {} "
          "and zero point {}",
          OpLabel(node), output.name, out_scale, out_zp);
  }
  // QuantizeMultiplierGreaterThanOne (TFLite aborts otherwise).
  const double real = SoftmaxRealMultiplier(static_cast<double>(Beta(node)),
                                            static_cast<double>(input.quant.scale[0]));
  if (!(real > 1.0))
    return MakeError(
        "{}: beta * input scale ({} * {}) is too small for the int8 kernel (needs beta * scale > "
        "2^-26)",
        OpLabel(node), Beta(node), input.quant.scale[0]);
  return Status::Ok();
}

Status LowerSoftmaxInt8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  const auto [m, diff_min] = ScaledDiffParams(static_cast<double>(Beta(node)), input.quant.scale[0]);
  const auto [outer, depth] = RowsAndDepth(input);

  const std::vector<Field> fields = {
      {"outer_size", IntLit(outer)},
      {"depth", IntLit(depth)},
      {"input_multiplier", IntLit(m.multiplier)},
      {"input_left_shift", IntLit(m.shift)},
      {"diff_min", IntLit(diff_min)},
  };
  ctx.use_kernel("softmax_s8");
  const std::string name = ctx.unique_name("softmax_s8_params");
  ctx.declare(StaticConstStruct("kiln_softmax_s8_params_t", name, fields));
  const char* function = output.dtype == DType::kInt16 ? "kiln_softmax_s8_s16" : "kiln_softmax_s8";
  ctx.statement(fmt::format("{}(&{}, {}, {});", function, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckLogSoftmaxInt8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSoftmaxCommon(graph, node, DType::kInt8));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, DType::kInt8));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, output, "output"));
  // TFLite Micro's Prepare compares the float scale exactly.
  if (output.quant.scale[0] != 16.0f / 256 || output.quant.zero_point[0] != 127)
    return MakeError("{}: int8 output '{}' must have scale 16/256 and zero point 127, got scale {} and zero point {}",
                     OpLabel(node), output.name, output.quant.scale[0], output.quant.zero_point[0]);
  if (!(SoftmaxRealMultiplier(1.0, static_cast<double>(input.quant.scale[0])) > 1.0))
    return MakeError("{}: input scale {} is too small for the int8 kernel (needs scale > 2^-26)", OpLabel(node),
                     input.quant.scale[0]);
  return Status::Ok();
}

Status LowerLogSoftmaxInt8(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  // PreprocessLogSoftmaxScalingExp (beta 1): the softmax's scaling and its inverse.
  const auto [m, diff_min] = ScaledDiffParams(1.0, input.quant.scale[0]);
  const FixedPointMultiplier reverse =
      QuantizeMultiplier(static_cast<double>(int64_t{1} << (31 - m.shift)) / static_cast<double>(m.multiplier));
  const auto [outer, depth] = RowsAndDepth(input);
  const std::vector<Field> fields = {
      {"outer_size", IntLit(outer)},
      {"depth", IntLit(depth)},
      {"input_multiplier", IntLit(m.multiplier)},
      {"input_left_shift", IntLit(m.shift)},
      {"reverse_scaling_divisor", IntLit(reverse.multiplier)},
      {"reverse_scaling_shift", IntLit(reverse.shift)},
      {"diff_min", IntLit(diff_min)},
  };
  ctx.use_kernel("log_softmax_s8");
  const std::string name = ctx.unique_name("log_softmax_s8_params");
  ctx.declare(StaticConstStruct("kiln_log_softmax_s8_params_t", name, fields));
  ctx.statement(fmt::format("kiln_log_softmax_s8(&{}, {}, {});", name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

namespace {

/// TFLite's LUTPopulate<int16_t> (float arithmetic throughout): 512
/// samples of `transform` over the input range, each biased by half the
/// interpolation error at the segment midpoint, plus the end point.
std::vector<int64_t> PopulateLutInt16(float input_scale, int32_t input_zero_point,
                                      float output_scale, int32_t output_zero_point,
                                      float (*transform)(float)) {
  const float input_min = input_scale * static_cast<float>(-32768 - input_zero_point);
  const float input_max = input_scale * static_cast<float>(32767 - input_zero_point);
  const float output_min = output_scale * static_cast<float>(-32768 - output_zero_point);
  const float output_max = output_scale * static_cast<float>(32767 - output_zero_point);
  const int nb_steps = 512;
  const float step = (input_max - input_min) / static_cast<float>(nb_steps);
  const float half_step = step / 2;
  const float output_scaling_inv = 65536.0f / (output_max - output_min);
  const float table_min = -32768.0f;
  const float table_max = 32767.0f;
  std::vector<int64_t> lut(nb_steps + 1);
  for (int i = 0; i < nb_steps; ++i) {
    const float x = input_min + static_cast<float>(i) * step;
    const float val = transform(x);
    const float val_midpoint = transform(input_min + static_cast<float>(i) * step + half_step);
    const float val_next = transform(input_min + static_cast<float>(i + 1) * step);
    const float sample_val = std::round(val * output_scaling_inv);
    const float midpoint_interp_val =
        std::round((val_next * output_scaling_inv + std::round(val * output_scaling_inv)) / 2);
    const float midpoint_val = std::round(val_midpoint * output_scaling_inv);
    const float midpoint_err = midpoint_interp_val - midpoint_val;
    const float bias = std::round(midpoint_err / 2);
    lut[static_cast<size_t>(i)] = static_cast<int16_t>(
        std::min<float>(std::max<float>(sample_val - bias, table_min), table_max));
  }
  lut[nb_steps] = static_cast<int16_t>(std::min<float>(
      std::max<float>(std::round(transform(input_max) * output_scaling_inv), table_min),
      table_max));
  return lut;
}

float ExpTransform(float x) { return std::exp(x); }
float OneOverOnePlusXTransform(float x) { return 1.0f / (1.0f + x); }

/// The int16 input rescaling: [-65535, 0] stands for [-10, 0].
FixedPointMultiplier Int16InputMultiplier(const Tensor& input, const Node& node) {
  return QuantizeMultiplier(static_cast<double>(input.quant.scale[0]) *
                            static_cast<double>(Beta(node)) / (10.0 / 65535.0));
}

}  // namespace

std::vector<int64_t> SoftmaxExpLutInt16() {
  // Input scale 10/65535 with zero point 32767 covers [-10, 0]; output
  // scale 2/65535 the symmetric range [-1, 1].
  return PopulateLutInt16(10.0f / 65535, 32767, 2.0f / 65535, 0, &ExpTransform);
}

std::vector<int64_t> SoftmaxOneOverOnePlusXLutInt16() {
  return PopulateLutInt16(1.0f / 65535, -32768, 2.0f / 65535, 0, &OneOverOnePlusXTransform);
}

Status CheckSoftmaxInt16(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSoftmaxCommon(graph, node, DType::kInt16));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, DType::kInt16));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, output, "output"));
  if (psm_detail::ZeroPoint(input) != 0)
    return MakeError("{}: int16 input '{}' must have zero point 0, got {}", OpLabel(node),
                     input.name, psm_detail::ZeroPoint(input));
  const float out_scale = output.quant.scale[0];
  const float expected = 1.0f / 32768;
  const float delta = out_scale > expected ? out_scale - expected : expected - out_scale;
  if (psm_detail::ZeroPoint(output) != 0 || delta > 0.001f * expected)
    return MakeError(
        "{}: int16 output '{}' must have scale 1/32768 and zero point 0, got scale {} and zero "
        "point {}",
        OpLabel(node), output.name, out_scale, psm_detail::ZeroPoint(output));
  const FixedPointMultiplier m = Int16InputMultiplier(input, node);
  // The rescaled difference (up to 65535 * 2^shift) must fit in int32.
  if (m.multiplier <= 0 || m.shift > 15)
    return MakeError(
        "{}: beta * input scale ({} * {}) is outside the range the int16 kernel supports",
        OpLabel(node), Beta(node), input.quant.scale[0]);
  return Status::Ok();
}

Status LowerSoftmaxInt16(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const FixedPointMultiplier m = Int16InputMultiplier(input, node);
  const auto [outer, depth] = RowsAndDepth(input);
  const std::vector<int64_t> exp_lut = SoftmaxExpLutInt16();
  const std::vector<int64_t> recip_lut = SoftmaxOneOverOnePlusXLutInt16();
  const std::vector<Field> fields = {
      {"outer_size", IntLit(outer)},
      {"depth", IntLit(depth)},
      {"input_multiplier", IntLit(m.multiplier)},
      {"input_left_shift", IntLit(m.shift)},
      {"exp_lut", ctx.const_int_array("softmax_exp_lut", "int16_t", exp_lut)},
      {"one_over_one_plus_x_lut",
       ctx.const_int_array("softmax_one_over_one_plus_x_lut", "int16_t", recip_lut)},
  };
  ctx.use_kernel("softmax_s16");
  const std::string name = ctx.unique_name("softmax_s16_params");
  ctx.declare(StaticConstStruct("kiln_softmax_s16_params_t", name, fields));
  ctx.statement(fmt::format("kiln_softmax_s16(&{}, {}, {});", name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckSoftmaxFloat(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSoftmaxCommon(graph, node, DType::kFloat32));
  return psm_detail::CheckOutputDType(graph, node, DType::kFloat32);
}

// SOFTMAX and LOG_SOFTMAX: the same params, the variant from the registry.
Status LowerSoftmaxFloat(const Node& node, LoweringContext& ctx) {
  const KernelEntry* kernel = FindKernel(ctx.graph(), node);
  if (kernel == nullptr) return MakeError("{}: no float32 kernel", OpLabel(node));
  const std::string variant(kernel->variant);
  const Tensor& input = *ctx.graph().input(node, 0);
  const auto [outer, depth] = RowsAndDepth(input);
  const std::vector<Field> fields = {
      {"outer_size", IntLit(outer)},
      {"depth", IntLit(depth)},
      {"beta", psm_detail::FloatLit(Beta(node))},
  };
  ctx.use_kernel(variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", name, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
