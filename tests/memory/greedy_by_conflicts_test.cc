// greedy-by-conflicts: exact offsets on hand-made interval sets.
#include <gtest/gtest.h>

#include "memory/planner_test_util.h"
#include "memory/planners.h"

namespace kiln {
namespace {

using test::MakeBuffer;
using test::OffsetOf;

TEST(PlannerGreedyByConflicts, MostConflictedFirst) {
  // B and C each live with two others, A and D with one: B, C go first
  // (B before C: same size, earlier first use), then A, D by first use.
  auto plan = PlanMemory({MakeBuffer("A", 64, 0, 1), MakeBuffer("B", 48, 1, 2), MakeBuffer("C", 48, 2, 3),
                          MakeBuffer("D", 64, 3, 4)},
                         "greedy-by-conflicts");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "B"), 0);
  EXPECT_EQ(OffsetOf(*plan, "C"), 48);
  EXPECT_EQ(OffsetOf(*plan, "A"), 48);
  EXPECT_EQ(OffsetOf(*plan, "D"), 96);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 160);
}

TEST(PlannerGreedyByConflicts, BeatsGreedyBySizeHere) {
  // Size-first puts the big P at 0, which pushes R up beside it, and T
  // must then go above R. Conflicts-first starts with R (live with P, S
  // and T), and S and T stack right above it: the lower bound, R + S + T.
  const std::vector<Buffer> buffers = {MakeBuffer("P", 80, 0, 2), MakeBuffer("Q", 64, 1, 1), MakeBuffer("R", 64, 2, 3),
                                       MakeBuffer("S", 64, 3, 5), MakeBuffer("T", 64, 3, 3)};
  auto by_conflicts = PlanMemory(buffers, "greedy-by-conflicts");
  auto by_size = PlanMemory(buffers, "greedy-by-size");
  ASSERT_TRUE(by_conflicts.ok() && by_size.ok());
  // Degrees: R 3; P, S, T 2; Q 1. P before S, T: larger. S before T: name.
  EXPECT_EQ(OffsetOf(*by_conflicts, "R"), 0);
  EXPECT_EQ(OffsetOf(*by_conflicts, "P"), 64);
  EXPECT_EQ(OffsetOf(*by_conflicts, "S"), 64);
  EXPECT_EQ(OffsetOf(*by_conflicts, "T"), 128);
  EXPECT_EQ(OffsetOf(*by_conflicts, "Q"), 0);
  EXPECT_EQ(by_conflicts->pool_size(kWorkspacePool), 192);
  EXPECT_EQ(by_conflicts->lower_bound(kWorkspacePool), 192);
  EXPECT_EQ(OffsetOf(*by_size, "P"), 0);
  EXPECT_EQ(OffsetOf(*by_size, "R"), 80);
  EXPECT_EQ(OffsetOf(*by_size, "T"), 144);
  EXPECT_EQ(by_size->pool_size(kWorkspacePool), 208);
}

TEST(PlannerGreedyByConflicts, ZeroSizeBuffersGoToZero) {
  auto plan = PlanMemory({MakeBuffer("a", 32, 0, 1), MakeBuffer("empty", 0, 0, 1), MakeBuffer("b", 32, 1, 1)},
                         "greedy-by-conflicts");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "empty"), 0);
  EXPECT_EQ(OffsetOf(*plan, "a"), 0);
  EXPECT_EQ(OffsetOf(*plan, "b"), 32);
}

}  // namespace
}  // namespace kiln
