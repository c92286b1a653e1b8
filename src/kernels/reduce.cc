// The reductions over a constant set of axes: MEAN and SUM (int8, int16
// and float32), REDUCE_MAX and REDUCE_MIN (float32, and int8 on raw
// values), REDUCE_PROD (float32): validation, the shape rule (TFLite's
// reduce ResizeOutputTensor), and lowering to mean_s8 / mean_s16 /
// mean_f32 / reduce_f32 / reduce_s8, which share one row-major walk
// (kiln/reduce.h). For integer MEAN and SUM it picks, at compile time, the
// path TFLite Micro's EvalMeanHelper / EvalSumHelper takes at run time
// (MeanMethod).
#include <algorithm>
#include <string>
#include <vector>

#include "kernels/kernel_functions.h"
#include "kernels/pool_softmax_util.h"
#include "kernels/quant_params.h"
#include "kiln/reduce.h"

namespace kiln {
namespace {

using psm_detail::Field;
using psm_detail::IntLit;

/// The runtime's dimension limit (KILN_REDUCE_MAX_DIMS).
constexpr size_t kMaxDims = KILN_REDUCE_MAX_DIMS;

/// The axes resolved as TFLite's ResolveAxis does: negatives normalised,
/// duplicates dropped, first occurrence order kept.
Expected<std::vector<int>> ResolveAxes(const Node& node, const Tensor& axes, size_t rank) {
  std::vector<int> resolved;
  // A scalar has nothing to reduce; TFLite ignores the axes then.
  if (rank == 0) return resolved;
  for (int64_t i = 0; i < axes.num_elements(); ++i) {
    const int64_t raw = axes.int_at(i);
    const int64_t axis = raw < 0 ? raw + static_cast<int64_t>(rank) : raw;
    if (axis < 0 || axis >= static_cast<int64_t>(rank))
      return MakeError("{}: axis {} (input 1 '{}') is out of range for an input of rank {}",
                       OpLabel(node), raw, axes.name, rank);
    if (std::find(resolved.begin(), resolved.end(), static_cast<int>(axis)) == resolved.end())
      resolved.push_back(static_cast<int>(axis));
  }
  return resolved;
}

/// The output shape TFLite derives: reduced axes become 1 (keep_dims) or
/// are dropped.
Shape MeanOutputShape(const Shape& in, const std::vector<int>& axes, bool keep_dims) {
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int>(d)) != axes.end();
    if (!reduced)
      out.push_back(in[d]);
    else if (keep_dims)
      out.push_back(1);
  }
  return out;
}

/// The iteration the runtime performs: input dims (size-1 dims dropped,
/// neighbours with the same reduced-ness merged; the row-major walk, and so
/// the summation order, is unchanged) with each dim's output stride.
struct MeanLayout {
  std::vector<int64_t> dims;
  std::vector<int64_t> output_strides;
  int64_t num_outputs = 1;
  int64_t num_elements_in_axis = 1;
};

MeanLayout ComputeLayout(const Shape& in, const std::vector<int>& axes) {
  MeanLayout layout;
  std::vector<bool> reduced_flags;
  for (size_t d = 0; d < in.size(); ++d) {
    const bool reduced = std::find(axes.begin(), axes.end(), static_cast<int>(d)) != axes.end();
    if (reduced)
      layout.num_elements_in_axis *= in[d];
    else
      layout.num_outputs *= in[d];
    if (in[d] == 1) continue;
    if (!reduced_flags.empty() && reduced_flags.back() == reduced) {
      layout.dims.back() *= in[d];
    } else {
      layout.dims.push_back(in[d]);
      reduced_flags.push_back(reduced);
    }
  }
  // Output strides: row-major over the kept dims, 0 for reduced ones.
  layout.output_strides.assign(layout.dims.size(), 0);
  int64_t stride = 1;
  for (size_t i = layout.dims.size(); i-- > 0;) {
    if (reduced_flags[i]) continue;
    layout.output_strides[i] = stride;
    stride *= layout.dims[i];
  }
  return layout;
}

/// The requantization of QuantizedMeanOrSum: QuantizeMultiplier of
/// in_scale / out_scale (in double), then 1/count folded in.
FixedPointMultiplier MeanMultiplier(float input_scale, float output_scale, int64_t count) {
  FixedPointMultiplier m =
      QuantizeMultiplier(static_cast<double>(input_scale) / static_cast<double>(output_scale));
  int shift = 63;
  while (shift > 0 && (static_cast<uint64_t>(count) >> shift) == 0) --shift;  // floor(log2)
  shift = std::min(shift, 32);
  shift = std::min(shift, 31 + m.shift);
  m.multiplier =
      static_cast<int32_t>((static_cast<int64_t>(m.multiplier) << shift) / count);
  m.shift -= shift;
  return m;
}

bool SameQuantization(const Tensor& input, const Tensor& output) {
  return psm_detail::ZeroPoint(input) == psm_detail::ZeroPoint(output) &&
         input.quant.scale[0] == output.quant.scale[0];
}

