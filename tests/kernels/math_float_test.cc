// Tests of the float32 elementwise math kernels: unary (ABS, NEG, FLOOR,
// CEIL, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS, TAN, ASIN, ACOS,
// ATAN, SINH, COSH, ASINH, ACOSH, ATANH, ERF, SIGN) and binary
// (SQUARED_DIFFERENCE, FLOOR_DIV, FLOOR_MOD, TRUNC_MOD, POW, PRELU). Each C kernel
// against the definition computed in double precision by <cmath> (exact
// where the float result is a single correctly rounded operation; within
// 2e-7 relative for the transcendental functions, whose C library
// implementations are not correctly rounded), ROUND's ties, FLOOR_DIV and
// FLOOR_MOD's signs, infinities that are not clamped, the lowering (the
// variant from the registry) and the check.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/lowering.h"
#include "kernels/psm_test_util.h"
#include "kiln/kernels/abs_f32.h"
#include "kiln/kernels/acos_f32.h"
#include "kiln/kernels/acosh_f32.h"
#include "kiln/kernels/asin_f32.h"
#include "kiln/kernels/asinh_f32.h"
#include "kiln/kernels/atan_f32.h"
#include "kiln/kernels/atanh_f32.h"
#include "kiln/kernels/ceil_f32.h"
#include "kiln/kernels/cos_f32.h"
#include "kiln/kernels/cosh_f32.h"
#include "kiln/kernels/erf_f32.h"
#include "kiln/kernels/exp_f32.h"
#include "kiln/kernels/floor_div_f32.h"
#include "kiln/kernels/floor_f32.h"
#include "kiln/kernels/floor_mod_f32.h"
#include "kiln/kernels/log_f32.h"
#include "kiln/kernels/neg_f32.h"
#include "kiln/kernels/pow_f32.h"
#include "kiln/kernels/prelu_f32.h"
#include "kiln/kernels/round_f32.h"
#include "kiln/kernels/rsqrt_f32.h"
#include "kiln/kernels/sign_f32.h"
#include "kiln/kernels/sin_f32.h"
#include "kiln/kernels/sinh_f32.h"
#include "kiln/kernels/sqrt_f32.h"
#include "kiln/kernels/square_f32.h"
#include "kiln/kernels/squared_difference_f32.h"
#include "kiln/kernels/tan_f32.h"
#include "kiln/kernels/trunc_mod_f32.h"

