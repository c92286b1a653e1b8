// `kiln run MODEL|ARCHIVE --input IN.bin ... --output-dir OUT/`: compile
// (unless given an MLF archive), build for the host (or, with --device, for
// an emulated board), run once, write output_<k>.bin.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/cycle_report.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "device/device_runner.h"
#include "driver/host_runner.h"

namespace kiln::cli {

void RegisterRun(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("run", "Compile a model (or take an MLF archive), run it on the host, write its outputs");
  static std::string model, output_dir = ".";
  static std::vector<std::string> inputs;
  static std::string device;
  static CodegenOptions options;
  static std::vector<std::string> shapes;
  static bool per_op = false;
  static double clock_mhz = kDefaultClockMhz;
  cmd->add_option("model", model, "TFLite (.tflite) or ONNX (.onnx) model, or MLF archive (.tar)")->required();
  cmd->add_option("-i,--input", inputs, "Raw input tensor bytes, one file per model input, in order");
  cmd->add_option("-O,--output-dir", output_dir, "Directory for output_<k>.bin")->capture_default_str();
  CLI::Option* device_option = cmd->add_option("--device", device, "Run on an emulated board instead of the host (qemu-cortex-m3, qemu-cortex-m4, qemu-cortex-m55, qemu-rv32)");
  cmd->add_flag("--per-op", per_op, "With --device on a board with a cycle model: each operator's instructions and cycles");
  static size_t hot_blocks = 0;
  cmd->add_option("--hot-blocks", hot_blocks,
                  "With --device on a board with a cycle model: the N blocks of code that took the most cycles, with their "
                  "instructions")
      ->needs(device_option);
  cmd->add_option("--clock-mhz", clock_mhz, "With --device: the clock the estimated cycles are turned into ms at")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddCodegenOptions(cmd, &options);
  AddImportOptions(cmd, &shapes);
  cmd->callback([exit_code] {
    const Board* board = nullptr;
    if (!device.empty()) {
      auto found = FindBoard(device);
      if (!found.ok()) {
        *exit_code = ReportError(found.message());
        return;
      }
      board = *found;
      // Compiled for the board's processor and within its flash unless
      // told otherwise: its schedules (the DSP ones on a Cortex-M4) are
      // the ones that run, in a firmware that links.
      UseBoardDefaults(*board, options.target, options.flash_budget);
    }
    auto import = ParseImportOptions(shapes);
    if (!import.ok()) {
      *exit_code = ReportError(import.message());
      return;
    }
    auto library = LoadRunnable(model, options, *import);
    if (!library.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, library.message()));
      return;
    }
    auto interface = ReadInterface(library->metadata);
    if (!interface.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, interface.message()));
      return;
    }
    std::vector<std::filesystem::path> paths(inputs.begin(), inputs.end());
    // Before the slow C build: a wrong input is the user's to fix first.
    Status checked = CheckInputFiles(*interface, paths);
    if (!checked.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, checked.message()));
      return;
    }
    if (board != nullptr) {
      if ((per_op || hot_blocks > 0) && board->cycle_model.empty()) {
        *exit_code = ReportError(fmt::format("{}: the board {} has no cycle model (qemu-cortex-m4 has)",
                                             per_op ? "--per-op" : "--hot-blocks", board->name));
        return;
      }
      auto session = DeviceSession::Start(*library, *board, {.profile_cycles = true});
      if (!session.ok()) {
        *exit_code = ReportError(fmt::format("{}: {}", model, session.message()));
        return;
      }
      auto ticks = (*session)->Run(paths, output_dir);
      if (!ticks.ok()) {
        *exit_code = ReportError(fmt::format("{}: on {}: {}", model, board->name, ticks.message()));
        return;
      }
      for (size_t k = 0; k < interface->outputs.size(); ++k)
        fmt::print("wrote {}\n", (std::filesystem::path(output_dir) / fmt::format("output_{}.bin", k)).string());
      // Instructions under QEMU -icount: deterministic, not cycles.
      const uint64_t instructions = *ticks * static_cast<uint64_t>(board->instructions_per_tick);
      if (board->instructions_per_tick == 1)
        fmt::print("{}: one inference took {} instructions\n", board->name, instructions);
      else
        fmt::print("{}: one inference took {} instructions ({} timer ticks of {})\n", board->name, instructions,
                   *ticks, (*session)->client().info().timer_unit);
      if (auto stack = (*session)->client().Stack(); stack.ok())
        fmt::print("{}: stack of run(): {}{} bytes (by stack painting)\n", board->name,
                   stack->at_least() ? "at least " : "", stack->high_water_bytes);
      if ((*session)->profiles_cycles()) {
        // The outputs and the instruction count stand without it: a
        // failed estimate is a warning, unless --per-op asked for it.
        auto profile = (*session)->LastRunProfile();
        if (!profile.ok()) {
          const std::string message = fmt::format("{}: on {}: no cycle estimate: {}", model, board->name,
                                                  profile.message());
          if (per_op || hot_blocks > 0) {
            *exit_code = ReportError(message);
            return;
          }
          fmt::print(stderr, "kiln: warning: {}\n", message);
        } else {
          PrintCycleEstimate(board->name, *profile, clock_mhz);
          if (per_op) PrintOperatorCycles(library->metadata, *profile, clock_mhz);
          if (hot_blocks > 0) PrintHotBlocks(library->metadata, *profile, hot_blocks);
        }
      }
      *exit_code = kExitOk;
      return;
    }
    auto exe = HostExecutable::Build(*library);
    if (!exe.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, exe.message()));
      return;
    }
    Status ran = exe->Run(paths, output_dir);
    if (!ran.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, ran.message()));
      return;
    }
    for (size_t k = 0; k < interface->outputs.size(); ++k)
      fmt::print("wrote {}\n", (std::filesystem::path(output_dir) / fmt::format("output_{}.bin", k)).string());
    *exit_code = kExitOk;
  });
}

}  // namespace kiln::cli
