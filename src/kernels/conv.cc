// CONV_2D and DEPTHWISE_CONV_2D, int8, 16x8 and float32: validation (the shape
// rule included) and lowering to runtime/kernels/{conv2d,depthwise_conv2d}_*.c.
// Parameters are computed as TFLite Micro's ConvPrepare and
// DepthwiseConvPrepare compute them.
#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/gemm_lowering.h"
#include "kernels/depthwise_tiled.h"
#include "kernels/gemm_tiled.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"
#include "kernels/specialise.h"

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

/// The 16x8 checks (int16 activations, int8 weights): per-channel
/// symmetric weights, the activations, and the requantization.
Status CheckConvS16x8(const Graph& graph, const Node& node, const ConvGeometry& g, bool depthwise) {
  const Tensor& filter = *graph.input(node, kFilter);
  const Tensor* bias = graph.input(node, kBias);
  if (depthwise && bias != nullptr && bias->dtype != DType::kInt64)
    return MakeError(
        "{}: bias '{}' has dtype {}, expected int64 (TFLite Micro's 16x8 depthwise kernel reads "
        "an int64 bias)",
        OpLabel(node), bias->name, DTypeName(bias->dtype));
  KILN_RETURN_IF_ERROR(CheckS16x8Activations(graph, node, g.attrs.activation));
  KILN_RETURN_IF_ERROR(CheckInt8FilterQuant(node, filter, depthwise ? 3 : 0, g.output_c, "filter"));
  const ChannelMultipliers m = PerChannelMultipliers(graph.input(node, kInput)->quant.scale[0],
                                                     filter.quant.scale, g.output_c,
                                                     graph.output(node).quant.scale[0]);
  return CheckS16x8Multipliers(node, m, ChooseS16x8Accumulator(graph, node, depthwise));
}

Status CheckConvLike(const Graph& graph, const Node& node, bool depthwise) {
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(graph, node, depthwise));
  switch (graph.input(node, kInput)->dtype) {
    case DType::kInt8: return CheckConvInt8(graph, node, g, depthwise ? 3 : 0);
    case DType::kInt16: return CheckConvS16x8(graph, node, g, depthwise);
    default: return Status::Ok();
  }
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

Status LowerConvInt8Reference(const Node& node, LoweringContext& ctx, bool depthwise) {
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

/// conv2d_s16 / depthwise_conv2d_s16: TFLite's 16x8 reference loops.
Status LowerConvS16x8(const Node& node, LoweringContext& ctx, bool depthwise) {
  const Graph& graph = ctx.graph();
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(graph, node, depthwise));
  const Tensor& filter = *graph.input(node, kFilter);
  const float output_scale = graph.output(node).quant.scale[0];
  KILN_ASSIGN_OR_RETURN(IntRange range,
                        QuantizedActivationRange(g.attrs.activation, DType::kInt16, output_scale, 0));
  const ChannelMultipliers m = PerChannelMultipliers(graph.input(node, kInput)->quant.scale[0],
                                                     filter.quant.scale, g.output_c, output_scale);
  const std::string variant = depthwise ? "depthwise_conv2d_s16" : "conv2d_s16";
  const std::string stem = depthwise ? "dwconv" : "conv";
  ctx.use_kernel(variant);
  const std::string multipliers = ctx.const_int_array(stem + "_multiplier", "int32_t", m.multiplier);
  const std::string shifts = ctx.const_int_array(stem + "_shift", "int32_t", m.shift);
  std::vector<CField> fields = GeometryFields(g, depthwise);
  fields.insert(fields.end(), {{"act_min", I(range.min)}, {"act_max", I(range.max)}});
  // The depthwise kernel has one accumulator, TFLite's 64-bit one.
  if (!depthwise)
    fields.push_back({"accumulator", I(static_cast<int>(ChooseS16x8Accumulator(graph, node, false)))});
  fields.insert(fields.end(), {{"output_multiplier", multipliers}, {"output_shift", shifts}});
  const std::string params = ctx.unique_name(stem + "_params");
  ctx.declare(StaticConstStruct("kiln_" + variant + "_params_t", params, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {});", variant, params,
                            ctx.tensor(node.inputs[kInput]), ctx.tensor(node.inputs[kFilter]),
                            BiasArg(node, ctx), ctx.tensor(node.outputs[0])));
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

/// A convolution the matrix multiply computes: one group (a depthwise
/// convolution of one input channel is one too).
bool IsGemmConv(const ConvGeometry& g, bool depthwise) {
  return depthwise ? g.input_c == 1 : g.filter_c == g.input_c;
}

/// A 1x1 convolution whose input pixels are the matrix rows as they are.
bool IsPointwise(const ConvGeometry& g, bool depthwise) {
  return !depthwise && g.filter_h == 1 && g.filter_w == 1 && g.attrs.stride_h == 1 && g.attrs.stride_w == 1 &&
         g.axis_h.pad == 0 && g.axis_w.pad == 0;
}

