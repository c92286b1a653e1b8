// The graph executor's blob (docs/graph-executor.md): one versioned,
// CRC-checked, target-independent file holding a model as data for
// runtime/kernels/graph_executor.c: its calls in execution order, each
// call's values, the data objects they point at (constant tensors and
// params arrays), the pools' sizes, the state to reset and the inputs'
// and outputs' sizes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "codegen/call_template.h"
#include "support/status.h"

namespace kiln {

/// One operator of the blob: the call it makes (by hash) and its values.
struct GraphOp {
  uint64_t hash = 0;
  std::vector<GraphValue> values;
};

/// Bytes of a variable tensor to put back on reset: `fill` in each, or,
/// when `data` names a data object, its bytes.
struct GraphReset {
  uint32_t pool = 0;
  uint32_t offset = 0;
  uint32_t size = 0;
  uint8_t fill = 0;
  std::string data;
};

struct GraphBlobContents {
  std::vector<uint32_t> pool_sizes;
  std::vector<GraphOp> ops;
  /// Data objects by name; DATA values name them.
  std::map<std::string, std::vector<uint8_t>> data;
  std::vector<GraphReset> resets;
  std::vector<uint32_t> input_bytes, output_bytes;
};

/// Lays out and writes the blob (data objects aligned to 16 bytes, CRC last).
/// Fails when a DATA value names no data object or the blob passes 4 GiB.
Expected<std::string> WriteGraphBlob(const GraphBlobContents& contents);

}  // namespace kiln
