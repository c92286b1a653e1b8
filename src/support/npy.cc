#include "support/npy.h"

#include <cctype>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace kiln {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

/// NumPy's type string of a dtype: byte order, kind, size.
std::string_view Descr(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return "<f4";
    case DType::kInt8: return "|i1";
    case DType::kUInt8: return "|u1";
    case DType::kInt16: return "<i2";
    case DType::kInt32: return "<i4";
    case DType::kInt64: return "<i8";
    case DType::kBool: return "|b1";
    case DType::kFloat64: return "<f8";
  }
  return "";
}

/// The value of 'key' in the header dictionary, up to the next top-level
/// comma or closing brace (a tuple's commas are inside parentheses).
Expected<std::string_view> Field(std::string_view header, std::string_view key) {
  const std::string quoted = fmt::format("'{}'", key);
  size_t at = header.find(quoted);
  if (at == std::string_view::npos) return MakeError("the header has no '{}'", key);
  at = header.find(':', at + quoted.size());
  if (at == std::string_view::npos) return MakeError("the header's '{}' has no value", key);
  size_t end = at + 1;
  int depth = 0;
  while (end < header.size() && !(depth == 0 && (header[end] == ',' || header[end] == '}'))) {
    if (header[end] == '(') ++depth;
    if (header[end] == ')') --depth;
    ++end;
  }
  std::string_view value = header.substr(at + 1, end - at - 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  return value;
}

}  // namespace

std::string EncodeNpy(DType dtype, std::span<const int32_t> shape, std::span<const uint8_t> data) {
  // Python's tuple syntax: "()", "(3,)", "(2, 3)".
  std::string dims = fmt::format("{}", fmt::join(shape, ", "));
  if (shape.size() == 1) dims += ',';
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", Descr(dtype), dims);
  // Magic, version, header length, header: padded with spaces and a newline
  // to a multiple of 64 bytes, as NumPy writes it.
  const size_t prefix = kMagic.size() + 2 + 2;
  header.append(63 - (prefix + header.size()) % 64, ' ');
  header += '\n';
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  return out;
}

Expected<NpyArray> DecodeNpy(std::string_view file) {
  if (file.size() < kMagic.size() + 4 || file.substr(0, kMagic.size()) != kMagic)
    return MakeError("not a .npy file (no \\x93NUMPY magic)");
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(file[i]); };
  const int major = byte(6);
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = byte(8) | (byte(9) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (file.size() < 12) return MakeError("the .npy header is cut short");
    header_len = byte(8) | (byte(9) << 8) | (byte(10) << 16) | (static_cast<size_t>(byte(11)) << 24);
    header_start = 12;
  } else {
    return MakeError(".npy format version {} is not supported (1, 2 and 3 are)", major);
  }
  if (header_len > file.size() - header_start) return MakeError("the .npy header is cut short");
  const std::string_view header = file.substr(header_start, header_len);

  NpyArray array;
  KILN_ASSIGN_OR_RETURN(std::string_view descr, Field(header, "descr"));
  bool known = false;
  for (DType d : {DType::kFloat32, DType::kInt8, DType::kUInt8, DType::kInt16, DType::kInt32, DType::kInt64,
                  DType::kBool, DType::kFloat64}) {
    const std::string_view name = Descr(d);
    // A one-byte type may be written with any byte-order mark.
    const bool matches = descr == fmt::format("'{}'", name) ||
                         (DTypeSize(d) == 1 && descr.size() == 5 && descr.substr(2, 2) == name.substr(1));
    if (matches) {
      array.dtype = d;
      known = true;
      break;
    }
  }
  if (!known) return MakeError(".npy dtype {} is not one Kiln uses (little-endian float32, int8-int64, uint8, bool)", descr);
  KILN_ASSIGN_OR_RETURN(std::string_view fortran, Field(header, "fortran_order"));
  if (fortran != "False") return MakeError(".npy arrays in Fortran order are not supported");
  KILN_ASSIGN_OR_RETURN(std::string_view shape, Field(header, "shape"));
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')') return MakeError(".npy shape {} is malformed", shape);
  shape = shape.substr(1, shape.size() - 2);
  int64_t elements = 1;
  size_t i = 0;
  while (i < shape.size()) {
    while (i < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
    if (i == shape.size()) break;
    int64_t d = 0;
    size_t digits = 0;
    while (i < shape.size() && std::isdigit(static_cast<unsigned char>(shape[i])) && digits < 12) {
      d = d * 10 + (shape[i++] - '0');
      ++digits;
    }
    if (digits == 0 || (i < shape.size() && shape[i] != ',' && shape[i] != ' '))
      return MakeError(".npy shape ({}) is malformed", shape);
    array.shape.push_back(d);
    elements = d == 0 ? 0 : (elements > (int64_t{1} << 40) / d ? (int64_t{1} << 40) + 1 : elements * d);
  }
  const size_t data_start = header_start + header_len;
  const int64_t expected = elements * static_cast<int64_t>(DTypeSize(array.dtype));
  if (elements > (int64_t{1} << 40) || static_cast<int64_t>(file.size() - data_start) != expected)
    return MakeError(".npy data has {} bytes, where shape ({}) of {} needs {}", file.size() - data_start, shape,
                     DTypeName(array.dtype), expected);
  array.data.assign(file.begin() + static_cast<std::ptrdiff_t>(data_start), file.end());
  return array;
}

}  // namespace kiln
