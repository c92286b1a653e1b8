/* What softmax_f32 and log_softmax_f32 share: the row maximum that both
 * subtract before exponentiating (so expf never overflows), in TFLite's
 * order. C99. */
#ifndef KILN_SOFTMAX_COMMON_H_
#define KILN_SOFTMAX_COMMON_H_

#include <float.h>
#include <stdint.h>

/* max(row[0..depth)), or -FLT_MAX for an empty row or one of NaNs. */
static inline float kiln_row_max_f32(const float* row, int32_t depth) {
  float max = -FLT_MAX;
  int32_t c;
  for (c = 0; c < depth; ++c)
    if (row[c] > max) max = row[c];
  return max;
}

#endif /* KILN_SOFTMAX_COMMON_H_ */
