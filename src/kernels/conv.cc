// CONV_2D and DEPTHWISE_CONV_2D, int8 and float32: validation (the shape
// rule included) and lowering to runtime/kernels/{conv2d,depthwise_conv2d}_*.c.
// Parameters are computed as TFLite Micro's ConvPrepare and
// DepthwiseConvPrepare compute them.
#include <fmt/format.h>

#include "codegen/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kInput = 0;
constexpr size_t kFilter = 1;
constexpr size_t kBias = 2;

/// Everything a convolution kernel needs to know about shapes.
struct ConvGeometry {
  int64_t batches = 0, input_h = 0, input_w = 0, input_c = 0;
  int64_t filter_h = 0, filter_w = 0, filter_c = 0;
  int64_t output_h = 0, output_w = 0, output_c = 0;
  int64_t depth_multiplier = 1;
  WindowAxis axis_h, axis_w;
  ConvAttrs attrs;
};

/// Validates what CONV_2D and DEPTHWISE_CONV_2D share for both dtypes
/// (arity, dtypes, ranks, channel relations, attributes, output shape) and
/// returns the geometry.
Expected<ConvGeometry> AnalyzeConv(const Graph& graph, const Node& node, bool depthwise) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 3, 1));
  KILN_RETURN_IF_ERROR(CheckWeightedOpDTypes(graph, node, "filter"));
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& filter = *graph.input(node, kFilter);
  const Tensor* bias = graph.input(node, kBias);

  KILN_RETURN_IF_ERROR(CheckRankPositive(node, input, "input", 4));
  KILN_RETURN_IF_ERROR(CheckRankPositive(node, filter, "filter", 4));
  KILN_ASSIGN_OR_RETURN(ConvAttrs attrs, ReadConvAttrs(node));

  ConvGeometry g;
  g.batches = input.shape[0];
  g.input_h = input.shape[1];
  g.input_w = input.shape[2];
  g.input_c = input.shape[3];
  g.filter_h = filter.shape[1];
  g.filter_w = filter.shape[2];
  if (depthwise) {
    if (filter.shape[0] != 1)
      return MakeError("{}: filter '{}' has shape {}, expected [1,KH,KW,C*M]", OpLabel(node),
                       filter.name, ShapeString(filter.shape));
    g.output_c = filter.shape[3];
    g.filter_c = 1;
    // The multiplier follows from the shapes, as TFLite derives it; the
    // depth_multiplier attribute is redundant (and 0 in some newer models).
    if (g.output_c % g.input_c != 0)
      return MakeError(
          "{}: filter '{}' has {} channels, expected a multiple of the input's {} channels",
          OpLabel(node), filter.name, g.output_c, g.input_c);
    g.depth_multiplier = g.output_c / g.input_c;
  } else {
    g.output_c = filter.shape[0];
    g.filter_c = filter.shape[3];
    // Grouped convolution: each group of filter_c input channels feeds
    // output_c / groups consecutive output channels.
    if (g.input_c % g.filter_c != 0)
      return MakeError(
          "{}: input '{}' has {} channels, expected a multiple of the filter's depth {}",
          OpLabel(node), input.name, g.input_c, g.filter_c);
    const int64_t groups = g.input_c / g.filter_c;
    if (g.output_c % groups != 0)
      return MakeError("{}: filter '{}' has {} output channels, not divisible into {} groups",
                       OpLabel(node), filter.name, g.output_c, groups);
  }
  if (bias != nullptr) KILN_RETURN_IF_ERROR(CheckElementCount(node, *bias, "bias", g.output_c));

  KILN_ASSIGN_OR_RETURN(g.axis_h, ComputeWindowAxis(attrs.padding, g.input_h, g.filter_h,
                                                    attrs.stride_h, attrs.dilation_h));
  KILN_ASSIGN_OR_RETURN(g.axis_w, ComputeWindowAxis(attrs.padding, g.input_w, g.filter_w,
                                                    attrs.stride_w, attrs.dilation_w));
  if (g.axis_h.out < 1 || g.axis_w.out < 1)
    return MakeError("{}: the dilated {}x{} filter does not fit the {}x{} input with VALID padding",
                     OpLabel(node), (g.filter_h - 1) * attrs.dilation_h + 1,
                     (g.filter_w - 1) * attrs.dilation_w + 1, g.input_h, g.input_w);
  g.output_h = g.axis_h.out;
  g.output_w = g.axis_w.out;
  const Shape expected = {static_cast<int32_t>(g.batches), static_cast<int32_t>(g.output_h),
                          static_cast<int32_t>(g.output_w), static_cast<int32_t>(g.output_c)};
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  g.attrs = std::move(attrs);
  return g;
}

/// The int8-only checks: quantization of every operand, activation range,
/// requantization multipliers.
Status CheckConvInt8(const Graph& graph, const Node& node, const ConvGeometry& g,
                     int32_t filter_axis) {
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& filter = *graph.input(node, kFilter);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, input, "input"));
  KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, output, "output"));
  KILN_RETURN_IF_ERROR(CheckInt8FilterQuant(node, filter, filter_axis, g.output_c, "filter"));
  auto range = QuantizedActivationRange(g.attrs.activation, DType::kInt8, output.quant.scale[0],
                                        output.quant.zero_point[0]);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return CheckMultiplierRange(node, RequantMultipliers(node, input.quant.scale[0], filter.quant.scale,
                                                        g.output_c, output.quant.scale[0]));
}

