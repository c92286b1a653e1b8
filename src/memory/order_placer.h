// First-fit placement in a given order: the building block the greedy,
// hill-climb and optimal planners share. Each buffer goes to the lowest
// aligned offset where it overlaps no already placed buffer that is live at
// the same time. Every placement is first-fit of some order, so the
// planners differ only in the order they choose (or search over); see
// docs/memory-planning.md for why an optimal order always exists.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memory/memory_plan.h"

namespace kiln {

inline int64_t RoundUp(int64_t value, int64_t alignment) {
  return alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;
}

inline bool LiveAtOnce(const Buffer& a, const Buffer& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

/// How close above its start `output` may have `input` when the operator
/// writing `output` streams over `input` (a declared access pattern): the
/// least distance input.offset - output.offset, or -1 when the two may not
/// overlap at all. The one place placement learns of declared overlaps.
int64_t StreamOverlapDistance(const Buffer& output, const Buffer& input);

/// The buffers of one pool, indexed 0..n-1 in the caller's order, with
/// their conflicts (pairs live at the same time, both of non-zero size)
/// precomputed. Zero-size buffers conflict with nothing and go to offset 0.
class FirstFit {
 public:
  using OverlapFn = int64_t (*)(const Buffer& output, const Buffer& input);
  /// `overlap` says which live pairs may overlap, and by how much; tests
  /// pass their own.
  explicit FirstFit(const std::vector<Buffer*>& buffers, OverlapFn overlap = &StreamOverlapDistance);

  size_t size() const { return buffers_.size(); }
  const Buffer& buffer(int i) const { return *buffers_[static_cast<size_t>(i)]; }
  /// Buffers live together with buffer i (sorted by index).
  const std::vector<int>& conflicts(int i) const { return conflicts_[static_cast<size_t>(i)]; }

  /// The lowest aligned offset for buffer i given `offsets` (-1: not placed).
  int64_t Lowest(int i, const std::vector<int64_t>& offsets) const;

  /// Places order[from..] in order; offsets of order[0..from) must already
  /// be set (they are kept), those of the rest are overwritten. `offsets`
  /// is resized to size(). Returns the highest end of any buffer.
  int64_t Place(std::span<const int> order, std::vector<int64_t>* offsets, size_t from = 0) const;

  /// Writes `offsets` into the buffers.
  void Apply(const std::vector<int64_t>& offsets) const;

  /// True when some live pair may overlap (StreamOverlapDistance): sums of
  /// live sizes are then no lower bound, and the planners skip the
  /// shortcuts and pruning that rely on one.
  bool has_overlaps() const { return has_overlaps_; }

 private:
  std::vector<Buffer*> buffers_;
  std::vector<std::vector<int>> conflicts_;
  /// Per conflict (same layout): buffer i may not start in the open
  /// interval (other.offset - first, other.offset + second).
  std::vector<std::vector<std::pair<int64_t, int64_t>>> forbid_;
  bool has_overlaps_ = false;
  mutable std::vector<std::pair<int64_t, int64_t>> scratch_;  // forbidden start intervals
};

/// The highest end (offset + size) of a placement.
int64_t PlacementEnd(const FirstFit& ff, const std::vector<int64_t>& offsets);

/// The order greedy-by-size places buffers in: size descending, then
/// first use, then name, then index. Shared with hill-climb and optimal,
/// which start from it.
std::vector<int> GreedyBySizeOrder(const FirstFit& ff);
/// The order greedy-by-conflicts places buffers in: conflict count
/// descending, then size descending, then first use, name, index.
std::vector<int> GreedyByConflictsOrder(const FirstFit& ff);

}  // namespace kiln
