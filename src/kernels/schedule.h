// Schedules: how a kernel computes one node. A kernel may offer several
// schedules for a node (the reference loops, a matrix multiply in portable
// C, one using the Arm DSP extension ...); each has knobs, values the
// lowering reads (pixels per call, weight layout ...), and an estimate of the
// instructions it costs. Choosing them is its own stage of the pipeline,
// between kernel selection and lowering (it decides the scratch each node
// asks the planner for), so that a tuner can replace the default choice.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln {

struct KernelEntry;
struct Target;

/// The schedule of one node.
struct Schedule {
  /// "reference" (the kernel's plain loops, every target), or a name the
  /// kernel defines: "gemm", "gemm_dsp", "im2col_gemm_dsp", "depthwise_dsp" ...
  std::string name = "reference";
  /// Knob values, by name; what each means is the kernel's to document
  /// (docs/schedules.md).
  std::map<std::string, int64_t> knobs;
  /// ISA features (target/targets.h) whose instructions this schedule uses.
  std::vector<std::string> features;
  /// Multiply-accumulates of the node (0 for operators without them).
  int64_t macs = 0;
  /// The cost model's estimate of Cortex-M instructions (docs/schedules.md).
  int64_t expected_instructions = 0;
  /// Estimated Cortex-M4 cycles per instruction of the code, where the
  /// kernel knows them for this layer; 0: the cost model's figure for the
  /// schedule (ExpectedCost).
  double cycles_per_instruction = 0.0;
  /// Flash the schedule's constants take beyond the smallest layout of its
  /// operator (weights widened to int16, say): what the flash budget pays.
  int64_t extra_flash_bytes = 0;
  /// RAM the schedule takes beyond its operator's leanest fast schedule
  /// (four planes where one would do): kept only where the memory plan's
  /// pools do not grow for it (GenerateCFittingRam, codegen/fit_extra_ram.h).
  int64_t extra_ram_bytes = 0;
  /// Set when a `kiln tune` record chose this schedule (`--records`): the
  /// task's key and the records file's name. Empty: the cost model chose.
  std::string tuned_task;
  std::string tuning_records;
  /// A point of a space generated from the layer's loop nest (`kiln tune
  /// --auto-schedule`, docs/tuning.md): its estimate is the loop nest's,
  /// not fitted to measurements, so only a measurement (a record) ever
  /// chooses it; and the task key leaves it out, as the layer's shape
  /// decides it.
  bool generated = false;

  int64_t knob(std::string_view name, int64_t fallback = 0) const;
  /// "gemm_dsp(int16_weights=1,narrow_requant=1)": name and knobs, which
  /// together say what the lowering does.
  std::string label() const;
};

/// "name(knob=value,...)", knobs in name order; the name alone without knobs.
std::string ScheduleLabel(std::string_view name, const std::map<std::string, int64_t>& knobs);

/// Whether `target` has every feature `schedule` uses (nullptr: portable C,
/// no feature).
bool TargetRuns(const Target* target, const Schedule& schedule);

/// What decides between schedules.
struct KernelScheduleOptions {
  /// The processor; nullptr: portable C only (no ISA feature assumed).
  const Target* target = nullptr;
  /// "speed" or "size" (`--opt`): "size" keeps the reference schedules,
  /// whose code and constants are the smallest (docs/schedules.md).
  std::string opt = "speed";
  /// `--flash-budget`: the flash the firmware may take (0: the target's
  /// typical part's). Schedules with extra_flash_bytes are chosen while the
  /// model's constants stay within half of it.
  int64_t flash_budget_bytes = 0;
  /// Also offer the points of the spaces generated from each layer's loop
  /// nest (Schedule::generated).
  bool loop_nest_space = false;
};

/// The schedules `kernel` offers for `node` (after its check passed), the
/// reference first. Kernels without a candidates function offer only it.
std::vector<Schedule> ScheduleCandidates(const Graph& graph, const Node& node, const KernelEntry& kernel,
                                         const KernelScheduleOptions& options);

/// The lowest expected cost among `node`'s candidates that the target runs
/// (with opt "size" the reference); with `lean`, among those that add
/// neither constants nor scratch (extra_flash_bytes, extra_ram_bytes).
Schedule BestSchedule(const Graph& graph, const Node& node, const KernelEntry& kernel,
                      const KernelScheduleOptions& options, bool lean);

/// The default choice per node (same order as graph.nodes): among the
/// candidates whose features the target has, the lowest expected cost
/// (ExpectedCost: estimated cycles on Arm, instructions on RV32); the
/// reference on ties, and always with opt "size". Then the flash budget:
/// schedules that add constants keep them, the most cost saved per added
/// byte first, while the graph's constants
/// and the added bytes stay within half the budget; the others fall back to
/// their node's best schedule that adds neither constants nor scratch.
/// Schedules with extra_ram_bytes stay: the memory plan decides on them
/// (GenerateCFittingRam, codegen/fit_extra_ram.h).
std::vector<Schedule> ChooseSchedules(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                      const KernelScheduleOptions& options);

}  // namespace kiln
