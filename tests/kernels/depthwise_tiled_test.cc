// depthwise_tiled (kernels/depthwise_tiled.h,
// runtime/include/kiln/kernels/depthwise_conv2d_s8_tiled.h): every point of
// the space generated from the loop nest, on random layers (padding,
// strides, dilation, batches, filters of 1 to 5 rows, channel counts that
// leave a quad over), against the output stage of kiln/gemm.h applied to
// sums taken tap by tap here; then a spread of points compiled as
// shape-specialised copies through the whole pipeline against the
// reference schedule (TFLite's arithmetic); and the space's pruning.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "kernels/depthwise_tiled.h"
#include "kernels/gemm_tiled.h"
#include "kernels/random_layers.h"
#include "kernels/run_schedule.h"
#include "kiln/gemm.h"
#include "kiln/kernels/depthwise_conv2d_s8_tiled.h"
#include "target/targets.h"

namespace kiln {
namespace {

struct Layer {
  TiledDepthwiseLayer shape;
  GemmOperands per_channel;  ///< a row of filter_h * filter_w weights per channel
  std::vector<int8_t> input;
};

Layer RandomLayer(std::mt19937& rng, bool narrow) {
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  Layer l;
  TiledDepthwiseLayer& s = l.shape;
  s.batches = uniform(1, 2);
  s.input_h = uniform(1, 9);
  s.input_w = uniform(1, 11);
  s.channels = 4 * uniform(1, 5);
  s.filter_h = uniform(1, 3) == 3 ? 5 : 3;
  s.filter_w = uniform(0, 3) == 0 ? 1 : s.filter_h;
  s.stride_h = uniform(1, 2);
  s.stride_w = uniform(1, 2);
  s.dilation_h = uniform(0, 3) == 0 ? 2 : 1;
  s.dilation_w = uniform(0, 3) == 0 ? 2 : 1;
  const bool same = uniform(0, 3) != 0;
  auto axis = [&](int64_t in, int64_t filter, int64_t stride, int64_t dilation, int64_t* out, int64_t* pad) {
    const int64_t eff = (filter - 1) * dilation + 1;
    *out = same ? (in + stride - 1) / stride : (in - eff) / stride + 1;
    *pad = same ? std::max<int64_t>(0, ((*out - 1) * stride + eff - in) / 2) : 0;
  };
  axis(s.input_h, s.filter_h, s.stride_h, s.dilation_h, &s.output_h, &s.pad_h);
  axis(s.input_w, s.filter_w, s.stride_w, s.dilation_w, &s.output_w, &s.pad_w);
  if (s.output_h < 1 || s.output_w < 1) return RandomLayer(rng, narrow);
  s.narrow = narrow;
  l.per_channel = test::RandomGemmOperands(rng, s.channels, s.filter_h * s.filter_w, narrow);
  for (int64_t i = 0; i < s.batches * s.input_h * s.input_w * s.channels; ++i)
    l.input.push_back(static_cast<int8_t>(uniform(-128, 127)));
  return l;
}

/// Each output from its taps (those outside the image reading the zero
/// point, which the folded bias cancels), requantized by kiln/gemm.h's
/// full output stage.
std::vector<int8_t> Expected(const Layer& l) {
  const TiledDepthwiseLayer& s = l.shape;
  const GemmOperands& g = l.per_channel;
  const std::vector<int64_t> bias = FoldInputOffset(g);
  const std::vector<int64_t> requant = RequantPairs(g.requant, /*narrow=*/false);
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(
      static_cast<int32_t>(g.output_offset), static_cast<int32_t>(g.act_min), static_cast<int32_t>(g.act_max));
  std::vector<int8_t> out;
  for (int64_t b = 0; b < s.batches; ++b)
    for (int64_t oy = 0; oy < s.output_h; ++oy)
      for (int64_t ox = 0; ox < s.output_w; ++ox)
        for (int64_t c = 0; c < s.channels; ++c) {
          int64_t acc = bias[static_cast<size_t>(c)];
          for (int64_t ky = 0; ky < s.filter_h; ++ky)
            for (int64_t kx = 0; kx < s.filter_w; ++kx) {
              const int64_t iy = oy * s.stride_h - s.pad_h + ky * s.dilation_h;
              const int64_t ix = ox * s.stride_w - s.pad_w + kx * s.dilation_w;
              const bool inside = iy >= 0 && iy < s.input_h && ix >= 0 && ix < s.input_w;
              const int64_t x =
                  inside ? l.input[static_cast<size_t>(((b * s.input_h + iy) * s.input_w + ix) * s.channels + c)]
                         : -g.input_offset;
              acc += x * g.weights[static_cast<size_t>(c * g.depth + ky * s.filter_w + kx)];
            }
          out.push_back(kiln_gemm_s8_output(clamp, static_cast<int32_t>(acc), static_cast<int32_t>(requant[2 * c]),
                                            static_cast<int32_t>(requant[2 * c + 1]), KILN_REQUANT_FULL,
                                            kiln_gemm_s8_full_range(clamp.act_min, clamp.act_max)));
        }
  return out;
}

/// The tiled kernel's output at the schedule's point, its operands laid
/// out as EmitTiledDepthwiseCall lays them out.
std::vector<int8_t> Tiled(const Layer& l, const Schedule& sched) {
  const TiledDepthwiseLayer& s = l.shape;
  const GemmOperands& g = l.per_channel;
  const bool narrow = sched.knob(kNarrowRequantKnob) != 0;
  const std::vector<int64_t> stream64 = TiledDepthwiseStream(g, sched, narrow);
  const std::vector<uint32_t> stream(stream64.begin(), stream64.end());
  kiln_depthwise_conv2d_s8_tiled_params_t p{};
  auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  p.dw.window = {i32(s.batches),    i32(s.input_h),    i32(s.input_w),    i32(s.channels), i32(s.filter_h),
                 i32(s.filter_w),   i32(s.output_h),   i32(s.output_w),   i32(s.stride_h), i32(s.stride_w),
                 i32(s.dilation_h), i32(s.dilation_w), i32(s.pad_h),      i32(s.pad_w),    i32(-g.input_offset)};
  p.dw.depth_multiplier = 1;
  p.dw.output_offset = i32(g.output_offset);
  p.dw.act_min = i32(g.act_min);
  p.dw.act_max = i32(g.act_max);
  p.dw.weights = stream.data();
  p.tile_pixels = i32(sched.knob(kTilePixelsKnob));
  p.tile_quads = i32(sched.knob(kTileQuadsKnob));
  p.int16_weights = i32(sched.knob(kInt16WeightsKnob));
  p.hoist_loads = i32(sched.knob(kHoistLoadsKnob));
  p.pad_copy = i32(sched.knob(kPadCopyKnob));
  p.unroll_taps = i32(sched.knob(kUnrollTapsKnob));
  const int64_t scratch_bytes = TiledDepthwiseScratchBytes(s, sched);
  EXPECT_EQ(scratch_bytes, p.pad_copy ? KILN_DEPTHWISE_S8_TILED_SCRATCH_BYTES(s.filter_h, s.filter_w, s.dilation_w,
                                                                              s.output_w, s.stride_w, s.channels)
                                      : 0);
  // Exactly the bytes asked for, so that AddressSanitizer sees a write past them.
  std::vector<int8_t> scratch(static_cast<size_t>(scratch_bytes));
  std::vector<int8_t> out(static_cast<size_t>(s.batches * s.output_h * s.output_w * s.channels));
  (narrow ? kiln_depthwise_conv2d_s8_tiled_narrow : kiln_depthwise_conv2d_s8_tiled)(
      &p, l.input.data(), out.data(), scratch.empty() ? nullptr : scratch.data());
  return out;
}

TEST(DepthwiseTiled, EveryPointOfTheSpaceMatchesTheTapByTapSums) {
  std::mt19937 rng(20261207);
  std::map<std::string, int> checked;
  for (int i = 0; i < 16; ++i) {
    const bool narrow = i % 2 == 0;
    const Layer l = RandomLayer(rng, narrow);
    ASSERT_EQ(AllowsNarrowRequantization(l.per_channel), narrow) << "the random layer should be as asked";
    const std::vector<int8_t> expected = Expected(l);
    const std::vector<Schedule> space = TiledDepthwiseSpace(l.shape, 0);
    ASSERT_FALSE(space.empty());
    const TiledDepthwiseLayer& s = l.shape;
    for (const Schedule& sched : space) {
      ASSERT_EQ(Tiled(l, sched), expected)
          << fmt::format("{}x{}x{}x{} filter {}x{} stride {},{} dilation {},{} pad {},{}: {}", s.batches, s.input_h,
                         s.input_w, s.channels, s.filter_h, s.filter_w, s.stride_h, s.stride_w, s.dilation_h,
                         s.dilation_w, s.pad_h, s.pad_w, sched.label());
      checked[fmt::format("pixels {}", sched.knob(kTilePixelsKnob))]++;
      checked[fmt::format("quads {}", sched.knob(kTileQuadsKnob))]++;
      checked[sched.knob(kInt16WeightsKnob) ? "int16" : "int8"]++;
      checked[sched.knob(kHoistLoadsKnob) ? "hoisted" : "in place"]++;
      checked[sched.knob(kPadCopyKnob) ? "padded copy" : "border tests"]++;
      checked[sched.knob(kUnrollTapsKnob) ? "taps unrolled" : "taps looped"]++;
      checked[narrow ? "narrow" : "full"]++;
      if (s.channels % 8 == 4 && sched.knob(kTileQuadsKnob) == 2) checked["a quad left over"]++;
      if (s.pad_h > 0 || s.pad_w > 0) checked["padded"]++;
      if (s.dilation_h > 1 || s.dilation_w > 1) checked["dilated"]++;
      if (s.filter_h == 5) checked["5 rows"]++;
      if (s.batches > 1) checked["batches"]++;
    }
  }
  for (const char* what : {"pixels 1", "pixels 2", "quads 1", "quads 2", "int16", "int8", "hoisted", "in place",
                           "padded copy", "border tests", "taps unrolled", "taps looped", "narrow", "full",
                           "a quad left over", "padded", "dilated", "5 rows", "batches"})
    EXPECT_GE(checked[what], 3) << what;
}

TEST(DepthwiseTiled, TheSpaceIsPrunedByRegistersAndShape) {
  const TiledDepthwiseLayer layer{.batches = 1, .input_h = 24, .input_w = 24, .channels = 96, .filter_h = 3,
                                  .filter_w = 3, .output_h = 12, .output_w = 12, .stride_h = 2, .stride_w = 2,
                                  .pad_h = 0, .pad_w = 0, .narrow = true};
  const std::vector<Schedule> space = TiledDepthwiseSpace(layer, 124416);
  ASSERT_FALSE(space.empty());
  std::set<std::string> labels;
  for (const Schedule& s : space) {
    EXPECT_TRUE(s.generated);
    EXPECT_EQ(s.name, kDepthwiseTiledSchedule);
    EXPECT_LE(TiledDepthwiseRegisters(s), kArmAllocatableRegisters + kDepthwiseTiledSpillAllowance) << s.label();
    // SMLABB and SMLATT: one multiply-accumulate an instruction at most.
    EXPECT_GT(s.expected_instructions, 124416) << s.label();
    EXPECT_TRUE(labels.insert(s.label()).second) << s.label();
  }
  // Two pixels by two quads keep 16 sums: never in the space.
  Schedule two_by_two;
  two_by_two.knobs = {{kTilePixelsKnob, 2}, {kTileQuadsKnob, 2}};
  EXPECT_GT(TiledDepthwiseRegisters(two_by_two), kArmAllocatableRegisters + kDepthwiseTiledSpillAllowance);
  // Channels the kernel cannot read a word of, and filters taller than it
  // takes, have no space.
  TiledDepthwiseLayer odd = layer;
  odd.channels = 30;
  EXPECT_TRUE(TiledDepthwiseSpace(odd, 0).empty());
  TiledDepthwiseLayer tall = layer;
  tall.filter_h = 9;
  EXPECT_TRUE(TiledDepthwiseSpace(tall, 0).empty());
}

// Points of the space compiled as the AOT executor compiles them (shaped
// copies with the tiling as constants), on the host, against the reference
// schedule.
TEST(DepthwiseTiled, ShapedCopiesMatchTheReferenceSchedule) {
  test::Random r{std::mt19937(11)};
  int checked = 0;
  for (int i = 0; i < 6; ++i) {
    std::vector<uint8_t> input;
    Graph g;
    do {
      g = test::RandomConv(r, 2, &input, /*planar=*/i % 2 == 0);
    } while (g.tensors[0].shape.back() % 4 != 0 || g.tensors[0].shape.back() != g.tensors[1].shape.back());
    const std::vector<Schedule> tiled = test::LoopNestPoints(g, kDepthwiseTiledSchedule);
    ASSERT_FALSE(tiled.empty());
    checked += test::ExpectSpreadMatchesReference(g, input, tiled);
  }
  EXPECT_EQ(checked, 24);
}

}  // namespace
}  // namespace kiln
