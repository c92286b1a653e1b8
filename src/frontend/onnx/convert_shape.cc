// ONNX data-movement operators: Identity/Dropout (aliases), Reshape family
// (Flatten, Squeeze, Unsqueeze become RESHAPE), Transpose, Concat, Pad,
// Slice (STRIDED_SLICE with ONNX's clamping resolved here), Split (SPLIT_V),
// ArgMax/ArgMin and ReduceMean/Sum/Max/Min.
// With constant inputs each of them folds to a constant.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "frontend/onnx/converters.h"

namespace kiln::onnx_import {
namespace {

Status RequireInput(OnnxNode& n, size_t i) {
  if (!n.has_input(i)) return n.Invalid("input {} is missing", i);
  return Status::Ok();
}

/// Binds output 0 to `input` reshaped to `shape` (a copy node, or a constant).
Status BindReshaped(OnnxNode& n, const Shape& shape) {
  const Tensor& in = n.input(0);
  if (shape.size() > kMaxRank) return n.Unsupported("output rank {} (at most {})", shape.size(), kMaxRank);
  const int64_t count = ShapeElements(shape);
  if (count != in.num_elements())
    return n.Invalid("cannot reshape {} ({} elements) to {}", ShapeString(in.shape), in.num_elements(),
                     ShapeString(shape));
  n.BindOutput(0, EmitReshape(n, n.input_id(0), shape, n.proto().output(0)));
  return Status::Ok();
}

/// Axes from the 'axes' attribute (older opsets) or input 1 (newer).
Expected<std::vector<int64_t>> AxesOf(OnnxNode& n, int64_t input_since_opset) {
  if (n.opset() >= input_since_opset) {
    if (!n.has_input(1)) return std::vector<int64_t>{};
    return n.ConstantInts(1, "axes");
  }
  return n.attr_ints("axes", std::vector<int64_t>{});
}

}  // namespace

Status ConvertIdentity(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  if (n.op_type() == "Dropout") {
    if (n.has_input(2)) {
      const Tensor* training = n.constant_input(2);
      if (training == nullptr) return n.Unsupported("input 'training_mode' must be a constant");
      if (training->num_elements() > 0 && training->int_at(0) != 0) return n.Unsupported("training_mode=1");
    }
    KILN_ASSIGN_OR_RETURN(int64_t is_test, n.attr_int("is_test", 1));
    if (is_test == 0) return n.Unsupported("attribute is_test=0 (training)");
    // In inference every element is kept: the mask (opset 12 on, bool) is
    // all true, a constant.
    if (n.has_output(1)) {
      if (n.opset() < 12) return n.Unsupported("output 'mask' before opset 12");
      const Tensor& x = n.input(0);
      Tensor mask;
      mask.dtype = DType::kBool;
      mask.shape = x.shape;
      mask.is_constant = true;
      mask.data.assign(static_cast<size_t>(x.num_elements()), 1);
      n.DefineConstantOutput(1, std::move(mask));
    }
  }
  n.BindOutput(0, n.input_id(0));
  return Status::Ok();
}

Status ConvertReshape(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  KILN_RETURN_IF_ERROR(RequireInput(n, 1));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> dims, n.ConstantInts(1, "shape"));
  KILN_ASSIGN_OR_RETURN(int64_t allowzero, n.attr_int("allowzero", 0));
  const Shape& in = n.input(0).shape;
  Shape shape;
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = dims[i];
    if (d == 0 && allowzero == 0) {
      if (i >= in.size()) return n.Invalid("shape {} copies dimension {} the input does not have", i, i);
      d = in[i];
    }
    if (d == -1) {
      if (infer >= 0) return n.Invalid("shape has more than one -1");
      infer = static_cast<int>(i);
      shape.push_back(1);
      continue;
    }
    if (d < 0 || d > kMaxElements) return n.Invalid("shape entry {} is {}", i, d);
    known *= d;
    if (known > kMaxElements) return n.Invalid("shape has too many elements");
    shape.push_back(static_cast<int32_t>(d));
  }
  if (infer >= 0) {
    const int64_t total = n.input(0).num_elements();
    if (known == 0 || total % known != 0)
      return n.Invalid("cannot infer the -1 in shape: {} elements into blocks of {}", total, known);
    shape[static_cast<size_t>(infer)] = static_cast<int32_t>(total / known);
  }
  return BindReshaped(n, shape);
}

