// Memory-aware execution order: among the topological orders of a graph,
// choose one whose peak of live activation memory is lowest. Exact (a
// dynamic programme over the sets of already-run nodes) while the number
// of such sets stays small, a beam search otherwise; deterministic; ties,
// and any order that is not strictly better, keep the original order.
//
// The memory model is liveness.cc's: an activation (a tensor that is
// neither constant, nor a model input or output, nor variable) is live from
// the first node that touches it to the last; per-node scratch may be
// given. Variable tensors live throughout in their own pool, so no order
// changes them; the nodes that touch one keep their relative order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace kiln {

struct ScheduleOptions {
  /// Scratch bytes per node position (empty: none). Counted at its node.
  std::vector<int64_t> node_scratch;
  /// The exact search gives up (and the beam search runs) when the sets of
  /// already-run nodes it must visit exceed this many.
  int64_t max_exact_states = 20'000;
  /// States kept per step by the beam search.
  int beam_width = 64;
};

struct ScheduleReport {
  /// order[k] = position in graph.nodes of the node that runs k-th.
  std::vector<int> order;
  /// Peak live activation bytes of the original order and of `order`.
  int64_t peak_before = 0;
  int64_t peak_after = 0;
  /// True when `order` is proved to have the lowest peak of all orders.
  bool exact = false;
  /// "exact" or "beam search (width W)".
  std::string method;
  /// One line for the user: which order was chosen and why.
  std::string summary;
};

/// A topological order of graph.nodes (whose order must already be one)
/// with the lowest peak the search can prove or find; the original order
/// when nothing is strictly better. Fills `report` when given.
std::vector<int> ChooseExecutionOrder(const Graph& graph, const ScheduleOptions& options = {},
                                      ScheduleReport* report = nullptr);

/// Peak live activation bytes when the nodes run in `order` (positions in
/// graph.nodes); `node_scratch` as in ScheduleOptions.
int64_t PeakActivationBytes(const Graph& graph, const std::vector<int>& order,
                            const std::vector<int64_t>& node_scratch = {});

/// Reorders graph.nodes to `order` (a permutation of positions). Node::index
/// is the operator's index in the source model, for diagnostics, and is
/// kept: it names the same operator after reordering.
void ApplyExecutionOrder(Graph& graph, const std::vector<int>& order);

}  // namespace kiln
