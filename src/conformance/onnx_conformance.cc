#include "conformance/onnx_conformance.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <regex>
#include <iterator>
#include <thread>

#include <fmt/ranges.h>
#include <onnx/onnx_pb.h>

#include "driver/compile.h"
#include "driver/host_runner.h"
#include "frontend/onnx/onnx_importer.h"
#include "ir/op_table.h"
#include "kernels/select_kernels.h"
#include "support/temp_dir.h"

namespace kiln::conformance {
namespace fs = std::filesystem;
namespace {

/// What the harness reads from the model before importing it.
struct ModelSummary {
  int64_t opset = -1;
  /// Graph inputs without an initializer, in order: the ones input_<i>.pb
  /// feeds; and whether each has a dynamic dimension the data must fix.
  std::vector<std::string> inputs;
  std::vector<bool> dynamic;
};

Expected<ModelSummary> Summarize(const fs::path& model_path) {
  std::ifstream in(model_path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return MakeError("cannot parse '{}'", model_path.string());
  ModelSummary s;
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") s.opset = o.version();
  for (const auto& vi : model.graph().input()) {
    bool init = false;
    for (const auto& t : model.graph().initializer()) init = init || t.name() == vi.name();
    if (init) continue;
    s.inputs.push_back(vi.name());
    bool dynamic = !vi.type().tensor_type().has_shape();
    for (const auto& d : vi.type().tensor_type().shape().dim()) dynamic = dynamic || !d.has_dim_value();
    s.dynamic.push_back(dynamic);
  }
  return s;
}

CaseOutcome Fail(CaseOutcome o, std::string detail) {
  o.result = CaseResult::kFailed;
  o.detail = std::move(detail);
  return o;
}

/// First mismatch between an output and its expected value, or "".
std::string Compare(const std::vector<uint8_t>& actual, const TestTensor& expected, const Tolerance& tol) {
  const Tensor& e = expected.tensor;
  if (actual.size() != e.data.size())
    return fmt::format("{} bytes, expected {} ({} {})", actual.size(), e.data.size(), DTypeName(e.dtype),
                       ShapeString(e.shape));
  if (e.dtype != DType::kFloat32 && e.dtype != DType::kFloat64) {
    for (size_t i = 0; i < actual.size(); i += DTypeSize(e.dtype)) {
      if (std::memcmp(actual.data() + i, e.data.data() + i, DTypeSize(e.dtype)) != 0) {
        Tensor a = e;
        a.data = actual;
        const int64_t k = static_cast<int64_t>(i / DTypeSize(e.dtype));
        return fmt::format("element {} is {}, expected {}", k, a.int_at(k), e.int_at(k));
      }
    }
    return "";
  }
  // Element k of float32 or float64 bytes, as a double.
  auto value = [&](const std::vector<uint8_t>& bytes, int64_t k) {
    if (e.dtype == DType::kFloat64) {
      double d;
      std::memcpy(&d, bytes.data() + k * 8, 8);
      return d;
    }
    float f;
    std::memcpy(&f, bytes.data() + k * 4, 4);
    return static_cast<double>(f);
  };
  int64_t bad = 0, first = -1;
  double worst = 0;
  for (int64_t k = 0, n = e.num_elements(); k < n; ++k) {
    const double a = value(actual, k), x = value(e.data, k);
    if (std::isnan(a) && std::isnan(x)) continue;
    if (std::isinf(a) || std::isinf(x) ? a == x : std::fabs(a - x) <= tol.atol + tol.rtol * std::fabs(x)) continue;
    if (first < 0) first = k;
    worst = std::max(worst, std::fabs(a - x));
    ++bad;
  }
  if (bad == 0) return "";
  return fmt::format("{} of {} elements differ (first: element {} is {}, expected {}; max abs error {:.3g})", bad,
                     e.num_elements(), first, value(actual, first), value(e.data, first), worst);
}

Expected<std::vector<uint8_t>> ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read '{}'", path.string());
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Whether every data set feeds input `i` the same integer vector (or
/// scalar): what a deployed model holds as a constant (axes, shapes, pads,
/// split sizes, slice bounds), which some test cases feed as graph inputs.
bool IsConstantIndexInput(const std::vector<TestDataSet>& sets, size_t i) {
  const TestTensor& first = sets.front().inputs[i];
  if (!first.supported_dtype || (first.tensor.dtype != DType::kInt64 && first.tensor.dtype != DType::kInt32) ||
      first.tensor.shape.size() > 1)
    return false;
  for (const TestDataSet& set : sets)
    if (set.inputs[i].tensor.data != first.tensor.data || set.inputs[i].tensor.shape != first.tensor.shape)
      return false;
  return true;
}

/// The graph input that an unsupported node of operator `op` says must be
/// a constant ("input 2 (scales) must be a constant"): the name feeding
/// that slot of the first node of that operator; empty when the reason
/// names none.
std::string InputNamedAsConstant(const fs::path& model_path, const std::string& op, const std::string& reason) {
  static const std::regex kReason(R"(input (\d{1,3}) \([^)]*\) must be a constant)");
  std::smatch m;
  if (!std::regex_search(reason, m, kReason)) return "";
  std::ifstream in(model_path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return "";
  const int slot = std::stoi(m[1].str());
  for (const onnx::NodeProto& node : model.graph().node())
    if (node.op_type() == op) return slot < node.input_size() ? node.input(slot) : "";
  return "";
}

/// Whether input `i` is a float32 vector (or scalar) that every data set
/// feeds the same: a configuration value such as Resize's scales, which a
/// deployed model holds as a constant (bound only when the node asks).
bool IsConstantFloatVectorInput(const std::vector<TestDataSet>& sets, size_t i) {
  const TestTensor& first = sets.front().inputs[i];
  if (!first.supported_dtype || first.tensor.dtype != DType::kFloat32 || first.tensor.shape.size() > 1) return false;
  for (const TestDataSet& set : sets)
    if (set.inputs[i].tensor.data != first.tensor.data || set.inputs[i].tensor.shape != first.tensor.shape)
      return false;
  return true;
}

/// The model at `model_path` with the named graph inputs turned into
/// initializers holding `values`, written to `out_path`.
Status BindInputsAsConstants(const fs::path& model_path, const std::vector<const TestTensor*>& values,
                             const std::vector<std::string>& names, const fs::path& out_path) {
  std::ifstream in(model_path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return MakeError("cannot parse '{}'", model_path.string());
  for (size_t k = 0; k < names.size(); ++k) {
    onnx::TensorProto* t = model.mutable_graph()->add_initializer();
    t->set_name(names[k]);
    const DType dtype = values[k]->tensor.dtype;
    t->set_data_type(dtype == DType::kInt64   ? onnx::TensorProto::INT64
                     : dtype == DType::kInt32 ? onnx::TensorProto::INT32
                                              : onnx::TensorProto::FLOAT);
    for (int32_t d : values[k]->tensor.shape) t->add_dims(d);
    t->set_raw_data(std::string(values[k]->tensor.data.begin(), values[k]->tensor.data.end()));
  }
  std::ofstream out(out_path, std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) return MakeError("cannot write '{}'", out_path.string());
  return Status::Ok();
}

/// The first node Kiln cannot compile, as the case's unsupported verdict
/// (result kPassed when there is none).
CaseOutcome FirstUnsupported(const Graph& graph, CaseOutcome o) {
  for (const Node& node : graph.nodes) {
    const bool unsupported = node.op == OpKind::kUnsupported;
    if (!unsupported && FindKernel(graph, node) != nullptr) continue;
    o.result = CaseResult::kUnsupported;
    o.op = node.source_op;
    if (unsupported) {
      o.detail = onnx_import::UnsupportedReason(node);
    } else {
      const Tensor* in = graph.input(node, 0);
      o.detail = fmt::format("{} on {} (Kiln has: {})", NodeName(node), in ? DTypeName(in->dtype) : "no input",
                             SupportedDTypes(node.op));
    }
    return o;
  }
  o.result = CaseResult::kPassed;
  return o;
}

}  // namespace

std::string_view CaseResultName(CaseResult result) {
  switch (result) {
    case CaseResult::kPassed: return "passed";
    case CaseResult::kFailed: return "failed";
    case CaseResult::kUnsupported: return "unsupported";
  }
  return "?";
}

int SuiteReport::Count(CaseResult r) const {
  int n = 0;
  for (const CaseOutcome& c : cases) n += c.result == r;
  return n;
}

CaseOutcome RunCase(const TestCase& test_case, const Tolerance& tolerance, const std::string& executor) {
  CaseOutcome o;
  o.name = test_case.name;
  const fs::path model = test_case.dir / "model.onnx";
  auto summary = Summarize(model);
  if (!summary.ok()) return Fail(o, "import: " + summary.message());
  if (summary->opset >= 0 && summary->opset < onnx_import::kOldestOpset) {
    // Outside the range Kiln claims, like an operator it does not have.
    o.result = CaseResult::kUnsupported;
    o.op = fmt::format("(opset {})", summary->opset);
    o.detail = fmt::format("opset {} (Kiln imports {} to {})", summary->opset, onnx_import::kOldestOpset,
                           onnx_import::kMaxOpset);
    return o;
  }
  auto sets = ReadDataSets(test_case);
  if (!sets.ok()) return Fail(o, "test data: " + sets.message());
  const TestDataSet& first = sets->front();
  const std::vector<std::string>& names = summary->inputs;
  if (first.inputs.size() != names.size())
    return Fail(o, fmt::format("test data has {} inputs, the model {}", first.inputs.size(), names.size()));

  // The data's shapes fix dynamic input dimensions.
  onnx_import::OnnxImportOptions options;
  for (size_t i = 0; i < names.size(); ++i)
    if (summary->dynamic[i] && first.inputs[i].supported_dtype) options.input_shapes[names[i]] = first.inputs[i].tensor.shape;
  auto graph = onnx_import::ImportOnnxFile(model, options);
  if (!graph.ok()) return Fail(o, "import: " + graph.message());

  auto tmp = TempDir::Create("kiln-conformance");
  if (!tmp.ok()) return Fail(o, tmp.message());
  CaseOutcome verdict = FirstUnsupported(*graph, o);
  // A node that needs a constant the test feeds as a graph input (axes,
  // shapes, pads ..., and float configuration such as Resize's scales when
  // the node names it): bind every such input as the deployed model would
  // hold it, and say so in the outcome.
  std::vector<std::string> bound;
  if (verdict.result == CaseResult::kUnsupported && verdict.detail.find("constant") != std::string::npos) {
    std::vector<const TestTensor*> values;
    const std::string asked = InputNamedAsConstant(model, verdict.op, verdict.detail);
    for (size_t i = 0; i < names.size(); ++i)
      if (IsConstantIndexInput(*sets, i) || (names[i] == asked && IsConstantFloatVectorInput(*sets, i))) {
        bound.push_back(names[i]);
        values.push_back(&first.inputs[i]);
      }
    if (!bound.empty()) {
      const fs::path bound_model = (*tmp)->path() / "model_bound.onnx";
      Status written = BindInputsAsConstants(model, values, bound, bound_model);
      if (!written.ok()) return Fail(o, written.message());
      auto rebound = onnx_import::ImportOnnxFile(bound_model, options);
      if (!rebound.ok()) return Fail(o, "import with bound inputs: " + rebound.message());
      graph = std::move(rebound);
      verdict = FirstUnsupported(*graph, o);
      o.detail = "bound as constants: " + fmt::format("{}", fmt::join(bound, ", "));
      for (TestDataSet& set : *sets)
        for (size_t i = names.size(); i-- > 0;)
          if (std::find(bound.begin(), bound.end(), names[i]) != bound.end())
            set.inputs.erase(set.inputs.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  if (verdict.result == CaseResult::kUnsupported) {
    if (!bound.empty()) verdict.detail += " (with " + o.detail + ")";
    return verdict;
  }
  for (const TestDataSet& set : *sets) {
    for (const TestTensor& t : set.inputs)
      if (!t.supported_dtype) return Fail(o, "test data: an input is " + t.onnx_dtype);
    for (const TestTensor& t : set.outputs)
      if (!t.supported_dtype) {
        o.result = CaseResult::kUnsupported;
        o.op = "(output)";
        o.detail = "output element type " + t.onnx_dtype;
        return o;
      }
  }

  CodegenOptions codegen;
  codegen.executor = executor;
  auto library = CompileGraph(*graph, codegen, "model.onnx");
  if (!library.ok()) return Fail(o, "compile: " + library.message());
  auto exe = HostExecutable::Build(*library);
  if (!exe.ok()) return Fail(o, "build: " + exe.message());
  if (exe->interface().outputs.size() != first.outputs.size())
    return Fail(o, fmt::format("the model has {} outputs, the test data {}", exe->interface().outputs.size(),
                               first.outputs.size()));

  for (size_t k = 0; k < sets->size(); ++k) {
    const TestDataSet& set = (*sets)[k];
    std::vector<fs::path> inputs;
    for (size_t i = 0; i < set.inputs.size(); ++i) {
      const Tensor& t = set.inputs[i].tensor;
      const fs::path p = (*tmp)->path() / fmt::format("in{}_{}.bin", k, i);
      std::ofstream(p, std::ios::binary)
          .write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size()));
      inputs.push_back(p);
    }
    const fs::path out_dir = (*tmp)->path() / fmt::format("out{}", k);
    Status ran = exe->Run(inputs, out_dir);
    if (!ran.ok()) return Fail(o, fmt::format("data set {}: {}", k, ran.message()));
    for (size_t i = 0; i < set.outputs.size(); ++i) {
      auto bytes = ReadBytes(out_dir / fmt::format("output_{}.bin", i));
      if (!bytes.ok()) return Fail(o, bytes.message());
      const std::string diff = Compare(*bytes, set.outputs[i], tolerance);
      if (!diff.empty()) return Fail(o, fmt::format("data set {} output {}: {}", k, i, diff));
    }
  }
  o.result = CaseResult::kPassed;
  return o;
}

Expected<SuiteReport> RunSuite(const std::string& suite, const ConformanceOptions& options) {
  const fs::path dir = options.data_dir / suite;
  if (!fs::is_directory(dir)) return MakeError("suite '{}' not found: no directory '{}'", suite, dir.string());
  std::vector<TestCase> cases;
  for (TestCase& c : ListCases(dir))
    if (options.filter.empty() || c.name.find(options.filter) != std::string::npos) cases.push_back(std::move(c));
  SuiteReport report;
  report.name = suite;
  report.cases.resize(cases.size());
  const auto start = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < cases.size();) {
      const auto t0 = std::chrono::steady_clock::now();
      CaseOutcome o;
      try {
        o = RunCase(cases[i], options.tolerance, options.executor);
      } catch (const std::exception& e) {  // e.g. std::bad_alloc on a huge tensor
        o.name = cases[i].name;
        o.detail = std::string("internal error: ") + e.what();
      }
      o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      report.cases[i] = std::move(o);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, options.jobs); ++j) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace kiln::conformance