/// TFLite Micro's test for its 4-D special case: keep_dims, and the axes
/// tensor holding exactly {1, 2} or {2, 1} as written (it neither
/// normalises negative axes nor drops duplicates before this test).
bool IsSpatialMeanWithKeepDims(const Graph& graph, const Node& node) {
  const Tensor& axes = *graph.input(node, 1);
  if (graph.input(node, 0)->shape.size() != 4 || node.attrs.get_int("keep_dims", 0) == 0 ||
      axes.num_elements() != 2)
    return false;
  const int64_t a = axes.int_at(0), b = axes.int_at(1);
  return (a == 1 && b == 2) || (a == 2 && b == 1);
}

/// The integer path of reduce_common.cc's EvalMeanHelper (in its order) or
/// EvalSumHelper; the values are the runtime's KILN_MEAN_* methods. int8 and
/// int16 take the same paths.
enum class MeanMethod { kTruncate = 0, kRequantize = 1, kRoundedSpatial = 2, kSum = 3 };

MeanMethod ChooseMeanMethod(const Graph& graph, const Node& node) {
  if (node.op == OpKind::kSum) return MeanMethod::kSum;
  if (IsSpatialMeanWithKeepDims(graph, node)) return MeanMethod::kRoundedSpatial;
  if (SameQuantization(*graph.input(node, 0), graph.output(node))) return MeanMethod::kTruncate;
  return MeanMethod::kRequantize;
}

/// The requantization `method` applies: none for kTruncate, 1/count folded
/// in for kRequantize, in_scale / out_scale alone for kRoundedSpatial (which
/// divides by the count afterwards) and kSum.
FixedPointMultiplier MeanQuantMultiplier(MeanMethod method, const Tensor& input, const Tensor& output,
                                         int64_t count) {
  const float in_scale = input.quant.scale[0], out_scale = output.quant.scale[0];
  switch (method) {
    case MeanMethod::kTruncate: return {};
    case MeanMethod::kRequantize: return MeanMultiplier(in_scale, out_scale, count);
    case MeanMethod::kRoundedSpatial:
    case MeanMethod::kSum:
      return QuantizeMultiplier(static_cast<double>(in_scale) / static_cast<double>(out_scale));
  }
  return {};
}

std::vector<int> AxesOf(const Graph& graph, const Node& node) {
  // Only called after CheckMean succeeded.
  auto axes = ResolveAxes(node, *graph.input(node, 1), graph.input(node, 0)->shape.size());
  return axes.ok() ? axes.value() : std::vector<int>{};
}

/// What every reduction checks: arity, dtypes (input in `dtypes`, the
/// output the input's), rank, the constant axes, keep_dims and the output
/// shape.
Status CheckReduceCommon(const Graph& graph, const Node& node, std::initializer_list<DType> dtypes) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", dtypes));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "axes", {DType::kInt32}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, 1, "axes"));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& axes_tensor = *graph.input(node, 1);
  KILN_RETURN_IF_ERROR(psm_detail::CheckOutputDType(graph, node, input.dtype));
  if (input.shape.size() > kMaxDims)
    return MakeError("{}: input '{}' has rank {}; at most {} is supported", OpLabel(node),
                     input.name, input.shape.size(), kMaxDims);
  KILN_RETURN_IF_ERROR(psm_detail::CheckDimsPositive(node, input, "input"));
  const int64_t keep_dims = node.attrs.get_int("keep_dims", 0);
  if (keep_dims != 0 && keep_dims != 1)
    return MakeError("{}: keep_dims must be 0 or 1, got {}", OpLabel(node), keep_dims);
  KILN_ASSIGN_OR_RETURN(std::vector<int> axes, ResolveAxes(node, axes_tensor, input.shape.size()));
  KILN_RETURN_IF_ERROR(
      CheckOutputShape(graph, node, 0, MeanOutputShape(input.shape, axes, keep_dims != 0)));
  return Status::Ok();
}

/// The layout fields every reduction kernel's params start with.
std::vector<Field> LayoutFields(const MeanLayout& layout) {
  const std::vector<int64_t>& dims = layout.dims;
  const std::vector<int64_t>& strides = layout.output_strides;
  // Unused trailing entries of the fixed-size arrays: zero-initialised by C.
  return {
      {"num_dims", IntLit(static_cast<int64_t>(dims.size()))},
      {"input_dims", psm_detail::IntArrayLit(dims.empty() ? std::vector<int64_t>{0} : dims)},
      {"output_strides", psm_detail::IntArrayLit(strides.empty() ? std::vector<int64_t>{0} : strides)},
      {"num_outputs", IntLit(layout.num_outputs)},
  };
}

}  // namespace

