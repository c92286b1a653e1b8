/* lstm_f32: see the header. */
#include "kiln/kernels/lstm_f32.h"

#include <math.h>

#include "kiln/sequence_state.h"

typedef kiln_lstm_f32_params_t params_t;

static float activate(kiln_lstm_activation_t activation, float x) {
  switch (activation) {
    case KILN_LSTM_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case KILN_LSTM_ACT_RELU_N1_TO_1: return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
    case KILN_LSTM_ACT_RELU6: return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x);
    case KILN_LSTM_ACT_TANH: return tanhf(x);
    case KILN_LSTM_ACT_NONE: break;
  }
  return x;
}

static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

static float clip(float x, float limit) {
  if (limit <= 0.0f) return x;
  return x < -limit ? -limit : (x > limit ? limit : x);
}

/* gate[r] += sum_k w[r][k] * v[k], rows of `cols`. */
static void add_matrix_vector(float* gate, const float* w, const float* v, int32_t rows, int32_t cols) {
  int32_t r, k;
  for (r = 0; r < rows; ++r, w += cols) {
    float dot = 0.0f;
    for (k = 0; k < cols; ++k) dot += w[k] * v[k];
    gate[r] += dot;
  }
}

/* One gate's sum before its nonlinearity: (layer-normalized) W x + R h
 * (+ peephole . c) + bias. */
static void gate_sum(const params_t* p, const float* const* t, int w_slot, int r_slot, int peephole_slot,
                     int bias_slot, int norm_slot, const float* x, const float* h, const float* c, float* gate) {
  const int32_t n = p->n_cell;
  const float* bias = t[bias_slot];
  const float* norm = t[norm_slot];
  int32_t i;
  for (i = 0; i < n; ++i) gate[i] = norm == 0 && bias != 0 ? bias[i] : 0.0f;
  add_matrix_vector(gate, t[w_slot], x, n, p->n_input);
  add_matrix_vector(gate, t[r_slot], h, n, p->n_output);
  if (peephole_slot >= 0 && t[peephole_slot] != 0)
    for (i = 0; i < n; ++i) gate[i] += t[peephole_slot][i] * c[i];
  if (norm != 0) {
    /* TFLite's MeanStddevNormalization, then the coefficients and the bias. */
    float sum = 0.0f, sum_sq = 0.0f, mean, variance, inv;
    for (i = 0; i < n; ++i) {
      sum += gate[i];
      sum_sq += gate[i] * gate[i];
    }
    mean = sum / (float)n;
    variance = sum_sq / (float)n - mean * mean;
    inv = 1.0f / sqrtf(variance + 1e-8f);
    for (i = 0; i < n; ++i) gate[i] = (gate[i] - mean) * inv * norm[i] + (bias != 0 ? bias[i] : 0.0f);
  }
}

void kiln_lstm_f32(const params_t* params, const float* const* t, const float* input, float* output_state,
                   float* cell_state, float* output, float* last_cell_state, float* scratch) {
  const params_t p = *params;
  const int32_t n_cell = p.n_cell, n_output = p.n_output;
  const int cifg = t[KILN_LSTM_INPUT_TO_INPUT] == 0;
  float* const in_gate = scratch;
  float* const forget_gate = in_gate + n_cell;
  float* const cell_gate = forget_gate + n_cell;
  float* const out_gate = cell_gate + n_cell;
  float* const hidden = out_gate + n_cell;
  int32_t s, b, i;
  if (p.reset_state) {
    const float* h0 = t[KILN_LSTM_INITIAL_OUTPUT_STATE];
    const float* c0 = t[KILN_LSTM_INITIAL_CELL_STATE];
    for (i = 0; i < p.batches * n_output; ++i) output_state[i] = h0 != 0 ? h0[i] : 0.0f;
    for (i = 0; i < p.batches * n_cell; ++i) cell_state[i] = c0 != 0 ? c0[i] : 0.0f;
  }
  for (s = 0; s < p.steps; ++s) {
    const int32_t step = p.reverse ? p.steps - 1 - s : s;
    for (b = 0; b < p.batches; ++b) {
      const int32_t row = kiln_sequence_row(p.time_major, p.steps, p.batches, step, b);
      const float* x = input + row * p.n_input;
      float* h = output_state + b * n_output;
      float* c = cell_state + b * n_cell;
      float* out = output + row * n_output;
      if (!cifg)
        gate_sum(&p, t, KILN_LSTM_INPUT_TO_INPUT, KILN_LSTM_RECURRENT_TO_INPUT, KILN_LSTM_CELL_TO_INPUT,
                 KILN_LSTM_INPUT_GATE_BIAS, KILN_LSTM_INPUT_LAYER_NORM, x, h, c, in_gate);
      gate_sum(&p, t, KILN_LSTM_INPUT_TO_FORGET, KILN_LSTM_RECURRENT_TO_FORGET, KILN_LSTM_CELL_TO_FORGET,
               KILN_LSTM_FORGET_GATE_BIAS, KILN_LSTM_FORGET_LAYER_NORM, x, h, c, forget_gate);
      gate_sum(&p, t, KILN_LSTM_INPUT_TO_CELL, KILN_LSTM_RECURRENT_TO_CELL, -1, KILN_LSTM_CELL_GATE_BIAS,
               KILN_LSTM_CELL_LAYER_NORM, x, h, c, cell_gate);
      for (i = 0; i < n_cell; ++i) {
        const float f = sigmoid(forget_gate[i]);
        const float in = cifg ? 1.0f - f : sigmoid(in_gate[i]);
        c[i] = clip(f * c[i] + in * activate(p.activation, cell_gate[i]), p.cell_clip);
      }
      /* The output gate's peephole looks at the new cell state; its
       * recurrent term still reads the previous h. */
      gate_sum(&p, t, KILN_LSTM_INPUT_TO_OUTPUT, KILN_LSTM_RECURRENT_TO_OUTPUT, KILN_LSTM_CELL_TO_OUTPUT,
               KILN_LSTM_OUTPUT_GATE_BIAS, KILN_LSTM_OUTPUT_LAYER_NORM, x, h, c, out_gate);
      for (i = 0; i < n_cell; ++i) hidden[i] = sigmoid(out_gate[i]) * activate(p.activation, c[i]);
      if (t[KILN_LSTM_PROJECTION_WEIGHTS] != 0) {
        const float* bias = t[KILN_LSTM_PROJECTION_BIAS];
        for (i = 0; i < n_output; ++i) h[i] = bias != 0 ? bias[i] : 0.0f;
        add_matrix_vector(h, t[KILN_LSTM_PROJECTION_WEIGHTS], hidden, n_output, n_cell);
        for (i = 0; i < n_output; ++i) h[i] = clip(h[i], p.proj_clip);
      } else {
        for (i = 0; i < n_output; ++i) h[i] = hidden[i];
      }
      for (i = 0; i < n_output; ++i) out[i] = h[i];
    }
  }
  if (last_cell_state != 0)
    for (i = 0; i < p.batches * n_cell; ++i) last_cell_state[i] = cell_state[i];
}
