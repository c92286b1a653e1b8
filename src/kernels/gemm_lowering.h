// Lowering to the int8 matrix multiply of runtime/include/kiln/gemm.h, shared
// by the fast schedules of CONV_2D, DEPTHWISE_CONV_2D (one input channel) and
// FULLY_CONNECTED: the weights laid out for the schedule, the input offset
// folded into the bias, and the schedules' cost model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/conv_common.h"
#include "kernels/lowering.h"
#include "kernels/quant_params.h"

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

/// The operands of a weighted operator (input 0, weights 1, optional bias 2)
/// as a gemm: `weights` [cols, depth] and `requant` per channel as the
/// operator lays them out; the bias, offsets and the activation's clamp
/// from its tensors.
GemmOperands MakeGemmOperands(const Graph& graph, const Node& node, int64_t depth, int64_t cols,
                              std::vector<int64_t> weights, ChannelMultipliers requant, const IntRange& range);

/// The knob of the fast schedules that picks the "_narrow" entry points of
/// their kernels (kiln_requantize_narrow): 1 where the layer allows it.
inline constexpr char kNarrowRequantKnob[] = "narrow_requant";

/// Whether every channel of the layer can be requantized by
/// kiln_requantize_narrow: shift <= -1, and the accumulator bounded below
/// 2^30 by the folded bias, the weights and the int8 input range
/// (|bias'| + 128 * sum_k |w[n][k]|). Where the clamp's lower bound is at or
/// above the output offset, so that RV32 kernels take
/// kiln_requantize_narrow_relu: shift >= -22, and below 2^29.
bool AllowsNarrowRequantization(const GemmOperands& gemm);

/// The schedule's narrow_requant knob, checked against the layer: an error
/// names the node when the knob asks for what the layer does not allow.
Expected<bool> NarrowRequantization(const Node& node, const Schedule& schedule, const GemmOperands& gemm);

/// The requantization array of a kernel entry point (kiln/gemm.h): per
/// channel the pair (multiplier, shift), the shift TFLite's or, for the
/// narrow ones, the right shift minus one (-shift - 1).
std::vector<int64_t> RequantPairs(const ChannelMultipliers& requant, bool narrow);

/// Whether the RV32 kernels requantize the layer with
/// kiln_requantize_narrow_relu: narrow, and the clamp's lower bound at or
/// above the output offset (kiln_gemm_s8_clamp_t's `relu`, the kernels' own
/// test of the same fields).
bool UsesRv32ReluRequant(const GemmOperands& gemm, bool narrow);

/// The requantization array of the RV32 kernels (kiln/rv32_common.h): per
/// channel the triple (2m, r + 1, 1 + (2 offset + 1) 2^r) where
/// UsesRv32ReluRequant, r the right shift; RequantPairs otherwise.
std::vector<int64_t> Rv32RequantArray(const GemmOperands& gemm, bool narrow);

/// The knob of gemm_dsp and im2col_gemm_dsp that reads the weights widened
/// to int16 at compile time ("wide pairs", kiln/gemm.h): no SXTB16 of the
/// weights in the inner loop, at twice their flash (Schedule::
/// extra_flash_bytes, paid from the flash budget). With the input rows
/// widened into scratch, rows in threes ("wide pairs"); without, each row
/// as it is, four channels at a time ("wide quads": a fully connected layer
/// at batch 1).
inline constexpr char kInt16WeightsKnob[] = "int16_weights";

/// The convolution schedule whose windows are gathered straight into int16
/// (conv2d_s8_direct_dsp): it emits gemm params, in its own weight layout.
inline constexpr char kDirectDspSchedule[] = "direct_dsp";

/// Its RV32 counterpart (conv2d_s8_direct_rv32): int8 weights in channel
/// quads, three pixels by four channels.
inline constexpr char kDirectRv32Schedule[] = "direct_rv32";

/// The depthwise 3x3 schedule that computes one channel at a time from a
/// padded plane, stride 1 or 2 across (depthwise_conv2d_s8_planar_dsp).
inline constexpr char kPlanarDepthwiseSchedule[] = "depthwise_planar_dsp";
/// Its RV32 counterpart (depthwise_conv2d_s8_planar_rv32).
inline constexpr char kPlanarRv32DepthwiseSchedule[] = "depthwise_planar_rv32";
/// depthwise_planar_dsp's planes in scratch: 1, or 4 (four channels copied
/// at once, three planes more RAM; offered where the input has four
/// channels or more).
inline constexpr char kPlanesKnob[] = "planes";

