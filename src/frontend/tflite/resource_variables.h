// TFLite's resource variables, resolved at import: each VAR_HANDLE's
// (container, shared_name) becomes one state tensor of the graph (a
// variable, in the state pool, persisting between runs), READ_VARIABLE and
// ASSIGN_VARIABLE take that tensor in place of the resource handle, and
// CALL_ONCE's init subgraph runs at compile time: its constant assignments
// become the variables' initial values (what reset() restores). The handles,
// VAR_HANDLE and CALL_ONCE leave the graph (docs/reference-semantics.md).
#pragma once

#include <functional>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"
#include "tflite_schema_generated.h"

namespace kiln::tflite {

/// Imports tensor `index` of a subgraph, constant data included.
using SubgraphTensorImporter = std::function<Expected<Tensor>(const tflite_fb::SubGraph&, int index)>;

/// `graph` is subgraph 0 as imported, `is_resource[id]` true for its tensors
/// of TFLite type RESOURCE. A model without resource variables is left as it is.
Status ResolveResourceVariables(const tflite_fb::Model& model, const std::vector<bool>& is_resource,
                                const SubgraphTensorImporter& import_tensor, Graph* graph);

}  // namespace kiln::tflite
