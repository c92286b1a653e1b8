// The ONNX operators Kiln imports: one row each, with the converter and the
// IR operators it lowers to. `kiln ops` prints this table; the importer
// dispatches on it.
#pragma once

#include <span>
#include <string_view>

#include "frontend/onnx/import_context.h"

namespace kiln::onnx_import {

struct OnnxOpEntry {
  std::string_view name;       ///< ONNX op_type, e.g. "Conv"
  std::string_view lowers_to;  ///< IR operators it becomes, e.g. "CONV_2D | DEPTHWISE_CONV_2D"
  Status (*convert)(OnnxNode& node);
};

/// Every ONNX operator Kiln imports, in alphabetical order.
std::span<const OnnxOpEntry> AllOnnxOps();
/// The entry for `op_type`, or nullptr.
const OnnxOpEntry* FindOnnxOp(std::string_view op_type);

}  // namespace kiln::onnx_import
