// C code generation: from a graph whose kernels are selected to the C99
// sources of an Ahead-of-Time executor (kiln_<module>.h/.c and the
// constants file), plus the memory plan they were laid out with.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/lowering.h"
#include "memory/memory_plan.h"
#include "memory/pools.h"
#include "support/status.h"

namespace kiln {

struct CodegenOptions {
  /// C identifier; names the header kiln_<module>.h and every symbol.
  std::string module_name = "default";
  /// Memory planner (memory/planners.h).
  std::string planner = "hill-climb";
  /// Named pools and pins (`--pool`, `--pin`); empty: one workspace pool.
  PoolOptions pools;
  /// `--target` (target/targets.h); empty: portable C for any processor.
  std::string target;
  /// `--io-in-pools`: the model's inputs and outputs are planned buffers in
  /// the pools too (their addresses fixed, exposed by kiln_<m>_map_io()),
  /// so all of an inference's RAM is one planned region.
  bool io_in_pools = false;
  /// `--opt speed|size`: what schedules may trade (kernels/schedule.h).
  std::string opt = "speed";
  /// `--flash-budget`: the firmware's flash, of which the model's constants
  /// may take half (0: the target's typical part's; kernels/schedule.h).
  int64_t flash_budget = 0;
  /// `--records FILE`: `kiln tune`'s measurements; each tuned layer takes
  /// its best valid schedule instead of the cost model's (tune/apply_records.h).
  std::string tuning_records;
  /// `kiln debug`: after each operator, run() hands each of its outputs to
  /// kiln_capture_tensor() (kiln/runtime.h); GeneratedCode::captures lists
  /// them in the order they stream.
  bool capture_tensors = false;
  /// `--executor`: "aot" (a generated run()) or "graph" (the model as a
  /// blob the graph executor runs; codegen/graph_module.h).
  std::string executor = "aot";
  /// `kiln debug --inject-fault N` (with capture_tensors): node N's first
  /// output has the low bit of its first byte flipped after it runs, as a
  /// broken kernel would, to prove the debugger finds it. -1: none.
  int fault_node = -1;
};

/// A model input or output as the generated C interface exposes it.
struct IoTensor {
  int tensor_id;
  std::string name;    ///< the tensor's name in the model
  std::string c_name;  ///< its member name in struct kiln_<module>_inputs/outputs
  DType dtype;
  Shape shape;
  Quantization quant;
  int64_t bytes;
  /// With io_in_pools: where its planned buffer is (pool empty otherwise).
  std::string pool;
  int64_t offset = -1;
};

/// One operator output in the tensor stream of a capture build.
struct CapturedTensor {
  int node;        ///< position in graph.nodes (execution order)
  int output;      ///< which output of the node
  int tensor_id;
  int64_t offset;  ///< where its bytes start in the stream
  int64_t bytes;
};

struct GeneratedCode {
  std::string module_name;
  std::string executor = "aot";  ///< CodegenOptions::executor
  /// File name -> contents: kiln_<m>.h (include/), kiln_<m>.c and
  /// kiln_<m>_constants.c (src/).
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> sources;
  /// Other files of the archive, by path in it (the graph executor's blob).
  std::map<std::string, std::string> data_files;
  /// Runtime kernel variants the sources call, sorted, unique.
  std::vector<std::string> kernels;
  /// Per node, in order: the kernel variant it was lowered to, and the
  /// schedule it was lowered with.
  std::vector<std::string> node_kernels;
  std::vector<Schedule> node_schedules;
  MemoryPlan plan;
  std::vector<IoTensor> inputs;
  std::vector<IoTensor> outputs;
  /// Bytes of constant data (weights and kernel parameters arrays).
  int64_t constant_bytes = 0;
  /// With capture_tensors: every captured output, in stream order.
  std::vector<CapturedTensor> captures;
  /// The node whose output was deliberately damaged (fault_node), or -1.
  int fault_node = -1;
};

/// Lowers every node with its kernel and schedule (both in the order of
/// graph.nodes), plans memory and writes the sources.
Expected<GeneratedCode> GenerateC(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                  const std::vector<Schedule>& schedules, const CodegenOptions& options);

/// The same with the default schedules (ChooseSchedules) for options.target.
Expected<GeneratedCode> GenerateC(const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                  const CodegenOptions& options);

/// The KernelScheduleOptions that `options` imply (its target looked up).
Expected<KernelScheduleOptions> KernelScheduleOptionsFor(const CodegenOptions& options);

}  // namespace kiln
