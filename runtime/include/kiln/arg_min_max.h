/* The ARG_MAX / ARG_MIN kernels (arg_min_max_f32, _s8, _s16, _s32): their
 * params and their one loop. C99. */
#ifndef KILN_ARG_MIN_MAX_H_
#define KILN_ARG_MIN_MAX_H_

#include <stdint.h>

typedef struct {
  /* The input as [outer, axis_size, inner] around the reduced axis. */
  int32_t outer;
  int32_t axis_size;
  int32_t inner;
  /* 1: ARG_MIN, 0: ARG_MAX. */
  int32_t is_min;
  /* 1: the output is int64, 0: int32. */
  int32_t output_int64;
  /* 1: the last of equal extremes (ONNX's select_last_index), 0: the first. */
  int32_t select_last;
} kiln_arg_min_max_params_t;

/* For each (outer, inner) position, the index along the axis of the first
 * (select_last: the last) largest or smallest element, as TFLite's
 * reference ArgMinMax: a later element replaces the best so far only when
 * strictly greater (smaller), or also when equal with select_last; so a NaN
 * is chosen only when it comes first. */
#define KILN_ARG_MIN_MAX_LOOP(params, input, output, type)                                      \
  do {                                                                                          \
    const kiln_arg_min_max_params_t p_ = *(params);                                             \
    int32_t o_, i_, k_;                                                                         \
    for (o_ = 0; o_ < p_.outer; ++o_)                                                           \
      for (i_ = 0; i_ < p_.inner; ++i_) {                                                       \
        const type* at_ = (input) + (int64_t)o_ * p_.axis_size * p_.inner + i_;                 \
        type best_ = at_[0];                                                                    \
        int32_t index_ = 0;                                                                     \
        for (k_ = 1; k_ < p_.axis_size; ++k_) {                                                 \
          const type v_ = at_[(int64_t)k_ * p_.inner];                                          \
          if (p_.is_min ? (v_ < best_ || (p_.select_last && v_ == best_))                       \
                        : (v_ > best_ || (p_.select_last && v_ == best_))) {                    \
            best_ = v_;                                                                         \
            index_ = k_;                                                                        \
          }                                                                                     \
        }                                                                                       \
        if (p_.output_int64)                                                                    \
          ((int64_t*)(output))[(int64_t)o_ * p_.inner + i_] = index_;                           \
        else                                                                                    \
          ((int32_t*)(output))[(int64_t)o_ * p_.inner + i_] = index_;                           \
      }                                                                                         \
  } while (0)

#endif /* KILN_ARG_MIN_MAX_H_ */
