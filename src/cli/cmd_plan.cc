// `kiln plan MODEL`: the memory plan, as `kiln compile` would make it with
// the same flags: every buffer (tensor or scratch) with its size, alignment,
// live range, pool and offset; the overlaps that declared access patterns
// allowed and the aliases; each pool's size beside its lower bounds.
// `--svg FILE` also draws it as a timeline (report/plan_svg.h).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_options.h"
#include "driver/compile.h"
#include "report/plan_svg.h"
#include "report/write_file_atomically.h"

namespace kiln::cli {
namespace {

int PrintPlan(const std::string& model, const CodegenOptions& options, const std::string& format,
              const std::string& svg) {
  auto library = CompileModelFile(model, options);
  if (!library.ok()) return ReportError(fmt::format("{}: {}", model, library.message()));
  if (!svg.empty()) {
    Status written = report::WriteFileAtomically(svg, report::RenderPlanSvg(library->metadata));
    if (!written.ok()) return ReportError(written.message());
    // stderr, so that --format json output stays parseable.
    std::fprintf(stderr, "wrote %s: the memory plan as a timeline\n", svg.c_str());
  }
  const nlohmann::json& memory = library->metadata["memory"];
  if (format == "json") {
    fmt::print("{}\n", memory.dump(2));
    return kExitOk;
  }
  const nlohmann::json operators = library->metadata["operators"];
  auto op_name = [&](int step) {
    return step >= 0 && static_cast<size_t>(step) < operators.size()
               ? fmt::format("#{} {}", step, operators[static_cast<size_t>(step)]["op"].get<std::string>())
               : std::string("-");
  };
  fmt::print("memory plan of {} (planner {}; steps are operator positions)\n{}\n\n", model,
             memory["planner"].get<std::string>(), memory.value("execution_order", std::string()));
  fmt::print("{:<11} {:<7} {:>8} {:>5} {:>9}  {:<10} {:>8}  {}\n", "buffer", "kind", "bytes", "align", "live",
             "pool", "offset", "tensor");
  for (const auto& b : memory["buffers"]) {
    const std::string name = b["name"];
    std::string what = b.contains("tensor") ? fmt::format("'{}'", b["tensor"].get<std::string>()) : "";
    if (b.contains("overlaps"))
      what += fmt::format("  overlaps {} (written over its consumed rows; distance {} bytes)",
                          b["overlaps"]["input"].get<std::string>(), b["overlaps"]["distance_bytes"].get<int64_t>());
    fmt::print("{:<11} {:<7} {:>8} {:>5} {:>9}  {:<10} {:>8}  {}\n", name,
               name.starts_with("scratch") ? "scratch" : "tensor", b["size_bytes"].get<int64_t>(),
               b.value("alignment", int64_t{16}),
               fmt::format("{}..{}", b["live"][0].get<int>(), b["live"][1].get<int>()),
               b["pool"].get<std::string>(), b["offset"].get<int64_t>(), what);
  }
  if (!memory["aliases"].empty()) {
    fmt::print("\naliases (reshapes that copy nothing):");
    for (const auto& [alias, owner] : memory["aliases"].items())
      fmt::print(" {} is {}'s bytes;", alias, owner.get<std::string>());
    fmt::print("\n");
  }
  fmt::print("\n{:<10} {:>9} {:>12} {:>17}  {}\n", "pool", "planned", "lower bound", "layer-wise bound",
             "peak step");
  for (const auto& p : memory["pools"]) {
    if (p.value("read_only", false)) {
      fmt::print("{:<10} read-only, {} bytes: holds the {} bytes of constants\n", p["name"].get<std::string>(),
                 p["capacity_bytes"].get<int64_t>(), memory["constants_bytes"].get<int64_t>());
      continue;
    }
    fmt::print("{:<10} {:>9} {:>12} {:>17}  {}{}\n", p["name"].get<std::string>(), p["size_bytes"].get<int64_t>(),
               p.value("lower_bound_bytes", int64_t{0}), p.value("layer_wise_bound_bytes", int64_t{0}),
               op_name(p.value("peak_step", -1)),
               p.contains("capacity_bytes") ? fmt::format("  (capacity {})", p["capacity_bytes"].get<int64_t>())
                                            : std::string());
    if (p.contains("planner_note")) fmt::print("           {}\n", p["planner_note"].get<std::string>());
  }
  fmt::print("\nlower bound: the most bytes live at one step, an output streaming over its input counted as the\n"
             "least the two can share; layer-wise: every operator's inputs and outputs whole\n");
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
