// Names from a model file are arbitrary bytes; every place that prints or
// writes them (metadata.json, C comments, the HTML report, the SVG, the
// terminal) needs valid UTF-8 without control characters. The importers
// make them so once, at the gate, the same way for every name.
#pragma once

#include <string>
#include <string_view>

#include "ir/graph.h"
#include "support/utf8.h"

namespace kiln {

/// Applies PrintableName to the graph's and every tensor's name, every
/// node's source operator name and string attributes.
void MakeNamesPrintable(Graph* graph);

}  // namespace kiln
