// PAD: surrounds the input with a constant, as TFLite Micro's pad kernel
// does: the pad value is the output zero point for int8, and 0 for int16,
// int32 and float32 (TFLite Micro pads int16 with 0, whose zero point is 0
// by the int16 quantization spec). An optional third input (PADV2's
// constant_values) supplies the value instead. Runtime kernel "pad".
#include <cstring>

#include "kernels/kernel_functions.h"
#include "kernels/movement_common.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

constexpr size_t kMaxPadRank = 6;  // KILN_PAD_MAX_DIMS

/// The pad value's bit pattern in the element type (see kiln_pad_params_t).
int64_t FillBits(const Graph& graph, const Node& node) {
  if (const Tensor* value = graph.input(node, 2)) {
    if (value->dtype == DType::kFloat32) {
      const float f = value->float_at(0);
      int32_t bits;
      std::memcpy(&bits, &f, sizeof bits);
      return bits;
    }
    return value->int_at(0);
  }
  return movement::DefaultPadBits(graph.output(node));
}

}  // namespace

Status CheckPad(const Graph& graph, const Node& node) {
  KILN_RETURN_IF_ERROR(CheckArity(node, 2, 3, 1));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input",
                                       {DType::kInt8, DType::kInt16, DType::kInt32,
                                        DType::kFloat32}));
  KILN_RETURN_IF_ERROR(movement::CheckOutputDTypeMatchesInput(graph, node));
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.output(node);
  KILN_RETURN_IF_ERROR(movement::CheckMaxRank(node, in, "input", kMaxPadRank));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, in, "input"));

  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> paddings,
                        movement::ReadPaddings(graph, node, in, /*empty_for_scalar=*/true));
  Shape expected;
  for (size_t d = 0; d < in.shape.size(); ++d) {
    const int64_t before = paddings[2 * d];
    const int64_t after = paddings[2 * d + 1];
    if (before < 0 || after < 0)
      return MakeError("{}: paddings of dimension {} are [{}, {}]; negative padding is not "
                       "supported",
                       OpLabel(node), d, before, after);
    const int64_t size = in.shape[d] + before + after;
    if (size > INT32_MAX)
      return MakeError("{}: padded dimension {} is too large ({})", OpLabel(node), d, size);
    expected.push_back(static_cast<int32_t>(size));
  }
  KILN_RETURN_IF_ERROR(CheckOutputShape(graph, node, 0, expected));
  KILN_RETURN_IF_ERROR(movement::CheckDimsPositive(node, out, "output"));

  if (const Tensor* value = graph.input(node, 2)) {
    KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 2, "constant_values", {in.dtype}));
    KILN_RETURN_IF_ERROR(CheckConstant(graph, node, 2, "constant_values"));
    if (value->num_elements() != 1)
      return MakeError("{}: input 2 (constant_values '{}') must hold one value, got shape {}",
                       OpLabel(node), value->name, ShapeString(value->shape));
    if (in.dtype == DType::kInt8 && (value->quant.scale != out.quant.scale ||
                                     value->quant.zero_point != out.quant.zero_point))
      return MakeError("{}: input 2 (constant_values '{}') must have the output's scale and zero "
                       "point",
                       OpLabel(node), value->name);
  } else if (in.dtype == DType::kInt8 && !out.quant.zero_point.empty()) {
    const int64_t zp = out.quant.zero_point[0];
    if (zp < -128 || zp > 127)
      return MakeError("{}: output '{}' zero point {} is outside the int8 range", OpLabel(node),
                       out.name, zp);
  }
  return Status::Ok();
}

Status LowerPad(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.output(node);
  const Tensor& paddings_tensor = *graph.input(node, 1);
  std::vector<int64_t> before;
  for (size_t d = 0; d < in.shape.size(); ++d) before.push_back(paddings_tensor.int_at(static_cast<int64_t>(2 * d)));
  movement::EmitPad(ctx, ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0]), DTypeSize(in.dtype),
                    movement::ExtendShape(in.shape, in.shape.size()), movement::ExtendShape(out.shape, out.shape.size()),
                    before, FillBits(graph, node));
  return Status::Ok();
}

}  // namespace kiln
