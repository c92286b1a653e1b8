// L2_NORMALIZATION (float32, int8): each vector along the last axis divided
// by its L2 norm, lowered to runtime/kernels/l2_normalization_{f32,s8}.c.
// As TFLite Micro: rank at most 4, no fused activation; int8 output in
// units of 1/128 (scale 1/128, zero point 0, what TFLite's converter
// writes and TFLite's own Prepare requires; TFLite Micro's kernel assumes
// it without checking, so another output quantization is refused here).
#include <cmath>

#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {

Status CheckL2Normalization(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kFloat32, DType::kInt8}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, input.dtype));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, input.shape));
  if (input.shape.empty() || input.shape.size() > 4)
    return MakeError("{}: input '{}' has rank {}, expected 1 to 4", OpLabel(node), input.name, input.shape.size());
  const std::string activation = node.attrs.get_string("activation", "NONE");
  if (activation != "NONE")
    return MakeError("{}: fused activation {} is not supported (TFLite Micro takes none)", OpLabel(node),
                     activation);
  if (input.dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, output, "output"));
    if (std::abs(static_cast<double>(output.quant.scale[0]) - 1.0 / 128.0) > 1e-6 ||
        psm_detail::ZeroPoint(output) != 0)
      return MakeError("{}: int8 output '{}' has scale {} and zero point {}, expected 1/128 and 0", OpLabel(node),
                       output.name, output.quant.scale[0], psm_detail::ZeroPoint(output));
  }
  return Status::Ok();
}

Status LowerL2Normalization(const Node& node, LoweringContext& ctx) {
  const Tensor& input = *ctx.graph().input(node, 0);
  const int64_t depth = input.shape.back();
  const int64_t rows = depth > 0 ? input.num_elements() / depth : 0;
  const bool int8 = input.dtype == DType::kInt8;
  const std::string variant = int8 ? "l2_normalization_s8" : "l2_normalization_f32";
  std::vector<CField> fields = {{"rows", std::to_string(rows)}, {"depth", std::to_string(depth)}};
  if (int8) fields.push_back({"input_zero_point", std::to_string(psm_detail::ZeroPoint(input))});
  ctx.use_kernel(variant);
  const std::string params = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", variant), params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
