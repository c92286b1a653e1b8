// The fast int8 schedules (gemm, gemm_dsp, im2col_gemm, im2col_gemm_dsp,
// direct_dsp, depthwise, depthwise_dsp, depthwise_planar_dsp, depthwise_tiled (filters other than 3x3), and the RV32
// ones: gemm_rv32, im2col_gemm_rv32, depthwise_planar_rv32) against
// references: TFLite's arithmetic as conv_golden.py models it
// independently, and, on many random shapes (channel counts that
// are not multiples of 4, odd depths and rows, padding, strides, dilation,
// batches, zero points), the reference schedule. Each case is compiled with
// the schedule forced, built for the host and run; the DSP schedules run
// their portable C there (kiln/simd.h), the same arithmetic as on the core.
// Also: which schedule the default choice takes per target.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "kiln/kernels/conv2d_s8_direct_dsp.h"
#include "kernels/conv_test_util.h"
#include "kernels/gemm_lowering.h"
#include "kernels/random_layers.h"
#include "kernels/run_schedule.h"
#include "kernels/select_kernels.h"
#include "target/targets.h"

namespace kiln {
namespace {

using test::AddTensor;
using test::Bytes;
using test::Candidates;
using test::KnobVariants;
using test::MakeModel;
using test::Quant;
using test::Random;
using test::RandomConv;
using test::RandomFullyConnected;
using test::RandomPool;

using test::RunWith;
using test::RunWithInputs;

// --- against conv_golden.py (TFLite's reference arithmetic) ---------------

/// The convolution a golden case describes, as a model.
Graph GoldenConv(const test::ConvCase& c, std::vector<uint8_t>* input) {
  test::Lcg lcg(c.seed);
  std::vector<int8_t> in, filter;
  std::vector<int32_t> bias;
  for (int64_t i = 0; i < int64_t{c.n} * c.h * c.w * c.c; ++i) in.push_back(lcg.I8());
  const int64_t filter_count = int64_t{c.kh} * c.kw * c.out_c * (c.depthwise ? 1 : c.filter_c);
  for (int64_t i = 0; i < filter_count; ++i) filter.push_back(lcg.I8());
  if (c.has_bias)
    for (int32_t i = 0; i < c.out_c; ++i) bias.push_back(lcg.Bias());
  Graph g;
  Node node;
  node.op = c.depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D;
  node.source_op = c.depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt8, {c.n, c.h, c.w, c.c}, Quant({c.input_scale}, c.input_zp)));
  node.inputs.push_back(AddTensor(g, "filter", DType::kInt8,
                                  c.depthwise ? Shape{1, c.kh, c.kw, c.out_c} : Shape{c.out_c, c.kh, c.kw, c.filter_c},
                                  Quant(c.filter_scales, 0, c.depthwise ? 3 : 0), Bytes(filter)));
  if (c.has_bias) node.inputs.push_back(AddTensor(g, "bias", DType::kInt32, {c.out_c}, {}, Bytes(bias)));
  node.attrs.set("padding", std::string(c.padding));
  node.attrs.set("stride_h", int64_t{c.stride_h});
  node.attrs.set("stride_w", int64_t{c.stride_w});
  node.attrs.set("dilation_h", int64_t{c.dilation_h});
  node.attrs.set("dilation_w", int64_t{c.dilation_w});
  node.attrs.set("activation", std::string(c.activation));
  auto out_size = [&](int32_t in, int32_t k, int32_t stride, int32_t dilation) {
    const int32_t effective = (k - 1) * dilation + 1;
    return std::string(c.padding) == "SAME" ? (in + stride - 1) / stride : (in + stride - effective) / stride;
  };
  node.outputs.push_back(AddTensor(g, "output", DType::kInt8,
                                   {c.n, out_size(c.h, c.kh, c.stride_h, c.dilation_h),
                                    out_size(c.w, c.kw, c.stride_w, c.dilation_w), c.out_c},
                                   Quant({c.output_scale}, c.output_zp)));
  g.nodes.push_back(node);
  MakeModel(g);
  *input = Bytes(in);
  return g;
}

