/* copy: the data-movement kernel behind RESHAPE and SQUEEZE. */
#include "kiln/kernels/copy.h"

#include <stdint.h>

void kiln_copy(const void* input, void* output, size_t bytes) {
  const uint8_t* in = (const uint8_t*)input;
  uint8_t* out = (uint8_t*)output;
  size_t i;
  if (in == out) return;
  /* A plain loop rather than memcpy: the runtime needs no libc. */
  for (i = 0; i < bytes; ++i) out[i] = in[i];
}
