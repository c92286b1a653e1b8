/* What the RV32 kernels (gemm_s8_rv32, conv2d_s8_direct_rv32,
 * depthwise_conv2d_s8_planar_rv32) share: their blocks of sums live in
 * locals, one block of output channels at a time, and their output stage.
 * C99. */
#ifndef KILN_RV32_COMMON_H_
#define KILN_RV32_COMMON_H_

#include <stdint.h>

#include "kiln/gemm.h"
#include "kiln/runtime.h"

/* The first `count` channels' biases of a group of four, zero past them. */
static KILN_ALWAYS_INLINE int32_t kiln_rv32_bias_at(const int32_t* bias, int32_t count, int32_t i) {
  return i < count ? bias[i] : 0;
}

/* A channel's requantization in the RV32 kernels' `requant` array: where
 * the layer is narrow and its clamp allows it (`relu`: clamp.relu, a
 * constant where inlined), the compiler's triple (2m, r + 1, rounding) of
 * kiln_requantize_narrow_relu, so that no constant is derived at run time;
 * otherwise the (multiplier, shift) pair of kiln_gemm_s8_output. */
#define KILN_RV32_REQUANT_WORDS(relu) ((relu) ? 3 : 2)

/* One channel's output constants, read once for the values it stores. */
typedef struct {
  int32_t multiplier, shift, rounding;
} kiln_rv32_requant_t;

static KILN_ALWAYS_INLINE kiln_rv32_requant_t kiln_rv32_requant_at(const int32_t* requant, int32_t channel,
                                                                  const int relu) {
  const int32_t* const rq = requant + KILN_RV32_REQUANT_WORDS(relu) * channel;
  kiln_rv32_requant_t c;
  c.multiplier = rq[0];
  c.shift = rq[1];
  c.rounding = relu ? rq[2] : 0;
  return c;
}

/* `full_range` for kiln_rv32_output: the int8 clamp as two compares, two
 * instructions where the loop keeps -128 and 127 in registers (the planar
 * kernel's). kiln_saturate_s8's range test takes three but holds one
 * constant: the gemm's stores, beside sixteen live sums, would reload two. */
#define KILN_RV32_INT8_BY_COMPARES 2

/* One output value of channel constants `c`; `relu`, `narrow` (a
 * KILN_REQUANT_ mode) and `full_range` (0, 1 or KILN_RV32_INT8_BY_COMPARES)
 * constants. */
static KILN_ALWAYS_INLINE int8_t kiln_rv32_output(kiln_gemm_s8_clamp_t clamp, int32_t acc, kiln_rv32_requant_t c,
                                                  const int relu, const int narrow, const int full_range) {
  if (relu) {
    const int32_t value = kiln_requantize_narrow_relu(kiln_requant_doubled_acc(acc, narrow), (uint32_t)c.multiplier,
                                                      c.rounding, c.shift);
    if (full_range == KILN_RV32_INT8_BY_COMPARES) return (int8_t)kiln_clamp_i32(value, -128, 127);
    return (int8_t)(full_range ? kiln_saturate_s8(value) : kiln_clamp_i32(value, clamp.act_min, clamp.act_max));
  }
  return kiln_gemm_s8_output(clamp, acc, c.multiplier, c.shift, narrow, full_range);
}

/* Channel n's outputs of `rows` rows (a constant, 1 to 4; `row_step`
 * apart) from their sums a0.., its constants read once for them (an int8
 * store may alias them); `relu`, `narrow` and `full_range` constants. */
static KILN_ALWAYS_INLINE void kiln_rv32_store_channel(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t row_step,
                                                       const int rows, int32_t a0, int32_t a1, int32_t a2,
                                                       int32_t a3, const int32_t* requant, int32_t n,
                                                       const int relu, const int narrow, const int full_range) {
  const kiln_rv32_requant_t c = kiln_rv32_requant_at(requant, n, relu);
  out[0] = kiln_rv32_output(clamp, a0, c, relu, narrow, full_range);
  if (rows > 1) out[row_step] = kiln_rv32_output(clamp, a1, c, relu, narrow, full_range);
  if (rows > 2) out[2 * row_step] = kiln_rv32_output(clamp, a2, c, relu, narrow, full_range);
  if (rows > 3) out[3 * row_step] = kiln_rv32_output(clamp, a3, c, relu, narrow, full_range);
}

/* `count` (1 to 4) output values of one row's channels n.. from their sums;
 * `full_range` a constant. */
static KILN_ALWAYS_INLINE void kiln_rv32_store_row_clamped(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t count,
                                                           int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                                           const int32_t* requant, int32_t n, const int relu,
                                                           const int narrow, const int full_range) {
  out[0] = kiln_rv32_output(clamp, a0, kiln_rv32_requant_at(requant, n, relu), relu, narrow, full_range);
  if (count > 1)
    out[1] = kiln_rv32_output(clamp, a1, kiln_rv32_requant_at(requant, n + 1, relu), relu, narrow, full_range);
  if (count > 2)
    out[2] = kiln_rv32_output(clamp, a2, kiln_rv32_requant_at(requant, n + 2, relu), relu, narrow, full_range);
  if (count > 3)
    out[3] = kiln_rv32_output(clamp, a3, kiln_rv32_requant_at(requant, n + 3, relu), relu, narrow, full_range);
}

/* The same with one branch on the clamp. */
static KILN_ALWAYS_INLINE void kiln_rv32_store_row(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t count,
                                                   int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                                   const int32_t* requant, int32_t n, const int relu,
                                                   const int narrow) {
  if (clamp.full_range)
    kiln_rv32_store_row_clamped(clamp, out, count, a0, a1, a2, a3, requant, n, relu, narrow, 1);
  else
    kiln_rv32_store_row_clamped(clamp, out, count, a0, a1, a2, a3, requant, n, relu, narrow, 0);
}

#endif /* KILN_RV32_COMMON_H_ */
