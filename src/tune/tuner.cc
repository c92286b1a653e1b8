#include "tune/tuner.h"

#include <algorithm>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "device/device_core.h"
#include "support/tool_version.h"
#include "target/targets.h"
#include "tune/measurement_runner.h"
#include "tune/search_strategy.h"

namespace kiln {
namespace {

/// One measurement to make.
struct Job {
  size_t task;
  size_t candidate;  ///< in the task's space
};

/// How many candidates of each task the plan holds: `budget` dealt out one
/// at a time, task after task, while a task has candidates left.
std::vector<int> DealBudget(const std::vector<TuningTask>& tasks, size_t budget) {
  std::vector<int> count(tasks.size(), 0);
  for (size_t dealt = 0, round = 0; dealt < budget; ++round) {
    bool any = false;
    for (size_t t = 0; t < tasks.size() && dealt < budget; ++t)
      if (round < tasks[t].space.size()) {
        ++count[t];
        ++dealt;
        any = true;
      }
    if (!any) break;
  }
  return count;
}

}  // namespace

std::optional<double> TaskOutcome::change_percent() const {
  if (best == nullptr || default_record == nullptr || !default_record->valid || default_record->cost() == 0)
    return std::nullopt;
  return 100.0 * (static_cast<double>(best->cost()) / static_cast<double>(default_record->cost()) - 1.0);
}

Expected<TuneResult> Tune(const Graph& source, const TuneOptions& options, TuneObserver* observer) {
  if (options.board == nullptr) return MakeError("kiln tune needs a board (--board)");
  if (options.jobs < 1) return MakeError("--jobs must be at least 1");
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<SearchStrategy> strategy, MakeSearchStrategy(options.strategy, options.seed));
  std::string target_name = options.target;
  int64_t flash_budget = options.flash_budget;
  UseBoardDefaults(*options.board, target_name, flash_budget);
  KILN_ASSIGN_OR_RETURN(const Target* target, FindTarget(target_name));
  {
    // A target the board cannot run would fail every measurement: say so once.
    ModelInterface build;
    build.target = target->name;
    build.target_features = target->features;
    KILN_RETURN_IF_ERROR(CheckBoardRunsBuild(build, *options.board));
  }
  TuneResult result;
  KILN_ASSIGN_OR_RETURN(result.tasks, ModelTasks(source, target, flash_budget, options.auto_schedule));
  KILN_ASSIGN_OR_RETURN(std::string compiler_line, ToolVersionLine(options.board->cc));
  TuningRecord context;  // what every record of this run shares
  context.kiln_version = KILN_VERSION;
  context.target = target->name;
  context.board = options.board->name;
  context.compiler = options.board->cc + " " + VersionNumber(compiler_line);
  context.strategy = options.strategy;

  const size_t n = result.tasks.size();
  result.outcomes.resize(n);
  std::vector<TaskState> states(n);
  std::vector<std::map<std::string, size_t>> position(n);  // candidate label -> index in the space
  for (size_t t = 0; t < n; ++t) {
    result.outcomes[t].task = &result.tasks[t];
    states[t].task = &result.tasks[t];
    states[t].measured.assign(result.tasks[t].space.size(), false);
    states[t].cost.assign(result.tasks[t].space.size(), -1.0);
    for (size_t c = 0; c < result.tasks[t].space.size(); ++c) position[t][result.tasks[t].space[c].label()] = c;
  }
  std::map<std::string, size_t> task_index;
  for (size_t t = 0; t < n; ++t) task_index[result.tasks[t].key] = t;
  // Per task and candidate, its record (nullptr: not measured).
  std::vector<std::vector<const TuningRecord*>> recorded(n);
  for (size_t t = 0; t < n; ++t) recorded[t].assign(result.tasks[t].space.size(), nullptr);

  auto settle = [&](size_t t) {
    TaskOutcome& o = result.outcomes[t];
    const TuningTask& task = result.tasks[t];
    o.invalid = 0;
    o.best = nullptr;
    o.default_record = recorded[t][task.default_choice];
    for (const TuningRecord* r : recorded[t]) {
      if (r == nullptr) continue;
      if (!r->valid) ++o.invalid;
      if (r->valid && (o.best == nullptr || r->cost() < o.best->cost())) o.best = r;
    }
  };
  auto keep = [&](size_t t, size_t c, TuningRecord record) {
    result.records.push_back(std::move(record));
    const TuningRecord* kept = &result.records.back();
    recorded[t][c] = kept;
    states[t].measured[c] = true;
    states[t].cost[c] = kept->valid ? static_cast<double>(kept->cost()) : -1.0;
    settle(t);
    return kept;
  };

  // Resume: the records of these tasks measured in the same context.
  KILN_ASSIGN_OR_RETURN(std::vector<TuningRecord> earlier, ReadTuningRecords(options.records, &result.warning));
  // The file exists from now on, empty if nothing is measured (a model
  // without tunable layers), so `kiln compile --records` can always read it.
  if (!std::ofstream(options.records, std::ios::app))
    return MakeError("cannot write tuning records '{}'", options.records.string());
  for (TuningRecord& r : earlier) {
    auto t = task_index.find(r.task);
    if (t == task_index.end()) continue;
    TuningRecord probe = context;
    probe.task = r.task;
    probe.schedule = r.schedule;
    probe.knobs = r.knobs;
    if (probe.measurement_key() != r.measurement_key()) continue;  // another kiln, board or compiler
    auto c = position[t->second].find(r.schedule_label());
    if (c == position[t->second].end()) continue;
    keep(t->second, c->second, std::move(r));
  }

