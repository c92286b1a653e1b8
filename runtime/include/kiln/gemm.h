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
   * padded with zeros to a multiple of 4, each pair of rows n, n+1
   * interleaved in blocks of 4 (w_n[k..k+3], w_n+1[k..k+3]), an odd last
   * row as it is, and the array 4-byte aligned. */
  const int8_t* weights;
  /* [N] the bias with the input offset folded in (see above). */
  const int32_t* bias;
  /* [N] requantization (TFLite's QuantizeMultiplier per channel): the
   * multiplier, and TFLite's shift, or for the "_narrow" entry points the
   * right shift minus one (-shift - 1, see kiln_requantize_narrow). */
  const int32_t* multiplier;
  const int32_t* shift;
} kiln_gemm_s8_params_t;

/* A schedule of the multiply: `rows` input rows, K apart, from `input`;
 * `rows` output rows, N apart, to `output`; `scratch` as the schedule asks
 * (KILN_GEMM_S8_DSP_SCRATCH_BYTES; gemm_s8 takes none and may get NULL). Each schedule has two entry
 * points: the plain one requantizes any layer (kiln_requantize); the
 * "_narrow" one needs what the compiler proved of the layer
 * (kiln_requantize_narrow) and costs a third of it per output value. */
typedef void (*kiln_gemm_s8_fn)(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                int32_t rows, int8_t* output, void* scratch);

/* gemm_s8_dsp's scratch, 4-byte aligned: two rows of K widened to int16,
 * the depth rounded up to a multiple of 4. It is optional: with NULL the
 * kernel widens in registers, once per channel pair (slower, no RAM). */
#define KILN_GEMM_S8_DSP_SCRATCH_BYTES(depth) (2 * 2 * (((depth) + 3) / 4 * 4))

/* The output stage's constants, copied out of the params into locals: the
 * int8 stores of a kernel may alias anything, and would otherwise make the
 * compiler reload every field after each store. */
typedef struct {
  int32_t output_offset, act_min, act_max;
} kiln_gemm_s8_clamp_t;

static inline kiln_gemm_s8_clamp_t kiln_gemm_s8_clamp(const kiln_gemm_s8_params_t* params) {
  kiln_gemm_s8_clamp_t c;
  c.output_offset = params->output_offset;
  c.act_min = params->act_min;
  c.act_max = params->act_max;
  return c;
}

/* One output value: requantized, offset, clamped. `narrow` is a constant
 * in each entry point: `shift` is then the right shift minus one. */
static KILN_ALWAYS_INLINE int8_t kiln_gemm_s8_output(kiln_gemm_s8_clamp_t clamp, int32_t acc,
                                                     int32_t multiplier, int32_t shift, int narrow) {
  acc = (narrow ? kiln_requantize_narrow(acc, multiplier, shift)
                : kiln_requantize(acc, multiplier, (int)shift)) +
        clamp.output_offset;
  return (int8_t)kiln_clamp_i32(acc, clamp.act_min, clamp.act_max);
}

#ifdef __cplusplus
}
#endif

#endif /* KILN_GEMM_H_ */
