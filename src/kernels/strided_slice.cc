// STRIDED_SLICE: numpy-style slicing with TFLite's exact index rules
// (tensorflow/lite/kernels/strided_slice.cc and strided_slice_logic.h):
// ellipsis and new-axis masks are expanded into an "effective" input of up
// to 5 dimensions, then each axis gets its start and stop from
// StridedSliceStartForAxis / StridedSliceEndForAxis (negative indices,
// clamping, begin/end masks, `offset`). The result is folded into a start
// offset plus an element count and input step per axis for the runtime
// kernel "strided_slice". TFLite Micro ignores the ellipsis and new-axis
// masks and `offset`; with those unset both agree.
#include <algorithm>

#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr int kMaxSliceDims = 5;  // KILN_STRIDED_SLICE_MAX_DIMS

/// One axis of the effective input: its size and the resolved iteration.
struct SliceAxis {
  int64_t size = 1;
  int64_t start = 0;
  int64_t stride = 1;
  int64_t count = 0;  // iterations of the reference loop
  bool shrink = false;
};

int64_t Clamp(int64_t v, int64_t lo, int64_t hi) { return v > hi ? hi : (v < lo ? lo : v); }

bool Bit(int64_t mask, int64_t i) { return i >= 0 && i < 63 && ((mask >> i) & 1) != 0; }

