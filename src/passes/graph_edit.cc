#include "passes/graph_edit.h"

#include <algorithm>
#include <cstring>

namespace kiln::passes {

std::vector<int> CountUses(const Graph& graph) {
  std::vector<int> uses(graph.tensors.size(), 0);
  for (const Node& node : graph.nodes)
    for (int id : node.inputs)
      if (id != kNoTensor) ++uses[static_cast<size_t>(id)];
  for (int id : graph.outputs) ++uses[static_cast<size_t>(id)];
  return uses;
}

std::vector<int> Producers(const Graph& graph) {
  std::vector<int> producer(graph.tensors.size(), -1);
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    for (int id : graph.nodes[i].outputs) producer[static_cast<size_t>(id)] = static_cast<int>(i);
  return producer;
}

bool IsGraphOutput(const Graph& graph, int id) {
  return std::find(graph.outputs.begin(), graph.outputs.end(), id) != graph.outputs.end();
}

int AddTensor(Graph* graph, Tensor tensor) {
  graph->tensors.push_back(std::move(tensor));
  return static_cast<int>(graph->tensors.size()) - 1;
}

int AddInt32Vector(Graph* graph, const std::string& name, const std::vector<int64_t>& values) {
  Tensor t;
  t.name = name;
  t.dtype = DType::kInt32;
  t.shape = {static_cast<int32_t>(values.size())};
  t.is_constant = true;
  t.data.resize(values.size() * 4);
  for (size_t i = 0; i < values.size(); ++i) {
    const int32_t v = static_cast<int32_t>(values[i]);
    std::memcpy(t.data.data() + i * 4, &v, 4);
  }
  return AddTensor(graph, std::move(t));
}

Tensor Activation(const Tensor& like, std::string name, Shape shape) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = like.dtype;
  t.quant = like.quant;
  t.shape = std::move(shape);
  return t;
}

std::vector<int64_t> PermOf(const Graph& graph, const Node& transpose) {
  const Tensor& p = graph.tensor(transpose.inputs.at(1));
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < p.num_elements(); ++i) perm.push_back(p.int_at(i));
  return perm;
}

Shape Permute(const Shape& shape, const std::vector<int64_t>& perm) {
  Shape out;
  for (int64_t p : perm) out.push_back(shape[static_cast<size_t>(p)]);
  return out;
}

std::vector<int64_t> Inverse(const std::vector<int64_t>& perm) {
  std::vector<int64_t> inv(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) inv[static_cast<size_t>(perm[i])] = static_cast<int64_t>(i);
  return inv;
}

Tensor PermuteConstantData(const Tensor& t, const std::vector<int64_t>& perm) {
  Tensor out = t;
  const size_t rank = t.shape.size();
  out.shape = Permute(t.shape, perm);
  std::vector<int64_t> in_strides(rank, 1);
  for (size_t d = rank; d-- > 1;) in_strides[d - 1] = in_strides[d] * t.shape[d];
  const size_t esize = DTypeSize(t.dtype);
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0, n = t.num_elements(); i < n; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d) src += index[d] * in_strides[static_cast<size_t>(perm[d])];
    std::memcpy(out.data.data() + i * static_cast<int64_t>(esize), t.data.data() + src * static_cast<int64_t>(esize), esize);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < out.shape[d]) break;
      index[d] = 0;
    }
  }
  if (t.quant.per_channel())
    for (size_t d = 0; d < rank; ++d)
      if (perm[d] == t.quant.axis) out.quant.axis = static_cast<int32_t>(d);
  return out;
}

void RemoveTensors(const std::vector<bool>& drop, Graph* graph) {
  std::vector<int> remap(graph->tensors.size(), kNoTensor);
  std::vector<Tensor> kept;
  for (size_t i = 0; i < graph->tensors.size(); ++i) {
    if (i < drop.size() && drop[i]) continue;
    remap[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(graph->tensors[i]));
  }
  graph->tensors = std::move(kept);
  auto fix = [&](std::vector<int>& ids) {
    for (int& id : ids)
      if (id != kNoTensor) id = remap[static_cast<size_t>(id)];
  };
  fix(graph->inputs);
  fix(graph->outputs);
  for (Node& node : graph->nodes) {
    fix(node.inputs);
    fix(node.outputs);
  }
}

}  // namespace kiln::passes