  // The plan: how many candidates per task, those resumed included.
  const size_t space_total = [&] {
    size_t total = 0;
    for (const TuningTask& task : result.tasks) total += task.space.size();
    return total;
  }();
  const size_t budget = options.trials > 0 ? std::min<size_t>(static_cast<size_t>(options.trials), space_total)
                                           : space_total;
  const std::vector<int> planned = DealBudget(result.tasks, budget);
  std::vector<int> left(n);  // still to measure
  for (size_t t = 0; t < n; ++t) {
    const int have = static_cast<int>(states[t].measured.size() - states[t].unmeasured());
    result.outcomes[t].planned = std::max(planned[t], have);
    result.outcomes[t].resumed = have;
    left[t] = std::max(0, planned[t] - have);
  }
  if (observer != nullptr) observer->Planned(result.outcomes);

  MeasureOptions measure;
  measure.target = target->name;
  measure.timeout = options.timeout;
  std::unique_ptr<MeasurementRunner> runner;
  if (options.runner == "local") {
    runner = std::make_unique<LocalRunner>(*options.board, measure, options.jobs);
  } else if (options.runner == "slurm") {
    if (options.model_file.empty()) return MakeError("--runner slurm: the workers need the model's file");
    runner = std::make_unique<SlurmRunner>(
        WorkerSetup{options.model_file, options.import, target->name, options.board->name, flash_budget,
                    options.timeout},
        options.slurm, options.records.string() + ".slurm");
  } else {
    return MakeError("--runner is '{}', expected local or slurm", options.runner);
  }
  Status file_status = Status::Ok();
  auto run_jobs = [&](const std::vector<Job>& jobs) {
    std::vector<MeasureJob> measure_jobs;
    for (const Job& j : jobs) measure_jobs.push_back({&result.tasks[j.task], j.candidate});
    runner->Run(measure_jobs, [&](size_t i, const LayerMeasurement& m) {
      const Job job = jobs[i];
      const TuningTask& task = result.tasks[job.task];
      const Schedule& schedule = task.space[job.candidate];
      TuningRecord r = context;
      r.task = task.key;
      r.layer = task.layer;
      r.schedule = schedule.name;
      r.knobs = schedule.knobs;
      r.instructions = m.instructions;
      r.cycles = m.cycles;
      r.flash_bytes = m.flash_bytes;
      r.ram_bytes = m.ram_bytes;
      r.output_digest = m.output_digest;
      r.seconds = m.seconds;
      r.error = m.error;
      // Valid: it ran, and computed the reference schedule's bytes.
      const TuningRecord* reference = recorded[job.task][0];
      if (!r.error.empty()) {
        r.valid = false;
      } else if (job.candidate == 0) {
        r.valid = true;
      } else if (reference == nullptr || !reference->valid) {
        r.error = "the reference schedule did not run on this layer: nothing to check the output against";
      } else if (reference->output_digest != r.output_digest) {
        r.error = fmt::format("output bytes differ from the reference schedule's (digest {} against {})",
                              r.output_digest, reference->output_digest);
      } else {
        r.valid = true;
      }
      file_status = AppendTuningRecord(options.records, r);
      const TuningRecord* kept = keep(job.task, job.candidate, std::move(r));
      TaskOutcome& outcome = result.outcomes[job.task];
      ++outcome.measured;
      if (observer != nullptr) observer->Measured(outcome, *kept);
      // Measuring on without recording would only waste the boards.
      return file_status.ok();
    });
  };
  // Takes candidate c of task t into `jobs` if it is still unmeasured and
  // the task's plan has room.
  auto take = [&](size_t t, size_t c, std::vector<Job>* jobs) {
    if (left[t] == 0 || states[t].measured[c]) return;
    for (const Job& j : *jobs)
      if (j.task == t && j.candidate == c) return;
    jobs->push_back({t, c});
    --left[t];
  };

  // First every reference (the others are checked against its bytes), then
  // every default (what tuning must beat), then as the strategy proposes.
  std::vector<Job> jobs;
  for (size_t t = 0; t < n; ++t) take(t, 0, &jobs);
  run_jobs(jobs);
  jobs.clear();
  for (size_t t = 0; t < n; ++t) take(t, result.tasks[t].default_choice, &jobs);
  run_jobs(jobs);
  while (file_status.ok()) {
    KILN_RETURN_IF_ERROR(strategy->Learn(states));
    jobs.clear();
    // An adaptive strategy proposes a few per task each round (enough to
    // keep every job busy), then learns from them.
    const size_t per_round = std::max<size_t>(1, static_cast<size_t>(options.jobs) / std::max<size_t>(1, n));
    for (size_t t = 0; t < n; ++t) {
      if (left[t] == 0) continue;
      const size_t count = strategy->adaptive() ? std::min<size_t>(per_round, static_cast<size_t>(left[t]))
                                                : static_cast<size_t>(left[t]);
      for (size_t c : strategy->Propose(states[t], count)) take(t, c, &jobs);
    }
    if (jobs.empty()) break;
    run_jobs(jobs);
  }
  KILN_RETURN_IF_ERROR(file_status);
  return result;
}

}  // namespace kiln
