// Greedy-by-size placement: the largest buffers first, each at the lowest
// offset where it overlaps no already-placed buffer that is live at the
// same time. Ties break by first use, then by name, so plans are
// deterministic. This is the algorithm TFLite Micro's GreedyMemoryPlanner
// and TVM's greedy_by_size use; it is near-optimal on chain-like graphs.
#include <algorithm>

#include "memory/planners.h"

namespace kiln {
namespace {

int64_t AlignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

bool LiveTogether(const Buffer& a, const Buffer& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

}  // namespace

void PlaceGreedyBySize(std::vector<Buffer*>& buffers) {
  std::vector<Buffer*> order = buffers;
  std::stable_sort(order.begin(), order.end(), [](const Buffer* a, const Buffer* b) {
    if (a->size != b->size) return a->size > b->size;
    if (a->first_use != b->first_use) return a->first_use < b->first_use;
    return a->name < b->name;
  });
  std::vector<Buffer*> placed;
  for (Buffer* buffer : order) {
    // Candidate gaps: between the live-overlapping buffers, sorted by offset.
    std::vector<const Buffer*> conflicts;
    for (const Buffer* other : placed) {
      if (LiveTogether(*buffer, *other)) conflicts.push_back(other);
    }
    std::sort(conflicts.begin(), conflicts.end(),
              [](const Buffer* a, const Buffer* b) { return a->offset < b->offset; });
    int64_t candidate = 0;
    for (const Buffer* other : conflicts) {
      if (candidate + buffer->size <= other->offset) break;
      candidate = std::max(candidate, AlignUp(other->offset + other->size, buffer->alignment));
    }
    buffer->offset = AlignUp(candidate, buffer->alignment);
    placed.push_back(buffer);
  }
}

}  // namespace kiln
