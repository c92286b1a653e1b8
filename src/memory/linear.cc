// Linear placement: every buffer gets its own bytes, in order, no reuse.
// The upper bound the other planners are measured against, and the layout
// of the state pool, whose buffers all live for the whole run. O(n).
#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {

std::string PlaceLinear(std::vector<Buffer*>& buffers, const PlannerOptions& /*options*/) {
  int64_t next = 0;
  for (Buffer* buffer : buffers) {
    next = RoundUp(next, buffer->alignment);
    buffer->offset = next;
    next += buffer->size;
  }
  return "";
}

}  // namespace kiln