TEST(Schedules, EveryConvScheduleMatchesTheGoldenCases) {
  int checked = 0;
  for (const test::ConvCase& c : test::kConvCases) {
    if (!c.quantized) continue;
    SCOPED_TRACE(c.name);
    std::vector<uint8_t> input;
    const Graph g = GoldenConv(c, &input);
    std::vector<uint8_t> expected;
    for (int32_t v : c.expected_q) expected.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
    for (const Schedule& s : Candidates(g)) {
      SCOPED_TRACE(s.name);
      EXPECT_EQ(RunWith(g, s, input), expected);
      if (s.name != "reference") ++checked;
    }
  }
  // The golden set has 1x1-free convolutions, a depthwise one of one input
  // channel, and depthwise ones of multiplier 1: each fast family is hit.
  EXPECT_GE(checked, 10);
}

// --- random shapes against the reference schedule ----------------------------

TEST(Schedules, RandomShapesMatchTheReferenceSchedule) {
  Random r{std::mt19937(20261202)};
  std::map<std::string, int> checked;
  for (int i = 0; i < 36; ++i) {
    std::vector<uint8_t> input;
    // Cases 25-32: depthwise 3x3, stride 1 or 2 across; 33-35: depthwise of
    // another filter and whole quads of channels (depthwise_tiled).
    const int kind = i < 25 ? i % 5 : 2;
    Graph g = kind == 4 ? RandomFullyConnected(r, &input) : RandomConv(r, kind, &input, i >= 25 && i < 33);
    while (i >= 33 && (g.tensors[1].shape[3] % 4 != 0 || g.tensors[0].shape[3] != g.tensors[1].shape[3] ||
                       (g.tensors[1].shape[1] == 3 && g.tensors[1].shape[2] == 3)))
      g = RandomConv(r, kind, &input);
    SCOPED_TRACE(fmt::format("case {}: {} input {} filter {}", i, g.nodes[0].source_op,
                             ShapeString(g.tensors[0].shape), ShapeString(g.tensors[1].shape)));
    const std::vector<Schedule> candidates = Candidates(g);
    ASSERT_EQ(candidates.front().name, "reference");
    const std::vector<uint8_t> expected = RunWith(g, candidates.front(), input);
    ASSERT_FALSE(expected.empty());
    for (size_t k = 1; k < candidates.size(); ++k)
      for (const Schedule& variant : KnobVariants(candidates[k])) {
        SCOPED_TRACE(fmt::format("{} narrow_requant={} widen_rows={} int16_weights={}", variant.name,
                                 variant.knob(kNarrowRequantKnob), variant.knob(kWidenRowsKnob, -1),
                                 variant.knob(kInt16WeightsKnob)));
        EXPECT_EQ(RunWith(g, variant, input), expected);
        ++checked[variant.name];
        if (variant.knob(kNarrowRequantKnob) == 1) ++checked["narrow"];
        if (variant.knob(kWidenRowsKnob, -1) == 0) ++checked["in-register widening"];
        if (variant.knob(kInt16WeightsKnob) == 1) ++checked["int16 weights"];
        if (variant.knob(kInt16WeightsKnob) == 1 && variant.knob(kWidenRowsKnob, -1) == 0)
          ++checked["int16 weights in registers"];
        if (variant.name == kDirectDspSchedule) {
          // Windows read in place from the strip, or copied out of it first.
          const Attrs& a = g.nodes[0].attrs;
          const int64_t column = g.tensors[1].shape[1] * g.tensors[0].shape[3];
          ++checked[KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(a.get_int("stride_w"), a.get_int("dilation_w"), column)
                        ? "direct_dsp in place"
                        : "direct_dsp copied windows"];
        }
        const bool planar = variant.name == kPlanarRv32DepthwiseSchedule || variant.name == kPlanarDepthwiseSchedule;
        if (planar && g.nodes[0].attrs.get_int("stride_w") == 2) ++checked[variant.name + " stride 2"];
        if (planar && g.tensors[0].shape.back() != g.tensors[1].shape.back()) ++checked[variant.name + " multiplier"];
        // The DSP kernel's 2x2 blocks: stride 1 both ways, two output rows or more.
        if (planar && g.nodes[0].attrs.get_int("stride_h") == 1 && g.nodes[0].attrs.get_int("stride_w") == 1 &&
            g.tensors[static_cast<size_t>(g.nodes[0].outputs[0])].shape[1] >= 2)
          ++checked[variant.name + " 2x2 blocks"];
        // Four channels' planes copied at once, and the channels past the last four one at a time.
        if (variant.name == kPlanarDepthwiseSchedule && variant.knob(kPlanesKnob) == 4) {
          ++checked["depthwise_planar_dsp four planes"];
          if (g.tensors[0].shape.back() % 4 != 0) ++checked["depthwise_planar_dsp four planes and single ones"];
        }
      }
  }
  for (const char* name : {"gemm", "gemm_dsp", "im2col_gemm", "im2col_gemm_dsp", "depthwise", "depthwise_dsp", "narrow",
                           "in-register widening", "int16 weights", "int16 weights in registers", "direct_dsp", "depthwise_planar_dsp", "gemm_rv32",
                           "im2col_gemm_rv32", "depthwise_planar_rv32", "depthwise_planar_dsp stride 2",
                           "depthwise_planar_rv32 stride 2", "depthwise_planar_dsp multiplier",
                           "depthwise_planar_rv32 multiplier", "depthwise_planar_dsp 2x2 blocks", "direct_dsp in place",
                           "direct_dsp copied windows", "direct_rv32", "depthwise_tiled", "depthwise_planar_dsp four planes",
                           "depthwise_planar_dsp four planes and single ones"})
    EXPECT_GE(checked[name], 3) << name;
}

