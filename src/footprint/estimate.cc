#include "footprint/estimate.h"

#include <algorithm>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "footprint/generated_source.h"
#include "footprint/shaped_copies.h"
#include "support/byte_size.h"
#include "memory/pools.h"
#include "support/json_boundary.h"

namespace kiln::footprint {
namespace {

/// Walks the kernel functions and library members a model reaches.
class Reach {
 public:
  Reach(const SizeTable& t, const ShapedCopies& copies) : t_(t), copies_(copies) {}

  /// Marks `symbol` (a kernel entry point, or a shape's copy of one) and all it calls; returns the
  /// code and data bytes reached for the first time.
  Expected<int64_t> Kernel(const std::string& symbol) {
    if (copies_.functions.count(symbol) != 0) return ShapedCopy(symbol);
    auto obj = t_.entry_object.find(symbol);
    if (obj == t_.entry_object.end())
      return MakeError("the size table has no kernel function '{}' (is the table older than this kiln?)", symbol);
    return Function(obj->second, symbol);
  }

  void Library(const std::string& symbol) {
    auto it = t_.symbol_member.find(symbol);
    if (it != t_.symbol_member.end()) Member(it->second);
  }

  /// Deepest stack below a call of `symbol` (a shape's copy's as measured).
  int64_t KernelStack(const std::string& symbol) {
    if (auto copy = copies_.functions.find(symbol); copy != copies_.functions.end()) {
      if (!copy->second.frame_bounded) bounded = false;
      int64_t below = 0;
      for (const std::string& ext : copies_.externals) below = std::max(below, LibraryStack(ext));
      return copy->second.frame + below;
    }
    auto obj = t_.entry_object.find(symbol);
    if (obj == t_.entry_object.end()) return LibraryStack(symbol);
    std::set<std::string> visiting;
    return FunctionStack(obj->second, symbol, visiting);
  }

  int64_t LibraryStack(const std::string& symbol) {
    auto it = t_.symbol_member.find(symbol);
    if (it == t_.symbol_member.end()) return 0;
    std::set<std::string> visiting;
    return MemberStack(it->second, visiting);
  }

  std::set<std::pair<std::string, std::string>> functions;  // (object, symbol)
  std::set<std::string> shaped;                              // the shapes' copies reached
  int64_t shaped_text = 0;  // their code, which the generated source holds
  std::set<std::string> objects, members;
  int64_t kernel_text = 0, kernel_rodata = 0, kernel_data = 0, kernel_bss = 0;
  bool bounded = true;

 private:
  Expected<int64_t> Function(const std::string& object, const std::string& symbol) {
    if (!functions.insert({object, symbol}).second) return 0;
    const KernelObject& o = t_.objects.at(object);
    auto fit = o.functions.find(symbol);
    if (fit == o.functions.end()) return 0;  // a function the link never kept
    const KernelFunction& f = fit->second;
    int64_t bytes = static_cast<int64_t>(f.bytes);
    kernel_text += static_cast<int64_t>(f.bytes);
    if (objects.insert(object).second) {
      kernel_rodata += static_cast<int64_t>(o.rodata);
      kernel_data += static_cast<int64_t>(o.data);
      kernel_bss += static_cast<int64_t>(o.bss);
      bytes += static_cast<int64_t>(o.rodata + o.data);
    }
    for (const std::string& callee : f.calls) {
      KILN_ASSIGN_OR_RETURN(int64_t more, Function(object, callee));
      bytes += more;
    }
    for (const std::string& ext : f.externals) {
      if (auto k = t_.entry_object.find(ext); k != t_.entry_object.end()) {
        KILN_ASSIGN_OR_RETURN(int64_t more, Function(k->second, ext));
        bytes += more;
      } else {
        Library(ext);
      }
    }
    return bytes;
  }

  /// A kernel specialised to a layer shape in the generated source, as measured.
  Expected<int64_t> ShapedCopy(const std::string& symbol) {
    auto it = copies_.functions.find(symbol);
    if (!shaped.insert(symbol).second) return 0;
    shaped_text += it->second.bytes;
    for (const std::string& ext : copies_.externals) Library(ext);
    return it->second.bytes;
  }

  void Member(const std::string& member) {
    if (!members.insert(member).second) return;
    auto it = t_.members.find(member);
    if (it == t_.members.end()) return;
    for (const std::string& dep : it->second.needs) Member(dep);
  }

