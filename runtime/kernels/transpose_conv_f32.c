/* transpose_conv_f32: float32 TRANSPOSE_CONV on the shared gather loop. */
#include "kiln/kernels/transpose_conv_f32.h"

#include "kiln/transpose_conv.h"

static KILN_ALWAYS_INLINE void sum_f32(const void* params, const kiln_transpose_conv_window_t* w, int32_t oc,
                                       const void* input, const void* filter, const void* bias, void* output,
                                       int32_t index) {
  const kiln_transpose_conv_f32_params_t* p = (const kiln_transpose_conv_f32_params_t*)params;
  const float* f_oc = (const float*)filter + oc * p->filter_h * p->filter_w * p->input_c;
  float acc = 0.0f;
  int32_t iy, ix, fy, fx, ic;
  for (iy = w->iy0, fy = w->fy0; iy < w->iy1; ++iy, fy -= p->stride_h) {
    for (ix = w->ix0, fx = w->fx0; ix < w->ix1; ++ix, fx -= p->stride_w) {
      const float* in_px = (const float*)input + ((w->batch * p->input_h + iy) * p->input_w + ix) * p->input_c;
      const float* f_px = f_oc + (fy * p->filter_w + fx) * p->input_c;
      for (ic = 0; ic < p->input_c; ++ic) acc += in_px[ic] * f_px[ic];
    }
  }
  if (bias != NULL) acc += ((const float*)bias)[oc];
  /* TFLite's ActivationFunctionWithMinMax: max first, then min. */
  acc = acc < p->act_min ? p->act_min : acc;
  ((float*)output)[index] = acc > p->act_max ? p->act_max : acc;
}

void kiln_transpose_conv_f32(const kiln_transpose_conv_f32_params_t* params, const float* input,
                             const float* filter, const float* bias, float* output) {
  const kiln_transpose_conv_geometry_t g = KILN_TRANSPOSE_CONV_GEOMETRY(params);
  kiln_transpose_conv(&g, params, input, filter, bias, output, sum_f32);
}
