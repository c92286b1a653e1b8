/* What the recurrent kernels (lstm_f32, gru_f32, rnn_f32) share: where a step's
 * row lies in a sequence, and the state a step starts from. C99. */
#ifndef KILN_SEQUENCE_STATE_H_
#define KILN_SEQUENCE_STATE_H_

#include <stdint.h>

/* The row of (step, batch) in a [steps, batches, ...] sequence (time-major)
 * or a [batches, steps, ...] one. */
static inline int32_t kiln_sequence_row(int32_t time_major, int32_t steps, int32_t batches, int32_t step,
                                        int32_t batch) {
  return time_major ? step * batches + batch : batch * steps + step;
}

/* h[0, n) = the state the s-th step of batch `batch` starts from, s counted
 * in walking order (backwards when `reverse`): the initial state (zeros when
 * NULL) at s = 0, else the previous step's row of `output` ([.., n]). */
static inline void kiln_sequence_previous_state(float* h, const float* initial_state, const float* output,
                                                int32_t time_major, int32_t reverse, int32_t steps,
                                                int32_t batches, int32_t batch, int32_t s, int32_t n) {
  int32_t i;
  if (s == 0) {
    for (i = 0; i < n; ++i) h[i] = initial_state != 0 ? initial_state[batch * n + i] : 0.0f;
  } else {
    const int32_t previous = reverse ? steps - s : s - 1;
    const float* row = output + kiln_sequence_row(time_major, steps, batches, previous, batch) * n;
    for (i = 0; i < n; ++i) h[i] = row[i];
  }
}

#endif /* KILN_SEQUENCE_STATE_H_ */
