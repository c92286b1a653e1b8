#include "tune/slurm_runner.h"

#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/json_boundary.h"
#include "support/process.h"
#include "support/write_file_atomically.h"
#include "target/targets.h"

namespace kiln {

namespace fs = std::filesystem;

namespace {

constexpr int kBatchVersion = 1;

fs::path ResultPath(const fs::path& batch, int index) {
  return batch.parent_path() / fmt::format("result_{}.json", index);
}

nlohmann::json MeasurementJson(const LayerMeasurement& m) {
  return {{"error", m.error},           {"instructions", m.instructions}, {"cycles", m.cycles},
          {"flash_bytes", m.flash_bytes}, {"ram_bytes", m.ram_bytes},     {"output_digest", m.output_digest},
          {"seconds", m.seconds}};
}

LayerMeasurement MeasurementFromJson(const nlohmann::json& j) {
  LayerMeasurement m;
  m.error = j.at("error").get<std::string>();
  m.instructions = j.at("instructions").get<uint64_t>();
  m.cycles = j.at("cycles").get<uint64_t>();
  m.flash_bytes = j.at("flash_bytes").get<int64_t>();
  m.ram_bytes = j.at("ram_bytes").get<int64_t>();
  m.output_digest = j.at("output_digest").get<std::string>();
  m.seconds = j.at("seconds").get<double>();
  return m;
}

/// A group's results as the worker wrote them: one measurement per job of
/// the group, in order; empty when the file is missing or not whole.
std::vector<LayerMeasurement> ReadResults(const fs::path& path, size_t expected) {
  std::ifstream in(path);
  if (!in) return {};
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array() || j.size() != expected) return {};
  std::vector<LayerMeasurement> out;
  try {
    for (const nlohmann::json& m : j) out.push_back(MeasurementFromJson(m));
  } catch (const nlohmann::json::exception&) {
    return {};
  }
  return out;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// The last lines of a file, for an error message.
std::string Tail(const fs::path& path, size_t lines = 5) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "\n  " + all[i];
  return out;
}

}  // namespace

void SlurmRunner::Run(const std::vector<MeasureJob>& jobs, const MeasurementDone& done) {
  if (jobs.empty()) return;
  const fs::path dir = work_dir_ / fmt::format("batch_{}", batches_++);
  const fs::path batch = dir / "batch.json";
  // The groups, as array tasks: consecutive jobs, candidates_per_task each.
  const size_t per_task = static_cast<size_t>(std::max(1, options_.candidates_per_task));
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < jobs.size(); i += per_task) {
    groups.emplace_back();
    for (size_t k = i; k < std::min(jobs.size(), i + per_task); ++k) groups.back().push_back(k);
  }
  auto fail_all = [&](const std::string& why) {
    for (size_t i = 0; i < jobs.size(); ++i) {
      LayerMeasurement m;
      m.error = why;
      if (!done(i, m)) return;
    }
  };
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail_all(fmt::format("slurm: cannot create '{}': {}", dir.string(), ec.message()));
  nlohmann::json b = {{"version", kBatchVersion},
                      {"model", fs::absolute(setup_.model).string()},
                      {"input_shapes", setup_.import.input_shapes},
                      {"target", setup_.target},
                      {"board", setup_.board},
                      {"flash_budget", setup_.flash_budget},
                      {"timeout_ms", setup_.timeout.count()},
                      {"groups", nlohmann::json::array()}};
  for (const auto& group : groups) {
    nlohmann::json g = nlohmann::json::array();
    for (size_t i : group)
      g.push_back({{"task", jobs[i].task->key}, {"schedule", jobs[i].task->space[jobs[i].candidate].label()}});
    b["groups"].push_back(g);
  }
  Status written = WriteFileAtomically(batch, b.dump(1) + "\n");
  if (!written.ok()) return fail_all("slurm: " + written.message());
  fs::path kiln = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return fail_all("slurm: cannot find the kiln binary the workers run");

  std::map<size_t, std::vector<LayerMeasurement>> results;  // by group
  std::string last_error;
  for (int attempt = 0; attempt < options_.attempts && results.size() < groups.size(); ++attempt) {
    std::string array;
    for (size_t g = 0; g < groups.size(); ++g)
      if (results.count(g) == 0) array += (array.empty() ? "" : ",") + std::to_string(g);
    std::vector<std::string> argv = {"sbatch", "--wait", "--parsable", "--job-name=kiln-tune",
                                     "--array=" + array, "--output=" + (dir / "slurm_%a.log").string()};
    if (!options_.partition.empty()) argv.push_back("--partition=" + options_.partition);
    argv.insert(argv.end(), options_.sbatch_args.begin(), options_.sbatch_args.end());
    argv.push_back("--wrap=" + ShellQuote(kiln.string()) + " tune-worker " + ShellQuote(batch.string()) +
                   " \"$SLURM_ARRAY_TASK_ID\"");
    auto ran = RunProcess(argv);
    if (!ran.ok()) return fail_all("slurm: " + ran.message() + " (is slurm-client installed?)");
    // sbatch --wait fails when any array task failed: the results say which.
    if (ran->exit_code != 0) last_error = fmt::format("sbatch exited with {}: {}", ran->exit_code, ran->output);
    for (size_t g = 0; g < groups.size(); ++g) {
      if (results.count(g) != 0) continue;
      std::vector<LayerMeasurement> r = ReadResults(ResultPath(batch, static_cast<int>(g)), groups[g].size());
      if (!r.empty()) results[g] = std::move(r);
    }
  }
  // Everything gathered: the batch's files have served. Kept otherwise,
  // for the logs of what failed.
  if (results.size() == groups.size()) fs::remove_all(dir, ec);
  for (size_t g = 0; g < groups.size(); ++g) {
    auto found = results.find(g);
    for (size_t k = 0; k < groups[g].size(); ++k) {
      LayerMeasurement m;
      if (found != results.end()) {
        m = found->second[k];
      } else {
        m.error = fmt::format("slurm: array task {} gave no results in {} submissions{}{}", g, options_.attempts,
                              last_error.empty() ? "" : "; " + last_error,
                              Tail(dir / fmt::format("slurm_{}.log", g)));
      }
      if (!done(groups[g][k], m)) return;
    }
  }
}

