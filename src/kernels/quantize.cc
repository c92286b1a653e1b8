// QUANTIZE and DEQUANTIZE. QUANTIZE from float32 is TFLite's AffineQuantize;
// from an integer type it is TFLite Micro's requantization
// (quantize_common.cc: QuantizeMultiplier of double(input_scale) /
// double(output_scale), then reference_ops::Requantize). The kernel is chosen
// by the input dtype; the output dtype is a parameter of that kernel.
// DEQUANTIZE produces float32 from int8, uint8 or int16.
#include <fmt/format.h>

#include "kernels/elementwise_util.h"
#include "kernels/kernel_functions.h"
#include "kernels/quant_params.h"

namespace kiln {
namespace {

using elem_detail::IntLit;
using elem_detail::ZeroPoint;

/// "S8", "U8", "S16", "S32": the suffix of the runtime's output enumerators.
const char* DTypeSuffix(DType dtype) {
  switch (dtype) {
    case DType::kInt8: return "S8";
    case DType::kUInt8: return "U8";
    case DType::kInt16: return "S16";
    case DType::kInt32: return "S32";
    default: return "?";
  }
}

/// The output dtypes TFLite Micro's QUANTIZE accepts for each input dtype
/// (plus int8 -> uint8 / uint8 -> int8 / float -> uint8, which the
/// reference requantization and AffineQuantize compute the same way).
std::vector<DType> AllowedOutputs(DType input) {
  switch (input) {
    case DType::kFloat32: return {DType::kInt8, DType::kUInt8, DType::kInt16};
    case DType::kInt8: return {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32};
    case DType::kUInt8: return {DType::kInt8, DType::kUInt8};
    case DType::kInt16: return {DType::kInt8, DType::kInt16, DType::kInt32};
    case DType::kInt32: return {DType::kInt8, DType::kInt16};
    default: return {};
  }
}

/// The runtime variant for a QUANTIZE whose input has `dtype`.
std::string QuantizeVariant(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return "quantize_f32";
    case DType::kInt8: return "requantize_s8";
    case DType::kUInt8: return "requantize_u8";
    case DType::kInt16: return "requantize_s16";
    default: return "requantize_s32";
  }
}

Status CheckQuantizeImpl(const Graph& graph, const Node& node, DType input_dtype) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckUnaryShape(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {input_dtype}));
  KILN_RETURN_IF_ERROR(elem_detail::CheckOutputDType(graph, node, 0, AllowedOutputs(input_dtype)));
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  // Per-channel output quantization is not supported by TFLite Micro either.
  KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, out, "output"));
  if (input_dtype == DType::kFloat32) return Status::Ok();
  KILN_RETURN_IF_ERROR(elem_detail::CheckQuantized(node, in, "input"));
  const FixedPointMultiplier m = QuantizeMultiplier(static_cast<double>(in.quant.scale[0]) /
                                                    static_cast<double>(out.quant.scale[0]));
  return elem_detail::CheckShift(node, m, "input_scale / output_scale");
}

