// Compile-time helpers shared by the data-movement kernels (RESHAPE,
// SQUEEZE, CONCATENATION, PAD, STRIDED_SLICE, TRANSPOSE, SLICE, SPLIT(_V),
// PACK, UNPACK), ARG_MAX/MIN and SVDF: reading small constant index
// tensors, dtype agreement checks, the C text of params initializers, and
// the calls of the copy, strided_slice and concatenation runtime kernels
// (the copy also for the resource variables and IF/WHILE). Private to the
// kernels (namespace kiln::movement).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c99/c_syntax.h"
#include "ir/graph.h"
#include "kernels/lowering.h"
#include "support/status.h"

namespace kiln::movement {

/// Every dtype Kiln has: the operators that only move bytes (RESHAPE,
/// SQUEEZE, CONCATENATION, SLICE, STRIDED_SLICE, SPLIT, PACK, BROADCAST_TO
/// ...) take them all (int64 and bool also come from ONNX shape arithmetic).
inline constexpr std::initializer_list<DType> kByteCopyDTypes = {DType::kInt8,  DType::kUInt8,   DType::kInt16,
                                                                 DType::kInt32, DType::kFloat32, DType::kInt64,
                                                                 DType::kBool,  DType::kFloat64};

/// Checks that output `slot` has the dtype of input 0 (data movement never
/// converts).
Status CheckOutputDTypeMatchesInput(const Graph& graph, const Node& node, size_t slot = 0);

/// For the operators that move input 0's values into the output unchanged
/// (MIRROR_PAD, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND): the input is int8,
/// int16, int32 or float32, the output of its dtype and, when quantized,
/// of its scale and zero point.
Status CheckMovedValues(const Graph& graph, const Node& node);

/// Reads input `slot` as a constant int32/int64 index tensor of rank at
/// most `max_rank` (1: a vector or scalar), flattened; `role` names it in
/// errors.
Expected<std::vector<int64_t>> ReadConstIndexTensor(const Graph& graph, const Node& node,
                                                    size_t slot, const char* role,
                                                    size_t max_rank = 1);

/// Input 0 seen around the constant axis of input `slot` (one int32 or
/// int64 value, negative counting from the end): the axis, and the elements
/// before it, along it and after it (ARG_MAX, ARG_MIN, CUMSUM).
struct AxisLayout {
  size_t axis = 0;
  int64_t outer = 1, axis_size = 1, inner = 1;
};
Expected<AxisLayout> ReadAxisLayout(const Graph& graph, const Node& node, size_t slot);

/// Input 1 of PAD and MIRROR_PAD: constant int32/int64 paddings of shape
/// [rank of `input`, 2], flattened (before, after) per dimension; with
/// `empty_for_scalar`, an empty tensor also stands for a scalar input's.
Expected<std::vector<int64_t>> ReadPaddings(const Graph& graph, const Node& node, const Tensor& input,
                                           bool empty_for_scalar);

/// Checks that the tensor's rank is at most `max_rank`.
Status CheckMaxRank(const Node& node, const Tensor& tensor, const char* role, size_t max_rank);

/// Checks that every dimension is >= 1 and that the element count fits the
/// runtime's int32 indexing.
Status CheckDimsPositive(const Node& node, const Tensor& tensor, const char* role);

/// The shape left-extended with 1s to `rank` dimensions (rank >= size).
std::vector<int64_t> ExtendShape(const Shape& shape, size_t rank);

/// "{1, 2, 3}"
std::string IntList(std::span<const int64_t> values);

/// A C99 float literal that reads back as exactly `value` ("1.5f", "0.0f",
/// "3.40282347e+38f").
std::string FloatLiteral(float value);

/// One designated initializer: {"field", "value"}.
using Field = CField;

/// One axis of a strided copy out of a row-major input: the input's size
/// along it, the first index, the step between indices and how many.
struct CopyAxis {
  int64_t size = 1;
  int64_t start = 0;
  int64_t stride = 1;
  int64_t count = 1;
};

/// Emits a call of the runtime's copy kernel: `bytes` bytes of tensor
/// `input` into tensor `output` (RESHAPE's copy, the resource variables',
/// IF's and WHILE's).
void EmitByteCopy(LoweringContext& ctx, int input, int output, int64_t bytes);

/// Emits a call of the runtime's strided_slice kernel that copies, in
/// row-major order, the elements `axes` select (at most 5 axes: the
/// kernel's KILN_STRIDED_SLICE_MAX_DIMS) from `input` to `output`.
void EmitStridedCopy(LoweringContext& ctx, int input, int output, size_t element_size, std::vector<CopyAxis> axes);

/// The strided_slice kernel's walk given directly: 5 axes of `count`
/// elements, `step` input elements apart, from input element `start`
/// (any order of the input's axes: a permutation).
void EmitStridedWalk(LoweringContext& ctx, int input, int output, size_t element_size, int64_t start,
                     const std::vector<int64_t>& count, const std::vector<int64_t>& step);
/// The same from a C expression (a constant array, say) into one.
void EmitStridedWalk(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
                     int64_t start, const std::vector<int64_t>& count, const std::vector<int64_t>& step);

/// Emits a call of the runtime's axis_gather kernel: output axis d (at most
/// 6 axes, KILN_AXIS_GATHER_MAX_DIMS) reads the input at offsets[d][i]
/// (input elements; the output element's offset is the sum over its axes).
/// `input` and `output` are C expressions (a tensor, or scratch).
void EmitAxisGather(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
                    std::vector<std::vector<int64_t>> offsets);

/// The bits padding takes where the model gives no value, as TFLite's pad
/// and space_to_batch_nd kernels: the output zero point for int8, 0 (and
/// 0.0f) otherwise.
int64_t DefaultPadBits(const Tensor& output);

/// Emits a call of the runtime's pad kernel: `input` of `input_shape`
/// surrounded with `fill_bits` (the element's bit pattern), `before`
/// elements before it along each axis, into `output` of `output_shape` (at
/// most 6 axes, KILN_PAD_MAX_DIMS). C expressions, as above.
void EmitPad(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
             const std::vector<int64_t>& input_shape, const std::vector<int64_t>& output_shape,
             const std::vector<int64_t>& before, int64_t fill_bits);

/// Emits a call of the runtime's concatenation kernel writing `inputs` one
/// after another in each of `outer` slices of `output`; slice_bytes[i] is
/// input i's bytes per slice.
void EmitConcatenation(LoweringContext& ctx, const std::vector<int>& inputs, int output, int64_t outer,
                       const std::vector<int64_t>& slice_bytes);

}  // namespace kiln::movement
