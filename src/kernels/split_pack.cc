// SLICE, SPLIT, SPLIT_V, UNPACK (boxes copied out of the input, one
// strided_slice call per output) and PACK (a concatenation along a new
// axis): pure data movement, any element of 1, 2 or 4 bytes, the indices
// resolved at compile time as TFLite Micro resolves them at run time
// (slice.cc, split.cc, split_v.cc, unpack.cc, pack.cc). Quantized tensors
// keep their bytes: TFLite Micro does not requantize either.
#include <numeric>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

/// The strided_slice kernel's axes.
constexpr size_t kMaxDims = 5;  // KILN_STRIDED_SLICE_MAX_DIMS

/// `axis` normalised against `rank` (negative counts from the end).
Expected<size_t> NormalizeAxis(const Node& node, int64_t axis, size_t rank, const char* what) {
  const int64_t r = static_cast<int64_t>(rank);
  const int64_t a = axis < 0 ? axis + r : axis;
  if (a < 0 || a >= r) return MakeError("{}: {} {} is out of range for rank {}", OpLabel(node), what, axis, rank);
  return static_cast<size_t>(a);
}

/// The input's checks shared by every operator here.
Status CheckSliceInput(const Graph& graph, const Node& node, size_t slot) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, "input", movement::kByteCopyDTypes));
  const Tensor& in = *graph.input(node, slot);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxDims));
  return movement::CheckDimsPositive(node, in, "input");
}

/// Every output has the input's dtype and the shape given.
Status CheckOutputs(const Graph& graph, const Node& node, DType dtype, const std::vector<Shape>& shapes) {
  if (node.outputs.size() != shapes.size())
    return MakeError("{}: expected {} outputs, got {}", OpLabel(node), shapes.size(), node.outputs.size());
  for (size_t k = 0; k < shapes.size(); ++k) {
    const Tensor& out = graph.output(node, k);
    if (out.dtype != dtype)
      return MakeError("{}: output {} '{}' has dtype {}, expected {}", OpLabel(node), k, out.name,
                       DTypeName(out.dtype), DTypeName(dtype));
    KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, k, shapes[k]));
  }
  return Status::Ok();
}

/// The copy of input `in` (shape `shape`) from `begin`, `size` elements per axis.
std::vector<movement::CopyAxis> Box(const Shape& shape, const std::vector<int64_t>& begin,
                                    const std::vector<int64_t>& size) {
  std::vector<movement::CopyAxis> axes;
  for (size_t d = 0; d < shape.size(); ++d) axes.push_back({shape[d], begin[d], 1, size[d]});
  return axes;
}

/// One box per output along `axis`: output k spans `lengths[k]` elements of it.
struct Pieces {
  size_t axis = 0;
  std::vector<int64_t> lengths;
};

/// The outputs of SPLIT, SPLIT_V and UNPACK: consecutive pieces of the input along one axis.
Status CheckPieces(const Graph& graph, const Node& node, size_t input_slot, const Pieces& p, bool drop_axis) {
  const Tensor& in = *graph.input(node, input_slot);
  std::vector<Shape> shapes;
  for (int64_t length : p.lengths) {
    Shape s = in.shape;
    if (drop_axis)
      s.erase(s.begin() + static_cast<std::ptrdiff_t>(p.axis));
    else
      s[p.axis] = static_cast<int32_t>(length);
    shapes.push_back(s);
  }
  return CheckOutputs(graph, node, in.dtype, shapes);
}

void LowerPieces(const Node& node, LoweringContext& ctx, size_t input_slot, const Pieces& p) {
  const Tensor& in = *ctx.graph().input(node, input_slot);
  std::vector<int64_t> begin(in.shape.size(), 0);
  std::vector<int64_t> size(in.shape.begin(), in.shape.end());
  for (size_t k = 0; k < p.lengths.size(); ++k) {
    size[p.axis] = p.lengths[k];
    if (p.lengths[k] > 0)
      movement::EmitStridedCopy(ctx, node.inputs[input_slot], node.outputs[k], DTypeSize(in.dtype),
                                Box(in.shape, begin, size));
    begin[p.axis] += p.lengths[k];
  }
}

