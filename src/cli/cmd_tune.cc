// `kiln tune MODEL --board B`: measure the candidate schedules of each
// distinct layer on an emulated board, append the figures to a records
// file, and show what tuning gained (docs/tuning.md).
#include <unistd.h>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "cli/tune_progress.h"
#include "driver/compile.h"
#include "tune/search_strategy.h"
#include "tune/tuner.h"

namespace kiln::cli {
namespace {

struct TuneArgs {
  std::string model, board, records;
  std::vector<std::string> shapes;
  double timeout_seconds = 60;
  TuneOptions options;
};

void PrintSummary(const TuneResult& result, const TuneOptions& options) {
  fmt::print("\n{:<44} {:>5}  {:<46} {:>11}  {:<46} {:>11} {:>7}  {}\n", "layer", "nodes", "default schedule", "cost",
             "best valid schedule", "cost", "change", "measured (resumed, invalid)");
  uint64_t before = 0, after = 0;
  bool cycles = false;
  for (const TaskOutcome& o : result.outcomes) {
    const TuningRecord* d = o.default_record;
    const TuningRecord* b = o.best;
    const std::string default_cost = d != nullptr && d->valid ? std::to_string(d->cost()) : "-";
    const std::string best_cost = b != nullptr ? std::to_string(b->cost()) : "-";
    std::string change = "-";
    if (const auto percent = o.change_percent()) {
      change = fmt::format("{:+.1f}%", *percent);
      const uint64_t nodes = o.task->nodes.size();
      before += d->cost() * nodes;
      after += b->cost() * nodes;
      cycles = cycles || b->cycles != 0;
    }
    fmt::print("{:<44.44} {:>5}  {:<46.46} {:>11}  {:<46.46} {:>11} {:>7}  {} ({}, {})\n", o.task->layer,
               o.task->nodes.size(), o.task->space[o.task->default_choice].label(), default_cost,
               b != nullptr ? b->schedule_label() : "-", best_cost, change, o.measured, o.resumed, o.invalid);
  }
  if (before > 0)
    fmt::print("tuned layers, every node counted: {} -> {} {} ({:+.1f}%)\n", before, after,
               cycles ? "estimated cycles" : "instructions",
               100.0 * (static_cast<double>(after) / static_cast<double>(before) - 1.0));
  fmt::print("records: {}\napply them: kiln compile MODEL --target {} --records {}\n", options.records.string(),
             options.target.empty() ? options.board->target : options.target, options.records.string());
}

}  // namespace

void RegisterTune(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("tune", "Measure each layer's candidate schedules on an emulated board and keep "
                                             "the figures in a records file (kiln compile --records applies them)");
  static TuneArgs a;
  cmd->add_option("model", a.model, "TFLite (.tflite) or ONNX (.onnx) model")->required();
  cmd->add_option("--board", a.board, "Emulated board the candidates run on (qemu-cortex-m4, qemu-rv32, ...)")->required();
  cmd->add_option("--target", a.options.target, "Processor whose schedules are tuned (default: the board's)")
      ->check(CLI::IsMember(TargetNames()));
  cmd->add_option("--trials", a.options.trials,
                  "Candidates to measure for the whole model, those already in the records included, shared "
                  "among the layers (0: all of them)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("-j,--jobs", a.options.jobs, "Measurements at a time (each its own emulator)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--records", a.records, "Records file (JSON lines) to resume from and append to "
                                          "(default: <model>.tune.jsonl in the current directory)");
  cmd->add_option("--strategy", a.options.strategy,
                  "How each layer's candidates are chosen: grid (in order), random, annealing (simulated "
                  "annealing over the knobs), model (ranked by a cost model learned from the measurements)")
      ->check(CLI::IsMember(SearchStrategyNames()))
      ->capture_default_str();
  cmd->add_flag("--auto-schedule", a.options.auto_schedule,
               "Also search the spaces generated from each layer's loop nest: tilings of the matrix multiply of "
               "convolutions and fully connected layers, and of depthwise convolutions (Cortex-M with DSP; "
               "docs/tuning.md)");
  cmd->add_option("--seed", a.options.seed, "Seed of the random strategy")->capture_default_str();
  cmd->add_option("--timeout", a.timeout_seconds, "Seconds a board may take to answer before it counts as hung")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--runner", a.options.runner,
                  "Where measurements run: local (-j emulators here), or slurm (a Slurm job array; the model, "
                  "the records' folder and kiln must be visible to the nodes)")
      ->check(CLI::IsMember({"local", "slurm"}))
      ->capture_default_str();
  cmd->add_option("--slurm-partition", a.options.slurm.partition, "With --runner slurm: the partition of the boards");
  cmd->add_option("--sbatch-arg", a.options.slurm.sbatch_args,
                  "With --runner slurm: another sbatch option, e.g. --gres=board:1 (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--slurm-batch", a.options.slurm.candidates_per_task,
                  "With --runner slurm: candidates measured per array task")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  AddFlashBudgetOption(cmd, &a.options.flash_budget, "As kiln compile --flash-budget: which default is measured");
  AddImportOptions(cmd, &a.shapes);
  cmd->callback([exit_code] {
    auto board = FindBoard(a.board);
    if (!board.ok()) {
      *exit_code = ReportError(board.message());
      return;
    }
    a.options.board = *board;
    a.options.timeout = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_seconds * 1000));
    a.options.records = a.records.empty() ? std::filesystem::path(a.model).stem().string() + ".tune.jsonl" : a.records;
    auto import = ParseImportOptions(a.shapes);
    if (!import.ok()) {
      *exit_code = ReportError(import.message());
      return;
    }
    a.options.model_file = a.model;
    a.options.import = *import;
    auto graph = ImportModelFile(a.model, *import);
    if (!graph.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", a.model, graph.message()));
      return;
    }
    TuneProgress progress(stdout, isatty(STDOUT_FILENO) != 0, a.options.jobs);
    auto result = Tune(*graph, a.options, &progress);
    if (!result.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", a.model, result.message()));
      return;
    }
    if (!result->warning.empty()) fmt::print(stderr, "kiln: warning: {}\n", result->warning);
    if (result->tasks.empty()) {
      fmt::print("nothing to tune: no layer of {} has more than one schedule on {}\n", a.model,
                 a.options.target.empty() ? a.options.board->target : a.options.target);
      *exit_code = kExitOk;
      return;
    }
    PrintSummary(*result, a.options);
    *exit_code = kExitOk;
  });
}

void RegisterTuneWorker(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("tune-worker", "One array task of kiln tune --runner slurm");
  cmd->group("");  // run by Slurm for kiln tune, not by a user: kept out of --help
  static std::string batch;
  static int index = 0;
  cmd->add_option("batch", batch, "The batch file kiln tune wrote")->required();
  cmd->add_option("index", index, "Which group of it to measure ($SLURM_ARRAY_TASK_ID)")->required();
  cmd->callback([exit_code] {
    Status ran = RunTuneWorker(batch, index);
    *exit_code = ran.ok() ? kExitOk : ReportError(ran.message());
  });
}

}  // namespace kiln::cli
