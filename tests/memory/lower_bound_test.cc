// The lower bound: largest sum of live sizes at one step, and where.
#include <gtest/gtest.h>

#include "memory/planner_test_util.h"
#include "memory/planners.h"

namespace kiln {
namespace {

using test::MakeBuffer;

std::vector<Buffer*> Pointers(std::vector<Buffer>& buffers) {
  std::vector<Buffer*> out;
  for (Buffer& b : buffers) out.push_back(&b);
  return out;
}

TEST(PlanLowerBound, LargestSumOfLiveSizes) {
  std::vector<Buffer> buffers = {MakeBuffer("a", 100, 0, 1), MakeBuffer("b", 50, 1, 2), MakeBuffer("c", 80, 2, 3),
                                 MakeBuffer("d", 10, 3, 3)};
  // Step 0: 100, 1: 150, 2: 130, 3: 90.
  EXPECT_EQ(LowerBound(buffers), 150);
  EXPECT_EQ(PeakStep(Pointers(buffers)), 1);
  EXPECT_EQ(LowerBound(Pointers(buffers)), 150);
}

TEST(PlanLowerBound, TouchingIntervalsDoNotAddUp) {
  std::vector<Buffer> buffers = {MakeBuffer("a", 64, 0, 2), MakeBuffer("b", 64, 3, 5)};
  EXPECT_EQ(LowerBound(buffers), 64);
  EXPECT_EQ(PeakStep(Pointers(buffers)), 0);  // the first step reaching it
}

TEST(PlanLowerBound, EmptyAndZeroSize) {
  std::vector<Buffer> none;
  EXPECT_EQ(LowerBound(none), 0);
  EXPECT_EQ(PeakStep(Pointers(none)), -1);
  std::vector<Buffer> zero = {MakeBuffer("z", 0, 0, 4)};
  EXPECT_EQ(LowerBound(zero), 0);
  EXPECT_EQ(PeakStep(Pointers(zero)), -1);
}

TEST(PlanLowerBound, LaterPeak) {
  std::vector<Buffer> buffers = {MakeBuffer("a", 10, 0, 0), MakeBuffer("b", 20, 4, 6), MakeBuffer("c", 30, 5, 9),
                                 MakeBuffer("s", 7, 5, 5)};
  EXPECT_EQ(LowerBound(buffers), 57);
  EXPECT_EQ(PeakStep(Pointers(buffers)), 5);
}

// No planner beats the bound; on random sets every plan is at or above it.
TEST(PlanLowerBound, NoPlanIsBelowIt) {
  test::Rand rand(11);
  PlannerOptions options;
  options.time_limit_seconds = 0.05;
  for (int trial = 0; trial < 20; ++trial) {
    const auto buffers = test::RandomBuffers(rand, 15, 8, 256, 3);
    for (const PlannerInfo& planner : AllPlanners()) {
      auto plan = PlanMemory(buffers, planner.name, options);
      ASSERT_TRUE(plan.ok());
      EXPECT_GE(plan->pool_size(kWorkspacePool), LowerBound(buffers)) << planner.name;
      EXPECT_EQ(plan->lower_bound(kWorkspacePool), LowerBound(buffers));
    }
  }
}

}  // namespace
}  // namespace kiln
