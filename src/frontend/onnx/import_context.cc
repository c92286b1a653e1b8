#include "frontend/onnx/import_context.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kiln::onnx_import {

int ImportContext::AddTensor(Tensor tensor) {
  graph_.tensors.push_back(std::move(tensor));
  return static_cast<int>(graph_.tensors.size()) - 1;
}

int ImportContext::AddConstant(std::string name, DType dtype, Shape shape, std::vector<uint8_t> data) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data = std::move(data);
  t.is_constant = true;
  return AddTensor(std::move(t));
}

int ImportContext::AddInt32Constant(std::string name, const std::vector<int64_t>& values, Shape shape) {
  if (shape.empty()) shape = {static_cast<int32_t>(values.size())};
  return AddConstant(std::move(name), DType::kInt32, std::move(shape), EncodeInts(DType::kInt32, values));
}

int ImportContext::AddFloatConstant(std::string name, const std::vector<float>& values, Shape shape) {
  if (shape.empty() && values.size() != 1) shape = {static_cast<int32_t>(values.size())};
  std::vector<uint8_t> data(values.size() * 4);
  if (!values.empty()) std::memcpy(data.data(), values.data(), data.size());
  return AddConstant(std::move(name), DType::kFloat32, std::move(shape), std::move(data));
}

std::optional<int> ImportContext::Find(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

const std::string* ImportContext::UnknownReason(const std::string& name) const {
  auto it = unknown_.find(name);
  return it == unknown_.end() ? nullptr : &it->second;
}

void ImportContext::AddNode(OpKind op, std::vector<int> inputs, std::vector<int> outputs, Attrs attrs) {
  Node node;
  node.index = node_index;
  node.op = op;
  node.source_op = node_op;
  node.inputs = std::move(inputs);
  node.outputs = std::move(outputs);
  node.attrs = std::move(attrs);
  graph_.nodes.push_back(std::move(node));
}

// --- OnnxNode -----------------------------------------------------------------

int OnnxNode::input_id(size_t i) const { return *ctx_.Find(proto_.input(static_cast<int>(i))); }

const Tensor* OnnxNode::constant_input(size_t i) {
  if (!has_input(i)) return nullptr;
  const Tensor& t = input(i);
  return t.is_constant ? &t : nullptr;
}

int OnnxNode::DefineOutput(size_t i, DType dtype, Shape shape) {
  Tensor t;
  t.name = proto_.output(static_cast<int>(i));
  t.dtype = dtype;
  t.shape = std::move(shape);
  const int id = ctx_.AddTensor(std::move(t));
  ctx_.Bind(proto_.output(static_cast<int>(i)), id);
  return id;
}

void OnnxNode::BindOutput(size_t i, int id) { ctx_.Bind(proto_.output(static_cast<int>(i)), id); }

int OnnxNode::DefineConstantOutput(size_t i, Tensor tensor) {
  tensor.name = proto_.output(static_cast<int>(i));
  tensor.is_constant = true;
  const int id = ctx_.AddTensor(std::move(tensor));
  ctx_.Bind(proto_.output(static_cast<int>(i)), id);
  return id;
}

const onnx::AttributeProto* OnnxNode::attr(const std::string& name) const {
  for (const auto& a : proto_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

Expected<int64_t> OnnxNode::attr_int(const std::string& name, std::optional<int64_t> fallback) const {
  const auto* a = attr(name);
  if (a == nullptr) {
    if (fallback) return *fallback;
    return Invalid("required attribute '{}' is missing", name);
  }
  if (a->type() != onnx::AttributeProto::INT && !(a->type() == onnx::AttributeProto::UNDEFINED && a->has_i()))
    return Invalid("attribute '{}' is not an integer", name);
  return a->i();
}

Expected<float> OnnxNode::attr_float(const std::string& name, std::optional<float> fallback) const {
  const auto* a = attr(name);
  if (a == nullptr) {
    if (fallback) return *fallback;
    return Invalid("required attribute '{}' is missing", name);
  }
  if (a->type() != onnx::AttributeProto::FLOAT && !(a->type() == onnx::AttributeProto::UNDEFINED && a->has_f()))
    return Invalid("attribute '{}' is not a float", name);
  return a->f();
}

Expected<std::vector<int64_t>> OnnxNode::attr_ints(const std::string& name,
                                                   std::optional<std::vector<int64_t>> fallback) const {
  const auto* a = attr(name);
  if (a == nullptr) {
    if (fallback) return *fallback;
    return Invalid("required attribute '{}' is missing", name);
  }
  if (a->type() != onnx::AttributeProto::INTS && a->type() != onnx::AttributeProto::UNDEFINED)
    return Invalid("attribute '{}' is not a list of integers", name);
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

Expected<std::string> OnnxNode::attr_string(const std::string& name, std::optional<std::string> fallback) const {
  const auto* a = attr(name);
  if (a == nullptr) {
    if (fallback) return *fallback;
    return Invalid("required attribute '{}' is missing", name);
  }
  if (a->type() != onnx::AttributeProto::STRING && !(a->type() == onnx::AttributeProto::UNDEFINED && a->has_s()))
    return Invalid("attribute '{}' is not a string", name);
  return a->s();
}

std::vector<std::string> OnnxNode::UnknownAttrs(std::initializer_list<const char*> known) const {
  std::vector<std::string> out;
  for (const auto& a : proto_.attribute()) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return a.name() == k; }))
      out.push_back(a.name());
  }
  return out;
}

