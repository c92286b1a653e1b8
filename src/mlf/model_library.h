// The Model Library Format (MLF): Kiln's on-disk artifact. A tar archive
// holding metadata.json, the generated C, the runtime sources the model
// needs and build files, so that it builds into a static library on its
// own. Specified in docs/model-library-format.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "codegen/generate_c.h"
#include "ir/graph.h"
#include "mlf/tar_archive.h"
#include "support/status.h"

namespace kiln {

/// The MLF version this Kiln writes and the only one it reads.
inline constexpr int kMlfFormatVersion = 1;

/// An MLF archive in memory.
struct ModelLibrary {
  FileMap files;           ///< every file, metadata.json included
  nlohmann::json metadata;  ///< parsed metadata.json
};

/// The options a compile ran with, recorded in metadata.json.
struct CompileRecord {
  std::string model_file;  ///< the source model's file name
  std::string planner;
  std::string target;  ///< `--target`, empty for portable C
  bool io_in_pools = false;
  std::string execution_order;  ///< which order runs, and why (memory/schedule.h)
  std::string opt = "speed";    ///< `--opt`: what the schedules favour
};

/// Assembles the archive's files from generated code.
Expected<ModelLibrary> BuildModelLibrary(const Graph& graph, const GeneratedCode& code,
                                         const CompileRecord& record);

/// Reads an archive and checks its format and version.
Expected<ModelLibrary> ReadModelLibrary(const std::filesystem::path& path);
/// The same checks on files already read; `name` is what errors call them.
Expected<ModelLibrary> ParseModelLibrary(FileMap files, std::string_view name);

/// The C interface of one input or output, as metadata.json records it.
struct IoSpec {
  std::string name;
  std::string c_name;
  DType dtype;
  Shape shape;
  int64_t bytes;
  /// With --io-in-pools: the pool and offset of its planned buffer (the
  /// module's kiln_<m>_<pool> array); pool empty otherwise.
  std::string pool;
  int64_t offset = -1;
};

/// An operator output in the tensor stream of a capture build (`kiln
/// debug`): metadata.json's "capture".
struct CaptureSpec {
  int op = 0;      ///< operator position in execution order ("operators")
  int output = 0;  ///< which of its outputs
  std::string name;  ///< the tensor's name, printable
  DType dtype = DType::kInt8;
  Shape shape;
  std::vector<double> scale;  ///< quantization; empty when not quantized
  std::vector<int64_t> zero_point;
  int64_t offset = 0;  ///< where its bytes start in the stream
  int64_t bytes = 0;
};

/// What a runner needs from metadata.json to call the model.
struct ModelInterface {
  std::string module_name;
  std::vector<IoSpec> inputs;
  std::vector<IoSpec> outputs;
  /// The --target it was compiled for and that target's ISA features
  /// (metadata.json's target_processor); empty when compiled without one.
  std::string target;
  std::vector<std::string> target_features;
  /// A capture build: run() streams these to kiln_capture_tensor(), in
  /// this order, back to back (stream_bytes in all); empty otherwise.
  std::vector<CaptureSpec> captures;
  int64_t stream_bytes = 0;
  bool capture_build = false;
  /// The operator `kiln debug --inject-fault` damaged, or -1.
  int injected_fault_operator = -1;
};
Expected<ModelInterface> ReadInterface(const nlohmann::json& metadata);

/// Field `field` ("op", "kernel") of operator `index` in metadata.json's
/// "operators", printable; "?" where the archive has no such string.
std::string OperatorField(const nlohmann::json& metadata, size_t index, std::string_view field);

/// Checks the --input files every runner takes: one per model input, each
/// exactly that input's size. Names the input and both sizes otherwise.
Status CheckInputFiles(const ModelInterface& mi, const std::vector<std::filesystem::path>& inputs);

}  // namespace kiln
