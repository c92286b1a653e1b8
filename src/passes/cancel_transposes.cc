// Pass: move TRANSPOSEs down through operators that do not care about
// layout, and cancel the pairs that meet.
//
// Expects a valid graph. Rewrites, until none applies:
//  - TRANSPOSE(TRANSPOSE(x, p1), p2): one TRANSPOSE with the composed
//    permutation, or none when it is the identity;
//  - unary elementwise op (RELU, RELU6, LEAKY_RELU, LOGISTIC, TANH,
//    HARD_SWISH) of a TRANSPOSE: the op first, the TRANSPOSE after;
//  - binary elementwise op whose operands are TRANSPOSEs with the same
//    permutation, or one TRANSPOSE and a constant (permuted at compile
//    time): the op first, one TRANSPOSE after;
//  - PAD of a TRANSPOSE: PAD with permuted paddings, the TRANSPOSE after.
// Only transposes whose output feeds that one node (and is no graph output)
// move. Guarantees: the same values; never more TRANSPOSE nodes.
#include <algorithm>

#include "passes/graph_edit.h"
#include "passes/onnx_passes.h"

namespace kiln {
namespace {

using passes::Inverse;
using passes::Permute;

bool IsUnary(OpKind op) {
  switch (op) {
    case OpKind::kRelu: case OpKind::kRelu6: case OpKind::kLeakyRelu: case OpKind::kLogistic: case OpKind::kTanh:
    case OpKind::kHardSwish: case OpKind::kAbs: case OpKind::kNeg: case OpKind::kFloor: case OpKind::kCeil:
    case OpKind::kRound: case OpKind::kSqrt: case OpKind::kRsqrt: case OpKind::kSquare: case OpKind::kExp:
    case OpKind::kLog: case OpKind::kSin: case OpKind::kCos: case OpKind::kLogicalNot: case OpKind::kTan:
    case OpKind::kAsin: case OpKind::kAcos: case OpKind::kAtan: case OpKind::kSinh: case OpKind::kCosh:
    case OpKind::kAsinh: case OpKind::kAcosh: case OpKind::kAtanh: case OpKind::kErf: case OpKind::kSign:
      return true;
    default:
      return false;
  }
}

bool IsBinary(OpKind op) {
  switch (op) {
    case OpKind::kAdd: case OpKind::kSub: case OpKind::kMul: case OpKind::kDiv: case OpKind::kMaximum:
    case OpKind::kMinimum: case OpKind::kEqual: case OpKind::kNotEqual: case OpKind::kLess: case OpKind::kLessEqual:
    case OpKind::kGreater: case OpKind::kGreaterEqual: case OpKind::kLogicalAnd: case OpKind::kLogicalOr:
    case OpKind::kSquaredDifference: case OpKind::kFloorDiv: case OpKind::kFloorMod: case OpKind::kTruncMod:
    case OpKind::kPow:
    case OpKind::kPrelu:
      return true;
    default:
      return false;
  }
}

bool IsIdentity(const std::vector<int64_t>& perm) {
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) return false;
  return true;
}

class Canceller {
 public:
  explicit Canceller(Graph* graph) : g_(*graph) {}

  bool Step() {
    uses_ = passes::CountUses(g_);
    producer_ = passes::Producers(g_);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      const OpKind op = g_.nodes[i].op;
      if (op == OpKind::kTranspose && MergePair(i)) return true;
      if ((IsUnary(op) || op == OpKind::kPad) && SinkThroughUnary(i)) return true;
      if (IsBinary(op) && SinkThroughBinary(i)) return true;
    }
    return false;
  }

 private:
  /// The TRANSPOSE node index feeding tensor `id` alone, or -1.
  int MovableTranspose(int id) const {
    const int p = producer_[static_cast<size_t>(id)];
    if (p < 0 || g_.nodes[static_cast<size_t>(p)].op != OpKind::kTranspose) return -1;
    if (uses_[static_cast<size_t>(id)] != 1 || passes::IsGraphOutput(g_, id)) return -1;
    return p;
  }

