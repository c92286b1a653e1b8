#include "tune/search_strategy.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "support/fnv1a.h"
#include "tune/cost_model.h"

namespace kiln {

size_t TaskState::unmeasured() const { return static_cast<size_t>(std::count(measured.begin(), measured.end(), false)); }

namespace {

std::vector<size_t> Unmeasured(const TaskState& state) {
  std::vector<size_t> out;
  for (size_t c = 0; c < state.measured.size(); ++c)
    if (!state.measured[c]) out.push_back(c);
  return out;
}

/// The search space's order.
class GridSearch : public SearchStrategy {
 public:
  bool adaptive() const override { return false; }
  std::vector<size_t> Propose(const TaskState& state, size_t count) override {
    std::vector<size_t> out = Unmeasured(state);
    out.resize(std::min(out.size(), count));
    return out;
  }
};

/// A shuffle of the space, fixed per task by the seed and the task's key
/// (so a resumed run continues the same order).
class RandomSearch : public SearchStrategy {
 public:
  explicit RandomSearch(uint64_t seed) : seed_(seed) {}
  bool adaptive() const override { return false; }
  std::vector<size_t> Propose(const TaskState& state, size_t count) override {
    std::vector<size_t> order(state.measured.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 random(Fnv1a64(state.task->key, seed_));
    std::shuffle(order.begin(), order.end(), random);
    std::vector<size_t> out;
    for (size_t c : order)
      if (!state.measured[c] && out.size() < count) out.push_back(c);
    return out;
  }

 private:
  uint64_t seed_;
};

/// How far apart two candidates are: a differing schedule name counts 2,
/// each differing knob 1.
int Distance(const Schedule& a, const Schedule& b) {
  int d = a.name == b.name ? 0 : 2;
  std::map<std::string, int64_t> knobs = a.knobs;
  for (const auto& [k, v] : b.knobs) knobs.emplace(k, v);
  for (const auto& [k, v] : knobs) d += a.knob(k, -1) != b.knob(k, -1) ? 1 : 0;
  return d;
}

/// Simulated annealing over the space: a walk that moves to a measured
/// candidate when it is better, or worse with probability exp(-delta / T)
/// (T falling each step), and proposes the unmeasured candidates nearest
/// to where it stands.
class AnnealingSearch : public SearchStrategy {
 public:
  explicit AnnealingSearch(uint64_t seed) : random_(seed) {}
  bool adaptive() const override { return true; }
  std::vector<size_t> Propose(const TaskState& state, size_t count) override {
    Walk& walk = walks_[state.task->key];
    const auto& space = state.task->space;
    // Move: consider every newly measured candidate in turn.
    for (size_t c = 0; c < space.size(); ++c) {
      if (!state.measured[c] || state.cost[c] < 0 || walk.seen.count(c) != 0) continue;
      walk.seen.insert(c);
      if (walk.at < 0 || state.cost[c] < walk.cost) {
        walk.at = static_cast<int>(c);
        walk.cost = state.cost[c];
      } else {
        const double delta = (state.cost[c] - walk.cost) / walk.cost;
        std::uniform_real_distribution<double> u(0.0, 1.0);
        if (u(random_) < std::exp(-delta / walk.temperature)) {
          walk.at = static_cast<int>(c);
          walk.cost = state.cost[c];
        }
      }
      walk.temperature *= 0.85;
    }
    std::vector<size_t> out = Unmeasured(state);
    const Schedule& here = space[static_cast<size_t>(std::max(walk.at, 0))];
    // Nearest first; ties broken at random, so the walk explores.
    std::vector<std::pair<int, uint64_t>> keys(space.size());
    for (size_t c : out) keys[c] = {Distance(here, space[c]), random_()};
    std::sort(out.begin(), out.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
    out.resize(std::min(out.size(), count));
    return out;
  }

 private:
  struct Walk {
    int at = -1;
    double cost = 0;
    double temperature = 0.1;  ///< a 10% worse candidate is accepted with probability 1/e at first
    std::set<size_t> seen;
  };
  std::mt19937_64 random_;
  std::map<std::string, Walk> walks_;
};

/// Model-guided: the learned cost model (tune/cost_model.h), refitted to
/// every valid measurement of every task before each round, ranks the
/// unmeasured candidates; the best predicted are measured. Until eight
/// candidates besides the references have been measured, the analytical
/// cost model's estimates rank them.
class ModelGuidedSearch : public SearchStrategy {
 public:
  explicit ModelGuidedSearch(uint64_t seed) : tie_order_(seed) {}
  bool adaptive() const override { return true; }