Status ConvertFlatten(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Shape& in = n.input(0).shape;
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis", 1));
  int64_t axis = axis_attr;
  if (axis != static_cast<int64_t>(in.size()) && !NormalizeAxis(axis_attr, in.size(), &axis))
    return n.Invalid("axis {} is out of range for rank {}", axis_attr, in.size());
  int64_t rows = 1, cols = 1;
  for (size_t d = 0; d < in.size(); ++d) (static_cast<int64_t>(d) < axis ? rows : cols) *= in[d];
  return BindReshaped(n, {static_cast<int32_t>(rows), static_cast<int32_t>(cols)});
}

Status ConvertSqueeze(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Shape& in = n.input(0).shape;
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOf(n, 13));
  std::set<int64_t> drop;
  for (int64_t a : axes) {
    int64_t axis;
    if (!NormalizeAxis(a, in.size(), &axis)) return n.Invalid("axis {} is out of range for rank {}", a, in.size());
    if (in[static_cast<size_t>(axis)] != 1)
      return n.Invalid("cannot squeeze axis {} of size {}", a, in[static_cast<size_t>(axis)]);
    drop.insert(axis);
  }
  Shape shape;
  for (size_t d = 0; d < in.size(); ++d) {
    const bool squeeze = axes.empty() ? in[d] == 1 : drop.count(static_cast<int64_t>(d)) != 0;
    if (!squeeze) shape.push_back(in[d]);
  }
  return BindReshaped(n, shape);
}

Status ConvertUnsqueeze(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Shape& in = n.input(0).shape;
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOf(n, 13));
  const size_t rank = in.size() + axes.size();
  std::set<int64_t> insert;
  for (int64_t a : axes) {
    int64_t axis;
    if (!NormalizeAxis(a, rank, &axis) || !insert.insert(axis).second)
      return n.Invalid("axis {} is out of range or repeated for output rank {}", a, rank);
  }
  Shape shape;
  size_t next = 0;
  for (size_t d = 0; d < rank; ++d) shape.push_back(insert.count(static_cast<int64_t>(d)) ? 1 : in[next++]);
  return BindReshaped(n, shape);
}

Status ConvertTranspose(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Shape& in = n.input(0).shape;
  std::vector<int64_t> reversed;
  for (size_t d = in.size(); d-- > 0;) reversed.push_back(static_cast<int64_t>(d));
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> perm, n.attr_ints("perm", reversed));
  std::vector<bool> seen(in.size(), false);
  if (perm.size() != in.size()) return n.Invalid("perm has {} entries for rank {}", perm.size(), in.size());
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(in.size()) || seen[static_cast<size_t>(p)])
      return n.Invalid("perm is not a permutation of 0..{}", in.size() - 1);
    seen[static_cast<size_t>(p)] = true;
  }
  n.BindOutput(0, EmitTranspose(n, n.input_id(0), perm, n.proto().output(0)));
  return Status::Ok();
}

