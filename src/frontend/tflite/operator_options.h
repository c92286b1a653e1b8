// Translation of one TFLite operator (builtin code + builtin options) into
// an IR node's kind and attributes.
#pragma once

#include "ir/graph.h"
#include "support/status.h"
#include "tflite_schema_generated.h"

namespace kiln::tflite {

/// An operator code's builtin: newer models store codes >= 127 in
/// builtin_code only, older ones the deprecated byte; the larger is the code.
inline int32_t BuiltinCode(const tflite_fb::OperatorCode& code) {
  return code.builtin_code() > code.deprecated_builtin_code() ? code.builtin_code() : code.deprecated_builtin_code();
}

/// Sets node->op, node->source_op and node->attrs from `op`. Operators Kiln
/// does not know become OpKind::kUnsupported (reported later, all at once).
Status ConvertOperator(const tflite_fb::Operator& op, int32_t builtin_code,
                       const std::string& custom_code, Node* node);

}  // namespace kiln::tflite
