/* transpose_conv_s16: 16x8 TRANSPOSE_CONV on the shared gather loop. */
#include "kiln/kernels/transpose_conv_s16.h"

#include "kiln/s16x8.h"
#include "kiln/transpose_conv.h"

static KILN_ALWAYS_INLINE void sum_s16(const void* params, const kiln_transpose_conv_window_t* w, int32_t oc,
                                       const void* input, const void* filter, const void* bias, void* output,
                                       int32_t index) {
  const kiln_transpose_conv_s16_params_t* p = (const kiln_transpose_conv_s16_params_t*)params;
  const int8_t* f_oc = (const int8_t*)filter + oc * p->filter_h * p->filter_w * p->input_c;
  int64_t acc = 0;
  int32_t iy, ix, fy, fx, ic;
  for (iy = w->iy0, fy = w->fy0; iy < w->iy1; ++iy, fy -= p->stride_h) {
    for (ix = w->ix0, fx = w->fx0; ix < w->ix1; ++ix, fx -= p->stride_w) {
      const int16_t* in_px = (const int16_t*)input + ((w->batch * p->input_h + iy) * p->input_w + ix) * p->input_c;
      const int8_t* f_px = f_oc + (fy * p->filter_w + fx) * p->input_c;
      for (ic = 0; ic < p->input_c; ++ic) acc += (int32_t)in_px[ic] * (int32_t)f_px[ic];
    }
  }
  ((int16_t*)output)[index] = kiln_s16x8_output(acc, bias, oc, KILN_S16X8_ACC64, p->output_multiplier[oc],
                                                p->output_shift[oc], p->act_min, p->act_max);
}

void kiln_transpose_conv_s16(const kiln_transpose_conv_s16_params_t* params, const int16_t* input,
                             const int8_t* filter, const int64_t* bias, int16_t* output) {
  const kiln_transpose_conv_geometry_t g = KILN_TRANSPOSE_CONV_GEOMETRY(params);
  kiln_transpose_conv(&g, params, input, filter, bias, output, sum_s16);
}
