/* depthwise_conv2d_s8_tiled: see the header. Its body, every function
 * inline: the runtime's entry points (kernels/depthwise_conv2d_s8_tiled.c)
 * and the shape-specialised copies of generated code (docs/schedules.md)
 * are both made of it. The tile's loops run over constants in a shaped copy
 * (the tiling is in the params), so GCC unrolls them and the sums, an array
 * here, live in registers; the entry points run the same loops over the
 * params' values. */
#ifndef KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_INLINE_H_
#define KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_INLINE_H_
#include "kiln/kernels/depthwise_conv2d_s8_tiled.h"

#include "kiln/gemm.h"
#include "kiln/runtime.h"
#include "kiln/simd.h"

/* Loops over a tile's pixels or quads (at most 4 turns), and over the taps
 * (a filter row of at most 8) where they are unrolled or where not. */
#if defined(__GNUC__) && !defined(__clang__)
#define KILN_DWT_UNROLL _Pragma("GCC unroll 4")
#define KILN_DWT_UNROLL_TAPS _Pragma("GCC unroll 8")
#define KILN_DWT_KEEP_LOOP _Pragma("GCC unroll 1")
#else
#define KILN_DWT_UNROLL
#define KILN_DWT_UNROLL_TAPS
#define KILN_DWT_KEEP_LOOP
#endif

#define KILN_DWT_LANES (4 * KILN_DEPTHWISE_TILED_MAX_QUADS)

/* What a tile's loops read, fixed for the whole layer. */
typedef struct {
  int32_t channels, filter_h, filter_w;
  /* Bytes from a tap to the next along a filter row, from a filter row to
   * the next, and from a pixel of the tile to the next. */
  int32_t tap_step, row_step, pixel_step;
  int32_t int16_weights, hoist_loads, unroll_taps;
  /* Weight words per tap and quad: 2 (int16) or 1. */
  int32_t tap_words;
  kiln_gemm_s8_clamp_t clamp;
} kiln_dwt_shape_t;

/* Quad `q` of pixel `p`'s input word `v` times the tap's weights: the
 * int16 pairs (w_c, w_c+2) in `we` and (w_c+1, w_c+3) in `wo`. The sums
 * indexed in place, not through a pointer, so that the compiler keeps them
 * in registers. */
#define KILN_DWT_ACCUMULATE(acc, p, q, v, we, wo)                      \
  do {                                                                 \
    const uint32_t ve_ = kiln_sxtb16(v), vo_ = kiln_sxtb16_ror8(v);    \
    (acc)[p][4 * (q)] = kiln_smlabb(ve_, (we), (acc)[p][4 * (q)]);     \
    (acc)[p][4 * (q) + 2] = kiln_smlatt(ve_, (we), (acc)[p][4 * (q) + 2]); \
    (acc)[p][4 * (q) + 1] = kiln_smlabb(vo_, (wo), (acc)[p][4 * (q) + 1]); \
    (acc)[p][4 * (q) + 3] = kiln_smlatt(vo_, (wo), (acc)[p][4 * (q) + 3]); \
  } while (0)

/* The weights of quad `q` of a tap (at `w`) as int16 pairs. */
static KILN_ALWAYS_INLINE void kiln_dwt_weights(const kiln_dwt_shape_t* s, const uint32_t* w, int q, uint32_t* we,
                                                uint32_t* wo) {
  if (s->int16_weights) {
    *we = w[2 * q];
    *wo = w[2 * q + 1];
  } else {
    const uint32_t word = w[q];
    *we = kiln_sxtb16(word);
    *wo = kiln_sxtb16_ror8(word);
  }
}

/* One tap of a tile of `pixels` x `quads` whose first pixel's input is at
 * `x`. Either (hoist_loads) the tap's input words and the quad's weights
 * are loaded together, kept together by a scheduling barrier so that the
 * Cortex-M4 pipelines them, or the first pixel's word is loaded with the
 * weights and each other pixel's beside its multiplies, a barrier after
 * each pixel keeping one pixel's halves live. (KILN_READ_U32_U32X2's one
 * asm statement for the first three measured 5% faster at one pixel, but
 * its constant offset cannot follow a stream pointer that each tap moves:
 * an ADD a tap, and no build of the entry points' loops.) */
