#include "ir/printable_names.h"

#include <fmt/format.h>

#include "support/utf8.h"

namespace kiln {

std::string PrintableName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0 || b < 0x20 || b == 0x7F) {
      out += fmt::format("\\x{:02x}", b);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void MakeNamesPrintable(Graph* graph) {
  graph->name = PrintableName(graph->name);
  for (Tensor& t : graph->tensors) t.name = PrintableName(t.name);
  for (Node& n : graph->nodes) {
    n.source_op = PrintableName(n.source_op);  // a custom operator's name
    for (auto& [name, value] : n.attrs.values)
      if (auto* text = std::get_if<std::string>(&value)) *text = PrintableName(*text);
  }
}

}  // namespace kiln
