// Names from a model file are arbitrary bytes; every place that prints or
// writes them (metadata.json, C comments, the HTML report, the SVG, the
// terminal) needs valid UTF-8 without control characters. The importers
// make them so once, at the gate, the same way for every name.
#pragma once

#include <string>
#include <string_view>

#include "ir/graph.h"

namespace kiln {

/// `text` with every byte that is not part of a valid UTF-8 sequence, and
/// every control character, written as the four characters "\xNN".
/// Printable text, including multi-byte UTF-8, is unchanged.
std::string PrintableName(std::string_view text);

/// Applies PrintableName to the graph's and every tensor's name, every
/// node's source operator name and string attributes.
void MakeNamesPrintable(Graph* graph);

}  // namespace kiln
