// READ_VARIABLE and ASSIGN_VARIABLE: TFLite's resource variables, which the
// importer resolved to state tensors (frontend/tflite/resource_variables.h).
// Both are byte copies, as TFLite Micro's kernels are: a read copies the
// state out (a later assignment must not change a value already read), an
// assignment copies the value in. The state tensor is the variable's one
// buffer, in the state pool, for the whole run and between runs.
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

Status CheckSameBytes(const Node& node, const Tensor& variable, const Tensor& value, const char* role) {
  if (!variable.is_variable)
    return MakeError("{}: input 0 '{}' is not a variable (state) tensor", OpLabel(node), variable.name);
  if (value.dtype != variable.dtype || value.num_elements() != variable.num_elements())
    return MakeError("{}: {} '{}' is {} {}, but variable '{}' is {} {}", OpLabel(node), role, value.name,
                     DTypeName(value.dtype), ShapeString(value.shape), variable.name, DTypeName(variable.dtype),
                     ShapeString(variable.shape));
  return Status::Ok();
}

}  // namespace

Status CheckReadVariable(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  return CheckSameBytes(node, graph.tensor(node.inputs[0]), graph.output(node), "output");
}

Status LowerReadVariable(const Node& node, LoweringContext& ctx) {
  movement::EmitByteCopy(ctx, node.inputs[0], node.outputs[0], ctx.graph().tensor(node.inputs[0]).bytes());
  return Status::Ok();
}

Status CheckAssignVariable(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 2, 0));
  if (node.inputs[1] == kNoTensor) return MakeError("{}: the value input is absent", OpLabel(node));
  return CheckSameBytes(node, graph.tensor(node.inputs[0]), graph.tensor(node.inputs[1]), "value");
}

Status LowerAssignVariable(const Node& node, LoweringContext& ctx) {
  movement::EmitByteCopy(ctx, node.inputs[1], node.inputs[0], ctx.graph().tensor(node.inputs[0]).bytes());
  return Status::Ok();
}

}  // namespace kiln
