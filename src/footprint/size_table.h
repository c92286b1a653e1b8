// Size tables: what Kiln's runtime kernels and the C library cost on one
// target with one toolchain, measured once by compiling the runtime with the
// target's cross compiler and linking a reference program that keeps every
// kernel entry point (--gc-sections, link map, picolibc as the boards use).
// Cached as JSON under $KILN_CACHE_DIR, $XDG_CACHE_HOME/kiln or
// ~/.cache/kiln, keyed by target, compiler version and a hash of the
// runtime sources, so `kiln footprint` runs the compiler only the first time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "footprint/codegen_cost.h"
#include "footprint/toolchain.h"
#include "support/status.h"
#include "target/targets.h"

namespace kiln::footprint {

/// One function of a kernel object (one .text.<name> section).
struct KernelFunction {
  std::string symbol;
  uint64_t bytes = 0;   ///< as linked (after linker relaxation)
  int64_t frame = 0;    ///< its own stack frame (-fcallgraph-info=su)
  bool frame_bounded = true;
  std::vector<std::string> calls;      ///< functions of the same object it references
  std::vector<std::string> externals;  ///< symbols it needs from elsewhere (other kernels, libraries)
};

/// One runtime kernel file, compiled: its functions and its data.
struct KernelObject {
  std::map<std::string, KernelFunction> functions;  ///< by symbol
  uint64_t rodata = 0, data = 0, bss = 0;          ///< the object's data sections, counted once per object
};

/// One archive member the kernels pull in (libc, libm, libgcc).
struct LibraryMember {
  uint64_t text = 0, rodata = 0, data = 0, bss = 0;
  std::vector<std::string> needs;  ///< other members it pulls in
  int64_t frame = 0;               ///< deepest prologue of its functions
};

struct SizeTable {
  std::string target;
  std::string toolchain;          ///< "arm-none-eabi-gcc 12.2.1"
  std::string compiler_version;   ///< the full first line of --version
  std::string key;                ///< cache key
  std::map<std::string, KernelObject> objects;  ///< by kernel variant ("conv2d_s8")
  std::map<std::string, std::string> entry_object;   ///< global function -> its kernel variant
  std::map<std::string, LibraryMember> members;       ///< by "archive(member)"
  std::map<std::string, std::string> symbol_member;   ///< library symbol -> member
  std::map<std::string, uint64_t> param_struct_bytes; ///< "kiln_conv2d_s8_params_t" -> sizeof on the target
  CodegenCost codegen;
  double build_seconds = 0;  ///< how long measuring took

  nlohmann::json ToJson() const;
  static Expected<SizeTable> FromJson(const nlohmann::json& j);
};

/// Measures the table (runs the cross compiler, a few seconds per target).
Expected<SizeTable> BuildSizeTable(const Toolchain& toolchain);

/// The cached table of `target` and its installed toolchain, built and
/// cached when missing. `*built` says whether it was built now.
Expected<SizeTable> LoadSizeTable(const Target& target, bool* built = nullptr);

}  // namespace kiln::footprint
