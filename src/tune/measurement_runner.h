// Where `kiln tune`'s measurements run: on this machine, `jobs` emulators
// at a time (LocalRunner), or as a Slurm job array (tune/slurm_runner.h).
// The tuner decides what to measure and keeps the records; a runner only
// turns jobs into measurements.
#pragma once

#include <functional>
#include <vector>

#include "device/boards.h"
#include "tune/measure_layer.h"
#include "tune/tuning_task.h"

namespace kiln {

/// One candidate of one task, to measure.
struct MeasureJob {
  const TuningTask* task = nullptr;
  size_t candidate = 0;  ///< in task->space
};

/// Called once per job with its measurement, one call at a time; returns
/// false to have the runner start no more jobs.
using MeasurementDone = std::function<bool(size_t job, const LayerMeasurement& measurement)>;

class MeasurementRunner {
 public:
  virtual ~MeasurementRunner() = default;
  /// Measures every job (or stops early when `done` says so).
  virtual void Run(const std::vector<MeasureJob>& jobs, const MeasurementDone& done) = 0;
};

/// Threads on this machine, each building and booting its own emulator.
class LocalRunner : public MeasurementRunner {
 public:
  LocalRunner(const Board& board, MeasureOptions options, int jobs)
      : board_(board), options_(std::move(options)), jobs_(jobs) {}
  void Run(const std::vector<MeasureJob>& jobs, const MeasurementDone& done) override;

 private:
  const Board& board_;
  MeasureOptions options_;
  int jobs_;
};

}  // namespace kiln
