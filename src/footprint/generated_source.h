// Reads a module's generated C (kiln_<m>.c and kiln_<m>_constants.c, as
// codegen/ writes them) into what its footprint depends on: every constant
// with its exact size, run()'s call sites by argument kind, reset()'s fill
// loops, and which operator each call and constant belongs to.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "footprint/codegen_cost.h"
#include "support/status.h"

namespace kiln::footprint {

struct GeneratedConstant {
  uint64_t bytes = 0;
  std::vector<std::string> refs;  ///< arrays a parameter struct's initializer points to
  /// Runtime functions it points to (a schedule's gemm called through a
  /// function pointer: the call graph of the objects cannot see that call).
  std::vector<std::string> functions;
};

struct OperatorCode {
  std::vector<CallSite> calls;
  std::vector<std::string> constants;  ///< in order of first use
};

struct GeneratedModule {
  std::map<std::string, GeneratedConstant> constants;  ///< every const object of both files
  RunShape shape;
  std::vector<OperatorCode> operators;  ///< by position in run()
  uint64_t static_bytes = 0;            ///< module variables besides the pools (state flag)
};

/// `struct_bytes`: sizeof each kernel parameter struct on the target.
Expected<GeneratedModule> ParseGeneratedModule(const std::string& module_name, const std::string& source,
                                               const std::string& constants_source,
                                               const std::map<std::string, uint64_t>& struct_bytes);

}  // namespace kiln::footprint
