#include "kernels/conv_common.h"

#include <cmath>
#include <cstdint>

#include "kernels/quant_params.h"

namespace kiln {

Expected<WindowAxis> ComputeWindowAxis(const std::string& padding, int64_t in_size,
                                       int64_t filter_size, int64_t stride, int64_t dilation) {
  const int64_t effective_filter = (filter_size - 1) * dilation + 1;
  WindowAxis axis;
  // TFLite's ComputeOutSize (C integer division truncates toward zero).
  if (padding == "SAME") {
    axis.out = (in_size + stride - 1) / stride;
  } else if (padding == "VALID") {
    axis.out = (in_size + stride - effective_filter) / stride;
  } else {
    return MakeError("padding '{}' is not SAME or VALID", padding);
  }
  // TFLite's ComputePaddingWithOffset: the odd unit goes after the end.
  int64_t total = (axis.out - 1) * stride + effective_filter - in_size;
  if (total < 0) total = 0;
  axis.pad = total / 2;
  axis.pad_offset = total % 2;
  return axis;
}

Expected<ConvAttrs> ReadConvAttrs(const Node& node) {
  ConvAttrs a;
  a.padding = node.attrs.get_string("padding");
  if (a.padding != "SAME" && a.padding != "VALID")
    return MakeError("{}: attribute padding is '{}', expected SAME or VALID", OpLabel(node),
                     a.padding);
  a.stride_h = node.attrs.get_int("stride_h", 1);
  a.stride_w = node.attrs.get_int("stride_w", 1);
  a.dilation_h = node.attrs.get_int("dilation_h", 1);
  a.dilation_w = node.attrs.get_int("dilation_w", 1);
  // Generous caps keep every index computation far from int32 overflow.
  constexpr int64_t kMax = 1 << 16;
  const std::pair<const char*, int64_t> values[] = {{"stride_h", a.stride_h},
                                                    {"stride_w", a.stride_w},
                                                    {"dilation_h", a.dilation_h},
                                                    {"dilation_w", a.dilation_w}};
  for (const auto& [name, value] : values) {
    if (value < 1 || value > kMax)
      return MakeError("{}: attribute {} is {}, expected 1 to {}", OpLabel(node), name, value,
                       kMax);
  }
  a.activation = node.attrs.get_string("activation", "NONE");
  auto range = FloatActivationRange(a.activation);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return a;
}

ChannelMultipliers PerChannelMultipliers(float input_scale, const std::vector<float>& filter_scales,
                                         int64_t channels, float output_scale) {
  ChannelMultipliers out;
  out.multiplier.reserve(static_cast<size_t>(channels));
  out.shift.reserve(static_cast<size_t>(channels));
  const bool per_channel = filter_scales.size() > 1;
  for (int64_t c = 0; c < channels; ++c) {
    const float scale = per_channel ? filter_scales[static_cast<size_t>(c)] : filter_scales[0];
    // Same operation order as TFLite: (in * filter) / out, all in double.
    const double effective = static_cast<double>(input_scale) * static_cast<double>(scale) /
                             static_cast<double>(output_scale);
    const FixedPointMultiplier m = QuantizeMultiplier(effective);
    out.multiplier.push_back(m.multiplier);
    out.shift.push_back(m.shift);
  }
  return out;
}

bool OnnxRequantization(const Node& node) {
  return node.attrs.get_string("rounding") == "HALF_EVEN";
}

ChannelMultipliers RequantMultipliers(const Node& node, float input_scale,
                                      const std::vector<float>& filter_scales, int64_t channels,
                                      float output_scale) {
  if (!OnnxRequantization(node))
    return PerChannelMultipliers(input_scale, filter_scales, channels, output_scale);
  ChannelMultipliers out;
  for (int64_t c = 0; c < channels; ++c) {
    const float scale = filter_scales.size() > 1 ? filter_scales[static_cast<size_t>(c)] : filter_scales[0];
    // float32 throughout, in ONNX Runtime's order: x_scale * w_scale / y_scale.
    const float effective = input_scale * scale / output_scale;
    const FixedPointMultiplier m = QuantizeMultiplier(static_cast<double>(effective));
    out.multiplier.push_back(m.multiplier);
    out.shift.push_back(m.shift);
  }
  return out;
}

int64_t FilterZeroPoint(const Tensor& filter) {
  return filter.quant.zero_point.empty() ? 0 : filter.quant.zero_point[0];
}

Status CheckInt8TensorQuant(const Node& node, const Tensor& tensor, const char* role) {
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, tensor, role));
  const int64_t zp = tensor.quant.zero_point.empty() ? 0 : tensor.quant.zero_point[0];
  if (zp < -128 || zp > 127)
    return MakeError("{}: {} '{}' has zero point {}, expected -128 to 127", OpLabel(node), role,
                     tensor.name, zp);
  return Status::Ok();
}

