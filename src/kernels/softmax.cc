// SOFTMAX: int8 input with int8 or int16 output (softmax_s8) and float32
// (softmax_f32). The fixed-point parameters are computed as TFLite Micro's
// CalculateSoftmaxParams does (PreprocessSoftmaxScaling with 5 integer bits,
// CalculateInputRadius for the diff_min cut-off).
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
  const FixedPointMultiplier m = QuantizeMultiplier(SoftmaxRealMultiplier(
      static_cast<double>(Beta(node)), static_cast<double>(input.quant.scale[0])));
  // TFLite stores -1.0 * radius (a double) into an int field.
  const int64_t diff_min =
      static_cast<int32_t>(-1.0 * static_cast<double>(CalculateInputRadius(
                                      kScaledDiffIntegerBits, m.shift)));
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
  ctx.declare(psm_detail::StaticParams("kiln_softmax_s8_params_t", name, fields));
  const char* function = output.dtype == DType::kInt16 ? "kiln_softmax_s8_s16" : "kiln_softmax_s8";
  ctx.statement(fmt::format("{}(&{}, {}, {});", function, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckSoftmaxFloat(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSoftmaxCommon(graph, node, DType::kFloat32));
  return psm_detail::CheckOutputDType(graph, node, DType::kFloat32);
}

Status LowerSoftmaxFloat(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const auto [outer, depth] = RowsAndDepth(input);
  const std::vector<Field> fields = {
      {"outer_size", IntLit(outer)},
      {"depth", IntLit(depth)},
      {"beta", psm_detail::FloatLit(Beta(node))},
  };
  ctx.use_kernel("softmax_f32");
  const std::string name = ctx.unique_name("softmax_f32_params");
  ctx.declare(psm_detail::StaticParams("kiln_softmax_f32_params_t", name, fields));
  ctx.statement(fmt::format("kiln_softmax_f32(&{}, {}, {});", name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