static KILN_ALWAYS_INLINE void kiln_dwt_tap(const kiln_dwt_shape_t* s, const int8_t* x, const uint32_t* w,
                                            const int pixels, const int quads,
                                            int32_t acc[KILN_DEPTHWISE_TILED_MAX_PIXELS][KILN_DWT_LANES]) {
  uint32_t words[KILN_DEPTHWISE_TILED_MAX_PIXELS];
  int32_t p, q;
  KILN_DWT_UNROLL
  for (q = 0; q < quads; ++q) {
    uint32_t we, wo;
    if (s->hoist_loads) {
      KILN_DWT_UNROLL
      for (p = 0; p < pixels; ++p) words[p] = kiln_read_s8x4(x + p * s->pixel_step + 4 * q);
      kiln_dwt_weights(s, w, q, &we, &wo);
      KILN_SCHEDULE_BARRIER();
    } else {
      words[0] = kiln_read_s8x4(x + 4 * q);
      kiln_dwt_weights(s, w, q, &we, &wo);
    }
    KILN_DWT_UNROLL
    for (p = 0; p < pixels; ++p) {
      const uint32_t v = s->hoist_loads || p == 0 ? words[p] : kiln_read_s8x4(x + p * s->pixel_step + 4 * q);
      KILN_DWT_ACCUMULATE(acc, p, q, v, we, wo);
      if (!s->hoist_loads) KILN_SCHEDULE_BARRIER();
    }
  }
}

/* The tile's output stage: each channel's requantization pair (at `rq`)
 * loaded once for its pixels; outputs from `out`, pixels channels apart. */
static KILN_ALWAYS_INLINE void kiln_dwt_store(const kiln_dwt_shape_t* s, const uint32_t* rq, int8_t* out,
                                              const int pixels, const int quads,
                                              int32_t acc[KILN_DEPTHWISE_TILED_MAX_PIXELS][KILN_DWT_LANES],
                                              const int mode) {
  int32_t j, p;
#define KILN_DWT_STORE(full_range)                                                                    \
  KILN_DWT_UNROLL                                                                                     \
  for (j = 0; j < 4 * quads; ++j) {                                                                   \
    const int32_t m = (int32_t)rq[2 * j], sh = (int32_t)rq[2 * j + 1];                                \
    KILN_DWT_UNROLL                                                                                   \
    for (p = 0; p < pixels; ++p)                                                                      \
      out[p * s->channels + j] = kiln_gemm_s8_output(s->clamp, acc[p][j], m, sh, mode, full_range); \
  }
  if (s->clamp.full_range) {
    KILN_DWT_STORE(1)
  } else {
    KILN_DWT_STORE(0)
  }
#undef KILN_DWT_STORE
}

/* The biases at `w` into each pixel's sums. */
static KILN_ALWAYS_INLINE void kiln_dwt_load_bias(const uint32_t* w, const int pixels, const int quads,
                                                  int32_t acc[KILN_DEPTHWISE_TILED_MAX_PIXELS][KILN_DWT_LANES]) {
  int32_t j, p;
  KILN_DWT_UNROLL
  for (j = 0; j < 4 * quads; ++j) {
    const int32_t bias = (int32_t)w[j];
    KILN_DWT_UNROLL
    for (p = 0; p < pixels; ++p) acc[p][j] = bias;
  }
}

/* One tile: `pixels` x `quads` (constants in a shaped copy), its first
 * pixel's first tap at `x0`, every tap inside the rows; the block's stream
 * at `w`. Each tap is a constant offset from `x0` in a shaped copy, which
 * the loads take. */
