/* The int8 matrix multiply behind the fast convolution and fully connected
 * schedules: out[r][n] = requantize(bias[n] + sum_k a[r][k] * w[n][k]).
 * The input offset is folded into `bias` at compile time
 * (bias[n] + input_offset * sum_k w[n][k]), so the inner loop is products of
 * raw int8 values; a padded tap must then hold the input zero point, which
 * contributes zero. Every schedule of it is bit-exact with TFLite's
 * reference kernels. C99. */
#ifndef KILN_GEMM_H_
#define KILN_GEMM_H_

#include <stdint.h>

#include "kiln/fixedpoint.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* K: the length of each input row and weight row. */
  int32_t depth;
  /* N: output channels (weight rows); output rows are N apart. */
  int32_t cols;
  /* output_zero_point, and the fused activation's clamp. */
  int32_t output_offset;
  int32_t act_min, act_max;
  /* [N, K] int8 in the layout of the schedule: row-major (TFLite's filter
   * and weights layout) for gemm_s8; for gemm_s8_dsp, "pairs": each row
   * padded with zeros to a multiple of 8, each pair of rows n, n+1
   * interleaved in blocks of 4 (w_n[k..k+3], w_n+1[k..k+3]), an odd last
   * row as it is, and the array 4-byte aligned; for the "_wide" entry
   * points of gemm_s8_dsp, "wide pairs": the same order with each word of
   * four int8 values w[k..k+3] stored as the two words SXTB16 would make
   * of it, int16 pairs (w[k], w[k+2]) then (w[k+1], w[k+3]): per block of
   * a row pair the words (n even, n+1 even, n odd, n+1 odd), per block of
   * an odd last row (even, odd); and each row pair's (or odd last row's)
   * words led by its bias values and followed by its requantization pairs,
   * as `bias` and `requant` below hold them, which are then NULL; for the
   * "_wide_..._in_registers" entry points, "wide quads": channels in
   * groups of four (the last padded with zero channels), per group its four
   * biases, then per block of four inputs (the depth padded to 4) the words
   * (n even, n odd, n+1 even, n+1 odd, ... n+3 odd) as above, then its four
   * requantization pairs. */
  const int8_t* weights;
  /* [N] the bias with the input offset folded in (see above). */
  const int32_t* bias;
  /* [N] requantization, a (multiplier, shift) pair per channel, which one
   * LDRD loads: TFLite's QuantizeMultiplier per channel, the multiplier and
   * TFLite's shift or, for the "_narrow" entry points, the right shift minus
   * one (-shift - 1, see kiln_requantize_narrow). */
  const int32_t* requant;
} kiln_gemm_s8_params_t;

/* A schedule of the multiply: `rows` input rows, K apart, from `input`;
 * `rows` output rows, N apart, to `output`; `scratch` as the entry point
 * asks (KILN_GEMM_S8_DSP_SCRATCH_BYTES, or none: NULL). Every schedule has
 * a plain entry point, which requantizes any layer (kiln_requantize), and a
 * "_narrow" one, which needs what the compiler proved of the layer
 * (kiln_requantize_narrow) and costs a third of it per output value. */
typedef void (*kiln_gemm_s8_fn)(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                int32_t rows, int8_t* output, void* scratch);

/* gemm_s8_dsp's scratch, 4-byte aligned: two rows of K widened to int16,
 * the depth rounded up to a multiple of 8; three rows for the "_wide" entry
 * points, which take rows three at a time. Its "_in_registers" entry points
 * take none: they widen once per channel pair (slower, no RAM). */
#define KILN_GEMM_S8_DSP_SCRATCH_BYTES(depth) (2 * 2 * (((depth) + 7) / 8 * 8))
#define KILN_GEMM_S8_DSP_WIDE_SCRATCH_BYTES(depth) (3 * 2 * (((depth) + 7) / 8 * 8))

/* The output stage's constants, copied out of the params into locals: the
 * int8 stores of a kernel may alias anything, and would otherwise make the
 * compiler reload every field after each store. `full_range`: the clamp is
 * the int8 range itself (no activation, or one the output's scale makes a
 * no-op, as ReLU6 often is), a single SSAT. */