  int64_t FunctionStack(const std::string& object, const std::string& symbol, std::set<std::string>& visiting) {
    const KernelObject& o = t_.objects.at(object);
    auto fit = o.functions.find(symbol);
    if (fit == o.functions.end() || !visiting.insert(object + ":" + symbol).second) return 0;
    const KernelFunction& f = fit->second;
    if (!f.frame_bounded) bounded = false;
    int64_t deepest = 0;
    for (const std::string& callee : f.calls) deepest = std::max(deepest, FunctionStack(object, callee, visiting));
    for (const std::string& ext : f.externals) {
      auto k = t_.entry_object.find(ext);
      deepest = std::max(deepest, k != t_.entry_object.end() ? FunctionStack(k->second, ext, visiting)
                                                             : LibraryStack(ext));
    }
    visiting.erase(object + ":" + symbol);
    return f.frame + deepest;
  }

  int64_t MemberStack(const std::string& member, std::set<std::string>& visiting) {
    auto it = t_.members.find(member);
    if (it == t_.members.end() || !visiting.insert(member).second) return 0;
    int64_t deepest = 0;
    for (const std::string& dep : it->second.needs) deepest = std::max(deepest, MemberStack(dep, visiting));
    visiting.erase(member);
    return it->second.frame + deepest;
  }

  const SizeTable& t_;
  const ShapedCopies& copies_;
};

std::string Kib(int64_t bytes) { return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0); }

}  // namespace

int64_t Footprint::ram_bytes() const {
  int64_t total = static_bytes + io_bytes + stack_bytes;
  for (const auto& [name, size] : pools) total += size;
  return total;
}

Expected<Budget> ParseBudget(const std::string& text) {
  Budget b;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
      return MakeError("--budget '{}': expected flash=SIZE,ram=SIZE (e.g. flash=1M,ram=320K)", text);
    const std::string key = item.substr(0, eq);
    auto bytes = ParseByteSize(item.substr(eq + 1));
    if (!bytes.ok()) return MakeError("--budget '{}': {}", text, bytes.message());
    if (key == "flash")
      b.flash_bytes = *bytes;
    else if (key == "ram")
      b.ram_bytes = *bytes;
    else
      return MakeError("--budget '{}': unknown limit '{}' (flash or ram)", text, key);
  }
  if (!b.flash_bytes && !b.ram_bytes) return MakeError("--budget '{}': give flash=SIZE and/or ram=SIZE", text);
  return b;
}