// direct_rv32 takes each row's pixels in threes, its last two as a pair and
// a last one alone: random convolutions until each kind of row end has been
// checked three times (the random shapes above seldom reach the pair).
TEST(Schedules, DirectRv32MatchesTheReferenceAtEveryRowEnd) {
  Random r{std::mt19937(20261207)};
  std::map<int64_t, int> checked;  // by output_w % 3
  for (int i = 0; i < 200 && (checked[0] < 3 || checked[1] < 3 || checked[2] < 3); ++i) {
    std::vector<uint8_t> input;
    const Graph g = RandomConv(r, 0, &input);
    const int64_t row_end = g.tensors[static_cast<size_t>(g.nodes[0].outputs[0])].shape[2] % 3;
    const std::vector<Schedule> candidates = Candidates(g);
    const auto direct = std::find_if(candidates.begin(), candidates.end(),
                                     [](const Schedule& s) { return s.name == kDirectRv32Schedule; });
    if (direct == candidates.end() || checked[row_end] >= 3) continue;
    SCOPED_TRACE(fmt::format("case {}: input {} filter {}", i, ShapeString(g.tensors[0].shape),
                             ShapeString(g.tensors[1].shape)));
    const std::vector<uint8_t> expected = RunWith(g, candidates.front(), input);
    ASSERT_FALSE(expected.empty());
    for (const Schedule& variant : KnobVariants(*direct)) {
      SCOPED_TRACE(fmt::format("narrow_requant={}", variant.knob(kNarrowRequantKnob)));
      EXPECT_EQ(RunWith(g, variant, input), expected);
    }
    ++checked[row_end];
  }
  EXPECT_EQ(checked[0], 3);
  EXPECT_EQ(checked[1], 3);
  EXPECT_EQ(checked[2], 3);
}

// --- int8 MAX_POOL_2D and AVERAGE_POOL_2D: pool_dsp -----------------------------

