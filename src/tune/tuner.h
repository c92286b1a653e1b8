// `kiln tune`: measures candidate schedules of a model's distinct layers on
// an emulated board and appends what it measured to a records file
// (docs/tuning.md). Measurements run here or on a Slurm cluster
// (tune/measurement_runner.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "device/boards.h"
#include "ir/graph.h"
#include "support/status.h"
#include "tune/slurm_runner.h"
#include "tune/tuning_records.h"
#include "tune/tuning_task.h"

namespace kiln {

struct TuneOptions {
  std::string target;            ///< whose schedules (default: the board's processor)
  const Board* board = nullptr;  ///< where they are measured
  /// Candidates per model, resumed ones included, shared round-robin among
  /// the tasks (each task's reference and default first); 0: every
  /// candidate of every task.
  int trials = 0;
  int jobs = 2;  ///< measurements at a time
  std::filesystem::path records;
  /// How each task's other candidates are chosen (tune/search_strategy.h):
  /// grid, random, annealing or model.
  std::string strategy = "grid";
  /// Also search the spaces generated from each layer's loop nest
  /// (kernels/gemm_tiled.h; docs/tuning.md).
  bool auto_schedule = false;
  uint64_t seed = 1;
  int64_t flash_budget = 0;  ///< as `kiln compile --flash-budget` (0: the board's default, UseBoardDefaults): which default it is measured against
  std::chrono::milliseconds timeout{60000};  ///< per board request
  /// Where measurements run: "local" (`jobs` emulators here) or "slurm"
  /// (a job array; tune/slurm_runner.h).
  std::string runner = "local";
  SlurmOptions slurm;
  /// The model file and how it was imported: Slurm's workers import it again.
  std::filesystem::path model_file;
  ImportOptions import;
};

/// What one task came to.
struct TaskOutcome {
  const TuningTask* task = nullptr;
  int planned = 0;   ///< candidates of the plan
  int resumed = 0;   ///< of them, found in the records already
  int measured = 0;  ///< measured by this run
  int invalid = 0;   ///< failed, or bytes unlike the reference's (all records of the task)
  /// The default schedule's record and the best valid one (nullptr: none yet).
  const TuningRecord* default_record = nullptr;
  const TuningRecord* best = nullptr;
  /// The best's cost against the valid default's, in percent (-5.0: 5%
  /// faster); nullopt until both are known.
  std::optional<double> change_percent() const;
};

/// Told of progress as it happens (from the measuring threads, one call at
/// a time).
class TuneObserver {
 public:
  virtual ~TuneObserver() = default;
  /// The plan, before the first measurement.
  virtual void Planned(const std::vector<TaskOutcome>& tasks) = 0;
  /// After each measurement; `task` has been updated.
  virtual void Measured(const TaskOutcome& task, const TuningRecord& record) = 0;
};

struct TuneResult {
  std::vector<TuningTask> tasks;
  /// Every record of these tasks, old and new (a deque: outcomes point into it).
  std::deque<TuningRecord> records;
  std::vector<TaskOutcome> outcomes;  ///< per task; pointers into the two above
  std::string warning;                ///< about the records file, if any
};

/// Tunes `graph` (imported, as `kiln compile` takes it).
Expected<TuneResult> Tune(const Graph& graph, const TuneOptions& options, TuneObserver* observer);

}  // namespace kiln
