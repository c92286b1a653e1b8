#include "ir/dtype.h"

namespace kiln {
namespace {
struct DTypeInfo {
  DType dtype;
  size_t size;
  std::string_view name;
  std::string_view c_type;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::kFloat32, 4, "float32", "float"}, {DType::kInt8, 1, "int8", "int8_t"},
    {DType::kUInt8, 1, "uint8", "uint8_t"},   {DType::kInt16, 2, "int16", "int16_t"},
    {DType::kInt32, 4, "int32", "int32_t"},   {DType::kInt64, 8, "int64", "int64_t"},
    {DType::kBool, 1, "bool", "uint8_t"},     {DType::kFloat64, 8, "float64", "double"},
};
const DTypeInfo& Info(DType dtype) { return kDTypes[static_cast<size_t>(dtype)]; }
}  // namespace

size_t DTypeSize(DType dtype) { return Info(dtype).size; }
std::string_view DTypeName(DType dtype) { return Info(dtype).name; }
std::string_view DTypeCType(DType dtype) { return Info(dtype).c_type; }

bool ParseDType(std::string_view name, DType* out) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.name == name) {
      *out = info.dtype;
      return true;
    }
  }
  return false;
}

}  // namespace kiln
