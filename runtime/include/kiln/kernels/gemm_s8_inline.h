/* gemm_s8: see the header. Its body, every function inline: the runtime's
 * entry points (kernels/gemm_s8.c) and the shape-specialised copies of
 * generated code (docs/schedules.md) are both made of it. Two input rows x
 * two output channels per inner iteration: each loaded value feeds two
 * multiply-accumulates, and the four sums stay in registers. */
#ifndef KILN_KERNELS_GEMM_S8_INLINE_H_
#define KILN_KERNELS_GEMM_S8_INLINE_H_
#include "kiln/kernels/gemm_s8.h"

static KILN_ALWAYS_INLINE void kiln_gemm_s8_rows(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                 int32_t rows, int8_t* output, const int narrow) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t* const bias = params->bias;
  const int32_t* const requant = params->requant;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params->output_offset, params->act_min, params->act_max);
  int32_t r, n, k;
  for (r = 0; r + 2 <= rows; r += 2) {
    const int8_t* const a0 = input + r * depth;
    const int8_t* const a1 = a0 + depth;
    int8_t* const out0 = output + r * cols;
    int8_t* const out1 = out0 + cols;
    const int8_t* w0 = params->weights;
    for (n = 0; n < cols; n += 2, w0 += 2 * depth) {
      /* An odd last channel runs its row twice, keeping one result. */
      const int pair = n + 1 < cols;
      const int8_t* const w1 = pair ? w0 + depth : w0;
      int32_t acc00 = bias[n], acc01 = bias[pair ? n + 1 : n];
      int32_t acc10 = acc00, acc11 = acc01;
      for (k = 0; k < depth; ++k) {
        const int32_t x0 = a0[k], x1 = a1[k], f0 = w0[k], f1 = w1[k];
        acc00 += x0 * f0;
        acc01 += x0 * f1;
        acc10 += x1 * f0;
        acc11 += x1 * f1;
      }
      kiln_gemm_s8_store(clamp, out0 + n, pair ? 2 : 1, acc00, acc01, 0, 0, requant + 2 * n, narrow);
      kiln_gemm_s8_store(clamp, out1 + n, pair ? 2 : 1, acc10, acc11, 0, 0, requant + 2 * n, narrow);
    }
  }
  if (r < rows) { /* an odd last row (a fully connected layer at batch 1): once */
    const int8_t* const a0 = input + r * depth;
    int8_t* const out0 = output + r * cols;
    const int8_t* w0 = params->weights;
    for (n = 0; n < cols; n += 2, w0 += 2 * depth) {
      const int pair = n + 1 < cols;
      const int8_t* const w1 = pair ? w0 + depth : w0;
      int32_t acc0 = bias[n], acc1 = bias[pair ? n + 1 : n];
      for (k = 0; k < depth; ++k) {
        const int32_t x = a0[k];
        acc0 += x * w0[k];
        acc1 += x * w1[k];
      }
      kiln_gemm_s8_store(clamp, out0 + n, pair ? 2 : 1, acc0, acc1, 0, 0, requant + 2 * n, narrow);
    }
  }
}

/* The entry points' bodies (kiln/kernels/gemm_s8.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_gemm_s8_inline(const kiln_gemm_s8_params_t* params, const int8_t* input,
                                                   int32_t rows, int8_t* output, void* scratch) {
  (void)scratch;
  kiln_gemm_s8_rows(params, input, rows, output, 0);
}

static KILN_ALWAYS_INLINE void kiln_gemm_s8_narrow_inline(const kiln_gemm_s8_params_t* params,
                                                          const int8_t* input, int32_t rows, int8_t* output,
                                                          void* scratch) {
  (void)scratch;
  kiln_gemm_s8_rows(params, input, rows, output, 1);
}

#endif /* KILN_KERNELS_GEMM_S8_INLINE_H_ */
