// One case of ONNX's backend test data (libonnx-testdata): a folder with
// model.onnx and test_data_set_<k>/{input,output}_<i>.pb.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln::conformance {

/// A tensor read from an input_<i>.pb / output_<i>.pb file.
struct TestTensor {
  std::string name;
  /// false: an element type Kiln has no dtype for, or not a plain tensor
  bool supported_dtype = false;
  std::string onnx_dtype;        ///< "FLOAT", "DOUBLE", ...
  Tensor tensor;                 ///< dtype, shape and raw bytes when supported
};

struct TestDataSet {
  std::vector<TestTensor> inputs;
  std::vector<TestTensor> outputs;
};

struct TestCase {
  std::string name;  ///< folder name, e.g. "test_conv_with_strides_padding"
  std::filesystem::path dir;
};

/// The case folders of one suite directory (those with a model.onnx), sorted.
std::vector<TestCase> ListCases(const std::filesystem::path& suite_dir);

/// Reads every test_data_set_<k> of a case, in order.
Expected<std::vector<TestDataSet>> ReadDataSets(const TestCase& test_case);

/// Reads one TensorProto file.
Expected<TestTensor> ReadTensorFile(const std::filesystem::path& path);

}  // namespace kiln::conformance
