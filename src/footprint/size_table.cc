#include "footprint/size_table.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "codegen/embedded_runtime.h"
#include "device/link_map.h"
#include "footprint/object_dump.h"
#include "support/cache_dir.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kiln::footprint {
namespace {

namespace fs = std::filesystem;

/// Bump when the table's contents or the way it is measured change.
/// 4: functions GCC placed in .text.unlikely.<f> (and .hot, .startup, .exit).
constexpr int kTableFormat = 6;  // 6: run() frames from the largest nearby sample

/// True when `section` is the own section of function `name`: ".text.<name>"
/// with -ffunction-sections, or ".text.unlikely.<name>" (".hot", ".startup",
/// ".exit") when GCC moved the function by its guessed execution frequency,
/// as it does with the KILN_COLD helpers (conv2d_s8.c's onnx_requantize).
bool IsFunctionSection(const std::string& section, const std::string& name) {
  if (section == ".text." + name) return true;
  for (const char* prefix : {".text.unlikely.", ".text.hot.", ".text.startup.", ".text.exit."})
    if (section == prefix + name) return true;
  return false;
}

uint64_t Fnv1a(std::string_view bytes, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}


/// The runtime's sources (compiled into kiln), hashed once per process.
uint64_t RuntimeHash() {
  static const uint64_t hash = [] {
    uint64_t h = Fnv1a("");
    for (const EmbeddedFile& f : EmbeddedRuntimeFiles()) h = Fnv1a(f.contents, Fnv1a(f.path, h));
    return h;
  }();
  return hash;
}

std::string CacheKey(const Toolchain& t) {
  uint64_t h = Fnv1a(fmt::format("format {}\n{}\nruntime {:016x}\n", kTableFormat, t.version_line, RuntimeHash()));
  for (const std::string& f : t.cflags) h = Fnv1a(f + "\n", h);
  for (const std::string& f : t.ldflags) h = Fnv1a(f + "\n", h);
  return fmt::format("{:016x}", h);
}

/// "k/conv2d_s8.o:     file format elf32-littlearm" splits objdump's output per object.
std::map<std::string, std::string> SplitPerObject(const std::string& text) {
  std::map<std::string, std::string> out;
  static const std::regex heading(R"((?:^|\n)(\S+\.o):\s+file format [^\n]*)");
  std::vector<std::pair<std::string, size_t>> starts;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), heading); it != std::sregex_iterator(); ++it)
    starts.emplace_back((*it)[1].str(), static_cast<size_t>(it->position() + it->length()));
  for (size_t i = 0; i < starts.size(); ++i) {
    const size_t end = i + 1 < starts.size() ? text.rfind('\n', text.find(starts[i + 1].first + ":", starts[i].second))
                                             : text.size();
    out[starts[i].first] = text.substr(starts[i].second, end - starts[i].second);
  }
  return out;
}

std::string Stem(const std::string& object_path) { return fs::path(object_path).stem().string(); }

/// Compiles `sources` (relative to dir) into dir/k, two compiler processes at once.
Status CompileAll(const Toolchain& t, const fs::path& dir, const std::vector<std::string>& sources) {
  std::vector<Status> results(2);
  std::vector<std::thread> workers;
  for (size_t w = 0; w < 2; ++w) {
    workers.emplace_back([&, w] {
      std::vector<std::string> argv = {t.cc};
      argv.insert(argv.end(), t.cflags.begin(), t.cflags.end());
      argv.insert(argv.end(), kMeasureFlags.begin(), kMeasureFlags.end());
      argv.insert(argv.end(), {"-I../include", "-c"});
      size_t n = 0;
      for (size_t i = w; i < sources.size(); i += 2, ++n) argv.push_back("../" + sources[i]);
      if (n == 0) return;
      results[w] = RunTool(argv, dir / "k", "compiling the runtime kernels").status();
    });
  }
  for (std::thread& th : workers) th.join();
  for (const Status& s : results) KILN_RETURN_IF_ERROR(s);
  return Status::Ok();
}

}  // namespace