Status RunTuneWorker(const fs::path& batch, int index) {
  std::ifstream in(batch);
  if (!in) return MakeError("cannot read batch file '{}'", batch.string());
  nlohmann::json b = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (b.is_discarded()) return MakeError("'{}' is not JSON", batch.string());
  KILN_RETURN_IF_ERROR(CheckFloatsInRange(b, batch.string()));
  return ReadingJson(batch.string(), [&]() -> Status {
    if (b.at("version").get<int>() != kBatchVersion)
      return MakeError("'{}': batch version {}, this kiln reads {}", batch.string(), b.at("version").get<int>(),
                       kBatchVersion);
    const nlohmann::json& groups = b.at("groups");
    if (index < 0 || static_cast<size_t>(index) >= groups.size())
      return MakeError("'{}' has {} groups, not a group {}", batch.string(), groups.size(), index);
    WorkerSetup setup;
    setup.model = b.at("model").get<std::string>();
    setup.import.input_shapes = b.at("input_shapes").get<std::map<std::string, Shape>>();
    setup.target = b.at("target").get<std::string>();
    setup.board = b.at("board").get<std::string>();
    setup.flash_budget = b.at("flash_budget").get<int64_t>();
    setup.timeout = std::chrono::milliseconds(b.at("timeout_ms").get<int64_t>());
    KILN_ASSIGN_OR_RETURN(const Board* board, FindBoard(setup.board));
    KILN_ASSIGN_OR_RETURN(const Target* target, FindTarget(setup.target));
    KILN_ASSIGN_OR_RETURN(Graph graph, ImportModelFile(setup.model, setup.import));
    // Every candidate a batch may name, generated points included.
    KILN_ASSIGN_OR_RETURN(std::vector<TuningTask> tasks,
                          ModelTasks(graph, target, setup.flash_budget, /*loop_nest_space=*/true));
    MeasureOptions options;
    options.target = setup.target;
    options.timeout = setup.timeout;
    nlohmann::json results = nlohmann::json::array();
    for (const nlohmann::json& job : groups[static_cast<size_t>(index)]) {
      const std::string key = job.at("task").get<std::string>();
      const std::string label = job.at("schedule").get<std::string>();
      LayerMeasurement m;
      m.error = fmt::format("the worker's model has no task {} with schedule {}", key, label);
      for (const TuningTask& task : tasks)
        for (const Schedule& s : task.space)
          if (task.key == key && s.label() == label) m = MeasureLayer(task, s, *board, options);
      results.push_back(MeasurementJson(m));
    }
    return WriteFileAtomically(ResultPath(batch, index), results.dump(1) + "\n");
  });
}

}  // namespace kiln
