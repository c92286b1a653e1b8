#include "kernels/movement_common.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "kernels/quant_params.h"

namespace kiln::movement {

Status CheckOutputDTypeMatchesInput(const Graph& graph, const Node& node, size_t slot) {
  const Tensor& in = graph.tensor(node.inputs.at(0));
  const Tensor& out = graph.output(node, slot);
  if (out.dtype != in.dtype)
    return MakeError("{}: output {} '{}' has dtype {}, expected {} like input 0", OpLabel(node),
                     slot, out.name, DTypeName(out.dtype), DTypeName(in.dtype));
  return Status::Ok();
}

Expected<std::vector<int64_t>> ReadConstIndexTensor(const Graph& graph, const Node& node,
                                                    size_t slot, const char* role,
                                                    size_t max_rank) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, slot, role, {DType::kInt32, DType::kInt64}));
  KILN_RETURN_IF_ERROR(CheckConstant(graph, node, slot, role));
  const Tensor& t = *graph.input(node, slot);
  if (t.shape.size() > max_rank)
    return MakeError("{}: input {} ({} '{}') must have rank at most {}, got shape {}",
                     OpLabel(node), slot, role, t.name, max_rank, ShapeString(t.shape));
  std::vector<int64_t> values;
  for (int64_t i = 0; i < t.num_elements(); ++i) values.push_back(t.int_at(i));
  return values;
}

Status CheckMaxRank(const Node& node, const Tensor& tensor, const char* role, size_t max_rank) {
  if (tensor.shape.size() > max_rank)
    return MakeError("{}: {} '{}' has rank {} (shape {}); at most {} dimensions are supported",
                     OpLabel(node), role, tensor.name, tensor.shape.size(),
                     ShapeString(tensor.shape), max_rank);
  return Status::Ok();
}

Status CheckDimsPositive(const Node& node, const Tensor& tensor, const char* role) {
  int64_t count = 1;
  for (int32_t d : tensor.shape) {
    if (d < 1)
      return MakeError("{}: {} '{}' has shape {}; every dimension must be at least 1",
                       OpLabel(node), role, tensor.name, ShapeString(tensor.shape));
    count *= d;
    if (count > std::numeric_limits<int32_t>::max())
      return MakeError("{}: {} '{}' (shape {}) has too many elements for 32-bit indexing",
                       OpLabel(node), role, tensor.name, ShapeString(tensor.shape));
  }
  return Status::Ok();
}

std::vector<int64_t> ExtendShape(const Shape& shape, size_t rank) {
  std::vector<int64_t> out(rank - shape.size(), 1);
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

std::string IntList(std::span<const int64_t> values) {
  std::string s = "{";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + "}";
}

std::string FloatLiteral(float value) {
  // fmt prints the shortest text that reads back as the same float.
  std::string s = fmt::format("{}", value);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s + "f";
}

std::string StaticConstStruct(std::string_view type, std::string_view name,
                              const std::vector<Field>& fields) {
  std::string s = fmt::format("static const {} {} = {{\n", type, name);
  for (const Field& f : fields) s += fmt::format("    .{} = {},\n", f.first, f.second);
  return s + "};";
}

}  // namespace kiln::movement
