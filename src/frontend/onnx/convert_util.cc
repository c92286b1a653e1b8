// Helpers shared by the ONNX converters: broadcasting, and the small IR
// patterns (reshape, transpose, binary op) several converters emit.
#include <algorithm>

#include "frontend/onnx/converters.h"
#include "passes/graph_edit.h"

namespace kiln::onnx_import {

Expected<Shape> BroadcastShapes(OnnxNode& n, const Shape& a, const Shape& b) {
  std::optional<Shape> out = kiln::BroadcastShapes(a, b);
  if (!out) return n.Invalid("shapes {} and {} do not broadcast", ShapeString(a), ShapeString(b));
  return *out;
}

int EmitReshape(OnnxNode& n, int input, const Shape& shape, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const Tensor& in = ctx.graph().tensor(input);
  if (in.is_constant) {
    Tensor t = in;
    t.name = name;
    t.shape = shape;
    return ctx.AddTensor(std::move(t));
  }
  Tensor out;
  out.name = name;
  out.dtype = in.dtype;
  out.quant = in.quant;
  out.shape = shape;
  std::vector<int64_t> dims(shape.begin(), shape.end());
  const int shape_id = ctx.AddInt32Constant(name + "/shape", dims, {static_cast<int32_t>(dims.size())});
  const int out_id = ctx.AddTensor(std::move(out));
  ctx.AddNode(OpKind::kReshape, {input, shape_id}, {out_id});
  return out_id;
}

Tensor PermuteConstant(const Tensor& t, const std::vector<int64_t>& perm) {
  return passes::PermuteConstantData(t, perm);
}

int EmitTranspose(OnnxNode& n, int input, const std::vector<int64_t>& perm, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const Tensor& in = ctx.graph().tensor(input);
  if (in.is_constant) {
    Tensor t = PermuteConstant(in, perm);
    t.name = name;
    return ctx.AddTensor(std::move(t));
  }
  Tensor out;
  out.name = name;
  out.dtype = in.dtype;
  out.quant = in.quant;
  for (int64_t p : perm) out.shape.push_back(in.shape[static_cast<size_t>(p)]);
  const int perm_id = ctx.AddInt32Constant(name + "/perm", perm);
  const int out_id = ctx.AddTensor(std::move(out));
  ctx.AddNode(OpKind::kTranspose, {input, perm_id}, {out_id});
  return out_id;
}

int EmitBinary(OnnxNode& n, OpKind op, int a, int b, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const Tensor& ta = ctx.graph().tensor(a);
  const Tensor& tb = ctx.graph().tensor(b);
  Tensor out;
  out.name = name;
  out.dtype = ta.dtype;
  auto shape = BroadcastShapes(n, ta.shape, tb.shape);
  out.shape = shape.ok() ? *shape : ta.shape;  // callers pass broadcastable operands
  const int out_id = ctx.AddTensor(std::move(out));
  Attrs attrs;
  if (op != OpKind::kMaximum && op != OpKind::kMinimum) attrs.set("activation", std::string("NONE"));
  ctx.AddNode(op, {a, b}, {out_id}, std::move(attrs));
  return out_id;
}

void EmitStridedSlice(OnnxNode& n, int input, const std::vector<int64_t>& begin, const std::vector<int64_t>& end,
                      const std::vector<int64_t>& strides, int output, const std::string& name, int64_t end_mask) {
  ImportContext& ctx = n.ctx();
  Attrs attrs;
  for (const char* mask : {"begin_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask", "offset"})
    attrs.set(mask, int64_t{0});
  attrs.set("end_mask", end_mask);
  const Shape rank = {static_cast<int32_t>(begin.size())};
  ctx.AddNode(OpKind::kStridedSlice,
              {input, ctx.AddInt32Constant(name + "/begin", begin, rank), ctx.AddInt32Constant(name + "/end", end, rank),
               ctx.AddInt32Constant(name + "/strides", strides, rank)},
              {output}, std::move(attrs));
}

int EmitCast(OnnxNode& n, int input, DType dtype, const std::string& name) {
  ImportContext& ctx = n.ctx();
  Tensor out;
  out.name = name;
  out.dtype = dtype;
  out.shape = ctx.graph().tensor(input).shape;
  const int out_id = ctx.AddTensor(std::move(out));
  ctx.AddNode(OpKind::kCast, {input}, {out_id}, Attrs{});
  return out_id;
}

int EmitUnary(OnnxNode& n, OpKind op, int input, const std::string& name) {
  ImportContext& ctx = n.ctx();
  Tensor out;
  out.name = name;
  out.dtype = ctx.graph().tensor(input).dtype;
  out.shape = ctx.graph().tensor(input).shape;
  const int out_id = ctx.AddTensor(std::move(out));
  ctx.AddNode(op, {input}, {out_id}, Attrs{});
  return out_id;
}

int EmitReduce(OnnxNode& n, OpKind op, int input, const std::vector<int64_t>& axes, bool keep_dims,
               const Shape& shape, const std::string& name) {
  ImportContext& ctx = n.ctx();
  const int axes_id = ctx.AddInt32Constant(name + "/axes", axes);
  Tensor out;
  out.name = name;
  out.dtype = ctx.graph().tensor(input).dtype;
  out.shape = shape;
  const int out_id = ctx.AddTensor(std::move(out));
  Attrs attrs;
  attrs.set("keep_dims", keep_dims ? int64_t{1} : int64_t{0});
  ctx.AddNode(op, {input, axes_id}, {out_id}, std::move(attrs));
  return out_id;
}

Status RequireFloat(OnnxNode& n, size_t i) {
  const Tensor& t = n.input(i);
  if (t.dtype != DType::kFloat32)
    return n.Unsupported("input {} '{}' has dtype {} (only float32 is supported for {})", i, t.name,
                         DTypeName(t.dtype), n.op_type());
  return Status::Ok();
}

}  // namespace kiln::onnx_import
