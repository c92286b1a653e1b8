/* compare_s8: see the header. */
#include "kiln/kernels/compare_s8.h"

#include "kiln/fixedpoint.h"

/* TFLite's left shift of both inputs before rescaling. */
#define KILN_COMPARE_S8_LEFT_SHIFT 8

void kiln_compare_s8(const kiln_compare_s8_params_t* params, const int8_t* a, const int8_t* b, uint8_t* output) {
  const kiln_compare_s8_params_t p = *params;
#define KILN_SCALED_A(x) \
  kiln_multiply_by_quantized_multiplier(((x) + p.input1_offset) * (1 << KILN_COMPARE_S8_LEFT_SHIFT), \
                                        p.input1_multiplier, (int)p.input1_shift)
#define KILN_SCALED_B(x) \
  kiln_multiply_by_quantized_multiplier(((x) + p.input2_offset) * (1 << KILN_COMPARE_S8_LEFT_SHIFT), \
                                        p.input2_multiplier, (int)p.input2_shift)
  /* Each input by its own scale. */
  KILN_COMPARE_SWITCH(p.op, &p.shape, a, b, output, KILN_SCALED_A, KILN_SCALED_B);
#undef KILN_SCALED_A
#undef KILN_SCALED_B
}