Status ConvertConcat(OnnxNode& n) {
  if (n.num_inputs() == 0) return n.Invalid("no inputs");
  KILN_ASSIGN_OR_RETURN(int64_t axis_attr, n.attr_int("axis"));
  std::vector<int> ids;
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    KILN_RETURN_IF_ERROR(RequireInput(n, i));
    ids.push_back(n.input_id(i));
  }
  const Tensor& first = n.input(0);
  int64_t axis;
  if (!NormalizeAxis(axis_attr, first.shape.size(), &axis))
    return n.Invalid("axis {} is out of range for rank {}", axis_attr, first.shape.size());
  Shape shape = first.shape;
  bool all_constant = first.is_constant;
  shape[static_cast<size_t>(axis)] = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    const Tensor& t = n.input(i);
    if (t.dtype != first.dtype || t.shape.size() != first.shape.size())
      return n.Invalid("input {} ({} {}) does not match input 0 ({} {})", i, DTypeName(t.dtype),
                       ShapeString(t.shape), DTypeName(first.dtype), ShapeString(first.shape));
    for (size_t d = 0; d < t.shape.size(); ++d)
      if (static_cast<int64_t>(d) != axis && t.shape[d] != first.shape[d])
        return n.Invalid("input {} has shape {}, input 0 {}: only axis {} may differ", i, ShapeString(t.shape),
                         ShapeString(first.shape), axis);
    if (static_cast<int64_t>(shape[static_cast<size_t>(axis)]) + t.shape[static_cast<size_t>(axis)] > kMaxElements)
      return n.Invalid("the concatenated axis is too large");
    shape[static_cast<size_t>(axis)] += t.shape[static_cast<size_t>(axis)];
    all_constant = all_constant && t.is_constant;
  }
  if (all_constant) {
    // Fold: outer blocks of each input in turn.
    Tensor out;
    out.dtype = first.dtype;
    out.shape = shape;
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= shape[static_cast<size_t>(d)];
    for (int64_t o = 0; o < outer; ++o) {
      for (size_t i = 0; i < ids.size(); ++i) {
        const Tensor& t = n.input(i);
        const int64_t block = outer == 0 ? 0 : static_cast<int64_t>(t.data.size()) / outer;
        out.data.insert(out.data.end(), t.data.begin() + o * block, t.data.begin() + (o + 1) * block);
      }
    }
    n.DefineConstantOutput(0, std::move(out));
    return Status::Ok();
  }
  const int out = n.DefineOutput(0, first.dtype, shape);
  Attrs attrs;
  attrs.set("axis", axis);
  attrs.set("activation", std::string("NONE"));
  n.ctx().AddNode(OpKind::kConcatenation, ids, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertPad(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  KILN_ASSIGN_OR_RETURN(std::string mode, n.attr_string("mode", std::string("constant")));
  // reflect, edge and wrap are MIRROR_PAD's index-table modes.
  static const std::map<std::string, std::string> kTableModes = {
      {"reflect", "REFLECT"}, {"edge", "EDGE"}, {"wrap", "WRAP"}};
  const auto table_mode = kTableModes.find(mode);
  if (mode != "constant" && table_mode == kTableModes.end()) return n.Unsupported("attribute mode={}", mode);
  const Tensor& in = n.input(0);
  std::vector<int64_t> pads;
  float value = 0.0f;
  bool has_value = false;
  if (n.opset() < 11) {
    KILN_ASSIGN_OR_RETURN(pads, n.attr_ints(n.opset() < 2 ? "paddings" : "pads"));
    KILN_ASSIGN_OR_RETURN(value, n.attr_float("value", 0.0f));
    has_value = value != 0.0f;
  } else {
    KILN_RETURN_IF_ERROR(RequireInput(n, 1));
    KILN_ASSIGN_OR_RETURN(pads, n.ConstantInts(1, "pads"));
    if (n.has_input(3)) return n.Unsupported("input 'axes'");
    if (n.has_input(2)) {
      const Tensor* v = n.constant_input(2);
      if (v == nullptr) return n.Unsupported("input 'constant_value' must be a constant");
      if (v->num_elements() != 1) return n.Invalid("constant_value must hold one value");
      if (v->dtype != in.dtype) return n.Invalid("constant_value has dtype {}, input {}", DTypeName(v->dtype), DTypeName(in.dtype));
      value = static_cast<float>(ElementAsDouble(*v, 0));
      has_value = ElementAsDouble(*v, 0) != 0.0;
    }
  }
  const size_t rank = in.shape.size();
  if (pads.size() != 2 * rank) return n.Invalid("pads has {} entries, expected {} for rank {}", pads.size(), 2 * rank, rank);
  std::vector<int64_t> paddings;
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t before = pads[d], after = pads[d + rank];
    if (before < 0 || after < 0) return n.Unsupported("negative pads (cropping)");
    if (before > kMaxElements || after > kMaxElements) return n.Invalid("pads are too large");
    paddings.insert(paddings.end(), {before, after});
    shape.push_back(static_cast<int32_t>(in.shape[d] + before + after));
  }
  const std::string name = n.proto().output(0);
  std::vector<int> inputs = {n.input_id(0), n.ctx().AddInt32Constant(name + "/paddings", paddings,
                                                                    {static_cast<int32_t>(rank), 2})};
  if (has_value && mode == "constant") {
    if (in.dtype != DType::kFloat32) return n.Unsupported("a non-zero pad value on {} data", DTypeName(in.dtype));
    inputs.push_back(n.ctx().AddFloatConstant(name + "/value", {value}, {}));
  }
  const int out = n.DefineOutput(0, in.dtype, shape);
  if (table_mode != kTableModes.end()) {  // constant_value means nothing to these modes
    inputs.resize(2);
    Attrs attrs;
    attrs.set("mode", table_mode->second);
    n.ctx().AddNode(OpKind::kMirrorPad, inputs, {out}, std::move(attrs));
    return Status::Ok();
  }
  n.ctx().AddNode(OpKind::kPad, inputs, {out});
  return Status::Ok();
}

