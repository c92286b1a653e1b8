// `kiln debug MODEL --input x.bin [--device BOARD] [--against DIR]
// [--dump DIR]`: one inference with every operator's output captured,
// printed one line per operator against a reference run, and the first
// operator that diverges named (docs/debugging.md).
#include <algorithm>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "debug/debug_run.h"
#include "driver/compile.h"
#include "support/utf8.h"

namespace kiln::cli {
namespace {

/// Names that share long prefixes (MobilenetV1/MobilenetV1/...) differ at
/// their end: a long one keeps its end.
std::string CutFront(const std::string& text, size_t width) {
  return text.size() <= width ? text : "..." + text.substr(text.size() - (width - 3));
}

std::string DiffFigure(const CapturedOutput& out) {
  if (out.spec.dtype == DType::kFloat32) return fmt::format("{:.6g}", out.diff.max_abs_diff);
  return fmt::format("{:.0f}", out.diff.max_abs_diff);
}

void PrintReport(const DebugReport& report) {
  fmt::print("{} operator outputs of one inference on {}, against {}:\n\n", report.outputs.size(), report.ran_on,
             report.reference);
  fmt::print("{:>4}  {:<24} {:<36} {:<7} {:<16} {:>10}  {}\n", "step", "operator", "output tensor", "dtype", "shape",
             "max |diff|", "differing");
  for (size_t i = 0; i < report.outputs.size(); ++i) {
    const CapturedOutput& out = report.outputs[i];
    const std::string op = fmt::format("{} #{}", out.op_name, out.model_index);
    std::string verdict = out.compared
                              ? fmt::format("{} of {}", out.diff.differing, out.diff.elements)
                              : "not compared: " + out.not_compared;
    if (static_cast<int>(i) == report.first_divergence) verdict += "  <- first divergence";
    fmt::print("{:>4}  {:<24} {:<36} {:<7} {:<16} {:>10}  {}\n", out.spec.op, CutFront(op, 24), CutFront(out.spec.name, 36),
               DTypeName(out.spec.dtype), CutFront(ShapeString(out.spec.shape), 16), out.compared ? DiffFigure(out) : "-",
               verdict);
  }
  fmt::print("\n");
  if (report.first_divergence < 0) {
    const auto compared = std::count_if(report.outputs.begin(), report.outputs.end(),
                                        [](const CapturedOutput& o) { return o.compared; });
    fmt::print("no divergence: {} of {} outputs compared, all equal\n", compared, report.outputs.size());
    return;
  }
  const CapturedOutput& first = report.outputs[static_cast<size_t>(report.first_divergence)];
  fmt::print("first divergence: step {}, operator #{} {} (kernel {}), output '{}': {} of {} elements differ, "
             "the first at flat index {}, max |diff| {}\n",
             first.spec.op, first.model_index, first.op_name,
             OperatorField(report.metadata, static_cast<size_t>(first.spec.op), "kernel"), first.spec.name,
             first.diff.differing, first.diff.elements, first.diff.first_differing, DiffFigure(first));
}

}  // namespace

void RegisterDebug(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "debug", "Run a model once with every operator's output captured, and compare each with a reference run");
  static std::string model, device, against, dump;
  static std::vector<std::string> inputs, shapes;
  static DebugOptions options;
  static int fault = -1;
  cmd->add_option("model", model, "TFLite (.tflite) or ONNX (.onnx) model")->required();
  cmd->add_option("-i,--input", inputs, "Raw input tensor bytes, one file per model input, in order");
  cmd->add_option("--device", device,
                  "Run on an emulated board (qemu-cortex-m3, qemu-cortex-m4, qemu-cortex-m55, qemu-rv32) instead "
                  "of the host; compiled for its processor unless --target says otherwise");
  cmd->add_option("--against", against,
                  "Folder of reference tensors (.npy, by tensor name or as --dump writes them) instead of a host "
                  "build of the same model");
  cmd->add_option("--dump", dump, "Write every captured output here as .npy, with index.json");
  cmd->add_option("--tolerance", options.float_tolerance,
                  "float32 elements further apart than this count as differing (default 0: bit-exact)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--capture-buffer", options.capture_bytes,
                  "With --device: bytes of the device's capture buffer (the tensors stream through it, one window "
                  "per run)")
      ->capture_default_str()
      ->check(CLI::Range(64u, 1u << 24));
  cmd->add_option("--inject-fault", fault,
                  "Testing the debugger: flip the low bit of the first byte operator N (its step) writes, as a "
                  "broken kernel would");
  AddCodegenOptions(cmd, &options.codegen);
  AddImportOptions(cmd, &shapes);
  cmd->callback([exit_code] {
    if (!device.empty()) {
      auto board = FindBoard(device);
      if (!board.ok()) {
        *exit_code = ReportError(board.message());
        return;
      }
      options.board = *board;
      UseBoardDefaults(*options.board, options.codegen.target, options.codegen.flash_budget);
    }
    options.codegen.fault_node = fault;
    options.against = against;
    auto import = ParseImportOptions(shapes);
    if (!import.ok()) {
      *exit_code = ReportError(import.message());
      return;
    }
    if (LooksLikeTar(model)) {
      *exit_code = ReportError(fmt::format("{}: kiln debug compiles the model itself: give it the .tflite or .onnx file",
                                           model));
      return;
    }
    auto graph = ImportModelFile(model, *import);
    if (!graph.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, graph.message()));
      return;
    }
    std::vector<std::filesystem::path> paths(inputs.begin(), inputs.end());
    auto report = DebugModel(*graph, PrintableName(std::filesystem::path(model).filename().string()), paths, options);
    if (!report.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, report.message()));
      return;
    }
    PrintReport(*report);
    if (!dump.empty()) {
      Status dumped = DumpCapturedOutputs(*report, dump);
      if (!dumped.ok()) {
        *exit_code = ReportError(dumped.message());
        return;
      }
      fmt::print("wrote {} tensors and index.json to {}\n", report->outputs.size(), dump);
    }
    *exit_code = report->first_divergence < 0 ? kExitOk : kExitDiverged;
  });
}

}  // namespace kiln::cli
