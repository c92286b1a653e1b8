// CompareTensors: what kiln debug counts as a difference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "debug/tensor_diff.h"

namespace kiln {
namespace {

template <typename T>
std::vector<uint8_t> Bytes(std::vector<T> values) {
  std::vector<uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

TEST(TensorDiff, IntegersDifferWhenNotEqual) {
  const TensorDiff d = CompareTensors(DType::kInt8, Bytes<int8_t>({-128, 5, 7, 127}), Bytes<int8_t>({127, 5, 6, 127}));
  EXPECT_EQ(d.elements, 4);
  EXPECT_EQ(d.differing, 2);
  EXPECT_EQ(d.max_abs_diff, 255);
  EXPECT_EQ(d.first_differing, 0);
  const TensorDiff same = CompareTensors(DType::kInt32, Bytes<int32_t>({1, -2}), Bytes<int32_t>({1, -2}));
  EXPECT_EQ(same.differing, 0);
  EXPECT_EQ(same.first_differing, -1);
  const TensorDiff wide = CompareTensors(DType::kInt16, Bytes<int16_t>({0, -32768}), Bytes<int16_t>({0, 32767}));
  EXPECT_EQ(wide.max_abs_diff, 65535);
  EXPECT_EQ(wide.first_differing, 1);
}

TEST(TensorDiff, FloatsWithinTheToleranceAreEqualAndNaNsMatchOnlyNaNs) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto a = Bytes<float>({1.0f, 2.0f, nan, nan, 5.0f});
  const auto b = Bytes<float>({1.0f, 2.001f, nan, 4.0f, 5.0f});
  const TensorDiff exact = CompareTensors(DType::kFloat32, a, b);
  EXPECT_EQ(exact.differing, 2);
  EXPECT_EQ(exact.first_differing, 1);
  EXPECT_TRUE(std::isinf(exact.max_abs_diff));
  const TensorDiff loose = CompareTensors(DType::kFloat32, a, b, 0.01);
  EXPECT_EQ(loose.differing, 1);
  EXPECT_EQ(loose.first_differing, 3);
}

}  // namespace
}  // namespace kiln
