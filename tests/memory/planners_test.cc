// The memory planners: exact offsets on small interval sets, deterministic
// tie-breaks, and the verifier catching what it must.
#include <gtest/gtest.h>

#include "memory/liveness.h"
#include "memory/planners.h"

namespace kiln {
namespace {

Buffer Make(const std::string& name, int64_t size, int first, int last) {
  Buffer b;
  b.name = name;
  b.size = size;
  b.first_use = first;
  b.last_use = last;
  return b;
}

int64_t OffsetOf(const MemoryPlan& plan, const std::string& name) {
  for (const Buffer& b : plan.buffers) {
    if (b.name == name) return b.offset;
  }
  return -2;
}

TEST(GreedyBySize, ReusesMemoryOfDeadBuffers) {
  // A chain a -> b -> c: a and c never live together, so c takes a's place.
  auto plan = PlanMemory({Make("a", 100, 0, 1), Make("b", 50, 1, 2), Make("c", 80, 2, 3)}, "greedy_by_size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "a"), 0);
  EXPECT_EQ(OffsetOf(*plan, "b"), 112);  // after a, aligned to 16
  EXPECT_EQ(OffsetOf(*plan, "c"), 0);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 176);
}

TEST(GreedyBySize, FillsGapsBelowLiveBuffers) {
  // x dies after node 0; z (live at 1-2) fits in x's place under y.
  auto plan = PlanMemory({Make("x", 64, 0, 0), Make("y", 64, 0, 2), Make("z", 48, 1, 2)}, "greedy_by_size");
  ASSERT_TRUE(plan.ok()) << plan.message();
  EXPECT_EQ(OffsetOf(*plan, "x"), 0);
  EXPECT_EQ(OffsetOf(*plan, "y"), 64);
  EXPECT_EQ(OffsetOf(*plan, "z"), 0);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 128);
}

TEST(GreedyBySize, TiesBreakByFirstUseThenName) {
  auto plan = PlanMemory({Make("y", 32, 0, 0), Make("x", 32, 0, 0), Make("w", 32, 1, 1)}, "greedy_by_size");
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
  auto plan = PlanMemory({s1, s2, Make("a", 8, 0, 0)}, "greedy_by_size");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(OffsetOf(*plan, "s1"), 0);
  EXPECT_EQ(OffsetOf(*plan, "s2"), 32);
  EXPECT_EQ(plan->pool_size(kStatePool), 64);
  EXPECT_EQ(plan->pool_size(kWorkspacePool), 16);
}

TEST(PlanMemory, UnknownPlannerIsAnError) {
  EXPECT_EQ(PlanMemory(std::vector<Buffer>{}, "magic").message(), "unknown memory planner 'magic'");
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

TEST(VerifyPlan, CatchesMisalignmentAndOverflow) {
  MemoryPlan plan;
  plan.buffers = {Make("a", 32, 0, 1)};
  plan.buffers[0].offset = 8;
  plan.pool_sizes[kWorkspacePool] = 64;
  EXPECT_EQ(VerifyPlan(plan).message(), "memory plan: buffer a at offset 8 is not 16-byte aligned");
  plan.buffers[0].offset = 48;
  EXPECT_EQ(VerifyPlan(plan).message(), "memory plan: buffer a ends past pool 'workspace'");
}

// Every planner's plan of randomly generated interval sets passes the verifier.
TEST(Planners, RandomIntervalsVerify) {
  uint32_t s = 12345;
  auto next = [&] { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; };
  for (const PlannerInfo& planner : AllPlanners()) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<Buffer> buffers;
      for (int i = 0; i < 20; ++i) {
        const int first = static_cast<int>(next() % 10);
        buffers.push_back(Make("b" + std::to_string(i), 1 + next() % 300, first, first + static_cast<int>(next() % 5)));
      }
      auto plan = PlanMemory(buffers, planner.name);
      ASSERT_TRUE(plan.ok()) << planner.name << ": " << plan.message();
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
  g.nodes = {Node{0, OpKind::kAdd, "ADD", {in, w}, {a}, {}}, Node{1, OpKind::kAdd, "ADD", {a, w}, {b}, {}},
             Node{2, OpKind::kAdd, "ADD", {a, b}, {out}, {}}};
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
