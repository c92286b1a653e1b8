// `kiln plan MODEL`: the memory plan, as `kiln compile` would make it with
// the same flags, as a table (report/plan_table.h) or JSON; `--svg FILE`
// also draws it as a timeline (report/plan_svg.h).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "report/plan_svg.h"
#include "report/plan_table.h"
#include "support/write_file_atomically.h"

namespace kiln::cli {
namespace {

int PrintPlan(const std::string& model, const CodegenOptions& options, const std::string& format,
              const std::string& svg) {
  auto library = CompileModelFile(model, options);
  if (!library.ok()) return ReportError(fmt::format("{}: {}", model, library.message()));
  if (!svg.empty()) {
    auto picture = report::RenderPlanSvg(library->metadata);
    if (!picture.ok()) return ReportError(fmt::format("{}: {}", model, picture.message()));
    Status written = WriteFileAtomically(svg, *picture);
    if (!written.ok()) return ReportError(written.message());
    // stderr, so that --format json output stays parseable.
    std::fprintf(stderr, "wrote %s: the memory plan as a timeline\n", svg.c_str());
  }
  if (format == "json") {
    fmt::print("{}\n", library->metadata["memory"].dump(2));
    return kExitOk;
  }
  auto table = report::RenderPlanTable(library->metadata, model);
  if (!table.ok()) return ReportError(fmt::format("{}: {}", model, table.message()));
  fmt::print("{}", *table);
  return kExitOk;
}

}  // namespace

void RegisterPlan(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("plan", "Print the memory plan: buffers, offsets, pools, lower bounds");
  static std::string model, format = "table", svg;
  static CodegenOptions options;
  cmd->add_option("model", model, "TFLite model (.tflite)")->required();
  cmd->add_option("--format", format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->add_option("--svg", svg, "Also draw the plan as a timeline into this SVG file");
  AddCodegenOptions(cmd, &options);
  cmd->callback([exit_code] { *exit_code = PrintPlan(model, options, format, svg); });
}

}  // namespace kiln::cli