Status CheckConvLike(const Graph& graph, const Node& node, bool depthwise) {
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(graph, node, depthwise));
  if (graph.input(node, kInput)->dtype == DType::kInt8)
    return CheckConvInt8(graph, node, g, depthwise ? 3 : 0);
  return Status::Ok();
}

std::string I(int64_t v) { return std::to_string(v); }

/// The fields both kernels of one family share, in struct order up to the
/// padding (conv2d_* and depthwise_conv2d_* differ in filter_c vs.
/// depth_multiplier).
std::vector<CField> GeometryFields(const ConvGeometry& g, bool depthwise) {
  std::vector<CField> f = {{"batches", I(g.batches)},   {"input_h", I(g.input_h)},
                           {"input_w", I(g.input_w)},   {"input_c", I(g.input_c)},
                           {"filter_h", I(g.filter_h)}, {"filter_w", I(g.filter_w)}};
  if (!depthwise) f.push_back({"filter_c", I(g.filter_c)});
  f.insert(f.end(),
           {{"output_h", I(g.output_h)}, {"output_w", I(g.output_w)}, {"output_c", I(g.output_c)}});
  if (depthwise) f.push_back({"depth_multiplier", I(g.depth_multiplier)});
  f.insert(f.end(), {{"stride_h", I(g.attrs.stride_h)},
                     {"stride_w", I(g.attrs.stride_w)},
                     {"dilation_h", I(g.attrs.dilation_h)},
                     {"dilation_w", I(g.attrs.dilation_w)},
                     {"pad_h", I(g.axis_h.pad)},
                     {"pad_w", I(g.axis_w.pad)}});
  return f;
}

std::string BiasArg(const Node& node, LoweringContext& ctx) {
  return node.inputs.size() > kBias && node.inputs[kBias] != kNoTensor
             ? ctx.tensor(node.inputs[kBias])
             : std::string("NULL");
}

Status LowerConvInt8(const Node& node, LoweringContext& ctx, bool depthwise) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(graph, node, depthwise));
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& filter = *graph.input(node, kFilter);
  const Tensor& output = graph.output(node);
  const float output_scale = output.quant.scale[0];
  const int64_t output_zp = output.quant.zero_point[0];
  KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.attrs.activation, DType::kInt8,
                                                                 output_scale, output_zp));
  const ChannelMultipliers m =
      RequantMultipliers(node, input.quant.scale[0], filter.quant.scale, g.output_c, output_scale);

  const std::string variant = depthwise ? "depthwise_conv2d_s8" : "conv2d_s8";
  const std::string stem = depthwise ? "dwconv" : "conv";
  ctx.use_kernel(variant);
  const std::string multipliers =
      ctx.const_int_array(stem + "_multiplier", "int32_t", m.multiplier);
  const std::string shifts = ctx.const_int_array(stem + "_shift", "int32_t", m.shift);
  std::vector<CField> fields = GeometryFields(g, depthwise);
  fields.push_back({"input_offset", I(-input.quant.zero_point[0])});
  // ONNX's fields only where they apply: TFLite models' C stays as it was.
  if (FilterZeroPoint(filter) != 0) fields.push_back({"filter_offset", I(-FilterZeroPoint(filter))});
  if (OnnxRequantization(node)) fields.push_back({"round_half_even", "1"});
  fields.insert(fields.end(), {{"output_offset", I(output_zp)},
                               {"act_min", I(range.min)},
                               {"act_max", I(range.max)},
                               {"output_multiplier", multipliers},
                               {"output_shift", shifts}});
  const std::string params = ctx.unique_name(stem + "_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {});", variant, params,
                            ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kFilter]),
                            BiasArg(node, ctx), ctx.tensor(node.outputs[0])));
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

Status LowerConvFloat32(const Node& node, LoweringContext& ctx, bool depthwise) {
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(ctx.graph(), node, depthwise));
  KILN_ASSIGN_OR_RETURN(FloatRange range, FloatActivationRange(g.attrs.activation));
  const std::string variant = depthwise ? "depthwise_conv2d_f32" : "conv2d_f32";
  const std::string stem = depthwise ? "dwconv" : "conv";
  ctx.use_kernel(variant);
  std::vector<CField> fields = GeometryFields(g, depthwise);
  fields.insert(fields.end(),
                {{"act_min", CFloatLiteral(range.min)}, {"act_max", CFloatLiteral(range.max)}});
  const std::string params = ctx.unique_name(stem + "_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {});", variant, params,
                            ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kFilter]),
                            BiasArg(node, ctx), ctx.tensor(node.outputs[0])));
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

}  // namespace

Status CheckConv2D(const Graph& graph, const Node& node) {
  return CheckConvLike(graph, node, /*depthwise=*/false);
}
Status LowerConv2DInt8(const Node& node, LoweringContext& ctx) {
  return LowerConvInt8(node, ctx, /*depthwise=*/false);
}
Status LowerConv2DFloat32(const Node& node, LoweringContext& ctx) {
  return LowerConvFloat32(node, ctx, /*depthwise=*/false);
}

Status CheckDepthwiseConv2D(const Graph& graph, const Node& node) {
  return CheckConvLike(graph, node, /*depthwise=*/true);
}
Status LowerDepthwiseConv2DInt8(const Node& node, LoweringContext& ctx) {
  return LowerConvInt8(node, ctx, /*depthwise=*/true);
}
Status LowerDepthwiseConv2DFloat32(const Node& node, LoweringContext& ctx) {
  return LowerConvFloat32(node, ctx, /*depthwise=*/true);
}

}  // namespace kiln
