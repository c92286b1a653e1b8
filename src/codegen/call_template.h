// The graph executor's calls (docs/graph-executor.md): a node's lowered C,
// its params structs and its statements, rewritten so that every number,
// buffer and constant it names is read at run time from the blob through
// `c` (a kiln_graph_call_t), and what is left is the same for every model
// that calls the same kernels the same way. That text is the call's
// source; its hash is how a blob names the call, so a firmware runs any
// blob whose calls it has, whatever the weights, shapes' values or plan.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace kiln {

/// One value a call reads, as the blob stores it (KILN_GRAPH_* kinds of
/// kiln/kernels/graph_executor.h). A DATA value names its data object;
/// the blob writer turns the name into an offset.
struct GraphValue {
  uint32_t kind = 0;
  uint32_t index = 0;
  int64_t value = 0;
  std::string data;
};

inline constexpr uint32_t kGraphInt = 0, kGraphF32 = 1, kGraphF64 = 2, kGraphData = 3, kGraphPool = 4,
                          kGraphInput = 5, kGraphOutput = 6, kGraphNull = 7;

/// What an identifier of the lowered C stands for when it is a value (a
/// buffer, a constant, a params array), or nullopt when it is C to keep
/// (a kernel function, a type, a macro).
using IdentifierResolver = std::function<std::optional<GraphValue>(std::string_view identifier)>;

struct CallTemplate {
  std::string body;     ///< C statements of the entry point, reading values via `c`
  std::string classes;  ///< one class per value: 'i', 'f', 'd' or 'p'
  std::vector<GraphValue> values;
};

/// Rewrites one node's lowering. `declarations` are its params structs
/// ("static const T name = {...};"; declarations of names in `data_arrays`
/// are data, not C, and are skipped); `statements` its kernel calls.
Expected<CallTemplate> MakeCallTemplate(const std::vector<std::string>& declarations,
                                        const std::vector<std::string>& statements,
                                        const std::function<bool(std::string_view)>& is_data_array,
                                        const IdentifierResolver& resolve);

/// 64-bit FNV-1a of a call's source and classes: its name in blobs.
uint64_t CallHash(const CallTemplate& call);

}  // namespace kiln
