#include "ir/printable_names.h"

#include "support/utf8.h"

namespace kiln {

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
