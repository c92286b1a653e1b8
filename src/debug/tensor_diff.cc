#include "debug/tensor_diff.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace kiln {
namespace {

/// Element i of a little-endian tensor as a double (exact for every integer
/// type Kiln has but int64 beyond 2^53, where it only ranks the difference).
double Element(DType dtype, std::span<const uint8_t> bytes, int64_t i) {
  const uint8_t* p = bytes.data() + i * static_cast<int64_t>(DTypeSize(dtype));
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return static_cast<double>(v);
  };
  switch (dtype) {
    case DType::kFloat32: return load(float{});
    case DType::kInt8: return load(int8_t{});
    case DType::kUInt8: return load(uint8_t{});
    case DType::kInt16: return load(int16_t{});
    case DType::kInt32: return load(int32_t{});
    case DType::kInt64: return load(int64_t{});
    case DType::kBool: return p[0] != 0 ? 1.0 : 0.0;
    case DType::kFloat64: return load(double{});
  }
  return 0;
}

}  // namespace

TensorDiff CompareTensors(DType dtype, std::span<const uint8_t> actual, std::span<const uint8_t> expected,
                          double float_tolerance) {
  TensorDiff d;
  const size_t size = DTypeSize(dtype);
  d.elements = static_cast<int64_t>(std::min(actual.size(), expected.size()) / size);
  const bool is_float = dtype == DType::kFloat32 || dtype == DType::kFloat64;
  for (int64_t i = 0; i < d.elements; ++i) {
    const double a = Element(dtype, actual, i), e = Element(dtype, expected, i);
    double diff;
    if (std::isnan(a) || std::isnan(e)) diff = std::isnan(a) && std::isnan(e) ? 0 : std::numeric_limits<double>::infinity();
    else if (std::isinf(a) || std::isinf(e)) diff = a == e ? 0 : std::numeric_limits<double>::infinity();
    else diff = std::fabs(a - e);
    if (diff > d.max_abs_diff) d.max_abs_diff = diff;
    if (diff > (is_float ? float_tolerance : 0)) {
      if (d.differing++ == 0) d.first_differing = i;
    }
  }
  return d;
}

}  // namespace kiln
