// optimal: exact minimum of the pool size, by branch and bound over the
// order of a first-fit placer, for problems small enough; a time limit
// (PlannerOptions::time_limit_seconds) bounds the search, after which the
// best placement found is kept and the note says so.
//
// Why orders suffice: take any optimal placement and place its buffers
// with first-fit in increasing order of their offsets; by induction every
// buffer lands at or below its old offset (the old offset stays free), so
// the result is optimal too. Repeating this until nothing moves gives an
// optimal placement that first-fit reproduces from its own (offset, index)
// order. So the search only needs orders in which the (offset, index) of
// each placed buffer is larger than that of the previous one: the
// "canonical" orders. That also removes most permutations.
//
// Bound at a search node (last placed offset L): every buffer still to
// place goes at or above L, and above any placed buffer live at the same
// step that reaches past L; so for each step s the pool needs at least
// max(L, highest end of placed buffers live at s) + (sizes of unplaced
// buffers live at s), sizes rounded up to the alignment all offsets share.
// The incumbent is the better greedy plan, then hill-climb's; if it meets
// the lower bound, there is nothing to search. The objective is the pool size, i.e. the
// highest end rounded up to PlannerOptions::pool_alignment: the search
// only looks for strictly smaller pools.
//
// Deterministic unless the time limit is hit. Exponential in the worst
// case; fast when the greedy plan is close to the bound.
#include <algorithm>
#include <chrono>
#include <numeric>

#include <fmt/format.h>

#include "memory/order_placer.h"
#include "memory/planners.h"

namespace kiln {
namespace {

class Search {
 public:
  using Clock = std::chrono::steady_clock;

  Search(const FirstFit& ff, int64_t quantum, Clock::time_point deadline)
      : ff_(ff), quantum_(std::max<int64_t>(1, quantum)), deadline_(deadline) {
    for (size_t i = 0; i < ff.size(); ++i) {
      const Buffer& b = ff.buffer(static_cast<int>(i));
      if (b.size == 0) continue;
      items_.push_back(static_cast<int>(i));
      grain_ = std::gcd(grain_, std::max<int64_t>(1, b.alignment));
    }
    if (grain_ == 0) grain_ = 1;
    // Steps: the distinct first uses; the live set only grows at those.
    for (int i : items_) steps_.push_back(ff.buffer(i).first_use);
    std::sort(steps_.begin(), steps_.end());
    steps_.erase(std::unique(steps_.begin(), steps_.end()), steps_.end());
    span_.resize(ff.size());
    unplaced_.assign(steps_.size(), 0);
    top_.assign(steps_.size(), 0);
    for (int i : items_) {
      const Buffer& b = ff.buffer(i);
      const auto lo = std::lower_bound(steps_.begin(), steps_.end(), b.first_use) - steps_.begin();
      const auto hi = std::upper_bound(steps_.begin(), steps_.end(), b.last_use) - steps_.begin();
      span_[static_cast<size_t>(i)] = {static_cast<size_t>(lo), static_cast<size_t>(hi)};
      for (auto s = static_cast<size_t>(lo); s < static_cast<size_t>(hi); ++s) unplaced_[s] += Grained(b.size);
    }
    offsets_.assign(ff.size(), -1);
    for (size_t i = 0; i < ff.size(); ++i) {
      if (ff.buffer(static_cast<int>(i)).size == 0) offsets_[i] = 0;
    }
    placed_.assign(ff.size(), false);
  }

  /// Every offset is a multiple of this (the gcd of the alignments).
  int64_t grain() const { return grain_; }
  int64_t Grained(int64_t size) const { return RoundUp(size, grain_); }

  /// Searches for a placement whose pool is smaller than that of
  /// `best_end`; returns true when the search completed (the best found is
  /// then optimal).
  bool Run(int64_t best_end, std::vector<int64_t>* best_offsets) {
    best_end_ = best_end;
    target_ = RoundUp(best_end, quantum_) - quantum_;
    best_offsets_ = best_offsets;
    Dfs(0, -1, -1, 0);
    return !timed_out_;
  }

  int64_t nodes() const { return nodes_; }
  int64_t best_end() const { return best_end_; }

 private:
  struct Candidate {
    int64_t offset;
    int64_t size;
    int index;
  };

  void Dfs(size_t depth, int64_t last_offset, int last_index, int64_t peak) {
    ++nodes_;
    if (timed_out_ || Clock::now() > deadline_) {
      timed_out_ = true;
      return;
    }
    if (depth == items_.size()) {
      best_end_ = peak;
      target_ = RoundUp(peak, quantum_) - quantum_;
      *best_offsets_ = offsets_;
      return;
    }
    std::vector<Candidate> candidates;
    for (int i : items_) {
      if (placed_[static_cast<size_t>(i)]) continue;
      const int64_t o = ff_.Lowest(i, offsets_);
      if (o < last_offset || (o == last_offset && i < last_index)) continue;  // not canonical
      const int64_t size = ff_.buffer(i).size;
      if (o + size > target_) continue;
      candidates.push_back({o, size, i});
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.offset != b.offset) return a.offset < b.offset;
      if (a.size != b.size) return a.size > b.size;
      return a.index < b.index;
    });
    for (const Candidate& c : candidates) {
      const int64_t end = c.offset + c.size;
      if (end > target_) continue;  // the target may have dropped
      const size_t undo = log_.size();
      Place(c.index, c.offset, end);
      if (ff_.has_overlaps() || RoundUp(Bound(c.offset), quantum_) <= target_) Dfs(depth + 1, c.offset, c.index, std::max(peak, end));
      Unplace(c.index, undo);
      if (timed_out_) return;
    }
  }

