// Operators evaluated at import time: Constant, and the shape arithmetic
// that exporters emit around Reshape (Shape -> Gather -> Unsqueeze ->
// Concat ...). Static shapes make these constants; Kiln has no kernels for
// them, so with non-constant data they are unsupported.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstring>
#include <limits>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

Tensor MakeConstant(DType dtype, Shape shape, std::vector<uint8_t> data) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data = std::move(data);
  t.is_constant = true;
  return t;
}

Tensor Int64Vector(const std::vector<int64_t>& values) {
  return MakeConstant(DType::kInt64, {static_cast<int32_t>(values.size())}, EncodeInts(DType::kInt64, values));
}

bool IsInteger(DType d) { return d != DType::kFloat32 && d != DType::kFloat64 && d != DType::kBool; }

}  // namespace

Status ConvertConstant(OnnxNode& n) {
  if (n.proto().attribute_size() != 1) return n.Invalid("expected exactly one attribute");
  const onnx::AttributeProto& a = n.proto().attribute(0);
  if (a.name() == "value") {
    DType dtype;
    if (!ConvertOnnxDType(a.t().data_type(), &dtype))
      return n.Unsupported("element type {}", OnnxDTypeName(a.t().data_type()));
    auto t = ConvertTensorProto(a.t(), n.ctx().source());
    if (!t.ok()) return n.Invalid("{}", t.message());
    n.DefineConstantOutput(0, std::move(*t));
    return Status::Ok();
  }
  if (a.name() == "value_float") {
    n.DefineConstantOutput(0, MakeConstant(DType::kFloat32, {}, EncodeDoubles(DType::kFloat32, {a.f()})));
  } else if (a.name() == "value_floats") {
    std::vector<double> v(a.floats().begin(), a.floats().end());
    n.DefineConstantOutput(0, MakeConstant(DType::kFloat32, {static_cast<int32_t>(v.size())},
                                           EncodeDoubles(DType::kFloat32, v)));
  } else if (a.name() == "value_int") {
    n.DefineConstantOutput(0, MakeConstant(DType::kInt64, {}, EncodeInts(DType::kInt64, {a.i()})));
  } else if (a.name() == "value_ints") {
    n.DefineConstantOutput(0, Int64Vector(std::vector<int64_t>(a.ints().begin(), a.ints().end())));
  } else {
    return n.Unsupported("attribute {}", a.name());
  }
  return Status::Ok();
}

Status FoldShape(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const Shape& s = n.input(0).shape;
  const int64_t rank = static_cast<int64_t>(s.size());
  KILN_ASSIGN_OR_RETURN(int64_t start, n.attr_int("start", 0));
  KILN_ASSIGN_OR_RETURN(int64_t end, n.attr_int("end", rank));
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, 0, rank);
  std::vector<int64_t> dims;
  for (int64_t d = start; d < end; ++d) dims.push_back(s[static_cast<size_t>(d)]);
  n.DefineConstantOutput(0, Int64Vector(dims));
  return Status::Ok();
}

Status FoldSize(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  n.DefineConstantOutput(0, MakeConstant(DType::kInt64, {}, EncodeInts(DType::kInt64, {n.input(0).num_elements()})));
  return Status::Ok();
}

/// Gather's output shape: data's axes before `axis` (normalized), the
/// indices' shape, data's axes after it; unsupported beyond Kiln's rank.
Expected<Shape> GatherShape(OnnxNode& n, const Shape& data, int64_t axis, const Shape& indices) {
  Shape shape(data.begin(), data.begin() + axis);
  shape.insert(shape.end(), indices.begin(), indices.end());
  shape.insert(shape.end(), data.begin() + axis + 1, data.end());
  if (shape.size() > kMaxRank) return n.Unsupported("output rank {}", shape.size());
  return shape;
}

/// A GATHER of the data input by `positions` along `axis` as output 0.
Status EmitGatherNode(OnnxNode& n, int64_t axis, const Shape& shape, int positions, bool negative_from_end) {
  const int out = n.DefineOutput(0, n.input(0).dtype, shape);
  Attrs attrs;
  attrs.set("axis", axis);
  attrs.set("batch_dims", int64_t{0});
  if (negative_from_end) attrs.set("negative_from_end", int64_t{1});
  n.ctx().AddNode(OpKind::kGather, {n.input_id(0), positions}, {out}, std::move(attrs));
  return Status::Ok();
}

