// Memory-aware execution order: the diamond where the order matters, ties
// keeping the original order, the beam fallback, and exactness against
// every topological order of random small graphs.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "memory/liveness.h"
#include "memory/planner_test_util.h"
#include "memory/planners.h"
#include "memory/schedule.h"

namespace kiln {
namespace {

struct GraphBuilder {
  Graph g;
  int Tensor(int64_t bytes, bool variable = false) {
    kiln::Tensor t;
    t.dtype = DType::kInt8;
    t.shape = {static_cast<int32_t>(bytes)};
    t.is_variable = variable;
    g.tensors.push_back(t);
    return static_cast<int>(g.tensors.size()) - 1;
  }
  void Node(std::vector<int> inputs, std::vector<int> outputs) {
    const int index = static_cast<int>(g.nodes.size());
    g.nodes.push_back(kiln::Node{index, 0, OpKind::kAdd, "ADD", std::move(inputs), std::move(outputs), {}});
  }
};

// x -> a -> {b1 -> c1, b2 -> c2} -> out, listed with both big branch
// tensors b1 and b2 alive together (b1, b2, then c1, c2).
Graph Diamond() {
  GraphBuilder b;
  const int x = b.Tensor(10), a = b.Tensor(10), b1 = b.Tensor(100), b2 = b.Tensor(100), c1 = b.Tensor(10),
            c2 = b.Tensor(10), out = b.Tensor(10);
  b.g.inputs = {x};
  b.g.outputs = {out};
  b.Node({x}, {a});
  b.Node({a}, {b1});
  b.Node({a}, {b2});
  b.Node({b1}, {c1});
  b.Node({b2}, {c2});
  b.Node({c1, c2}, {out});
  return b.g;
}

int64_t PlannedBound(const Graph& graph) { return LowerBound(ComputeBuffers(graph, {}).buffers); }

TEST(PlanSchedule, DiamondRunsOneBranchAtATime) {
  Graph g = Diamond();
  ScheduleReport report;
  const std::vector<int> order = ChooseExecutionOrder(g, {}, &report);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 3, 2, 4, 5}));
  EXPECT_EQ(report.peak_before, 210);  // a + b1 + b2
  EXPECT_EQ(report.peak_after, 120);   // a + b1 + c1, then a + c1 + b2 ...
  EXPECT_TRUE(report.exact);
  EXPECT_EQ(report.summary, "execution order (exact): peak 210 -> 120 bytes of activations, order #0 #1 #3 #2 #4 #5");
  EXPECT_EQ(PlannedBound(g), 210);
  ApplyExecutionOrder(g, order);
  EXPECT_EQ(PlannedBound(g), 120);  // the planner's bound agrees with the schedule's peak
  // Node::index still names the source operator.
  EXPECT_EQ(g.nodes[2].index, 3);
  EXPECT_EQ(g.nodes[3].index, 2);
}