/// The shapes a direct kernel's strip and scratch depend on.
DirectWindowShape DirectShape(const ConvGeometry& g, int64_t depth, bool word_aligned_windows) {
  return {.depth = depth,
          .input_c = g.input_c,
          .filter_h = g.filter_h,
          .filter_w = g.filter_w,
          .dilation_w = g.attrs.dilation_w,
          .output_w = g.output_w,
          .stride_w = g.attrs.stride_w,
          .word_aligned_windows = word_aligned_windows};
}

/// The matrix multiply of a one-group convolution: [Co, KH*KW*Ci] weights
/// (a depthwise filter [1, KH, KW, Co] of one input channel transposed).
GemmOperands ConvGemmOperands(const Graph& graph, const Node& node, const ConvGeometry& g, bool depthwise,
                              const IntRange& range) {
  const Tensor& filter = *graph.input(node, kFilter);
  const int64_t cols = g.output_c, depth = g.filter_h * g.filter_w * g.filter_c;
  std::vector<int64_t> w = ConstantValues(filter);
  if (depthwise) {
    std::vector<int64_t> transposed(w.size());
    for (int64_t n = 0; n < cols; ++n)
      for (int64_t t = 0; t < depth; ++t)
        transposed[static_cast<size_t>(n * depth + t)] = w[static_cast<size_t>(t * cols + n)];
    w = std::move(transposed);
  }
  return MakeGemmOperands(graph, node, depth, cols, std::move(w),
                          RequantMultipliers(node, graph.input(node, kInput)->quant.scale[0], filter.quant.scale,
                                             g.output_c, graph.output(node).quant.scale[0]),
                          range);
}

constexpr int64_t kPixelsPerCall = 2;
constexpr int64_t kWidePixelsPerCall = 3;
constexpr int64_t kRv32PixelsPerCall = 4;

/// KILN_IM2COL_PATCH_BYTES (kiln/kernels/conv2d_s8_im2col.h): the gathered
/// windows, rounded up to 4 bytes; the gemm's scratch follows.
int64_t PatchBytes(int64_t pixels_per_call, int64_t depth) { return (pixels_per_call * depth + 3) / 4 * 4; }

/// The shapes the planar depthwise schedules compute: a 3x3 filter, no
/// dilation, a stride across of 1 or 2 (any stride down), any depth
/// multiplier.
bool PlanarDepthwiseFits(const ConvGeometry& g) {
  return g.filter_h == 3 && g.filter_w == 3 && g.attrs.stride_w <= 2 && g.attrs.dilation_h == 1 &&
         g.attrs.dilation_w == 1;
}


/// KILN_DEPTHWISE_PLANE_BYTES (kiln/depthwise_plane.h): one channel's plane.
int64_t PlaneBytes(const ConvGeometry& g) {
  const int64_t pair_outputs = (g.output_w + 1) / 2 * 2;
  const int64_t plane_w = ((pair_outputs - 1) * g.attrs.stride_w + 3 + 3) / 4 * 4;
  const int64_t plane_h = (g.output_h - 1) * g.attrs.stride_h + 3;
  return plane_h * plane_w;
}

/// The planes `schedule` keeps in its scratch (kPlanesKnob: 4 or 1; every
/// schedule without the knob, the RV32 planar one too, one).
int64_t PlanesKept(const Schedule& schedule) { return schedule.knob(kPlanesKnob, 1) == 4 ? 4 : 1; }

/// The layer as depthwise_tiled sees it (depth multiplier 1).
TiledDepthwiseLayer TiledDepthwiseLayerOf(const ConvGeometry& g, bool narrow) {
  return {.batches = g.batches, .input_h = g.input_h, .input_w = g.input_w, .channels = g.output_c,
          .filter_h = g.filter_h, .filter_w = g.filter_w, .output_h = g.output_h, .output_w = g.output_w,
          .stride_h = g.attrs.stride_h, .stride_w = g.attrs.stride_w, .dilation_h = g.attrs.dilation_h,
          .dilation_w = g.attrs.dilation_w, .pad_h = g.axis_h.pad, .pad_w = g.axis_w.pad, .narrow = narrow};
}

