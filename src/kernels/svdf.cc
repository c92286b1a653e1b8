// SVDF (singular value decomposition filter), as TFLite Micro computes it
// (tensorflow/lite/micro/kernels/svdf.cc, svdf_common.cc):
//   - each run ages the activation state [B, F*T] by one time step, writes
//     the feature matmul (input x weights_feature^T, F filters) into the
//     newest column, dots each filter's history with its weights_time row,
//     adds the bias and sums groups of `rank` filters into the units.
//   - int8: the state is int8 (runtime kernel svdf_s8) or int16 with int16
//     time weights (svdf_s8_s16; TFLite Micro picks the path by the time
//     weights' dtype). Two requantizations, with multipliers computed from
//     float products as TFLite Micro's PrepareSvdf does. The fused
//     activation is not applied on this path (TFLite Micro ignores it).
//   - float32: svdf_f32, with the fused activation.
// The state is a variable tensor: it persists between runs and TFLite Micro
// initialises it once, to the zero point for int8 and to 0 otherwise.
#include <cmath>

#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kInput = 0, kWeightsFeature = 1, kWeightsTime = 2, kBias = 3, kState = 4;

/// The sizes of an SVDF, read from its tensors (valid after CheckSvdfShapes).
struct SvdfDims {
  int64_t batches, input_size, filters, units, rank, memory;
};

SvdfDims ReadDims(const Graph& graph, const Node& node) {
  const Tensor& in = *graph.input(node, kInput);
  const Tensor& wf = *graph.input(node, kWeightsFeature);
  const Tensor& wt = *graph.input(node, kWeightsTime);
  SvdfDims d;
  d.batches = in.shape[0];
  d.input_size = in.shape[1];
  d.filters = wf.shape[0];
  d.rank = node.attrs.get_int("rank", 1);
  d.units = d.filters / d.rank;
  d.memory = wt.shape[1];
  return d;
}

Status CheckRank2(const Node& node, const Tensor& t, const char* role) {
  if (t.shape.size() != 2)
    return MakeError("{}: {} '{}' must be 2-D, got shape {}", OpLabel(node), role, t.name,
                     ShapeString(t.shape));
  return movement::CheckDimsPositive(node, t, role);
}

/// The shape rules shared by both dtypes (TFLite Micro's PrepareSvdf).
Status CheckSvdfShapes(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 5, 5, 1));
  for (size_t slot : {kInput, kWeightsFeature, kWeightsTime, kState}) {
    if (graph.input(node, slot) == nullptr)
      return MakeError("{}: input {} is missing", OpLabel(node), slot);
  }
  const Tensor& in = *graph.input(node, kInput);
  const Tensor& wf = *graph.input(node, kWeightsFeature);
  const Tensor& wt = *graph.input(node, kWeightsTime);
  const Tensor& state = *graph.input(node, kState);
  KILN_RETURN_IF_ERROR(CheckRank2(node, in, "input"));
  KILN_RETURN_IF_ERROR(CheckRank2(node, wf, "weights_feature"));
  KILN_RETURN_IF_ERROR(CheckRank2(node, wt, "weights_time"));
  KILN_RETURN_IF_ERROR(CheckRank2(node, state, "activation state"));
  const int64_t rank = node.attrs.get_int("rank", 1);
  if (rank < 1)
    return MakeError("{}: rank {} must be at least 1", OpLabel(node), rank);
  if (wf.shape[0] % rank != 0)
    return MakeError("{}: weights_feature '{}' has {} filters, not a multiple of rank {}",
                     OpLabel(node), wf.name, wf.shape[0], rank);
  if (wf.shape[1] != in.shape[1])
    return MakeError("{}: weights_feature '{}' has shape {}, expected [filters,{}] to match "
                     "input '{}'",
                     OpLabel(node), wf.name, ShapeString(wf.shape), in.shape[1], in.name);
  if (wt.shape[0] != wf.shape[0])
    return MakeError("{}: weights_time '{}' has shape {}, expected [{},memory] to match "
                     "weights_feature",
                     OpLabel(node), wt.name, ShapeString(wt.shape), wf.shape[0]);
  const SvdfDims d = ReadDims(graph, node);
  const Shape state_shape = {static_cast<int32_t>(d.batches),
                             static_cast<int32_t>(d.filters * d.memory)};
  if (state.shape != state_shape)
    return MakeError("{}: activation state '{}' has shape {}, expected {}", OpLabel(node),
                     state.name, ShapeString(state.shape), ShapeString(state_shape));
  if (!state.is_variable || state.is_constant)
    return MakeError("{}: activation state '{}' must be a variable tensor", OpLabel(node),
                     state.name);
  if (const Tensor* bias = graph.input(node, kBias)) {
    if (bias->shape != Shape{static_cast<int32_t>(d.units)})
      return MakeError("{}: bias '{}' has shape {}, expected [{}]", OpLabel(node), bias->name,
                       ShapeString(bias->shape), d.units);
  }
  return CheckOutputShape(graph, node, 0,
                          {static_cast<int32_t>(d.batches), static_cast<int32_t>(d.units)});
}

