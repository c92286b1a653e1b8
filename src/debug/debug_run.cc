#include "debug/debug_run.h"

#include <fstream>
#include <iterator>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "device/device_runner.h"
#include "driver/compile.h"
#include "driver/host_runner.h"
#include "support/json_boundary.h"
#include "support/npy.h"
#include "support/utf8.h"
#include "support/write_file_atomically.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

/// A tensor name as a file name: letters, digits, '.', '-' and '_' kept,
/// anything else '_', at most 80 characters.
std::string FileStem(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, 80)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out.empty() ? "tensor" : out;
}

Expected<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read '{}'", PrintableName(path.string()));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError("cannot read '{}'", PrintableName(path.string()));
  return bytes;
}

/// One capture run: the build's metadata and interface, and the stream.
struct CapturedRun {
  nlohmann::json metadata;
  ModelInterface interface;
  std::vector<uint8_t> stream;
};

/// Compiles with capture hooks and runs once where `board` says (nullptr:
/// the host).
Expected<CapturedRun> CaptureRun(const Graph& graph, const std::string& model_file, CodegenOptions codegen,
                                 const Board* board, uint32_t capture_bytes, const std::vector<fs::path>& inputs) {
  codegen.capture_tensors = true;
  KILN_ASSIGN_OR_RETURN(ModelLibrary library, CompileGraph(graph, codegen, model_file));
  CapturedRun run;
  KILN_ASSIGN_OR_RETURN(run.interface, ReadInterface(library.metadata));
  // Operators inside IF and WHILE are not captured (docs/control-flow.md).
  if (!run.interface.capture_build)
    return MakeError("no operator of this model runs outside IF or WHILE, so there is nothing to capture "
                     "(docs/control-flow.md)");
  KILN_RETURN_IF_ERROR(CheckInputFiles(run.interface, inputs));
  if (board == nullptr) {
    KILN_ASSIGN_OR_RETURN(const HostExecutable exe, HostExecutable::Build(library));
    KILN_ASSIGN_OR_RETURN(run.stream, exe.Capture(inputs));
  } else {
    KILN_ASSIGN_OR_RETURN(std::unique_ptr<DeviceSession> session,
                          DeviceSession::Start(library, *board, {.capture_bytes = capture_bytes}));
    auto captured = session->Capture(inputs);
    if (!captured.ok()) return MakeError("on {}: {}", board->name, captured.message());
    run.stream = std::move(*captured);
  }
  if (static_cast<int64_t>(run.stream.size()) != run.interface.stream_bytes)
    return MakeError("the run streamed {} bytes of tensors, where the build streams {}", run.stream.size(),
                     run.interface.stream_bytes);
  run.metadata = std::move(library.metadata);
  return run;
}

std::vector<uint8_t> Slice(const std::vector<uint8_t>& stream, const CaptureSpec& spec) {
  return {stream.begin() + spec.offset, stream.begin() + spec.offset + spec.bytes};
}

/// The reference for each output, by the same operator and output number
/// in a host build of the model with the portable kernels.
Status CompareWithHostBuild(const Graph& graph, const std::string& model_file, const DebugOptions& options,
                            const std::vector<fs::path>& inputs, DebugReport* report) {
  CodegenOptions reference = options.codegen;
  reference.target.clear();
  reference.fault_node = -1;
  auto run = CaptureRun(graph, model_file, reference, nullptr, 0, inputs);
  if (!run.ok()) return MakeError("the reference run on the host failed: {}", run.message());
  std::map<std::pair<int, int>, const CaptureSpec*> by_output;
  for (const CaptureSpec& spec : run->interface.captures) by_output[{spec.op, spec.output}] = &spec;
  for (CapturedOutput& out : report->outputs) {
    auto it = by_output.find({out.spec.op, out.spec.output});
    if (it == by_output.end() || it->second->name != out.spec.name || it->second->bytes != out.spec.bytes) {
      out.not_compared = "the reference build has no such output";
      continue;
    }
    const std::vector<uint8_t> expected = Slice(run->stream, *it->second);
    out.diff = CompareTensors(out.spec.dtype, out.bytes, expected, options.float_tolerance);
    out.compared = true;
  }
  report->reference = options.codegen.target.empty() ? "a second host build" : "the host build with portable C kernels";
  return Status::Ok();
}

