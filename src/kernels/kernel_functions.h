// Declarations of every kernel's check and lower functions, one block per
// source file in src/kernels/. The registry (registry.cc) refers to them.
#pragma once

#include "kernels/lowering.h"

namespace kiln {

// --- conv.cc: CONV_2D, DEPTHWISE_CONV_2D; fully_connected.cc ---
/// CONV_2D (int8, float32): checks dtypes, quantization, attributes and the
/// output shape [N, OH, OW, Co].
Status CheckConv2D(const Graph& graph, const Node& node);
Status LowerConv2DInt8(const Node& node, LoweringContext& ctx);
Status LowerConv2DFloat32(const Node& node, LoweringContext& ctx);
Status LowerConv2DInt16(const Node& node, LoweringContext& ctx);
/// DEPTHWISE_CONV_2D (int8, float32); the depth multiplier is derived from
/// the shapes (filter channels / input channels).
Status CheckDepthwiseConv2D(const Graph& graph, const Node& node);
Status LowerDepthwiseConv2DInt8(const Node& node, LoweringContext& ctx);
Status LowerDepthwiseConv2DFloat32(const Node& node, LoweringContext& ctx);
Status LowerDepthwiseConv2DInt16(const Node& node, LoweringContext& ctx);
/// The int8 schedules of CONV_2D and DEPTHWISE_CONV_2D: the reference, and
/// where TFLite's arithmetic applies "gemm"/"gemm_dsp" (1x1, stride 1),
/// "im2col_gemm"/"im2col_gemm_dsp" (one group, or depthwise of one input
/// channel), "depthwise_dsp" (depth multiplier 1). docs/schedules.md.
std::vector<Schedule> Conv2DSchedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options);
std::vector<Schedule> DepthwiseConv2DSchedules(const Graph& graph, const Node& node,
                                               const KernelScheduleOptions& options);
/// FULLY_CONNECTED (int8, float32): input flattened to [B, K]; output [B, O],
/// or the input's shape ending in O when keep_num_dims.
Status CheckDepthToSpace(const Graph& graph, const Node& node);
Status LowerDepthToSpace(const Node& node, LoweringContext& ctx);
Status CheckSpaceToDepth(const Graph& graph, const Node& node);
Status LowerSpaceToDepth(const Node& node, LoweringContext& ctx);
/// ADD_N: float32 by add_f32, int8 (inputs of one quantization, as TFLite
/// Micro's) by add_n_s8; every input of the output's shape.
Status CheckAddN(const Graph& graph, const Node& node);
Status LowerAddN(const Node& node, LoweringContext& ctx);
Status CheckAddNS8(const Graph& graph, const Node& node);
Status LowerAddNS8(const Node& node, LoweringContext& ctx);
Status CheckL2Normalization(const Graph& graph, const Node& node);
Status LowerL2Normalization(const Node& node, LoweringContext& ctx);
Status CheckCumSum(const Graph& graph, const Node& node);
Status LowerCumSum(const Node& node, LoweringContext& ctx);
Status CheckZerosLike(const Graph& graph, const Node& node);
Status LowerZerosLike(const Node& node, LoweringContext& ctx);
Status CheckEmbeddingLookup(const Graph& graph, const Node& node);
Status LowerEmbeddingLookup(const Node& node, LoweringContext& ctx);
Status CheckDynamicUpdateSlice(const Graph& graph, const Node& node);
Status LowerDynamicUpdateSlice(const Node& node, LoweringContext& ctx);
Status CheckBatchMatMul(const Graph& graph, const Node& node);
Status LowerBatchMatMul(const Node& node, LoweringContext& ctx);
Status CheckGatherNd(const Graph& graph, const Node& node);
Status LowerGatherNd(const Node& node, LoweringContext& ctx);
/// UNIDIRECTIONAL_SEQUENCE_LSTM, float32 (kernels/lstm.cc).
Status CheckLstmF32(const Graph& graph, const Node& node);
Status LowerLstmF32(const Node& node, LoweringContext& ctx);
/// UNIDIRECTIONAL_SEQUENCE_LSTM, int8 (int16 cell) and 16x8, as TFLite
/// Micro's integer LSTM (kernels/lstm.cc).
Status CheckLstmInt(const Graph& graph, const Node& node);
Status LowerLstmInt(const Node& node, LoweringContext& ctx);
/// GRU and RNN, float32: ONNX's GRU and RNN in one direction (kernels/gru_rnn.cc).
Status CheckGruRnnF32(const Graph& graph, const Node& node);
Status LowerGruRnnF32(const Node& node, LoweringContext& ctx);
Status CheckSpaceToBatchNd(const Graph& graph, const Node& node);
Status LowerSpaceToBatchNd(const Node& node, LoweringContext& ctx);
Status CheckBatchToSpaceNd(const Graph& graph, const Node& node);
Status LowerBatchToSpaceNd(const Node& node, LoweringContext& ctx);
Status CheckMirrorPad(const Graph& graph, const Node& node);
Status LowerMirrorPad(const Node& node, LoweringContext& ctx);
Status CheckReverseV2(const Graph& graph, const Node& node);
Status LowerReverseV2(const Node& node, LoweringContext& ctx);

