#include "tune/cost_model.h"

#include <algorithm>
#include <cmath>

#include <xgboost/c_api.h>

#include "kernels/depthwise_tiled.h"
#include "kernels/gemm_tiled.h"

namespace kiln {
namespace {

// The hand-listed schedules' knobs, then the loop nests' (kernels/gemm_tiled.h,
// kernels/depthwise_tiled.h).
constexpr const char* kKnobs[] = {kInt16WeightsKnob, kNarrowRequantKnob, "pixels_per_call", kWidenRowsKnob,
                                  kTileRowsKnob,     kTileColsKnob,      kUnrollKnob,       kColsOuterKnob,
                                  kHoistLoadsKnob,   kTilePixelsKnob,    kTileQuadsKnob,    kPadCopyKnob,
                                  kUnrollTapsKnob};
constexpr size_t kDims = 4;  ///< dimensions kept per tensor

void AddShape(const Shape& shape, std::vector<float>* out) {
  for (size_t d = 0; d < kDims; ++d) out->push_back(d < shape.size() ? static_cast<float>(shape[d]) : -1.0f);
}

/// A matrix XGBoost owns, freed with its scope.
struct Matrix {
  DMatrixHandle handle = nullptr;
  ~Matrix() {
    if (handle != nullptr) XGDMatrixFree(handle);
  }
};

Status Check(int rc, const char* what) {
  if (rc != 0) return MakeError("cost model: {} failed: {}", what, XGBGetLastError());
  return Status::Ok();
}

Status MakeMatrix(const std::vector<std::vector<float>>& rows, Matrix* m) {
  if (rows.empty()) return MakeError("cost model: no rows");
  const size_t cols = rows[0].size();
  std::vector<float> flat;
  flat.reserve(rows.size() * cols);
  for (const auto& r : rows) flat.insert(flat.end(), r.begin(), r.end());
  return Check(XGDMatrixCreateFromMat(flat.data(), rows.size(), cols, std::nanf(""), &m->handle), "XGDMatrixCreateFromMat");
}

}  // namespace

std::vector<float> CandidateFeatures(const TuningTask& task, const Schedule& schedule,
                                     const std::vector<std::string>& schedule_names) {
  std::vector<float> f;
  f.push_back(std::log2(static_cast<float>(std::max<int64_t>(task.macs, 1))));
  // The analytical cost model's estimate (kernels/schedule.h), relative to
  // the reference's: the prior the trees correct.
  f.push_back(std::log2(static_cast<float>(std::max<int64_t>(schedule.expected_instructions, 1)) /
                        static_cast<float>(std::max<int64_t>(task.space.front().expected_instructions, 1))));
  const Graph& g = task.layer_graph;
  const Node& node = g.nodes.front();
  for (size_t slot = 0; slot < 2; ++slot) {
    const Tensor* t = slot < node.inputs.size() ? g.input(node, slot) : nullptr;
    AddShape(t != nullptr ? t->shape : Shape{}, &f);
  }
  AddShape(g.output(node).shape, &f);
  for (const std::string& name : schedule_names) f.push_back(schedule.name == name ? 1.0f : 0.0f);
  for (const char* knob : kKnobs) f.push_back(static_cast<float>(schedule.knob(knob, -1)));
  return f;
}

CostModel::CostModel() = default;

CostModel::~CostModel() {
  if (booster_ != nullptr) XGBoosterFree(booster_);
}

Status CostModel::Fit(const std::vector<std::vector<float>>& rows, const std::vector<float>& labels) {
  Matrix train;
  KILN_RETURN_IF_ERROR(MakeMatrix(rows, &train));
  KILN_RETURN_IF_ERROR(Check(XGDMatrixSetFloatInfo(train.handle, "label", labels.data(), labels.size()), "labels"));
  if (booster_ != nullptr) XGBoosterFree(booster_);
  booster_ = nullptr;
  KILN_RETURN_IF_ERROR(Check(XGBoosterCreate(&train.handle, 1, &booster_), "XGBoosterCreate"));
  // Small data (tens to hundreds of rows): shallow trees, a modest rate.
  const std::pair<const char*, const char*> params[] = {
      {"nthread", "1"}, {"seed", "1"}, {"max_depth", "4"}, {"eta", "0.3"}, {"min_child_weight", "1"},
      {"objective", "reg:squarederror"}, {"verbosity", "0"}};
  for (const auto& [key, value] : params) KILN_RETURN_IF_ERROR(Check(XGBoosterSetParam(booster_, key, value), key));
  for (int iteration = 0; iteration < 40; ++iteration)
    KILN_RETURN_IF_ERROR(Check(XGBoosterUpdateOneIter(booster_, iteration, train.handle), "XGBoosterUpdateOneIter"));
  return Status::Ok();
}

Expected<std::vector<float>> CostModel::Predict(const std::vector<std::vector<float>>& rows) const {
  if (booster_ == nullptr) return MakeError("cost model: predicting before fitting");
  Matrix m;
  KILN_RETURN_IF_ERROR(MakeMatrix(rows, &m));
  bst_ulong length = 0;
  const float* out = nullptr;
  KILN_RETURN_IF_ERROR(Check(XGBoosterPredict(booster_, m.handle, 0, 0, 0, &length, &out), "XGBoosterPredict"));
  return std::vector<float>(out, out + length);
}

}  // namespace kiln
