// optimal: exact on small problems, proved against two brute forces that
// do not share its code; honest about its time limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "memory/planner_test_util.h"
#include "memory/planners.h"

namespace kiln {
namespace {

using test::MakeBuffer;
using test::OffsetOf;

bool Conflict(const Buffer& a, const Buffer& b) {
  return a.size > 0 && b.size > 0 && a.first_use <= b.last_use && b.first_use <= a.last_use;
}

/// Brute force over offsets: every aligned offset for every buffer, in
/// index order, keeping the lowest highest end. No theory involved.
int64_t BruteForceOffsets(const std::vector<Buffer>& buffers) {
  int64_t best = 0;
  for (const Buffer& b : buffers) best += b.size + b.alignment;  // linear layout fits
  std::vector<int64_t> offsets(buffers.size(), -1);
  auto dfs = [&](auto&& self, size_t i, int64_t end) -> void {
    if (i == buffers.size()) {
      best = std::min(best, end);
      return;
    }
    const Buffer& b = buffers[i];
    for (int64_t o = 0; o + b.size < best; o += b.alignment) {
      bool free = true;
      for (size_t j = 0; j < i && free; ++j) {
        const Buffer& c = buffers[j];
        if (Conflict(b, c) && o < offsets[j] + c.size && offsets[j] < o + b.size) free = false;
      }
      if (!free) continue;
      offsets[i] = o;
      self(self, i + 1, std::max(end, o + b.size));
    }
    offsets[i] = -1;
  };
  dfs(dfs, 0, 0);
  return best;
}

/// Brute force over orders: first-fit (written again here) of every
/// permutation. The lowest free aligned offset is 0 or the aligned end of
/// a live buffer already placed, so those are the only candidates.
int64_t BruteForceOrders(const std::vector<Buffer>& buffers) {
  std::vector<int> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  int64_t best = INT64_MAX;
  do {
    std::vector<int64_t> offsets(buffers.size(), -1);
    int64_t end = 0;
    for (int i : order) {
      const Buffer& b = buffers[static_cast<size_t>(i)];
      std::vector<int64_t> candidates = {0};
      for (size_t j = 0; j < buffers.size(); ++j) {
        if (offsets[j] >= 0 && Conflict(b, buffers[j]))
          candidates.push_back((offsets[j] + buffers[j].size + b.alignment - 1) / b.alignment * b.alignment);
      }
      std::sort(candidates.begin(), candidates.end());
      for (int64_t o : candidates) {
        bool free = true;
        for (size_t j = 0; j < buffers.size() && free; ++j) {
          const Buffer& c = buffers[j];
          if (offsets[j] >= 0 && Conflict(b, c) && o < offsets[j] + c.size && offsets[j] < o + b.size) free = false;
        }
        if (free) {
          offsets[static_cast<size_t>(i)] = o;
          end = std::max(end, o + b.size);
          break;
        }
      }
    }
    best = std::min(best, end);
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

/// Pools are sized in 16-byte steps; that is what optimal minimises.
int64_t PoolBytes(int64_t end) { return (end + 15) / 16 * 16; }

/// Options that make optimal search from the greedy plan, so the brute
/// force checks the branch and bound, not hill-climb.
PlannerOptions SearchOnly() {
  PlannerOptions options;
  options.optimal_starts_from_hill_climb = false;
  return options;
}

/// 1 when the plan came out of the search (not a heuristic meeting the bound).
int Searched(const MemoryPlan& plan) {
  return plan.notes.at(kWorkspacePool).find("proved optimal after") != std::string::npos ? 1 : 0;
}

TEST(PlannerOptimal, ExactOffsetsOnTheChain) {
  auto plan = PlanMemory({MakeBuffer("A", 64, 0, 1), MakeBuffer("B", 48, 1, 2), MakeBuffer("C", 48, 2, 3),
                          MakeBuffer("D", 64, 3, 4)},
                         "optimal");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "A"), 0);
  EXPECT_EQ(OffsetOf(*plan, "B"), 64);
  EXPECT_EQ(OffsetOf(*plan, "C"), 0);
  EXPECT_EQ(OffsetOf(*plan, "D"), 48);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 112);
  EXPECT_EQ(plan->notes.at(kWorkspacePool), "optimal: 112 bytes, the hill-climb plan meets the lower bound");
}

TEST(PlannerOptimal, SaysWhenGreedyAlreadyMeetsTheBound) {
  auto plan = PlanMemory({MakeBuffer("a", 100, 0, 1), MakeBuffer("b", 50, 1, 2)}, "optimal");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(plan->notes.at(kWorkspacePool), "optimal: 176 bytes, the greedy plan meets the lower bound");
}

// Uniform 16-byte alignment, 5-6 buffers: the exhaustive offset search.
TEST(PlannerOptimal, EqualsBruteForceOverOffsets) {
  test::Rand rand(31337);
  int searched = 0;
  // Random instances until 10 of them needed the search (the others are
  // settled by a greedy plan meeting the bound, checked all the same).
  for (int trial = 0; trial < 2000 && searched < 10; ++trial) {
    const int n = 5 + trial % 2;
    const auto buffers = test::RandomBuffers(rand, n, 3, 64, 2);
    auto plan = PlanMemory(buffers, "optimal", SearchOnly());
    ASSERT_TRUE(plan.ok()) << plan.message();
    EXPECT_EQ(plan->pool_size(kWorkspacePool), PoolBytes(BruteForceOffsets(buffers))) << "trial " << trial;
    searched += Searched(*plan);
  }
  EXPECT_EQ(searched, 10) << "the branch and bound itself must be exercised";
}

// Mixed alignments (4, 8, 16), 4-5 buffers: the exhaustive offset search.
TEST(PlannerOptimal, EqualsBruteForceWithMixedAlignments) {
  test::Rand rand(4242);
  int searched = 0;
  for (int trial = 0; trial < 2000 && searched < 15; ++trial) {
    const auto buffers = test::RandomBuffers(rand, 4 + trial % 2, 3, 40, 2, /*random_alignment=*/true);
    auto plan = PlanMemory(buffers, "optimal", SearchOnly());
    ASSERT_TRUE(plan.ok()) << plan.message();
    EXPECT_EQ(plan->pool_size(kWorkspacePool), PoolBytes(BruteForceOffsets(buffers))) << "trial " << trial;
    searched += Searched(*plan);
  }
  EXPECT_EQ(searched, 15) << "the branch and bound itself must be exercised";
}

// Larger (7-8 buffers), where offsets are too many: every placement order.
TEST(PlannerOptimal, EqualsBruteForceOverOrders) {
  test::Rand rand(8080);
  int below_greedy = 0, searched = 0;
  for (int trial = 0; trial < 500 && searched < 15; ++trial) {
    const auto buffers = test::RandomBuffers(rand, 7 + trial % 2, 6, 300, 3, /*random_alignment=*/trial % 2 == 0);
    auto plan = PlanMemory(buffers, "optimal", SearchOnly());
    auto greedy = PlanMemory(buffers, "greedy-by-size");
    ASSERT_TRUE(plan.ok() && greedy.ok()) << plan.message();
    EXPECT_EQ(plan->pool_size(kWorkspacePool), PoolBytes(BruteForceOrders(buffers))) << "trial " << trial;
    if (plan->pool_size(kWorkspacePool) < greedy->pool_size(kWorkspacePool)) ++below_greedy;
    searched += Searched(*plan);
  }
  EXPECT_EQ(searched, 15) << "the branch and bound itself must be exercised";
  EXPECT_GT(below_greedy, 0);  // the instances are not all easy
}

TEST(PlannerOptimal, TimeLimitKeepsBestFoundAndSaysSo) {
  test::Rand rand(5);
  const auto buffers = test::RandomBuffers(rand, 60, 30, 1000, 6);
  PlannerOptions options;
  options.time_limit_seconds = 0;  // no time at all: the greedy plan stands
  auto plan = PlanMemory(buffers, "optimal", options);
  auto greedy = PlanMemory(buffers, "greedy-by-size");
  ASSERT_TRUE(plan.ok() && greedy.ok()) << plan.message();
  EXPECT_LE(plan->pool_size(kWorkspacePool), greedy->pool_size(kWorkspacePool));
  EXPECT_EQ(plan->notes.at(kWorkspacePool).rfind("optimal: search hit the 0 s limit after 1 nodes, kept best found: ", 0),
            0u)
      << plan->notes.at(kWorkspacePool);
}

}  // namespace
}  // namespace kiln