std::vector<Schedule> ConvSchedules(const Graph& graph, const Node& node, bool depthwise,
                                    const KernelScheduleOptions& options) {
  const CostIsa isa = CostIsaOf(options.target);
  auto analyzed = AnalyzeConv(graph, node, depthwise);
  if (!analyzed.ok()) return {Schedule{}};
  const ConvGeometry& g = *analyzed;
  const int64_t pixels = g.batches * g.output_h * g.output_w;
  const int64_t outputs = pixels * g.output_c;
  const int64_t macs = outputs * g.filter_h * g.filter_w * g.filter_c;
  Schedule reference;
  reference.macs = macs;
  reference.expected_instructions = EstimateInstructions(reference, macs, outputs, 0, 0, isa);
  std::vector<Schedule> out = {reference};
  if (!FoldableInt8Weights(graph, node)) return out;
  const Tensor& output = graph.output(node);
  auto range = QuantizedActivationRange(g.attrs.activation, DType::kInt8, output.quant.scale[0],
                                        output.quant.zero_point[0]);
  if (!range.ok()) return out;  // CheckConvInt8 names it
  const int64_t narrow = AllowsNarrowRequantization(ConvGemmOperands(graph, node, g, depthwise, *range)) ? 1 : 0;
  if (IsGemmConv(g, depthwise)) {
    const bool pointwise = IsPointwise(g, depthwise);
    // im2col: the bytes gathered and the windows they come in.
    const int64_t gathered = pointwise ? 0 : pixels * g.filter_h * g.filter_w * g.filter_c;
    const int64_t gathered_pixels = pointwise ? 0 : pixels;
    for (bool dsp : {false, true}) {
      Schedule s;
      s.name = std::string(pointwise ? "" : "im2col_") + (dsp ? "gemm_dsp" : "gemm");
      if (!pointwise) s.knobs["pixels_per_call"] = kPixelsPerCall;
      s.knobs[kNarrowRequantKnob] = narrow;
      if (dsp) s.features = {"dsp"};
      if (dsp && pointwise)
        s.knobs[kWidenRowsKnob] = WidenRowsDefault(g.filter_c, graph.input(node, kInput)->num_elements());
      s.macs = macs;
      s.expected_instructions = EstimateInstructions(s, macs, outputs, gathered, gathered_pixels, isa);
      out.push_back(s);
      if (dsp) {
        Schedule wide = WithInt16Weights(s, g.filter_h * g.filter_w * g.filter_c, g.output_c, outputs, gathered,
                                         gathered_pixels);
        // The int16-weight gemm takes rows in threes: three windows a call.
        if (!pointwise) wide.knobs["pixels_per_call"] = kWidePixelsPerCall;
        out.push_back(wide);
      }
    }
    if (options.loop_nest_space) {
      const int64_t depth = g.filter_h * g.filter_w * g.filter_c;
      const std::vector<Schedule> tiled =
          pointwise
              ? TiledGemmSpace({.rows = pixels, .cols = g.output_c, .depth = depth, .narrow = narrow != 0}, macs)
              : TiledIm2colSpace(g.output_h * g.output_w, g.output_c, depth, narrow != 0, macs);
      out.insert(out.end(), tiled.begin(), tiled.end());
    }
    {
      // RV32: 4 rows x 4 channels, four windows gathered a call.
      Schedule s;
      s.name = std::string(pointwise ? "" : "im2col_") + kGemmRv32Schedule;
      if (!pointwise) s.knobs["pixels_per_call"] = kRv32PixelsPerCall;
      s.knobs[kNarrowRequantKnob] = narrow;
      s.features = kRv32Features;
      s.macs = macs;
      // Pointwise, the image's pixels are the gemm's rows (one call). im2col's
      // calls take four windows, an image's last call fewer: not modelled.
      const int64_t lone = pointwise ? Rv32LoneRows(pixels) * g.output_c : 0;
      s.expected_instructions = EstimateInstructions(s, macs, outputs, gathered, gathered_pixels, isa, lone);
      out.push_back(s);
    }
    if (!pointwise) {
      // Small windows, read in place from a strip of int16 that each output
      // row fills: its values are what the kernel gathers, and a window it
      // cannot read in place is copied too.
      const int64_t depth = g.filter_h * g.filter_w * g.filter_c;
      const DirectStrip strip = DirectStripOf(DirectShape(g, depth, /*word_aligned_windows=*/true));
      const int64_t strip_values = g.batches * g.output_h * strip.columns * strip.column;
      Schedule s;
      s.name = kDirectDspSchedule;
      s.knobs[kNarrowRequantKnob] = narrow;
      s.features = {"dsp"};
      s.macs = macs;
      s.expected_instructions =
          EstimateInstructions(s, macs, outputs, strip_values + (strip.in_place ? 0 : pixels * depth), pixels, isa);
      // int16 weights (channels in pairs) against the reference's int8 ones.
      s.extra_flash_bytes = PaddedDepth(g.output_c, 2) * 2 * PaddedDepth(depth, kDirectDspPad) - g.output_c * depth;
      out.push_back(s);
      if (g.attrs.dilation_w == 1) {
        // RV32: every window read in place (halfword loads), three pixels
        // by four channels; int8 weights in channel quads.
        Schedule r;
        r.name = kDirectRv32Schedule;
        r.knobs[kNarrowRequantKnob] = narrow;
        r.features = kRv32Features;
        r.macs = macs;
        // Pixels go in threes, a row's last two as a pair, a last one alone.
        const int64_t lone = g.output_w % 3 == 1 ? g.batches * g.output_h * g.output_c : 0;
        r.expected_instructions = EstimateInstructions(r, macs, outputs, strip_values, pixels, isa, lone);
        out.push_back(r);
      }
    }
  }
  if (depthwise && g.depth_multiplier == 1) {
    // One kernel, two schedules: with the DSP extension, and in portable C
    // (kiln/simd.h), which is still far faster than the reference loops.
    const int64_t border = outputs - g.batches * InteriorOutputs(g.axis_h.pad, g.input_h, g.filter_h, g.output_h,
                                                                g.attrs.stride_h, g.attrs.dilation_h) *
                                         InteriorOutputs(g.axis_w.pad, g.input_w, g.filter_w, g.output_w,
                                                         g.attrs.stride_w, g.attrs.dilation_w) *
                                         g.output_c;
    for (bool dsp : {false, true}) {
      Schedule s;
      s.name = dsp ? "depthwise_dsp" : "depthwise";
      s.knobs[kNarrowRequantKnob] = narrow;
      if (dsp) s.features = {"dsp"};
      s.macs = macs;
      s.expected_instructions = EstimateInstructions(s, macs, outputs, 0, border, isa);
      out.push_back(s);
    }
    // Other filters than 3x3 run depthwise_dsp's generic loops: the tiled
    // kernel unrolls their taps (a 5x5 layer 33% faster, docs/tuning.md).
    const TiledDepthwiseLayer layer = TiledDepthwiseLayerOf(g, narrow != 0);
    std::string offered;
    if ((g.filter_h != 3 || g.filter_w != 3) && TiledDepthwiseApplies(layer)) {
      out.push_back(TiledDepthwiseDefault(layer, macs));
      offered = out.back().label();
    }
    if (options.loop_nest_space)
      for (Schedule& s : TiledDepthwiseSpace(layer, macs))
        if (s.label() != offered) out.push_back(std::move(s));
  }
  if (depthwise && PlanarDepthwiseFits(g)) {
    // Each input channel's plane is filled once per batch and serves its
    // depth_multiplier output channels, each with its own setup; outputs
    // come in pairs, so an odd row's last output costs a pair.
    const int64_t planes = g.batches * g.input_c, channel_runs = g.batches * g.output_c;
    const int64_t computed = outputs / g.output_w * ((g.output_w + 1) / 2 * 2);
    // The DSP kernel with one plane, or four copied at once where the input has four channels.
    const std::vector<std::pair<bool, int64_t>> variants =
        g.input_c >= 4 ? std::vector<std::pair<bool, int64_t>>{{false, 1}, {false, 4}, {true, 1}}
                       : std::vector<std::pair<bool, int64_t>>{{false, 1}, {true, 1}};
    for (const auto& [rv32, kept] : variants) {
      Schedule s;
      s.name = rv32 ? kPlanarRv32DepthwiseSchedule : kPlanarDepthwiseSchedule;
      s.knobs[kNarrowRequantKnob] = narrow;
      if (!rv32) s.knobs[kPlanesKnob] = kept;
      // RAM beyond the leanest fast schedule: three more planes; at stride 2
      // across, where depthwise_dsp is the alternative (multiplier 1), also
      // the plane and the output, which depthwise_dsp streams over the input
      // row by row and the planar kernel cannot (at stride 1 the planar
      // kernel is the default either way).
      s.extra_ram_bytes = (kept - 1) * PlaneBytes(g);
      if (!rv32 && g.attrs.stride_w == 2 && g.depth_multiplier == 1) s.extra_ram_bytes += PlaneBytes(g) + outputs;
      s.features = rv32 ? kRv32Features : std::vector<std::string>{"dsp"};
      s.macs = macs;
      // At stride 2 across the DSP kernel's second output reads a byte of
      // its own and uses no SMLAD: nine instructions per filter row and
      // pair, not eight. The RV32 kernel's outputs in fours there take 19%
      // more per MAC than its pairs at stride 1 (fitted, as the table).
      const double per_row = g.attrs.stride_w != 2 ? 1.0 : rv32 ? 1.19 : 9.0 / 8.0;
      // That byte load does not pipeline: 1.18 cycles per instruction
      // there, 1.09 at stride 1 (the table's).
      if (!rv32 && g.attrs.stride_w == 2) s.cycles_per_instruction = 1.18;
      // The table's figure per byte is for four channels' planes copied at
      // once; a channel copied alone takes 2.3 times as long.
      const double copy_weight = !rv32 && kept == 1 ? 2.3 : 1.0;
      // (RV32's row charges the MACs computed and the plane bytes only: its
      // outputs are the computed ones so that the MACs stay those computed.)
      s.expected_instructions = EstimateInstructions(
          s, static_cast<int64_t>(per_row * static_cast<double>(macs / outputs * computed)), rv32 ? computed : outputs,
          static_cast<int64_t>(copy_weight * static_cast<double>(planes * PlaneBytes(g))), channel_runs, isa);
      // At stride 1 both ways the DSP kernel takes rows in pairs, as 2x2
      // blocks that load each weight and shared row once: about 4.8
      // instructions fewer per output (fitted with the constants above).
      if (!rv32 && g.attrs.stride_w == 1 && g.attrs.stride_h == 1) {
        const int64_t blocked = computed / g.output_h * (g.output_h / 2 * 2);  // the outputs of paired rows
        s.expected_instructions -= static_cast<int64_t>(4.8 * static_cast<double>(blocked));
      }
      out.push_back(s);
    }
  }
  return out;
}

