// Helpers for the memory planner tests: hand-made buffers, offsets by name,
// random interval sets, and the buffers the compiler plans for a model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/generate_c.h"
#include "driver/compile.h"
#include "kernels/select_kernels.h"
#include "memory/memory_plan.h"
#include "support/status.h"

namespace kiln::test {

inline Buffer MakeBuffer(const std::string& name, int64_t size, int first, int last, int64_t alignment = 16) {
  Buffer b;
  b.name = name;
  b.size = size;
  b.first_use = first;
  b.last_use = last;
  b.alignment = alignment;
  return b;
}

inline int64_t OffsetOf(const MemoryPlan& plan, const std::string& name) {
  for (const Buffer& b : plan.buffers) {
    if (b.name == name) return b.offset;
  }
  return -2;
}

inline std::vector<int64_t> Offsets(const MemoryPlan& plan) {
  std::vector<int64_t> out;
  for (const Buffer& b : plan.buffers) out.push_back(b.offset);
  return out;
}

/// xorshift32: the same instances on every platform.
class Rand {
 public:
  explicit Rand(uint32_t seed) : s_(seed) {}
  uint32_t operator()() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 17;
    s_ ^= s_ << 5;
    return s_;
  }

 private:
  uint32_t s_;
};

/// `n` buffers over `steps` steps, sizes 1..max_size, lifetimes up to max_span.
inline std::vector<Buffer> RandomBuffers(Rand& rand, int n, int steps, int64_t max_size, int max_span,
                                         bool random_alignment = false) {
  std::vector<Buffer> buffers;
  for (int i = 0; i < n; ++i) {
    const int first = static_cast<int>(rand() % static_cast<uint32_t>(steps));
    const int last = first + static_cast<int>(rand() % static_cast<uint32_t>(max_span + 1));
    const int64_t size = 1 + static_cast<int64_t>(rand() % static_cast<uint32_t>(max_size));
    const int64_t alignment = random_alignment ? int64_t{4} << (rand() % 3) : 16;
    buffers.push_back(MakeBuffer("b" + std::to_string(i), size, first, last, alignment));
  }
  return buffers;
}

/// The buffers Kiln plans for a model file (tensors and kernel scratch),
/// unplaced.
inline Expected<MemoryPlan> ModelBuffers(const std::filesystem::path& model) {
  KILN_ASSIGN_OR_RETURN(Graph graph, ImportModelFile(model));
  KILN_ASSIGN_OR_RETURN(std::vector<const KernelEntry*> kernels, SelectKernels(graph));
  CodegenOptions options;
  options.planner = "linear";
  KILN_ASSIGN_OR_RETURN(GeneratedCode code, GenerateC(graph, kernels, options));
  MemoryPlan unplaced = code.plan;  // buffers, aliases and declared streams
  for (Buffer& b : unplaced.buffers) b.offset = -1;
  unplaced.pool_sizes.clear();
  return unplaced;
}

}  // namespace kiln::test
