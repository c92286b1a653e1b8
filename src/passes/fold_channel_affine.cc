// Pass: fold per-channel MUL / ADD by constants into the convolution before
// them (BatchNormalization imports as MUL + ADD, see
// frontend/onnx/convert_nn.cc).
//
// Expects: NCHW convolutions (layout="NCHW", filter OIHW) as the ONNX
// importer emits them. Folds `MUL(conv, s)` / `ADD(conv, t)` when the conv
// has a constant filter, a constant or no bias, activation NONE, and its
// output feeds only that node; s / t are float32 constants of shape [C,1,1],
// [1,C,1,1] or a scalar. Guarantees: the same values (up to float rounding of
// the folded products), fewer nodes; shared constants are copied, not changed.
#include <cstring>

#include "passes/graph_edit.h"
#include "passes/onnx_passes.h"

namespace kiln {
namespace {

using passes::CountUses;
using passes::Producers;

/// The per-channel values of `t` for `channels` channels, or empty when
/// `t` is not a per-channel (axis 1 of rank 4) or scalar float constant.
std::vector<float> ChannelValues(const Tensor& t, int32_t channels) {
  if (!t.is_constant || t.dtype != DType::kFloat32) return {};
  const int64_t n = t.num_elements();
  if (n == 1 && t.shape.size() <= 4) return std::vector<float>(static_cast<size_t>(channels), t.float_at(0));
  Shape s = t.shape;
  while (s.size() < 4) s.insert(s.begin(), 1);
  if (s.size() != 4 || s[0] != 1 || s[1] != channels || s[2] != 1 || s[3] != 1) return {};
  std::vector<float> v;
  for (int64_t i = 0; i < n; ++i) v.push_back(t.float_at(i));
  return v;
}

bool FoldOnce(Graph* graph) {
  const std::vector<int> uses = CountUses(*graph);
  const std::vector<int> producer = Producers(*graph);
  for (size_t i = 0; i < graph->nodes.size(); ++i) {
    Node& node = graph->nodes[i];
    if ((node.op != OpKind::kMul && node.op != OpKind::kAdd) || node.attrs.get_string("activation", "NONE") != "NONE")
      continue;
    for (size_t slot = 0; slot < 2; ++slot) {
      const int x = node.inputs[slot];
      const int p = producer[static_cast<size_t>(x)];
      if (p < 0 || uses[static_cast<size_t>(x)] != 1 || passes::IsGraphOutput(*graph, x)) continue;
      Node& conv = graph->nodes[static_cast<size_t>(p)];
      if ((conv.op != OpKind::kConv2D && conv.op != OpKind::kDepthwiseConv2D) ||
          conv.attrs.get_string("layout") != "NCHW" || conv.attrs.get_string("activation", "NONE") != "NONE")
        continue;
      const Tensor& filter = graph->tensor(conv.inputs[1]);
      const Tensor* bias = graph->input(conv, 2);
      if (!filter.is_constant || filter.dtype != DType::kFloat32 || (bias != nullptr && !bias->is_constant)) continue;
      const Tensor& out = graph->tensor(x);
      if (graph->tensor(node.outputs[0]).shape != out.shape) continue;  // the op would broadcast
      const std::vector<float> v = ChannelValues(graph->tensor(node.inputs[1 - slot]), out.shape[1]);
      if (v.empty()) continue;
      const size_t channels = v.size();
      std::vector<float> b(channels, 0.0f);
      if (bias != nullptr)
        for (size_t c = 0; c < channels; ++c) b[c] = bias->float_at(static_cast<int64_t>(c));
      Tensor new_filter = filter;
      new_filter.name = filter.name + "/folded";
      if (node.op == OpKind::kMul) {
        // OIHW (and depthwise [M,1,KH,KW]): output channel first.
        const int64_t per = filter.num_elements() / static_cast<int64_t>(channels);
        for (int64_t k = 0; k < filter.num_elements(); ++k) {
          const float f = filter.float_at(k) * v[static_cast<size_t>(k / per)];
          std::memcpy(new_filter.data.data() + k * 4, &f, 4);
        }
        for (size_t c = 0; c < channels; ++c) b[c] *= v[c];
      } else {
        for (size_t c = 0; c < channels; ++c) b[c] += v[c];
      }
      Tensor new_bias;
      new_bias.name = (bias ? bias->name : conv.outputs.empty() ? "bias" : graph->tensor(conv.outputs[0]).name + "/bias") + "/folded";
      new_bias.dtype = DType::kFloat32;
      new_bias.shape = {static_cast<int32_t>(channels)};
      new_bias.is_constant = true;
      new_bias.data.resize(channels * 4);
      std::memcpy(new_bias.data.data(), b.data(), channels * 4);
      const int filter_id = passes::AddTensor(graph, std::move(new_filter));
      const int bias_id = passes::AddTensor(graph, std::move(new_bias));
      Node& c2 = graph->nodes[static_cast<size_t>(p)];  // references may have moved
      c2.inputs.resize(3, kNoTensor);
      c2.inputs[1] = filter_id;
      c2.inputs[2] = bias_id;
      c2.outputs[0] = graph->nodes[i].outputs[0];
      graph->nodes.erase(graph->nodes.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

}  // namespace

Status FoldChannelAffine(Graph* graph) {
  while (FoldOnce(graph)) {
  }
  return Status::Ok();
}

}  // namespace kiln