Status CheckInt8FilterQuant(const Node& node, const Tensor& filter, int32_t axis, int64_t channels,
                            const char* role) {
  const Quantization& q = filter.quant;
  if (q.empty())
    return MakeError("{}: {} '{}' has no quantization parameters", OpLabel(node), role,
                     filter.name);
  if (q.per_channel()) {
    if (static_cast<int64_t>(q.scale.size()) != channels)
      return MakeError("{}: {} '{}' has {} per-channel scales, expected {}", OpLabel(node), role,
                       filter.name, q.scale.size(), channels);
    if (q.axis != axis)
      return MakeError("{}: {} '{}' is quantized along dimension {}, expected {}", OpLabel(node),
                       role, filter.name, q.axis, axis);
  }
  for (float s : q.scale) {
    if (!std::isfinite(s) || s < 0.0f)
      return MakeError("{}: {} '{}' has scale {}, expected a finite value >= 0", OpLabel(node),
                       role, filter.name, s);
  }
  // ONNX's uint8 weights, moved to int8, keep an offset: the kernels
  // subtract one zero point shared by all channels (filter_offset).
  if (OnnxRequantization(node)) {
    for (int64_t zp : q.zero_point)
      if (zp != FilterZeroPoint(filter) || zp < -128 || zp > 127)
        return MakeError("{}: {} '{}' has zero points that differ between channels or leave -128..127",
                         OpLabel(node), role, filter.name);
    return Status::Ok();
  }
  // The int8 kernels assume symmetric weights (TFLite's quantization spec)
  // and, like TFLite's, never subtract a filter zero point.
  for (int64_t zp : q.zero_point) {
    if (zp != 0)
      return MakeError("{}: {} '{}' has zero point {}, expected 0 (symmetric int8 weights)",
                       OpLabel(node), role, filter.name, zp);
  }
  return Status::Ok();
}

Status CheckMultiplierRange(const Node& node, const ChannelMultipliers& multipliers) {
  for (size_t c = 0; c < multipliers.shift.size(); ++c) {
    if (multipliers.shift[c] > 31)
      return MakeError(
          "{}: the requantization scale of output channel {} is too large (input scale * "
          "filter scale / output scale >= 2^31)",
          OpLabel(node), c);
  }
  return Status::Ok();
}

Status CheckElementCount(const Node& node, const Tensor& tensor, const char* role, int64_t count) {
  if (tensor.num_elements() != count)
    return MakeError("{}: {} '{}' has shape {} ({} elements), expected {} elements", OpLabel(node),
                     role, tensor.name, ShapeString(tensor.shape), tensor.num_elements(), count);
  return Status::Ok();
}

Status CheckRankPositive(const Node& node, const Tensor& tensor, const char* role, size_t rank) {
  if (tensor.shape.size() != rank)
    return MakeError("{}: {} '{}' has shape {}, expected rank {}", OpLabel(node), role, tensor.name,
                     ShapeString(tensor.shape), rank);
  for (int32_t d : tensor.shape) {
    if (d < 1)
      return MakeError("{}: {} '{}' has shape {}, expected every dimension >= 1", OpLabel(node),
                       role, tensor.name, ShapeString(tensor.shape));
  }
  if (tensor.num_elements() > INT32_MAX)
    return MakeError("{}: {} '{}' has shape {}, too many elements", OpLabel(node), role,
                     tensor.name, ShapeString(tensor.shape));
  return Status::Ok();
}

