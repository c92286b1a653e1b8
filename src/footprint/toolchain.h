// The cross toolchain the footprint tables are measured with, for one
// target: the compiler, its binutils (objdump, nm), the flags the bundled
// boards build with (the C library included, picolibc), and the compiler's
// identity, which keys the cached tables.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"
#include "target/targets.h"

namespace kiln::footprint {

struct Toolchain {
  const Target* target = nullptr;
  std::string cc;       ///< "arm-none-eabi-gcc"
  std::string objdump;  ///< the same prefix's objdump
  std::string nm;
  /// Architecture and C library flags, for compiling and linking.
  std::vector<std::string> cflags;
  /// Memory map of the reference link (a board's, when one has this target).
  std::vector<std::string> ldflags;
  /// First line of `cc --version`, e.g. "arm-none-eabi-gcc (15:12.2.rel1-1) 12.2.1 20221205".
  std::string version_line;
  /// Short form for reports: "arm-none-eabi-gcc 12.2.1".
  std::string version;
};

/// Compile and link flags for `target`: a bundled board's (its C library
/// and memory map) where one has this target, else the architecture flags
/// with picolibc and a generous generic memory map. Runs nothing.
struct BuildFlags {
  std::vector<std::string> cflags;
  std::vector<std::string> ldflags;
};
BuildFlags FlagsFor(const Target& target);

/// The toolchain of `target`, checked by running `cc --version`; an error
/// naming the Debian package when the compiler is not installed.
Expected<Toolchain> FindToolchain(const Target& target);

/// What every measured object is compiled with after the toolchain's own
/// flags, as the board templates compile (-O2 by default): the size table's
/// kernels and the shape-specialised kernels alike.
inline const std::vector<std::string> kMeasureFlags = {"-std=c99", "-O2", "-ffunction-sections", "-fdata-sections",
                                                       "-fcallgraph-info=su"};

/// Running the toolchain in a work directory: a tool's output, or an error
/// naming `what` it was doing with what the tool printed.
Expected<std::string> RunTool(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                              const std::string& what);
/// A file's bytes ("" when it cannot be read), and a file written with its
/// folders.
std::string ReadFile(const std::filesystem::path& path);
Status WriteFile(const std::filesystem::path& path, std::string_view text);

}  // namespace kiln::footprint