/// The reference for each output from the user's folder: index.json's
/// entry of the tensor's name (as --dump writes it), else <name>.npy.
Status CompareWithFolder(const fs::path& dir, double float_tolerance, DebugReport* report) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return MakeError("--against '{}' is not a folder", PrintableName(dir.string()));
  std::map<std::string, fs::path> files;
  if (fs::exists(dir / "index.json", ec)) {
    KILN_ASSIGN_OR_RETURN(const std::string text, ReadFile(dir / "index.json"));
    const nlohmann::json index = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (index.is_discarded()) return MakeError("'{}' is not valid JSON", PrintableName((dir / "index.json").string()));
    KILN_RETURN_IF_ERROR(ReadingJson("index.json", [&]() -> Status {
      for (const auto& t : index.at("tensors")) {
        const std::string file = t.at("file").get<std::string>();
        if (file.find('/') != std::string::npos || file.find("..") != std::string::npos)
          return MakeError("index.json: file '{}' is not a name inside the folder", PrintableName(file));
        files[PrintableName(t.at("name").get<std::string>())] = dir / file;
      }
      return Status::Ok();
    }));
  }
  for (CapturedOutput& out : report->outputs) {
    auto it = files.find(out.spec.name);
    const fs::path path = it != files.end() ? it->second : dir / (FileStem(out.spec.name) + ".npy");
    if (!fs::exists(path, ec)) {
      out.not_compared = "no reference tensor";
      continue;
    }
    KILN_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
    auto array = DecodeNpy(bytes);
    if (!array.ok()) return MakeError("'{}': {}", PrintableName(path.string()), array.message());
    if (array->dtype != out.spec.dtype || array->data.size() != out.bytes.size()) {
      out.not_compared = fmt::format("the reference is {} of {} bytes", DTypeName(array->dtype), array->data.size());
      continue;
    }
    out.diff = CompareTensors(out.spec.dtype, out.bytes, array->data, float_tolerance);
    out.compared = true;
  }
  report->reference = fmt::format("the tensors in {}", PrintableName(dir.string()));
  return Status::Ok();
}

}  // namespace

Expected<DebugReport> DebugModel(const Graph& graph, const std::string& model_file, const std::vector<fs::path>& inputs,
                                 const DebugOptions& options) {
  KILN_ASSIGN_OR_RETURN(auto run, CaptureRun(graph, model_file, options.codegen, options.board,
                                             options.capture_bytes, inputs));
  DebugReport report;
  report.ran_on = options.board != nullptr ? options.board->name : "host";
  report.metadata = std::move(run.metadata);
  for (const CaptureSpec& spec : run.interface.captures) {
    CapturedOutput out;
    out.spec = spec;
    out.op_name = OperatorField(report.metadata, static_cast<size_t>(spec.op), "op");
    out.model_index = report.metadata["operators"][static_cast<size_t>(spec.op)].value("index", spec.op);
    out.bytes = Slice(run.stream, spec);
    report.outputs.push_back(std::move(out));
  }
  if (options.against.empty()) {
    KILN_RETURN_IF_ERROR(CompareWithHostBuild(graph, model_file, options, inputs, &report));
  } else {
    KILN_RETURN_IF_ERROR(CompareWithFolder(options.against, options.float_tolerance, &report));
  }
  for (size_t i = 0; i < report.outputs.size(); ++i)
    if (report.outputs[i].compared && report.outputs[i].diff.differing > 0) {
      report.first_divergence = static_cast<int>(i);
      break;
    }
  return report;
}

Status DumpCapturedOutputs(const DebugReport& report, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return MakeError("cannot create '{}': {}", PrintableName(dir.string()), ec.message());
  nlohmann::json tensors = nlohmann::json::array();
  for (size_t i = 0; i < report.outputs.size(); ++i) {
    const CapturedOutput& out = report.outputs[i];
    const std::string file = fmt::format("{:03}_{}.npy", i, FileStem(out.spec.name));
    KILN_RETURN_IF_ERROR(WriteFileAtomically(dir / file, EncodeNpy(out.spec.dtype, out.spec.shape, out.bytes)));
    nlohmann::json t = {{"operator", out.spec.op}, {"op", out.op_name},        {"model_index", out.model_index},
                        {"output", out.spec.output}, {"name", out.spec.name}, {"dtype", DTypeName(out.spec.dtype)},
                        {"shape", out.spec.shape}, {"file", file}};
    if (!out.spec.scale.empty()) t["quantization"] = {{"scale", out.spec.scale}, {"zero_point", out.spec.zero_point}};
    tensors.push_back(std::move(t));
  }
  const nlohmann::json index = {{"model", report.metadata.value("model_name", "")},
                                {"ran_on", report.ran_on},
                                {"tensors", tensors}};
  return WriteFileAtomically(dir / "index.json", index.dump(2) + "\n");
}

}  // namespace kiln
