#include "footprint/shaped_copies.h"

#include <fstream>

#include "footprint/object_dump.h"
#include "footprint/toolchain.h"
#include "kernels/specialise.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kiln::footprint {
namespace {

namespace fs = std::filesystem;

Status WriteText(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return out ? Status::Ok() : Status(MakeError("cannot write '{}'", path.string()));
}

Expected<std::string> Run(const std::vector<std::string>& argv, const fs::path& dir, const std::string& what) {
  auto r = RunProcess(argv, dir);
  if (!r.ok()) return MakeError("cannot run {} ({}): {}", argv[0], what, r.message());
  if (r->exit_code != 0) return MakeError("{} failed ({}):\n{}", argv[0], what, r->output.substr(0, 4000));
  return r->output;
}

}  // namespace

Expected<ShapedCopies> MeasureShapedCopies(const ModelLibrary& library, const std::string& source,
                                           const std::string& target) {
  // The source's includes, then each shaped function, made global so that
  // the compiler keeps it with no caller here.
  std::string unit, names_line;
  std::vector<std::string> names;
  for (size_t at = 0; (at = source.find("#include ", at)) != std::string::npos; ++at)
    unit += source.substr(at, source.find('\n', at) - at + 1);
  const std::string head = std::string(kShapedFunctionHead);
  for (size_t at = source.find(head); at != std::string::npos; at = source.find(head, at + 1)) {
    const size_t end = source.find("\n}\n", at);
    if (end == std::string::npos) break;
    const size_t name_begin = at + head.size();
    names.push_back(source.substr(name_begin, source.find('(', name_begin) - name_begin));
    unit += source.substr(at + std::string_view("static ").size(), end + 3 - at - std::string_view("static ").size());
  }
  ShapedCopies out;
  if (names.empty()) return out;

  KILN_ASSIGN_OR_RETURN(const Target* t, FindTarget(target));
  KILN_ASSIGN_OR_RETURN(const Toolchain toolchain, FindToolchain(*t));
  KILN_ASSIGN_OR_RETURN(const std::unique_ptr<TempDir> work, TempDir::Create("kiln-shaped"));
  const fs::path dir = work->path();
  for (const auto& [path, text] : library.files)
    if (path.rfind("runtime/include/", 0) == 0 || path.rfind("codegen/host/include/", 0) == 0)
      KILN_RETURN_IF_ERROR(WriteText(dir / path, text));
  KILN_RETURN_IF_ERROR(WriteText(dir / "shaped.c", unit));
  std::vector<std::string> argv = {toolchain.cc};
  argv.insert(argv.end(), toolchain.cflags.begin(), toolchain.cflags.end());
  argv.insert(argv.end(), {"-std=c99", "-O2", "-ffunction-sections", "-fdata-sections", "-fcallgraph-info=su",
                           "-Icodegen/host/include", "-Iruntime/include", "-c", "shaped.c", "-o", "shaped.o"});
  KILN_RETURN_IF_ERROR(Run(argv, dir, "compiling the shape-specialised kernels").status());
  KILN_ASSIGN_OR_RETURN(const std::string symbols_text,
                        Run({toolchain.objdump, "-t", "-h", "shaped.o"}, dir, "reading their symbols"));
  const ObjectSymbols symbols = ParseObjectSymbols(symbols_text);
  std::ifstream ci_file(dir / "shaped.ci", std::ios::binary);
  const std::string ci((std::istreambuf_iterator<char>(ci_file)), std::istreambuf_iterator<char>());
  const std::map<std::string, Frame> frames = ParseCallgraphInfo(ci);
  for (const std::string& name : names) {
    ShapedCopy& copy = out.functions[name];
    auto section = symbols.section_of.find(name);
    if (section != symbols.section_of.end())
      if (auto size = symbols.section_size.find(section->second); size != symbols.section_size.end())
        copy.bytes = static_cast<int64_t>(size->second);
    if (auto f = frames.find(name); f != frames.end()) copy.frame = f->second.bytes, copy.frame_bounded = f->second.bounded;
  }
  // Read-only data the bodies brought (none today: their tables are the
  // layers' constants): charged to the first copy.
  for (const auto& [section, size] : symbols.section_size)
    if (section.rfind(".rodata", 0) == 0) out.functions[names.front()].bytes += static_cast<int64_t>(size);
  out.externals = symbols.undefined;
  return out;
}

}  // namespace kiln::footprint
