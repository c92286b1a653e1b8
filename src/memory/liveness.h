// Liveness analysis: from a graph (and the scratch each node asked for) to
// the list of buffers a planner must place, with their live intervals.
#pragma once

#include <vector>

#include "ir/graph.h"
#include "memory/memory_plan.h"

namespace kiln {

struct ScratchRequest {
  int node_position;  ///< index into Graph::nodes
  int64_t bytes;
};

/// Activations (neither constant, nor a model input/output, nor variable)
/// live from the node that writes them to the last node that reads them;
/// variable tensors go to the state pool, live throughout; scratch lives
/// during its node only. Model inputs and outputs are caller memory and
/// get no buffer.
std::vector<Buffer> ComputeBuffers(const Graph& graph, const std::vector<ScratchRequest>& scratch);

}  // namespace kiln
