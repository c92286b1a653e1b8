// GATHER_ND (float32 and int8 as TFLite Micro; the kernel copies bytes, so
// int16 and int32 too): the output is indices.shape[:-1] +
// params.shape[depth:], each index row picking the slice at its leading
// coordinates. Constant indices are checked at compile time; indices read
// at run time make run() return KILN_ERROR_INDEX_OUT_OF_RANGE where one
// falls outside its dimension.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr int64_t kMaxDepth = 8;  // KILN_GATHER_ND_MAX_DEPTH

struct GatherNdGeometry {
  int64_t slices = 1, slice_elements = 1, depth = 0;
};

Expected<GatherNdGeometry> AnalyzeGatherNd(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "params",
                                       {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "indices", {DType::kInt32, DType::kInt64}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& params = *graph.input(node, 0);
  const Tensor& indices = *graph.input(node, 1);
  if (params.shape.empty() || indices.shape.empty())
    return MakeError("{}: params '{}' and indices '{}' must be at least vectors (shapes {} and {})", OpLabel(node),
                     params.name, indices.name, ShapeString(params.shape), ShapeString(indices.shape));
  GatherNdGeometry g;
  g.depth = indices.shape.back();
  const int64_t rank = static_cast<int64_t>(params.shape.size());
  if (g.depth < 1 || g.depth > rank || g.depth > kMaxDepth)
    return MakeError("{}: indices '{}' rows of {} indices, expected 1 to {} (the rank of params '{}', at most {})",
                     OpLabel(node), indices.name, g.depth, rank, params.name, kMaxDepth);
  for (int64_t j = 0; j < g.depth; ++j)
    if (params.shape[static_cast<size_t>(j)] < 1)
      return MakeError("{}: dimension {} of params '{}' (shape {}) is empty: no index can address it", OpLabel(node),
                       j, params.name, ShapeString(params.shape));
  Shape expected(indices.shape.begin(), indices.shape.end() - 1);
  for (size_t i = 0; i + 1 < indices.shape.size(); ++i) g.slices *= indices.shape[i];
  for (int64_t i = g.depth; i < rank; ++i) {
    expected.push_back(params.shape[static_cast<size_t>(i)]);
    g.slice_elements *= params.shape[static_cast<size_t>(i)];
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  // Indices known now are checked now, naming the first one outside.
  if (indices.is_constant) {
    for (int64_t k = 0; k < indices.num_elements(); ++k) {
      const int64_t dim = params.shape[static_cast<size_t>(k % g.depth)];
      const int64_t index = indices.int_at(k);
      if (index < 0 || index >= dim)
        return MakeError("{}: index {} of '{}' is {}, outside 0..{} (dimension {} of params '{}')", OpLabel(node), k,
                         indices.name, index, dim - 1, k % g.depth, params.name);
    }
  }
  return g;
}

}  // namespace

Status CheckGatherNd(const Graph& graph, const Node& node) { return AnalyzeGatherNd(graph, node).status(); }

Status LowerGatherNd(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const GatherNdGeometry g, AnalyzeGatherNd(ctx.graph(), node));
  const Tensor& params = *ctx.graph().input(node, 0);
  const int64_t element = static_cast<int64_t>(DTypeSize(params.dtype));
  std::vector<int64_t> dims, steps;
  int64_t step = params.num_elements() * element;
  for (int64_t j = 0; j < g.depth; ++j) {
    const int64_t dim = params.shape[static_cast<size_t>(j)];
    step /= dim;
    dims.push_back(dim);
    steps.push_back(step);
  }
  ctx.use_kernel("gather_nd");
  const std::string name = ctx.unique_name("gather_nd_params");
  ctx.declare(StaticConstStruct("kiln_gather_nd_params_t", name,
                                {{"slices", std::to_string(g.slices)},
                                 {"slice_bytes", std::to_string(g.slice_elements * element)},
                                 {"index_depth", std::to_string(g.depth)},
                                 {"index_bytes", std::to_string(DTypeSize(ctx.graph().input(node, 1)->dtype))},
                                 {"dims", movement::IntList(dims)},
                                 {"step_bytes", movement::IntList(steps)}}));
  ctx.statement(fmt::format("if (kiln_gather_nd(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;",
                            name, ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