/// The kiln_conv_window_t (kiln/conv_window.h) of the kernels that gather
/// windows (conv2d_s8_im2col, conv2d_s8_direct_dsp) and of the depthwise
/// ones (kiln/depthwise_s8.h): their params' first field.
CField WindowField(const ConvGeometry& g, const GemmOperands& gemm) {
  return {"window", fmt::format("{{ .batches = {}, .input_h = {}, .input_w = {}, .input_c = {}, .filter_h = {}, "
                                ".filter_w = {}, .output_h = {}, .output_w = {}, .stride_h = {}, .stride_w = {}, "
                                ".dilation_h = {}, .dilation_w = {}, .pad_h = {}, .pad_w = {}, "
                                ".input_zero_point = {} }}",
                                g.batches, g.input_h, g.input_w, g.input_c, g.filter_h, g.filter_w, g.output_h,
                                g.output_w, g.attrs.stride_h, g.attrs.stride_w, g.attrs.dilation_h,
                                g.attrs.dilation_w, g.axis_h.pad, g.axis_w.pad, -gemm.input_offset)};
}

/// `gemm`'s weights, [Co, KH*KW*Ci] in the filter's order (ky, kx, ci), in
/// the order the direct kernels' strip holds a window: (kx, ky, ci).
GemmOperands InWindowColumnOrder(GemmOperands gemm, const ConvGeometry& g) {
  const int64_t ic = g.filter_c;
  std::vector<int64_t> weights;
  weights.reserve(gemm.weights.size());
  for (int64_t n = 0; n < gemm.cols; ++n)
    for (int64_t kx = 0; kx < g.filter_w; ++kx)
      for (int64_t ky = 0; ky < g.filter_h; ++ky)
        for (int64_t c = 0; c < ic; ++c)
          weights.push_back(gemm.weights[static_cast<size_t>(n * gemm.depth + (ky * g.filter_w + kx) * ic + c)]);
  gemm.weights = std::move(weights);
  return gemm;
}

