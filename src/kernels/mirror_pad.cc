// MIRROR_PAD: the input extended on each side of each axis by its own
// mirror image, as TFLite Micro's mirror_pad kernel: REFLECT leaves the edge
// element out of the image (a b c -> b | a b c | b), SYMMETRIC repeats it
// (a b c -> a | a b c | c). The input position of every output position is
// TFLite's rule (GetInputDimension in its mirror_pad kernel), worked out
// here per axis into a table; the runtime's axis_gather kernel reads the
// input through the tables. A padding the rule would take outside the input
// (REFLECT wider than the axis less one, SYMMETRIC wider than the axis) is
// refused: TFLite Micro would read out of bounds there. ONNX's Pad modes
// "edge" (the edge element repeated: a a | a b c | c c) and "wrap" (the
// other side's elements: b c | a b c | a b) are tables too: modes EDGE and
// WRAP, which only the ONNX importer sets.
#include <algorithm>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxMirrorPadRank = 6;  // KILN_AXIS_GATHER_MAX_DIMS

/// TFLite's rule: the input index of output index `i` along an axis of
/// `size` with `before` and `after` padding; `offset` is 1 for REFLECT, 0
/// for SYMMETRIC.
int64_t MirroredIndex(int64_t i, int64_t before, int64_t size, int64_t offset) {
  if (i < before) {
    const int64_t edge = before + offset - 1;
    return edge - std::min(i, edge - offset);
  }
  i -= before;
  if (i < size) return i;
  i -= size;
  const int64_t edge = size - (1 + offset);
  return edge - std::min(i, edge);
}

/// The input index of output index `i` along an axis of `size` with
/// `before` padding, in `mode` (an index outside the input when the
/// padding is too wide for the mode).
int64_t PaddedIndex(const std::string& mode, int64_t i, int64_t before, int64_t size) {
  if (mode == "EDGE") return std::clamp<int64_t>(i - before, 0, size - 1);
  if (mode == "WRAP") return ((i - before) % size + size) % size;
  return MirroredIndex(i, before, size, mode == "REFLECT" ? 1 : 0);
}

/// How wide a padding `mode` allows on an axis of `size`.
int64_t MaxPadding(const std::string& mode, int64_t size) {
  if (mode == "REFLECT") return size - 1;
  if (mode == "SYMMETRIC") return size;
  return INT32_MAX;  // EDGE repeats, WRAP cycles
}

/// Per axis of the input, the input index of each output index.
Expected<std::vector<std::vector<int64_t>>> IndexTables(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(movement::CheckMovedValues(graph, node));
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxMirrorPadRank));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  const std::string mode = node.attrs.get_string("mode");
  if (mode != "REFLECT" && mode != "SYMMETRIC" && mode != "EDGE" && mode != "WRAP")
    return MakeError("{}: mode '{}' is none of REFLECT, SYMMETRIC, EDGE and WRAP", OpLabel(node), mode);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> paddings,
                        movement::ReadPaddings(graph, node, in, /*empty_for_scalar=*/false));
  std::vector<std::vector<int64_t>> tables;
  Shape expected;
  for (size_t d = 0; d < in.shape.size(); ++d) {
    const int64_t before = paddings[2 * d], after = paddings[2 * d + 1], size = in.shape[d];
    const int64_t widest = MaxPadding(mode, size);
    if (before < 0 || after < 0 || before > widest || after > widest)
      return MakeError("{}: paddings of dimension {} are [{}, {}]; {} padding of a dimension of {} must be within "
                       "0..{}",
                       OpLabel(node), d, before, after, mode, size, widest);
    if (before + size + after > INT32_MAX)
      return MakeError("{}: padded dimension {} is too large ({})", OpLabel(node), d, before + size + after);
    std::vector<int64_t>& table = tables.emplace_back();
    for (int64_t i = 0; i < before + size + after; ++i) table.push_back(PaddedIndex(mode, i, before, size));
    expected.push_back(static_cast<int32_t>(table.size()));
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, out, "output"));
  return tables;
}

}  // namespace

Status CheckMirrorPad(const Graph& graph, const Node& node) { return IndexTables(graph, node).status(); }

Status LowerMirrorPad(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(std::vector<std::vector<int64_t>> tables, IndexTables(ctx.graph(), node));
  const Tensor& in = *ctx.graph().input(node, 0);
  // Offsets in input elements: each index times its axis's row-major stride.
  int64_t stride = 1;
  for (size_t d = tables.size(); d-- > 0;) {
    for (int64_t& index : tables[d]) index *= stride;
    stride *= in.shape[d];
  }
  movement::EmitAxisGather(ctx, ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0]), DTypeSize(in.dtype),
                           std::move(tables));
  return Status::Ok();
}

}  // namespace kiln