/// Gather of data read at run time by constant indices: GATHER, with the
/// indices made non-negative here (ONNX counts negative ones from the end;
/// TFLite's GATHER does not).
Status ConvertGatherAtRunTime(OnnxNode& n, const std::vector<int64_t>& indices, int64_t axis) {
  const Tensor& data = n.input(0);
  const Tensor& idx = n.input(1);
  const int64_t dim = data.shape[static_cast<size_t>(axis)];
  std::vector<int64_t> wrapped;
  for (int64_t i : indices) {
    if (i < -dim || i >= dim) return n.Invalid("index {} is out of range for axis of size {}", i, dim);
    wrapped.push_back(i < 0 ? i + dim : i);
  }
  KILN_ASSIGN_OR_RETURN(const Shape shape, GatherShape(n, data.shape, axis, idx.shape));
  const int positions = n.ctx().AddInt32Constant(n.proto().output(0) + "/positions", wrapped, idx.shape);
  return EmitGatherNode(n, axis, shape, positions, /*negative_from_end=*/false);
}

/// Gather of indices read at run time (an embedding's token ids): GATHER,
/// negative indices counting from the end as ONNX says
/// (negative_from_end), any other outside the axis making run() return
/// KILN_ERROR_INDEX_OUT_OF_RANGE.
Status ConvertGatherOfRunTimeIndices(OnnxNode& n, int64_t axis) {
  const Tensor& idx = n.input(1);
  if (idx.dtype != DType::kInt64 && idx.dtype != DType::kInt32)
    return n.Invalid("indices have dtype {}, expected int64 or int32", DTypeName(idx.dtype));
  KILN_ASSIGN_OR_RETURN(const Shape shape, GatherShape(n, n.input(0).shape, axis, idx.shape));
  return EmitGatherNode(n, axis, shape, n.input_id(1), /*negative_from_end=*/true);
}

/// GatherND (batch_dims 0) as GATHER_ND: indices read at run time are
/// checked by the kernel, which takes 0 <= index < dim (TFLite's range; a
/// negative index, which ONNX allows, makes run() return
/// KILN_ERROR_INDEX_OUT_OF_RANGE).
Status ConvertGatherNd(OnnxNode& n) {
  if (n.num_inputs() != 2 || !n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs data and indices are required");
  KILN_ASSIGN_OR_RETURN(const int64_t batch_dims, n.attr_int("batch_dims", 0));
  if (batch_dims != 0) return n.Unsupported("batch_dims {} (only 0)", batch_dims);
  const Tensor& data = n.input(0);
  const Tensor& indices = n.input(1);
  if (data.shape.empty() || indices.shape.empty()) return n.Invalid("data and indices must be at least vectors");
  const int64_t depth = indices.shape.back();
  if (depth < 1 || depth > static_cast<int64_t>(data.shape.size()))
    return n.Invalid("index rows of {} for data of rank {}", depth, data.shape.size());
  Shape shape(indices.shape.begin(), indices.shape.end() - 1);
  shape.insert(shape.end(), data.shape.begin() + depth, data.shape.end());
  if (shape.size() > kMaxRank) return n.Unsupported("output rank {}", shape.size());
  const int out = n.DefineOutput(0, data.dtype, shape);
  n.ctx().AddNode(OpKind::kGatherNd, {n.input_id(0), n.input_id(1)}, {out}, Attrs{});
  return Status::Ok();
}

Status FoldGather(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("inputs data and indices are required");
  const Tensor* data = n.constant_input(0);
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis", 0));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, n.input(0).shape.size(), &axis))
    return n.Invalid("axis {} is out of range for rank {}", axis_attr, n.input(0).shape.size());
  if (n.constant_input(1) == nullptr) return ConvertGatherOfRunTimeIndices(n, axis);
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> indices, n.ConstantInts(1, "indices"));
  const Tensor& idx = n.input(1);
  if (data == nullptr) return ConvertGatherAtRunTime(n, indices, axis);
  const int64_t dim = data->shape[static_cast<size_t>(axis)];
  KILN_ASSIGN_OR_RETURN(const Shape shape, GatherShape(n, data->shape, axis, idx.shape));
  int64_t outer = 1, inner = static_cast<int64_t>(DTypeSize(data->dtype));
  for (int64_t d = 0; d < axis; ++d) outer *= data->shape[static_cast<size_t>(d)];
  for (size_t d = static_cast<size_t>(axis) + 1; d < data->shape.size(); ++d) inner *= data->shape[d];
  std::vector<uint8_t> out;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i : indices) {
      if (i < -dim || i >= dim) return n.Invalid("index {} is out of range for axis of size {}", i, dim);
      if (i < 0) i += dim;
      const auto* src = data->data.data() + (o * dim + i) * inner;
      out.insert(out.end(), src, src + inner);
    }
  }
  n.DefineConstantOutput(0, MakeConstant(data->dtype, shape, std::move(out)));
  return Status::Ok();
}

