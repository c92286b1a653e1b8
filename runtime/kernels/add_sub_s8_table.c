/* add_sub_s8_table: see the header. */
#include "kiln/kernels/add_sub_s8_table.h"

#include "kiln/gemm.h"
#include "kiln/runtime.h"

typedef kiln_add_sub_s8_table_params_t params_t;

static KILN_ALWAYS_INLINE void elements(const params_t* p, const int8_t* a, const int8_t* b, int8_t* output,
                                        const int narrow, const int full_range) {
  const kiln_gemm_s8_clamp_t clamp = kiln_gemm_s8_clamp(p->output_offset, p->act_min, p->act_max);
  /* Indexed by the int8 value itself: the tables' middles. */
  const int32_t* const t1 = p->input1_table + 128;
  const int32_t* const t2 = p->input2_table + 128;
  const int32_t multiplier = p->output_multiplier, shift = p->output_shift;
  const int32_t count = p->shape.count;
  int32_t i;
  if (p->shape.flat) {
    for (i = 0; i < count; ++i)
      output[i] = kiln_gemm_s8_output(clamp, t1[a[i]] + t2[b[i]], multiplier, shift, narrow, full_range);
  } else {
    kiln_broadcast_iter_t it;
    kiln_broadcast_iter_init(&it);
    for (i = 0; i < count; ++i) {
      output[i] = kiln_gemm_s8_output(clamp, t1[a[it.a]] + t2[b[it.b]], multiplier, shift, narrow, full_range);
      kiln_broadcast_iter_next(&it, &p->shape);
    }
  }
}

static KILN_ALWAYS_INLINE void add_sub(const params_t* params, const int8_t* a, const int8_t* b, int8_t* output,
                                       const int narrow) {
  const params_t p = *params; /* a local copy: the int8 stores may alias anything */
  if (kiln_gemm_s8_full_range(p.act_min, p.act_max))
    elements(&p, a, b, output, narrow, 1);
  else
    elements(&p, a, b, output, narrow, 0);
}

void kiln_add_sub_s8_table(const params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  add_sub(params, a, b, output, 0);
}

void kiln_add_sub_s8_table_narrow(const params_t* params, const int8_t* a, const int8_t* b, int8_t* output) {
  add_sub(params, a, b, output, KILN_REQUANT_NARROW_DOUBLED);
}
