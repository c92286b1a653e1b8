// Compile-time helpers shared by the convolution-like kernels (CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED): TFLite's windowed output size and
// padding rule, per-channel requantization multipliers, quantization checks
// for int8 operands, and params-struct initializers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c99/c_syntax.h"
#include "ir/graph.h"
#include "kernels/lowering.h"
#include "support/status.h"

namespace kiln {

/// One spatial axis of a sliding window: the output size and the padding
/// before the first element, as TFLite's ComputePaddingHeightWidth computes
/// them. `pad_offset` is the extra padding after the last element when the
/// total is odd; convolutions do not use it.
struct WindowAxis {
  int64_t out = 0;
  int64_t pad = 0;
  int64_t pad_offset = 0;
};

/// Computes a WindowAxis for padding "SAME" or "VALID". Arguments are
/// assumed positive; `out` may come out <= 0 when the window does not fit.
Expected<WindowAxis> ComputeWindowAxis(const std::string& padding, int64_t in_size,
                                       int64_t filter_size, int64_t stride, int64_t dilation);

/// Spatial attributes of a CONV_2D / DEPTHWISE_CONV_2D node, validated.
struct ConvAttrs {
  std::string padding;
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  std::string activation;
};
Expected<ConvAttrs> ReadConvAttrs(const Node& node);

/// Requantization multipliers, one per output channel.
struct ChannelMultipliers {
  std::vector<int64_t> multiplier;
  std::vector<int64_t> shift;
};
/// For each of `channels` output channels: QuantizeMultiplier of
/// double(input_scale) * double(filter_scale) / double(output_scale), the
/// arithmetic of TFLite's PopulateConvolutionQuantizationParams. A single
/// filter scale is broadcast to every channel.
ChannelMultipliers PerChannelMultipliers(float input_scale, const std::vector<float>& filter_scales,
                                         int64_t channels, float output_scale);

/// True when `node` asks for ONNX's requantization (attribute
/// rounding="HALF_EVEN", set by the ONNX importer for QLinearConv /
/// QLinearMatMul and by passes/fuse_qdq.cc): float32 scale arithmetic and one
/// rounding half to even (kiln_multiply_round_half_even), instead of TFLite's.
bool OnnxRequantization(const Node& node);

/// PerChannelMultipliers for TFLite nodes; for ONNX ones (above) the float32
/// value of input_scale * filter_scale / output_scale, ONNX Runtime's
/// arithmetic, which QuantizeMultiplier encodes exactly.
ChannelMultipliers RequantMultipliers(const Node& node, float input_scale,
                                      const std::vector<float>& filter_scales, int64_t channels,
                                      float output_scale);

/// The zero point shared by every channel of a filter (0 when it has none).
int64_t FilterZeroPoint(const Tensor& filter);

/// Checks an int8 activation tensor (input or output): per-tensor
/// quantization, positive finite scale, zero point within [-128, 127].
Status CheckInt8TensorQuant(const Node& node, const Tensor& tensor, const char* role);

/// Checks the int8 filter of a per-channel kernel: one scale, or `channels`
/// scales along `axis`; scales finite and >= 0; every zero point 0 (TFLite),
/// or, for ONNX's requantization, one zero point shared by all channels.
Status CheckInt8FilterQuant(const Node& node, const Tensor& filter, int32_t axis, int64_t channels,
                            const char* role);

/// Checks that every multiplier's shift can be applied by the runtime
/// (a left shift of at most 31 bits).
Status CheckMultiplierRange(const Node& node, const ChannelMultipliers& multipliers);

/// Checks that `tensor` has `count` elements (bias vectors).
Status CheckElementCount(const Node& node, const Tensor& tensor, const char* role, int64_t count);

/// Checks that `tensor` has rank `rank`, every dimension >= 1, and fewer
/// than 2^31 elements (the runtime indexes with int32_t).
Status CheckRankPositive(const Node& node, const Tensor& tensor, const char* role, size_t rank);


/// Checks the dtypes of an operator with weights (input 0, weights 1,
/// optional bias 2, output 0): int8 with an int32 bias, int16 activations
/// with int8 weights and an int32 or int64 bias (16x8), or float32
/// throughout. Returns the input's dtype.
Expected<DType> CheckWeightedOpDTypes(const Graph& graph, const Node& node, const char* weights_role);

/// The accumulator of a 16x8 kernel (int16 activations, int8 weights), as
/// TFLite Micro picks it: 64 bits with an int64 bias, 32 with an int32 bias
/// or none; its depthwise kernel always uses 64 (kiln/s16x8.h).
enum class S16x8Accumulator { k32 = 0, k64 = 1 };
S16x8Accumulator ChooseS16x8Accumulator(const Graph& graph, const Node& node, bool depthwise);

/// Checks the activations of a 16x8 kernel: input and output quantized per
/// tensor with zero point 0, and the fused activation's int16 range.
Status CheckS16x8Activations(const Graph& graph, const Node& node, const std::string& activation);

/// Checks that the accumulator's requantization applies the multipliers:
/// a shift of at most 7 on the 64-bit path (TFLite's limit), 31 on the other.
Status CheckS16x8Multipliers(const Node& node, const ChannelMultipliers& multipliers,
                             S16x8Accumulator accumulator);

/// The outputs along one axis whose window lies inside the input (the
/// others read padding): what the kernels that test border taps pay for.
int64_t InteriorOutputs(int64_t pad, int64_t input, int64_t filter, int64_t output, int64_t stride, int64_t dilation);

/// Declares the access pattern every sliding-window kernel here follows
/// (conv, depthwise conv, pooling, NHWC): output rows are written in order,
/// and while output row oy is written only input rows from
/// oy * stride_h - pad_top on are read, and `lag_pixels` input pixels
/// before that (a matrix multiply that reads a tile of pixels for every
/// channel tile, its tile crossing into the next row). Lets the planner
/// overlap the output with the input already consumed.
void DeclareRowStreaming(const Node& node, LoweringContext& ctx, int64_t stride_h, int64_t pad_top,
                         int64_t lag_pixels = 0);

}  // namespace kiln
