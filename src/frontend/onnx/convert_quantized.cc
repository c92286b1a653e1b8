// ONNX quantization operators onto Kiln's int8 path. QuantizeLinear and
// DequantizeLinear become QUANTIZE / DEQUANTIZE with the scale and zero
// point carried on the quantized tensor, as TFLite models carry them.
// QuantizeLinear's QUANTIZE carries rounding="HALF_EVEN" (ONNX rounds x /
// scale half to even, TFLite half away from zero).
// QLinearConv and QLinearMatMul become the int8 CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED with rounding="HALF_EVEN" (ONNX's requantization, see
// docs/onnx.md). uint8 maps exactly onto int8 by subtracting 128 from values
// and zero points: activations through a QUANTIZE at each end, constant
// weights at import.
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

/// The quantization of a QLinear* operand from its scale and zero-point
/// slots; per-axis scales along `axis` are allowed only when `per_axis`.
Expected<Quantization> ReadOperandQuant(OnnxNode& n, size_t scale_slot, size_t zp_slot, int64_t axis, bool per_axis,
                                        const char* what) {
  if (!per_axis && n.has_input(scale_slot) && n.input(scale_slot).num_elements() != 1)
    return n.Unsupported("per-axis quantization of {}", what);
  KILN_ASSIGN_OR_RETURN(Quantization q, ReadQuant(n, scale_slot, zp_slot, axis, what));
  return q;
}

/// `q` for a uint8 tensor moved to int8: zero points - 128.
Quantization ShiftedToInt8(Quantization q, DType dtype) {
  if (dtype == DType::kUInt8)
    for (int64_t& zp : q.zero_point) zp -= 128;
  return q;
}

Status RequireInt8OrUInt8(OnnxNode& n, size_t slot) {
  const DType d = n.input(slot).dtype;
  if (d != DType::kInt8 && d != DType::kUInt8) return n.Unsupported("input {} of dtype {}", slot, DTypeName(d));
  if (n.has_input(slot + 2) && n.input(slot + 2).dtype != d)
    return n.Invalid("input {} is {} but its zero point is {}", slot, DTypeName(d), DTypeName(n.input(slot + 2).dtype));
  return Status::Ok();
}

/// Activation `slot` as an int8 tensor quantized with `q` (already shifted):
/// the tensor itself when int8, else a QUANTIZE uint8 -> int8 (exact: the
/// scale is the same, values and zero point move by -128).
Expected<int> Int8Activation(OnnxNode& n, size_t slot, const Quantization& q_int8, const Quantization& q_source) {
  Tensor& in = n.graph().tensors[static_cast<size_t>(n.input_id(slot))];
  if (in.is_constant) return n.Unsupported("a constant input {} (only weights may be constant)", slot);
  if (!in.quant.empty() && (in.quant.scale != q_source.scale || in.quant.zero_point != q_source.zero_point))
    return n.Unsupported("input '{}' used with a second scale/zero point", in.name);
  in.quant = q_source;
  if (in.dtype == DType::kInt8) return n.input_id(slot);
  Tensor t;
  t.name = in.name + "/s8";
  t.dtype = DType::kInt8;
  t.shape = in.shape;
  t.quant = q_int8;
  const int id = n.ctx().AddTensor(std::move(t));
  n.ctx().AddNode(OpKind::kQuantize, {n.input_id(slot)}, {id});
  return id;
}

/// Constant weights `slot` as int8 (uint8 values - 128) with quantization `q`.
Expected<int> Int8Weights(OnnxNode& n, size_t slot, const Quantization& q, const std::string& name) {
  const Tensor* w = n.constant_input(slot);
  if (w == nullptr) return n.Unsupported("input {} ('{}') must be a constant (the weights)", slot, n.input(slot).name);
  Tensor t;
  t.name = name;
  t.dtype = DType::kInt8;
  t.shape = w->shape;
  t.is_constant = true;
  t.quant = q;
  t.data.resize(static_cast<size_t>(w->num_elements()));
  for (int64_t i = 0; i < w->num_elements(); ++i)
    t.data[static_cast<size_t>(i)] = static_cast<uint8_t>(static_cast<int8_t>(w->int_at(i) - (w->dtype == DType::kUInt8 ? 128 : 0)));
  return n.ctx().AddTensor(std::move(t));
}

