// greedy-by-conflicts: the buffers live together with the most others go
// first (then the largest), each at the lowest offset free of the placed
// buffers it is live with. The idea of TVM's USMP greedy_by_conflicts: a
// buffer with many conflicts has the fewest places to go, so it is placed
// while the pool is still empty. Ties break by first use, name, index.
// O(n * d log d) for n buffers of at most d conflicts each.
#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {

std::string PlaceGreedyByConflicts(std::vector<Buffer*>& buffers, const PlannerOptions& /*options*/) {
  const FirstFit ff(buffers);
  std::vector<int64_t> offsets;
  ff.Place(GreedyByConflictsOrder(ff), &offsets);
  ff.Apply(offsets);
  return "";
}

}  // namespace kiln
