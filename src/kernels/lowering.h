// The contract between code generation and the operator kernels.
//
// For each node, the code generator looks up a KernelEntry (kernels/
// registry.cc) by operator and dtype. `check` validates everything the
// kernel relies on (dtypes, shapes, quantization, attributes) and returns a
// user-facing error otherwise; it is also the operator's shape rule, since
// it verifies the output shapes the model declares. `lower` then computes
// the kernel's compile-time parameters (fixed-point multipliers, ranges,
// strides) and emits the C that calls a kernel from runtime/kernels/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "kernels/schedule.h"
#include "memory/access_pattern.h"
#include "support/status.h"

namespace kiln {

/// The placeholder for a shared function's name (LoweringContext::shared_function).
inline constexpr std::string_view kSharedFunctionName = "KILN_SHARED_FUNCTION";

/// What a kernel's lowering may ask of the code generator. The generator
/// owns all names, memory placement and files; a lowering only states what
/// it needs and the statements it wants in run().
class LoweringContext {
 public:
  virtual ~LoweringContext() = default;

  virtual const Graph& graph() const = 0;

  /// The schedule chosen for this node (kernels/schedule.h); the reference
  /// unless the kernel offered others.
  virtual const Schedule& schedule() const = 0;

  /// A C expression for tensor `id`'s data, typed as a pointer to its
  /// element type (const for constants and model inputs).
  virtual std::string tensor(int id) = 0;

  /// Defines a file-scope constant array (it goes to flash) and returns its
  /// name. `c_type` is an integer C type such as "int32_t".
  virtual std::string const_int_array(std::string_view stem, std::string_view c_type,
                                      std::span<const int64_t> values) = 0;
  virtual std::string const_float_array(std::string_view stem, std::span<const float> values) = 0;

  /// Reserves `bytes` of scratch memory, live only while this node runs,
  /// and returns a C expression of type `void*` for it.
  virtual std::string scratch(int64_t bytes) = 0;

  /// Declares that the generated code calls kernel `variant` (e.g.
  /// "conv2d_s8"): runtime/kernels/<variant>.c is shipped with the model and
  /// <kiln/kernels/<variant>.h> is included by the generated source.
  virtual void use_kernel(std::string_view variant) = 0;

  /// A file-scope declaration (typically a `static const` params struct).
  virtual void declare(std::string c_declaration) = 0;

  /// A statement appended to run() for this node.
  virtual void statement(std::string c_statement) = 0;

  /// Whether kernel calls may go through functions of the generated source
  /// with the layer's shape compiled in (kernels/specialise.h): the AOT
  /// executor's; the graph executor's blob calls the runtime's entry points.
  virtual bool specialises_kernels() const { return false; }

  /// Defines a file-scope function once per distinct `definition`, in which
  /// kSharedFunctionName stands for its name (a unique one from `stem`), and
  /// returns that name, an earlier identical definition's if there is one;
  /// "" when the module has as many as it takes (call the entry point).
  /// The source includes kiln/kernels/<inline_variant>_inline.h, whose
  /// inline body the function calls.
  virtual std::string shared_function(std::string_view inline_variant, std::string_view stem,
                                      std::string_view definition) {
    (void)inline_variant, (void)stem, (void)definition;
    return {};
  }

  /// A file-unique C identifier starting with `stem`.
  virtual std::string unique_name(std::string_view stem) = 0;

  /// Declares how this node reads an input while it writes its output, so
  /// that the planner may overlap the two (memory/access_pattern.h). Only
  /// declare what the kernel's loops guarantee.
  virtual void streaming_access(const StreamingAccess& access) { (void)access; }

  /// Asks that `output` be `input`'s bytes, reinterpreted (a reshape):
  /// true when it will be, and the node then emits nothing; false when it
  /// cannot (e.g. one of them is the caller's memory): emit a copy.
  virtual bool alias(int output, int input) {
    (void)output, (void)input;
    return false;
  }
};

struct KernelEntry {
  OpKind op;
  /// dtype of the node's first input that selects this kernel.
  DType dtype;
  /// e.g. "conv2d_s8": names the runtime file and the C function.
  std::string_view variant;
  Status (*check)(const Graph& graph, const Node& node);
  Status (*lower)(const Node& node, LoweringContext& ctx);
  /// The schedules this kernel offers for a node, the reference first;
  /// nullptr: the reference only.
  std::vector<Schedule> (*schedules)(const Graph& graph, const Node& node,
                                     const KernelScheduleOptions& options) = nullptr;
};

/// Every kernel Kiln has, the table behind `kiln ops`.
std::span<const KernelEntry> AllKernels();

/// The kernel for `node` (by op and first input dtype), or nullptr.
const KernelEntry* FindKernel(const Graph& graph, const Node& node);

}  // namespace kiln
