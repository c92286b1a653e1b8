// `kiln compile MODEL -o OUT.tar`: a Model Library Format archive.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "kernels/schedule.h"

namespace kiln::cli {

namespace {

/// "gemm_dsp(int16_weights=1,narrow_requant=1)": an operator's schedule as metadata.json records it.
std::string ScheduleText(const nlohmann::json& s) {
  return ScheduleLabel(s["name"].get<std::string>(), s["knobs"].get<std::map<std::string, int64_t>>());
}

/// One line per operator: the schedule metadata.json records, the column as
/// wide as its longest label (a generated schedule has eight knobs).
void PrintSchedules(const nlohmann::json& metadata) {
  const std::string target =
      metadata.contains("target_processor") ? metadata["target_processor"]["name"].get<std::string>() : "";
  fmt::print("schedules for {}:\n", target.empty() ? "any processor (portable C; --target picks ISA schedules)" : target);
  size_t width = 34;
  for (const auto& op : metadata["operators"]) width = std::max(width, ScheduleText(op["schedule"]).size());
  fmt::print("{:>4}  {:<22} {:<{}} {:>10} {:>14}\n", "#", "operator", "schedule", width, "MACs", "expected instr");
  int64_t macs = 0, expected = 0;
  int tuned_layers = 0;
  for (const auto& op : metadata["operators"]) {
    const auto& s = op["schedule"];
    // A layer kiln tune measured: its figure is the measurement.
    const bool tuned = s.contains("tuned");
    tuned_layers += tuned ? 1 : 0;
    fmt::print("{:>4}  {:<22} {:<{}} {:>10} {:>14}{}\n", op["index"].get<int>(), op["op"].get<std::string>(),
               ScheduleText(s), width, s["macs"].get<int64_t>(), s["expected_instructions"].get<int64_t>(),
               tuned ? "  tuned" : "");
    macs += s["macs"].get<int64_t>();
    expected += s["expected_instructions"].get<int64_t>();
  }
  fmt::print("total: {} MACs, {} instructions expected by the cost model (operators with MACs){}\n", macs, expected,
             tuned_layers > 0 ? fmt::format("; the {} tuned ones measured by kiln tune", tuned_layers) : "");
}

}  // namespace

void RegisterCompile(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("compile", "Compile a model into a Model Library Format archive (C99 + metadata)");
  static std::string model, output;
  static CodegenOptions options;
  static std::vector<std::string> shapes;
  static bool show_schedules = false;
  cmd->add_option("model", model, "TFLite (.tflite) or ONNX (.onnx) model")->required();
  cmd->add_option("-o,--output", output, "Archive to write (default: <model stem>.tar)");
  AddCodegenOptions(cmd, &options);
  AddImportOptions(cmd, &shapes);
  cmd->add_flag("--schedules", show_schedules,
                "Print each operator's schedule, knobs, MACs and expected instructions (docs/schedules.md)");
  cmd->callback([exit_code] {
    auto import = ParseImportOptions(shapes);
    if (!import.ok()) {
      *exit_code = ReportError(import.message());
      return;
    }
    auto library = CompileModelFile(model, options, *import);
    if (!library.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, library.message()));
      return;
    }
    if (output.empty()) output = std::filesystem::path(model).stem().string() + ".tar";
    Status written = WriteTarArchive(output, library->files);
    if (!written.ok()) {
      *exit_code = ReportError(written.message());
      return;
    }
    const auto& memory = library->metadata["memory"];
    std::string pools;
    for (const auto& pool : memory["pools"])
      if (!pool.value("read_only", false))
        pools += fmt::format("{}{} {} bytes", pools.empty() ? "" : ", ", pool["name"].get<std::string>(),
                             pool["size_bytes"].get<int64_t>());
    fmt::print("wrote {}: {} operators, pools: {}; constants {} bytes\n", output,
               library->metadata["operators"].size(), pools, memory["constants_bytes"].get<int64_t>());
    if (show_schedules) PrintSchedules(library->metadata);
    *exit_code = kExitOk;
  });
}

}  // namespace kiln::cli
