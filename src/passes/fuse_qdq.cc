// Pass: QDQ fusion. ONNX Runtime's quantizer writes quantized models as
// float operators between DequantizeLinear and QuantizeLinear:
//   x_q -> DEQUANTIZE -> op (float; weights DequantizeLinear'd constants) -> QUANTIZE -> y_q
// This pass runs op on the int8 tensors instead (the int8 kernels TFLite
// models use) and drops the DEQUANTIZE / QUANTIZE around it.
//
// Fused only when the semantics allow it: every float activation input of
// the op comes from a DEQUANTIZE of a per-tensor int8/uint8 tensor; every
// float constant input is exactly a folded DequantizeLinear of int8/uint8
// (int32 for a bias) data, per-tensor or per-axis, which the importer marks
// with its quantization; the op's only reader is one per-tensor QUANTIZE.
// Convolutions and dense layers then use ONNX's requantization
// (rounding="HALF_EVEN", the arithmetic of QLinearConv); a bias must have
// the scale input_scale * weight_scale. uint8 tensors move to int8 through
// an exact QUANTIZE (values and zero point - 128).
//
// Expects: the graph straight from the importer (NCHW). Guarantees: no float
// tensor keeps a quantization. RunOnnxPasses keeps the fused graph only when
// every node then passes its kernel's check, else compiles the float path.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>

#include "kernels/lowering.h"
#include "passes/graph_edit.h"
#include "passes/onnx_passes.h"

namespace kiln {
namespace {

/// The operators fused, and which of their inputs are data (the others are
/// int32 parameters such as shapes, axes and permutations).
bool Fusable(OpKind op) {
  switch (op) {
    case OpKind::kConv2D:
    case OpKind::kDepthwiseConv2D:
    case OpKind::kFullyConnected:
    case OpKind::kAdd:
    case OpKind::kMul:
    case OpKind::kAveragePool2D:
    case OpKind::kMaxPool2D:
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kReshape:
    case OpKind::kTranspose:
    case OpKind::kConcatenation:
    case OpKind::kSoftmax:
    case OpKind::kMean:
    case OpKind::kPad:
      return true;
    default:
      return false;
  }
}

bool WithWeights(OpKind op) {
  return op == OpKind::kConv2D || op == OpKind::kDepthwiseConv2D || op == OpKind::kFullyConnected;
}

/// Per-channel index of element i of a tensor quantized along `axis`.
size_t ChannelOf(const Tensor& t, int64_t i) {
  if (!t.quant.per_channel()) return 0;
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(t.quant.axis) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  return static_cast<size_t>((i / inner) % static_cast<int64_t>(t.quant.scale.size()));
}

/// The integers behind a float constant that the importer folded from a
/// DequantizeLinear (its quantization says how), as `dtype` (int8 or int32):
/// nullopt unless every value is exactly float(scale * (q - zero_point)) for
/// an integer q in range, so a constant changed since (scaled, folded) is
/// never mistaken for one.
std::optional<Tensor> RecoverIntegers(const Tensor& f, DType dtype) {
  if (!f.is_constant || f.dtype != DType::kFloat32 || f.quant.empty()) return std::nullopt;
  if (f.quant.per_channel() && (f.quant.axis < 0 || static_cast<size_t>(f.quant.axis) >= f.shape.size() ||
                                f.shape[static_cast<size_t>(f.quant.axis)] != static_cast<int32_t>(f.quant.scale.size())))
    return std::nullopt;
  const double lo = dtype == DType::kInt8 ? -128.0 : -2147483648.0;
  const double hi = dtype == DType::kInt8 ? 127.0 : 2147483647.0;
  Tensor t;
  t.name = f.name + (dtype == DType::kInt8 ? "/s8" : "/s32");
  t.dtype = dtype;
  t.shape = f.shape;
  t.quant = f.quant;
  t.is_constant = true;
  t.data.resize(static_cast<size_t>(f.num_elements()) * DTypeSize(dtype));
  for (int64_t i = 0; i < f.num_elements(); ++i) {
    const size_t c = ChannelOf(f, i);
    const double scale = f.quant.scale[c];
    const int64_t zp = f.quant.zero_point[c];
    const double q = std::nearbyint(static_cast<double>(f.float_at(i)) / scale) + static_cast<double>(zp);
    if (!(q >= lo && q <= hi)) return std::nullopt;
    const auto qi = static_cast<int64_t>(q);
    if (static_cast<float>(scale * static_cast<double>(qi - zp)) != f.float_at(i)) return std::nullopt;
    if (dtype == DType::kInt8) {
      t.data[static_cast<size_t>(i)] = static_cast<uint8_t>(static_cast<int8_t>(qi));
    } else {
      const auto v = static_cast<int32_t>(qi);
      std::memcpy(t.data.data() + i * 4, &v, 4);
    }
  }
  return t;
}

bool PerTensorInt(const Tensor& t) {
  return (t.dtype == DType::kInt8 || t.dtype == DType::kUInt8) && t.quant.scale.size() == 1;
}

Quantization ToInt8Domain(const Tensor& t) {
  Quantization q = t.quant;
  if (t.dtype == DType::kUInt8)
    for (int64_t& zp : q.zero_point) zp -= 128;
  return q;
}

class QdqFuser {
 public:
  explicit QdqFuser(Graph* graph) : g_(*graph), producers_(passes::Producers(g_)), uses_(passes::CountUses(g_)) {}

