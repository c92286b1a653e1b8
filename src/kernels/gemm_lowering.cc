#include "kernels/gemm_lowering.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "kernels/gemm_tiled.h"
#include "kernels/specialise.h"
#include "target/targets.h"

namespace kiln {
namespace {

/// Weight (n, k) times `scale`, or a zero past the depth (the padding).
int64_t PaddedWeight(const GemmOperands& g, int64_t n, int64_t k, int64_t scale = 1) {
  return k < g.depth ? scale * g.weights[static_cast<size_t>(n * g.depth + k)] : 0;
}

/// The "pairs" layout of gemm_s8_dsp (runtime/include/kiln/gemm.h): rows
/// padded with zeros to a multiple of 8, rows n, n+1 interleaved in blocks
/// of 4, an odd last row as it is.
std::vector<int64_t> PairsLayout(const GemmOperands& g) {
  const int64_t padded = PaddedDepth(g.depth, kGemmDspPad);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(g.cols * padded));
  auto w = [&](int64_t n, int64_t k) { return PaddedWeight(g, n, k); };
  int64_t n = 0;
  for (; n + 2 <= g.cols; n += 2)
    for (int64_t k = 0; k < padded; k += 4)
      for (int64_t row = n; row < n + 2; ++row)
        for (int64_t i = 0; i < 4; ++i) out.push_back(w(row, k + i));
  for (; n < g.cols; ++n)
    for (int64_t k = 0; k < padded; ++k) out.push_back(w(n, k));
  return out;
}

/// The "channel quads" layout of gemm_s8_rv32: channels in groups of 4 (the
/// last padded with zero rows), per group and depth step (the depth padded
/// to a multiple of 4) the group's four weights.
std::vector<int64_t> ChannelQuadsLayout(const GemmOperands& g) {
  const int64_t padded = PaddedDepth(g.depth, kGemmRv32Pad);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(PaddedDepth(g.cols, 4) * padded));
  for (int64_t n = 0; n < g.cols; n += 4)
    for (int64_t k = 0; k < padded; ++k)
      for (int64_t c = n; c < n + 4; ++c) out.push_back(c < g.cols ? PaddedWeight(g, c, k) : 0);
  return out;
}

/// The "int16 pair rows" layout of conv2d_s8_direct_dsp as int32 words
/// (each weight times `scale`: 2 for a doubled accumulator): rows padded to
/// a multiple of 4 as int16 pairs (w[k], w[k+1]); channels in pairs (an odd
/// last one with a row of zeros), a pair's rows interleaved a word at a
/// time, so that one LDRD loads both channels' words of a depth pair.
std::vector<int64_t> Int16PairRowsWords(const GemmOperands& g, int64_t scale) {
  const int64_t padded = PaddedDepth(g.depth, kDirectDspPad);
  auto w = [&](int64_t n, int64_t k) { return n < g.cols ? PaddedWeight(g, n, k, scale) : 0; };
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(PaddedDepth(g.cols, 2) * padded / 2));
  for (int64_t n = 0; n < g.cols; n += 2)
    for (int64_t k = 0; k < padded; k += 2)
      for (int64_t row = n; row < n + 2; ++row) out.push_back(Int16PairWord(w(row, k), w(row, k + 1)));
  return out;
}

