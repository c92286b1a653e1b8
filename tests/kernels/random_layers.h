// Layers for the schedule tests: the candidate schedules of a one-node
// graph, each with its data-decided knobs turned both ways, and random
// int8 CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, MAX_POOL_2D and
// AVERAGE_POOL_2D layers (channel counts that are not multiples of 4, odd
// depths and rows, padding, strides, dilation, batches, zero points). Shared by the host tests
// (schedules_test.cc) and the board ones (schedules_device_test.cc).
#ifndef KILN_TESTS_KERNELS_RANDOM_LAYERS_H_
#define KILN_TESTS_KERNELS_RANDOM_LAYERS_H_

#include <gtest/gtest.h>

#include <random>
#include <string_view>
#include <vector>

#include "kernels/conv_test_util.h"
#include "kernels/gemm_lowering.h"
#include "kernels/select_kernels.h"

namespace kiln::test {

/// The schedules the node offers, by name.
inline std::vector<Schedule> Candidates(const Graph& graph) {
  const KernelEntry* kernel = FindKernel(graph, graph.nodes[0]);
  EXPECT_NE(kernel, nullptr);
  EXPECT_TRUE(kernel->check(graph, graph.nodes[0]).ok());
  return ScheduleCandidates(graph, graph.nodes[0], *kernel, KernelScheduleOptions{});
}

/// The points of the one-node graph's spaces generated from the loop nest
/// (kiln tune --auto-schedule) whose schedule is `name`.
inline std::vector<Schedule> LoopNestPoints(const Graph& graph, std::string_view name) {
  const KernelEntry* kernel = FindKernel(graph, graph.nodes[0]);
  EXPECT_NE(kernel, nullptr);
  if (kernel == nullptr) return {};
  KernelScheduleOptions options;
  options.loop_nest_space = true;
  std::vector<Schedule> points;
  for (const Schedule& s : ScheduleCandidates(graph, graph.nodes[0], *kernel, options))
    if (s.name == name) points.push_back(s);
  return points;
}

/// The schedule, and the same with each of its data-decided knobs turned the
/// other way where that is always allowed: narrow_requant off, widen_rows
/// flipped.
inline std::vector<Schedule> KnobVariants(const Schedule& schedule) {
  std::vector<Schedule> out = {schedule};
  if (schedule.knob(kNarrowRequantKnob) == 1) {
    out.push_back(schedule);
    out.back().knobs[kNarrowRequantKnob] = 0;
  }
  if (schedule.knobs.count(kWidenRowsKnob) != 0) {
    out.push_back(schedule);
    out.back().knobs[kWidenRowsKnob] = 1 - schedule.knob(kWidenRowsKnob);
  }
  return out;
}

/// Makes a one-node graph a model: its first input in, its output out.
inline void MakeModel(Graph& graph) {
  graph.name = "schedule_test";
  graph.inputs = {graph.nodes[0].inputs[0]};
  graph.outputs = {graph.nodes[0].outputs[0]};
}

struct Random {
  std::mt19937 rng;
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  std::vector<int8_t> Bytes(int64_t n) {
    std::vector<int8_t> v;
    for (int64_t i = 0; i < n; ++i) v.push_back(static_cast<int8_t>(Int(-128, 127)));
    return v;
  }
  std::vector<int32_t> Bias(int n) {
    std::vector<int32_t> v;
    for (int i = 0; i < n; ++i) v.push_back(Int(-30000, 30000));
    return v;
  }
  std::vector<float> Scales(int n) {
    std::vector<float> v;
    for (int i = 0; i < n; ++i) v.push_back(0.002f + 0.0005f * static_cast<float>(Int(0, 40)));
    return v;
  }
};

/// A random matrix multiply's operands: `cols` channels of `depth` int8
/// weights, biases, per-channel requantization (`narrow`: right shifts, as
/// kiln_requantize_narrow needs; else any, one a left shift), offsets and a
/// clamp. For the kernels that take a gemm's operands (gemm_tiled, and
/// depthwise_tiled per channel).
inline GemmOperands RandomGemmOperands(std::mt19937& rng, int64_t cols, int64_t depth, bool narrow) {
  auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  GemmOperands g;
  g.depth = depth;
  g.cols = cols;
  for (int64_t i = 0; i < cols * depth; ++i) g.weights.push_back(uniform(-127, 127));
  for (int64_t n = 0; n < cols; ++n) {
    g.bias.push_back(uniform(-20000, 20000));
    g.requant.multiplier.push_back(static_cast<int32_t>(uniform(int64_t{1} << 30, (int64_t{1} << 31) - 1)));
    g.requant.shift.push_back(narrow ? uniform(-12, -5) : uniform(-12, 1));
  }
  if (!narrow) g.requant.shift[0] = uniform(0, 1);  // a left shift: the full requantization
  g.input_offset = uniform(-127, 128);
  g.output_offset = uniform(-128, 127);
  const bool relu = uniform(0, 1) == 1;
  g.act_min = relu ? g.output_offset : -128;
  g.act_max = 127;
  return g;
}

/// A random int8 CONV_2D (kind 0), 1x1 stride-1 CONV_2D (kind 1),
/// DEPTHWISE_CONV_2D of multiplier 1 (kind 2) or of one input channel (3).
/// `planar`: a depthwise 3x3 of stride 1 or 2 across and no dilation (the
/// shapes depthwise_planar_dsp and depthwise_planar_rv32 take), with wider
/// rows and a depth multiplier of 1 to 3.
inline Graph RandomConv(Random& r, int kind, std::vector<uint8_t>* input, bool planar = false) {
  const bool depthwise = kind >= 2;
  const int n = r.Int(1, 2), h = r.Int(1, 9), w = planar ? r.Int(1, 17) : r.Int(1, 9);
  const int c = kind == 3 ? 1 : r.Int(1, 13);
  const int kh = planar ? 3 : kind == 1 ? 1 : r.Int(1, 3), kw = planar ? 3 : kind == 1 ? 1 : r.Int(1, 3);
  const int out_c = depthwise ? (kind == 2 ? c * (planar ? r.Int(1, 3) : 1) : r.Int(1, 7)) : r.Int(1, 9);
  const bool same = kind == 1 || r.Int(0, 1) == 1;
  const int stride_h = kind == 1 ? 1 : r.Int(1, 2), stride_w = kind == 1 ? 1 : r.Int(1, 2);
  const int dil_h = kind == 1 || planar ? 1 : r.Int(1, 2), dil_w = kind == 1 || planar ? 1 : r.Int(1, 2);
  const int eff_h = (kh - 1) * dil_h + 1, eff_w = (kw - 1) * dil_w + 1;
  const int oh = same ? (h + stride_h - 1) / stride_h : (h + stride_h - eff_h) / stride_h;
  const int ow = same ? (w + stride_w - 1) / stride_w : (w + stride_w - eff_w) / stride_w;
  if (oh < 1 || ow < 1) return RandomConv(r, kind, input, planar);
  const char* activations[] = {"NONE", "RELU", "RELU6"};
  Graph g;
  Node node;
  node.op = depthwise ? OpKind::kDepthwiseConv2D : OpKind::kConv2D;
  node.source_op = depthwise ? "DEPTHWISE_CONV_2D" : "CONV_2D";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt8, {n, h, w, c}, Quant({0.05f}, r.Int(-128, 127))));
  const Shape filter_shape = depthwise ? Shape{1, kh, kw, out_c} : Shape{out_c, kh, kw, c};
  node.inputs.push_back(AddTensor(g, "filter", DType::kInt8, filter_shape,
                                  Quant(r.Scales(r.Int(0, 1) ? out_c : 1), 0, depthwise ? 3 : 0),
                                  Bytes(r.Bytes(int64_t{kh} * kw * out_c * (depthwise ? 1 : c)))));
  if (r.Int(0, 3) != 0) node.inputs.push_back(AddTensor(g, "bias", DType::kInt32, {out_c}, {}, Bytes(r.Bias(out_c))));
  node.outputs.push_back(AddTensor(g, "output", DType::kInt8, {n, oh, ow, out_c}, Quant({0.04f}, r.Int(-128, 127))));
  node.attrs.set("padding", std::string(same ? "SAME" : "VALID"));
  node.attrs.set("stride_h", int64_t{stride_h});
  node.attrs.set("stride_w", int64_t{stride_w});
  node.attrs.set("dilation_h", int64_t{dil_h});
  node.attrs.set("dilation_w", int64_t{dil_w});
  node.attrs.set("activation", std::string(activations[r.Int(0, 2)]));
  g.nodes.push_back(node);
  MakeModel(g);
  *input = Bytes(r.Bytes(int64_t{n} * h * w * c));
  return g;
}

