/* lstm_int: the integer LSTM of TensorFlow Lite Micro (see the header).
 * Reference-quality loops: recurrent layers on microcontrollers are small,
 * and each step's order of operations is TFLite Micro's, which the
 * bit-exactness rests on. */
#include "kiln/kernels/lstm_int.h"

#include <stddef.h>
#include <string.h>

#include "kiln/fixedpoint.h"
#include "kiln/kernels/logistic_tanh_s16.h"

/* Element i of an int8 or int16 vector. */
static int32_t kiln_lstm_int_at(const void* v, int32_t is16, int32_t i) {
  return is16 ? (int32_t)((const int16_t*)v)[i] : (int32_t)((const int8_t*)v)[i];
}

static int16_t kiln_lstm_int_sat16(int32_t x) { return (int16_t)kiln_clamp_i32(x, -32768, 32767); }

/* out[b, c] = sat16(W[c, :] . (x[b, :] + offset) + bias[c]) in the gate's
 * units: TFLite's integer FullyConnected, which accumulates in the bias's
 * type (int32 with int8 activations, int64 with int16) and requantizes with
 * the matching MultiplyByQuantizedMultiplier. */
static void kiln_lstm_int_fc(const kiln_lstm_int_params_t* p, const void* x, int32_t depth, int32_t offset,
                             const int8_t* w, const void* bias, kiln_lstm_int_scale_t scale, int32_t nb,
                             int16_t* out) {
  int32_t b, c, k;
  for (b = 0; b < nb; ++b) {
    for (c = 0; c < p->n_cell; ++c) {
      const int8_t* row = w + c * depth;
      int32_t value;
      if (p->int16_activations) {
        int64_t acc = 0;
        for (k = 0; k < depth; ++k) acc += (int64_t)row[k] * (kiln_lstm_int_at(x, 1, b * depth + k) + offset);
        if (bias != NULL) acc += ((const int64_t*)bias)[c];
        value = kiln_multiply_by_quantized_multiplier_s64(acc, scale.multiplier, (int)scale.shift);
      } else {
        /* int32 sums wrap as TFLite's do: add in uint32. */
        uint32_t acc = 0;
        for (k = 0; k < depth; ++k)
          acc += (uint32_t)((int32_t)row[k] * (kiln_lstm_int_at(x, 0, b * depth + k) + offset));
        if (bias != NULL) acc += (uint32_t)((const int32_t*)bias)[c];
        value = kiln_multiply_by_quantized_multiplier((int32_t)acc, scale.multiplier, (int)scale.shift);
      }
      out[b * p->n_cell + c] = kiln_lstm_int_sat16(value);
    }
  }
}

/* One gate for nb batches: act(sat16(FC(x) + FC(h))). */
static void kiln_lstm_int_gate(const kiln_lstm_int_params_t* p, int32_t gate, const void* const weights[],
                               const void* x, const void* h, int32_t nb, int32_t sigmoid, int16_t* out,
                               int16_t* fc_buffer) {
  const int32_t n = nb * p->n_cell;
  kiln_logistic_tanh_s16_params_t act;
  int32_t i;
  kiln_lstm_int_fc(p, x, p->n_input, p->input_offset, (const int8_t*)weights[3 * gate], weights[3 * gate + 2],
                   p->input_fc[gate], nb, out);
  kiln_lstm_int_fc(p, h, p->n_cell, p->hidden_offset, (const int8_t*)weights[3 * gate + 1], NULL,
                   p->recurrent_fc[gate], nb, fc_buffer);
  for (i = 0; i < n; ++i) out[i] = kiln_lstm_int_sat16((int32_t)out[i] + fc_buffer[i]);
  /* From units of 2^-12: the power-of-two case of the table's rescaling. */
  act.size = n;
  act.input_multiplier = 0;
  act.input_left_shift = 0;
  if (sigmoid)
    kiln_logistic_s16(&act, out, out);
  else
    kiln_tanh_s16(&act, out, out);
}

