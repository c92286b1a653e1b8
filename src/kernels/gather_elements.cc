// GATHER_ELEMENTS (ONNX's GatherElements, PyTorch's gather), any element
// type, int32 or int64 indices of the input's rank: each output element is
// the input's at the same coordinates but along the axis, where the index
// says. Indices known at compile time are checked then; the runtime kernel
// (runtime/kernels/gather_elements.c) checks those read at run time and makes
// run() return KILN_ERROR_INDEX_OUT_OF_RANGE for one outside the axis.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxRank = 6;  // KILN_GATHER_ELEMENTS_MAX_RANK

Expected<int64_t> CheckedAxis(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "indices", {DType::kInt32, DType::kInt64}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& indices = *graph.input(node, 1);
  const Tensor& output = graph.output(node);
  const size_t rank = input.shape.size();
  if (rank == 0 || rank > kMaxRank)
    return MakeError("{}: input '{}' has rank {} (1 to {} supported)", OpLabel(node), input.name, rank, kMaxRank);
  if (indices.shape.size() != rank)
    return MakeError("{}: indices '{}' have rank {}, expected {} (the input's)", OpLabel(node), indices.name,
                     indices.shape.size(), rank);
  int64_t axis = node.attrs.get_int("axis", 0);
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank))
    return MakeError("{}: axis {} is out of range for input '{}' of rank {}", OpLabel(node),
                     node.attrs.get_int("axis", 0), input.name, rank);
  for (size_t d = 0; d < rank; ++d)
    if (static_cast<int64_t>(d) != axis && indices.shape[d] > input.shape[d])
      return MakeError("{}: indices '{}' (shape {}) exceed input '{}' (shape {}) in dimension {}", OpLabel(node),
                       indices.name, ShapeString(indices.shape), input.name, ShapeString(input.shape), d);
  if (output.dtype != input.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(input.dtype));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, indices.shape));
  if (indices.is_constant) {
    const int64_t size = input.shape[static_cast<size_t>(axis)];
    for (int64_t k = 0; k < indices.num_elements(); ++k) {
      const int64_t p = indices.int_at(k);
      if (p < -size || p >= size)
        return MakeError("{}: index {} of '{}' is {}, outside -{}..{} (input '{}' along axis {})", OpLabel(node), k,
                         indices.name, p, size, size - 1, input.name, axis);
    }
  }
  return axis;
}

}  // namespace

Status CheckGatherElements(const Graph& graph, const Node& node) { return CheckedAxis(graph, node).status(); }

Status LowerGatherElements(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const int64_t axis, CheckedAxis(graph, node));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& indices = *graph.input(node, 1);
  const size_t rank = input.shape.size();
  std::vector<int64_t> dims(indices.shape.begin(), indices.shape.end()), strides(rank, 1);
  for (size_t d = rank - 1; d > 0; --d) strides[d - 1] = strides[d] * input.shape[d];
  ctx.use_kernel("gather_elements");
  const std::string params = ctx.unique_name("gather_elements_params");
  ctx.declare(StaticConstStruct("kiln_gather_elements_params_t", params,
                                {{"rank", std::to_string(rank)},
                                 {"dims", psm_detail::IntArrayLit(dims)},
                                 {"input_strides", psm_detail::IntArrayLit(strides)},
                                 {"axis", std::to_string(axis)},
                                 {"axis_size", std::to_string(input.shape[static_cast<size_t>(axis)])},
                                 {"element_bytes", std::to_string(DTypeSize(input.dtype))},
                                 {"index_bytes", std::to_string(DTypeSize(indices.dtype))},
                                 {"count", std::to_string(indices.num_elements())}}));
  ctx.statement(fmt::format("if (kiln_gather_elements(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;",
                            params, ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
