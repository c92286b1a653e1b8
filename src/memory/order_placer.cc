#include "memory/order_placer.h"

#include <algorithm>
#include <numeric>

namespace kiln {

FirstFit::FirstFit(const std::vector<Buffer*>& buffers, OverlapFn overlap)
    : buffers_(buffers), conflicts_(buffers.size()) {
  // Sweep in order of first use: each buffer meets those starting no later
  // than its last use.
  std::vector<int> by_first(buffers_.size());
  std::iota(by_first.begin(), by_first.end(), 0);
  std::stable_sort(by_first.begin(), by_first.end(), [&](int a, int b) {
    return buffer(a).first_use < buffer(b).first_use;
  });
  for (size_t x = 0; x < by_first.size(); ++x) {
    const Buffer& a = buffer(by_first[x]);
    if (a.size == 0) continue;
    for (size_t y = x + 1; y < by_first.size() && buffer(by_first[y]).first_use <= a.last_use; ++y) {
      const Buffer& b = buffer(by_first[y]);
      if (b.size == 0 || !LiveAtOnce(a, b)) continue;
      conflicts_[static_cast<size_t>(by_first[x])].push_back(by_first[y]);
      conflicts_[static_cast<size_t>(by_first[y])].push_back(by_first[x]);
    }
  }
  for (auto& c : conflicts_) std::sort(c.begin(), c.end());
  forbid_.resize(conflicts_.size());
  for (size_t i = 0; i < conflicts_.size(); ++i) {
    const Buffer& b = buffer(static_cast<int>(i));
    for (int other : conflicts_[i]) {
      const Buffer& c = buffer(other);
      int64_t below = b.size, above = c.size;
      if (const int64_t d = overlap(b, c); d >= 0) below = d;  // b streams over c
      if (const int64_t d = overlap(c, b); d >= 0) above = d;  // c streams over b
      if (below != b.size || above != c.size) has_overlaps_ = true;
      forbid_[i].emplace_back(below, above);
    }
  }
}

int64_t StreamOverlapDistance(const Buffer& output, const Buffer& input) {
  return output.streams_from == input.name ? output.stream_distance : -1;
}

int64_t FirstFit::Lowest(int i, const std::vector<int64_t>& offsets) const {
  const Buffer& b = buffer(i);
  if (b.size == 0) return 0;
  scratch_.clear();
  const auto& conflicts = conflicts_[static_cast<size_t>(i)];
  const auto& forbid = forbid_[static_cast<size_t>(i)];
  for (size_t k = 0; k < conflicts.size(); ++k) {
    const int64_t o = offsets[static_cast<size_t>(conflicts[k])];
    if (o < 0) continue;
    const int64_t lo = o - forbid[k].first, hi = o + forbid[k].second;
    if (lo + 1 < hi) scratch_.emplace_back(lo, hi);
  }
  std::sort(scratch_.begin(), scratch_.end());
  int64_t candidate = 0;
  for (const auto& [lo, hi] : scratch_) {
    // Sorted by start: once the candidate is below one forbidden interval,
    // it is below all the rest; intervals passed stay below it.
    if (candidate <= lo) break;
    if (candidate < hi) candidate = RoundUp(hi, b.alignment);
  }
  return candidate;
}

int64_t FirstFit::Place(std::span<const int> order, std::vector<int64_t>* offsets, size_t from) const {
  offsets->resize(size(), -1);
  for (size_t k = from; k < order.size(); ++k) (*offsets)[static_cast<size_t>(order[k])] = -1;
  for (size_t k = from; k < order.size(); ++k) {
    (*offsets)[static_cast<size_t>(order[k])] = Lowest(order[k], *offsets);
  }
  return PlacementEnd(*this, *offsets);
}

void FirstFit::Apply(const std::vector<int64_t>& offsets) const {
  for (size_t i = 0; i < buffers_.size(); ++i) buffers_[i]->offset = offsets[i];
}

int64_t PlacementEnd(const FirstFit& ff, const std::vector<int64_t>& offsets) {
  int64_t end = 0;
  for (size_t i = 0; i < ff.size(); ++i) end = std::max(end, offsets[i] + ff.buffer(static_cast<int>(i)).size);
  return end;
}

std::vector<int> GreedyBySizeOrder(const FirstFit& ff) {
  std::vector<int> order(ff.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    const Buffer& a = ff.buffer(x);
    const Buffer& b = ff.buffer(y);
    if (a.size != b.size) return a.size > b.size;
    if (a.first_use != b.first_use) return a.first_use < b.first_use;
    return a.name < b.name;
  });
  return order;
}

std::vector<int> GreedyByConflictsOrder(const FirstFit& ff) {
  std::vector<int> order(ff.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    const Buffer& a = ff.buffer(x);
    const Buffer& b = ff.buffer(y);
    if (ff.conflicts(x).size() != ff.conflicts(y).size()) return ff.conflicts(x).size() > ff.conflicts(y).size();
    if (a.size != b.size) return a.size > b.size;
    if (a.first_use != b.first_use) return a.first_use < b.first_use;
    return a.name < b.name;
  });
  return order;
}

}  // namespace kiln
