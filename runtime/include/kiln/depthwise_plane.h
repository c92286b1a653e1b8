/* One channel of an NHWC tensor copied into a plane padded with the input
 * zero point: what the planar depthwise kernels (depthwise_conv2d_s8_planar_
 * dsp, depthwise_conv2d_s8_planar_rv32) compute from, two neighbouring
 * outputs of a row at a time. C99. */
#ifndef KILN_DEPTHWISE_PLANE_H_
#define KILN_DEPTHWISE_PLANE_H_

#include <stdint.h>
#include <string.h>

#include "kiln/conv_window.h"

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
    /* Four values gathered into one word, one store (a word store to any
     * address on cores with unaligned access). */
    for (x = inside; x >= 4; x -= 4, from += 4 * channels, to += 4) {
      const uint32_t word = (uint32_t)(uint8_t)from[0] | (uint32_t)(uint8_t)from[channels] << 8 |
                            (uint32_t)(uint8_t)from[2 * channels] << 16 | (uint32_t)(uint8_t)from[3 * channels] << 24;
      memcpy(to, &word, 4);
    }
    for (; x > 0; --x, from += channels) *to++ = *from;
  }
}

#endif /* KILN_DEPTHWISE_PLANE_H_ */
