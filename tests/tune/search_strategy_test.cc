// The search strategies of kiln tune (src/tune/search_strategy.cc) and the
// learned cost model (cost_model.cc), on person_detect's real tasks with
// costs from a known function: every strategy proposes only unmeasured
// candidates, grid and random are reproducible, and the model, fitted on
// other layers, ranks a held-out layer's best candidate near the top.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "driver/compile.h"
#include "kernels/select_kernels.h"
#include "target/targets.h"
#include "test_support.h"
#include "tune/cost_model.h"
#include "tune/search_strategy.h"

namespace kiln {
namespace {

std::vector<TuningTask> PersonDetectTasks() {
  auto graph = ImportModelFile(test::SharedDir() / "models" / "tflite" / "person_detect" / "model.tflite");
  EXPECT_TRUE(graph.ok()) << graph.message();
  auto kernels = SelectKernels(graph.value());
  EXPECT_TRUE(kernels.ok()) << kernels.message();
  KernelScheduleOptions options;
  options.target = FindTarget("cortex-m4").value();
  return ExtractTasks(graph.value(), kernels.value(), options);
}

/// A made-up but structured cost: the schedule sets the rate, knobs move it.
double SyntheticCost(const TuningTask& task, const Schedule& s) {
  double rate = s.name == "reference" ? 8.0 : s.name.find("dsp") != std::string::npos ? 1.5 : 3.0;
  if (s.knob("int16_weights") == 1) rate *= 0.85;
  if (s.knob("narrow_requant", 1) == 0) rate *= 1.1;
  if (s.knob("widen_rows", 1) == 0) rate *= 1.3;
  const int64_t pixels = s.knob("pixels_per_call", 4);
  rate *= 1.0 + 0.05 * std::abs(static_cast<double>(pixels) - 4.0);
  // Layers without MACs (pools) cost by the rate alone.
  return rate * static_cast<double>(std::max<int64_t>(task.macs, 1));
}

TaskState Fresh(const TuningTask& task) {
  TaskState s;
  s.task = &task;
  s.measured.assign(task.space.size(), false);
  s.cost.assign(task.space.size(), -1.0);
  return s;
}

void Measure(TaskState* state, size_t c) {
  state->measured[c] = true;
  state->cost[c] = SyntheticCost(*state->task, state->task->space[c]);
}

TEST(SearchStrategies, EachProposesOnlyUnmeasuredCandidatesUntilNoneAreLeft) {
  const std::vector<TuningTask> tasks = PersonDetectTasks();
  ASSERT_FALSE(tasks.empty());
  for (const std::string& name : SearchStrategyNames()) {
    auto strategy = MakeSearchStrategy(name, 7);
    ASSERT_TRUE(strategy.ok()) << strategy.message();
    std::vector<TaskState> states;
    for (const TuningTask& t : tasks) states.push_back(Fresh(t));
    for (TaskState& s : states) Measure(&s, 0);
    for (int round = 0; round < 200; ++round) {
      ASSERT_TRUE((*strategy)->Learn(states).ok()) << name;
      bool any = false;
      for (TaskState& s : states) {
        const std::vector<size_t> proposed = (*strategy)->Propose(s, 2);
        EXPECT_LE(proposed.size(), 2u);
        EXPECT_EQ(std::set<size_t>(proposed.begin(), proposed.end()).size(), proposed.size()) << name;
        for (size_t c : proposed) {
          ASSERT_LT(c, s.measured.size());
          EXPECT_FALSE(s.measured[c]) << name;
          Measure(&s, c);
          any = true;
        }
      }
      if (!any) break;
    }
    for (const TaskState& s : states) EXPECT_EQ(s.unmeasured(), 0u) << name << ": " << s.task->layer;
  }
  EXPECT_FALSE(MakeSearchStrategy("exhaustive", 1).ok());
}

TEST(SearchStrategies, GridAndRandomAreReproducible) {
  const std::vector<TuningTask> tasks = PersonDetectTasks();
  const TaskState state = Fresh(tasks[0]);
  auto grid = MakeSearchStrategy("grid", 1);
  std::vector<size_t> all(tasks[0].space.size());
  for (size_t c = 0; c < all.size(); ++c) all[c] = c;
  EXPECT_EQ((*grid)->Propose(state, all.size()), all);
  auto a = MakeSearchStrategy("random", 5), b = MakeSearchStrategy("random", 5), c = MakeSearchStrategy("random", 6);
  EXPECT_EQ((*a)->Propose(state, all.size()), (*b)->Propose(state, all.size()));
  EXPECT_NE((*a)->Propose(state, all.size()), all);
  EXPECT_NE((*a)->Propose(state, all.size()), (*c)->Propose(state, all.size()));
}

TEST(CostModel, LearnedOnOtherLayersItRanksAHeldOutLayersBestNearTheTop) {
  const std::vector<TuningTask> tasks = PersonDetectTasks();
  std::vector<std::string> names;
  for (const TuningTask& t : tasks)
    for (const Schedule& s : t.space)
      if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
  int held_out = 0, near_top = 0;
  for (size_t out = 0; out < tasks.size(); ++out) {
    if (tasks[out].space.size() < 6) continue;
    std::vector<std::vector<float>> rows;
    std::vector<float> labels;
    for (size_t t = 0; t < tasks.size(); ++t) {
      if (t == out) continue;
      const double reference = SyntheticCost(tasks[t], tasks[t].space[0]);
      for (const Schedule& s : tasks[t].space) {
        rows.push_back(CandidateFeatures(tasks[t], s, names));
        labels.push_back(static_cast<float>(std::log2(SyntheticCost(tasks[t], s) / reference)));
      }
    }
    CostModel model;
    ASSERT_TRUE(model.Fit(rows, labels).ok());
    std::vector<std::vector<float>> candidates;
    for (const Schedule& s : tasks[out].space) candidates.push_back(CandidateFeatures(tasks[out], s, names));
    auto predicted = model.Predict(candidates);
    ASSERT_TRUE(predicted.ok()) << predicted.message();
    ASSERT_EQ(predicted->size(), tasks[out].space.size());
    // Where the true best stands in the model's ranking.
    size_t best = 0;
    for (size_t c = 1; c < tasks[out].space.size(); ++c)
      if (SyntheticCost(tasks[out], tasks[out].space[c]) < SyntheticCost(tasks[out], tasks[out].space[best])) best = c;
    size_t rank = 0;
    for (size_t c = 0; c < predicted->size(); ++c) rank += (*predicted)[c] < (*predicted)[best] ? 1 : 0;
    ++held_out;
    near_top += rank < 3 ? 1 : 0;
  }
  ASSERT_GT(held_out, 3);
  EXPECT_GE(near_top * 4, held_out * 3) << near_top << " of " << held_out;
  CostModel unfitted;
  EXPECT_FALSE(unfitted.Predict({{1.0f}}).ok());
}

}  // namespace
}  // namespace kiln