/// The "direct_dsp" and "direct_rv32" schedules: windows read in place
/// from a strip of int16 (kiln/conv_strip.h).
Status LowerConvDirect(const Node& node, LoweringContext& ctx, const ConvGeometry& g, bool depthwise,
                       const IntRange& range) {
  const Schedule& schedule = ctx.schedule();
  const bool rv32 = schedule.name == kDirectRv32Schedule;
  const GemmOperands gemm = InWindowColumnOrder(ConvGemmOperands(ctx.graph(), node, g, depthwise, range), g);
  KILN_ASSIGN_OR_RETURN(const GemmVariant variant, ResolveGemmVariant(node, schedule, gemm));
  const std::string kernel = rv32 ? "conv2d_s8_direct_rv32" : "conv2d_s8_direct_dsp";
  ctx.use_kernel(kernel);
  const std::vector<CField> fields = {WindowField(g, gemm),
                                      {"gemm_params", EmitGemmParams(gemm, schedule, variant, ctx, "conv")}};
  EmitKernelCall(ctx, {.variant = kernel,
                       .entry = "kiln_" + kernel + (variant.narrow ? "_narrow" : ""),
                       .params_type = "kiln_conv2d_s8_direct_params_t",
                       .params_stem = "conv_direct_params",
                       .initializer = CStructInitializer(fields),
                       .parameters = "const int8_t* input, int8_t* output, void* scratch",
                       .arguments = {ctx.tensor(node.inputs[kInput]), ctx.tensor(node.outputs[0]),
                                     ctx.scratch(DirectScratchBytes(DirectShape(g, gemm.depth, !rv32)))}});
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

/// The "gemm"/"gemm_dsp" (1x1) and "im2col_gemm"/"im2col_gemm_dsp" schedules.
Status LowerConvGemm(const Node& node, LoweringContext& ctx, const ConvGeometry& g, bool depthwise,
                     const IntRange& range) {
  const Schedule& schedule = ctx.schedule();
  const GemmOperands gemm = ConvGemmOperands(ctx.graph(), node, g, depthwise, range);
  KILN_ASSIGN_OR_RETURN(const GemmVariant variant, ResolveGemmVariant(node, schedule, gemm));
  const std::string input = ctx.tensor(node.inputs[kInput]);
  const std::string output = ctx.tensor(node.outputs[0]);
  if (IsPointwiseGemmSchedule(schedule.name)) {
    EmitGemmCall(gemm, schedule, variant, ctx, "conv", input, g.batches * g.output_h * g.output_w, output);
  } else {
    const int64_t pixels_per_call = schedule.knob("pixels_per_call", kPixelsPerCall);
    ctx.use_kernel("conv2d_s8_im2col");
    const std::vector<CField> fields = {WindowField(g, gemm),
                                        {"pixels_per_call", I(pixels_per_call)},
                                        {"gemm", GemmFunction(schedule, variant)},
                                        {"gemm_params", EmitGemmParams(gemm, schedule, variant, ctx, "conv")}};
    const std::string params = ctx.unique_name("conv_im2col_params");
    ctx.declare(StaticConstStruct("kiln_conv2d_s8_im2col_params_t", params, fields));
    ctx.statement(fmt::format("kiln_conv2d_s8_im2col(&{}, {}, {}, {});", params, input, output,
                              ctx.scratch(PatchBytes(pixels_per_call, gemm.depth) +
                                          GemmScratchBytes(schedule, gemm.depth))));
    DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);  // windows gathered before any write
    return Status::Ok();
  }
  // A tile may cross into the next image row, or (batches) into the next
  // image, whose start the access pattern does not let a lag reach back past.
  const std::optional<int64_t> lag = PointwiseGemmInputLag(schedule);
  if (lag && (*lag == 0 || g.batches == 1)) DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad, *lag);
  return Status::Ok();
}