static KILN_ALWAYS_INLINE void kiln_dwt_tile(const kiln_dwt_shape_t* s, const int8_t* x0, const uint32_t* w,
                                             int8_t* out, const int pixels, const int quads, const int mode) {
  int32_t acc[KILN_DEPTHWISE_TILED_MAX_PIXELS][KILN_DWT_LANES];
  const int32_t tap_words = s->tap_words * quads;
  int32_t ky, kx;
  kiln_dwt_load_bias(w, pixels, quads, acc);
  w += 4 * quads;
  if (s->unroll_taps) {
    KILN_DWT_UNROLL_TAPS
    for (ky = 0; ky < s->filter_h; ++ky) {
      const int8_t* x = x0 + ky * s->row_step;
      KILN_DWT_UNROLL_TAPS
      for (kx = 0; kx < s->filter_w; ++kx, x += s->tap_step, w += tap_words) kiln_dwt_tap(s, x, w, pixels, quads, acc);
    }
  } else {
    KILN_DWT_KEEP_LOOP
    for (ky = 0; ky < s->filter_h; ++ky) {
      const int8_t* x = x0 + ky * s->row_step;
      KILN_DWT_KEEP_LOOP
      for (kx = 0; kx < s->filter_w; ++kx, x += s->tap_step, w += tap_words) kiln_dwt_tap(s, x, w, pixels, quads, acc);
    }
  }
  kiln_dwt_store(s, w, out, pixels, quads, acc, mode);
}

/* One border pixel, a block of `quads` at channel `c`, of the window at
 * (iy0, ix0) in the image at `in_batch`; each tap outside reads the zero
 * points. */
static KILN_ALWAYS_INLINE void kiln_dwt_border_pixel(const kiln_dwt_shape_t* s, const kiln_conv_window_t* window,
                                                     const int8_t* in_batch, int32_t iy0, int32_t ix0, int32_t c,
                                                     const uint32_t* w, int8_t* out, const int quads,
                                                     uint32_t zero_points, const int mode) {
  int32_t acc[KILN_DEPTHWISE_TILED_MAX_PIXELS][KILN_DWT_LANES];
  const int32_t tap_words = s->tap_words * quads;
  int32_t ky, kx, q;
  kiln_dwt_load_bias(w, 1, quads, acc);
  w += 4 * quads;
  for (ky = 0; ky < s->filter_h; ++ky) {
    const int32_t iy = iy0 + ky * window->dilation_h;
    const int row_inside = iy >= 0 && iy < window->input_h;
    for (kx = 0; kx < s->filter_w; ++kx, w += tap_words) {
      const int32_t ix = ix0 + kx * window->dilation_w;
      const int inside = row_inside && ix >= 0 && ix < window->input_w;
      KILN_DWT_UNROLL
      for (q = 0; q < quads; ++q) {
        uint32_t we, wo;
        kiln_dwt_weights(s, w, q, &we, &wo);
        const uint32_t v =
            inside ? kiln_read_s8x4(in_batch + (iy * window->input_w + ix) * s->channels + c + 4 * q) : zero_points;
        KILN_DWT_ACCUMULATE(acc, 0, q, v, we, wo);
      }
    }
  }
  kiln_dwt_store(s, w, out + c, 1, quads, acc, mode);
}

/* The words of a block of `quads` in the stream. */
static KILN_ALWAYS_INLINE int32_t kiln_dwt_block_words(const kiln_dwt_shape_t* s, int32_t quads) {
  return quads * (4 + s->filter_h * s->filter_w * s->tap_words + 8);
}

/* Every channel block of `pixels` interior pixels, the first one's first
 * tap at `x0`. */
static KILN_ALWAYS_INLINE void kiln_dwt_pixels(const kiln_dwt_shape_t* s, const int8_t* x0, const uint32_t* weights,
                                               int8_t* out, const int pixels, const int tile_quads, const int mode) {
  /* The blocks' end computed, not reached by the loop: with constant sizes
   * the compiler then sees that no quad is left over. */
  const int32_t blocked = s->channels - s->channels % (4 * tile_quads);
  const uint32_t* w = weights;
  int32_t c;
  for (c = 0; c < blocked; c += 4 * tile_quads, w += kiln_dwt_block_words(s, tile_quads))
    kiln_dwt_tile(s, x0 + c, w, out + c, pixels, tile_quads, mode);
  for (; c < s->channels; c += 4, w += kiln_dwt_block_words(s, 1))
    kiln_dwt_tile(s, x0 + c, w, out + c, pixels, 1, mode);
}

