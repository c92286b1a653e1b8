// TRANSPOSE_CONV, float32, int8 and 16x8: validation (the shape rule
// included) and lowering to runtime/kernels/transpose_conv_*.c. Parameters
// are computed as TFLite Micro's transpose_conv.cc Prepare computes them:
// the padding is TFLite's rule applied to the output's size, with stride
// and no dilation.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kInput = 0;
constexpr size_t kFilter = 1;
constexpr size_t kBias = 2;

struct TransposeConvGeometry {
  int64_t batches = 0, input_h = 0, input_w = 0, input_c = 0;
  int64_t filter_h = 0, filter_w = 0;
  int64_t output_h = 0, output_w = 0, output_c = 0;
  int64_t pad_h = 0, pad_w = 0;
  ConvAttrs attrs;
};

/// The dtypes TFLite Micro's kernel takes: float32 throughout; int8 with an
/// int32 bias; 16x8 (int16 activations, int8 weights) with an int64 bias, or
/// an int16 one, which it widens to int64 (Kiln widens it at compile time).
Status CheckTransposeConvDTypes(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, kInput, "input", {DType::kInt8, DType::kInt16, DType::kFloat32}));
  const DType dtype = graph.input(node, kInput)->dtype;
  const bool quantized = dtype != DType::kFloat32;
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kFilter, "filter", {quantized ? DType::kInt8 : dtype}));
  if (graph.input(node, kBias) != nullptr) {
    if (dtype == DType::kInt16) {
      KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kBias, "bias", {DType::kInt64, DType::kInt16}));
      KILN_RETURN_IF_ERROR(CheckInt64BiasBound(node, *graph.input(node, kBias), "bias"));
    } else {
      KILN_RETURN_IF_ERROR(
          CheckInputDType(graph, node, kBias, "bias", {dtype == DType::kInt8 ? DType::kInt32 : DType::kFloat32}));
    }
  }
  const Tensor& output = graph.output(node);
  if (output.dtype != dtype)
    return MakeError("{}: output 0 '{}' has dtype {}, expected {} (the input's)", OpLabel(node), output.name,
                     DTypeName(output.dtype), DTypeName(dtype));
  return Status::Ok();
}

Expected<TransposeConvGeometry> AnalyzeTransposeConv(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 3, 1));
  KILN_RETURN_IF_ERROR(CheckTransposeConvDTypes(graph, node));
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& filter = *graph.input(node, kFilter);
  const Tensor* bias = graph.input(node, kBias);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(CheckRankPositive(node, input, "input", 4));
  KILN_RETURN_IF_ERROR(CheckRankPositive(node, filter, "filter", 4));
  KILN_RETURN_IF_ERROR(CheckRankPositive(node, output, "output", 4));
  KILN_ASSIGN_OR_RETURN(ConvAttrs attrs, ReadConvAttrs(node));
  if (attrs.dilation_h != 1 || attrs.dilation_w != 1)
    return MakeError("{}: a transposed convolution has no dilation (got {}x{})", OpLabel(node), attrs.dilation_h,
                     attrs.dilation_w);

  TransposeConvGeometry g;
  g.batches = input.shape[0];
  g.input_h = input.shape[1];
  g.input_w = input.shape[2];
  g.input_c = input.shape[3];
  g.output_c = filter.shape[0];
  g.filter_h = filter.shape[1];
  g.filter_w = filter.shape[2];
  if (filter.shape[3] != g.input_c)
    return MakeError("{}: filter '{}' has shape {}, expected [Co,KH,KW,{}] (the input's channels)", OpLabel(node),
                     filter.name, ShapeString(filter.shape), g.input_c);
  if (bias != nullptr) KILN_RETURN_IF_ERROR(CheckElementCount(node, *bias, "bias", g.output_c));
  // The output's height and width are the model's choice (TFLite's
  // output_shape input); batches and channels follow from the operands.
  g.output_h = output.shape[1];
  g.output_w = output.shape[2];
  KILN_RETURN_IF_ERROR(CheckOutputShape(
      graph, node, 0,
      {static_cast<int32_t>(g.batches), static_cast<int32_t>(g.output_h), static_cast<int32_t>(g.output_w),
       static_cast<int32_t>(g.output_c)}));
  if (node.attrs.has("pad_top") || node.attrs.has("pad_left")) {
    // ONNX's ConvTranspose: its leading pads as given (the output's size
    // holds the trailing ones); a pad as large as the filter skips a whole
    // filter row, which no converter writes.
    g.pad_h = node.attrs.get_int("pad_top");
    g.pad_w = node.attrs.get_int("pad_left");
    if (g.pad_h < 0 || g.pad_w < 0 || g.pad_h >= g.filter_h || g.pad_w >= g.filter_w)
      return MakeError("{}: pads {}x{} must be at least 0 and less than the filter's {}x{}", OpLabel(node), g.pad_h,
                       g.pad_w, g.filter_h, g.filter_w);
  } else {
    KILN_ASSIGN_OR_RETURN(WindowAxis axis_h, ComputeWindowAxis(attrs.padding, g.output_h, g.filter_h, attrs.stride_h, 1));
    KILN_ASSIGN_OR_RETURN(WindowAxis axis_w, ComputeWindowAxis(attrs.padding, g.output_w, g.filter_w, attrs.stride_w, 1));
    g.pad_h = axis_h.pad;
    g.pad_w = axis_w.pad;
  }
  g.attrs = std::move(attrs);
  return g;
}

