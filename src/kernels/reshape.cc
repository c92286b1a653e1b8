// RESHAPE and SQUEEZE: both keep the elements and their order and only
// change the declared shape, so both lower to one byte copy (runtime kernel
// "copy", which is a no-op when the planner gives input and output the same
// buffer). Check is the shape rule: it resolves the target shape as TFLite
// does and insists that the model's declared output shape agrees.
#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

/// Resolves a requested shape with at most one -1 against `elements`
/// input elements, as TFLite's reshape does.
Expected<Shape> ResolveStretch(const Node& node, const std::vector<int64_t>& requested,
                               int64_t elements, const char* source) {
  Shape shape;
  int stretch = -1;
  int64_t known = 1;
  for (size_t i = 0; i < requested.size(); ++i) {
    const int64_t d = requested[i];
    if (d == -1) {
      if (stretch != -1)
        return MakeError("{}: the {} has more than one -1 dimension", OpLabel(node), source);
      stretch = static_cast<int>(i);
    } else if (d < 0 || d > INT32_MAX) {
      return MakeError("{}: the {} has an invalid dimension {}", OpLabel(node), source, d);
    } else {
      // Saturates: a product past int64 can only match the input's element
      // count if a later dimension is 0 (and then it is 0).
      known = d != 0 && known > INT64_MAX / d ? INT64_MAX : known * d;
    }
    shape.push_back(static_cast<int32_t>(d));
  }
  if (stretch != -1) {
    if (known == 0 || elements % known != 0)
      return MakeError("{}: cannot resolve the -1 dimension of the {}: {} input elements are not "
                       "a multiple of {}",
                       OpLabel(node), source, elements, known);
    shape[static_cast<size_t>(stretch)] = static_cast<int32_t>(elements / known);
  }
  return shape;
}

/// The output shape a RESHAPE asks for: from the shape input when it is a
/// 1-D int32 tensor (TFLite's rule), else from the new_shape attribute,
/// else the declared output shape.
Expected<Shape> RequestedReshape(const Graph& graph, const Node& node) {
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.output(node);
  const Tensor* shape_tensor = graph.input(node, 1);
  if (shape_tensor != nullptr && shape_tensor->shape.size() == 1 &&
      shape_tensor->dtype == DType::kInt32) {
    // A computed shape tensor cannot be read at compile time; TFLite Micro
    // uses the declared output shape then, and so do we.
    if (!shape_tensor->is_constant) return out.shape;
    std::vector<int64_t> requested;
    for (int64_t i = 0; i < shape_tensor->num_elements(); ++i)
      requested.push_back(shape_tensor->int_at(i));
    return ResolveStretch(node, requested, in.num_elements(), "shape input");
  }
  std::vector<int64_t> requested = node.attrs.get_ints("new_shape");
  // An empty list is what an absent option looks like after import.
  if (requested.empty()) return out.shape;
  // Legacy converters wrote [0] for a scalar.
  if (requested.size() == 1 && requested[0] == 0) return Shape{};
  return ResolveStretch(node, requested, in.num_elements(), "new_shape attribute");
}

Status CheckCopyDTypes(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", movement::kByteCopyDTypes));
  return movement::CheckOutputDTypeMatchesInput(graph, node);
}

/// RESHAPE and SQUEEZE change only the shape: the output is the input's
/// bytes when the planner can make it so, a copy otherwise.
Status LowerCopy(const Node& node, LoweringContext& ctx) {
  if (ctx.alias(node.outputs[0], node.inputs[0])) return Status::Ok();
  movement::EmitByteCopy(ctx, node.inputs[0], node.outputs[0], ctx.graph().tensor(node.inputs[0]).bytes());
  return Status::Ok();
}

}  // namespace

Status CheckReshape(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 2, 1));
  KILN_RETURN_IF_ERROR(CheckCopyDTypes(graph, node));
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.output(node);
  KILN_ASSIGN_OR_RETURN(Shape expected, RequestedReshape(graph, node));
  const int64_t expected_elements = ShapeElements(expected);
  if (expected_elements != in.num_elements())
    return MakeError("{}: cannot reshape input '{}' of shape {} ({} elements) to {} ({} elements)",
                     OpLabel(node), in.name, ShapeString(in.shape), in.num_elements(),
                     ShapeString(expected), expected_elements);
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  if (out.num_elements() != in.num_elements())
    return MakeError("{}: output '{}' has {} elements, input '{}' has {}", OpLabel(node), out.name,
                     out.num_elements(), in.name, in.num_elements());
  return Status::Ok();
}

Status LowerReshape(const Node& node, LoweringContext& ctx) { return LowerCopy(node, ctx); }

Status CheckSqueeze(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1, 1));
  KILN_RETURN_IF_ERROR(CheckCopyDTypes(graph, node));
  const Tensor& in = graph.tensor(node.inputs[0]);
  // TFLite Micro's limit.
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", 8));
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  std::vector<bool> squeeze(in.shape.size(), false);
  const std::vector<int64_t> dims = node.attrs.get_ints("squeeze_dims");
  if (dims.empty()) {
    for (size_t i = 0; i < in.shape.size(); ++i) squeeze[i] = in.shape[i] == 1;
  } else {
    for (int64_t d : dims) {
      const int64_t axis = d < 0 ? d + rank : d;
      if (axis < 0 || axis >= rank)
        return MakeError("{}: squeeze_dims entry {} is out of range for input '{}' of rank {}",
                         OpLabel(node), d, in.name, rank);
      if (in.shape[static_cast<size_t>(axis)] != 1)
        return MakeError("{}: cannot squeeze dimension {} of input '{}' (shape {}): its size is "
                         "{}, not 1",
                         OpLabel(node), d, in.name, ShapeString(in.shape),
                         in.shape[static_cast<size_t>(axis)]);
      squeeze[static_cast<size_t>(axis)] = true;
    }
  }
  Shape expected;
  for (size_t i = 0; i < in.shape.size(); ++i)
    if (!squeeze[i]) expected.push_back(in.shape[i]);
  return CheckOutputShape(graph, node, 0, expected);
}

Status LowerSqueeze(const Node& node, LoweringContext& ctx) { return LowerCopy(node, ctx); }

}  // namespace kiln
