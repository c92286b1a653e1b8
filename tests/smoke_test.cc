#include <gtest/gtest.h>
#include "kernels/quant_params.h"
TEST(QuantizeMultiplier, Half) {
  auto m = kiln::QuantizeMultiplier(0.5);
  EXPECT_EQ(m.multiplier, 1 << 30);
  EXPECT_EQ(m.shift, 0);
}
