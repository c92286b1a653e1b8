// Broadcasting, C literal and tensor-check helpers of the elementwise,
// activation and (de)quantization lowerings (see elementwise_util.h).
#include "kernels/elementwise_util.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "c99/c_syntax.h"

namespace kiln::elem_detail {

namespace {

/// `shape` left-padded with 1s to kMaxBroadcastRank.
std::vector<int64_t> Extend(const Shape& shape) {
  std::vector<int64_t> out(kMaxBroadcastRank, 1);
  std::copy(shape.begin(), shape.end(), out.end() - static_cast<std::ptrdiff_t>(shape.size()));
  return out;
}

std::string ArrayLit(const std::vector<int64_t>& values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + IntLit(values[i]);
  return s + "}";
}

}  // namespace

std::string BroadcastInitializer(const Shape& a, const Shape& b) {
  const Shape out = BroadcastShapes(a, b).value();
  const std::vector<int64_t> out_dims = Extend(out);
  const std::vector<int64_t> a_dims = Extend(a);
  const std::vector<int64_t> b_dims = Extend(b);
  int64_t count = 1;
  for (int64_t d : out_dims) count *= d;
  // Leading 1s do not change the element order, so compare padded shapes.
  const bool flat = a_dims == out_dims && b_dims == out_dims;
  return fmt::format(
      "{{\n        .dims = {},\n        .a_strides = {},\n        .b_strides = {},\n"
      "        .count = {},\n        .flat = {}}}",
      ArrayLit(out_dims), ArrayLit(BroadcastStrides(a_dims, out_dims)),
      ArrayLit(BroadcastStrides(b_dims, out_dims)), IntLit(count), flat ? 1 : 0);
}

std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& dims, const std::vector<int64_t>& out_dims) {
  std::vector<int64_t> strides(dims.size(), 0);
  int64_t stride = 1;
  for (size_t i = dims.size(); i-- > 0;) {
    strides[i] = dims[i] == out_dims[i] ? stride : 0;
    stride *= dims[i];
  }
  return strides;
}

std::string IntLit(int64_t value) {
  if (value == INT32_MIN) return "(-2147483647 - 1)";
  if (value == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return std::to_string(value);
}

std::string FloatLit(float value) {
  std::string s = fmt::format("{:.9g}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string DeclareParams(LoweringContext& ctx, std::string_view variant,
                          const std::vector<Field>& fields) {
  const std::string name = ctx.unique_name(fmt::format("{}_params", variant));
  ctx.declare(StaticConstStruct(fmt::format("kiln_{}_params_t", variant), name, fields));
  return name;
}

void EmitDequantize(LoweringContext& ctx, std::string_view variant, int64_t count, float scale, int32_t zero_point,
                    const std::string& input, const std::string& output) {
  ctx.use_kernel(variant);
  const std::string name = DeclareParams(
      ctx, variant, {{"count", IntLit(count)}, {"scale", FloatLit(scale)}, {"zero_point", IntLit(zero_point)}});
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, input, output));
}

void EmitElementwiseCall(const Node& node, LoweringContext& ctx, std::string_view variant,
                         const std::vector<Field>& fields) {
  ctx.use_kernel(variant);
  const std::string name = DeclareParams(ctx, variant, fields);
  std::string args = "&" + name;
  for (int id : node.inputs) args += ", " + ctx.tensor(id);
  ctx.statement(fmt::format("kiln_{}({}, {});", variant, args, ctx.tensor(node.outputs[0])));
}

void EmitBroadcastCall(const Node& node, LoweringContext& ctx, std::string_view variant, std::vector<Field> fields) {
  const Graph& graph = ctx.graph();
  fields.insert(fields.begin(), {"shape", BroadcastInitializer(graph.input(node, 0)->shape, graph.input(node, 1)->shape)});
  EmitElementwiseCall(node, ctx, variant, fields);
}

DType InputDType(const Graph& graph, const Node& node) {
  return graph.input(node, 0) != nullptr ? graph.input(node, 0)->dtype : DType::kInt8;
}

int32_t ZeroPoint(const Tensor& tensor) {
  return tensor.quant.zero_point.empty() ? 0 : static_cast<int32_t>(tensor.quant.zero_point[0]);
}

Status CheckQuantized(const Node& node, const Tensor& tensor, const char* role) {
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, tensor, role));
  const int64_t zp = tensor.quant.zero_point.empty() ? 0 : tensor.quant.zero_point[0];
  const IntRange range = DTypeRange(tensor.dtype);
  if (zp < range.min || zp > range.max)
    return MakeError("{}: {} '{}' has zero point {}, outside the {} range [{}, {}]",
                     OpLabel(node), role, tensor.name, zp, DTypeName(tensor.dtype), range.min,
                     range.max);
  return Status::Ok();
}