/// A per-tensor zero point within the range of the tensor's dtype.
Status CheckZeroPointInRange(const Node& node, const Tensor& t, const char* role) {
  const IntRange range = DTypeRange(t.dtype);
  const int64_t zp = t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0];
  if (zp < range.min || zp > range.max)
    return MakeError("{}: {} '{}' zero point {} is outside the {} range", OpLabel(node), role,
                     t.name, zp, DTypeName(t.dtype));
  return Status::Ok();
}

/// The two requantization scales, computed in float as TFLite Micro does.
struct SvdfScales {
  float feature;  // input * weights_feature / state
  float output;   // state * weights_time / output
};

SvdfScales ComputeScales(const Graph& graph, const Node& node) {
  const float in = graph.input(node, kInput)->quant.scale[0];
  const float wf = graph.input(node, kWeightsFeature)->quant.scale[0];
  const float wt = graph.input(node, kWeightsTime)->quant.scale[0];
  const float state = graph.input(node, kState)->quant.scale[0];
  const float out = graph.output(node).quant.scale[0];
  return {in * wf / state, state * wt / out};
}

}  // namespace

Status CheckSvdfS8(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSvdfShapes(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kInput, "input", {DType::kInt8}));
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, kWeightsFeature, "weights_feature", {DType::kInt8}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kWeightsTime, "weights_time",
                                       {DType::kInt8, DType::kInt16}));
  const Tensor& wt = *graph.input(node, kWeightsTime);
  // TFLite Micro reads the state with the time weights' element type.
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kState, "activation state", {wt.dtype}));
  const Tensor& out = graph.output(node);
  if (out.dtype != DType::kInt8)
    return MakeError("{}: output '{}' has dtype {}, expected int8", OpLabel(node), out.name,
                     DTypeName(out.dtype));
  const Tensor& in = *graph.input(node, kInput);
  const Tensor& wf = *graph.input(node, kWeightsFeature);
  const Tensor& state = *graph.input(node, kState);
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, in, "input"));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, wf, "weights_feature"));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, wt, "weights_time"));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, state, "activation state"));
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, out, "output"));
  KILN_RETURN_IF_ERROR(CheckZeroPointInRange(node, in, "input"));
  KILN_RETURN_IF_ERROR(CheckZeroPointInRange(node, state, "activation state"));
  KILN_RETURN_IF_ERROR(CheckZeroPointInRange(node, out, "output"));

  const SvdfScales scales = ComputeScales(graph, node);
  if (const Tensor* bias = graph.input(node, kBias)) {
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, kBias, "bias", {DType::kInt32}));
    // TFLite Micro's Prepare insists that the bias is in the time product's
    // scale (the float product, compared in double).
    const float bias_scale = bias->quant.scale.empty() ? 0.0f : bias->quant.scale[0];
    const float product = state.quant.scale[0] * wt.quant.scale[0];
    if (!(std::abs(static_cast<double>(bias_scale) - static_cast<double>(product)) < 1e-5))
      return MakeError("{}: bias '{}' scale {} must equal activation state scale x weights_time "
                       "scale ({})",
                       OpLabel(node), bias->name, bias_scale, product);
  }
  for (float scale : {scales.feature, scales.output}) {
    const FixedPointMultiplier m = QuantizeMultiplier(static_cast<double>(scale));
    if (!std::isfinite(scale) || m.shift > 31)
      return MakeError("{}: requantization scale {} is out of the supported range",
                       OpLabel(node), scale);
  }
  return Status::Ok();
}