namespace {

/// Input 0 cast to `dtype`: folded when constant, else a CAST.
Status CastTo(OnnxNode& n, DType dtype) {
  const Tensor* in = n.constant_input(0);
  if (in == nullptr) {
    if (n.input(0).dtype == dtype) {  // a no-op cast
      n.BindOutput(0, n.input_id(0));
      return Status::Ok();
    }
    // Cast at run time: CAST, between the types its kernel converts.
    static const DType kRunTime[] = {DType::kBool,  DType::kInt8,  DType::kUInt8,   DType::kInt16,
                                     DType::kInt32, DType::kInt64, DType::kFloat32, DType::kFloat64};
    const auto castable = [](DType t) { return std::find(std::begin(kRunTime), std::end(kRunTime), t) != std::end(kRunTime); };
    if (!castable(n.input(0).dtype) || !castable(dtype))
      return n.Unsupported("casting {} to {} at run time", DTypeName(n.input(0).dtype), DTypeName(dtype));
    n.BindOutput(0, EmitCast(n, n.input_id(0), dtype, n.proto().output(0)));
    return Status::Ok();
  }
  std::vector<double> values;
  for (int64_t i = 0; i < in->num_elements(); ++i) {
    const double v = ElementAsDouble(*in, i);
    if (IsInteger(dtype) && !(std::fabs(v) < 9.2e18)) return n.Unsupported("casting {} to an integer", v);
    values.push_back(IsInteger(dtype) ? std::trunc(v) : v);
  }
  if (IsInteger(in->dtype) && in->dtype == DType::kInt64 && dtype == DType::kInt64) {
    Tensor t = *in;
    n.DefineConstantOutput(0, std::move(t));
    return Status::Ok();
  }
  n.DefineConstantOutput(0, MakeConstant(dtype, in->shape, EncodeDoubles(dtype, values)));
  return Status::Ok();
}

}  // namespace

Status FoldCast(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_ASSIGN_OR_RETURN(int64_t to, n.attr_int("to"));
  DType dtype;
  if (!ConvertOnnxDType(static_cast<int32_t>(to), &dtype))
    return n.Unsupported("attribute to={}", OnnxDTypeName(static_cast<int32_t>(to)));
  return CastTo(n, dtype);
}

// CastLike(input, like): Cast to the dtype of `like`, whose values are unused.
Status FoldCastLike(OnnxNode& n) {
  if (!n.has_input(0) || !n.has_input(1)) return n.Invalid("expected inputs (input, target_type)");
  return CastTo(n, n.input(1).dtype);
}

Status FoldConstantOfShape(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> dims, n.ConstantInts(0, "shape"));
  Tensor value = MakeConstant(DType::kFloat32, {1}, EncodeDoubles(DType::kFloat32, {0.0}));
  if (const auto* a = n.attr("value")) {
    DType dtype;
    if (!ConvertOnnxDType(a->t().data_type(), &dtype))
      return n.Unsupported("element type {}", OnnxDTypeName(a->t().data_type()));
    auto t = ConvertTensorProto(a->t(), n.ctx().source());
    if (!t.ok()) return n.Invalid("{}", t.message());
    if (t->num_elements() != 1) return n.Invalid("attribute value must hold one element");
    value = std::move(*t);
  }
  Shape shape;
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0 || d > kMaxElements) return n.Invalid("shape entry {} is invalid", d);
    count *= d;
    if (count > kMaxElements) return n.Invalid("too many elements");
    shape.push_back(static_cast<int32_t>(d));
  }
  if (shape.size() > kMaxRank) return n.Unsupported("output rank {}", shape.size());
  // Folded into the model's constants: bounded before it is built, where
  // 2^31 elements of 8 bytes would exhaust the compiler's memory.
  constexpr int64_t kMaxFoldedBytes = int64_t{1} << 28;
  const int64_t bytes = count * static_cast<int64_t>(value.data.size());
  if (bytes > kMaxFoldedBytes)
    return n.Unsupported("a constant of {} bytes (at most {} folded at compile time)", bytes, kMaxFoldedBytes);
  std::vector<uint8_t> data;
  data.reserve(static_cast<size_t>(bytes));
  for (int64_t i = 0; i < count; ++i) data.insert(data.end(), value.data.begin(), value.data.end());
  n.DefineConstantOutput(0, MakeConstant(value.dtype, shape, std::move(data)));
  return Status::Ok();
}