namespace kiln::test {
namespace {

using Kernel = void (*)(const kiln_unary_f32_params_t*, const float*, float*);

struct MathCase {
  OpKind op;
  const char* variant;
  Kernel kernel;
  std::function<double(double)> reference;
  double relative_tolerance;  // 0: exact
  float lo, hi;               // the inputs' range
};

// Half-way cases go to the even neighbour.
double RoundHalfToEven(double x) {
  const double f = std::floor(x);
  const double diff = x - f;
  if (diff < 0.5 || (diff == 0.5 && std::fmod(f, 2.0) == 0.0)) return f;
  return f + 1.0;
}

std::vector<MathCase> Cases() {
  return {
      {OpKind::kAbs, "abs_f32", &kiln_abs_f32, [](double x) { return std::fabs(x); }, 0, -50, 50},
      {OpKind::kNeg, "neg_f32", &kiln_neg_f32, [](double x) { return -x; }, 0, -50, 50},
      {OpKind::kFloor, "floor_f32", &kiln_floor_f32, [](double x) { return std::floor(x); }, 0, -50, 50},
      {OpKind::kCeil, "ceil_f32", &kiln_ceil_f32, [](double x) { return std::ceil(x); }, 0, -50, 50},
      {OpKind::kRound, "round_f32", &kiln_round_f32, &RoundHalfToEven, 0, -50, 50},
      {OpKind::kSqrt, "sqrt_f32", &kiln_sqrt_f32, [](double x) { return std::sqrt(x); }, 0, 0, 1000},
      {OpKind::kRsqrt, "rsqrt_f32", &kiln_rsqrt_f32,
       [](double x) { return static_cast<double>(1.0f / static_cast<float>(std::sqrt(x))); }, 0, 0.01f, 1000},
      {OpKind::kSquare, "square_f32", &kiln_square_f32, [](double x) { return x * x; }, 0, -50, 50},
      {OpKind::kExp, "exp_f32", &kiln_exp_f32, [](double x) { return std::exp(x); }, 2e-7, -20, 20},
      {OpKind::kLog, "log_f32", &kiln_log_f32, [](double x) { return std::log(x); }, 2e-7, 0.01f, 1000},
      {OpKind::kSin, "sin_f32", &kiln_sin_f32, [](double x) { return std::sin(x); }, 2e-7, -10, 10},
      {OpKind::kCos, "cos_f32", &kiln_cos_f32, [](double x) { return std::cos(x); }, 2e-7, -10, 10},
      {OpKind::kTan, "tan_f32", &kiln_tan_f32, [](double x) { return std::tan(x); }, 2e-7, -1.5f, 1.5f},
      {OpKind::kAsin, "asin_f32", &kiln_asin_f32, [](double x) { return std::asin(x); }, 2e-7, -1, 1},
      {OpKind::kAcos, "acos_f32", &kiln_acos_f32, [](double x) { return std::acos(x); }, 2e-7, -1, 1},
      {OpKind::kAtan, "atan_f32", &kiln_atan_f32, [](double x) { return std::atan(x); }, 2e-7, -50, 50},
      {OpKind::kSinh, "sinh_f32", &kiln_sinh_f32, [](double x) { return std::sinh(x); }, 2e-7, -20, 20},
      {OpKind::kCosh, "cosh_f32", &kiln_cosh_f32, [](double x) { return std::cosh(x); }, 2e-7, -20, 20},
      {OpKind::kAsinh, "asinh_f32", &kiln_asinh_f32, [](double x) { return std::asinh(x); }, 2e-7, -50, 50},
      {OpKind::kAcosh, "acosh_f32", &kiln_acosh_f32, [](double x) { return std::acosh(x); }, 2e-7, 1, 100},
      {OpKind::kAtanh, "atanh_f32", &kiln_atanh_f32, [](double x) { return std::atanh(x); }, 2e-7, -0.99f, 0.99f},
      {OpKind::kErf, "erf_f32", &kiln_erf_f32, [](double x) { return std::erf(x); }, 2e-7, -4, 4},
      {OpKind::kSign, "sign_f32", &kiln_sign_f32, [](double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }, 0, -2, 2},
  };
}

// 257 values spread over [lo, hi], both ends included.
std::vector<float> Inputs(float lo, float hi) {
  std::vector<float> v;
  for (int i = 0; i <= 256; ++i) v.push_back(lo + (hi - lo) * static_cast<float>(i) / 256.0f);
  return v;
}

TEST(MathFloat, EveryKernelComputesItsDefinition) {
  int checked = 0;
  for (const MathCase& c : Cases()) {
    SCOPED_TRACE(c.variant);
    const std::vector<float> in = Inputs(c.lo, c.hi);
    std::vector<float> out(in.size(), -1.0f);
    const kiln_unary_f32_params_t params{static_cast<int32_t>(in.size())};
    c.kernel(&params, in.data(), out.data());
    for (size_t i = 0; i < in.size(); ++i) {
      const double expected = static_cast<double>(static_cast<float>(c.reference(static_cast<double>(in[i]))));
      const double actual = static_cast<double>(out[i]);
      if (c.relative_tolerance == 0)
        EXPECT_EQ(actual, expected) << "input " << in[i];
      else
        EXPECT_LE(std::fabs(actual - expected), c.relative_tolerance * std::fabs(expected) + 1e-30)
            << "input " << in[i];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 23 * 257);
}

TEST(MathFloat, RoundTakesTiesToEven) {
  const std::vector<float> in = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 2.4999998f, 3.5000002f, 8388609.0f, -0.0f};
  std::vector<float> out(in.size());
  const kiln_unary_f32_params_t params{static_cast<int32_t>(in.size())};
  kiln_round_f32(&params, in.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 2, 2, 0, -2, -2, 2, 4, 8388609.0f, 0}));
  // As TFLite's RoundToNearest: -0.5 is floor + 1, a positive zero; -0 stays.
  EXPECT_FALSE(std::signbit(out[3]));
  EXPECT_TRUE(std::signbit(out[9]));
}

