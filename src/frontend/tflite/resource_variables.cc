#include "frontend/tflite/resource_variables.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "frontend/tflite/builtin_names.h"
#include "frontend/tflite/operator_options.h"
#include "passes/graph_edit.h"

namespace kiln::tflite {
namespace {

namespace fb = tflite_fb;

/// TFLite Micro tells variables apart by (container, shared_name).
struct VariableKey {
  std::string container, shared_name;
  auto operator<=>(const VariableKey&) const = default;
  std::string label() const {
    const std::string name = container.empty() ? shared_name : container + "/" + shared_name;
    return name.empty() ? "(unnamed)" : name;
  }
};

struct Variable {
  /// The first tensor that gave it a type (dtype, shape, quantization), and where.
  std::optional<Tensor> type;
  std::string typed_by;
  std::vector<uint8_t> initial_value;
  /// Read or assigned by subgraph 0.
  bool used = false;
  int state_tensor = -1;
};

bool IsVariableNode(const Node& node) {
  return node.op == OpKind::kReadVariable || node.op == OpKind::kAssignVariable;
}

/// Gives the variable its type from `t`, or holds `t` to the type it has.
Status TypeVariable(const VariableKey& key, const Tensor& t, const std::string& where, Variable* v) {
  if (!v->type) {
    v->type = t;
    v->type->data.clear();
    v->type->is_constant = false;
    v->typed_by = where;
    return Status::Ok();
  }
  if (v->type->dtype != t.dtype || v->type->num_elements() != t.num_elements())
    return MakeError("{}: tensor '{}' is {} {} but variable '{}' is {} {} ({})", where, t.name, DTypeName(t.dtype),
                     ShapeString(t.shape), key.label(), DTypeName(v->type->dtype), ShapeString(v->type->shape),
                     v->typed_by);
  return Status::Ok();
}

VariableKey HandleKey(const fb::Operator& op) {
  const auto* o = op.builtin_options_as_VarHandleOptions();
  VariableKey key;
  if (o != nullptr && o->container() != nullptr) key.container = o->container()->str();
  if (o != nullptr && o->shared_name() != nullptr) key.shared_name = o->shared_name()->str();
  return key;
}

/// Runs CALL_ONCE's init subgraph at compile time: VAR_HANDLE and
/// ASSIGN_VARIABLE of constants, the only operators TFLite's converter puts
/// there for variables initialised from constants.
Status RunInitSubgraph(const fb::Model& model, int index, const std::string& caller,
                       const SubgraphTensorImporter& import_tensor, std::map<VariableKey, Variable>* variables) {
  const auto* subgraphs = model.subgraphs();
  if (index <= 0 || subgraphs == nullptr || static_cast<size_t>(index) >= subgraphs->size())
    return MakeError("{}: init_subgraph_index {} is not a subgraph other than the main one (the model has {})", caller,
                     index, subgraphs ? subgraphs->size() : 0);
  const fb::SubGraph& sub = *subgraphs->Get(static_cast<flatbuffers::uoffset_t>(index));
  const int num_tensors = sub.tensors() ? static_cast<int>(sub.tensors()->size()) : 0;
  std::map<int, VariableKey> handles;
  if (sub.operators() == nullptr) return Status::Ok();
  for (flatbuffers::uoffset_t k = 0; k < sub.operators()->size(); ++k) {
    const fb::Operator& op = *sub.operators()->Get(k);
    const auto* codes = model.operator_codes();
    const int32_t code =
        codes != nullptr && op.opcode_index() < codes->size() ? BuiltinCode(*codes->Get(op.opcode_index())) : -1;
    const std::string where = fmt::format("{}: init subgraph {} operator #{} {}", caller, index, k, BuiltinName(code));
    auto tensor_id = [&](const flatbuffers::Vector<int32_t>* ids, size_t slot) -> int {
      if (ids == nullptr || slot >= ids->size()) return -1;
      const int32_t id = ids->Get(static_cast<flatbuffers::uoffset_t>(slot));
      return id >= 0 && id < num_tensors ? id : -1;
    };
    if (code == builtin::kVarHandle) {
      const int out = tensor_id(op.outputs(), 0);
      if (out < 0) return MakeError("{}: needs one output tensor", where);
      handles[out] = HandleKey(op);
    } else if (code == builtin::kAssignVariable) {
      const int handle = tensor_id(op.inputs(), 0), value = tensor_id(op.inputs(), 1);
      if (handle < 0 || value < 0 || !handles.count(handle))
        return MakeError("{}: needs a VAR_HANDLE's resource and a value", where);
      Expected<Tensor> imported = import_tensor(sub, value);
      if (!imported.ok()) return MakeError("{}: {}", where, imported.message());
      const Tensor& t = *imported;
      if (!t.is_constant)
        return MakeError("{}: value '{}' is not a constant; Kiln runs the init subgraph at compile time, so it "
                         "can assign only constants",
                         where, t.name);
      const VariableKey& key = handles.at(handle);
      Variable& v = (*variables)[key];
      KILN_RETURN_IF_ERROR(TypeVariable(key, t, where, &v));
      v.initial_value = t.data;
    } else {
      return MakeError("{}: Kiln runs CALL_ONCE's init subgraph at compile time, and it may hold only VAR_HANDLE "
                       "and ASSIGN_VARIABLE of constants",
                       where);
    }
  }
  return Status::Ok();
}

}  // namespace

Status ResolveResourceVariables(const fb::Model& model, const std::vector<bool>& is_resource,
                                const SubgraphTensorImporter& import_tensor, Graph* graph) {
  const bool any_resource = std::find(is_resource.begin(), is_resource.end(), true) != is_resource.end();
  const bool any_node = std::any_of(graph->nodes.begin(), graph->nodes.end(), [](const Node& n) {
    return IsVariableNode(n) || n.source_op == "VAR_HANDLE" || n.source_op == "CALL_ONCE";
  });
  if (!any_resource && !any_node) return Status::Ok();
  auto resource = [&](int id) { return id >= 0 && static_cast<size_t>(id) < is_resource.size() && is_resource[id]; };
  for (int id : graph->inputs)
    if (resource(id)) return MakeError("model input '{}' is a resource handle", graph->tensor(id).name);
  for (int id : graph->outputs)
    if (resource(id)) return MakeError("model output '{}' is a resource handle", graph->tensor(id).name);

  std::map<VariableKey, Variable> variables;
  std::map<int, VariableKey> handles;  // resource tensor -> the variable it names
  bool variable_used = false;
  for (const Node& node : graph->nodes) {
    const std::string where = fmt::format("operator #{} {}", node.index, node.source_op);
    if (node.source_op == "VAR_HANDLE") {
      if (!node.inputs.empty() || node.outputs.size() != 1 || !resource(node.outputs[0]))
        return MakeError("{}: needs no input and one output of type RESOURCE", where);
      if (!handles.emplace(node.outputs[0], VariableKey{node.attrs.get_string("container"),
                                                        node.attrs.get_string("shared_name")})
               .second)
        return MakeError("{}: its output '{}' is written twice", where, graph->tensor(node.outputs[0]).name);
    } else if (node.source_op == "CALL_ONCE") {
      // Kiln's variables hold their initial values from the first run on;
      // TFLite Micro's hold them from CALL_ONCE on.
      if (variable_used)
        return MakeError("{}: a variable is read or assigned before it; Kiln initialises variables before the "
                         "first operator runs",
                         where);
      KILN_RETURN_IF_ERROR(RunInitSubgraph(model, static_cast<int>(node.attrs.get_int("init_subgraph_index")), where,
                                           import_tensor, &variables));
    } else if (IsVariableNode(node)) {
      variable_used = true;
      const bool read = node.op == OpKind::kReadVariable;
      if (node.inputs.size() != (read ? 1u : 2u) || node.outputs.size() != (read ? 1u : 0u))
        return MakeError("{}: expected {}", where, read ? "one input (the resource) and one output"
                                                         : "two inputs (the resource, the value) and no output");
      if (!handles.count(node.inputs[0]))
        return MakeError("{}: input 0 is not the resource of an earlier VAR_HANDLE", where);
      const VariableKey& key = handles.at(node.inputs[0]);
      const int typed = read ? node.outputs[0] : node.inputs[1];
      if (typed == kNoTensor || resource(typed)) return MakeError("{}: its value is a resource handle", where);
      Variable& v = variables[key];
      KILN_RETURN_IF_ERROR(TypeVariable(key, graph->tensor(typed), where, &v));
      v.used = true;
    } else {
      for (size_t s = 0; s < node.inputs.size(); ++s)
        if (resource(node.inputs[s]))
          return MakeError("{}: input {} '{}' is a resource handle, which only READ_VARIABLE and ASSIGN_VARIABLE "
                           "take",
                           where, s, graph->tensor(node.inputs[s]).name);
      for (size_t s = 0; s < node.outputs.size(); ++s)
        if (resource(node.outputs[s]))
          return MakeError("{}: output {} '{}' is a resource handle, which only VAR_HANDLE writes", where, s,
                           graph->tensor(node.outputs[s]).name);
    }
  }

  // One state tensor per variable subgraph 0 uses.
  for (auto& [key, v] : variables) {
    if (!v.used) continue;
    Tensor state = *v.type;
    state.name = key.label();
    state.is_variable = true;
    state.initial_value = v.initial_value;
    v.state_tensor = static_cast<int>(graph->tensors.size());
    graph->tensors.push_back(std::move(state));
  }
  std::vector<Node> nodes;
  for (Node& node : graph->nodes) {
    if (node.source_op == "VAR_HANDLE" || node.source_op == "CALL_ONCE") continue;
    if (IsVariableNode(node)) node.inputs[0] = variables.at(handles.at(node.inputs[0])).state_tensor;
    nodes.push_back(std::move(node));
  }
  graph->nodes = std::move(nodes);
  passes::RemoveTensors(is_resource, graph);
  return Status::Ok();
}

}  // namespace kiln::tflite