/// The matrix multiply blocked for RV32 (gemm_s8_rv32: 4 rows x 4 channels,
/// 31 registers, no multiply-accumulate); "im2col_" + it for convolutions.
inline constexpr char kGemmRv32Schedule[] = "gemm_rv32";
/// What the RV32 schedules rely on: the base ISA's 31 registers, and the M
/// extension.
inline const std::vector<std::string> kRv32Features = {"rv32i", "m"};
/// Its depth padding (4 steps per iteration) and rows per block.
inline constexpr int64_t kGemmRv32Pad = 4;
/// The rows of `rows` that gemm_rv32 computes one at a time: those past
/// its last block of four.
constexpr int64_t Rv32LoneRows(int64_t rows) { return rows % kGemmRv32Pad; }

/// Which core's instructions the cost model counts: the same schedule
/// costs differently on Cortex-M (Thumb-2, 13 registers, SMLAD) and RV32
/// (31 registers, no multiply-accumulate).
enum class CostIsa { kArm, kRiscV };
/// RISC-V for targets with the "rv32i" feature, else Arm (also without a target).
CostIsa CostIsaOf(const Target* target);

/// The depth the DSP kernels run over: padded with zero weights to a
/// multiple of 8 (gemm_s8_dsp: two blocks of 4 per iteration) or of 4
/// (conv2d_s8_direct_dsp: one block).
inline constexpr int64_t kGemmDspPad = 8;
inline constexpr int64_t kDirectDspPad = 4;
int64_t PaddedDepth(int64_t depth, int64_t multiple);

/// The shapes conv2d_s8_direct_dsp's scratch depends on.
struct DirectWindowShape {
  int64_t depth = 0;  ///< filter_h * filter_w * input_c
  int64_t input_c = 0, filter_h = 0, filter_w = 0, dilation_w = 1, output_w = 0, stride_w = 1;
  /// Whether windows must start on a word to be read in place (direct_dsp's
  /// LDRD); direct_rv32 reads any.
  bool word_aligned_windows = true;
};
/// The strip of a direct kernel (kiln/conv_strip.h): its columns of
/// `column` int16 values, and whether windows are read from it in place.
struct DirectStrip {
  int64_t column = 0, columns = 0;
  bool in_place = false;
};
DirectStrip DirectStripOf(const DirectWindowShape& shape);
/// KILN_CONV2D_S8_DIRECT_DSP_SCRATCH_BYTES (kiln/kernels/conv2d_s8_direct_dsp.h):
/// the strip of an output row's widened input, column by column, and where
/// windows are not read from it in place, three windows of int16 values.
int64_t DirectScratchBytes(const DirectWindowShape& shape);

/// Two int16 values as one little-endian word (low first), as SMLAD reads them.
int64_t Int16PairWord(int64_t low, int64_t high);

/// Which entry point of a gemm schedule's kernel a layer calls.
struct GemmVariant {
  bool narrow = false;         ///< kiln_requantize_narrow (kNarrowRequantKnob)
  bool int16_weights = false;  ///< "wide pairs" weights (kInt16WeightsKnob)
};

/// The schedule's knobs checked against the layer: an error names the node
/// when a knob asks for what the layer or the other knobs do not allow.
Expected<GemmVariant> ResolveGemmVariant(const Node& node, const Schedule& schedule, const GemmOperands& gemm);

/// The gemm_dsp (or im2col_gemm_dsp) candidate `dsp` with int16 weights,
/// for a layer of `depth` x `cols` weights: "wide pairs" where its rows are
/// widened into scratch, else "wide quads" (kiln/gemm.h).
Schedule WithInt16Weights(Schedule dsp, int64_t depth, int64_t cols, int64_t outputs, int64_t gathered,
                          int64_t gathered_pixels);

/// Emits the arrays of a gemm schedule (gemm, gemm_dsp, the im2col_ ones,
/// direct_dsp) and returns the C initializer of its kiln_gemm_s8_params_t
/// ("{ .depth = ..., ... }"); a gemm schedule's runtime kernel is marked used.
std::string EmitGemmParams(const GemmOperands& gemm, const Schedule& schedule, const GemmVariant& variant,
                           LoweringContext& ctx, const std::string& stem);

/// The knob of gemm_dsp (im2col_gemm_dsp always widens) that widens two input rows at a time into a
/// scratch buffer (4 bytes per depth step) rather than in registers once per
/// channel pair: 1 when that buffer is no larger than the layer's input, so
/// that the speed never costs more RAM than the input itself holds.
inline constexpr char kWidenRowsKnob[] = "widen_rows";
int64_t WidenRowsDefault(int64_t depth, int64_t input_bytes);