Status ConvertSlice(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Tensor& in = n.input(0);
  const size_t rank = in.shape.size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opset() < 10) {
    KILN_ASSIGN_OR_RETURN(starts, n.attr_ints("starts"));
    KILN_ASSIGN_OR_RETURN(ends, n.attr_ints("ends"));
    KILN_ASSIGN_OR_RETURN(axes, n.attr_ints("axes", std::vector<int64_t>{}));
  } else {
    KILN_RETURN_IF_ERROR(RequireInput(n, 1));
    KILN_RETURN_IF_ERROR(RequireInput(n, 2));
    KILN_ASSIGN_OR_RETURN(starts, n.ConstantInts(1, "starts"));
    KILN_ASSIGN_OR_RETURN(ends, n.ConstantInts(2, "ends"));
    if (n.has_input(3)) { KILN_ASSIGN_OR_RETURN(axes, n.ConstantInts(3, "axes")); }
    if (n.has_input(4)) { KILN_ASSIGN_OR_RETURN(steps, n.ConstantInts(4, "steps")); }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return n.Invalid("starts, ends, axes and steps differ in length");
  // Per dimension: first index, step, count (ONNX's clamping rules).
  std::vector<int64_t> begin(rank, 0), stride(rank, 1), count(rank);
  for (size_t d = 0; d < rank; ++d) count[d] = in.shape[d];
  std::vector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis;
    if (!NormalizeAxis(axes[i], rank, &axis) || seen[static_cast<size_t>(axis)])
      return n.Invalid("axis {} is out of range or repeated", axes[i]);
    seen[static_cast<size_t>(axis)] = true;
    const int64_t dim = in.shape[static_cast<size_t>(axis)];
    if (steps[i] == 0) return n.Invalid("step 0 on axis {}", axes[i]);
    // Steps beyond any dimension select one element, whatever their size.
    const int64_t step = std::clamp<int64_t>(steps[i], -kMaxElements, kMaxElements);
    auto clamp = [](int64_t v, int64_t lo, int64_t hi) { return std::min(std::max(v, lo), hi); };
    int64_t s = starts[i], e = ends[i];
    // Negative indices count from the end; the clamps below handle the rest.
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    int64_t c;
    if (step > 0) {
      s = clamp(s, 0, dim);
      e = clamp(e, 0, dim);
      c = e > s ? (e - s + step - 1) / step : 0;
    } else {
      s = clamp(s, 0, dim - 1);
      e = clamp(e, -1, dim - 1);
      c = s > e ? (s - e + (-step) - 1) / (-step) : 0;
    }
    begin[static_cast<size_t>(axis)] = s;
    stride[static_cast<size_t>(axis)] = step;
    count[static_cast<size_t>(axis)] = c;
  }
  Shape shape;
  for (size_t d = 0; d < rank; ++d) {
    // An empty slice of a constant (a shape's prefix, in shape arithmetic)
    // folds to an empty constant; of an activation Kiln has no empty tensor.
    if (count[d] == 0 && !in.is_constant) return n.Unsupported("an empty slice on axis {}", d);
    shape.push_back(static_cast<int32_t>(count[d]));
  }
  const std::string name = n.proto().output(0);
  if (in.is_constant) {
    Tensor out;
    out.dtype = in.dtype;
    out.shape = shape;
    const size_t esize = DTypeSize(in.dtype);
    const std::vector<int64_t> strides = Strides(in.shape);
    std::vector<int64_t> index(rank, 0);
    for (int64_t i = 0, total = out.num_elements(); i < total; ++i) {
      int64_t src = 0;
      for (size_t d = 0; d < rank; ++d) src += (begin[d] + index[d] * stride[d]) * strides[d];
      out.data.insert(out.data.end(), in.data.begin() + src * static_cast<int64_t>(esize),
                      in.data.begin() + (src + 1) * static_cast<int64_t>(esize));
      for (size_t d = rank; d-- > 0;) {
        if (++index[d] < count[d]) break;
        index[d] = 0;
      }
    }
    n.DefineConstantOutput(0, std::move(out));
    return Status::Ok();
  }
  if (rank > 5) return n.Unsupported("rank {} (STRIDED_SLICE handles up to 5)", rank);
  // begin/end/strides spelled out per axis; end_mask covers "before index 0"
  // for negative steps, which a literal -1 would not (it means the last element).
  std::vector<int64_t> end(rank);
  int64_t end_mask = 0;
  for (size_t d = 0; d < rank; ++d) {
    end[d] = begin[d] + count[d] * stride[d];
    if (end[d] < 0) {
      end[d] = 0;
      end_mask |= int64_t{1} << d;
    }
  }
  EmitStridedSlice(n, n.input_id(0), begin, end, stride, n.DefineOutput(0, in.dtype, shape), name, end_mask);
  return Status::Ok();
}