Status LowerQuantizeImpl(const Node& node, LoweringContext& ctx) {
  const Graph& graph = ctx.graph();
  const Tensor& in = *graph.input(node, 0);
  const Tensor& out = graph.output(node, 0);
  const std::string variant = QuantizeVariant(in.dtype);
  const std::string output_type =
      fmt::format("KILN_{}_TO_{}", in.dtype == DType::kFloat32 ? "QUANTIZE_F32"
                                                               : fmt::format("REQUANTIZE_{}",
                                                                             DTypeSuffix(in.dtype)),
                  DTypeSuffix(out.dtype));
  std::vector<elem_detail::Field> fields = {{"count", IntLit(in.num_elements())}};
  if (in.dtype == DType::kFloat32) {
    fields.push_back({"scale", elem_detail::FloatLit(out.quant.scale[0])});
    fields.push_back({"zero_point", IntLit(ZeroPoint(out))});
  } else {
    const FixedPointMultiplier m = QuantizeMultiplier(static_cast<double>(in.quant.scale[0]) /
                                                      static_cast<double>(out.quant.scale[0]));
    fields.push_back({"input_zero_point", IntLit(ZeroPoint(in))});
    fields.push_back({"output_zero_point", IntLit(ZeroPoint(out))});
    fields.push_back({"multiplier", IntLit(m.multiplier)});
    fields.push_back({"shift", IntLit(m.shift)});
  }
  fields.push_back({"output_type", output_type});
  // ONNX's QuantizeLinear rounds x / scale half to even (attribute set by
  // the ONNX importer); TFLite's AffineQuantize half away from zero.
  if (in.dtype == DType::kFloat32 && node.attrs.get_string("rounding") == "HALF_EVEN")
    fields.push_back({"round_half_even", "1"});
  ctx.use_kernel(variant);
  const std::string name = elem_detail::DeclareParams(ctx, variant, fields);
  ctx.statement(fmt::format("kiln_{}(&{}, {}, {});", variant, name, ctx.tensor(node.inputs[0]),
                            ctx.tensor(node.outputs[0])));
  return Status::Ok();
}

Status CheckDequantizeImpl(const Graph& graph, const Node& node, DType input_dtype) {
  KILN_RETURN_IF_ERROR(elem_detail::CheckUnaryShape(graph, node));
  KILN_RETURN_IF_ERROR(CheckInputDType(graph, node, 0, "input", {input_dtype}));
  KILN_RETURN_IF_ERROR(elem_detail::CheckOutputDType(graph, node, 0, {DType::kFloat32}));
  return elem_detail::CheckQuantized(node, *graph.input(node, 0), "input");
}

Status LowerDequantizeImpl(const Node& node, LoweringContext& ctx, const std::string& variant) {
  const Tensor& in = *ctx.graph().input(node, 0);
  elem_detail::EmitDequantize(ctx, variant, in.num_elements(), in.quant.scale[0], ZeroPoint(in),
                              ctx.tensor(node.inputs[0]), ctx.tensor(node.outputs[0]));
  return Status::Ok();
}

}  // namespace

Status CheckQuantizeF32(const Graph& graph, const Node& node) {
  return CheckQuantizeImpl(graph, node, DType::kFloat32);
}
Status CheckRequantizeS8(const Graph& graph, const Node& node) {
  return CheckQuantizeImpl(graph, node, DType::kInt8);
}
Status CheckRequantizeU8(const Graph& graph, const Node& node) {
  return CheckQuantizeImpl(graph, node, DType::kUInt8);
}
Status CheckRequantizeS16(const Graph& graph, const Node& node) {
  return CheckQuantizeImpl(graph, node, DType::kInt16);
}
Status CheckRequantizeS32(const Graph& graph, const Node& node) {
  return CheckQuantizeImpl(graph, node, DType::kInt32);
}
Status LowerQuantize(const Node& node, LoweringContext& ctx) {
  return LowerQuantizeImpl(node, ctx);
}

Status CheckDequantizeS8(const Graph& graph, const Node& node) {
  return CheckDequantizeImpl(graph, node, DType::kInt8);
}
Status CheckDequantizeU8(const Graph& graph, const Node& node) {
  return CheckDequantizeImpl(graph, node, DType::kUInt8);
}
Status CheckDequantizeS16(const Graph& graph, const Node& node) {
  return CheckDequantizeImpl(graph, node, DType::kInt16);
}
Status LowerDequantizeS8(const Node& node, LoweringContext& ctx) {
  return LowerDequantizeImpl(node, ctx, "dequantize_s8");
}
Status LowerDequantizeU8(const Node& node, LoweringContext& ctx) {
  return LowerDequantizeImpl(node, ctx, "dequantize_u8");
}
Status LowerDequantizeS16(const Node& node, LoweringContext& ctx) {
  return LowerDequantizeImpl(node, ctx, "dequantize_s16");
}

}  // namespace kiln