/// SLICE's begin and size, resolved (size -1: to the end of the axis).
Expected<std::pair<std::vector<int64_t>, std::vector<int64_t>>> ResolveSlice(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, 0);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> begin, movement::ReadConstIndexTensor(graph, node, 1, "begin"));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> size, movement::ReadConstIndexTensor(graph, node, 2, "size"));
  if (begin.size() != in.shape.size() || size.size() != in.shape.size())
    return MakeError("{}: begin and size must have one entry per input dimension ({}), got {} and {}", OpLabel(node),
                     in.shape.size(), begin.size(), size.size());
  for (size_t d = 0; d < begin.size(); ++d) {
    const int64_t dim = in.shape[d];
    if (begin[d] < 0 || begin[d] > dim)
      return MakeError("{}: begin {} of axis {} is outside [0, {}]", OpLabel(node), begin[d], d, dim);
    if (size[d] == -1) size[d] = dim - begin[d];
    if (size[d] < 0 || begin[d] + size[d] > dim)
      return MakeError("{}: size {} of axis {} from {} exceeds its {} elements", OpLabel(node), size[d], d,
                       begin[d], dim);
  }
  return std::make_pair(begin, size);
}

/// SPLIT: inputs (axis, input), num_splits equal pieces.
Expected<Pieces> SplitPieces(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, 1);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axis, movement::ReadConstIndexTensor(graph, node, 0, "axis"));
  if (axis.size() != 1) return MakeError("{}: axis must hold one value, got {}", OpLabel(node), axis.size());
  Pieces p;
  KILN_ASSIGN_OR_RETURN(p.axis, NormalizeAxis(node, axis[0], in.shape.size(), "axis"));
  // TFLite Micro splits into as many parts as the operator has outputs
  // (num_splits is not read).
  const int64_t n = static_cast<int64_t>(node.outputs.size());
  const int64_t dim = in.shape[p.axis];
  if (n <= 0 || dim % n != 0)
    return MakeError("{}: axis {} of {} elements does not split into {} equal parts", OpLabel(node), p.axis, dim, n);
  p.lengths.assign(static_cast<size_t>(n), dim / n);
  return p;
}

/// SPLIT_V: inputs (input, size_splits, axis); one size may be -1.
Expected<Pieces> SplitVPieces(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, 0);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, movement::ReadConstIndexTensor(graph, node, 1, "size_splits"));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axis, movement::ReadConstIndexTensor(graph, node, 2, "axis"));
  if (axis.size() != 1) return MakeError("{}: axis must hold one value, got {}", OpLabel(node), axis.size());
  Pieces p;
  KILN_ASSIGN_OR_RETURN(p.axis, NormalizeAxis(node, axis[0], in.shape.size(), "axis"));
  const int64_t dim = in.shape[p.axis];
  int64_t known = 0, unknown = -1;
  for (size_t k = 0; k < sizes.size(); ++k) {
    if (sizes[k] == -1 && unknown == -1) {
      unknown = static_cast<int64_t>(k);
    } else if (sizes[k] < 0) {
      return MakeError("{}: size_splits[{}] is {}; only one may be -1 and none other negative", OpLabel(node), k,
                       sizes[k]);
    } else if (sizes[k] > dim) {
      return MakeError("{}: size_splits[{}] is {}, axis {} has {} elements", OpLabel(node), k, sizes[k], p.axis, dim);
    } else {
      known += sizes[k];
    }
  }
  if (unknown >= 0 && known <= dim) sizes[static_cast<size_t>(unknown)] = dim - known;
  if (std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != dim || (unknown >= 0 && known > dim))
    return MakeError("{}: size_splits add up to {}, axis {} has {} elements", OpLabel(node), known, p.axis, dim);
  p.lengths = sizes;
  return p;
}

/// UNPACK: `num` pieces of one element along `axis`, which the outputs drop.
Expected<Pieces> UnpackPieces(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, 0);
  Pieces p;
  KILN_ASSIGN_OR_RETURN(p.axis, NormalizeAxis(node, node.attrs.get_int("axis", 0), in.shape.size(), "axis"));
  const int64_t num = node.attrs.get_int("num", in.shape[p.axis]);
  if (num != in.shape[p.axis])
    return MakeError("{}: num is {}, axis {} has {} elements", OpLabel(node), num, p.axis, in.shape[p.axis]);
  p.lengths.assign(static_cast<size_t>(num), 1);
  return p;
}

/// How SPLIT, SPLIT_V and UNPACK differ: their inputs, where the data is,
/// and how its pieces are found.
struct PiecesOperator {
  size_t inputs;
  size_t input_slot;
  Expected<Pieces> (*pieces)(const Graph&, const Node&);
};

