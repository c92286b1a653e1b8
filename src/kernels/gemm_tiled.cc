#include "kernels/gemm_tiled.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernels/specialise.h"

namespace kiln {
namespace {

/// One point of the nest: the knobs as numbers.
struct Tiling {
  int64_t rows = 1, cols = 1, unroll = 1;
  bool int16_weights = true, widen_rows = false, cols_outer = false, hoist_loads = false, narrow = false;
};

Tiling TilingOf(const Schedule& s) {
  Tiling t;
  t.rows = s.knob(kTileRowsKnob, 1);
  t.cols = s.knob(kTileColsKnob, 1);
  t.unroll = s.knob(kUnrollKnob, 1);
  t.int16_weights = s.knob(kInt16WeightsKnob) != 0;
  t.widen_rows = s.knob(kWidenRowsKnob) != 0;
  t.cols_outer = s.knob(kColsOuterKnob) != 0;
  t.hoist_loads = s.knob(kHoistLoadsKnob) != 0;
  t.narrow = s.knob(kNarrowRequantKnob) != 0;
  return t;
}

int Registers(const Tiling& t) {
  const int64_t row_values = t.widen_rows ? t.rows : 2 * t.rows;  // a half's words, and the rows' words
  // a half (every channel's when hoisted), and an int8 word being split
  const int64_t weight_values = (t.hoist_loads ? t.cols : 1) + (t.int16_weights ? 0 : 1);
  return static_cast<int>(t.rows * t.cols + row_values + weight_values + 3);
}

/// The nest's count for one tile of `r` x `c`, in instructions and in
/// Cortex-M4 cycles (TRM table 3-1: a load 2 cycles, a neighbouring one 1
/// more; a taken branch 3). Per block of four depth values: the rows' loads
/// (and two SXTB16 each where not widened), the weights' (and two SXTB16
/// each where int8), two SMLADs per sum; per turn of `unroll` blocks the
/// pointers' increments and the loop's test and branch. Per tile: the
/// biases, each channel's requantization pair, and the output stage of
/// each value (docs/schedules.md).
struct Count {
  double instructions = 0, cycles = 0;
};

Count TileCount(const Tiling& t, int64_t r, int64_t c, int64_t blocks) {
  const double row_loads = t.widen_rows ? 2.0 * r : r;
  const double row_extends = t.widen_rows ? 0.0 : 2.0 * r;
  const double weight_loads = t.int16_weights ? 2.0 * c : c;
  const double weight_extends = t.int16_weights ? 0.0 : 2.0 * c;
  const double macs = 2.0 * r * c;
  const double loop = 3.0 / static_cast<double>(t.unroll);
  const double block = row_loads + row_extends + weight_loads + weight_extends + macs + loop;
  // Hoisted, a half's loads run together: the first 2 cycles, the rest 1.
  // Else each weight load sits between multiplies and takes 2. The branch
  // back: 2 more per turn.
  const double unpipelined = t.hoist_loads ? 2.0 : 2.0 + weight_loads;
  const double block_cycles = block + unpipelined + 2.0 / static_cast<double>(t.unroll);
  // narrow: SMMULR, the tie, the shift, the offset, SSAT, STRB (one more
  // to double the sum where the weights are not); else the full
  // requantization (about twenty).
  const double stage = t.narrow ? (t.int16_weights ? 6.0 : 7.0) : 20.0;
  const double tile_fixed = 2.0 * c + r * c + 6.0;  // biases, requant pairs, sums set, call of the tile
  Count n;
  n.instructions = static_cast<double>(blocks) * block + tile_fixed + stage * r * c;
  n.cycles = static_cast<double>(blocks) * block_cycles + tile_fixed + 2.0 * c + (stage + 1.0) * r * c;
  return n;
}

Count LayerCount(const Tiling& t, const TiledGemmLayer& layer) {
  const int64_t blocks = layer.depth / 4;
  const int64_t full_rows = layer.rows / t.rows, left_rows = layer.rows % t.rows;
  const int64_t full_cols = layer.cols / t.cols, left_cols = layer.cols % t.cols;
  Count total;
  auto add = [&](int64_t tiles, int64_t r, int64_t c) {
    const Count one = TileCount(t, r, c, blocks);
    total.instructions += static_cast<double>(tiles) * one.instructions;
    total.cycles += static_cast<double>(tiles) * one.cycles;
  };
  add(full_rows * full_cols, t.rows, t.cols);
  add(full_rows * left_cols, t.rows, 1);
  add(left_rows * full_cols, 1, t.cols);
  add(left_rows * left_cols, 1, 1);
  if (t.widen_rows) {  // each row tile widened once: a load, two SXTB16 and two stores a row and block
    const double per_row = static_cast<double>(blocks) * 5.0 + 3.0;
    total.instructions += static_cast<double>(layer.rows) * per_row;
    total.cycles += static_cast<double>(layer.rows) * (per_row + static_cast<double>(blocks));
  }
  return total;
}

}  // namespace

bool TiledGemmApplies(int64_t depth) { return depth > 0 && depth % 4 == 0; }

int TiledGemmRegisters(const Schedule& schedule) { return Registers(TilingOf(schedule)); }

std::vector<Schedule> TiledGemmSpace(const TiledGemmLayer& layer, int64_t macs) {
  std::vector<Schedule> space;
  if (!TiledGemmApplies(layer.depth)) return space;
  const int64_t blocks = layer.depth / 4;
  // Every point of the nest: tile rows, tile channels, unrolling, then the
  // four choices of layout and order.
  std::vector<Tiling> points;
  for (int64_t rows = 1; rows <= 4 && rows <= layer.rows; ++rows)  // a taller tile never runs
    for (int64_t cols = 1; cols <= 4 && cols <= layer.cols; ++cols)
      for (int64_t unroll : {1, 2, 4})
        for (int choice = 0; choice < 16 && unroll <= blocks; ++choice)  // an unrolled turn past the depth never runs
          points.push_back({rows, cols, unroll, (choice & 1) == 0, (choice & 2) != 0, (choice & 4) != 0,
                            (choice & 8) != 0, layer.narrow});
  for (const Tiling& t : points) {
    // Widened rows serve every channel tile of their row tile: only with
    // row tiles outermost.
    if (t.widen_rows && t.cols_outer) continue;
    if (Registers(t) > kArmAllocatableRegisters) continue;
    Schedule s;
    s.name = kGemmTiledSchedule;
    s.generated = true;
    s.features = {"dsp"};
    s.knobs = {{kTileRowsKnob, t.rows},
               {kTileColsKnob, t.cols},
               {kUnrollKnob, t.unroll},
               {kInt16WeightsKnob, t.int16_weights ? 1 : 0},
               {kWidenRowsKnob, t.widen_rows ? 1 : 0},
               {kColsOuterKnob, t.cols_outer ? 1 : 0},
               {kHoistLoadsKnob, t.hoist_loads ? 1 : 0},
               {kNarrowRequantKnob, layer.narrow ? 1 : 0}};
    const Count n = LayerCount(t, layer);
    s.macs = macs;
    s.expected_instructions = static_cast<int64_t>(n.instructions);
    s.cycles_per_instruction = n.instructions > 0 ? n.cycles / n.instructions : 1.0;
    // int16 weights take twice the int8 weights' bytes.
    s.extra_flash_bytes = t.int16_weights ? layer.cols * layer.depth : 0;
    space.push_back(std::move(s));
  }
  return space;
}

std::vector<int64_t> TiledGemmStream(const GemmOperands& g, const Schedule& schedule, bool narrow) {
  const Tiling t = TilingOf(schedule);
  const bool int16_weights = t.int16_weights;
  // A narrow layer with int16 weights takes its accumulator doubled
  // (KILN_REQUANT_NARROW_DOUBLED): weights and bias doubled here.
  const int64_t scale = narrow && int16_weights ? 2 : 1;
  const std::vector<int64_t> folded = FoldInputOffset(g);
  const std::vector<int64_t> bias = scale == 2 ? Doubled(folded) : folded;
  const std::vector<int64_t> requant_pairs = RequantPairs(g.requant, narrow);
  auto w = [&](int64_t n, int64_t k) { return scale * g.weights[static_cast<size_t>(n * g.depth + k)]; };
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(g.cols * (g.depth / (int16_weights ? 2 : 4) + 3)));
  auto tile = [&](int64_t first, int64_t count) {
    for (int64_t n = first; n < first + count; ++n) out.push_back(bias[static_cast<size_t>(n)]);
    for (int64_t k = 0; k < g.depth; k += 4)
      for (int64_t n = first; n < first + count; ++n) {
        if (int16_weights) {
          out.push_back(Int16PairWord(w(n, k), w(n, k + 2)));
          out.push_back(Int16PairWord(w(n, k + 1), w(n, k + 3)));
        } else {
          uint32_t word = 0;
          for (int64_t i = 0; i < 4; ++i) word |= static_cast<uint32_t>(static_cast<uint8_t>(w(n, k + i))) << (8 * i);
          out.push_back(static_cast<int32_t>(word));
        }
      }
    for (int64_t i = 2 * first; i < 2 * (first + count); ++i) out.push_back(requant_pairs[static_cast<size_t>(i)]);
  };
  const int64_t tiled = g.cols - g.cols % t.cols;
  for (int64_t n = 0; n < tiled; n += t.cols) tile(n, t.cols);
  for (int64_t n = tiled; n < g.cols; ++n) tile(n, 1);
  return out;
}

