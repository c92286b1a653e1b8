/* The output stage of TFLite's 16x8 kernels (int16 activations, int8
 * weights, zero points 0): CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED.
 * TFLite accumulates in the bias's type: with an int64 bias in 64 bits and
 * requantizes with the 64-bit MultiplyByQuantizedMultiplier; with an int32
 * bias, or none, in 32 bits (wrapping) with the 32-bit one. Its depthwise
 * kernel always takes the 64-bit path. The kernels sum in 64 bits; the
 * 32-bit path keeps the low word, which is what wrapping int32 additions
 * leave. C99. */
#ifndef KILN_S16X8_H_
#define KILN_S16X8_H_

#include <stddef.h>
#include <stdint.h>

#include "kiln/fixedpoint.h"

/* The accumulator, a field of each 16x8 kernel's params. */
#define KILN_S16X8_ACC32 0 /* int32 bias or none: 32-bit sum and requantization */
#define KILN_S16X8_ACC64 1 /* int64 bias (or depthwise): 64-bit */

/* Output channel c's value from the sum of its products. `bias` points to
 * int64 values on the 64-bit path, int32 ones on the 32-bit path, or is NULL. */
static inline int16_t kiln_s16x8_output(int64_t sum, const void* bias, int32_t c, int32_t accumulator,
                                        int32_t multiplier, int32_t shift, int32_t act_min,
                                        int32_t act_max) {
  int32_t value;
  if (accumulator == KILN_S16X8_ACC64) {
    if (bias != NULL) sum += ((const int64_t*)bias)[c];
    value = kiln_multiply_by_quantized_multiplier_s64(sum, multiplier, (int)shift);
  } else {
    uint32_t low = (uint32_t)sum;
    if (bias != NULL) low += (uint32_t)((const int32_t*)bias)[c];
    value = kiln_multiply_by_quantized_multiplier((int32_t)low, multiplier, (int)shift);
  }
  return (int16_t)kiln_clamp_i32(value, act_min, act_max);
}

#endif /* KILN_S16X8_H_ */
