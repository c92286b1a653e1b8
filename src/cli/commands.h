// The kiln subcommands. Each Register* function adds one subcommand to the
// app; its callback stores the exit code in *exit_code.
#pragma once

#include <CLI/CLI.hpp>

namespace kiln::cli {

/// Exit codes of the kiln command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUserError = 1;  ///< bad model, unsupported operator, wrong input
inline constexpr int kExitUsage = 2;      ///< bad command line
inline constexpr int kExitInternalError = 3;  ///< a bug in Kiln (an uncaught exception)
inline constexpr int kExitDiverged = 4;  ///< kiln debug: an operator's output differs from the reference

void RegisterOps(CLI::App& app, int* exit_code);
void RegisterInspect(CLI::App& app, int* exit_code);
void RegisterCompile(CLI::App& app, int* exit_code);
void RegisterRun(CLI::App& app, int* exit_code);
void RegisterPlan(CLI::App& app, int* exit_code);
void RegisterMicro(CLI::App& app, int* exit_code);
void RegisterConformance(CLI::App& app, int* exit_code);
void RegisterFootprint(CLI::App& app, int* exit_code);
void RegisterDoctor(CLI::App& app, int* exit_code);
void RegisterDebug(CLI::App& app, int* exit_code);
void RegisterTune(CLI::App& app, int* exit_code);
void RegisterTuneWorker(CLI::App& app, int* exit_code);
/// `help-text man|bash-completion`: reads `app`'s whole definition, so it is
/// registered last.
void RegisterHelpText(CLI::App& app, int* exit_code);

/// Prints "kiln: error: <message>" to stderr and returns kExitUserError.
int ReportError(const std::string& message);

}  // namespace kiln::cli
