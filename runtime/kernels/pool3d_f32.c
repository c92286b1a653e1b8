/* pool3d_f32: see the header. */
#include "kiln/kernels/pool3d_f32.h"

#include <float.h>

/* The first and one past the last filter tap along an axis that read inside
 * the input, for the window starting at `start`. */
static void taps(int32_t start, int32_t filter, int32_t size, int32_t* first, int32_t* end) {
  *first = start < 0 ? -start : 0;
  *end = size - start < filter ? size - start : filter;
}

void kiln_pool3d_f32(const kiln_pool3d_f32_params_t* p, const float* input, float* output) {
  int32_t b, od, oh, ow, c, fd, fh, fw;
  for (b = 0; b < p->batches; ++b)
    for (od = 0; od < p->out_d; ++od)
      for (oh = 0; oh < p->out_h; ++oh)
        for (ow = 0; ow < p->out_w; ++ow) {
          const int32_t sd = od * p->stride_d - p->pad_d, sh = oh * p->stride_h - p->pad_h,
                        sw = ow * p->stride_w - p->pad_w;
          int32_t d0, d1, h0, h1, w0, w1;
          taps(sd, p->filter_d, p->in_d, &d0, &d1);
          taps(sh, p->filter_h, p->in_h, &h0, &h1);
          taps(sw, p->filter_w, p->in_w, &w0, &w1);
          for (c = 0; c < p->channels; ++c) {
            float value = p->average ? 0.0f : -FLT_MAX;
            int32_t count = 0;
            for (fd = d0; fd < d1; ++fd)
              for (fh = h0; fh < h1; ++fh)
                for (fw = w0; fw < w1; ++fw) {
                  const float x =
                      input[(((int64_t)(b * p->in_d + sd + fd) * p->in_h + sh + fh) * p->in_w + sw + fw) * p->channels +
                            c];
                  if (p->average) value += x;
                  else value = x > value ? x : value;
                  ++count;
                }
            if (p->average) value = count > 0 ? value / (float)count : 0.0f;
            value = value < p->activation_min ? p->activation_min : value;
            *output++ = p->activation_max < value ? p->activation_max : value;
          }
        }
}