Status CheckOutputDType(const Graph& graph, const Node& node, size_t slot,
                        const std::vector<DType>& allowed) {
  const Tensor& out = graph.output(node, slot);
  std::string names;
  for (DType d : allowed) {
    if (out.dtype == d) return Status::Ok();
    names += (names.empty() ? "" : " or ") + std::string(DTypeName(d));
  }
  return MakeError("{}: output {} '{}' has dtype {}, expected {}", OpLabel(node), slot, out.name,
                   DTypeName(out.dtype), names);
}

Status CheckDims(const Node& node, const Tensor& tensor, const char* role, size_t max_rank) {
  if (tensor.shape.size() > max_rank)
    return MakeError("{}: {} '{}' has rank {}; at most {} is supported", OpLabel(node), role,
                     tensor.name, tensor.shape.size(), max_rank);
  int64_t count = 1;
  for (int32_t d : tensor.shape) {
    if (d < 1)
      return MakeError("{}: {} '{}' has shape {}; every dimension must be at least 1",
                       OpLabel(node), role, tensor.name, ShapeString(tensor.shape));
    count *= d;
    if (count > INT32_MAX)
      return MakeError("{}: {} '{}' has more than 2^31-1 elements", OpLabel(node), role,
                       tensor.name);
  }
  return Status::Ok();
}

Status CheckShift(const Node& node, const FixedPointMultiplier& m, const char* what) {
  if (m.shift > 31)
    return MakeError("{}: the rescaling factor {} is too large (2^{}); the scales are implausible",
                     OpLabel(node), what, m.shift);
  return Status::Ok();
}

Status CheckBinaryShapes(const Graph& graph, const Node& node, DType dtype, std::optional<DType> output_dtype,
                         std::optional<DType> b_dtype) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "a", {dtype}));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 1, "b", {b_dtype.value_or(dtype)}));
  KILN_RETURN_IF_ERROR(CheckOutputDType(graph, node, 0, {output_dtype.value_or(dtype)}));
  const Tensor& a = *graph.input(node, 0);
  const Tensor& b = *graph.input(node, 1);
  const Tensor& out = graph.output(node, 0);
  KILN_RETURN_IF_ERROR(CheckDims(node, a, "input a", kMaxBroadcastRank));
  KILN_RETURN_IF_ERROR(CheckDims(node, b, "input b", kMaxBroadcastRank));
  KILN_RETURN_IF_ERROR(CheckDims(node, out, "output", kMaxBroadcastRank));
  const std::optional<Shape> expected = BroadcastShapes(a.shape, b.shape);
  if (!expected)
    return MakeError("{}: input shapes {} ('{}') and {} ('{}') cannot be broadcast together",
                     OpLabel(node), ShapeString(a.shape), a.name, ShapeString(b.shape), b.name);
  return CheckOutputShape(graph, node, 0, *expected);
}

Status CheckUnaryShape(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  const Tensor* input = graph.input(node, 0);
  if (input == nullptr) return MakeError("{}: input 0 (input) is missing", OpLabel(node));
  // The runtime kernels walk the elements flat, so any rank works.
  KILN_RETURN_IF_ERROR(CheckDims(node, *input, "input", std::numeric_limits<size_t>::max()));
  return CheckOutputShape(graph, node, 0, input->shape);
}

void DeclareElementwiseStreaming(const Node& node, LoweringContext& ctx) {
  const Tensor& output = ctx.graph().output(node);
  const int64_t elements = output.num_elements();
  if (elements == 0) return;
  for (int id : node.inputs) {
    if (id == kNoTensor) continue;
    const Tensor& input = ctx.graph().tensor(id);
    if (input.is_constant || input.shape != output.shape) continue;
    const int64_t input_element = input.bytes() / elements;
    StreamingAccess access;
    access.input_tensor = id;
    access.output_tensor = node.outputs[0];
    access.units = elements;
    access.output_unit_bytes = output.bytes() / elements;
    access.units_per_group = elements;
    access.group_input_bytes = input.bytes();
    access.input_step_bytes = input_element;
    access.input_lag_bytes = -input_element;  // element i is read before it is written
    access.input_bytes = input.bytes();
    ctx.streaming_access(access);
  }
}

}  // namespace kiln::elem_detail
