#include "fuzz_pipeline.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "driver/compile.h"
#include "footprint/estimate.h"
#include "footprint/size_table.h"
#include "ir/op_table.h"
#include "mlf/tar_archive.h"
#include "report/footprint_report.h"
#include "report/plan_svg.h"
#include "report/plan_table.h"
#include "target/targets.h"

namespace kiln::fuzz {
namespace {

// Targets that choose different schedules: portable C, the Arm DSP ones,
// Cortex-M0 (no DSP) and RISC-V.
constexpr std::array<const char*, 4> kTargets = {"", "cortex-m4", "cortex-m0", "rv32imac"};
// Every planner but "optimal", whose search is exponential by design.
constexpr std::array<const char*, 4> kPlanners = {"hill-climb", "greedy-by-size", "greedy-by-conflicts", "linear"};

[[noreturn]] void Broken(const char* promise, const std::string& detail) {
  std::fprintf(stderr, "fuzz: broken promise: %s: %s\n", promise, detail.c_str());
  std::abort();
}

// The size table of `target`, loaded once; Cortex-M4's for portable C and
// for targets the pipeline does not compile for (measuring another table
// takes seconds, which is `kiln footprint`'s first run, not a finding).
const footprint::SizeTable* TableFor(const std::string& target) {
  static std::map<std::string, Expected<footprint::SizeTable>> tables;
  const bool known = !target.empty() && std::find(kTargets.begin(), kTargets.end(), target) != kTargets.end();
  const std::string name = known ? target : "cortex-m4";
  auto it = tables.find(name);
  if (it == tables.end()) it = tables.emplace(name, footprint::LoadSizeTable(*FindTarget(name).value())).first;
  return it->second.ok() ? &*it->second : nullptr;
}

}  // namespace

void WarmSizeTables() {
  for (const char* target : kTargets) (void)TableFor(target);
}

void CompileAndRender(const Graph& graph, uint8_t selector) {
  CodegenOptions options;
  options.target = kTargets[selector % kTargets.size()];
  options.planner = kPlanners[(selector >> 2) % kPlanners.size()];
  options.opt = (selector & 0x10) ? "size" : "speed";
  options.io_in_pools = (selector & 0x20) != 0;
  // The graph executor (its call templates) or a kiln debug capture build.
  if ((selector & 0x40) && !options.io_in_pools) options.executor = "graph";
  options.capture_tensors = (selector & 0x80) != 0 && options.executor == "aot";
  auto library = CompileGraph(graph, options, "fuzz.tflite");
  if (!library.ok()) {
    // The graph executor has no control flow (docs/control-flow.md).
    if (options.executor == "graph" && std::none_of(graph.nodes.begin(), graph.nodes.end(), IsControlFlow)) {
      options.executor = "aot";
      if (CompileGraph(graph, options, "fuzz.tflite").ok())
        Broken("the graph executor takes every model the AoT executor does", library.message());
    }
    return;
  }
  auto bytes = TarArchiveBytes(library->files);
  if (!bytes.ok()) Broken("an archive Kiln made can be written", bytes.message());
  auto files = ReadTarBytes(*bytes, "fuzz.tar");
  if (!files.ok()) Broken("an archive Kiln wrote reads back", files.message());
  if (*files != library->files) Broken("an archive reads back as the files written", "contents differ");
  auto reread = ParseModelLibrary(std::move(*files), "fuzz.tar");
  if (!reread.ok()) Broken("an archive Kiln wrote is a valid MLF archive", reread.message());
  ReadArchive(*reread, /*trusted=*/true);
}

void ReadArchive(const ModelLibrary& library, bool trusted) {
  auto check = [&](const char* what, const auto& result) {
    if (trusted && !result.ok()) Broken(what, result.message());
  };
  check("its interface reads", ReadInterface(library.metadata));
  check("its plan prints", report::RenderPlanTable(library.metadata, "fuzz.tflite"));
  check("its plan draws", report::RenderPlanSvg(library.metadata));
  static const nlohmann::json::json_pointer kTarget("/compiler/options/target");
  const nlohmann::json& m = library.metadata;
  const std::string target = m.contains(kTarget) && m.at(kTarget).is_string() ? m.at(kTarget).get<std::string>() : "";
  const footprint::SizeTable* table = TableFor(target);
  if (table == nullptr) return;  // no cross compiler here: nothing to estimate with
  // The estimate models the AoT executor, without kiln debug's capture hooks.
  if (m.value("executor", "aot") == "graph" || m.contains("capture")) return;
  auto estimate = footprint::EstimateFootprint(library, *table);
  // Portable C is estimated with Cortex-M4's table, which may not know
  // every kernel: an error then, never a crash.
  if (!target.empty()) check("its footprint is estimated", estimate);
  if (!estimate.ok()) return;
  const nlohmann::json json = footprint::FootprintJson(*estimate);
  (void)footprint::FootprintText(*estimate);
  check("its footprint report renders", report::RenderFootprintReport(library.metadata, json));
}

}  // namespace kiln::fuzz