namespace {

Expected<Footprint> Estimate(const ModelLibrary& library, const SizeTable& table) {
  const nlohmann::json& m = library.metadata;
  Footprint f;
  f.target = table.target;
  f.toolchain = table.toolchain;
  if (m.value("executor", "aot") == "graph")
    return MakeError("the footprint estimate models the AoT executor's code: for --executor graph, measure a build "
                     "with `kiln micro size` (docs/graph-executor.md)");
  if (m.contains("capture"))
    return MakeError("this is a kiln debug capture build: its footprint is not the model's (compile it without capture)");
  const std::string module = m.value("module_name", "default");
  auto source = library.files.find("codegen/host/src/kiln_" + module + ".c");
  auto constants = library.files.find("codegen/host/src/kiln_" + module + "_constants.c");
  if (source == library.files.end() || constants == library.files.end())
    return MakeError("the archive has no generated sources for module '{}'", module);
  KILN_ASSIGN_OR_RETURN(GeneratedModule g, ParseGeneratedModule(module, source->second, constants->second,
                                                                table.param_struct_bytes));
  const nlohmann::json operators = m.value("operators", nlohmann::json::array());
  if (g.operators.size() != operators.size())
    return MakeError("run() has {} operator blocks, metadata.json lists {} operators", g.operators.size(),
                     operators.size());

  // Flash, operator by operator: a kernel or constant is charged to the first operator using it.
  KILN_ASSIGN_OR_RETURN(const ShapedCopies copies, MeasureShapedCopies(source->second, table));
  Reach reach(table, copies);
  std::set<std::string> charged_constants;
  for (size_t i = 0; i < operators.size(); ++i) {
    OperatorFootprint op;
    op.index = operators[i].value("index", static_cast<int>(i));
    op.op = operators[i].value("op", "?");
    op.kernel = operators[i].value("kernel", "?");
    for (const CallSite& call : g.operators[i].calls) {
      op.code_bytes += table.codegen.CallBytes(call);
      KILN_ASSIGN_OR_RETURN(int64_t bytes, reach.Kernel(call.callee));
      op.code_bytes += bytes;
      for (const std::string& f : call.indirect_callees) {
        KILN_ASSIGN_OR_RETURN(int64_t more, reach.Kernel(f));
        op.code_bytes += more;
      }
    }
    for (const std::string& c : g.operators[i].constants)
      if (charged_constants.insert(c).second) op.constant_bytes += static_cast<int64_t>(g.constants[c].bytes);
    f.operators.push_back(op);
  }
  if (g.shape.reset_loops > 0)
    for (const std::string& s : table.codegen.reset_externals) reach.Library(s);
  for (const auto& [name, c] : g.constants) f.constants += static_cast<int64_t>(c.bytes);
  f.generated_code = table.codegen.RunTextBytes(g.shape) + table.codegen.ResetTextBytes(g.shape.reset_loops) +
                     reach.shaped_text;
  f.kernels = reach.kernel_text + reach.kernel_rodata + reach.kernel_data;
  int64_t lib_text = 0, lib_rodata = 0, lib_data = 0, lib_bss = 0;
  for (const std::string& member : reach.members) {
    const LibraryMember& lm = table.members.at(member);
    lib_text += static_cast<int64_t>(lm.text), lib_rodata += static_cast<int64_t>(lm.rodata);
    lib_data += static_cast<int64_t>(lm.data), lib_bss += static_cast<int64_t>(lm.bss);
    f.library_members.push_back(member.substr(member.rfind('/') + 1));
  }
  f.libraries = lib_text + lib_rodata + lib_data;
  f.text = f.generated_code + reach.kernel_text + lib_text;
  f.rodata = f.constants + reach.kernel_rodata + lib_rodata;
  f.data = reach.kernel_data + lib_data;

  // RAM.
  for (const auto& pool : m.at("memory").at("pools"))
    if (!pool.value("read_only", false)) f.pools[pool.at("name").get<std::string>()] = pool.at("size_bytes");
  f.static_bytes = static_cast<int64_t>(g.static_bytes) + reach.kernel_data + reach.kernel_bss + lib_data + lib_bss;
  for (const char* kind : {"inputs", "outputs"})
    for (const auto& io : m.value(kind, nlohmann::json::array()))
      if (!io.contains("pool")) f.io_bytes += io.value("size_bytes", int64_t{0});  // --io-in-pools: in a pool already
  int64_t deepest = 0;
  for (const CallSite& call : g.shape.calls) {
    // A call through a pointer sits below the callee's frame: bounded above
    // by the callee's deepest path plus the pointed-to function's.
    int64_t below = 0;
    for (const std::string& f : call.indirect_callees) below = std::max(below, reach.KernelStack(f));
    deepest = std::max(deepest, reach.KernelStack(call.callee) + below);
  }
  if (g.shape.reset_loops > 0)
    for (const std::string& s : table.codegen.reset_externals) deepest = std::max(deepest, reach.LibraryStack(s));
  f.stack_bytes = table.codegen.RunFrameBytes(g.shape) + deepest;
  f.stack_bounded = reach.bounded;
  return f;
}

}  // namespace

Expected<Footprint> EstimateFootprint(const ModelLibrary& library, const SizeTable& table) {
  return ReadingJson("metadata.json", [&] { return Estimate(library, table); });
}

nlohmann::json FootprintMetadata(const ModelLibrary& library, const Target& target) {
  auto table = LoadSizeTable(target);
  if (!table.ok()) return {{"target", target.name}, {"error", table.message()}};
  auto estimate = EstimateFootprint(library, *table);
  if (!estimate.ok()) return {{"target", target.name}, {"error", estimate.message()}};
  return FootprintJson(*estimate);
}

bool FitsBudget(const Footprint& f, const Budget& b) {
  return (!b.flash_bytes || f.flash_bytes() <= *b.flash_bytes) && (!b.ram_bytes || f.ram_bytes() <= *b.ram_bytes);
}

