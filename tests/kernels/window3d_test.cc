// Tests of CONV_3D and the 3-D pools (kernels/window3d.cc,
// runtime/kernels/conv3d_f32.c and pool3d_f32.c): the kernels against the
// definitions written out here in double precision (each output the sum,
// maximum or mean over its window's taps inside the input), with groups,
// strides, dilations, leading pads and a window hanging over the far edge;
// the geometry the lowering declares; the checks' errors.
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/conv3d_f32.h"
#include "kiln/kernels/pool3d_f32.h"

namespace kiln::test::elem {
namespace {

int32_t Field(const std::map<std::string, std::string>& p, const char* name) {
  return static_cast<int32_t>(ParseInt(p.at(name)));
}

std::vector<float> Ramp(size_t n, float scale) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>((static_cast<int>(i * 7) % 11) - 5);
  return v;
}

TEST(Conv3D, GroupsStridesDilationsAndPadsAgainstTheDefinition) {
  // input [1, 5, 4, 6, 4], filter [2, 3, 2, 2, 6] (2 groups of 2 input and 3
  // output channels), strides (2, 1, 2), dilations (1, 2, 1), pads in front
  // (1, 1, 0): output [1, 3, 2, 3, 6].
  const int32_t D = 5, H = 4, W = 6, C = 4, KD = 2, KH = 3, KW = 2, GI = 2, CO = 6, OD = 3, OH = 2, OW = 3;
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {1, D, H, W, C});
  const int w = AddTensor(g, "w", DType::kFloat32, {KD, KH, KW, GI, CO});
  const int bias = AddTensor(g, "bias", DType::kFloat32, {CO});
  const int out = AddTensor(g, "out", DType::kFloat32, {1, OD, OH, OW, CO});
  Node& node = AddNode(g, OpKind::kConv3D, "CONV_3D", {in, w, bias}, {out});
  const int64_t strides[3] = {2, 1, 2}, dilations[3] = {1, 2, 1}, pads[3] = {1, 1, 0};
  const char* axes[3] = {"d", "h", "w"};
  const char* pad_names[3] = {"pad_front", "pad_top", "pad_left"};
  for (int a = 0; a < 3; ++a) {
    node.attrs.set(std::string("stride_") + axes[a], strides[a]);
    node.attrs.set(std::string("dilation_") + axes[a], dilations[a]);
    node.attrs.set(pad_names[a], pads[a]);
  }
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  ASSERT_EQ(ctx.kernels, std::vector<std::string>{"conv3d_f32"});
  const auto p = ParseParams(ctx.declarations.at(0));
  kiln_conv3d_f32_params_t params{};
  params.batches = Field(p, "batches");
  params.in_d = Field(p, "in_d"), params.in_h = Field(p, "in_h"), params.in_w = Field(p, "in_w");
  params.in_c = Field(p, "in_c"), params.out_c = Field(p, "out_c");
  params.out_d = Field(p, "out_d"), params.out_h = Field(p, "out_h"), params.out_w = Field(p, "out_w");
  params.filter_d = Field(p, "filter_d"), params.filter_h = Field(p, "filter_h"), params.filter_w = Field(p, "filter_w");
  params.stride_d = Field(p, "stride_d"), params.stride_h = Field(p, "stride_h"), params.stride_w = Field(p, "stride_w");
  params.dilation_d = Field(p, "dilation_d"), params.dilation_h = Field(p, "dilation_h");
  params.dilation_w = Field(p, "dilation_w");
  params.pad_d = Field(p, "pad_d"), params.pad_h = Field(p, "pad_h"), params.pad_w = Field(p, "pad_w");
  params.groups = Field(p, "groups");
  params.activation_min = ParseFloat(p.at("activation_min"));
  params.activation_max = ParseFloat(p.at("activation_max"));
  EXPECT_EQ(params.groups, 2);

  const std::vector<float> x = Ramp(D * H * W * C, 0.5f), f = Ramp(KD * KH * KW * GI * CO, 0.25f);
  const std::vector<float> b = {0.5f, -1, 2, 0, 0.25f, -0.75f};
  std::vector<float> y(OD * OH * OW * CO, NAN);
  kiln_conv3d_f32(&params, x.data(), f.data(), b.data(), y.data());
  int checked = 0;
  for (int od = 0; od < OD; ++od)
    for (int oh = 0; oh < OH; ++oh)
      for (int ow = 0; ow < OW; ++ow)
        for (int oc = 0; oc < CO; ++oc) {
          double sum = b[static_cast<size_t>(oc)];
          for (int kd = 0; kd < KD; ++kd)
            for (int kh = 0; kh < KH; ++kh)
              for (int kw = 0; kw < KW; ++kw)
                for (int ic = 0; ic < GI; ++ic) {
                  const int id = od * 2 - 1 + kd, ih = oh - 1 + kh * 2, iw = ow * 2 + kw;
                  if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  const int channel = (oc / 3) * GI + ic;
                  sum += static_cast<double>(x[static_cast<size_t>(((id * H + ih) * W + iw) * C + channel)]) *
                         f[static_cast<size_t>((((kd * KH + kh) * KW + kw) * GI + ic) * CO + oc)];
                }
          EXPECT_NEAR(y[static_cast<size_t>(((od * OH + oh) * OW + ow) * CO + oc)], sum, 1e-4) << od << oh << ow << oc;
          ++checked;
        }
  EXPECT_EQ(checked, OD * OH * OW * CO);