// EyeLike(input): ones where column - row == k, of the input's (static)
// shape, in attribute dtype's type or the input's.
Status FoldEyeLike(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 is missing");
  const Shape shape = n.input(0).shape;
  if (shape.size() != 2) return n.Invalid("input has rank {}, expected 2", shape.size());
  DType dtype = n.input(0).dtype;
  if (n.has_attr("dtype")) {
    KILN_ASSIGN_OR_RETURN(const int64_t type, n.attr_int("dtype"));
    if (!ConvertOnnxDType(static_cast<int32_t>(type), &dtype))
      return n.Unsupported("attribute dtype={}", OnnxDTypeName(static_cast<int32_t>(type)));
  }
  KILN_ASSIGN_OR_RETURN(const int64_t k, n.attr_int("k", 0));
  std::vector<double> values(static_cast<size_t>(ShapeElements(shape)), 0.0);
  for (int64_t r = 0; r < shape[0]; ++r) {
    const int64_t c = r + k;
    if (c >= 0 && c < shape[1]) values[static_cast<size_t>(r * shape[1] + c)] = 1.0;
  }
  n.DefineConstantOutput(0, MakeConstant(dtype, shape, EncodeDoubles(dtype, values)));
  return Status::Ok();
}

// HannWindow, HammingWindow, BlackmanWindow of a constant size: cosine sums
// a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N the size (periodic) or the
// size - 1 (symmetric), computed in double.
Status FoldWindow(OnnxNode& n) {
  if (!n.has_input(0)) return n.Invalid("input 0 (size) is missing");
  KILN_ASSIGN_OR_RETURN(const std::vector<int64_t> size_values, n.ConstantInts(0, "size"));
  if (size_values.size() != 1 || size_values[0] < 0 || size_values[0] > kMaxElements)
    return n.Invalid("size must be one non-negative value of at most {}", kMaxElements);
  KILN_ASSIGN_OR_RETURN(const int64_t type, n.attr_int("output_datatype", onnx::TensorProto::FLOAT));
  DType dtype;
  if (!ConvertOnnxDType(static_cast<int32_t>(type), &dtype))
    return n.Unsupported("attribute output_datatype={}", OnnxDTypeName(static_cast<int32_t>(type)));
  KILN_ASSIGN_OR_RETURN(const int64_t periodic, n.attr_int("periodic", 1));
  double a0 = 0.5, a1 = 0.5, a2 = 0.0;  // Hann
  if (n.op_type() == "HammingWindow") {
    a0 = 25.0 / 46.0;
    a1 = 1.0 - a0;
  } else if (n.op_type() == "BlackmanWindow") {
    a0 = 0.42;
    a2 = 0.08;
  }
  const int64_t size = size_values[0];
  const double period = static_cast<double>(periodic != 0 ? size : size - 1);
  std::vector<double> values;
  for (int64_t i = 0; i < size; ++i) {
    const double angle = period > 0 ? 2.0 * std::numbers::pi * static_cast<double>(i) / period : 0.0;
    values.push_back(a0 - a1 * std::cos(angle) + a2 * std::cos(2.0 * angle));
  }
  n.DefineConstantOutput(0, MakeConstant(dtype, {static_cast<int32_t>(size)}, EncodeDoubles(dtype, values)));
  return Status::Ok();
}

