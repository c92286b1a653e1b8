#include "kernels/depthwise_tiled.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernels/conv_common.h"
#include "kernels/gemm_tiled.h"
#include "kernels/specialise.h"

namespace kiln {
namespace {

/// KILN_DEPTHWISE_TILED_MAX_FILTER_H and the tile's bounds
/// (kiln/kernels/depthwise_conv2d_s8_tiled.h).
constexpr int64_t kMaxFilterH = 8;
constexpr int64_t kMaxPixels = 4;
constexpr int64_t kMaxQuads = 2;

/// One point of the nest: the knobs as numbers.
struct Tiling {
  int64_t pixels = 1, quads = 1;
  bool int16_weights = true, hoist_loads = false, pad_copy = false, unroll_taps = true, narrow = false;
};

Tiling TilingOf(const Schedule& s) {
  Tiling t;
  t.pixels = s.knob(kTilePixelsKnob, 1);
  t.quads = s.knob(kTileQuadsKnob, 1);
  t.int16_weights = s.knob(kInt16WeightsKnob) != 0;
  t.hoist_loads = s.knob(kHoistLoadsKnob) != 0;
  t.pad_copy = s.knob(kPadCopyKnob) != 0;
  t.unroll_taps = s.knob(kUnrollTapsKnob) != 0;
  t.narrow = s.knob(kNarrowRequantKnob) != 0;
  return t;
}

int Registers(const Tiling& t) {
  const int64_t sums = 4 * t.pixels * t.quads;
  const int64_t weights = 2 * t.quads;                       // a quad's two pairs, each quad's live across pixels
  const int64_t inputs = t.hoist_loads ? t.pixels + 1 : 2;   // the words (one split into halves), or one's halves
  // the tap, the stream and the output; looping, the counters too
  const int64_t pointers = t.unroll_taps ? 3 : 5;
  return static_cast<int>(sums + weights + inputs + pointers);
}

/// The nest's count, in instructions and in Cortex-M4 cycles (TRM table
/// 3-1: a load 2 cycles, a neighbouring one 1 more; a taken branch 3).
struct Count {
  double instructions = 0, cycles = 0;
  void add(double times, const Count& c) {
    instructions += times * c.instructions;
    cycles += times * c.cycles;
  }
};

/// The output stage of one value: narrow, SMMULR, the tie, the shift, the
/// offset, SSAT, STRB (one more to double the sum where the weights are
/// not); else the full requantization (about twenty).
double StageInstructions(const Tiling& t) { return t.narrow ? (t.int16_weights ? 6.0 : 7.0) : 20.0; }

/// One interior tile of `p` pixels x `q` quads: per tap the weights' loads
/// (and two SXTB16 each where int8), the input words' loads and two SXTB16
/// each, four multiplies per word, the loop where the taps are not
/// unrolled, a spill per register over the core's; per tile the biases,
/// the requantization pairs, the output stage, the row pointers.
Count TileCount(const Tiling& t, int64_t p, int64_t q, int64_t taps, int64_t filter_h) {
  Tiling tile = t;
  tile.pixels = p;
  tile.quads = q;
  const double spills = std::max(0, Registers(tile) - kArmAllocatableRegisters);
  const double weight_loads = t.int16_weights ? 2.0 * q : 1.0 * q;
  const double weight_extends = t.int16_weights ? 0.0 : 2.0 * q;
  const double input_loads = 1.0 * p * q;
  const double loop = t.unroll_taps ? 0.0 : 3.0;
  // A spilled register: its reload, its store and a move around them, 6
  // cycles (set from the measurements in docs/tuning.md: GCC spills the
  // sums, which every tap updates).
  const double tap = weight_loads + weight_extends + input_loads + 2.0 * p * q + 4.0 * p * q + loop + 3.0 * spills;
  // Hoisted, a tap's loads run together: the first 2 cycles, the rest 1.
  // Else each sits between multiplies and takes 2. The branch back: 2 more.
  const double tap_cycles = tap + (t.hoist_loads ? 1.0 : weight_loads + input_loads) + (t.unroll_taps ? 0.0 : 2.0) +
                            3.0 * spills;
  const double values = 4.0 * p * q;
  const double fixed = 4.0 * q + 4.0 * q * (p - 1) + 8.0 * q + static_cast<double>(filter_h) + 8.0;
  Count c;
  c.instructions = static_cast<double>(taps) * tap + fixed + StageInstructions(t) * values;
  c.cycles = static_cast<double>(taps) * tap_cycles + fixed + 12.0 * q + (StageInstructions(t) + 1.0) * values;
  return c;
}

/// One border pixel, a block of `q` quads: each tap tested (about five
/// instructions), then as a tile's.
Count BorderCount(const Tiling& t, int64_t q, int64_t taps) {
  const double weight_loads = t.int16_weights ? 2.0 * q : 1.0 * q;
  const double weight_extends = t.int16_weights ? 0.0 : 2.0 * q;
  const double tap = 5.0 + weight_loads + weight_extends + 7.0 * q;
  const double values = 4.0 * q;
  const double fixed = 12.0 * q + 10.0;
  Count c;
  c.instructions = static_cast<double>(taps) * tap + fixed + StageInstructions(t) * values;
  c.cycles = static_cast<double>(taps) * (tap + weight_loads + q + 2.0) + fixed + 12.0 * q +
             (StageInstructions(t) + 1.0) * values;
  return c;
}

int64_t PaddedWidth(const TiledDepthwiseLayer& l) {
  return (l.output_w - 1) * l.stride_w + (l.filter_w - 1) * l.dilation_w + 1;
}

Count LayerCount(const Tiling& t, const TiledDepthwiseLayer& l) {
  const int64_t taps = l.filter_h * l.filter_w;
  const int64_t blocks = l.channels / (4 * t.quads), left_quads = l.channels % (4 * t.quads) / 4;
  // Every channel block of one tile of `p` pixels, and of one border pixel.
  Count tile, single, border;
  tile.add(static_cast<double>(blocks), TileCount(t, t.pixels, t.quads, taps, l.filter_h));
  tile.add(static_cast<double>(left_quads), TileCount(t, t.pixels, 1, taps, l.filter_h));
  single.add(static_cast<double>(blocks), TileCount(t, 1, t.quads, taps, l.filter_h));
  single.add(static_cast<double>(left_quads), TileCount(t, 1, 1, taps, l.filter_h));
  border.add(static_cast<double>(blocks), BorderCount(t, t.quads, taps));
  border.add(static_cast<double>(left_quads), BorderCount(t, 1, taps));
  const int64_t rows = l.batches * l.output_h;
  int64_t interior_rows = rows, interior_w = l.output_w;
  if (!t.pad_copy) {
    interior_rows = l.batches * InteriorOutputs(l.pad_h, l.input_h, l.filter_h, l.output_h, l.stride_h, l.dilation_h);
    interior_w = InteriorOutputs(l.pad_w, l.input_w, l.filter_w, l.output_w, l.stride_w, l.dilation_w);
  }
  const int64_t border_pixels = rows * l.output_w - interior_rows * interior_w;
  Count total;
  total.add(static_cast<double>(interior_rows * (interior_w / t.pixels)), tile);
  total.add(static_cast<double>(interior_rows * (interior_w % t.pixels)), single);
  total.add(static_cast<double>(border_pixels), border);
  Count per_row;
  per_row.instructions = 12.0 + 2.0 * static_cast<double>(l.filter_h);
  per_row.cycles = per_row.instructions + 6.0;
  total.add(static_cast<double>(rows), per_row);
  if (t.pad_copy) {
    // Each output row's filter rows copied (newlib's memcpy and memset:
    // about a third of an instruction a byte), and a call of each per row.
    const int64_t copied_rows = rows * l.filter_h;
    Count copy;
    copy.instructions = 0.35 * static_cast<double>(PaddedWidth(l) * l.channels) + 40.0;
    copy.cycles = 1.3 * copy.instructions;
    total.add(static_cast<double>(copied_rows), copy);
  }
  return total;
}

/// The point `t` of `layer`'s space, with the nest's count.
Schedule PointOf(const Tiling& t, const TiledDepthwiseLayer& layer, int64_t macs) {
  Schedule s;
  s.name = kDepthwiseTiledSchedule;
  s.features = {"dsp"};
  s.knobs = {{kTilePixelsKnob, t.pixels},
             {kTileQuadsKnob, t.quads},
             {kInt16WeightsKnob, t.int16_weights ? 1 : 0},
             {kHoistLoadsKnob, t.hoist_loads ? 1 : 0},
             {kPadCopyKnob, t.pad_copy ? 1 : 0},
             {kUnrollTapsKnob, t.unroll_taps ? 1 : 0},
             {kNarrowRequantKnob, layer.narrow ? 1 : 0}};
  const Count n = LayerCount(t, layer);
  s.macs = macs;
  s.expected_instructions = static_cast<int64_t>(n.instructions);
  s.cycles_per_instruction = n.instructions > 0 ? n.cycles / n.instructions : 1.0;
  // int16 weights take the bytes depthwise_dsp's quads take, which the
  // flash budget does not charge (a depthwise layer's weights are a few
  // bytes a channel): nor here, so that a record can apply them where the
  // default is depthwise_dsp.
  s.extra_flash_bytes = 0;
  return s;
}

}  // namespace

bool TiledDepthwiseApplies(const TiledDepthwiseLayer& layer) {
  return layer.channels > 0 && layer.channels % 4 == 0 && layer.filter_h >= 1 && layer.filter_h <= kMaxFilterH &&
         layer.filter_w >= 1 && layer.output_h >= 1 && layer.output_w >= 1;
}

int TiledDepthwiseRegisters(const Schedule& schedule) { return Registers(TilingOf(schedule)); }

std::vector<Schedule> TiledDepthwiseSpace(const TiledDepthwiseLayer& layer, int64_t macs) {
  std::vector<Schedule> space;
  if (!TiledDepthwiseApplies(layer)) return space;
  for (int64_t pixels = 1; pixels <= kMaxPixels && pixels <= layer.output_w; ++pixels)  // a wider tile never runs
    for (int64_t quads = 1; quads <= kMaxQuads && 4 * quads <= layer.channels; ++quads)
      for (int choice = 0; choice < 16; ++choice) {
        const Tiling t{pixels, quads, (choice & 1) == 0, (choice & 2) != 0, (choice & 4) != 0, (choice & 8) == 0,
                       layer.narrow};
        if (Registers(t) > kArmAllocatableRegisters + kDepthwiseTiledSpillAllowance) continue;
        space.push_back(PointOf(t, layer, macs));
        space.back().generated = true;
      }
  return space;
}

Schedule TiledDepthwiseDefault(const TiledDepthwiseLayer& layer, int64_t macs) {
  return PointOf({.pixels = 1, .quads = 1, .int16_weights = true, .hoist_loads = true, .pad_copy = true,
                  .unroll_taps = true, .narrow = layer.narrow},
                 layer, macs);
}

int64_t TiledDepthwiseScratchBytes(const TiledDepthwiseLayer& layer, const Schedule& schedule) {
  // KILN_DEPTHWISE_S8_TILED_SCRATCH_BYTES
  return TilingOf(schedule).pad_copy ? layer.filter_h * PaddedWidth(layer) * layer.channels : 0;
}

std::vector<int64_t> TiledDepthwiseStream(const GemmOperands& per_channel, const Schedule& schedule, bool narrow) {
  const Tiling t = TilingOf(schedule);
  const GemmOperands& g = per_channel;
  // A narrow layer with int16 weights takes its accumulator doubled
  // (KILN_REQUANT_NARROW_DOUBLED): weights and bias doubled here.
  const int64_t scale = narrow && t.int16_weights ? 2 : 1;
  const std::vector<int64_t> folded = FoldInputOffset(g);
  const std::vector<int64_t> bias = scale == 2 ? Doubled(folded) : folded;
  const std::vector<int64_t> requant_pairs = RequantPairs(g.requant, narrow);
  const int64_t taps = g.depth;
  auto w = [&](int64_t c, int64_t tap) { return scale * g.weights[static_cast<size_t>(c * taps + tap)]; };
  std::vector<int64_t> out;
  auto block = [&](int64_t first, int64_t quads) {
    const int64_t end = first + 4 * quads;
    for (int64_t c = first; c < end; ++c) out.push_back(bias[static_cast<size_t>(c)]);
    for (int64_t tap = 0; tap < taps; ++tap)
      for (int64_t c = first; c < end; c += 4) {
        if (t.int16_weights) {
          out.push_back(Int16PairWord(w(c, tap), w(c + 2, tap)));
          out.push_back(Int16PairWord(w(c + 1, tap), w(c + 3, tap)));
        } else {
          uint32_t word = 0;
          for (int64_t i = 0; i < 4; ++i) word |= static_cast<uint32_t>(static_cast<uint8_t>(w(c + i, tap))) << (8 * i);
          out.push_back(static_cast<int32_t>(word));
        }
      }
    for (int64_t i = 2 * first; i < 2 * end; ++i) out.push_back(requant_pairs[static_cast<size_t>(i)]);
  };
  const int64_t blocked = g.cols - g.cols % (4 * t.quads);
  for (int64_t c = 0; c < blocked; c += 4 * t.quads) block(c, t.quads);
  for (int64_t c = blocked; c < g.cols; c += 4) block(c, 1);
  return out;
}

void EmitTiledDepthwiseCall(const GemmOperands& per_channel, const TiledDepthwiseLayer& layer,
                            const Schedule& schedule, bool narrow, const std::string& window, LoweringContext& ctx,
                            const std::string& input, const std::string& output) {
  const Tiling t = TilingOf(schedule);
  ctx.use_kernel("depthwise_conv2d_s8_tiled");
  const std::string weights =
      ctx.const_int_array("dwconv_weights", "int32_t", TiledDepthwiseStream(per_channel, schedule, narrow));
  const std::string initializer = fmt::format(
      "{{ .dw = {{ .window = {}, .depth_multiplier = 1, .output_offset = {}, .act_min = {}, .act_max = {}, "
      ".weights = (const uint32_t*){}, .bias = NULL, .requant = NULL }}, .tile_pixels = {}, .tile_quads = {}, "
      ".int16_weights = {}, .hoist_loads = {}, .pad_copy = {}, .unroll_taps = {} }}",
      window, per_channel.output_offset, per_channel.act_min, per_channel.act_max, weights, t.pixels, t.quads,
      t.int16_weights ? 1 : 0, t.hoist_loads ? 1 : 0, t.pad_copy ? 1 : 0, t.unroll_taps ? 1 : 0);
  const int64_t scratch_bytes = TiledDepthwiseScratchBytes(layer, schedule);
  EmitKernelCall(ctx, {.variant = "depthwise_conv2d_s8_tiled",
                       .entry = std::string("kiln_depthwise_conv2d_s8_tiled") + (narrow ? "_narrow" : ""),
                       .params_type = "kiln_depthwise_conv2d_s8_tiled_params_t",
                       .params_stem = "dwconv_tiled_params",
                       .initializer = initializer,
                       .parameters = "const int8_t* input, int8_t* output, void* scratch",
                       .arguments = {input, output, scratch_bytes > 0 ? ctx.scratch(scratch_bytes) : "NULL"}});
}

}  // namespace kiln
