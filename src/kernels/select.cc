// SELECT_V2: output = condition ? x : y, the three broadcast to the output
// (numpy rules), any element type; runtime/kernels/select.c.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxDims = 5;  // KILN_SELECT_MAX_DIMS

Expected<Shape> SelectShape(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 3, 3, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "condition", {DType::kBool}));
  const Tensor& x = *graph.input(node, 1);
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 2, "y", {x.dtype}));
  const Tensor& output = graph.output(node);
  if (output.dtype != x.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (x's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(x.dtype));
  auto xy = BroadcastShapes(x.shape, graph.input(node, 2)->shape);
  auto all = xy ? BroadcastShapes(graph.input(node, 0)->shape, *xy) : std::nullopt;
  if (!all)
    return MakeError("{}: condition {}, x {} and y {} do not broadcast to one shape", OpLabel(node),
                     ShapeString(graph.input(node, 0)->shape), ShapeString(x.shape),
                     ShapeString(graph.input(node, 2)->shape));
  if (all->size() > kMaxDims)
    return MakeError("{}: rank {} is above the {} dimensions the kernel walks", OpLabel(node), all->size(), kMaxDims);
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, *all));
  return *all;
}

/// An operand's element step per output dimension: 0 where it is broadcast.
std::vector<int64_t> Steps(const Shape& operand, const std::vector<int64_t>& out) {
  return elem_detail::BroadcastStrides(movement::ExtendShape(operand, kMaxDims), out);
}

}  // namespace

Status CheckSelectV2(const Graph& graph, const Node& node) { return SelectShape(graph, node).status(); }

Status LowerSelectV2(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(Shape shape, SelectShape(graph, node));
  const std::vector<int64_t> out = movement::ExtendShape(shape, kMaxDims);
  ctx.use_kernel("select");
  const std::string params = ctx.unique_name("select_params");
  ctx.declare(StaticConstStruct(
      "kiln_select_params_t", params,
      {{"element_size", std::to_string(DTypeSize(graph.input(node, 1)->dtype))},
       {"dims", movement::IntList(out)},
       {"condition_step", movement::IntList(Steps(graph.input(node, 0)->shape, out))},
       {"x_step", movement::IntList(Steps(graph.input(node, 1)->shape, out))},
       {"y_step", movement::IntList(Steps(graph.input(node, 2)->shape, out))}}));
  ctx.statement(fmt::format("kiln_select(&{}, {}, {}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), ctx.tensor(node.inputs[2]), ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
