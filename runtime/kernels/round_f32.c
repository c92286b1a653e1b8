/* round_f32: see the header. */
#include "kiln/kernels/round_f32.h"

#include <math.h>

/* TFLite's RoundToNearest: halfway cases to the even neighbour, whatever
 * the floating-point rounding mode (an integer is even when its half is an
 * integer; halving a float is exact). */
static float round_to_nearest(float x) {
  const float floor_value = floorf(x);
  const float diff = x - floor_value;
  if (diff < 0.5f || (diff == 0.5f && floorf(0.5f * floor_value) == 0.5f * floor_value)) return floor_value;
  return floor_value + 1.0f;
}

void kiln_round_f32(const kiln_round_f32_params_t* params, const float* input, float* output) {
  KILN_UNARY_F32_LOOP(params, input, output, round_to_nearest);
}
