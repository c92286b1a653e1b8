// BROADCAST_TO, FILL and ZEROS_LIKE: the output is an operand repeated,
// broadcast to a constant shape (FILL's operand is one value, ZEROS_LIKE's
// a constant zero). All are strided copies with step 0 along the broadcast
// dimensions (the strided_slice kernel: any element size, at most 5
// dimensions). BROADCAST_ARGS computes such a shape from two read at run
// time (its own kernel, runtime/kernels/broadcast_args.c).
#include <algorithm>

#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxDims = 5;  // KILN_STRIDED_SLICE_MAX_DIMS

/// The constant shape input `slot` (int32 or int64, 1-D), checked against
/// the declared output shape.
Status CheckShapeInput(const Graph& graph, const Node& node, size_t slot, const char* role) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, role, {DType::kInt32, DType::kInt64}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, role));
  const Tensor& shape = *graph.input(node, slot);
  if (shape.shape.size() != 1)
    return MakeError("{}: {} '{}' has shape {}, expected a vector", OpLabel(node), role, shape.name,
                     ShapeString(shape.shape));
  Shape wanted;
  for (int64_t i = 0; i < shape.num_elements(); ++i) {
    const int64_t d = shape.int_at(i);
    if (d < 0 || d > INT32_MAX)
      return MakeError("{}: {} '{}' holds dimension {}", OpLabel(node), role, shape.name, d);
    wanted.push_back(static_cast<int32_t>(d));
  }
  if (wanted.size() > kMaxDims)
    return MakeError("{}: rank {} is above the {} dimensions the copy walks", OpLabel(node), wanted.size(), kMaxDims);
  return CheckOutputShape(graph, node, 0, wanted);
}

Status CheckCopyable(const Graph& graph, const Node& node, size_t slot, const char* role) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, role, movement::kByteCopyDTypes));
  const Tensor& operand = *graph.input(node, slot);
  const Tensor& output = graph.output(node);
  if (output.dtype != operand.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the {}'s)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(operand.dtype), role);
  return Status::Ok();
}

/// Copies `operand`, seen as of shape `shape`, broadcast to the output's shape.
void EmitBroadcastCopy(const Node& node, LoweringContext& ctx, int operand, const Shape& shape) {
  const Shape& out = ctx.graph().output(node).shape;
  const Tensor& in = ctx.graph().tensor(operand);
  const std::vector<int64_t> ext = movement::ExtendShape(shape, out.size());
  std::vector<movement::CopyAxis> axes;
  for (size_t d = 0; d < out.size(); ++d)
    axes.push_back({.size = ext[d], .start = 0, .stride = ext[d] == 1 && out[d] != 1 ? 0 : 1, .count = out[d]});
  movement::EmitStridedCopy(ctx, operand, node.outputs[0], DTypeSize(in.dtype), std::move(axes));
}

}  // namespace

Status CheckBroadcastTo(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckCopyable(graph, node, 0, "input"));
  KILN_RETURN_IF_ERROR(CheckShapeInput(graph, node, 1, "shape"));
  const Shape& in = graph.input(node, 0)->shape;
  const Shape& out = graph.output(node).shape;
  bool ok = in.size() <= out.size();
  for (size_t i = 0; ok && i < in.size(); ++i) {
    const int32_t a = in[in.size() - 1 - i], b = out[out.size() - 1 - i];
    ok = a == b || a == 1;
  }
  if (!ok)
    return MakeError("{}: input '{}' of shape {} does not broadcast to {}", OpLabel(node),
                     graph.input(node, 0)->name, ShapeString(in), ShapeString(out));
  return Status::Ok();
}

Status LowerBroadcastTo(const Node& node, LoweringContext& ctx) {
  EmitBroadcastCopy(node, ctx, node.inputs[0], ctx.graph().input(node, 0)->shape);
  return Status::Ok();
}

Status CheckFill(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckShapeInput(graph, node, 0, "dims"));
  KILN_RETURN_IF_ERROR(CheckCopyable(graph, node, 1, "value"));
  const Tensor& value = *graph.input(node, 1);
  if (value.num_elements() != 1)
    return MakeError("{}: value '{}' has shape {}, expected one element", OpLabel(node), value.name,
                     ShapeString(value.shape));
  return Status::Ok();
}

Status LowerFill(const Node& node, LoweringContext& ctx) {
  // The one value, of whatever rank, repeated everywhere.
  EmitBroadcastCopy(node, ctx, node.inputs[1], Shape(ctx.graph().output(node).shape.size(), 1));
  return Status::Ok();
}

/// BROADCAST_ARGS's two shapes: int32 or int64 vectors of one dtype, read at
/// run time (the importer folds constant ones).
Status CheckBroadcastArgs(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "shape1", {DType::kInt32, DType::kInt64}));
  const Tensor& shape1 = *graph.input(node, 0);
  const Tensor& shape2 = *graph.input(node, 1);
  const Tensor& output = graph.output(node);
  for (const Tensor* t : {&shape1, &shape2, &output})
    if (t->dtype != shape1.dtype || t->shape.size() != 1)
      return MakeError("{}: '{}' is {} of shape {}, expected a vector of {} (shape1's dtype)", OpLabel(node), t->name,
                       DTypeName(t->dtype), ShapeString(t->shape), DTypeName(shape1.dtype));
  return CheckOutputShape(graph, node, 0, {std::max(shape1.shape[0], shape2.shape[0])});
}

Status LowerBroadcastArgs(const Node& node, LoweringContext& ctx) {
  KILN_RETURN_IF_ERROR(CheckBroadcastArgs(ctx.graph(), node));
  const Tensor& shape1 = *ctx.graph().input(node, 0);
  ctx.use_kernel("broadcast_args");
  const std::string params = ctx.unique_name("broadcast_args_params");
  ctx.declare(StaticConstStruct("kiln_broadcast_args_params_t", params,
                                {{"length1", std::to_string(shape1.shape[0])},
                                 {"length2", std::to_string(ctx.graph().input(node, 1)->shape[0])},
                                 {"element_bytes", std::to_string(DTypeSize(shape1.dtype))}}));
  ctx.statement(fmt::format("if (kiln_broadcast_args(&{}, {}, {}, {}) != KILN_OK) return KILN_ERROR_INCOMPATIBLE_SHAPES;",
                            params, ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckZerosLike(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  // TFLite Micro's dtypes.
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, 0, "input", {DType::kInt8, DType::kInt32, DType::kInt64, DType::kFloat32}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  return CheckOutputShape(graph, node, 0, graph.input(node, 0)->shape);
}

Status LowerZerosLike(const Node& node, LoweringContext& ctx) {
  // One zero element (all-zero bytes: 0, 0L and 0.0f alike; a raw 0 for
  // int8, as TFLite Micro writes, not the zero point) copied to every output
  // element, a walk of step 0. The input is never read.
  const Tensor& output = ctx.graph().output(node);
  const size_t size = DTypeSize(output.dtype);
  const std::vector<int64_t> zero(size, 0);
  movement::EmitStridedWalk(ctx, ctx.const_int_array("zero", "uint8_t", zero), ctx.tensor(node.outputs[0]), size, 0,
                            {1, 1, 1, 1, output.num_elements()}, {0, 0, 0, 0, 0});
  return Status::Ok();
}

}  // namespace kiln
