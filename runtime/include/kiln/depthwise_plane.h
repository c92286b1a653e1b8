/* One channel of an NHWC tensor copied into a plane padded with the input
 * zero point: what the planar depthwise kernels (depthwise_conv2d_s8_planar_
 * dsp, depthwise_conv2d_s8_planar_rv32) compute from, two neighbouring
 * outputs of a row at a time. C99. */
#ifndef KILN_DEPTHWISE_PLANE_H_
#define KILN_DEPTHWISE_PLANE_H_

#include <stdint.h>
#include <string.h>

#include "kiln/conv_window.h"
#include "kiln/gemm.h"

/* The plane (a kernel's scratch, 4-byte aligned): the rows the 3x3 windows
 * reach, each of the columns they reach, the outputs of a row taken in pairs
 * (an odd row's last output computed as a pair): the last pair reads four
 * columns from (pairs - 1) * 2 * stride_w, two more at stride 2; rounded up
 * to a multiple of 4. The
 * compiler sizes it with the same formula (src/kernels/conv.cc, PlaneBytes). */
#define KILN_DEPTHWISE_PLANE_W(output_w, stride_w) (((((output_w) + 1) / 2 * 2 - 1) * (stride_w) + 3 + 3) / 4 * 4)
#define KILN_DEPTHWISE_PLANE_H(output_h, stride_h) (((output_h) - 1) * (stride_h) + 3)
#define KILN_DEPTHWISE_PLANE_BYTES(output_h, stride_h, output_w, stride_w) \
  (KILN_DEPTHWISE_PLANE_H(output_h, stride_h) * KILN_DEPTHWISE_PLANE_W(output_w, stride_w))

/* `count` bytes of `value`, a word at a time from a word-aligned `at`: the
 * padding, written once per call (every channel writes the same interior). */
static inline void kiln_plane_fill(int8_t* at, int32_t count, int8_t value) {
  const uint32_t word = (uint32_t)(uint8_t)value * 0x01010101u;
  for (; count >= 4; count -= 4, at += 4) memcpy(at, &word, 4);
  for (; count > 0; --count) *at++ = value;
}

/* Four bytes between word-aligned addresses: one load and one store. */
static inline void kiln_copy_word(int8_t* to, const int8_t* from) {
#if defined(__GNUC__) || defined(__clang__)
  memcpy(__builtin_assume_aligned(to, 4), __builtin_assume_aligned(from, 4), 4);
#else
  memcpy(to, from, 4);
#endif
}

/* Channel c of the batch into the plane, whose padding is already written:
 * row r, column j hold image row r - pad_h, column j - pad_w. */
static inline void kiln_plane_copy_channel(const kiln_conv_window_t* g, const int8_t* in_batch, int32_t c,
                                           int8_t* plane, int32_t plane_h, int32_t plane_w) {
  const int32_t channels = g->input_c;
  const int32_t left = g->pad_w < plane_w ? g->pad_w : plane_w;
  const int32_t inside = plane_w - left < g->input_w ? plane_w - left : g->input_w;
  const int32_t first = g->pad_h, last = g->pad_h + g->input_h < plane_h ? g->pad_h + g->input_h : plane_h;
  int32_t r, x;
  for (r = first; r < last; ++r) {
    const int8_t* from = in_batch + (r - g->pad_h) * g->input_w * channels + c;
    int8_t* to = plane + r * plane_w + left;
#if defined(__riscv)
    /* Byte stores: RV32 has no shifted operand to gather a word with (two
     * instructions a value against three and a half), eight a turn; an
     * image of one channel a word at a time where both rows are aligned. */
    x = inside;
    if (channels == 1 && (((uintptr_t)from | (uintptr_t)to) & 3u) == 0)
      for (; x >= 4; x -= 4, from += 4, to += 4) kiln_copy_word(to, from);
    for (; x >= 8; x -= 8, from += 8 * channels, to += 8) {
      to[0] = from[0], to[1] = from[channels], to[2] = from[2 * channels], to[3] = from[3 * channels];
      to[4] = from[4 * channels], to[5] = from[5 * channels], to[6] = from[6 * channels];
      to[7] = from[7 * channels];
    }
    /* The last seven or fewer without a loop (small images: a 6-wide row
     * is four and two). */
    if (x & 4) {
      to[0] = from[0], to[1] = from[channels], to[2] = from[2 * channels], to[3] = from[3 * channels];
      from += 4 * channels, to += 4;
    }
    if (x & 2) {
      to[0] = from[0], to[1] = from[channels];
      from += 2 * channels, to += 2;
    }
    if (x & 1) *to = *from;
#else
    /* Four values gathered into one word, one store (a word store to any
     * address on cores with unaligned access). */
    for (x = inside; x >= 4; x -= 4, from += 4 * channels, to += 4) {
      const uint32_t word = (uint32_t)(uint8_t)from[0] | (uint32_t)(uint8_t)from[channels] << 8 |
                            (uint32_t)(uint8_t)from[2 * channels] << 16 | (uint32_t)(uint8_t)from[3 * channels] << 24;
      memcpy(to, &word, 4);
    }
    for (; x > 0; --x, from += channels) *to++ = *from;
#endif
  }
}

