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
#include "kiln/simd.h"

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

/* The planes a kernel with params `p` (kiln/depthwise_s8.h) keeps,
 * consecutive in its scratch: four (p.planes 4, the input of four channels
 * or more) copied together, one word of four channels per pixel transposed
 * in registers, about 1.8 cycles a byte against 4 copied one channel at a
 * time; else one. */
#define KILN_DEPTHWISE_PLANES_KEPT(p) ((p).planes == 4 && (p).window.input_c >= 4 ? 4 : 1)

/* `count` bytes of `value` from `at`, a word at a time. */
static inline void kiln_plane_fill(int8_t* at, int32_t count, int8_t value) {
  const uint32_t word = (uint32_t)(uint8_t)value * 0x01010101u;
  for (; count >= 4; count -= 4, at += 4) memcpy(at, &word, 4);
  for (; count > 0; --count) *at++ = value;
}

/* Where the image lies in a plane: columns left .. left + inside - 1 of rows
 * first .. last - 1 (what the copies write; the rest is padding). */
typedef struct {
  int32_t left, inside, first, last;
} kiln_plane_image_t;

static inline kiln_plane_image_t kiln_plane_image(const kiln_conv_window_t* g, int32_t plane_h, int32_t plane_w) {
  kiln_plane_image_t im;
  im.left = g->pad_w < plane_w ? g->pad_w : plane_w;
  im.inside = plane_w - im.left < g->input_w ? plane_w - im.left : g->input_w;
  im.first = g->pad_h < plane_h ? g->pad_h : plane_h;
  im.last = g->pad_h + g->input_h < plane_h ? g->pad_h + g->input_h : plane_h;
  if (im.last < im.first) im.last = im.first;
  return im;
}

/* The plane's padding, once per call: the rows above the image and the
 * left columns of its first row, then from each image row's right end to
 * the next one's left (the last such run through the rows below). Every
 * channel's copy writes the same image bytes and no others. */
static inline void kiln_plane_fill_padding(const kiln_conv_window_t* g, int8_t* plane, int32_t plane_h,
                                           int32_t plane_w, int8_t value) {
  const kiln_plane_image_t im = kiln_plane_image(g, plane_h, plane_w);
  int32_t r;
  if (im.first == im.last || im.inside == 0) {
    kiln_plane_fill(plane, plane_h * plane_w, value);
    return;
  }
  kiln_plane_fill(plane, im.first * plane_w + im.left, value);
  for (r = im.first; r < im.last; ++r) {
    const int32_t from = r * plane_w + im.left + im.inside;
    const int32_t to = r + 1 < im.last ? (r + 1) * plane_w + im.left : plane_h * plane_w;
    kiln_plane_fill(plane + from, to - from, value);
  }
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
  const kiln_plane_image_t im = kiln_plane_image(g, plane_h, plane_w);
  int32_t r, x;
  for (r = im.first; r < im.last; ++r) {
    const int8_t* from = in_batch + (r - g->pad_h) * g->input_w * channels + c;
    int8_t* to = plane + r * plane_w + im.left;
#if defined(__riscv)
    /* Byte stores: RV32 has no shifted operand to gather a word with (two
     * instructions a value against three and a half), eight a turn; an
     * image of one channel a word at a time where both rows are aligned. */
    x = im.inside;
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
    for (x = im.inside; x >= 4; x -= 4, from += 4 * channels, to += 4) {
      const uint32_t word = (uint32_t)(uint8_t)from[0] | (uint32_t)(uint8_t)from[channels] << 8 |
                            (uint32_t)(uint8_t)from[2 * channels] << 16 | (uint32_t)(uint8_t)from[3 * channels] << 24;
      memcpy(to, &word, 4);
    }
    for (; x > 0; --x, from += channels) *to++ = *from;
#endif
  }
}

/* Channels c..c+3 of the batch into four planes `plane_bytes` apart, their
 * padding already written: per four pixels of a row, one word of the four
 * channels each, transposed into one word of four pixels per plane (masks
 * and shifts: UXTB16, ORR and PKHBT/PKHTB on Armv7E-M, sixteen ALU
 * instructions for sixteen bytes). */