Expected<DType> CheckWeightedOpDTypes(const Graph& graph, const Node& node, const char* weights_role) {
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, 0, "input", {DType::kInt8, DType::kInt16, DType::kFloat32}));
  const DType dtype = graph.input(node, 0)->dtype;
  // 16x8: int16 activations with int8 weights.
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, 1, weights_role, {dtype == DType::kInt16 ? DType::kInt8 : dtype}));
  if (graph.input(node, 2) != nullptr) {
    if (dtype == DType::kInt16) {
      KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 2, "bias", {DType::kInt32, DType::kInt64}));
      KILN_RETURN_IF_ERROR(CheckInt64BiasBound(node, *graph.input(node, 2), "bias"));
    } else {
      const DType bias_dtype = dtype == DType::kInt8 ? DType::kInt32 : DType::kFloat32;
      KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 2, "bias", {bias_dtype}));
    }
  }
  const Tensor& output = graph.output(node);
  if (output.dtype != dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node),
                     output.name, DTypeName(output.dtype), DTypeName(dtype));
  return dtype;
}

S16x8Accumulator ChooseS16x8Accumulator(const Graph& graph, const Node& node, bool depthwise) {
  const Tensor* bias = graph.input(node, 2);
  return depthwise || (bias != nullptr && bias->dtype == DType::kInt64) ? S16x8Accumulator::k64
                                                                        : S16x8Accumulator::k32;
}

Status CheckS16x8Activations(const Graph& graph, const Node& node, const std::string& activation) {
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, output, "output"));
  auto range = QuantizedActivationRange(activation, DType::kInt16, output.quant.scale[0], 0);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return Status::Ok();
}

Status CheckS16x8Multipliers(const Node& node, const ChannelMultipliers& multipliers,
                             S16x8Accumulator accumulator) {
  if (accumulator == S16x8Accumulator::k32) return CheckMultiplierRange(node, multipliers);
  // The 64-bit requantization shifts right by 15 - shift: TFLite allows -31..7.
  for (size_t c = 0; c < multipliers.shift.size(); ++c) {
    if (multipliers.shift[c] > 7)
      return MakeError(
          "{}: the requantization scale of output channel {} is too large for the 64-bit "
          "accumulator (input scale * filter scale / output scale >= 2^7)",
          OpLabel(node), c);
  }
  return Status::Ok();
}

int64_t InteriorOutputs(int64_t pad, int64_t input, int64_t filter, int64_t output, int64_t stride, int64_t dilation) {
  int64_t inside = 0;
  for (int64_t o = 0; o < output; ++o)
    if (o * stride - pad >= 0 && o * stride - pad + (filter - 1) * dilation < input) ++inside;
  return inside;
}

void DeclareRowStreaming(const Node& node, LoweringContext& ctx, int64_t stride_h, int64_t pad_top,
                         int64_t lag_pixels) {
  const Graph& graph = ctx.graph();
  const Tensor& input = graph.tensor(node.inputs[0]);
  const Tensor& output = graph.output(node);
  const int64_t batches = output.shape[0], output_h = output.shape[1];
  const int64_t input_row = input.bytes() / (input.shape[0] * input.shape[1]);
  StreamingAccess access;
  access.input_tensor = node.inputs[0];
  access.output_tensor = node.outputs[0];
  access.units = batches * output_h;
  access.output_unit_bytes = output.bytes() / access.units;
  access.units_per_group = output_h;
  access.group_input_bytes = input.bytes() / input.shape[0];
  access.input_step_bytes = stride_h * input_row;
  const int64_t input_pixel = input.shape[2] > 0 ? input_row / input.shape[2] : 0;
  access.input_lag_bytes = pad_top * input_row + lag_pixels * input_pixel;
  access.input_bytes = input.bytes();
  ctx.streaming_access(access);
}

}  // namespace kiln