/// Depthwise weights, per channel ([C, taps], as ConvGemmOperands lays
/// them), in the "quads" layout of depthwise_conv2d_s8_dsp: per block of 4
/// channels, per tap, the int16 pairs (w_c, w_c+2) and (w_c+1, w_c+3) as two
/// words.
std::vector<int64_t> QuadsLayout(const std::vector<int64_t>& w, int64_t taps, int64_t channels) {
  std::vector<int64_t> out;
  auto at = [&](int64_t t, int64_t c) { return c < channels ? w[static_cast<size_t>(c * taps + t)] : 0; };
  for (int64_t c = 0; c < channels; c += 4)
    for (int64_t t = 0; t < taps; ++t) {
      out.push_back(Int16PairWord(at(t, c), at(t, c + 2)));
      out.push_back(Int16PairWord(at(t, c + 1), at(t, c + 3)));
    }
  return out;
}

/// Depthwise 3x3 weights, per channel ([C, 9], as ConvGemmOperands lays
/// them), in the layout of depthwise_conv2d_s8_planar_dsp: per channel five
/// words, the int16 pairs (w0, w2) of filter rows 0, 1 and 2, then (w1 of
/// row 0, w1 of row 1) and (w1 of row 2, 0).
std::vector<int64_t> PlanarRowsLayout(const std::vector<int64_t>& w, int64_t channels) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(channels * 5));
  for (int64_t c = 0; c < channels; ++c) {
    auto at = [&](int64_t ky, int64_t kx) { return w[static_cast<size_t>(c * 9 + ky * 3 + kx)]; };
    for (int64_t ky = 0; ky < 3; ++ky) out.push_back(Int16PairWord(at(ky, 0), at(ky, 2)));
    out.push_back(Int16PairWord(at(0, 1), at(1, 1)));
    out.push_back(Int16PairWord(at(2, 1), 0));
  }
  return out;
}

/// Depthwise 3x3 weights in the layout of depthwise_conv2d_s8_planar_rv32:
/// per channel the nine taps and a zero as int16 pairs, five words.
std::vector<int64_t> PlanarTapsLayout(const std::vector<int64_t>& w, int64_t channels) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(channels * 5));
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t t = 0; t < 10; t += 2)
      out.push_back(Int16PairWord(w[static_cast<size_t>(c * 9 + t)], t + 1 < 9 ? w[static_cast<size_t>(c * 9 + t + 1)] : 0));
  return out;
}

