// Tests of MEAN: int8 on each of TFLite Micro's three paths (the truncating
// mean of the raw values, reference_ops::Mean; QuantizedMeanOrSum; and the
// rounded 4-D spatial mean, reference_integer_ops::Mean; expectations from
// psm_reference.py) and the choice among them, float32, axis sets
// (negative, duplicate, non-adjacent, empty), keep_dims, and
// CheckMean / LowerMean.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/psm_expected.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/mean_f32.h"
#include "kiln/kernels/mean_s8.h"

namespace kiln::test {
namespace {

using psm::GraphBuilder;

struct MeanSpec {
  DType dtype;
  Shape in_shape;
  std::vector<int32_t> axes;
  bool keep_dims;
  Shape out_shape;
  float in_scale = 0.5f;
  int64_t in_zp = 3;
  float out_scale = 0.5f;
  int64_t out_zp = 3;
};

GraphBuilder MeanGraph(const MeanSpec& s) {
  GraphBuilder b;
  const bool q = s.dtype == DType::kInt8;
  const int in = b.Tensor("in", s.dtype, s.in_shape, q ? s.in_scale : 0.0f, s.in_zp);
  const int axes =
      b.ConstInt32("axes", {static_cast<int32_t>(s.axes.size())}, s.axes);
  const int out = b.Tensor("out", s.dtype, s.out_shape, q ? s.out_scale : 0.0f, s.out_zp);
  b.Op(OpKind::kMean, {in, axes}, {out}).attrs.set("keep_dims", int64_t{s.keep_dims ? 1 : 0});
  return b;
}

struct Lowering {
  std::map<std::string, std::string> fields;
  std::vector<int64_t> scratch;
  std::string kernel;
  std::string statement;
};

Lowering Lower(const MeanSpec& s) {
  GraphBuilder b = MeanGraph(s);
  const Status check = CheckMean(b.graph, b.graph.nodes[0]);
  EXPECT_TRUE(check.ok()) << check.message();
  RecordingLoweringContext ctx(b.graph);
  EXPECT_TRUE(LowerMean(b.graph.nodes[0], ctx).ok());
  Lowering l;
  l.fields = psm::DeclaredFields(ctx);
  l.scratch = ctx.scratch_bytes;
  l.kernel = ctx.kernels.empty() ? "" : ctx.kernels[0];
  l.statement = ctx.statements.empty() ? "" : ctx.statements[0];
  return l;
}

template <typename Params>
void FillLayout(const std::map<std::string, std::string>& f, Params* p) {
  p->num_dims = psm::IntField(f, "num_dims");
  const auto dims = psm::IntArrayField(f, "input_dims");
  const auto strides = psm::IntArrayField(f, "output_strides");
  for (size_t i = 0; i < dims.size(); ++i) p->input_dims[i] = dims[i];
  for (size_t i = 0; i < strides.size(); ++i) p->output_strides[i] = strides[i];
  p->num_outputs = psm::IntField(f, "num_outputs");
  p->num_elements_in_axis = psm::IntField(f, "num_elements_in_axis");
}

std::vector<int32_t> RunS8(const MeanSpec& s, const std::vector<int32_t>& input) {
  const Lowering l = Lower(s);
  EXPECT_EQ(l.kernel, "mean_s8");
  kiln_mean_s8_params_t p{};
  FillLayout(l.fields, &p);
  p.method = psm::IntField(l.fields, "method");
  p.input_zero_point = psm::IntField(l.fields, "input_zero_point");
  p.output_zero_point = psm::IntField(l.fields, "output_zero_point");
  p.output_multiplier = psm::IntField(l.fields, "output_multiplier");
  p.output_shift = psm::IntField(l.fields, "output_shift");
  EXPECT_EQ(l.scratch, std::vector<int64_t>{p.num_outputs * 4});
  std::vector<int8_t> in(input.begin(), input.end());
  std::vector<int8_t> out(static_cast<size_t>(p.num_outputs));
  std::vector<int32_t> scratch(static_cast<size_t>(p.num_outputs), 12345);
  kiln_mean_s8(&p, in.data(), out.data(), scratch.data());
  return std::vector<int32_t>(out.begin(), out.end());
}

std::vector<float> RunF32(const MeanSpec& s, const std::vector<float>& in) {
  const Lowering l = Lower(s);
  EXPECT_EQ(l.kernel, "mean_f32");
  EXPECT_TRUE(l.scratch.empty());
  kiln_mean_f32_params_t p{};
  FillLayout(l.fields, &p);
  std::vector<float> out(static_cast<size_t>(p.num_outputs), 99.0f);
  kiln_mean_f32(&p, in.data(), out.data());
  return out;
}

int Method(const MeanSpec& s) { return psm::IntField(Lower(s).fields, "method"); }

std::vector<int32_t> Values(const int32_t* begin, const int32_t* end) {
  return std::vector<int32_t>(begin, end);
}

TEST(MeanS8, EqualQuantizationTruncatesTowardZero) {
  // [1,2,2,3] over H and W without keep_dims.
  const MeanSpec s{DType::kInt8, {1, 2, 2, 3}, {1, 2}, false, {1, 3}};
  EXPECT_EQ(Method(s), KILN_MEAN_TRUNCATE);
  // Channel sums 7, -7, -512 over 4: 1.75 -> 1, -1.75 -> -1, -128.
  EXPECT_EQ(RunS8(s, {1, -1, -128, 2, -2, -128, 2, -2, -128, 2, -2, -128}),
            (std::vector<int32_t>{1, -1, -128}));
}

TEST(MeanS8, SpatialMeanWithKeepDimsRoundsAsTfliteMicro) {
  // The global average pool of a PyTorch-converted MobileNetV2: equal
  // quantization in and out, and still not the truncating path.
  const MeanSpec s{DType::kInt8, {1, 7, 7, 16}, {1, 2}, true, {1, 1, 1, 16},
                   0.070548f, -9, 0.070548f, -9};
  const Lowering l = Lower(s);
  EXPECT_EQ(psm::IntField(l.fields, "method"), KILN_MEAN_ROUNDED_SPATIAL);
  EXPECT_EQ(psm::IntField(l.fields, "output_multiplier"), psm_expected::kMeanSpatialParams[0]);
  EXPECT_EQ(psm::IntField(l.fields, "output_shift"), psm_expected::kMeanSpatialParams[1]);
  EXPECT_EQ(RunS8(s, Values(std::begin(psm_expected::kMeanSpatialInput),
                            std::end(psm_expected::kMeanSpatialInput))),
            Values(std::begin(psm_expected::kMeanSpatialOutput),
                   std::end(psm_expected::kMeanSpatialOutput)));
}

TEST(MeanS8, SpatialMeanRequantizesBeforeRounding) {
  const MeanSpec s{DType::kInt8, {1, 3, 5, 6}, {2, 1}, true, {1, 1, 1, 6}, 0.05f, 3, 0.02f, -4};
  const Lowering l = Lower(s);
  EXPECT_EQ(psm::IntField(l.fields, "method"), KILN_MEAN_ROUNDED_SPATIAL);
  EXPECT_EQ(psm::IntField(l.fields, "output_multiplier"),
            psm_expected::kMeanSpatialRequantParams[0]);
  EXPECT_EQ(psm::IntField(l.fields, "output_shift"), psm_expected::kMeanSpatialRequantParams[1]);
  EXPECT_EQ(RunS8(s, Values(std::begin(psm_expected::kMeanSpatialRequantInput),
                            std::end(psm_expected::kMeanSpatialRequantInput))),
            Values(std::begin(psm_expected::kMeanSpatialRequantOutput),
                   std::end(psm_expected::kMeanSpatialRequantOutput)));
}

TEST(MeanS8, TakesTheSpatialPathOnlyWhereTfliteMicroDoes) {
  // TFLite Micro tests the axes as written: negative or repeated axes, a
  // rank other than 4 or no keep_dims fall through to the general paths.
  EXPECT_EQ(Method({DType::kInt8, {1, 2, 2, 3}, {-3, -2}, true, {1, 1, 1, 3}}),
            KILN_MEAN_TRUNCATE);
  EXPECT_EQ(Method({DType::kInt8, {1, 2, 2, 3}, {1, 2, 2}, true, {1, 1, 1, 3}}),
            KILN_MEAN_TRUNCATE);
  EXPECT_EQ(Method({DType::kInt8, {2, 2, 3}, {1, 2}, true, {2, 1, 1}}), KILN_MEAN_TRUNCATE);
  EXPECT_EQ(Method({DType::kInt8, {1, 2, 2, 3}, {1, 2}, false, {1, 3}, 0.5f, 3, 0.25f, 3}),
            KILN_MEAN_REQUANTIZE);
  EXPECT_EQ(Method({DType::kInt8, {1, 2, 2, 3}, {2, 1}, true, {1, 1, 1, 3}, 0.5f, 3, 0.25f, 3}),
            KILN_MEAN_ROUNDED_SPATIAL);
}

TEST(MeanS8, RequantizesWithFoldedCount) {
  // 11 rows of 6 values with the sums psm_reference.py used.
  std::vector<int32_t> input;
  for (int32_t sum : psm_expected::kMeanRequantSums) {
    int32_t q = sum / 6, r = sum % 6;
    if (r < 0) {
      q -= 1;
      r += 6;
    }
    for (int i = 0; i < 6; ++i) input.push_back(q + (i < r ? 1 : 0));
  }
  const MeanSpec s{DType::kInt8, {11, 6}, {-1}, false, {11}, 0.2f, -5, 0.15f, 7};
  const Lowering l = Lower(s);
  EXPECT_EQ(psm::IntField(l.fields, "method"), KILN_MEAN_REQUANTIZE);
  EXPECT_EQ(psm::IntField(l.fields, "output_multiplier"), psm_expected::kMeanRequantParams[0]);
  EXPECT_EQ(psm::IntField(l.fields, "output_shift"), psm_expected::kMeanRequantParams[1]);
  EXPECT_EQ(RunS8(s, input),
            std::vector<int32_t>(std::begin(psm_expected::kMeanRequantOutputs),
                                 std::end(psm_expected::kMeanRequantOutputs)));
}

TEST(MeanS8, ZeroPointOnlyDifferenceRequantizes) {
  // Same scale, zero point 0 -> 10: mean(x - 0) + 10, rounded.
  const MeanSpec s{DType::kInt8, {1, 4}, {1}, true, {1, 1}, 0.5f, 0, 0.5f, 10};
  // Sum 6 over 4 = 1.5; 1.5 * 1 rounds to 2 (multiplier 2^30 >> 2 with shift
  // -1 after folding), + 10 = 12.
  EXPECT_EQ(RunS8(s, {0, 1, 2, 3}), std::vector<int32_t>{12});
  EXPECT_EQ(RunS8(s, {120, 120, 120, 121}), std::vector<int32_t>{127});  // clamps
}

TEST(MeanS8, NonAdjacentNegativeAndDuplicateAxes) {
  // [2,3,4] over axes {0, 2} written as {0, -1, 2}: output [3].
  const MeanSpec s{DType::kInt8, {2, 3, 4}, {0, -1, 2}, false, {3}};
  std::vector<int32_t> in(24);
  for (int i = 0; i < 24; ++i) in[i] = (i * 37) % 256 - 128;
  // Plain sums per middle index j over i in {0,1}, k in 0..3, truncated / 8.
  std::vector<int32_t> expected;
  for (int j = 0; j < 3; ++j) {
    int32_t sum = 0;
    for (int i = 0; i < 2; ++i)
      for (int k = 0; k < 4; ++k) sum += in[(i * 3 + j) * 4 + k];
    expected.push_back(sum / 8);
  }
  EXPECT_EQ(RunS8(s, in), expected);
}

TEST(MeanS8, EmptyAxesIsIdentity) {
  const MeanSpec s{DType::kInt8, {2, 2}, {}, false, {2, 2}};
  EXPECT_EQ(RunS8(s, {-128, -1, 0, 127}), (std::vector<int32_t>{-128, -1, 0, 127}));
}

TEST(MeanF32, AxesCombinations) {
  std::vector<float> in(2 * 3 * 4 * 5);
  for (size_t i = 0; i < in.size(); ++i) in[i] = std::sin(static_cast<float>(i)) * 10.0f;
  auto at = [&](int a, int b, int c, int d) { return double(in[((a * 3 + b) * 4 + c) * 5 + d]); };
  // Axes {1, 2} with keep_dims: [2,1,1,5].
  const auto hw = RunF32({DType::kFloat32, {2, 3, 4, 5}, {1, 2}, true, {2, 1, 1, 5}}, in);
  for (int a = 0; a < 2; ++a)
    for (int d = 0; d < 5; ++d) {
      double sum = 0;
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 4; ++c) sum += at(a, b, c, d);
      EXPECT_NEAR(hw[a * 5 + d], sum / 12, 1e-5);
    }
  // Axes {-4, 3}: output [3,4].
  const auto outer = RunF32({DType::kFloat32, {2, 3, 4, 5}, {-4, 3}, false, {3, 4}}, in);
  for (int b = 0; b < 3; ++b)
    for (int c = 0; c < 4; ++c) {
      double sum = 0;
      for (int a = 0; a < 2; ++a)
        for (int d = 0; d < 5; ++d) sum += at(a, b, c, d);
      EXPECT_NEAR(outer[b * 4 + c], sum / 10, 1e-5);
    }
  // All axes: a scalar.
  const auto all = RunF32({DType::kFloat32, {2, 3, 4, 5}, {0, 1, 2, 3}, false, {}}, in);
  double total = 0;
  for (float v : in) total += v;
  EXPECT_NEAR(all[0], total / 120, 1e-5);
}

TEST(MeanLower, MergesDimensionsAndStrides) {
  const Lowering l = Lower({DType::kInt8, {2, 3, 1, 4, 5}, {3, 4, 2}, false, {2, 3}});
  EXPECT_EQ(psm::IntField(l.fields, "num_dims"), 2);
  EXPECT_EQ(psm::IntArrayField(l.fields, "input_dims"), (std::vector<int32_t>{6, 20}));
  EXPECT_EQ(psm::IntArrayField(l.fields, "output_strides"), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(psm::IntField(l.fields, "num_outputs"), 6);
  EXPECT_EQ(psm::IntField(l.fields, "num_elements_in_axis"), 20);
  EXPECT_EQ(psm::IntField(l.fields, "method"), KILN_MEAN_TRUNCATE);
  EXPECT_EQ(l.statement, "kiln_mean_s8(&mean_s8_params_0, t0, t2, (int32_t*)(scratch0));");

  const Lowering m = Lower({DType::kFloat32, {2, 3, 4}, {1}, true, {2, 1, 4}});
  EXPECT_EQ(psm::IntArrayField(m.fields, "input_dims"), (std::vector<int32_t>{2, 3, 4}));
  EXPECT_EQ(psm::IntArrayField(m.fields, "output_strides"), (std::vector<int32_t>{4, 0, 1}));
}

TEST(MeanCheck, RejectsBadModels) {
  const MeanSpec ok{DType::kInt8, {1, 2, 2, 3}, {1, 2}, true, {1, 1, 1, 3}};
  auto check = [&](auto&& mutate) {
    GraphBuilder b = MeanGraph(ok);
    mutate(b);
    return CheckMean(b.graph, b.graph.nodes[0]);
  };
  EXPECT_TRUE(check([](GraphBuilder&) {}).ok());
  Status s = check([](GraphBuilder& b) { b.graph.nodes[0].attrs.set("keep_dims", int64_t{0}); });
  EXPECT_EQ(s.message(), "operator #0 MEAN: output 0 'out' has shape [1,1,1,3], expected [1,3]");
  s = check([](GraphBuilder& b) { b.graph.tensors[1].is_constant = false; });
  EXPECT_EQ(s.message(), "operator #0 MEAN: input 1 (axes 'axes') must be a constant tensor");
  s = check([](GraphBuilder& b) {
    const int32_t bad[] = {1, 4};
    std::memcpy(b.graph.tensors[1].data.data(), bad, 8);
  });
  EXPECT_EQ(s.message(),
            "operator #0 MEAN: axis 4 (input 1 'axes') is out of range for an input of rank 4");
  s = check([](GraphBuilder& b) { b.graph.tensors[1].dtype = DType::kInt64; });
  EXPECT_EQ(s.message(),
            "operator #0 MEAN: input 1 (axes 'axes') has dtype int64, expected int32");
  s = check([](GraphBuilder& b) { b.graph.tensors[2].dtype = DType::kFloat32; });
  EXPECT_EQ(s.message(), "operator #0 MEAN: output 'out' has dtype float32, expected int8");
  s = check([](GraphBuilder& b) { b.graph.tensors[2].quant = {}; });
  EXPECT_EQ(s.message(),
            "operator #0 MEAN: output 'out' needs per-tensor quantization with a positive scale");
}

// int16 MEAN takes any zero point an int16 holds, and none beyond (which the
// generated C's int32 fields and sums could not carry).
TEST(MeanCheck, AnInt16ZeroPointMustBeAnInt16) {
  auto check = [](int64_t in_zp, int64_t out_zp) {
    MeanSpec spec{DType::kInt16, {1, 2, 2, 3}, {1, 2}, true, {1, 1, 1, 3}};
    GraphBuilder b = MeanGraph(spec);
    for (const auto& [t, zp] : {std::pair{0, in_zp}, std::pair{2, out_zp}}) {
      b.graph.tensors[t].quant.scale = {0.5f};
      b.graph.tensors[t].quant.zero_point = {zp};
    }
    return CheckMean(b.graph, b.graph.nodes[0]);
  };
  EXPECT_TRUE(check(0, 0).ok());
  EXPECT_TRUE(check(-32768, 32767).ok()) << check(-32768, 32767).message();
  EXPECT_EQ(check(32768, 0).message(), "operator #0 MEAN: input 'in' has zero point 32768, outside the int16 range");
  EXPECT_EQ(check(0, int64_t{1} << 40).message(),
            "operator #0 MEAN: output 'out' has zero point 1099511627776, outside the int16 range");
}

}  // namespace
}  // namespace kiln::test
