/* gru_f32: see the header. */
#include "kiln/kernels/gru_f32.h"

#include <math.h>

#include "kiln/sequence_state.h"

typedef kiln_gru_f32_params_t params_t;

static float clip(float x, float limit) {
  if (limit <= 0.0f) return x;
  return x < -limit ? -limit : (x > limit ? limit : x);
}

static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

/* sum[r] = sum_k w[r][k] * v[k] (+ bias[r]), rows of `cols`. */
static void matrix_vector(float* sum, const float* w, const float* v, const float* bias, int32_t rows,
                          int32_t cols) {
  int32_t r, k;
  for (r = 0; r < rows; ++r, w += cols) {
    float dot = bias != 0 ? bias[r] : 0.0f;
    for (k = 0; k < cols; ++k) dot += w[k] * v[k];
    sum[r] = dot;
  }
}

void kiln_gru_f32(const params_t* params, const float* input, const float* weights, const float* recurrent,
                  const float* bias, const float* initial_state, float* output, float* scratch) {
  const params_t p = *params;
  const int32_t n = p.n_hidden;
  const float* const input_bias = bias;
  const float* const recurrent_bias = bias != 0 ? bias + 3 * n : 0;
  float* const x_sum = scratch;        /* W x + Wb, three gates */
  float* const h_sum = x_sum + 3 * n;  /* R_z h and R_r h (+ Rb); then r . h */
  float* const h = h_sum + 2 * n;      /* the previous state */
  float* const reset = h + n;          /* R_n (r . h) + Rb_n, or r . (R_n h + Rb_n) */
  int32_t s, b, i;
  for (b = 0; b < p.batches; ++b) {
    for (s = 0; s < p.steps; ++s) {
      const int32_t step = p.reverse ? p.steps - 1 - s : s;
      const int32_t row = kiln_sequence_row(p.time_major, p.steps, p.batches, step, b);
      float* const out = output + row * n;
      kiln_sequence_previous_state(h, initial_state, output, p.time_major, p.reverse, p.steps, p.batches, b, s, n);
      matrix_vector(x_sum, weights, input + row * p.n_input, input_bias, 3 * n, p.n_input);
      matrix_vector(h_sum, recurrent, h, recurrent_bias, 2 * n, n); /* z and r */
      for (i = 0; i < 2 * n; ++i) x_sum[i] = sigmoid(clip(x_sum[i] + h_sum[i], p.clip)); /* z, r */
      if (p.linear_before_reset) {
        matrix_vector(reset, recurrent + 2 * n * n, h, recurrent_bias != 0 ? recurrent_bias + 2 * n : 0, n, n);
        for (i = 0; i < n; ++i) reset[i] *= x_sum[n + i];
      } else {
        for (i = 0; i < n; ++i) h_sum[i] = x_sum[n + i] * h[i];
        matrix_vector(reset, recurrent + 2 * n * n, h_sum, recurrent_bias != 0 ? recurrent_bias + 2 * n : 0, n, n);
      }
      for (i = 0; i < n; ++i) {
        const float z = x_sum[i];
        const float candidate = tanhf(clip(x_sum[2 * n + i] + reset[i], p.clip));
        out[i] = (1.0f - z) * candidate + z * h[i];
      }
    }
  }
}
