// The memory planners: exact offsets on small interval sets, deterministic
// tie-breaks, and the verifier catching what it must.
#include <gtest/gtest.h>

#include <algorithm>

#include "memory/liveness.h"
#include "memory/planners.h"
#include "memory/planner_test_util.h"

namespace kiln {
namespace {

using test::MakeBuffer;
using test::OffsetOf;

Buffer Make(const std::string& name, int64_t size, int first, int last) { return MakeBuffer(name, size, first, last); }

TEST(GreedyBySize, ReusesMemoryOfDeadBuffers) {
  // A chain a -> b -> c: a and c never live together, so c takes a's place.
  auto plan = PlanMemory({Make("a", 100, 0, 1), Make("b", 50, 1, 2), Make("c", 80, 2, 3)}, "greedy-by-size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "a"), 0);
  EXPECT_EQ(OffsetOf(*plan, "b"), 112);  // after a, aligned to 16
  EXPECT_EQ(OffsetOf(*plan, "c"), 0);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 176);
}

TEST(GreedyBySize, FillsGapsBelowLiveBuffers) {
  // x dies after node 0; z (live at 1-2) fits in x's place under y.
  auto plan = PlanMemory({Make("x", 64, 0, 0), Make("y", 64, 0, 2), Make("z", 48, 1, 2)}, "greedy-by-size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "x"), 0);
  EXPECT_EQ(OffsetOf(*plan, "y"), 64);
  EXPECT_EQ(OffsetOf(*plan, "z"), 0);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 128);
}

TEST(GreedyBySize, TiesBreakByFirstUseThenName) {
  auto plan = PlanMemory({Make("y", 32, 0, 0), Make("x", 32, 0, 0), Make("w", 32, 1, 1)}, "greedy-by-size");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(OffsetOf(*plan, "x"), 0);
  EXPECT_EQ(OffsetOf(*plan, "y"), 32);
  EXPECT_EQ(OffsetOf(*plan, "w"), 0);
}

TEST(Linear, NeverReuses) {
  auto plan = PlanMemory({Make("a", 100, 0, 1), Make("b", 50, 1, 2), Make("c", 80, 2, 3)}, "linear");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(OffsetOf(*plan, "a"), 0);
  EXPECT_EQ(OffsetOf(*plan, "b"), 112);
  EXPECT_EQ(OffsetOf(*plan, "c"), 176);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 256);
}

TEST(PlanMemory, StatePoolIsLinearWhateverThePlanner) {
  Buffer s1 = Make("s1", 20, 0, 3), s2 = Make("s2", 20, 0, 3);
  s1.pool = s2.pool = kStatePool;
  auto plan = PlanMemory({s1, s2, Make("a", 8, 0, 0)}, "greedy-by-size");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(OffsetOf(*plan, "s1"), 0);
  EXPECT_EQ(OffsetOf(*plan, "s2"), 32);
  EXPECT_EQ(plan->pool_size(kStatePool), 64);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 16);
}

TEST(PlanMemory, UnknownPlannerIsAnError) {
  EXPECT_EQ(PlanMemory(std::vector<Buffer>{}, "magic").message(), "unknown memory planner 'magic'");
}

TEST(PlanMemory, OldSpellingIsAnAlias) {
  auto plan = PlanMemory({Make("a", 100, 0, 1), Make("b", 50, 1, 2)}, "greedy_by_size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(plan->planner, "greedy-by-size");
  EXPECT_EQ(FindPlanner("greedy_by_size"), FindPlanner("greedy-by-size"));
  const auto names = AcceptedPlannerNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "greedy_by_size"), names.end());
}

TEST(PlanMemory, PlannerNamesAndDefault) {
  std::vector<std::string> names;
  for (const PlannerInfo& p : AllPlanners()) names.emplace_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"hill-climb", "greedy-by-size", "greedy-by-conflicts", "optimal", "linear"}));
  EXPECT_EQ(CodegenOptions{}.planner, names[0]);
}

TEST(PlanMemory, FillsLowerBoundsAndPeakSteps) {
  Buffer s1 = Make("s1", 20, 0, 3);
  s1.pool = kStatePool;
  auto plan = PlanMemory({Make("a", 100, 0, 1), Make("b", 50, 1, 2), Make("c", 80, 2, 3), s1}, "greedy-by-size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(plan->lower_bound(kWorkspacePool), 150);  // a and b at step 1
  EXPECT_EQ(plan->peak_steps.at(kWorkspacePool), 1);
  EXPECT_EQ(plan->lower_bound(kStatePool), 20);
  EXPECT_EQ(plan->peak_steps.at(kStatePool), 0);
  EXPECT_TRUE(plan->notes.empty());
}

TEST(PlanMemory, EmptyPoolHasNoPeak) {
  auto plan = PlanMemory(std::vector<Buffer>{}, "optimal");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 0);
  EXPECT_EQ(plan->lower_bound(kWorkspacePool), 0);
  EXPECT_EQ(plan->peak_steps.at(kWorkspacePool), -1);
}

TEST(VerifyPlan, CatchesOverlapOfLiveBuffers) {
  MemoryPlan plan;
  plan.buffers = {Make("a", 32, 0, 1), Make("b", 32, 1, 2)};
  plan.buffers[0].offset = 0;
  plan.buffers[1].offset = 16;
  plan.pool_sizes[kWorkspacePool] = 48;
  EXPECT_EQ(VerifyPlan(plan).message(),
            "memory plan: buffers a and b are live together and overlap in pool 'workspace'");
  plan.buffers[1].first_use = 2;  // no longer live together: sharing is fine
  EXPECT_TRUE(VerifyPlan(plan).ok());
}

