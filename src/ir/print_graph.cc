#include "ir/print_graph.h"

#include <fmt/format.h>

#include "ir/op_table.h"

namespace kiln {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

std::string TensorRef(int id) { return id == kNoTensor ? "none" : fmt::format("%{}", id); }

std::string PrintQuant(const Quantization& q) {
  if (q.empty()) return "";
  std::vector<std::string> scales, zps;
  for (float s : q.scale) scales.push_back(fmt::format("{:.9g}", s));
  for (int64_t z : q.zero_point) zps.push_back(std::to_string(z));
  if (!q.per_channel()) return fmt::format(" q(scale={}, zp={})", scales[0], zps[0]);
  return fmt::format(" q(axis={}, scale=[{}], zp=[{}])", q.axis, Join(scales), Join(zps));
}

std::string PrintAttrValue(const AttrValue& value) {
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return fmt::format("{:.9g}", *d);
  if (auto* s = std::get_if<std::string>(&value)) return fmt::format("\"{}\"", *s);
  std::vector<std::string> items;
  for (int64_t v : std::get<std::vector<int64_t>>(value)) items.push_back(std::to_string(v));
  return fmt::format("[{}]", Join(items));  // not "[" + ...: GCC 12 -O3 -Wrestrict false positive
}

}  // namespace

std::string PrintTensorType(const Tensor& t) {
  return fmt::format("{}{}{}", DTypeName(t.dtype), ShapeString(t.shape), PrintQuant(t.quant));
}

std::string PrintAttrs(const Attrs& attrs) {
  if (attrs.values.empty()) return "";
  std::vector<std::string> items;
  for (const auto& [name, value] : attrs.values) items.push_back(name + "=" + PrintAttrValue(value));
  return fmt::format("{{{}}}", Join(items));
}

std::string PrintGraph(const Graph& graph) {
  std::string out = fmt::format("graph \"{}\" {{\n", graph.name);
  std::vector<std::string> ins, outs;
  for (int id : graph.inputs) ins.push_back(TensorRef(id));
  for (int id : graph.outputs) outs.push_back(TensorRef(id));
  out += fmt::format("  inputs({})\n  outputs({})\n", Join(ins), Join(outs));
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const Tensor& t = graph.tensors[i];
    const char* kind = t.is_constant ? "const " : (t.is_variable ? "var " : "");
    out += fmt::format("  %{} = {}{} \"{}\"\n", i, kind, PrintTensorType(t), t.name);
  }
  for (const Node& node : graph.nodes) {
    std::vector<std::string> ins_n, outs_n;
    for (int id : node.inputs) ins_n.push_back(TensorRef(id));
    for (int id : node.outputs) outs_n.push_back(TensorRef(id));
    std::string attrs = PrintAttrs(node.attrs);
    out += fmt::format("  #{} {}({}) -> ({}){}\n", node.index, NodeName(node), Join(ins_n),
                       Join(outs_n), attrs.empty() ? "" : " " + attrs);
  }
  return out + "}\n";
}

}  // namespace kiln
