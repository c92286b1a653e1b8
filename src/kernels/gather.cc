// GATHER, any element type (TFLite Micro has float32 and int8; the kernel
// copies bytes): validation, the shape rule, constant positions checked at
// compile time, and lowering to runtime/kernels/gather.c, which checks
// positions read at run time and makes run() return
// KILN_ERROR_INDEX_OUT_OF_RANGE, where TFLite Micro's Invoke fails.
// EMBEDDING_LOOKUP is GATHER along axis 0 with its inputs swapped; int8
// rows into a float32 output (TFLite Micro's hybrid path) are gathered into
// scratch and dequantized there.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

struct GatherGeometry {
  int64_t batch_size = 1, outer_size = 1, axis_size = 0, inner_size = 1, coord_size = 1;
  bool negative_from_end = false;  // ONNX's negative positions
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
  g.negative_from_end = node.attrs.get_int("negative_from_end", 0) != 0;
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
      int64_t p = positions.int_at(k);
      if (p < 0 && g.negative_from_end) p += g.axis_size;
      if (p < 0 || p >= g.axis_size)
        return MakeError("{}: position {} of '{}' is {}, outside 0..{} (input '{}' along axis {})", OpLabel(node), k,
                         positions.name, positions.int_at(k), g.axis_size - 1, input.name, axis);
    }
  }
  return g;
}

/// Emits a call of the gather kernel over `g`, returning
/// KILN_ERROR_INDEX_OUT_OF_RANGE from run() where a position is outside.
void EmitGather(LoweringContext& ctx, const GatherGeometry& g, size_t element_bytes, size_t position_bytes,
                const std::string& input, const std::string& positions, const std::string& output) {
  ctx.use_kernel("gather");
  auto I = [](int64_t v) { return std::to_string(v); };
  const std::vector<CField> fields = {{"batch_size", I(g.batch_size)},
                                      {"outer_size", I(g.outer_size)},
                                      {"axis_size", I(g.axis_size)},
                                      {"slice_bytes", I(g.inner_size * static_cast<int64_t>(element_bytes))},
                                      {"coord_size", I(g.coord_size)},
                                      {"position_bytes", I(static_cast<int64_t>(position_bytes))},
                                      {"negative_from_end", g.negative_from_end ? "1" : "0"}};
  const std::string params = ctx.unique_name("gather_params");
  ctx.declare(StaticConstStruct("kiln_gather_params_t", params, fields));
  ctx.statement(fmt::format("if (kiln_gather(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_INDEX_OUT_OF_RANGE;",
                            params, input, positions, output));
}

/// EMBEDDING_LOOKUP(lookup [n] int32, value [rows, ...] float32 or int8) as
/// TFLite Micro takes it: the output [n, value.shape[1:]], float32 from
/// float32, int8 from int8 (same quantization: the bytes are copied) or
/// float32 from int8 (zero point 0: dequantized).
Expected<GatherGeometry> AnalyzeEmbeddingLookup(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "lookup", {DType::kInt32}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "value", {DType::kFloat32, DType::kInt8}));
  const Tensor& lookup = *graph.input(node, 0);
  const Tensor& value = *graph.input(node, 1);
  const Tensor& output = graph.output(node);
  if (lookup.shape.size() != 1)
    return MakeError("{}: lookup '{}' has shape {}, expected a vector", OpLabel(node), lookup.name,
                     ShapeString(lookup.shape));
  if (value.shape.size() < 2)
    return MakeError("{}: value '{}' has shape {}, expected rank 2 or more", OpLabel(node), value.name,
                     ShapeString(value.shape));
  const bool hybrid = value.dtype == DType::kInt8 && output.dtype == DType::kFloat32;
  if (output.dtype != value.dtype && !hybrid)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {}{}", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(value.dtype),
                     value.dtype == DType::kInt8 ? " or float32" : "");
  if (value.dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, value, "value"));
    const int64_t zp = value.quant.zero_point.empty() ? 0 : value.quant.zero_point[0];
    if (hybrid && zp != 0)
      return MakeError("{}: value '{}' has zero point {}; dequantized rows need 0", OpLabel(node), value.name, zp);
    if (!hybrid && (output.quant.scale != value.quant.scale || output.quant.zero_point != value.quant.zero_point))
      return MakeError("{}: output '{}' must have the quantization of value '{}' (its rows are copied)",
                       OpLabel(node), output.name, value.name);
  }
  GatherGeometry g;
  g.axis_size = value.shape[0];
  g.coord_size = lookup.shape[0];
  Shape expected = {lookup.shape[0]};
  for (size_t i = 1; i < value.shape.size(); ++i) {
    g.inner_size *= value.shape[i];
    expected.push_back(value.shape[i]);
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  if (lookup.is_constant)
    for (int64_t k = 0; k < lookup.num_elements(); ++k)
      if (lookup.int_at(k) < 0 || lookup.int_at(k) >= g.axis_size)
        return MakeError("{}: lookup {} of '{}' is {}, outside 0..{} (the rows of value '{}')", OpLabel(node), k,
                         lookup.name, lookup.int_at(k), g.axis_size - 1, value.name);
  return g;
}

}  // namespace

Status CheckGather(const Graph& graph, const Node& node) { return AnalyzeGather(graph, node).status(); }

Status LowerGather(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(GatherGeometry g, AnalyzeGather(ctx.graph(), node));
  const Graph& graph = ctx.graph();
  EmitGather(ctx, g, DTypeSize(graph.input(node, 0)->dtype), DTypeSize(graph.input(node, 1)->dtype),
             ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0]));
  return Status::Ok();
}

Status CheckEmbeddingLookup(const Graph& graph, const Node& node) {
  return AnalyzeEmbeddingLookup(graph, node).status();
}

Status LowerEmbeddingLookup(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(const GatherGeometry g, AnalyzeEmbeddingLookup(graph, node));
  const Tensor& value = *graph.input(node, 1);
  const Tensor& output = graph.output(node);
  const std::string lookup = ctx.tensor(node.inputs[0]), out = ctx.tensor(node.outputs[0]);
  if (value.dtype == output.dtype) {
    EmitGather(ctx, g, DTypeSize(value.dtype), 4, ctx.tensor(node.inputs[1]), lookup, out);
    return Status::Ok();
  }
  // Hybrid: the int8 rows into scratch, then scale * q (zero point 0).
  const int64_t count = g.coord_size * g.inner_size;
  const std::string rows = ctx.scratch(count);
  EmitGather(ctx, g, 1, 4, ctx.tensor(node.inputs[1]), lookup, rows);
  elem_detail::EmitDequantize(ctx, "dequantize_s8", count, value.quant.scale[0], 0, rows, out);
  return Status::Ok();
}

}  // namespace kiln
