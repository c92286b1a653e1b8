#include "memory/liveness.h"

#include <algorithm>

#include <fmt/format.h>

#include "ir/op_table.h"

namespace kiln {

MemoryPlan ComputeBuffers(const Graph& graph, const MemoryRequests& requests, bool io_in_pools) {
  MemoryPlan plan;
  auto owner = [&](int id) {
    for (auto it = requests.aliases.find(id); it != requests.aliases.end(); it = requests.aliases.find(id))
      id = it->second;
    return id;
  };
  for (const auto& [alias, source] : requests.aliases) plan.aliases[alias] = owner(source);

  const int last_node = static_cast<int>(graph.nodes.size()) - 1;
  std::vector<int> first(graph.tensors.size(), -1), last(graph.tensors.size(), -1);
  auto touch = [&](int id, int pos) {
    if (id == kNoTensor) return;
    auto i = static_cast<size_t>(owner(id));
    if (first[i] < 0) first[i] = pos;
    last[i] = std::max(last[i], pos);
  };
  for (int pos = 0; pos <= last_node; ++pos) {
    const Node& node = graph.nodes[static_cast<size_t>(pos)];
    for (int id : node.inputs) touch(id, pos);
    for (int id : node.outputs) touch(id, pos);
  }
  // A WHILE loop runs its operators again: what it reads from before the
  // loop, and its variables, stay live to the loop's end.
  std::vector<int> open_loops;
  for (int pos = 0; pos <= last_node; ++pos) {
    const Node& node = graph.nodes[static_cast<size_t>(pos)];
    if (node.op != OpKind::kWhile) continue;
    const std::string part = node.attrs.get_string("part", "");
    if (part == "begin") open_loops.push_back(pos);
    if (part != "end" || open_loops.empty()) continue;
    const int begin = open_loops.back();
    open_loops.pop_back();
    for (size_t i = 0; i < first.size(); ++i)
      if (first[i] >= 0 && first[i] <= begin && last[i] >= begin) last[i] = std::max(last[i], pos);
  }
  auto is_io = [&](int id) {
    return std::find(graph.inputs.begin(), graph.inputs.end(), id) != graph.inputs.end() ||
           std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
  };
  if (io_in_pools) {
    for (int id : graph.inputs) {
      auto i = static_cast<size_t>(owner(id));
      first[i] = 0;
      last[i] = std::max(last[i], 0);
    }
    for (int id : graph.outputs) {
      auto i = static_cast<size_t>(owner(id));
      if (first[i] < 0) first[i] = 0;
      last[i] = std::max(last_node, 0);
    }
  }

  // The operator class that writes each buffer's bytes (for --pin op:CLASS).
  std::vector<std::string> writer(graph.tensors.size());
  for (const Node& node : graph.nodes)
    for (int id : node.outputs)  // an alias's operator writes nothing
      if (id != kNoTensor && !requests.aliases.count(id) && writer[static_cast<size_t>(owner(id))].empty())
        writer[static_cast<size_t>(owner(id))] = std::string(NodeName(node));
  std::map<int, size_t> buffer_of;  // tensor id -> index in plan.buffers
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    const int id = static_cast<int>(i);
    if (first[i] < 0 || t.is_constant || (is_io(id) && !io_in_pools) || plan.aliases.count(id)) continue;
    Buffer b;
    b.kind = Buffer::Kind::kTensor;
    b.id = id;
    b.name = fmt::format("%{}", id);
    b.tensor_name = t.name;
    b.op = writer[i];
    b.size = t.bytes();
    if (t.is_variable) {
      b.pool = kStatePool;
      b.first_use = 0;
      b.last_use = last_node;
    } else {
      b.first_use = first[i];
      b.last_use = last[i];
    }
    buffer_of[id] = plan.buffers.size();
    plan.buffers.push_back(b);
  }
  for (size_t k = 0; k < requests.scratch.size(); ++k) {
    Buffer b;
    b.kind = Buffer::Kind::kScratch;
    b.id = static_cast<int>(k);
    b.name = fmt::format("scratch#{}", k);
    b.size = requests.scratch[k].bytes;
    b.op = std::string(NodeName(graph.nodes[static_cast<size_t>(requests.scratch[k].node_position)]));
    b.first_use = b.last_use = requests.scratch[k].node_position;
    plan.buffers.push_back(b);
  }

  // A stream may overlap its input only where the input dies at the node
  // that writes the output; each buffer streams over at most one other.
  std::vector<bool> streamed_over(plan.buffers.size(), false);
  for (StreamingAccess access : requests.streams) {
    access.input_tensor = owner(access.input_tensor);
    access.output_tensor = owner(access.output_tensor);
    auto in = buffer_of.find(access.input_tensor), out = buffer_of.find(access.output_tensor);
    if (in == buffer_of.end() || out == buffer_of.end()) continue;
    Buffer& input = plan.buffers[in->second];
    Buffer& output = plan.buffers[out->second];
    if (input.pool != kWorkspacePool || output.pool != kWorkspacePool || input.last_use != output.first_use ||
        !output.streams_from.empty() || streamed_over[in->second])
      continue;
    output.streams_from = input.name;
    output.stream_distance = SafeOverlapDistance(access);
    streamed_over[in->second] = true;
    plan.streams.push_back(access);
  }
  return plan;
}

}  // namespace kiln
