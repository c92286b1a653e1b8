// The binary operators on raw values (no quantization), one runtime kernel
// per type taking the operation as a code (KILN_BINARY_OP_*): ADD, SUB, MUL,
// DIV, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, MAXIMUM and MINIMUM
// - on integers (runtime/kernels/binary_<s8|u8|s16|s32|s64>.c): int32,
//   int64 and uint8, and on int8 and int16 all but ADD, SUB and MUL (those
//   are TFLite's quantized kernels): TFLite's int32 and int64 kernels,
//   TFLite Micro's MAXIMUM / MINIMUM on int8, int32 and int64, ONNX's
//   integer Add, Sub, Mul, Div, Mod, Max and Min. A fused activation clamps
//   as TFLite's CalculateActivationRange does for an integer type;
// - on float64 (runtime/kernels/binary_f64.c): ONNX's double arithmetic,
//   without an activation.
#include <limits>

#include <fmt/format.h>

#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"

namespace kiln {
namespace {

/// The kernel's operation code (KILN_BINARY_OP_* in kiln/binary_op.h).
int OperationCode(OpKind op) {
  switch (op) {
    case OpKind::kAdd: return 0;
    case OpKind::kSub: return 1;
    case OpKind::kMul: return 2;
    case OpKind::kDiv: return 3;
    case OpKind::kFloorDiv: return 4;
    case OpKind::kFloorMod: return 5;
    case OpKind::kTruncMod: return 6;
    case OpKind::kMaximum: return 7;
    case OpKind::kMinimum: return 8;
    case OpKind::kPow: return 9;
    case OpKind::kSquaredDifference: return 10;
    default: return -1;
  }
}

/// Whether the kernel may meet a zero divisor (POW: 0 to a negative power).
bool Divides(OpKind op) {
  return op == OpKind::kDiv || op == OpKind::kFloorDiv || op == OpKind::kFloorMod || op == OpKind::kTruncMod ||
         op == OpKind::kPow;
}

struct Int64Range {
  int64_t min, max;
};

Int64Range TypeRange(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return {INT8_MIN, INT8_MAX};
    case DType::kUInt8: return {0, UINT8_MAX};
    case DType::kInt16: return {INT16_MIN, INT16_MAX};
    case DType::kInt32: return {INT32_MIN, INT32_MAX};
    default: return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

/// TFLite's CalculateActivationRange for an integer type: the activation's
/// bounds, within the type's.
Expected<Int64Range> ActivationRange(const Node& node, DType dtype) {
  const std::string activation = node.attrs.get_string("activation", "NONE");
  Int64Range range = TypeRange(dtype);
  if (activation == "NONE") return range;
  if (activation == "RELU") range.min = std::max<int64_t>(range.min, 0);
  else if (activation == "RELU6") range = {std::max<int64_t>(range.min, 0), 6};
  else if (activation == "RELU_N1_TO_1") range = {std::max<int64_t>(range.min, -1), 1};
  else
    return MakeError("{}: fused activation {} is not one of NONE, RELU, RELU6, RELU_N1_TO_1", OpLabel(node),
                     activation);
  return range;
}

std::string Variant(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return "binary_s8";
    case DType::kUInt8: return "binary_u8";
    case DType::kInt16: return "binary_s16";
    case DType::kInt32: return "binary_s32";
    default: return "binary_s64";
  }
}

/// The broadcast shape and the operation: the params every kernel here starts with.
std::vector<elem_detail::Field> ShapeAndOperation(const Graph& graph, const Node& node) {
  return {{"shape", elem_detail::BroadcastInitializer(graph.input(node, 0)->shape, graph.input(node, 1)->shape)},
          {"op", elem_detail::IntLit(OperationCode(node.op))}};
}

Status CheckOperation(const Node& node) {
  if (OperationCode(node.op) < 0) return MakeError("{}: not a binary operator on raw values", OpLabel(node));
  return Status::Ok();
}

}  // namespace

Status CheckBinaryInt(const Graph& graph, const Node& node) {
  const Tensor* a = graph.input(node, 0);
  if (a == nullptr) return MakeError("{}: input 0 (a) is missing", OpLabel(node));
  KILN_RETURN_IF_ERROR(CheckOperation(node));
  KILN_RETURN_IF_ERROR(elem_detail::CheckBinaryShapes(graph, node, a->dtype));
  return ActivationRange(node, a->dtype).status();
}

Status LowerBinaryInt(const Node& node, LoweringContext& ctx) {
  const DType dtype = ctx.graph().input(node, 0)->dtype;
  KILN_ASSIGN_OR_RETURN(const Int64Range range, ActivationRange(node, dtype));
  const std::string variant = Variant(dtype);
  ctx.use_kernel(variant);
  std::vector<elem_detail::Field> fields = ShapeAndOperation(ctx.graph(), node);
  fields.push_back({"activation_min", elem_detail::IntLit(range.min)});
  fields.push_back({"activation_max", elem_detail::IntLit(range.max)});
  const std::string params = elem_detail::DeclareParams(ctx, variant, fields);
  const std::string call = fmt::format("kiln_{}(&{}, {}, {}, {})", variant, params, ctx.tensor(node.inputs[0]),
                                       ctx.tensor(node.inputs[1]), ctx.tensor(node.outputs[0]));
  // Only a division can fail (a zero divisor); run() then stops as TFLite's Invoke does.
  ctx.statement(Divides(node.op) ? fmt::format("if ({} != KILN_OK) return KILN_ERROR_DIVISION_BY_ZERO;", call)
                                 : fmt::format("(void){};", call));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

Status CheckBinaryF64(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckOperation(node));
  KILN_RETURN_IF_ERROR(elem_detail::CheckBinaryShapes(graph, node, DType::kFloat64));
  const std::string activation = node.attrs.get_string("activation", "NONE");
  if (activation != "NONE")
    return MakeError("{}: float64 takes no fused activation ({})", OpLabel(node), activation);
  return Status::Ok();
}

Status LowerBinaryF64(const Node& node, LoweringContext& ctx) {
  elem_detail::EmitElementwiseCall(node, ctx, "binary_f64", ShapeAndOperation(ctx.graph(), node));
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

}  // namespace kiln
