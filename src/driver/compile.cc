#include "driver/compile.h"

#include <fstream>

#include "codegen/fit_extra_ram.h"
#include "driver/size_limits.h"
#include "footprint/estimate.h"
#include "frontend/onnx/onnx_importer.h"
#include "frontend/tflite/tflite_importer.h"
#include "ir/printable_names.h"
#include "kernels/select_kernels.h"
#include "memory/schedule.h"
#include "rpc/descriptor_codegen.h"
#include "target/targets.h"
#include "tune/apply_records.h"

namespace kiln {

bool LooksLikeTar(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[5] = {};
  in.seekg(257);
  in.read(magic, 5);
  return in.gcount() == 5 && std::string(magic, 5) == "ustar";
}

Expected<Graph> ImportModelFile(const std::filesystem::path& path, const ImportOptions& import) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return MakeError("'{}' is not a readable file", path.string());
  if (LooksLikeTar(path))
    return MakeError("'{}' is an archive, not a model (MLF archives are accepted by 'kiln run')", path.string());
  if (onnx_import::LooksLikeOnnx(path)) {
    onnx_import::OnnxImportOptions options;
    options.input_shapes = import.input_shapes;
    return onnx_import::ImportOnnxFile(path, options);
  }
  if (!import.input_shapes.empty()) return MakeError("--input-shape applies to ONNX models only");
  return tflite::ImportTfliteFile(path);
}

ScheduleChoice DefaultScheduleChoice(const CodegenOptions& options) {
  return [records = options.tuning_records](const Graph& graph, const std::vector<const KernelEntry*>& kernels,
                                            const KernelScheduleOptions& schedule_options)
             -> Expected<std::vector<Schedule>> {
    std::vector<Schedule> schedules = ChooseSchedules(graph, kernels, schedule_options);
    if (records.empty()) return schedules;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(records, ec))
      return MakeError("--records: '{}' is not a readable file", records);
    KILN_ASSIGN_OR_RETURN(std::vector<TuningRecord> measured, ReadTuningRecords(records));
    KILN_RETURN_IF_ERROR(ApplyTuningRecords(graph, kernels, schedule_options, measured,
                                            std::filesystem::path(records).filename().string(), &schedules)
                             .status());
    return schedules;
  };
}

Expected<ModelLibrary> CompileGraph(const Graph& source, const CodegenOptions& options,
                                    const std::string& model_file, const ScheduleChoice& choose) {
  // Memory-aware scheduling: where the graph allows several orders, run the
  // one with the lowest peak of live activations (the source order on ties).
  if (!options.target.empty()) KILN_RETURN_IF_ERROR(FindTarget(options.target).status());
  KILN_RETURN_IF_ERROR(CheckTensorSizes(source));
  Graph graph = source;
  ScheduleReport order;
  ApplyExecutionOrder(graph, ChooseExecutionOrder(graph, {}, &order));
  KILN_ASSIGN_OR_RETURN(std::vector<const KernelEntry*> kernels, SelectKernels(graph));
  // How each node computes, for the target: decided before lowering, since
  // it decides the scratch the planner sees.
  KILN_ASSIGN_OR_RETURN(KernelScheduleOptions schedule_options, KernelScheduleOptionsFor(options));
  KILN_ASSIGN_OR_RETURN(std::vector<Schedule> schedules,
                        (choose ? choose : DefaultScheduleChoice(options))(graph, kernels, schedule_options));
  if (schedules.size() != graph.nodes.size())
    return MakeError("internal error: {} schedules for {} nodes", schedules.size(), graph.nodes.size());
  // The default choice's extra RAM is the memory plan's to grant; a given
  // choice (kiln tune measuring one candidate) is lowered as it is.
  KILN_ASSIGN_OR_RETURN(GeneratedCode code, choose ? GenerateC(graph, kernels, schedules, options)
                                                   : GenerateCFittingRam(graph, kernels, schedule_options, schedules,
                                                                         options));
  KILN_RETURN_IF_ERROR(CheckGeneratedSizes(code));
  KILN_ASSIGN_OR_RETURN(ModelLibrary library,
                        BuildModelLibrary(graph, code,
                                          CompileRecord{model_file, options.planner, options.target,
                                                        options.io_in_pools, order.summary, options.opt}));
  // The device protocol's glue for this model: the archive carries it, the
  // protocol (rpc/) makes it.
  KILN_ASSIGN_OR_RETURN(FileMap device_files, rpc::DeviceFiles(library));
  library.files.merge(device_files);
  // With a target, the archive records what the model will cost on it
  // (docs/footprint.md); a missing cross compiler is recorded, not fatal.
  if (!options.target.empty()) {
    KILN_ASSIGN_OR_RETURN(const Target* target, FindTarget(options.target));
    library.metadata["footprint"] = footprint::FootprintMetadata(library, *target);
    library.files["metadata.json"] = library.metadata.dump(2) + "\n";
  }
  return library;
}

Expected<ModelLibrary> CompileModelFile(const std::filesystem::path& path, const CodegenOptions& options,
                                        const ImportOptions& import) {
  KILN_ASSIGN_OR_RETURN(Graph graph, ImportModelFile(path, import));
  return CompileGraph(graph, options, PrintableName(path.filename().string()));
}

Expected<ModelLibrary> LoadRunnable(const std::filesystem::path& path, const CodegenOptions& options,
                                    const ImportOptions& import) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return MakeError("'{}' is not a readable file", path.string());
  if (LooksLikeTar(path)) return ReadModelLibrary(path);
  return CompileModelFile(path, options, import);
}

}  // namespace kiln
