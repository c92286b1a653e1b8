#include "report/plan_table.h"

#include <fmt/format.h>

#include "support/json_boundary.h"

namespace kiln::report {
namespace {

std::string PlanTable(const nlohmann::json& metadata, std::string_view model) {
  const nlohmann::json& memory = metadata.at("memory");
  const nlohmann::json& operators = metadata.at("operators");
  auto op_name = [&](int64_t step) {
    return step >= 0 && static_cast<size_t>(step) < operators.size()
               ? fmt::format("#{} {}", step, operators.at(static_cast<size_t>(step)).at("op").get<std::string>())
               : std::string("-");
  };
  std::string out = fmt::format("memory plan of {} (planner {}; steps are operator positions)\n{}\n\n", model,
                                memory.at("planner").get<std::string>(),
                                memory.value("execution_order", std::string()));
  out += fmt::format("{:<11} {:<7} {:>8} {:>5} {:>9}  {:<10} {:>8}  {}\n", "buffer", "kind", "bytes", "align", "live",
                     "pool", "offset", "tensor");
  for (const auto& b : memory.at("buffers")) {
    const std::string name = b.at("name").get<std::string>();
    std::string what = b.contains("tensor") ? fmt::format("'{}'", b.at("tensor").get<std::string>()) : "";
    if (b.contains("overlaps")) {
      const nlohmann::json& overlap = b.at("overlaps");
      what += fmt::format("  overlaps {} (written over its consumed rows; distance {} bytes)",
                          overlap.at("input").get<std::string>(), overlap.at("distance_bytes").get<int64_t>());
    }
    out += fmt::format("{:<11} {:<7} {:>8} {:>5} {:>9}  {:<10} {:>8}  {}\n", name,
                       name.starts_with("scratch") ? "scratch" : "tensor", b.at("size_bytes").get<int64_t>(),
                       b.value("alignment", int64_t{16}),
                       fmt::format("{}..{}", b.at("live").at(0).get<int64_t>(), b.at("live").at(1).get<int64_t>()),
                       b.at("pool").get<std::string>(), b.at("offset").get<int64_t>(), what);
  }
  const nlohmann::json aliases = memory.value("aliases", nlohmann::json::object());
  if (!aliases.empty()) {
    out += "\naliases (reshapes that copy nothing):";
    for (const auto& [alias, owner] : aliases.items())
      out += fmt::format(" {} is {}'s bytes;", alias, owner.get<std::string>());
    out += "\n";
  }
  out += fmt::format("\n{:<10} {:>9} {:>12} {:>17}  {}\n", "pool", "planned", "lower bound", "layer-wise bound",
                     "peak step");
  for (const auto& p : memory.at("pools")) {
    const std::string name = p.at("name").get<std::string>();
    if (p.value("read_only", false)) {
      out += fmt::format("{:<10} read-only, {} bytes: holds the {} bytes of constants\n", name,
                         p.at("capacity_bytes").get<int64_t>(), memory.at("constants_bytes").get<int64_t>());
      continue;
    }
    out += fmt::format("{:<10} {:>9} {:>12} {:>17}  {}{}\n", name, p.at("size_bytes").get<int64_t>(),
                       p.value("lower_bound_bytes", int64_t{0}), p.value("layer_wise_bound_bytes", int64_t{0}),
                       op_name(p.value("peak_step", int64_t{-1})),
                       p.contains("capacity_bytes")
                           ? fmt::format("  (capacity {})", p.at("capacity_bytes").get<int64_t>())
                           : std::string());
    if (p.contains("planner_note")) out += fmt::format("           {}\n", p.at("planner_note").get<std::string>());
  }
  out += "\nlower bound: the most bytes live at one step, an output streaming over its input counted as the\n"
         "least the two can share; layer-wise: every operator's inputs and outputs whole\n";
  return out;
}

}  // namespace

Expected<std::string> RenderPlanTable(const nlohmann::json& metadata, std::string_view model) {
  return ReadingJson("metadata.json", [&] { return PlanTable(metadata, model); });
}

}  // namespace kiln::report
