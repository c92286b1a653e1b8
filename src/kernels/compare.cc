// The comparisons (EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER,
// GREATER_EQUAL) and the logical operators (LOGICAL_AND, LOGICAL_OR,
// LOGICAL_NOT): numpy broadcasting (rank <= 6), bool outputs. int8 inputs
// are compared by value as TFLite Micro's comparisons.cc does: each input
// offset by its zero point, shifted left by 8 and rescaled by its own scale
// (QuantizeMultiplierSmallerThanOneExp of the scale).
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"
#include "kiln/compare.h"

namespace kiln {
namespace {

using elem_detail::Field;
using elem_detail::IntLit;

int CompareCode(OpKind op) {
  switch (op) {
    case OpKind::kEqual: return KILN_COMPARE_EQUAL;
    case OpKind::kNotEqual: return KILN_COMPARE_NOT_EQUAL;
    case OpKind::kLess: return KILN_COMPARE_LESS;
    case OpKind::kLessEqual: return KILN_COMPARE_LESS_EQUAL;
    case OpKind::kGreater: return KILN_COMPARE_GREATER;
    default: return KILN_COMPARE_GREATER_EQUAL;
  }
}

/// An int8 input's scale as TFLite's QuantizeMultiplierSmallerThanOneExp
/// encodes it (which aborts on a scale of 1 or more).
Expected<FixedPointMultiplier> InputScale(const Node& node, const Tensor& t, const char* role) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, t, role));
  const double scale = static_cast<double>(t.quant.scale[0]);
  const FixedPointMultiplier m = QuantizeMultiplier(scale);
  if (!(scale < 1.0) || m.shift > 0)
    return MakeError("{}: {} '{}' has scale {}; int8 comparisons need a scale below 1", OpLabel(node), role, t.name,
                     scale);
  return m;
}

}  // namespace

Status CheckCompare(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  const Tensor* a = graph.input(node, 0);
  if (a == nullptr) return MakeError("{}: input 0 (a) is missing", OpLabel(node));
  const bool equality = node.op == OpKind::kEqual || node.op == OpKind::kNotEqual;
  if (equality)
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "a",
                                         {DType::kFloat32, DType::kInt32, DType::kInt64, DType::kInt8, DType::kBool}));
  else
    KILN_RETURN_IF_ERROR(
        CheckInputDType(graph, node, 0, "a", {DType::kFloat32, DType::kInt32, DType::kInt64, DType::kInt8}));
  KILN_RETURN_IF_ERROR(elem_detail::CheckBinaryShapes(graph, node, a->dtype, DType::kBool));
  if (a->dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(InputScale(node, *a, "input a").status());
    KILN_RETURN_IF_ERROR(InputScale(node, *graph.input(node, 1), "input b").status());
  }
  return Status::Ok();
}

Status LowerCompare(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const KernelEntry* kernel = FindKernel(graph, node);
  if (kernel == nullptr) return MakeError("{}: no kernel", OpLabel(node));
  std::vector<Field> fields = {{"op", IntLit(CompareCode(node.op))}};
  const Tensor& a = *graph.input(node, 0);
  if (a.dtype == DType::kInt8) {
    const Tensor& b = *graph.input(node, 1);
    KILN_ASSIGN_OR_RETURN(const FixedPointMultiplier ma, InputScale(node, a, "input a"));
    KILN_ASSIGN_OR_RETURN(const FixedPointMultiplier mb, InputScale(node, b, "input b"));
    fields.insert(fields.end(), {{"input1_offset", IntLit(-elem_detail::ZeroPoint(a))},
                                 {"input1_multiplier", IntLit(ma.multiplier)},
                                 {"input1_shift", IntLit(ma.shift)},
                                 {"input2_offset", IntLit(-elem_detail::ZeroPoint(b))},
                                 {"input2_multiplier", IntLit(mb.multiplier)},
                                 {"input2_shift", IntLit(mb.shift)}});
  }
  elem_detail::EmitBroadcastCall(node, ctx, kernel->variant, std::move(fields));
  return Status::Ok();
}

Status CheckLogical(const Graph& graph, const Node& node) {
  return elem_detail::CheckBinaryShapes(graph, node, DType::kBool);
}

Status LowerLogical(const Node& node, LoweringContext& ctx) {
  elem_detail::EmitBroadcastCall(node, ctx, "logical_bool",
                    {{"op", IntLit(node.op == OpKind::kLogicalAnd ? KILN_LOGICAL_AND : KILN_LOGICAL_OR)}});
  return Status::Ok();
}

Status CheckLogicalNot(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckUnaryShape(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kBool}));
  return elem_detail::CheckOutputDType(graph, node, 0, {DType::kBool});
}

Status LowerLogicalNot(const Node& node, LoweringContext& ctx) {
  elem_detail::EmitElementwiseCall(node, ctx, "logical_not_bool",
                                   {{"size", IntLit(ctx.graph().output(node).num_elements())}});
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

}  // namespace kiln