Status CheckCast(const Graph& graph, const Node& node);
Status LowerCast(const Node& node, LoweringContext& ctx);
Status CheckSelectV2(const Graph& graph, const Node& node);
Status LowerSelectV2(const Node& node, LoweringContext& ctx);
Status CheckBroadcastTo(const Graph& graph, const Node& node);
Status LowerBroadcastTo(const Node& node, LoweringContext& ctx);
// Control flow (control_flow.cc): any dtype, keyed by the first input's.
Status CheckIf(const Graph& graph, const Node& node);
Status LowerIf(const Node& node, LoweringContext& ctx);
Status CheckWhile(const Graph& graph, const Node& node);
Status LowerWhile(const Node& node, LoweringContext& ctx);
Status CheckBroadcastArgs(const Graph& graph, const Node& node);
Status LowerBroadcastArgs(const Node& node, LoweringContext& ctx);
Status CheckFill(const Graph& graph, const Node& node);
Status LowerFill(const Node& node, LoweringContext& ctx);

Status CheckGather(const Graph& graph, const Node& node);
Status LowerGather(const Node& node, LoweringContext& ctx);

Status CheckResizeNearestNeighbor(const Graph& graph, const Node& node);
Status LowerResizeNearestNeighbor(const Node& node, LoweringContext& ctx);
Status CheckResizeBilinear(const Graph& graph, const Node& node);
Status LowerResizeBilinear(const Node& node, LoweringContext& ctx);

Status CheckTransposeConv(const Graph& graph, const Node& node);
Status LowerTransposeConv(const Node& node, LoweringContext& ctx);

Status CheckFullyConnected(const Graph& graph, const Node& node);
Status LowerFullyConnectedInt8(const Node& node, LoweringContext& ctx);
Status LowerFullyConnectedFloat32(const Node& node, LoweringContext& ctx);
Status LowerFullyConnectedInt16(const Node& node, LoweringContext& ctx);
/// The int8 schedules of FULLY_CONNECTED: the reference, and "gemm" /
/// "gemm_dsp" where the weights are symmetric and TFLite's arithmetic applies.
std::vector<Schedule> FullyConnectedSchedules(const Graph& graph, const Node& node,
                                              const KernelScheduleOptions& options);
