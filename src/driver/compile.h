// The compile pipeline end to end: model file -> Graph -> kernels ->
// C -> MLF archive in memory. The CLI's compile and run commands and the
// tests all go through here.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "codegen/generate_c.h"
#include "ir/graph.h"
#include "mlf/model_library.h"
#include "support/status.h"

namespace kiln {

/// Options of the import step.
struct ImportOptions {
  /// Static shapes for (dynamic) model inputs, by input name: ONNX only.
  std::map<std::string, Shape> input_shapes;
};

/// Imports a model file by its format: ONNX (.onnx, or a file that parses as
/// an ONNX ModelProto), else TFLite.
Expected<Graph> ImportModelFile(const std::filesystem::path& path, const ImportOptions& import = {});

/// The pipeline's schedule stage: every node's schedule (in the order of
/// graph.nodes, after the execution order is applied).
using ScheduleChoice = std::function<Expected<std::vector<Schedule>>(
    const Graph& graph, const std::vector<const KernelEntry*>& kernels, const KernelScheduleOptions& options)>;

/// The default stage: the cost model's choice (ChooseSchedules), then the
/// tuning records of options.tuning_records, if any.
ScheduleChoice DefaultScheduleChoice(const CodegenOptions& options);

/// Compiles an imported graph into an MLF archive in memory; `choose`
/// replaces the default schedule stage (the tuner's candidates).
Expected<ModelLibrary> CompileGraph(const Graph& graph, const CodegenOptions& options,
                                    const std::string& model_file, const ScheduleChoice& choose = {});

/// ImportModelFile then CompileGraph.
Expected<ModelLibrary> CompileModelFile(const std::filesystem::path& path, const CodegenOptions& options,
                                        const ImportOptions& import = {});

/// A model file or an MLF archive, ready to run: `kiln run` accepts both.
Expected<ModelLibrary> LoadRunnable(const std::filesystem::path& path, const CodegenOptions& options,
                                    const ImportOptions& import = {});

/// True when the file starts like a tar archive (ustar magic at 257).
bool LooksLikeTar(const std::filesystem::path& path);

}  // namespace kiln
