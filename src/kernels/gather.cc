// GATHER, any element type (TFLite Micro has float32 and int8; the kernel
// copies bytes): validation, the shape rule, constant positions checked at
// compile time, and lowering to runtime/kernels/gather.c, which checks
// positions read at run time and makes run() return
// KILN_ERROR_INDEX_OUT_OF_RANGE, where TFLite Micro's Invoke fails.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

struct GatherGeometry {
  int64_t batch_size = 1, outer_size = 1, axis_size = 0, inner_size = 1, coord_size = 1;
};

Expected<GatherGeometry> AnalyzeGather(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "positions", {DType::kInt32, DType::kInt64}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& positions = *graph.input(node, 1);
  const Tensor& output = graph.output(node);
  if (output.dtype != input.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(input.dtype));
  const int64_t rank = static_cast<int64_t>(input.shape.size());
  const int64_t positions_rank = static_cast<int64_t>(positions.shape.size());
  int64_t axis = node.attrs.get_int("axis", 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank)
    return MakeError("{}: axis {} is out of range for input '{}' of rank {}", OpLabel(node),
                     node.attrs.get_int("axis", 0), input.name, rank);
  int64_t batch_dims = node.attrs.get_int("batch_dims", 0);
  if (batch_dims < 0) batch_dims += positions_rank;
  if (batch_dims < 0 || batch_dims > axis || batch_dims > positions_rank)
    return MakeError("{}: batch_dims {} must lie in 0..min(axis {}, rank of positions {})", OpLabel(node),
                     node.attrs.get_int("batch_dims", 0), axis, positions_rank);
  GatherGeometry g;
  Shape expected;
  for (int64_t i = 0; i < rank; ++i) {
    const int64_t d = input.shape[static_cast<size_t>(i)];
    if (i < batch_dims) {
      if (positions.shape[static_cast<size_t>(i)] != d)
        return MakeError("{}: positions '{}' (shape {}) and input '{}' (shape {}) differ in batch dimension {}",
                         OpLabel(node), positions.name, ShapeString(positions.shape), input.name,
                         ShapeString(input.shape), i);
      g.batch_size *= d;
    } else if (i < axis) {
      g.outer_size *= d;
    } else if (i == axis) {
      g.axis_size = d;
    } else {
      g.inner_size *= d;
    }
  }
  for (int64_t i = batch_dims; i < positions_rank; ++i) g.coord_size *= positions.shape[static_cast<size_t>(i)];
  for (int64_t i = 0; i < axis; ++i) expected.push_back(input.shape[static_cast<size_t>(i)]);
  for (int64_t i = batch_dims; i < positions_rank; ++i) expected.push_back(positions.shape[static_cast<size_t>(i)]);
  for (int64_t i = axis + 1; i < rank; ++i) expected.push_back(input.shape[static_cast<size_t>(i)]);
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  // Positions known now are checked now, naming the first one outside.
  if (positions.is_constant) {
    for (int64_t k = 0; k < positions.num_elements(); ++k) {
      const int64_t p = positions.int_at(k);
      if (p < 0 || p >= g.axis_size)
        return MakeError("{}: position {} of '{}' is {}, outside 0..{} (input '{}' along axis {})", OpLabel(node), k,
                         positions.name, p, g.axis_size - 1, input.name, axis);
    }
  }
  return g;
}

}  // namespace

Status CheckGather(const Graph& graph, const Node& node) { return AnalyzeGather(graph, node).status(); }

Status LowerGather(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(GatherGeometry g, AnalyzeGather(ctx.graph(), node));
  const Graph& graph = ctx.graph();
  ctx.use_kernel("gather");
  auto I = [](int64_t v) { return std::to_string(v); };
  const std::vector<CField> fields = {
      {"batch_size", I(g.batch_size)},
      {"outer_size", I(g.outer_size)},
      {"axis_size", I(g.axis_size)},
      {"slice_bytes", I(g.inner_size * DTypeSize(graph.input(node, 0)->dtype))},
      {"coord_size", I(g.coord_size)},
      {"position_bytes", I(DTypeSize(graph.input(node, 1)->dtype))}};
  const std::string params = ctx.unique_name("gather_params");
  ctx.declare(StaticConstStruct("kiln_gather_params_t", params, fields));
  ctx.statement(fmt::format("if (kiln_gather(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;",
                            params, ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