Status ConvertReduce(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Tensor& in = n.input(0);
  const std::string& op = n.op_type();
  // The norms and log-sums: SUM between an elementwise step before (ABS,
  // SQUARE, EXP) and one after (SQRT, LOG).
  struct Composed {
    const char* op;
    std::optional<OpKind> before, after;
  };
  static const Composed kComposed[] = {
      {"ReduceL1", OpKind::kAbs, std::nullopt},         {"ReduceL2", OpKind::kSquare, OpKind::kSqrt},
      {"ReduceSumSquare", OpKind::kSquare, std::nullopt}, {"ReduceLogSum", std::nullopt, OpKind::kLog},
      {"ReduceLogSumExp", OpKind::kExp, OpKind::kLog},
  };
  const Composed* composed = nullptr;
  for (const Composed& c : kComposed)
    if (op == c.op) composed = &c;
  if (composed != nullptr || op == "ReduceProd") KILN_RETURN_IF_ERROR(RequireFloat(n, 0));
  const OpKind kind = op == "ReduceMean"   ? OpKind::kMean
                      : op == "ReduceMax"  ? OpKind::kReduceMax
                      : op == "ReduceMin"  ? OpKind::kReduceMin
                      : op == "ReduceProd" ? OpKind::kReduceProd
                                           : OpKind::kSum;
  // The axes move from an attribute to an input at opset 13 (ReduceSum) or 18.
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, AxesOf(n, op == "ReduceSum" ? 13 : 18));
  KILN_ASSIGN_OR_RETURN(int64_t keepdims, n.attr_int("keepdims", 1));
  KILN_ASSIGN_OR_RETURN(int64_t noop, n.attr_int("noop_with_empty_axes", 0));
  if (noop != 0) return n.Unsupported("attribute noop_with_empty_axes={}", noop);
  if (axes.empty())
    for (size_t d = 0; d < in.shape.size(); ++d) axes.push_back(static_cast<int64_t>(d));
  std::set<int64_t> reduce;
  for (int64_t a : axes) {
    int64_t axis;
    if (!NormalizeAxis(a, in.shape.size(), &axis)) return n.Invalid("axis {} is out of range", a);
    reduce.insert(axis);
  }
  Shape shape;
  for (size_t d = 0; d < in.shape.size(); ++d) {
    if (!reduce.count(static_cast<int64_t>(d))) shape.push_back(in.shape[d]);
    else if (keepdims) shape.push_back(1);
  }
  const std::vector<int64_t> sorted(reduce.begin(), reduce.end());
  const std::string name = n.proto().output(0);
  const bool after = composed != nullptr && composed->after;
  int y = n.input_id(0);
  if (composed != nullptr && composed->before) y = EmitUnary(n, *composed->before, y, name + "/elementwise");
  y = EmitReduce(n, kind, y, sorted, keepdims != 0, shape, after ? name + "/sum" : name);
  if (after) y = EmitUnary(n, *composed->after, y, name);
  n.BindOutput(0, y);
  return Status::Ok();
}

Status ConvertArgMinMax(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Tensor& in = n.input(0);
  KILN_ASSIGN_OR_RETURN(const int64_t axis_attr, n.attr_int("axis", 0));
  KILN_ASSIGN_OR_RETURN(const int64_t keepdims, n.attr_int("keepdims", 1));
  KILN_ASSIGN_OR_RETURN(const int64_t last, n.attr_int("select_last_index", 0));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, in.shape.size(), &axis)) return n.Invalid("axis {} is out of range", axis_attr);
  Shape shape = in.shape;
  if (keepdims)
    shape[static_cast<size_t>(axis)] = 1;
  else
    shape.erase(shape.begin() + axis);
  const int axis_id = n.ctx().AddInt32Constant(n.proto().output(0) + "/axis", {axis});
  const int out = n.DefineOutput(0, DType::kInt64, shape);
  Attrs attrs;
  attrs.set("keep_dims", keepdims ? int64_t{1} : int64_t{0});
  attrs.set("select_last_index", last != 0 ? int64_t{1} : int64_t{0});
  n.ctx().AddNode(n.op_type() == "ArgMax" ? OpKind::kArgMax : OpKind::kArgMin, {n.input_id(0), axis_id}, {out},
                  std::move(attrs));
  return Status::Ok();
}

