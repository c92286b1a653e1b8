// Tests of SVDF (src/kernels/svdf.cc) and its runtime kernels
// (runtime/kernels/svdf_s8.c, svdf_s8_s16.c, svdf_f32.c). Integer expected
// values are worked by hand or come from an independent Python rendering of
// TFLite Micro's EvalIntegerSvdfReference (state aged by one step per run,
// feature matmul requantized with the zero point added before the clamp,
// time dot products, bias, rank reduction, output requantization).
#include <gtest/gtest.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_test_util.h"
#include "kernels/recording_lowering_context.h"
#include "kiln/kernels/svdf_f32.h"
#include "kiln/kernels/svdf_s8.h"
#include "kiln/kernels/svdf_s8_s16.h"

namespace kiln {
namespace {

using test::movement::AddConstant;
using test::movement::AddNode;
using test::movement::AddTensor;
using test::movement::DeclInts;
using test::movement::Quant;

template <typename T>
std::vector<T> Cast(const std::vector<int>& v) {
  return std::vector<T>(v.begin(), v.end());
}

TEST(SvdfS8Kernel, HandComputedTwoRuns) {
  // One batch, 2 inputs, 2 filters (rank 1, so 2 units), 2 time steps.
  // Feature scale 0.5 (2^30, shift 0), output scale 1 (2^30, shift 1),
  // state zero point 10.
  const kiln_svdf_s8_params_t p = {1, 2, 2, 2, 1, 2, 0, 10, 0, 1 << 30, 0, 1 << 30, 1};
  const int8_t wf[4] = {1, 2, 3, -1};
  const int8_t wt[4] = {2, 3, 1, -1};
  const int32_t bias[2] = {5, -1};
  int8_t state[4] = {10, 10, 10, 10};  // TFLite Micro starts at the zero point
  int32_t scratch_f[2], scratch_u[2];
  int8_t out[2];
  // Run 1, input (4, 6): features 16*0.5 = 8 and 6*0.5 = 3, stored as 18
  // and 13; time sums 3*(18-10) = 24 and -(13-10) = -3; plus bias.
  const int8_t in1[2] = {4, 6};
  kiln_svdf_s8(&p, in1, wf, wt, bias, state, out, scratch_f, scratch_u);
  EXPECT_EQ(std::vector<int8_t>(out, out + 2), (std::vector<int8_t>{29, -4}));
  EXPECT_EQ(std::vector<int8_t>(state, state + 4), (std::vector<int8_t>{10, 18, 10, 13}));
  // Run 2, input (0, 2): features 2 and -1 (stored 12 and 9) after the
  // history moved left; time sums 2*8 + 3*2 = 22 and 3 + 1 = 4.
  const int8_t in2[2] = {0, 2};
  kiln_svdf_s8(&p, in2, wf, wt, bias, state, out, scratch_f, scratch_u);
  EXPECT_EQ(std::vector<int8_t>(out, out + 2), (std::vector<int8_t>{27, 3}));
  EXPECT_EQ(std::vector<int8_t>(state, state + 4), (std::vector<int8_t>{18, 12, 13, 9}));
  // Run 3 without bias, same input: the history is now (12, 12) and
  // (9, 9); time sums 2*2 + 3*2 = 10 and -1 + 1 = 0.
  kiln_svdf_s8(&p, in2, wf, wt, nullptr, state, out, scratch_f, scratch_u);
  EXPECT_EQ(std::vector<int8_t>(out, out + 2), (std::vector<int8_t>{10, 0}));
  EXPECT_EQ(std::vector<int8_t>(state, state + 4), (std::vector<int8_t>{12, 12, 9, 9}));
}

TEST(SvdfS8Kernel, PythonReferenceThreeRunsWithSaturation) {
  // B=2, In=5, F=6, rank 2 (3 units), T=3; zero points in -3, state -50,
  // out 4; scales 0.004 and 0.0021. Several feature values saturate at
  // -128 after the zero point is added.
  const kiln_svdf_s8_params_t p = {2, 5, 6, 3, 2, 3, -3, -50, 4, 1099511628, -7, 1154487209, -8};
  const std::vector<int> wf = {119, 98,  -82, 115, -96, -85, -38, 20,  4,  -74,
                               40,  -112, 51, -88, 65,  -101, -100, 68, -10, 110,
                               -67, 95,  -85, 79,  22,  68,  -36, 10,  -75, 39};
  const std::vector<int> wt = {72, -113, 127, 8, 10, -44, -47, 67, -37,
                               101, 101, 14, 87, 91, 91, -24, -121, 69};
  const std::vector<int32_t> bias = {227, 2679, 2387};
  const std::vector<std::vector<int>> inputs = {{84, -114, 26, -127, 51, -39, 121, -74, 11, 26},
                                                {-49, 123, 57, -3, 43, -122, 43, 87, 97, -1},
                                                {-31, -15, -41, -49, -64, -62, -66, 45, -98, -6}};
  const std::vector<std::vector<int>> outputs = {
      {-14, 1, 7, 20, 14, 21}, {21, 41, -22, -18, -4, 34}, {-9, 2, 3, -6, 8, 46}};
  const std::vector<int> final_state = {-128, -60, -53, -78, -62,  -24, 77,   -90, -57,
                                        -4,   -45, -69, -128, -6,  -54, 36,   -71, -53,
                                        0,    -73, -128, -71, -8,  -17, -123, -106, 11,
                                        -92,  1,   15,  38,   1,   -105, -80, -115, -27};
  const std::vector<int8_t> wf8 = Cast<int8_t>(wf), wt8 = Cast<int8_t>(wt);
  std::vector<int8_t> state(36, -50);
  std::vector<int32_t> scratch_f(12), scratch_u(6);
  for (size_t run = 0; run < inputs.size(); ++run) {
    const std::vector<int8_t> in = Cast<int8_t>(inputs[run]);
    std::vector<int8_t> out(6);
    kiln_svdf_s8(&p, in.data(), wf8.data(), wt8.data(), bias.data(), state.data(), out.data(),
                 scratch_f.data(), scratch_u.data());
    EXPECT_EQ(out, Cast<int8_t>(outputs[run])) << "run " << run;
  }
  EXPECT_EQ(state, Cast<int8_t>(final_state));
}

TEST(SvdfS8S16Kernel, PythonReferenceThreeRuns) {
  // As above with int16 time weights and state (zero point 0); scales 0.37
  // and 2e-7.
  const kiln_svdf_s8_s16_params_t p = {2, 5, 6, 3, 2, 3, -3, 0, 4,
                                       1589137900, -1, 1801439851, -22};
  const std::vector<int> wf = {81,  14,  -86, 3,   53, -6,  81,  7,   109, -100,
                               -86, 52,  85,  57,  -33, -62, -111, -97, -54, 86,
                               -79, 14,  108, 52,  -24, -101, -64, 63, -99, -85};
  const std::vector<int> wt = {-18772, -1372, -26819, -15169, -21172, 5008,
                               -3553,  -24291, 12225, 13276,  9255,   -7251,
                               -18145, -2622, 10319,  6119,   -11754, -17822};
  const std::vector<int32_t> bias = {-1030, -2222, 1260};
  const std::vector<std::vector<int>> inputs = {{-101, -116, 26, 92, -26, 62, -21, -7, 126, 96},
                                                {113, 76, -118, -43, -48, -4, -99, 25, 72, -50},
                                                {-64, -101, 93, -9, -77, 112, 1, -125, 6, 30}};
  const std::vector<std::vector<int>> outputs = {
      {31, 9, 0, -17, 2, 38}, {-35, -22, -4, 13, 12, 27}, {44, 44, -14, -66, -24, 2}};
  const std::vector<int> final_state = {
      -4791, 6618,  -6849, 1589,  1864,  -57,   4141, -6082, 3852,  3219, -2411, -256,
      5470,  -7947, 5653,  4258,  -6006, 9385,  4067, -2257, 8007,  846,  1962,  -1310,
      -1029, 1221,  -7633, -36,   -34,   2447,  -550, 2511,  -8336, -9935, 1694, -8604};
  const std::vector<int8_t> wf8 = Cast<int8_t>(wf);
  const std::vector<int16_t> wt16 = Cast<int16_t>(wt);
  std::vector<int16_t> state(36, 0);
  std::vector<int32_t> scratch_f(12), scratch_u(6);
  for (size_t run = 0; run < inputs.size(); ++run) {
    const std::vector<int8_t> in = Cast<int8_t>(inputs[run]);
    std::vector<int8_t> out(6);
    kiln_svdf_s8_s16(&p, in.data(), wf8.data(), wt16.data(), bias.data(), state.data(),
                     out.data(), scratch_f.data(), scratch_u.data());
    EXPECT_EQ(out, Cast<int8_t>(outputs[run])) << "run " << run;
  }
  EXPECT_EQ(state, Cast<int16_t>(final_state));
}

TEST(SvdfF32Kernel, HandComputedWithBiasAndRelu) {
  const kiln_svdf_f32_params_t relu = {1, 2, 2, 2, 1, 2, 0.0f, 3.4e38f};
  const float wf[4] = {1, 2, 3, -1};
  const float wt[4] = {2, 3, 1, -1};
  const float bias[2] = {1, -10};
  float state[4] = {0, 0, 0, 0};
  float scratch[2], out[2];
  // Features 16 and 6; time sums 48 and -6; bias; RELU.
  const float in1[2] = {4, 6};
  kiln_svdf_f32(&relu, in1, wf, wt, bias, state, out, scratch);
  EXPECT_FLOAT_EQ(out[0], 49.0f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  // Features -1.5 and 2.5; time sums 32 - 4.5 and 6 - 2.5.
  const float in2[2] = {0.5f, -1};
  kiln_svdf_f32(&relu, in2, wf, wt, bias, state, out, scratch);
  EXPECT_FLOAT_EQ(out[0], 28.5f);
  EXPECT_FLOAT_EQ(out[1], 0.0f);
  EXPECT_EQ(std::vector<float>(state, state + 4), (std::vector<float>{16, -1.5f, 6, 2.5f}));
}

TEST(SvdfF32Kernel, NoBiasNoActivation) {
  const kiln_svdf_f32_params_t none = {1, 2, 2, 2, 1, 2, -3.4e38f, 3.4e38f};
  const float wf[4] = {1, 2, 3, -1};
  const float wt[4] = {2, 3, 1, -1};
  float state[4] = {0, 0, 0, 0};
  float scratch[2], out[2];
  const float in1[2] = {4, 6};
  kiln_svdf_f32(&none, in1, wf, wt, nullptr, state, out, scratch);
  EXPECT_FLOAT_EQ(out[0], 48.0f);
  EXPECT_FLOAT_EQ(out[1], -6.0f);
}

/// An int8 SVDF with the scales of the first SVDF layer of the shared
/// keyword_scrambled_8bit model: input [1,96], 64 filters, memory 8.
struct SvdfGraph {
  Graph g;
  int state = -1;
  explicit SvdfGraph(DType time_dtype = DType::kInt8, int32_t rank = 1) {
    const int in = AddTensor(g, "in", DType::kInt8, {1, 96}, Quant(0.05920833349227905f, -128));
    const int wf = AddTensor(g, "wf", DType::kInt8, {64, 96}, Quant(0.009171206504106522f, 0));
    const int wt = AddTensor(g, "wt", time_dtype, {64, 8}, Quant(0.014938733540475368f, 0));
    const int bias = AddConstant(g, "bias", DType::kInt32, {64 / rank},
                                 std::vector<int32_t>(static_cast<size_t>(64 / rank), 0),
                                 Quant(0.012060210108757019f, 0));
    state = AddTensor(g, "state", time_dtype, {1, 512}, Quant(0.8073114156723022f, -50));
    g.tensors[static_cast<size_t>(state)].is_variable = true;
    const int out = AddTensor(g, "out", DType::kInt8, {1, 64 / rank},
                              Quant(0.23618337512016296f, -128));
    Node& n = AddNode(g, OpKind::kSvdf, {in, wf, wt, bias, state}, {out});
    n.attrs.set("rank", int64_t{rank});
    n.attrs.set("activation", std::string("RELU"));
  }
  const Node& node() const { return g.nodes[0]; }
};

TEST(SvdfLower, Int8MultipliersFromFloatProducts) {
  SvdfGraph s;
  ASSERT_TRUE(CheckSvdfS8(s.g, s.node()).ok()) << CheckSvdfS8(s.g, s.node()).message();
  test::RecordingLoweringContext ctx(s.g);
  ASSERT_TRUE(LowerSvdfS8(s.node(), ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"svdf_s8"});
  const std::string& d = ctx.declarations.at(0);
  // float(float(0.0592083 * 0.0091712) / 0.8073114) = 0.000672617636...
  EXPECT_EQ(DeclInts(d, "feature_multiplier"), std::vector<int64_t>{1479101824});
  EXPECT_EQ(DeclInts(d, "feature_shift"), std::vector<int64_t>{-10});
  // float(float(0.8073114 * 0.0149387) / 0.2361834) = 0.051062908...
  EXPECT_EQ(DeclInts(d, "output_multiplier"), std::vector<int64_t>{1754508160});
  EXPECT_EQ(DeclInts(d, "output_shift"), std::vector<int64_t>{-4});
  EXPECT_EQ(DeclInts(d, "state_zero_point"), std::vector<int64_t>{-50});
  EXPECT_EQ(DeclInts(d, "input_zero_point"), std::vector<int64_t>{-128});
  EXPECT_EQ(DeclInts(d, "num_units"), std::vector<int64_t>{64});
  EXPECT_EQ(DeclInts(d, "memory_size"), std::vector<int64_t>{8});
  EXPECT_EQ(ctx.scratch_bytes, (std::vector<int64_t>{64 * 4, 64 * 4}));
  EXPECT_EQ(ctx.statements,
            std::vector<std::string>{"kiln_svdf_s8(&svdf_params_0, t0, t1, t2, t3, t4, t5, "
                                     "(int32_t*)(scratch0), (int32_t*)(scratch1));"});
}

TEST(SvdfLower, Int16StateUsesS16KernelAndRankReduces) {
  SvdfGraph s(DType::kInt16, /*rank=*/2);
  s.g.tensors[static_cast<size_t>(s.state)].quant = Quant(0.8073114156723022f, 0);
  ASSERT_TRUE(CheckSvdfS8(s.g, s.node()).ok()) << CheckSvdfS8(s.g, s.node()).message();
  test::RecordingLoweringContext ctx(s.g);
  ASSERT_TRUE(LowerSvdfS8(s.node(), ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"svdf_s8_s16"});
  EXPECT_NE(ctx.declarations.at(0).find("static const kiln_svdf_s8_s16_params_t"),
            std::string::npos);
  EXPECT_EQ(DeclInts(ctx.declarations.at(0), "num_units"), std::vector<int64_t>{32});
  EXPECT_EQ(ctx.scratch_bytes, (std::vector<int64_t>{64 * 4, 32 * 4}));
}

TEST(SvdfCheck, RejectsStateProblems) {
  SvdfGraph s;
  s.g.tensors[static_cast<size_t>(s.state)].is_variable = false;
  Status st = CheckSvdfS8(s.g, s.node());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "operator #0 SVDF: activation state 'state' must be a variable tensor");

  SvdfGraph mixed;
  mixed.g.tensors[static_cast<size_t>(mixed.state)].dtype = DType::kInt16;
  st = CheckSvdfS8(mixed.g, mixed.node());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "operator #0 SVDF: input 4 (activation state 'state') has dtype int16, expected int8");