ChannelMultipliers Multipliers(const Graph& graph, const Node& node, const TransposeConvGeometry& g) {
  return PerChannelMultipliers(graph.input(node, kInput)->quant.scale[0], graph.input(node, kFilter)->quant.scale,
                               g.output_c, graph.output(node).quant.scale[0]);
}

Status CheckQuantized(const Graph& graph, const Node& node, const TransposeConvGeometry& g) {
  const Tensor& input = *graph.input(node, kInput);
  const Tensor& output = graph.output(node);
  const bool s16x8 = input.dtype == DType::kInt16;
  if (s16x8) {
    KILN_RETURN_IF_ERROR(CheckS16x8Activations(graph, node, g.attrs.activation));
  } else {
    KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, input, "input"));
    KILN_RETURN_IF_ERROR(CheckInt8TensorQuant(node, output, "output"));
    auto range = QuantizedActivationRange(g.attrs.activation, DType::kInt8, output.quant.scale[0],
                                          output.quant.zero_point[0]);
    if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  }
  KILN_RETURN_IF_ERROR(CheckInt8FilterQuant(node, *graph.input(node, kFilter), 0, g.output_c, "filter"));
  const ChannelMultipliers m = Multipliers(graph, node, g);
  return s16x8 ? CheckS16x8Multipliers(node, m, S16x8Accumulator::k64) : CheckMultiplierRange(node, m);
}

std::string I(int64_t v) { return std::to_string(v); }

std::vector<CField> GeometryFields(const TransposeConvGeometry& g) {
  return {{"batches", I(g.batches)},   {"input_h", I(g.input_h)},   {"input_w", I(g.input_w)},
          {"input_c", I(g.input_c)},   {"filter_h", I(g.filter_h)}, {"filter_w", I(g.filter_w)},
          {"output_h", I(g.output_h)}, {"output_w", I(g.output_w)}, {"output_c", I(g.output_c)},
          {"stride_h", I(g.attrs.stride_h)}, {"stride_w", I(g.attrs.stride_w)}, {"pad_h", I(g.pad_h)},
          {"pad_w", I(g.pad_w)}};
}

/// The bias argument: the tensor, none, or (16x8 with an int16 bias) its
/// values widened to int64, as TFLite Micro widens them before each run.
std::string BiasArg(const Node& node, LoweringContext& ctx) {
  const Tensor* bias = ctx.graph().input(node, kBias);
  if (bias == nullptr) return "NULL";
  if (bias->dtype != DType::kInt16) return ctx.tensor(node.inputs[kBias]);
  std::vector<int64_t> wide;
  for (int64_t i = 0; i < bias->num_elements(); ++i) wide.push_back(bias->int_at(i));
  return ctx.const_int_array("tconv_bias", "int64_t", wide);
}

}  // namespace

Status CheckTransposeConv(const Graph& graph, const Node& node) {
  KILN_ASSIGN_OR_RETURN(TransposeConvGeometry g, AnalyzeTransposeConv(graph, node));
  if (graph.input(node, kInput)->dtype == DType::kFloat32) return Status::Ok();
  return CheckQuantized(graph, node, g);
}

Status LowerTransposeConv(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(TransposeConvGeometry g, AnalyzeTransposeConv(graph, node));
  const DType dtype = graph.input(node, kInput)->dtype;
  const std::string variant = dtype == DType::kFloat32 ? "transpose_conv_f32"
                              : dtype == DType::kInt8  ? "transpose_conv_s8"
                                                       : "transpose_conv_s16";
  ctx.use_kernel(variant);
  std::vector<CField> fields = GeometryFields(g);
  if (dtype == DType::kFloat32) {
    KILN_ASSIGN_OR_RETURN(FloatRange range, FloatActivationRange(g.attrs.activation));
    fields.insert(fields.end(), {{"act_min", CFloatLiteral(range.min)}, {"act_max", CFloatLiteral(range.max)}});
  } else {
    const Tensor& output = graph.output(node);
    const int64_t output_zp = dtype == DType::kInt8 ? output.quant.zero_point[0] : 0;
    KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.attrs.activation, dtype,
                                                                   output.quant.scale[0], output_zp));
    const ChannelMultipliers m = Multipliers(graph, node, g);
    if (dtype == DType::kInt8)
      fields.insert(fields.end(), {{"input_offset", I(-graph.input(node, kInput)->quant.zero_point[0])},
                                   {"output_offset", I(output_zp)}});
    fields.insert(fields.end(), {{"act_min", I(range.min)},
                                 {"act_max", I(range.max)},
                                 {"output_multiplier", ctx.const_int_array("tconv_multiplier", "int32_t", m.multiplier)},
                                 {"output_shift", ctx.const_int_array("tconv_shift", "int32_t", m.shift)}});
  }
  const std::string bias = BiasArg(node, ctx);
  const std::string params = ctx.unique_name("tconv_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {});", variant, params, ctx.tensor(node.inputs[kInput]),
                            ctx.tensor(node.inputs[kFilter]), bias, ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