// Random pools against the reference kernels: clipped windows at every
// border, channel counts that leave a block of fewer than four, and
// averages over windows of more than 256 taps of -128s and 127s (the
// int16 lanes folded every 256 / width rows).
TEST(Schedules, PoolDspMatchesTheReference) {
  Random r{std::mt19937(20261206)};
  std::map<std::string, int> checked;
  for (int i = 0; i < 16; ++i) {
    std::vector<uint8_t> input;
    const bool average = i % 2 == 1, large = i >= 12;
    const Graph g = RandomPool(r, average || large, &input, large);
    const Attrs& a = g.nodes[0].attrs;
    SCOPED_TRACE(fmt::format("case {}: {} input {} window {}x{} stride {}x{} {}", i, g.nodes[0].source_op,
                             ShapeString(g.tensors[0].shape), a.get_int("filter_h"), a.get_int("filter_w"),
                             a.get_int("stride_h"), a.get_int("stride_w"), a.get_string("padding", "")));
    const std::vector<Schedule> candidates = Candidates(g);
    ASSERT_EQ(candidates.size(), 2u);
    ASSERT_EQ(candidates[1].name, "pool_dsp");
    const std::vector<uint8_t> expected = RunWith(g, candidates[0], input);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(RunWith(g, candidates[1], input), expected);
    ++checked[g.nodes[0].source_op + (large ? " large" : "")];
  }
  EXPECT_EQ(checked["MAX_POOL_2D"], 6);
  EXPECT_EQ(checked["AVERAGE_POOL_2D"], 6);
  EXPECT_EQ(checked["AVERAGE_POOL_2D large"], 4);
}

// --- int8 ADD and SUB: the "table" schedule ------------------------------------

// Every pair of int8 values, through the reference kernel and the table one,
// for random scales, zero points and activations: element-wise (a [256,256]
// against b [256,256]) and broadcast (a [256,1] against b [1,256]).
TEST(Schedules, AddSubTableMatchesTheReferenceOnEveryPairOfValues) {
  std::mt19937 rng(20261204);
  auto uniform = [&](float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); };
  auto integer = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* activations[] = {"NONE", "RELU", "RELU6"};
  std::map<std::string, int> checked;
  for (int i = 0; i < 8; ++i) {
    const bool subtract = i % 2 == 1, broadcast = i % 4 >= 2;
    Graph g;
    Node node;
    node.op = subtract ? OpKind::kSub : OpKind::kAdd;
    node.source_op = subtract ? "SUB" : "ADD";
    const Shape a_shape = broadcast ? Shape{256, 1} : Shape{256, 256};
    const Shape b_shape = broadcast ? Shape{1, 256} : Shape{256, 256};
    node.inputs.push_back(AddTensor(g, "a", DType::kInt8, a_shape, Quant({uniform(0.005f, 0.2f)}, integer(-128, 127))));
    node.inputs.push_back(AddTensor(g, "b", DType::kInt8, b_shape, Quant({uniform(0.005f, 0.2f)}, integer(-128, 127))));
    node.outputs.push_back(
        AddTensor(g, "out", DType::kInt8, {256, 256}, Quant({uniform(0.01f, 0.4f)}, integer(-128, 127))));
    node.attrs.set("activation", std::string(activations[integer(0, 2)]));
    g.nodes.push_back(node);
    g.name = "add_sub_table_test";
    g.inputs = {node.inputs[0], node.inputs[1]};
    g.outputs = {node.outputs[0]};
    std::vector<uint8_t> a, b;
    for (int x = 0; x < 256; ++x)
      for (int y = 0; y < (broadcast ? 1 : 256); ++y) a.push_back(static_cast<uint8_t>(x));
    for (int x = 0; x < (broadcast ? 1 : 256); ++x)
      for (int y = 0; y < 256; ++y) b.push_back(static_cast<uint8_t>(y));
    const std::vector<Schedule> candidates = Candidates(g);
    ASSERT_EQ(candidates.size(), 2u);
    const std::vector<uint8_t> expected = RunWithInputs(g, candidates[0], {a, b});
    ASSERT_EQ(expected.size(), 65536u);
    for (const Schedule& variant : KnobVariants(candidates[1])) {
      SCOPED_TRACE(fmt::format("case {} {} narrow_requant={}", i, node.source_op, variant.knob(kNarrowRequantKnob)));
      EXPECT_EQ(RunWithInputs(g, variant, {a, b}), expected);
      ++checked[variant.knob(kNarrowRequantKnob) == 1 ? "narrow" : "full"];
    }
  }
  EXPECT_GE(checked["narrow"], 6);
  EXPECT_GE(checked["full"], 6);
}

