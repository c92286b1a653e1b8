// Kernel selection: pairs each node with the kernel that compiles it, and
// reports, all at once, every node Kiln cannot compile.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "support/status.h"

namespace kiln {

/// Why one node cannot be compiled.
struct UnsupportedNode {
  int index;             ///< operator index in the model
  std::string op;        ///< "GATHER", "CONV_2D"
  std::string reason;    ///< "operator not supported", "int16 input not supported (have: int8, float32)"
};

/// Nodes without a kernel for their operator and dtype, in model order.
std::vector<UnsupportedNode> FindUnsupported(const Graph& graph);

/// One kernel per node (same order as graph.nodes), after running every
/// kernel's check. Fails listing every unsupported node, or with the first
/// check failure.
Expected<std::vector<const KernelEntry*>> SelectKernels(const Graph& graph);

/// Dtypes Kiln has kernels for, per operator: "int8, float32".
std::string SupportedDTypes(OpKind op);

}  // namespace kiln