  int Run() {
    std::vector<Node> nodes;
    skip_.assign(g_.nodes.size(), false);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      if (skip_[i]) continue;
      std::vector<Node> before;
      Node node = g_.nodes[i];
      if (Fusable(node.op) && TryFuse(node, &before)) {
        ++fused_;
        for (Node& b : before) nodes.push_back(std::move(b));
      }
      nodes.push_back(std::move(node));
    }
    g_.nodes = std::move(nodes);
    return fused_;
  }

 private:
  /// The QUANTIZE that is the only reader of `tensor`, or -1.
  int SoleQuantizeReader(int tensor) const {
    if (uses_[static_cast<size_t>(tensor)] != 1 || passes::IsGraphOutput(g_, tensor)) return -1;
    for (size_t j = 0; j < g_.nodes.size(); ++j) {
      const Node& n = g_.nodes[j];
      for (int in : n.inputs)
        if (in == tensor) return n.op == OpKind::kQuantize && !skip_[j] ? static_cast<int>(j) : -1;
    }
    return -1;
  }

  /// The int8 tensor behind float activation `tensor` (a DEQUANTIZE's
  /// input, moved to int8 if uint8), or -1. Conversions go to `before`.
  int Int8Source(int tensor, std::vector<Node>* before) {
    const int p = producers_[static_cast<size_t>(tensor)];
    if (p < 0 || g_.nodes[static_cast<size_t>(p)].op != OpKind::kDequantize) return -1;
    const int src = g_.nodes[static_cast<size_t>(p)].inputs[0];
    if (!PerTensorInt(g_.tensor(src))) return -1;
    if (g_.tensor(src).dtype == DType::kInt8) return src;
    auto it = s8_of_.find(src);
    if (it != s8_of_.end()) return it->second;
    Tensor t = passes::Activation(g_.tensor(src), g_.tensor(src).name + "/s8", g_.tensor(src).shape);
    t.dtype = DType::kInt8;
    t.quant = ToInt8Domain(g_.tensor(src));
    const int id = passes::AddTensor(&g_, std::move(t));
    Node q;
    q.index = g_.nodes[static_cast<size_t>(p)].index;
    q.op = OpKind::kQuantize;
    q.source_op = "(uint8 -> int8)";
    q.inputs = {src};
    q.outputs = {id};
    before->push_back(std::move(q));
    s8_of_[src] = id;
    return id;
  }

  /// An int8 (or int32 for a bias) constant from a marked float constant.
  int IntConstant(int tensor, DType dtype) {
    std::optional<Tensor> t = RecoverIntegers(g_.tensor(tensor), dtype);
    return t ? passes::AddTensor(&g_, std::move(*t)) : -1;
  }

