// The kiln command: one binary, one subcommand per task.
#include <cstdio>
#include <exception>

#include "cli/commands.h"

#ifndef KILN_VERSION
#define KILN_VERSION "dev"
#endif

namespace kiln::cli {

int ReportError(const std::string& message) {
  std::fprintf(stderr, "kiln: error: %s\n", message.c_str());
  return kExitUserError;
}

}  // namespace kiln::cli

int main(int argc, char** argv) {
  using namespace kiln::cli;
  CLI::App app{"Kiln: an ahead-of-time compiler from TFLite and ONNX models to C99 for microcontrollers.", "kiln"};
  app.set_version_flag("--version", "kiln " KILN_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  RegisterOps(app, &exit_code);
  RegisterInspect(app, &exit_code);
  RegisterCompile(app, &exit_code);
  RegisterRun(app, &exit_code);
  RegisterPlan(app, &exit_code);
  RegisterMicro(app, &exit_code);
  RegisterConformance(app, &exit_code);
  RegisterFootprint(app, &exit_code);
  RegisterDoctor(app, &exit_code);
  RegisterDebug(app, &exit_code);
  RegisterTune(app, &exit_code);
  RegisterTuneWorker(app, &exit_code);
  RegisterHelpText(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, version or the usage error
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    // Every library's exceptions should have become Kiln's errors where
    // they were thrown; one that escapes is a bug, never a crash.
    std::fprintf(stderr, "kiln: internal error: %s\nkiln: please report this, with the command and the model\n",
                 e.what());
    return kExitInternalError;
  }
  return exit_code;
}
