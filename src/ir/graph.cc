#include "ir/graph.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace kiln {

std::string ShapeString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    // Two appends, not `"," + to_string(..)`: GCC 12 at -O3 warns falsely
    // (-Wrestrict) on the temporary's insert.
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t ShapeElements(const Shape& shape) {
  for (int32_t d : shape)
    if (d == 0) return 0;
  int64_t n = 1;
  for (int32_t d : shape) n = n > INT64_MAX / std::max<int64_t>(d, 1) ? INT64_MAX : n * d;
  return n;
}

std::optional<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Align trailing dimensions; a missing leading dimension counts as 1.
    const int32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

int64_t Tensor::num_elements() const { return ShapeElements(shape); }

int64_t Tensor::int_at(int64_t i) const {
  const uint8_t* p = data.data() + i * static_cast<int64_t>(DTypeSize(dtype));
  assert(static_cast<size_t>((i + 1) * static_cast<int64_t>(DTypeSize(dtype))) <= data.size());
  switch (dtype) {
    case DType::kInt8: return static_cast<int8_t>(*p);
    case DType::kUInt8:
    case DType::kBool: return *p;
    case DType::kInt16: { int16_t v; std::memcpy(&v, p, 2); return v; }
    case DType::kInt32: { int32_t v; std::memcpy(&v, p, 4); return v; }
    case DType::kInt64: { int64_t v; std::memcpy(&v, p, 8); return v; }
    case DType::kFloat32:
    case DType::kFloat64: break;
  }
  assert(false && "int_at on a float tensor");
  return 0;
}

float Tensor::float_at(int64_t i) const {
  assert(dtype == DType::kFloat32);
  float v;
  std::memcpy(&v, data.data() + i * 4, 4);
  return v;
}

int64_t Attrs::get_int(const std::string& name, int64_t fallback) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  if (auto* v = std::get_if<int64_t>(&it->second)) return *v;
  return fallback;
}

double Attrs::get_float(const std::string& name, double fallback) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  if (auto* v = std::get_if<double>(&it->second)) return *v;
  if (auto* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return fallback;
}

std::vector<int64_t> Attrs::get_ints(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return {};
  if (auto* v = std::get_if<std::vector<int64_t>>(&it->second)) return *v;
  return {};
}

std::string Attrs::get_string(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  if (auto* v = std::get_if<std::string>(&it->second)) return *v;
  return fallback;
}

const Tensor* Graph::input(const Node& node, size_t slot) const {
  if (slot >= node.inputs.size() || node.inputs[slot] == kNoTensor) return nullptr;
  return &tensor(node.inputs[slot]);
}

}  // namespace kiln