TEST(VerifyPlan, CatchesUnplacedBuffer) {
  MemoryPlan plan;
  plan.buffers = {Make("a", 32, 0, 1)};
  plan.pool_sizes[kWorkspacePool] = 64;
  EXPECT_EQ(VerifyPlan(plan).message(), "memory plan: buffer a was not placed");
}

// A correct plan from every planner, broken by moving one buffer onto a
// live neighbour, is rejected.
TEST(VerifyPlan, CatchesEveryPlannersPlanOnceBroken) {
  for (const PlannerInfo& planner : AllPlanners()) {
    auto plan = PlanMemory({Make("a", 64, 0, 1), Make("b", 48, 1, 2), Make("c", 48, 2, 3)}, planner.name);
    ASSERT_TRUE(plan.ok()) << planner.name << ": " << plan.message();
    MemoryPlan broken = *plan;
    broken.buffers[1].offset = broken.buffers[0].offset;  // b onto a, both live at step 1
    broken.pool_sizes[kWorkspacePool] = 1024;
    EXPECT_EQ(VerifyPlan(broken).message(),
              "memory plan: buffers a and b are live together and overlap in pool 'workspace'")
        << planner.name;
  }
}

TEST(VerifyPlan, CatchesMisalignmentAndOverflow) {
  MemoryPlan plan;
  plan.buffers = {Make("a", 32, 0, 1)};
  plan.buffers[0].offset = 8;
  plan.pool_sizes[kWorkspacePool] = 64;
  EXPECT_EQ(VerifyPlan(plan).message(), "memory plan: buffer a at offset 8 is not 16-byte aligned");
  plan.buffers[0].offset = 48;
  EXPECT_EQ(VerifyPlan(plan).message(), "memory plan: buffer a ends past pool 'workspace'");
}

// Every planner's plan of randomly generated interval sets passes the
// verifier, with uniform and with mixed alignments.
TEST(Planners, RandomIntervalsVerify) {
  PlannerOptions options;
  options.time_limit_seconds = 0.05;  // optimal: short searches are enough here
  for (const PlannerInfo& planner : AllPlanners()) {
    test::Rand rand(12345);
    for (int trial = 0; trial < 50; ++trial) {
      const auto buffers = test::RandomBuffers(rand, 20, 10, 300, 4, /*random_alignment=*/trial % 2 == 1);
      auto plan = PlanMemory(buffers, planner.name, options);
      ASSERT_TRUE(plan.ok()) << planner.name << ": " << plan.message();
      EXPECT_GE(plan->pool_size(kWorkspacePool), plan->lower_bound(kWorkspacePool)) << planner.name;
    }
  }
}

// Same buffers, same options: the same plan, every time, for every planner
// (optimal included: these searches finish well within its limit).
TEST(Planners, DeterministicOverTenRuns) {
  test::Rand rand(777);
  const auto buffers = test::RandomBuffers(rand, 12, 8, 200, 3);
  for (const PlannerInfo& planner : AllPlanners()) {
    auto first = PlanMemory(buffers, planner.name);
    ASSERT_TRUE(first.ok()) << planner.name << ": " << first.message();
    for (int run = 0; run < 10; ++run) {
      auto again = PlanMemory(buffers, planner.name);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(test::Offsets(*again), test::Offsets(*first)) << planner.name << " run " << run;
      EXPECT_EQ(again->notes, first->notes) << planner.name;
    }
  }
}

TEST(Liveness, ActivationsLiveFromWriterToLastReader) {
  Graph g;
  auto tensor = [&](bool constant) {
    Tensor t;
    t.dtype = DType::kInt8;
    t.shape = {10};
    t.is_constant = constant;
    if (constant) t.data.assign(10, 0);
    g.tensors.push_back(t);
    return static_cast<int>(g.tensors.size()) - 1;
  };
  const int in = tensor(false), w = tensor(true), a = tensor(false), b = tensor(false), out = tensor(false);
  g.inputs = {in};
  g.outputs = {out};
  g.nodes = {Node{0, 0, OpKind::kAdd, "ADD", {in, w}, {a}, {}}, Node{1, 0, OpKind::kAdd, "ADD", {a, w}, {b}, {}},
             Node{2, 0, OpKind::kAdd, "ADD", {a, b}, {out}, {}}};
  MemoryRequests requests;
  requests.scratch = {{1, 64}};
  const auto buffers = ComputeBuffers(g, requests).buffers;
  ASSERT_EQ(buffers.size(), 3u);  // a, b, scratch: no buffer for io or constants
  EXPECT_EQ(buffers[0].name, "%2");
  EXPECT_EQ(buffers[0].first_use, 0);
  EXPECT_EQ(buffers[0].last_use, 2);
  EXPECT_EQ(buffers[1].name, "%3");
  EXPECT_EQ(buffers[1].first_use, 1);
  EXPECT_EQ(buffers[1].last_use, 2);
  EXPECT_EQ(buffers[2].name, "scratch#0");
  EXPECT_EQ(buffers[2].first_use, 1);
  EXPECT_EQ(buffers[2].last_use, 1);
  EXPECT_EQ(buffers[2].size, 64);
}

}  // namespace
}  // namespace kiln
