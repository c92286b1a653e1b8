// `kiln compile MODEL -o OUT.tar`: a Model Library Format archive.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"

namespace kiln::cli {

void RegisterCompile(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("compile", "Compile a model into a Model Library Format archive (C99 + metadata)");
  static std::string model, output;
  static CodegenOptions options;
  static std::vector<std::string> shapes;
  cmd->add_option("model", model, "TFLite (.tflite) or ONNX (.onnx) model")->required();
  cmd->add_option("-o,--output", output, "Archive to write (default: <model stem>.tar)");
  AddCodegenOptions(cmd, &options);
  AddImportOptions(cmd, &shapes);
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
    *exit_code = kExitOk;
  });
}

}  // namespace kiln::cli
