// Small graph-editing helpers shared by the passes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace kiln::passes {

/// How many node inputs plus graph outputs refer to each tensor.
std::vector<int> CountUses(const Graph& graph);
/// Index of the node that writes each tensor, or -1.
std::vector<int> Producers(const Graph& graph);
/// True when `id` is one of the graph's outputs.
bool IsGraphOutput(const Graph& graph, int id);
/// Adds a tensor and returns its id.
int AddTensor(Graph* graph, Tensor tensor);
/// Adds an int32 vector constant.
int AddInt32Vector(Graph* graph, const std::string& name, const std::vector<int64_t>& values);
/// A non-constant tensor like `like` (dtype, quantization) with another shape.
Tensor Activation(const Tensor& like, std::string name, Shape shape);
/// The permutation held by a TRANSPOSE node's constant perm input.
std::vector<int64_t> PermOf(const Graph& graph, const Node& transpose);
/// `shape` permuted: out[i] = shape[perm[i]].
Shape Permute(const Shape& shape, const std::vector<int64_t>& perm);
/// The inverse permutation.
std::vector<int64_t> Inverse(const std::vector<int64_t>& perm);
/// Drops the tensors `drop` marks (ids past its end are kept), renumbering
/// the rest in the graph's inputs, outputs and nodes. The dropped tensors
/// must be referenced by no node and no graph input or output.
void RemoveTensors(const std::vector<bool>& drop, Graph* graph);
/// A constant's data permuted like a TRANSPOSE with `perm` would.
Tensor PermuteConstantData(const Tensor& t, const std::vector<int64_t>& perm);

}  // namespace kiln::passes
