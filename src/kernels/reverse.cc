// REVERSE_V2: the input with the order of its elements reversed along the
// given axes, as TFLite Micro's reverse kernel (any element type it takes:
// int8, uint8, int16, int32, int64, float32, bool). TFLite Micro takes only
// axes that are contiguous once sorted; reversing every one of such a run
// of axes reverses the run's elements as one block, so every input is one
// strided walk of three axes: the outer block in order, the reversed block
// backwards, the inner block in order (the strided_slice kernel).
#include <algorithm>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxReverseRank = 8;  // TFLite's reverse reads at most 8 axes

/// The input as [outer, reversed, inner] elements.
struct ReverseBlocks {
  int64_t outer = 1, reversed = 1, inner = 1;
};

Expected<ReverseBlocks> Analyze(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input",
                                       {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64,
                                        DType::kFloat32, DType::kBool}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "axis", {DType::kInt32}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& in = *graph.input(node, 0);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxReverseRank));
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, in.shape));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, movement::ReadConstIndexTensor(graph, node, 1, "axis"));
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  if (static_cast<int64_t>(axes.size()) > rank)
    return MakeError("{}: {} axes given for an input of rank {}", OpLabel(node), axes.size(), rank);
  for (int64_t& a : axes) {
    if (a < -rank || a >= rank)
      return MakeError("{}: axis {} is outside an input of rank {}", OpLabel(node), a, rank);
    if (a < 0) a += rank;
  }
  std::sort(axes.begin(), axes.end());
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] != axes[i - 1] + 1)
      return MakeError("{}: axes must be distinct and contiguous once sorted (TFLite Micro's reverse), got {}",
                       OpLabel(node), movement::IntList(axes));
  ReverseBlocks b;
  for (int64_t d = 0; d < rank; ++d) {
    const bool reversed = !axes.empty() && d >= axes.front() && d <= axes.back();
    (reversed ? b.reversed : (axes.empty() || d < axes.front() ? b.outer : b.inner)) *= in.shape[d];
  }
  return b;
}

}  // namespace

Status CheckReverseV2(const Graph& graph, const Node& node) { return Analyze(graph, node).status(); }

Status LowerReverseV2(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(ReverseBlocks b, Analyze(ctx.graph(), node));
  // The kernel moves 1, 2 or 4 bytes an element: an int64 is two int32s of
  // the inner block, which moves as a whole.
  size_t element = DTypeSize(ctx.graph().input(node, 0)->dtype);
  if (element == 8) {
    element = 4;
    b.inner *= 2;
  }
  if (b.outer * b.reversed * b.inner == 0) return Status::Ok();  // nothing to move
  movement::EmitStridedWalk(ctx, node.inputs[0], node.outputs[0], element, (b.reversed - 1) * b.inner,
                            {1, 1, b.outer, b.reversed, b.inner}, {0, 0, b.reversed * b.inner, -b.inner, 1});
  return Status::Ok();
}

}  // namespace kiln
