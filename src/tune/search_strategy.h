// The order in which `kiln tune` measures each task's candidates, after the
// reference and the default: `--strategy` grid, random, annealing or
// model (docs/tuning.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/status.h"
#include "tune/tuning_task.h"

namespace kiln {

/// What has been measured of one task.
struct TaskState {
  const TuningTask* task = nullptr;
  std::vector<bool> measured;  ///< per candidate of task->space
  /// Per candidate: its cost when measured and valid; negative otherwise.
  std::vector<double> cost;
  size_t unmeasured() const;
};

class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  /// Whether proposals depend on what was measured: then each round asks
  /// for a few candidates per task and measures them before asking again.
  virtual bool adaptive() const = 0;
  /// Before each round, everything measured so far, all tasks.
  virtual Status Learn(const std::vector<TaskState>& /*tasks*/) { return Status::Ok(); }
  /// Up to `count` unmeasured candidates of `state`'s task (indices into
  /// its space), the most promising first.
  virtual std::vector<size_t> Propose(const TaskState& state, size_t count) = 0;
};

/// "grid", "random", "annealing" or "model"; `seed` drives what is random.
Expected<std::unique_ptr<SearchStrategy>> MakeSearchStrategy(const std::string& name, uint64_t seed);

/// The names MakeSearchStrategy accepts.
std::vector<std::string> SearchStrategyNames();

}  // namespace kiln