// The scratch the compiler gives conv2d_s8_direct_dsp is what the kernel
// uses: the header's formula, over strides, dilations, odd rows and depths.
TEST(Schedules, DirectScratchIsWhatTheKernelUses) {
  int checked = 0;
  for (int64_t ic : {1, 2, 3})
    for (int64_t fh : {1, 3, 10})
      for (int64_t fw : {1, 3, 8})
        for (int64_t d : {1, 2})
          for (int64_t stride : {1, 2, 3})
            for (int64_t ow : {1, 7, 48}) {
              const DirectWindowShape shape{.depth = fh * fw * ic, .input_c = ic, .filter_h = fh, .filter_w = fw,
                                            .dilation_w = d, .output_w = ow, .stride_w = stride};
              const int64_t column = KILN_CONV_STRIP_COLUMN(fh, ic);
              const int64_t header = KILN_CONV2D_S8_DIRECT_DSP_SCRATCH_BYTES(
                  KILN_CONV_STRIP_COLUMNS(ow, stride, fw, d), column,
                  KILN_CONV2D_S8_DIRECT_DSP_IN_PLACE(stride, d, column), fh * fw * ic);
              ASSERT_EQ(DirectScratchBytes(shape), header) << ic << " " << fh << "x" << fw << " d" << d << " s" << stride
                                                           << " ow" << ow;
              ASSERT_EQ(header % 4, 0);
              ++checked;
            }
  EXPECT_EQ(checked, 486);
}

// A layer whose requantization scale is above 1/2 (shift >= 0) cannot take
// the narrow output stage: the default leaves it off, and asking for it is
// an error that names the operator.
TEST(Schedules, NarrowRequantizationOnlyWhereTheLayerAllowsIt) {
  Random r{std::mt19937(5)};
  std::vector<uint8_t> input;
  Graph g = RandomFullyConnected(r, &input);
  g.tensors[g.nodes[0].outputs[0]].quant.scale = {1e-5f};  // input x weight scale / output scale >> 1
  int tried = 0;
  for (Schedule s : Candidates(g)) {
    if (s.name == "reference") continue;
    ++tried;
    EXPECT_EQ(s.knob(kNarrowRequantKnob), 0) << s.name;
    s.knobs[kNarrowRequantKnob] = 1;
    auto kernels = SelectKernels(g);
    ASSERT_TRUE(kernels.ok());
    auto code = GenerateC(g, *kernels, {s}, CodegenOptions{});
    ASSERT_FALSE(code.ok()) << s.name;
    EXPECT_NE(code.message().find("FULLY_CONNECTED"), std::string::npos) << code.message();
    EXPECT_NE(code.message().find("narrow_requant=1"), std::string::npos) << code.message();
  }
  EXPECT_GT(tried, 0) << "no fast schedule for a fully connected layer";
}

// int16 weights without widened rows are the "wide quads" entry points (a
// fully connected layer at batch 1): bit-exact with the reference schedule
// on every batch size, the depth's tail and a last group of fewer than four
// channels included.
TEST(Schedules, Int16WeightsWithoutWidenedRowsReadWideQuads) {
  Random r{std::mt19937(5)};
  int tried = 0;
  for (int i = 0; i < 8; ++i) {
    std::vector<uint8_t> input;
    Graph g = RandomFullyConnected(r, &input);
    const std::vector<Schedule> candidates = Candidates(g);
    const std::vector<uint8_t> expected = RunWith(g, candidates.front(), input);
    for (Schedule s : candidates) {
      if (s.name != "gemm_dsp") continue;
      s.knobs[kInt16WeightsKnob] = 1;
      s.knobs[kWidenRowsKnob] = 0;
      auto kernels = SelectKernels(g);
      ASSERT_TRUE(kernels.ok());
      auto code = GenerateC(g, *kernels, {s}, CodegenOptions{});
      ASSERT_TRUE(code.ok()) << code.message();
      std::string sources;
      for (const auto& [name, text] : code->sources) sources += text;
      EXPECT_NE(sources.find("kiln_gemm_s8_dsp_wide"), std::string::npos);
      EXPECT_NE(sources.find("_in_registers"), std::string::npos);
      EXPECT_EQ(RunWith(g, s, input), expected) << ShapeString(g.tensors[1].shape);
      ++tried;
    }
  }
  EXPECT_GE(tried, 8);
}