/// The int8 result tensor of a QLinear* node, bound to output 0 directly
/// (int8) or through a QUANTIZE int8 -> uint8.
void BindInt8Result(OnnxNode& n, int result, DType y_dtype, const Quantization& y_source) {
  if (y_dtype == DType::kInt8) {
    n.BindOutput(0, result);
    return;
  }
  const int out = n.DefineOutput(0, DType::kUInt8, n.graph().tensor(result).shape);
  n.graph().tensors[static_cast<size_t>(out)].quant = y_source;
  n.ctx().AddNode(OpKind::kQuantize, {result}, {out});
}

/// Weights zero points must be one value (the kernels subtract a single
/// filter offset).
Status RequireUniformZeroPoint(OnnxNode& n, const Quantization& q, const char* what) {
  for (int64_t zp : q.zero_point)
    if (zp != q.zero_point[0]) return n.Unsupported("{} zero points that differ between channels", what);
  return Status::Ok();
}

}  // namespace

Status ConvertQLinearConv(OnnxNode& n) {
  for (size_t i : {0, 1, 3, 4, 6})
    if (!n.has_input(i)) return n.Invalid("input {} is required", i);
  KILN_RETURN_IF_ERROR(RequireInt8OrUInt8(n, 0));
  KILN_RETURN_IF_ERROR(RequireInt8OrUInt8(n, 3));
  const DType y_dtype = n.has_input(7) ? n.input(7).dtype : DType::kUInt8;
  if (y_dtype != DType::kInt8 && y_dtype != DType::kUInt8) return n.Unsupported("output dtype {}", DTypeName(y_dtype));
  const DType x_dtype = n.input(0).dtype, w_dtype = n.input(3).dtype;
  KILN_ASSIGN_OR_RETURN(Quantization xq, ReadOperandQuant(n, 1, 2, 0, false, "x"));
  KILN_ASSIGN_OR_RETURN(Quantization wq, ReadOperandQuant(n, 4, 5, 0, true, "w"));
  KILN_ASSIGN_OR_RETURN(Quantization yq, ReadOperandQuant(n, 6, 7, 0, false, "y"));
  KILN_RETURN_IF_ERROR(RequireUniformZeroPoint(n, wq, "w"));
  const Tensor& w = n.input(3);
  if (w.shape.empty()) return n.Invalid("w must have rank 3 or 4");
  if (wq.per_channel() && static_cast<int64_t>(wq.scale.size()) != w.shape[0])
    return n.Invalid("w has {} output channels but {} scales", w.shape[0], wq.scale.size());
  const std::string name = n.proto().output(0);
  KILN_ASSIGN_OR_RETURN(int x, Int8Activation(n, 0, ShiftedToInt8(xq, x_dtype), xq));
  KILN_ASSIGN_OR_RETURN(int weights, Int8Weights(n, 3, ShiftedToInt8(wq, w_dtype), name + "/weights_s8"));
  int bias = kNoTensor;
  if (n.has_input(8)) {
    if (n.input(8).dtype != DType::kInt32) return n.Invalid("B has dtype {}, expected int32", DTypeName(n.input(8).dtype));
    if (n.constant_input(8) == nullptr) return n.Unsupported("input 8 ('{}') must be a constant (the bias)", n.input(8).name);
    bias = n.input_id(8);
  }
  const Quantization y_int8 = ShiftedToInt8(yq, y_dtype);
  // EmitConvolution binds output 0 (int8); rebind through uint8 when needed.
  KILN_RETURN_IF_ERROR(EmitConvolution(n, x, weights, bias, &y_int8));
  if (y_dtype == DType::kUInt8) {
    const int result = *n.ctx().Find(name);
    n.graph().tensors[static_cast<size_t>(result)].name = name + "/s8";
    BindInt8Result(n, result, y_dtype, yq);
  }
  return Status::Ok();
}

