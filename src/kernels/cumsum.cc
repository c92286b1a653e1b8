// CUMSUM (float32, float64, int8): running sums along a constant axis,
// lowered to runtime/kernels/cumsum.c (cumsum_f64.c for float64). The int8 rescaling is TFLite Micro's (its
// CalculateOpData): inputs shifted left by 20 and halved into the
// accumulator, the accumulator scaled by 2 input_scale / (2^20
// output_scale) into the output, no activation.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr int kCumSumLeftShift = 20;  // TFLite Micro's kCumSumIntegerShift

/// The axis input: a constant int32 (TFLite Micro's only axis dtype) inside
/// the rank, and the elements around it.
Expected<movement::AxisLayout> CumSumAxis(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "axis", {DType::kInt32}));
  return movement::ReadAxisLayout(graph, node, 1);
}

/// The multipliers of TFLite Micro's int8 CUMSUM, or an error where its
/// QuantizeMultiplierSmallerThanOneExp would refuse them.
struct CumSumScales {
  FixedPointMultiplier input, output;
};
Expected<CumSumScales> CumSumMultipliers(const Node& node, const Tensor& input, const Tensor& output) {
  const double twice_input_scale = 2.0 * static_cast<double>(input.quant.scale[0]);
  const double input_real = static_cast<double>(input.quant.scale[0]) / twice_input_scale;
  const double output_real =
      twice_input_scale / (static_cast<double>(1 << kCumSumLeftShift) * static_cast<double>(output.quant.scale[0]));
  if (!(output_real < 1.0))
    return MakeError("{}: input scale {} over output scale {} is 2^19 or more, which TFLite Micro's int8 CUMSUM "
                     "cannot rescale",
                     OpLabel(node), input.quant.scale[0], output.quant.scale[0]);
  return CumSumScales{QuantizeMultiplier(input_real), QuantizeMultiplier(output_real)};
}

}  // namespace

Status CheckCumSum(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kFloat32, DType::kFloat64, DType::kInt8}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  if (input.shape.empty())
    return MakeError("{}: input '{}' is a scalar; CUMSUM needs rank 1 or more", OpLabel(node), input.name);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, input.dtype));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, input.shape));
  KILN_RETURN_IF_ERROR(CumSumAxis(graph, node).status());
  if (input.dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, output, "output"));
    KILN_RETURN_IF_ERROR(CumSumMultipliers(node, input, output).status());
  }
  return Status::Ok();
}

Status LowerCumSum(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& input = *graph.input(node, 0);
  KILN_ASSIGN_OR_RETURN(const movement::AxisLayout l, CumSumAxis(graph, node));
  const std::string shape = fmt::format("{{ .outer = {}, .depth = {}, .inner = {}, .exclusive = {}, .reverse = {} }}",
                                        l.outer, l.axis_size, l.inner, node.attrs.get_int("exclusive", 0) != 0 ? 1 : 0,
                                        node.attrs.get_int("reverse", 0) != 0 ? 1 : 0);
  std::vector<CField> fields = {{"shape", shape}};
  const bool int8 = input.dtype == DType::kInt8;
  if (int8) {
    const Tensor& output = graph.output(node);
    KILN_ASSIGN_OR_RETURN(const CumSumScales scales, CumSumMultipliers(node, input, output));
    fields.insert(fields.end(), {{"input_offset", std::to_string(-psm_detail::ZeroPoint(input))},
                                 {"left_shift", std::to_string(kCumSumLeftShift)},
                                 {"input_multiplier", std::to_string(scales.input.multiplier)},
                                 {"input_shift", std::to_string(scales.input.shift)},
                                 {"output_multiplier", std::to_string(scales.output.multiplier)},
                                 {"output_shift", std::to_string(scales.output.shift)},
                                 {"output_offset", std::to_string(psm_detail::ZeroPoint(output))},
                                 {"act_min", "-128"},
                                 {"act_max", "127"}});
  }
  const std::string variant = int8 ? "s8" : input.dtype == DType::kFloat64 ? "f64" : "f32";
  // float64 is a kernel of its own: a float32 model links no double code.
  ctx.use_kernel(variant == "f64" ? "cumsum_f64" : "cumsum");
  const std::string params = ctx.unique_name("cumsum_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_cumsum_{}_params_t", variant), params, fields));
  ctx.statement(fmt::format("kiln_cumsum_{}(&{}, {}, {});", variant, params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
