// `kiln doctor`: whether this machine has what each board and target needs
// (compiler, C library, emulator, the tools the templates run), found by
// running them, with their versions, and the Debian packages that provide
// whatever is missing (docs/install.md).
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace kiln::doctor {

/// One thing a board, target or the host needs.
struct Requirement {
  std::string role;     ///< "compiler", "C library", "emulator", "build tool", "template servers"
  std::string tool;     ///< "arm-none-eabi-gcc", "picolibc", "qemu-system-arm", "make", "python3"
  std::string package;  ///< the Debian package that provides it
  bool present = false;
  std::string version;  ///< when present: "12.2.1" (a C library: its package's version, or "links")
  std::string problem;  ///< when absent: what was tried and what failed
};

/// The host (`kiln run` without a board, the host template), one board or
/// one target, and what it needs.
struct Subject {
  std::string kind;  ///< "host", "board" or "target"
  std::string name;  ///< "host", "qemu-cortex-m4", "rv32imac"
  std::string description;
  std::vector<Requirement> needs;

  bool ready() const;
};

/// What to examine. All empty (and `host` false): the host, every board and
/// every target.
struct Request {
  bool host = false;
  std::vector<std::string> boards;
  std::vector<std::string> targets;
};

/// Examines each subject asked for, in the order host, boards, targets. An
/// unknown board or target name is an error listing the known ones.
Expected<std::vector<Subject>> Examine(const Request& request);

/// The packages of every requirement that is absent, sorted, each once:
/// what `apt-get install` needs.
std::vector<std::string> MissingPackages(const std::vector<Subject>& subjects);

}  // namespace kiln::doctor