Status ConvertQLinearMatMul(OnnxNode& n) {
  for (size_t i = 0; i < 8; ++i)
    if (i != 2 && i != 5 && i != 7 && !n.has_input(i)) return n.Invalid("input {} is required", i);
  KILN_RETURN_IF_ERROR(RequireInt8OrUInt8(n, 0));
  KILN_RETURN_IF_ERROR(RequireInt8OrUInt8(n, 3));
  const DType y_dtype = n.has_input(7) ? n.input(7).dtype : DType::kUInt8;
  if (y_dtype != DType::kInt8 && y_dtype != DType::kUInt8) return n.Unsupported("output dtype {}", DTypeName(y_dtype));
  const Tensor a = n.input(0);  // copies: adding tensors below moves the graph's
  const Tensor b = n.input(3);
  if (a.shape.empty() || b.shape.empty()) return n.Invalid("inputs must not be scalars");
  // B a matrix, or a stack of matrices matching A's leading dimension
  // ([T,M,K] x [T,K,N]: one FULLY_CONNECTED per matrix, concatenated).
  const bool batched = b.shape.size() == 3;
  if (b.shape.size() != 2 && !(batched && a.shape.size() == 3 && a.shape[0] == b.shape[0]))
    return n.Unsupported("B {} with A {} (B must be a matrix, or [T,K,N] with A [T,M,K])", ShapeString(b.shape),
                         ShapeString(a.shape));
  const int32_t k = b.shape[b.shape.size() - 2], cols = b.shape.back();
  if (a.shape.back() != k) return n.Invalid("A {} and B {} do not multiply", ShapeString(a.shape), ShapeString(b.shape));
  const DType a_dtype = a.dtype, b_dtype = b.dtype;
  KILN_ASSIGN_OR_RETURN(Quantization aq, ReadOperandQuant(n, 1, 2, 0, false, "a"));
  // B's per-axis scales run along its columns, the output channels.
  KILN_ASSIGN_OR_RETURN(Quantization bq, ReadOperandQuant(n, 4, 5, static_cast<int64_t>(b.shape.size()) - 1, true, "b"));
  KILN_ASSIGN_OR_RETURN(Quantization yq, ReadOperandQuant(n, 6, 7, 0, false, "y"));
  KILN_RETURN_IF_ERROR(RequireUniformZeroPoint(n, bq, "b"));
  if (bq.per_channel() && static_cast<int64_t>(bq.scale.size()) != cols)
    return n.Invalid("b has {} columns but {} scales", cols, bq.scale.size());
  const std::string name = n.proto().output(0);
  const Quantization a_int8 = ShiftedToInt8(aq, a_dtype), y_int8 = ShiftedToInt8(yq, y_dtype);
  KILN_ASSIGN_OR_RETURN(int input, Int8Activation(n, 0, a_int8, aq));
  KILN_ASSIGN_OR_RETURN(int b_s8, Int8Weights(n, 3, ShiftedToInt8(bq, b_dtype), name + "/b_s8"));

  auto add_int8 = [&](const std::string& tensor_name, const Shape& shape, const Quantization& quant) {
    Tensor t;
    t.name = tensor_name;
    t.dtype = DType::kInt8;
    t.shape = shape;
    t.quant = quant;
    return n.ctx().AddTensor(std::move(t));
  };
  // One FULLY_CONNECTED: rows of `x` times matrix `b_matrix` ([K, N], int8).
  auto multiply = [&](int x, int b_matrix, const Shape& shape, const std::string& out_name) {
    // FULLY_CONNECTED wants [N, K]: B transposed at import (its scales' axis follows).
    const int weights = EmitTranspose(n, b_matrix, {1, 0}, out_name + "/weights");
    n.graph().tensors[static_cast<size_t>(weights)].quant.axis = 0;
    const int y = add_int8(out_name, shape, y_int8);
    Attrs attrs;
    attrs.set("activation", std::string("NONE"));
    attrs.set("keep_num_dims", int64_t{1});
    attrs.set("rounding", std::string("HALF_EVEN"));
    n.ctx().AddNode(OpKind::kFullyConnected, {x, weights, kNoTensor}, {y}, std::move(attrs));
    return y;
  };
  const std::string result_name = y_dtype == DType::kInt8 ? name : name + "/s8";
  Shape shape = a.shape;
  shape.back() = cols;
  if (!batched) {
    BindInt8Result(n, multiply(input, b_s8, shape, result_name), y_dtype, yq);
    return Status::Ok();
  }
  const int32_t m = a.shape[1];
  const size_t matrix_bytes = static_cast<size_t>(k) * static_cast<size_t>(cols);
  std::vector<int> parts;
  for (int32_t t = 0; t < a.shape[0]; ++t) {
    const std::string part = fmt::format("{}/{}", name, t);
    const int a_t = add_int8(part + "/a", {1, m, k}, a_int8);
    EmitStridedSlice(n, input, {t, 0, 0}, {t + 1, m, k}, {1, 1, 1}, a_t, part);
    Tensor b_t = n.graph().tensor(b_s8);
    b_t.name = part + "/b";
    b_t.shape = {k, cols};
    b_t.quant.axis = 1;
    const auto first = b_t.data.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(t) * matrix_bytes);
    b_t.data = std::vector<uint8_t>(first, first + static_cast<std::ptrdiff_t>(matrix_bytes));
    const int b_id = n.ctx().AddTensor(std::move(b_t));
    parts.push_back(multiply(a_t, b_id, {1, m, cols}, part + "/y"));
  }
  const int y = add_int8(result_name, shape, y_int8);
  Attrs attrs;
  attrs.set("axis", int64_t{0});
  attrs.set("activation", std::string("NONE"));
  n.ctx().AddNode(OpKind::kConcatenation, parts, {y}, std::move(attrs));
  BindInt8Result(n, y, y_dtype, yq);
  return Status::Ok();
}

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
  Attrs attrs;
  attrs.set("rounding", std::string("HALF_EVEN"));  // ONNX rounds x / scale half to even
  n.ctx().AddNode(OpKind::kQuantize, {n.input_id(0)}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertDequantizeLinear(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs x and x_scale are required");
  const Tensor& input = n.input(0);
  const bool per_axis = n.input(1).num_elements() != 1;
  // Per-axis scales: only for constants (weights), folded here.
  if (per_axis && !input.is_constant) return n.Unsupported("per-axis dequantization of activations");
  int64_t axis = 1;
  if (per_axis) {
    KILN_ASSIGN_OR_RETURN(axis, n.attr_int("axis", 1));
    const int64_t rank = static_cast<int64_t>(input.shape.size());
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return n.Invalid("axis {} is out of range for rank {}", axis, rank);
    if (n.input(1).num_elements() != input.shape[static_cast<size_t>(axis)])
      return n.Invalid("{} scales for axis {} of size {}", n.input(1).num_elements(), axis,
                       input.shape[static_cast<size_t>(axis)]);
  }
  KILN_ASSIGN_OR_RETURN(Quantization q, ReadQuant(n, 1, 2, per_axis ? axis : 0, "x"));
  if (n.has_input(2) && n.input(2).dtype != input.dtype)
    return n.Invalid("x is {} but x_zero_point is {}", DTypeName(input.dtype), DTypeName(n.input(2).dtype));
  if (input.dtype == DType::kInt32 && !input.is_constant) return n.Unsupported("int32 input");
  if (input.is_constant) {
    // Folded to float32 at import: scale * (q - zero_point), per channel.
    // The float constant keeps the quantization (zero points moved to the
    // int8 domain for uint8) so that passes/fuse_qdq.cc can recover the
    // integers; the pass clears it from every float tensor.
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(q.axis) + 1; per_axis && d < input.shape.size(); ++d) inner *= input.shape[d];
    Tensor out;
    out.dtype = DType::kFloat32;
    out.shape = input.shape;
    std::vector<double> values;
    for (int64_t i = 0; i < input.num_elements(); ++i) {
      const size_t c = per_axis ? static_cast<size_t>((i / inner) % static_cast<int64_t>(q.scale.size())) : 0;
      values.push_back(static_cast<double>(q.scale[c]) * static_cast<double>(input.int_at(i) - q.zero_point[c]));
    }
    out.data = EncodeDoubles(DType::kFloat32, values);
    out.quant = input.dtype == DType::kUInt8 ? ShiftedToInt8(q, DType::kUInt8) : q;
    n.DefineConstantOutput(0, std::move(out));
    return Status::Ok();
  }
  // The quantization belongs to the tensor: set it, unless it disagrees.
  Tensor& in = n.graph().tensors[static_cast<size_t>(n.input_id(0))];
  if (!in.quant.empty() && (in.quant.scale != q.scale || in.quant.zero_point != q.zero_point))
    return n.Unsupported("input '{}' dequantized with a second scale/zero point", in.name);
  in.quant = q;
  const int out = n.DefineOutput(0, DType::kFloat32, in.shape);
  n.ctx().AddNode(OpKind::kDequantize, {n.input_id(0)}, {out});
  return Status::Ok();
}

}  // namespace kiln::onnx_import
