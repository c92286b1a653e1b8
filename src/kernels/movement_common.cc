#include "kernels/movement_common.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "kernels/quant_params.h"

namespace kiln::movement {

Status CheckOutputDTypeMatchesInput(const Graph& graph, const Node& node, size_t slot) {
  const Tensor& in = graph.tensor(node.inputs.at(0));
  const Tensor& out = graph.output(node, slot);
  if (out.dtype != in.dtype)
    return MakeError("{}: output {} '{}' has dtype {}, expected {} like input 0", OpLabel(node),
                     slot, out.name, DTypeName(out.dtype), DTypeName(in.dtype));
  return Status::Ok();
}

Expected<std::vector<int64_t>> ReadConstIndexTensor(const Graph& graph, const Node& node,
                                                    size_t slot, const char* role,
                                                    size_t max_rank) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, role, {DType::kInt32, DType::kInt64}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, role));
  const Tensor& t = *graph.input(node, slot);
  if (t.shape.size() > max_rank)
    return MakeError("{}: input {} ({} '{}') must have rank at most {}, got shape {}",
                     OpLabel(node), slot, role, t.name, max_rank, ShapeString(t.shape));
  std::vector<int64_t> values;
  for (int64_t i = 0; i < t.num_elements(); ++i) values.push_back(t.int_at(i));
  return values;
}

Status CheckMaxRank(const Node& node, const Tensor& tensor, const char* role, size_t max_rank) {
  if (tensor.shape.size() > max_rank)
    return MakeError("{}: {} '{}' has rank {} (shape {}); at most {} dimensions are supported",
                     OpLabel(node), role, tensor.name, tensor.shape.size(),
                     ShapeString(tensor.shape), max_rank);
  return Status::Ok();
}

Status CheckDimsPositive(const Node& node, const Tensor& tensor, const char* role) {
  int64_t count = 1;
  for (int32_t d : tensor.shape) {
    if (d < 1)
      return MakeError("{}: {} '{}' has shape {}; every dimension must be at least 1",
                       OpLabel(node), role, tensor.name, ShapeString(tensor.shape));
    count *= d;
    if (count > std::numeric_limits<int32_t>::max())
      return MakeError("{}: {} '{}' (shape {}) has too many elements for 32-bit indexing",
                       OpLabel(node), role, tensor.name, ShapeString(tensor.shape));
  }
  return Status::Ok();
}

