// Element types of tensors, and their sizes and names (IR and C).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace kiln {

// kFloat64 last: the values of the others are kept where they are stored.
enum class DType : uint8_t { kFloat32, kInt8, kUInt8, kInt16, kInt32, kInt64, kBool, kFloat64 };

/// Bytes per element.
size_t DTypeSize(DType dtype);
/// Lower-case IR name: "float32", "int8", ...
std::string_view DTypeName(DType dtype);
/// The C99 type that holds one element: "float", "int8_t", ...
std::string_view DTypeCType(DType dtype);
/// Parses an IR name; returns false when unknown.
bool ParseDType(std::string_view name, DType* out);

}  // namespace kiln