typedef struct {
  int32_t output_offset, act_min, act_max;
  int full_range;
  /* 1 + 2 output_offset: the offset joined to the last rounding step of a
   * narrow output stage (kiln_requantize_narrow_halves). */
  int32_t halves_offset;
  /* The clamp's lower bound is at or above the output offset (ReLU, ReLU6):
   * narrow layers round once (KILN_REQUANT_RELU; the RV32 kernels by
   * kiln_requantize_narrow_relu, kiln/rv32_common.h). */
  int relu;
} kiln_gemm_s8_clamp_t;

/* The activation range is the whole int8 range: the clamp is one SSAT. */
static inline int kiln_gemm_s8_full_range(int32_t act_min, int32_t act_max) {
  return act_min <= -128 && act_max >= 127;
}

static inline kiln_gemm_s8_clamp_t kiln_gemm_s8_clamp(int32_t output_offset, int32_t act_min, int32_t act_max) {
  kiln_gemm_s8_clamp_t c;
  c.output_offset = output_offset;
  c.act_min = act_min;
  c.act_max = act_max;
  c.full_range = kiln_gemm_s8_full_range(act_min, act_max);
  c.halves_offset = 1 + 2 * output_offset;
  c.relu = act_min >= output_offset;
  return c;
}

/* How an output stage requantizes (a constant in each kernel entry point):
 * kiln_requantize; kiln_requantize_narrow; or kiln_requantize_narrow_doubled,
 * for kernels whose weights and folded bias the compiler doubled (int16
 * weights, narrow layers), so that the accumulator is 2x already. */
#define KILN_REQUANT_FULL 0
#define KILN_REQUANT_NARROW 1
#define KILN_REQUANT_NARROW_DOUBLED 2
/* Added to a narrow mode where the clamp's lower bound is at or above the
 * output offset (clamp.relu): kiln_gemm_s8_output then takes
 * kiln_requantize_narrow_relu_halves, SMMLAR and a shift for what was
 * SMMULR, the tie correction, the shift and the offset. Kernels dispatch on
 * it once, at entry (KILN_REQUANT_TAKES_RELU), so that it is a constant in
 * their loops. */
#define KILN_REQUANT_RELU 4
/* Whether a narrow layer takes KILN_REQUANT_RELU: its clamp allows it
 * (clamp.relu) and is known at compile time, as in the shape-specialised
 * copies; a runtime entry point would carry its loops twice. */
#define KILN_REQUANT_TAKES_RELU(output_offset, act_min) \
  (KILN_IS_CONSTANT((act_min) >= (output_offset)) && (act_min) >= (output_offset))

/* A narrow output stage's doubled accumulator: the compiler doubled the
 * weights and folded bias already in KILN_REQUANT_NARROW_DOUBLED. */
static KILN_ALWAYS_INLINE int32_t kiln_requant_doubled_acc(int32_t acc, const int narrow) {
  return (narrow & 3) == KILN_REQUANT_NARROW_DOUBLED ? acc : (int32_t)((uint32_t)acc << 1);
}

/* One output value: requantized, offset, clamped. `narrow` (a
 * KILN_REQUANT_ mode) and `full_range` are constants where it is inlined
 * (kernels branch once per group of outputs on clamp.full_range): `shift`
 * is the right shift minus one when narrow, and the full-range clamp is one
 * SSAT. */
static KILN_ALWAYS_INLINE int8_t kiln_gemm_s8_output(kiln_gemm_s8_clamp_t clamp, int32_t acc,
                                                     int32_t multiplier, int32_t shift, const int narrow,
                                                     const int full_range) {
  if (narrow) {
    /* The offset and the last shift folded into one add and the clamp:
     * six instructions with SMMULR and the store; four with ReLU's single
     * rounding (SMMLAR, the shift, SSAT, the store) and an LSL per channel. */
    const int32_t x2 = kiln_requant_doubled_acc(acc, narrow);
    const int32_t halves = (narrow & KILN_REQUANT_RELU)
                               ? kiln_requantize_narrow_relu_halves(x2, multiplier, shift, clamp.halves_offset)
                               : kiln_requantize_narrow_halves(x2, multiplier, shift) + clamp.halves_offset;
    return (int8_t)(full_range ? kiln_saturate_s8_halves(halves)
                               : kiln_clamp_i32(halves >> 1, clamp.act_min, clamp.act_max));
  }
  acc = kiln_requantize(acc, multiplier, (int)shift) + clamp.output_offset;
  return (int8_t)(full_range ? kiln_saturate_s8(acc) : kiln_clamp_i32(acc, clamp.act_min, clamp.act_max));
}