TEST(PlanSchedule, OptimalOriginalOrderIsKept) {
  Graph g = Diamond();
  std::swap(g.nodes[2], g.nodes[3]);  // already one branch at a time
  ScheduleReport report;
  EXPECT_EQ(ChooseExecutionOrder(g, {}, &report), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(report.peak_before, 120);
  EXPECT_EQ(report.peak_after, 120);
  EXPECT_EQ(report.summary, "execution order: kept the original order, peak 120 bytes of activations (the lowest of any order)");
}

TEST(PlanSchedule, TiesKeepTheOriginalOrder) {
  // Second branch first is as good as first branch first: keep it.
  Graph g = Diamond();
  g.nodes = {g.nodes[0], g.nodes[2], g.nodes[4], g.nodes[1], g.nodes[3], g.nodes[5]};
  EXPECT_EQ(ChooseExecutionOrder(g), (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(PlanSchedule, ScratchCountsAtItsNode) {
  // A large scratch on b2's producer: best run it while nothing of the
  // other branch is live, so the second branch goes first.
  Graph g = Diamond();
  ScheduleOptions options;
  options.node_scratch = {0, 0, 50, 0, 0, 0};
  ScheduleReport report;
  EXPECT_EQ(ChooseExecutionOrder(g, options, &report), (std::vector<int>{0, 2, 4, 1, 3, 5}));
  EXPECT_EQ(report.peak_before, 260);  // a + b1 + b2 + 50
  EXPECT_EQ(report.peak_after, 160);   // a + b2 + 50
}

TEST(PlanSchedule, BeamSearchWhenTooManyStates) {
  Graph g = Diamond();
  ScheduleOptions options;
  options.max_exact_states = 2;
  ScheduleReport report;
  EXPECT_EQ(ChooseExecutionOrder(g, options, &report), (std::vector<int>{0, 1, 3, 2, 4, 5}));
  EXPECT_FALSE(report.exact);
  EXPECT_EQ(report.method, "beam search (width 64)");
  EXPECT_EQ(report.peak_after, 120);
}

TEST(PlanSchedule, NodesSharingAVariableKeepTheirOrder) {
  // n1 and n2 both touch state s and are otherwise independent; n2's big
  // output would be better first, but their order on s must hold.
  GraphBuilder b;
  const int x = b.Tensor(10), s = b.Tensor(8, /*variable=*/true), p = b.Tensor(10), q = b.Tensor(200),
            r = b.Tensor(10), out = b.Tensor(10);
  b.g.inputs = {x};
  b.g.outputs = {out};
  b.Node({x}, {p});        // 0
  b.Node({p, s}, {r});     // 1: reads and updates s
  b.Node({x, s}, {q});     // 2: reads s after 1 updated it
  b.Node({r, q}, {out});   // 3
  const auto order = ChooseExecutionOrder(b.g);
  const auto pos = [&](int v) { return std::find(order.begin(), order.end(), v) - order.begin(); };
  EXPECT_LT(pos(1), pos(2));
}

TEST(PlanSchedule, DeterministicOverTenRuns) {
  Graph g = Diamond();
  const auto first = ChooseExecutionOrder(g);
  for (int run = 0; run < 10; ++run) EXPECT_EQ(ChooseExecutionOrder(g), first);
}

// Random DAGs of up to 8 nodes: the exact search finds the minimum over
// every topological order, and the planner's lower bound of the reordered
// graph equals the peak it reports.
TEST(PlanSchedule, ExactAgainstEveryTopologicalOrder) {
  test::Rand rand(606);
  for (int trial = 0; trial < 40; ++trial) {
    GraphBuilder b;
    const int n = 4 + trial % 5;
    const int x = b.Tensor(1 + rand() % 50);
    b.g.inputs = {x};
    std::vector<int> produced;  // one output per node
    for (int v = 0; v < n; ++v) {
      std::vector<int> inputs;
      if (produced.empty() || rand() % 4 == 0) inputs.push_back(x);
      for (int k = 0; k < 2 && !produced.empty(); ++k) {
        const int t = produced[rand() % produced.size()];
        if (std::find(inputs.begin(), inputs.end(), t) == inputs.end()) inputs.push_back(t);
      }
      const int t = b.Tensor(1 + rand() % 200);
      b.Node(inputs, {t});
      produced.push_back(t);
    }
    b.g.outputs = {produced.back()};
    // Every topological order, by brute force.
    std::vector<std::vector<int>> preds(static_cast<size_t>(n));
    for (int v = 0; v < n; ++v) {
      for (int t : b.g.nodes[static_cast<size_t>(v)].inputs) {
        for (int u = 0; u < v; ++u) {
          if (b.g.nodes[static_cast<size_t>(u)].outputs[0] == t) preds[static_cast<size_t>(v)].push_back(u);
        }
      }
    }
    int64_t best = INT64_MAX;
    std::vector<int> order;
    std::vector<bool> done(static_cast<size_t>(n), false);
    std::function<void()> enumerate = [&] {
      if (static_cast<int>(order.size()) == n) {
        best = std::min(best, PeakActivationBytes(b.g, order));
        return;
      }
      for (int v = 0; v < n; ++v) {
        if (done[static_cast<size_t>(v)]) continue;
        bool ready = true;
        for (int u : preds[static_cast<size_t>(v)]) ready = ready && done[static_cast<size_t>(u)];
        if (!ready) continue;
        done[static_cast<size_t>(v)] = true;
        order.push_back(v);
        enumerate();
        order.pop_back();
        done[static_cast<size_t>(v)] = false;
      }
    };
    enumerate();
    ScheduleReport report;
    const auto chosen = ChooseExecutionOrder(b.g, {}, &report);
    EXPECT_EQ(report.peak_after, best) << "trial " << trial;
    Graph reordered = b.g;
    ApplyExecutionOrder(reordered, chosen);
    EXPECT_EQ(PlannedBound(reordered), report.peak_after) << "trial " << trial;
    EXPECT_EQ(PlannedBound(b.g), report.peak_before) << "trial " << trial;
  }
}

}  // namespace
}  // namespace kiln
