// A deterministic text form of the IR, for `kiln inspect --ir`, for the
// MLF archive's src/ folder, and for tests that assert on a graph.
#pragma once

#include <string>

#include "ir/graph.h"

namespace kiln {

/// One line per tensor, then one line per node, in a stable format:
///   %3 = const int8[16,1] q(scale=0.00403, zp=0) "dense/kernel"
///   #0 FULLY_CONNECTED(%0, %6, %5) -> (%7) {activation="RELU", keep_num_dims=0}
std::string PrintGraph(const Graph& graph);

/// "int8[1,16] q(scale=0.0133, zp=-128)": the type part of a tensor line.
std::string PrintTensorType(const Tensor& tensor);

/// `{a=1, b="x"}`, attributes sorted by name; empty string when none.
std::string PrintAttrs(const Attrs& attrs);

}  // namespace kiln
