#include "footprint/shaped_copies.h"

#include <fstream>
#include <mutex>
#include <optional>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "codegen/embedded_runtime.h"
#include "footprint/object_dump.h"
#include "footprint/toolchain.h"
#include "kernels/specialise.h"
#include "support/cache_dir.h"
#include "support/fnv1a.h"
#include "support/temp_dir.h"

namespace kiln::footprint {
namespace {

namespace fs = std::filesystem;

/// One shaped function as measured, with what its unit called outside.
struct Measured {
  ShapedCopy copy;
  std::set<std::string> externals;
};

/// Measurements by the hash of the size table's key and the function's
/// definition (which holds everything its code depends on but the runtime
/// headers and the toolchain, both in the key): in memory, and in a file of
/// the cache beside the size table, so that a shape is compiled once.
class MeasuredCache {
 public:
  std::optional<Measured> Find(const SizeTable& table, uint64_t hash) {
    std::lock_guard<std::mutex> lock(mutex_);
    Load(table);
    auto it = entries_.find(hash);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  void Add(const SizeTable& table, const std::map<uint64_t, Measured>& measured) {
    std::lock_guard<std::mutex> lock(mutex_);
    Load(table);
    for (const auto& [hash, m] : measured) entries_[hash] = m;
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [hash, m] : entries_)
      j[fmt::format("{:016x}", hash)] = {{"bytes", m.copy.bytes},
                                        {"frame", m.copy.frame},
                                        {"frame_bounded", m.copy.frame_bounded},
                                        {"externals", m.externals}};
    WriteCacheFile(path_, j.dump() + "\n");  // a lost race only means measuring again
  }

 private:
  void Load(const SizeTable& table) {
    const fs::path path = CacheDir() / fmt::format("footprint-{}-{}-shaped.json", table.target, table.key);
    if (path == path_) return;
    path_ = path;
    entries_.clear();
    std::ifstream in(path_);
    if (!in) return;
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return;
    for (const auto& [key, v] : j.items()) {
      if (!v.is_object() || !v.value("bytes", nlohmann::json()).is_number_integer() ||
          !v.value("frame", nlohmann::json()).is_number_integer() ||
          !v.value("frame_bounded", nlohmann::json()).is_boolean() || !v.value("externals", nlohmann::json()).is_array())
        continue;  // a damaged entry: measured again
      Measured m;
      m.copy = {v["bytes"].get<int64_t>(), v["frame"].get<int64_t>(), v["frame_bounded"].get<bool>()};
      for (const auto& e : v["externals"])
        if (e.is_string()) m.externals.insert(e.get<std::string>());
      entries_[std::strtoull(key.c_str(), nullptr, 16)] = m;
    }
  }

