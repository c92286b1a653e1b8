#include "mlf/runtime_objects.h"

#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "support/cache_dir.h"
#include "support/fnv1a.h"
#include "support/process.h"
#include "support/tool_version.h"

namespace kiln {

namespace fs = std::filesystem;

namespace {

/// `compiler --version`, asked once per compiler per process.
std::string CompilerVersion(const std::string& compiler) {
  static std::mutex mutex;
  static std::map<std::string, std::string> versions;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = versions.find(compiler);
  if (it == versions.end()) {
    auto line = ToolVersionLine(compiler);
    it = versions.emplace(compiler, line.ok() ? *line : "").first;
  }
  return it->second;
}

/// The object of `source` (a path relative to `dir`), from the cache or
/// compiled now into it; `headers_hash` stands for the headers it includes.
Expected<fs::path> CachedObject(const std::vector<std::string>& compile, const fs::path& dir, const std::string& source,
                                uint64_t headers_hash) {
  std::ifstream in(dir / source, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  uint64_t key = Fnv1a64(text, headers_hash);
  key = Fnv1a64(CompilerVersion(compile.at(0)), key);
  for (const std::string& arg : compile) key = Fnv1a64(arg + "\n", key);
  const fs::path cache = CacheDir() / "objects";
  const fs::path cached = cache / fmt::format("{}-{:016x}.o", fs::path(source).stem().string(), key);
  std::error_code ec;
  if (fs::is_regular_file(cached, ec)) return cached;
  const fs::path local = dir / (source + ".o");
  std::vector<std::string> argv = compile;
  argv.insert(argv.end(), {"-c", source, "-o", local.string()});
  auto result = RunProcess(argv, dir);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) return MakeError("compiling {} failed:\n{}", source, result->output);
  // Into the cache by rename: a concurrent build sees the whole object or none.
  fs::create_directories(cache, ec);
  // Named after the build folder, which no other build shares.
  const fs::path partial = fmt::format("{}.{:016x}.partial", cached.string(), Fnv1a64(local.string()));
  fs::copy_file(local, partial, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(partial, cached, ec);
  if (ec) {
    fs::remove(partial, ec);
    return local;
  }
  return cached;
}

}  // namespace

Expected<std::vector<fs::path>> RuntimeObjects(const FileMap& files, const std::vector<std::string>& compile,
                                               const fs::path& dir) {
  uint64_t headers = kFnv1a64Start;
  for (const auto& [path, contents] : files)
    if (path.starts_with("runtime/include/")) headers = Fnv1a64(contents, Fnv1a64(path, headers));
  std::vector<fs::path> objects;
  for (const auto& [path, contents] : files) {
    if (!path.starts_with("runtime/src/") || !path.ends_with(".c")) continue;
    KILN_ASSIGN_OR_RETURN(fs::path object, CachedObject(compile, dir, path, headers));
    objects.push_back(std::move(object));
  }
  return objects;
}

}  // namespace kiln
