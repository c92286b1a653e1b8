// The TFLite frontend: a .tflite flatbuffer in, a validated Graph out.
//
// Model files are untrusted input. The importer runs the flatbuffers
// Verifier before reading anything, then checks every index, size and
// quantization field it uses; whatever it returns is safe for the rest of
// the compiler to trust.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "ir/graph.h"
#include "support/status.h"

namespace kiln::tflite {

/// Imports subgraph 0 of a TFLite model held in memory.
Expected<Graph> ImportTflite(std::span<const uint8_t> bytes);

/// Reads and imports a .tflite file; the graph is named after the file stem.
Expected<Graph> ImportTfliteFile(const std::filesystem::path& path);

}  // namespace kiln::tflite
