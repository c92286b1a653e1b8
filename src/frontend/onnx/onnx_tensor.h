// ONNX tensors to Kiln tensors: element types, TensorProto payloads (typed
// fields, raw_data, external-data files next to the model) and shapes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln::onnx_import {

/// Largest tensor Kiln accepts (elements), as for TFLite; keeps size
/// arithmetic in range.
inline constexpr int64_t kMaxElements = int64_t{1} << 31;
/// Highest rank Kiln's kernels handle.
inline constexpr size_t kMaxRank = 6;

/// ONNX's name of a TensorProto.DataType value ("FLOAT", "DOUBLE", ...).
std::string OnnxDTypeName(int32_t onnx_dtype);

/// The Kiln dtype of an ONNX element type; false when Kiln has none
/// (double, float16, string, unsigned 16..64-bit, complex).
bool ConvertOnnxDType(int32_t onnx_dtype, DType* out);

/// Validates a shape (rank, non-negative dims, element count) and converts it.
Expected<Shape> ConvertDims(const google::protobuf::RepeatedField<int64_t>& dims);

/// Where a tensor's external data lives: `model_dir` is the directory of the
/// model file (external paths are relative to it); empty when the model came
/// from memory, in which case external data is an error.
struct TensorSource {
  std::filesystem::path model_dir;
};

/// Converts an initializer or a Constant's value into a constant Tensor.
/// Fails (with a message naming the tensor) on a malformed payload; the
/// caller has already checked the dtype with ConvertOnnxDType.
Expected<Tensor> ConvertTensorProto(const onnx::TensorProto& proto, const TensorSource& source);

}  // namespace kiln::onnx_import
