// Tests of the binary kernels on raw values (kernels/binary_op.cc): the
// integer ones (binary_s8, binary_u8, binary_s16, binary_s32, binary_s64):
// every operation on every type against its
// definition computed here in 128-bit arithmetic (wrapping ADD, SUB and MUL
// reduced modulo the type's width; DIV truncating; FLOOR_DIV and FLOOR_MOD
// rounding toward minus infinity, as numpy and TFLite; TRUNC_MOD the sign of
// the dividend, as C), over values that include each type's extremes, 0 and
// -1; broadcasting and the fused activation through the lowering; a zero
// divisor reported, never a trap. binary_f64 against numpy's definitions in
// double, and CAST to and from float64 (cast_f64).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/elementwise_util.h"
#include "ir/op_table.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/binary_f64.h"
#include "kiln/kernels/binary_s16.h"
#include "kiln/kernels/binary_s32.h"
#include "kiln/kernels/binary_s64.h"
#include "kiln/kernels/binary_s8.h"
#include "kiln/kernels/binary_u8.h"
#include "kiln/kernels/cast_f64.h"
#include "kiln/runtime.h"

namespace kiln::test::elem {
namespace {

using Wide = __int128;

constexpr OpKind kOps[] = {OpKind::kAdd,      OpKind::kSub,      OpKind::kMul,     OpKind::kDiv,
                           OpKind::kFloorDiv, OpKind::kFloorMod, OpKind::kTruncMod, OpKind::kMaximum,
                           OpKind::kMinimum,  OpKind::kPow};

/// The value v reduced into T's range modulo 2^bits (two's complement).
template <typename T>
T Wrap(Wide v) {
  const Wide modulus = Wide{1} << (8 * sizeof(T));
  Wide r = v % modulus;
  if (r < 0) r += modulus;
  if (std::numeric_limits<T>::is_signed && r > static_cast<Wide>(std::numeric_limits<T>::max())) r -= modulus;
  return static_cast<T>(r);
}

/// x^y by its definition: y multiplications, each wrapped; a negative y
/// gives 1 / x^-y truncated (x = 0 excluded). nullopt where y is too large
/// for the loop and the value not evident (an odd x other than +-1).
template <typename T>
std::optional<T> Power(T x, T y) {
  const Wide a = x, b = y;
  if (b < 0) return static_cast<T>(a == 1 ? 1 : a == -1 ? (b % 2 != 0 ? -1 : 1) : 0);
  if (b > 64) {
    if (a == 0 || a == 1) return static_cast<T>(a);
    if (a == -1) return static_cast<T>(b % 2 != 0 ? -1 : 1);
    if (a % 2 == 0) return T{0};  // 2^64 divides it: every bit of T is 0
    return std::nullopt;
  }
  Wide r = 1;
  for (Wide k = 0; k < b; ++k) r = Wrap<T>(r * a);
  return static_cast<T>(r);
}

template <typename T>
T Definition(OpKind op, T x, T y) {
  const Wide a = x, b = y;
  const Wide q = b == 0 ? 0 : a / b;  // C's truncation, in 128 bits (no overflow)
  const Wide floor_q = (b != 0 && a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
  switch (op) {
    case OpKind::kAdd: return Wrap<T>(a + b);
    case OpKind::kSub: return Wrap<T>(a - b);
    case OpKind::kMul: return Wrap<T>(a * b);
    case OpKind::kDiv: return Wrap<T>(q);
    case OpKind::kFloorDiv: return Wrap<T>(floor_q);
    case OpKind::kFloorMod: return Wrap<T>(a - floor_q * b);
    case OpKind::kTruncMod: return Wrap<T>(a - q * b);
    case OpKind::kMaximum: return x > y ? x : y;
    default: return x < y ? x : y;
  }
}

/// The integer kernels' params the lowering declared.
kiln_binary_int_params_t ReadIntParams(const RecordingLoweringContext& ctx) {
  const auto p = ParseParams(ctx.declarations.at(0));
  kiln_binary_int_params_t params{};
  params.shape = ReadBroadcast(p);
  params.op = static_cast<int32_t>(ParseInt(p.at("op")));
  params.activation_min = ParseInt(p.at("activation_min"));
  params.activation_max = ParseInt(p.at("activation_max"));
  return params;
}

template <typename T>
std::vector<T> Operands() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {L::min(), static_cast<T>(L::min() + 1), 0, 1, 2, 3, 7, 100, L::max(),
                      static_cast<T>(L::max() - 1)};
  if (L::is_signed) {
    for (T t : {-1, -2, -3, -7, -100}) v.push_back(static_cast<T>(t));
  }
  return v;
}

template <typename T, typename Params, typename Kernel>
void CheckEveryOperation(DType dtype, const char* variant, Kernel kernel) {
  SCOPED_TRACE(variant);
  const std::vector<T> values = Operands<T>();
  const int32_t n = static_cast<int32_t>(values.size());
  // a [n, 1] against b [1, n]: every pair, the output [n, n].
  int checked = 0;
  for (OpKind op : kOps) {
    SCOPED_TRACE(std::string(GetOpInfo(op).name));
    Graph g;
    const int ta = AddTensor(g, "a", dtype, {n, 1});
    const int tb = AddTensor(g, "b", dtype, {1, n});
    const int out = AddTensor(g, "out", dtype, {n, n});
    AddNode(g, op, "", {ta, tb}, {out});
    const KernelEntry* entry = FindKernel(g, g.nodes[0]);
    if (entry == nullptr || std::string(entry->variant) != variant) continue;  // a quantized kernel (int8 ADD ...)
    RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{variant});
    const Params params = ReadIntParams(ctx);
    EXPECT_EQ(params.activation_min, static_cast<int64_t>(std::numeric_limits<T>::min()));
    EXPECT_EQ(params.activation_max, static_cast<int64_t>(std::numeric_limits<T>::max()));
    std::vector<T> result(static_cast<size_t>(n * n));
    const bool divides = op == OpKind::kDiv || op == OpKind::kFloorDiv || op == OpKind::kFloorMod ||
                         op == OpKind::kTruncMod;
    // values hold a 0: every division reports it, and computes the rest; so
    // does 0 to a negative power.
    const bool zero_divisor = divides || (op == OpKind::kPow && std::numeric_limits<T>::is_signed);
    EXPECT_EQ(kernel(&params, values.data(), values.data(), result.data()),
              zero_divisor ? KILN_ERROR_DIVISION_BY_ZERO : KILN_OK);
    for (int32_t i = 0; i < n; ++i)
      for (int32_t j = 0; j < n; ++j) {
        const T x = values[static_cast<size_t>(i)], y = values[static_cast<size_t>(j)];
        if (divides && y == 0) continue;
        std::optional<T> expected = op == OpKind::kPow ? Power<T>(x, y) : Definition<T>(op, x, y);
        if (op == OpKind::kPow && x == 0 && y < 0) continue;
        if (!expected) continue;
        EXPECT_EQ(static_cast<int64_t>(result[static_cast<size_t>(i * n + j)]), static_cast<int64_t>(*expected))
            << static_cast<int64_t>(x) << ", " << static_cast<int64_t>(y);
        ++checked;
      }
    EXPECT_NE(ctx.statements.at(0).find(zero_divisor ? "!= KILN_OK) return KILN_ERROR_DIVISION_BY_ZERO;" : "(void)"),
              std::string::npos)
        << ctx.statements.at(0);
  }
  EXPECT_GT(checked, 0);
}

TEST(BinaryInt, EveryOperationOnEveryType) {
  CheckEveryOperation<int8_t, kiln_binary_s8_params_t>(DType::kInt8, "binary_s8", &kiln_binary_s8);
  CheckEveryOperation<uint8_t, kiln_binary_u8_params_t>(DType::kUInt8, "binary_u8", &kiln_binary_u8);
  CheckEveryOperation<int16_t, kiln_binary_s16_params_t>(DType::kInt16, "binary_s16", &kiln_binary_s16);
  CheckEveryOperation<int32_t, kiln_binary_s32_params_t>(DType::kInt32, "binary_s32", &kiln_binary_s32);
  CheckEveryOperation<int64_t, kiln_binary_s64_params_t>(DType::kInt64, "binary_s64", &kiln_binary_s64);
}

TEST(BinaryInt, NonzeroDivisorsReportNothing) {
  const std::vector<int32_t> a = {7, -7, 7, -7, INT32_MIN};
  const std::vector<int32_t> b = {2, 2, -2, -2, -1};
  kiln_binary_s32_params_t p{};
  p.shape = ReadBroadcast(ParseParams(kiln::elem_detail::BroadcastInitializer({5}, {5})));
  p.activation_min = INT32_MIN;
  p.activation_max = INT32_MAX;
  std::vector<int32_t> out(5);
  p.op = KILN_BINARY_OP_FLOOR_DIV;
  EXPECT_EQ(kiln_binary_s32(&p, a.data(), b.data(), out.data()), KILN_OK);
  EXPECT_EQ(out, (std::vector<int32_t>{3, -4, -4, 3, INT32_MIN}));  // the last wraps, as TFLite's
  p.op = KILN_BINARY_OP_FLOOR_MOD;
  EXPECT_EQ(kiln_binary_s32(&p, a.data(), b.data(), out.data()), KILN_OK);
  EXPECT_EQ(out, (std::vector<int32_t>{1, 1, -1, -1, 0}));
  p.op = KILN_BINARY_OP_TRUNC_MOD;
  EXPECT_EQ(kiln_binary_s32(&p, a.data(), b.data(), out.data()), KILN_OK);
  EXPECT_EQ(out, (std::vector<int32_t>{1, -1, 1, -1, 0}));
}

TEST(BinaryInt, FusedActivationClampsAsTfliteForIntegers) {
  Graph g;
  const int ta = AddTensor(g, "a", DType::kInt32, {4});
  const int tb = AddTensor(g, "b", DType::kInt32, {});
  const int out = AddTensor(g, "out", DType::kInt32, {4});
  Node& node = AddNode(g, OpKind::kAdd, "ADD", {ta, tb}, {out});
  node.attrs.set("activation", std::string("RELU6"));
  const kiln_binary_s32_params_t params = ReadIntParams(CheckAndLower(g, g.nodes[0]));
  const std::vector<int32_t> a = {-5, 1, 4, 9};
  const int32_t b = 1;
  std::vector<int32_t> result(4);
  EXPECT_EQ(kiln_binary_s32(&params, a.data(), &b, result.data()), KILN_OK);
  EXPECT_EQ(result, (std::vector<int32_t>{0, 2, 5, 6}));

  g.nodes[0].attrs.set("activation", std::string("TANH"));
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 ADD: fused activation TANH is not one of NONE, RELU, RELU6, RELU_N1_TO_1");
  g.nodes[0].attrs.set("activation", std::string("NONE"));
  g.tensors[1].dtype = DType::kInt64;
  EXPECT_EQ(CheckError(g, g.nodes[0]), "operator #0 ADD: input 1 (b 'b') has dtype int64, expected int32");
}

TEST(BinaryF64, EveryOperationAsNumpy) {
  const std::vector<double> a = {7.5, -7.5, 7.5, -7.5, 1e300, NAN, 1.0 / 3};
  const std::vector<double> b = {2, 2, -2, -2, 1e300, 1, 3};
  int checked = 0;
  for (OpKind op : kOps) {
    SCOPED_TRACE(std::string(GetOpInfo(op).name));
    Graph g;
    const int ta = AddTensor(g, "a", DType::kFloat64, {7});
    const int tb = AddTensor(g, "b", DType::kFloat64, {7});
    const int out = AddTensor(g, "out", DType::kFloat64, {7});
    AddNode(g, op, "", {ta, tb}, {out});
    RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
    ASSERT_EQ(ctx.kernels, std::vector<std::string>{"binary_f64"});
    const auto p = ParseParams(ctx.declarations.at(0));
    kiln_binary_f64_params_t params{};
    params.shape = ReadBroadcast(p);
    params.op = static_cast<int32_t>(ParseInt(p.at("op")));
    std::vector<double> y(7);
    kiln_binary_f64(&params, a.data(), b.data(), y.data());
    for (size_t i = 0; i < a.size(); ++i) {
      const double x = a[i], z = b[i];
      double expected;
      switch (op) {
        case OpKind::kAdd: expected = x + z; break;
        case OpKind::kSub: expected = x - z; break;
        case OpKind::kMul: expected = x * z; break;
        case OpKind::kDiv: expected = x / z; break;
        case OpKind::kFloorDiv: expected = std::floor(x / z); break;
        case OpKind::kFloorMod: expected = x - std::floor(x / z) * z; break;
        case OpKind::kTruncMod: expected = std::fmod(x, z); break;
        case OpKind::kMaximum: expected = std::isnan(x) ? x : std::max(x, z); break;
        case OpKind::kPow: expected = std::pow(x, z); break;
        default: expected = std::isnan(x) ? x : std::min(x, z); break;
      }
      if (std::isnan(expected)) EXPECT_TRUE(std::isnan(y[i])) << i;
      else EXPECT_DOUBLE_EQ(y[i], expected) << i;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 10 * 7);
  // No fused activation on float64.
  Graph g;
  const int ta = AddTensor(g, "a", DType::kFloat64, {2});
  const int out = AddTensor(g, "out", DType::kFloat64, {2});
  AddNode(g, OpKind::kAdd, "ADD", {ta, ta}, {out}).attrs.set("activation", std::string("RELU"));
  EXPECT_EQ(CheckError(g, g.nodes[0]), "operator #0 ADD: float64 takes no fused activation (RELU)");
}

TEST(CastF64, ToAndFromEveryType) {
  const std::vector<double> d = {-1e10, -2.75, -0.5, 0, 0.5, 2.75, 300.5, 1e10, NAN};
  std::vector<int32_t> i32(d.size());
  kiln_cast_params_t p{static_cast<int32_t>(d.size()), KILN_CAST_FLOAT64, KILN_CAST_INT32};
  kiln_cast_f64(&p, d.data(), i32.data());
  EXPECT_EQ(i32, (std::vector<int32_t>{INT32_MIN, -2, 0, 0, 0, 2, 300, INT32_MAX, 0}));  // truncated, saturated
  std::vector<uint8_t> u8(d.size());
  p.to = KILN_CAST_UINT8;
  kiln_cast_f64(&p, d.data(), u8.data());
  EXPECT_EQ(u8, (std::vector<uint8_t>{0, 0, 0, 0, 0, 2, 255, 255, 0}));
  std::vector<float> f(d.size());
  p.to = KILN_CAST_FLOAT32;
  kiln_cast_f64(&p, d.data(), f.data());
  EXPECT_EQ(f[1], -2.75f);
  EXPECT_EQ(f[7], 1e10f);
  const std::vector<int64_t> big = {(int64_t{1} << 53) + 1, -3};
  std::vector<double> back(2);
  kiln_cast_params_t widen{2, KILN_CAST_INT64, KILN_CAST_FLOAT64};
  kiln_cast_f64(&widen, big.data(), back.data());
  EXPECT_EQ(back, (std::vector<double>{9007199254740992.0, -3.0}));  // 2^53 + 1 rounds to even
}

}  // namespace
}  // namespace kiln::test::elem
