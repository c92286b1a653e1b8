/* logistic_tanh_s16: LOGISTIC and TANH on int16 (zero points 0, output
 * scale 2^-15), bit-exact with TFLite's reference_integer_ops::Logistic and
 * ::Tanh for int16: the input rescaled to units of 1/(3 * 4096), then a
 * 256-entry table of sigmoid, linearly interpolated (tanh(x) =
 * 2 sigmoid(2x) - 1 reads the same table). The integer LSTM's gates use
 * these too. C99. */
#ifndef KILN_KERNELS_LOGISTIC_TANH_S16_H_
#define KILN_KERNELS_LOGISTIC_TANH_S16_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  /* Number of elements (any shape; elementwise). */
  int32_t size;
  /* x * input_multiplier rounded right by input_left_shift; a multiplier of
   * 0 means the power-of-two case: 3 << input_left_shift, no shift. */
  int32_t input_multiplier;
  int32_t input_left_shift;
} kiln_logistic_tanh_s16_params_t;

/* input, output: [size] int16; output may be input. */
void kiln_logistic_s16(const kiln_logistic_tanh_s16_params_t* params, const int16_t* input, int16_t* output);
void kiln_tanh_s16(const kiln_logistic_tanh_s16_params_t* params, const int16_t* input, int16_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_LOGISTIC_TANH_S16_H_ */