/* The planar kernels' outer loops: the padding written once, then per
 * batch and input channel the channel copied into the plane and each of its
 * depth_multiplier output channels computed by CHANNEL(plane, plane_w, oc,
 * out, full_range, stride), the kernel's channel loop with its last two
 * arguments constants: one copy of it per stride and clamp. `p` is the
 * kernel's local copy of its params (kiln/depthwise_s8.h). A macro, so that
 * every call stays inline: calls through a table of instantiations would
 * hide them from the footprint estimate's call graph. */
#define KILN_DEPTHWISE_PLANES(p, input, output, scratch, CHANNEL)                                          \
  do {                                                                                                     \
    const int32_t plane_w_ = KILN_DEPTHWISE_PLANE_W((p).window.output_w, (p).window.stride_w);             \
    const int32_t plane_h_ = KILN_DEPTHWISE_PLANE_H((p).window.output_h, (p).window.stride_h);             \
    const int full_range_ = kiln_gemm_s8_full_range((p).act_min, (p).act_max);                             \
    int8_t* const plane_ = (int8_t*)(scratch);                                                             \
    const int32_t output_c_ = (p).window.input_c * (p).depth_multiplier;                                   \
    int32_t b_, c_, oc_;                                                                                   \
    /* The padding around the image is the same for every channel. */                                     \
    kiln_plane_fill(plane_, plane_h_ * plane_w_, (int8_t)(p).window.input_zero_point);                     \
    for (b_ = 0; b_ < (p).window.batches; ++b_) {                                                          \
      const int8_t* in_batch_ = (input) + b_ * (p).window.input_h * (p).window.input_w * (p).window.input_c; \
      int8_t* out_batch_ = (output) + b_ * (p).window.output_h * (p).window.output_w * output_c_;          \
      for (c_ = 0; c_ < (p).window.input_c; ++c_) {                                                        \
        kiln_plane_copy_channel(&(p).window, in_batch_, c_, plane_, plane_h_, plane_w_);                   \
        for (oc_ = c_ * (p).depth_multiplier; oc_ < (c_ + 1) * (p).depth_multiplier; ++oc_) {              \
          if ((p).window.stride_w == 1 && full_range_)                                                     \
            CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 1, 1);                                        \
          else if ((p).window.stride_w == 1)                                                               \
            CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 0, 1);                                        \
          else if (full_range_)                                                                            \
            CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 1, 2);                                        \
          else                                                                                             \
            CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 0, 2);                                        \
        }                                                                                                  \
      }                                                                                                    \
    }                                                                                                      \
  } while (0)

#endif /* KILN_DEPTHWISE_PLANE_H_ */
