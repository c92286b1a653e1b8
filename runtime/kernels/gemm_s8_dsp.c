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
#define KILN_DOT4(acc, x_even, x_odd, w)         \
  do {                                           \
    const uint32_t w_even_ = kiln_sxtb16(w);     \
    const uint32_t w_odd_ = kiln_sxtb16_ror8(w); \
    acc = kiln_smlad(x_even, w_even_, acc);      \
    acc = kiln_smlad(x_odd, w_odd_, acc);        \
  } while (0)

void kiln_gemm_s8_dsp(const kiln_gemm_s8_params_t* params, const int8_t* input, int32_t rows,
                      int8_t* output) {
  const int32_t depth = params->depth;
  const int32_t cols = params->cols;
  const int32_t blocks = depth >> 2, tail = depth & 3;
  const int32_t* const bias = params->bias;
  const int32_t* const multiplier = params->multiplier;
  const int32_t* const shift = params->shift;
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(params);
  int32_t r;
  for (r = 0; r < rows; r += 2) {
    const int two = rows - r >= 2;
    const int8_t* const a0 = input + r * depth;
    /* A single row reads itself twice rather than past the input. */
    const int8_t* const a1 = two ? a0 + depth : a0;
    int8_t* const out0 = output + r * cols;
    int8_t* const out1 = out0 + cols;
    const int8_t* w = params->weights;
    int32_t n, k;
    for (n = 0; n + 2 <= cols; n += 2) {
      const int8_t* x0 = a0;
      const int8_t* x1 = a1;
      int32_t acc00 = bias[n], acc01 = bias[n + 1];
      int32_t acc10 = acc00, acc11 = acc01;
      for (k = blocks; k > 0; --k) {
        const uint32_t xw0 = kiln_read_s8x4(x0), xw1 = kiln_read_s8x4(x1);
        const uint32_t x0e = kiln_sxtb16(xw0), x0o = kiln_sxtb16_ror8(xw0);
        const uint32_t x1e = kiln_sxtb16(xw1), x1o = kiln_sxtb16_ror8(xw1);
        const uint32_t wn0 = kiln_read_s8x4(w), wn1 = kiln_read_s8x4(w + 4);
        KILN_DOT4(acc00, x0e, x0o, wn0);
        KILN_DOT4(acc10, x1e, x1o, wn0);
        KILN_DOT4(acc01, x0e, x0o, wn1);
        KILN_DOT4(acc11, x1e, x1o, wn1);
        x0 += 4, x1 += 4, w += 8;
      }
      for (k = tail; k > 0; --k) {
        const int32_t v0 = *x0++, v1 = *x1++, g0 = w[0], g1 = w[1];
        acc00 += v0 * g0;
        acc01 += v0 * g1;
        acc10 += v1 * g0;
        acc11 += v1 * g1;
        w += 2;
      }
      {
        const int32_t m0 = multiplier[n], s0 = shift[n], m1 = multiplier[n + 1], s1 = shift[n + 1];
        out0[n] = kiln_gemm_s8_output(clamp, acc00, m0, s0);
        out0[n + 1] = kiln_gemm_s8_output(clamp, acc01, m1, s1);
        if (two) {
          out1[n] = kiln_gemm_s8_output(clamp, acc10, m0, s0);
          out1[n + 1] = kiln_gemm_s8_output(clamp, acc11, m1, s1);
        }
      }
    }
    if (n < cols) { /* the odd last channel, its weights one plain row */
      const int8_t* x0 = a0;
      const int8_t* x1 = a1;
      int32_t acc0 = bias[n], acc1 = acc0;
      for (k = blocks; k > 0; --k) {
        const uint32_t xw0 = kiln_read_s8x4(x0), xw1 = kiln_read_s8x4(x1), fw = kiln_read_s8x4(w);
        KILN_DOT4(acc0, kiln_sxtb16(xw0), kiln_sxtb16_ror8(xw0), fw);
        KILN_DOT4(acc1, kiln_sxtb16(xw1), kiln_sxtb16_ror8(xw1), fw);
        x0 += 4, x1 += 4, w += 4;
      }
      for (k = tail; k > 0; --k, ++w) {
        acc0 += (int32_t)*x0++ * (int32_t)*w;
        acc1 += (int32_t)*x1++ * (int32_t)*w;
      }
      out0[n] = kiln_gemm_s8_output(clamp, acc0, multiplier[n], shift[n]);
      if (two) out1[n] = kiln_gemm_s8_output(clamp, acc1, multiplier[n], shift[n]);
    }
  }
}
