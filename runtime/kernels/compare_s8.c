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
  /* The two inputs scale differently: a loop of its own per operation. */
#define KILN_LOOP(OP)                                                                       \
  do {                                                                                      \
    int32_t i_;                                                                             \
    kiln_broadcast_iter_t it_;                                                              \
    kiln_broadcast_iter_init(&it_);                                                         \
    for (i_ = 0; i_ < p.shape.count; ++i_) {                                                \
      output[i_] = (uint8_t)(KILN_SCALED_A(a[it_.a]) OP KILN_SCALED_B(b[it_.b]));           \
      kiln_broadcast_iter_next(&it_, &p.shape);                                             \
    }                                                                                       \
  } while (0)
  switch (p.op) {
    case KILN_COMPARE_EQUAL: KILN_LOOP(==); break;
    case KILN_COMPARE_NOT_EQUAL: KILN_LOOP(!=); break;
    case KILN_COMPARE_LESS: KILN_LOOP(<); break;
    case KILN_COMPARE_LESS_EQUAL: KILN_LOOP(<=); break;
    case KILN_COMPARE_GREATER: KILN_LOOP(>); break;
    default: KILN_LOOP(>=); break;
  }
#undef KILN_LOOP
#undef KILN_SCALED_A
#undef KILN_SCALED_B
}
