// AVERAGE_POOL_2D and MAX_POOL_2D (int8, int16 and float32) and L2_POOL_2D
// (float32, as TFLite Micro): validation and lowering to the avg_pool2d_*,
// max_pool2d_* and l2_pool2d_f32 runtime kernels, with the window geometry
// and activation range computed as TFLite Micro's PoolingPrepare does; int8
// AVERAGE and MAX also have the "pool_dsp" schedule (pool2d_s8_dsp, four
// channels a word).
#include <algorithm>
#include <cmath>
#include <string>

#include "c99/c_syntax.h"
#include "kernels/conv_common.h"
#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"
#include "kernels/schedule.h"
#include "kernels/specialise.h"

namespace kiln {
namespace {

using psm_detail::Field;
using psm_detail::FloatLit;
using psm_detail::IntLit;

/// Output size and leading padding of one spatial axis (TFLite's
/// ComputeOutSize and ComputePaddingWithOffset, dilation 1).
struct PoolAxis {
  int64_t out = 0;
  int64_t pad = 0;
};

PoolAxis ComputePoolAxis(bool same, int64_t in, int64_t filter, int64_t stride) {
  PoolAxis axis;
  // C++ division truncates toward zero, as in TFLite; a negative VALID
  // size is rejected by the caller.
  axis.out = same ? (in + stride - 1) / stride : (in + stride - filter) / stride;
  const int64_t total = (axis.out - 1) * stride + filter - in;
  axis.pad = total > 0 ? total / 2 : 0;
  return axis;
}

/// The validated attributes and derived geometry of a pooling node.
struct PoolGeometry {
  int64_t batches = 0, in_h = 0, in_w = 0, depth = 0;
  int64_t stride_h = 0, stride_w = 0, filter_h = 0, filter_w = 0;
  PoolAxis y, x;
  std::string activation;
};

Expected<PoolGeometry> ReadPoolGeometry(const Graph& graph, const Node& node) {
  const Tensor& input = *graph.input(node, 0);
  PoolGeometry g;
  const std::string padding = node.attrs.get_string("padding", "");
  if (padding != "SAME" && padding != "VALID")
    return MakeError("{}: padding must be SAME or VALID, got '{}'", OpLabel(node), padding);
  g.stride_h = node.attrs.get_int("stride_h", 0);
  g.stride_w = node.attrs.get_int("stride_w", 0);
  g.filter_h = node.attrs.get_int("filter_h", 0);
  g.filter_w = node.attrs.get_int("filter_w", 0);
  const std::pair<const char*, int64_t> positive[] = {
      {"stride_h", g.stride_h}, {"stride_w", g.stride_w},
      {"filter_h", g.filter_h}, {"filter_w", g.filter_w}};
  for (const auto& [name, value] : positive) {
    if (value < 1 || value > INT32_MAX)
      return MakeError("{}: attribute {} must be between 1 and 2^31-1, got {}", OpLabel(node),
                       name, value);
  }
  g.activation = node.attrs.get_string("activation", "NONE");
  KILN_RETURN_IF_ERROR(psm_detail::CheckActivation(node, g.activation));
  g.batches = input.shape[0];
  g.in_h = input.shape[1];
  g.in_w = input.shape[2];
  g.depth = input.shape[3];
  const bool same = padding == "SAME";
  g.y = ComputePoolAxis(same, g.in_h, g.filter_h, g.stride_h);
  g.x = ComputePoolAxis(same, g.in_w, g.filter_w, g.stride_w);
  if (g.y.out < 1 || g.x.out < 1)
    return MakeError(
        "{}: the {}x{} VALID window does not fit the {}x{} input (output would be empty)",
        OpLabel(node), g.filter_h, g.filter_w, g.in_h, g.in_w);
  return g;
}

/// The schedule of int8 AVERAGE_POOL_2D and MAX_POOL_2D beside the
/// reference: pool2d_s8_dsp, four channels a word. Its portable C (what the
/// kernel is without the DSP extension) is no schedule: on qemu-rv32 it
/// took twice the reference's instructions (docs/schedules.md).
constexpr char kPoolDspSchedule[] = "pool_dsp";
/// KILN_POOL_S8_LANE_TAPS (kiln/kernels/pool2d_s8_dsp_inline.h).
constexpr int64_t kPoolLaneTaps = 256;

/// The taps of every output pixel's window clipped to the input, summed.
int64_t ClippedTaps(const PoolGeometry& g) {
  auto axis = [](const PoolAxis& a, int64_t in, int64_t filter, int64_t stride) {
    int64_t taps = 0;
    for (int64_t o = 0; o < a.out; ++o) {
      const int64_t start = o * stride - a.pad;
      taps += std::max<int64_t>(0, std::min(start + filter, in) - std::max<int64_t>(start, 0));
    }
    return taps;
  };
  return g.batches * axis(g.y, g.in_h, g.filter_h, g.stride_h) * axis(g.x, g.in_w, g.filter_w, g.stride_w);
}

/// Expected instructions (Cortex-M4, -O2), per tap of each value (the
/// reference) or of each block of four channels (pool_dsp), and per output
/// value; fitted to the pools of bench/bench_models.cc (CIFAR-10's three
/// 3x3 MAX_POOL_2D, the DS-CNN's, ResNet's and MobileNetV2's global
/// averages), within 11%.
struct PoolCost {
  double per_tap, per_output;
};
constexpr PoolCost kReferenceMax = {4.4, 75.0}, kReferenceAverage = {6.7, 58.0};
constexpr PoolCost kDspMax = {6.0, 8.7}, kDspAverage = {6.0, 28.0};
/// pool_dsp's cycles per instruction there: its SSUB8 and SEL, or SXTAB16,
/// wait on each tap's load.
constexpr double kDspCyclesPerInstruction = 1.45;

int64_t PoolInstructions(const PoolCost& cost, int64_t taps_per_channel, int64_t channel_units, int64_t outputs) {
  return static_cast<int64_t>(cost.per_tap * static_cast<double>(taps_per_channel * channel_units) +
                              cost.per_output * static_cast<double>(outputs));
}

}  // namespace

Status CheckPool2D(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {DType::kInt8, DType::kInt16, DType::kFloat32}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, input.dtype));
  if (input.shape.size() != 4)
    return MakeError("{}: input '{}' must have rank 4 [N,H,W,C], got shape {}", OpLabel(node),
                     input.name, ShapeString(input.shape));
  KILN_RETURN_IF_ERROR(psm_detail::CheckDimsPositive(node, input, "input"));
  KILN_ASSIGN_OR_RETURN(PoolGeometry g, ReadPoolGeometry(graph, node));
  KILN_RETURN_IF_ERROR(CheckOutputShape(
      graph, node, 0,
      {input.shape[0], static_cast<int32_t>(g.y.out), static_cast<int32_t>(g.x.out),
       input.shape[3]}));

  if (input.dtype == DType::kFloat32) {
    KILN_RETURN_IF_ERROR(FloatActivationRange(g.activation).status());
    return Status::Ok();
  }
  if (input.dtype == DType::kInt8) {
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
    KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, output, "output"));
  } else {
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, input, "input"));
    KILN_RETURN_IF_ERROR(CheckInt16SymmetricQuant(node, output, "output"));
  }
  // TFLite Micro's PoolingPrepare: pooling never rescales, so input and
  // output quantization must agree.
  const double scale_diff = std::abs(static_cast<double>(input.quant.scale[0]) -
                                     static_cast<double>(output.quant.scale[0]));
  if (scale_diff > 1.0e-6 || psm_detail::ZeroPoint(input) != psm_detail::ZeroPoint(output))
    return MakeError(
        "{}: input '{}' (scale {}, zero point {}) and output '{}' (scale {}, zero point {}) "
        "must have the same quantization",
        OpLabel(node), input.name, input.quant.scale[0], psm_detail::ZeroPoint(input),
        output.name, output.quant.scale[0], psm_detail::ZeroPoint(output));
  KILN_ASSIGN_OR_RETURN(IntRange range,
                        QuantizedActivationRange(g.activation, input.dtype, output.quant.scale[0],
                                                 psm_detail::ZeroPoint(output)));
  if (range.min > range.max)
    return MakeError("{}: fused activation {} leaves an empty {} output range", OpLabel(node),
                     g.activation, DTypeName(input.dtype));
  return Status::Ok();
}

