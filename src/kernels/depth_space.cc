// DEPTH_TO_SPACE and SPACE_TO_DEPTH (NHWC, any 1-, 2- or 4-byte element):
// pure rearrangements, each one strided walk of the input in output order
// (the strided_slice kernel), as TFLite's reference DepthToSpace and
// SpaceToDepth define the element mapping.
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

struct DepthSpaceGeometry {
  int64_t n = 0, h = 0, w = 0, c = 0, block = 0;
};

Expected<DepthSpaceGeometry> Analyze(const Graph& graph, const Node& node, bool to_space) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input",
                                       {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kFloat32}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  if (input.shape.size() != 4)
    return MakeError("{}: input '{}' has shape {}, expected [N,H,W,C]", OpLabel(node), input.name,
                     ShapeString(input.shape));
  if (output.dtype != input.dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(input.dtype));
  DepthSpaceGeometry g{input.shape[0], input.shape[1], input.shape[2], input.shape[3], node.attrs.get_int("block_size", 0)};
  if (g.block < 1 || g.block > (1 << 15))
    return MakeError("{}: block_size is {}, expected at least 1", OpLabel(node), g.block);
  Shape expected;
  if (to_space) {
    if (g.c % (g.block * g.block) != 0)
      return MakeError("{}: input '{}' has {} channels, not a multiple of block_size^2 = {}", OpLabel(node),
                       input.name, g.c, g.block * g.block);
    expected = {static_cast<int32_t>(g.n), static_cast<int32_t>(g.h * g.block), static_cast<int32_t>(g.w * g.block),
                static_cast<int32_t>(g.c / (g.block * g.block))};
  } else {
    if (g.h % g.block != 0 || g.w % g.block != 0)
      return MakeError("{}: input '{}' is {}x{}, not a multiple of block_size {}", OpLabel(node), input.name, g.h,
                       g.w, g.block);
    expected = {static_cast<int32_t>(g.n), static_cast<int32_t>(g.h / g.block), static_cast<int32_t>(g.w / g.block),
                static_cast<int32_t>(g.c * g.block * g.block)};
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  return g;
}

}  // namespace

Status CheckDepthToSpace(const Graph& graph, const Node& node) { return Analyze(graph, node, true).status(); }
Status CheckSpaceToDepth(const Graph& graph, const Node& node) { return Analyze(graph, node, false).status(); }

Status LowerDepthToSpace(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(DepthSpaceGeometry g, Analyze(ctx.graph(), node, true));
  // output(b, h*bs + by, w*bs + bx, d) = input(b, h, w, (by*bs + bx)*depth + d):
  // walk (b,h) [contiguous in the input], by, w, bx, d.
  const int64_t depth = g.c / (g.block * g.block);
  movement::EmitStridedWalk(ctx, node.inputs[0], node.outputs[0], DTypeSize(ctx.graph().input(node, 0)->dtype), 0,
                            {g.n * g.h, g.block, g.w, g.block, depth},
                            {g.w * g.c, g.block * depth, g.c, depth, 1});
  return Status::Ok();
}

Status LowerSpaceToDepth(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(DepthSpaceGeometry g, Analyze(ctx.graph(), node, false));
  // output(b, h, w, (by*bs + bx)*C + c) = input(b, h*bs + by, w*bs + bx, c):
  // walk (b,h) [contiguous in the input], w, by, bx, c.
  movement::EmitStridedWalk(ctx, node.inputs[0], node.outputs[0], DTypeSize(ctx.graph().input(node, 0)->dtype), 0,
                            {g.n * (g.h / g.block), g.w / g.block, g.block, g.block, g.c},
                            {g.block * g.w * g.c, g.block * g.c, g.w * g.c, g.c, 1});
  return Status::Ok();
}

}  // namespace kiln