/// A random int8 FULLY_CONNECTED with symmetric weights.
inline Graph RandomFullyConnected(Random& r, std::vector<uint8_t>* input) {
  const int batches = r.Int(1, 3), depth = r.Int(1, 37), out = r.Int(1, 9);
  Graph g;
  Node node;
  node.op = OpKind::kFullyConnected;
  node.source_op = "FULLY_CONNECTED";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt8, {batches, depth}, Quant({0.05f}, r.Int(-128, 127))));
  node.inputs.push_back(AddTensor(g, "weights", DType::kInt8, {out, depth}, Quant(r.Scales(r.Int(0, 1) ? out : 1), 0),
                                  Bytes(r.Bytes(int64_t{out} * depth))));
  if (r.Int(0, 3) != 0) node.inputs.push_back(AddTensor(g, "bias", DType::kInt32, {out}, {}, Bytes(r.Bias(out))));
  node.outputs.push_back(AddTensor(g, "output", DType::kInt8, {batches, out}, Quant({0.3f}, r.Int(-128, 127))));
  node.attrs.set("activation", std::string(r.Int(0, 1) ? "RELU" : "NONE"));
  g.nodes.push_back(node);
  MakeModel(g);
  *input = Bytes(r.Bytes(int64_t{batches} * depth));
  return g;
}