TEST(MathFloat, OutOfDomainInputsGiveNanAndInfinity) {
  const std::vector<float> in = {-1.0f, 0.0f};
  std::vector<float> out(2);
  const kiln_unary_f32_params_t params{2};
  kiln_sqrt_f32(&params, in.data(), out.data());
  EXPECT_TRUE(std::isnan(out[0]));
  kiln_log_f32(&params, in.data(), out.data());
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], -std::numeric_limits<float>::infinity());
  kiln_rsqrt_f32(&params, in.data(), out.data());
  EXPECT_EQ(out[1], std::numeric_limits<float>::infinity());
}

TEST(MathFloat, LowersToItsOwnKernel) {
  for (const MathCase& c : Cases()) {
    SCOPED_TRACE(c.variant);
    psm::GraphBuilder b;
    const int in = b.Tensor("in", DType::kFloat32, {2, 3, 5});
    const int out = b.Tensor("out", DType::kFloat32, {2, 3, 5});
    b.Op(c.op, {in}, {out});
    const Status check = CheckUnaryMathFloat32(b.graph, b.graph.nodes[0]);
    ASSERT_TRUE(check.ok()) << check.message();
    RecordingLoweringContext ctx(b.graph);
    ASSERT_TRUE(LowerUnaryMathFloat32(b.graph.nodes[0], ctx).ok());
    EXPECT_EQ(ctx.kernels, std::vector<std::string>{c.variant});
    EXPECT_EQ(psm::IntField(psm::DeclaredFields(ctx), "size"), 30);
    ASSERT_EQ(ctx.statements.size(), 1u);
    EXPECT_EQ(ctx.statements[0], fmt::format("kiln_{}(&{}_params_0, t0, t1);", c.variant, c.variant));
  }
}

TEST(MathFloat, CheckNamesTheWrongTensor) {
  psm::GraphBuilder b;
  const int in = b.Tensor("in", DType::kFloat32, {4});
  const int out = b.Tensor("out", DType::kFloat32, {5});
  b.Op(OpKind::kSqrt, {in}, {out});
  EXPECT_EQ(CheckUnaryMathFloat32(b.graph, b.graph.nodes[0]).message(),
            "operator #0 SQRT: output 0 'out' has shape [5], expected [4]");
  b.graph.tensors[1].shape = {4};
  b.graph.tensors[0].dtype = DType::kInt8;
  EXPECT_EQ(CheckUnaryMathFloat32(b.graph, b.graph.nodes[0]).message(),
            "operator #0 SQRT: input 0 (input 'in') has dtype int8, expected float32");
}

using BinaryKernel = void (*)(const kiln_binary_f32_params_t*, const float*, const float*, float*);

struct BinaryMathCase {
  OpKind op;
  const char* variant;
  BinaryKernel kernel;
  std::function<double(double, double)> reference;
  double relative_tolerance;
};

// TFLite's FloorMod: the truncated remainder moved onto the divisor's sign.
double FloorModDefinition(double a, double b) {
  const double m = static_cast<double>(std::fmod(static_cast<float>(a), static_cast<float>(b)));
  return (m != 0 && ((b < 0) != (m < 0))) ? static_cast<double>(static_cast<float>(m) + static_cast<float>(b)) : m;
}