/* Input row `iy` into `slot`: the columns the windows reach, those
 * outside the image (and every column of a row outside it) the zero
 * point. A word at a time (a pixel is whole words, and the scratch is
 * aligned): the C library's byte loops took more than the layer's own
 * work. */
static inline void kiln_dwt_fill_slot(const kiln_conv_window_t* window, const int8_t* in_batch, int32_t iy,
                                      int8_t* slot, int32_t padded_w, uint32_t zero_points) {
  const int32_t pixel_words = window->input_c >> 2;
  int32_t left = window->pad_w < padded_w ? window->pad_w : padded_w;
  int32_t inside = padded_w - left < window->input_w ? padded_w - left : window->input_w;
  kiln_word_t* out = (kiln_word_t*)(void*)slot;
  int32_t i;
  if (iy < 0 || iy >= window->input_h) {
    left = padded_w;
    inside = 0;
  }
  for (i = 0; i < left * pixel_words; ++i) *out++ = zero_points;
  if (inside > 0) {
    /* (The input may be the caller's buffer, of any alignment.) */
    const int8_t* in = in_batch + iy * window->input_w * window->input_c;
    for (i = 0; i < inside * pixel_words; ++i) *out++ = kiln_read_s8x4(in + 4 * i);
  }
  for (i = 0; i < (padded_w - left - inside) * pixel_words; ++i) *out++ = zero_points;
}

