// Lowering to the int8 matrix multiply of runtime/include/kiln/gemm.h, shared
// by the fast schedules of CONV_2D, DEPTHWISE_CONV_2D (one input channel) and
// FULLY_CONNECTED: the weights laid out for the schedule, the input offset
// folded into the bias, and the schedules' cost model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/lowering.h"

namespace kiln {

/// out[r][n] = requantize(bias[n] + sum_k (in[r][k] + input_offset) * w[n][k]).
struct GemmOperands {
  int64_t depth = 0;  ///< K
  int64_t cols = 0;   ///< N
  std::vector<int64_t> weights;  ///< [N, K] row-major, int8 values
  std::vector<int64_t> bias;     ///< [N], the model's bias (zeros without one)
  int64_t input_offset = 0;      ///< -input_zero_point
  ChannelMultipliers requant;    ///< [N] each
  int64_t output_offset = 0, act_min = 0, act_max = 0;
};

/// Emits the arrays of a gemm schedule ("gemm" or "gemm_dsp") and returns the
/// C initializer of its kiln_gemm_s8_params_t ("{ .depth = ..., ... }"); the
/// schedule's runtime kernel is marked used.
std::string EmitGemmParams(const GemmOperands& gemm, const std::string& schedule, LoweringContext& ctx,
                           const std::string& stem);

/// The C function of a gemm schedule: "kiln_gemm_s8" or "kiln_gemm_s8_dsp".
std::string GemmFunction(const std::string& schedule);

/// bias[n] + input_offset * sum_k w[n][k], wrapped to int32 as the kernels'
/// accumulators wrap.
std::vector<int64_t> FoldInputOffset(const GemmOperands& gemm);

/// An integer constant tensor's values (empty for an activation).
std::vector<int64_t> ConstantValues(const Tensor& tensor);

/// The bias of a gemm of `cols` channels: the constant's values, or zeros
/// without one.
std::vector<int64_t> BiasValues(const Tensor* bias, int64_t cols);

/// What the fast int8 schedules of a weighted operator (input 0, weights 1,
/// optional bias 2) rely on: TFLite's arithmetic (symmetric weights, its
/// rounding) and weights and bias known at compile time, to re-lay and fold.
bool FoldableInt8Weights(const Graph& graph, const Node& node);

/// The cost model of the int8 schedules (docs/schedules.md): Cortex-M
/// instructions for `macs` multiply-accumulates producing `outputs` values,
/// plus `gathered` bytes copied (im2col). Fitted to measurements on
/// qemu-cortex-m4.
int64_t EstimateInstructions(const std::string& schedule, int64_t macs, int64_t outputs,
                             int64_t gathered = 0);

}  // namespace kiln
