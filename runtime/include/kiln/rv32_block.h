/* The 4 x 4 block of the RV32 kernels (gemm_s8_rv32, conv2d_s8_direct_rv32):
 * four rows (pixels) by four output channels, sixteen sums in locals
 * s<row><channel> (not a struct or an array: GCC keeps those in memory
 * across the schedule barrier), each loaded value feeding four multiplies.
 * C99. */
#ifndef KILN_RV32_BLOCK_H_
#define KILN_RV32_BLOCK_H_

#include <stdint.h>

#include "kiln/gemm.h"

/* Keeps GCC from hoisting the next step's loads above this one's
 * arithmetic, which would take more registers than the core has. */
#define KILN_SCHEDULE_BARRIER() __asm__ __volatile__("" ::: "memory")

/* One depth step: the rows' values x0..x3 against the channels' weights
 * w[0..3] (ints, loaded here one at a time). */
#define KILN_RV32_STEP(x0, x1, x2, x3, w)                                   \
  do {                                                                      \
    const int32_t x0_ = (x0), x1_ = (x1), x2_ = (x2), x3_ = (x3);           \
    int32_t f_ = (w)[0];                                                    \
    s00 += x0_ * f_, s10 += x1_ * f_, s20 += x2_ * f_, s30 += x3_ * f_;     \
    f_ = (w)[1];                                                            \
    s01 += x0_ * f_, s11 += x1_ * f_, s21 += x2_ * f_, s31 += x3_ * f_;     \
    f_ = (w)[2];                                                            \
    s02 += x0_ * f_, s12 += x1_ * f_, s22 += x2_ * f_, s32 += x3_ * f_;     \
    f_ = (w)[3];                                                            \
    s03 += x0_ * f_, s13 += x1_ * f_, s23 += x2_ * f_, s33 += x3_ * f_;     \
    KILN_SCHEDULE_BARRIER();                                                \
  } while (0)

/* The first `count` channels' biases of a group. */
static KILN_ALWAYS_INLINE int32_t kiln_rv32_bias_at(const int32_t* bias, int32_t count, int32_t i) {
  return i < count ? bias[i] : 0;
}

/* Declares the sixteen sums, each row's starting at the group's biases. */
#define KILN_RV32_BLOCK_SUMS(bias, count)                                                          \
  int32_t s00 = kiln_rv32_bias_at(bias, count, 0), s01 = kiln_rv32_bias_at(bias, count, 1);      \
  int32_t s02 = kiln_rv32_bias_at(bias, count, 2), s03 = kiln_rv32_bias_at(bias, count, 3);      \
  int32_t s10 = s00, s11 = s01, s12 = s02, s13 = s03;                                              \
  int32_t s20 = s00, s21 = s01, s22 = s02, s23 = s03;                                              \
  int32_t s30 = s00, s31 = s01, s32 = s02, s33 = s03

/* Channel n's outputs of the four rows (`cols` apart) from their sums: its
 * (multiplier, shift) loaded once for the four; `narrow` and `full_range`
 * constants. */
static KILN_ALWAYS_INLINE void kiln_rv32_store_channel(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t cols,
                                                       int32_t a0, int32_t a1, int32_t a2, int32_t a3,
                                                       const int32_t* rq, const int narrow, const int full_range) {
  const int32_t m = rq[0], s = rq[1];
  out[0] = kiln_gemm_s8_output(clamp, a0, m, s, narrow, full_range);
  out[cols] = kiln_gemm_s8_output(clamp, a1, m, s, narrow, full_range);
  out[2 * cols] = kiln_gemm_s8_output(clamp, a2, m, s, narrow, full_range);
  out[3 * cols] = kiln_gemm_s8_output(clamp, a3, m, s, narrow, full_range);
}

/* The block's first `count` channels into out[0..count) of four rows
 * `cols` apart (requant: the group's (multiplier, shift) pairs). */
#define KILN_RV32_STORE_BLOCK(out, cols, count, requant, narrow, full_range)                                  \
  do {                                                                                                        \
    kiln_rv32_store_channel(clamp, (out), (cols), s00, s10, s20, s30, (requant), (narrow), (full_range));     \
    if ((count) > 1)                                                                                          \
      kiln_rv32_store_channel(clamp, (out) + 1, (cols), s01, s11, s21, s31, (requant) + 2, (narrow),          \
                              (full_range));                                                                  \
    if ((count) > 2)                                                                                          \
      kiln_rv32_store_channel(clamp, (out) + 2, (cols), s02, s12, s22, s32, (requant) + 4, (narrow),          \
                              (full_range));                                                                  \
    if ((count) > 3)                                                                                          \
      kiln_rv32_store_channel(clamp, (out) + 3, (cols), s03, s13, s23, s33, (requant) + 6, (narrow),          \
                              (full_range));                                                                  \
  } while (0)

#endif /* KILN_RV32_BLOCK_H_ */
