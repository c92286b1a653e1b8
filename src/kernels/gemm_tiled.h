// The "gemm_tiled" schedule (runtime/include/kiln/kernels/gemm_s8_tiled.h):
// the int8 matrix multiply of a 1x1 CONV_2D or a FULLY_CONNECTED layer as a
// loop nest whose tiling is data. Its space is generated from the loop nest
// (rows x channels per tile, depth unrolling, loop order, which operand is
// pre-expanded to int16 or copied), pruned by the registers a tile needs,
// and each point costed by counting the nest's instructions: what `kiln
// tune --auto-schedule` searches (docs/tuning.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/gemm_lowering.h"
#include "kernels/schedule.h"

namespace kiln {

inline constexpr char kGemmTiledSchedule[] = "gemm_tiled";
/// A general CONV_2D's windows gathered as im2col_gemm_dsp gathers them,
/// `pixels_per_call` at a time, and multiplied by the tiled gemm
/// (conv2d_s8_im2col_tiled): its points are gemm_tiled's, with that knob.
inline constexpr char kIm2colTiledSchedule[] = "im2col_tiled";
/// Its knobs (kiln_gemm_s8_tiled_params_t), besides kInt16WeightsKnob,
/// kWidenRowsKnob and kNarrowRequantKnob.
inline constexpr char kTileRowsKnob[] = "tile_rows";
inline constexpr char kTileColsKnob[] = "tile_cols";
inline constexpr char kUnrollKnob[] = "unroll";
inline constexpr char kColsOuterKnob[] = "cols_outer";
inline constexpr char kHoistLoadsKnob[] = "hoist_loads";

/// The registers Thumb-2 code may allocate (r0-r12 and lr).
inline constexpr int kArmAllocatableRegisters = 14;

/// The layer a tiled gemm would run.
struct TiledGemmLayer {
  int64_t rows = 0, cols = 0, depth = 0;
  bool narrow = false;  ///< the layer allows kiln_requantize_narrow
};

/// Whether the kernel takes a layer of this depth (a multiple of 4: it reads
/// whole words of each row).
bool TiledGemmApplies(int64_t depth);

/// The registers a tile of the schedule's knobs keeps live in its inner
/// loop: the sums, the half-words of its rows (with their words where
/// widened in registers), a weight word (every channel's with hoisted
/// loads), and three pointers and counters.
int TiledGemmRegisters(const Schedule& schedule);

/// The space: every tiling the loop nest allows for `layer` whose registers
/// fit the core, each a Schedule (generated, "dsp") with the nest's
/// estimate of instructions and cycles, `macs` the layer's.
std::vector<Schedule> TiledGemmSpace(const TiledGemmLayer& layer, int64_t macs);

/// The space of a general CONV_2D whose windows are `depth` bytes (padded
/// to a multiple of 4 for the multiply) over `pixels` output pixels: for
/// each pixels_per_call of 4, 8 and 16 (no more than the pixels), the tiled
/// gemm's points over that many rows, their counts times the calls, plus
/// the gathering.
std::vector<Schedule> TiledIm2colSpace(int64_t pixels, int64_t cols, int64_t depth, bool narrow, int64_t macs);

/// The C initializer of a kiln_gemm_s8_tiled_params_t at the schedule's
/// point, its weights the array `weights` (TiledGemmStream's).
std::string TiledGemmInitializer(const GemmOperands& gemm, const Schedule& schedule, const std::string& weights);

/// KILN_GEMM_S8_TILED_SCRATCH_BYTES of the schedule's point for calls of at
/// most `rows` rows (0 without widened rows).
int64_t TiledGemmScratchBytes(const Schedule& schedule, int64_t rows, int64_t depth);

/// Declares the tiled gemm's params and weights (the "tiles" layout) and
/// calls its kernel on `rows` rows of `input`.
void EmitTiledGemmCall(const GemmOperands& gemm, const Schedule& schedule, const GemmVariant& variant,
                       LoweringContext& ctx, const std::string& stem, const std::string& input, int64_t rows,
                       const std::string& output);

/// The kernel's weight stream at the schedule's point, in the "tiles" layout
/// (kiln/kernels/gemm_s8_tiled.h) as int32 words: the folded biases, the
/// weights and the requantization pairs of the `narrow` entry point (weights
/// and biases doubled where it takes a doubled accumulator).
std::vector<int64_t> TiledGemmStream(const GemmOperands& gemm, const Schedule& schedule, bool narrow);

}  // namespace kiln