/// The "wide pairs" layout (kiln/gemm.h) as int32 words (each weight times
/// `scale`: 2 for a doubled accumulator): per channel pair its two biases,
/// then each block of four int8 weights of the pairs layout as the two words
/// SXTB16 makes of it, (w[k], w[k+2]) and (w[k+1], w[k+3]) as int16 pairs, a
/// block as (n even, n+1 even, n odd, n+1 odd), then its two requantization
/// pairs; an odd last channel the same alone. One stream, one pointer: the
/// kernel keeps no bias or requantization pointer through its loops.
std::vector<int64_t> WidePairsWords(const GemmOperands& g, int64_t scale, const std::vector<int64_t>& bias,
                                    const std::vector<int64_t>& requant_pairs) {
  const int64_t padded = PaddedDepth(g.depth, kGemmDspPad);
  auto w = [&](int64_t n, int64_t k) { return PaddedWeight(g, n, k, scale); };
  auto at = [](const std::vector<int64_t>& v, int64_t i) { return v[static_cast<size_t>(i)]; };
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(g.cols * (padded / 2 + 3)));
  int64_t n = 0;
  for (; n + 2 <= g.cols; n += 2) {
    out.push_back(at(bias, n));
    out.push_back(at(bias, n + 1));
    for (int64_t k = 0; k < padded; k += 4) {
      out.push_back(Int16PairWord(w(n, k), w(n, k + 2)));
      out.push_back(Int16PairWord(w(n + 1, k), w(n + 1, k + 2)));
      out.push_back(Int16PairWord(w(n, k + 1), w(n, k + 3)));
      out.push_back(Int16PairWord(w(n + 1, k + 1), w(n + 1, k + 3)));
    }
    for (int64_t i = 2 * n; i < 2 * n + 4; ++i) out.push_back(at(requant_pairs, i));
  }
  for (; n < g.cols; ++n) {
    out.push_back(at(bias, n));
    for (int64_t k = 0; k < padded; k += 4) {
      out.push_back(Int16PairWord(w(n, k), w(n, k + 2)));
      out.push_back(Int16PairWord(w(n, k + 1), w(n, k + 3)));
    }
    for (int64_t i = 2 * n; i < 2 * n + 2; ++i) out.push_back(at(requant_pairs, i));
  }
  return out;
}

/// The "wide quads" layout (kiln/gemm.h) as int32 words, for the
/// "_wide_..._in_registers" entry points: channels in groups of four (the
/// last padded with zero channels), per group its four biases, per block of
/// four weights (the depth padded to 4) the eight words SXTB16 would make of
/// the four channels' blocks, channel by channel (even, odd), then the four
/// requantization pairs.
std::vector<int64_t> WideQuadsWords(const GemmOperands& g, int64_t scale, const std::vector<int64_t>& bias,
                                    const std::vector<int64_t>& requant_pairs) {
  const int64_t padded = PaddedDepth(g.depth, 4);
  auto w = [&](int64_t n, int64_t k) { return n < g.cols ? PaddedWeight(g, n, k, scale) : 0; };
  auto at = [&](const std::vector<int64_t>& v, int64_t i, int64_t n) {
    return n < g.cols ? v[static_cast<size_t>(i)] : 0;
  };
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(PaddedDepth(g.cols, 4) * (padded / 2 + 3)));
  for (int64_t n = 0; n < g.cols; n += 4) {
    for (int64_t c = n; c < n + 4; ++c) out.push_back(at(bias, c, c));
    for (int64_t k = 0; k < padded; k += 4)
      for (int64_t c = n; c < n + 4; ++c) {
        out.push_back(Int16PairWord(w(c, k), w(c, k + 2)));
        out.push_back(Int16PairWord(w(c, k + 1), w(c, k + 3)));
      }
    for (int64_t c = n; c < n + 4; ++c) {
      out.push_back(at(requant_pairs, 2 * c, c));
      out.push_back(at(requant_pairs, 2 * c + 1, c));
    }
  }
  return out;
}

/// int8 values (a multiple of 4 of them) as little-endian int32 words: an
/// int32_t array is word-aligned, so the kernel may load two words at once.
std::vector<int64_t> PackWords(const std::vector<int64_t>& bytes) {
  std::vector<int64_t> words;
  words.reserve(bytes.size() / 4);
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    uint32_t word = 0;
    for (size_t b = 0; b < 4; ++b) word |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + b])) << (8 * b);
    words.push_back(static_cast<int32_t>(word));
  }
  return words;
}

