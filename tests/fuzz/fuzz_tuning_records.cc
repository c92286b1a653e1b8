// libFuzzer target: arbitrary bytes as a tuning records file, as `kiln
// compile --records FILE` reads it: parsed, applied to an int8 model's
// layers for cortex-m4, and the model compiled with what was applied.
// Whatever the records say, a layer only ever takes a candidate of its own
// search space, so the compile must succeed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "driver/compile.h"
#include "frontend/tflite/tflite_importer.h"
#include "kernels/select_kernels.h"
#include "seed_models.h"
#include "target/targets.h"
#include "tune/apply_records.h"

namespace {

struct Model {
  kiln::Graph graph;
  std::vector<const kiln::KernelEntry*> kernels;
  kiln::KernelScheduleOptions options;
};

const Model& Int8Model() {
  static const Model model = [] {
    Model m;
    m.graph = kiln::tflite::ImportTflite(kiln::fuzz::Int8Chain()).value();
    m.kernels = kiln::SelectKernels(m.graph).value();
    m.options.target = kiln::FindTarget("cortex-m4").value();
    return m;
  }();
  return model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto records = kiln::ParseTuningRecords(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.jsonl");
  if (!records.ok()) return 0;
  const Model& m = Int8Model();
  std::vector<kiln::Schedule> schedules = kiln::ChooseSchedules(m.graph, m.kernels, m.options);
  if (!kiln::ApplyTuningRecords(m.graph, m.kernels, m.options, *records, "fuzz.jsonl", &schedules).ok()) std::abort();
  kiln::CodegenOptions options;
  options.target = "cortex-m4";
  // What this target fuzzes ends with the schedules' lowering; the default
  // planner's search took a third of each run (tflite_pipeline fuzzes the
  // planners).
  options.planner = "greedy-by-size";
  auto library = kiln::CompileGraph(m.graph, options, "fuzz.tflite",
                                    [&](const kiln::Graph&, const std::vector<const kiln::KernelEntry*>&,
                                        const kiln::KernelScheduleOptions&) { return schedules; });
  if (!library.ok()) std::abort();
  return 0;
}
