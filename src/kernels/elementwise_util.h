// Helpers shared by the elementwise, activation and (de)quantization
// lowerings (elementwise.cc, activations.cc, quantize.cc): numpy-style
// broadcasting of two shapes onto the runtime's kiln_broadcast_t, C
// literals and params-struct declarations, and the tensor checks those
// kernels have in common.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "kernels/quant_params.h"
#include "support/status.h"

namespace kiln::elem_detail {

/// Highest operand rank the broadcasting kernels accept
/// (KILN_BROADCAST_MAX_RANK in runtime/include/kiln/broadcast.h).
inline constexpr size_t kMaxBroadcastRank = 6;

/// The C initializer of a kiln_broadcast_t that walks the broadcast of a
/// and b: output dims left-padded with 1s to rank 6, each input's element
/// stride per output dimension (0 where it is broadcast), the element
/// count, and `flat` (1 when a, b and the output have one shape up to
/// leading 1s, so that element i of each corresponds).
/// a and b must be broadcast-compatible and of rank <= 6.
std::string BroadcastInitializer(const Shape& a, const Shape& b);

/// Row-major element strides of an operand's shape, extended to the
/// output's rank, with 0 wherever the operand has extent 1 but the output
/// does not (TFLite's NdArrayDesc after NdArrayDescsForElementwiseBroadcast).
std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& dims, const std::vector<int64_t>& out_dims);

/// A C integer literal exact on every target (INT32_MIN and INT64_MIN included).
std::string IntLit(int64_t value);

/// A C float literal that reads back as exactly `value` (finite values).
std::string FloatLit(float value);

/// One designated initializer of a params struct: {"field", "C value"}.
using Field = std::pair<std::string, std::string>;

/// Declares `static const kiln_<variant>_params_t <unique name> = {...};`
/// through ctx.declare() and returns the name.
std::string DeclareParams(LoweringContext& ctx, std::string_view variant,
                          const std::vector<Field>& fields);

/// A call of the dequantize kernel `variant` (dequantize_s8, _u8, _s16):
/// `count` values of the C expression `input`, scale * (q - zero_point),
/// into `output` (DEQUANTIZE, and EMBEDDING_LOOKUP's int8 rows into float).
void EmitDequantize(LoweringContext& ctx, std::string_view variant, int64_t count, float scale, int32_t zero_point,
                    const std::string& input, const std::string& output);

/// Declares the params of `variant` (as DeclareParams) and calls
/// kiln_<variant>(&params, <the node's inputs>, <its output>).
void EmitElementwiseCall(const Node& node, LoweringContext& ctx, std::string_view variant,
                         const std::vector<Field>& fields);

/// The same with a `shape` field first: the kiln_broadcast_t of the node's
/// two inputs (BroadcastInitializer).
void EmitBroadcastCall(const Node& node, LoweringContext& ctx, std::string_view variant, std::vector<Field> fields);

/// The zero point of a per-tensor quantized tensor (0 when absent).
int32_t ZeroPoint(const Tensor& tensor);
/// Input 0's dtype, where a check picks the rule by it; int8 when the input
/// is absent (the check then names it missing).
DType InputDType(const Graph& graph, const Node& node);

/// Checks per-tensor quantization (one positive finite scale) and a zero
/// point within the range of the tensor's integer dtype.
Status CheckQuantized(const Node& node, const Tensor& tensor, const char* role);

/// Checks that output `slot` has one of the given dtypes.
Status CheckOutputDType(const Graph& graph, const Node& node, size_t slot,
                        const std::vector<DType>& allowed);

/// Checks that the tensor's rank is at most `max_rank`, every dimension is
/// at least 1 and the element count fits the runtime's int32_t indexing.
Status CheckDims(const Node& node, const Tensor& tensor, const char* role, size_t max_rank);

/// Checks that a fixed-point multiplier's shift can be applied by
/// kiln_multiply_by_quantized_multiplier (a left shift of at most 31 bits);
/// `what` names the ratio in the message ("input_scale / output_scale").
Status CheckShift(const Node& node, const FixedPointMultiplier& m, const char* what);

/// The shape rule and dtypes shared by every binary elementwise kernel:
/// two inputs of `dtype` (input b of `b_dtype` where given) whose shapes
/// broadcast (rank <= 6), and an output with the broadcast shape, of
/// `output_dtype` (default: `dtype`).
Status CheckBinaryShapes(const Graph& graph, const Node& node, DType dtype,
                         std::optional<DType> output_dtype = std::nullopt, std::optional<DType> b_dtype = std::nullopt);

/// Checks the unary elementwise shape rule: one input, one output, the
/// output's shape equal to the input's, rank and size as CheckDims.
Status CheckUnaryShape(const Graph& graph, const Node& node);

/// Declares that the kernel computes output element i from element i of
/// each input of the output's shape, front to back, reading it before
/// writing (memory/access_pattern.h): such an input may then share its
/// bytes with the output (in place) when it dies here. Only for kernels
/// whose loop is exactly that; broadcast inputs are left out.
void DeclareElementwiseStreaming(const Node& node, LoweringContext& ctx);

}  // namespace kiln::elem_detail
