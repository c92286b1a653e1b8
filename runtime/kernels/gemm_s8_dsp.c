/* gemm_s8_dsp: the int8 matrix multiply of kiln/gemm.h with the DSP
 * extension. Four depth steps at a time: one word of four int8 values from
 * each of two input rows and two weight rows, split by SXTB16 into the even
 * and odd bytes as int16 pairs, then eight SMLADs (sixteen multiply-
 * accumulates). Inputs and weights are split the same way, so the pairs line
 * up without reordering (no PKHBT). The weights of two output channels are
 * interleaved at compile time ("pairs" layout, kiln/gemm.h), so one pointer
 * walks them and the loop keeps every value in a register. */
#include "kiln/kernels/gemm_s8_dsp.h"

#include "kiln/simd.h"

/* acc += the 4 products of one input word's halves and one weight word. */
#define KILN_DOT4(acc, x_even, x_odd, w)                      \
  do {                                                        \
    const uint32_t w_even_ = kiln_sxtb16(w);                  \
    const uint32_t w_odd_ = kiln_sxtb16_ror8(w);              \
    acc = kiln_smlad(x_even, w_even_, acc);                   \
    acc = kiln_smlad(x_odd, w_odd_, acc);                     \
  } while (0)

/* `rows` (1 or 2) rows against output channels n, n+1 (pairs layout).
 * Returns the weights after the pair. */
static const int8_t* pair_of_columns(const kiln_gemm_s8_params_t* params, const int8_t* a0,
                                     const int8_t* a1, int32_t rows, const int8_t* w, int32_t n,
                                     int8_t* out0, int8_t* out1) {
  const int32_t depth = params->depth;
  int32_t acc00 = params->bias[n], acc01 = params->bias[n + 1];
  int32_t acc10 = acc00, acc11 = acc01;
  int32_t k;
  if (rows == 2) {
    for (k = depth >> 2; k > 0; --k) {
      const uint32_t xw0 = kiln_read_s8x4(a0), xw1 = kiln_read_s8x4(a1);
      const uint32_t x0e = kiln_sxtb16(xw0), x0o = kiln_sxtb16_ror8(xw0);
      const uint32_t x1e = kiln_sxtb16(xw1), x1o = kiln_sxtb16_ror8(xw1);
      const uint32_t wn0 = kiln_read_s8x4(w), wn1 = kiln_read_s8x4(w + 4);
      KILN_DOT4(acc00, x0e, x0o, wn0);
      KILN_DOT4(acc10, x1e, x1o, wn0);
      KILN_DOT4(acc01, x0e, x0o, wn1);
      KILN_DOT4(acc11, x1e, x1o, wn1);
      a0 += 4, a1 += 4, w += 8;
    }
  } else {
    for (k = depth >> 2; k > 0; --k) {
      const uint32_t xw0 = kiln_read_s8x4(a0);
      const uint32_t x0e = kiln_sxtb16(xw0), x0o = kiln_sxtb16_ror8(xw0);
      KILN_DOT4(acc00, x0e, x0o, kiln_read_s8x4(w));
      KILN_DOT4(acc01, x0e, x0o, kiln_read_s8x4(w + 4));
      a0 += 4, w += 8;
    }
  }
  for (k = depth & 3; k > 0; --k) {
    const int32_t v0 = *a0++, v1 = *a1++, g0 = w[0], g1 = w[1];
    acc00 += v0 * g0;
    acc01 += v0 * g1;
    acc10 += v1 * g0;
    acc11 += v1 * g1;
    w += 2;
  }
  out0[n] = kiln_gemm_s8_output(params, acc00, params->multiplier[n], params->shift[n]);
  out0[n + 1] = kiln_gemm_s8_output(params, acc01, params->multiplier[n + 1], params->shift[n + 1]);
  if (rows == 2) {
    out1[n] = kiln_gemm_s8_output(params, acc10, params->multiplier[n], params->shift[n]);
    out1[n + 1] = kiln_gemm_s8_output(params, acc11, params->multiplier[n + 1], params->shift[n + 1]);
  }
  return w;
}

/* The odd last output channel n (its weights as one plain row). */
static void last_column(const kiln_gemm_s8_params_t* params, const int8_t* a0, const int8_t* a1,
                        int32_t rows, const int8_t* w, int32_t n, int8_t* out0, int8_t* out1) {
  int32_t acc0 = params->bias[n], acc1 = acc0, k;
  for (k = params->depth >> 2; k > 0; --k) {
    const uint32_t xw0 = kiln_read_s8x4(a0), xw1 = kiln_read_s8x4(a1), fw = kiln_read_s8x4(w);
    KILN_DOT4(acc0, kiln_sxtb16(xw0), kiln_sxtb16_ror8(xw0), fw);
    KILN_DOT4(acc1, kiln_sxtb16(xw1), kiln_sxtb16_ror8(xw1), fw);
    a0 += 4, a1 += 4, w += 4;
  }
  for (k = params->depth & 3; k > 0; --k, ++w) {
    acc0 += (int32_t)*a0++ * (int32_t)*w;
    acc1 += (int32_t)*a1++ * (int32_t)*w;
  }
  out0[n] = kiln_gemm_s8_output(params, acc0, params->multiplier[n], params->shift[n]);
  if (rows == 2) out1[n] = kiln_gemm_s8_output(params, acc1, params->multiplier[n], params->shift[n]);
}

void kiln_gemm_s8_dsp(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                      int8_t* output) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  int32_t r;
  for (r = 0; r < rows; r += 2) {
    const int32_t block = rows - r >= 2 ? 2 : 1;
    const int8_t* a0 = input + r * depth;
    /* A single row reads itself twice rather than past the input. */
    const int8_t* a1 = block == 2 ? a0 + depth : a0;
    int8_t* out0 = output + r * cols;
    int8_t* out1 = out0 + cols;
    const int8_t* w = params->weights;
    int32_t n;
    for (n = 0; n + 2 <= cols; n += 2) w = pair_of_columns(params, a0, a1, block, w, n, out0, out1);
    if (n < cols) last_column(params, a0, a1, block, w, n, out0, out1);
  }
}
