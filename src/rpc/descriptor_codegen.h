// Generates the device-side glue of the protocol server for one model: a C
// file with static input/output buffers, the kiln_rpc_model_t descriptor
// of module kiln_<module> and main() calling kiln_rpc_serve(). A project
// template compiles it with the model's MLF sources, runtime/rpc/server.c
// and its own platform hooks (kiln/rpc/platform.h): nothing else.
#pragma once

#include <string>

#include "mlf/model_library.h"

namespace kiln::rpc {

/// What the descriptor reports beyond the model interface.
struct DescriptorOptions {
  /// The model's name for INFO (metadata.json "model_name"); defaults to the module name.
  std::string model_name;
  /// Operator count for INFO and PROFILE; 0 when unknown.
  int operator_count = 0;
  /// Name of the uint64_t array the generated module fills with per-operator
  /// ticks (operator_count entries), or empty when the build has no
  /// profiling hooks (PROFILE then answers "not available").
  std::string op_ticks_symbol;
};

/// The C99 source of the descriptor and main() for module `mi.module_name`.
/// Pool sizes come from the module header's KILN_<MODULE>_*_POOL_SIZE macros.
std::string GenerateRpcDescriptor(const ModelInterface& mi, const DescriptorOptions& options = {});

/// The archive's device/ folder for `library`: what a firmware needs besides
/// the model library (not built by its Makefile): the protocol server, its
/// headers, one platform hooks file per board, and this model's descriptor
/// and main(). The compiler driver adds it to every archive it makes.
Expected<FileMap> DeviceFiles(const ModelLibrary& library);

}  // namespace kiln::rpc
