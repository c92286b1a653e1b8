#include "footprint/toolchain.h"

#include <fstream>

#include "device/boards.h"
#include "support/process.h"
#include "support/tool_version.h"

namespace kiln::footprint {
namespace {

/// "arm-none-eabi-gcc" -> "arm-none-eabi-objdump".
std::string Sibling(const std::string& cc, const std::string& tool) {
  const size_t dash = cc.rfind('-');
  return dash == std::string::npos ? tool : cc.substr(0, dash + 1) + tool;
}

/// A memory map for targets no bundled board describes: flash and RAM large
/// enough for any model, where the architecture's parts usually have them.
std::vector<std::string> GenericMemoryMap(const Target& target) {
  if (target.cc.starts_with("riscv"))
    return {"-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x1000000,--defsym=__ram=0x81000000,"
            "--defsym=__ram_size=0x1000000"};
  return {"-Wl,--defsym=__flash=0x0,--defsym=__flash_size=0x1000000,--defsym=__ram=0x20000000,"
          "--defsym=__ram_size=0x1000000"};
}

}  // namespace

BuildFlags FlagsFor(const Target& target) {
  // The boards' flags are what firmware is really built with: use them
  // when a board has this target, so the tables measure the same C library.
  for (const Board& board : AllBoards())
    if (board.target == target.name) return {board.cflags, board.ldflags};
  std::vector<std::string> cflags = target.arch_cflags;
  cflags.insert(cflags.end(), {"--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost"});
  return {cflags, GenericMemoryMap(target)};
}

Expected<Toolchain> FindToolchain(const Target& target) {
  Toolchain t;
  t.target = &target;
  t.cc = target.cc;
  t.objdump = Sibling(target.cc, "objdump");
  t.nm = Sibling(target.cc, "nm");
  BuildFlags flags = FlagsFor(target);
  t.cflags = std::move(flags.cflags);
  t.ldflags = std::move(flags.ldflags);
  auto line = ToolVersionLine(t.cc);
  if (!line.ok())
    return MakeError("the footprint of target {} needs the cross compiler {}, which is not installed: "
                     "apt-get install {} (scripts/install-deps.sh installs it)",
                     target.name, t.cc, target.cc_package);
  t.version_line = *line;
  t.version = t.cc + " " + VersionNumber(t.version_line);  // "arm-none-eabi-gcc 12.2.1"
  return t;
}

Expected<std::string> RunTool(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                              const std::string& what) {
  auto r = RunProcess(argv, dir);
  if (!r.ok()) return MakeError("cannot run {} ({}): {}", argv[0], what, r.message());
  if (r->exit_code != 0) return MakeError("{} failed ({}):\n{}", argv[0], what, r->output.substr(0, 4000));
  return r->output;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Status WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return out ? Status::Ok() : Status(MakeError("cannot write '{}'", path.string()));
}

}  // namespace kiln::footprint
