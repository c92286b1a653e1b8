// Tuning tasks: the distinct layers of a model, each measured once however
// many times it occurs. A layer is its operator, attributes, tensor shapes
// and dtypes, quantisation class (per-tensor or per-channel) and the
// schedules and knob values open to it on the target (which the layer's
// data decides in part: narrow_requant); two nodes that agree on all of it
// share a task and its measurements.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "kernels/schedule.h"
#include "support/status.h"

namespace kiln {

struct TuningTask {
  /// 16 hex digits: FNV-1a of everything that defines the layer (above).
  std::string key;
  /// For people: "CONV_2D 1x1 [1,48,48,16] -> [1,48,48,32]".
  std::string layer;
  /// Positions in graph.nodes (execution order) of the nodes that share it.
  std::vector<int> nodes;
  /// The first of those nodes alone: its activations become the graph's
  /// inputs and outputs, its constants (weights, bias) stay.
  Graph layer_graph;
  /// What may be measured (tune/search_space.h), the reference first.
  std::vector<Schedule> space;
  /// Per candidate, how many knobs differ from the kernel's own choice.
  std::vector<int> changed_knobs;
  /// The position in `space` of the schedule `kiln compile` picks by default.
  size_t default_choice = 0;
  /// Multiply-accumulates of one run of the layer.
  int64_t macs = 0;
};

/// The task key of `node` with the search space `space` on `target`.
std::string TaskKey(const Graph& graph, const Node& node, const std::vector<Schedule>& space, const Target* target);

/// What tuning sees of one node: its search space (tune/search_space.h)
/// with each candidate's changed knobs, and its task key. `key` is empty
/// when the node has nothing to tune (a single candidate).
struct NodeSearch {
  std::vector<Schedule> space;
  std::vector<int> changed_knobs;
  std::string key;
};
NodeSearch SearchNode(const Graph& graph, const Node& node, const KernelEntry& kernel,
                      const KernelScheduleOptions& options);

/// The tasks of a graph whose kernels are selected (`kernels` in the order of
/// graph.nodes), for what `options` allow: only layers with more than one
/// candidate on the target, in the order they first run.
std::vector<TuningTask> ExtractTasks(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                     const KernelScheduleOptions& options);

/// The tasks of an imported model as `kiln compile` schedules it for
/// `target` with `flash_budget` (0: the target's default): its execution
/// order applied, its kernels selected, then ExtractTasks; with
/// `loop_nest_space`, the spaces generated from the loop nests too
/// (`--auto-schedule`; the tasks' keys are the same either way).
Expected<std::vector<TuningTask>> ModelTasks(const Graph& source, const Target* target, int64_t flash_budget,
                                             bool loop_nest_space = false);

/// `node` of `graph` as a graph of its own (TuningTask::layer_graph).
Graph LayerGraph(const Graph& graph, const Node& node);

}  // namespace kiln