// --- the default choice --------------------------------------------------------

TEST(Schedules, DefaultChoiceFollowsTheTargetsFeatures) {
  Random r{std::mt19937(7)};
  std::vector<uint8_t> input;
  const Graph pointwise = RandomConv(r, 1, &input);
  auto kernels = SelectKernels(pointwise);
  ASSERT_TRUE(kernels.ok());
  auto choose = [&](const char* target, const char* opt = "speed") {
    KernelScheduleOptions options;
    options.opt = opt;
    if (target != nullptr) {
      auto found = FindTarget(target);
      options.target = *found;
    }
    return ChooseSchedules(pointwise, *kernels, options).at(0);
  };
  EXPECT_EQ(choose(nullptr).name, "gemm");  // portable C: no feature assumed
  EXPECT_EQ(choose("cortex-m3").name, "gemm");
  // RV32: the portable gemm or RV32's own blocking, by RV32's cost table
  // (on this small layer the padding to four channels may decide); never
  // gemm_rv32 on an Arm core, which lacks the "rv32i" feature.
  const std::string rv32 = choose("rv32imac").name;
  EXPECT_TRUE(rv32 == "gemm" || rv32 == kGemmRv32Schedule) << rv32;
  const Schedule m4 = choose("cortex-m4");
  EXPECT_EQ(m4.name, "gemm_dsp");
  EXPECT_EQ(m4.features, std::vector<std::string>{"dsp"});
  EXPECT_GT(m4.macs, 0);
  EXPECT_LT(m4.expected_instructions, choose(nullptr).expected_instructions);
  // --opt size: the reference loops, the least code and constants.
  EXPECT_EQ(choose("cortex-m4", "size").name, "reference");
  EXPECT_EQ(choose(nullptr, "size").name, "reference");
}

// Schedules that add flash (int16 weights) are taken within the budget:
// half of it for the model's constants. Too small a budget keeps the
// layer's int8 weights, on the same DSP schedule.
TEST(Schedules, FlashBudgetDecidesInt16Weights) {
  Random r{std::mt19937(7)};
  std::vector<uint8_t> input;
  const Graph pointwise = RandomConv(r, 1, &input);
  auto kernels = SelectKernels(pointwise);
  ASSERT_TRUE(kernels.ok());
  auto choose = [&](int64_t budget) {
    KernelScheduleOptions options;
    auto target = FindTarget("cortex-m4");
    options.target = *target;
    options.flash_budget_bytes = budget;
    return ChooseSchedules(pointwise, *kernels, options).at(0);
  };
  const Schedule roomy = choose(0);  // the target's typical part: 1 MB
  ASSERT_EQ(roomy.name, "gemm_dsp");
  ASSERT_EQ(roomy.knob(kWidenRowsKnob), 1);
  EXPECT_EQ(roomy.knob(kInt16WeightsKnob), 1);
  EXPECT_GT(roomy.extra_flash_bytes, 0);
  int64_t constants = 0;
  for (const Tensor& t : pointwise.tensors)
    if (t.is_constant) constants += t.bytes();
  EXPECT_EQ(choose(2 * (constants + roomy.extra_flash_bytes)).knob(kInt16WeightsKnob), 1);  // just fits
  const Schedule tight = choose(2 * (constants + roomy.extra_flash_bytes) - 2);
  EXPECT_EQ(tight.name, "gemm_dsp");
  EXPECT_EQ(tight.knob(kInt16WeightsKnob), 0);
  EXPECT_EQ(tight.extra_flash_bytes, 0);
}

// ONNX's arithmetic (a weights zero point, half-even rounding) keeps the
// reference loops: the fast schedules fold TFLite's arithmetic only.
TEST(Schedules, OnnxRequantizationKeepsTheReference) {
  Random r{std::mt19937(11)};
  std::vector<uint8_t> input;
  Graph g = RandomConv(r, 0, &input);
  g.nodes[0].attrs.set("rounding", std::string("HALF_EVEN"));
  const std::vector<Schedule> candidates = Candidates(g);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].name, "reference");
}

}  // namespace
}  // namespace kiln
