// `kiln tune --runner slurm`: the measurements as a Slurm job array. The
// driver writes a batch file (what to measure, in groups), submits one
// array task per group with `sbatch --wait`, and each array task runs
// `kiln tune-worker BATCH INDEX` on a node with a board: it measures its
// group and writes the results, complete or not at all. The driver gathers
// them and resubmits the groups whose results are missing (a node that
// died, a job that was preempted). docs/tuning.md says how to point it at a
// real cluster.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "driver/compile.h"
#include "support/status.h"
#include "tune/measurement_runner.h"

namespace kiln {

/// What a worker needs to find the same tasks the driver found: the model
/// (a path the nodes can read) and how it was imported and scheduled.
struct WorkerSetup {
  std::filesystem::path model;
  ImportOptions import;
  std::string target;
  std::string board;
  int64_t flash_budget = 0;
  std::chrono::milliseconds timeout{60000};
};

struct SlurmOptions {
  std::string partition;                 ///< sbatch --partition; empty: the cluster's default
  std::vector<std::string> sbatch_args;  ///< more sbatch options, e.g. --gres=board:1
  int candidates_per_task = 4;           ///< measurements per array task
  int attempts = 3;                      ///< submissions of a group before its jobs count as failed
};

class SlurmRunner : public MeasurementRunner {
 public:
  /// `work_dir`: where batch files, results and Slurm's logs go; the nodes
  /// must see it (a shared file system).
  SlurmRunner(WorkerSetup setup, SlurmOptions options, std::filesystem::path work_dir)
      : setup_(std::move(setup)), options_(std::move(options)), work_dir_(std::move(work_dir)) {}
  void Run(const std::vector<MeasureJob>& jobs, const MeasurementDone& done) override;

 private:
  WorkerSetup setup_;
  SlurmOptions options_;
  std::filesystem::path work_dir_;
  int batches_ = 0;
};

/// `kiln tune-worker BATCH INDEX`: measures group INDEX of the batch file
/// and writes its results beside it.
Status RunTuneWorker(const std::filesystem::path& batch, int index);

}  // namespace kiln
