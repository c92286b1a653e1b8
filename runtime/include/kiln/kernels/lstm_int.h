/* lstm_int: UNIDIRECTIONAL_SEQUENCE_LSTM with integer activations, as
 * TensorFlow Lite Micro's integer LSTM (lstm_eval.h) computes it: int8
 * activations with int32 biases, or int16 activations (16x8) with int64
 * biases; int8 weights; an int16 cell state in units of a power of two.
 * Per time step (all batches at once when time_major, else one batch at a
 * time), each gate is
 *   gate = act(sat16(FC(x) + FC(h)))   FC outputs in units of 2^-12
 * with act sigmoid (tanh for the cell gate g) into units of 2^-15, then
 *   c = sat16(f * c + i * g)   (clipped to +-cell_clip when set)
 *   h = tanh(c) * o            (requantized to the hidden state's zero point)
 * and the output at that step is h. The gates are computed in the order
 * forget, input, cell, output, the output gate reading the h of the
 * previous step. No CIFG, peephole, projection or layer normalization
 * (TFLite Micro has none). output_state (h) and cell_state (c) persist
 * between runs. C99. */
#ifndef KILN_KERNELS_LSTM_INT_H_
#define KILN_KERNELS_LSTM_INT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The gates, in the order of their weights in the kernel's `weights`
 * array: for gate k, weights[3k] are its input weights [n_cell, n_input],
 * weights[3k + 1] its recurrent weights [n_cell, n_cell] (both int8) and
 * weights[3k + 2] its bias [n_cell] (int32, or int64 with int16
 * activations; NULL for none). */
enum { KILN_LSTM_INT_FORGET, KILN_LSTM_INT_INPUT, KILN_LSTM_INT_CELL, KILN_LSTM_INT_OUTPUT, KILN_LSTM_INT_GATES };

/* A real multiplier, TFLite's encoding: multiplier * 2^(shift - 31). */
typedef struct {
  int32_t multiplier, shift;
} kiln_lstm_int_scale_t;

typedef struct {
  int32_t batches, steps, n_input, n_cell;
  int32_t time_major;        /* input [steps, batches, n_input], else [batches, steps, n_input]; the output alike */
  int32_t int16_activations; /* 0: int8 input, state and output; 1: int16 */
  int32_t input_offset;      /* minus the input's zero point */
  int32_t hidden_offset;     /* minus the hidden state's zero point */
  /* Per gate: input_scale * weight_scale * 2^12 for its input FC, and
   * hidden_scale * recurrent_weight_scale * 2^12 for its recurrent FC. */
  kiln_lstm_int_scale_t input_fc[KILN_LSTM_INT_GATES], recurrent_fc[KILN_LSTM_INT_GATES];
  /* f * c -> c, i * g -> c and tanh(c) * o -> h. */
  kiln_lstm_int_scale_t forget_mul, input_mul, hidden_mul;
  int32_t hidden_zero_point, hidden_min, hidden_max;
  /* tanh(c): the int16 table's input rescaling for the cell's scale. */
  int32_t cell_tanh_multiplier, cell_tanh_left_shift;
  int32_t use_cell_clip, cell_clip; /* |c| <= cell_clip when use_cell_clip */
} kiln_lstm_int_params_t;

/* The scratch: KILN_LSTM_INT_SCRATCH_INT16S(batches, n_cell, time_major)
 * int16 values (four gate buffers of one step). */
#define KILN_LSTM_INT_SCRATCH_INT16S(batches, n_cell, time_major) (4 * ((time_major) ? (batches) : 1) * (n_cell))

/* input: int8 or int16 (see above); output_state [batches, n_cell] of the
 * same type, cell_state [batches, n_cell] int16; output: the input's
 * layout with n_cell values per step. */
void kiln_lstm_int(const kiln_lstm_int_params_t* params, const void* const weights[3 * KILN_LSTM_INT_GATES],
                   const void* input, void* output_state, int16_t* cell_state, void* output, int16_t* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LSTM_INT_H_ */