PiecesOperator Describe(const Node& node) {
  switch (node.op) {
    case OpKind::kSplit: return {2, 1, &SplitPieces};    // (axis, input)
    case OpKind::kSplitV: return {3, 0, &SplitVPieces};  // (input, size_splits, axis)
    default: return {1, 0, &UnpackPieces};               // (input)
  }
}

/// PACK's axis in the output (rank + 1 dimensions).
Expected<size_t> PackAxis(const Graph& graph, const Node& node) {
  return NormalizeAxis(node, node.attrs.get_int("axis", 0), graph.input(node, 0)->shape.size() + 1, "axis");
}

}  // namespace

Status CheckSlice(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 3, 3, 1));
  KILN_RETURN_IF_ERROR(CheckSliceInput(graph, node, 0));
  KILN_ASSIGN_OR_RETURN(const auto box, ResolveSlice(graph, node));
  const Shape shape(box.second.begin(), box.second.end());
  return CheckOutputs(graph, node, graph.input(node, 0)->dtype, {shape});
}

Status LowerSlice(const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const auto box, ResolveSlice(ctx.graph(), node));
  const Tensor& in = *ctx.graph().input(node, 0);
  if (ctx.graph().output(node).num_elements() > 0)
    movement::EmitStridedCopy(ctx, node.inputs[0], node.outputs[0], DTypeSize(in.dtype),
                              Box(in.shape, box.first, box.second));
  return Status::Ok();
}

Status CheckSplitPieces(const Graph& graph, const Node& node) {
  const PiecesOperator op = Describe(node);
  KILN_RETURN_IF_ERROR(CheckArity(node, op.inputs, op.inputs, node.outputs.size()));
  KILN_RETURN_IF_ERROR(CheckSliceInput(graph, node, op.input_slot));
  KILN_ASSIGN_OR_RETURN(const Pieces p, op.pieces(graph, node));
  return CheckPieces(graph, node, op.input_slot, p, node.op == OpKind::kUnpack);
}

Status LowerSplitPieces(const Node& node, LoweringContext& ctx) {
  const PiecesOperator op = Describe(node);
  KILN_ASSIGN_OR_RETURN(const Pieces p, op.pieces(ctx.graph(), node));
  LowerPieces(node, ctx, op.input_slot, p);
  return Status::Ok();
}

Status CheckPack(const Graph& graph, const Node& node) {
  if (node.inputs.empty()) return MakeError("{}: expected at least one input", OpLabel(node));
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, node.inputs.size(), 1));
  KILN_RETURN_IF_ERROR(CheckSliceInput(graph, node, 0));
  const Tensor& first = *graph.input(node, 0);
  const int64_t count = node.attrs.get_int("values_count", static_cast<int64_t>(node.inputs.size()));
  if (count != static_cast<int64_t>(node.inputs.size()))
    return MakeError("{}: values_count is {}, the operator has {} inputs", OpLabel(node), count, node.inputs.size());
  for (size_t i = 1; i < node.inputs.size(); ++i) {
    const Tensor* in = graph.input(node, i);
    if (in == nullptr) return MakeError("{}: input {} is missing", OpLabel(node), i);
    if (in->dtype != first.dtype || in->shape != first.shape)
      return MakeError("{}: input {} '{}' is {} {}, input 0 is {} {}", OpLabel(node), i, in->name,
                       DTypeName(in->dtype), ShapeString(in->shape), DTypeName(first.dtype), ShapeString(first.shape));
  }
  KILN_ASSIGN_OR_RETURN(const size_t axis, PackAxis(graph, node));
  Shape shape = first.shape;
  shape.insert(shape.begin() + static_cast<std::ptrdiff_t>(axis), static_cast<int32_t>(node.inputs.size()));
  return CheckOutputs(graph, node, first.dtype, {shape});
}

Status LowerPack(const Node& node, LoweringContext& ctx) {
  const Tensor& first = *ctx.graph().input(node, 0);
  KILN_ASSIGN_OR_RETURN(const size_t axis, PackAxis(ctx.graph(), node));
  // Concatenating along `axis` the inputs seen with a 1 inserted there.
  int64_t outer = 1, slice = static_cast<int64_t>(DTypeSize(first.dtype));
  for (size_t d = 0; d < first.shape.size(); ++d) (d < axis ? outer : slice) *= first.shape[d];
  movement::EmitConcatenation(ctx, node.inputs, node.outputs[0], outer,
                              std::vector<int64_t>(node.inputs.size(), slice));
  return Status::Ok();
}

}  // namespace kiln
