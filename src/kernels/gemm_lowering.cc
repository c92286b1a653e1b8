#include "kernels/gemm_lowering.h"

#include <fmt/format.h>

namespace kiln {
namespace {

/// The "pairs" layout of gemm_s8_dsp (runtime/include/kiln/gemm.h): rows n,
/// n+1 interleaved in blocks of 4, the depth's tail alternating, an odd last
/// row as it is.
std::vector<int64_t> PairsLayout(const GemmOperands& g) {
  std::vector<int64_t> out;
  out.reserve(g.weights.size());
  auto w = [&](int64_t n, int64_t k) { return g.weights[static_cast<size_t>(n * g.depth + k)]; };
  int64_t n = 0;
  for (; n + 2 <= g.cols; n += 2) {
    int64_t k = 0;
    for (; k + 4 <= g.depth; k += 4) {
      for (int64_t row = n; row < n + 2; ++row)
        for (int64_t i = 0; i < 4; ++i) out.push_back(w(row, k + i));
    }
    for (; k < g.depth; ++k) {
      out.push_back(w(n, k));
      out.push_back(w(n + 1, k));
    }
  }
  for (; n < g.cols; ++n)
    for (int64_t k = 0; k < g.depth; ++k) out.push_back(w(n, k));
  return out;
}

}  // namespace

std::vector<int64_t> FoldInputOffset(const GemmOperands& g) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(g.cols));
  for (int64_t n = 0; n < g.cols; ++n) {
    int64_t sum = 0;
    for (int64_t k = 0; k < g.depth; ++k) sum += g.weights[static_cast<size_t>(n * g.depth + k)];
    const int64_t folded = g.bias[static_cast<size_t>(n)] + g.input_offset * sum;
    out.push_back(static_cast<int32_t>(static_cast<uint32_t>(folded)));
  }
  return out;
}

std::vector<int64_t> ConstantValues(const Tensor& tensor) {
  std::vector<int64_t> out;
  if (!tensor.is_constant) return out;
  out.reserve(static_cast<size_t>(tensor.num_elements()));
  for (int64_t i = 0; i < tensor.num_elements(); ++i) out.push_back(tensor.int_at(i));
  return out;
}

std::vector<int64_t> BiasValues(const Tensor* bias, int64_t cols) {
  return bias != nullptr ? ConstantValues(*bias) : std::vector<int64_t>(static_cast<size_t>(cols), 0);
}

bool FoldableInt8Weights(const Graph& graph, const Node& node) {
  const Tensor& weights = *graph.input(node, 1);
  const Tensor* bias = graph.input(node, 2);
  return graph.input(node, 0)->dtype == DType::kInt8 && !OnnxRequantization(node) && weights.is_constant &&
         FilterZeroPoint(weights) == 0 && (bias == nullptr || bias->is_constant);
}

std::string GemmFunction(const std::string& schedule) {
  return schedule == "gemm_dsp" ? "kiln_gemm_s8_dsp" : "kiln_gemm_s8";
}

std::string EmitGemmParams(const GemmOperands& g, const std::string& schedule, LoweringContext& ctx,
                           const std::string& stem) {
  const bool dsp = schedule == "gemm_dsp";
  ctx.use_kernel(dsp ? "gemm_s8_dsp" : "gemm_s8");
  const std::string weights =
      ctx.const_int_array(stem + "_weights", "int8_t", dsp ? PairsLayout(g) : g.weights);
  const std::string bias = ctx.const_int_array(stem + "_bias", "int32_t", FoldInputOffset(g));
  const std::string multipliers = ctx.const_int_array(stem + "_multiplier", "int32_t", g.requant.multiplier);
  const std::string shifts = ctx.const_int_array(stem + "_shift", "int32_t", g.requant.shift);
  return fmt::format(
      "{{ .depth = {}, .cols = {}, .output_offset = {}, .act_min = {}, .act_max = {}, .weights = {}, "
      ".bias = {}, .multiplier = {}, .shift = {} }}",
      g.depth, g.cols, g.output_offset, g.act_min, g.act_max, weights, bias, multipliers, shifts);
}

int64_t EstimateInstructions(const std::string& schedule, int64_t macs, int64_t outputs, int64_t gathered) {
  // Instructions per multiply-accumulate, per output value (requantize,
  // clamp, store, loop) and per gathered byte (im2col), per schedule: fitted
  // to `kiln micro time --per-op` of person_detect on qemu-cortex-m4 (GCC
  // 12, -O2); within about 15% per layer there.
  struct Cost {
    const char* schedule;
    double per_mac, per_output, per_gathered_byte;
  };
  static constexpr Cost kCosts[] = {
      {"reference", 12.0, 30.0, 0.0},       {"gemm", 3.2, 40.0, 0.0},
      {"gemm_dsp", 1.55, 40.0, 0.0},        {"im2col_gemm", 3.2, 40.0, 30.0},
      {"im2col_gemm_dsp", 1.55, 40.0, 30.0}, {"depthwise_dsp", 3.0, 75.0, 0.0},
  };
  for (const Cost& c : kCosts)
    if (schedule == c.schedule)
      return static_cast<int64_t>(c.per_mac * static_cast<double>(macs) +
                                  c.per_output * static_cast<double>(outputs) +
                                  c.per_gathered_byte * static_cast<double>(gathered));
  return 0;
}

}  // namespace kiln