/// bias[n] + input_offset * sum_k w[n][k], exactly (not yet wrapped).
int64_t FoldedBias(const GemmOperands& g, int64_t n) {
  int64_t sum = 0;
  for (int64_t k = 0; k < g.depth; ++k) sum += g.weights[static_cast<size_t>(n * g.depth + k)];
  return g.bias[static_cast<size_t>(n)] + g.input_offset * sum;
}

/// KILN_GEMM_S8_DSP_SCRATCH_BYTES (kiln/gemm.h).
int64_t WidenedBytes(int64_t depth) { return 2 * 2 * PaddedDepth(depth, kGemmDspPad); }

}  // namespace

int64_t PaddedDepth(int64_t depth, int64_t multiple) { return (depth + multiple - 1) / multiple * multiple; }

DirectStrip DirectStripOf(const DirectWindowShape& s) {
  DirectStrip strip;
  strip.column = s.filter_h * s.input_c;
  strip.columns = (s.output_w - 1) * s.stride_w + (s.filter_w - 1) * s.dilation_w + 1;
  strip.in_place = s.dilation_w == 1 && (!s.word_aligned_windows || s.stride_w * strip.column % 2 == 0);
  return strip;
}

int64_t DirectScratchBytes(const DirectWindowShape& s) {
  const DirectStrip strip = DirectStripOf(s);
  const int64_t bytes = (strip.columns * strip.column + 1) / 2 * 4 + 8;  // words, and a window's over-read
  // Where windows are copied, three of them (pixels go in threes), each with a word of slack.
  return bytes + (strip.in_place ? 0 : 3 * (2 * PaddedDepth(s.depth, kDirectDspPad) + 4));
}

int64_t Int16PairWord(int64_t low, int64_t high) {
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint16_t>(low)) |
                              static_cast<uint32_t>(static_cast<uint16_t>(high)) << 16);
}

std::vector<int64_t> Doubled(std::vector<int64_t> values) {
  for (int64_t& v : values) v *= 2;
  return values;
}

std::vector<int64_t> FoldInputOffset(const GemmOperands& g) {
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(g.cols));
  for (int64_t n = 0; n < g.cols; ++n)
    out.push_back(static_cast<int32_t>(static_cast<uint32_t>(FoldedBias(g, n))));
  return out;
}

