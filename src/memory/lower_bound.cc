// The lower bound of a pool: at any step, the buffers live at that step
// must all be disjoint, so the pool needs at least the sum of their sizes
// (an output streaming over its input counts as the least extent the two
// can share).
// The largest such sum over the steps is what `kiln plan` prints beside
// the planned size. O(n log n) sweep over interval ends.
#include <algorithm>
#include <map>
#include <string>
#include <numeric>
#include <utility>

#include "memory/planners.h"

namespace kiln {
namespace {

/// (bound, first step reaching it) of intervals [first, last] with sizes.
std::pair<int64_t, int> Sweep(std::vector<std::pair<int, int64_t>> events) {
  // Starts (+size) at `first`, ends (-size) at `last + 1`; at equal steps
  // ends sort first (negative deltas), so touching intervals do not add up.
  std::sort(events.begin(), events.end());
  int64_t live = 0, best = 0;
  int best_step = -1;
  for (size_t i = 0; i < events.size();) {
    const int step = events[i].first;
    for (; i < events.size() && events[i].first == step; ++i) live += events[i].second;
    if (live > best) {
      best = live;
      best_step = step;
    }
  }
  return {best, best_step};
}

template <typename Get>
std::pair<int64_t, int> SweepOf(size_t n, Get get, bool with_overlaps = true) {
  std::vector<std::pair<int, int64_t>> events;
  events.reserve(2 * n);
  std::map<std::string, const Buffer*> by_name;
  for (size_t i = 0; i < n; ++i) {
    const Buffer& b = get(i);
    by_name[b.name] = &b;
    if (b.size == 0) continue;
    events.emplace_back(b.first_use, b.size);
    events.emplace_back(b.last_use + 1, -b.size);
  }
  // An output streaming over its input (live together at one step) needs
  // at least max(output, distance + input) bytes for the two, not their sum.
  for (size_t i = 0; with_overlaps && i < n; ++i) {
    const Buffer& out = get(i);
    auto it = by_name.find(out.streams_from);
    if (out.streams_from.empty() || it == by_name.end() || it->second->last_use != out.first_use) continue;
    const Buffer& in = *it->second;
    const int64_t saved = out.size + in.size - std::max(out.size, out.stream_distance + in.size);
    events.emplace_back(out.first_use, -saved);
    events.emplace_back(out.first_use + 1, saved);
  }
  return Sweep(std::move(events));
}

}  // namespace

int64_t LowerBound(const std::vector<Buffer*>& buffers) {
  return SweepOf(buffers.size(), [&](size_t i) -> const Buffer& { return *buffers[i]; }).first;
}

int64_t LayerWiseLowerBound(const std::vector<Buffer*>& buffers) {
  return SweepOf(buffers.size(), [&](size_t i) -> const Buffer& { return *buffers[i]; }, false).first;
}

int64_t LowerBound(const std::vector<Buffer>& buffers) {
  return SweepOf(buffers.size(), [&](size_t i) -> const Buffer& { return buffers[i]; }).first;
}

int64_t AlignmentAwareLowerBound(const std::vector<Buffer*>& buffers) {
  // Every offset is a multiple of g, the gcd of the alignments; stacked
  // live buffers then each take their size rounded up to g, but the top
  // one. Checked at each first use (the live set only grows there).
  int64_t g = 0;
  std::vector<int> steps;
  for (const Buffer* b : buffers) {
    if (b->size == 0) continue;
    g = std::gcd(g, std::max<int64_t>(1, b->alignment));
    steps.push_back(b->first_use);
  }
  int64_t bound = 0;
  for (int step : steps) {
    int64_t sum = 0, waste = 0;
    for (const Buffer* b : buffers) {
      if (b->size == 0 || b->first_use > step || b->last_use < step) continue;
      const int64_t grained = (b->size + g - 1) / g * g;
      sum += grained;
      waste = std::max(waste, grained - b->size);
    }
    bound = std::max(bound, sum - waste);
  }
  return bound;
}

int PeakStep(const std::vector<Buffer*>& buffers) {
  return SweepOf(buffers.size(), [&](size_t i) -> const Buffer& { return *buffers[i]; }).second;
}

}  // namespace kiln
