// Greedy-by-size placement: the largest buffers first, each at the lowest
// offset where it overlaps no already-placed buffer that is live at the
// same time. Ties break by first use, then by name, so plans are
// deterministic. Stream pairs are tried both together and apart
// (memory/first_fit.h); the smaller plan wins. This is the algorithm TFLite Micro's GreedyMemoryPlanner
// and TVM's greedy_by_size use; it is near-optimal on chain-like graphs.
#include <algorithm>

#include "memory/first_fit.h"
#include "memory/planners.h"

namespace kiln {

void PlaceGreedyBySize(std::vector<Buffer*>& buffers) {
  std::vector<Buffer*> order = buffers;
  std::stable_sort(order.begin(), order.end(), [](const Buffer* a, const Buffer* b) {
    if (a->size != b->size) return a->size > b->size;
    if (a->first_use != b->first_use) return a->first_use < b->first_use;
    return a->name < b->name;
  });
  PlaceInOrder(order, StreamPairs::kTogether);
  const int64_t together = Extent(order);
  std::vector<int64_t> offsets;
  for (const Buffer* b : order) offsets.push_back(b->offset);
  PlaceInOrder(order, StreamPairs::kApart);
  if (Extent(order) > together)
    for (size_t i = 0; i < order.size(); ++i) order[i]->offset = offsets[i];
}

}  // namespace kiln
