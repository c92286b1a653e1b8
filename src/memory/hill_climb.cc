// hill-climb: local search over the order in which a first-fit placer
// places the buffers. It starts from the better of the greedy-by-size and
// greedy-by-conflicts orders (so it is never worse than either), then, for
// a fixed number of iterations, perturbs the order (swap two buffers, move
// one, or move a buffer that reaches the current peak earlier), re-places
// from the first changed position, and keeps the change when the placement
// is no worse: first by highest end, then by the sum of ends (so it can
// walk plateaus). The best placement seen is the result.
//
// Deterministic: its own PRNG (splitmix64, seeded by PlannerOptions::seed)
// and an iteration budget that depends on the buffers only, never on the
// clock. Cost: iterations * O(n * d log d).
#include <algorithm>
#include <fmt/format.h>

#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {
namespace {

/// splitmix64 (Steele, Lea, Flood 2014): same numbers on every platform.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n), n > 0 (Lemire's multiply-shift; exact enough here).
  size_t Below(size_t n) {
    return static_cast<size_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

 private:
  uint64_t state_;
};

struct Cost {
  int64_t end = 0;  ///< highest end: what the pool needs
  int64_t sum = 0;  ///< sum of ends: lower is more compact, a tie-break
  auto operator<=>(const Cost&) const = default;
};

Cost Evaluate(const FirstFit& ff, const std::vector<int>& order, std::vector<int64_t>* offsets, size_t from) {
  Cost cost;
  cost.end = ff.Place(order, offsets, from);
  for (size_t i = 0; i < ff.size(); ++i) cost.sum += (*offsets)[i] + ff.buffer(static_cast<int>(i)).size;
  return cost;
}

/// A budget that depends on the problem only: about 1e7 units of work,
/// between 200 and 4000 iterations.
int64_t AutoIterations(const FirstFit& ff) {
  int64_t work = static_cast<int64_t>(ff.size()) + 1;
  for (size_t i = 0; i < ff.size(); ++i) work += static_cast<int64_t>(ff.conflicts(static_cast<int>(i)).size());
  return std::clamp<int64_t>(10'000'000 / work, 200, 4000);
}

}  // namespace

std::string PlaceHillClimb(std::vector<Buffer*>& buffers, const PlannerOptions& options) {
  const FirstFit ff(buffers);
  const size_t n = ff.size();
  std::vector<int> current = GreedyBySizeOrder(ff);
  std::vector<int64_t> current_offsets;
  Cost current_cost = Evaluate(ff, current, &current_offsets, 0);
  const char* start = "greedy-by-size";
  {
    std::vector<int> other = GreedyByConflictsOrder(ff);
    std::vector<int64_t> other_offsets;
    const Cost other_cost = Evaluate(ff, other, &other_offsets, 0);
    if (other_cost < current_cost) {
      current = std::move(other);
      current_offsets = std::move(other_offsets);
      current_cost = other_cost;
      start = "greedy-by-conflicts";
    }
  }
  const int64_t start_end = current_cost.end;
  std::vector<int64_t> best_offsets = current_offsets;
  Cost best_cost = current_cost;
  const int64_t iterations = options.iterations > 0 ? options.iterations : AutoIterations(ff);
  if (n < 2) {
    ff.Apply(best_offsets);
    return "";
  }

  // Nothing to gain once the pool is as small as the bound allows.
  const int64_t q = std::max<int64_t>(1, options.pool_alignment);
  const int64_t floor = ff.has_overlaps() ? 0 : RoundUp(AlignmentAwareLowerBound(buffers), q);
  SplitMix64 rng(options.seed);
  std::vector<int> candidate;
  std::vector<int64_t> candidate_offsets;
  std::vector<size_t> position(n);
  int64_t it = 0;
  for (; it < iterations && RoundUp(best_cost.end, q) > floor; ++it) {
    candidate = current;
    candidate_offsets = current_offsets;
    size_t from = 0;
    const uint64_t move = rng.Next() % 3;
    if (move == 0) {  // swap two buffers
      const size_t i = rng.Below(n), j = rng.Below(n);
      if (i == j) continue;
      std::swap(candidate[i], candidate[j]);
      from = std::min(i, j);
    } else {
      size_t i = rng.Below(n), j = rng.Below(n);
      if (move == 2) {
        // Move a buffer that reaches the peak to an earlier position.
        for (size_t k = 0; k < n; ++k) position[static_cast<size_t>(candidate[k])] = k;
        std::vector<size_t> at_peak;
        for (size_t b = 0; b < n; ++b) {
          if (candidate_offsets[b] + ff.buffer(static_cast<int>(b)).size == current_cost.end)
            at_peak.push_back(position[b]);
        }
        std::sort(at_peak.begin(), at_peak.end());
        i = at_peak[rng.Below(at_peak.size())];
        if (i == 0) continue;
        j = rng.Below(i);
      }
      if (i == j) continue;
      const int b = candidate[i];
      candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(i));
      candidate.insert(candidate.begin() + static_cast<std::ptrdiff_t>(j), b);
      from = std::min(i, j);
    }
    const Cost cost = Evaluate(ff, candidate, &candidate_offsets, from);
    if (cost <= current_cost) {
      current.swap(candidate);
      current_offsets.swap(candidate_offsets);
      current_cost = cost;
      if (cost < best_cost) {
        best_cost = cost;
        best_offsets = current_offsets;
      }
    }
  }
  ff.Apply(best_offsets);
  return fmt::format("hill-climb: seed {}, {} of {} iterations from {} ({} bytes): {} bytes{}", options.seed, it,
                     iterations, start, RoundUp(start_end, q), RoundUp(best_cost.end, q),
                     RoundUp(best_cost.end, q) <= floor ? ", the lower bound" : "");
}

}  // namespace kiln