static inline void kiln_plane_copy_channels4(const kiln_conv_window_t* g, const int8_t* in_batch, int32_t c,
                                             int8_t* plane, int32_t plane_h, int32_t plane_w, int32_t plane_bytes) {
  const int32_t channels = g->input_c;
  const kiln_plane_image_t im = kiln_plane_image(g, plane_h, plane_w);
  const uint32_t odd = 0xff00ff00u;
  int32_t r, x;
  for (r = im.first; r < im.last; ++r) {
    const int8_t* from = in_batch + (r - g->pad_h) * g->input_w * channels + c;
    int8_t* to = plane + r * plane_w + im.left;
    for (x = im.inside; x >= 4; x -= 4, from += 4 * channels, to += 4) {
      uint32_t a, b, d, e, ab_even, ab_odd, de_even, de_odd, word;
      memcpy(&a, from, 4);
      memcpy(&b, from + channels, 4);
      memcpy(&d, from + 2 * channels, 4);
      memcpy(&e, from + 3 * channels, 4);
      /* Channels 0 and 2 of pixels 0, 1 (then 2, 3) as (a0 b0 a2 b2), channels 1 and 3 as (a1 b1 a3 b3). */
      ab_even = kiln_uxtb16(a) | kiln_uxtb16(b) << 8, ab_odd = kiln_uxtb16_ror8(a) | (b & odd);
      de_even = kiln_uxtb16(d) | kiln_uxtb16(e) << 8, de_odd = kiln_uxtb16_ror8(d) | (e & odd);
      word = kiln_pack_lo16(ab_even, de_even);
      memcpy(to, &word, 4);
      word = kiln_pack_lo16(ab_odd, de_odd);
      memcpy(to + plane_bytes, &word, 4);
      word = kiln_pack_hi16(ab_even, de_even);
      memcpy(to + 2 * plane_bytes, &word, 4);
      word = kiln_pack_hi16(ab_odd, de_odd);
      memcpy(to + 3 * plane_bytes, &word, 4);
    }
    for (; x > 0; --x, from += channels, ++to) {
      to[0] = from[0], to[plane_bytes] = from[1], to[2 * plane_bytes] = from[2];
      to[3 * plane_bytes] = from[3];
    }
  }
}

/* The planar kernels' outer loops: each plane's padding written once, then per
 * batch and group of `planes` input channels (KILN_DEPTHWISE_PLANES_KEPT, or
 * 1; a last group of fewer one channel at a time) the channels copied into
 * their planes and each of their depth_multiplier output channels computed
 * by CHANNEL(plane, plane_w, oc, out, full_range, stride), the kernel's
 * channel loop with its last two arguments constants: one copy of it per
 * stride and clamp. `p` is the kernel's local copy of its params
 * (kiln/depthwise_s8.h). A macro, so that every call stays inline: calls
 * through a table of instantiations would hide them from the footprint
 * estimate's call graph. */
#define KILN_DEPTHWISE_PLANES(p, input, output, scratch, planes, CHANNEL)                                  \
  do {                                                                                                     \
    const int32_t plane_w_ = KILN_DEPTHWISE_PLANE_W((p).window.output_w, (p).window.stride_w);             \
    const int32_t plane_h_ = KILN_DEPTHWISE_PLANE_H((p).window.output_h, (p).window.stride_h);             \
    const int32_t plane_bytes_ = plane_h_ * plane_w_;                                                      \
    const int full_range_ = kiln_gemm_s8_full_range((p).act_min, (p).act_max);                             \
    int8_t* const planes_ = (int8_t*)(scratch);                                                            \
    const int32_t output_c_ = (p).window.input_c * (p).depth_multiplier;                                   \
    int32_t b_, c_, group_, k_, oc_;                                                                         \
    for (k_ = 0; k_ < (planes); ++k_)                                                                      \
      kiln_plane_fill_padding(&(p).window, planes_ + k_ * plane_bytes_, plane_h_, plane_w_,                \
                              (int8_t)(p).window.input_zero_point);                                        \
    for (b_ = 0; b_ < (p).window.batches; ++b_) {                                                          \
      const int8_t* in_batch_ = (input) + b_ * (p).window.input_h * (p).window.input_w * (p).window.input_c; \
      int8_t* out_batch_ = (output) + b_ * (p).window.output_h * (p).window.output_w * output_c_;          \
      for (c_ = 0; c_ < (p).window.input_c; c_ += group_) {                                                \
        group_ = (planes) == 4 && c_ + 4 <= (p).window.input_c ? 4 : 1;                                    \
        if (group_ == 4)                                                                                   \
          kiln_plane_copy_channels4(&(p).window, in_batch_, c_, planes_, plane_h_, plane_w_, plane_bytes_); \
        else                                                                                               \
          kiln_plane_copy_channel(&(p).window, in_batch_, c_, planes_, plane_h_, plane_w_);                \
        for (k_ = 0; k_ < group_; ++k_)                                                                    \
          for (oc_ = (c_ + k_) * (p).depth_multiplier; oc_ < (c_ + k_ + 1) * (p).depth_multiplier; ++oc_) {  \
            int8_t* const plane_ = planes_ + k_ * plane_bytes_;                                              \
            if ((p).window.stride_w == 1 && full_range_)                                                   \
              CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 1, 1);                                      \
            else if ((p).window.stride_w == 1)                                                             \
              CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 0, 1);                                      \
            else if (full_range_)                                                                          \
              CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 1, 2);                                      \
            else                                                                                           \
              CHANNEL(plane_, plane_w_, oc_, out_batch_ + oc_, 0, 2);                                      \
          }                                                                                                \
      }                                                                                                    \
    }                                                                                                      \
  } while (0)

#endif /* KILN_DEPTHWISE_PLANE_H_ */
