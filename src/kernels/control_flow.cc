// IF and WHILE, as the TFLite importer flattens them: each is three marker
// nodes around the operators of its inlined subgraphs (docs/control-flow.md).
// A marker's lowering is C's own control flow plus whole-tensor copies:
//
//   IF begin(cond)                    if (cond[0]) {
//     then branch's operators
//   IF else(then results) -> outs       copies; } else {
//     else branch's operators
//   IF end(else results) -> outs        copies; }
//
//   WHILE begin(initial) -> vars      copies; for (;;) {
//     cond subgraph's operators
//   WHILE test(cond)                    if (!cond[0]) break;
//     body's operators
//   WHILE end(body results) -> vars     copies; }
//
// The outputs are written by two markers each; the planner keeps every
// tensor a loop reads from outside, and the loop variables, live for the
// whole loop (memory/liveness.cc).
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

Status CheckCondition(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 0));
  const Tensor& cond = *graph.input(node, 0);
  if (cond.dtype != DType::kBool || cond.num_elements() != 1)
    return MakeError("{}: condition '{}' is {} of shape {}, expected one bool", OpLabel(node), cond.name,
                     DTypeName(cond.dtype), ShapeString(cond.shape));
  return Status::Ok();
}

/// Inputs copied, one for one, into outputs of the same dtype and size.
Status CheckCopies(const Graph& graph, const Node& node) {
  if (node.inputs.empty() || node.inputs.size() != node.outputs.size())
    return MakeError("{}: {} results for {} outputs", OpLabel(node), node.inputs.size(), node.outputs.size());
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor* from = graph.input(node, i);
    const Tensor& to = graph.output(node, i);
    if (from == nullptr) return MakeError("{}: result {} is missing", OpLabel(node), i);
    if (from->dtype != to.dtype || from->shape != to.shape)
      return MakeError("{}: result {} '{}' is {} of shape {}, but output '{}' is {} of shape {}", OpLabel(node), i,
                       from->name, DTypeName(from->dtype), ShapeString(from->shape), to.name, DTypeName(to.dtype),
                       ShapeString(to.shape));
  }
  return Status::Ok();
}

void EmitCopies(const Node& node, LoweringContext& ctx) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const int64_t bytes = ctx.graph().tensor(node.inputs[i]).bytes();
    // A loop variable the body passes through unchanged needs no copy.
    if (bytes == 0 || node.inputs[i] == node.outputs[i]) continue;
    movement::EmitByteCopy(ctx, node.inputs[i], node.outputs[i], bytes);
  }
}

/// IF's or WHILE's three markers: their parts in order, the one that reads
/// the condition (the others copy), and the C each opens or closes with.
struct MarkerKind {
  std::array<std::string_view, 3> parts;
  size_t condition;
  std::array<const char*, 3> statements;  // fmt patterns; {} is the condition
};

constexpr MarkerKind kIfMarkers = {{"begin", "else", "end"}, 0, {"if ({}[0]) {{", "}} else {{", "}}"}};
constexpr MarkerKind kWhileMarkers = {{"begin", "test", "end"}, 1, {"for (;;) {{", "if (!{}[0]) break;", "}}"}};

Expected<size_t> CheckMarker(const MarkerKind& kind, const Graph& graph, const Node& node) {
  const std::string part = node.attrs.get_string("part", "");
  for (size_t k = 0; k < kind.parts.size(); ++k) {
    if (part != kind.parts[k]) continue;
    KILN_RETURN_IF_ERROR(k == kind.condition ? CheckCondition(graph, node) : CheckCopies(graph, node));
    return k;
  }
  return MakeError("{}: part '{}' is not one of the markers Kiln's importer writes", OpLabel(node), part);
}

Status LowerMarker(const MarkerKind& kind, const Node& node, LoweringContext& ctx) {
  KILN_ASSIGN_OR_RETURN(const size_t k, CheckMarker(kind, ctx.graph(), node));
  if (k == kind.condition) {
    ctx.statement(fmt::format(fmt::runtime(kind.statements[k]), ctx.tensor(node.inputs[0])));
    return Status::Ok();
  }
  EmitCopies(node, ctx);
  ctx.statement(fmt::format(fmt::runtime(kind.statements[k]), ""));
  return Status::Ok();
}

}  // namespace

Status CheckIf(const Graph& graph, const Node& node) { return CheckMarker(kIfMarkers, graph, node).status(); }
Status LowerIf(const Node& node, LoweringContext& ctx) { return LowerMarker(kIfMarkers, node, ctx); }
Status CheckWhile(const Graph& graph, const Node& node) { return CheckMarker(kWhileMarkers, graph, node).status(); }
Status LowerWhile(const Node& node, LoweringContext& ctx) { return LowerMarker(kWhileMarkers, node, ctx); }

}  // namespace kiln
