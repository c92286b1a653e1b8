// Liveness analysis: from a graph (and what its lowering asked of memory)
// to the list of buffers a planner must place, with their live intervals.
#pragma once

#include <map>
#include <vector>

#include "ir/graph.h"
#include "memory/access_pattern.h"
#include "memory/memory_plan.h"

namespace kiln {

struct ScratchRequest {
  int node_position;  ///< index into Graph::nodes
  int64_t bytes;
};

/// What the kernels' lowering asked of memory, besides the tensors.
struct MemoryRequests {
  std::vector<ScratchRequest> scratch;
  /// Declared access patterns, in tensor ids (memory/access_pattern.h).
  std::vector<StreamingAccess> streams;
  /// Reshape-like outputs that are their input's bytes: output -> input.
  std::map<int, int> aliases;
};

/// The buffers of a graph. Activations (neither constant, nor a model
/// input/output, nor variable) live from the node that writes them to the
/// last node that reads them, through any alias of them; an aliased tensor
/// has no buffer of its own. Variable tensors go to the state pool, live
/// throughout; scratch lives during its node only. Model inputs and outputs
/// are caller memory and get no buffer, unless `io_in_pools`: then each is a
/// workspace buffer, an input live from the first step (the caller writes it
/// before run()), an output to the last (the caller reads it after). A declared stream whose input dies
/// at its node marks the output buffer as allowed to overlap the input.
/// `streams` and `aliases` of the returned plan are filled (alias chains
/// resolved to the tensor that owns the buffer).
MemoryPlan ComputeBuffers(const Graph& graph, const MemoryRequests& requests, bool io_in_pools = false);

}  // namespace kiln
