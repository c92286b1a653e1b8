// `kiln debug`: every operator's output of one inference, captured where
// the model runs (the host, or an emulated board over the device
// protocol), compared with a reference run operator by operator, so that
// a wrong answer names the operator that went wrong.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/generate_c.h"
#include "debug/tensor_diff.h"
#include "device/boards.h"
#include "ir/graph.h"
#include "mlf/model_library.h"
#include "support/status.h"

namespace kiln {

/// The device's capture buffer in a debug build: big enough that most
/// models' tensors stream in a few runs, small next to the boards' RAM.
inline constexpr uint32_t kDefaultCaptureBytes = 16384;

struct DebugOptions {
  /// How the model under test is compiled (capture hooks are added).
  CodegenOptions codegen;
  /// Where it runs; nullptr: the host.
  const Board* board = nullptr;
  uint32_t capture_bytes = kDefaultCaptureBytes;
  /// The user's own per-tensor references (`--against`); empty: a host
  /// build of the same model with the portable C kernels.
  std::filesystem::path against;
  /// float32 elements further apart than this differ (integers: any difference).
  double float_tolerance = 0;
};

/// One operator output of the run under test, and how it compares.
struct CapturedOutput {
  CaptureSpec spec;
  std::string op_name;  ///< "CONV_2D"
  int model_index = 0;  ///< the operator's index in the model file
  std::vector<uint8_t> bytes;
  bool compared = false;
  std::string not_compared;  ///< why there is no comparison
  TensorDiff diff;
};

struct DebugReport {
  std::string ran_on;     ///< "host" or the board's name
  std::string reference;  ///< what it was compared with
  std::vector<CapturedOutput> outputs;  ///< in execution order
  int first_divergence = -1;            ///< index into outputs, -1: none
  nlohmann::json metadata;              ///< of the build under test
};

/// Compiles `graph` with capture hooks, runs it once on `inputs` where
/// options say, captures every operator's outputs, and compares them with
/// the reference.
Expected<DebugReport> DebugModel(const Graph& graph, const std::string& model_file,
                                 const std::vector<std::filesystem::path>& inputs, const DebugOptions& options);

/// Writes every captured output to `dir` as <position>_<name>.npy, and
/// index.json listing them (operator, output, tensor name, dtype, shape,
/// quantization, file). `--against` reads such a folder back.
Status DumpCapturedOutputs(const DebugReport& report, const std::filesystem::path& dir);

}  // namespace kiln
