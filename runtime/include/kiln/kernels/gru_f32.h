/* gru_f32: ONNX's GRU over a sequence, float32, one direction, activations
 * Sigmoid and Tanh. Per time step and batch, h the previous step's output
 * (the initial state, or zeros, at the first step):
 *   z = sigmoid(W_z x + R_z h + Wb_z + Rb_z)
 *   r = sigmoid(W_r x + R_r h + Wb_r + Rb_r)
 *   n = tanh(W_n x + R_n (r . h) + Wb_n + Rb_n)      linear_before_reset 0
 *   n = tanh(W_n x + r . (R_n h + Rb_n) + Wb_n)      linear_before_reset 1
 *   h = (1 - z) . n + z . h
 * Each gate's sum is clipped to +-clip before its activation when clip > 0.
 * The state does not persist: every run starts from the initial state. The
 * reverse direction walks the steps from the last to the first.
 * C99. */
#ifndef KILN_KERNELS_GRU_F32_H_
#define KILN_KERNELS_GRU_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches, steps, n_input, n_hidden;
  int32_t time_major; /* input [steps, batches, n_input], else [batches, steps, n_input]; the output alike */
  int32_t reverse;    /* 1: from the last step to the first */
  int32_t linear_before_reset;
  float clip; /* 0: no clipping */
} kiln_gru_f32_params_t;

/* The scratch: KILN_GRU_F32_SCRATCH_FLOATS(n_hidden) floats (the input's
 * three gate sums, the state's two, the previous state and the reset
 * gate's product). */
#define KILN_GRU_F32_SCRATCH_FLOATS(n_hidden) (7 * (n_hidden))

/* weights [3 * n_hidden, n_input] and recurrent [3 * n_hidden, n_hidden]
 * hold the gates z, r, n in that order (ONNX's); bias (NULL: zeros) holds
 * [6 * n_hidden], the input biases Wb then the recurrent ones Rb;
 * initial_state (NULL: zeros) is [batches, n_hidden]. */
void kiln_gru_f32(const kiln_gru_f32_params_t* params, const float* input, const float* weights,
                  const float* recurrent, const float* bias, const float* initial_state, float* output,
                  float* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_GRU_F32_H_ */