// --- pooling.cc, softmax.cc, logistic_tanh.cc, reduce.cc ---
/// AVERAGE_POOL_2D and MAX_POOL_2D (int8, float32): rank-4 input, window
/// attributes, output shape [N, OH, OW, C]; int8 needs equal input/output
/// quantization. One lowering picks avg/max and s8/f32 from the node.
Status CheckPool2D(const Graph& graph, const Node& node);
Status LowerPool2D(const Node& node, LoweringContext& ctx);
/// int8 AVERAGE_POOL_2D and MAX_POOL_2D: the reference and "pool_dsp"
/// (SSUB8 and SEL, SXTAB16, four channels a word).
std::vector<Schedule> Pool2DSchedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options);
/// SOFTMAX on int8 input: int8 output (scale 1/256, zp -128) or int16
/// output (scale 1/65536, zp -32768); softmax over the last axis.
Status CheckSoftmaxInt8(const Graph& graph, const Node& node);
Status LowerSoftmaxInt8(const Node& node, LoweringContext& ctx);
/// LOG_SOFTMAX, int8 (kernels/softmax.cc).
Status CheckLogSoftmaxInt8(const Graph& graph, const Node& node);
Status LowerLogSoftmaxInt8(const Node& node, LoweringContext& ctx);
/// SOFTMAX on int16 input (zp 0) with int16 output (scale 1/32768, zp 0).
Status CheckSoftmaxInt16(const Graph& graph, const Node& node);
Status LowerSoftmaxInt16(const Node& node, LoweringContext& ctx);
/// The two 513-entry tables of the int16 softmax (TFLite's LUTPopulate).
std::vector<int64_t> SoftmaxExpLutInt16();
std::vector<int64_t> SoftmaxOneOverOnePlusXLutInt16();
/// SOFTMAX on float32.
Status CheckSoftmaxFloat(const Graph& graph, const Node& node);
/// SOFTMAX and LOG_SOFTMAX (float32; the variant from the registry entry).
Status LowerSoftmaxFloat(const Node& node, LoweringContext& ctx);
/// LOG_SOFTMAX on float32 (checked as SOFTMAX float32).
/// LOGISTIC / TANH on int8 (output scale 1/256 zp -128, resp. 1/128 zp 0).
Status CheckLogisticTanhInt8(const Graph& graph, const Node& node);
Status LowerLogisticTanhInt8(const Node& node, LoweringContext& ctx);
/// LOGISTIC / TANH on int16 (zero points 0, output scale 2^-15).
Status CheckLogisticTanhInt16(const Graph& graph, const Node& node);
Status LowerLogisticTanhInt16(const Node& node, LoweringContext& ctx);
/// LOGISTIC / TANH on float32.
Status CheckLogisticTanhFloat(const Graph& graph, const Node& node);
Status LowerLogisticTanhFloat(const Node& node, LoweringContext& ctx);
/// MEAN (int8, int16, float32) and integer SUM (int8, int16: TFLite's
/// QuantizedMeanOrSum serves both) over the constant int32 axes of input 1,
/// keep_dims.
Status CheckMean(const Graph& graph, const Node& node);
Status LowerMean(const Node& node, LoweringContext& ctx);
/// float32 SUM, REDUCE_MAX and REDUCE_MIN (float32; int8 with the same
/// quantization in and out) over the constant int32 axes of input 1.
Status CheckReduce(const Graph& graph, const Node& node);
Status LowerReduce(const Node& node, LoweringContext& ctx);
// --- elementwise.cc, activations.cc, quantize.cc ---
/// ADD / SUB / MUL (int8, int16, float32): two inputs of
/// rank <= 6 with numpy broadcasting; the output has the broadcast shape;
/// fused activation. One lowering serves quantized ADD (SUB) of both widths.
Status CheckAddS8(const Graph& graph, const Node& node);
Status CheckAddS16(const Graph& graph, const Node& node);
Status LowerAddQuantized(const Node& node, LoweringContext& ctx);
std::vector<Schedule> AddS8Schedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options);
std::vector<Schedule> SubS8Schedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options);
Status CheckSubS8(const Graph& graph, const Node& node);
Status CheckSubS16(const Graph& graph, const Node& node);
Status LowerSubQuantized(const Node& node, LoweringContext& ctx);
/// MUL on int8, and on int16 with zero points 0 (TFLite Micro's 16-bit MUL).
Status CheckMulQuantized(const Graph& graph, const Node& node);
Status LowerMulQuantized(const Node& node, LoweringContext& ctx);
/// ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM on float32: one check and one
/// lowering (the kernel variant comes from the registry entry).
Status CheckBinaryFloat32(const Graph& graph, const Node& node);
Status LowerBinaryFloat32(const Node& node, LoweringContext& ctx);
/// RELU and RELU6 (one kernel per dtype; the node's op picks the bound).
/// int8 and int16 RELU requantize to the output scale; RELU6 clamps on the
/// input scale, as TFLite Micro does.
Status CheckReluQuantized(const Graph& graph, const Node& node);
Status LowerReluQuantized(const Node& node, LoweringContext& ctx);
/// PRELU on int8, and on int16 with an int8 alpha (TFLite Micro's), alpha
/// broadcast to the input.
Status CheckPreluQuantized(const Graph& graph, const Node& node);
Status LowerPreluQuantized(const Node& node, LoweringContext& ctx);
/// DIV on int8 (TFLite Micro's quantized DIV; a zero divisor stops run()).
Status CheckDivS8(const Graph& graph, const Node& node);
Status LowerDivS8(const Node& node, LoweringContext& ctx);
/// SQUARED_DIFFERENCE on int8, and int16 with zero points 0 (TFLite Micro's).
Status CheckSquaredDifferenceQuantized(const Graph& graph, const Node& node);
Status LowerSquaredDifferenceQuantized(const Node& node, LoweringContext& ctx);
/// RSQRT on int8 (TFLite Micro's; a value below the zero point stops run()).
Status CheckRsqrtS8(const Graph& graph, const Node& node);
Status LowerRsqrtS8(const Node& node, LoweringContext& ctx);
/// ABS on int8, and int16 with zero points 0 (TFLite Micro's quantized ABS).
Status CheckAbsQuantized(const Graph& graph, const Node& node);
Status LowerAbsQuantized(const Node& node, LoweringContext& ctx);
Status CheckReluF32(const Graph& graph, const Node& node);
Status LowerReluF32(const Node& node, LoweringContext& ctx);
/// LEAKY_RELU (int8, float32), attribute alpha.
Status CheckLeakyReluQuantized(const Graph& graph, const Node& node);  // int8, int16
Status LowerLeakyReluQuantized(const Node& node, LoweringContext& ctx);
Status CheckLeakyReluF32(const Graph& graph, const Node& node);
Status LowerLeakyReluF32(const Node& node, LoweringContext& ctx);
/// HARD_SWISH (int8, float32).
Status CheckHardSwishS8(const Graph& graph, const Node& node);
Status LowerHardSwishS8(const Node& node, LoweringContext& ctx);
Status CheckEluS8(const Graph& graph, const Node& node);
Status LowerEluS8(const Node& node, LoweringContext& ctx);
Status CheckConv3D(const Graph& graph, const Node& node);
Status LowerConv3D(const Node& node, LoweringContext& ctx);
Status CheckPool3D(const Graph& graph, const Node& node);
Status LowerPool3D(const Node& node, LoweringContext& ctx);
Status CheckGatherElements(const Graph& graph, const Node& node);
Status LowerGatherElements(const Node& node, LoweringContext& ctx);
Status CheckBinaryInt(const Graph& graph, const Node& node);
Status LowerBinaryInt(const Node& node, LoweringContext& ctx);
Status CheckBinaryF64(const Graph& graph, const Node& node);
Status LowerBinaryF64(const Node& node, LoweringContext& ctx);
Status CheckEluF32(const Graph& graph, const Node& node);
Status LowerEluF32(const Node& node, LoweringContext& ctx);
Status CheckHardSwishF32(const Graph& graph, const Node& node);
Status LowerHardSwishF32(const Node& node, LoweringContext& ctx);
/// QUANTIZE, by input dtype: float32 -> int8/uint8/int16 (AffineQuantize);
/// int8 -> int8/uint8/int16/int32, uint8 -> int8/uint8, int16 ->
/// int8/int16/int32, int32 -> int8/int16 (requantization). One lowering
/// serves all of them.
Status CheckQuantizeF32(const Graph& graph, const Node& node);
Status CheckRequantizeS8(const Graph& graph, const Node& node);
Status CheckRequantizeU8(const Graph& graph, const Node& node);
Status CheckRequantizeS16(const Graph& graph, const Node& node);
Status CheckRequantizeS32(const Graph& graph, const Node& node);
Status LowerQuantize(const Node& node, LoweringContext& ctx);
/// DEQUANTIZE int8 / uint8 / int16 -> float32 (per-tensor quantization).
Status CheckDequantizeS8(const Graph& graph, const Node& node);
Status LowerDequantizeS8(const Node& node, LoweringContext& ctx);
Status CheckDequantizeU8(const Graph& graph, const Node& node);
Status LowerDequantizeU8(const Node& node, LoweringContext& ctx);
Status CheckDequantizeS16(const Graph& graph, const Node& node);
Status LowerDequantizeS16(const Node& node, LoweringContext& ctx);
// --- math_float.cc ---
/// ABS, NEG, FLOOR, CEIL, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS on
/// float32: the output's shape and dtype the input's (the variant from the
/// registry entry).
Status CheckUnaryMathFloat32(const Graph& graph, const Node& node);
Status LowerUnaryMathFloat32(const Node& node, LoweringContext& ctx);
/// SQUARED_DIFFERENCE, FLOOR_DIV, FLOOR_MOD, POW, PRELU on float32: numpy
/// broadcasting (rank <= 6), no activation clamp.
Status CheckBinaryMathFloat32(const Graph& graph, const Node& node);
Status LowerBinaryMathFloat32(const Node& node, LoweringContext& ctx);
// --- compare.cc ---
/// EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL on float32,
/// int32 and int8 (by value: each input rescaled by its own scale), EQUAL and
/// NOT_EQUAL also on bool; numpy broadcasting, bool output.
Status CheckCompare(const Graph& graph, const Node& node);
Status LowerCompare(const Node& node, LoweringContext& ctx);
/// LOGICAL_AND, LOGICAL_OR on bool with broadcasting; LOGICAL_NOT.
Status CheckLogical(const Graph& graph, const Node& node);
Status LowerLogical(const Node& node, LoweringContext& ctx);
Status CheckLogicalNot(const Graph& graph, const Node& node);
Status LowerLogicalNot(const Node& node, LoweringContext& ctx);
// --- arg_min_max.cc ---
/// ARG_MAX / ARG_MIN (float32, int8, int16, int32) over a constant axis,
/// int32 or int64 output.
Status CheckArgMinMax(const Graph& graph, const Node& node);
Status LowerArgMinMax(const Node& node, LoweringContext& ctx);
// --- split_pack.cc ---
/// SLICE (constant begin and size), SPLIT (constant axis, equal parts),
/// SPLIT_V (constant size_splits and axis), UNPACK, PACK: data movement of
/// elements of 1, 2 or 4 bytes, rank <= 5.
Status CheckSlice(const Graph& graph, const Node& node);
Status LowerSlice(const Node& node, LoweringContext& ctx);
/// SPLIT, SPLIT_V and UNPACK: one strided copy per output.
Status CheckSplitPieces(const Graph& graph, const Node& node);
Status LowerSplitPieces(const Node& node, LoweringContext& ctx);
Status CheckPack(const Graph& graph, const Node& node);
Status LowerPack(const Node& node, LoweringContext& ctx);
// --- data_movement.cc, svdf.cc ---
// (reshape.cc, concatenation.cc, pad.cc, strided_slice.cc, transpose.cc,
// svdf.cc; helpers in movement_common.h)
/// RESHAPE (int8, uint8, int16, int32, float32): the target shape comes from
/// the constant int32 shape input, else new_shape, else the declared output
/// shape (one -1 resolved); it must match the declared output. A byte copy.
Status CheckReshape(const Graph& graph, const Node& node);
Status LowerReshape(const Node& node, LoweringContext& ctx);
/// SQUEEZE (same dtypes): drops squeeze_dims (negative allowed; each of
/// size 1) or, when none are given, every size-1 dimension. A byte copy.
Status CheckSqueeze(const Graph& graph, const Node& node);
Status LowerSqueeze(const Node& node, LoweringContext& ctx);
// --- variables.cc ---
/// READ_VARIABLE (any dtype): a copy of the variable (state) tensor of
/// input 0, whose dtype and element count the output shares.
Status CheckReadVariable(const Graph& graph, const Node& node);
Status LowerReadVariable(const Node& node, LoweringContext& ctx);
/// ASSIGN_VARIABLE (any dtype): the variable of input 0 takes input 1's
/// bytes (same dtype and element count); no output.
Status CheckAssignVariable(const Graph& graph, const Node& node);
Status LowerAssignVariable(const Node& node, LoweringContext& ctx);
/// CONCATENATION (int8, uint8, int16, int32, float32) along axis (negative
/// allowed); activation must be NONE; quantized inputs must share the
/// output's scale and zero point.
Status CheckConcatenation(const Graph& graph, const Node& node);
Status LowerConcatenation(const Node& node, LoweringContext& ctx);
/// PAD (int8, int16, int32, float32): constant int32/int64 paddings [R,2],
/// rank <= 6; pads with the output zero point (int8) or 0, or with the
/// optional constant_values input.
Status CheckPad(const Graph& graph, const Node& node);
Status LowerPad(const Node& node, LoweringContext& ctx);
/// STRIDED_SLICE (int8, int16, int32, float32): constant begin/end/strides,
/// every mask and offset, TFLite's index rules; up to 5 dimensions.
Status CheckStridedSlice(const Graph& graph, const Node& node);
Status LowerStridedSlice(const Node& node, LoweringContext& ctx);
/// TRANSPOSE (int8, int16, int32, float32): constant perm, rank <= 6.
Status CheckTranspose(const Graph& graph, const Node& node);
Status LowerTranspose(const Node& node, LoweringContext& ctx);
/// SVDF, int8 input: int8 or int16 activation state (= weights_time dtype),
/// kernels svdf_s8 / svdf_s8_s16. The state must be a variable tensor.
Status CheckSvdfS8(const Graph& graph, const Node& node);
Status LowerSvdfS8(const Node& node, LoweringContext& ctx);
/// SVDF, float32.
Status CheckSvdfF32(const Graph& graph, const Node& node);
Status LowerSvdfF32(const Node& node, LoweringContext& ctx);

}  // namespace kiln