static KILN_ALWAYS_INLINE void kiln_dwt_depthwise(const kiln_depthwise_conv2d_s8_tiled_params_t* params,
                                                  const int8_t* input, int8_t* output, void* scratch,
                                                  const int narrow) {
  /* A local copy: the int8 stores may alias anything. */
  const kiln_depthwise_conv2d_s8_tiled_params_t p = *params;
  const kiln_conv_window_t window = p.dw.window;
  const uint32_t* const weights = p.dw.weights;
  /* Narrow layers with int16 weights take them (and the bias) doubled. */
  const int mode = !narrow ? KILN_REQUANT_FULL : p.int16_weights ? KILN_REQUANT_NARROW_DOUBLED : KILN_REQUANT_NARROW;
  const int32_t channels = window.input_c;
  const uint32_t zp = (uint8_t)(int8_t)window.input_zero_point;
  const uint32_t zero_points = zp | zp << 8 | zp << 16 | zp << 24;
  const int32_t padded_w = (window.output_w - 1) * window.stride_w + (window.filter_w - 1) * window.dilation_w + 1;
  const int32_t last_x = (window.filter_w - 1) * window.dilation_w;
  const int32_t tile = p.tile_pixels;
  int8_t* const copied = (int8_t*)scratch;
  kiln_dwt_shape_t s;
  int32_t b, oy, ox, ky, c, interior_lo = window.output_w, interior_hi = window.output_w;
  s.channels = channels;
  s.filter_h = window.filter_h;
  s.filter_w = window.filter_w;
  s.tap_step = window.dilation_w * channels;
  /* The copied rows lie one after another, each padded_w wide. */
  s.row_step = p.pad_copy ? padded_w * channels : window.dilation_h * window.input_w * channels;
  s.pixel_step = window.stride_w * channels;
  s.int16_weights = p.int16_weights;
  s.hoist_loads = p.hoist_loads;
  s.unroll_taps = p.unroll_taps;
  s.tap_words = p.int16_weights ? 2 : 1;
  s.clamp = kiln_gemm_s8_clamp(p.dw.output_offset, p.dw.act_min, p.dw.act_max);
  /* The outputs whose windows lie inside the image across: one run. */
  for (ox = 0; ox < window.output_w; ++ox) {
    const int32_t ix0 = ox * window.stride_w - window.pad_w;
    const int inside = ix0 >= 0 && ix0 + last_x < window.input_w;
    if (inside && interior_lo == window.output_w) interior_lo = ox;
    if (inside) interior_hi = ox + 1;
  }
  for (b = 0; b < window.batches; ++b) {
    const int8_t* in_batch = input + b * window.input_h * window.input_w * channels;
    for (oy = 0; oy < window.output_h; ++oy) {
      const int32_t iy0 = oy * window.stride_h - window.pad_h;
      int8_t* const out_row = output + ((b * window.output_h + oy) * window.output_w) * channels;
      /* Output 0's first tap, and the interior's run of outputs. */
      const int8_t* x0;
      int32_t lo, hi;
      if (p.pad_copy) {
        for (ky = 0; ky < window.filter_h; ++ky)
          kiln_dwt_fill_slot(&window, in_batch, iy0 + ky * window.dilation_h, copied + ky * s.row_step, padded_w,
                             zero_points);
        x0 = copied;
        lo = 0;
        hi = window.output_w;
      } else {
        const int rows_inside = iy0 >= 0 && iy0 + (window.filter_h - 1) * window.dilation_h < window.input_h;
        /* (An offset until it is a window's inside the image.) */
        x0 = in_batch;
        lo = rows_inside ? interior_lo : 0;
        hi = rows_inside ? interior_hi : 0;
      }
      /* Border pixels, one at a time; then the interior in tiles; then
       * the interior left over and the border on the right. */
      for (ox = 0; ox < window.output_w; ++ox) {
        if (ox == lo) {
          const int32_t tiled = lo + (hi - lo) - (hi - lo) % tile;
          /* Each tile's first tap; in place, (iy0, ox * stride - pad) of the input. */
#define KILN_DWT_TILE_ORIGIN(ox)                \
  (p.pad_copy ? x0 + (ox) * s.pixel_step \
              : x0 + (iy0 * window.input_w + (ox) * window.stride_w - window.pad_w) * channels)
          for (; ox < tiled; ox += tile)
            kiln_dwt_pixels(&s, KILN_DWT_TILE_ORIGIN(ox), weights, out_row + ox * channels, tile, p.tile_quads, mode);
          for (; ox < hi; ++ox)
            kiln_dwt_pixels(&s, KILN_DWT_TILE_ORIGIN(ox), weights, out_row + ox * channels, 1, p.tile_quads, mode);
#undef KILN_DWT_TILE_ORIGIN
          if (ox == window.output_w) break;
        }
        {
          const int32_t ix0 = ox * window.stride_w - window.pad_w;
          const uint32_t* w = weights;
          const int32_t blocked = channels - channels % (4 * p.tile_quads);
          int8_t* const out = out_row + ox * channels;
          for (c = 0; c < blocked; c += 4 * p.tile_quads, w += kiln_dwt_block_words(&s, p.tile_quads))
            kiln_dwt_border_pixel(&s, &window, in_batch, iy0, ix0, c, w, out, p.tile_quads, zero_points, mode);
          for (; c < channels; c += 4, w += kiln_dwt_block_words(&s, 1))
            kiln_dwt_border_pixel(&s, &window, in_batch, iy0, ix0, c, w, out, 1, zero_points, mode);
        }
      }
    }
  }
}

/* The entry points' bodies (kiln/kernels/depthwise_conv2d_s8_tiled.h), each inline. */
static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_tiled_inline(
    const kiln_depthwise_conv2d_s8_tiled_params_t* params, const int8_t* input, int8_t* output, void* scratch) {
  kiln_dwt_depthwise(params, input, output, scratch, 0);
}

static KILN_ALWAYS_INLINE void kiln_depthwise_conv2d_s8_tiled_narrow_inline(
    const kiln_depthwise_conv2d_s8_tiled_params_t* params, const int8_t* input, int8_t* output, void* scratch) {
  kiln_dwt_depthwise(params, input, output, scratch, 1);
}

#undef KILN_DWT_UNROLL
#undef KILN_DWT_UNROLL_TAPS
#undef KILN_DWT_KEEP_LOOP
#undef KILN_DWT_LANES
#undef KILN_DWT_ACCUMULATE

#endif /* KILN_KERNELS_DEPTHWISE_CONV2D_S8_TILED_INLINE_H_ */