  // A filter whose input channels do not divide the input's is refused.
  g.tensors[1].shape = {KD, KH, KW, 3, CO};
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 CONV_3D: filter 'w' [2,3,2,3,6] does not fit input channels 4 and output channels 6 (groups "
            "of the filter's input channels)");
  // Fewer input channels than the filter's group width (0, found by fuzzing)
  // is refused the same way, not divided by.
  g.tensors[0].shape = {1, D, H, W, 0};
  g.tensors[1].shape = {KD, KH, KW, GI, CO};
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 CONV_3D: filter 'w' [2,3,2,2,6] does not fit input channels 0 and output channels 6 (groups "
            "of the filter's input channels)");
}

TEST(Pool3D, MaxAndMeanOverTheTapsInside) {
  // input [2, 3, 3, 4, 2], window 2x2x3, strides 2, pads in front (1, 0, 1):
  // output [2, 2, 1, 2, 2], the last windows hanging over the far edges.
  const int32_t N = 2, D = 3, H = 3, W = 4, C = 2, OD = 2, OH = 1, OW = 2;
  const std::vector<float> x = Ramp(N * D * H * W * C, 1.5f);
  for (bool average : {false, true}) {
    SCOPED_TRACE(average ? "average" : "max");
    Graph g;
    const int in = AddTensor(g, "in", DType::kFloat32, {N, D, H, W, C});
    const int out = AddTensor(g, "out", DType::kFloat32, {N, OD, OH, OW, C});
    Node& node = AddNode(g, average ? OpKind::kAveragePool3D : OpKind::kMaxPool3D, "POOL_3D", {in}, {out});
    for (const char* a : {"stride_d", "stride_h", "stride_w"}) node.attrs.set(a, int64_t{2});
    node.attrs.set("filter_d", int64_t{2});
    node.attrs.set("filter_h", int64_t{2});
    node.attrs.set("filter_w", int64_t{3});
    node.attrs.set("pad_front", int64_t{1});
    node.attrs.set("pad_top", int64_t{0});
    node.attrs.set("pad_left", int64_t{1});
    RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"pool3d_f32"});
    const auto p = ParseParams(ctx.declarations.at(0));
    kiln_pool3d_f32_params_t params{};
    params.batches = Field(p, "batches"), params.channels = Field(p, "channels");
    params.in_d = Field(p, "in_d"), params.in_h = Field(p, "in_h"), params.in_w = Field(p, "in_w");
    params.out_d = Field(p, "out_d"), params.out_h = Field(p, "out_h"), params.out_w = Field(p, "out_w");
    params.filter_d = Field(p, "filter_d"), params.filter_h = Field(p, "filter_h"), params.filter_w = Field(p, "filter_w");
    params.stride_d = Field(p, "stride_d"), params.stride_h = Field(p, "stride_h"), params.stride_w = Field(p, "stride_w");
    params.pad_d = Field(p, "pad_d"), params.pad_h = Field(p, "pad_h"), params.pad_w = Field(p, "pad_w");
    params.average = Field(p, "average");
    params.activation_min = ParseFloat(p.at("activation_min"));
    params.activation_max = ParseFloat(p.at("activation_max"));
    EXPECT_EQ(params.average, average ? 1 : 0);
    std::vector<float> y(N * OD * OH * OW * C, NAN);
    kiln_pool3d_f32(&params, x.data(), y.data());
    for (int n = 0; n < N; ++n)
      for (int od = 0; od < OD; ++od)
        for (int ow = 0; ow < OW; ++ow)
          for (int c = 0; c < C; ++c) {
            double acc = average ? 0 : -DBL_MAX;
            int count = 0;
            for (int kd = 0; kd < 2; ++kd)
              for (int kh = 0; kh < 2; ++kh)
                for (int kw = 0; kw < 3; ++kw) {
                  const int id = od * 2 - 1 + kd, ih = kh, iw = ow * 2 - 1 + kw;
                  if (id < 0 || id >= D || ih >= H || iw < 0 || iw >= W) continue;
                  const double v = x[static_cast<size_t>((((n * D + id) * H + ih) * W + iw) * C + c)];
                  acc = average ? acc + v : std::max(acc, v);
                  ++count;
                }
            if (average) acc /= count;
            EXPECT_NEAR(y[static_cast<size_t>(((n * OD + od) * OW + ow) * C + c)], acc, 1e-5) << n << od << ow << c;
          }
  }
}

TEST(Pool3D, SamePaddingAndItsErrors) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {1, 5, 5, 5, 1});
  const int out = AddTensor(g, "out", DType::kFloat32, {1, 3, 3, 3, 1});
  Node& node = AddNode(g, OpKind::kMaxPool3D, "MAX_POOL_3D", {in}, {out});
  for (const char* a : {"stride_d", "stride_h", "stride_w", "filter_d", "filter_h", "filter_w"})
    node.attrs.set(a, int64_t{2});
  node.attrs.set("padding", std::string("SAME"));
  const auto p = ParseParams(CheckAndLower(g, g.nodes[0]).declarations.at(0));
  EXPECT_EQ(p.at("pad_d"), "0");  // TFLite's SAME: (3 - 1) * 2 + 2 - 5 = 1 in all, none of it in front
  node.attrs.set("padding", std::string("VALID"));
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 MAX_POOL_3D: output 'out' has extent 3 along d, expected 2 (VALID padding)");
  g.tensors[0].shape = {1, 5, 5, 5};
  EXPECT_EQ(CheckError(g, g.nodes[0]), "operator #0 MAX_POOL_3D: 'in' has shape [1,5,5,5], expected rank 5 (NDHWC)");
}

}  // namespace
}  // namespace kiln::test::elem
