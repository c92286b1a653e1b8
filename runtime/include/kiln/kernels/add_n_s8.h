/* add_n_s8: int8 ADD_N, bit-exact with TensorFlow Lite Micro's (add_n.cc,
 * reference_ops::AddN for int8): every input shares one scale and zero
 * point; each value, less the zero point and shifted left by left_shift, is
 * rescaled by input_multiplier, the rescaled values summed (starting from
 * the zero point's own rescaling, -zero_point, as TFLite Micro's loop
 * starts), and the sum requantized to the output's scale. */
#ifndef KILN_KERNELS_ADD_N_S8_H_
#define KILN_KERNELS_ADD_N_S8_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t count;        /* elements of each input and of the output */
  int32_t input_offset; /* -zero point of the inputs */
  int32_t left_shift;   /* 20 */
  int32_t input_multiplier, input_shift;
  int32_t output_multiplier, output_shift;
  int32_t output_offset; /* the output's zero point */
  int32_t act_min, act_max;
} kiln_add_n_s8_params_t;

/* output = the sum of inputs[0 .. num_inputs - 1], each of params->count int8
 * values. */
void kiln_add_n_s8(const kiln_add_n_s8_params_t* params, const int8_t* const* inputs, int32_t num_inputs,
                   int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_ADD_N_S8_H_ */