  bool MergePair(size_t i) {
    Node& t2 = g_.nodes[i];
    const int p = producer_[static_cast<size_t>(t2.inputs[0])];
    if (p < 0 || g_.nodes[static_cast<size_t>(p)].op != OpKind::kTranspose) return false;
    const Node& t1 = g_.nodes[static_cast<size_t>(p)];
    const std::vector<int64_t> p1 = passes::PermOf(g_, t1), p2 = passes::PermOf(g_, t2);
    std::vector<int64_t> composed;
    for (int64_t a : p2) composed.push_back(p1[static_cast<size_t>(a)]);
    const int source = t1.inputs[0];
    if (IsIdentity(composed) && !passes::IsGraphOutput(g_, t2.outputs[0])) {
      const int dead = t2.outputs[0];
      for (Node& n : g_.nodes)
        for (int& id : n.inputs)
          if (id == dead) id = source;
      g_.nodes.erase(g_.nodes.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
    if (IsIdentity(composed)) return false;  // an output needs its own copy
    t2.inputs[0] = source;
    t2.inputs[1] = passes::AddInt32Vector(&g_, g_.tensor(t2.outputs[0]).name + "/perm", composed);
    return true;
  }

  /// Node u now reads un-permuted operands: it writes a fresh tensor and a
  /// new TRANSPOSE right after it writes u's old output. The transposes in
  /// `dead` (all before u, no longer read) are removed.
  void TransposeAfter(size_t u, const std::vector<int64_t>& perm, std::vector<int> dead) {
    const int out = g_.nodes[u].outputs[0];
    const Tensor& t = g_.tensor(out);
    const std::string name = t.name;
    const int inner = passes::AddTensor(&g_, passes::Activation(t, name + "/pre_transpose",
                                                                Permute(t.shape, Inverse(perm))));
    g_.nodes[u].outputs = {inner};
    Node back;
    back.index = g_.nodes[u].index;
    back.op = OpKind::kTranspose;
    back.source_op = "(layout)";
    back.inputs = {inner, passes::AddInt32Vector(&g_, name + "/perm", perm)};
    back.outputs = {out};
    g_.nodes.insert(g_.nodes.begin() + static_cast<std::ptrdiff_t>(u) + 1, std::move(back));
    std::sort(dead.rbegin(), dead.rend());
    for (int d : dead) g_.nodes.erase(g_.nodes.begin() + d);
  }

  bool SinkThroughUnary(size_t u) {
    Node& node = g_.nodes[u];
    const int t = MovableTranspose(node.inputs[0]);
    if (t < 0) return false;
    const std::vector<int64_t> perm = passes::PermOf(g_, g_.nodes[static_cast<size_t>(t)]);
    if (node.op == OpKind::kPad) {
      const Tensor& pads = g_.tensor(node.inputs[1]);
      if (!pads.is_constant || node.inputs.size() > 2) return false;
      // Output axis d of the transpose is input axis perm[d].
      std::vector<int64_t> moved(static_cast<size_t>(pads.num_elements()));
      for (size_t d = 0; d < perm.size(); ++d)
        for (size_t k = 0; k < 2; ++k)
          moved[static_cast<size_t>(perm[d]) * 2 + k] = pads.int_at(static_cast<int64_t>(d * 2 + k));
      Tensor p = pads;
      p.data.clear();
      for (int64_t v : moved) {
        const int32_t x = static_cast<int32_t>(v);
        const auto* b = reinterpret_cast<const uint8_t*>(&x);
        p.data.insert(p.data.end(), b, b + 4);
      }
      p.dtype = DType::kInt32;
      p.name = pads.name + "/permuted";
      const int pid = passes::AddTensor(&g_, std::move(p));
      g_.nodes[u].inputs[1] = pid;
    }
    g_.nodes[u].inputs[0] = g_.nodes[static_cast<size_t>(t)].inputs[0];
    TransposeAfter(u, perm, {t});
    return true;
  }

  bool SinkThroughBinary(size_t u) {
    Node& node = g_.nodes[u];
    const int out = node.outputs[0];
    const size_t rank = g_.tensor(out).shape.size();
    int ta = MovableTranspose(node.inputs[0]);
    int tb = MovableTranspose(node.inputs[1]);
    if (node.inputs[0] == node.inputs[1]) tb = -1;
    std::vector<int64_t> perm;
    if (ta >= 0) perm = passes::PermOf(g_, g_.nodes[static_cast<size_t>(ta)]);
    else if (tb >= 0) perm = passes::PermOf(g_, g_.nodes[static_cast<size_t>(tb)]);
    else return false;
    if (perm.size() != rank) return false;
    int new_inputs[2];
    for (size_t s = 0; s < 2; ++s) {
      const int t = s == 0 ? ta : tb;
      const int id = g_.nodes[u].inputs[s];
      if (t >= 0) {
        if (passes::PermOf(g_, g_.nodes[static_cast<size_t>(t)]) != perm) return false;
        new_inputs[s] = g_.nodes[static_cast<size_t>(t)].inputs[0];
        continue;
      }
      const Tensor& c = g_.tensor(id);
      if (!c.is_constant || c.shape.size() > rank) return false;
      Tensor padded = c;
      while (padded.shape.size() < rank) padded.shape.insert(padded.shape.begin(), 1);
      Tensor moved = passes::PermuteConstantData(padded, Inverse(perm));
      moved.name = c.name + "/permuted";
      new_inputs[s] = passes::AddTensor(&g_, std::move(moved));
    }
    g_.nodes[u].inputs = {new_inputs[0], new_inputs[1]};
    std::vector<int> dead;
    if (ta >= 0) dead.push_back(ta);
    if (tb >= 0) dead.push_back(tb);
    TransposeAfter(u, perm, dead);
    return true;
  }

  Graph& g_;
  std::vector<int> uses_;
  std::vector<int> producer_;
};

}  // namespace

Status CancelTransposes(Graph* graph) {
  Canceller c(graph);
  for (int guard = 0; guard < 10000 && c.Step(); ++guard) {
  }
  return Status::Ok();
}

}  // namespace kiln
