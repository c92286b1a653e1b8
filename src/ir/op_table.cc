#include "ir/op_table.h"

#include <cassert>

namespace kiln {
namespace {
constexpr OpInfo kOps[] = {
#define KILN_OP(enum_name, name, inputs, attrs, semantics) \
  {OpKind::k##enum_name, name, inputs, attrs, semantics},
#include "ir/ops.def"
#undef KILN_OP
};
}  // namespace

std::span<const OpInfo> AllOps() { return kOps; }

const OpInfo& GetOpInfo(OpKind kind) {
  assert(kind != OpKind::kUnsupported);
  return kOps[static_cast<size_t>(kind)];
}

std::string_view NodeName(const Node& node) {
  if (node.op == OpKind::kUnsupported) return node.source_op;
  return GetOpInfo(node.op).name;
}

bool IsControlFlow(const Node& node) { return node.op == OpKind::kIf || node.op == OpKind::kWhile; }

}  // namespace kiln