  SvdfGraph shape;
  shape.g.tensors[static_cast<size_t>(shape.state)].shape = {1, 511};
  st = CheckSvdfS8(shape.g, shape.node());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "operator #0 SVDF: activation state 'state' has shape [1,511], expected [1,512]");
}

TEST(SvdfCheck, RejectsBiasScaleRankAndOutputShape) {
  SvdfGraph bias;
  bias.g.tensors[3].quant = Quant(0.02f, 0);
  Status st = CheckSvdfS8(bias.g, bias.node());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("operator #0 SVDF: bias 'bias' scale 0.02 must equal activation "
                              "state scale x weights_time scale"),
            std::string::npos)
      << st.message();

  SvdfGraph rank;
  rank.g.nodes[0].attrs.set("rank", int64_t{3});
  st = CheckSvdfS8(rank.g, rank.node());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "operator #0 SVDF: weights_feature 'wf' has 64 filters, not a multiple of rank 3");

  SvdfGraph out;
  out.g.tensors[5].shape = {1, 32};
  st = CheckSvdfS8(out.g, out.node());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "operator #0 SVDF: output 0 'out' has shape [1,32], expected [1,64]");
}

TEST(SvdfLower, FloatActivationLiterals) {
  Graph g;
  const int in = AddTensor(g, "in", DType::kFloat32, {2, 3});
  const int wf = AddTensor(g, "wf", DType::kFloat32, {4, 3});
  const int wt = AddTensor(g, "wt", DType::kFloat32, {4, 5});
  const int state = AddTensor(g, "state", DType::kFloat32, {2, 20});
  g.tensors[static_cast<size_t>(state)].is_variable = true;
  const int out = AddTensor(g, "out", DType::kFloat32, {2, 2});
  Node& n = AddNode(g, OpKind::kSvdf, {in, wf, wt, kNoTensor, state}, {out});
  n.attrs.set("rank", int64_t{2});
  n.attrs.set("activation", std::string("RELU"));
  ASSERT_TRUE(CheckSvdfF32(g, g.nodes[0]).ok()) << CheckSvdfF32(g, g.nodes[0]).message();
  test::RecordingLoweringContext ctx(g);
  ASSERT_TRUE(LowerSvdfF32(g.nodes[0], ctx).ok());
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"svdf_f32"});
  EXPECT_NE(ctx.declarations.at(0).find(".activation_min = 0.0f,"), std::string::npos);
  EXPECT_NE(ctx.declarations.at(0).find(".activation_max = 3.4028235e+38f,"), std::string::npos)
      << ctx.declarations.at(0);
  EXPECT_EQ(ctx.scratch_bytes, std::vector<int64_t>{2 * 4 * 4});
  EXPECT_EQ(ctx.statements,
            std::vector<std::string>{"kiln_svdf_f32(&svdf_params_0, t0, t1, t2, (const float*)0, "
                                     "t3, t4, (float*)(scratch0));"});
}

}  // namespace
}  // namespace kiln
