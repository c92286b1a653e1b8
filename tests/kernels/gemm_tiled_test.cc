// gemm_tiled (kernels/gemm_tiled.h, runtime/include/kiln/kernels/gemm_s8_tiled.h):
// every point of the space generated from the loop nest, on random layers,
// against the portable gemm_s8 (itself checked against TFLite's reference
// arithmetic by the schedule tests); then a sample of points compiled as
// shape-specialised copies through the whole pipeline, as a 1x1 layer's
// gemm and as im2col_tiled's for general convolutions; and the space's
// pruning and estimates.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>
#include <random>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "kernels/gemm_tiled.h"
#include "kernels/random_layers.h"
#include "kernels/run_schedule.h"
#include "kiln/kernels/gemm_s8.h"
#include "kiln/kernels/gemm_s8_tiled.h"
#include "target/targets.h"
#include "tune/search_space.h"

namespace kiln {
namespace {

struct Layer {
  int64_t rows = 0;
  GemmOperands gemm;
  std::vector<int8_t> input;
};

Layer RandomLayer(std::mt19937& rng, int64_t rows, int64_t cols, int64_t depth, bool narrow) {
  Layer l;
  l.rows = rows;
  l.gemm = test::RandomGemmOperands(rng, cols, depth, narrow);
  for (int64_t i = 0; i < rows * depth; ++i)
    l.input.push_back(static_cast<int8_t>(std::uniform_int_distribution<int>(-128, 127)(rng)));
  return l;
}

std::vector<int32_t> Int32s(const std::vector<int64_t>& v) { return {v.begin(), v.end()}; }

/// The portable gemm's output (row-major int8 weights).
std::vector<int8_t> Expected(const Layer& l, bool narrow) {
  const GemmOperands& g = l.gemm;
  std::vector<int8_t> weights(g.weights.begin(), g.weights.end());
  const std::vector<int32_t> bias = Int32s(FoldInputOffset(g));
  const std::vector<int32_t> requant = Int32s(RequantPairs(g.requant, narrow));
  const kiln_gemm_s8_params_t p = {static_cast<int32_t>(g.depth),
                                   static_cast<int32_t>(g.cols),
                                   static_cast<int32_t>(g.output_offset),
                                   static_cast<int32_t>(g.act_min),
                                   static_cast<int32_t>(g.act_max),
                                   weights.data(),
                                   bias.data(),
                                   requant.data()};
  std::vector<int8_t> out(static_cast<size_t>(l.rows * g.cols));
  (narrow ? kiln_gemm_s8_narrow : kiln_gemm_s8)(&p, l.input.data(), static_cast<int32_t>(l.rows), out.data(), nullptr);
  return out;
}

/// The tiled kernel's output at the schedule's point, its operands laid out
/// as EmitTiledGemmCall lays them out.
std::vector<int8_t> Tiled(const Layer& l, const Schedule& s) {
  const GemmOperands& g = l.gemm;
  const bool narrow = s.knob(kNarrowRequantKnob) != 0;
  const bool int16_weights = s.knob(kInt16WeightsKnob) != 0;
  const std::vector<int32_t> weights = Int32s(TiledGemmStream(g, s, narrow));
  kiln_gemm_s8_tiled_params_t p{};
  p.gemm = {static_cast<int32_t>(g.depth),
            static_cast<int32_t>(g.cols),
            static_cast<int32_t>(g.output_offset),
            static_cast<int32_t>(g.act_min),
            static_cast<int32_t>(g.act_max),
            reinterpret_cast<const int8_t*>(weights.data()),
            nullptr,
            nullptr};
  p.tile_rows = static_cast<int32_t>(s.knob(kTileRowsKnob));
  p.tile_cols = static_cast<int32_t>(s.knob(kTileColsKnob));
  p.unroll = static_cast<int32_t>(s.knob(kUnrollKnob));
  p.int16_weights = int16_weights ? 1 : 0;
  p.widen_rows = static_cast<int32_t>(s.knob(kWidenRowsKnob));
  p.cols_outer = static_cast<int32_t>(s.knob(kColsOuterKnob));
  p.hoist_loads = static_cast<int32_t>(s.knob(kHoistLoadsKnob));
  std::vector<uint32_t> scratch(static_cast<size_t>(KILN_GEMM_S8_TILED_SCRATCH_BYTES(p.tile_rows, g.depth) / 4 + 1));
  std::vector<int8_t> out(static_cast<size_t>(l.rows * g.cols));
  (narrow ? kiln_gemm_s8_tiled_narrow : kiln_gemm_s8_tiled)(&p, l.input.data(), static_cast<int32_t>(l.rows),
                                                            out.data(), scratch.data());
  return out;
}

TEST(GemmTiled, EveryPointOfTheSpaceMatchesThePortableGemm) {
  std::mt19937 rng(20261207);
  std::map<std::string, int> checked;
  // Rows and channels that leave tiles over, depths of one block to several
  // turns of every unrolling, a batch-1 fully connected layer.
  const int64_t shapes[][3] = {{7, 9, 12}, {1, 10, 32}, {6, 4, 4}, {5, 7, 40}, {13, 3, 20}};
  for (const auto& shape : shapes)
    for (bool narrow : {true, false}) {
      const Layer l = RandomLayer(rng, shape[0], shape[1], shape[2], narrow);
      ASSERT_EQ(AllowsNarrowRequantization(l.gemm), narrow) << "the random layer should be as asked";
      const std::vector<int8_t> expected = Expected(l, narrow);
      const std::vector<Schedule> space =
          TiledGemmSpace({.rows = l.rows, .cols = l.gemm.cols, .depth = l.gemm.depth, .narrow = narrow}, 0);
      ASSERT_FALSE(space.empty());
      for (const Schedule& s : space) {
        ASSERT_EQ(Tiled(l, s), expected) << fmt::format("[{}x{}] x [{}x{}] {}", l.rows, l.gemm.depth, l.gemm.cols,
                                                        l.gemm.depth, s.label());
        checked[fmt::format("rows {}", s.knob(kTileRowsKnob))]++;
        checked[fmt::format("cols {}", s.knob(kTileColsKnob))]++;
        checked[fmt::format("unroll {}", s.knob(kUnrollKnob))]++;
        checked[s.knob(kWidenRowsKnob) ? "widened" : s.knob(kColsOuterKnob) ? "cols outer" : "rows outer"]++;
        checked[s.knob(kInt16WeightsKnob) ? "int16" : "int8"]++;
        checked[s.knob(kHoistLoadsKnob) ? "hoisted" : "in place"]++;
        checked[narrow ? "narrow" : "full"]++;
      }
    }
  for (const char* what : {"rows 1", "rows 2",   "rows 3",   "rows 4",   "cols 1",  "cols 2",     "cols 3",
                           "cols 4", "unroll 1", "unroll 2", "unroll 4", "widened", "cols outer", "rows outer",
                           "int16",  "int8",     "narrow",   "full",     "hoisted", "in place"})
    EXPECT_GE(checked[what], 3) << what;
}

TEST(GemmTiled, TheSpaceIsPrunedByRegistersAndShape) {
  const std::vector<Schedule> space = TiledGemmSpace({.rows = 2304, .cols = 48, .depth = 8, .narrow = true}, 884736);
  std::set<std::string> labels;
  for (const Schedule& s : space) {
    EXPECT_TRUE(s.generated);
    EXPECT_EQ(s.name, kGemmTiledSchedule);
    EXPECT_LE(TiledGemmRegisters(s), kArmAllocatableRegisters) << s.label();
    EXPECT_LE(s.knob(kUnrollKnob), 2) << "depth 8 is two blocks: " << s.label();
    EXPECT_FALSE(s.knob(kWidenRowsKnob) && s.knob(kColsOuterKnob)) << s.label();
    EXPECT_GT(s.expected_instructions, 884736 / 2) << "at most two MACs an instruction: " << s.label();
    EXPECT_TRUE(labels.insert(s.label()).second) << s.label();
  }
  // 3 rows x 2 channels with widened rows fits (13 registers); 4 x 4 fits nowhere.
  Schedule three_by_two;
  three_by_two.knobs = {{kTileRowsKnob, 3}, {kTileColsKnob, 2}, {kWidenRowsKnob, 1}, {kInt16WeightsKnob, 1}};
  EXPECT_EQ(TiledGemmRegisters(three_by_two), 13);
  for (const Schedule& s : space) EXPECT_FALSE(s.knob(kTileRowsKnob) == 4 && s.knob(kTileColsKnob) == 4);
  // A batch-1 layer has one-row tiles only, and a depth the kernel cannot read none.
  for (const Schedule& s : TiledGemmSpace({.rows = 1, .cols = 10, .depth = 64}, 640))
    EXPECT_EQ(s.knob(kTileRowsKnob), 1);
  EXPECT_TRUE(TiledGemmSpace({.rows = 4, .cols = 10, .depth = 30}, 1200).empty());
}

/// 1x1 CONV_2D layers over an H x W image, `channels` from the input's on.
Graph PointwiseChain(int h, int w, const std::vector<int>& channels, std::vector<uint8_t>* input) {
  test::Random r{std::mt19937(static_cast<unsigned>(h * 31 + w))};
  Graph g;
  int x = test::AddTensor(g, "input", DType::kInt8, {1, h, w, channels[0]}, test::Quant({0.05f}, 3));
  for (size_t l = 0; l + 1 < channels.size(); ++l) {
    Node node;
    node.op = OpKind::kConv2D;
    node.source_op = "CONV_2D";
    node.inputs = {
        x,
        test::AddTensor(g, fmt::format("w{}", l), DType::kInt8, {channels[l + 1], 1, 1, channels[l]},
                        test::Quant({0.02f}, 0), test::Bytes(r.Bytes(int64_t{channels[l + 1]} * channels[l]))),
        test::AddTensor(g, fmt::format("b{}", l), DType::kInt32, {channels[l + 1]}, {},
                        test::Bytes(r.Bias(channels[l + 1])))};
    x = test::AddTensor(g, fmt::format("y{}", l), DType::kInt8, {1, h, w, channels[l + 1]}, test::Quant({0.05f}, -2));
    node.outputs = {x};
    node.attrs.set("padding", std::string("SAME"));
    for (const char* a : {"stride_h", "stride_w", "dilation_h", "dilation_w"}) node.attrs.set(a, int64_t{1});
    node.attrs.set("activation", std::string("NONE"));
    g.nodes.push_back(node);
  }
  g.name = "pointwise_chain";
  g.inputs = {0};
  g.outputs = {x};
  *input = test::Bytes(r.Bytes(int64_t{h} * w * channels[0]));
  return g;
}

// The tuner's space is the kernel's generated points as they are (the
// hand-listed knob ranges expand only the hand-written schedules), and the
// default choice never takes one.
TEST(GemmTiled, GeneratedPointsAreSearchedAsTheyAreAndNeverTheDefault) {
  std::vector<uint8_t> input;
  const Graph g = PointwiseChain(8, 8, {64, 192}, &input);
  const KernelEntry* kernel = FindKernel(g, g.nodes[0]);
  ASSERT_NE(kernel, nullptr);
  KernelScheduleOptions options;
  options.target = FindTarget("cortex-m4").value();
  options.loop_nest_space = true;
  const std::vector<Schedule> offered = ScheduleCandidates(g, g.nodes[0], *kernel, options);
  size_t generated = 0;
  for (const Schedule& s : offered) generated += s.generated ? 1 : 0;
  ASSERT_GT(generated, 0u);
  size_t searched = 0;
  for (const Schedule& s : SearchSpace(offered, options.target)) searched += s.name == kGemmTiledSchedule ? 1 : 0;
  EXPECT_EQ(searched, generated);
  const std::vector<Schedule> chosen = ChooseSchedules(g, {kernel}, options);
  EXPECT_NE(chosen[0].name, kGemmTiledSchedule);
  // ... though a generated point's estimate is lower than the chosen one's:
  // it is the filter, not the estimates, that keeps them out.
  int64_t lowest = INT64_MAX;
  for (const Schedule& s : offered)
    if (s.generated) lowest = std::min(lowest, ExpectedCost(s, CostIsa::kArm));
  EXPECT_LT(lowest, ExpectedCost(chosen[0], CostIsa::kArm));
}

// A pointwise gemm whose tile of rows is read again for each channel tile
// (or, channel tiles outermost, every row for every tile) must not have its
// output planned over those rows: with images one or three pixels wide, a
// tile of two or four rows crosses into the next image row. Found in review:
// the portable gemm's row pairs on a one-pixel-wide image read a row its
// output had already overwritten.
TEST(GemmTiled, PointwiseGemmsKeepTheInputRowsTheyStillRead) {
  int checked = 0;
  for (const auto& [h, w] : std::vector<std::pair<int, int>>{{6, 1}, {5, 3}}) {
    std::vector<uint8_t> input;
    // The middle layer's output may be planned over the input rows it has
    // consumed (its input dies there, and it has fewer output channels).
    const Graph g = PointwiseChain(h, w, {16, 32, 16, 16}, &input);
    const std::vector<uint8_t> expected = test::RunWithSchedules(g, {Schedule{}, Schedule{}, Schedule{}}, {input});
    ASSERT_FALSE(expected.empty());
    KernelScheduleOptions options;
    options.target = FindTarget("cortex-m4").value();
    options.loop_nest_space = true;
    const KernelEntry* kernel = FindKernel(g, g.nodes[1]);
    ASSERT_NE(kernel, nullptr);
    int behind = 0;
    for (const Schedule& s : ScheduleCandidates(g, g.nodes[1], *kernel, options)) {
      // Of the generated points, every fifth of those that read rows behind
      // the output.
      if (s.name == kGemmTiledSchedule &&
          (!(s.knob(kColsOuterKnob) == 1 || (s.knob(kWidenRowsKnob) == 0 && s.knob(kTileRowsKnob) > w)) ||
           behind++ % 5 != 0))
        continue;
      SCOPED_TRACE(fmt::format("{}x{}: {}", h, w, s.label()));
      EXPECT_EQ(test::RunWithSchedules(g, {Schedule{}, s, Schedule{}}, {input}), expected);
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);
}

// Points of the space compiled as the AOT executor compiles them (shaped
// copies with the tiling as constants), on the host, against the reference
// schedule.
TEST(GemmTiled, ShapedCopiesMatchTheReferenceSchedule) {
  test::Random r{std::mt19937(7)};
  int checked = 0;
  for (int i = 0; i < 6; ++i) {
    // 1x1 convolutions and fully connected layers of a depth the kernel takes.
    std::vector<uint8_t> input;
    Graph g;
    do {
      g = i % 2 == 0 ? test::RandomConv(r, 1, &input) : test::RandomFullyConnected(r, &input);
    } while (g.tensors[0].shape.back() % 4 != 0);
    const std::vector<Schedule> tiled = test::LoopNestPoints(g, kGemmTiledSchedule);
    ASSERT_FALSE(tiled.empty());
    checked += test::ExpectSpreadMatchesReference(g, input, tiled);
  }
  EXPECT_EQ(checked, 24);
}

// im2col_tiled: general convolutions (padding, strides, dilation, batches,
// window depths that are not whole words) and depthwise ones of one input
// channel, points spread over the space of each, compiled as shaped
// copies, against the reference schedule.
TEST(GemmTiled, Im2colShapedCopiesMatchTheReferenceSchedule) {
  test::Random r{std::mt19937(12)};
  std::map<std::string, int> checked;
  for (int i = 0; i < 8; ++i) {
    std::vector<uint8_t> input;
    const Graph g = test::RandomConv(r, i < 6 ? 0 : 3, &input);
    const std::vector<Schedule> tiled = test::LoopNestPoints(g, kIm2colTiledSchedule);
    if (tiled.empty()) continue;  // a 1x1 stride-1 convolution: gemm_tiled's
    const int run = test::ExpectSpreadMatchesReference(g, input, tiled);
    checked[i < 6 ? "points" : "depthwise of one channel"] += run;
    if (g.tensors[1].shape[1] * g.tensors[1].shape[2] * g.tensors[1].shape[3] % 4 != 0) checked["padded depth"] += run;
    for (const Schedule& s : tiled) checked[fmt::format("pixels_per_call {}", s.knob("pixels_per_call"))] = 1;
  }
  EXPECT_GE(checked["points"], 12);
  EXPECT_GE(checked["padded depth"], 4);
  EXPECT_EQ(checked["depthwise of one channel"], 8);
  EXPECT_EQ(checked["pixels_per_call 4"] + checked["pixels_per_call 8"] + checked["pixels_per_call 16"], 3);
}

}  // namespace
}  // namespace kiln