Status CheckMean(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckReduceCommon(graph, node, {DType::kInt8, DType::kInt16, DType::kFloat32}));
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  KILN_ASSIGN_OR_RETURN(std::vector<int> axes, ResolveAxes(node, *graph.input(node, 1), input.shape.size()));
  if (input.dtype == DType::kFloat32) return Status::Ok();

  for (const auto& [tensor, role] : {std::pair{&input, "input"}, std::pair{&output, "output"}})
    KILN_RETURN_IF_ERROR(psm_detail::CheckQuantOfItsDType(node, *tensor, role));
  const MeanMethod method = ChooseMeanMethod(graph, node);
  if (method != MeanMethod::kTruncate) {
    const FixedPointMultiplier m =
        MeanQuantMultiplier(method, input, output, ComputeLayout(input.shape, axes).num_elements_in_axis);
    if (m.shift > 31)
      return MakeError(
          "{}: input scale {} / output scale {} is too large to requantize (multiplier shift {})",
          OpLabel(node), input.quant.scale[0], output.quant.scale[0], m.shift);
  }
  return Status::Ok();
}

Status LowerMean(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& input = *graph.input(node, 0);
  const Tensor& output = graph.output(node);
  const MeanLayout layout = ComputeLayout(input.shape, AxesOf(graph, node));
  const bool quantized = input.dtype != DType::kFloat32;
  const std::string variant = input.dtype == DType::kInt8    ? "mean_s8"
                              : input.dtype == DType::kInt16 ? "mean_s16"
                                                             : "mean_f32";

  std::vector<Field> fields = LayoutFields(layout);
  fields.push_back({"num_elements_in_axis", IntLit(layout.num_elements_in_axis)});
  std::string scratch;
  if (quantized) {
    const MeanMethod method = ChooseMeanMethod(graph, node);
    const FixedPointMultiplier m = MeanQuantMultiplier(method, input, output, layout.num_elements_in_axis);
    fields.push_back({"method", IntLit(static_cast<int64_t>(method))});
    fields.push_back({"input_zero_point", IntLit(psm_detail::ZeroPoint(input))});
    fields.push_back({"output_zero_point", IntLit(psm_detail::ZeroPoint(output))});
    fields.push_back({"output_multiplier", IntLit(m.multiplier)});
    fields.push_back({"output_shift", IntLit(m.shift)});
    scratch = ctx.scratch(layout.num_outputs * static_cast<int64_t>(sizeof(int32_t)));
  }

  ctx.use_kernel(variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", variant), name, fields));
  if (quantized)
    ctx.statement(fmt::format("kiln_{}(&{}, {}, {}, (int32_t*)({}));", variant, name, ctx.tensor(node.inputs[0]),
                              ctx.tensor(node.outputs[0]), scratch));
  else
    ctx.statement(fmt::format("kiln_mean_f32(&{}, {}, {});", name, ctx.tensor(node.inputs[0]),
                              ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckReduce(const Graph& graph, const Node& node) {
  // REDUCE_PROD: float32 (TFLite's int8 product requantizes per step; not taken).
  if (node.op == OpKind::kReduceProd) return CheckReduceCommon(graph, node, {DType::kFloat32});
  if (node.op == OpKind::kReduceAll || node.op == OpKind::kReduceAny)
    return CheckReduceCommon(graph, node, {DType::kBool});
  KILN_RETURN_IF_ERROR(CheckReduceCommon(graph, node, {DType::kFloat32, DType::kInt8}));
  const Tensor& input = *graph.input(node, 0);
  if (input.dtype != DType::kInt8) return Status::Ok();
  // TFLite Micro's EvalMaxHelper: int8 needs the same quantization in and out.
  const Tensor& output = graph.output(node);
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, input, "input"));
  KILN_RETURN_IF_ERROR(psm_detail::CheckInt8Quant(node, output, "output"));
  if (!SameQuantization(input, output))
    return MakeError("{}: int8 input '{}' and output '{}' must have the same scale and zero point", OpLabel(node),
                     input.name, output.name);
  return Status::Ok();
}

Status LowerReduce(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& input = *graph.input(node, 0);
  const std::string variant = input.dtype == DType::kInt8   ? "reduce_s8"
                              : input.dtype == DType::kBool ? "reduce_bool"
                                                            : "reduce_f32";
  std::vector<Field> fields = LayoutFields(ComputeLayout(input.shape, AxesOf(graph, node)));
  const int op = node.op == OpKind::kSum          ? KILN_REDUCE_SUM
                 : node.op == OpKind::kReduceMax  ? KILN_REDUCE_MAX
                 : node.op == OpKind::kReduceProd ? KILN_REDUCE_PROD
                 : node.op == OpKind::kReduceAll  ? KILN_REDUCE_ALL
                 : node.op == OpKind::kReduceAny  ? KILN_REDUCE_ANY
                                                  : KILN_REDUCE_MIN;
  fields.push_back({"op", IntLit(op)});
  ctx.use_kernel(variant);
  const std::string name = ctx.unique_name(variant + "_params");
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", variant), name, fields));
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

}  // namespace kiln