  std::mutex mutex_;
  fs::path path_;
  std::map<uint64_t, Measured> entries_;
};

bool IsCIdentifier(const std::string& s) {
  static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(s, kIdentifier);
}

MeasuredCache& Cache() {
  static MeasuredCache cache;
  return cache;
}

/// Compiles `definitions` (name -> definition) as one unit after
/// `includes`, each function made global so that the compiler keeps it.
Expected<std::map<std::string, Measured>> Compile(const std::string& includes,
                                                  const std::map<std::string, std::string>& definitions,
                                                  const std::string& target) {
  std::string unit = includes;
  for (const auto& [name, text] : definitions) unit += text.substr(std::string_view("static ").size()) + "\n";
  KILN_ASSIGN_OR_RETURN(const Target* t, FindTarget(target));
  KILN_ASSIGN_OR_RETURN(const Toolchain toolchain, FindToolchain(*t));
  KILN_ASSIGN_OR_RETURN(const std::unique_ptr<TempDir> work, TempDir::Create("kiln-shaped"));
  const fs::path dir = work->path();
  // This kiln's runtime headers (those the size table measured), not the
  // archive's: an archive is input, and its headers could include anything.
  for (const EmbeddedFile& f : EmbeddedRuntimeFiles())
    if (f.path.rfind("include/", 0) == 0) KILN_RETURN_IF_ERROR(WriteFile(dir / "runtime" / f.path, f.contents));
  KILN_RETURN_IF_ERROR(WriteFile(dir / "shaped.c", unit));
  std::vector<std::string> argv = {toolchain.cc};
  argv.insert(argv.end(), toolchain.cflags.begin(), toolchain.cflags.end());
  argv.insert(argv.end(), kMeasureFlags.begin(), kMeasureFlags.end());
  argv.insert(argv.end(), {"-Iruntime/include", "-c", "shaped.c", "-o", "shaped.o"});
  KILN_RETURN_IF_ERROR(RunTool(argv, dir, "compiling the shape-specialised kernels").status());
  KILN_ASSIGN_OR_RETURN(const std::string symbols_text,
                        RunTool({toolchain.objdump, "-t", "-h", "shaped.o"}, dir, "reading their symbols"));
  const ObjectSymbols symbols = ParseObjectSymbols(symbols_text);
  const std::map<std::string, Frame> frames = ParseCallgraphInfo(ReadFile(dir / "shaped.ci"));
  std::map<std::string, Measured> out;
  for (const auto& [name, text] : definitions) {
    Measured& m = out[name];
    auto section = symbols.section_of.find(name);
    if (section != symbols.section_of.end())
      if (auto size = symbols.section_size.find(section->second); size != symbols.section_size.end())
        m.copy.bytes = static_cast<int64_t>(size->second);
    if (auto f = frames.find(name); f != frames.end()) m.copy.frame = f->second.bytes, m.copy.frame_bounded = f->second.bounded;
    m.externals = symbols.undefined;
  }
  // Read-only data the bodies brought (none today: their tables are the
  // layers' constants): charged to the first.
  for (const auto& [section, size] : symbols.section_size)
    if (section.rfind(".rodata", 0) == 0) out.begin()->second.copy.bytes += static_cast<int64_t>(size);
  return out;
}

}  // namespace

Expected<ShapedCopies> MeasureShapedCopies(const std::string& source,
                                           const SizeTable& table) {
  // The runtime's kernel headers the source includes, and nothing else:
  // the functions need only those.
  // (A search for the prefix, not a regex over the whole source: the
  // source holds the constants, and std::regex walks every byte slowly.)
  static const std::regex kKernelInclude(R"(#include "kiln/kernels/[a-z0-9_]+\.h")");
  std::string includes = "#include <stddef.h>\n#include <stdint.h>\n#include \"kiln/runtime.h\"\n";
  constexpr std::string_view kIncludePrefix = "#include \"kiln/kernels/";
  for (size_t at = source.find(kIncludePrefix); at != std::string::npos; at = source.find(kIncludePrefix, at + 1)) {
    const std::string line = source.substr(at, source.find('\n', at) - at);
    if (std::regex_match(line, kKernelInclude)) includes += line + "\n";
  }
  const std::string head(kShapedFunctionHead);
  std::map<std::string, std::string> definitions;  // name -> its definition
  for (size_t at = source.find(head); at != std::string::npos; at = source.find(head, at + 1)) {
    const size_t end = source.find("\n}\n", at);
    if (end == std::string::npos) break;
    const size_t name_begin = at + head.size();
    const std::string name = source.substr(name_begin, source.find('(', name_begin) - name_begin);
    const std::string text = source.substr(at, end + 2 - at);
    // What Kiln generates has no preprocessor line inside (a damaged or
    // crafted archive might, and its footprint is an error, not a build).
    if (text.find('#') != std::string::npos || !IsCIdentifier(name))
      return MakeError("the generated source's shaped function at offset {} is not one Kiln writes", at);
    definitions[name] = text;
  }
  ShapedCopies out;
  std::map<std::string, std::string> missing;
  std::map<std::string, uint64_t> hash_of;
  for (const auto& [name, text] : definitions) {
    // The name is the source's own: the same shape measures the same under any.
    std::string anonymous = text;
    anonymous.replace(head.size(), name.size(), "f");
    hash_of[name] = Fnv1a64(anonymous, Fnv1a64(table.key));
    if (auto m = Cache().Find(table, hash_of[name])) {
      out.functions[name] = m->copy;
      out.externals.insert(m->externals.begin(), m->externals.end());
    } else {
      missing[name] = text;
    }
  }
  if (missing.empty()) return out;
  KILN_ASSIGN_OR_RETURN(const auto measured, Compile(includes, missing, table.target));
  std::map<uint64_t, Measured> fresh;
  for (const auto& [name, m] : measured) {
    out.functions[name] = m.copy;
    out.externals.insert(m.externals.begin(), m.externals.end());
    fresh[hash_of[name]] = m;
  }
  Cache().Add(table, fresh);
  return out;
}

}  // namespace kiln::footprint
