// Tests of AVERAGE_POOL_2D and MAX_POOL_2D: hand-computed int8 and float
// cases (padding, strides, rounding ties of both signs, clipped windows,
// activations), a randomized comparison with a plain window-scan model of
// TFLite's semantics, and CheckPool2D / LowerPool2D.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/avg_pool2d_f32.h"
#include "kiln/kernels/avg_pool2d_s8.h"
#include "kiln/kernels/max_pool2d_f32.h"
#include "kiln/kernels/max_pool2d_s8.h"

namespace kiln::test {
namespace {

using psm::GraphBuilder;

struct PoolSpec {
  OpKind op;
  DType dtype;
  Shape in_shape, out_shape;
  std::string padding;
  int64_t stride_h, stride_w, filter_h, filter_w;
  std::string activation = "NONE";
  float scale = 0.5f;
  int64_t zp = -1;
};

GraphBuilder PoolGraph(const PoolSpec& s) {
  GraphBuilder b;
  const bool q = s.dtype == DType::kInt8;
  const int in = b.Tensor("in", s.dtype, s.in_shape, q ? s.scale : 0.0f, s.zp);
  const int out = b.Tensor("out", s.dtype, s.out_shape, q ? s.scale : 0.0f, s.zp);
  Node& n = b.Op(s.op, {in}, {out});
  n.attrs.set("padding", s.padding);
  n.attrs.set("stride_h", s.stride_h);
  n.attrs.set("stride_w", s.stride_w);
  n.attrs.set("filter_h", s.filter_h);
  n.attrs.set("filter_w", s.filter_w);
  n.attrs.set("activation", s.activation);
  return b;
}

/// Checks and lowers, then returns the declared fields.
std::map<std::string, std::string> Lowered(const PoolSpec& s, std::string* kernel = nullptr) {
  GraphBuilder b = PoolGraph(s);
  const Status check = CheckPool2D(b.graph, b.graph.nodes[0]);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerPool2D(b.graph.nodes[0], ctx).ok());
  if (kernel != nullptr && !ctx.kernels.empty()) *kernel = ctx.kernels[0];
  return psm::DeclaredFields(ctx);
}

template <typename Params>
Params Geometry(const std::map<std::string, std::string>& f) {
  Params p{};
  p.batches = psm::IntField(f, "batches");
  p.input_height = psm::IntField(f, "input_height");
  p.input_width = psm::IntField(f, "input_width");
  p.depth = psm::IntField(f, "depth");
  p.output_height = psm::IntField(f, "output_height");
  p.output_width = psm::IntField(f, "output_width");
  p.stride_height = psm::IntField(f, "stride_height");
  p.stride_width = psm::IntField(f, "stride_width");
  p.filter_height = psm::IntField(f, "filter_height");
  p.filter_width = psm::IntField(f, "filter_width");
  p.padding_height = psm::IntField(f, "padding_height");
  p.padding_width = psm::IntField(f, "padding_width");
  return p;
}

std::vector<int32_t> RunS8(const PoolSpec& s, const std::vector<int32_t>& input) {
  std::string kernel;
  const auto f = Lowered(s, &kernel);
  std::vector<int8_t> in(input.begin(), input.end());
  size_t out_size = 1;
  for (int32_t d : s.out_shape) out_size *= static_cast<size_t>(d);
  std::vector<int8_t> out(out_size, 0);
  if (s.op == OpKind::kAveragePool2D) {
    EXPECT_EQ(kernel, "avg_pool2d_s8");
    auto p = Geometry<kiln_avg_pool2d_s8_params_t>(f);
    p.activation_min = psm::IntField(f, "activation_min");
    p.activation_max = psm::IntField(f, "activation_max");
    kiln_avg_pool2d_s8(&p, in.data(), out.data());
  } else {
    EXPECT_EQ(kernel, "max_pool2d_s8");
    auto p = Geometry<kiln_max_pool2d_s8_params_t>(f);
    p.activation_min = psm::IntField(f, "activation_min");
    p.activation_max = psm::IntField(f, "activation_max");
    kiln_max_pool2d_s8(&p, in.data(), out.data());
  }
  return std::vector<int32_t>(out.begin(), out.end());
}

std::vector<float> RunF32(const PoolSpec& s, const std::vector<float>& in) {
  std::string kernel;
  const auto f = Lowered(s, &kernel);
  size_t out_size = 1;
  for (int32_t d : s.out_shape) out_size *= static_cast<size_t>(d);
  std::vector<float> out(out_size, 0.0f);
  if (s.op == OpKind::kAveragePool2D) {
    EXPECT_EQ(kernel, "avg_pool2d_f32");
    auto p = Geometry<kiln_avg_pool2d_f32_params_t>(f);
    p.activation_min = psm::FloatField(f, "activation_min");
    p.activation_max = psm::FloatField(f, "activation_max");
    kiln_avg_pool2d_f32(&p, in.data(), out.data());
  } else {
    EXPECT_EQ(kernel, "max_pool2d_f32");
    auto p = Geometry<kiln_max_pool2d_f32_params_t>(f);
    p.activation_min = psm::FloatField(f, "activation_min");
    p.activation_max = psm::FloatField(f, "activation_max");
    kiln_max_pool2d_f32(&p, in.data(), out.data());
  }
  return out;
}

TEST(AvgPool2DS8, ValidStrideTwoRoundsTiesAwayFromZero) {
  const PoolSpec s{OpKind::kAveragePool2D, DType::kInt8, {1, 4, 4, 1}, {1, 2, 2, 1}, "VALID",
                   2, 2, 2, 2};
  // Window sums 14, 22, -14, -22 over 4: 3.5 -> 4, 5.5 -> 6, -3.5 -> -4, -5.5 -> -6.
  EXPECT_EQ(RunS8(s, {1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8}),
            (std::vector<int32_t>{4, 6, -4, -6}));
}

TEST(AvgPool2DS8, SamePaddingAveragesOnlyInBoundsElements) {
  // 3x3 input, 2x2 window, stride 2, SAME: output 2x2, total padding 1 with
  // none before, so the right and bottom windows are clipped.
  const PoolSpec s{OpKind::kAveragePool2D, DType::kInt8, {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME",
                   2, 2, 2, 2};
  EXPECT_EQ(RunS8(s, {10, 20, 30, 40, 50, 60, 70, 80, 90}),
            (std::vector<int32_t>{30, 45, 75, 90}));
}

TEST(AvgPool2DS8, SamePaddingBeforeAndNegativeRounding) {
  // 1x3 input, 1x3 window, stride 1, SAME: padding 1 on each side; windows
  // {a,b}, {a,b,c}, {b,c}. Sums -3/2 -> -2, -2/3 -> -1, 2/2 -> 1.
  const PoolSpec s{OpKind::kAveragePool2D, DType::kInt8, {1, 1, 3, 1}, {1, 1, 3, 1}, "SAME",
                   1, 1, 1, 3};
  EXPECT_EQ(RunS8(s, {-4, 1, 1}), (std::vector<int32_t>{-2, -1, 1}));
  // -1/2 -> -1, -1/3 -> 0, 0/2 -> 0.
  EXPECT_EQ(RunS8(s, {-1, 0, 0}), (std::vector<int32_t>{-1, 0, 0}));
  // -5/2 = -2.5 -> -3, 5/3 = 1.67 -> 2, 10/2 -> 5.
  EXPECT_EQ(RunS8(s, {-5, 0, 10}), (std::vector<int32_t>{-3, 2, 5}));
}

TEST(AvgPool2DS8, ActivationRangeFromOutputQuantization) {
  // RELU6 with scale 0.1, zero point -20: clamp to [-20, 40].
  PoolSpec s{OpKind::kAveragePool2D, DType::kInt8, {1, 1, 4, 2}, {1, 1, 2, 2}, "VALID",
             1, 2, 1, 2, "RELU6", 0.1f, -20};
  EXPECT_EQ(RunS8(s, {-100, 100, -90, 110, 0, 30, 10, 32}),
            (std::vector<int32_t>{-20, 40, 5, 31}));
}

TEST(MaxPool2DS8, SamePaddingBatchesAndChannels) {
  // 2 batches, 2x2x2 input, 2x2 window stride 1 SAME -> 2x2 output; padding
  // after only, so windows clip at the right/bottom.
  const PoolSpec s{OpKind::kMaxPool2D, DType::kInt8, {2, 2, 2, 2}, {2, 2, 2, 2}, "SAME",
                   1, 1, 2, 2};
  const std::vector<int32_t> in = {
      // batch 0: (y,x) -> (c0, c1)
      1, -1, 2, -2, 3, -3, 4, -128,
      // batch 1
      -128, 5, -100, 6, -90, 7, -80, 8};
  EXPECT_EQ(RunS8(s, in), (std::vector<int32_t>{4, -1, 4, -2, 4, -3, 4, -128,  //
                                                -80, 8, -80, 8, -80, 8, -80, 8}));
}

TEST(MaxPool2DS8, ReluClampsFromOutputZeroPoint) {
  PoolSpec s{OpKind::kMaxPool2D, DType::kInt8, {1, 2, 2, 1}, {1, 1, 1, 1}, "VALID",
             2, 2, 2, 2, "RELU", 0.25f, 10};
  EXPECT_EQ(RunS8(s, {-50, -40, -30, -20}), std::vector<int32_t>{10});
  PoolSpec t = s;
  t.activation = "RELU_N1_TO_1";  // [10 - 4, 10 + 4]
  EXPECT_EQ(RunS8(t, {-50, 100, -30, -20}), std::vector<int32_t>{14});
}

TEST(Pool2DF32, AverageAndMaxWithActivation) {
  const PoolSpec avg{OpKind::kAveragePool2D, DType::kFloat32, {1, 3, 3, 1}, {1, 2, 2, 1},
                     "SAME", 2, 2, 2, 2, "RELU"};
  EXPECT_EQ(RunF32(avg, {1, 2, 3, 4, 5, 6, 7, 8, -9}),
            (std::vector<float>{3.0f, 4.5f, 7.5f, 0.0f}));
  const PoolSpec max{OpKind::kMaxPool2D, DType::kFloat32, {1, 3, 3, 1}, {1, 2, 2, 1},
                     "SAME", 2, 2, 2, 2, "RELU_N1_TO_1"};
  EXPECT_EQ(RunF32(max, {-5, -4, -3, -2, 0.5f, -6, -7, -8, -9}),
            (std::vector<float>{0.5f, -1.0f, -1.0f, -1.0f}));
  const PoolSpec none{OpKind::kMaxPool2D, DType::kFloat32, {1, 1, 2, 1}, {1, 1, 1, 1},
                      "VALID", 1, 1, 1, 2};
  EXPECT_EQ(RunF32(none, {-FLT_MAX, -3e38f}), std::vector<float>{-3e38f});
}

/// A window-scan model of TFLite's pooling: visits every filter tap and
/// skips those outside the input.
std::vector<int32_t> ModelPoolS8(bool is_max, const std::vector<int32_t>& in, int h, int w, int c,
                                 int fh, int fw, int sh, int sw, int oh, int ow, int ph, int pw) {
  std::vector<int32_t> out;
  for (int oy = 0; oy < oh; ++oy)
    for (int ox = 0; ox < ow; ++ox)
      for (int ch = 0; ch < c; ++ch) {
        int64_t sum = 0, n = 0, mx = -128;
        for (int ky = 0; ky < fh; ++ky)
          for (int kx = 0; kx < fw; ++kx) {
            const int y = oy * sh - ph + ky, x = ox * sw - pw + kx;
            if (y < 0 || y >= h || x < 0 || x >= w) continue;
            const int32_t v = in[(y * w + x) * c + ch];
            sum += v;
            ++n;
            mx = std::max<int64_t>(mx, v);
          }
        if (is_max) {
          out.push_back(static_cast<int32_t>(mx));
        } else {
          // Nearest, ties away from zero.
          const double q = static_cast<double>(sum) / static_cast<double>(n);
          out.push_back(static_cast<int32_t>(q < 0 ? -std::floor(-q + 0.5) : std::floor(q + 0.5)));
        }
      }
  return out;
}

TEST(Pool2DS8, RandomGeometriesMatchWindowScanModel) {
  uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  int compared = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int h = 1 + next() % 9, w = 1 + next() % 9, c = 1 + next() % 3;
    const int fh = 1 + next() % 4, fw = 1 + next() % 4, sh = 1 + next() % 3, sw = 1 + next() % 3;
    const bool same = next() % 2 == 0;
    const bool is_max = next() % 2 == 0;
    const int oh = same ? (h + sh - 1) / sh : (h - fh + sh) / sh;
    const int ow = same ? (w + sw - 1) / sw : (w - fw + sw) / sw;
    if (oh < 1 || ow < 1) continue;
    const int ph = std::max(0, ((oh - 1) * sh + fh - h)) / 2;
    const int pw = std::max(0, ((ow - 1) * sw + fw - w)) / 2;
    std::vector<int32_t> in(static_cast<size_t>(h * w * c));
    for (auto& v : in) v = static_cast<int32_t>(next() >> 24) - 128;
    const PoolSpec s{is_max ? OpKind::kMaxPool2D : OpKind::kAveragePool2D,
                     DType::kInt8,
                     {1, h, w, c},
                     {1, oh, ow, c},
                     same ? "SAME" : "VALID",
                     sh,
                     sw,
                     fh,
                     fw};
    EXPECT_EQ(RunS8(s, in), ModelPoolS8(is_max, in, h, w, c, fh, fw, sh, sw, oh, ow, ph, pw))
        << "trial " << trial;
    ++compared;
  }
  // Geometries with an empty output are skipped above; most are not.
  EXPECT_GE(compared, 40);
}

TEST(Pool2DLower, ComputesPaddingAndKernel) {
  const PoolSpec s{OpKind::kAveragePool2D, DType::kInt8, {1, 5, 6, 3}, {1, 3, 3, 3}, "SAME",
                   2, 2, 3, 4, "RELU6", 0.05f, 0};
  std::string kernel;
  const auto f = Lowered(s, &kernel);
  EXPECT_EQ(kernel, "avg_pool2d_s8");
  // H: out 3, total (3-1)*2 + 3 - 5 = 2 -> 1 before. W: out 3, total 4 + 4 - 6 = 2 -> 1.
  EXPECT_EQ(psm::IntField(f, "padding_height"), 1);
  EXPECT_EQ(psm::IntField(f, "padding_width"), 1);
  EXPECT_EQ(psm::IntField(f, "activation_min"), 0);
  EXPECT_EQ(psm::IntField(f, "activation_max"), 120);
  const auto g = Lowered({OpKind::kMaxPool2D, DType::kFloat32, {1, 5, 6, 3}, {1, 3, 3, 3},
                          "SAME", 2, 2, 3, 4, "RELU6"});
  EXPECT_EQ(g.at("activation_min"), "0.0f");
  EXPECT_EQ(g.at("activation_max"), "6.0f");
  const auto n = Lowered({OpKind::kMaxPool2D, DType::kFloat32, {1, 5, 6, 3}, {1, 3, 3, 3},
                          "SAME", 2, 2, 3, 4});
  EXPECT_EQ(n.at("activation_min"), "-3.40282347e+38f");
  EXPECT_EQ(n.at("activation_max"), "3.40282347e+38f");
}

TEST(Pool2DCheck, RejectsBadModels) {
  auto check = [](const PoolSpec& s, auto&& mutate) {
    GraphBuilder b = PoolGraph(s);
    mutate(b);
    return CheckPool2D(b.graph, b.graph.nodes[0]);
  };
  const PoolSpec ok{OpKind::kAveragePool2D, DType::kInt8, {1, 4, 4, 2}, {1, 2, 2, 2}, "VALID",
                    2, 2, 2, 2};
  EXPECT_TRUE(check(ok, [](GraphBuilder&) {}).ok());

  Status s = check(ok, [](GraphBuilder& b) { b.graph.tensors[1].shape = {1, 3, 3, 2}; });
  EXPECT_EQ(s.message(),
            "operator #0 AVERAGE_POOL_2D: output 0 'out' has shape [1,3,3,2], expected [1,2,2,2]");
  s = check(ok, [](GraphBuilder& b) { b.graph.nodes[0].attrs.set("padding", "FULL"); });
  EXPECT_EQ(s.message(), "operator #0 AVERAGE_POOL_2D: padding must be SAME or VALID, got 'FULL'");
  s = check(ok, [](GraphBuilder& b) { b.graph.nodes[0].attrs.set("stride_w", int64_t{0}); });
  EXPECT_EQ(s.message(),
            "operator #0 AVERAGE_POOL_2D: attribute stride_w must be between 1 and 2^31-1, got 0");
  s = check(ok, [](GraphBuilder& b) { b.graph.tensors[0].shape = {4, 4, 2}; });
  EXPECT_EQ(s.message(),
            "operator #0 AVERAGE_POOL_2D: input 'in' must have rank 4 [N,H,W,C], got shape "
            "[4,4,2]");
  s = check(ok, [](GraphBuilder& b) { b.graph.tensors[1].quant.zero_point = {0}; });
  EXPECT_EQ(s.message(),
            "operator #0 AVERAGE_POOL_2D: input 'in' (scale 0.5, zero point -1) and output 'out' "
            "(scale 0.5, zero point 0) must have the same quantization");
  s = check(ok, [](GraphBuilder& b) { b.graph.tensors[1].dtype = DType::kInt16; });
  EXPECT_EQ(s.message(), "operator #0 AVERAGE_POOL_2D: output 'out' has dtype int16, expected int8");
  s = check(ok, [](GraphBuilder& b) { b.graph.nodes[0].attrs.set("filter_h", int64_t{5}); });
  EXPECT_EQ(s.message(),
            "operator #0 AVERAGE_POOL_2D: the 5x2 VALID window does not fit the 4x4 input "
            "(output would be empty)");
  s = check(ok, [](GraphBuilder& b) { b.graph.nodes[0].attrs.set("activation", "TANH"); });
  EXPECT_EQ(s.message(), "operator #0 AVERAGE_POOL_2D: fused activation TANH is not supported");
}

}  // namespace
}  // namespace kiln::test
