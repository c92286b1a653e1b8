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
