// Declared access patterns: the safe overlap distance of a streaming
// operator, the planner using it, the verifier checking it from the
// declaration alone, and reshape aliasing, on small hand-made graphs.
#include <gtest/gtest.h>

#include "memory/access_pattern.h"
#include "memory/liveness.h"
#include "memory/planners.h"

namespace kiln {
namespace {

/// A 3x3 window, stride 2, pad 1 over a [1,8,4,2] int8 input (rows of 8
/// bytes) into a [1,4,4,4] output (rows of 16 bytes).
StreamingAccess StridedRows() {
  StreamingAccess a;
  a.input_tensor = 0;
  a.output_tensor = 1;
  a.units = 4;
  a.units_per_group = 4;
  a.output_unit_bytes = 16;
  a.group_input_bytes = 64;
  a.input_step_bytes = 2 * 8;
  a.input_lag_bytes = 1 * 8;
  a.input_bytes = 64;
  return a;
}

TEST(StreamingAccess, SafeDistanceByHand) {
  const StreamingAccess a = StridedRows();
  // Output row u needs input rows from 2u - 1 on: bytes 0, 8, 24, 40.
  EXPECT_EQ(a.InputNeededFrom(0), 0);
  EXPECT_EQ(a.InputNeededFrom(1), 8);
  EXPECT_EQ(a.InputNeededFrom(3), 40);
  // Distance = max over u of (u + 1) * 16 - needed(u) = max(16, 24, 24, 24).
  EXPECT_EQ(SafeOverlapDistance(a), 24);

  // Elementwise int8 -> int8: in place (distance 0); int8 -> int16: the
  // output runs ahead of the input by one byte per element.
  StreamingAccess e;
  e.units = e.units_per_group = 10;
  e.output_unit_bytes = 1;
  e.input_step_bytes = 1;
  e.input_lag_bytes = -1;
  e.input_bytes = 10;
  EXPECT_EQ(SafeOverlapDistance(e), 0);
  e.output_unit_bytes = 2;
  EXPECT_EQ(SafeOverlapDistance(e), 10);
}

/// in(64 B) -> [streaming op] -> out(64 B), with `other` (32 B) live with both.
MemoryPlan StreamingPlan() {
  Buffer in, out, other;
  in.kind = out.kind = Buffer::Kind::kTensor;
  in.id = 0, in.name = "%0", in.size = 64, in.first_use = 0, in.last_use = 1;
  out.id = 1, out.name = "%1", out.size = 64, out.first_use = 1, out.last_use = 2;
  other.kind = Buffer::Kind::kScratch;
  other.name = "scratch#0", other.size = 32, other.first_use = 0, other.last_use = 2;
  StreamingAccess a = StridedRows();
  a.units_per_group = a.units = 4;  // same geometry, output rows of 16 bytes
  MemoryPlan plan;
  plan.buffers = {in, out, other};
  plan.buffers[1].streams_from = "%0";
  plan.buffers[1].stream_distance = SafeOverlapDistance(a);
  plan.streams = {a};
  return plan;
}

TEST(StreamingAccess, PlannersOverlapOutputWithConsumedInput) {
  // 64 + 64 + 32 without the overlap; with it, out sits at least 24 bytes
  // below in (aligned: 32), so the two take 96 and the pool 128. Greedy
  // places the input first (equal sizes, earlier use) and cannot use it.
  for (const char* planner : {"hill-climb", "optimal"}) {
    auto plan = PlanMemory(StreamingPlan(), planner);
    ASSERT_TRUE(plan.ok()) << plan.message();
    EXPECT_EQ(plan->buffers[0].offset - plan->buffers[1].offset, 32) << planner;
    EXPECT_EQ(plan->pool_size(kWorkspacePool), 128) << planner;
    EXPECT_EQ(plan->lower_bounds.at(kWorkspacePool), 64 + 24 + 32) << planner;
    EXPECT_EQ(plan->layer_wise_bounds.at(kWorkspacePool), 160) << planner;
  }
  auto greedy = PlanMemory(StreamingPlan(), "greedy-by-size");
  ASSERT_TRUE(greedy.ok()) << greedy.message();
  EXPECT_EQ(greedy->pool_size(kWorkspacePool), 160);
}

TEST(StreamingAccess, VerifierChecksTheDistanceFromTheDeclaration) {
  auto plan = PlanMemory(StreamingPlan(), "optimal");
  ASSERT_TRUE(plan.ok()) << plan.message();
  MemoryPlan broken = *plan;
  broken.buffers[0].offset = 16;  // in only 16 bytes above out: row 1 would clobber input row 2
  Status s = VerifyPlan(broken);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("%0 and %1"), std::string::npos) << s.message();
  // The planner's own field does not convince the verifier: only the declaration does.
  broken.buffers[1].stream_distance = 0;
  EXPECT_FALSE(VerifyPlan(broken).ok());
  MemoryPlan undeclared = *plan;
  undeclared.streams.clear();
  EXPECT_FALSE(VerifyPlan(undeclared).ok());
}

TEST(Liveness, StreamsOnlyOverInputsThatDieAndAliasesShareTheBuffer) {
  Graph g;
  auto tensor = [&](int64_t bytes) {
    Tensor t;
    t.dtype = DType::kInt8;
    t.shape = {1, static_cast<int32_t>(bytes)};
    g.tensors.push_back(t);
    return static_cast<int>(g.tensors.size()) - 1;
  };
  const int in = tensor(16), a = tensor(16), r = tensor(16), b = tensor(16), c = tensor(16), out = tensor(16);
  g.inputs = {in};
  g.outputs = {out};
  // a = f(in); r = reshape(a); b = g(r) streams over r (r dies there);
  // c = h(b) streams over b, but b is read again later: no overlap.
  g.nodes = {Node{0, 0, OpKind::kRelu, "RELU", {in}, {a}, {}}, Node{1, 0, OpKind::kReshape, "RESHAPE", {a}, {r}, {}},
             Node{2, 0, OpKind::kRelu, "RELU", {r}, {b}, {}}, Node{3, 0, OpKind::kRelu, "RELU", {b}, {c}, {}},
             Node{4, 0, OpKind::kAdd, "ADD", {b, c}, {out}, {}}};
  StreamingAccess over_r, over_b;
  over_r.input_tensor = r, over_r.output_tensor = b;
  over_b.input_tensor = b, over_b.output_tensor = c;
  MemoryRequests requests;
  requests.aliases = {{r, a}};
  requests.streams = {over_r, over_b};
  const MemoryPlan plan = ComputeBuffers(g, requests);
  ASSERT_EQ(plan.buffers.size(), 3u);  // a (also r), b, c
  EXPECT_EQ(plan.buffers[0].id, a);
  EXPECT_EQ(plan.buffers[0].last_use, 2);  // through its alias r
  EXPECT_EQ(plan.aliases.at(r), a);
  EXPECT_EQ(plan.buffers[1].streams_from, "%" + std::to_string(a));
  EXPECT_TRUE(plan.buffers[2].streams_from.empty());
  ASSERT_EQ(plan.streams.size(), 1u);
  EXPECT_EQ(plan.streams[0].input_tensor, a);  // resolved to the buffer's owner
}

}  // namespace
}  // namespace kiln