Expected<std::vector<int64_t>> OnnxNode::ConstantInts(size_t i, const char* role) {
  const Tensor* t = constant_input(i);
  if (t == nullptr) return Unsupported("input {} ({}) must be a constant", i, role);
  if (t->dtype == DType::kFloat32 || t->dtype == DType::kBool)
    return Invalid("input {} ({}) has dtype {}, expected an integer type", i, role, DTypeName(t->dtype));
  std::vector<int64_t> out;
  for (int64_t k = 0; k < t->num_elements(); ++k) out.push_back(t->int_at(k));
  return out;
}

Expected<std::vector<float>> OnnxNode::ConstantFloats(size_t i, const char* role) {
  const Tensor* t = constant_input(i);
  if (t == nullptr) return Unsupported("input {} ({}) must be a constant", i, role);
  if (t->dtype != DType::kFloat32)
    return Invalid("input {} ({}) has dtype {}, expected float32", i, role, DTypeName(t->dtype));
  std::vector<float> out;
  for (int64_t k = 0; k < t->num_elements(); ++k) out.push_back(t->float_at(k));
  return out;
}

std::string OnnxNode::Label() const {
  if (proto_.name().empty()) return fmt::format("node #{} {}", ctx_.node_index, proto_.op_type());
  return fmt::format("node #{} {} '{}'", ctx_.node_index, proto_.op_type(), proto_.name());
}

// --- helpers --------------------------------------------------------------------

std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

int64_t ElementAsInt(const Tensor& t, int64_t i) {
  if (t.dtype == DType::kFloat32) return static_cast<int64_t>(t.float_at(i));
  return t.int_at(i);
}

double ElementAsDouble(const Tensor& t, int64_t i) {
  if (t.dtype == DType::kFloat32) return t.float_at(i);
  if (t.dtype == DType::kFloat64) {
    double d;
    std::memcpy(&d, t.data.data() + i * 8, 8);
    return d;
  }
  return static_cast<double>(t.int_at(i));
}

std::vector<uint8_t> EncodeInts(DType dtype, const std::vector<int64_t>& values) {
  std::vector<double> d;
  if (dtype == DType::kInt64) {
    std::vector<uint8_t> out(values.size() * 8);
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
  }
  d.assign(values.begin(), values.end());
  return EncodeDoubles(dtype, d);
}

namespace {

/// `v` clamped to [lo, hi] (NaN -> 0): a defined float -> integer conversion.
double Saturate(double v, double lo, double hi) {
  if (std::isnan(v)) return 0.0;
  return std::min(std::max(v, lo), hi);
}

}  // namespace

std::vector<uint8_t> EncodeDoubles(DType dtype, const std::vector<double>& values) {
  const size_t size = DTypeSize(dtype);
  std::vector<uint8_t> out(values.size() * size);
  for (size_t i = 0; i < values.size(); ++i) {
    uint8_t* p = out.data() + i * size;
    double v = values[i];
    switch (dtype) {
      case DType::kInt8: v = Saturate(v, -128, 127); break;
      case DType::kUInt8: v = Saturate(v, 0, 255); break;
      case DType::kInt16: v = Saturate(v, -32768, 32767); break;
      case DType::kInt32: v = Saturate(v, -2147483648.0, 2147483647.0); break;
      case DType::kInt64: v = Saturate(v, -9.2e18, 9.2e18); break;
      default: break;
    }
    switch (dtype) {
      case DType::kFloat32: { const float x = static_cast<float>(v); std::memcpy(p, &x, 4); break; }
      case DType::kInt8: { const int8_t x = static_cast<int8_t>(v); std::memcpy(p, &x, 1); break; }
      case DType::kUInt8: { const uint8_t x = static_cast<uint8_t>(v); std::memcpy(p, &x, 1); break; }
      case DType::kBool: { const uint8_t x = v != 0.0 ? 1 : 0; std::memcpy(p, &x, 1); break; }
      case DType::kInt16: { const int16_t x = static_cast<int16_t>(v); std::memcpy(p, &x, 2); break; }
      case DType::kInt32: { const int32_t x = static_cast<int32_t>(v); std::memcpy(p, &x, 4); break; }
      case DType::kInt64: { const int64_t x = static_cast<int64_t>(v); std::memcpy(p, &x, 8); break; }
      case DType::kFloat64: std::memcpy(p, &v, 8); break;
    }
  }
  return out;
}

bool NormalizeAxis(int64_t axis, size_t rank, int64_t* out) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) return false;
  *out = axis < 0 ? axis + r : axis;
  return true;
}

}  // namespace kiln::onnx_import
