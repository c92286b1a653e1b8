/* gemm_s8: the int8 matrix multiply of kiln/gemm.h in portable C. Two input
 * rows x two output channels per inner iteration: each loaded value feeds
 * two multiply-accumulates, and the four sums stay in registers. */
#include "kiln/kernels/gemm_s8.h"

/* One output row. */
static void gemm_row(const kiln_gemm_s8_params_t* params, const int8_t* a, int8_t* out) {
  const int32_t depth = params->depth;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params);
  const int8_t* w = params->weights;
  int32_t n, k;
  for (n = 0; n < params->cols; ++n, w += depth) {
    int32_t acc = params->bias[n];
    for (k = 0; k < depth; ++k) acc += (int32_t)a[k] * (int32_t)w[k];
    out[n] = kiln_gemm_s8_output(clamp, acc, params->multiplier[n], params->shift[n]);
  }
}

void kiln_gemm_s8(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                  int8_t* output) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params);
  int32_t r;
  for (r = 0; r + 2 <= rows; r += 2) {
    const int8_t* a0 = input + r * depth;
    const int8_t* a1 = a0 + depth;
    int8_t* out0 = output + r * cols;
    int8_t* out1 = out0 + cols;
    const int8_t* w0 = params->weights;
    int32_t n, k;
    for (n = 0; n + 2 <= cols; n += 2, w0 += 2 * depth) {
      const int8_t* w1 = w0 + depth;
      int32_t acc00 = params->bias[n], acc01 = params->bias[n + 1];
      int32_t acc10 = acc00, acc11 = acc01;
      for (k = 0; k < depth; ++k) {
        const int32_t x0 = a0[k], x1 = a1[k], f0 = w0[k], f1 = w1[k];
        acc00 += x0 * f0;
        acc01 += x0 * f1;
        acc10 += x1 * f0;
        acc11 += x1 * f1;
      }
      out0[n] = kiln_gemm_s8_output(clamp, acc00, params->multiplier[n], params->shift[n]);
      out1[n] = kiln_gemm_s8_output(clamp, acc10, params->multiplier[n], params->shift[n]);
      out0[n + 1] = kiln_gemm_s8_output(clamp, acc01, params->multiplier[n + 1], params->shift[n + 1]);
      out1[n + 1] = kiln_gemm_s8_output(clamp, acc11, params->multiplier[n + 1], params->shift[n + 1]);
    }
    if (n < cols) {
      int32_t acc0 = params->bias[n], acc1 = acc0;
      for (k = 0; k < depth; ++k) {
        acc0 += (int32_t)a0[k] * (int32_t)w0[k];
        acc1 += (int32_t)a1[k] * (int32_t)w0[k];
      }
      out0[n] = kiln_gemm_s8_output(clamp, acc0, params->multiplier[n], params->shift[n]);
      out1[n] = kiln_gemm_s8_output(clamp, acc1, params->multiplier[n], params->shift[n]);
    }
  }
  if (r < rows) gemm_row(params, input + r * depth, output + r * cols);
}
