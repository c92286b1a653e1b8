#include "tune/tuner.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "codegen/generate_c.h"
#include "kernels/select_kernels.h"
#include "memory/schedule.h"
#include "support/tool_version.h"
#include "target/targets.h"
#include "tune/measure_layer.h"

namespace kiln {
namespace {

/// One planned measurement.
struct Job {
  size_t task;
  size_t candidate;  ///< in the task's space
};

/// Each task's candidates in the order they are measured: the reference,
/// the default choice, then the rest as the strategy orders them.
std::vector<size_t> CandidateOrder(const TuningTask& task, const TuneOptions& options, std::mt19937_64& random) {
  std::vector<size_t> rest;
  for (size_t c = 1; c < task.space.size(); ++c)
    if (c != task.default_choice) rest.push_back(c);
  if (options.strategy == "random") std::shuffle(rest.begin(), rest.end(), random);
  std::vector<size_t> order = {0};
  if (task.default_choice != 0) order.push_back(task.default_choice);
  order.insert(order.end(), rest.begin(), rest.end());
  return order;
}

}  // namespace

Expected<TuneResult> Tune(const Graph& source, const TuneOptions& options, TuneObserver* observer) {
  if (options.board == nullptr) return MakeError("kiln tune needs a board (--board)");
  if (options.strategy != "grid" && options.strategy != "random")
    return MakeError("--strategy is '{}', expected grid or random", options.strategy);
  if (options.jobs < 1) return MakeError("--jobs must be at least 1");
  const std::string target_name = options.target.empty() ? options.board->target : options.target;
  KILN_ASSIGN_OR_RETURN(const Target* target, FindTarget(target_name));
  // The graph as `kiln compile` schedules it.
  Graph graph = source;
  ApplyExecutionOrder(graph, ChooseExecutionOrder(graph));
  KILN_ASSIGN_OR_RETURN(std::vector<const KernelEntry*> kernels, SelectKernels(graph));
  KernelScheduleOptions schedule_options;
  schedule_options.target = target;
  schedule_options.flash_budget_bytes = options.flash_budget;

  TuneResult result;
  result.tasks = ExtractTasks(graph, kernels, schedule_options);
  KILN_ASSIGN_OR_RETURN(std::string compiler_line, ToolVersionLine(options.board->cc));
  TuningRecord context;  // what every record of this run shares
  context.kiln_version = KILN_VERSION;
  context.target = target->name;
  context.board = options.board->name;
  context.compiler = options.board->cc + " " + VersionNumber(compiler_line);
  context.strategy = options.strategy;

  // Resume: the records of these tasks measured in the same context.
  std::map<std::string, size_t> task_index;
  for (size_t t = 0; t < result.tasks.size(); ++t) task_index[result.tasks[t].key] = t;
  KILN_ASSIGN_OR_RETURN(std::vector<TuningRecord> earlier, ReadTuningRecords(options.records, &result.warning));
  std::map<std::string, const TuningRecord*> done;  // by measurement_key
  std::vector<std::map<std::string, const TuningRecord*>> task_records(result.tasks.size());  // by label
  for (TuningRecord& r : earlier) {
    auto t = task_index.find(r.task);
    if (t == task_index.end()) continue;
    TuningRecord probe = context;
    probe.task = r.task;
    probe.schedule = r.schedule;
    probe.knobs = r.knobs;
    if (probe.measurement_key() != r.measurement_key()) continue;  // another kiln, board or compiler
    result.records.push_back(std::move(r));
    const TuningRecord* kept = &result.records.back();
    done[kept->measurement_key()] = kept;
    task_records[t->second][kept->schedule_label()] = kept;
  }

  // The plan: round-robin over the tasks' orders, up to `trials` in all.
  std::mt19937_64 random(options.seed);
  std::vector<std::vector<size_t>> orders;
  size_t space_total = 0;
  for (const TuningTask& task : result.tasks) {
    orders.push_back(CandidateOrder(task, options, random));
    space_total += task.space.size();
  }
  const size_t budget = options.trials > 0 ? std::min<size_t>(static_cast<size_t>(options.trials), space_total)
                                           : space_total;
  result.outcomes.resize(result.tasks.size());
  for (size_t t = 0; t < result.tasks.size(); ++t) result.outcomes[t].task = &result.tasks[t];
  std::vector<Job> references, others;
  size_t planned = 0;
  for (size_t step = 0; planned < budget; ++step)
    for (size_t t = 0; t < result.tasks.size() && planned < budget; ++t) {
      if (step >= orders[t].size()) continue;
      const size_t c = orders[t][step];
      ++planned;
      TaskOutcome& outcome = result.outcomes[t];
      ++outcome.planned;
      if (task_records[t].count(result.tasks[t].space[c].label()) != 0) {
        ++outcome.resumed;
        continue;
      }
      (c == 0 ? references : others).push_back({t, c});
    }

  // What the records say so far about each task's default and best.
  std::mutex mutex;  // guards the records, the outcomes and the file
  auto settle = [&](size_t t) {
    TaskOutcome& o = result.outcomes[t];
    const TuningTask& task = result.tasks[t];
    o.invalid = 0;
    o.best = nullptr;
    o.default_record = nullptr;
    for (const auto& [label, r] : task_records[t]) {
      if (!r->valid) ++o.invalid;
      if (r->valid && (o.best == nullptr || r->cost() < o.best->cost())) o.best = r;
      if (label == task.space[task.default_choice].label()) o.default_record = r;
    }
  };
  for (size_t t = 0; t < result.tasks.size(); ++t) settle(t);
  if (observer != nullptr) observer->Planned(result.outcomes);

  Status file_status = Status::Ok();
  MeasureOptions measure;
  measure.target = target->name;
  measure.timeout = options.timeout;
  auto run_jobs = [&](const std::vector<Job>& jobs) {
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i = next++; i < jobs.size(); i = next++) {
        {
          // Measuring on without recording would only waste the board.
          std::lock_guard<std::mutex> lock(mutex);
          if (!file_status.ok()) return;
        }
        const Job job = jobs[i];
        const TuningTask& task = result.tasks[job.task];
        const Schedule& schedule = task.space[job.candidate];
        const LayerMeasurement m = MeasureLayer(task, schedule, *options.board, measure);
        std::lock_guard<std::mutex> lock(mutex);
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
        auto reference = task_records[job.task].find(task.space[0].label());
        if (!r.error.empty()) {
          r.valid = false;
        } else if (job.candidate == 0) {
          r.valid = true;
        } else if (reference == task_records[job.task].end() || !reference->second->valid) {
          r.error = "the reference schedule did not run on this layer: nothing to check the output against";
        } else if (reference->second->output_digest != r.output_digest) {
          r.error = fmt::format("output bytes differ from the reference schedule's (digest {} against {})",
                                r.output_digest, reference->second->output_digest);
        } else {
          r.valid = true;
        }
        if (file_status.ok()) file_status = AppendTuningRecord(options.records, r);
        result.records.push_back(std::move(r));
        const TuningRecord* kept = &result.records.back();
        task_records[job.task][kept->schedule_label()] = kept;
        TaskOutcome& outcome = result.outcomes[job.task];
        ++outcome.measured;
        settle(job.task);
        if (observer != nullptr) observer->Measured(outcome, *kept);
      }
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < std::min<int>(options.jobs, static_cast<int>(jobs.size())); ++k) threads.emplace_back(worker);
    for (std::thread& th : threads) th.join();
  };
  // References first: every other candidate is checked against its bytes.
  run_jobs(references);
  run_jobs(others);
  KILN_RETURN_IF_ERROR(file_status);
  return result;
}

}  // namespace kiln
