// CONCATENATION: joins its inputs along `axis`. Quantized inputs must share
// the output's scale and zero point (TFLite's converter guarantees it and
// TFLite refuses otherwise; TFLite Micro copies raw values without
// checking), so every dtype is a byte copy: runtime kernel "concatenation".
#include <fmt/format.h>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

/// The axis, with a negative value counted from the end; assumes Check passed.
int64_t NormalizedAxis(const Node& node, size_t rank) {
  const int64_t axis = node.attrs.get_int("axis", 0);
  return axis < 0 ? axis + static_cast<int64_t>(rank) : axis;
}

bool SameQuantization(const Quantization& a, const Quantization& b) {
  return a.scale == b.scale && a.zero_point == b.zero_point;
}

}  // namespace

Status CheckConcatenation(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 1, 1 << 16, 1));
  const Tensor& first = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.output(node);
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, i, "input", {first.dtype}));
  }
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));

  const std::string activation = node.attrs.get_string("activation", "NONE");
  if (activation != "NONE" && !activation.empty())
    return MakeError("{}: fused activation {} is not supported (TFLite requires NONE)",
                     OpLabel(node), activation);

  const size_t rank = out.shape.size();
  const int64_t raw_axis = node.attrs.get_int("axis", 0);
  const int64_t axis = NormalizedAxis(node, rank);
  if (rank == 0 || axis < 0 || axis >= static_cast<int64_t>(rank))
    return MakeError("{}: axis {} is out of range for output '{}' of rank {}", OpLabel(node),
                     raw_axis, out.name, rank);

  // Shape rule: equal ranks, equal dimensions off the axis, axis sizes add.
  Shape expected = first.shape;
  if (expected.size() != rank)
    return MakeError("{}: input 0 '{}' has rank {}, output '{}' has rank {}", OpLabel(node),
                     first.name, expected.size(), out.name, rank);
  int64_t axis_total = 0;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor& in = *graph.input(node, i);
    KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));
    bool compatible = in.shape.size() == rank;
    for (size_t d = 0; compatible && d < rank; ++d)
      compatible = static_cast<int64_t>(d) == axis || in.shape[d] == first.shape[d];
    if (!compatible)
      return MakeError("{}: input {} '{}' has shape {}, which cannot be concatenated with {} "
                       "along axis {}",
                       OpLabel(node), i, in.name, ShapeString(in.shape), ShapeString(first.shape),
                       axis);
    axis_total += in.shape[static_cast<size_t>(axis)];
  }
  if (axis_total > INT32_MAX)
    return MakeError("{}: the concatenated axis is too long ({})", OpLabel(node), axis_total);
  expected[static_cast<size_t>(axis)] = static_cast<int32_t>(axis_total);
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, out, "output"));

  // Quantized values are copied, not requantized.
  if (first.dtype == DType::kInt8 || first.dtype == DType::kUInt8 ||
      first.dtype == DType::kInt16) {
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const Tensor& in = *graph.input(node, i);
      if (!SameQuantization(in.quant, out.quant))
        return MakeError("{}: input {} '{}' and output '{}' have different quantization; "
                         "{} concatenation requires every input to share the output's scale and "
                         "zero point",
                         OpLabel(node), i, in.name, out.name, DTypeName(first.dtype));
    }
  }
  return Status::Ok();
}

Status LowerConcatenation(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& out = graph.output(node);
  const size_t axis = static_cast<size_t>(NormalizedAxis(node, out.shape.size()));
  const int64_t element_size = static_cast<int64_t>(DTypeSize(out.dtype));

  int64_t outer = 1;
  for (size_t d = 0; d < axis; ++d) outer *= out.shape[d];
  std::vector<int64_t> slice_bytes;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Tensor& in = *graph.input(node, i);
    int64_t bytes = element_size;
    for (size_t d = axis; d < in.shape.size(); ++d) bytes *= in.shape[d];
    slice_bytes.push_back(bytes);
  }
  movement::EmitConcatenation(ctx, node.inputs, node.outputs[0], outer, slice_bytes);
  return Status::Ok();
}

}  // namespace kiln