/// Resolves every axis of the effective input; the analogue of TFLite's
/// BuildStridedSliceParams followed by the start/end computation of its
/// reference kernel.
Expected<std::vector<SliceAxis>> ResolveSlice(const Graph& graph, const Node& node) {
  const Tensor& in = graph.tensor(node.inputs[0]);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> begin,
                        movement::ReadConstIndexTensor(graph, node, 1, "begin"));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> end,
                        movement::ReadConstIndexTensor(graph, node, 2, "end"));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> strides,
                        movement::ReadConstIndexTensor(graph, node, 3, "strides"));
  if (begin.size() != end.size() || begin.size() != strides.size())
    return MakeError("{}: begin, end and strides must have the same length, got {}, {} and {}",
                     OpLabel(node), begin.size(), end.size(), strides.size());
  const int64_t begin_mask = node.attrs.get_int("begin_mask", 0);
  const int64_t end_mask = node.attrs.get_int("end_mask", 0);
  const int64_t ellipsis_mask = node.attrs.get_int("ellipsis_mask", 0);
  const int64_t new_axis_mask = node.attrs.get_int("new_axis_mask", 0);
  const int64_t shrink_mask = node.attrs.get_int("shrink_axis_mask", 0);
  const bool offset = node.attrs.get_int("offset", 0) != 0;
  for (int64_t mask : {begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_mask}) {
    if (mask < 0 || mask >= (int64_t{1} << 31))
      return MakeError("{}: mask value {} is out of range", OpLabel(node), mask);
  }
  if (__builtin_popcountll(static_cast<unsigned long long>(ellipsis_mask)) > 1)
    return MakeError("{}: ellipsis_mask {} has more than one bit set", OpLabel(node),
                     ellipsis_mask);

  const int64_t count = static_cast<int64_t>(begin.size());
  const int64_t input_dims = static_cast<int64_t>(in.shape.size());
  int64_t num_add_axis = 0;
  for (int64_t i = 0; i < count; ++i)
    if (!Bit(ellipsis_mask, i) && Bit(new_axis_mask, i)) ++num_add_axis;
  const int64_t dims = input_dims + num_add_axis;
  if (dims > kMaxSliceDims)
    return MakeError("{}: the slice has {} dimensions including new axes; at most {} are "
                     "supported",
                     OpLabel(node), dims, kMaxSliceDims);

  // Where the ellipsis lands and how many dimensions it stands for; which
  // effective dimensions are new axes.
  int64_t effective_ellipsis = 0, effective_new_axis = 0;
  int64_t ellipsis_start = dims, expanded_ellipsis = 0;
  for (int64_t i = 0; i < dims;) {
    if (Bit(ellipsis_mask, i)) {
      ellipsis_start = i;
      const int64_t ellipsis_end =
          std::max(i + 1, std::min(i + 1 + num_add_axis + input_dims - count, dims));
      expanded_ellipsis = ellipsis_end - ellipsis_start - 1;
      for (; i < ellipsis_end; ++i) effective_ellipsis |= int64_t{1} << i;
      continue;
    }
    if (Bit(new_axis_mask, i - expanded_ellipsis)) effective_new_axis |= int64_t{1} << i;
    ++i;
  }

  std::vector<SliceAxis> axes(static_cast<size_t>(dims));
  int64_t added_ellipsis = 0, added_axes = 0;
  for (int64_t i = 0; i < dims; ++i) {
    SliceAxis& a = axes[static_cast<size_t>(i)];
    int64_t start = 0, stop = 0;
    bool begin_full = false, end_full = false;
    if (Bit(effective_ellipsis, i)) {
      added_ellipsis = std::max<int64_t>(0, i - ellipsis_start);
      begin_full = end_full = true;
      a.size = in.shape[static_cast<size_t>(i - added_axes)];
    } else if (Bit(effective_new_axis, i)) {
      stop = 1;
      a.size = 1;
      ++added_axes;
    } else if (i >= count + expanded_ellipsis) {
      begin_full = end_full = true;
      a.size = in.shape[static_cast<size_t>(i - added_axes)];
    } else {
      const int64_t orig = i - added_ellipsis;
      start = begin[static_cast<size_t>(orig)];
      stop = end[static_cast<size_t>(orig)];
      a.stride = strides[static_cast<size_t>(orig)];
      begin_full = Bit(begin_mask, orig);
      end_full = Bit(end_mask, orig);
      a.shrink = Bit(shrink_mask, orig);
      a.size = in.shape[static_cast<size_t>(i - added_axes)];
    }
    if (a.stride == 0)
      return MakeError("{}: the stride of dimension {} is 0", OpLabel(node), i);

    // StridedSliceStartForAxis.
    if (start < 0) start += a.size;
    start = a.stride > 0 ? Clamp(start, 0, a.size) : Clamp(start, -1, a.size - 1);
    if (begin_full) start = a.stride > 0 ? 0 : a.size - 1;
    // StridedSliceEndForAxis.
    if (a.shrink) {
      stop = start >= a.size ? start : start + 1;
    } else {
      if (offset) stop += start;
      if (stop < 0) stop += a.size;
      stop = a.stride > 0 ? Clamp(stop, 0, a.size) : Clamp(stop, -1, a.size - 1);
      if (end_full) stop = a.stride > 0 ? a.size : -1;
    }
    a.start = start;
    // Iterations of `for (x = start; stride > 0 ? x < stop : x > stop; x += stride)`.
    const int64_t span = a.stride > 0 ? stop - start : start - stop;
    const int64_t step = a.stride > 0 ? a.stride : -a.stride;
    a.count = span > 0 ? (span + step - 1) / step : 0;
    // A shrunk axis must select exactly one element, or the output would
    // not be filled (TFLite writes nothing then).
    if (a.shrink && a.count != 1)
      return MakeError("{}: shrink_axis_mask selects no element of dimension {} (begin {}, "
                       "stride {}, size {})",
                       OpLabel(node), i, start, a.stride, a.size);
  }
  return axes;
}

}  // namespace

Status CheckStridedSlice(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 4, 4, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", movement::kByteCopyDTypes));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& in = graph.tensor(node.inputs[0]);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxSliceDims));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
  KILN_ASSIGN_OR_RETURN(std::vector<SliceAxis> axes, ResolveSlice(graph, node));
  Shape expected;
  for (const SliceAxis& a : axes)
    if (!a.shrink) expected.push_back(static_cast<int32_t>(a.count));
  return CheckOutputShape(graph, node, 0, expected);
}

Status LowerStridedSlice(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = graph.tensor(node.inputs[0]);
  KILN_ASSIGN_OR_RETURN(std::vector<SliceAxis> axes, ResolveSlice(graph, node));
  std::vector<movement::CopyAxis> copy;
  for (const SliceAxis& a : axes) copy.push_back({a.size, a.start, a.stride, a.count});
  movement::EmitStridedCopy(ctx, node.inputs[0], node.outputs[0], DTypeSize(in.dtype), std::move(copy));
  return Status::Ok();
}

}  // namespace kiln
