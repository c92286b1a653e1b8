/* transpose_conv_s8: int8 TRANSPOSE_CONV on the shared gather loop. */
#include "kiln/kernels/transpose_conv_s8.h"

#include "kiln/fixedpoint.h"
#include "kiln/transpose_conv.h"

static KILN_ALWAYS_INLINE void sum_s8(const void* params, const kiln_transpose_conv_window_t* w, int32_t oc,
                                      const void* input, const void* filter, const void* bias, void* output,
                                      int32_t index) {
  const kiln_transpose_conv_s8_params_t* p = (const kiln_transpose_conv_s8_params_t*)params;
  const int8_t* f_oc = (const int8_t*)filter + oc * p->filter_h * p->filter_w * p->input_c;
  int32_t acc = 0, iy, ix, fy, fx, ic;
  for (iy = w->iy0, fy = w->fy0; iy < w->iy1; ++iy, fy -= p->stride_h) {
    for (ix = w->ix0, fx = w->fx0; ix < w->ix1; ++ix, fx -= p->stride_w) {
      const int8_t* in_px = (const int8_t*)input + ((w->batch * p->input_h + iy) * p->input_w + ix) * p->input_c;
      const int8_t* f_px = f_oc + (fy * p->filter_w + fx) * p->input_c;
      for (ic = 0; ic < p->input_c; ++ic) acc += ((int32_t)in_px[ic] + p->input_offset) * (int32_t)f_px[ic];
    }
  }
  if (bias != NULL) acc += ((const int32_t*)bias)[oc];
  acc = kiln_multiply_by_quantized_multiplier(acc, p->output_multiplier[oc], (int)p->output_shift[oc]);
  ((int8_t*)output)[index] = (int8_t)kiln_clamp_i32(acc + p->output_offset, p->act_min, p->act_max);
}

void kiln_transpose_conv_s8(const kiln_transpose_conv_s8_params_t* params, const int8_t* input,
                            const int8_t* filter, const int32_t* bias, int8_t* output) {
  const kiln_transpose_conv_geometry_t g = KILN_TRANSPOSE_CONV_GEOMETRY(params);
  kiln_transpose_conv(&g, params, input, filter, bias, output, sum_s8);
}
