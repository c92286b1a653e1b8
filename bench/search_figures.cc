// Search figures for kiln tune (a benchmark, not a test): how many
// measurements each search strategy needs to find a layer's best schedule,
// replayed on a complete grid of real measurements (a records file of
// `kiln tune --strategy grid` with every candidate measured). Each strategy
// proposes as it would on the board, round by round across all the model's
// layers, but its "measurements" are read from the records: the replay is
// exact and costs no board time. Unlike `kiln tune`, no strategy is handed
// the cost model's default first. Run through bench/tune_figures.sh.
//   search_figures MODEL RECORDS [SEEDS] [--auto-schedule]
// With --auto-schedule the tasks' spaces include the points generated from
// the loop nest (kiln tune --auto-schedule), as the records must then.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "driver/compile.h"
#include "kernels/gemm_lowering.h"
#include "target/targets.h"
#include "tune/search_strategy.h"
#include "tune/tuning_records.h"

using namespace kiln;

namespace {

/// Per task, the measurements after which the best so far is within 2% of
/// the task's best (the reference, measured first, counts as one).
std::vector<int> Replay(const std::string& strategy_name, uint64_t seed, const std::vector<TuningTask>& tasks,
                        const std::vector<std::vector<double>>& costs, std::vector<std::vector<double>>* curves) {
  auto strategy = MakeSearchStrategy(strategy_name, seed);
  std::vector<TaskState> states(tasks.size());
  std::vector<int> reached(tasks.size(), -1);
  std::vector<double> best(tasks.size(), -1), target(tasks.size());
  curves->assign(tasks.size(), {});
  for (size_t t = 0; t < tasks.size(); ++t) {
    states[t].task = &tasks[t];
    states[t].measured.assign(tasks[t].space.size(), false);
    states[t].cost.assign(tasks[t].space.size(), -1.0);
    double lowest = -1;
    for (double c : costs[t])
      if (c > 0 && (lowest < 0 || c < lowest)) lowest = c;
    target[t] = lowest * 1.02;
  }
  auto measure = [&](size_t t, size_t c) {
    states[t].measured[c] = true;
    states[t].cost[c] = costs[t][c];
    if (costs[t][c] > 0 && (best[t] < 0 || costs[t][c] < best[t])) best[t] = costs[t][c];
    const int count = static_cast<int>(states[t].measured.size() - states[t].unmeasured());
    (*curves)[t].push_back(best[t]);
    if (reached[t] < 0 && best[t] > 0 && best[t] <= target[t]) reached[t] = count;
  };
  for (size_t t = 0; t < tasks.size(); ++t) measure(t, 0);
  for (bool any = true; any;) {
    any = false;
    if (!(*strategy)->Learn(states).ok()) std::abort();
    for (size_t t = 0; t < tasks.size(); ++t)
      for (size_t c : (*strategy)->Propose(states[t], 1)) {
        measure(t, c);
        any = true;
      }
  }
  return reached;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: search_figures MODEL RECORDS [SEEDS]\n");
    return 2;
  }
  const int seeds = argc > 3 ? std::atoi(argv[3]) : 20;
  const bool loop_nest_space = argc > 4 && std::string(argv[4]) == "--auto-schedule";
  auto records = ReadTuningRecords(argv[2]);
  auto graph = ImportModelFile(argv[1]);
  if (!records.ok() || !graph.ok() || records->empty()) {
    fmt::print(stderr, "search_figures: {}\n", !records.ok() ? records.message() : graph.ok() ? "no records" : graph.message());
    return 1;
  }
  auto target = FindTarget(records->front().target);
  auto all_tasks = ModelTasks(*graph, *target, 0, loop_nest_space);
  if (!target.ok() || !all_tasks.ok()) return 1;
  std::map<std::string, double> measured;  // task + label -> cost (-1: invalid)
  for (const TuningRecord& r : *records)
    measured[r.task + "|" + r.schedule_label()] = r.valid ? static_cast<double>(r.cost()) : -1.0;
  // Only tasks whose every candidate was measured can be replayed.
  std::vector<TuningTask> tasks;
  std::vector<std::vector<double>> costs;
  for (TuningTask& task : *all_tasks) {
    std::vector<double> c;
    for (const Schedule& s : task.space) {
      auto it = measured.find(task.key + "|" + s.label());
      if (it == measured.end()) break;
      c.push_back(it->second);
    }
    if (c.size() != task.space.size()) continue;
    tasks.push_back(std::move(task));
    costs.push_back(std::move(c));
  }
  fmt::print("{} of {} layers measured on every candidate; replayed with {} seeds per strategy\n\n", tasks.size(),
             all_tasks->size(), seeds);
  const std::vector<std::string> strategies = {"grid", "random", "annealing", "model"};
  std::map<std::string, std::vector<double>> mean;  // per strategy, per task
  std::map<std::string, std::vector<std::vector<double>>> first_curves;
  for (const std::string& s : strategies) {
    mean[s].assign(tasks.size(), 0);
    const int runs = s == "grid" ? 1 : seeds;
    for (int seed = 1; seed <= runs; ++seed) {
      std::vector<std::vector<double>> curves;
      const std::vector<int> reached = Replay(s, static_cast<uint64_t>(seed), tasks, costs, &curves);
      for (size_t t = 0; t < tasks.size(); ++t) mean[s][t] += static_cast<double>(reached[t]) / runs;
      if (seed == 1) first_curves[s] = curves;
    }
  }
  fmt::print("measurements to come within 2% of the layer's best (mean over seeds; the reference counts as 1)\n");
  fmt::print("{:<46} {:>10}", "layer", "candidates");
  for (const std::string& s : strategies) fmt::print(" {:>10}", s);
  fmt::print("\n");
  std::map<std::string, double> total;
  for (size_t t = 0; t < tasks.size(); ++t) {
    fmt::print("{:<46.46} {:>10}", tasks[t].layer, tasks[t].space.size());
    for (const std::string& s : strategies) {
      fmt::print(" {:>10.1f}", mean[s][t]);
      total[s] += mean[s][t];
    }
    fmt::print("\n");
  }
  fmt::print("{:<46} {:>10}", "all layers", "");
  for (const std::string& s : strategies) fmt::print(" {:>10.1f}", total[s]);
  fmt::print("\nmodel-guided / random: {:.2f}\n", total["model"] / total["random"]);
  // The two layers with the most candidates: best found (relative to the
  // layer's best) after each measurement, seed 1.
  std::vector<size_t> order(tasks.size());
  for (size_t t = 0; t < order.size(); ++t) order[t] = t;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tasks[a].space.size() > tasks[b].space.size(); });
  for (size_t k = 0; k < std::min<size_t>(2, order.size()); ++k) {
    const size_t t = order[k];
    const double best = *std::min_element(first_curves["grid"][t].begin(), first_curves["grid"][t].end(),
                                          [](double a, double b) { return (a > 0 ? a : 1e300) < (b > 0 ? b : 1e300); });
    fmt::print("\n{} ({} candidates): best so far / best, after each measurement (seed 1)\n", tasks[t].layer,
               tasks[t].space.size());
    for (const std::string& s : strategies) {
      fmt::print("  {:<10}", s);
      for (double v : first_curves[s][t]) fmt::print(" {}", v > 0 ? fmt::format("{:.2f}", v / best) : "-");
      fmt::print("\n");
    }
  }
  // The generated points' estimates (a count of the loop nest) against
  // their measured cycles: the ratio's median and spread, how well the
  // count ranks them, and whether its first pick is the measured best.
  bool any_generated = false;
  for (size_t t = 0; t < tasks.size(); ++t) {
    std::vector<std::pair<double, double>> points;  // (count, measured)
    for (size_t c = 0; c < tasks[t].space.size(); ++c)
      if (tasks[t].space[c].generated && costs[t][c] > 0)
        points.emplace_back(static_cast<double>(ExpectedCost(tasks[t].space[c], CostIsa::kArm)), costs[t][c]);
    if (points.size() < 2) continue;
    if (!any_generated) {
      fmt::print("\ngenerated points: measured cycles / the nest's count (median, 10th-90th percentile), "
                 "Spearman's rank correlation, and the measured rank of the count's first pick\n");
      any_generated = true;
    }
    std::vector<double> ratios;
    for (const auto& [count, cycles] : points) ratios.push_back(cycles / count);
    std::sort(ratios.begin(), ratios.end());
    auto percentile = [&](double q) { return ratios[static_cast<size_t>(q * static_cast<double>(ratios.size() - 1))]; };
    // Ranks by each value (ties broken by position: the counts of
    // different points rarely tie).
    auto ranks = [&](bool measured_side) {
      std::vector<size_t> order(points.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return measured_side ? points[a].second < points[b].second : points[a].first < points[b].first;
      });
      std::vector<double> rank(points.size());
      for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<double>(i);
      return rank;
    };
    const std::vector<double> by_count = ranks(false), by_measured = ranks(true);
    double d2 = 0;
    size_t first_pick = 0;
    for (size_t i = 0; i < points.size(); ++i) {
      d2 += (by_count[i] - by_measured[i]) * (by_count[i] - by_measured[i]);
      if (by_count[i] == 0) first_pick = static_cast<size_t>(by_measured[i]) + 1;
    }
    const double n = static_cast<double>(points.size());
    fmt::print("  {:<46.46} {:>4} points: {:.2f} ({:.2f}-{:.2f}), Spearman {:.2f}, first pick measured #{}\n",
               tasks[t].layer, points.size(), percentile(0.5), percentile(0.1), percentile(0.9),
               1.0 - 6.0 * d2 / (n * (n * n - 1.0)), first_pick);
  }
  return 0;
}
