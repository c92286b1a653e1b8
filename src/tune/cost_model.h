// The learned cost model of the model-guided search: gradient-boosted trees
// (XGBoost, Debian's libxgboost-dev) fitted to what has been measured, that
// rank candidates not yet measured, so that only the promising ones reach
// the board. It learns across layers: features describe the layer's shape
// as well as the schedule and its knobs, and the label is the candidate's
// cost relative to its layer's reference schedule (docs/tuning.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernels/schedule.h"
#include "support/status.h"
#include "tune/tuning_task.h"

namespace kiln {

/// The features of one candidate: the layer's (log MACs, its tensors'
/// dimensions), the analytical cost model's estimate relative to the
/// reference's (log2), the schedule's name (one-hot over `schedule_names`)
/// and its knobs (-1 where it has none).
std::vector<float> CandidateFeatures(const TuningTask& task, const Schedule& schedule,
                                     const std::vector<std::string>& schedule_names);

class CostModel {
 public:
  CostModel();
  ~CostModel();
  CostModel(const CostModel&) = delete;
  CostModel& operator=(const CostModel&) = delete;

  /// Fits the trees to `rows` (each CandidateFeatures) and their `labels`
  /// (lower is faster). Deterministic: one thread, a fixed seed.
  Status Fit(const std::vector<std::vector<float>>& rows, const std::vector<float>& labels);
  /// Predicted labels of `rows`; an error before the first Fit.
  Expected<std::vector<float>> Predict(const std::vector<std::vector<float>>& rows) const;

 private:
  void* booster_ = nullptr;  ///< BoosterHandle
};

}  // namespace kiln