  Status Learn(const std::vector<TaskState>& tasks) override {
    names_.clear();
    for (const TaskState& t : tasks)
      for (const Schedule& s : t.task->space)
        if (std::find(names_.begin(), names_.end(), s.name) == names_.end()) names_.push_back(s.name);
    std::sort(names_.begin(), names_.end());
    std::vector<std::vector<float>> rows;
    std::vector<float> labels;
    size_t informative = 0;  // rows other than the references (whose label is 0 by definition)
    for (const TaskState& t : tasks) {
      // The label: log2 of the cost relative to the task's reference.
      const double reference = t.cost.empty() ? -1 : t.cost[0];
      if (reference <= 0) continue;
      for (size_t c = 0; c < t.cost.size(); ++c) {
        if (t.cost[c] <= 0) continue;
        rows.push_back(CandidateFeatures(*t.task, t.task->space[c], names_));
        labels.push_back(static_cast<float>(std::log2(t.cost[c] / reference)));
        informative += c != 0 ? 1 : 0;
      }
    }
    fitted_ = false;
    if (informative < kMinimumRows) return Status::Ok();
    KILN_RETURN_IF_ERROR(model_.Fit(rows, labels));
    fitted_ = true;
    return Status::Ok();
  }

  std::vector<size_t> Propose(const TaskState& state, size_t count) override {
    std::vector<size_t> out = Unmeasured(state);
    if (out.empty()) return {};
    std::vector<float> predicted;
    if (fitted_) {
      std::vector<std::vector<float>> rows;
      for (size_t c : out) rows.push_back(CandidateFeatures(*state.task, state.task->space[c], names_));
      auto p = model_.Predict(rows);
      if (p.ok()) predicted = std::move(*p);
    }
    if (predicted.size() != out.size()) {
      // No trees yet: the analytical cost model's estimate is the prior. It
      // estimates the kernel's own knob values, so among equal estimates
      // those come first.
      predicted.clear();
      const std::vector<int>& changed = state.task->changed_knobs;
      for (size_t c : out)
        predicted.push_back(static_cast<float>(state.task->space[c].expected_instructions) *
                            (1.0f + 0.01f * static_cast<float>(c < changed.size() ? changed[c] : 0)));
    }
    // Equal predictions (candidates the trees cannot tell apart) in the
    // random search's order, not the space's.
    const std::vector<size_t> shuffled = tie_order_.Propose(state, out.size());
    std::vector<size_t> tie(state.measured.size());
    for (size_t k = 0; k < shuffled.size(); ++k) tie[shuffled[k]] = k;
    std::vector<size_t> rank(out.size());
    std::iota(rank.begin(), rank.end(), 0);
    std::sort(rank.begin(), rank.end(), [&](size_t a, size_t b) {
      return predicted[a] != predicted[b] ? predicted[a] < predicted[b] : tie[out[a]] < tie[out[b]];
    });
    std::vector<size_t> best;
    for (size_t r = 0; r < rank.size() && best.size() < count; ++r) best.push_back(out[rank[r]]);
    return best;
  }

 private:
  static constexpr size_t kMinimumRows = 8;
  CostModel model_;
  bool fitted_ = false;
  std::vector<std::string> names_;
  RandomSearch tie_order_;  ///< the order of equal predictions
};

}  // namespace

std::vector<std::string> SearchStrategyNames() { return {"grid", "random", "annealing", "model"}; }

Expected<std::unique_ptr<SearchStrategy>> MakeSearchStrategy(const std::string& name, uint64_t seed) {
  if (name == "grid") return std::unique_ptr<SearchStrategy>(new GridSearch());
  if (name == "random") return std::unique_ptr<SearchStrategy>(new RandomSearch(seed));
  if (name == "annealing") return std::unique_ptr<SearchStrategy>(new AnnealingSearch(seed));
  if (name == "model") return std::unique_ptr<SearchStrategy>(new ModelGuidedSearch(seed));
  return MakeError("--strategy is '{}', expected grid, random, annealing or model", name);
}

}  // namespace kiln