std::vector<int64_t> ExtendShape(const Shape& shape, size_t rank) {
  std::vector<int64_t> out(rank - shape.size(), 1);
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

std::string IntList(std::span<const int64_t> values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "}";
}

std::string FloatLiteral(float value) {
  // fmt prints the shortest text that reads back as the same float.
  std::string s = fmt::format("{}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

void EmitByteCopy(LoweringContext& ctx, int input, int output, int64_t bytes) {
  ctx.use_kernel("copy");
  ctx.statement(fmt::format("kiln_copy({}, {}, {});", ctx.tensor(input), ctx.tensor(output), bytes));
}

void EmitStridedCopy(LoweringContext& ctx, int input, int output, size_t element_size, std::vector<CopyAxis> axes) {
  constexpr size_t kMaxDims = 5;  // KILN_STRIDED_SLICE_MAX_DIMS
  // Leading axes of one element make every copy 5-D.
  axes.insert(axes.begin(), kMaxDims - axes.size(), CopyAxis{});
  // Row-major strides of the input.
  std::vector<int64_t> input_stride(kMaxDims, 1);
  for (size_t d = kMaxDims - 1; d-- > 0;) input_stride[d] = input_stride[d + 1] * axes[d + 1].size;
  int64_t start = 0;
  std::vector<int64_t> count, step;
  for (size_t d = 0; d < kMaxDims; ++d) {
    // An empty axis reads nothing; keep its start in bounds anyway.
    if (axes[d].count > 0) start += axes[d].start * input_stride[d];
    count.push_back(axes[d].count);
    step.push_back(axes[d].stride * input_stride[d]);
  }
  EmitStridedWalk(ctx, input, output, element_size, start, count, step);
}

Status CheckMovedValues(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(
      CheckInputDType(graph, node, 0, "input", {DType::kInt8, DType::kInt16, DType::kInt32, DType::kFloat32}));
  KILN_RETURN_IF_ERROR(CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node);
  if ((in.dtype == DType::kInt8 || in.dtype == DType::kInt16) &&
      (in.quant.scale != out.quant.scale || in.quant.zero_point != out.quant.zero_point))
    return MakeError("{}: output '{}' must have the input's scale and zero point ({} moves values unchanged)",
                     OpLabel(node), out.name, node.source_op);
  return Status::Ok();
}

Expected<AxisLayout> ReadAxisLayout(const Graph& graph, const Node& node, size_t slot) {
  const Tensor& in = *graph.input(node, 0);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axis, ReadConstIndexTensor(graph, node, slot, "axis"));
  if (axis.size() != 1) return MakeError("{}: axis must hold one value, got {}", OpLabel(node), axis.size());
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  const int64_t a = axis[0] < 0 ? axis[0] + rank : axis[0];
  if (a < 0 || a >= rank) return MakeError("{}: axis {} is out of range for rank {}", OpLabel(node), axis[0], rank);
  AxisLayout l;
  l.axis = static_cast<size_t>(a);
  for (size_t d = 0; d < in.shape.size(); ++d)
    (d < l.axis ? l.outer : d == l.axis ? l.axis_size : l.inner) *= in.shape[d];
  return l;
}

Expected<std::vector<int64_t>> ReadPaddings(const Graph& graph, const Node& node, const Tensor& input,
                                           bool empty_for_scalar) {
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> paddings, ReadConstIndexTensor(graph, node, 1, "paddings", 2));
  const Tensor& tensor = *graph.input(node, 1);
  const Shape expected = {static_cast<int32_t>(input.shape.size()), 2};
  if (tensor.shape != expected && !(empty_for_scalar && input.shape.empty() && paddings.empty()))
    return MakeError("{}: input 1 (paddings '{}') has shape {}, expected {} for an input of rank {}", OpLabel(node),
                     tensor.name, ShapeString(tensor.shape), ShapeString(expected), input.shape.size());
  return paddings;
}

void EmitStridedWalk(LoweringContext& ctx, int input, int output, size_t element_size, int64_t start,
                     const std::vector<int64_t>& count, const std::vector<int64_t>& step) {
  EmitStridedWalk(ctx, ctx.tensor(input), ctx.tensor(output), element_size, start, count, step);
}

void EmitStridedWalk(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
                     int64_t start, const std::vector<int64_t>& count, const std::vector<int64_t>& step) {
  ctx.use_kernel("strided_slice");
  const std::string params = ctx.unique_name("strided_slice_params");
  ctx.declare(StaticConstStruct("kiln_strided_slice_params_t", params,
                                {{"element_size", std::to_string(element_size)},
                                 {"start", std::to_string(start)},
                                 {"count", IntList(count)},
                                 {"step", IntList(step)}}));
  ctx.statement(fmt::format("kiln_strided_slice(&{}, {}, {});", params, input, output));
}

void EmitAxisGather(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
                    std::vector<std::vector<int64_t>> offsets) {
  constexpr size_t kMaxDims = 6;  // KILN_AXIS_GATHER_MAX_DIMS
  offsets.insert(offsets.begin(), kMaxDims - offsets.size(), std::vector<int64_t>{0});
  std::vector<int64_t> counts;
  std::string tables;
  for (const std::vector<int64_t>& table : offsets) {
    counts.push_back(static_cast<int64_t>(table.size()));
    tables += (tables.empty() ? "" : ", ") + ctx.const_int_array("gather_offsets", "int32_t", table);
  }
  ctx.use_kernel("axis_gather");
  const std::string params = ctx.unique_name("axis_gather_params");
  ctx.declare(StaticConstStruct("kiln_axis_gather_params_t", params,
                                {{"element_size", std::to_string(element_size)},
                                 {"count", IntList(counts)},
                                 {"offset", "{" + tables + "}"}}));
  ctx.statement(fmt::format("kiln_axis_gather(&{}, {}, {});", params, input, output));
}

int64_t DefaultPadBits(const Tensor& output) {
  if (output.dtype == DType::kInt8 && !output.quant.zero_point.empty()) return output.quant.zero_point[0];
  return 0;  // 0 and 0.0f share the all-zero bit pattern.
}

void EmitPad(LoweringContext& ctx, const std::string& input, const std::string& output, size_t element_size,
             const std::vector<int64_t>& input_shape, const std::vector<int64_t>& output_shape,
             const std::vector<int64_t>& before, int64_t fill_bits) {
  constexpr size_t kMaxDims = 6;  // KILN_PAD_MAX_DIMS
  auto extended = [&](const std::vector<int64_t>& v, int64_t fill) {
    std::vector<int64_t> out(kMaxDims - v.size(), fill);
    out.insert(out.end(), v.begin(), v.end());
    return out;
  };
  ctx.use_kernel("pad");
  const std::string params = ctx.unique_name("pad_params");
  ctx.declare(StaticConstStruct("kiln_pad_params_t", params,
                                {{"element_size", std::to_string(element_size)},
                                 {"input_dims", IntList(extended(input_shape, 1))},
                                 {"output_dims", IntList(extended(output_shape, 1))},
                                 {"pad_before", IntList(extended(before, 0))},
                                 {"fill_bits", fmt::format("(int32_t){}", fill_bits)}}));
  ctx.statement(fmt::format("kiln_pad(&{}, {}, {});", params, input, output));
}

void EmitConcatenation(LoweringContext& ctx, const std::vector<int>& inputs, int output, int64_t outer,
                       const std::vector<int64_t>& slice_bytes) {
  std::string pointers;
  for (size_t i = 0; i < inputs.size(); ++i) pointers += (i ? ", " : "") + ctx.tensor(inputs[i]);
  ctx.use_kernel("concatenation");
  const std::string slices = ctx.const_int_array("concat_slice_bytes", "int32_t", slice_bytes);
  const std::string params = ctx.unique_name("concat_params");
  ctx.declare(StaticConstStruct("kiln_concatenation_params_t", params,
                                {{"num_inputs", std::to_string(inputs.size())},
                                 {"outer_size", std::to_string(outer)},
                                 {"slice_bytes", slices}}));
  // The input pointers may be run-time expressions, so the array is local.
  ctx.statement(fmt::format("{{\n  const void* const inputs[{}] = {{{}}};\n  kiln_concatenation(&{}, inputs, {});\n}}",
                            inputs.size(), pointers, params, ctx.tensor(output)));
}

}  // namespace kiln::movement
