#include "kernels/quant_params.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ir/op_table.h"

namespace kiln {

bool CheckedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::abs(x_log2 - rounded) < 1e-3f;
}

FixedPointMultiplier QuantizeMultiplier(double real_multiplier) {
  FixedPointMultiplier out;
  if (real_multiplier == 0.0) return out;
  if (!std::isfinite(real_multiplier)) {
    // Above every finite double (whose shift frexp keeps <= 1024): callers'
    // range checks refuse it as too large, as they do 1e300.
    out.multiplier = 1 << 30;
    out.shift = 1025;
    return out;
  }
  int shift = 0;
  const double q = std::frexp(real_multiplier, &shift);
  auto q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(1LL << 31)));
  if (q_fixed == (1LL << 31)) {
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    shift = 0;
    q_fixed = 0;
  }
  out.multiplier = static_cast<int32_t>(q_fixed);
  out.shift = shift;
  return out;
}

IntRange DTypeRange(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return {-128, 127};
    case DType::kUInt8: return {0, 255};
    case DType::kInt16: return {-32768, 32767};
    default: return {INT32_MIN, INT32_MAX};
  }
}

Expected<IntRange> QuantizedActivationRange(const std::string& activation, DType dtype,
                                            float scale, int64_t zero_point) {
  const IntRange full = DTypeRange(dtype);
  // f / scale can exceed int32 for tiny scales; clamp before converting
  // (the result is clamped to the dtype's range anyway).
  auto quantize = [&](float f) {
    const double q = static_cast<double>(zero_point) + std::round(static_cast<double>(f / scale));
    return static_cast<int32_t>(std::clamp(q, -2147483648.0, 2147483647.0));
  };
  if (activation.empty() || activation == "NONE") return full;
  if (activation == "RELU") return IntRange{std::max(full.min, quantize(0.0f)), full.max};
  if (activation == "RELU6")
    return IntRange{std::max(full.min, quantize(0.0f)), std::min(full.max, quantize(6.0f))};
  if (activation == "RELU_N1_TO_1")
    return IntRange{std::max(full.min, quantize(-1.0f)), std::min(full.max, quantize(1.0f))};
  return MakeError("fused activation {} is not supported", activation);
}

Expected<FloatRange> FloatActivationRange(const std::string& activation) {
  if (activation.empty() || activation == "NONE") return FloatRange{-FLT_MAX, FLT_MAX};
  if (activation == "RELU") return FloatRange{0.0f, FLT_MAX};
  if (activation == "RELU6") return FloatRange{0.0f, 6.0f};
  if (activation == "RELU_N1_TO_1") return FloatRange{-1.0f, 1.0f};
  return MakeError("fused activation {} is not supported", activation);
}

std::string OpLabel(const Node& node) {
  if (node.subgraph != 0) return fmt::format("subgraph {} operator #{} {}", node.subgraph, node.index, NodeName(node));
  return fmt::format("operator #{} {}", node.index, NodeName(node));
}

Status CheckArity(const Node& node, size_t min_inputs, size_t max_inputs, size_t outputs) {
  if (node.inputs.size() < min_inputs || node.inputs.size() > max_inputs) {
    if (min_inputs == max_inputs)
      return MakeError("{}: expected {} inputs, got {}", OpLabel(node), min_inputs,
                       node.inputs.size());
    return MakeError("{}: expected {} to {} inputs, got {}", OpLabel(node), min_inputs,
                     max_inputs, node.inputs.size());
  }
  if (node.outputs.size() != outputs)
    return MakeError("{}: expected {} output(s), got {}", OpLabel(node), outputs,
                     node.outputs.size());
  return Status::Ok();
}

Status CheckInputDType(const Graph& graph, const Node& node, size_t slot, const char* role,
                       std::initializer_list<DType> allowed) {
  const Tensor* t = graph.input(node, slot);
  if (t == nullptr) return MakeError("{}: input {} ({}) is missing", OpLabel(node), slot, role);
  std::string names;
  for (DType d : allowed) {
    if (t->dtype == d) return Status::Ok();
    names += (names.empty() ? "" : " or ") + std::string(DTypeName(d));
  }
  return MakeError("{}: input {} ({} '{}') has dtype {}, expected {}", OpLabel(node), slot, role,
                   t->name, DTypeName(t->dtype), names);
}

Status CheckConstant(const Graph& graph, const Node& node, size_t slot, const char* role) {
  const Tensor* t = graph.input(node, slot);
  if (t == nullptr) return MakeError("{}: input {} ({}) is missing", OpLabel(node), slot, role);
  if (!t->is_constant)
    return MakeError("{}: input {} ({} '{}') must be a constant tensor", OpLabel(node), slot,
                     role, t->name);
  return Status::Ok();
}

Status CheckPerTensorQuant(const Node& node, const Tensor& tensor, const char* role) {
  if (tensor.quant.scale.size() != 1 || !(tensor.quant.scale[0] > 0.0f) ||
      !std::isfinite(tensor.quant.scale[0]))
    return MakeError("{}: {} '{}' needs per-tensor quantization with a positive scale",
                     OpLabel(node), role, tensor.name);
  return Status::Ok();
}

Status CheckInt16SymmetricQuant(const Node& node, const Tensor& tensor, const char* role) {
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, tensor, role));
  const int64_t zp = tensor.quant.zero_point.empty() ? 0 : tensor.quant.zero_point[0];
  if (zp != 0)
    return MakeError("{}: int16 {} '{}' has zero point {}, expected 0", OpLabel(node), role, tensor.name, zp);
  return Status::Ok();
}

Status CheckInt64BiasBound(const Node& node, const Tensor& bias, const char* role) {
  constexpr int64_t kMaxBias = int64_t{1} << 46;
  if (bias.dtype != DType::kInt64 || !bias.is_constant) return Status::Ok();
  for (int64_t i = 0; i < bias.num_elements(); ++i)
    if (bias.int_at(i) > kMaxBias || bias.int_at(i) < -kMaxBias)
      return MakeError("{}: {} '{}' value {} at {} is outside +-2^46 (TFLite's 64-bit requantization)",
                       OpLabel(node), role, bias.name, bias.int_at(i), i);
  return Status::Ok();
}

Status CheckOutputShape(const Graph& graph, const Node& node, size_t slot, const Shape& expected) {
  const Tensor& out = graph.output(node, slot);
  if (out.shape != expected)
    return MakeError("{}: output {} '{}' has shape {}, expected {}", OpLabel(node), slot,
                     out.name, ShapeString(out.shape), ShapeString(expected));
  return Status::Ok();
}

}  // namespace kiln
