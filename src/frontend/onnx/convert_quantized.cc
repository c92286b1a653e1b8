// ONNX quantization operators onto Kiln's int8 path. QuantizeLinear and
// DequantizeLinear become QUANTIZE / DEQUANTIZE with the scale and zero
// point carried on the quantized tensor, as TFLite models carry them.
// Rounding: ONNX rounds x / scale half to even, Kiln's quantize_f32 (like
// TFLite) half away from zero; results differ only on exact ties (docs/onnx.md).
// QLinearConv and QLinearMatMul are not imported yet (docs/onnx.md).
#include <cmath>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

/// Per-tensor (or per-channel along `axis`) scale and zero point from two
/// constant inputs.
Expected<Quantization> ReadQuant(OnnxNode& n, size_t scale_slot, size_t zp_slot, int64_t axis, const char* what) {
  Quantization q;
  KILN_ASSIGN_OR_RETURN(q.scale, n.ConstantFloats(scale_slot, what));
  if (q.scale.empty()) return n.Invalid("{} scale is empty", what);
  for (float s : q.scale)
    if (!(s > 0.0f) || !std::isfinite(s)) return n.Invalid("{} scale {} is not a positive finite number", what, s);
  if (n.has_input(zp_slot)) {
    KILN_ASSIGN_OR_RETURN(q.zero_point, n.ConstantInts(zp_slot, "zero point"));
    if (q.zero_point.size() != q.scale.size()) return n.Invalid("{} has {} scales but {} zero points", what, q.scale.size(), q.zero_point.size());
  } else {
    q.zero_point.assign(q.scale.size(), 0);
  }
  q.axis = static_cast<int32_t>(axis);
  return q;
}

Expected<DType> ZeroPointDType(OnnxNode& n, size_t zp_slot) {
  if (!n.has_input(zp_slot)) return DType::kUInt8;  // ONNX's default
  return n.input(zp_slot).dtype;
}

}  // namespace

Status ConvertQuantizeLinear(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs x and y_scale are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  if (n.input(1).num_elements() != 1) return n.Unsupported("per-axis quantization of activations");
  KILN_ASSIGN_OR_RETURN(Quantization q, ReadQuant(n, 1, 2, 0, "y"));
  KILN_ASSIGN_OR_RETURN(DType dtype, ZeroPointDType(n, 2));
  if (dtype != DType::kInt8 && dtype != DType::kUInt8) return n.Unsupported("output dtype {}", DTypeName(dtype));
  const Tensor& in = n.input(0);
  if (in.is_constant) return n.Unsupported("a constant input (fold the weights offline)");
  const int out = n.DefineOutput(0, dtype, in.shape);
  n.graph().tensors[static_cast<size_t>(out)].quant = q;
  n.ctx().AddNode(OpKind::kQuantize, {n.input_id(0)}, {out});
  return Status::Ok();
}

Status ConvertDequantizeLinear(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs x and x_scale are required");
  if (n.input(1).num_elements() != 1) return n.Unsupported("per-axis dequantization");
  KILN_ASSIGN_OR_RETURN(Quantization q, ReadQuant(n, 1, 2, 0, "x"));
  Tensor& in = n.graph().tensors[static_cast<size_t>(n.input_id(0))];
  if (n.has_input(2) && n.input(2).dtype != in.dtype)
    return n.Invalid("x is {} but x_zero_point is {}", DTypeName(in.dtype), DTypeName(n.input(2).dtype));
  if (in.dtype == DType::kInt32) return n.Unsupported("int32 input");
  // The quantization belongs to the tensor: set it, unless it disagrees.
  if (!in.quant.empty() && (in.quant.scale != q.scale || in.quant.zero_point != q.zero_point))
    return n.Unsupported("input '{}' dequantized with a second scale/zero point", in.name);
  in.quant = q;
  const Tensor& input = n.input(0);
  if (input.is_constant) {
    Tensor out;
    out.dtype = DType::kFloat32;
    out.shape = input.shape;
    std::vector<double> values;
    for (int64_t i = 0; i < input.num_elements(); ++i)
      values.push_back(static_cast<double>(q.scale[0]) * static_cast<double>(input.int_at(i) - q.zero_point[0]));
    out.data = EncodeDoubles(DType::kFloat32, values);
    n.DefineConstantOutput(0, std::move(out));
    return Status::Ok();
  }
  const int out = n.DefineOutput(0, DType::kFloat32, input.shape);
  n.ctx().AddNode(OpKind::kDequantize, {n.input_id(0)}, {out});
  return Status::Ok();
}

}  // namespace kiln::onnx_import
