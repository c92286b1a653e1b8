// Planner figures (a benchmark, not a test): for every shared model and
// every memory planner, with --io-in-pools (the model's inputs and outputs
// planned into the workspace, so the pools are all of an inference's RAM):
// the planned workspace bytes, the lower bound, the gap, the planning time,
// and the total beside TensorFlow Lite Micro's arena; then what
// memory-aware execution order would change. Run through
// bench/planner_figures.sh.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "codegen/generate_c.h"
#include "driver/compile.h"
#include "kernels/select_kernels.h"
#include "memory/planners.h"
#include "memory/schedule.h"

namespace fs = std::filesystem;
using namespace kiln;

namespace {

/// TensorFlow Lite Micro's peak arena on x86-64 (../shared/models/README.md).
const std::map<std::string, int64_t> kTflmArena = {{"hello_world_int8", 1184},
                                                   {"micro_speech_quantized", 7312},
                                                   {"person_detect", 85024},
                                                   {"keyword_scrambled_8bit", 9600}};

struct Model {
  std::string name;
  Graph graph;
  MemoryPlan unplaced;  // buffers, aliases and declared streams; no offsets
};

Expected<Model> Load(const fs::path& dir) {
  Model m;
  m.name = dir.filename().string();
  KILN_ASSIGN_OR_RETURN(m.graph, ImportModelFile(dir / "model.tflite"));
  KILN_ASSIGN_OR_RETURN(std::vector<const KernelEntry*> kernels, SelectKernels(m.graph));
  CodegenOptions options;
  options.planner = "linear";
  options.io_in_pools = true;
  KILN_ASSIGN_OR_RETURN(GeneratedCode code, GenerateC(m.graph, kernels, options));
  m.unplaced = code.plan;
  for (Buffer& b : m.unplaced.buffers) b.offset = -1;
  m.unplaced.pool_sizes.clear();
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path("../shared/models/tflite");
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (fs::exists(entry.path() / "model.tflite")) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) {
    fmt::print(stderr, "no models under {}\n", root.string());
    return 1;
  }

  fmt::print("with --io-in-pools; ram = every pool (inputs and outputs included), tflm = TFLite Micro's arena\n");
  fmt::print("{:<24} {:<20} {:>9} {:>9} {:>7} {:>9} {:>9} {:>10} {:>10}  {}\n", "model", "planner", "planned",
             "bound", "gap", "time_ms", "ram", "tflm-arena", "vs-tflm", "note");
  std::vector<Model> models;
  for (const fs::path& dir : dirs) {
    auto model = Load(dir);
    if (!model.ok()) {
      fmt::print("{:<24} cannot compile: {}\n", dir.filename().string(), model.message());
      continue;
    }
    for (const PlannerInfo& planner : AllPlanners()) {
      const auto start = std::chrono::steady_clock::now();
      auto plan = PlanMemory(model->unplaced, planner.name);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!plan.ok()) {
        fmt::print("{:<24} {:<20} error: {}\n", model->name, planner.name, plan.message());
        continue;
      }
      const int64_t planned = plan->pool_size(kWorkspacePool);
      const int64_t bound = plan->lower_bound(kWorkspacePool);
      const double gap = bound > 0 ? 100.0 * static_cast<double>(planned - bound) / static_cast<double>(bound) : 0.0;
      auto note = plan->notes.find(kWorkspacePool);
      // All of an inference's RAM (TFLite Micro's arena holds the inputs
      // and outputs too).
      const int64_t ram = plan->pool_size(kStatePool) + planned;
      auto tflm = kTflmArena.find(model->name);
      fmt::print("{:<24} {:<20} {:>9} {:>9} {:>6.2f}% {:>9.2f} {:>9} {:>10} {:>10}  {}\n", model->name, planner.name,
                 planned, bound, gap, ms, ram, tflm == kTflmArena.end() ? "-" : std::to_string(tflm->second),
                 tflm == kTflmArena.end()
                     ? std::string("-")
                     : fmt::format("{:.1f}%", 100.0 * static_cast<double>(ram - tflm->second) /
                                                  static_cast<double>(tflm->second)),
                 note == plan->notes.end() ? "" : note->second);
    }
    models.push_back(std::move(*model));
  }

  fmt::print("\n{:<24} {:>6} {:>12} {:>12} {:>9}  {}\n", "model", "nodes", "peak_before", "peak_after",
             "time_ms", "execution order");
  for (const Model& m : models) {
    const auto start = std::chrono::steady_clock::now();
    // Scratch counts at its node, as in the planner's buffers.
    ScheduleOptions options;
    options.node_scratch.assign(m.graph.nodes.size(), 0);
    for (const Buffer& b : m.unplaced.buffers) {
      if (b.kind == Buffer::Kind::kScratch && b.pool == kWorkspacePool)
        options.node_scratch[static_cast<size_t>(b.first_use)] += b.size;
    }
    ScheduleReport report;
    ChooseExecutionOrder(m.graph, options, &report);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{:<24} {:>6} {:>12} {:>12} {:>9.2f}  {}\n", m.name, m.graph.nodes.size(), report.peak_before,
               report.peak_after, ms, report.summary);
  }
  return 0;
}