/// The "depthwise", "depthwise_dsp" (one kernel, built with or without the
/// DSP extension; depth multiplier 1) and the planar schedules (any depth
/// multiplier): the same parameters, each kernel its weight layout. Each
/// output channel is a gemm row of depth `taps`: the same operands, folded
/// bias and multipliers.
/// The planar kernel writes every row of one channel before it reads the
/// next channel, so its output cannot stream over its input.
Status LowerDepthwiseDsp(const Node& node, LoweringContext& ctx, const ConvGeometry& g, const IntRange& range) {
  const Graph& graph = ctx.graph();
  const GemmOperands per_channel = ConvGemmOperands(graph, node, g, /*depthwise=*/true, range);
  KILN_ASSIGN_OR_RETURN(const bool narrow, NarrowRequantization(node, ctx.schedule(), per_channel));
  const int64_t taps = g.filter_h * g.filter_w;
  const bool planar_rv32 = ctx.schedule().name == kPlanarRv32DepthwiseSchedule;
  const bool planar = ctx.schedule().name == kPlanarDepthwiseSchedule || planar_rv32;
  const std::string kernel = planar_rv32 ? "depthwise_conv2d_s8_planar_rv32"
                             : planar    ? "depthwise_conv2d_s8_planar_dsp"
                                         : "depthwise_conv2d_s8_dsp";
  const std::vector<int64_t> weights = narrow ? Doubled(per_channel.weights) : per_channel.weights;
  ctx.use_kernel(kernel);
  const std::vector<CField> fields = {
      WindowField(g, per_channel),
      {"depth_multiplier", I(g.depth_multiplier)},
      {"planes", I(PlanesKept(ctx.schedule()))},
      {"output_offset", I(per_channel.output_offset)},
      {"act_min", I(range.min)},          {"act_max", I(range.max)},
      // The narrow entry point takes the accumulator doubled: weights and bias doubled here.
      {"weights", "(const uint32_t*)" + ctx.const_int_array("dwconv_weights", "int32_t",
                                                          planar_rv32 ? PlanarTapsLayout(weights, g.output_c)
                                                          : planar    ? PlanarRowsLayout(weights, g.output_c)
                                                                      : QuadsLayout(weights, taps, g.output_c))},
      {"bias", ctx.const_int_array("dwconv_bias", "int32_t",
                                   narrow ? Doubled(FoldInputOffset(per_channel)) : FoldInputOffset(per_channel))},
      {"requant", ctx.const_int_array("dwconv_requant", "int32_t",
                                      planar_rv32 ? Rv32RequantArray(per_channel, narrow)
                                                  : RequantPairs(per_channel.requant, narrow))}};
  const std::string params_type = "kiln_" + kernel + "_params_t";
  KernelCall call{.variant = kernel,
                  .entry = "kiln_" + kernel + (narrow ? "_narrow" : ""),
                  .params_type = params_type,
                  .params_stem = "dwconv_dsp_params",
                  .initializer = CStructInitializer(fields),
                  .parameters = "const int8_t* input, int8_t* output",
                  .arguments = {ctx.tensor(node.inputs[kInput]), ctx.tensor(node.outputs[0])}};
  if (planar) {  // the plane
    call.parameters = "const int8_t* input, int8_t* output, void* scratch";
    call.arguments.push_back(ctx.scratch(PlanesKept(ctx.schedule()) * PlaneBytes(g)));
  }
  EmitKernelCall(ctx, call);
  if (!planar) DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

/// The "im2col_tiled" schedule (kernels/gemm_tiled.h): the windows
/// gathered as for im2col_gemm, multiplied by the tiled gemm over weights
/// whose depth is padded with zeros to whole words.
Status LowerConvIm2colTiled(const Node& node, LoweringContext& ctx, const ConvGeometry& g, bool depthwise,
                            const IntRange& range) {
  const Schedule& schedule = ctx.schedule();
  GemmOperands gemm = ConvGemmOperands(ctx.graph(), node, g, depthwise, range);
  KILN_ASSIGN_OR_RETURN(const bool narrow, NarrowRequantization(node, schedule, gemm));
  const int64_t padded = PaddedDepth(gemm.depth, 4);
  std::vector<int64_t> weights;
  for (int64_t n = 0; n < gemm.cols; ++n)
    for (int64_t k = 0; k < padded; ++k)
      weights.push_back(k < gemm.depth ? gemm.weights[static_cast<size_t>(n * gemm.depth + k)] : 0);
  gemm.weights = std::move(weights);
  gemm.depth = padded;
  const int64_t per_call = schedule.knob("pixels_per_call", 4);
  ctx.use_kernel("conv2d_s8_im2col_tiled");
  ctx.use_kernel("gemm_s8_tiled");  // whose inline body it includes
  const std::string stream =
      ctx.const_int_array("conv_weights", "int32_t", TiledGemmStream(gemm, schedule, narrow));
  const std::vector<CField> fields = {WindowField(g, gemm),
                                      {"pixels_per_call", I(per_call)},
                                      {"tiled", TiledGemmInitializer(gemm, schedule, stream)}};
  const int64_t rows = std::min(per_call, g.output_h * g.output_w);
  EmitKernelCall(ctx, {.variant = "conv2d_s8_im2col_tiled",
                       .entry = std::string("kiln_conv2d_s8_im2col_tiled") + (narrow ? "_narrow" : ""),
                       .params_type = "kiln_conv2d_s8_im2col_tiled_params_t",
                       .params_stem = "conv_im2col_tiled_params",
                       .initializer = CStructInitializer(fields),
                       .parameters = "const int8_t* input, int8_t* output, void* scratch",
                       .arguments = {ctx.tensor(node.inputs[kInput]), ctx.tensor(node.outputs[0]),
                                     ctx.scratch(per_call * padded + TiledGemmScratchBytes(schedule, rows, padded))}});
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);  // windows gathered before any write
  return Status::Ok();
}

