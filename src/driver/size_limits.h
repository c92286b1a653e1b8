// The largest model the generated C can hold. Kiln's targets are 32-bit:
// an object over PTRDIFF_MAX (2^31 - 1 bytes) cannot be declared there
// (GCC refuses the array) and pointer differences within it overflow, and
// the kernels index elements with int32. So every tensor, scratch buffer,
// pool and the constants must stay within it; a model past it is refused
// at compile time with the figure, never compiled into C that overflows.
// Whether a model fits a given part's flash and RAM is `kiln footprint
// --budget`'s question (docs/footprint.md), not this one.
#pragma once

#include <cstdint>

#include "ir/graph.h"
#include "codegen/generate_c.h"
#include "support/status.h"

namespace kiln {

/// Before lowering: each tensor's bytes, and all constants together.
Status CheckTensorSizes(const Graph& graph);

/// After lowering and planning: each buffer (tensors and operator
/// scratch), each pool, and the constants as laid out for the kernels.
Status CheckGeneratedSizes(const GeneratedCode& code);

}  // namespace kiln
