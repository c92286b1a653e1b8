// The operator table: one entry per line of ir/ops.def, greppable by name.
#pragma once

#include <span>
#include <string_view>

#include "ir/graph.h"

namespace kiln {

struct OpInfo {
  OpKind kind;
  std::string_view name;       ///< canonical (TFLite) name, e.g. "CONV_2D"
  std::string_view inputs;     ///< input slots, '?' marks optional
  std::string_view attrs;      ///< attribute names, space separated
  std::string_view semantics;  ///< one-line reference semantics
};

/// Every operator of the IR, in ops.def order.
std::span<const OpInfo> AllOps();
/// The entry for `kind`; kUnsupported has none and must not be asked for.
const OpInfo& GetOpInfo(OpKind kind);
/// The display name of a node: the IR name, or the source name when unsupported.
std::string_view NodeName(const Node& node);
/// IF and WHILE: markers of inlined control flow (docs/control-flow.md).
bool IsControlFlow(const Node& node);

}  // namespace kiln
