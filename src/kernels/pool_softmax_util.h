// Small helpers shared by the pooling, softmax, logistic/tanh and mean
// lowerings: C literals and params-struct initializers for the generated
// code, and the quantization checks those kernels have in common.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "c99/c_syntax.h"
#include "ir/graph.h"
#include "kernels/quant_params.h"
#include "support/status.h"

namespace kiln::psm_detail {

/// A C integer literal exact on every target (INT32_MIN cannot be written
/// as a plain literal of type int32_t).
inline std::string IntLit(int64_t value) {
  if (value == INT32_MIN) return "(-2147483647 - 1)";
  return std::to_string(value);
}

/// A C float literal that reads back as exactly `value` (finite values).
inline std::string FloatLit(float value) {
  std::string s = fmt::format("{:.9g}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

/// One designated initializer: {"field", "C expression"}.
using Field = std::pair<std::string, std::string>;

/// "{1, 2, 3}" for an int32_t array member of a params struct.
inline std::string IntArrayLit(const std::vector<int64_t>& values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + IntLit(values[i]);
  return s + "}";
}

/// Per-tensor quantization (one positive finite scale) whose zero point lies
/// in [lo, hi], the range of the tensor's integer type `type`.
inline Status CheckQuantWithZeroPointIn(const Node& node, const Tensor& tensor, const char* role, int64_t lo,
                                        int64_t hi, const char* type) {
  KILN_RETURN_IF_ERROR(CheckPerTensorQuant(node, tensor, role));
  const int64_t zp = tensor.quant.zero_point.empty() ? 0 : tensor.quant.zero_point[0];
  if (zp < lo || zp > hi)
    return MakeError("{}: {} '{}' has zero point {}, outside the {} range", OpLabel(node), role, tensor.name, zp,
                     type);
  return Status::Ok();
}

/// Checks an int8 activation tensor: one positive finite scale, and a zero
/// point within [-128, 127].
inline Status CheckInt8Quant(const Node& node, const Tensor& tensor, const char* role) {
  return CheckQuantWithZeroPointIn(node, tensor, role, -128, 127, "int8");
}

/// CheckInt8Quant for an int8 tensor; for an int16 one, a zero point an
/// int16 holds (TFLite Micro puts no other rule on int16 MEAN and SUM).
inline Status CheckQuantOfItsDType(const Node& node, const Tensor& tensor, const char* role) {
  return tensor.dtype == DType::kInt16 ? CheckQuantWithZeroPointIn(node, tensor, role, -32768, 32767, "int16")
                                       : CheckInt8Quant(node, tensor, role);
}

/// The zero point of a per-tensor quantized tensor (0 when absent).
inline int32_t ZeroPoint(const Tensor& tensor) {
  return tensor.quant.zero_point.empty() ? 0 : static_cast<int32_t>(tensor.quant.zero_point[0]);
}

/// Checks that every dimension is >= 1 and the element count fits the
/// runtime's int32_t indexing.
inline Status CheckDimsPositive(const Node& node, const Tensor& tensor, const char* role) {
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

/// Checks that `activation` is a fused activation Kiln knows.
inline Status CheckActivation(const Node& node, const std::string& activation) {
  if (activation == "NONE" || activation == "RELU" || activation == "RELU6" ||
      activation == "RELU_N1_TO_1")
    return Status::Ok();
  return MakeError("{}: fused activation {} is not supported", OpLabel(node), activation);
}

/// Checks that the output has the dtype `dtype`.
inline Status CheckOutputDType(const Graph& graph, const Node& node, DType dtype) {
  const Tensor& out = graph.output(node);
  if (out.dtype != dtype)
    return MakeError("{}: output '{}' has dtype {}, expected {}", OpLabel(node), out.name,
                     DTypeName(out.dtype), DTypeName(dtype));
  return Status::Ok();
}

}  // namespace kiln::psm_detail