/// A random int8 MAX_POOL_2D or AVERAGE_POOL_2D (`average`). `large`: an
/// average over windows of more than 256 taps (pool_dsp folds its int16
/// lanes every 256 / width rows), on inputs of mostly -128 or mostly 127.
inline Graph RandomPool(Random& r, bool average, std::vector<uint8_t>* input, bool large = false) {
  const int n = r.Int(1, 2), h = large ? r.Int(17, 24) : r.Int(1, 9), w = large ? r.Int(17, 24) : r.Int(1, 9);
  const int c = r.Int(1, 13);
  const int kh = large ? r.Int(17, h) : r.Int(1, 4), kw = large ? r.Int(17, w) : r.Int(1, 4);
  const bool same = r.Int(0, 1) == 1;
  const int stride_h = r.Int(1, 3), stride_w = r.Int(1, 3);
  const int oh = same ? (h + stride_h - 1) / stride_h : (h + stride_h - kh) / stride_h;
  const int ow = same ? (w + stride_w - 1) / stride_w : (w + stride_w - kw) / stride_w;
  if (oh < 1 || ow < 1) return RandomPool(r, average, input, large);
  const char* activations[] = {"NONE", "RELU", "RELU6"};
  const Quantization q = Quant({0.05f}, r.Int(-128, 127));
  Graph g;
  Node node;
  node.op = average ? OpKind::kAveragePool2D : OpKind::kMaxPool2D;
  node.source_op = average ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  node.inputs.push_back(AddTensor(g, "input", DType::kInt8, {n, h, w, c}, q));
  node.outputs.push_back(AddTensor(g, "output", DType::kInt8, {n, oh, ow, c}, q));
  node.attrs.set("padding", std::string(same ? "SAME" : "VALID"));
  node.attrs.set("stride_h", int64_t{stride_h});
  node.attrs.set("stride_w", int64_t{stride_w});
  node.attrs.set("filter_h", int64_t{kh});
  node.attrs.set("filter_w", int64_t{kw});
  node.attrs.set("activation", std::string(activations[r.Int(0, 2)]));
  g.nodes.push_back(node);
  MakeModel(g);
  std::vector<int8_t> values = r.Bytes(int64_t{n} * h * w * c);
  // Large windows: mostly -128 or mostly 127, sums beyond an int16 lane.
  if (large) {
    const int8_t extreme = r.Int(0, 1) == 1 ? 127 : -128;
    for (size_t i = 0; i < values.size(); ++i)
      if (i % 7 != 0) values[i] = extreme;
  }
  *input = Bytes(values);
  return g;
}

}  // namespace kiln::test

#endif  // KILN_TESTS_KERNELS_RANDOM_LAYERS_H_
