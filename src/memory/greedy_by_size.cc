// greedy-by-size: the largest buffers first, each at the lowest offset
// where it overlaps no already-placed buffer that is live at the same time.
// Ties break by first use, then by name, so plans are deterministic. This
// is the algorithm TFLite Micro's GreedyMemoryPlanner and TVM's
// greedy_by_size use; it is near-optimal on chain-like graphs.
// O(n * d log d) for n buffers of at most d conflicts each.
#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {

std::string PlaceGreedyBySize(std::vector<Buffer*>& buffers, const PlannerOptions& /*options*/) {
  const FirstFit ff(buffers);
  std::vector<int64_t> offsets;
  ff.Place(GreedyBySizeOrder(ff), &offsets);
  ff.Apply(offsets);
  return "";
}

}  // namespace kiln