/// The "depthwise_tiled" schedule (kernels/depthwise_tiled.h): the
/// per-channel operands of LowerDepthwiseDsp in the kernel's one stream.
Status LowerDepthwiseTiled(const Node& node, LoweringContext& ctx, const ConvGeometry& g, const IntRange& range) {
  const GemmOperands per_channel = ConvGemmOperands(ctx.graph(), node, g, /*depthwise=*/true, range);
  KILN_ASSIGN_OR_RETURN(const bool narrow, NarrowRequantization(node, ctx.schedule(), per_channel));
  EmitTiledDepthwiseCall(per_channel, TiledDepthwiseLayerOf(g, narrow), ctx.schedule(), narrow,
                         WindowField(g, per_channel).second, ctx, ctx.tensor(node.inputs[kInput]),
                         ctx.tensor(node.outputs[0]));
  // Rows are read in place, or copied into scratch before any output of
  // their row is written.
  DeclareRowStreaming(node, ctx, g.attrs.stride_h, g.axis_h.pad);
  return Status::Ok();
}

Status LowerConvInt8(const Node& node, LoweringContext& ctx, bool depthwise) {
  const std::string& schedule = ctx.schedule().name;
  if (schedule == "reference") return LowerConvInt8Reference(node, ctx, depthwise);
  KILN_ASSIGN_OR_RETURN(ConvGeometry g, AnalyzeConv(ctx.graph(), node, depthwise));
  const Tensor& output = ctx.graph().output(node);
  KILN_ASSIGN_OR_RETURN(IntRange range, QuantizedActivationRange(g.attrs.activation, DType::kInt8,
                                                                 output.quant.scale[0], output.quant.zero_point[0]));
  if ((schedule == "depthwise" || schedule == "depthwise_dsp") && depthwise && g.depth_multiplier == 1)
    return LowerDepthwiseDsp(node, ctx, g, range);
  if (schedule == kIm2colTiledSchedule && IsGemmConv(g, depthwise) && !IsPointwise(g, depthwise))
    return LowerConvIm2colTiled(node, ctx, g, depthwise, range);
  if (schedule == kDepthwiseTiledSchedule && depthwise && g.depth_multiplier == 1 &&
      TiledDepthwiseApplies(TiledDepthwiseLayerOf(g, false)))
    return LowerDepthwiseTiled(node, ctx, g, range);
  if ((schedule == kPlanarDepthwiseSchedule || schedule == kPlanarRv32DepthwiseSchedule) && depthwise &&
      PlanarDepthwiseFits(g))
    return LowerDepthwiseDsp(node, ctx, g, range);
  if (schedule.find("gemm") != std::string::npos && IsGemmConv(g, depthwise) &&
      IsPointwiseGemmSchedule(schedule) == IsPointwise(g, depthwise))
    return LowerConvGemm(node, ctx, g, depthwise, range);
  if ((schedule == kDirectDspSchedule || (schedule == kDirectRv32Schedule && g.attrs.dilation_w == 1)) &&
      IsGemmConv(g, depthwise) && !IsPointwise(g, depthwise))
    return LowerConvDirect(node, ctx, g, depthwise, range);
  return MakeError("{}: schedule '{}' does not apply to this convolution", OpLabel(node), schedule);
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
Status LowerConv2DInt16(const Node& node, LoweringContext& ctx) {
  return LowerConvS16x8(node, ctx, /*depthwise=*/false);
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
Status LowerDepthwiseConv2DInt16(const Node& node, LoweringContext& ctx) {
  return LowerConvS16x8(node, ctx, /*depthwise=*/true);
}

std::vector<Schedule> Conv2DSchedules(const Graph& graph, const Node& node, const KernelScheduleOptions& options) {
  return ConvSchedules(graph, node, /*depthwise=*/false, options);
}
std::vector<Schedule> DepthwiseConv2DSchedules(const Graph& graph, const Node& node,
                                               const KernelScheduleOptions& options) {
  return ConvSchedules(graph, node, /*depthwise=*/true, options);
}

}  // namespace kiln