Expected<SizeTable> BuildSizeTable(const Toolchain& t) {
  const auto started = std::chrono::steady_clock::now();
  KILN_ASSIGN_OR_RETURN(const std::unique_ptr<TempDir> work, TempDir::Create("kiln-footprint"));
  const fs::path& dir = work->path();

  // 1. The runtime as embedded in this kiln, and the calibration sources.
  std::vector<std::string> sources;
  std::string sizes_c = "#include <stddef.h>\n";
  for (const EmbeddedFile& f : EmbeddedRuntimeFiles()) {
    const std::string path(f.path);
    if (path.starts_with("include/kiln/") && !path.starts_with("include/kiln/rpc/")) {
      KILN_RETURN_IF_ERROR(WriteFile(dir / path, f.contents));
      // A struct's definition ("} kiln_x_params_t;"), or an alias of a shared
      // one ("typedef kiln_add_sub_params_t kiln_add_s8_params_t;").
      static const std::regex params(R"((?:\}|typedef\s+\w+)\s*(kiln_\w+_params_t)\s*;)");
      const std::string text(f.contents);
      for (auto it = std::sregex_iterator(text.begin(), text.end(), params); it != std::sregex_iterator(); ++it)
        sizes_c += fmt::format("#include \"{}\"\nconst unsigned char kiln_sizeof_{}[sizeof({})] = {{1}};\n",
                               path.substr(8), (*it)[1].str(), (*it)[1].str());
    }
    if (path.starts_with("kernels/") && path.ends_with(".c")) {
      KILN_RETURN_IF_ERROR(WriteFile(dir / path, f.contents));
      sources.push_back(path);
    }
  }
  std::vector<RunShape> shapes;
  KILN_RETURN_IF_ERROR(WriteFile(dir / "cal" / "kiln_cal.c", CalibrationSource(&shapes)));
  KILN_RETURN_IF_ERROR(WriteFile(dir / "cal" / "kiln_cal_callees.c", CalibrationCallees()));
  KILN_RETURN_IF_ERROR(WriteFile(dir / "cal" / "kiln_sizeof.c", sizes_c));
  sources.insert(sources.end(), {"cal/kiln_cal.c", "cal/kiln_cal_callees.c", "cal/kiln_sizeof.c"});
  std::error_code ec;
  fs::create_directories(dir / "k", ec);
  KILN_RETURN_IF_ERROR(CompileAll(t, dir, sources));

  std::vector<std::string> objects;
  for (const std::string& s : sources) objects.push_back("k/" + Stem(s) + ".o");

  // 2. Symbols, sections and relocations of every object.
  std::vector<std::string> argv = {t.objdump, "-h", "-t"};
  argv.insert(argv.end(), objects.begin(), objects.end());
  KILN_ASSIGN_OR_RETURN(std::string symbols_text, RunTool(argv, dir, "reading the kernels' symbols"));
  argv = {t.objdump, "-r"};
  argv.insert(argv.end(), objects.begin(), objects.end());
  KILN_ASSIGN_OR_RETURN(std::string relocs_text, RunTool(argv, dir, "reading the kernels' relocations"));
  const auto symbols_per_object = SplitPerObject(symbols_text);
  const auto relocs_per_object = SplitPerObject(relocs_text);

  // 3. The reference program: keeps every kernel entry point and calibration function.
  SizeTable table;
  table.target = t.target->name;
  table.toolchain = t.version;
  table.compiler_version = t.version_line;
  table.key = CacheKey(t);
  std::map<std::string, ObjectSymbols> parsed;
  std::string keep;
  for (const std::string& o : objects) {
    auto it = symbols_per_object.find(o);
    if (it == symbols_per_object.end()) return MakeError("objdump printed nothing for {}", o);
    parsed[o] = ParseObjectSymbols(it->second);
    if (!o.starts_with("k/kiln_"))
      for (const std::string& g : parsed[o].globals) table.entry_object[g] = Stem(o);
    for (const std::string& g : parsed[o].globals)
      if (!o.starts_with("k/kiln_") || g.starts_with("kiln_cal_run_") || g.starts_with("kiln_cal_reset_"))
        keep += fmt::format("extern char {};\n", g);
  }
  std::string main_c = keep + "void* const volatile kiln_keep[] = {\n";
  for (const std::string& o : objects)
    for (const std::string& g : parsed[o].globals)
      if (!o.starts_with("k/kiln_") || g.starts_with("kiln_cal_run_") || g.starts_with("kiln_cal_reset_"))
        main_c += fmt::format("  &{},\n", g);
  main_c += "};\nint main(void) { return kiln_keep[0] == 0; }\n";
  KILN_RETURN_IF_ERROR(WriteFile(dir / "main.c", main_c));
  argv = {t.cc};
  argv.insert(argv.end(), t.cflags.begin(), t.cflags.end());
  argv.insert(argv.end(), {"-std=c99", "-O2", "-ffunction-sections", "-fdata-sections", "main.c"});
  argv.insert(argv.end(), objects.begin(), objects.end());
  argv.insert(argv.end(), t.ldflags.begin(), t.ldflags.end());
  argv.insert(argv.end(), {"-Wl,--gc-sections", "-Wl,-Map=ref.map", "-lm", "-o", "ref.elf"});
  KILN_RETURN_IF_ERROR(RunTool(argv, dir, "linking the reference program").status());
  const std::string map_text = ReadFile(dir / "ref.map");
  KILN_ASSIGN_OR_RETURN(std::vector<LinkedSection> linked, ParseLinkMap(map_text));
  std::map<std::pair<std::string, std::string>, uint64_t> linked_size;  // (object, section) -> bytes
  for (const LinkedSection& s : linked) linked_size[{s.object, s.input_section}] += s.size;

  // 4. Kernel objects: functions with sizes, frames and references.
  for (const std::string& o : objects) {
    if (o.starts_with("k/kiln_")) continue;
    const ObjectSymbols& sym = parsed[o];
    const std::string ci = ReadFile(dir / "k" / (Stem(o) + ".ci"));
    const auto frames = ParseCallgraphInfo(ci);
    auto relocs_it = relocs_per_object.find(o);
    const auto refs = relocs_it == relocs_per_object.end() ? std::map<std::string, std::set<std::string>>{}
                                                           : ParseRelocations(relocs_it->second);
    KernelObject& ko = table.objects[Stem(o)];
    std::map<std::string, std::string> function_of_section, section_of_function;
    for (const auto& [name, section] : sym.section_of)
      if (IsFunctionSection(section, name)) function_of_section[section] = name, section_of_function[name] = section;
    for (const auto& [section, size] : sym.section_size) {
      auto it = linked_size.find({o, section});
      const uint64_t bytes = it != linked_size.end() ? it->second : size;
      switch (ClassifySection(section)) {
        case SectionClass::kText: {
          auto fn = function_of_section.find(section);
          if (fn == function_of_section.end() || bytes == 0) break;
          KernelFunction& f = ko.functions[fn->second];
          f.symbol = fn->second;
          f.bytes = bytes;
          if (auto fr = frames.find(fn->second); fr != frames.end()) f.frame = fr->second.bytes, f.frame_bounded = fr->second.bounded;
          break;
        }
        case SectionClass::kRodata: ko.rodata += bytes; break;
        case SectionClass::kData: ko.data += bytes; break;
        case SectionClass::kBss: ko.bss += bytes; break;
        case SectionClass::kOther: break;
      }
    }
    for (auto& [name, f] : ko.functions) {
      auto r = refs.find(section_of_function.at(name));
      if (r == refs.end()) continue;
      for (const std::string& target : r->second) {
        std::string callee = target;
        if (auto fn = function_of_section.find(target); fn != function_of_section.end()) callee = fn->second;
        if (callee == name) continue;
        if (ko.functions.count(callee) || section_of_function.count(callee))
          f.calls.push_back(callee);
        else if (sym.undefined.count(callee))
          f.externals.push_back(callee);
      }
    }
  }

  // 5. Library members the kernels pulled in: sizes, dependencies, frames.
  std::set<std::string> archives;
  for (const std::string& member : ParseArchiveMembers(map_text)) {
    const size_t paren = member.find('(');
    if (paren == std::string::npos) continue;
    archives.insert(member.substr(0, paren));
    table.members[member];
  }
  for (const LinkedSection& s : linked) {
    auto it = table.members.find(s.object);
    if (it == table.members.end()) continue;
    switch (ClassifySection(s.input_section)) {
      case SectionClass::kText: it->second.text += s.size; break;
      case SectionClass::kRodata: it->second.rodata += s.size; break;
      case SectionClass::kData: it->second.data += s.size; break;
      case SectionClass::kBss: it->second.bss += s.size; break;
      case SectionClass::kOther: break;
    }
  }
  std::map<std::string, MemberSymbols> member_symbols;
  for (const std::string& archive : archives) {
    KILN_ASSIGN_OR_RETURN(std::string nm_text, RunTool({t.nm, "-A", archive}, dir, "reading " + archive));
    for (auto& [member, ms] : ParseArchiveSymbols(nm_text, archive))
      if (table.members.count(member)) member_symbols[member] = std::move(ms);
  }
  for (const auto& [member, ms] : member_symbols)
    for (const std::string& s : ms.defines) table.symbol_member.emplace(s, member);
  KILN_ASSIGN_OR_RETURN(std::string disassembly,
                        RunTool({t.objdump, "-d", "--no-show-raw-insn", "ref.elf"}, dir, "disassembling the reference"));
  const auto prologues = ParsePrologueFrames(disassembly);
  for (auto& [member, m] : table.members) {
    auto ms = member_symbols.find(member);
    if (ms == member_symbols.end()) continue;
    std::set<std::string> needs;
    for (const std::string& s : ms->second.needs)
      if (auto it = table.symbol_member.find(s); it != table.symbol_member.end() && it->second != member)
        needs.insert(it->second);
    m.needs.assign(needs.begin(), needs.end());
    for (const std::string& s : ms->second.defines)
      if (auto it = prologues.find(s); it != prologues.end()) m.frame = std::max(m.frame, it->second);
  }

  // 6. Parameter struct sizes and the generated code's cost model.
  KILN_ASSIGN_OR_RETURN(std::string nm_sizes, RunTool({t.nm, "-S", "k/kiln_sizeof.o"}, dir, "reading struct sizes"));
  static const std::regex size_line(R"([0-9a-f]+ ([0-9a-f]+) \w kiln_sizeof_(\w+))");
  for (auto it = std::sregex_iterator(nm_sizes.begin(), nm_sizes.end(), size_line); it != std::sregex_iterator(); ++it)
    table.param_struct_bytes[(*it)[2].str()] = std::stoull((*it)[1].str(), nullptr, 16);
  const auto cal_frames = ParseCallgraphInfo(ReadFile(dir / "k" / "kiln_cal.ci"));
  std::vector<double> run_bytes, reset_bytes;
  std::vector<int64_t> run_frames;
  for (size_t k = 0; k < shapes.size(); ++k) {
    const std::string run = fmt::format("kiln_cal_run_{}", k), reset = fmt::format("kiln_cal_reset_{}", k);
    run_bytes.push_back(static_cast<double>(linked_size[{"k/kiln_cal.o", ".text." + run}]));
    reset_bytes.push_back(static_cast<double>(linked_size[{"k/kiln_cal.o", ".text." + reset}]));
    auto fr = cal_frames.find(run);
    run_frames.push_back(fr == cal_frames.end() ? 0 : fr->second.bytes);
  }
  const int arg_registers = t.cc.starts_with("riscv") ? 8 : 4;
  table.codegen = FitCodegenCost(shapes, run_bytes, run_frames, reset_bytes, arg_registers);
  if (auto r = relocs_per_object.find("k/kiln_cal.o"); r != relocs_per_object.end()) {
    std::set<std::string> externals;
    for (const auto& [section, symbols] : ParseRelocations(r->second))
      if (section.starts_with(".text.kiln_cal_reset_"))
        for (const std::string& s : symbols)
          if (parsed["k/kiln_cal.o"].undefined.count(s)) externals.insert(s);
    table.codegen.reset_externals.assign(externals.begin(), externals.end());
  }
  table.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return table;
}

