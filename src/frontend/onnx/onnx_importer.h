// The ONNX frontend: an ONNX ModelProto in, a validated Graph out.
//
// Model files are untrusted. The importer parses the protobuf, checks the
// opset (kMinOpset to kMaxOpset), every initializer's payload, that each node input
// is defined before use, and infers every tensor's static shape, checking
// the declared output shapes against it. Operators it cannot compile become
// OpKind::kUnsupported nodes with the reason in attribute "unsupported" (so
// `kiln inspect` can list them all); malformed models are errors. When the
// graph is fully supported, the ONNX passes run (passes/onnx_passes.h):
// batch-norm folding, NCHW -> NHWC layout, transpose cancelling.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln::onnx_import {

/// The newest ai.onnx opset Kiln imports (that of Debian's ONNX 1.12).
inline constexpr int64_t kMaxOpset = 17;
/// The oldest opset whose every operator Kiln reads: 6, the opset of
/// PyTorch's exports in ONNX's test data. Its one difference that matters
/// for the operators Kiln imports, the legacy `broadcast` attribute of
/// Add/Sub/Mul/Div/Gemm, is checked per node.
inline constexpr int64_t kMinOpset = 6;
/// Opsets 1 to 5 are imported operator by operator: a node whose
/// definition ONNX has not changed between its opset and kMinOpset (by
/// ONNX's own schema registry) is read as at kMinOpset; the others are
/// unsupported, naming the opset where their definition changed.
inline constexpr int64_t kOldestOpset = 1;

struct OnnxImportOptions {
  /// Shapes for graph inputs, by name: fixes dynamic dimensions
  /// (`--input-shape name:1,3,32,32`). Must agree with the static ones.
  std::map<std::string, Shape> input_shapes;
  /// Directory that external-data paths are relative to (the model's).
  std::filesystem::path model_dir;
  /// Run the ONNX passes (layout etc.) after import; tests may turn it off.
  bool run_passes = true;
  /// Run QDQ models on the int8 kernels (passes/fuse_qdq.cc); false keeps
  /// the float operators between QUANTIZE and DEQUANTIZE (tests compare both).
  bool fuse_qdq = true;
};

/// Imports an ONNX model held in memory.
Expected<Graph> ImportOnnx(std::span<const uint8_t> bytes, const OnnxImportOptions& options);

/// Reads and imports a .onnx file; the graph is named after the file stem and
/// external data is resolved next to the file.
Expected<Graph> ImportOnnxFile(const std::filesystem::path& path, OnnxImportOptions options = {});

/// True when the file looks like an ONNX model (by extension, or a protobuf
/// ModelProto that parses and declares an ir_version and a graph).
bool LooksLikeOnnx(const std::filesystem::path& path);

/// The reason recorded on an unsupported node ("operator not supported" when none).
std::string UnsupportedReason(const Node& node);

}  // namespace kiln::onnx_import