/// Whether the schedule's gemm widens two input rows into a scratch buffer.
bool WidensRowsIntoScratch(const Schedule& schedule);

/// The scratch bytes a gemm schedule's kernel takes for a depth of K, and
/// the C argument for it (a planned scratch buffer, or NULL).
/// `rows`: the most rows one call takes (gemm_rv32 needs no scratch below 4:
/// it interleaves rows four at a time where it does not read them in place).
int64_t GemmScratchBytes(const Schedule& schedule, int64_t depth, int64_t rows = INT64_MAX);
/// "gemm_rv32" or "im2col_gemm_rv32".
bool IsRv32Gemm(const Schedule& schedule);
/// The gemm schedules that run a 1x1 convolution's pixels as rows (gemm,
/// gemm_dsp, gemm_rv32, gemm_tiled), against the im2col_ ones.
bool IsPointwiseGemmSchedule(const std::string& name);
/// How far behind the pixel whose output it writes such a schedule may still
/// read input pixels: 0 where each tile of rows is copied (widened or
/// interleaved into scratch) before any of its outputs is written, or read
/// one row at a time; the tile's rows less one where a tile is read for
/// every channel tile (a tile crossing into the next image row writes that
/// row's outputs first); nothing (std::nullopt) where every channel tile
/// reads every row, which no streaming overlap allows.
std::optional<int64_t> PointwiseGemmInputLag(const Schedule& schedule);
std::string GemmScratch(const Schedule& schedule, int64_t depth, LoweringContext& ctx, int64_t rows = INT64_MAX);

/// The C function of a gemm schedule (gemm, gemm_dsp, or the im2col_ ones):
/// "kiln_gemm_s8[_dsp][_wide][_narrow][_in_registers]".
std::string GemmFunction(const Schedule& schedule, const GemmVariant& variant);

/// Declares a gemm schedule's params (stem `stem`) and calls its kernel on
/// `rows` rows of `input` (kernels/specialise.h).
void EmitGemmCall(const GemmOperands& gemm, const Schedule& schedule, const GemmVariant& variant,
                  LoweringContext& ctx, const std::string& stem, const std::string& input, int64_t rows,
                  const std::string& output);

/// bias[n] + input_offset * sum_k w[n][k], wrapped to int32 as the kernels'
/// accumulators wrap.
std::vector<int64_t> FoldInputOffset(const GemmOperands& gemm);

/// Each value times 2: the int16 weights and folded bias of the narrow entry
/// points that take a doubled accumulator (KILN_REQUANT_NARROW_DOUBLED,
/// kiln/gemm.h). The narrow bound |acc| < 2^29 keeps them in range.
std::vector<int64_t> Doubled(std::vector<int64_t> values);

/// An integer constant tensor's values (empty for an activation).
std::vector<int64_t> ConstantValues(const Tensor& tensor);

/// The bias of a gemm of `cols` channels: the constant's values, or zeros
/// without one.
std::vector<int64_t> BiasValues(const Tensor* bias, int64_t cols);

/// What the fast int8 schedules of a weighted operator (input 0, weights 1,
/// optional bias 2) rely on: TFLite's arithmetic (symmetric weights, its
/// rounding) and weights and bias known at compile time, to re-lay and fold.
bool FoldableInt8Weights(const Graph& graph, const Node& node);

/// The cost model of the int8 schedules (docs/schedules.md): instructions
/// of `isa` for `macs` multiply-accumulates producing `outputs` values,
/// plus, for im2col, `gathered` bytes copied in `gathered_pixels` windows.
/// `lone_outputs` of the outputs are computed outside the kernel's register
/// block (the RV32 kernels' last rows or pixels, one at a time), whose
/// multiply-accumulates cost more. Fitted to measurements on
/// qemu-cortex-m4 (the portable schedules built for cortex-m3) and on
/// qemu-rv32; `schedule`'s name and knobs (int16 weights) pick the figures.
int64_t EstimateInstructions(const Schedule& schedule, int64_t macs, int64_t outputs, int64_t gathered = 0,
                             int64_t gathered_pixels = 0, CostIsa isa = CostIsa::kArm, int64_t lone_outputs = 0);

/// The figure the default choice of schedules minimises (ChooseSchedules):
/// on Arm the estimated Cortex-M4 cycles, the schedule's expected
/// instructions times its code's cycles per instruction; on RV32 the
/// instructions (its board counts instructions).
int64_t ExpectedCost(const Schedule& schedule, CostIsa isa);

}  // namespace kiln
