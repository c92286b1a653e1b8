// `kiln footprint MODEL --target T`: flash and RAM the model will need on
// the target, before any firmware exists (src/footprint/, docs/footprint.md).
#include <chrono>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "footprint/estimate.h"
#include "report/footprint_report.h"
#include "support/cache_dir.h"
#include "support/write_file_atomically.h"

namespace kiln::cli {

void RegisterFootprint(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "footprint", "Estimate the flash and RAM a model needs on a target, without building firmware");
  static std::string model, format = "table", budget_text, report_path;
  static CodegenOptions options;
  static std::vector<std::string> shapes;
  cmd->add_option("model", model, "TFLite or ONNX model, or an MLF archive")->required();
  cmd->add_option("--format", format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->add_option("--budget", budget_text, "Limits to check, e.g. flash=1M,ram=320K: exit 1 when the model exceeds one");
  cmd->add_option("--report", report_path,
                  "Also write a self-contained HTML report: the memory plan, flash and RAM per operator, budgets");
  AddCodegenOptions(cmd, &options);
  AddImportOptions(cmd, &shapes);
  cmd->callback([exit_code] {
    if (options.target.empty()) {
      *exit_code = ReportError("footprint needs --target (one of: " + fmt::format("{}", fmt::join(TargetNames(), ", ")) + ")");
      return;
    }
    std::optional<footprint::Budget> budget;
    if (!budget_text.empty()) {
      auto parsed = footprint::ParseBudget(budget_text);
      if (!parsed.ok()) {
        *exit_code = ReportError(parsed.message());
        return;
      }
      budget = *parsed;
    }
    auto import = ParseImportOptions(shapes);
    if (!import.ok()) {
      *exit_code = ReportError(import.message());
      return;
    }
    auto target = FindTarget(options.target);
    if (!target.ok()) {
      *exit_code = ReportError(target.message());
      return;
    }
    bool built = false;
    const auto started = std::chrono::steady_clock::now();
    auto table = footprint::LoadSizeTable(**target, &built);
    if (!table.ok()) {
      *exit_code = ReportError(table.message());
      return;
    }
    if (built && format != "json")
      fmt::print(stderr, "kiln: measured the size table of {} with {} in {:.1f} s (cached in {})\n", table->target,
                 table->toolchain,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                 CacheDir().string());
    auto library = LoadRunnable(model, options, *import);
    if (!library.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, library.message()));
      return;
    }
    auto estimate = footprint::EstimateFootprint(*library, *table);
    if (!estimate.ok()) {
      *exit_code = ReportError(fmt::format("{}: {}", model, estimate.message()));
      return;
    }
    const footprint::Budget* b = budget ? &*budget : nullptr;
    const nlohmann::json json = footprint::FootprintJson(*estimate, b);
    if (!report_path.empty()) {
      auto page = report::RenderFootprintReport(library->metadata, json);
      if (!page.ok()) {
        *exit_code = ReportError(fmt::format("{}: {}", model, page.message()));
        return;
      }
      Status written = WriteFileAtomically(report_path, *page);
      if (!written.ok()) {
        *exit_code = ReportError(written.message());
        return;
      }
      fmt::print(stderr, "kiln: wrote {}\n", report_path);
    }
    if (format == "json")
      fmt::print("{}\n", json.dump(2));
    else
      fmt::print("{}", footprint::FootprintText(*estimate, b));
    *exit_code = (budget && !footprint::FitsBudget(*estimate, *budget)) ? kExitUserError : kExitOk;
  });
}

}  // namespace kiln::cli
