#include "frontend/onnx/onnx_tensor.h"

#include <cstring>
#include <fstream>

namespace kiln::onnx_import {
namespace {

using onnx::TensorProto;

template <typename Field>
void AppendLittleEndian(const Field& values, DType dtype, std::vector<uint8_t>* out) {
  const size_t size = DTypeSize(dtype);
  for (const auto& v : values) {
    uint8_t bytes[8] = {};
    switch (dtype) {
      case DType::kFloat32: { const float f = static_cast<float>(v); std::memcpy(bytes, &f, 4); break; }
      case DType::kInt8: { const int8_t x = static_cast<int8_t>(v); std::memcpy(bytes, &x, 1); break; }
      case DType::kUInt8:
      case DType::kBool: { const uint8_t x = static_cast<uint8_t>(v); std::memcpy(bytes, &x, 1); break; }
      case DType::kInt16: { const int16_t x = static_cast<int16_t>(v); std::memcpy(bytes, &x, 2); break; }
      case DType::kInt32: { const int32_t x = static_cast<int32_t>(v); std::memcpy(bytes, &x, 4); break; }
      case DType::kInt64: { const int64_t x = static_cast<int64_t>(v); std::memcpy(bytes, &x, 8); break; }
      case DType::kFloat64: { const double d = static_cast<double>(v); std::memcpy(bytes, &d, 8); break; }
    }
    out->insert(out->end(), bytes, bytes + size);
  }
}

Expected<std::string> ReadExternal(const TensorProto& proto, const TensorSource& source) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& entry : proto.external_data()) {
    try {
      if (entry.key() == "location") location = entry.value();
      else if (entry.key() == "offset") offset = std::stoll(entry.value());
      else if (entry.key() == "length") length = std::stoll(entry.value());
    } catch (const std::exception&) {
      return MakeError("external_data {} '{}' is not a number", entry.key(), entry.value());
    }
  }
  if (location.empty()) return MakeError("external data has no location");
  if (source.model_dir.empty())
    return MakeError("external data '{}' needs the model's file path to be resolved", location);
  const std::filesystem::path rel(location);
  if (rel.is_absolute()) return MakeError("external data location '{}' must be relative to the model", location);
  for (const auto& part : rel)
    if (part == "..") return MakeError("external data location '{}' leaves the model's directory", location);
  const std::filesystem::path path = source.model_dir / rel;
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot open external data file '{}'", path.string());
  in.seekg(0, std::ios::end);
  const int64_t file_size = static_cast<int64_t>(in.tellg());
  if (length < 0) length = file_size - offset;
  if (offset < 0 || offset > file_size || length < 0 || length > file_size - offset)
    return MakeError("external data [{}, +{}) lies outside '{}' ({} bytes)", offset, length,
                     path.string(), file_size);
  std::string bytes(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  if (!in) return MakeError("cannot read external data file '{}'", path.string());
  return bytes;
}

}  // namespace

std::string OnnxDTypeName(int32_t onnx_dtype) {
  if (TensorProto::DataType_IsValid(onnx_dtype))
    return TensorProto::DataType_Name(static_cast<TensorProto::DataType>(onnx_dtype));
  return "dtype " + std::to_string(onnx_dtype);
}

bool ConvertOnnxDType(int32_t onnx_dtype, DType* out) {
  switch (onnx_dtype) {
    case TensorProto::FLOAT: *out = DType::kFloat32; return true;
    case TensorProto::INT8: *out = DType::kInt8; return true;
    case TensorProto::UINT8: *out = DType::kUInt8; return true;
    case TensorProto::INT16: *out = DType::kInt16; return true;
    case TensorProto::INT32: *out = DType::kInt32; return true;
    case TensorProto::INT64: *out = DType::kInt64; return true;
    case TensorProto::BOOL: *out = DType::kBool; return true;
    case TensorProto::DOUBLE: *out = DType::kFloat64; return true;
    default: return false;
  }
}

Expected<Shape> ConvertDims(const google::protobuf::RepeatedField<int64_t>& dims) {
  if (static_cast<size_t>(dims.size()) > kMaxRank)
    return MakeError("rank {} exceeds the maximum of {}", dims.size(), kMaxRank);
  Shape shape;
  int64_t elements = 1;
  for (int64_t d : dims) {
    if (d < 0) return MakeError("dimension {} is negative", d);
    if (d > kMaxElements) return MakeError("dimension {} is too large", d);
    elements *= d;
    if (elements > kMaxElements) return MakeError("too many elements");
    shape.push_back(static_cast<int32_t>(d));
  }
  return shape;
}

Expected<Tensor> ConvertTensorProto(const TensorProto& proto, const TensorSource& source) {
  Tensor t;
  t.name = proto.name();
  auto fail = [&](const std::string& what) { return MakeError("tensor '{}': {}", t.name, what); };
  if (!ConvertOnnxDType(proto.data_type(), &t.dtype))
    return fail(fmt::format("element type {} is not supported", OnnxDTypeName(proto.data_type())));
  auto shape = ConvertDims(proto.dims());
  if (!shape.ok()) return fail(shape.message());
  t.shape = std::move(*shape);
  if (proto.has_segment()) return fail("segmented tensors are not supported");
  const size_t expected = static_cast<size_t>(t.bytes());

  std::string external;
  const std::string* raw = nullptr;
  if (proto.data_location() == TensorProto::EXTERNAL) {
    auto bytes = ReadExternal(proto, source);
    if (!bytes.ok()) return fail(bytes.message());
    external = std::move(*bytes);
    raw = &external;
  } else if (proto.has_raw_data()) {
    raw = &proto.raw_data();
  }
  if (raw != nullptr) {
    // raw_data is little-endian, the IR's byte order.
    if (raw->size() != expected)
      return fail(fmt::format("holds {} bytes of data but shape {} of {} needs {}", raw->size(),
                              ShapeString(t.shape), DTypeName(t.dtype), expected));
    t.data.assign(raw->begin(), raw->end());
  } else {
    int64_t count = 0;
    switch (t.dtype) {
      case DType::kFloat32: count = proto.float_data_size(); AppendLittleEndian(proto.float_data(), t.dtype, &t.data); break;
      case DType::kInt64: count = proto.int64_data_size(); AppendLittleEndian(proto.int64_data(), t.dtype, &t.data); break;
      case DType::kFloat64: count = proto.double_data_size(); AppendLittleEndian(proto.double_data(), t.dtype, &t.data); break;
      default: count = proto.int32_data_size(); AppendLittleEndian(proto.int32_data(), t.dtype, &t.data); break;
    }
    if (count != t.num_elements())
      return fail(fmt::format("holds {} values but shape {} has {} elements", count,
                              ShapeString(t.shape), t.num_elements()));
  }
  t.is_constant = true;
  return t;
}

}  // namespace kiln::onnx_import
