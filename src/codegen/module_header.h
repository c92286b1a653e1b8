// The public header of a generated module, kiln_<module>.h: the pools'
// sizes, the inputs and outputs, run() and reset(). Both executors (the
// AoT run() and the graph executor's) expose the same interface.
#pragma once

#include <set>
#include <map>
#include <string>
#include <vector>

#include "codegen/generate_c.h"

namespace kiln {

struct ModuleHeaderSpec {
  std::string model_name;
  std::string module;  ///< kiln_<module>
  std::map<std::string, int64_t> ram_pools;
  int64_t state_bytes = 0;
  int64_t constant_bytes = 0;
  std::vector<IoTensor> inputs, outputs;
  bool io_in_pools = false;
  std::set<std::string> io_pools;  ///< pools that hold inputs or outputs (--io-in-pools)
  std::string executor_api;        ///< declarations an executor adds (the graph executor's)
};

std::string ModuleHeader(const ModuleHeaderSpec& spec);

/// "KILN_" + the module name in capitals: the header's macro prefix.
std::string ModuleMacro(const std::string& module);
/// The header's macro of a pool's size: KILN_<MODULE>_<POOL>_POOL_SIZE.
std::string PoolSizeMacro(const std::string& module, const std::string& pool);

}  // namespace kiln
