/* svdf_f32: float32 SVDF (TFLite Micro's EvalFloatSvdfReference). */
#ifndef KILN_KERNELS_SVDF_F32_H_
#define KILN_KERNELS_SVDF_F32_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t batches;     /* B */
  int32_t input_size;  /* In */
  int32_t num_filters; /* F = num_units * rank */
  int32_t num_units;
  int32_t rank;
  int32_t memory_size; /* T: time steps kept in the state */
  /* Fused activation as a clamp (NONE: -FLT_MAX..FLT_MAX). */
  float activation_min;
  float activation_max;
} kiln_svdf_f32_params_t;

/* input [B,In]; weights_feature [F,In]; weights_time [F,T]; bias [units] or
 * NULL; state [B,F*T] (row b, filter f, time t at b*F*T + f*T + t), read and
 * updated in place, persistent between runs; output [B,units]; scratch
 * [B,F]. All float32. */
void kiln_svdf_f32(const kiln_svdf_f32_params_t* params, const float* input,
                   const float* weights_feature, const float* weights_time, const float* bias,
                   float* state, float* output, float* scratch);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KERNELS_SVDF_F32_H_ */
