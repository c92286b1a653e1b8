#include "doctor/doctor.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <span>

#include "device/boards.h"
#include "driver/host_runner.h"
#include "footprint/toolchain.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/tool_version.h"
#include "support/write_file_atomically.h"
#include "target/targets.h"

namespace kiln::doctor {
namespace {

Requirement Needs(std::string role, std::string tool, std::string package) {
  Requirement r;
  r.role = std::move(role);
  r.tool = std::move(tool);
  r.package = std::move(package);
  return r;
}

Subject About(std::string kind, std::string name, std::string description) {
  Subject s;
  s.kind = std::move(kind);
  s.name = std::move(name);
  s.description = std::move(description);
  return s;
}

/// Runs each program once per `kiln doctor`, however many subjects need it.
class Probe {
 public:
  Requirement Tool(const std::string& role, const std::string& tool, const std::string& package) {
    auto it = tools_.find(tool);
    if (it == tools_.end()) it = tools_.emplace(tool, ToolVersionLine(tool)).first;
    Requirement r = Needs(role, tool, package);
    r.present = it->second.ok();
    if (r.present) r.version = VersionNumber(*it->second);
    else r.problem = it->second.message();
    return r;
  }

  /// Whether `cc` with these flags compiles and links an empty program:
  /// the proof that the C library (and its multilib for the flags) is there.
  Requirement CLibrary(const std::string& tool, const std::string& package, const Requirement& compiler,
                       const std::vector<std::string>& flags) {
    Requirement r = Needs("C library", tool, package);
    if (!compiler.present) {
      r.problem = "not checked: needs the compiler " + compiler.tool;
      return r;
    }
    std::vector<std::string> argv = {compiler.tool};
    argv.insert(argv.end(), flags.begin(), flags.end());
    const std::string key = fmt::format("{}", fmt::join(argv, " "));
    auto it = links_.find(key);
    if (it == links_.end()) it = links_.emplace(key, Link(argv)).first;
    r.present = it->second.ok();
    if (!r.present) {
      r.problem = it->second.message();
      return r;
    }
    r.version = PackageVersion(package);
    return r;
  }

 private:
  Status Link(std::vector<std::string> argv) {
    KILN_ASSIGN_OR_RETURN(const std::unique_ptr<TempDir> dir, TempDir::Create("kiln-doctor"));
    KILN_RETURN_IF_ERROR(WriteFileAtomically(dir->path() / "main.c", "int main(void) { return 0; }\n"));
    argv.insert(argv.end(), {"-o", "main.elf", "main.c"});
    KILN_ASSIGN_OR_RETURN(ProcessResult run, RunProcess(argv, dir->path()));
    if (run.exit_code != 0) {
      const std::string first = run.output.substr(0, run.output.find('\n'));
      return MakeError("an empty program does not link: {}", first.empty() ? "the compiler failed" : first);
    }
    return Status::Ok();
  }

  /// The package's version where dpkg knows it; otherwise the fact proven.
  const std::string& PackageVersion(const std::string& package) {
    auto it = package_versions_.find(package);
    if (it != package_versions_.end()) return it->second;
    auto dpkg = RunProcess({"dpkg-query", "-W", "-f=${Version}", package});
    const bool known = dpkg.ok() && dpkg->exit_code == 0 && !dpkg->output.empty();
    return package_versions_.emplace(package, known ? dpkg->output : "links").first->second;
  }

  std::map<std::string, Expected<std::string>> tools_;
  std::map<std::string, Status> links_;
  std::map<std::string, std::string> package_versions_;
};

/// The package of a board's compiler: its target's, when the board uses
/// the target's compiler.
std::string CompilerPackage(const Board& board, const Target& target) {
  return board.cc == target.cc ? target.cc_package : "";
}

Subject Host(Probe& probe) {
  Subject s = About("host", "host", "kiln run on this machine and the host template");
  const Requirement cc = probe.Tool("compiler", HostCompiler(), "gcc");
  s.needs = {cc, probe.CLibrary("libc", "libc6-dev", cc, {}), probe.Tool("build tool", "make", "make"),
             probe.Tool("template servers", "python3", "python3")};
  return s;
}

Subject OfBoard(Probe& probe, const Board& board, const Target& target) {
  Subject s = About("board", board.name, board.description + " (target " + board.target + ")");
  const Requirement cc = probe.Tool("compiler", board.cc, CompilerPackage(board, target));
  std::vector<std::string> flags = board.cflags;
  flags.insert(flags.end(), board.ldflags.begin(), board.ldflags.end());
  s.needs = {cc, probe.CLibrary("picolibc", target.libc_package, cc, flags),
             probe.Tool("emulator", board.qemu.front(), board.qemu_package), probe.Tool("build tool", "make", "make"),
             probe.Tool("template servers", "python3", "python3")};
  return s;
}

Subject OfTarget(Probe& probe, const Target& target) {
  Subject s = About("target", target.name, target.description);
  const Requirement cc = probe.Tool("compiler", target.cc, target.cc_package);
  s.needs = {cc};
  // The flags the footprint tables are measured with (a board's, where one
  // has this target): what `kiln footprint --target` compiles.
  footprint::BuildFlags build = footprint::FlagsFor(target);
  std::vector<std::string> flags = std::move(build.cflags);
  flags.insert(flags.end(), build.ldflags.begin(), build.ldflags.end());
  s.needs.push_back(probe.CLibrary("picolibc", target.libc_package, cc, flags));
  return s;
}

}  // namespace

bool Subject::ready() const {
  return std::all_of(needs.begin(), needs.end(), [](const Requirement& r) { return r.present; });
}

namespace {

/// Every item of `all` when `everything`, then the named ones, each looked
/// up with `find` (an unknown name is its error).
template <typename T, typename Find>
Expected<std::vector<const T*>> Selected(bool everything, std::span<const T> all, const std::vector<std::string>& names,
                                         Find find) {
  std::vector<const T*> out;
  if (everything)
    for (const T& item : all) out.push_back(&item);
  for (const std::string& name : names) {
    KILN_ASSIGN_OR_RETURN(const T* item, find(name));
    out.push_back(item);
  }
  return out;
}

}  // namespace

Expected<std::vector<Subject>> Examine(const Request& request) {
  const bool everything = !request.host && request.boards.empty() && request.targets.empty();
  KILN_ASSIGN_OR_RETURN(std::vector<const Board*> boards,
                        Selected(everything, AllBoards(), request.boards, [](std::string_view n) { return FindBoard(n); }));
  KILN_ASSIGN_OR_RETURN(
      std::vector<const Target*> targets,
      Selected(everything, AllTargets(), request.targets, [](std::string_view n) { return FindTarget(n); }));

  Probe probe;
  std::vector<Subject> subjects;
  if (everything || request.host) subjects.push_back(Host(probe));
  for (const Board* b : boards) {
    KILN_ASSIGN_OR_RETURN(const Target* t, FindTarget(b->target));
    subjects.push_back(OfBoard(probe, *b, *t));
  }
  for (const Target* t : targets) subjects.push_back(OfTarget(probe, *t));
  return subjects;
}

std::vector<std::string> MissingPackages(const std::vector<Subject>& subjects) {
  std::set<std::string> packages;
  for (const Subject& s : subjects)
    for (const Requirement& r : s.needs)
      if (!r.present && !r.package.empty()) packages.insert(r.package);
  return {packages.begin(), packages.end()};
}

}  // namespace kiln::doctor
