// The graph executor's module (`kiln compile --executor graph`,
// docs/graph-executor.md): the model as a blob of data, and the C that
// runs any blob whose calls it has. The same kernels, the same planned
// pools, the same interface (kiln_<m>_run()) as the AoT module.
#pragma once

#include "codegen/generate_c.h"
#include "codegen/lowered_module.h"
#include "support/status.h"

namespace kiln {

/// Writes into `out`: kiln_<m>.h (the AoT interface plus graph_load and
/// graph_run), kiln_<m>.c (the pools, one entry point per distinct call,
/// the firmware's call table, run() over the built-in blob),
/// kiln_<m>_graph.c (the blob as an array) and the blob file itself.
Status EmitGraphModule(const LoweredModule& lowered, const CodegenOptions& options, GeneratedCode* out);

}  // namespace kiln
