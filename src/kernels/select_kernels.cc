#include "kernels/select_kernels.h"

#include <fmt/format.h>

#include "ir/op_table.h"

namespace kiln {

std::string SupportedDTypes(OpKind op) {
  std::string out;
  for (const KernelEntry& k : AllKernels()) {
    if (k.op == op) out += (out.empty() ? "" : ", ") + std::string(DTypeName(k.dtype));
  }
  return out;
}

std::vector<UnsupportedNode> FindUnsupported(const Graph& graph) {
  std::vector<UnsupportedNode> out;
  for (const Node& node : graph.nodes) {
    if (node.op == OpKind::kUnsupported) {
      // Frontends may record why (e.g. the attribute value Kiln cannot compile).
      out.push_back({node.index, std::string(NodeName(node)),
                     node.attrs.get_string("unsupported", "operator not supported")});
      continue;
    }
    if (FindKernel(graph, node) != nullptr) continue;
    const Tensor* first = graph.input(node, 0);
    const std::string have = SupportedDTypes(node.op);
    out.push_back({node.index, std::string(NodeName(node)),
                   first == nullptr ? "input 0 is missing"
                                    : fmt::format("{} input not supported (supported: {})",
                                                  DTypeName(first->dtype),
                                                  have.empty() ? "none yet" : have)});
  }
  return out;
}

Expected<std::vector<const KernelEntry*>> SelectKernels(const Graph& graph) {
  const std::vector<UnsupportedNode> unsupported = FindUnsupported(graph);
  if (!unsupported.empty()) {
    std::string list;
    for (const UnsupportedNode& u : unsupported)
      list += fmt::format("\n  operator #{} {}: {}", u.index, u.op, u.reason);
    return MakeError("the model uses {} operator(s) Kiln cannot compile:{}", unsupported.size(), list);
  }
  std::vector<const KernelEntry*> kernels;
  for (const Node& node : graph.nodes) {
    const KernelEntry* kernel = FindKernel(graph, node);
    KILN_RETURN_IF_ERROR(kernel->check(graph, node));
    kernels.push_back(kernel);
  }
  return kernels;
}

}  // namespace kiln