/* kiln_gemm_s8_store with `full_range` a constant. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_store_clamped(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t count,
                                                          int32_t acc0, int32_t acc1, int32_t acc2, int32_t acc3,
                                                          const uint32_t* rq, const int narrow,
                                                          const int full_range) {
  uint32_t m, s;
  KILN_READ_U32X2(rq, 0, m, s);
  out[0] = kiln_gemm_s8_output(clamp, acc0, (int32_t)m, (int32_t)s, narrow, full_range);
  if (count > 1) {
    KILN_READ_U32X2(rq, 2, m, s);
    out[1] = kiln_gemm_s8_output(clamp, acc1, (int32_t)m, (int32_t)s, narrow, full_range);
  }
  if (count > 2) {
    KILN_READ_U32X2(rq, 4, m, s);
    out[2] = kiln_gemm_s8_output(clamp, acc2, (int32_t)m, (int32_t)s, narrow, full_range);
  }
  if (count > 3) {
    KILN_READ_U32X2(rq, 6, m, s);
    out[3] = kiln_gemm_s8_output(clamp, acc3, (int32_t)m, (int32_t)s, narrow, full_range);
  }
}

/* Channels n and n+1 of two or three rows (`rows`, a constant; the sums
 * acc<row><channel>, the rows' outputs `row_step` apart): each channel's
 * (multiplier, shift) pair loaded once for every row. `full_range` a
 * constant. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_store_rows_x2(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t row_step,
                                                          const int rows, int32_t acc00, int32_t acc01,
                                                          int32_t acc10, int32_t acc11, int32_t acc20, int32_t acc21,
                                                          const int32_t* requant, const int narrow,
                                                          const int full_range) {
  const uint32_t* const rq = (const uint32_t*)(const void*)requant;
  uint32_t m, s;
  KILN_READ_U32X2(rq, 0, m, s);
  out[0] = kiln_gemm_s8_output(clamp, acc00, (int32_t)m, (int32_t)s, narrow, full_range);
  out[row_step] = kiln_gemm_s8_output(clamp, acc10, (int32_t)m, (int32_t)s, narrow, full_range);
  if (rows > 2) out[2 * row_step] = kiln_gemm_s8_output(clamp, acc20, (int32_t)m, (int32_t)s, narrow, full_range);
  KILN_READ_U32X2(rq, 2, m, s);
  out[1] = kiln_gemm_s8_output(clamp, acc01, (int32_t)m, (int32_t)s, narrow, full_range);
  out[row_step + 1] = kiln_gemm_s8_output(clamp, acc11, (int32_t)m, (int32_t)s, narrow, full_range);
  if (rows > 2) out[2 * row_step + 1] = kiln_gemm_s8_output(clamp, acc21, (int32_t)m, (int32_t)s, narrow, full_range);
}

/* `count` (1 to 4) output values of consecutive channels, their sums in
 * acc0..acc3, their requantization from the (multiplier, shift) pairs at
 * `requant` (one LDRD each). One branch on the clamp per group. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_store(kiln_gemm_s8_clamp_t clamp, int8_t* out, int32_t count,
                                                  int32_t acc0, int32_t acc1, int32_t acc2, int32_t acc3,
                                                  const int32_t* requant, const int narrow) {
  const uint32_t* const rq = (const uint32_t*)(const void*)requant;
  if (clamp.full_range)
    kiln_gemm_s8_store_clamped(clamp, out, count, acc0, acc1, acc2, acc3, rq, narrow, 1);
  else
    kiln_gemm_s8_store_clamped(clamp, out, count, acc0, acc1, acc2, acc3, rq, narrow, 0);
}

#ifdef __cplusplus
}
#endif

#endif /* KILN_GEMM_H_ */
