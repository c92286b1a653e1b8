#include "tune/tuning_task.h"

#include <map>

#include <fmt/format.h>

#include "ir/op_table.h"
#include "kernels/select_kernels.h"
#include "memory/schedule.h"
#include "support/fnv1a.h"
#include "target/targets.h"
#include "tune/search_space.h"

namespace kiln {
namespace {

std::string AttrText(const AttrValue& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  if (const auto* s = std::get_if<std::string>(&value)) return "'" + *s + "'";
  return fmt::format("[{}]", fmt::join(std::get<std::vector<int64_t>>(value), ","));
}

std::string TensorText(const Tensor& t) {
  return fmt::format("{}{}{}{}", DTypeName(t.dtype), ShapeString(t.shape), t.is_constant ? "c" : "",
                     t.quant.per_channel() ? "pc" : "");
}

/// "CONV_2D 3x3 [1,96,96,1] -> [1,48,48,8]": what a person reads.
std::string LayerLabel(const Graph& graph, const Node& node) {
  std::string label(NodeName(node));
  const Tensor* weights = node.inputs.size() > 1 ? graph.input(node, 1) : nullptr;
  if ((node.op == OpKind::kConv2D || node.op == OpKind::kDepthwiseConv2D) && weights != nullptr &&
      weights->shape.size() == 4)
    label += fmt::format(" {}x{}", weights->shape[1], weights->shape[2]);
  const Tensor* input = graph.input(node, 0);
  if (input != nullptr) label += " " + ShapeString(input->shape);
  if (!node.outputs.empty()) label += " -> " + ShapeString(graph.output(node).shape);
  return label;
}

}  // namespace

std::string TaskKey(const Graph& graph, const Node& node, const std::vector<Schedule>& space, const Target* target) {
  std::string text = fmt::format("{}|{}|", NodeName(node), target != nullptr ? target->name : "");
  for (const auto& [name, value] : node.attrs.values) text += name + "=" + AttrText(value) + ";";
  for (int id : node.inputs) text += "|in:" + (id == kNoTensor ? std::string("-") : TensorText(graph.tensor(id)));
  for (int id : node.outputs) text += "|out:" + TensorText(graph.tensor(id));
  for (const Schedule& s : space)
    if (!s.generated) text += "|" + s.label();
  return fmt::format("{:016x}", Fnv1a64(text));
}

NodeSearch SearchNode(const Graph& graph, const Node& node, const KernelEntry& kernel,
                      const KernelScheduleOptions& options) {
  NodeSearch search;
  search.space = SearchSpace(ScheduleCandidates(graph, node, kernel, options), options.target, &search.changed_knobs);
  if (search.space.size() >= 2) search.key = TaskKey(graph, node, search.space, options.target);
  return search;
}

Graph LayerGraph(const Graph& graph, const Node& node) {
  Graph layer;
  layer.name = fmt::format("{}_op{}", graph.name, node.index);
  std::map<int, int> ids;  // graph's tensor id -> layer's
  auto copy = [&](int id) {
    auto [it, added] = ids.emplace(id, static_cast<int>(layer.tensors.size()));
    if (added) layer.tensors.push_back(graph.tensor(id));
    return it->second;
  };
  Node alone = node;
  for (int& id : alone.inputs) {
    if (id == kNoTensor) continue;
    const bool seen = ids.count(id) != 0;
    const Tensor& t = graph.tensor(id);
    id = copy(id);
    if (!seen && !t.is_constant && !t.is_variable) layer.inputs.push_back(id);
  }
  for (int& id : alone.outputs) {
    id = copy(id);
    layer.outputs.push_back(id);
  }
  layer.nodes.push_back(std::move(alone));
  return layer;
}

std::vector<TuningTask> ExtractTasks(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                     const KernelScheduleOptions& options) {
  const std::vector<Schedule> defaults = ChooseSchedules(graph, kernels, options);
  std::vector<TuningTask> tasks;
  std::map<std::string, size_t> by_key;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& node = graph.nodes[i];
    NodeSearch search = SearchNode(graph, node, *kernels[i], options);
    if (search.key.empty()) continue;
    const std::string& key = search.key;
    if (auto it = by_key.find(key); it != by_key.end()) {
      tasks[it->second].nodes.push_back(static_cast<int>(i));
      continue;
    }
    TuningTask task;
    task.key = key;
    task.layer = LayerLabel(graph, node);
    task.nodes = {static_cast<int>(i)};
    task.layer_graph = LayerGraph(graph, node);
    task.macs = search.space.front().macs;
    for (size_t c = 0; c < search.space.size(); ++c)
      if (search.space[c].label() == defaults[i].label()) task.default_choice = c;
    task.space = std::move(search.space);
    task.changed_knobs = std::move(search.changed_knobs);
    by_key.emplace(key, tasks.size());
    tasks.push_back(std::move(task));
  }
  return tasks;
}

Expected<std::vector<TuningTask>> ModelTasks(const Graph& source, const Target* target, int64_t flash_budget,
                                             bool loop_nest_space) {
  Graph graph = source;
  ApplyExecutionOrder(graph, ChooseExecutionOrder(graph));
  KILN_ASSIGN_OR_RETURN(std::vector<const KernelEntry*> kernels, SelectKernels(graph));
  KernelScheduleOptions options;
  options.target = target;
  options.flash_budget_bytes = flash_budget;
  options.loop_nest_space = loop_nest_space;
  return ExtractTasks(graph, kernels, options);
}

}  // namespace kiln