std::vector<Schedule> TiledIm2colSpace(int64_t pixels, int64_t cols, int64_t depth, bool narrow, int64_t macs) {
  std::vector<Schedule> space;
  const int64_t padded = PaddedDepth(depth, 4);
  for (int64_t per_call : {4, 8, 16}) {
    if (per_call > 4 && per_call / 2 >= pixels) break;  // a smaller call took every pixel already
    const int64_t rows = std::min(per_call, pixels);
    const double calls = static_cast<double>((pixels + per_call - 1) / per_call);
    for (Schedule s : TiledGemmSpace({.rows = rows, .cols = cols, .depth = padded, .narrow = narrow}, macs)) {
      s.name = kIm2colTiledSchedule;
      s.knobs["pixels_per_call"] = per_call;
      // Each call's multiply, and each window gathered: about an
      // instruction per four bytes copied and a dozen per window row.
      const double gather = static_cast<double>(pixels) * (static_cast<double>(padded) / 4.0 + 30.0);
      const double cycles =
          calls * static_cast<double>(s.expected_instructions) * s.cycles_per_instruction + 1.5 * gather;
      s.expected_instructions = static_cast<int64_t>(calls * static_cast<double>(s.expected_instructions) + gather);
      s.cycles_per_instruction = cycles / static_cast<double>(std::max<int64_t>(s.expected_instructions, 1));
      space.push_back(std::move(s));
    }
  }
  return space;
}

