// How `kiln tune` shows its progress: on a terminal, a bar for the whole
// run and one per task, redrawn in place (trials done, best so far, time
// left); otherwise one plain line per measurement, for logs and CI.
#pragma once

#include <chrono>
#include <cstdio>
#include <vector>

#include "tune/tuner.h"

namespace kiln::cli {

class TuneProgress : public TuneObserver {
 public:
  /// `jobs`: measurements at a time, for the time left.
  TuneProgress(std::FILE* out, bool terminal, int jobs) : out_(out), terminal_(terminal), jobs_(jobs) {}

  void Planned(const std::vector<TaskOutcome>& tasks) override;
  void Measured(const TaskOutcome& task, const TuningRecord& record) override;

 private:
  void Redraw();

  std::FILE* out_;
  bool terminal_;
  int jobs_;
  std::vector<const TaskOutcome*> tasks_;
  int to_measure_ = 0;
  int measured_ = 0;
  double measuring_seconds_ = 0;  ///< summed over measurements
  int drawn_lines_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace kiln::cli
