// Tests of BROADCAST_ARGS (kernels/broadcast_fill.cc,
// runtime/kernels/broadcast_args.c): shapes read at run time, against
// broadcasts worked out by hand from TFLite's rule (aligned at the last
// dimension, a missing one counting as 1, a 1 taking the other's extent,
// zero included); int32 and int64; shapes that do not broadcast; the check.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/elementwise_test_util.h"
#include "kernels/kernel_functions.h"
#include "kiln/kernels/broadcast_args.h"
#include "kiln/runtime.h"

namespace kiln::test::elem {
namespace {

/// Lowers BROADCAST_ARGS of two shapes of the given lengths and dtype, and
/// returns the params the generated C declares.
kiln_broadcast_args_params_t Lowered(DType dtype, int32_t length1, int32_t length2) {
  Graph g;
  const int a = AddTensor(g, "shape1", dtype, {length1});
  const int b = AddTensor(g, "shape2", dtype, {length2});
  const int out = AddTensor(g, "out", dtype, {std::max(length1, length2)});
  AddNode(g, OpKind::kBroadcastArgs, "BROADCAST_ARGS", {a, b}, {out});
  RecordingLoweringContext ctx = CheckAndLower(g, g.nodes[0]);
  EXPECT_EQ(ctx.kernels, std::vector<std::string>{"broadcast_args"});
  EXPECT_NE(ctx.statements.at(0).find("!= KILN_OK) return KILN_ERROR_INCOMPATIBLE_SHAPES;"), std::string::npos);
  const auto p = ParseParams(ctx.declarations.at(0));
  kiln_broadcast_args_params_t params{};
  params.length1 = static_cast<int32_t>(ParseInt(p.at("length1")));
  params.length2 = static_cast<int32_t>(ParseInt(p.at("length2")));
  params.element_bytes = static_cast<int32_t>(ParseInt(p.at("element_bytes")));
  return params;
}

template <typename T>
std::vector<T> Broadcast(DType dtype, const std::vector<T>& shape1, const std::vector<T>& shape2, int32_t* status) {
  const kiln_broadcast_args_params_t params =
      Lowered(dtype, static_cast<int32_t>(shape1.size()), static_cast<int32_t>(shape2.size()));
  std::vector<T> out(std::max(shape1.size(), shape2.size()), -7);
  *status = kiln_broadcast_args(&params, shape1.data(), shape2.data(), out.data());
  return out;
}

TEST(BroadcastArgs, Int32ShapesBroadcastFromTheLastDimension) {
  struct Case {
    std::vector<int32_t> a, b, expected;
  };
  const Case cases[] = {
      {{8, 1, 6, 1}, {7, 1, 5}, {8, 7, 6, 5}},  // numpy's own example
      {{5, 4}, {1}, {5, 4}},
      {{1}, {5, 4}, {5, 4}},
      {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
      {{0, 1}, {1, 3}, {0, 3}},  // a 1 takes the other's extent, 0 too
      {{1, 0}, {4, 1}, {4, 0}},
      {{3}, {}, {3}},
  };
  for (const Case& c : cases) {
    int32_t status = -1;
    EXPECT_EQ(Broadcast<int32_t>(DType::kInt32, c.a, c.b, &status), c.expected);
    EXPECT_EQ(status, KILN_OK);
  }
}

TEST(BroadcastArgs, Int64Shapes) {
  int32_t status = -1;
  EXPECT_EQ(Broadcast<int64_t>(DType::kInt64, {1, 6, 1}, {4, 3, 1, 2}, &status), (std::vector<int64_t>{4, 3, 6, 2}));
  EXPECT_EQ(status, KILN_OK);
}

TEST(BroadcastArgs, ShapesThatDoNotBroadcastStopTheRun) {
  int32_t status = -1;
  Broadcast<int32_t>(DType::kInt32, {2, 3}, {4, 3}, &status);
  EXPECT_EQ(status, KILN_ERROR_INCOMPATIBLE_SHAPES);
  Broadcast<int64_t>(DType::kInt64, {0}, {3}, &status);  // 0 is not 1
  EXPECT_EQ(status, KILN_ERROR_INCOMPATIBLE_SHAPES);
}

TEST(BroadcastArgs, CheckNamesWhatIsWrong) {
  Graph g;
  const int a = AddTensor(g, "shape1", DType::kInt32, {2});
  const int b = AddTensor(g, "shape2", DType::kInt64, {3});
  const int out = AddTensor(g, "out", DType::kInt32, {3});
  AddNode(g, OpKind::kBroadcastArgs, "BROADCAST_ARGS", {a, b}, {out});
  EXPECT_EQ(CheckError(g, g.nodes[0]),
            "operator #0 BROADCAST_ARGS: 'shape2' is int64 of shape [3], expected a vector of int32 (shape1's dtype)");
  g.tensors[1].dtype = DType::kInt32;
  g.tensors[2].shape = {2};
  EXPECT_EQ(CheckError(g, g.nodes[0]).find("operator #0 BROADCAST_ARGS: output 0 'out' has shape [2]"), 0u)
      << CheckError(g, g.nodes[0]);
}

}  // namespace
}  // namespace kiln::test::elem