TEST(MathFloat, BinaryKernelsWithBroadcasting) {
  const std::vector<BinaryMathCase> cases = {
      {OpKind::kSquaredDifference, "squared_difference_f32", &kiln_squared_difference_f32,
       [](double a, double b) {
         const float d = static_cast<float>(a) - static_cast<float>(b);
         return static_cast<double>(d) * static_cast<double>(d);
       },
       0},
      {OpKind::kFloorDiv, "floor_div_f32", &kiln_floor_div_f32,
       [](double a, double b) { return std::floor(a / b); }, 0},
      {OpKind::kFloorMod, "floor_mod_f32", &kiln_floor_mod_f32, &FloorModDefinition, 0},
      {OpKind::kTruncMod, "trunc_mod_f32", &kiln_trunc_mod_f32,
       [](double a, double b) { return std::fmod(a, b); }, 0},
      {OpKind::kPow, "pow_f32", &kiln_pow_f32, [](double a, double b) { return std::pow(a, b); }, 2e-7},
      {OpKind::kPrelu, "prelu_f32", &kiln_prelu_f32, [](double x, double alpha) { return x >= 0 ? x : x * alpha; },
       0},
  };
  // a [2,1,3] against b [4,1]: the output [2,4,3].
  const std::vector<float> a = {7.5f, -7.5f, 3, -0.25f, 2, 10};
  const std::vector<float> b = {2, -2, 0.5f, 3};
  int checked = 0;
  for (const BinaryMathCase& c : cases) {
    SCOPED_TRACE(c.variant);
    Graph g;
    const int ta = elem::AddTensor(g, "a", DType::kFloat32, {2, 1, 3});
    const int tb = elem::AddTensor(g, "b", DType::kFloat32, {4, 1});
    const int out = elem::AddTensor(g, "out", DType::kFloat32, {2, 4, 3});
    elem::AddNode(g, c.op, "", {ta, tb}, {out});
    RecordingLoweringContext ctx = elem::CheckAndLower(g, g.nodes[0]);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{c.variant});
    kiln_binary_f32_params_t p{};
    p.shape = elem::ReadBroadcast(elem::ParseParams(ctx.declarations.at(0)));
    std::vector<float> result(24, -1.0f);
    c.kernel(&p, a.data(), b.data(), result.data());
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 4; ++j)
        for (int k = 0; k < 3; ++k) {
          const double x = a[static_cast<size_t>(i * 3 + k)], y = b[static_cast<size_t>(j)];
          const double expected = static_cast<double>(static_cast<float>(c.reference(x, y)));
          const double actual = result[static_cast<size_t>((i * 4 + j) * 3 + k)];
          if (std::isnan(expected))
            EXPECT_TRUE(std::isnan(actual)) << x << ", " << y;  // pow(-7.5, 0.5)
          else if (c.relative_tolerance == 0)
            EXPECT_EQ(actual, expected) << x << ", " << y;
          else
            EXPECT_LE(std::fabs(actual - expected), c.relative_tolerance * std::fabs(expected)) << x << ", " << y;
          ++checked;
        }
  }
  EXPECT_EQ(checked, 6 * 24);
}

TEST(MathFloat, FloorDivAndModFollowTheDivisorsSign) {
  const std::vector<float> a = {7, -7, 7, -7, 1, 0.1f};
  const std::vector<float> b = {2, 2, -2, -2, 0, 0.1f};
  kiln_binary_f32_params_t p{};
  p.shape = elem::ReadBroadcast(elem::ParseParams(elem_detail::BroadcastInitializer({6}, {6})));
  std::vector<float> out(6);
  kiln_floor_div_f32(&p, a.data(), b.data(), out.data());
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out[1], -4);
  EXPECT_EQ(out[2], -4);
  EXPECT_EQ(out[3], 3);
  EXPECT_EQ(out[4], std::numeric_limits<float>::infinity());  // not clamped to FLT_MAX
  EXPECT_EQ(out[5], 1);
  kiln_floor_mod_f32(&p, a.data(), b.data(), out.data());
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[2], -1);
  EXPECT_EQ(out[3], -1);
  EXPECT_TRUE(std::isnan(out[4]));
  // TRUNC_MOD (ONNX's Mod with fmod=1) keeps the dividend's sign.
  kiln_trunc_mod_f32(&p, a.data(), b.data(), out.data());
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[1], -1);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], -1);
  EXPECT_TRUE(std::isnan(out[4]));
}

TEST(MathFloat, SignKeepsZerosAndNan) {
  const std::vector<float> in = {-0.0f, 0.0f, std::numeric_limits<float>::quiet_NaN(), -1e-30f, 1e30f};
  std::vector<float> out(in.size());
  const kiln_unary_f32_params_t params{static_cast<int32_t>(in.size())};
  kiln_sign_f32(&params, in.data(), out.data());
  EXPECT_TRUE(out[0] == 0.0f && std::signbit(out[0]));
  EXPECT_TRUE(out[1] == 0.0f && !std::signbit(out[1]));
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_EQ(out[3], -1.0f);
  EXPECT_EQ(out[4], 1.0f);
}

}  // namespace
}  // namespace kiln::test