  void Place(int i, int64_t offset, int64_t end) {
    const auto [lo, hi] = span_[static_cast<size_t>(i)];
    for (size_t s = lo; s < hi; ++s) {
      unplaced_[s] -= Grained(ff_.buffer(i).size);
      if (end > top_[s]) {
        log_.emplace_back(s, top_[s]);
        top_[s] = end;
      }
    }
    offsets_[static_cast<size_t>(i)] = offset;
    placed_[static_cast<size_t>(i)] = true;
  }

  void Unplace(int i, size_t undo) {
    const auto [lo, hi] = span_[static_cast<size_t>(i)];
    for (size_t s = lo; s < hi; ++s) unplaced_[s] += Grained(ff_.buffer(i).size);
    while (log_.size() > undo) {
      top_[log_.back().first] = log_.back().second;
      log_.pop_back();
    }
    offsets_[static_cast<size_t>(i)] = -1;
    placed_[static_cast<size_t>(i)] = false;
  }

  /// Unplaced buffers live at a step are stacked at grain-aligned offsets
  /// above the base, each taking its grained size but the last, which may
  /// waste less than a grain.
  int64_t Bound(int64_t last_offset) const {
    int64_t bound = 0;
    for (size_t s = 0; s < steps_.size(); ++s) {
      if (unplaced_[s] > 0)
        bound = std::max(bound, RoundUp(std::max(last_offset, top_[s]), grain_) + unplaced_[s] - (grain_ - 1));
    }
    return bound;
  }

  const FirstFit& ff_;
  int64_t quantum_;
  Clock::time_point deadline_;
  int64_t grain_ = 0;
  std::vector<int> items_;  // buffers of non-zero size
  std::vector<int> steps_;
  std::vector<std::pair<size_t, size_t>> span_;  // per buffer: its steps [lo, hi)
  std::vector<int64_t> unplaced_;  // per step: grained sizes of unplaced buffers live there
  std::vector<int64_t> top_;       // per step: highest end of placed buffers live there
  std::vector<std::pair<size_t, int64_t>> log_;  // undo log of top_
  std::vector<int64_t> offsets_;
  std::vector<bool> placed_;
  int64_t best_end_ = 0;
  int64_t target_ = 0;  // a placement must end at or below this to be better
  std::vector<int64_t>* best_offsets_ = nullptr;
  int64_t nodes_ = 0;
  bool timed_out_ = false;
};

}  // namespace

std::string PlaceOptimal(std::vector<Buffer*>& buffers, const PlannerOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const FirstFit ff(buffers);
  if (ff.size() == 0) return "";
  std::vector<int64_t> best, other;
  int64_t best_end = ff.Place(GreedyBySizeOrder(ff), &best);
  const int64_t other_end = ff.Place(GreedyByConflictsOrder(ff), &other);
  if (other_end < best_end) {
    best_end = other_end;
    best.swap(other);
  }
  const int64_t q = std::max<int64_t>(1, options.pool_alignment);
  const auto limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(std::max(0.0, options.time_limit_seconds)));
  Search search(ff, q, start + limit);
  // Declared overlaps void the sum-of-sizes bounds: search on the peak alone.
  const int64_t bound = ff.has_overlaps() ? 0 : RoundUp(AlignmentAwareLowerBound(buffers), q);
  if (RoundUp(best_end, q) <= bound) {
    ff.Apply(best);
    return fmt::format("optimal: {} bytes, the greedy plan meets the lower bound", RoundUp(best_end, q));
  }
  // A better incumbent prunes more: hill-climb's plan (deterministic, and
  // it also makes optimal never worse than hill-climb).
  if (options.optimal_starts_from_hill_climb) {
    PlaceHillClimb(buffers, options);
    std::vector<int64_t> climbed(ff.size());
    for (size_t i = 0; i < ff.size(); ++i) climbed[i] = buffers[i]->offset;
    if (const int64_t end = PlacementEnd(ff, climbed); end < best_end) {
      best_end = end;
      best.swap(climbed);
    }
  }
  if (RoundUp(best_end, q) <= bound) {
    ff.Apply(best);
    return fmt::format("optimal: {} bytes, the hill-climb plan meets the lower bound", RoundUp(best_end, q));
  }
  const bool complete = search.Run(best_end, &best);
  ff.Apply(best);
  if (complete)
    return fmt::format("optimal: {} bytes, proved optimal after {} search nodes (alignment-aware bound {})",
                       RoundUp(search.best_end(), q), search.nodes(), bound);
  return fmt::format(
      "optimal: search hit the {:.3g} s limit after {} nodes, kept best found: {} bytes (alignment-aware bound {})",
      options.time_limit_seconds, search.nodes(), RoundUp(search.best_end(), q), bound);
}

}  // namespace kiln