Status LowerSvdfS8(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const SvdfDims d = ReadDims(graph, node);
  const Tensor& wt = *graph.input(node, kWeightsTime);
  const SvdfScales scales = ComputeScales(graph, node);
  const FixedPointMultiplier feature = QuantizeMultiplier(static_cast<double>(scales.feature));
  const FixedPointMultiplier output = QuantizeMultiplier(static_cast<double>(scales.output));
  auto zero_point = [](const Tensor& t) {
    return std::to_string(t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0]);
  };

  const std::string variant = wt.dtype == DType::kInt16 ? "svdf_s8_s16" : "svdf_s8";
  ctx.use_kernel(variant);
  const std::string params = ctx.unique_name("svdf_params");
  ctx.declare(StaticConstStruct(
      fmt::format("kiln_{}_params_t", variant), params,
      {{"batches", std::to_string(d.batches)},
       {"input_size", std::to_string(d.input_size)},
       {"num_filters", std::to_string(d.filters)},
       {"num_units", std::to_string(d.units)},
       {"rank", std::to_string(d.rank)},
       {"memory_size", std::to_string(d.memory)},
       {"input_zero_point", zero_point(*graph.input(node, kInput))},
       {"state_zero_point", zero_point(*graph.input(node, kState))},
       {"output_zero_point", zero_point(graph.output(node))},
       {"feature_multiplier", std::to_string(feature.multiplier)},
       {"feature_shift", std::to_string(feature.shift)},
       {"output_multiplier", std::to_string(output.multiplier)},
       {"output_shift", std::to_string(output.shift)}}));
  const std::string scratch_filters = ctx.scratch(d.batches * d.filters * 4);
  const std::string scratch_units = ctx.scratch(d.batches * d.units * 4);
  const std::string bias =
      graph.input(node, kBias) ? ctx.tensor(node.inputs[kBias]) : "(const int32_t*)0";
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, {}, {}, {}, {}, (int32_t*)({}), (int32_t*)({}));",
                            variant, params, ctx.tensor(node.inputs[kInput]),
                            ctx.tensor(node.inputs[kWeightsFeature]),
                            ctx.tensor(node.inputs[kWeightsTime]), bias,
                            ctx.tensor(node.inputs[kState]), ctx.tensor(node.outputs[0]),
                            scratch_filters, scratch_units));
  return Status::Ok();
}

Status CheckSvdfF32(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckSvdfShapes(graph, node));
  for (size_t slot : {kInput, kWeightsFeature, kWeightsTime, kBias, kState}) {
    static const char* const kRoles[] = {"input", "weights_feature", "weights_time", "bias",
                                         "activation state"};
    if (graph.input(node, slot) != nullptr)
      KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, kRoles[slot], {DType::kFloat32}));
  }
  const Tensor& out = graph.output(node);
  if (out.dtype != DType::kFloat32)
    return MakeError("{}: output '{}' has dtype {}, expected float32", OpLabel(node), out.name,
                     DTypeName(out.dtype));
  const std::string activation = node.attrs.get_string("activation", "NONE");
  auto range = FloatActivationRange(activation);
  if (!range.ok()) return MakeError("{}: {}", OpLabel(node), range.message());
  return Status::Ok();
}

Status LowerSvdfF32(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const SvdfDims d = ReadDims(graph, node);
  KILN_ASSIGN_OR_RETURN(FloatRange range,
                        FloatActivationRange(node.attrs.get_string("activation", "NONE")));
  ctx.use_kernel("svdf_f32");
  const std::string params = ctx.unique_name("svdf_params");
  ctx.declare(StaticConstStruct(
      "kiln_svdf_f32_params_t", params,
      {{"batches", std::to_string(d.batches)},
       {"input_size", std::to_string(d.input_size)},
       {"num_filters", std::to_string(d.filters)},
       {"num_units", std::to_string(d.units)},
       {"rank", std::to_string(d.rank)},
       {"memory_size", std::to_string(d.memory)},
       {"activation_min", movement::FloatLiteral(range.min)},
       {"activation_max", movement::FloatLiteral(range.max)}}));
  const std::string scratch = ctx.scratch(d.batches * d.filters * 4);
  const std::string bias =
      graph.input(node, kBias) ? ctx.tensor(node.inputs[kBias]) : "(const float*)0";
  ctx.statement(fmt::format("kiln_svdf_f32(&{}, {}, {}, {}, {}, {}, {}, (float*)({}));", params,
                            ctx.tensor(node.inputs[kInput]),
                            ctx.tensor(node.inputs[kWeightsFeature]),
                            ctx.tensor(node.inputs[kWeightsTime]), bias,
                            ctx.tensor(node.inputs[kState]), ctx.tensor(node.outputs[0]),
                            scratch));
  return Status::Ok();
}

}  // namespace kiln