GemmOperands MakeGemmOperands(const Graph& graph, const Node& node, int64_t depth, int64_t cols,
                              std::vector<int64_t> weights, ChannelMultipliers requant, const IntRange& range) {
  const Tensor& output = graph.output(node);
  GemmOperands gemm;
  gemm.depth = depth;
  gemm.cols = cols;
  gemm.weights = std::move(weights);
  gemm.bias = BiasValues(graph.input(node, 2), cols);
  gemm.input_offset = -graph.input(node, 0)->quant.zero_point[0];
  gemm.requant = std::move(requant);
  gemm.output_offset = output.quant.zero_point[0];
  gemm.act_min = range.min;
  gemm.act_max = range.max;
  return gemm;
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

bool AllowsNarrowRequantization(const GemmOperands& g) {
  // Where the clamp allows RV32's kiln_requantize_narrow_relu, 2^29 and 22,
  // not 2^30 and 31: it adds the offset's rounding constant (up to 255 *
  // 2^22) to twice the accumulator.
  const bool relu = UsesRv32ReluRequant(g, /*narrow=*/true);
  const int64_t limit = int64_t{1} << (relu ? 29 : 30);
  const int max_right_shift = relu ? 22 : 31;
  for (int64_t n = 0; n < g.cols; ++n) {
    const int shift = g.requant.shift[static_cast<size_t>(n)];
    if (shift > -1 || shift < -max_right_shift) return false;
    int64_t magnitude = 0;
    for (int64_t k = 0; k < g.depth; ++k) magnitude += std::abs(g.weights[static_cast<size_t>(n * g.depth + k)]);
    if (std::abs(FoldedBias(g, n)) + 128 * magnitude >= limit) return false;
  }
  return true;
}

Expected<GemmVariant> ResolveGemmVariant(const Node& node, const Schedule& schedule, const GemmOperands& gemm) {
  GemmVariant v;
  KILN_ASSIGN_OR_RETURN(v.narrow, NarrowRequantization(node, schedule, gemm));
  v.int16_weights = schedule.knob(kInt16WeightsKnob) != 0;
  return v;
}

Schedule WithInt16Weights(Schedule dsp, int64_t depth, int64_t cols, int64_t outputs, int64_t gathered,
                          int64_t gathered_pixels) {
  dsp.knobs[kInt16WeightsKnob] = 1;
  dsp.expected_instructions = EstimateInstructions(dsp, dsp.macs, outputs, gathered, gathered_pixels);
  // The weights as int16 against the int8 "pairs" they replace (depth
  // padded to 8); in quads also the padded channels' biases and
  // requantization, and less depth padding.
  dsp.extra_flash_bytes = WidensRowsIntoScratch(dsp)
                              ? cols * PaddedDepth(depth, kGemmDspPad)
                              : PaddedDepth(cols, 4) * (2 * PaddedDepth(depth, 4) + 12) -
                                    cols * (PaddedDepth(depth, kGemmDspPad) + 12);
  return dsp;
}

Expected<bool> NarrowRequantization(const Node& node, const Schedule& schedule, const GemmOperands& gemm) {
  if (schedule.knob(kNarrowRequantKnob) == 0) return false;
  if (!AllowsNarrowRequantization(gemm))
    return MakeError("{}: schedule '{}' asks for {}=1, which this layer's shifts or accumulator range do not allow",
                     OpLabel(node), schedule.name, kNarrowRequantKnob);
  return true;
}

std::vector<int64_t> RequantPairs(const ChannelMultipliers& requant, bool narrow) {
  std::vector<int64_t> out;
  out.reserve(2 * requant.multiplier.size());
  for (size_t n = 0; n < requant.multiplier.size(); ++n) {
    out.push_back(requant.multiplier[n]);
    out.push_back(narrow ? -requant.shift[n] - 1 : requant.shift[n]);
  }
  return out;
}

bool UsesRv32ReluRequant(const GemmOperands& g, bool narrow) { return narrow && g.act_min >= g.output_offset; }

std::vector<int64_t> Rv32RequantArray(const GemmOperands& g, bool narrow) {
  if (!UsesRv32ReluRequant(g, narrow)) return RequantPairs(g.requant, narrow);
  std::vector<int64_t> out;
  out.reserve(3 * g.requant.multiplier.size());
  for (size_t n = 0; n < g.requant.multiplier.size(); ++n) {
    const int64_t r = -g.requant.shift[n];  // 1..22: the narrow bound
    // 2m < 2^32, read as unsigned by the kernel: its int32 bit pattern.
    out.push_back(static_cast<int32_t>(static_cast<uint32_t>(2 * int64_t{g.requant.multiplier[n]})));
    out.push_back(r + 1);
    out.push_back(1 + (2 * g.output_offset + 1) * (int64_t{1} << r));
  }
  return out;
}

int64_t WidenRowsDefault(int64_t depth, int64_t input_bytes) { return WidenedBytes(depth) <= input_bytes ? 1 : 0; }

bool WidensRowsIntoScratch(const Schedule& schedule) {
  // im2col always widens: its gathered windows are in scratch already, and
  // the widened copy of two of them is small.
  return schedule.name == "im2col_gemm_dsp" || (schedule.name == "gemm_dsp" && schedule.knob(kWidenRowsKnob) != 0);
}

bool IsRv32Gemm(const Schedule& schedule) {
  return schedule.name == kGemmRv32Schedule || schedule.name == std::string("im2col_") + kGemmRv32Schedule;
}

bool IsPointwiseGemmSchedule(const std::string& name) {
  return name == "gemm" || name == "gemm_dsp" || name == kGemmRv32Schedule || name == kGemmTiledSchedule;
}

std::optional<int64_t> PointwiseGemmInputLag(const Schedule& schedule) {
  if (schedule.name == kGemmTiledSchedule) {
    if (schedule.knob(kColsOuterKnob) != 0) return std::nullopt;
    return schedule.knob(kWidenRowsKnob) != 0 ? 0 : schedule.knob(kTileRowsKnob, 1) - 1;
  }
  // Rows in pairs, read for every channel pair: the portable gemm, and
  // gemm_dsp's int8 weights widened in registers. (Its widened rows are in
  // scratch first; its wide quads read a row at a time.) gemm_rv32's shaped
  // copies read rows in fours for every group of four channels.
  if (schedule.name == "gemm") return 1;
  if (schedule.name == kGemmRv32Schedule) return 3;
  if (schedule.name == "gemm_dsp" && !WidensRowsIntoScratch(schedule) && schedule.knob(kInt16WeightsKnob) == 0)
    return 1;
  return 0;
}

int64_t GemmScratchBytes(const Schedule& schedule, int64_t depth, int64_t rows) {
  // KILN_GEMM_S8_RV32_SCRATCH_BYTES: four rows interleaved (unless the
  // shaped copy reads them in place).
  if (IsRv32Gemm(schedule)) return rows >= 4 ? 4 * PaddedDepth(depth, kGemmRv32Pad) : 0;
  if (!WidensRowsIntoScratch(schedule)) return 0;
  // KILN_GEMM_S8_DSP_WIDE_SCRATCH_BYTES: int16 weights take rows in threes.
  return schedule.knob(kInt16WeightsKnob) != 0 ? WidenedBytes(depth) / 2 * 3 : WidenedBytes(depth);
}

std::string GemmScratch(const Schedule& schedule, int64_t depth, LoweringContext& ctx, int64_t rows) {
  const int64_t bytes = GemmScratchBytes(schedule, depth, rows);
  return bytes > 0 ? ctx.scratch(bytes) : "NULL";
}

std::string GemmFunction(const Schedule& schedule, const GemmVariant& variant) {
  if (schedule.name == "gemm" || schedule.name == "im2col_gemm")
    return std::string("kiln_gemm_s8") + (variant.narrow ? "_narrow" : "");
  if (IsRv32Gemm(schedule)) return std::string("kiln_gemm_s8_rv32") + (variant.narrow ? "_narrow" : "");
  return std::string("kiln_gemm_s8_dsp") + (variant.int16_weights ? "_wide" : "") + (variant.narrow ? "_narrow" : "") +
         (WidensRowsIntoScratch(schedule) ? "" : "_in_registers");
}

void EmitGemmCall(const GemmOperands& gemm, const Schedule& schedule, const GemmVariant& variant,
                  LoweringContext& ctx, const std::string& stem, const std::string& input, int64_t rows,
                  const std::string& output) {
  if (schedule.name == kGemmTiledSchedule)
    return EmitTiledGemmCall(gemm, schedule, variant, ctx, stem, input, rows, output);
  const std::string function = GemmFunction(schedule, variant);
  const std::string initializer = EmitGemmParams(gemm, schedule, variant, ctx, stem);
  EmitKernelCall(ctx, {.variant = schedule.name == "gemm"                ? "gemm_s8"
                                  : schedule.name == "gemm_dsp"        ? "gemm_s8_dsp"
                                  : schedule.name == kGemmRv32Schedule ? "gemm_s8_rv32"
                                                                       : "",
                       .entry = function,
                       .params_type = "kiln_gemm_s8_params_t",
                       .params_stem = stem + "_gemm_params",
                       .initializer = initializer,
                       .parameters = "const int8_t* input, int32_t rows, int8_t* output, void* scratch",
                       .arguments = {input, std::to_string(rows), output,
                                     GemmScratch(schedule, gemm.depth, ctx, rows)}});
}

std::string EmitGemmParams(const GemmOperands& g, const Schedule& schedule, const GemmVariant& variant,
                           LoweringContext& ctx, const std::string& stem) {
  // The direct kernels call no gemm: their own loops read these params.
  const bool direct = schedule.name == kDirectDspSchedule;
  const bool direct_rv32 = schedule.name == kDirectRv32Schedule;
  const bool dsp = schedule.name == "gemm_dsp" || schedule.name == "im2col_gemm_dsp";
  const bool rv32 = IsRv32Gemm(schedule) || direct_rv32;
  if (!direct && !direct_rv32) ctx.use_kernel(dsp ? "gemm_s8_dsp" : rv32 ? "gemm_s8_rv32" : "gemm_s8");
  // int16 weights and a narrow layer: the kernel takes the accumulator
  // doubled (KILN_REQUANT_NARROW_DOUBLED), so weights and bias are doubled here.
  const bool doubled = variant.narrow && (direct || (dsp && variant.int16_weights));
  const int64_t scale = doubled ? 2 : 1;
  const std::vector<int64_t> folded = FoldInputOffset(g);
  const std::vector<int64_t> bias_values = doubled ? Doubled(folded) : folded;
  const std::vector<int64_t> requant_pairs =
      rv32 ? Rv32RequantArray(g, variant.narrow) : RequantPairs(g.requant, variant.narrow);
  auto params = [&](const std::string& weights, const std::string& bias, const std::string& requant) {
    return fmt::format(
        "{{ .depth = {}, .cols = {}, .output_offset = {}, .act_min = {}, .act_max = {}, .weights = {}, "
        ".bias = {}, .requant = {} }}",
        g.depth, g.cols, g.output_offset, g.act_min, g.act_max, weights, bias, requant);
  };
  if (dsp && variant.int16_weights && !WidensRowsIntoScratch(schedule))
    return params("(const int8_t*)" + ctx.const_int_array(stem + "_weights", "int32_t",
                                                          WideQuadsWords(g, scale, bias_values, requant_pairs)),
                  "NULL", "NULL");
  if (dsp && variant.int16_weights)  // bias and requantization inside the weight stream
    return params("(const int8_t*)" + ctx.const_int_array(stem + "_weights", "int32_t",
                                                          WidePairsWords(g, scale, bias_values, requant_pairs)),
                  "NULL", "NULL");
  std::string weights;
  if (direct)
    weights = "(const int8_t*)" + ctx.const_int_array(stem + "_weights", "int32_t", Int16PairRowsWords(g, scale));
  else if (rv32)
    weights = ctx.const_int_array(stem + "_weights", "int8_t", ChannelQuadsLayout(g));
  else if (!dsp)
    weights = ctx.const_int_array(stem + "_weights", "int8_t", g.weights);
  else
    weights = "(const int8_t*)" + ctx.const_int_array(stem + "_weights", "int32_t", PackWords(PairsLayout(g)));
  return params(weights, ctx.const_int_array(stem + "_bias", "int32_t", bias_values),
                ctx.const_int_array(stem + "_requant", "int32_t", requant_pairs));
}

CostIsa CostIsaOf(const Target* target) {
  return target != nullptr && target->has_feature("rv32i") ? CostIsa::kRiscV : CostIsa::kArm;
}

namespace {

/// A schedule's figures in the cost model: instructions per
/// multiply-accumulate, per output value (requantize, clamp, store, loop),
/// per gathered byte and per gathered window (im2col, the direct kernels'
/// strip, the planar depthwise's planes), and on Arm the estimated cycles
/// per instruction of its code (docs/cycle-estimate.md). `pad`: the depth
/// the kernel runs over, padded with zero weights (the DSP ones), so small
/// depths pay for the padding.
struct Cost {
  const char* schedule;
  int64_t pad;
  double per_mac, per_output, per_gathered_byte, per_gathered_pixel;
  double cycles_per_instruction = 1.0;
  /// Per multiply-accumulate of the outputs computed alone (0: per_mac).
  double per_lone_mac = 0.0;
};

// Fitted to `kiln run --device qemu-cortex-m4 --per-op` of person_detect,
// micro_speech_quantized and the shapes of bench/bench_models.cc (GCC 12,
// -O2; the portable ones built for cortex-m3). Within about 20% per layer
// there (docs/schedules.md). Cycles per instruction range from 1.11 (the
// three-row gemm, its loads pipelined) to 1.36 (depthwise_dsp's border
// tests): ranking by instructions alone would prefer code that is longer
// in time.
constexpr Cost kArmCosts[] = {
    {"reference", 1, 12.0, 30.0, 0.0, 0.0, 1.3},
    {"gemm", 1, 2.5, 22.0, 0.0, 0.0, 1.3},
    {"gemm_dsp", kGemmDspPad, 1.15, 22.0, 0.0, 0.0, 1.29},
    {"im2col_gemm", 1, 2.5, 22.0, 7.0, 300.0, 1.3},
    {"im2col_gemm_dsp", kGemmDspPad, 1.15, 22.0, 7.0, 300.0, 1.29},
    {"depthwise", 1, 7.0, 25.0, 0.0, 0.0, 1.3},
    // gathered pixels: the output values whose window crosses the image's
    // edge, which test each tap (person_detect's nine layers, within 7%).
    {"depthwise_dsp", 1, 2.5, 8.25, 0.0, 7.3, 1.36},
    // gathered: the strip's values (and the copied windows' where a window
    // is not read in place). Fitted for three pixels by two channels to a
    // ResNet-8 shape's 3x3 layers (depth 27 to 576), micro_speech's and
    // person_detect's first layer: within 5%.
    {kDirectDspSchedule, kDirectDspPad, 1.02, 8.4, 5.2, 0.0, 1.19},
    // MACs: those of the outputs computed (an odd row's last as a pair);
    // gathered: the planes' bytes, four channels copied at once. Fitted to
    // person_detect's ten layers with the shape-specialised kernels, then
    // the copy and the cycles per instruction to the sixteen layers of the
    // MobileNet V1 and V2 shapes of bench/bench_models.cc at stride 1 and 2:
    // within 5% but for the 6x6 and 3x3 layers (-7% to +14%).
    {kPlanarDepthwiseSchedule, 1, 1.33, 11.1, 1.13, 0.0, 1.09},
};
// int16 weights with rows widened into scratch: no SXTB16 of the weights,
// rows in threes, five pipelined loads per six SMLADs, each channel's
// requantization loaded once for three outputs from the weight stream
// (person_detect's 1x1 layers, depth 8 to 256, within 5%).
constexpr Cost kArmInt16Weights = {"", kGemmDspPad, 0.97, 9.0, 0.0, 0.0, 1.13};
// int16 weights without widened rows ("wide quads"): four channels per
// block of four inputs, the depth padded to 4 (the autoencoder shape of
// bench/bench_models.cc, depth 8 to 640: within 10%).
constexpr Cost kArmWideQuads = {"", 4, 1.31, 10.0, 0.0, 0.0, 1.16};
// int8 weights without widened rows: each block of four inputs widened in
// registers, then per channel its weights by SXTB16 (the same shape, before
// the wide quads: 25 instructions per 16 MACs, within 2%).
constexpr Cost kArmInRegisters = {"", 4, 1.5625, 11.7, 0.0, 0.0, 1.28};

// The schedules RV32 runs (rv32imac, GCC 12, -O2; its board counts
// instructions: one per cycle here). The portable ones fitted to `kiln
// micro time --per-op` of person_detect; the RV32 ones to `kiln tune --board
// qemu-rv32`'s measurements of each candidate on every layer of
// person_detect, micro_speech_quantized and the int8 shapes of
// bench/bench_models.cc (15 to 28 layers each), within the error given.
constexpr Cost kRiscVCosts[] = {
    {"reference", 1, 25.0, 30.0, 0.0, 0.0},
    {"gemm", 1, 4.25, 24.0, 0.0, 0.0},
    {"im2col_gemm", 1, 4.25, 24.0, 3.5, 0.0},
    {"depthwise", 1, 17.0, 25.0, 0.0, 0.0},
    // Lone outputs: the rows past the last block of four (a fully connected
    // layer's single row), four channels a step (within 15%; 7% for the
    // convolutions).
    {kGemmRv32Schedule, kGemmRv32Pad, 2.55, 14.3, 0.0, 0.0, 1.0, 3.95},
    // Four windows a call, each gathered then interleaved (within 5%).
    {"im2col_gemm_rv32", kGemmRv32Pad, 2.58, 21.7, 9.6, 98.0},
    // MACs: those of the outputs computed (pairs), weighted at stride 2
    // across (conv.cc); gathered: the planes' bytes (within 16%).
    {kPlanarRv32DepthwiseSchedule, 1, 3.63, 0.0, 0.34, 0.0},
    // gathered: the strip's values, as for direct_dsp. Lone outputs: a
    // row's last pixel where output_w % 3 is 1, computed alone (a last two
    // take a pair block, near the cost of three; within 5%).
    {kDirectRv32Schedule, kGemmRv32Pad, 2.66, 14.9, 5.6, 0.0, 1.0, 4.24},
};

/// The figures of `schedule` (its name, and its int16_weights and
/// widen_rows knobs: their figures replace the multiply's, the gathering's
/// stay), or nothing for a schedule the model does not know.
std::optional<Cost> CostOf(const Schedule& schedule, CostIsa isa) {
  for (Cost c : isa == CostIsa::kRiscV ? std::span<const Cost>(kRiscVCosts) : std::span<const Cost>(kArmCosts))
    if (schedule.name == c.schedule) {
      const bool int16_weights = schedule.knob(kInt16WeightsKnob) != 0;
      const bool in_registers = schedule.name == "gemm_dsp" && !WidensRowsIntoScratch(schedule);
      if (isa == CostIsa::kArm && (int16_weights || in_registers)) {
        const Cost& wide = !in_registers ? kArmInt16Weights : int16_weights ? kArmWideQuads : kArmInRegisters;
        c.pad = wide.pad;
        c.per_mac = wide.per_mac;
        c.per_output = wide.per_output;
        c.cycles_per_instruction = wide.cycles_per_instruction;
      }
      return c;
    }
  return std::nullopt;
}

/// Cycles per instruction of the code the cost model does not know (the
/// element-wise and table schedules): the DSP kernels' middle.
constexpr double kDefaultCyclesPerInstruction = 1.25;

}  // namespace

int64_t EstimateInstructions(const Schedule& schedule, int64_t macs, int64_t outputs, int64_t gathered,
                             int64_t gathered_pixels, CostIsa isa, int64_t lone_outputs) {
  const std::optional<Cost> c = CostOf(schedule, isa);
  if (!c) return 0;
  const int64_t run_depth = outputs > 0 ? PaddedDepth(macs / outputs, c->pad) : 0;
  const int64_t run_macs = outputs > 0 ? outputs * run_depth : macs;
  const int64_t lone_macs = c->per_lone_mac > 0 ? std::min(lone_outputs, outputs) * run_depth : 0;
  return static_cast<int64_t>(c->per_mac * static_cast<double>(run_macs - lone_macs) +
                              c->per_lone_mac * static_cast<double>(lone_macs) +
                              c->per_output * static_cast<double>(outputs) +
                              c->per_gathered_byte * static_cast<double>(gathered) +
                              c->per_gathered_pixel * static_cast<double>(gathered_pixels));
}

int64_t ExpectedCost(const Schedule& schedule, CostIsa isa) {
  if (isa == CostIsa::kRiscV) return schedule.expected_instructions;
  const std::optional<Cost> c = CostOf(schedule, isa);
  const double cpi = schedule.cycles_per_instruction > 0 ? schedule.cycles_per_instruction
                     : c                                 ? c->cycles_per_instruction
                                                         : kDefaultCyclesPerInstruction;
  return static_cast<int64_t>(cpi * static_cast<double>(schedule.expected_instructions));
}

}  // namespace kiln
