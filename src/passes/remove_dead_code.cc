// Pass: remove nodes whose outputs nothing reads, then every tensor no node
// and no graph input or output refers to, renumbering the rest.
// Expects a valid graph; guarantees the same graph outputs, and that every
// remaining tensor is used (so code generation emits no stray constants).
#include "passes/graph_edit.h"
#include "kernels/select_kernels.h"
#include "passes/onnx_passes.h"

namespace kiln {

Status RemoveDeadCode(Graph* graph) {
  // Nodes, backwards: a node is live when any output is used.
  std::vector<bool> needed(graph->tensors.size(), false);
  for (int id : graph->outputs) needed[static_cast<size_t>(id)] = true;
  std::vector<Node> kept;
  for (size_t i = graph->nodes.size(); i-- > 0;) {
    Node& node = graph->nodes[i];
    // ASSIGN_VARIABLE has no output: its effect is the state it writes.
    bool live = node.op == OpKind::kUnsupported || node.op == OpKind::kAssignVariable;
    for (int id : node.outputs) live = live || needed[static_cast<size_t>(id)];
    if (!live) continue;
    for (int id : node.inputs)
      if (id != kNoTensor) needed[static_cast<size_t>(id)] = true;
    kept.push_back(std::move(node));
  }
  graph->nodes.assign(std::make_move_iterator(kept.rbegin()), std::make_move_iterator(kept.rend()));

  // Tensors: keep the referenced ones, in their original order.
  std::vector<bool> used(graph->tensors.size(), false);
  for (int id : graph->inputs) used[static_cast<size_t>(id)] = true;
  for (int id : graph->outputs) used[static_cast<size_t>(id)] = true;
  for (const Node& node : graph->nodes) {
    for (int id : node.inputs)
      if (id != kNoTensor) used[static_cast<size_t>(id)] = true;
    for (int id : node.outputs) used[static_cast<size_t>(id)] = true;
  }
  std::vector<bool> unused(used.size());
  for (size_t i = 0; i < used.size(); ++i) unused[i] = !used[i];
  passes::RemoveTensors(unused, graph);
  return Status::Ok();
}

namespace {

Status RunFloatPasses(Graph* graph) {
  KILN_RETURN_IF_ERROR(FoldChannelAffine(graph));
  KILN_RETURN_IF_ERROR(ConvertLayout(graph));
  KILN_RETURN_IF_ERROR(CancelTransposes(graph));
  return RemoveDeadCode(graph);
}

}  // namespace

Status RunOnnxPasses(Graph* graph, bool fuse_qdq) {
  Graph fused = *graph;
  if (fuse_qdq && FuseQdq(&fused) > 0 && RunFloatPasses(&fused).ok() && SelectKernels(fused).ok()) {
    *graph = std::move(fused);
    return Status::Ok();
  }
  ClearFloatQuantization(graph);
  return RunFloatPasses(graph);
}

}  // namespace kiln
