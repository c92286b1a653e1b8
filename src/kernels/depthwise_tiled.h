// The "depthwise_tiled" schedule
// (runtime/include/kiln/kernels/depthwise_conv2d_s8_tiled.h): an int8
// DEPTHWISE_CONV_2D of depth multiplier 1 as a loop nest whose tiling is
// data. Its space is generated from the loop nest (pixels x channel quads
// per tile, which operand is pre-expanded to int16, whether loads are
// hoisted, whether the padded input rows are copied, whether the taps are
// unrolled), pruned by the registers a tile needs, and each point costed by
// counting the nest's instructions: what `kiln tune --auto-schedule`
// searches (docs/tuning.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/gemm_lowering.h"
#include "kernels/schedule.h"

namespace kiln {

inline constexpr char kDepthwiseTiledSchedule[] = "depthwise_tiled";
/// Its knobs (kiln_depthwise_conv2d_s8_tiled_params_t), besides
/// kInt16WeightsKnob, kHoistLoadsKnob and kNarrowRequantKnob.
inline constexpr char kTilePixelsKnob[] = "tile_pixels";
inline constexpr char kTileQuadsKnob[] = "tile_quads";
inline constexpr char kPadCopyKnob[] = "pad_copy";
inline constexpr char kUnrollTapsKnob[] = "unroll_taps";

/// Registers a tile may keep live beyond the core's allocatable ones: each
/// is a spill that the count charges on every tap.
inline constexpr int kDepthwiseTiledSpillAllowance = 3;

/// The layer a tiled depthwise convolution would run (depth multiplier 1).
struct TiledDepthwiseLayer {
  int64_t batches = 1, input_h = 0, input_w = 0, channels = 0;
  int64_t filter_h = 0, filter_w = 0, output_h = 0, output_w = 0;
  int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1, pad_h = 0, pad_w = 0;
  bool narrow = false;  ///< the layer allows kiln_requantize_narrow
};

/// Whether the kernel takes the layer: channels a multiple of 4 (it reads
/// whole words of each pixel), a filter of at most
/// KILN_DEPTHWISE_TILED_MAX_FILTER_H rows.
bool TiledDepthwiseApplies(const TiledDepthwiseLayer& layer);

/// The registers a tile of the schedule's knobs keeps live while it runs a
/// tap: the sums, the quads' weight pairs, the input words (every pixel's
/// where the loads are hoisted), and the pointers (and, looping over the
/// taps, the loop's).
int TiledDepthwiseRegisters(const Schedule& schedule);

/// The space: every tiling the loop nest allows for `layer` whose registers
/// fit the core (with the spill allowance), each a Schedule (generated,
/// "dsp") with the nest's estimate of instructions and cycles, `macs` the
/// layer's.
std::vector<Schedule> TiledDepthwiseSpace(const TiledDepthwiseLayer& layer, int64_t macs);

/// The one point offered without `--auto-schedule`, for filters other
/// than 3x3 (whose windows depthwise_dsp runs in generic loops): one pixel
/// by one quad, int16 weights, hoisted loads, padded rows copied, taps
/// unrolled; the measured best of a 5x5 layer's space (docs/tuning.md).
/// Not `generated`: the default choice may take it.
Schedule TiledDepthwiseDefault(const TiledDepthwiseLayer& layer, int64_t macs);

/// The scratch the schedule's kernel takes: the ring of padded rows with
/// pad_copy, else none.
int64_t TiledDepthwiseScratchBytes(const TiledDepthwiseLayer& layer, const Schedule& schedule);

/// The kernel's weight stream at the schedule's point, as int32 words
/// (kiln/kernels/depthwise_conv2d_s8_tiled.h): per channel block the folded
/// biases, the weights per tap and the requantization pairs of the `narrow`
/// entry point (weights and biases doubled where it takes a doubled
/// accumulator). `per_channel` has a row of `taps` weights per channel.
std::vector<int64_t> TiledDepthwiseStream(const GemmOperands& per_channel, const Schedule& schedule, bool narrow);

/// Declares the kernel's params (`window` the C initializer of its
/// kiln_conv_window_t) and weight stream, and calls it from `input` to
/// `output`.
void EmitTiledDepthwiseCall(const GemmOperands& per_channel, const TiledDepthwiseLayer& layer,
                            const Schedule& schedule, bool narrow, const std::string& window, LoweringContext& ctx,
                            const std::string& input, const std::string& output);

}  // namespace kiln
