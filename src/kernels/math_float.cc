// The float32 elementwise math operators without a fused activation: unary
// (ABS, NEG, FLOOR, CEIL, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS)
// and binary with numpy broadcasting (SQUARED_DIFFERENCE, FLOOR_DIV,
// FLOOR_MOD, POW, PRELU). One check and one lowering per arity, the runtime
// kernel (runtime/kernels/<op>_f32.c) taken from the registry entry; each
// computes what TFLite's reference float kernel computes, with the C
// library's functions, and nothing clamps its results.
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"

namespace kiln {

Status CheckUnaryMathFloat32(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckUnaryShape(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kFloat32}));
  return elem_detail::CheckOutputDType(graph, node, 0, {DType::kFloat32});
}

Status LowerUnaryMathFloat32(const Node& node, LoweringContext& ctx) {
  const KernelEntry* kernel = FindKernel(ctx.graph(), node);
  if (kernel == nullptr) return MakeError("{}: no float32 kernel", OpLabel(node));
  elem_detail::EmitElementwiseCall(node, ctx, kernel->variant,
                                   {{"size", elem_detail::IntLit(ctx.graph().output(node).num_elements())}});
  elem_detail::DeclareElementwiseStreaming(node, ctx);
  return Status::Ok();
}

Status CheckBinaryMathFloat32(const Graph& graph, const Node& node) {
  return elem_detail::CheckBinaryShapes(graph, node, DType::kFloat32);
}

Status LowerBinaryMathFloat32(const Node& node, LoweringContext& ctx) {
  const KernelEntry* kernel = FindKernel(ctx.graph(), node);
  if (kernel == nullptr) return MakeError("{}: no float32 kernel", OpLabel(node));
  elem_detail::EmitBroadcastCall(node, ctx, kernel->variant, {});
  return Status::Ok();
}

}  // namespace kiln