std::vector<Schedule> Pool2DSchedules(const Graph& graph, const Node& node, const KernelScheduleOptions&) {
  const bool average = node.op == OpKind::kAveragePool2D;
  auto g = ReadPoolGeometry(graph, node);
  Schedule reference;
  if (!g.ok()) return {reference};
  const int64_t taps = ClippedTaps(*g), outputs = graph.output(node).num_elements();
  const int64_t blocks = (g->depth + 3) / 4;
  reference.expected_instructions =
      PoolInstructions(average ? kReferenceAverage : kReferenceMax, taps, g->depth, outputs);
  std::vector<Schedule> out = {reference};
  // The average's int16 lanes hold one row of at most 256 taps.
  if (average && g->filter_w > kPoolLaneTaps) return out;
  Schedule s;
  s.name = kPoolDspSchedule;
  s.features = {"dsp"};
  s.expected_instructions = PoolInstructions(average ? kDspAverage : kDspMax, taps, blocks, outputs);
  s.cycles_per_instruction = kDspCyclesPerInstruction;
  out.push_back(s);
  return out;
}

Status LowerPool2D(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_ASSIGN_OR_RETURN(PoolGeometry g, ReadPoolGeometry(graph, node));
  const bool integer = input.dtype != DType::kFloat32;
  const char* kind = node.op == OpKind::kMaxPool2D  ? "max_pool2d"
                     : node.op == OpKind::kL2Pool2D ? "l2_pool2d"
                                                    : "avg_pool2d";
  const std::string variant = std::string(kind) + (input.dtype == DType::kInt8 ? "_s8" : integer ? "_s16" : "_f32");

  std::vector<Field> fields = {
      {"batches", IntLit(g.batches)},        {"input_height", IntLit(g.in_h)},
      {"input_width", IntLit(g.in_w)},       {"depth", IntLit(g.depth)},
      {"output_height", IntLit(g.y.out)},    {"output_width", IntLit(g.x.out)},
      {"stride_height", IntLit(g.stride_h)}, {"stride_width", IntLit(g.stride_w)},
      {"filter_height", IntLit(g.filter_h)}, {"filter_width", IntLit(g.filter_w)},
      {"padding_height", IntLit(g.y.pad)},   {"padding_width", IntLit(g.x.pad)},
  };
  if (integer) {
    // The clamp comes from the output's quantization (CalculateActivationRangeQuantized).
    KILN_ASSIGN_OR_RETURN(IntRange range,
                          QuantizedActivationRange(g.activation, input.dtype, output.quant.scale[0],
                                                   psm_detail::ZeroPoint(output)));
    fields.push_back({"activation_min", IntLit(range.min)});
    fields.push_back({"activation_max", IntLit(range.max)});
  } else {
    KILN_ASSIGN_OR_RETURN(FloatRange range, FloatActivationRange(g.activation));
    fields.push_back({"activation_min", FloatLit(range.min)});
    fields.push_back({"activation_max", FloatLit(range.max)});
  }

  const std::string& schedule = ctx.schedule().name;
  if (schedule == kPoolDspSchedule) {
    if (input.dtype != DType::kInt8 || node.op == OpKind::kL2Pool2D)
      return MakeError("{}: schedule '{}' takes int8 AVERAGE_POOL_2D and MAX_POOL_2D only", OpLabel(node), schedule);
    if (node.op == OpKind::kAveragePool2D && g.filter_w > kPoolLaneTaps)
      return MakeError("{}: schedule '{}' averages windows at most {} wide, this one is {}", OpLabel(node), schedule,
                       kPoolLaneTaps, g.filter_w);
    ctx.use_kernel("pool2d_s8_dsp");
    EmitKernelCall(ctx, KernelCall{.variant = "pool2d_s8_dsp",
                                   .entry = fmt::format("kiln_{}_s8_dsp", kind),
                                   .params_type = "kiln_pool2d_s8_dsp_params_t",
                                   .params_stem = "pool2d_s8_dsp_params",
                                   .initializer = CStructInitializer(fields),
                                   .parameters = "const int8_t* input, int8_t* output",
                                   .arguments = {ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0])}});
    DeclareRowStreaming(node, ctx, g.stride_h, g.y.pad);
    return Status::Ok();
  }
  ctx.use_kernel(variant);
  const std::string type = fmt::format("kiln_{}_params_t", variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(type, name, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  DeclareRowStreaming(node, ctx, g.stride_h, g.y.pad);
  return Status::Ok();
}

}  // namespace kiln
