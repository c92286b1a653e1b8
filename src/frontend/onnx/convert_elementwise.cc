// ONNX elementwise operators: arithmetic with broadcasting, activations
// (Clip and HardSigmoid are decomposed onto MAXIMUM/MINIMUM), and the
// softmax family (moved onto the last axis with TRANSPOSE or RESHAPE).
#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

Expected<OpKind> BinaryOp(OnnxNode& n) {
  const std::string& op = n.op_type();
  if (op == "Add") return OpKind::kAdd;
  if (op == "Sub") return OpKind::kSub;
  if (op == "Mul") return OpKind::kMul;
  if (op == "Div") return OpKind::kDiv;
  if (op == "Max") return OpKind::kMaximum;
  if (op == "Min") return OpKind::kMinimum;
  return n.Invalid("not a binary operator");
}

/// A float32 scalar constant.
int Scalar(OnnxNode& n, float value, const std::string& name) {
  return n.ctx().AddFloatConstant(name, {value}, {});
}

}  // namespace

Status ConvertBinary(OnnxNode& n) {
  KILN_ASSIGN_OR_RETURN(OpKind op, BinaryOp(n));
  if ((op == OpKind::kMaximum || op == OpKind::kMinimum) && n.num_inputs() != 2)
    return n.Unsupported("{} with {} inputs (Kiln supports two)", n.op_type(), n.num_inputs());
  if (n.num_inputs() != 2 || !n.has_input(0) || !n.has_input(1))
    return n.Invalid("expected two inputs, got {}", n.num_inputs());
  KILN_ASSIGN_OR_RETURN(bool folded, TryFoldBinary(n));
  if (folded) return Status::Ok();
  const Tensor& a = n.input(0);
  const Tensor& b = n.input(1);
  if (n.opset() < 7 && (n.has_attr("broadcast") || n.has_attr("axis"))) {
    // Legacy broadcasting (opset < 7): B is broadcast onto A from `axis`;
    // it is numpy's rule when B aligns with A's trailing axes.
    KILN_ASSIGN_OR_RETURN(int64_t broadcast, n.attr_int("broadcast", 0));
    const int64_t trailing = static_cast<int64_t>(a.shape.size()) - static_cast<int64_t>(b.shape.size());
    KILN_ASSIGN_OR_RETURN(int64_t axis, n.attr_int("axis", trailing));
    if (broadcast == 0 ? a.shape != b.shape : axis != trailing)
      return n.Unsupported("legacy broadcast={} axis={} of {} onto {}", broadcast, axis, ShapeString(b.shape),
                           ShapeString(a.shape));
  }
  if (a.dtype != b.dtype)
    return n.Invalid("inputs have dtypes {} and {}, expected the same", DTypeName(a.dtype), DTypeName(b.dtype));
  KILN_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(n, a.shape, b.shape));
  if (shape.size() > kMaxRank) return n.Unsupported("rank {} (at most {})", shape.size(), kMaxRank);
  const int out = n.DefineOutput(0, a.dtype, shape);
  Attrs attrs;
  if (op != OpKind::kMaximum && op != OpKind::kMinimum) attrs.set("activation", std::string("NONE"));
  n.ctx().AddNode(op, {n.input_id(0), n.input_id(1)}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertUnaryActivation(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const std::string& op = n.op_type();
  Attrs attrs;
  OpKind kind;
  if (op == "Relu") kind = OpKind::kRelu;
  else if (op == "Sigmoid") kind = OpKind::kLogistic;
  else if (op == "Tanh") kind = OpKind::kTanh;
  else if (op == "HardSwish") kind = OpKind::kHardSwish;
  else if (op == "Elu" || op == "Selu") {
    // ELU's alpha and scale (float32), both 1 for TFLite's ELU; Selu is
    // ELU with ONNX's default alpha and gamma as the scale.
    const bool selu = op == "Selu";
    KILN_ASSIGN_OR_RETURN(float alpha, n.attr_float("alpha", selu ? 1.67326319217681884765625f : 1.0f));
    KILN_ASSIGN_OR_RETURN(float scale, n.attr_float(selu ? "gamma" : "scale", selu ? 1.05070102214813232421875f : 1.0f));
    if (alpha != 1.0f || scale != 1.0f) {
      KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
      attrs.set("alpha", static_cast<double>(alpha));
      attrs.set("scale", static_cast<double>(scale));
    }
    kind = OpKind::kElu;
  } else if (op == "LeakyRelu") {
    kind = OpKind::kLeakyRelu;
    KILN_ASSIGN_OR_RETURN(float alpha, n.attr_float("alpha", 0.01f));
    attrs.set("alpha", static_cast<double>(alpha));
  } else {
    return n.Invalid("not an activation");
  }
  const Tensor& in = n.input(0);
  const int out = n.DefineOutput(0, in.dtype, in.shape);
  n.ctx().AddNode(kind, {n.input_id(0)}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertUnaryMath(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  static const std::map<std::string, OpKind> kKinds = {
      {"Floor", OpKind::kFloor}, {"Ceil", OpKind::kCeil}, {"Round", OpKind::kRound}, {"Sqrt", OpKind::kSqrt},
      {"Exp", OpKind::kExp},     {"Log", OpKind::kLog},   {"Sin", OpKind::kSin},     {"Cos", OpKind::kCos},
      {"Tan", OpKind::kTan},     {"Asin", OpKind::kAsin}, {"Acos", OpKind::kAcos},   {"Atan", OpKind::kAtan},
      {"Sinh", OpKind::kSinh},   {"Cosh", OpKind::kCosh}, {"Asinh", OpKind::kAsinh}, {"Acosh", OpKind::kAcosh},
      {"Atanh", OpKind::kAtanh}, {"Erf", OpKind::kErf},   {"Sign", OpKind::kSign},
  };
  const auto kind = kKinds.find(n.op_type());
  if (kind == kKinds.end()) return n.Invalid("not an elementwise math operator");
  const Tensor& in = n.input(0);
  const int out = n.DefineOutput(0, in.dtype, in.shape);
  n.ctx().AddNode(kind->second, {n.input_id(0)}, {out}, Attrs{});
  return Status::Ok();
}

namespace {

/// A node of `kind` on the ONNX node's inputs (`arity` of them, one dtype,
/// numpy broadcasting), its output of `output_dtype` (the inputs' if unset).
Status AddElementwiseNode(OnnxNode& n, OpKind kind, size_t arity, std::optional<DType> output_dtype) {
  if (n.num_inputs() != arity) return n.Invalid("expected {} input(s), got {}", arity, n.num_inputs());
  for (size_t i = 0; i < arity; ++i)
    if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
  const Tensor& a = n.input(0);
  Shape shape = a.shape;
  if (arity == 2) {
    const Tensor& b = n.input(1);
    if (a.dtype != b.dtype)
      return n.Invalid("inputs have dtypes {} and {}, expected the same", DTypeName(a.dtype), DTypeName(b.dtype));
    KILN_ASSIGN_OR_RETURN(shape, BroadcastShapes(n, a.shape, b.shape));
    if (shape.size() > kMaxRank) return n.Unsupported("rank {} (at most {})", shape.size(), kMaxRank);
  }
  const int out = n.DefineOutput(0, output_dtype.value_or(a.dtype), shape);
  std::vector<int> inputs = {n.input_id(0)};
  if (arity == 2) inputs.push_back(n.input_id(1));
  n.ctx().AddNode(kind, std::move(inputs), {out}, Attrs{});
  return Status::Ok();
}

}  // namespace

Status ConvertCompareLogic(OnnxNode& n) {
  static const std::map<std::string, OpKind> kKinds = {
      {"Equal", OpKind::kEqual},       {"Less", OpKind::kLess},
      {"LessOrEqual", OpKind::kLessEqual}, {"Greater", OpKind::kGreater},
      {"GreaterOrEqual", OpKind::kGreaterEqual}, {"And", OpKind::kLogicalAnd},
      {"Or", OpKind::kLogicalOr},       {"Not", OpKind::kLogicalNot},
      {"Xor", OpKind::kNotEqual},  // on bools, exclusive or is inequality
  };
  const auto kind = kKinds.find(n.op_type());
  if (kind == kKinds.end()) return n.Invalid("not a comparison or logical operator");
  if (n.op_type() == "Xor")
    for (size_t i = 0; i < n.num_inputs() && i < 2; ++i)
      if (n.has_input(i) && n.input(i).dtype != DType::kBool)
        return n.Invalid("input {} has dtype {}, expected bool", i, DTypeName(n.input(i).dtype));
  return AddElementwiseNode(n, kind->second, kind->second == OpKind::kLogicalNot ? 1 : 2, DType::kBool);
}

Status ConvertWhere(OnnxNode& n) {
  if (n.num_inputs() != 3) return n.Invalid("expected 3 inputs, got {}", n.num_inputs());
  for (size_t i = 0; i < 3; ++i)
    if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
  if (n.input(0).dtype != DType::kBool) return n.Invalid("condition has dtype {}, expected bool", DTypeName(n.input(0).dtype));
  if (n.input(1).dtype != n.input(2).dtype)
    return n.Invalid("X and Y have dtypes {} and {}, expected the same", DTypeName(n.input(1).dtype),
                     DTypeName(n.input(2).dtype));
  KILN_ASSIGN_OR_RETURN(Shape xy, BroadcastShapes(n, n.input(1).shape, n.input(2).shape));
  KILN_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(n, n.input(0).shape, xy));
  if (shape.size() > 5) return n.Unsupported("rank {} (at most 5)", shape.size());
  const int out = n.DefineOutput(0, n.input(1).dtype, shape);
  n.ctx().AddNode(OpKind::kSelectV2, {n.input_id(0), n.input_id(1), n.input_id(2)}, {out}, Attrs{});
  return Status::Ok();
}

Status ConvertTrilu(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const Tensor& x = n.input(0);
  if (x.shape.size() < 2) return n.Invalid("input has rank {}, expected at least 2", x.shape.size());
  if (x.shape.size() > 5) return n.Unsupported("rank {} (at most 5)", x.shape.size());
  KILN_ASSIGN_OR_RETURN(int64_t upper, n.attr_int("upper", 1));
  int64_t k = 0;
  if (n.has_input(1)) {
    KILN_ASSIGN_OR_RETURN(std::vector<int64_t> ks, n.ConstantInts(1, "k"));
    if (ks.size() != 1) return n.Invalid("k has {} values, expected one", ks.size());
    k = ks[0];
  }
  // The triangle kept, as a constant mask over the last two axes: element
  // (i, j) where j - i >= k (upper) or j - i <= k (lower); the rest zero.
  const int32_t rows = x.shape[x.shape.size() - 2], cols = x.shape[x.shape.size() - 1];
  std::vector<uint8_t> mask;
  mask.reserve(static_cast<size_t>(rows) * static_cast<size_t>(cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) mask.push_back(upper != 0 ? j - i >= k : j - i <= k);
  const std::string name = n.proto().output(0);
  const DType dtype = x.dtype;
  const Shape shape = x.shape;
  const int mask_id = n.ctx().AddConstant(name + "/mask", DType::kBool, {rows, cols}, std::move(mask));
  const int zero = n.ctx().AddConstant(name + "/zero", dtype, {}, std::vector<uint8_t>(DTypeSize(dtype), 0));
  const int out = n.DefineOutput(0, dtype, shape);
  n.ctx().AddNode(OpKind::kSelectV2, {mask_id, n.input_id(0), zero}, {out}, Attrs{});
  return Status::Ok();
}

Status ConvertExpand(OnnxNode& n) {
  if (n.num_inputs() != 2 || !n.has_input(0) || !n.has_input(1)) return n.Invalid("expected inputs input and shape");
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> wanted, n.ConstantInts(1, "shape"));
  Shape target;
  for (int64_t d : wanted) {
    if (d < 0 || d > INT32_MAX) return n.Invalid("shape holds dimension {}", d);
    target.push_back(static_cast<int32_t>(d));
  }
  // ONNX broadcasts both ways: the output is the broadcast of the input's
  // shape and the requested one.
  KILN_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(n, n.input(0).shape, target));
  if (shape.size() > 5) return n.Unsupported("rank {} (at most 5)", shape.size());
  const int shape_id = n.ctx().AddInt32Constant(n.proto().output(0) + "/shape",
                                                 std::vector<int64_t>(shape.begin(), shape.end()),
                                                 {static_cast<int32_t>(shape.size())});
  const int out = n.DefineOutput(0, n.input(0).dtype, shape);
  n.ctx().AddNode(OpKind::kBroadcastTo, {n.input_id(0), shape_id}, {out}, Attrs{});
  return Status::Ok();
}

Status ConvertMod(OnnxNode& n) {
  KILN_ASSIGN_OR_RETURN(int64_t fmod, n.attr_int("fmod", 0));
  // fmod=1: C's fmod and % (the dividend's sign); fmod=0: numpy's mod (the
  // divisor's sign), which ONNX allows on integers only but its reference
  // computes on floats too.
  return AddElementwiseNode(n, fmod != 0 ? OpKind::kTruncMod : OpKind::kFloorMod, 2, std::nullopt);
}

namespace {

/// A node of `op` on `inputs` into a fresh tensor of `dtype` and the numpy
/// broadcast of the inputs' shapes (the callers' operands broadcast).
int EmitBroadcastNode(OnnxNode& n, OpKind op, const std::vector<int>& inputs, DType dtype, const std::string& name) {
  ImportContext& ctx = n.ctx();
  Tensor out;
  out.name = name;
  out.dtype = dtype;
  for (int id : inputs) {
    auto shape = BroadcastShapes(n, out.shape, ctx.graph().tensor(id).shape);
    if (shape.ok()) out.shape = *shape;
  }
  const int y = ctx.AddTensor(std::move(out));
  ctx.AddNode(op, inputs, {y}, Attrs{});
  return y;
}

/// A comparison of a and b into a fresh bool tensor.
int EmitCompare(OnnxNode& n, OpKind op, int a, int b, const std::string& name) {
  return EmitBroadcastNode(n, op, {a, b}, DType::kBool, name);
}

/// condition ? x : y into a fresh tensor of x's dtype.
int EmitSelect(OnnxNode& n, int condition, int x, int y, const std::string& name) {
  return EmitBroadcastNode(n, OpKind::kSelectV2, {condition, x, y}, n.graph().tensor(x).dtype, name);
}

}  // namespace

Status ConvertSoftplus(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  // ONNX's definition as its reference computes it: log(exp(x) + 1).
  const int e = EmitUnary(n, OpKind::kExp, n.input_id(0), name + "/exp");
  const int sum = EmitBinary(n, OpKind::kAdd, e, Scalar(n, 1.0f, name + "/one"), name + "/plus_one");
  n.BindOutput(0, EmitUnary(n, OpKind::kLog, sum, name));
  return Status::Ok();
}

// Celu(x) = max(0, x) + min(0, alpha (exp(x / alpha) - 1)) = alpha ELU(x / alpha).
Status ConvertCelu(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_ASSIGN_OR_RETURN(const float alpha, n.attr_float("alpha", 1.0f));
  if (!(alpha != 0.0f) || !std::isfinite(alpha)) return n.Invalid("alpha {} must be finite and non-zero", alpha);
  const std::string name = n.proto().output(0);
  const int scaled = EmitBinary(n, OpKind::kMul, n.input_id(0), Scalar(n, 1.0f / alpha, name + "/inverse_alpha"),
                                name + "/scaled");
  const int out = n.DefineOutput(0, DType::kFloat32, n.input(0).shape);
  Attrs attrs;
  attrs.set("alpha", 1.0);
  attrs.set("scale", static_cast<double>(alpha));
  n.ctx().AddNode(OpKind::kElu, {scaled}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertSoftsign(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  // x / (1 + |x|)
  const int magnitude = EmitUnary(n, OpKind::kAbs, n.input_id(0), name + "/abs");
  const int sum = EmitBinary(n, OpKind::kAdd, magnitude, Scalar(n, 1.0f, name + "/one"), name + "/plus_one");
  n.BindOutput(0, EmitBinary(n, OpKind::kDiv, n.input_id(0), sum, name));
  return Status::Ok();
}

Status ConvertThresholds(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  const int x = n.input_id(0);
  const int zero = Scalar(n, 0.0f, name + "/zero");
  if (n.op_type() == "ThresholdedRelu") {
    // x > alpha ? x : 0
    KILN_ASSIGN_OR_RETURN(float alpha, n.attr_float("alpha", 1.0f));
    const int above = EmitCompare(n, OpKind::kGreater, x, Scalar(n, alpha, name + "/alpha"), name + "/above");
    n.BindOutput(0, EmitSelect(n, above, x, zero, name));
    return Status::Ok();
  }
  // Shrink: x < -lambd ? x + bias : x > lambd ? x - bias : 0
  KILN_ASSIGN_OR_RETURN(float bias, n.attr_float("bias", 0.0f));
  KILN_ASSIGN_OR_RETURN(float lambd, n.attr_float("lambd", 0.5f));
  const int bias_id = Scalar(n, bias, name + "/bias");
  const int below = EmitCompare(n, OpKind::kLess, x, Scalar(n, -lambd, name + "/minus_lambd"), name + "/below");
  const int above = EmitCompare(n, OpKind::kGreater, x, Scalar(n, lambd, name + "/lambd"), name + "/above");
  const int upper = EmitSelect(n, above, EmitBinary(n, OpKind::kSub, x, bias_id, name + "/minus_bias"), zero,
                               name + "/upper");
  n.BindOutput(0, EmitSelect(n, below, EmitBinary(n, OpKind::kAdd, x, bias_id, name + "/plus_bias"), upper, name));
  return Status::Ok();
}

Status ConvertIsNanInf(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  const int x = n.input_id(0);
  if (n.op_type() == "IsNaN") {
    n.BindOutput(0, EmitCompare(n, OpKind::kNotEqual, x, x, name));  // only NaN differs from itself
    return Status::Ok();
  }
  KILN_ASSIGN_OR_RETURN(int64_t negative, n.attr_int("detect_negative", 1));
  KILN_ASSIGN_OR_RETURN(int64_t positive, n.attr_int("detect_positive", 1));
  const float inf = std::numeric_limits<float>::infinity();
  // x == +inf, x == -inf, or both ORed; with neither, x < -inf: all false.
  if (negative == 0 && positive == 0) {
    n.BindOutput(0, EmitCompare(n, OpKind::kLess, x, Scalar(n, -inf, name + "/minus_inf"), name));
    return Status::Ok();
  }
  int y = kNoTensor;
  if (positive != 0)
    y = EmitCompare(n, OpKind::kEqual, x, Scalar(n, inf, name + "/inf"), negative != 0 ? name + "/positive" : name);
  if (negative != 0) {
    const int minus = EmitCompare(n, OpKind::kEqual, x, Scalar(n, -inf, name + "/minus_inf"),
                                  positive != 0 ? name + "/negative" : name);
    y = y == kNoTensor ? minus : EmitBinary(n, OpKind::kLogicalOr, y, minus, name);
  }
  n.BindOutput(0, y);
  return Status::Ok();
}

// Pow(x, y): POW where both have one dtype (float32, float64, int32, int64:
// integer powers by repeated multiplication); mixed dtypes are computed in
// double, as ONNX's reference (numpy's type promotion) does, and cast back
// to x's dtype, the output's.
Status ConvertPow(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("expected inputs (X, Y)");
  const DType x = n.input(0).dtype, y = n.input(1).dtype;
  static const DType kKernels[] = {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64};
  auto has_kernel = [](DType t) { return std::find(std::begin(kKernels), std::end(kKernels), t) != std::end(kKernels); };
  if (!has_kernel(x) || !has_kernel(y))
    return n.Unsupported("Pow of {} by {} (Kiln has float32, float64, int32 and int64)", DTypeName(x), DTypeName(y));
  if (x == y) return AddElementwiseNode(n, OpKind::kPow, 2, std::nullopt);
  const std::string name = n.proto().output(0);
  const int power = EmitBinary(n, OpKind::kPow, EmitCast(n, n.input_id(0), DType::kFloat64, name + "/x_double"),
                               EmitCast(n, n.input_id(1), DType::kFloat64, name + "/y_double"), name + "/double");
  n.BindOutput(0, EmitCast(n, power, x, name));
  return Status::Ok();
}

namespace {

// Clip of raw integers: MAXIMUM and MINIMUM with the bounds given, each a
// scalar of the input's dtype (its type's range where absent).
Status ConvertIntegerClip(OnnxNode& n) {
  const Tensor& in = n.input(0);
  static const DType kRaw[] = {DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64};
  if (std::find(std::begin(kRaw), std::end(kRaw), in.dtype) == std::end(kRaw) || !in.quant.scale.empty())
    return n.Unsupported("Clip of {}{} (Kiln has float32 and raw integers)", DTypeName(in.dtype),
                         in.quant.scale.empty() ? "" : " with quantization");
  if (n.opset() < 11) return n.Unsupported("Clip of {} before opset 11", DTypeName(in.dtype));
  const std::string name = n.proto().output(0);
  int x = n.input_id(0);
  const bool has_hi = n.has_input(2);
  for (size_t i = 1; i <= 2; ++i) {
    if (!n.has_input(i)) continue;
    if (n.input(i).dtype != in.dtype || n.input(i).num_elements() != 1)
      return n.Invalid("input {} must be a scalar of {}", i, DTypeName(in.dtype));
    const bool last = i == 2 || !has_hi;
    x = EmitBinary(n, i == 1 ? OpKind::kMaximum : OpKind::kMinimum, x, n.input_id(i),
                   last ? name : name + "/lower");
  }
  n.BindOutput(0, x == n.input_id(0) ? EmitReshape(n, x, in.shape, name) : x);
  return Status::Ok();
}

}  // namespace

Status ConvertClip(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  if (n.input(0).dtype != DType::kFloat32) return ConvertIntegerClip(n);
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
  // Bounds that are tensors (opset >= 11, not constant) are applied as such.
  int lo_tensor = kNoTensor, hi_tensor = kNoTensor;
  if (n.opset() < 11) {
    KILN_ASSIGN_OR_RETURN(lo, n.attr_float("min", -FLT_MAX));
    KILN_ASSIGN_OR_RETURN(hi, n.attr_float("max", FLT_MAX));
  } else {
    for (size_t i = 1; i <= 2; ++i) {
      if (!n.has_input(i)) continue;
      KILN_RETURN_IF_ERROR(RequireFloat(n, i));
      if (n.input(i).num_elements() != 1) return n.Invalid("input {} must be a scalar", i);
      if (n.constant_input(i) == nullptr) {
        (i == 1 ? lo_tensor : hi_tensor) = n.input_id(i);
        continue;
      }
      (i == 1 ? lo : hi) = n.input(i).float_at(0);
    }
  }
  const Tensor& in = n.input(0);
  const std::string name = n.proto().output(0);
  int x = n.input_id(0);
  const bool no_lo = lo_tensor == kNoTensor && lo <= -FLT_MAX;
  const bool no_hi = hi_tensor == kNoTensor && hi >= FLT_MAX;
  if (lo_tensor == kNoTensor && hi_tensor == kNoTensor && lo == 0.0f && (hi == 6.0f || no_hi)) {
    const int out = n.DefineOutput(0, in.dtype, in.shape);
    n.ctx().AddNode(hi == 6.0f ? OpKind::kRelu6 : OpKind::kRelu, {x}, {out});
    return Status::Ok();
  }
  if (no_lo && no_hi) {
    n.BindOutput(0, EmitReshape(n, x, in.shape, name));
    return Status::Ok();
  }
  // min(max(x, lo), hi): equals hi everywhere when lo > hi, as ONNX specifies.
  if (!no_lo) {
    const int bound = lo_tensor != kNoTensor ? lo_tensor : Scalar(n, lo, name + "/min");
    x = EmitBinary(n, OpKind::kMaximum, x, bound, no_hi ? name : name + "/lower");
  }
  if (!no_hi) {
    const int bound = hi_tensor != kNoTensor ? hi_tensor : Scalar(n, hi, name + "/max");
    x = EmitBinary(n, OpKind::kMinimum, x, bound, name);
  }
  n.BindOutput(0, x);
  return Status::Ok();
}

Status ConvertHardSigmoid(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_ASSIGN_OR_RETURN(float alpha, n.attr_float("alpha", 0.2f));
  KILN_ASSIGN_OR_RETURN(float beta, n.attr_float("beta", 0.5f));
  const std::string name = n.proto().output(0);
  // max(0, min(1, alpha * x + beta))
  int x = EmitBinary(n, OpKind::kMul, n.input_id(0), Scalar(n, alpha, name + "/alpha"), name + "/scaled");
  x = EmitBinary(n, OpKind::kAdd, x, Scalar(n, beta, name + "/beta"), name + "/shifted");
  x = EmitBinary(n, OpKind::kMinimum, x, Scalar(n, 1.0f, name + "/one"), name + "/upper");
  x = EmitBinary(n, OpKind::kMaximum, x, Scalar(n, 0.0f, name + "/zero"), name);
  n.BindOutput(0, x);
  return Status::Ok();
}

Status ConvertSoftmax(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const OpKind kind = n.op_type() == "LogSoftmax" ? OpKind::kLogSoftmax : OpKind::kSoftmax;
  const Tensor& in = n.input(0);
  const Shape shape = in.shape;
  const size_t rank = shape.size();
  if (rank == 0) return n.Invalid("input must have rank at least 1");
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis", n.opset() < 13 ? 1 : -1));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, rank, &axis)) return n.Invalid("axis {} is out of range for rank {}", axis_attr, rank);
  const std::string name = n.proto().output(0);
  Attrs attrs;
  attrs.set("beta", 1.0);
  auto emit = [&](int x, const Shape& s, const std::string& out_name) {
    Tensor t;
    t.name = out_name;
    t.dtype = DType::kFloat32;
    t.shape = s;
    const int out = n.ctx().AddTensor(std::move(t));
    n.ctx().AddNode(kind, {x}, {out}, attrs);
    return out;
  };
  int x = n.input_id(0);
  if (n.opset() < 13) {
    // Opsets before 13 normalise over the flattened [d0..axis-1] x [axis..] matrix.
    int64_t rows = 1, cols = 1;
    for (size_t d = 0; d < rank; ++d) (static_cast<int64_t>(d) < axis ? rows : cols) *= shape[d];
    if (axis == static_cast<int64_t>(rank) - 1) {
      n.BindOutput(0, emit(x, shape, name));
      return Status::Ok();
    }
    const Shape flat = {static_cast<int32_t>(rows), static_cast<int32_t>(cols)};
    x = EmitReshape(n, x, flat, name + "/rows");
    x = emit(x, flat, name + "/normalized");
    n.BindOutput(0, EmitReshape(n, x, shape, name));
    return Status::Ok();
  }
  if (axis == static_cast<int64_t>(rank) - 1) {
    n.BindOutput(0, emit(x, shape, name));
    return Status::Ok();
  }
  // Swap the axis with the last one, normalise, swap back.
  std::vector<int64_t> perm(rank);
  for (size_t d = 0; d < rank; ++d) perm[d] = static_cast<int64_t>(d);
  std::swap(perm[static_cast<size_t>(axis)], perm[rank - 1]);
  x = EmitTranspose(n, x, perm, name + "/to_last");
  x = emit(x, n.graph().tensor(x).shape, name + "/normalized");
  n.BindOutput(0, EmitTranspose(n, x, perm, name));
  return Status::Ok();
}

Status ConvertHardmax(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const Shape in_shape = n.input(0).shape;
  const size_t rank = in_shape.size();
  if (rank == 0) return n.Invalid("input must have rank at least 1");
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis", n.opset() < 13 ? 1 : -1));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, rank, &axis)) return n.Invalid("axis {} is out of range for rank {}", axis_attr, rank);
  const std::string name = n.proto().output(0);
  int x = n.input_id(0);
  Shape shape = in_shape;
  if (n.opset() < 13) {
    // Before opset 13, over the flattened [d0..axis-1] x [axis..] matrix.
    int64_t rows = 1, cols = 1;
    for (size_t d = 0; d < rank; ++d) (static_cast<int64_t>(d) < axis ? rows : cols) *= in_shape[d];
    shape = {static_cast<int32_t>(rows), static_cast<int32_t>(cols)};
    x = EmitReshape(n, x, shape, name + "/rows");
    axis = 1;
  }
  // 1.0 where the position along the axis is ARG_MAX's (the first largest),
  // else 0.0: ARG_MAX (keep_dims) == the positions 0, 1 ..., cast.
  const size_t a = static_cast<size_t>(axis);
  Shape kept = shape, positions_shape(shape.size(), 1);
  kept[a] = 1;
  positions_shape[a] = shape[a];
  Tensor argmax;
  argmax.name = name + "/argmax";
  argmax.dtype = DType::kInt32;
  argmax.shape = kept;
  const int argmax_id = n.ctx().AddTensor(std::move(argmax));
  Attrs attrs;
  attrs.set("keep_dims", int64_t{1});
  attrs.set("select_last_index", int64_t{0});
  n.ctx().AddNode(OpKind::kArgMax, {x, n.ctx().AddInt32Constant(name + "/axis", {axis})}, {argmax_id},
                  std::move(attrs));
  std::vector<int64_t> positions(static_cast<size_t>(shape[a]));
  for (size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<int64_t>(i);
  const int positions_id = n.ctx().AddInt32Constant(name + "/positions", positions, positions_shape);
  const int hit = EmitCompare(n, OpKind::kEqual, argmax_id, positions_id, name + "/is_max");
  const bool reshaped = shape != in_shape;
  int y = EmitCast(n, hit, DType::kFloat32, reshaped ? name + "/hard" : name);
  if (reshaped) y = EmitReshape(n, y, in_shape, name);
  n.BindOutput(0, y);
  return Status::Ok();
}

Status ConvertNegAbs(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_ASSIGN_OR_RETURN(bool folded, TryFoldNegAbs(n));
  if (folded) return Status::Ok();
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  const bool neg = n.op_type() == "Neg";
  // -x = x * -1 (exact); |x| = max(x, -x).
  int y = EmitBinary(n, OpKind::kMul, n.input_id(0), Scalar(n, -1.0f, name + "/minus_one"), neg ? name : name + "/neg");
  if (!neg) y = EmitBinary(n, OpKind::kMaximum, n.input_id(0), y, name);
  n.BindOutput(0, y);
  return Status::Ok();
}

Status ConvertPRelu(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs X and slope are required");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  KILN_RETURN_IF_ERROR(RequireFloat(n, 1));
  const Tensor& x = n.input(0);
  const std::string name = n.proto().output(0);
  int slope = n.input_id(1);
  const Shape slope_shape = n.input(1).shape;
  // Opset 6 applies a [C] slope per channel (axis 1); later opsets broadcast it numpy-style.
  if (n.opset() < 7 && slope_shape.size() == 1 && x.shape.size() > 2 && slope_shape[0] == x.shape[1] &&
      slope_shape[0] != 1) {
    Shape s = {slope_shape[0]};
    s.resize(x.shape.size() - 1, 1);
    slope = EmitReshape(n, slope, s, name + "/slope");
  }
  KILN_ASSIGN_OR_RETURN(Shape out, BroadcastShapes(n, x.shape, n.graph().tensor(slope).shape));
  if (out != x.shape) return n.Invalid("slope {} does not broadcast onto X {}", ShapeString(slope_shape), ShapeString(x.shape));
  // max(x, 0) + slope * min(x, 0)
  const int zero = Scalar(n, 0.0f, name + "/zero");
  const int pos = EmitBinary(n, OpKind::kMaximum, n.input_id(0), zero, name + "/positive");
  int neg = EmitBinary(n, OpKind::kMinimum, n.input_id(0), zero, name + "/negative");
  neg = EmitBinary(n, OpKind::kMul, neg, slope, name + "/scaled");
  n.BindOutput(0, EmitBinary(n, OpKind::kAdd, pos, neg, name));
  return Status::Ok();
}

Status ConvertVariadic(OnnxNode& n) {
  const std::string& op = n.op_type();
  // Two inputs of Max or Min: the binary converter, which also folds constants.
  if ((op == "Max" || op == "Min") && n.num_inputs() == 2) return ConvertBinary(n);
  if (n.num_inputs() == 0) return n.Invalid("no inputs");
  for (size_t i = 0; i < n.num_inputs(); ++i)
    if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
  if (op == "Mean") KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const OpKind kind = op == "Max" ? OpKind::kMaximum : op == "Min" ? OpKind::kMinimum : OpKind::kAdd;
  const std::string name = n.proto().output(0);
  const bool mean = op == "Mean" && n.num_inputs() > 1;
  int y = n.input_id(0);
  if (n.num_inputs() == 1) {
    n.BindOutput(0, EmitReshape(n, y, n.input(0).shape, name));
    return Status::Ok();
  }
  // Left to right, as ONNX's reference folds them.
  for (size_t i = 1; i < n.num_inputs(); ++i) {
    if (n.input(i).dtype != n.input(0).dtype) return n.Invalid("inputs differ in dtype");
    KILN_ASSIGN_OR_RETURN(Shape s, BroadcastShapes(n, n.graph().tensor(y).shape, n.input(i).shape));
    (void)s;
    y = EmitBinary(n, kind, y, n.input_id(i),
                   i + 1 == n.num_inputs() && !mean ? name : fmt::format("{}/{}", name, i));
  }
  if (mean)  // the sum divided by the count
    y = EmitBinary(n, OpKind::kDiv, y, Scalar(n, static_cast<float>(n.num_inputs()), name + "/count"), name);
  n.BindOutput(0, y);
  return Status::Ok();
}

Status ConvertReciprocal(OnnxNode& n) {
  if (n.num_inputs() != 1 || !n.has_input(0)) return n.Invalid("expected one input");
  KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const std::string name = n.proto().output(0);
  n.BindOutput(0, EmitBinary(n, OpKind::kDiv, Scalar(n, 1.0f, name + "/one"), n.input_id(0), name));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
