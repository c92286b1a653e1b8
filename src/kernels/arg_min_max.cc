// ARG_MAX and ARG_MIN: the index of the first largest (smallest) element
// along one constant axis, as TFLite's reference ArgMinMax; int32 or int64
// output (the output tensor's dtype). `keep_dims` (ONNX's keepdims) keeps
// the axis with length 1, TFLite drops it; `select_last_index` (ONNX) takes
// the last of equal extremes.
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {

Status CheckArgMinMax(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, 0, "input", {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}));
  const Tensor& in = *graph.input(node, 0);
  if (in.shape.empty()) return MakeError("{}: input '{}' is a scalar; it needs an axis", OpLabel(node), in.name);
  KILN_RETURN_IF_ERROR(psm_detail::CheckDimsPositive(node, in, "input"));
  const Tensor& out = graph.output(node);
  if (out.dtype != DType::kInt32 && out.dtype != DType::kInt64)
    return MakeError("{}: output '{}' has dtype {}, expected int32 or int64", OpLabel(node), out.name,
                     DTypeName(out.dtype));
  KILN_ASSIGN_OR_RETURN(const movement::AxisLayout l, movement::ReadAxisLayout(graph, node, 1));
  Shape shape = in.shape;
  if (node.attrs.get_int("keep_dims", 0) != 0)
    shape[l.axis] = 1;
  else
    shape.erase(shape.begin() + static_cast<std::ptrdiff_t>(l.axis));
  return CheckOutputShape(graph, node, 0, shape);
}

Status LowerArgMinMax(const Node& node, LoweringContext& ctx) {
  const KernelEntry* kernel = FindKernel(ctx.graph(), node);
  if (kernel == nullptr) return MakeError("{}: no kernel", OpLabel(node));
  KILN_ASSIGN_OR_RETURN(const movement::AxisLayout l, movement::ReadAxisLayout(ctx.graph(), node, 1));
  const std::string variant(kernel->variant);
  ctx.use_kernel(variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(
      fmt::format("kiln_{}_params_t", variant), name,
      {{"outer", std::to_string(l.outer)},
       {"axis_size", std::to_string(l.axis_size)},
       {"inner", std::to_string(l.inner)},
       {"is_min", node.op == OpKind::kArgMin ? "1" : "0"},
       {"output_int64", ctx.graph().output(node).dtype == DType::kInt64 ? "1" : "0"},
       {"select_last", node.attrs.get_int("select_last_index", 0) != 0 ? "1" : "0"}}));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
