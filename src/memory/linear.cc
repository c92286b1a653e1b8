// Linear placement: every buffer gets its own bytes, in order, no reuse.
// The upper bound the other planners are measured against, and the layout
// of the state pool, whose buffers all live for the whole run.
#include "memory/planners.h"

namespace kiln {

void PlaceLinear(std::vector<Buffer*>& buffers) {
  int64_t next = 0;
  for (Buffer* buffer : buffers) {
    next = (next + buffer->alignment - 1) / buffer->alignment * buffer->alignment;
    buffer->offset = next;
    next += buffer->size;
  }
}

}  // namespace kiln