nlohmann::json SizeTable::ToJson() const {
  nlohmann::json j;
  j["format"] = kTableFormat;
  j["target"] = target;
  j["toolchain"] = toolchain;
  j["compiler_version"] = compiler_version;
  j["key"] = key;
  j["build_seconds"] = build_seconds;
  for (const auto& [name, o] : objects) {
    nlohmann::json fj = nlohmann::json::object();
    for (const auto& [fname, f] : o.functions)
      fj[fname] = {{"bytes", f.bytes},   {"frame", f.frame},         {"frame_bounded", f.frame_bounded},
                   {"calls", f.calls}, {"externals", f.externals}};
    j["objects"][name] = {{"rodata", o.rodata}, {"data", o.data}, {"bss", o.bss}, {"functions", fj}};
  }
  j["entry_object"] = entry_object;
  for (const auto& [name, m] : members)
    j["members"][name] = {{"text", m.text}, {"rodata", m.rodata}, {"data", m.data},
                          {"bss", m.bss},   {"needs", m.needs},   {"frame", m.frame}};
  if (members.empty()) j["members"] = nlohmann::json::object();
  j["symbol_member"] = symbol_member;
  j["param_struct_bytes"] = param_struct_bytes;
  j["codegen"] = codegen.ToJson();
  return j;
}