// CumSum(x, axis) with a constant axis (int32 or int64 scalar) and the
// attributes exclusive and reverse, which CUMSUM shares.
Status ConvertCumSum(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  if (!n.has_input(1)) return n.Invalid("input 1 (axis) is missing");
  KILN_ASSIGN_OR_RETURN(const std::vector<int64_t> axis_values, n.ConstantInts(1, "axis"));
  if (axis_values.size() != 1) return n.Invalid("axis holds {} values, expected one", axis_values.size());
  const Tensor& in = n.input(0);
  int64_t axis;
  if (!NormalizeAxis(axis_values[0], in.shape.size(), &axis))
    return n.Invalid("axis {} is out of range for rank {}", axis_values[0], in.shape.size());
  KILN_ASSIGN_OR_RETURN(const int64_t exclusive, n.attr_int("exclusive", 0));
  KILN_ASSIGN_OR_RETURN(const int64_t reverse, n.attr_int("reverse", 0));
  const int axis_id = n.ctx().AddInt32Constant(n.proto().output(0) + "/axis", {axis});
  const int out = n.DefineOutput(0, in.dtype, in.shape);
  Attrs attrs;
  attrs.set("exclusive", exclusive != 0 ? int64_t{1} : int64_t{0});
  attrs.set("reverse", reverse != 0 ? int64_t{1} : int64_t{0});
  n.ctx().AddNode(OpKind::kCumSum, {n.input_id(0), axis_id}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertTile(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  if (!n.has_input(1)) return n.Invalid("input 1 (repeats) is missing");
  KILN_ASSIGN_OR_RETURN(std::vector<int64_t> repeats, n.ConstantInts(1, "repeats"));
  const Shape in_shape = n.input(0).shape;
  if (repeats.size() != in_shape.size())
    return n.Invalid("repeats has {} values for an input of rank {}", repeats.size(), in_shape.size());
  const std::string name = n.proto().output(0);
  // Each axis repeated in turn, as a CONCATENATION of copies along it.
  int x = n.input_id(0);
  Shape shape = in_shape;
  size_t last = repeats.size();
  // Each repeat is an input of a CONCATENATION: a bound on them, and on the
  // output's elements, checked by division (a huge repeat overflowed int64,
  // and a huge count of copies exhausted memory: found by fuzzing).
  constexpr int64_t kMaxRepeats = 65536;
  int64_t elements = 1;
  for (int32_t dim : in_shape) elements *= dim;
  for (size_t d = 0; d < repeats.size(); ++d) {
    if (repeats[d] < 0) return n.Invalid("repeats[{}] is {}", d, repeats[d]);
    if (repeats[d] == 0) return n.Unsupported("repeats[{}] = 0 (an empty output)", d);
    if (repeats[d] > kMaxRepeats) return n.Unsupported("repeats[{}] = {} (at most {})", d, repeats[d], kMaxRepeats);
    if (elements > 0 && repeats[d] > kMaxElements / elements)
      return n.Invalid("repeats[{}] = {} makes an output of more than 2^31 elements", d, repeats[d]);
    elements *= repeats[d];
    if (repeats[d] > 1) last = d;
  }
  if (last == repeats.size()) {
    n.BindOutput(0, EmitReshape(n, x, shape, name));
    return Status::Ok();
  }
  for (size_t d = 0; d <= last; ++d) {
    if (repeats[d] == 1) continue;
    shape[d] = static_cast<int32_t>(shape[d] * repeats[d]);
    Tensor out;
    out.name = d == last ? name : fmt::format("{}/axis{}", name, d);
    out.dtype = n.input(0).dtype;
    out.shape = shape;
    const int y = n.ctx().AddTensor(std::move(out));
    Attrs attrs;
    attrs.set("axis", static_cast<int64_t>(d));
    attrs.set("activation", std::string("NONE"));
    n.ctx().AddNode(OpKind::kConcatenation, std::vector<int>(static_cast<size_t>(repeats[d]), x), {y},
                    std::move(attrs));
    x = y;
  }
  n.BindOutput(0, x);
  return Status::Ok();
}

Status ConvertGatherElements(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  KILN_RETURN_IF_ERROR(RequireInput(n, 1));
  const Tensor& data = n.input(0);
  const Tensor& indices = n.input(1);
  if (indices.dtype != DType::kInt64 && indices.dtype != DType::kInt32)
    return n.Invalid("indices have dtype {}, expected int64 or int32", DTypeName(indices.dtype));
  KILN_ASSIGN_OR_RETURN(const int64_t axis_attr, n.attr_int("axis", 0));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, data.shape.size(), &axis)) return n.Invalid("axis {} is out of range", axis_attr);
  if (indices.shape.size() != data.shape.size())
    return n.Invalid("indices have rank {}, data {}: expected the same", indices.shape.size(), data.shape.size());
  const int out = n.DefineOutput(0, data.dtype, indices.shape);
  Attrs attrs;
  attrs.set("axis", axis);
  n.ctx().AddNode(OpKind::kGatherElements, {n.input_id(0), n.input_id(1)}, {out}, std::move(attrs));
  return Status::Ok();
}

