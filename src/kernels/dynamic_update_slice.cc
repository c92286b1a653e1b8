// DYNAMIC_UPDATE_SLICE (float32, int8 and int32 as TFLite Micro; the
// kernel copies bytes, so int16 too): the operand with the update written at
// start indices read at run time, each clamped so that the update fits, as
// TFLite Micro; lowered to runtime/kernels/dynamic_update_slice.c.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxRank = 6;  // KILN_DYNAMIC_UPDATE_SLICE_MAX_RANK

}  // namespace

Status CheckDynamicUpdateSlice(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 3, 3, 1));
  // The operand's values move into the output unchanged; the update's too.
  KILN_RETURN_IF_ERROR(movement::CheckMovedValues(graph, node));
  const Tensor& operand = *graph.input(node, 0);
  const Tensor& update = *graph.input(node, 1);
  const Tensor& indices = *graph.input(node, 2);
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "update", {operand.dtype}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 2, "start_indices", {DType::kInt32, DType::kInt64}));
  if (operand.shape.empty() || operand.shape.size() > kMaxRank)
    return MakeError("{}: operand '{}' has rank {}, expected 1 to {}", OpLabel(node), operand.name,
                     operand.shape.size(), kMaxRank);
  if (update.shape.size() != operand.shape.size())
    return MakeError("{}: update '{}' has shape {}, expected the rank of operand '{}' ({})", OpLabel(node),
                     update.name, ShapeString(update.shape), operand.name, ShapeString(operand.shape));
  for (size_t d = 0; d < operand.shape.size(); ++d)
    if (update.shape[d] > operand.shape[d])
      return MakeError("{}: update '{}' ({}) is larger than operand '{}' ({}) in dimension {}", OpLabel(node),
                       update.name, ShapeString(update.shape), operand.name, ShapeString(operand.shape), d);
  if (indices.shape.size() != 1 || indices.shape[0] != static_cast<int32_t>(operand.shape.size()))
    return MakeError("{}: start_indices '{}' has shape {}, expected [{}] (one per operand dimension)",
                     OpLabel(node), indices.name, ShapeString(indices.shape), operand.shape.size());
  if ((operand.dtype == DType::kInt8 || operand.dtype == DType::kInt16) &&
      (update.quant.scale != operand.quant.scale || update.quant.zero_point != operand.quant.zero_point))
    return MakeError("{}: update '{}' must have the scale and zero point of operand '{}' (its values are copied)",
                     OpLabel(node), update.name, operand.name);
  return CheckOutputShape(graph, node, 0, operand.shape);
}

Status LowerDynamicUpdateSlice(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& operand = *graph.input(node, 0);
  const Tensor& update = *graph.input(node, 1);
  std::vector<int64_t> operand_dims(kMaxRank, 0), update_dims(kMaxRank, 0);
  for (size_t d = 0; d < operand.shape.size(); ++d) {
    operand_dims[d] = operand.shape[d];
    update_dims[d] = update.shape[d];
  }
  ctx.use_kernel("dynamic_update_slice");
  const std::string params = ctx.unique_name("dynamic_update_slice_params");
  ctx.declare(StaticConstStruct("kiln_dynamic_update_slice_params_t", params,
                                {{"rank", std::to_string(operand.shape.size())},
                                 {"element_size", std::to_string(DTypeSize(operand.dtype))},
                                 {"index_bytes", std::to_string(DTypeSize(graph.input(node, 2)->dtype))},
                                 {"operand_dims", movement::IntList(operand_dims)},
                                 {"update_dims", movement::IntList(update_dims)}}));
  ctx.statement(fmt::format("kiln_dynamic_update_slice(&{}, {}, {}, {}, {});", params, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.inputs[1]), ctx.tensor(node.inputs[2]), ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