std::string TiledGemmInitializer(const GemmOperands& gemm, const Schedule& schedule, const std::string& weights) {
  const Tiling t = TilingOf(schedule);
  return fmt::format(
      "{{ .gemm = {{ .depth = {}, .cols = {}, .output_offset = {}, .act_min = {}, .act_max = {}, "
      ".weights = (const int8_t*){}, .bias = NULL, .requant = NULL }}, .tile_rows = {}, .tile_cols = {}, "
      ".unroll = {}, .int16_weights = {}, .widen_rows = {}, .cols_outer = {}, .hoist_loads = {} }}",
      gemm.depth, gemm.cols, gemm.output_offset, gemm.act_min, gemm.act_max, weights, t.rows, t.cols, t.unroll,
      t.int16_weights ? 1 : 0, t.widen_rows ? 1 : 0, t.cols_outer ? 1 : 0, t.hoist_loads ? 1 : 0);
}

int64_t TiledGemmScratchBytes(const Schedule& schedule, int64_t rows, int64_t depth) {
  const Tiling t = TilingOf(schedule);
  return t.widen_rows ? 2 * std::min(t.rows, rows) * depth : 0;  // one row tile widened
}

void EmitTiledGemmCall(const GemmOperands& gemm, const Schedule& schedule, const GemmVariant& variant,
                       LoweringContext& ctx, const std::string& stem, const std::string& input, int64_t rows,
                       const std::string& output) {
  ctx.use_kernel("gemm_s8_tiled");
  const std::string weights =
      ctx.const_int_array(stem + "_weights", "int32_t", TiledGemmStream(gemm, schedule, variant.narrow));
  const int64_t scratch = TiledGemmScratchBytes(schedule, rows, gemm.depth);
  EmitKernelCall(ctx, {.variant = "gemm_s8_tiled",
                       .entry = std::string("kiln_gemm_s8_tiled") + (variant.narrow ? "_narrow" : ""),
                       .params_type = "kiln_gemm_s8_tiled_params_t",
                       .params_stem = stem + "_tiled_params",
                       .initializer = TiledGemmInitializer(gemm, schedule, weights),
                       .parameters = "const int8_t* input, int32_t rows, int8_t* output, void* scratch",
                       .arguments = {input, std::to_string(rows), output,
                                     scratch > 0 ? ctx.scratch(scratch) : "NULL"}});
}

}  // namespace kiln
