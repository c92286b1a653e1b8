/* rnn_f32: ONNX's RNN over a sequence, float32, one direction. Per time
 * step and batch, h the previous step's output (the initial state, or
 * zeros, at the first step):
 *   h = f(W x + R h + Wb + Rb)
 * with f tanh, relu or sigmoid, its input clipped to +-clip when clip > 0.
 * The state does not persist: every run starts from the initial state. The
 * reverse direction walks the steps from the last to the first.
 * C99. */
#ifndef KILN_KERNELS_RNN_F32_H_
#define KILN_KERNELS_RNN_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { KILN_RNN_TANH, KILN_RNN_RELU, KILN_RNN_SIGMOID } kiln_rnn_activation_t;

typedef struct {
  int32_t batches, steps, n_input, n_hidden;
  int32_t time_major; /* input [steps, batches, n_input], else [batches, steps, n_input]; the output alike */
  int32_t reverse;    /* 1: from the last step to the first */
  kiln_rnn_activation_t activation;
  float clip; /* 0: no clipping */
} kiln_rnn_f32_params_t;

/* The scratch: KILN_RNN_F32_SCRATCH_FLOATS(n_hidden) floats (the previous
 * state). */
#define KILN_RNN_F32_SCRATCH_FLOATS(n_hidden) (n_hidden)

/* weights [n_hidden, n_input], recurrent [n_hidden, n_hidden]; bias (NULL:
 * zeros) [2 * n_hidden], Wb then Rb; initial_state (NULL: zeros)
 * [batches, n_hidden]. */
void kiln_rnn_f32(const kiln_rnn_f32_params_t* params, const float* input, const float* weights,
                  const float* recurrent, const float* bias, const float* initial_state, float* output,
                  float* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_RNN_F32_H_ */