Status FoldRange(OnnxNode& n) {
  for (size_t i = 0; i < 3; ++i) {
    if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
    if (n.constant_input(i) == nullptr) return n.Unsupported("non-constant input {} (Range is folded only)", i);
    if (n.input(i).num_elements() != 1) return n.Invalid("input {} must be a scalar", i);
  }
  const DType dtype = n.input(0).dtype;
  const double start = ElementAsDouble(n.input(0), 0), limit = ElementAsDouble(n.input(1), 0),
               delta = ElementAsDouble(n.input(2), 0);
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) || !std::isfinite(delta))
    return n.Invalid("start/limit/delta {} {} {} give no finite range", start, limit, delta);
  const double count_d = std::max(0.0, std::ceil((limit - start) / delta));
  if (count_d > 1e7) return n.Invalid("range of {} elements is too large", count_d);
  std::vector<double> values;
  for (int64_t i = 0; i < static_cast<int64_t>(count_d); ++i) values.push_back(start + static_cast<double>(i) * delta);
  n.DefineConstantOutput(0, MakeConstant(dtype, {static_cast<int32_t>(values.size())}, EncodeDoubles(dtype, values)));
  return Status::Ok();
}

Expected<bool> TryFoldBinary(OnnxNode& n) {
  const Tensor* a = n.constant_input(0);
  const Tensor* b = n.constant_input(1);
  if (a == nullptr || b == nullptr) return false;
  if (a->dtype != b->dtype) return n.Invalid("inputs have dtypes {} and {}", DTypeName(a->dtype), DTypeName(b->dtype));
  KILN_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(n, a->shape, b->shape));
  const std::string& op = n.op_type();
  const size_t rank = shape.size();
  auto strides_for = [&](const Shape& s) {
    // Broadcast strides: 0 where the operand has extent 1.
    std::vector<int64_t> st(rank, 0);
    const std::vector<int64_t> own = Strides(s);
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] != 1) st[rank - s.size() + i] = own[i];
    return st;
  };
  const std::vector<int64_t> sa = strides_for(a->shape), sb = strides_for(b->shape);
  const int64_t count = ShapeElements(shape);
  std::vector<uint8_t> out;
  std::vector<double> dv;
  std::vector<int64_t> iv;
  const bool integer = IsInteger(a->dtype);
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += index[d] * sa[d];
      ib += index[d] * sb[d];
    }
    if (integer) {
      const int64_t x = a->int_at(ia), y = b->int_at(ib);
      int64_t r;
      if (op == "Add") r = static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
      else if (op == "Sub") r = static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
      else if (op == "Mul") r = static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y));
      else if (op == "Div") {
        if (y == 0 || (x == std::numeric_limits<int64_t>::min() && y == -1)) return n.Invalid("integer division by zero or overflow");
        r = x / y;
      } else if (op == "Max") r = std::max(x, y);
      else r = std::min(x, y);
      iv.push_back(r);
    } else {
      // In the tensors' precision, as the kernels would compute it.
      const auto fold = [&](auto x, auto y) -> double {
        if (op == "Add") return x + y;
        if (op == "Sub") return x - y;
        if (op == "Mul") return x * y;
        if (op == "Div") return x / y;
        if (std::isnan(x) || std::isnan(y)) return NAN;
        return op == "Max" ? std::max(x, y) : std::min(x, y);
      };
      const double x = ElementAsDouble(*a, ia), y = ElementAsDouble(*b, ib);
      dv.push_back(a->dtype == DType::kFloat64 ? fold(x, y) : fold(static_cast<float>(x), static_cast<float>(y)));
    }
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  Tensor t = MakeConstant(a->dtype, shape, integer ? EncodeInts(a->dtype, iv) : EncodeDoubles(a->dtype, dv));
  n.DefineConstantOutput(0, std::move(t));
  return true;
}

Expected<bool> TryFoldNegAbs(OnnxNode& n) {
  const Tensor* x = n.constant_input(0);
  if (x == nullptr || !IsInteger(x->dtype)) return false;
  const bool neg = n.op_type() == "Neg";
  std::vector<int64_t> values;
  values.reserve(static_cast<size_t>(x->num_elements()));
  for (int64_t i = 0; i < x->num_elements(); ++i) {
    const int64_t v = x->int_at(i);
    // Wrapping, as the integer type would: -INT64_MIN is INT64_MIN.
    const int64_t negated = static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(v));
    values.push_back(neg || v < 0 ? negated : v);
  }
  n.DefineConstantOutput(0, MakeConstant(x->dtype, x->shape, EncodeInts(x->dtype, values)));
  return true;
}

}  // namespace kiln::onnx_import
