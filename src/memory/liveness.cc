#include "memory/liveness.h"

#include <algorithm>

#include <fmt/format.h>

namespace kiln {

std::vector<Buffer> ComputeBuffers(const Graph& graph, const std::vector<ScratchRequest>& scratch) {
  const int last_node = static_cast<int>(graph.nodes.size()) - 1;
  std::vector<int> first(graph.tensors.size(), -1), last(graph.tensors.size(), -1);
  auto touch = [&](int id, int pos) {
    if (id == kNoTensor) return;
    auto i = static_cast<size_t>(id);
    if (first[i] < 0) first[i] = pos;
    last[i] = std::max(last[i], pos);
  };
  for (int pos = 0; pos <= last_node; ++pos) {
    const Node& node = graph.nodes[static_cast<size_t>(pos)];
    for (int id : node.inputs) touch(id, pos);
    for (int id : node.outputs) touch(id, pos);
  }
  auto is_io = [&](int id) {
    return std::find(graph.inputs.begin(), graph.inputs.end(), id) != graph.inputs.end() ||
           std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
  };

  std::vector<Buffer> buffers;
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    const int id = static_cast<int>(i);
    if (first[i] < 0 || t.is_constant || is_io(id)) continue;
    Buffer b;
    b.kind = Buffer::Kind::kTensor;
    b.id = id;
    b.name = fmt::format("%{}", id);
    b.size = t.bytes();
    if (t.is_variable) {
      b.pool = kStatePool;
      b.first_use = 0;
      b.last_use = last_node;
    } else {
      b.first_use = first[i];
      b.last_use = last[i];
    }
    buffers.push_back(b);
  }
  for (size_t k = 0; k < scratch.size(); ++k) {
    Buffer b;
    b.kind = Buffer::Kind::kScratch;
    b.id = static_cast<int>(k);
    b.name = fmt::format("scratch#{}", k);
    b.size = scratch[k].bytes;
    b.first_use = b.last_use = scratch[k].node_position;
    buffers.push_back(b);
  }
  return buffers;
}

}  // namespace kiln
