// The kernel table: which operators Kiln compiles, for which input dtype,
// with which runtime kernel. `kiln ops` prints it; the code generator
// looks kernels up here. Adding a kernel: see docs/new-operator.md.
#include "kernels/lowering.h"
#include "kernels/kernel_functions.h"

#include <vector>

namespace kiln {
namespace {

const std::vector<KernelEntry> kKernels = {
    // --- convolution and matrix multiply ---
    // --- pooling, softmax, logistic, tanh, mean ---
    // --- elementwise arithmetic, activations, (de)quantization ---
    // --- data movement and SVDF ---
};

}  // namespace

std::span<const KernelEntry> AllKernels() { return kKernels; }

const KernelEntry* FindKernel(const Graph& graph, const Node& node) {
  const Tensor* first = graph.input(node, 0);
  if (first == nullptr) return nullptr;
  for (const KernelEntry& entry : kKernels) {
    if (entry.op == node.op && entry.dtype == first->dtype) return &entry;
  }
  return nullptr;
}

}  // namespace kiln
