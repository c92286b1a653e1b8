/* pool2d_s8_dsp: int8 MAX_POOL_2D and AVERAGE_POOL_2D, four channels a
 * word. MAX: SSUB8 and SEL keep the larger of each byte, the window's
 * maximum starting from the activation minimum and ending clamped to the
 * maximum, three instructions per tap of four channels. AVERAGE: SXTAB16
 * adds each tap's channel pairs into 16-bit lanes (256 taps fit: a
 * window's rows are folded into 32-bit sums every 256 / width rows; windows
 * at most 256 wide), then one division per value rounds as TFLite does. Windows are clipped to the input, padded
 * positions skipped. Bit-exact with TFLite's reference_integer_ops. Built
 * without the DSP extension, kiln/simd.h computes the same in portable C
 * (slower there than the reference kernels: no schedule of other targets). */
#ifndef KILN_KERNELS_POOL2D_S8_DSP_H_
#define KILN_KERNELS_POOL2D_S8_DSP_H_

#include <stdint.h>

#include "kiln/pool2d.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The reference kernels' params (kiln/pool2d.h). */
typedef kiln_pool2d_int_params_t kiln_pool2d_s8_dsp_params_t;

/* input [N, H, W, C] int8; output [N, OH, OW, C] int8. */
void kiln_max_pool2d_s8_dsp(const kiln_pool2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output);
void kiln_avg_pool2d_s8_dsp(const kiln_pool2d_s8_dsp_params_t* params, const int8_t* input, int8_t* output);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_POOL2D_S8_DSP_H_ */