  bool TryFuse(Node& node, std::vector<Node>* before) {
    if (node.outputs.size() != 1 || g_.tensor(node.outputs[0]).dtype != DType::kFloat32) return false;
    const int q_index = SoleQuantizeReader(node.outputs[0]);
    if (q_index < 0) return false;
    Node& quantize = g_.nodes[static_cast<size_t>(q_index)];
    const Tensor y = g_.tensor(quantize.outputs[0]);  // a copy: tensors are added below
    if (!PerTensorInt(y)) return false;

    std::vector<int> inputs = node.inputs;
    std::vector<Node> conversions;
    for (size_t slot = 0; slot < inputs.size(); ++slot) {
      const int id = inputs[slot];
      if (id == kNoTensor || g_.tensor(id).dtype != DType::kFloat32) continue;
      const bool weights = WithWeights(node.op) && slot == 1;
      const bool bias = WithWeights(node.op) && slot == 2;
      int replaced = -1;
      if (bias) replaced = IntConstant(id, DType::kInt32);
      else if (g_.tensor(id).is_constant) replaced = IntConstant(id, DType::kInt8);
      else if (!weights) replaced = Int8Source(id, &conversions);
      if (replaced < 0 || (WithWeights(node.op) && slot == 2 && !BiasScaleMatches(inputs, replaced))) {
        for (const Node& c : conversions) s8_of_.erase(c.inputs[0]);  // never emitted
        return false;
      }
      inputs[slot] = replaced;
    }

    // The op then reads the int8 tensors and writes y (int8) directly, or
    // an int8 tensor the QUANTIZE then moves to uint8.
    Node trial = node;
    trial.inputs = inputs;
    if (WithWeights(node.op)) trial.attrs.set("rounding", std::string("HALF_EVEN"));
    if (y.dtype == DType::kInt8) {
      trial.outputs[0] = quantize.outputs[0];
    } else {
      Tensor s8 = passes::Activation(y, y.name + "/s8", y.shape);
      s8.dtype = DType::kInt8;
      s8.quant = ToInt8Domain(y);
      trial.outputs[0] = passes::AddTensor(&g_, std::move(s8));
    }
    // Layout-agnostic nodes are checked here, so one int8 kernel that would
    // refuse them (e.g. SOFTMAX's fixed output scale) keeps just that node
    // float; NCHW ones are checked by RunOnnxPasses after convert_layout.
    if (!trial.attrs.has("layout")) {
      const KernelEntry* kernel = FindKernel(g_, trial);
      if (kernel == nullptr || !kernel->check(g_, trial).ok()) {
        for (const Node& c : conversions) s8_of_.erase(c.inputs[0]);
        return false;
      }
    }
    for (Node& c : conversions) before->push_back(std::move(c));
    if (y.dtype == DType::kInt8) skip_[static_cast<size_t>(q_index)] = true;
    else g_.nodes[static_cast<size_t>(q_index)].inputs[0] = trial.outputs[0];
    node = std::move(trial);
    return true;
  }

  /// A bias must be in units of input_scale * weight_scale (per channel),
  /// as QLinearConv's is; ONNX Runtime writes it so.
  /// (Checked once x and w are int8, so their quantization is at hand.)
  bool BiasScaleMatches(const std::vector<int>& inputs, int bias) const {
    const Tensor& x = g_.tensor(inputs[0]);
    const Tensor& w = g_.tensor(inputs[1]);
    const Tensor& b = g_.tensor(bias);
    if (x.dtype != DType::kInt8 || w.dtype != DType::kInt8) return false;
    if (x.quant.scale.size() != 1) return false;
    for (int64_t zp : b.quant.zero_point)
      if (zp != 0) return false;
    const size_t channels = std::max(w.quant.scale.size(), b.quant.scale.size());
    for (size_t c = 0; c < channels; ++c) {
      const float ws = w.quant.scale[w.quant.per_channel() ? c : 0];
      const float bs = b.quant.scale[b.quant.per_channel() ? c : 0];
      const float expected = x.quant.scale[0] * ws;
      if (std::fabs(bs - expected) > 1e-6f * expected) return false;
    }
    return true;
  }

  Graph& g_;
  std::vector<int> producers_;
  std::vector<int> uses_;
  std::vector<bool> skip_;
  std::map<int, int> s8_of_;
  int fused_ = 0;
};

}  // namespace

int FuseQdq(Graph* graph) {
  const int fused = QdqFuser(graph).Run();
  ClearFloatQuantization(graph);
  return fused;
}

void ClearFloatQuantization(Graph* graph) {
  for (Tensor& t : graph->tensors)
    if (t.dtype == DType::kFloat32) t.quant = {};
}

}  // namespace kiln
