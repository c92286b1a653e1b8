#include "conformance/onnx_test_case.h"

#include <algorithm>
#include <fstream>

#include <onnx/onnx_pb.h>

#include "frontend/onnx/onnx_tensor.h"

namespace kiln::conformance {
namespace fs = std::filesystem;

std::vector<TestCase> ListCases(const fs::path& suite_dir) {
  std::vector<TestCase> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(suite_dir, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "model.onnx"))
      cases.push_back({entry.path().filename().string(), entry.path()});
  }
  std::sort(cases.begin(), cases.end(), [](const TestCase& a, const TestCase& b) { return a.name < b.name; });
  return cases;
}

Expected<TestTensor> ReadTensorFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot open '{}'", path.string());
  onnx::TensorProto proto;
  if (!proto.ParseFromIstream(&in)) return MakeError("'{}' is not a TensorProto", path.string());
  TestTensor t;
  t.name = proto.name();
  t.onnx_dtype = onnx_import::OnnxDTypeName(proto.data_type());
  DType dtype;
  if (!onnx_import::ConvertOnnxDType(proto.data_type(), &dtype)) return t;
  auto tensor = onnx_import::ConvertTensorProto(proto, onnx_import::TensorSource{path.parent_path()});
  if (!tensor.ok()) {
    // Sequence and optional values parse as (odd) TensorProtos; the model's
    // inputs say what they are, so this is reported when it matters.
    t.onnx_dtype = "unreadable as a tensor (" + tensor.message() + ")";
    return t;
  }
  t.supported_dtype = true;
  t.tensor = std::move(*tensor);
  return t;
}

Expected<std::vector<TestDataSet>> ReadDataSets(const TestCase& test_case) {
  std::vector<TestDataSet> sets;
  for (int k = 0;; ++k) {
    const fs::path dir = test_case.dir / ("test_data_set_" + std::to_string(k));
    if (!fs::is_directory(dir)) break;
    TestDataSet set;
    for (const char* kind : {"input", "output"}) {
      for (int i = 0;; ++i) {
        const fs::path file = dir / (std::string(kind) + "_" + std::to_string(i) + ".pb");
        if (!fs::exists(file)) break;
        KILN_ASSIGN_OR_RETURN(TestTensor t, ReadTensorFile(file));
        (std::string(kind) == "input" ? set.inputs : set.outputs).push_back(std::move(t));
      }
    }
    sets.push_back(std::move(set));
  }
  if (sets.empty()) return MakeError("no test_data_set_0 in '{}'", test_case.dir.string());
  return sets;
}

}  // namespace kiln::conformance
