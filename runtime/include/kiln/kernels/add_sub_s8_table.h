/* add_sub_s8_table: int8 ADD and SUB with each input's rescaling looked up.
 * TFLite rescales an int8 input value v to ((v + offset) << 20) times a
 * multiplier below one, with two roundings: a function of v alone, 256
 * values, which the compiler tabulates (as int32, twice the value where the
 * output stage takes a doubled sum, and the second input's negated for
 * SUB). Per element: two table loads, an add, and the output stage of the
 * fast schedules. Bit-exact with TFLite's reference kernels. C99. */
#ifndef KILN_KERNELS_ADD_SUB_S8_TABLE_H_
#define KILN_KERNELS_ADD_SUB_S8_TABLE_H_

#include <stdint.h>

#include "kiln/broadcast.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  kiln_broadcast_t shape;
  /* [256] each input's rescaled value, indexed by value + 128. */
  const int32_t* input1_table;
  const int32_t* input2_table;
  /* Requantization of the sum as kiln_gemm_s8_params_t's (kiln/gemm.h):
   * for the "_narrow" entry point the right shift minus one. */
  int32_t output_multiplier, output_shift;
  int32_t output_offset;
  int32_t act_min, act_max;
} kiln_add_sub_s8_table_params_t;

/* output = a + b (or a - b: the second table negated), over params->shape.
 * The "_narrow" entry point requantizes the sum with
 * kiln_requantize_narrow_doubled: its tables hold twice the values. */
void kiln_add_sub_s8_table(const kiln_add_sub_s8_table_params_t* params, const int8_t* a, const int8_t* b,
                           int8_t* output);
void kiln_add_sub_s8_table_narrow(const kiln_add_sub_s8_table_params_t* params, const int8_t* a,
                                  const int8_t* b, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ADD_SUB_S8_TABLE_H_ */