Status ConvertSplit(OnnxNode& n) {
  KILN_RETURN_IF_ERROR(RequireInput(n, 0));
  const Tensor& in = n.input(0);
  if (in.num_elements() == 0) return n.Unsupported("an empty input (shape {})", ShapeString(in.shape));
  KILN_ASSIGN_OR_RETURN(const int64_t axis_attr, n.attr_int("axis", 0));
  int64_t axis;
  if (!NormalizeAxis(axis_attr, in.shape.size(), &axis)) return n.Invalid("axis {} is out of range", axis_attr);
  const size_t outputs = n.num_outputs();
  const int64_t dim = in.shape[static_cast<size_t>(axis)];
  std::vector<int64_t> sizes;
  if (n.opset() >= 13 && n.has_input(1)) {
    const Tensor* split = n.constant_input(1);
    if (split == nullptr) return n.Unsupported("split sizes that are not constant");
    if (split->dtype != DType::kInt64 && split->dtype != DType::kInt32)
      return n.Invalid("split has dtype {}, expected int64", DTypeName(split->dtype));
    for (int64_t i = 0; i < split->num_elements(); ++i) sizes.push_back(split->int_at(i));
  } else if (n.opset() < 13 && n.has_attr("split")) {
    KILN_ASSIGN_OR_RETURN(sizes, n.attr_ints("split"));
  } else {
    // Equal parts; from opset 18 the last may be smaller (ceil(dim / n) each).
    const int64_t parts = static_cast<int64_t>(outputs);
    const int64_t chunk = parts == 0 ? 0 : (dim + parts - 1) / parts;
    for (int64_t k = 0; k < parts; ++k) sizes.push_back(std::min(chunk, std::max<int64_t>(dim - k * chunk, 0)));
  }
  if (sizes.size() != outputs)
    return n.Invalid("{} split sizes for {} outputs", sizes.size(), outputs);
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0 || size > dim) return n.Invalid("split size {} is outside [0, {}]", size, dim);
    total += size;
  }
  if (total != dim) return n.Invalid("split sizes add up to {}, axis {} has {} elements", total, axis, dim);
  const std::string& stem = n.proto().output(0);
  const int sizes_id = n.ctx().AddInt32Constant(stem + "/size_splits", sizes, {static_cast<int32_t>(sizes.size())});
  const int axis_id = n.ctx().AddInt32Constant(stem + "/axis", {axis});
  std::vector<int> outs;
  for (size_t k = 0; k < outputs; ++k) {
    Shape shape = in.shape;
    shape[static_cast<size_t>(axis)] = static_cast<int32_t>(sizes[k]);
    outs.push_back(n.DefineOutput(k, in.dtype, shape));
  }
  Attrs attrs;
  attrs.set("num_splits", static_cast<int64_t>(outputs));
  n.ctx().AddNode(OpKind::kSplitV, {n.input_id(0), sizes_id, axis_id}, std::move(outs), std::move(attrs));
  return Status::Ok();
}

}  // namespace kiln::onnx_import
