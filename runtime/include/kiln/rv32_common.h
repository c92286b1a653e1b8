/* What the RV32 kernels (gemm_s8_rv32, conv2d_s8_direct_rv32) share: their
 * blocks of sums live in locals, one block of output channels at a time.
 * C99. */
#ifndef KILN_RV32_COMMON_H_
#define KILN_RV32_COMMON_H_

#include <stdint.h>

#include "kiln/runtime.h"

/* The first `count` channels' biases of a group of four, zero past them. */
static KILN_ALWAYS_INLINE int32_t kiln_rv32_bias_at(const int32_t* bias, int32_t count, int32_t i) {
  return i < count ? bias[i] : 0;
}

#endif /* KILN_RV32_COMMON_H_ */