nlohmann::json FootprintJson(const Footprint& f, const Budget* budget) {
  nlohmann::json ops = nlohmann::json::array();
  for (const OperatorFootprint& o : f.operators)
    ops.push_back({{"index", o.index},
                   {"op", o.op},
                   {"kernel", o.kernel},
                   {"code_bytes", o.code_bytes},
                   {"constant_bytes", o.constant_bytes}});
  nlohmann::json j = {
      {"target", f.target},
      {"toolchain", f.toolchain},
      {"flash_bytes", f.flash_bytes()},
      {"ram_bytes", f.ram_bytes()},
      {"flash",
       {{"sections", {{"text", f.text}, {"rodata", f.rodata}, {"data", f.data}}},
        {"parts",
         {{"generated_code", f.generated_code},
          {"constants", f.constants},
          {"kernels", f.kernels},
          {"libraries", f.libraries}}},
        {"operators", ops},
        {"library_members", f.library_members}}},
      {"ram",
       {{"pools", f.pools},
        {"static_bytes", f.static_bytes},
        {"io_bytes", f.io_bytes},
        {"stack_bytes", f.stack_bytes},
        {"stack_bounded", f.stack_bounded}}}};
  if (budget != nullptr) {
    const int64_t flash_over = budget->flash_bytes ? std::max<int64_t>(0, f.flash_bytes() - *budget->flash_bytes) : 0;
    const int64_t ram_over = budget->ram_bytes ? std::max<int64_t>(0, f.ram_bytes() - *budget->ram_bytes) : 0;
    j["budget"] = {{"flash_bytes", budget->flash_bytes ? nlohmann::json(*budget->flash_bytes) : nlohmann::json()},
                   {"ram_bytes", budget->ram_bytes ? nlohmann::json(*budget->ram_bytes) : nlohmann::json()},
                   {"fits", FitsBudget(f, *budget)},
                   {"flash_over_bytes", flash_over},
                   {"ram_over_bytes", ram_over}};
  }
  return j;
}

std::string FootprintText(const Footprint& f, const Budget* budget) {
  std::string s = fmt::format("footprint on {} ({}), estimated from Kiln's size table, bytes:\n", f.target,
                              f.toolchain);
  s += fmt::format("flash {:>10}  ({})\n", f.flash_bytes(), Kib(f.flash_bytes()));
  s += fmt::format("  {:<16}{:>10}\n  {:<16}{:>10}\n  {:<16}{:>10}\n  {:<16}{:>10}{}\n", "constants", f.constants,
                   "generated code", f.generated_code, "kernels", f.kernels, "libraries", f.libraries,
                   f.library_members.empty() ? "" : fmt::format("  ({} archive member{})", f.library_members.size(), f.library_members.size() == 1 ? "" : "s"));
  s += fmt::format("  sections: text {}, rodata {}, data {}\n", f.text, f.rodata, f.data);
  s += fmt::format("ram   {:>10}  ({})\n", f.ram_bytes(), Kib(f.ram_bytes()));
  for (const auto& [pool, size] : f.pools) s += fmt::format("  {:<16}{:>10}\n", "pool " + pool, size);
  s += fmt::format("  {:<16}{:>10}\n  {:<16}{:>10}\n  {:<16}{:>10}{}\n", "static", f.static_bytes, "inputs+outputs",
                   f.io_bytes, "stack of run()", f.stack_bytes, f.stack_bounded ? "" : "  (at least: a dynamic frame)");
  s += "per operator (a kernel or constant shared by several operators is charged to the first):\n";
  s += fmt::format("  {:>4}  {:<20} {:<24} {:>10} {:>12}\n", "#", "operator", "kernel", "code", "constants");
  for (const OperatorFootprint& o : f.operators)
    s += fmt::format("  {:>4}  {:<20} {:<24} {:>10} {:>12}\n", o.index, o.op, o.kernel, o.code_bytes,
                     o.constant_bytes);
  if (budget != nullptr) {
    auto line = [&](const char* what, int64_t need, const std::optional<int64_t>& limit) {
      if (!limit) return;
      s += need <= *limit ? fmt::format("{} fits the budget: {} of {} bytes ({} to spare)\n", what, need, *limit,
                                        *limit - need)
                          : fmt::format("{} is over budget by {} bytes: {} needed, {} allowed\n", what, need - *limit,
                                        need, *limit);
    };
    line("flash", f.flash_bytes(), budget->flash_bytes);
    line("ram", f.ram_bytes(), budget->ram_bytes);
  }
  return s;
}

}  // namespace kiln::footprint
