/* conv3d_f32: see the header. */
#include "kiln/kernels/conv3d_f32.h"

void kiln_conv3d_f32(const kiln_conv3d_f32_params_t* p, const float* input, const float* filter,
                     const float* bias, float* output) {
  const int32_t group_in = p->in_c / p->groups, group_out = p->out_c / p->groups;
  int32_t b, od, oh, ow, oc, fd, fh, fw, ic;
  for (b = 0; b < p->batches; ++b)
    for (od = 0; od < p->out_d; ++od)
      for (oh = 0; oh < p->out_h; ++oh)
        for (ow = 0; ow < p->out_w; ++ow)
          for (oc = 0; oc < p->out_c; ++oc) {
            const int32_t first_in = (oc / group_out) * group_in;
            float total = 0.0f;
            for (fd = 0; fd < p->filter_d; ++fd) {
              const int32_t id = od * p->stride_d - p->pad_d + fd * p->dilation_d;
              if (id < 0 || id >= p->in_d) continue;
              for (fh = 0; fh < p->filter_h; ++fh) {
                const int32_t ih = oh * p->stride_h - p->pad_h + fh * p->dilation_h;
                if (ih < 0 || ih >= p->in_h) continue;
                for (fw = 0; fw < p->filter_w; ++fw) {
                  const int32_t iw = ow * p->stride_w - p->pad_w + fw * p->dilation_w;
                  const float* in;
                  const float* w;
                  if (iw < 0 || iw >= p->in_w) continue;
                  in = input + (((int64_t)(b * p->in_d + id) * p->in_h + ih) * p->in_w + iw) * p->in_c + first_in;
                  w = filter + ((int64_t)(fd * p->filter_h + fh) * p->filter_w + fw) * group_in * p->out_c + oc;
                  for (ic = 0; ic < group_in; ++ic) total += in[ic] * w[(int64_t)ic * p->out_c];
                }
              }
            }
            if (bias != 0) total += bias[oc];
            total = total < p->activation_min ? p->activation_min : total;
            *output++ = p->activation_max < total ? p->activation_max : total;
          }
}
