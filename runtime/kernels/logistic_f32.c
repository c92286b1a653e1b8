/* logistic_f32: float LOGISTIC, TFLite's reference_ops::Logistic. */
#include "kiln/kernels/logistic_f32.h"

#include <math.h>

void kiln_logistic_f32(const kiln_logistic_f32_params_t* params, const float* input,
                       float* output) {
  /* Above the upper cut-off the result rounds to 1 in float; below the
   * lower one, exp(x) alone is as accurate as 1/(1+exp(-x)). */
  const float cutoff_upper = 16.619047164916992188f;
  const float cutoff_lower = -9.0f;
  int32_t i;
  for (i = 0; i < params->size; ++i) {
    const float x = input[i];
    float y;
    if (x > cutoff_upper)
      y = 1.0f;
    else if (x < cutoff_lower)
      y = expf(x);
    else
      y = 1.0f / (1.0f + expf(-x));
    output[i] = y;
  }
}