Expected<SizeTable> SizeTable::FromJson(const nlohmann::json& j) {
  try {
    if (j.at("format").get<int>() != kTableFormat) return MakeError("size table of another format");
    SizeTable t;
    t.target = j.at("target");
    t.toolchain = j.at("toolchain");
    t.compiler_version = j.at("compiler_version");
    t.key = j.at("key");
    t.build_seconds = j.value("build_seconds", 0.0);
    for (const auto& [name, oj] : j.at("objects").items()) {
      KernelObject& o = t.objects[name];
      o.rodata = oj.at("rodata"), o.data = oj.at("data"), o.bss = oj.at("bss");
      for (const auto& [fname, fj] : oj.at("functions").items()) {
        KernelFunction& f = o.functions[fname];
        f.symbol = fname;
        f.bytes = fj.at("bytes");
        f.frame = fj.at("frame");
        f.frame_bounded = fj.at("frame_bounded");
        f.calls = fj.at("calls").get<std::vector<std::string>>();
        f.externals = fj.at("externals").get<std::vector<std::string>>();
      }
    }
    t.entry_object = j.at("entry_object").get<std::map<std::string, std::string>>();
    for (const auto& [name, mj] : j.at("members").items()) {
      LibraryMember& m = t.members[name];
      m.text = mj.at("text"), m.rodata = mj.at("rodata"), m.data = mj.at("data"), m.bss = mj.at("bss");
      m.needs = mj.at("needs").get<std::vector<std::string>>();
      m.frame = mj.at("frame");
    }
    t.symbol_member = j.at("symbol_member").get<std::map<std::string, std::string>>();
    t.param_struct_bytes = j.at("param_struct_bytes").get<std::map<std::string, uint64_t>>();
    t.codegen = CodegenCost::FromJson(j.at("codegen"));
    return t;
  } catch (const nlohmann::json::exception& e) {
    return MakeError("malformed size table: {}", e.what());
  }
}

Expected<SizeTable> LoadSizeTable(const Target& target, bool* built) {
  if (built) *built = false;
  KILN_ASSIGN_OR_RETURN(Toolchain toolchain, FindToolchain(target));
  const std::string key = CacheKey(toolchain);
  const fs::path path = CacheDir() / fmt::format("footprint-{}-{}.json", target.name, key);
  // Each table read once per process: a process that compiles many models
  // (kiln tune, conformance runs, the pipeline fuzzers) parsed it per model.
  static std::mutex mutex;
  static std::map<fs::path, SizeTable> loaded;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  }
  auto remember = [&](const SizeTable& table) {
    std::lock_guard<std::mutex> lock(mutex);
    loaded.emplace(path, table);
  };
  if (std::ifstream in(path); in) {
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
      auto table = SizeTable::FromJson(j);
      if (table.ok() && table->key == key) {
        remember(*table);
        return table;
      }
    }
    // A damaged or stale file: measure again and replace it.
  }
  KILN_ASSIGN_OR_RETURN(SizeTable table, BuildSizeTable(toolchain));
  if (built) *built = true;
  WriteCacheFile(path, table.ToJson().dump() + "\n");
  remember(table);
  return table;
}

}  // namespace kiln::footprint