/* TFLite's MulElementwise of two int16 vectors (zero points 0). */
static int32_t kiln_lstm_int_mul(int16_t a, int16_t b, kiln_lstm_int_scale_t scale) {
  return kiln_multiply_by_quantized_multiplier((int32_t)a * b, scale.multiplier, (int)scale.shift);
}

/* One time step over nb batches; x, h, c and out point at this step's. */
static void kiln_lstm_int_step(const kiln_lstm_int_params_t* p, const void* const weights[], const void* x,
                               void* h, int16_t* c, void* out, int32_t nb, int16_t* scratch) {
  const int32_t n = nb * p->n_cell;
  int16_t* forget = scratch;
  int16_t* input_gate = scratch + n;
  int16_t* cell_gate = scratch + 2 * n;
  int16_t* buffer = scratch + 3 * n;
  kiln_logistic_tanh_s16_params_t tanh_c;
  int32_t i;
  kiln_lstm_int_gate(p, KILN_LSTM_INT_FORGET, weights, x, h, nb, 1, forget, buffer);
  kiln_lstm_int_gate(p, KILN_LSTM_INT_INPUT, weights, x, h, nb, 1, input_gate, buffer);
  kiln_lstm_int_gate(p, KILN_LSTM_INT_CELL, weights, x, h, nb, 0, cell_gate, buffer);
  for (i = 0; i < n; ++i) {
    const int16_t kept = kiln_lstm_int_sat16(kiln_lstm_int_mul(forget[i], c[i], p->forget_mul));
    const int16_t added = kiln_lstm_int_sat16(kiln_lstm_int_mul(input_gate[i], cell_gate[i], p->input_mul));
    int32_t updated = kiln_lstm_int_sat16((int32_t)kept + added);
    if (p->use_cell_clip) updated = kiln_clamp_i32(updated, -p->cell_clip, p->cell_clip);
    c[i] = (int16_t)updated;
  }
  /* The output gate (reusing the input gate's buffer), still on the old h. */
  kiln_lstm_int_gate(p, KILN_LSTM_INT_OUTPUT, weights, x, h, nb, 1, input_gate, buffer);
  tanh_c.size = n;
  tanh_c.input_multiplier = p->cell_tanh_multiplier;
  tanh_c.input_left_shift = p->cell_tanh_left_shift;
  kiln_tanh_s16(&tanh_c, c, forget);
  for (i = 0; i < n; ++i) {
    const int32_t v = kiln_clamp_i32(kiln_lstm_int_mul(forget[i], input_gate[i], p->hidden_mul) +
                                         p->hidden_zero_point,
                                     p->hidden_min, p->hidden_max);
    if (p->int16_activations)
      ((int16_t*)h)[i] = (int16_t)v;
    else
      ((int8_t*)h)[i] = (int8_t)v;
  }
  memcpy(out, h, (size_t)n * (p->int16_activations ? 2u : 1u));
}

void kiln_lstm_int(const kiln_lstm_int_params_t* params, const void* const weights[3 * KILN_LSTM_INT_GATES],
                   const void* input, void* output_state, int16_t* cell_state, void* output, int16_t* scratch) {
  const size_t bytes = params->int16_activations ? 2u : 1u;
  const unsigned char* x = (const unsigned char*)input;
  unsigned char* h = (unsigned char*)output_state;
  unsigned char* y = (unsigned char*)output;
  const int32_t n_input = params->n_input, n_cell = params->n_cell;
  int32_t b, t;
  if (params->time_major) {
    for (t = 0; t < params->steps; ++t)
      kiln_lstm_int_step(params, weights, x + (size_t)t * params->batches * n_input * bytes, h, cell_state,
                         y + (size_t)t * params->batches * n_cell * bytes, params->batches, scratch);
    return;
  }
  for (b = 0; b < params->batches; ++b)
    for (t = 0; t < params->steps; ++t)
      kiln_lstm_int_step(params, weights, x + ((size_t)b * params->steps + t) * n_input * bytes,
                         h + (size_t)b * n_cell * bytes, cell_state + (size_t)b * n_cell,
                         y + ((size_t)b * params->steps + t) * n_cell * bytes, 1, scratch);
}
