// Pass: NCHW -> NHWC. Kiln's kernels are NHWC (as TFLite's); ONNX models are
// NCHW. Every node with attribute layout="NCHW" (CONV_2D, DEPTHWISE_CONV_2D,
// AVERAGE_POOL_2D, MAX_POOL_2D from the ONNX importer) is rewritten as
//   TRANSPOSE(0,2,3,1) -> the NHWC node -> TRANSPOSE(0,3,1,2)
// with the filter converted at compile time (OIHW -> OHWI, depthwise
// [M,1,KH,KW] -> [1,KH,KW,M]; a non-constant filter gets a TRANSPOSE).
// Expects: rank-4 NCHW operands. Guarantees: no node carries `layout`; the
// graph's tensors keep their ONNX shapes, so model inputs and outputs stay
// NCHW. cancel_transposes removes the transposes between neighbours.
#include "passes/graph_edit.h"
#include "passes/onnx_passes.h"

namespace kiln {
namespace {

const std::vector<int64_t> kToNhwc = {0, 2, 3, 1};
const std::vector<int64_t> kToNchw = {0, 3, 1, 2};

/// Adds TRANSPOSE(input, perm) to `out_nodes` and returns the new tensor.
int Transpose(Graph* graph, std::vector<Node>* out_nodes, int index, int input, const std::vector<int64_t>& perm,
              const std::string& suffix) {
  const Tensor& in = graph->tensor(input);
  Tensor t = passes::Activation(in, in.name + suffix, passes::Permute(in.shape, perm));
  const std::string name = t.name;
  const int out = passes::AddTensor(graph, std::move(t));
  Node node;
  node.index = index;
  node.op = OpKind::kTranspose;
  node.source_op = "(layout)";
  node.inputs = {input, passes::AddInt32Vector(graph, name + "/perm", perm)};
  node.outputs = {out};
  out_nodes->push_back(std::move(node));
  return out;
}

}  // namespace

Status ConvertLayout(Graph* graph) {
  std::vector<Node> nodes;
  for (Node& node : graph->nodes) {
    if (node.attrs.get_string("layout") != "NCHW") {
      nodes.push_back(std::move(node));
      continue;
    }
    node.attrs.values.erase("layout");
    const int x = Transpose(graph, &nodes, node.index, node.inputs[0], kToNhwc, "/nhwc");
    node.inputs[0] = x;
    if (node.op == OpKind::kConv2D || node.op == OpKind::kDepthwiseConv2D) {
      const std::vector<int64_t> perm =
          node.op == OpKind::kConv2D ? std::vector<int64_t>{0, 2, 3, 1} : std::vector<int64_t>{1, 2, 3, 0};
      const Tensor& filter = graph->tensor(node.inputs[1]);
      if (filter.is_constant) {
        Tensor converted = passes::PermuteConstantData(filter, perm);
        converted.name = filter.name + (node.op == OpKind::kConv2D ? "/ohwi" : "/1hwm");
        node.inputs[1] = passes::AddTensor(graph, std::move(converted));
      } else {
        node.inputs[1] = Transpose(graph, &nodes, node.index, node.inputs[1], perm, "/filter_nhwc");
      }
    }
    const int y = node.outputs[0];
    const Tensor& out = graph->tensor(y);
    const int y_nhwc = passes::AddTensor(graph, passes::Activation(out, out.name + "/nhwc", passes::Permute(out.shape, kToNhwc)));
    node.outputs[0] = y_nhwc;
    const int index = node.index;
    nodes.push_back(std::move(node));
    // The transpose back writes the original (NCHW) tensor.
    Node back;
    back.index = index;
    back.op = OpKind::kTranspose;
    back.source_op = "(layout)";
    back.inputs = {y_nhwc, passes::AddInt32Vector(graph, graph->tensor(y).name + "/perm", kToNchw)};
    back.outputs = {y};
    nodes.push_back(std::move(back));
  }
  graph->nodes = std::move(nodes);
  return Status::Ok();
}

}  // namespace kiln
