/* rnn_f32: see the header. */
#include "kiln/kernels/rnn_f32.h"

#include <math.h>

#include "kiln/sequence_state.h"

typedef kiln_rnn_f32_params_t params_t;

static float activate(kiln_rnn_activation_t activation, float x) {
  switch (activation) {
    case KILN_RNN_RELU: return x > 0.0f ? x : 0.0f;
    case KILN_RNN_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case KILN_RNN_TANH: break;
  }
  return tanhf(x);
}

void kiln_rnn_f32(const params_t* params, const float* input, const float* weights, const float* recurrent,
                  const float* bias, const float* initial_state, float* output, float* scratch) {
  const params_t p = *params;
  const int32_t n = p.n_hidden;
  float* const h = scratch; /* the previous state */
  int32_t s, b, r, k;
  for (b = 0; b < p.batches; ++b) {
    for (s = 0; s < p.steps; ++s) {
      const int32_t step = p.reverse ? p.steps - 1 - s : s;
      const int32_t row = kiln_sequence_row(p.time_major, p.steps, p.batches, step, b);
      const float* x = input + row * p.n_input;
      float* const out = output + row * n;
      kiln_sequence_previous_state(h, initial_state, output, p.time_major, p.reverse, p.steps, p.batches, b, s, n);
      for (r = 0; r < n; ++r) {
        const float* w = weights + r * p.n_input;
        const float* u = recurrent + r * n;
        float total = bias != 0 ? bias[r] + bias[n + r] : 0.0f;
        for (k = 0; k < p.n_input; ++k) total += w[k] * x[k];
        for (k = 0; k < n; ++k) total += u[k] * h[k];
        if (p.clip > 0.0f) total = total < -p.clip ? -p.clip : (total > p.clip ? p.clip : total);
        out[r] = activate(p.activation, total);
      }
    }
  }
}
