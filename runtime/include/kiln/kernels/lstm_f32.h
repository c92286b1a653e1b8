/* lstm_f32: UNIDIRECTIONAL_SEQUENCE_LSTM, float32, as TensorFlow Lite
 * computes it (lstm_eval's float step): per time step and batch,
 *   i = sigmoid(W_i x + R_i h + p_i . c + b_i)   (CIFG: i = 1 - f)
 *   f = sigmoid(W_f x + R_f h + p_f . c + b_f)
 *   g = act(W_c x + R_c h + b_c)
 *   c = f . c + i . g                             (clipped to +-cell_clip)
 *   o = sigmoid(W_o x + R_o h + p_o . c + b_o)    (the new c)
 *   h = o . act(c)          (then h = P h + b_p, clipped to +-proj_clip)
 * With layer-norm coefficients a gate's sum (before the bias) is
 * normalized to mean 0 and variance 1 (epsilon 1e-8), scaled by them and
 * then biased. output_state (h) and cell_state (c) persist between runs.
 * With `reverse` (ONNX's reverse direction) the steps are walked from the
 * last to the first.
 * C99. */
#ifndef KILN_KERNELS_LSTM_F32_H_
#define KILN_KERNELS_LSTM_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The operator's inputs, by TFLite's input index: the `tensors` array the
 * kernel takes holds each weight, bias and coefficient vector there (NULL
 * where the model has none); slots 0, 18 and 19 (input and states) are
 * arguments of their own. */
enum {
  KILN_LSTM_INPUT_TO_INPUT = 1, KILN_LSTM_INPUT_TO_FORGET, KILN_LSTM_INPUT_TO_CELL, KILN_LSTM_INPUT_TO_OUTPUT,
  KILN_LSTM_RECURRENT_TO_INPUT, KILN_LSTM_RECURRENT_TO_FORGET, KILN_LSTM_RECURRENT_TO_CELL,
  KILN_LSTM_RECURRENT_TO_OUTPUT, KILN_LSTM_CELL_TO_INPUT, KILN_LSTM_CELL_TO_FORGET, KILN_LSTM_CELL_TO_OUTPUT,
  KILN_LSTM_INPUT_GATE_BIAS, KILN_LSTM_FORGET_GATE_BIAS, KILN_LSTM_CELL_GATE_BIAS, KILN_LSTM_OUTPUT_GATE_BIAS,
  KILN_LSTM_PROJECTION_WEIGHTS, KILN_LSTM_PROJECTION_BIAS,
  KILN_LSTM_INPUT_LAYER_NORM = 20, KILN_LSTM_FORGET_LAYER_NORM, KILN_LSTM_CELL_LAYER_NORM, KILN_LSTM_OUTPUT_LAYER_NORM,
  /* Where each run starts from (reset_state; ONNX's initial_h and initial_c). */
  KILN_LSTM_INITIAL_OUTPUT_STATE, KILN_LSTM_INITIAL_CELL_STATE,
  KILN_LSTM_TENSORS
};

/* The cell's activation (TFLite's fused_activation_function). */
typedef enum {
  KILN_LSTM_ACT_NONE,
  KILN_LSTM_ACT_RELU,
  KILN_LSTM_ACT_RELU_N1_TO_1,
  KILN_LSTM_ACT_RELU6,
  KILN_LSTM_ACT_TANH
} kiln_lstm_activation_t;

typedef struct {
  int32_t batches, steps, n_input, n_cell, n_output;
  int32_t time_major; /* input [steps, batches, n_input], else [batches, steps, n_input]; the output alike */
  kiln_lstm_activation_t activation;
  float cell_clip, proj_clip; /* 0: no clipping */
  /* 1: each run starts from the initial states (zeros where NULL), as an
   * ONNX LSTM does; 0: from where the last run left them, as TFLite's. */
  int32_t reset_state;
  int32_t reverse; /* 1: from the last step to the first (ONNX's reverse direction) */
} kiln_lstm_f32_params_t;

/* The scratch: KILN_LSTM_F32_SCRATCH_FLOATS(n_cell) floats (four gates and
 * the unprojected output). */
#define KILN_LSTM_F32_SCRATCH_FLOATS(n_cell) (5 * (n_cell))

/* `last_cell_state` (NULL: none) receives the cell state after the last
 * step, [batches, n_cell] (ONNX's Y_c). */
void kiln_lstm_f32(const kiln_lstm_f32_params_t* params, const float* const* tensors, const float* input,
                   float* output_state, float* cell_state, float* output, float* last_cell_state, float* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LSTM_F32_H_ */
