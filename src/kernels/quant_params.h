// Compile-time arithmetic shared by the kernel lowerings: TFLite's
// fixed-point multiplier encoding, activation clamping ranges, and the
// diagnostics helpers that name the operator and tensor at fault.
#pragma once

#include <cstdint>
#include <string>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln {

/// A real multiplier encoded as TFLite does: real ~= multiplier * 2^(shift-31),
/// multiplier in [2^30, 2^31) (or 0). Matches tflite::QuantizeMultiplier,
/// including its rounding (std::round) and the underflow rule (shift < -31 -> 0).
struct FixedPointMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
};
FixedPointMultiplier QuantizeMultiplier(double real_multiplier);

/// TFLite's CheckedLog2: the rounded log2 of x, and whether x is within
/// 1e-3 (in log2) of that power of two.
bool CheckedLog2(float x, int* log2_result);

/// Integer clamping range of a fused activation on a quantized output, as
/// tflite::CalculateActivationRangeQuantized computes it.
struct IntRange {
  int32_t min;
  int32_t max;
};
Expected<IntRange> QuantizedActivationRange(const std::string& activation, DType dtype,
                                            float scale, int64_t zero_point);
/// The representable range of an integer dtype.
IntRange DTypeRange(DType dtype);

/// Float clamping range of a fused activation (NONE gives +-FLT_MAX).
struct FloatRange {
  float min;
  float max;
};
Expected<FloatRange> FloatActivationRange(const std::string& activation);

/// "operator #3 CONV_2D" (the prefix of every operator diagnostic).
std::string OpLabel(const Node& node);

/// Checks that `node` has between min_inputs and max_inputs input slots (absent
/// optional slots count) and exactly `outputs` outputs.
Status CheckArity(const Node& node, size_t min_inputs, size_t max_inputs, size_t outputs);

/// Checks that input `slot` is present and has one of the given dtypes.
Status CheckInputDType(const Graph& graph, const Node& node, size_t slot, const char* role,
                       std::initializer_list<DType> allowed);
/// Checks that input `slot` is a constant tensor.
Status CheckConstant(const Graph& graph, const Node& node, size_t slot, const char* role);
/// Checks that the tensor has per-tensor quantization (one scale > 0).
Status CheckPerTensorQuant(const Node& node, const Tensor& tensor, const char* role);
/// Checks an int16 activation tensor: per-tensor quantization with zero
/// point 0 (TFLite's int16 kernels are symmetric).
Status CheckInt16SymmetricQuant(const Node& node, const Tensor& tensor, const char* role);
/// Checks a constant int64 bias (the 16x8 kernels') against TFLite's 64-bit
/// requantization, which assumes sums below 2^47: each value within +-2^46.
Status CheckInt64BiasBound(const Node& node, const Tensor& bias, const char* role);
/// Checks that the output's declared shape equals `expected`.
Status CheckOutputShape(const Graph& graph, const Node& node, size_t slot, const Shape& expected);

}  // namespace kiln
