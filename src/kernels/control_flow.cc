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
#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

Expected<std::string> Part(const Node& node, std::initializer_list<std::string_view> parts) {
  const std::string part = node.attrs.get_string("part", "");
  for (std::string_view p : parts)
    if (part == p) return part;
  return MakeError("{}: part '{}' is not one of the markers Kiln's importer writes", OpLabel(node), part);
}

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
    if (bytes == 0) continue;
    ctx.use_kernel("copy");
    ctx.statement(fmt::format("kiln_copy({}, {}, {});", ctx.tensor(node.inputs[i]), ctx.tensor(node.outputs[i]),
                              bytes));
  }
}

}  // namespace

Status CheckIf(const Graph& graph, const Node& node) {
  KILN_ASSIGN_OR_RETURN(const std::string part, Part(node, {"begin", "else", "end"}));
  return part == "begin" ? CheckCondition(graph, node) : CheckCopies(graph, node);
}

Status LowerIf(const Node& node, LoweringContext& ctx) {
  KILN_RETURN_IF_ERROR(CheckIf(ctx.graph(), node));
  const std::string part = node.attrs.get_string("part", "");
  if (part == "begin") {
    ctx.statement(fmt::format("if ({}[0]) {{", ctx.tensor(node.inputs[0])));
    return Status::Ok();
  }
  EmitCopies(node, ctx);
  ctx.statement(part == "else" ? "} else {" : "}");
  return Status::Ok();
}

Status CheckWhile(const Graph& graph, const Node& node) {
  KILN_ASSIGN_OR_RETURN(const std::string part, Part(node, {"begin", "test", "end"}));
  return part == "test" ? CheckCondition(graph, node) : CheckCopies(graph, node);
}

Status LowerWhile(const Node& node, LoweringContext& ctx) {
  KILN_RETURN_IF_ERROR(CheckWhile(ctx.graph(), node));
  const std::string part = node.attrs.get_string("part", "");
  if (part == "test") {
    ctx.statement(fmt::format("if (!{}[0]) break;", ctx.tensor(node.inputs[0])));
    return Status::Ok();
  }
  EmitCopies(node, ctx);
  ctx.statement(part == "begin" ? "for (;;) {" : "}");
  return Status::Ok();
}

}  // namespace kiln
