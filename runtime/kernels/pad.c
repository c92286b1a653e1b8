/* pad: the kernel behind PAD. Walks the output row by row (a row is the
 * innermost dimension): rows outside the input are all fill; rows inside
 * are fill, a copy of one input row, fill. */
#include "kiln/kernels/pad.h"

/* One element holding the pad value, as bytes in the target's own order. */
typedef union {
  uint32_t u32;
  uint16_t u16;
  uint8_t u8;
  uint8_t bytes[4];
} fill_element_t;

/* Writes `count` copies of the fill element. */
static void fill(uint8_t* out, int32_t count, int32_t size, const fill_element_t* element) {
  int32_t i;
  int32_t b;
  for (i = 0; i < count; ++i) {
    for (b = 0; b < size; ++b) out[i * size + b] = element->bytes[b];
  }
}

void kiln_pad(const kiln_pad_params_t* params, const void* input, void* output) {
  const int32_t size = params->element_size;
  fill_element_t element;
  const int32_t last = KILN_PAD_MAX_DIMS - 1;
  const int32_t out_row = params->output_dims[last];
  const int32_t in_row = params->input_dims[last];
  const int32_t before = params->pad_before[last];
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  int32_t in_strides[KILN_PAD_MAX_DIMS];
  int32_t coord[KILN_PAD_MAX_DIMS];
  int32_t rows = 1;
  int32_t row;
  int32_t d;
  int32_t b;

  /* The pad value in the element's width; no float arithmetic involved. */
  element.u32 = 0;
  if (size == 1) {
    element.u8 = (uint8_t)params->fill_bits;
  } else if (size == 2) {
    element.u16 = (uint16_t)params->fill_bits;
  } else {
    element.u32 = (uint32_t)params->fill_bits;
  }

  in_strides[last] = 1;
  for (d = last - 1; d >= 0; --d) in_strides[d] = in_strides[d + 1] * params->input_dims[d + 1];
  for (d = 0; d < last; ++d) {
    rows *= params->output_dims[d];
    coord[d] = 0;
  }

  for (row = 0; row < rows; ++row) {
    /* Is this output row inside the input along every outer dimension? */
    int32_t inside = 1;
    int32_t in_index = 0;
    for (d = 0; d < last; ++d) {
      const int32_t c = coord[d] - params->pad_before[d];
      if (c < 0 || c >= params->input_dims[d]) inside = 0;
      in_index += c * in_strides[d];
    }
    if (!inside) {
      fill(out, out_row, size, &element);
    } else {
      const uint8_t* src = in + in_index * size;
      fill(out, before, size, &element);
      for (b = 0; b < in_row * size; ++b) out[before * size + b] = src[b];
      fill(out + (before + in_row) * size, out_row - before - in_row, size, &element);
    }
    out += out_row * size;
    /* Advance the outer coordinates like an odometer. */
    for (d = last - 1; d >= 0; --d) {
      if (++coord[d] < params->output_dims[d]) break;
      coord[d] = 0;
    }
  }
}
